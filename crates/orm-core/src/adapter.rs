//! The driver-adapter traits: how the runtime talks to a database.
//!
//! The client holds an `Arc<dyn Adapter>` and never learns which backend it runs on. An adapter
//! crate (`orm-pg`, `orm-sqlite`) implements [`Adapter`] for its pool and [`Transaction`] for a
//! connection inside a transaction.
//!
//! # Error contract
//!
//! Adapters convert every driver failure into [`Error`](crate::Error) at this boundary,
//! classifying by the database's code, never by message text, and keeping the original in a
//! [`DbError`](crate::DbError):
//!
//! | PostgreSQL SQLSTATE | SQLite extended code | `Error` variant |
//! | --- | --- | --- |
//! | `23505` | `SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY` | `UniqueViolation` |
//! | `23503` | `SQLITE_CONSTRAINT_FOREIGNKEY`, `SQLITE_CONSTRAINT_TRIGGER` (how SQLite reports `ON DELETE RESTRICT`) | `ForeignKeyViolation` |
//! | `23502` | `SQLITE_CONSTRAINT_NOTNULL` | `NotNullViolation` |
//! | `23514` | `SQLITE_CONSTRAINT_CHECK` | `CheckViolation` |
//! | `40001` | | `SerializationFailure` |
//! | `40P01` | | `Deadlock` |
//! | `22001` | | `ValueTooLong` |
//! | `22003` | `SQLITE_CONSTRAINT_FUNCTION` (raised by `orm_int4`/`orm_int8`, below) | `OutOfRange` |
//! | | `SQLITE_BUSY`, `SQLITE_LOCKED` | `Busy` |
//! | class `08` (but `08P01`), `57P01`, `57P02`, `57P03`, closed socket | | `ConnectionLost` |
//! | pool wait exceeded | pool wait exceeded | `PoolTimeout` |
//! | any other | any other | `Database` |
//!
//! A unique violation carries the constraint name (PostgreSQL) or the column names (SQLite,
//! parsed from "UNIQUE constraint failed: T.c" by one function); the client resolves the
//! rest through the schema.
//!
//! # SQLite functions
//!
//! SQLite computes integers in 64 bits, turns an overflow into a REAL and never fails a
//! `CAST`, so the SQLite dialect writes arithmetic updates of `Int` and `BigInt` columns
//! through two functions every SQLite adapter registers on each connection
//! ([`Cast::Int`](crate::query::Cast::Int)):
//!
//! - `orm_int4(x)`: `x` when it is NULL or an integer in `i32`'s range;
//! - `orm_int8(x)`: `x` when it is NULL or an integer (any `i64`);
//!
//! otherwise the function fails with the extended code `SQLITE_CONSTRAINT_FUNCTION`, which
//! aborts the statement (SQLite undoes its changes) and maps to `OutOfRange`.
//!
//! # Transactions
//!
//! A [`Transaction`] owns one connection from `begin` until `commit` or `rollback`. Dropping
//! it without either rolls back, and its connection never returns to the pool while a
//! transaction is open on it: the adapter rolls back first, or discards the connection.

use std::time::Duration;

use async_trait::async_trait;

use crate::error::Result;
use crate::row::{ResultSet, RowCursor};
use crate::sql::{Dialect, Sql};

/// What [`Queryable::query_each`] hands each row to.
pub type EachRow<'a> = dyn FnMut(&mut RowCursor<'_>) -> Result<()> + Send + 'a;

/// Something statements can run on: a pool, a held connection, or a transaction.
#[async_trait]
pub trait Queryable: Send + Sync {
    /// The SQL dialect statements must be written in.
    fn dialect(&self) -> Dialect;

    /// Runs one statement and returns its rows.
    ///
    /// # Errors
    ///
    /// Any [`Error`](crate::Error), mapped as in the module's error contract.
    async fn query(&self, sql: &Sql) -> Result<ResultSet>;

    /// Runs one statement and hands each row to `each` as it is read, instead of collecting a
    /// [`ResultSet`]; returns the number of rows. `each` moves what it needs out of the row
    /// (typed decoding: [`FromRow`](crate::FromRow)); the adapter reuses the row's buffer for
    /// the next one. An error from `each` stops the statement and is returned.
    ///
    /// The default runs [`query`](Queryable::query) and walks its result; adapters override it
    /// to decode straight from the driver's rows.
    ///
    /// # Errors
    ///
    /// As [`query`](Queryable::query), or the first error of `each`.
    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        self.query(sql).await?.for_each_row(each)
    }

    /// Runs one statement and returns the number of rows it affected.
    ///
    /// # Errors
    ///
    /// Any [`Error`](crate::Error), mapped as in the module's error contract.
    async fn execute(&self, sql: &Sql) -> Result<u64>;

    /// Runs a script of several `;`-separated statements without parameters (migrations).
    ///
    /// # Errors
    ///
    /// The first failing statement's error.
    async fn execute_script(&self, script: &str) -> Result<()>;
}

/// A database the client can use: a pool of connections behind [`Queryable`], plus
/// transactions, held connections and what the backend can do.
#[async_trait]
pub trait Adapter: Queryable {
    /// What this backend supports.
    fn capabilities(&self) -> Capabilities;

    /// Takes a connection from the pool and begins a transaction on it.
    ///
    /// # Errors
    ///
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout) when no connection frees up within
    /// `options.max_wait` (or the pool's own timeout), or the error of `BEGIN`.
    async fn begin(&self, options: &TransactionOptions) -> Result<Box<dyn Transaction>>;

    /// Takes a connection from the pool and holds it until the returned value is dropped, so
    /// that several statements share one session (a migration's advisory lock).
    ///
    /// # Errors
    ///
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout) when no connection frees up in time.
    async fn connection(&self) -> Result<Box<dyn Queryable>>;

    /// The pool's current state.
    fn pool_status(&self) -> PoolStatus;
}

/// A transaction on one connection. Dropping it without [`commit`](Transaction::commit) rolls
/// back.
#[async_trait]
pub trait Transaction: Queryable {
    /// Commits, then returns the connection to the pool.
    ///
    /// # Errors
    ///
    /// The error of `COMMIT` (a serialization failure can surface here); the transaction is
    /// over either way.
    async fn commit(self: Box<Self>) -> Result<()>;

    /// Rolls back, then returns the connection to the pool.
    ///
    /// # Errors
    ///
    /// The error of `ROLLBACK`; the connection is discarded rather than reused in that case.
    async fn rollback(self: Box<Self>) -> Result<()>;
}

/// Transaction isolation levels, as Prisma names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IsolationLevel {
    /// `READ UNCOMMITTED` (PostgreSQL runs it as `READ COMMITTED`).
    ReadUncommitted,
    /// `READ COMMITTED`, PostgreSQL's default.
    ReadCommitted,
    /// `REPEATABLE READ`.
    RepeatableRead,
    /// `SERIALIZABLE`. SQLite transactions are always serializable.
    Serializable,
}

impl IsolationLevel {
    /// The SQL spelling (`"REPEATABLE READ"`).
    pub fn as_sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}

/// How to begin a transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionOptions {
    /// The isolation level; `None` keeps the database's default.
    pub isolation_level: Option<IsolationLevel>,
    /// Whether the transaction only reads. On SQLite a read-only transaction begins
    /// `DEFERRED`; any other begins `IMMEDIATE`, taking the write lock up front so that it
    /// waits for other writers instead of failing later with `SQLITE_BUSY`.
    pub read_only: bool,
    /// How long to wait for a connection from the pool; `None` uses the pool's timeout.
    pub max_wait: Option<Duration>,
}

/// What a backend can do, for the query planner and for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// The most bind parameters one statement may carry.
    pub max_bind_parameters: usize,
    /// Whether scalar list columns (`String[]`) exist.
    pub scalar_lists: bool,
    /// Whether the `join` relation load strategy (`LATERAL` + JSON aggregation) is available.
    pub relation_joins: bool,
    /// Whether enums are native database types (PostgreSQL) rather than text.
    pub native_enums: bool,
    /// The isolation levels that [`Adapter::begin`] accepts.
    pub isolation_levels: &'static [IsolationLevel],
}

impl Capabilities {
    /// The capabilities of a dialect's standard build.
    pub fn for_dialect(dialect: Dialect, max_bind_parameters: usize) -> Self {
        match dialect {
            Dialect::Postgres => Capabilities {
                max_bind_parameters,
                scalar_lists: true,
                relation_joins: true,
                native_enums: true,
                isolation_levels: &[
                    IsolationLevel::ReadUncommitted,
                    IsolationLevel::ReadCommitted,
                    IsolationLevel::RepeatableRead,
                    IsolationLevel::Serializable,
                ],
            },
            Dialect::Sqlite => Capabilities {
                max_bind_parameters,
                scalar_lists: false,
                relation_joins: false,
                native_enums: false,
                isolation_levels: &[IsolationLevel::Serializable],
            },
        }
    }
}

/// A snapshot of a connection pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolStatus {
    /// The most connections the pool opens.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections not in use.
    pub idle: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}
