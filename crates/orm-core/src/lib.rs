//! A Prisma-schema ORM for Rust: the runtime.
//!
//! `orm-core` holds what every backend shares: [`Value`] and [`Row`] with their conversions,
//! the typed [`Error`], SQL with bind parameters per [`Dialect`], and the [`Adapter`] traits
//! that `orm-pg` and `orm-sqlite` implement.
//!
//! Work in progress: the query AST and its SQL rendering, the client, transactions, raw SQL,
//! migrations and the `prisma_schema!` re-export land here next.
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod adapter;
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
