//! Migrations: the SQL schema model, the differ, DDL per dialect, the migrations folder and
//! the `_prisma_migrations` history table, interchangeable with Prisma 7's.
//!
//! The flow, as `orm migrate dev` runs it:
//!
//! 1. the target shape comes from the Prisma schema ([`from_schema`]);
//! 2. the current shape comes from replaying the migrations folder into a shadow database and
//!    reading it back ([`introspect()`]);
//! 3. [`diff()`] computes the ordered [`Step`]s between them, [`render_script`] writes them as a
//!    `migration.sql` formatted as Prisma formats it;
//! 4. [`deploy`] applies pending migrations and records them in `_prisma_migrations`.

pub mod apply;
mod calculate;
pub mod diff;
mod embedded;
mod error;
pub mod folder;
pub mod history;
pub mod introspect;
pub mod model;
pub mod render;
pub mod script;
pub mod warnings;

pub use apply::{
    AppliedMigration, MigrationStatus, deploy, reset_database, resolve_applied,
    resolve_rolled_back, run_script, status,
};
pub use calculate::{from_schema, schema_dialect};
pub use diff::{Migration, RedefineTable, Step, TableChange, diff};
pub use embedded::Migrations;
pub use error::{MigrateError, MigrateResult};
pub use folder::{LocalMigration, MigrationsDir, checksum};
pub use introspect::introspect;
pub use model::{
    Column, ColumnType, DefaultValue, Enum, ForeignKey, Index, IndexColumn, PrimaryKey,
    ReferentialAction, SortOrder, SqlSchema, Table, TypeFamily,
};
pub use render::{render_script, render_steps, render_summary};
pub use warnings::{Diagnostics, destructive_warnings};
