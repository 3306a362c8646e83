//! DDL rendering: a [`Migration`] becomes the statements of each step and the text of a
//! `migration.sql`, formatted as Prisma formats it (section comments, 4-space indentation,
//! `ADD COLUMN` followed by the indented column, statements ending in `;`).

mod postgres;
pub(crate) mod sqlite;
mod summary;

pub use summary::render_summary;

use super::diff::{Migration, Step};
use crate::sql::Dialect;

/// Four spaces, Prisma's indentation inside `CREATE TABLE`.
pub(crate) const INDENT: &str = "    ";

/// The statements of each step, paired with the step's section title.
pub fn render_steps(migration: &Migration) -> Vec<(&'static str, Vec<String>)> {
    migration
        .steps
        .iter()
        .map(|step| (step.description(), render_step(migration, step)))
        .filter(|(_, statements)| !statements.is_empty())
        .collect()
}

fn render_step(migration: &Migration, step: &Step) -> Vec<String> {
    match migration.dialect {
        Dialect::Sqlite => sqlite::render_step(migration, step),
        _ => postgres::render_step(migration, step),
    }
}

/// The text of a `migration.sql` for `migration`, with `warnings` in a comment block at the top
/// as Prisma writes them.
///
/// An empty migration is `-- This is an empty migration.`; otherwise every statement ends with
/// `;` and a newline, and sections are separated by a blank line.
pub fn render_script(migration: &Migration, warnings: &[String]) -> String {
    let steps = render_steps(migration);
    if steps.is_empty() {
        return "-- This is an empty migration.".to_owned();
    }
    let mut script = String::new();
    if !warnings.is_empty() {
        script.push_str("/*\n  Warnings:\n\n");
        for warning in warnings {
            script.push_str("  - ");
            script.push_str(warning);
            script.push('\n');
        }
        script.push_str("\n*/\n");
    }
    for (i, (description, statements)) in steps.iter().enumerate() {
        if i > 0 {
            script.push('\n');
        }
        script.push_str("-- ");
        script.push_str(description);
        script.push('\n');
        for statement in statements {
            script.push_str(statement);
            script.push_str(";\n");
        }
    }
    script
}

/// A default value as SQL text in `dialect`.
pub(crate) fn default_sql(value: &crate::migrate::model::DefaultValue, dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => sqlite::default(value),
        _ => postgres::default(value),
    }
}

/// Quotes an identifier with double quotes, doubling any inside.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal with single quotes, doubling any inside.
pub(crate) fn string_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `"a", "b" DESC`: an index's columns with their sort orders.
pub(crate) fn index_columns(index: &crate::migrate::model::Index) -> String {
    index
        .columns
        .iter()
        .map(|c| match c.sort {
            Some(order) => format!("{} {}", ident(&c.name), order.as_sql()),
            None => ident(&c.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `"a", "b"` joined with `separator`.
pub(crate) fn idents<'a>(names: impl IntoIterator<Item = &'a String>, separator: &str) -> String {
    names
        .into_iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests;
