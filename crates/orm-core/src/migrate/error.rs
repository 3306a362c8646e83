//! What can go wrong reading, applying or recording migrations.

use std::path::PathBuf;

use crate::error::Error;

/// A migration could not be read, planned, applied or recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// A file or directory of the migrations folder could not be read or written.
    #[error("cannot access `{}`: {source}", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A `migration.sql` is not valid UTF-8.
    #[error("`{}` is not valid UTF-8", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },

    /// `migration_lock.toml` names another provider than the database's.
    #[error(
        "the migrations folder was created for `{locked}` (migration_lock.toml) but the database is `{actual}`; start a new migrations folder for this provider"
    )]
    ProviderMismatch {
        /// The provider in `migration_lock.toml`.
        locked: String,
        /// The database's provider.
        actual: &'static str,
    },

    /// An applied migration's file no longer has the checksum recorded when it was applied.
    #[error(
        "the migration `{migration}` was modified after it was applied (its checksum differs from the one in _prisma_migrations); restore the file, or reset the database"
    )]
    Edited {
        /// The migration's folder name.
        migration: String,
    },

    /// A failed migration is recorded; nothing more is applied until it is resolved.
    #[error(
        "the migration `{migration}` failed and is recorded as failed in _prisma_migrations; no new migration is applied until it is resolved with `orm migrate resolve --rolled-back {migration}` (after reverting its partial changes) or `--applied {migration}` (after completing them by hand)"
    )]
    FailedMigrationRecorded {
        /// The failed migration's folder name.
        migration: String,
    },

    /// A statement of a migration failed; the migration is recorded as failed.
    #[error(
        "migration `{migration}` failed at line {line} of migration.sql: {source}\nstatement:\n{statement}"
    )]
    Apply {
        /// The migration's folder name.
        migration: String,
        /// The failing statement.
        statement: String,
        /// The 1-based line of `migration.sql` the statement starts on.
        line: usize,
        /// The database's error.
        #[source]
        source: Box<Error>,
    },

    /// Another deployment held the migration lock for longer than the wait.
    #[error("timed out after {}s waiting for the migration advisory lock (key 72707369) held by another deployment", waited.as_secs())]
    LockTimeout {
        /// How long this deployment waited.
        waited: std::time::Duration,
    },

    /// `resolve` named a migration that is not in the migrations folder.
    #[error("the migration `{migration}` is not in the migrations folder")]
    UnknownMigration {
        /// The name given.
        migration: String,
    },

    /// `resolve` was asked for something the history does not allow.
    #[error("cannot resolve `{migration}`: {reason}")]
    CannotResolve {
        /// The migration.
        migration: String,
        /// Why not.
        reason: &'static str,
    },

    /// A history row or a catalog row has an unexpected shape.
    #[error("unexpected {what} from the database: {detail}")]
    Unexpected {
        /// What was being read.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },

    /// A database error outside of applying a migration's statements.
    #[error(transparent)]
    Database(Box<Error>),
}

impl From<Error> for MigrateError {
    fn from(error: Error) -> Self {
        MigrateError::Database(Box::new(error))
    }
}

/// `Result` with [`MigrateError`].
pub type MigrateResult<T> = std::result::Result<T, MigrateError>;
