//! The differ: from two [`SqlSchema`]s to the ordered steps that turn one into the other.
//!
//! Steps come out in the order Prisma's migration engine writes them, so a generated
//! `migration.sql` reads like Prisma's: enums are created and altered first, foreign keys and
//! indexes dropped, tables altered, dropped and created, SQLite tables redefined, then indexes
//! and foreign keys created. Within a kind, objects keep schema order.

use super::model::{
    Column, ColumnType, Enum, ForeignKey, Index, PrimaryKey, SqlSchema, Table, TypeFamily,
};
use crate::sql::Dialect;

/// The steps that turn `previous` into `next`, with both schemas kept for rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// The dialect the steps are for.
    pub dialect: Dialect,
    /// The schema before.
    pub previous: SqlSchema,
    /// The schema after.
    pub next: SqlSchema,
    /// The steps, in the order they run.
    pub steps: Vec<Step>,
}

impl Migration {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// One step of a migration. Each renders as one `-- Description` section.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Step {
    /// `CREATE TYPE … AS ENUM`.
    CreateEnum(Enum),
    /// Values added to (and possibly removed from) an enum.
    AlterEnum {
        /// The enum before.
        previous: Enum,
        /// The enum after.
        next: Enum,
        /// Values in `next` only, in order.
        added: Vec<String>,
        /// Values in `previous` only.
        removed: Vec<String>,
    },
    /// `ALTER TABLE … DROP CONSTRAINT` of a foreign key.
    DropForeignKey {
        /// The table holding the key.
        table: String,
        /// The key.
        foreign_key: ForeignKey,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The indexed table.
        table: String,
        /// The index.
        index: Index,
    },
    /// `ALTER TABLE` with one or more changes.
    AlterTable {
        /// The table.
        table: String,
        /// The changes, in rendering order.
        changes: Vec<TableChange>,
    },
    /// `DROP TABLE`.
    DropTable(Table),
    /// `DROP TYPE`.
    DropEnum(Enum),
    /// `CREATE TABLE`.
    CreateTable(Table),
    /// SQLite: tables rebuilt with the new-table, copy, drop, rename pattern.
    RedefineTables(Vec<RedefineTable>),
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex {
        /// The indexed table.
        table: String,
        /// The index.
        index: Index,
    },
    /// `ALTER TABLE … RENAME CONSTRAINT` of a foreign key.
    RenameForeignKey {
        /// The table holding the key.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`.
    AddForeignKey {
        /// The table holding the key.
        table: String,
        /// The key.
        foreign_key: ForeignKey,
    },
    /// `ALTER INDEX … RENAME TO` (PostgreSQL).
    RenameIndex {
        /// The indexed table.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// SQLite: an index dropped and created again under a new name.
    RedefineIndex {
        /// The indexed table.
        table: String,
        /// The index before.
        previous: Index,
        /// The index after.
        next: Index,
    },
}

impl Step {
    /// The section title Prisma writes above the step (`"CreateTable"`).
    pub fn description(&self) -> &'static str {
        match self {
            Step::CreateEnum(_) => "CreateEnum",
            Step::AlterEnum { .. } => "AlterEnum",
            Step::DropForeignKey { .. } => "DropForeignKey",
            Step::DropIndex { .. } => "DropIndex",
            Step::AlterTable { .. } => "AlterTable",
            Step::DropTable(_) => "DropTable",
            Step::DropEnum(_) => "DropEnum",
            Step::CreateTable(_) => "CreateTable",
            Step::RedefineTables(_) => "RedefineTables",
            Step::CreateIndex { .. } => "CreateIndex",
            Step::RenameForeignKey { .. } => "RenameForeignKey",
            Step::AddForeignKey { .. } => "AddForeignKey",
            Step::RenameIndex { .. } => "RenameIndex",
            Step::RedefineIndex { .. } => "RedefineIndex",
        }
    }
}

/// One change inside an `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TableChange {
    /// `DROP CONSTRAINT "<pkey>"`.
    DropPrimaryKey(PrimaryKey),
    /// `DROP COLUMN`.
    DropColumn(Column),
    /// `ADD COLUMN`.
    AddColumn(Column),
    /// `ALTER COLUMN` (type, nullability, default, sequence).
    AlterColumn {
        /// The column before.
        previous: Column,
        /// The column after.
        next: Column,
        /// What changed.
        changes: ColumnChanges,
    },
    /// A type change without a cast: the column is dropped and added again.
    DropAndRecreateColumn {
        /// The column before.
        previous: Column,
        /// The column after.
        next: Column,
    },
    /// `ADD CONSTRAINT "<pkey>" PRIMARY KEY`.
    AddPrimaryKey(PrimaryKey),
}

/// What changed about a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColumnChanges {
    /// Nullability (or list-ness).
    pub arity: bool,
    /// The default.
    pub default: bool,
    /// The type.
    pub ty: Option<TypeChange>,
    /// Whether it is fed by a sequence.
    pub auto_increment: bool,
}

impl ColumnChanges {
    /// Compares two versions of a column.
    pub fn between(previous: &Column, next: &Column) -> ColumnChanges {
        let ty = (previous.ty != next.ty || previous.list != next.list)
            .then(|| TypeChange::classify(previous, next));
        ColumnChanges {
            arity: previous.nullable != next.nullable || previous.list != next.list,
            default: previous.default != next.default,
            ty,
            auto_increment: previous.auto_increment != next.auto_increment,
        }
    }

    /// Whether anything changed.
    pub fn any(&self) -> bool {
        self.arity || self.default || self.ty.is_some() || self.auto_increment
    }
}

/// How safely existing values convert to a new column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeChange {
    /// Every value converts (`INTEGER` to `BIGINT`, anything to `TEXT`).
    Safe,
    /// Values convert with a cast that may fail or lose precision.
    Risky,
    /// No cast exists: the column is dropped and recreated.
    NotCastable,
}

impl TypeChange {
    /// Classifies the change of type between two versions of a column.
    pub fn classify(previous: &Column, next: &Column) -> TypeChange {
        use TypeFamily as F;
        if previous.list != next.list {
            return TypeChange::NotCastable;
        }
        let (from, to) = (previous.ty.family(), next.ty.family());
        match (from, to) {
            (a, b) if a == b && a != F::Enum => {
                if widens(&previous.ty, &next.ty) {
                    TypeChange::Safe
                } else {
                    TypeChange::Risky
                }
            }
            (F::Int, F::BigInt | F::Decimal | F::Float) | (F::BigInt, F::Decimal) => {
                TypeChange::Safe
            }
            (_, F::String) => TypeChange::Safe,
            (F::BigInt, F::Int)
            | (F::Float, F::Int | F::BigInt | F::Decimal)
            | (F::Decimal, F::Int | F::BigInt | F::Float)
            | (F::BigInt, F::Float)
            | (F::Int | F::BigInt, F::Boolean)
            | (F::Boolean, F::Int | F::BigInt)
            | (F::Json, F::Json) => TypeChange::Risky,
            _ => TypeChange::NotCastable,
        }
    }
}

/// Whether `to` holds every value of `from`, for two types of the same family.
fn widens(from: &ColumnType, to: &ColumnType) -> bool {
    let (ColumnType::Builtin(from), ColumnType::Builtin(to)) = (from, to) else {
        return false;
    };
    let base = |s: &str| s.split('(').next().unwrap_or(s).to_owned();
    let arg = |s: &str| -> Option<u32> {
        let inner = s.split_once('(')?.1.split([')', ',']).next()?;
        inner.trim().parse().ok()
    };
    match (base(from).as_str(), base(to).as_str()) {
        ("SMALLINT", "INTEGER") | ("REAL", "DOUBLE PRECISION") => true,
        ("VARCHAR" | "CHAR", "TEXT") => true,
        (a, b) if a == b => match (arg(from), arg(to)) {
            (Some(f), Some(t)) => t >= f,
            (Some(_), None) => true,
            _ => false,
        },
        _ => false,
    }
}

/// One SQLite table rebuilt by the redefinition pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct RedefineTable {
    /// The table before.
    pub previous: Table,
    /// The table after.
    pub next: Table,
}

impl RedefineTable {
    /// The columns whose data is copied: present before and after, paired as (before, after).
    pub fn copied_columns(&self) -> impl Iterator<Item = (&Column, &Column)> {
        self.next.columns.iter().filter_map(|next| {
            let previous = self.previous.column(&next.name)?;
            let castable = previous.ty == next.ty
                || TypeChange::classify(previous, next) != TypeChange::NotCastable;
            castable.then_some((previous, next))
        })
    }
}

/// Computes the steps that turn `previous` into `next` on `dialect`.
///
/// The `_prisma_migrations` table is never touched.
pub fn diff(previous: &SqlSchema, next: &SqlSchema, dialect: Dialect) -> Migration {
    let previous = without_history_table(previous);
    let next = without_history_table(next);
    let mut b = Buckets::default();

    if dialect == Dialect::Postgres {
        diff_enums(&previous, &next, &mut b);
    }

    for table in &previous.tables {
        if next.table(&table.name).is_none() {
            if dialect == Dialect::Postgres {
                for fk in &table.foreign_keys {
                    b.drop_foreign_keys.push(Step::DropForeignKey {
                        table: table.name.clone(),
                        foreign_key: fk.clone(),
                    });
                }
            }
            b.drop_tables.push(Step::DropTable(table.clone()));
        }
    }

    for table in &next.tables {
        match previous.table(&table.name) {
            None => {
                b.create_tables.push(Step::CreateTable(table.clone()));
                for index in &table.indexes {
                    b.create_indexes.push(Step::CreateIndex {
                        table: table.name.clone(),
                        index: index.clone(),
                    });
                }
                if dialect == Dialect::Postgres {
                    for fk in &table.foreign_keys {
                        b.add_foreign_keys.push(Step::AddForeignKey {
                            table: table.name.clone(),
                            foreign_key: fk.clone(),
                        });
                    }
                }
            }
            Some(prev) => match dialect {
                Dialect::Sqlite => diff_table_sqlite(prev, table, &mut b),
                _ => diff_table_postgres(prev, table, &mut b),
            },
        }
    }

    let mut steps = b.into_steps();
    if dialect == Dialect::Sqlite {
        steps.retain(|s| !matches!(s, Step::CreateEnum(_) | Step::DropEnum(_)));
    }
    Migration {
        dialect,
        previous,
        next,
        steps,
    }
}

/// The name of Prisma's history table, ignored by the differ.
pub const HISTORY_TABLE: &str = "_prisma_migrations";

fn without_history_table(schema: &SqlSchema) -> SqlSchema {
    let mut schema = schema.clone();
    schema.tables.retain(|t| t.name != HISTORY_TABLE);
    schema
}

#[derive(Default)]
struct Buckets {
    create_enums: Vec<Step>,
    alter_enums: Vec<Step>,
    drop_foreign_keys: Vec<Step>,
    drop_indexes: Vec<Step>,
    alter_tables: Vec<Step>,
    drop_tables: Vec<Step>,
    drop_enums: Vec<Step>,
    create_tables: Vec<Step>,
    redefine_tables: Vec<RedefineTable>,
    create_indexes: Vec<Step>,
    rename_foreign_keys: Vec<Step>,
    add_foreign_keys: Vec<Step>,
    rename_indexes: Vec<Step>,
    redefine_indexes: Vec<Step>,
}

impl Buckets {
    fn into_steps(self) -> Vec<Step> {
        let mut steps = Vec::new();
        steps.extend(self.create_enums);
        steps.extend(self.alter_enums);
        steps.extend(self.drop_foreign_keys);
        steps.extend(self.drop_indexes);
        steps.extend(self.alter_tables);
        steps.extend(self.drop_tables);
        steps.extend(self.drop_enums);
        steps.extend(self.create_tables);
        if !self.redefine_tables.is_empty() {
            steps.push(Step::RedefineTables(self.redefine_tables));
        }
        steps.extend(self.create_indexes);
        steps.extend(self.rename_foreign_keys);
        steps.extend(self.add_foreign_keys);
        steps.extend(self.rename_indexes);
        steps.extend(self.redefine_indexes);
        steps
    }
}

fn diff_enums(previous: &SqlSchema, next: &SqlSchema, b: &mut Buckets) {
    for e in &next.enums {
        match previous.enum_named(&e.name) {
            None => b.create_enums.push(Step::CreateEnum(e.clone())),
            Some(prev) if prev.values != e.values => {
                let added: Vec<String> = e
                    .values
                    .iter()
                    .filter(|v| !prev.values.contains(v))
                    .cloned()
                    .collect();
                let removed: Vec<String> = prev
                    .values
                    .iter()
                    .filter(|v| !e.values.contains(v))
                    .cloned()
                    .collect();
                // A pure reordering cannot be expressed and does not matter to stored data.
                if !added.is_empty() || !removed.is_empty() {
                    b.alter_enums.push(Step::AlterEnum {
                        previous: prev.clone(),
                        next: e.clone(),
                        added,
                        removed,
                    });
                }
            }
            Some(_) => {}
        }
    }
    for e in &previous.enums {
        if next.enum_named(&e.name).is_none() {
            b.drop_enums.push(Step::DropEnum(e.clone()));
        }
    }
}

/// Pairs the indexes of two versions of a table: (dropped, created, renamed as (before, after)).
fn pair_indexes<'a>(
    prev: &'a Table,
    next: &'a Table,
) -> (Vec<&'a Index>, Vec<&'a Index>, Vec<(&'a Index, &'a Index)>) {
    let mut dropped: Vec<&Index> = Vec::new();
    let mut created: Vec<&Index> = Vec::new();
    let mut renamed = Vec::new();
    for index in &prev.indexes {
        match next.index(&index.name) {
            Some(n) if n.same_definition(index) => {}
            Some(_) => dropped.push(index),
            None => dropped.push(index),
        }
    }
    for index in &next.indexes {
        match prev.index(&index.name) {
            Some(p) if p.same_definition(index) => {}
            _ => created.push(index),
        }
    }
    // A dropped and a created index with the same definition are a rename.
    let mut i = 0;
    while i < created.len() {
        let candidate = created[i];
        if let Some(pos) = dropped
            .iter()
            .position(|d| d.same_definition(candidate) && next.index(&d.name).is_none())
        {
            renamed.push((dropped.remove(pos), candidate));
            created.remove(i);
        } else {
            i += 1;
        }
    }
    (dropped, created, renamed)
}

/// Index steps between two versions of a table. A rename is `ALTER INDEX … RENAME` on
/// PostgreSQL and a drop and create on SQLite.
fn diff_indexes(prev: &Table, next: &Table, dialect: Dialect, b: &mut Buckets) {
    let (dropped, created, renamed) = pair_indexes(prev, next);
    for index in dropped {
        b.drop_indexes.push(Step::DropIndex {
            table: prev.name.clone(),
            index: index.clone(),
        });
    }
    for index in created {
        b.create_indexes.push(Step::CreateIndex {
            table: next.name.clone(),
            index: index.clone(),
        });
    }
    for (from, to) in renamed {
        let table = next.name.clone();
        match dialect {
            Dialect::Sqlite => b.redefine_indexes.push(Step::RedefineIndex {
                table,
                previous: from.clone(),
                next: to.clone(),
            }),
            _ => b.rename_indexes.push(Step::RenameIndex {
                table,
                from: from.name.clone(),
                to: to.name.clone(),
            }),
        }
    }
}

fn diff_table_postgres(prev: &Table, next: &Table, b: &mut Buckets) {
    let mut changes = Vec::new();
    let pk_changed = prev.primary_key.as_ref().map(|p| &p.columns)
        != next.primary_key.as_ref().map(|p| &p.columns);
    if pk_changed && let Some(pk) = &prev.primary_key {
        changes.push(TableChange::DropPrimaryKey(pk.clone()));
    }
    let mut retyped: Vec<&str> = Vec::new();
    for column in &prev.columns {
        if next.column(&column.name).is_none() {
            changes.push(TableChange::DropColumn(column.clone()));
        }
    }
    let mut recreated = Vec::new();
    let mut altered = Vec::new();
    for column in &next.columns {
        let Some(previous) = prev.column(&column.name) else {
            changes.push(TableChange::AddColumn(column.clone()));
            continue;
        };
        let column_changes = ColumnChanges::between(previous, column);
        if !column_changes.any() {
            continue;
        }
        if column_changes.ty.is_some() {
            retyped.push(&column.name);
        }
        if column_changes.ty == Some(TypeChange::NotCastable) {
            recreated.push(TableChange::DropAndRecreateColumn {
                previous: previous.clone(),
                next: column.clone(),
            });
        } else {
            altered.push(TableChange::AlterColumn {
                previous: previous.clone(),
                next: column.clone(),
                changes: column_changes,
            });
        }
    }
    changes.extend(altered);
    changes.extend(recreated);
    if pk_changed && let Some(pk) = &next.primary_key {
        changes.push(TableChange::AddPrimaryKey(pk.clone()));
    }
    if !changes.is_empty() {
        b.alter_tables.push(Step::AlterTable {
            table: next.name.clone(),
            changes,
        });
    }

    diff_indexes(prev, next, Dialect::Postgres, b);

    // Foreign keys: a key whose columns change type is dropped and added again around the
    // ALTER TABLE, as is a key on a referenced column that changes type.
    let touches_retyped = |fk: &ForeignKey| {
        fk.columns.iter().any(|c| retyped.contains(&c.as_str()))
            || referenced_retyped(fk, &b.alter_tables)
    };
    for fk in &prev.foreign_keys {
        let kept = next
            .foreign_keys
            .iter()
            .find(|n| n.same_definition(fk))
            .filter(|_| !touches_retyped(fk));
        if kept.is_none() {
            b.drop_foreign_keys.push(Step::DropForeignKey {
                table: prev.name.clone(),
                foreign_key: fk.clone(),
            });
        }
    }
    for fk in &next.foreign_keys {
        match prev.foreign_keys.iter().find(|p| p.same_definition(fk)) {
            Some(p) if !touches_retyped(p) => {
                if let (Some(from), Some(to)) = (&p.name, &fk.name)
                    && from != to
                {
                    b.rename_foreign_keys.push(Step::RenameForeignKey {
                        table: next.name.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    });
                }
            }
            _ => b.add_foreign_keys.push(Step::AddForeignKey {
                table: next.name.clone(),
                foreign_key: fk.clone(),
            }),
        }
    }
}

/// Whether a referenced column of `fk` changes type in an ALTER TABLE computed so far.
fn referenced_retyped(fk: &ForeignKey, alter_tables: &[Step]) -> bool {
    alter_tables.iter().any(|step| match step {
        Step::AlterTable { table, changes } if *table == fk.referenced_table => {
            changes.iter().any(|c| match c {
                TableChange::AlterColumn { next, changes, .. } => {
                    changes.ty.is_some() && fk.referenced_columns.contains(&next.name)
                }
                TableChange::DropAndRecreateColumn { next, .. } => {
                    fk.referenced_columns.contains(&next.name)
                }
                _ => false,
            })
        }
        _ => false,
    })
}

fn diff_table_sqlite(prev: &Table, next: &Table, b: &mut Buckets) {
    let pk_changed = prev.primary_key.as_ref().map(|p| &p.columns)
        != next.primary_key.as_ref().map(|p| &p.columns);
    let dropped_column = prev.columns.iter().any(|c| next.column(&c.name).is_none());
    let changed_column = next.columns.iter().any(|c| {
        prev.column(&c.name)
            .is_some_and(|p| ColumnChanges::between(p, c).any())
    });
    let fks_changed = prev.foreign_keys.len() != next.foreign_keys.len()
        || next
            .foreign_keys
            .iter()
            .any(|fk| !prev.foreign_keys.iter().any(|p| p.same_definition(fk)));
    let added: Vec<&Column> = next
        .columns
        .iter()
        .filter(|c| prev.column(&c.name).is_none())
        .collect();
    // `ALTER TABLE … ADD COLUMN` cannot add a primary-key column, a NOT NULL column without a
    // constant default, or a column with a non-constant default.
    let added_needs_redefine = added.iter().any(|c| {
        next.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&c.name))
            || (!c.nullable && c.default.is_none())
            || matches!(
                c.default,
                Some(super::model::DefaultValue::Now | super::model::DefaultValue::Expression(_))
            )
    });

    if pk_changed || dropped_column || changed_column || fks_changed || added_needs_redefine {
        // The old table's indexes go with it; the new table's are created by the step.
        b.redefine_tables.push(RedefineTable {
            previous: prev.clone(),
            next: next.clone(),
        });
        return;
    }

    if !added.is_empty() {
        b.alter_tables.push(Step::AlterTable {
            table: next.name.clone(),
            changes: added
                .into_iter()
                .map(|c| TableChange::AddColumn(c.clone()))
                .collect(),
        });
    }

    diff_indexes(prev, next, Dialect::Sqlite, b);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::model::{DefaultValue, ReferentialAction};

    fn text(name: &str) -> Column {
        Column::new(name, ColumnType::builtin("TEXT"))
    }

    fn user() -> Table {
        let mut t = Table::new("User");
        t.columns.push(text("id"));
        t.columns.push(text("email"));
        t.primary_key = Some(PrimaryKey {
            name: Some("User_pkey".into()),
            columns: vec!["id".into()],
        });
        t.indexes
            .push(Index::new("User_email_key", &["email"], true));
        t
    }

    fn schema(tables: Vec<Table>) -> SqlSchema {
        SqlSchema {
            enums: vec![],
            tables,
        }
    }

    #[test]
    fn identical_schemas_need_no_step() {
        let s = schema(vec![user()]);
        assert!(diff(&s, &s, Dialect::Postgres).is_empty());
        assert!(diff(&s, &s, Dialect::Sqlite).is_empty());
    }

    #[test]
    fn new_table_comes_with_its_indexes_and_foreign_keys_in_prisma_order() {
        let mut order = Table::new("Order");
        order.columns.push(text("id"));
        order.columns.push(text("userId"));
        order.foreign_keys.push(ForeignKey {
            name: Some("Order_userId_fkey".into()),
            columns: vec!["userId".into()],
            referenced_table: "User".into(),
            referenced_columns: vec!["id".into()],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::Cascade,
        });
        let m = diff(
            &SqlSchema::default(),
            &schema(vec![user(), order]),
            Dialect::Postgres,
        );
        let kinds: Vec<&str> = m.steps.iter().map(Step::description).collect();
        assert_eq!(
            kinds,
            ["CreateTable", "CreateTable", "CreateIndex", "AddForeignKey"]
        );
    }

    #[test]
    fn sqlite_adds_nullable_columns_in_place_and_redefines_for_required_ones() {
        let prev = schema(vec![user()]);
        let mut next_table = user();
        let mut nick = text("nick");
        nick.nullable = true;
        next_table.columns.push(nick);
        let m = diff(&prev, &schema(vec![next_table.clone()]), Dialect::Sqlite);
        assert!(matches!(m.steps[..], [Step::AlterTable { .. }]));

        next_table.columns.push(text("required"));
        let m = diff(&prev, &schema(vec![next_table]), Dialect::Sqlite);
        assert!(matches!(m.steps[..], [Step::RedefineTables(_)]));
    }

    #[test]
    fn renamed_index_is_renamed_not_recreated() {
        let prev = schema(vec![user()]);
        let mut t = user();
        t.indexes[0].name = "email_unique".into();
        let m = diff(&prev, &schema(vec![t]), Dialect::Postgres);
        assert_eq!(
            m.steps,
            vec![Step::RenameIndex {
                table: "User".into(),
                from: "User_email_key".into(),
                to: "email_unique".into()
            }]
        );
    }

    #[test]
    fn column_changes_are_classified() {
        let prev = text("a");
        let mut next = Column::new("a", ColumnType::builtin("INTEGER"));
        next.default = Some(DefaultValue::Number("0".into()));
        let changes = ColumnChanges::between(&prev, &next);
        assert_eq!(changes.ty, Some(TypeChange::NotCastable));
        assert!(changes.default && !changes.arity);
        let int = Column::new("a", ColumnType::builtin("INTEGER"));
        let big = Column::new("a", ColumnType::builtin("BIGINT"));
        assert_eq!(TypeChange::classify(&int, &big), TypeChange::Safe);
        assert_eq!(TypeChange::classify(&big, &int), TypeChange::Risky);
    }

    #[test]
    fn enum_value_added_is_an_alter_enum() {
        let role = |values: &[&str]| Enum {
            name: "Role".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let prev = SqlSchema {
            enums: vec![role(&["A"])],
            tables: vec![],
        };
        let next = SqlSchema {
            enums: vec![role(&["A", "B"])],
            tables: vec![],
        };
        let m = diff(&prev, &next, Dialect::Postgres);
        assert!(
            matches!(&m.steps[..], [Step::AlterEnum { added, removed, .. }]
            if added == &["B"] && removed.is_empty())
        );
    }
}
