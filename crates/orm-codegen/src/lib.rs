//! Code generation for `prisma_schema!`: turns a resolved `orm_schema::Schema` into the Rust
//! code of the typed client (model structs, enums, filters, query builders).
//!
//! This crate is an implementation detail of `orm-macros`; it carries no semver promise.
//!
//! Work in progress: `generate(&Schema, &Options) -> TokenStream` lands here.
#![deny(missing_docs)]
