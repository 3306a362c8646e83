//! The `prisma_schema!` procedural macro, re-exported by `orm-core`.
//!
//! A thin shim: it locates the schema file relative to `CARGO_MANIFEST_DIR`, validates it with
//! `orm-schema`, generates code with `orm-codegen`, and turns diagnostics into compile errors.
//! This crate carries no semver promise; depend on `orm-core`.
//!
//! Work in progress: the macro lands here once the schema front end and code generator exist.
#![deny(missing_docs)]
