//! PostgreSQL DDL, as Prisma's migration engine writes it.

use super::{INDENT, hex, ident, idents, index_columns, string_literal};
use crate::migrate::diff::{Migration, Step, TableChange};
use crate::migrate::model::{
    Column, ColumnType, DefaultValue, Enum, ForeignKey, Index, SqlSchema, Table,
};

pub(super) fn render_step(migration: &Migration, step: &Step) -> Vec<String> {
    match step {
        Step::CreateEnum(e) => vec![create_enum(&ident(&e.name), e)],
        Step::AlterEnum {
            previous,
            next,
            added,
            removed,
        } => alter_enum(migration, previous, next, added, removed),
        Step::DropForeignKey { table, foreign_key } => vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            ident(table),
            ident(foreign_key.name.as_deref().unwrap_or_default())
        )],
        Step::DropIndex { index, .. } => vec![format!("DROP INDEX {}", ident(&index.name))],
        Step::AlterTable { table, changes } => alter_table(migration, table, changes),
        Step::DropTable(table) => vec![format!("DROP TABLE {}", ident(&table.name))],
        Step::DropEnum(e) => vec![format!("DROP TYPE {}", ident(&e.name))],
        Step::CreateTable(table) => vec![create_table(table, &ident(&table.name))],
        Step::RedefineTables(_) | Step::RedefineIndex { .. } => Vec::new(),
        Step::CreateIndex { table, index } => vec![create_index(table, index)],
        Step::RenameForeignKey { table, from, to } => vec![format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            ident(table),
            ident(from),
            ident(to)
        )],
        Step::AddForeignKey { table, foreign_key } => vec![add_foreign_key(table, foreign_key)],
        Step::RenameIndex { from, to, .. } => vec![format!(
            "ALTER INDEX {} RENAME TO {}",
            ident(from),
            ident(to)
        )],
    }
}

fn create_enum(name: &str, e: &Enum) -> String {
    let values: Vec<String> = e.values.iter().map(|v| string_literal(v)).collect();
    format!("CREATE TYPE {name} AS ENUM ({})", values.join(", "))
}

/// The column's type as written in DDL: `SERIAL` for an auto-increment `INTEGER`, `[]` for
/// lists.
pub(crate) fn column_type(column: &Column) -> String {
    let base = match (&column.ty, column.auto_increment) {
        (ColumnType::Builtin(t), true) if t == "INTEGER" => "SERIAL".to_owned(),
        (ColumnType::Builtin(t), true) if t == "BIGINT" => "BIGSERIAL".to_owned(),
        (ColumnType::Builtin(t), true) if t == "SMALLINT" => "SMALLSERIAL".to_owned(),
        (ty, _) => ty.to_string(),
    };
    if column.list {
        format!("{base}[]")
    } else {
        base
    }
}

pub(crate) fn default(value: &DefaultValue) -> String {
    match value {
        DefaultValue::String(s) => string_literal(s),
        DefaultValue::Number(n) => n.clone(),
        DefaultValue::Boolean(b) => b.to_string(),
        DefaultValue::Bytes(b) => format!("'\\x{}'", hex(b)),
        DefaultValue::Now => "CURRENT_TIMESTAMP".to_owned(),
        DefaultValue::Expression(e) => e.clone(),
    }
}

fn column(column: &Column) -> String {
    let mut out = format!("{INDENT}{} {}", ident(&column.name), column_type(column));
    if !column.nullable && !column.list {
        out.push_str(" NOT NULL");
    }
    if let Some(d) = &column.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default(d));
    }
    out
}

fn create_table(table: &Table, name: &str) -> String {
    let columns: Vec<String> = table.columns.iter().map(column).collect();
    let mut out = format!("CREATE TABLE {name} (\n{}", columns.join(",\n"));
    if let Some(pk) = &table.primary_key {
        let constraint = pk
            .name
            .as_deref()
            .map(|n| format!("CONSTRAINT {} ", ident(n)))
            .unwrap_or_default();
        out.push_str(&format!(
            ",\n\n{INDENT}{constraint}PRIMARY KEY ({})",
            idents(&pk.columns, ",")
        ));
    }
    out.push_str("\n)");
    out
}

fn create_index(table: &str, index: &Index) -> String {
    let using = index
        .algorithm
        .as_deref()
        .map(|a| format!(" USING {a} "))
        .unwrap_or_default();
    format!(
        "CREATE {}INDEX {} ON {}{using}({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(table),
        index_columns(index)
    )
}

fn add_foreign_key(table: &str, fk: &ForeignKey) -> String {
    let constraint = fk
        .name
        .as_deref()
        .map(|n| format!("CONSTRAINT {} ", ident(n)))
        .unwrap_or_default();
    format!(
        "ALTER TABLE {} ADD {constraint}FOREIGN KEY ({}) REFERENCES {}({}) ON DELETE {} ON UPDATE {}",
        ident(table),
        idents(&fk.columns, ", "),
        ident(&fk.referenced_table),
        idents(&fk.referenced_columns, ", "),
        fk.on_delete.as_sql(),
        fk.on_update.as_sql()
    )
}

fn sequence_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_seq").to_lowercase()
}

fn alter_table(migration: &Migration, table: &str, changes: &[TableChange]) -> Vec<String> {
    let mut before = Vec::new();
    let mut clauses = Vec::new();
    let mut after = Vec::new();
    for change in changes {
        match change {
            TableChange::DropPrimaryKey(pk) => clauses.push(format!(
                "DROP CONSTRAINT {}",
                ident(pk.name.as_deref().unwrap_or_default())
            )),
            TableChange::DropColumn(c) => clauses.push(format!("DROP COLUMN {}", ident(&c.name))),
            TableChange::AddColumn(c) => clauses.push(format!("ADD COLUMN {}", column(c))),
            TableChange::AlterColumn {
                previous,
                next,
                changes,
            } => {
                let prefix = format!("ALTER COLUMN {}", ident(&previous.name));
                if changes.arity && !next.list && !previous.list {
                    if next.nullable {
                        clauses.push(format!("{prefix} DROP NOT NULL"));
                    } else {
                        clauses.push(format!("{prefix} SET NOT NULL"));
                    }
                }
                if changes.default {
                    match &next.default {
                        Some(d) => clauses.push(format!("{prefix} SET DEFAULT {}", default(d))),
                        None => clauses.push(format!("{prefix} DROP DEFAULT")),
                    }
                }
                if changes.auto_increment {
                    let seq = sequence_name(table, &next.name);
                    if previous.auto_increment {
                        clauses.push(format!("{prefix} DROP DEFAULT"));
                        if !sequence_still_used(&migration.next, &seq) {
                            after.push(format!("DROP SEQUENCE {}", ident(&seq)));
                        }
                    } else {
                        before.push(format!("CREATE SEQUENCE {seq}"));
                        clauses.push(format!("{prefix} SET DEFAULT nextval('{seq}')"));
                        after.push(format!(
                            "ALTER SEQUENCE {seq} OWNED BY {}.{}",
                            ident(table),
                            ident(&next.name)
                        ));
                    }
                }
                if changes.ty.is_some() {
                    let mut plain = next.clone();
                    plain.auto_increment = false;
                    clauses.push(format!("{prefix} SET DATA TYPE {}", column_type(&plain)));
                }
            }
            TableChange::DropAndRecreateColumn { previous, next } => {
                clauses.push(format!("DROP COLUMN {}", ident(&previous.name)));
                clauses.push(format!("ADD COLUMN {}", column(next)));
            }
            TableChange::AddPrimaryKey(pk) => {
                let constraint = pk
                    .name
                    .as_deref()
                    .map(|n| format!("CONSTRAINT {} ", ident(n)))
                    .unwrap_or_default();
                clauses.push(format!(
                    "ADD {constraint}PRIMARY KEY ({})",
                    idents(&pk.columns, ", ")
                ));
            }
        }
    }
    if clauses.is_empty() {
        return Vec::new();
    }
    let mut out = before;
    out.push(format!(
        "ALTER TABLE {} {}",
        ident(table),
        clauses.join(",\n")
    ));
    out.extend(after);
    out
}

/// Whether another auto-increment column of `schema` still uses the sequence named `seq`.
fn sequence_still_used(schema: &SqlSchema, seq: &str) -> bool {
    schema.tables.iter().any(|t| {
        t.columns
            .iter()
            .any(|c| c.auto_increment && sequence_name(&t.name, &c.name) == seq)
    })
}

fn alter_enum(
    migration: &Migration,
    previous: &Enum,
    next: &Enum,
    added: &[String],
    removed: &[String],
) -> Vec<String> {
    if removed.is_empty() {
        let mut statements: Vec<String> = added
            .iter()
            .map(|v| {
                format!(
                    "ALTER TYPE {} ADD VALUE {}",
                    ident(&previous.name),
                    string_literal(v)
                )
            })
            .collect();
        if statements.len() > 1 {
            statements[0] = format!(
                "-- This migration adds more than one value to an enum.\n\
                 -- With PostgreSQL versions 11 and earlier, this is not possible\n\
                 -- in a single migration. This can be worked around by creating\n\
                 -- multiple migrations, each migration adding only one value to\n\
                 -- the enum.\n\n\n{}",
                statements[0]
            );
        }
        return statements;
    }

    // Values cannot be removed from a PostgreSQL enum: create the new type, move the columns
    // over with a cast through text, and swap the names.
    let new_name = format!("{}_new", next.name);
    let old_name = format!("{}_old", previous.name);
    let mut out = vec!["BEGIN".to_owned(), create_enum(&ident(&new_name), next)];
    let uses = |schema: &SqlSchema| -> Vec<(String, Column)> {
        schema
            .tables
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| c.ty == ColumnType::Enum(previous.name.clone()))
                    .map(|c| (t.name.clone(), c.clone()))
            })
            .collect()
    };
    let previous_uses = uses(&migration.previous);
    for (table, column) in previous_uses.iter().filter(|(_, c)| c.default.is_some()) {
        out.push(format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
            ident(table),
            ident(&column.name)
        ));
    }
    let next_uses: Vec<(String, Column)> = migration
        .next
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.ty == ColumnType::Enum(next.name.clone()))
                .map(|c| (t.name.clone(), c.clone()))
        })
        .collect();
    for (table, column) in &next_uses {
        let array = if column.list { "[]" } else { "" };
        out.push(format!(
            "ALTER TABLE {} ALTER COLUMN {col} TYPE {new}{array} USING ({col}::text::{new}{array})",
            ident(table),
            col = ident(&column.name),
            new = ident(&new_name),
        ));
    }
    out.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        ident(&previous.name),
        ident(&old_name)
    ));
    out.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        ident(&new_name),
        ident(&next.name)
    ));
    out.push(format!("DROP TYPE {}", ident(&old_name)));
    for (table, column) in &previous_uses {
        let reinstated = next_uses
            .iter()
            .find(|(t, c)| t == table && c.name == column.name)
            .and_then(|(_, c)| c.default.as_ref());
        if column.default.is_some()
            && let Some(d) = reinstated
        {
            out.push(format!(
                "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}",
                ident(table),
                ident(&column.name),
                default(d)
            ));
        }
    }
    out.push("COMMIT".to_owned());
    out
}
