//! Applying migrations and reading their status: `migrate deploy`, `migrate status` and
//! `migrate resolve`, on top of the history table.

use std::time::{Duration, Instant};

use tracing::Instrument;

use super::error::{MigrateError, MigrateResult};
use super::folder::{LocalMigration, checksum_matches};
use super::history::{self, HistoryRow};
use super::script::{first_keyword, split_statements};
use crate::adapter::{Adapter, Queryable};
use crate::sql::{Dialect, Sql};
use crate::value::{FromValue, Value};

/// Prisma's advisory lock key for migrations on PostgreSQL. Holding the same key excludes
/// Prisma's own `migrate deploy` too.
pub const ADVISORY_LOCK_KEY: i64 = 72_707_369;

/// How long a deployment waits for another one to release the lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A migration that was applied, and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    /// The migration's folder name.
    pub name: String,
    /// How long its statements took.
    pub duration: Duration,
}

/// How the migrations folder and the history table compare.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MigrationStatus {
    /// Local migrations applied to the database, in order.
    pub applied: Vec<String>,
    /// Local migrations not applied yet, in order.
    pub pending: Vec<String>,
    /// Migrations recorded as failed and not resolved.
    pub failed: Vec<String>,
    /// Applied migrations whose file changed since (checksum differs).
    pub edited: Vec<String>,
    /// Migrations applied to the database that the folder does not have.
    pub missing_locally: Vec<String>,
}

impl MigrationStatus {
    /// Whether the database has exactly the folder's migrations, none failed or edited.
    pub fn is_up_to_date(&self) -> bool {
        self.pending.is_empty()
            && self.failed.is_empty()
            && self.edited.is_empty()
            && self.missing_locally.is_empty()
    }

    /// Compares the folder's migrations with the history rows.
    pub fn compute(local: &[LocalMigration], history: &[HistoryRow]) -> MigrationStatus {
        let mut status = MigrationStatus::default();
        for migration in local {
            let rows: Vec<&HistoryRow> = history
                .iter()
                .filter(|r| r.migration_name == migration.name)
                .collect();
            match rows.iter().rev().find(|r| r.is_applied()) {
                Some(row) => {
                    status.applied.push(migration.name.clone());
                    if !checksum_matches(&migration.script, &row.checksum) {
                        status.edited.push(migration.name.clone());
                    }
                }
                None if rows.iter().any(|r| r.is_failed()) => {
                    status.failed.push(migration.name.clone());
                }
                None => status.pending.push(migration.name.clone()),
            }
        }
        for row in history {
            let known = local.iter().any(|m| m.name == row.migration_name);
            if !known && !row.rolled_back {
                if row.is_failed() {
                    push_unique(&mut status.failed, &row.migration_name);
                } else {
                    push_unique(&mut status.missing_locally, &row.migration_name);
                }
            }
        }
        status
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_owned());
    }
}

/// Reads the status of `migrations` against the database.
///
/// # Errors
///
/// The database's error.
pub async fn status(
    adapter: &dyn Adapter,
    migrations: &[LocalMigration],
) -> MigrateResult<MigrationStatus> {
    let history = history::read(adapter).await?;
    Ok(MigrationStatus::compute(migrations, &history))
}

/// Applies the pending migrations in order, each in a transaction where the backend allows,
/// calling `on_applied` after each one.
///
/// On PostgreSQL the whole run holds Prisma's advisory lock (key 72707369), waiting up to
/// 10 s for another deployment to finish, so concurrent deployments apply each migration once.
///
/// # Errors
///
/// - [`MigrateError::FailedMigrationRecorded`] when a failed migration is recorded;
/// - [`MigrateError::Edited`] when an applied migration's file changed;
/// - [`MigrateError::Apply`] when a statement fails: the migration is recorded as failed
///   (`finished_at` NULL, the error in `logs`) and the following ones are not applied;
/// - [`MigrateError::LockTimeout`], or the database's error.
pub async fn deploy(
    adapter: &dyn Adapter,
    migrations: &[LocalMigration],
    on_applied: &mut (dyn FnMut(&AppliedMigration) + Send),
) -> MigrateResult<Vec<AppliedMigration>> {
    let conn = adapter.connection().await?;
    let conn: &dyn Queryable = &*conn;
    with_lock(conn, async {
        history::ensure_table(conn).await?;
        let history = history::read(conn).await?;
        let status = MigrationStatus::compute(migrations, &history);
        if let Some(failed) = status.failed.first() {
            return Err(MigrateError::FailedMigrationRecorded {
                migration: failed.clone(),
            });
        }
        if let Some(edited) = status.edited.first() {
            return Err(MigrateError::Edited {
                migration: edited.clone(),
            });
        }
        let mut applied = Vec::new();
        for migration in migrations
            .iter()
            .filter(|m| status.pending.contains(&m.name))
        {
            let done = apply_migration(conn, migration).await?;
            on_applied(&done);
            applied.push(done);
        }
        Ok(applied)
    })
    .await
}

/// Runs `body` holding the migration lock (PostgreSQL's advisory lock; nothing on SQLite).
pub(crate) async fn with_lock<T>(
    conn: &dyn Queryable,
    body: impl Future<Output = MigrateResult<T>>,
) -> MigrateResult<T> {
    if conn.dialect() != Dialect::Postgres {
        return body.await;
    }
    let start = Instant::now();
    let try_lock = Sql::new(format!(
        "SELECT pg_try_advisory_lock({ADVISORY_LOCK_KEY}) AS locked"
    ));
    loop {
        let rows = conn.query(&try_lock).await?;
        let locked = rows
            .rows()
            .next()
            .and_then(|r| r.value("locked").cloned())
            .map(|v| bool::from_value(v, "locked"))
            .transpose()?
            .unwrap_or(false);
        if locked {
            break;
        }
        if start.elapsed() >= LOCK_WAIT {
            return Err(MigrateError::LockTimeout {
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let result = body.await;
    let unlock = conn
        .query(&Sql::new(format!(
            "SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY}) AS unlocked"
        )))
        .await;
    match (result, unlock) {
        (Ok(value), Ok(_)) => Ok(value),
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), _) => Err(e),
    }
}

/// Whether a script can run inside one transaction: not when it manages transactions itself,
/// changes SQLite pragmas (which a transaction ignores), or builds indexes concurrently.
fn runs_in_transaction(statements: &[super::script::Statement<'_>]) -> bool {
    !statements.iter().any(|s| {
        matches!(
            first_keyword(s.text).as_str(),
            "BEGIN" | "COMMIT" | "ROLLBACK" | "END" | "START" | "PRAGMA" | "VACUUM"
        ) || s.text.to_ascii_uppercase().contains(" CONCURRENTLY ")
    })
}

/// A statement of a script that failed.
struct Failure {
    statement: String,
    line: usize,
    error: crate::Error,
}

/// Runs `script` statement by statement on `conn`, inside one transaction unless the script
/// manages transactions or pragmas itself. Stops at the first failing statement, rolling the
/// transaction back.
async fn execute_statements(
    conn: &dyn Queryable,
    script: &str,
    before_commit: Option<(&str, i32)>,
) -> MigrateResult<Result<(), Failure>> {
    let statements = split_statements(script);
    let transactional = runs_in_transaction(&statements);
    if transactional {
        conn.execute_script("BEGIN").await?;
    }
    for statement in &statements {
        if let Err(error) = conn.execute_script(statement.text).await {
            if transactional {
                // The transaction is aborted; the rollback's own failure changes nothing.
                let _ = conn.execute_script("ROLLBACK").await;
            }
            return Ok(Err(Failure {
                statement: statement.text.to_owned(),
                line: statement.line,
                error,
            }));
        }
    }
    if let Some((id, steps)) = before_commit {
        history::record_finished(conn, id, steps).await?;
    }
    if transactional {
        conn.execute_script("COMMIT").await?;
    }
    Ok(Ok(()))
}

/// Runs the script of a migration named `name` on one connection of `adapter`, in a
/// transaction where possible, without recording it (a shadow database's replay, `db push`).
///
/// # Errors
///
/// [`MigrateError::Apply`] naming the failing statement and its line, or the database's error.
pub async fn run_script(adapter: &dyn Adapter, name: &str, script: &str) -> MigrateResult<()> {
    let conn = adapter.connection().await?;
    execute_statements(&*conn, script, None)
        .await?
        .map_err(|f| MigrateError::Apply {
            migration: name.to_owned(),
            statement: f.statement,
            line: f.line,
            source: Box::new(f.error),
        })
}

/// Applies one migration on `conn` and records it, as Prisma records it.
pub(crate) async fn apply_migration(
    conn: &dyn Queryable,
    migration: &LocalMigration,
) -> MigrateResult<AppliedMigration> {
    let span = tracing::info_span!(
        target: "orm::migrate",
        "orm.migration",
        migration = migration.name.as_str(),
        outcome = tracing::field::Empty,
        duration_us = tracing::field::Empty,
    );
    let id = history::record_started(conn, &migration.name, &migration.checksum())
        .instrument(span.clone())
        .await?;
    let start = Instant::now();
    let outcome = execute_statements(conn, &migration.script, Some((&id, 1)))
        .instrument(span.clone())
        .await?;
    span.record(
        "duration_us",
        crate::client::telemetry::micros(start.elapsed()),
    );
    span.record(
        "outcome",
        if outcome.is_ok() { "applied" } else { "failed" },
    );
    match outcome {
        Ok(()) => Ok(AppliedMigration {
            name: migration.name.clone(),
            duration: start.elapsed(),
        }),
        Err(f) => {
            let logs = failure_logs(&migration.name, &f.statement, f.line, &f.error);
            history::record_failed(conn, &id, &logs).await?;
            Err(MigrateError::Apply {
                migration: migration.name.clone(),
                statement: f.statement,
                line: f.line,
                source: Box::new(f.error),
            })
        }
    }
}

/// Drops everything in the database (PostgreSQL: the current schema, recreated empty; SQLite:
/// every table and view), as `migrate reset` does before reapplying the migrations.
///
/// # Errors
///
/// The database's error.
pub async fn reset_database(adapter: &dyn Adapter) -> MigrateResult<()> {
    let conn = adapter.connection().await?;
    match conn.dialect() {
        Dialect::Sqlite => {
            let objects = conn
                .query(&Sql::new(
                    "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'",
                ))
                .await?;
            let mut script = String::from("PRAGMA foreign_keys=OFF;\n");
            for row in objects.rows() {
                let column = |name: &str| {
                    String::from_value(row.value(name).cloned().unwrap_or(Value::Null), name)
                };
                let (kind, name) = (column("type")?, column("name")?);
                let kind = if kind == "view" { "VIEW" } else { "TABLE" };
                script.push_str(&format!(
                    "DROP {kind} IF EXISTS {};\n",
                    super::render::ident(&name)
                ));
            }
            script.push_str("PRAGMA foreign_keys=ON;");
            conn.execute_script(&script).await?;
        }
        _ => {
            let rows = conn
                .query(&Sql::new("SELECT current_schema()::text AS name"))
                .await?;
            let schema = rows
                .rows()
                .next()
                .and_then(|r| r.value("name").cloned())
                .map(|v| String::from_value(v, "name"))
                .transpose()?
                .unwrap_or_else(|| "public".to_owned());
            let schema = super::render::ident(&schema);
            conn.execute_script(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE;\nCREATE SCHEMA {schema};"
            ))
            .await?;
        }
    }
    Ok(())
}

fn failure_logs(name: &str, statement: &str, line: usize, error: &crate::Error) -> String {
    let (code, message) = match error.db_error() {
        Some(db) => (db.code.clone(), db.message.clone()),
        None => (String::new(), error.to_string()),
    };
    format!(
        "Migration name: {name}\n\nDatabase error code: {code}\n\nDatabase error:\n{message}\n\n\
         Failing statement (line {line} of migration.sql):\n{statement}\n"
    )
}

/// Records `name` as applied without running it (`migrate resolve --applied`).
///
/// # Errors
///
/// [`MigrateError::UnknownMigration`] when the folder lacks it,
/// [`MigrateError::CannotResolve`] when it is already applied, or the database's error.
pub async fn resolve_applied(
    adapter: &dyn Adapter,
    migrations: &[LocalMigration],
    name: &str,
) -> MigrateResult<()> {
    let migration = migrations.iter().find(|m| m.name == name).ok_or_else(|| {
        MigrateError::UnknownMigration {
            migration: name.to_owned(),
        }
    })?;
    history::ensure_table(adapter).await?;
    let rows = history::read(adapter).await?;
    if rows
        .iter()
        .any(|r| r.migration_name == name && r.is_applied())
    {
        return Err(MigrateError::CannotResolve {
            migration: name.to_owned(),
            reason: "it is already recorded as applied",
        });
    }
    history::record_resolved_applied(adapter, name, &migration.checksum()).await
}

/// Marks a failed migration rolled back, so that `deploy` applies it again
/// (`migrate resolve --rolled-back`).
///
/// # Errors
///
/// [`MigrateError::CannotResolve`] when it is not recorded as failed, or the database's error.
pub async fn resolve_rolled_back(adapter: &dyn Adapter, name: &str) -> MigrateResult<()> {
    let rows = history::read(adapter).await?;
    if !rows
        .iter()
        .any(|r| r.migration_name == name && r.is_failed())
    {
        return Err(MigrateError::CannotResolve {
            migration: name.to_owned(),
            reason: "it is not recorded as failed",
        });
    }
    history::record_rolled_back(adapter, name).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(name: &str, script: &str) -> LocalMigration {
        LocalMigration {
            name: name.into(),
            script: script.into(),
        }
    }

    fn row(name: &str, script: &str, finished: bool, rolled_back: bool) -> HistoryRow {
        HistoryRow {
            id: name.into(),
            checksum: super::super::folder::checksum(script.as_bytes()),
            migration_name: name.into(),
            finished,
            rolled_back,
            logs: None,
            applied_steps_count: i64::from(finished),
        }
    }

    #[test]
    fn status_sorts_migrations_into_applied_pending_failed_and_edited() {
        let folder = [
            local("1_a", "A;"),
            local("2_b", "B;"),
            local("3_c", "C;"),
            local("4_d", "D;"),
        ];
        let history = [
            row("1_a", "A;", true, false),
            row("2_b", "B (old);", true, false),
            row("3_c", "C;", false, false),
            row("9_gone", "G;", true, false),
        ];
        let status = MigrationStatus::compute(&folder, &history);
        assert_eq!(status.applied, ["1_a", "2_b"]);
        assert_eq!(status.edited, ["2_b"]);
        assert_eq!(status.failed, ["3_c"]);
        assert_eq!(status.pending, ["4_d"]);
        assert_eq!(status.missing_locally, ["9_gone"]);
        assert!(!status.is_up_to_date());
    }

    #[test]
    fn rolled_back_failure_is_pending_again() {
        let folder = [local("1_a", "A;")];
        let history = [row("1_a", "A;", false, true)];
        let status = MigrationStatus::compute(&folder, &history);
        assert_eq!(status.pending, ["1_a"]);
        assert!(status.failed.is_empty());
    }

    #[test]
    fn transaction_control_and_pragmas_run_outside_a_transaction() {
        assert!(runs_in_transaction(&split_statements(
            "CREATE TABLE a (x int);"
        )));
        assert!(!runs_in_transaction(&split_statements(
            "BEGIN;\nALTER TYPE x RENAME TO y;\nCOMMIT;"
        )));
        assert!(!runs_in_transaction(&split_statements(
            "PRAGMA foreign_keys=OFF;"
        )));
    }
}
