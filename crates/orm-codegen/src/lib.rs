//! Code generation for `prisma_schema!`: turns a resolved `orm_schema::Schema` into the Rust
//! code of the typed client (model structs, enums, filters, query builders).
//!
//! This crate is an implementation detail of `orm-macros`; it carries no semver promise.
//!
//! Work in progress: `generate(&Schema, &Options) -> TokenStream` lands here.
//!
//! Also here, independent of the schema: the raw SQL macros' template parsing and expansion
//! ([`raw_template`]) and `#[derive(FromRow)]` ([`from_row`]); the embedding of a migrations
//! folder for `migrations!` ([`migrations`]).
#![deny(missing_docs)]

pub mod from_row;
pub mod migrations;
pub mod raw_template;
