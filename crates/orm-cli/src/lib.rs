//! The `orm` command line tool: `validate`, `format`, `migrate dev|deploy|status|reset|diff|resolve`
//! and `db push`. Commands live in modules of this library so they are testable; `main.rs` only
//! parses arguments and calls them.
#![deny(missing_docs)]

pub mod format;
pub mod migrate;
pub mod validate;
