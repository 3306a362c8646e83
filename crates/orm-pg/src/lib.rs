//! PostgreSQL adapter for `orm-core`: tokio-postgres connections in a deadpool pool (the generic
//! `deadpool::managed` pool with this crate's own manager, not deadpool-postgres), prepared
//! statements cached per connection, and a PgBouncer-safe mode.
//!
//! ```no_run
//! use orm_core::{Adapter, Queryable, Sql, TransactionOptions, Value};
//! use orm_pg::PgAdapter;
//!
//! # async fn example() -> orm_core::Result<()> {
//! let db = PgAdapter::connect("postgresql://postgres@localhost:5432/app?connection_limit=5").await?;
//! let rows = db
//!     .query(&Sql::with_params(
//!         r#"SELECT "id", "email" FROM "User" WHERE "email" = $1"#,
//!         vec![Value::from("a@b.co")],
//!     ))
//!     .await?;
//! let users: Vec<(i32, String)> = rows.decode()?;
//!
//! let tx = db.begin(&TransactionOptions::default()).await?;
//! tx.execute(&Sql::with_params(
//!     r#"UPDATE "User" SET "name" = $1 WHERE "id" = $2"#,
//!     vec![Value::from("Ada"), Value::Int(users[0].0)],
//! ))
//! .await?;
//! tx.commit().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Connecting
//!
//! [`PgAdapter::connect`] reads a `postgres://` or `postgresql://` URL with Prisma's
//! parameters (`connection_limit`, `pool_timeout`, `connect_timeout`, `schema`, `pgbouncer`,
//! `statement_cache_size`, `sslmode`); [`PgConfig`] lists them with their defaults and builds
//! the same settings in code. The pool opens connections as they are needed, up to
//! `connection_limit`; a caller that finds them all busy waits up to `pool_timeout` and then
//! gets [`Error::PoolTimeout`](orm_core::Error::PoolTimeout).
//!
//! # How statements are sent
//!
//! By default every statement is prepared once per connection, under a generated name, and
//! kept in a per-connection cache of `statement_cache_size` statements (least recently used
//! ones are closed first). Running it again is one round trip (bind + execute) and reuses the
//! server's plan; this is the fast path.
//!
//! With `pgbouncer=true` (or `statement_cache_size=0`) nothing is named: each statement goes as
//! an unnamed parse + bind + execute in one round trip, so a PgBouncer in transaction mode,
//! which may hand each statement to a different server connection, never meets a named
//! statement. The server plans the statement on every run. Parameter types are declared from
//! the values (numbers, booleans and bytes by their type; text, enums, date-times, JSON and
//! null as "unknown", so the server infers them from the statement).
//!
//! # Behind PgBouncer
//!
//! Behind a PgBouncer in transaction pooling mode, connect with
//! `?pgbouncer=true&connection_limit=1`, as Prisma recommends for long-running servers:
//!
//! ```no_run
//! # async fn example() -> orm_core::Result<()> {
//! let db = orm_pg::PgAdapter::connect(
//!     "postgresql://app@pgbouncer.internal:6432/app?pgbouncer=true&connection_limit=1",
//! )
//! .await?;
//! # Ok(())
//! # }
//! ```
//!
//! - `pgbouncer=true`: the pooler hands each transaction (each statement outside one) to
//!   whichever server connection is free, so a statement prepared under a name on one server
//!   connection is unknown on the next (`prepared statement "s4" does not exist`) or meets
//!   another client's of the same name (`… already exists`). Unnamed statements, described
//!   above, carry nothing from one round trip to the next.
//! - `connection_limit=1`: PgBouncer does the pooling, sharing a few server connections among
//!   every instance of the service; a pool of one per instance avoids queueing in two places.
//!   Inside a transaction, send statements through the transaction only: the pool's single
//!   connection is the transaction's until it ends.
//! - PgBouncer 1.21 and later can track named statements themselves
//!   (`max_prepared_statements` set to a positive value); behind such a PgBouncer you can
//!   leave `pgbouncer=true` out and keep the statement cache. Debian 12's PgBouncer (1.18)
//!   cannot.
//! - Session state does not survive a transaction pooler: `schema` (a `SET search_path` when
//!   a connection opens), session advisory locks (migrations: deploy over a direct URL),
//!   `LISTEN`. PgBouncer 1.18 also refuses the `options` startup parameter.
//!
//! The workspace's test suite runs its PostgreSQL tests a second time through a real
//! PgBouncer in transaction mode with these parameters.
//!
//! # Values
//!
//! Parameters are converted to the type the statement expects, leniently where nothing is lost:
//! an `Int` binds to a `bigint` parameter, a `String` to `uuid`, `varchar`, `citext` or an enum,
//! a `DateTime` to `timestamp(3)` (holding UTC, as Prisma stores it) or `timestamptz`, a
//! `Decimal` to `numeric`, a `Json` to `json` or `jsonb`, a `List` to an array. Date-times are
//! truncated to milliseconds on write, as Prisma does. Text containing NUL cannot be stored by
//! PostgreSQL and fails with [`Error::Encode`](orm_core::Error::Encode) before anything is
//! sent.
//!
//! Columns are read by their type: `int2`/`int4` as `Int`, `int8` as `BigInt`, `float4`/`float8`
//! as `Float`, `numeric` as `Decimal` (a value beyond `rust_decimal`'s 28 digits is a
//! [`Error::Decode`](orm_core::Error::Decode)), text types and `uuid` as `String`, `json`/`jsonb`
//! as `Json`, `bytea` as `Bytes`, `timestamp`/`timestamptz`/`date`/`time` as `DateTime`,
//! native enums as `Enum` (their label), arrays as `List`. Other types are a decode error
//! naming the type; cast them to text in the query.
//!
//! # Transactions
//!
//! [`Adapter::begin`](orm_core::Adapter::begin) sends one `BEGIN [ISOLATION LEVEL …] [READ
//! ONLY]`. A transaction dropped without `commit` or `rollback` (an early return, a panic, a
//! cancelled future) is rolled back: a task sends `ROLLBACK` and only then releases the
//! connection; without a Tokio runtime the connection is closed instead, which also rolls back.
//! A connection is also checked whenever it leaves the pool: one closed by the server is
//! replaced, and one still marked as inside a transaction is rolled back first. No caller ever
//! receives a connection with someone else's transaction open.
//!
//! [`Adapter::connection`](orm_core::Adapter::connection) holds one connection for several
//! statements in one session (a migration's advisory lock). It is closed, not pooled, when
//! dropped, so that session state never leaks.
//!
//! # Lost connections
//!
//! A connection the server closed (`pg_terminate_backend`, a restart, a network failure) is
//! noticed by the pool and replaced. A statement that fails because its connection was lost is
//! sent again on another connection only when the failure arrived before the server
//! acknowledged binding it: the server runs nothing before that acknowledgement, so the
//! statement certainly did not run. Since a restart can leave every idle connection dead, this
//! repeats while the failures are of that kind, discarding one dead connection each time, at
//! most `connection_limit + 1` times. Once the server has acknowledged the bind, a write may
//! have run (even committed) before the connection died, so the error is returned as
//! [`Error::ConnectionLost`](orm_core::Error::ConnectionLost) and nothing is re-run. Statements
//! inside a transaction or on a held connection are never re-sent: the session they belonged to
//! is gone.
//!
//! # Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `tls` | TLS through rustls (ring provider) for `sslmode=prefer` and `sslmode=require`. As in libpq and in Prisma's default `sslaccept=accept_invalid_certs`, the connection is encrypted but the server's certificate chain is not checked against trusted roots. Without the feature, `prefer` connects in plain text and `require` is an [`Error::Config`](orm_core::Error::Config). |
//!
//! # Errors
//!
//! Database errors are classified by SQLSTATE as the `orm_core::adapter` error contract
//! requires; the table lives in this crate's `error` module.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod adapter;
mod config;
mod conn;
mod decode;
mod encode;
mod error;
#[cfg(feature = "tls")]
mod tls;

pub use adapter::PgAdapter;
pub use config::{PgConfig, SslMode};
