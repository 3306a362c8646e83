//! PostgreSQL adapter for `orm-core`: tokio-postgres connections in a deadpool pool, prepared
//! statements cached per connection, and a PgBouncer-safe mode (`pgbouncer=true`) that uses
//! unnamed statements only.
//!
//! Work in progress: `PgAdapter::connect(url)` lands here.
#![deny(missing_docs)]
