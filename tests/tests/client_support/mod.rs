//! Shared setup of the typed-client suites: a database per test on either backend, its tables
//! created by the migration engine from the schema the client was generated from, and the
//! engine suites' statement counter around the real adapter.

#![allow(dead_code)]

#[path = "../engine_support/mod.rs"]
mod engine_support;

pub use engine_support::{Backend, Db};

use orm_core::Dialect;
use orm_core::migrate;
use orm_schema::Schema;

/// The DDL that creates `schema`'s tables from nothing on `backend`.
pub fn ddl(schema: &Schema, backend: Backend) -> String {
    let dialect = match backend {
        Backend::Postgres => Dialect::Postgres,
        Backend::Sqlite => Dialect::Sqlite,
    };
    let target = migrate::from_schema(schema, dialect);
    let migration = migrate::diff(&migrate::SqlSchema::default(), &target, dialect);
    migrate::render_script(&migration, &[])
}

/// A fresh database with `schema`'s tables; its `client` is the engine client to wrap in the
/// generated `PrismaClient`.
pub async fn database(backend: Backend, schema: &'static Schema) -> Db {
    Db::new(backend, &ddl(schema, backend), schema).await
}
