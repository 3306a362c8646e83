//! A Prisma-schema ORM for Rust: the runtime.
//!
//! `orm-core` holds what every backend shares: [`Value`] and [`Row`] with their conversions,
//! the typed [`Error`], SQL with bind parameters per [`Dialect`], and the [`Adapter`] traits
//! that `orm-pg` and `orm-sqlite` implement.
//!
//! [`query`] is the dialect-free statement tree, [`sql`] renders it per dialect, and
//! [`engine`] describes Prisma's operations dynamically (the contract with the generated
//! client) and runs them. [`migrate`] holds the migration engine, interchangeable with
//! Prisma's (`migrations/` folder, `_prisma_migrations` table); [`migrations!`] embeds a
//! migrations folder to deploy at start-up.
//!
//! Work in progress: the engine's operations, the client, transactions and the
//! `prisma_schema!` re-export land here next.
//!
//! # Raw SQL
//!
//! [`query_raw!`] and [`execute_raw!`] are Prisma's `$queryRaw` and `$executeRaw` tagged
//! templates. Every `{expr}` in the template is a **bind parameter**, never text, numbered in
//! the placeholder style of the database it runs on (`$1` on PostgreSQL, `?1` on SQLite).
//! Rows decode into any [`FromRow`] type: a `#[derive(FromRow)]` struct (by column name), a
//! tuple (by position), or [`Row`].
//!
//! ```
//! use orm_core::{Dialect, Value, raw_sql};
//!
//! let email = "a@b.co'; DROP TABLE \"User\"; --";
//! let sql = raw_sql!("SELECT id FROM \"User\" WHERE email = {email}").to_sql(Dialect::Postgres)?;
//! assert_eq!(sql.text, "SELECT id FROM \"User\" WHERE email = $1");
//! assert_eq!(sql.params, vec![Value::from(email)]);
//! # Ok::<(), orm_core::Error>(())
//! ```
//!
//! ```no_run
//! use orm_core::{Adapter, FromRow, execute_raw, query_raw};
//!
//! #[derive(FromRow)]
//! struct Hit {
//!     id: String,
//!     #[orm(rename = "rank")]
//!     score: f64,
//! }
//!
//! async fn search(db: &dyn Adapter, q: &str) -> orm_core::Result<Vec<Hit>> {
//!     query_raw!(db, "SELECT id, ts_rank(search_tsv, plainto_tsquery({q})) AS rank
//!                     FROM articles WHERE search_tsv @@ plainto_tsquery({q})
//!                     ORDER BY rank DESC LIMIT 20").await
//! }
//!
//! async fn archive(db: &dyn Adapter, days: i32) -> orm_core::Result<u64> {
//!     execute_raw!(db, "UPDATE articles SET archived = true
//!                       WHERE created_at < now() - make_interval(days => {days})").await
//! }
//! ```
//!
//! Only values bind. A table or column name chosen at run time goes through [`raw::Ident`]
//! (quoted per dialect); SQL text chosen at run time needs the explicitly dangerous
//! [`raw::unsafe_raw`] or [`raw::query_raw_unsafe`] (Prisma's `$queryRawUnsafe`): text from
//! user input there is an SQL injection. The [`raw`] module has the details.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

// Lets the macros' `::orm_core::…` paths resolve inside this crate's own tests.
extern crate self as orm_core;

pub mod adapter;
pub mod client;
pub mod engine;
pub mod error;
pub mod migrate;
pub mod model;
pub mod query;
pub mod raw;
pub mod row;
pub mod sql;
pub mod transaction;
pub mod value;

/// Support for macro-generated code. Not public API: no semver promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::model::support::*;
    pub use crate::raw::macro_support as raw;
}

pub use adapter::{
    Adapter, Capabilities, IsolationLevel, PoolStatus, Queryable, Transaction, TransactionOptions,
};
pub use error::{DbError, Error, Result};
pub use orm_macros::migrations;
pub use orm_macros::prisma_schema;
pub use orm_macros::{FromRow, execute_raw, query_raw, raw_sql};
pub use row::{FromRow, ResultSet, Row, RowCursor, RowRef};
pub use sql::{Dialect, Sql};
pub use value::{FromValue, Kind, ToValue, Value};
