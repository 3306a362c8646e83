//! Code generation for `prisma_schema!`: turns a resolved `orm_schema::Schema` into the Rust
//! code of the typed client (model structs, enums, field modules, `PrismaClient`), and the
//! payload types of the generated `include!`/`select!`/`omit!` macros.
//!
//! This crate is an implementation detail of `orm-macros`; it carries no semver promise.
//!
//! [`generate`] never fails: a schema that validated always generates. The code it writes
//! names everything by absolute path (`::orm_core::…`, `::core::…`), keeps helpers in
//! `orm_core::__private`, and instantiates the generic builders of `orm_core::model` per
//! model, so its size grows linearly with the schema.
//!
//! Also here, independent of the schema: the raw SQL macros' template parsing and expansion
//! ([`raw_template`]) and `#[derive(FromRow)]` ([`from_row`]); the embedding of a migrations
//! folder for `migrations!` ([`migrations`]).
#![deny(missing_docs)]

mod client;
mod fields;
pub mod from_row;
pub mod migrations;
pub mod module_path;
mod names;
pub mod payload;
mod plan;
pub mod prisma_schema;
pub mod raw_template;
#[cfg(test)]
mod tests;

use orm_schema::Schema;
use proc_macro2::TokenStream;

/// How the generated code gets the schema text at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `include_str!` of this absolute path: Cargo rebuilds the crate when the file changes,
    /// and the payload macros read the schema from there.
    File(String),
    /// The text itself, as a string literal (code written to a file by a tool).
    Text(String),
}

/// What [`generate`] needs beside the schema.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the schema text comes from.
    pub source: Source,
    /// The module the generated items land in (`crate::db`), which the payload macros use to
    /// name generated types; `None` when unknown (the payload macros then ask for it).
    pub module: Option<syn::Path>,
}

/// The typed client for `schema`.
pub fn generate(schema: &Schema, options: &Options) -> TokenStream {
    client::generate(&plan::Plan::new(schema), options)
}
