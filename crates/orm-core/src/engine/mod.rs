//! The query engine: Prisma's read and write operations over a dynamic description of the
//! query, against the schema IR.
//!
//! The generated client turns its typed builders into the argument types of [`args`]
//! (`FindManyArgs`, `CreateArgs`, …) naming models and fields by their IR ids, and hands them
//! to the engine through the client. The engine builds statements
//! ([`crate::query`]), renders them for the adapter's dialect ([`crate::sql`]), runs them, and
//! returns [`Records`]: rows in a [`ResultSet`](crate::ResultSet) plus the rows of included
//! relations grouped by parent, which generated code decodes by position
//! ([`FromRecords`]).
//!
//! Work in progress: the operations land next (reads, then writes, then aggregates).

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
mod write;

pub use args::*;
pub use result::{FromRecords, Records, RelationRecords, Relations};
