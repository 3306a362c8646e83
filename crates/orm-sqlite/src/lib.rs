//! SQLite adapter for `orm-core` over rusqlite with the bundled SQLite: WAL mode, foreign keys
//! on, concurrent readers and serialized writers, blocking work kept off the async runtime.
//!
//! Work in progress: `SqliteAdapter::open("file:dev.db")` lands here.
#![deny(missing_docs)]
