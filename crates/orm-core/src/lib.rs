#![doc = include_str!("../../../README.md")]
//!
//! # This crate
//!
//! `orm-core` is the runtime the generated client calls, and what every backend shares. An
//! application depends on it and on one adapter (`orm-pg`, `orm-sqlite`); the macros
//! ([`prisma_schema!`], [`migrations!`], [`query_raw!`], [`execute_raw!`], [`raw_sql!`],
//! `#[derive(FromRow)]`) are re-exported here.
//!
//! | module | what |
//! | --- | --- |
//! | [`model`] | the typed client's generic builders (`find_many`, `create`, …), filters, payloads |
//! | [`client`] | the engine client under `PrismaClient`, where statements go; [`client::telemetry`]: spans, query log, pool statistics |
//! | [`transaction`] | interactive and batch transactions, retries, savepoints |
//! | [`raw`] | raw SQL: templates, fragments, identifiers, the unsafe escape |
//! | [`migrate`] | the migration engine: schema model, diff, DDL, the migrations folder, `_prisma_migrations` |
//! | [`engine`] | Prisma's operations described dynamically (the contract with the generated code) and run |
//! | [`query`], [`sql`] | the dialect-free statement tree, and its rendering per [`Dialect`] |
//! | [`adapter`] | the [`Adapter`] traits that `orm-pg` and `orm-sqlite` implement, and their error contract |
//! | [`value`], [`row`], [`error`] | [`Value`] and [`Row`] with their conversions, the typed [`Error`] |
//!
//! The code blocks above are this crate's doc tests: they compile against
//! `examples/prisma/schema.prisma` (reached through `crates/orm-core/prisma`, a link to
//! `examples/prisma`), and the `quickstart` example runs the same code.
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
    Adapter, Capabilities, EachRow, IsolationLevel, PoolStatus, Queryable, Transaction,
    TransactionOptions,
};
pub use error::{DbError, Error, Result};
pub use orm_macros::migrations;
pub use orm_macros::prisma_schema;
pub use orm_macros::{FromRow, execute_raw, query_raw, raw_sql};
pub use row::{Cells, FromRow, ResultSet, Row, RowCursor, RowDecoder, RowRef};
pub use sql::{Dialect, Sql};
pub use value::{CellRef, FromValue, Kind, ToValue, Value};
