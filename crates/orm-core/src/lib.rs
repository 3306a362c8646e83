//! A Prisma-schema ORM for Rust: the runtime.
//!
//! `orm-core` holds what every backend shares: [`Value`] and [`Row`] with their conversions,
//! the typed [`Error`], SQL with bind parameters per [`Dialect`], and the [`Adapter`] traits
//! that `orm-pg` and `orm-sqlite` implement.
//!
//! [`query`] is the dialect-free statement tree, [`sql`] renders it per dialect, and
//! [`engine`] describes Prisma's operations dynamically (the contract with the generated
//! client) and runs them.
//!
//! Work in progress: the engine's operations, the client, transactions, raw SQL, migrations
//! and the `prisma_schema!` re-export land here next.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod adapter;
pub mod engine;
pub mod error;
pub mod query;
pub mod row;
pub mod sql;
pub mod value;

pub use adapter::{
    Adapter, Capabilities, IsolationLevel, PoolStatus, Queryable, Transaction, TransactionOptions,
};
pub use error::{DbError, Error, Result};
pub use row::{FromRow, ResultSet, Row, RowCursor, RowRef};
pub use sql::{Dialect, Sql};
pub use value::{FromValue, Kind, ToValue, Value};
