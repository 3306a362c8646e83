//! Destructive-change checks: before a migration runs, what it would lose or could not do,
//! worded as Prisma words it and measured against the database's rows when one is given.

use super::diff::{Migration, Step, TableChange, TypeChange};
use super::model::Column;
use super::render::ident;
use crate::adapter::Queryable;
use crate::sql::Sql;
use crate::value::FromValue;

/// What a migration would do to existing data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// Data that would be lost or casts that may fail: the migration can run, at a cost.
    pub warnings: Vec<String>,
    /// Steps that cannot succeed on the current data (a required column added to a table with
    /// rows and no default, a column made required while it holds NULLs).
    pub unexecutable: Vec<String>,
}

impl Diagnostics {
    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.warnings.is_empty() && self.unexecutable.is_empty()
    }

    /// Warnings then unexecutable steps, as Prisma lists them at the top of `migration.sql`.
    pub fn all(&self) -> Vec<String> {
        self.warnings
            .iter()
            .chain(&self.unexecutable)
            .cloned()
            .collect()
    }
}

struct Counter<'a> {
    db: Option<&'a dyn Queryable>,
}

impl Counter<'_> {
    async fn count(&self, sql: String) -> Option<i64> {
        let db = self.db?;
        let rows = db.query(&Sql::new(sql)).await.ok()?;
        let value = rows.rows().next()?.values().first()?.clone();
        i64::from_value(value, "count").ok()
    }

    /// Rows of `table`, when a database is at hand and the table exists.
    async fn rows(&self, table: &str) -> Option<i64> {
        self.count(format!("SELECT COUNT(*) FROM {}", ident(table)))
            .await
    }

    /// Non-null values of `column` in `table`.
    async fn values(&self, table: &str, column: &str) -> Option<i64> {
        self.count(format!(
            "SELECT COUNT({}) FROM {}",
            ident(column),
            ident(table)
        ))
        .await
    }
}

/// Checks `migration` against the data of `db` (the database it will run on). Without a
/// database, every check that depends on data is reported in its cautious form.
pub async fn destructive_warnings(
    migration: &Migration,
    db: Option<&dyn Queryable>,
) -> Diagnostics {
    let counter = Counter { db };
    let mut out = Diagnostics::default();
    for step in &migration.steps {
        match step {
            Step::DropTable(table) => match counter.rows(&table.name).await {
                Some(0) => {}
                Some(n) => out.warnings.push(format!(
                    "You are about to drop the `{}` table, which is not empty ({n} rows).",
                    table.name
                )),
                None => out.warnings.push(format!(
                    "You are about to drop the `{}` table. If the table is not empty, all the data it contains will be lost.",
                    table.name
                )),
            },
            Step::AlterTable { table, changes } => {
                for change in changes {
                    check_change(&counter, table, change, &mut out).await;
                }
            }
            Step::RedefineTables(tables) => {
                for redefine in tables {
                    let table = &redefine.previous.name;
                    for column in &redefine.previous.columns {
                        if redefine.next.column(&column.name).is_none() {
                            drop_column(&counter, table, &column.name, &mut out).await;
                        }
                    }
                    for next in &redefine.next.columns {
                        let change = match redefine.previous.column(&next.name) {
                            None => TableChange::AddColumn(next.clone()),
                            Some(previous) => {
                                let changes =
                                    super::diff::ColumnChanges::between(previous, next);
                                if !changes.any() {
                                    continue;
                                }
                                if changes.ty == Some(TypeChange::NotCastable) {
                                    TableChange::DropAndRecreateColumn {
                                        previous: previous.clone(),
                                        next: next.clone(),
                                    }
                                } else {
                                    let mut changes = changes;
                                    // The copy coalesces NULLs into the new default.
                                    if next.default.is_some() {
                                        changes.arity = false;
                                    }
                                    TableChange::AlterColumn {
                                        previous: previous.clone(),
                                        next: next.clone(),
                                        changes,
                                    }
                                }
                            }
                        };
                        check_change(&counter, table, &change, &mut out).await;
                    }
                    if redefine.previous.primary_key.as_ref().map(|p| &p.columns)
                        != redefine.next.primary_key.as_ref().map(|p| &p.columns)
                    {
                        primary_key_change(&counter, table, &mut out).await;
                    }
                }
            }
            Step::CreateIndex { table, index }
                if index.unique && migration.previous.table(table).is_some() =>
            {
                let columns: Vec<&str> = index.column_names().collect();
                out.warnings.push(format!(
                    "A unique constraint covering the columns `[{}]` on the table `{table}` will be added. If there are existing duplicate values, this will fail.",
                    columns.join(",")
                ));
            }
            Step::AlterEnum { next, removed, .. } if !removed.is_empty() => {
                out.warnings.push(format!(
                    "The values [{}] on the enum `{}` will be removed. If these variants are still used in the database, this will fail.",
                    removed.join(","),
                    next.name
                ));
            }
            _ => {}
        }
    }
    out
}

async fn drop_column(counter: &Counter<'_>, table: &str, column: &str, out: &mut Diagnostics) {
    match (counter.rows(table).await, counter.values(table, column).await) {
        (Some(0), _) | (_, Some(0)) => {}
        (_, Some(n)) => out.warnings.push(format!(
            "You are about to drop the column `{column}` on the `{table}` table, which still contains {n} non-null values."
        )),
        _ => out.warnings.push(format!(
            "You are about to drop the column `{column}` on the `{table}` table. All the data in the column will be lost."
        )),
    }
}

async fn primary_key_change(counter: &Counter<'_>, table: &str, out: &mut Diagnostics) {
    if counter.rows(table).await != Some(0) {
        out.warnings.push(format!(
            "The primary key for the `{table}` table will be changed. If it partially fails, the table could be left without primary key constraint."
        ));
    }
}

fn requires_value(column: &Column) -> bool {
    !column.nullable && !column.list && column.default.is_none() && !column.auto_increment
}

async fn check_change(
    counter: &Counter<'_>,
    table: &str,
    change: &TableChange,
    out: &mut Diagnostics,
) {
    match change {
        TableChange::DropColumn(column) => drop_column(counter, table, &column.name, out).await,
        TableChange::AddColumn(column) if requires_value(column) => {
            let name = &column.name;
            match counter.rows(table).await {
                Some(0) => {}
                Some(n) => out.unexecutable.push(format!(
                    "Added the required column `{name}` to the `{table}` table without a default value. There are {n} rows in this table, it is not possible to execute this step."
                )),
                None => out.unexecutable.push(format!(
                    "Added the required column `{name}` to the `{table}` table without a default value. This is not possible if the table is not empty."
                )),
            }
        }
        TableChange::AlterColumn {
            previous,
            next,
            changes,
        } => {
            let name = &next.name;
            if changes.arity && previous.nullable && !next.nullable && !next.list {
                let counts = (counter.rows(table).await, counter.values(table, name).await);
                match counts {
                    (Some(0), _) => {}
                    (Some(rows), Some(values)) if rows == values => {}
                    (Some(rows), Some(values)) => out.unexecutable.push(format!(
                        "Made the column `{name}` on table `{table}` required, but there are {} existing NULL values.",
                        rows - values
                    )),
                    _ => out.unexecutable.push(format!(
                        "Made the column `{name}` on table `{table}` required. This step will fail if there are existing NULL values in that column."
                    )),
                }
            }
            if changes.ty == Some(TypeChange::Risky) {
                let (from, to) = (&previous.ty, &next.ty);
                match (counter.rows(table).await, counter.values(table, name).await) {
                    (Some(0), _) | (_, Some(0)) => {}
                    (_, Some(n)) => out.warnings.push(format!(
                        "You are about to alter the column `{name}` on the `{table}` table, which contains {n} non-null values. The data in that column will be cast from `{from}` to `{to}`."
                    )),
                    _ => out.warnings.push(format!(
                        "You are about to alter the column `{name}` on the `{table}` table. The data in that column could be lost. The data in that column will be cast from `{from}` to `{to}`."
                    )),
                }
            }
        }
        TableChange::DropAndRecreateColumn { next, .. } => {
            let name = &next.name;
            let rows = counter.rows(table).await;
            if requires_value(next) {
                match rows {
                    Some(0) => {}
                    Some(_) => out.unexecutable.push(format!(
                        "Changed the type of `{name}` on the `{table}` table. No cast exists, the column would be dropped and recreated, which cannot be done since the column is required and there is data in the table."
                    )),
                    None => out.unexecutable.push(format!(
                        "Changed the type of `{name}` on the `{table}` table. No cast exists, the column would be dropped and recreated, which cannot be done if there is data, since the column is required."
                    )),
                }
            } else {
                match (rows, counter.values(table, name).await) {
                    (Some(0), _) | (_, Some(0)) => {}
                    (_, Some(_)) => out.warnings.push(format!(
                        "The `{name}` column on the `{table}` table would be dropped and recreated. This will lead to data loss."
                    )),
                    _ => out.warnings.push(format!(
                        "The `{name}` column on the `{table}` table would be dropped and recreated. This will lead to data loss if there is data in the column."
                    )),
                }
            }
        }
        TableChange::DropPrimaryKey(_) => primary_key_change(counter, table, out).await,
        _ => {}
    }
}
