//! A set of migrations to deploy from the application: read from a folder at run time, or
//! embedded at compile time by [`migrations!`](crate::migrations).

use super::apply::{self, AppliedMigration, MigrationStatus};
use super::error::{MigrateError, MigrateResult};
use super::folder::{LocalMigration, MigrationsDir, parse_lock_file};
use crate::adapter::Adapter;

/// The migrations of a folder, ready to deploy at start-up.
///
/// Embedded at compile time with `orm_core::migrations!("prisma/migrations")` (the path is
/// relative to the crate's `Cargo.toml`), or read at run time:
///
/// ```no_run
/// # async fn demo(adapter: &dyn orm_core::Adapter) -> Result<(), Box<dyn std::error::Error>> {
/// let migrations = orm_core::migrate::Migrations::from_dir("prisma/migrations")?;
/// for applied in migrations.deploy(adapter).await? {
///     println!("applied {} in {:?}", applied.name, applied.duration);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Migrations {
    provider: Option<String>,
    migrations: Vec<LocalMigration>,
}

impl Migrations {
    /// Reads the migrations folder at `path`.
    ///
    /// # Errors
    ///
    /// [`MigrateError::Io`] or [`MigrateError::NotUtf8`] for a file that cannot be read.
    pub fn from_dir(path: impl Into<std::path::PathBuf>) -> MigrateResult<Migrations> {
        let dir = MigrationsDir::new(path);
        Ok(Migrations {
            provider: dir.locked_provider()?,
            migrations: dir.migrations()?,
        })
    }

    /// Used by the code `migrations!` expands to: the lock file's text, if the folder has one,
    /// and each migration's folder name and script.
    #[doc(hidden)]
    pub fn __embedded(
        lock_file: Option<&'static str>,
        migrations: &[(&'static str, &'static str)],
    ) -> Migrations {
        Migrations {
            provider: lock_file.and_then(parse_lock_file),
            migrations: migrations
                .iter()
                .map(|(name, script)| LocalMigration {
                    name: (*name).to_owned(),
                    script: (*script).to_owned(),
                })
                .collect(),
        }
    }

    /// The migrations, in order.
    pub fn migrations(&self) -> &[LocalMigration] {
        &self.migrations
    }

    /// The provider of `migration_lock.toml`, if the folder has one.
    pub fn provider(&self) -> Option<&str> {
        self.provider.as_deref()
    }

    fn check_provider(&self, adapter: &dyn Adapter) -> MigrateResult<()> {
        let actual = adapter.dialect().provider();
        match &self.provider {
            Some(locked) if locked != actual => Err(MigrateError::ProviderMismatch {
                locked: locked.clone(),
                actual,
            }),
            _ => Ok(()),
        }
    }

    /// Applies the pending migrations, as `orm migrate deploy` does; see
    /// [`deploy`](super::deploy).
    ///
    /// # Errors
    ///
    /// [`MigrateError::ProviderMismatch`] when the folder was made for another provider, and
    /// the errors of [`deploy`](super::deploy).
    pub async fn deploy(&self, adapter: &dyn Adapter) -> MigrateResult<Vec<AppliedMigration>> {
        self.check_provider(adapter)?;
        apply::deploy(adapter, &self.migrations, &mut |_| {}).await
    }

    /// Compares the migrations with the database's history.
    ///
    /// # Errors
    ///
    /// [`MigrateError::ProviderMismatch`], or the database's error.
    pub async fn status(&self, adapter: &dyn Adapter) -> MigrateResult<MigrationStatus> {
        self.check_provider(adapter)?;
        apply::status(adapter, &self.migrations).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_migrations_keep_order_and_provider() {
        let m = Migrations::__embedded(
            Some("# x\nprovider = \"sqlite\"\n"),
            &[("1_init", "SELECT 1;"), ("2_next", "SELECT 2;")],
        );
        assert_eq!(m.provider(), Some("sqlite"));
        assert_eq!(m.migrations()[1].name, "2_next");
    }
}
