//! SQLite DDL, as Prisma's migration engine writes it: foreign keys inline in `CREATE TABLE`,
//! and the redefinition pattern for what `ALTER TABLE` cannot do.

use super::{INDENT, hex, ident, idents, index_columns, string_literal};
use crate::migrate::diff::{Migration, RedefineTable, Step, TableChange};
use crate::migrate::model::{Column, DefaultValue, Index, Table};

pub(super) fn render_step(_migration: &Migration, step: &Step) -> Vec<String> {
    match step {
        Step::CreateEnum(_)
        | Step::AlterEnum { .. }
        | Step::DropEnum(_)
        | Step::DropForeignKey { .. }
        | Step::AddForeignKey { .. }
        | Step::RenameForeignKey { .. }
        | Step::RenameIndex { .. } => Vec::new(),
        Step::DropIndex { index, .. } => vec![format!("DROP INDEX {}", ident(&index.name))],
        Step::AlterTable { table, changes } => changes
            .iter()
            .filter_map(|change| match change {
                TableChange::AddColumn(c) => Some(format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    ident(table),
                    column(c, false)
                )),
                _ => None,
            })
            .collect(),
        // Dropping with foreign keys off: there is no other way through cycles.
        Step::DropTable(table) => vec![
            "PRAGMA foreign_keys=off".to_owned(),
            format!("DROP TABLE {}", ident(&table.name)),
            "PRAGMA foreign_keys=on".to_owned(),
        ],
        Step::CreateTable(table) => vec![create_table(table, &ident(&table.name))],
        Step::RedefineTables(tables) => redefine_tables(tables),
        Step::CreateIndex { table, index } => vec![create_index(table, index)],
        Step::RedefineIndex {
            table,
            previous,
            next,
        } => vec![
            format!("DROP INDEX {}", ident(&previous.name)),
            create_index(table, next),
        ],
    }
}

pub(crate) fn default(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(s) => string_literal(s),
        DefaultValue::Number(n) => n.clone(),
        DefaultValue::Boolean(b) => b.to_string(),
        // A blob literal. (Prisma writes the hex digits as a text literal, which stores text.)
        DefaultValue::Bytes(b) => format!("X'{}'", hex(b)),
        DefaultValue::Now => "CURRENT_TIMESTAMP".to_owned(),
        // SQLite's grammar takes anything but a literal only in parentheses; the expression
        // is kept without them (see `unparenthesized`).
        DefaultValue::Expression(e) => format!("({})", unparenthesized(e)),
    }
}

/// `expr` without the parentheses around all of it (`(lower(x))` → `lower(x)`, but
/// `(a) + (b)` stays): the one form of a SQLite default expression, because SQLite reports a
/// `DEFAULT (expr)` back without them and `dbgenerated("…")` may be written either way.
pub(crate) fn unparenthesized(expr: &str) -> &str {
    let mut bare = expr.trim();
    while let Some(inner) = bare.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        // The opening parenthesis must close at the very end, not before.
        let mut depth = 0_usize;
        let mut closes_at_end = true;
        let mut quote: Option<char> = None;
        for c in inner.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') if depth == 0 => {
                    closes_at_end = false;
                    break;
                }
                (None, ')') => depth -= 1,
                _ => {}
            }
        }
        if !closes_at_end {
            break;
        }
        bare = inner.trim();
    }
    bare
}

/// `"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT …`.
fn column(column: &Column, single_primary_key: bool) -> String {
    let mut out = format!("{} {}", ident(&column.name), column.ty);
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    if single_primary_key {
        out.push_str(" PRIMARY KEY");
        if column.auto_increment {
            out.push_str(" AUTOINCREMENT");
        }
    }
    if let Some(d) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default(d));
    }
    out
}

fn create_table(table: &Table, name: &str) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            format!(
                "{INDENT}{}",
                column(c, table.is_single_primary_key(&c.name))
            )
        })
        .collect();
    let mut out = format!("CREATE TABLE {name} (\n{}", columns.join(",\n"));
    if let Some(pk) = table.primary_key.as_ref().filter(|pk| pk.columns.len() > 1) {
        out.push_str(&format!(
            ",\n\n{INDENT}PRIMARY KEY ({})",
            idents(&pk.columns, ", ")
        ));
    }
    for fk in &table.foreign_keys {
        let constraint = fk
            .name
            .as_deref()
            .map(|n| format!("CONSTRAINT {} ", ident(n)))
            .unwrap_or_default();
        out.push_str(&format!(
            ",\n{INDENT}{constraint}FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
            idents(&fk.columns, ", "),
            ident(&fk.referenced_table),
            idents(&fk.referenced_columns, ", "),
            fk.on_delete.as_sql(),
            fk.on_update.as_sql()
        ));
    }
    out.push_str("\n)");
    out
}

fn create_index(table: &str, index: &Index) -> String {
    format!(
        "CREATE {}INDEX {} ON {}({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(table),
        index_columns(index)
    )
}

/// SQLite's "making other kinds of table schema changes": new table, copy, drop, rename,
/// indexes, then a foreign key check of every rebuilt table before foreign keys come back on.
fn redefine_tables(tables: &[RedefineTable]) -> Vec<String> {
    let mut out = vec!["PRAGMA foreign_keys=OFF".to_owned()];
    let mut checks = Vec::new();
    for redefine in tables {
        let name = &redefine.next.name;
        let temporary = format!("new_{name}");
        out.push(create_table(&redefine.next, &ident(&temporary)));
        let pairs: Vec<(&Column, &Column)> = redefine.copied_columns().collect();
        if !pairs.is_empty() {
            let destination: Vec<String> = pairs.iter().map(|(_, n)| ident(&n.name)).collect();
            let source: Vec<String> = pairs
                .iter()
                .map(|(p, n)| match &n.default {
                    Some(d) if p.nullable && !n.nullable => format!(
                        "coalesce({col}, {}) AS {col}",
                        default(d),
                        col = ident(&p.name)
                    ),
                    _ => ident(&p.name),
                })
                .collect();
            out.push(format!(
                "INSERT INTO {} ({}) SELECT {} FROM {}",
                ident(&temporary),
                destination.join(", "),
                source.join(", "),
                ident(&redefine.previous.name)
            ));
        }
        out.push(format!("DROP TABLE {}", ident(&redefine.previous.name)));
        out.push(format!(
            "ALTER TABLE {} RENAME TO {}",
            ident(&temporary),
            ident(name)
        ));
        for index in &redefine.next.indexes {
            out.push(create_index(name, index));
        }
        checks.push(format!("PRAGMA foreign_key_check({})", ident(name)));
    }
    out.extend(checks);
    out.push("PRAGMA foreign_keys=ON".to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unparenthesized_strips_only_parentheses_around_everything() {
        assert_eq!(
            unparenthesized("(lower(hex(randomblob(8))))"),
            "lower(hex(randomblob(8)))"
        );
        assert_eq!(unparenthesized(" ((1 + 2)) "), "1 + 2");
        assert_eq!(unparenthesized("lower(x)"), "lower(x)");
        assert_eq!(unparenthesized("(a) + (b)"), "(a) + (b)");
        assert_eq!(unparenthesized("(')' || x)"), "')' || x");
        assert_eq!(unparenthesized("('(' || x) || (y)"), "('(' || x) || (y)");
    }

    #[test]
    fn an_expression_default_is_written_in_parentheses() {
        let written = default(&DefaultValue::Expression(
            "lower(hex(randomblob(8)))".into(),
        ));
        assert_eq!(written, "(lower(hex(randomblob(8))))");
        let written = default(&DefaultValue::Expression("(random())".into()));
        assert_eq!(written, "(random())");
    }
}
