//! Reading the Prisma schema into the database shape it describes.

use std::path::Path;

use anyhow::{Context, anyhow};
use orm_core::Dialect;
use orm_core::migrate::{self, SqlSchema};

/// A schema read from disk: the shape it describes and its provider.
pub struct Loaded {
    /// The tables, enums, indexes and keys the schema describes.
    pub target: SqlSchema,
    /// The datasource's provider.
    pub dialect: Dialect,
}

/// Reads and validates the schema at `path`.
///
/// # Errors
///
/// When the file cannot be read, has errors (rendered with their positions), or has no
/// datasource.
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let source = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the schema `{}`", path.display()))?;
    let schema = orm_schema::parse_and_validate(&source, &path.display().to_string()).map_err(
        |diagnostics| {
            anyhow!(
                "{}",
                diagnostics.render(&source, &path.display().to_string())
            )
        },
    )?;
    let dialect = migrate::schema_dialect(&schema)
        .ok_or_else(|| anyhow!("`{}` has no datasource block", path.display()))?;
    Ok(Loaded {
        target: migrate::from_schema(&schema, dialect),
        dialect,
    })
}
