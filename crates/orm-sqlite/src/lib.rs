//! SQLite adapter for `orm-core` over rusqlite with the bundled SQLite: WAL mode, foreign keys
//! on, concurrent readers and one serialized writer, blocking work kept off the async
//! runtime's worker threads.
//!
//! ```
//! use orm_core::{Adapter, Queryable, Sql, TransactionOptions, Value};
//! use orm_sqlite::SqliteAdapter;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> orm_core::Result<()> {
//! let db = SqliteAdapter::open(":memory:").await?;
//! db.execute_script(r#"CREATE TABLE "User" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL UNIQUE)"#)
//!     .await?;
//!
//! let tx = db.begin(&TransactionOptions::default()).await?;
//! tx.execute(&Sql::with_params(
//!     r#"INSERT INTO "User" ("email") VALUES (?1)"#,
//!     vec![Value::from("a@b.co")],
//! ))
//! .await?;
//! tx.commit().await?;
//!
//! let rows = db.query(&Sql::new(r#"SELECT "id", "email" FROM "User""#)).await?;
//! let users: Vec<(i32, String)> = rows.decode()?;
//! assert_eq!(users, [(1, "a@b.co".to_owned())]);
//!
//! let duplicate = Sql::with_params(r#"INSERT INTO "User" ("email") VALUES (?1)"#, vec!["a@b.co".into()]);
//! let err = db.execute(&duplicate).await.unwrap_err();
//! assert_eq!(err.prisma_code(), Some("P2002"));
//! # Ok(())
//! # }
//! ```
//!
//! # Opening
//!
//! [`SqliteAdapter::open`] takes a URL as Prisma writes it (`file:./dev.db`,
//! `file:dev.db?connection_limit=5&socket_timeout=10`, `:memory:`; see
//! [`SqliteConfig::from_url`]); [`SqliteAdapter::with_config`] takes a [`SqliteConfig`] built in
//! code. Every connection has `foreign_keys=ON`, the busy timeout, an LRU cache of prepared
//! statements, and SQLite's query planner stability guarantee (plans do not depend on bound
//! values, so a cached statement with `LIKE ?` is not compiled again on every run), and the
//! range guards `orm_int4`/`orm_int8` that make an arithmetic update overflowing an `Int` or
//! `BigInt` column fail with [`Error::OutOfRange`] (P2020) as on PostgreSQL, writing nothing;
//! a file database is switched to WAL.
//!
//! # The pool
//!
//! One writer connection and `connection_limit - 1` readers. A statement whose text starts
//! with `SELECT`, `WITH`, `VALUES` or `EXPLAIN` goes to a reader, unless SQLite reports that
//! it writes (`sqlite3_stmt_readonly`), in which case it moves to the writer; everything else
//! goes to the writer. Writers queue for the writer in arrival order, so concurrent writes
//! in one process never fail with `SQLITE_BUSY`. A caller that waits longer than the pool
//! timeout gets [`Error::PoolTimeout`]. How the blocking calls leave the runtime's worker
//! threads, and what that costs, is described in `pool.rs` and measured in `BENCHMARKS.md`.
//!
//! An in-memory database uses SQLite's `memdb` VFS so that all the pool's connections share
//! it. It has no WAL: while a write transaction is open, readers wait for it (up to the busy
//! timeout).
//!
//! # Transactions
//!
//! [`Adapter::begin`] takes the writer and sends `BEGIN IMMEDIATE`, taking SQLite's write lock
//! up front; with [`TransactionOptions::read_only`] it takes a reader and sends
//! `BEGIN DEFERRED`, and writes inside it fail (the reader is `query_only`). SQLite
//! transactions are serializable: `IsolationLevel::Serializable` is accepted and changes
//! nothing, any other level is [`Error::Unsupported`] (as Prisma rejects it on SQLite).
//! Dropping a [`SqliteTransaction`] without committing rolls it back on a blocking thread
//! before its connection returns to the pool; should that not happen (the runtime shutting
//! down), the connection's next user rolls back first.
//!
//! # Values and errors
//!
//! Values are stored as Prisma 7 stores them (`DateTime` as ISO-8601 text, `Boolean` as 0/1,
//! `Decimal` as exact text, …); the table is in `value.rs`. Errors map by SQLite extended
//! result code as the `orm_core::adapter` error contract says; the table is in `error.rs`.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod codes;
mod config;
mod conn;
mod error;
mod pool;
mod value;

use std::borrow::Cow;

use async_trait::async_trait;
use orm_core::{
    Adapter, Capabilities, Dialect, EachRow, Error, IsolationLevel, PoolStatus, Queryable, Result,
    ResultSet, Sql, Transaction, TransactionOptions,
};

pub use config::SqliteConfig;

use conn::{Op, Outcome, Role};
use pool::{Lease, Pool};

/// The most bind parameters one statement may carry in the bundled SQLite
/// (`SQLITE_MAX_VARIABLE_NUMBER`).
const MAX_BIND_PARAMETERS: usize = 32_766;

/// A SQLite database behind a pool of connections: the [`Adapter`] for SQLite.
#[derive(Debug, Clone)]
pub struct SqliteAdapter {
    pool: Pool,
}

impl SqliteAdapter {
    /// Opens the database a Prisma-style URL names (see [`SqliteConfig::from_url`]),
    /// creating the file if it does not exist.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a URL that does not parse; the SQLite error when the file
    /// cannot be opened or the connection set up.
    pub async fn open(url: &str) -> Result<SqliteAdapter> {
        Self::with_config(SqliteConfig::from_url(url)?).await
    }

    /// Opens the database `config` describes, with all its connections.
    ///
    /// # Errors
    ///
    /// The SQLite error when the file cannot be opened or a connection set up.
    pub async fn with_config(config: SqliteConfig) -> Result<SqliteAdapter> {
        Ok(SqliteAdapter {
            pool: Pool::open(config).await?,
        })
    }

    /// Runs `op` in autocommit mode: on a reader when the statement may only read, else (or
    /// when it turns out to write) on the writer.
    async fn run(&self, op: Op<'_>, text: &str) -> Result<Outcome> {
        if self.pool.has_readers() && may_only_read(text) {
            let lease = self.pool.acquire(Role::Reader, None).await?;
            match lease.run(op.clone(), true).await? {
                Outcome::NeedsWriter => {}
                outcome => return Ok(outcome),
            }
        }
        let lease = self.pool.acquire(Role::Writer, None).await?;
        lease.run(op, true).await
    }
}

/// Whether the statement's first keyword is one of those that start a read: such a statement
/// is tried on a reader (which checks with SQLite before running it).
fn may_only_read(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let word = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    ["SELECT", "WITH", "VALUES", "EXPLAIN"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

fn into_rows(outcome: Outcome) -> Result<ResultSet> {
    match outcome {
        Outcome::Rows(rows) => Ok(rows),
        other => Err(unexpected(other)),
    }
}

fn into_count(outcome: Outcome) -> Result<u64> {
    match outcome {
        Outcome::Count(count) => Ok(count),
        other => Err(unexpected(other)),
    }
}

/// An outcome that does not answer the operation: a bug in this crate, reported rather than
/// panicking.
fn unexpected(outcome: Outcome) -> Error {
    Error::Database(Box::new(orm_core::DbError {
        code: "SQLITE_INTERNAL".to_owned(),
        message: format!("orm-sqlite produced an unexpected outcome: {outcome:?}"),
        ..orm_core::DbError::default()
    }))
}

#[async_trait]
impl Queryable for SqliteAdapter {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        into_rows(self.run(Op::Query(Cow::Borrowed(sql)), &sql.text).await?)
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        if self.pool.has_readers() && may_only_read(&sql.text) {
            let lease = self.pool.acquire(Role::Reader, None).await?;
            match lease.run_each(sql, true, each).await? {
                Outcome::NeedsWriter => {}
                outcome => return into_count(outcome),
            }
        }
        let lease = self.pool.acquire(Role::Writer, None).await?;
        into_count(lease.run_each(sql, true, each).await?)
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        into_count(self.run(Op::Execute(Cow::Borrowed(sql)), &sql.text).await?)
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        let lease = self.pool.acquire(Role::Writer, None).await?;
        lease.run(Op::Script(Cow::Borrowed(script)), true).await?;
        Ok(())
    }
}

#[async_trait]
impl Adapter for SqliteAdapter {
    fn capabilities(&self) -> Capabilities {
        Capabilities::for_dialect(Dialect::Sqlite, MAX_BIND_PARAMETERS)
    }

    async fn begin(&self, options: &TransactionOptions) -> Result<Box<dyn Transaction>> {
        match options.isolation_level {
            None | Some(IsolationLevel::Serializable) => {}
            Some(level) => {
                return Err(Error::Unsupported {
                    feature: format!("isolation level {}", level.as_sql()),
                    dialect: Dialect::Sqlite,
                });
            }
        }
        let role = if options.read_only {
            Role::Reader
        } else {
            Role::Writer
        };
        let lease = self.pool.acquire(role, options.max_wait).await?;
        let immediate = lease.role() == Role::Writer && !options.read_only;
        lease.run(Op::Begin(immediate), true).await?;
        Ok(Box::new(SqliteTransaction { lease: Some(lease) }))
    }

    async fn connection(&self) -> Result<Box<dyn Queryable>> {
        let lease = self.pool.acquire(Role::Writer, None).await?;
        Ok(Box::new(SqliteConnection { lease: Some(lease) }))
    }

    fn pool_status(&self) -> PoolStatus {
        self.pool.status()
    }
}

/// A transaction on one connection of a [`SqliteAdapter`]. Dropping it without
/// [`commit`](Transaction::commit) rolls back before the connection is reused.
#[derive(Debug)]
pub struct SqliteTransaction {
    lease: Option<Lease>,
}

/// A connection of a [`SqliteAdapter`] held for several statements: the writer, so other
/// writers wait while it is held (readers do not). A transaction left open on it is rolled
/// back when it is dropped.
#[derive(Debug)]
pub struct SqliteConnection {
    lease: Option<Lease>,
}

/// Runs `op` on a held lease (a transaction or a held connection): no pooled checks.
async fn run_held(lease: Option<&Lease>, op: Op<'_>) -> Result<Outcome> {
    held(lease)?.run(op, false).await
}

/// The lease of a transaction or held connection, while it has one.
fn held(lease: Option<&Lease>) -> Result<&Lease> {
    lease.ok_or(Error::TransactionClosed {
        state: "rolled back",
    })
}

macro_rules! held_queryable {
    ($ty:ty) => {
        #[async_trait]
        impl Queryable for $ty {
            fn dialect(&self) -> Dialect {
                Dialect::Sqlite
            }

            async fn query(&self, sql: &Sql) -> Result<ResultSet> {
                into_rows(run_held(self.lease.as_ref(), Op::Query(Cow::Borrowed(sql))).await?)
            }

            async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
                into_count(
                    held(self.lease.as_ref())?
                        .run_each(sql, false, each)
                        .await?,
                )
            }

            async fn execute(&self, sql: &Sql) -> Result<u64> {
                into_count(run_held(self.lease.as_ref(), Op::Execute(Cow::Borrowed(sql))).await?)
            }

            async fn execute_script(&self, script: &str) -> Result<()> {
                run_held(self.lease.as_ref(), Op::Script(Cow::Borrowed(script))).await?;
                Ok(())
            }
        }

        impl Drop for $ty {
            fn drop(&mut self) {
                if let Some(lease) = self.lease.take() {
                    lease.release_rolling_back();
                }
            }
        }
    };
}

held_queryable!(SqliteTransaction);
held_queryable!(SqliteConnection);

#[async_trait]
impl Transaction for SqliteTransaction {
    async fn commit(mut self: Box<Self>) -> Result<()> {
        let lease = self.lease.take();
        run_held(lease.as_ref(), Op::Commit).await.map(drop)
    }

    async fn rollback(mut self: Box<Self>) -> Result<()> {
        let lease = self.lease.take();
        run_held(lease.as_ref(), Op::Rollback).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_bind_parameters_is_the_bundled_limit() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        assert!(
            conn.prepare(&format!("SELECT ?{MAX_BIND_PARAMETERS}"))
                .is_ok()
        );
        let over = format!("SELECT ?{}", MAX_BIND_PARAMETERS + 1);
        assert!(conn.prepare(&over).is_err());
    }

    #[test]
    fn reads_are_recognised_past_whitespace_and_comments() {
        for text in [
            "SELECT 1",
            "  select * from t",
            "-- note\nSELECT 1",
            "/* a */ WITH x AS (SELECT 1) SELECT * FROM x",
            "VALUES (1)",
        ] {
            assert!(may_only_read(text), "{text}");
        }
        for text in [
            "INSERT INTO t VALUES (1)",
            "PRAGMA foreign_keys",
            "-- SELECT\nDELETE FROM t",
            "SELECTED",
            "",
        ] {
            assert!(!may_only_read(text), "{text}");
        }
    }
}
