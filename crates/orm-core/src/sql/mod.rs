//! SQL text with its bind parameters, the dialects it is written in, and rendering of the
//! [`query`](crate::query) tree.
//!
//! Rendering always produces SQL and parameters together ([`Sql`]); there is no path that
//! inlines values into the text. A shared walker (`render.rs`) writes what every dialect
//! spells alike and asks the dialect (`postgres.rs`, `sqlite.rs`) the rest: placeholders,
//! the bind-parameter limit, pattern matching, casts, arrays, JSON and `LATERAL`.
//!
//! | question | PostgreSQL | SQLite |
//! | --- | --- | --- |
//! | placeholder | `$1` | `?1` |
//! | bind parameters per statement | 65535 | 32766 (bundled build) |
//! | `DEFAULT` in multi-row `VALUES` | yes | no: rows are regrouped by [`split_insert`] |
//! | `mode: insensitive` | `ILIKE` | `LIKE` (already ASCII-case-insensitive) |
//! | `LIMIT`/`OFFSET` | `LIMIT $n` | `LIMIT ?n + 0` (a bare bound `LIMIT` makes SQLite recompile the statement at every execution) |
//! | `OFFSET` without `LIMIT` | `OFFSET $n` | `LIMIT -1 OFFSET ?n + 0` |
//! | membership in a bound list ([`Expr::InArray`]) | `= ANY($1)` | `IN (?1, ?2, …)` |
//! | scalar lists, JSON aggregation, `LATERAL` | yes | [`Error::Unsupported`](crate::Error::Unsupported) |
//!
//! `NULLS FIRST`/`NULLS LAST` are written as they are on both (SQLite has them since 3.30).

mod postgres;
mod render;
mod sqlite;

use crate::error::Result;
use crate::query::{Expr, Insert, Statement};
use crate::value::Value;

/// A SQL backend the runtime can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// The Prisma provider name of this dialect (`"postgresql"`, `"sqlite"`).
    pub fn provider(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgresql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

impl Dialect {
    /// The most bind parameters one statement may carry on this dialect.
    pub fn max_bind_parameters(self) -> usize {
        render::dialect_impl(self).max_bind_parameters()
    }

    /// Appends the placeholder of bind parameter `n` (1-based) to `out`: `$n` on PostgreSQL,
    /// `?n` on SQLite. For SQL written outside the query tree (raw SQL templates).
    pub fn write_placeholder(self, out: &mut String, n: usize) {
        render::dialect_impl(self).placeholder(out, n);
    }

    /// Appends `name` to `out` as a quoted identifier, exactly as the renderer quotes schema
    /// identifiers: in double quotes, inner double quotes doubled. The caller makes sure
    /// `name` is not empty and has no NUL, which neither database accepts.
    pub fn write_identifier(self, out: &mut String, name: &str) {
        render::write_identifier(out, name);
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Sqlite => "SQLite",
        })
    }
}

/// One SQL statement and its bind parameters, in the placeholder style of one dialect
/// (`$1` on PostgreSQL, `?1` on SQLite).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sql {
    /// The statement text. Identifiers in it are quoted; values never appear in it.
    pub text: String,
    /// The parameters, in placeholder order.
    pub params: Vec<Value>,
}

impl Sql {
    /// A statement without parameters.
    pub fn new(text: impl Into<String>) -> Self {
        Sql {
            text: text.into(),
            params: Vec::new(),
        }
    }

    /// A statement with parameters.
    pub fn with_params(text: impl Into<String>, params: Vec<Value>) -> Self {
        Sql {
            text: text.into(),
            params,
        }
    }
}

/// Renders one statement for `dialect`.
///
/// # Errors
///
/// [`Error::Unsupported`](crate::Error::Unsupported) when the dialect cannot express a
/// construct of the statement (scalar-list filters or `LATERAL` on SQLite, a multi-row insert
/// with `DEFAULT` values on SQLite: split it first with [`split_insert`]).
pub fn render(statement: impl Into<Statement>, dialect: Dialect) -> Result<Sql> {
    let mut writer = render::Writer::new(render::dialect_impl(dialect));
    writer.statement(statement.into())?;
    Ok(writer.finish())
}

/// Rewrites a multi-row insert into inserts that `dialect` can run: each carries at most
/// `max_params` bind parameters (give [`Dialect::max_bind_parameters`] or a smaller
/// adapter-reported limit), and where the dialect has no `DEFAULT` in `VALUES` (SQLite), rows
/// are grouped into runs that default the same columns, and those columns are left out. Row
/// order is kept. A single row never splits, even when it alone exceeds the limit (the
/// database then reports the error).
pub fn split_insert(mut insert: Insert, dialect: Dialect, max_params: usize) -> Vec<Insert> {
    let rows = std::mem::take(&mut insert.rows);
    let template = insert;
    let shared = shared_params(&template);
    let budget = max_params.saturating_sub(shared).max(1);
    let supports_default = render::dialect_impl(dialect).supports_default_in_values();

    // Runs of consecutive rows that default the same columns, when DEFAULT cannot be written.
    let mut runs: Vec<Insert> = Vec::new();
    let mut mask: Option<Vec<bool>> = None;
    for row in rows {
        let row_mask: Vec<bool> = if supports_default {
            Vec::new()
        } else {
            row.iter().map(|e| matches!(e, Expr::Default)).collect()
        };
        if runs.is_empty() || mask.as_ref() != Some(&row_mask) {
            runs.push(template.clone());
            mask = Some(row_mask);
        }
        if let Some(run) = runs.last_mut() {
            run.rows.push(row);
        }
    }

    let mut out = Vec::new();
    for mut run in runs {
        if !supports_default {
            drop_defaulted_columns(&mut run);
        }
        if run.columns.is_empty() {
            // `DEFAULT VALUES` inserts one row per statement.
            for _ in 0..run.rows.len() {
                let mut one = template.clone();
                one.columns.clear();
                one.rows = vec![Vec::new()];
                out.push(one);
            }
            continue;
        }
        let mut rows = std::mem::take(&mut run.rows).into_iter().peekable();
        while rows.peek().is_some() {
            let mut part = run.clone();
            let mut used = 0;
            while let Some(row) =
                rows.next_if(|row| part.rows.is_empty() || used + Insert::row_params(row) <= budget)
            {
                used += Insert::row_params(&row);
                part.rows.push(row);
            }
            out.push(part);
        }
    }
    out
}

/// Renders a multi-row insert whose rows are plain values: `values` holds `width` values per
/// row, row-major, in the order of `template.columns` (the template's own rows are ignored).
/// Splits into statements of at most `max_params` bind parameters, as [`split_insert`]
/// does; every value is a parameter and no expression tree is built, which is what makes a
/// `createMany` of thousands of rows cheap.
///
/// # Errors
///
/// [`Error::Unsupported`](crate::Error::Unsupported) when the dialect cannot express the
/// template's conflict handling or `RETURNING` list.
pub fn render_insert_values(
    template: &Insert,
    values: Vec<Value>,
    width: usize,
    dialect: Dialect,
    max_params: usize,
) -> Result<Vec<Sql>> {
    let width = width.max(1);
    let shared = shared_params(template);
    let per_part = (max_params.saturating_sub(shared) / width).max(1);
    let rows = values.len() / width;
    let mut values = values.into_iter();
    let mut out = Vec::with_capacity(rows.div_ceil(per_part));
    let mut done = 0;
    while done < rows {
        let part = per_part.min(rows - done);
        let mut writer = render::Writer::new(render::dialect_impl(dialect));
        writer.insert_values(template, &mut values, part, width)?;
        out.push(writer.finish());
        done += part;
    }
    Ok(out)
}

/// The array type a column of `kind` (native type `native`: its name without arguments,
/// `None` for the default) is bound as in [`render_insert_unnest`], or `None` where `dialect`
/// cannot insert that column from an array.
pub(crate) fn unnest_type(
    dialect: Dialect,
    kind: crate::value::Kind,
    native: Option<&str>,
) -> Option<&'static str> {
    render::dialect_impl(dialect).unnest_array_type(kind, native)
}

/// Renders a multi-row insert as `INSERT … SELECT * FROM UNNEST($1::type[], …)`: one bound
/// array per column of `template` (its rows are ignored), whatever the number of rows. The
/// statement's text does not depend on the number of rows (one prepared statement serves every
/// `createMany`), and the server binds one parameter per column instead of one per value.
/// `arrays` are [`Value::List`]s of equal length, `types` their array types from
/// [`unnest_type`].
///
/// # Errors
///
/// [`Error::Unsupported`](crate::Error::Unsupported) when `arrays` or `types` do not match
/// the template's columns, or the dialect cannot express the template's conflict handling or
/// `RETURNING` list.
pub(crate) fn render_insert_unnest(
    template: &Insert,
    arrays: Vec<Value>,
    types: &[&'static str],
    dialect: Dialect,
) -> Result<Sql> {
    let mut writer = render::Writer::new(render::dialect_impl(dialect));
    writer.insert_unnest(template, arrays, types)?;
    Ok(writer.finish())
}

/// Leaves out of a run the columns its rows default (they all default the same ones).
fn drop_defaulted_columns(run: &mut Insert) {
    let Some(first) = run.rows.first() else {
        return;
    };
    let keep: Vec<bool> = first.iter().map(|e| !matches!(e, Expr::Default)).collect();
    if keep.iter().all(|k| *k) {
        return;
    }
    let mut keep_iter = keep.iter();
    run.columns.retain(|_| *keep_iter.next().unwrap_or(&true));
    for row in &mut run.rows {
        let mut keep_iter = keep.iter();
        row.retain(|_| *keep_iter.next().unwrap_or(&true));
    }
}

/// The parameters every part of a split insert repeats: its `ON CONFLICT` clause's and its
/// `RETURNING` list's.
fn shared_params(insert: &Insert) -> usize {
    insert.on_conflict.as_ref().map_or(0, conflict_params)
        + insert
            .returning
            .iter()
            .map(|r| r.expr.param_count())
            .sum::<usize>()
}

fn conflict_params(on_conflict: &crate::query::OnConflict) -> usize {
    match on_conflict {
        crate::query::OnConflict::DoNothing { .. } => 0,
        crate::query::OnConflict::DoUpdate { set, filter, .. } => {
            set.iter().map(|(_, e)| e.param_count()).sum::<usize>()
                + filter.as_ref().map_or(0, Expr::param_count)
        }
    }
}

#[cfg(test)]
mod tests;
