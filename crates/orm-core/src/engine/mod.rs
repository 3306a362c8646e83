//! The query engine: Prisma's read and write operations over a dynamic description of the
//! query, against the schema IR.
//!
//! The generated client turns its typed builders into the argument types of [`args`]
//! (`FindManyArgs`, `CreateArgs`, …) naming models and fields by their IR ids, and hands them
//! to the engine through the client. The engine builds statements
//! ([`crate::query`]), renders them for the adapter's dialect ([`crate::sql`]), runs them, and
//! returns [`Records`]: rows in a [`ResultSet`](crate::ResultSet) plus the rows of included
//! relations grouped by parent, which generated code decodes by position
//! ([`FromRecords`]). Reads of types decoded from single rows (model structs, payloads without
//! relations) skip `Records`: [`Client::read_rows_as`](crate::client::Client::read_rows_as)
//! decodes each row as the adapter reads it. The most frequent statements (point reads,
//! one-row creates and updates) are rendered once per shape and kept (module `shapes`).
//!
//! Reads load included relations with the `query` strategy (one statement per relation
//! level) or, on PostgreSQL and when asked ([`RelationLoadStrategy::Join`]), the `join`
//! strategy (one statement with `LATERAL` JSON aggregation); both produce the same
//! [`Records`]. Writes with nested writes run atomically (a transaction, or a savepoint inside
//! an open one). Errors carry Prisma's codes and name the model and fields of a violated
//! constraint, resolved through the schema.
//!
//! Models and fields are named by the schema IR's ids ([`ModelId`], [`FieldId`], re-exported
//! from `orm_schema::ir`); a [`Client`](crate::client::Client) built with
//! [`Client::new`](crate::client::Client::new) computes the engine's view of the schema
//! ([`meta::SchemaMeta::from_schema`]) once.

mod aggregate;
pub mod args;
mod build;
mod decode;
pub mod defaults;
mod ids;
mod join;
pub mod meta;
mod read;
pub mod result;
pub(crate) mod shapes;
mod write;

pub use args::*;
pub use ids::{FieldId, ModelId};
pub use result::{FromRecords, Records, RelationRecords, Relations};
