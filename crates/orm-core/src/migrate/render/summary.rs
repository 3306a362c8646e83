//! A human summary of a migration, in the style of Prisma's drift report and
//! `migrate diff` without `--script`.

use crate::migrate::diff::{Migration, Step, TableChange};

/// Lists what the migration adds, removes and changes, grouped as Prisma groups it; an empty
/// migration is `No difference detected.`.
pub fn render_summary(migration: &Migration) -> String {
    if migration.steps.is_empty() {
        return "No difference detected.".to_owned();
    }
    let mut added_enums = Vec::new();
    let mut added_tables = Vec::new();
    let mut removed_enums = Vec::new();
    let mut removed_tables = Vec::new();
    let mut changed: Vec<(String, Vec<String>)> = Vec::new();
    let mut change =
        |title: String, line: String| match changed.iter_mut().find(|(t, _)| *t == title) {
            Some((_, lines)) => lines.push(line),
            None => changed.push((title, vec![line])),
        };
    for step in &migration.steps {
        match step {
            Step::CreateEnum(e) => added_enums.push(e.name.clone()),
            Step::DropEnum(e) => removed_enums.push(e.name.clone()),
            Step::CreateTable(t) => added_tables.push(t.name.clone()),
            Step::DropTable(t) => removed_tables.push(t.name.clone()),
            Step::AlterEnum {
                previous,
                added,
                removed,
                ..
            } => {
                let title = format!("Changed the `{}` enum", previous.name);
                for v in added {
                    change(title.clone(), format!("[+] Added variant `{v}`"));
                }
                for v in removed {
                    change(title.clone(), format!("[-] Removed variant `{v}`"));
                }
            }
            Step::AlterTable { table, changes } => {
                let title = format!("Changed the `{table}` table");
                for c in changes {
                    let line = match c {
                        TableChange::AddColumn(col) => format!("[+] Added column `{}`", col.name),
                        TableChange::DropColumn(col) => {
                            format!("[-] Removed column `{}`", col.name)
                        }
                        TableChange::AlterColumn { next, .. } => {
                            format!("[*] Altered column `{}`", next.name)
                        }
                        TableChange::DropAndRecreateColumn { next, .. } => {
                            format!("[*] Column `{}` would be dropped and recreated", next.name)
                        }
                        TableChange::DropPrimaryKey(pk) => {
                            format!(
                                "[-] Dropped the primary key on columns ({})",
                                pk.columns.join(", ")
                            )
                        }
                        TableChange::AddPrimaryKey(pk) => {
                            format!(
                                "[+] Added primary key on columns ({})",
                                pk.columns.join(", ")
                            )
                        }
                    };
                    change(title.clone(), line);
                }
            }
            Step::RedefineTables(tables) => {
                for t in tables {
                    change(
                        format!("Redefined table `{}`", t.previous.name),
                        "[*] Redefined table".to_owned(),
                    );
                }
            }
            Step::CreateIndex { table, index } if migration.previous.table(table).is_some() => {
                change(
                    format!("Changed the `{table}` table"),
                    format!(
                        "[+] Added {}index on columns ({})",
                        if index.unique { "unique " } else { "" },
                        index.column_names().collect::<Vec<_>>().join(", ")
                    ),
                )
            }
            Step::DropIndex { table, index } => change(
                format!("Changed the `{table}` table"),
                format!(
                    "[-] Removed {}index on columns ({})",
                    if index.unique { "unique " } else { "" },
                    index.column_names().collect::<Vec<_>>().join(", ")
                ),
            ),
            Step::AddForeignKey { table, foreign_key }
                if migration.previous.table(table).is_some() =>
            {
                change(
                    format!("Changed the `{table}` table"),
                    format!(
                        "[+] Added foreign key on columns ({})",
                        foreign_key.columns.join(", ")
                    ),
                )
            }
            Step::DropForeignKey { table, foreign_key }
                if migration.next.table(table).is_some() =>
            {
                change(
                    format!("Changed the `{table}` table"),
                    format!(
                        "[-] Removed foreign key on columns ({})",
                        foreign_key.columns.join(", ")
                    ),
                )
            }
            Step::RenameIndex { table, from, to } => change(
                format!("Changed the `{table}` table"),
                format!("[*] Renamed index `{from}` to `{to}`"),
            ),
            Step::RedefineIndex {
                table, previous, ..
            } => change(
                format!("Changed the `{table}` table"),
                format!("[*] Redefined index `{}`", previous.name),
            ),
            Step::RenameForeignKey { table, from, to } => change(
                format!("Changed the `{table}` table"),
                format!("[*] Renamed the foreign key \"{from}\" to \"{to}\""),
            ),
            _ => {}
        }
    }
    let mut out = String::new();
    let mut section = |title: &str, items: &[String], bullet: &str| {
        if !items.is_empty() {
            out.push_str(&format!("\n{title}\n"));
            for item in items {
                out.push_str(&format!("  {bullet}{item}\n"));
            }
        }
    };
    section("[+] Added enums", &added_enums, "- ");
    section("[+] Added tables", &added_tables, "- ");
    section("[-] Removed enums", &removed_enums, "- ");
    section("[-] Removed tables", &removed_tables, "- ");
    for (title, lines) in &changed {
        section(&format!("[*] {title}"), lines, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::diff::diff;
    use crate::migrate::model::{Column, ColumnType, SqlSchema, Table};
    use crate::sql::Dialect;

    #[test]
    fn summary_groups_added_tables_and_changed_columns() {
        let mut order = Table::new("Order");
        order
            .columns
            .push(Column::new("id", ColumnType::builtin("TEXT")));
        let before = SqlSchema {
            enums: vec![],
            tables: vec![order.clone()],
        };
        let mut sku = Column::new("sku", ColumnType::builtin("TEXT"));
        sku.nullable = true;
        order.columns.push(sku);
        let after = SqlSchema {
            enums: vec![],
            tables: vec![order, Table::new("Inventory")],
        };
        let text = render_summary(&diff(&before, &after, Dialect::Postgres));
        assert_eq!(
            text,
            "\n[+] Added tables\n  - Inventory\n\n[*] Changed the `Order` table\n  [+] Added column `sku`\n"
        );
        assert_eq!(
            render_summary(&diff(&after, &after, Dialect::Postgres)),
            "No difference detected."
        );
    }
}
