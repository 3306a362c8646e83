//! The `_prisma_migrations` history table, with Prisma's exact columns and types on each
//! backend, so that Prisma and this crate read and write each other's rows.
//!
//! Prisma's bookkeeping: a row is inserted when a migration starts (`finished_at` NULL),
//! `finished_at` and `applied_steps_count` are set when it succeeds, and a failure leaves
//! `finished_at` NULL with the error in `logs`. `resolve --rolled-back` sets `rolled_back_at`;
//! rolled-back rows are ignored. On SQLite timestamps are unix-epoch milliseconds.

use super::error::{MigrateError, MigrateResult};
use crate::adapter::Queryable;
use crate::sql::{Dialect, Sql};
use crate::value::{FromValue, Value};

/// The history table's name.
pub const TABLE: &str = "_prisma_migrations";

const POSTGRES_DDL: &str = r#"CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)"#;

const SQLITE_DDL: &str = r#"CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)"#;

/// One row of `_prisma_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// The row's id (a UUID v4).
    pub id: String,
    /// The checksum of the script when it was applied.
    pub checksum: String,
    /// The migration's folder name.
    pub migration_name: String,
    /// Whether `finished_at` is set: the migration completed.
    pub finished: bool,
    /// Whether `rolled_back_at` is set: the row is to be ignored.
    pub rolled_back: bool,
    /// What went wrong, for a failed migration.
    pub logs: Option<String>,
    /// The number of steps applied.
    pub applied_steps_count: i64,
}

impl HistoryRow {
    /// Whether this row records a failure not yet resolved.
    pub fn is_failed(&self) -> bool {
        !self.finished && !self.rolled_back
    }

    /// Whether this row records a successful application still in force.
    pub fn is_applied(&self) -> bool {
        self.finished && !self.rolled_back
    }
}

/// Placeholder `n` (1-based) in `dialect`.
fn p(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Sqlite => format!("?{n}"),
        _ => format!("${n}"),
    }
}

/// The current time as the dialect stores it: SQL for PostgreSQL, a bound epoch-ms for SQLite.
fn now(dialect: Dialect, n: usize, params: &mut Vec<Value>) -> String {
    match dialect {
        Dialect::Sqlite => {
            params.push(Value::BigInt(chrono::Utc::now().timestamp_millis()));
            p(dialect, n)
        }
        _ => "clock_timestamp()".to_owned(),
    }
}

/// Creates the table if it does not exist.
///
/// # Errors
///
/// The database's error.
pub async fn ensure_table(db: &dyn Queryable) -> MigrateResult<()> {
    let ddl = match db.dialect() {
        Dialect::Sqlite => SQLITE_DDL,
        _ => POSTGRES_DDL,
    };
    db.execute_script(ddl).await?;
    Ok(())
}

/// Whether the table exists.
///
/// # Errors
///
/// The database's error.
pub async fn exists(db: &dyn Queryable) -> MigrateResult<bool> {
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'"
        }
        _ => {
            "SELECT COUNT(*)::int8 AS n FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema() AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p')"
        }
    };
    let rows = db.query(&Sql::new(sql)).await?;
    let n = rows
        .rows()
        .next()
        .and_then(|r| r.value("n").cloned())
        .map(|v| i64::from_value(v, "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(n > 0)
}

/// Every row, oldest first. A missing table has none.
///
/// # Errors
///
/// The database's error, or [`MigrateError::Unexpected`] for a row of the wrong shape.
pub async fn read(db: &dyn Queryable) -> MigrateResult<Vec<HistoryRow>> {
    if !exists(db).await? {
        return Ok(Vec::new());
    }
    let sql = r#"SELECT "id", "checksum", "migration_name", "logs",
        CASE WHEN "finished_at" IS NULL THEN 0 ELSE 1 END AS "finished",
        CASE WHEN "rolled_back_at" IS NULL THEN 0 ELSE 1 END AS "rolled_back",
        "applied_steps_count"
        FROM "_prisma_migrations" ORDER BY "started_at", "migration_name""#;
    let rows = db.query(&Sql::new(sql)).await?;
    let unexpected = |e: crate::Error| MigrateError::Unexpected {
        what: "_prisma_migrations row",
        detail: e.to_string(),
    };
    let mut out = Vec::new();
    for row in rows.rows() {
        let get = |name: &str| row.value(name).cloned().unwrap_or(Value::Null);
        out.push(HistoryRow {
            id: String::from_value(get("id"), "id").map_err(unexpected)?,
            checksum: String::from_value(get("checksum"), "checksum").map_err(unexpected)?,
            migration_name: String::from_value(get("migration_name"), "migration_name")
                .map_err(unexpected)?,
            logs: Option::<String>::from_value(get("logs"), "logs").map_err(unexpected)?,
            finished: i64::from_value(get("finished"), "finished").map_err(unexpected)? != 0,
            rolled_back: i64::from_value(get("rolled_back"), "rolled_back").map_err(unexpected)?
                != 0,
            applied_steps_count: i64::from_value(get("applied_steps_count"), "applied_steps_count")
                .map_err(unexpected)?,
        });
    }
    Ok(out)
}

/// Records that `name` started: a new row with `finished_at` NULL. Returns the row's id.
///
/// # Errors
///
/// The database's error.
pub async fn record_started(
    db: &dyn Queryable,
    name: &str,
    checksum: &str,
) -> MigrateResult<String> {
    let d = db.dialect();
    let id = uuid::Uuid::new_v4().to_string();
    let mut params = vec![
        Value::String(id.clone()),
        Value::String(checksum.to_owned()),
        Value::String(name.to_owned()),
    ];
    let started = now(d, 4, &mut params);
    let sql = format!(
        r#"INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ({}, {}, {}, {started}, 0)"#,
        p(d, 1),
        p(d, 2),
        p(d, 3)
    );
    db.execute(&Sql::with_params(sql, params)).await?;
    Ok(id)
}

/// Records that the row `id` finished with `steps` steps applied.
///
/// # Errors
///
/// The database's error.
pub async fn record_finished(db: &dyn Queryable, id: &str, steps: i32) -> MigrateResult<()> {
    let d = db.dialect();
    let mut params = vec![Value::String(id.to_owned()), Value::Int(steps)];
    let finished = now(d, 3, &mut params);
    let sql = format!(
        r#"UPDATE "_prisma_migrations" SET "finished_at" = {finished}, "applied_steps_count" = {} WHERE "id" = {}"#,
        p(d, 2),
        p(d, 1)
    );
    db.execute(&Sql::with_params(sql, params)).await?;
    Ok(())
}

/// Records the failure of the row `id`: `logs` set, `finished_at` left NULL.
///
/// # Errors
///
/// The database's error.
pub async fn record_failed(db: &dyn Queryable, id: &str, logs: &str) -> MigrateResult<()> {
    let d = db.dialect();
    let sql = format!(
        r#"UPDATE "_prisma_migrations" SET "logs" = {} WHERE "id" = {}"#,
        p(d, 1),
        p(d, 2)
    );
    let params = vec![Value::String(logs.to_owned()), Value::String(id.to_owned())];
    db.execute(&Sql::with_params(sql, params)).await?;
    Ok(())
}

/// Marks every unfinished row of `name` rolled back (`resolve --rolled-back`).
///
/// # Errors
///
/// The database's error.
pub async fn record_rolled_back(db: &dyn Queryable, name: &str) -> MigrateResult<u64> {
    let d = db.dialect();
    let mut params = vec![Value::String(name.to_owned())];
    let at = now(d, 2, &mut params);
    let sql = format!(
        r#"UPDATE "_prisma_migrations" SET "rolled_back_at" = {at} WHERE "migration_name" = {} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL"#,
        p(d, 1)
    );
    Ok(db.execute(&Sql::with_params(sql, params)).await?)
}

/// Records `name` as applied without running it (`resolve --applied`): unfinished rows of it
/// are marked rolled back and a finished row with no applied steps is added, as Prisma does.
///
/// # Errors
///
/// The database's error.
pub async fn record_resolved_applied(
    db: &dyn Queryable,
    name: &str,
    checksum: &str,
) -> MigrateResult<()> {
    record_rolled_back(db, name).await?;
    let id = record_started(db, name, checksum).await?;
    record_finished(db, &id, 0).await
}
