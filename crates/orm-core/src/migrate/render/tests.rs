//! The renderer reproduces Prisma's `migration.sql` files byte for byte for the seed schema,
//! built here by hand (the schema-to-model path has its own tests).

use super::*;
use crate::migrate::diff::diff;
use crate::migrate::model::*;

fn golden(provider: &str, path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("shared/prisma-golden/seed"))
        .find(|d| d.is_dir())
        .expect("shared/prisma-golden beside the checkout");
    std::fs::read_to_string(root.join(provider).join(path)).expect("golden file")
}

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, ColumnType::builtin(ty))
}

fn seed(dialect: Dialect, with_inventory: bool) -> SqlSchema {
    let sqlite = dialect == Dialect::Sqlite;
    let pk = |table: &str, c: &str| PrimaryKey {
        name: (!sqlite).then(|| format!("{table}_pkey")),
        columns: vec![c.to_owned()],
    };
    let mut user = Table::new("User");
    user.columns.push(col("id", "TEXT"));
    user.columns.push(col("email", "TEXT"));
    let mut created = col(
        "createdAt",
        if sqlite { "DATETIME" } else { "TIMESTAMP(3)" },
    );
    created.default = Some(DefaultValue::Now);
    user.columns.push(created);
    user.primary_key = Some(pk("User", "id"));
    user.indexes
        .push(Index::new("User_email_key", &["email"], true));
    user.indexes
        .push(Index::new("User_createdAt_idx", &["createdAt"], false));

    let mut order = Table::new("Order");
    order.columns.push(col("id", "TEXT"));
    order.columns.push(col("userId", "TEXT"));
    order.columns.push(col("total", "INTEGER"));
    if with_inventory {
        let mut sku = col("sku", "TEXT");
        sku.nullable = true;
        order.columns.push(sku);
    }
    order.primary_key = Some(pk("Order", "id"));
    order
        .indexes
        .push(Index::new("Order_userId_id_idx", &["userId", "id"], false));
    order.foreign_keys.push(ForeignKey {
        name: Some("Order_userId_fkey".into()),
        columns: vec!["userId".into()],
        referenced_table: "User".into(),
        referenced_columns: vec!["id".into()],
        on_delete: ReferentialAction::Cascade,
        on_update: ReferentialAction::Cascade,
    });

    let mut tables = vec![user, order];
    if with_inventory {
        let mut inventory = Table::new("Inventory");
        inventory.columns.push(col("sku", "TEXT"));
        inventory.columns.push(col("stock", "INTEGER"));
        inventory.primary_key = Some(pk("Inventory", "sku"));
        tables.push(inventory);
    }
    SqlSchema {
        enums: vec![],
        tables,
    }
}

fn script(from: &SqlSchema, to: &SqlSchema, dialect: Dialect) -> String {
    render_script(&diff(from, to, dialect), &[])
}

#[test]
fn init_migration_matches_prisma_byte_for_byte() {
    for (dialect, provider) in [
        (Dialect::Postgres, "postgresql"),
        (Dialect::Sqlite, "sqlite"),
    ] {
        let sql = script(&SqlSchema::default(), &seed(dialect, true), dialect);
        assert_eq!(
            sql,
            golden(
                provider,
                "init/migrations/20261125084445_init/migration.sql"
            ),
            "{provider}"
        );
    }
}

#[test]
fn evolution_migrations_match_prisma_byte_for_byte() {
    for (dialect, provider) in [
        (Dialect::Postgres, "postgresql"),
        (Dialect::Sqlite, "sqlite"),
    ] {
        let v0 = seed(dialect, false);
        let v1 = seed(dialect, true);
        assert_eq!(
            script(&SqlSchema::default(), &v0, dialect),
            golden(
                provider,
                "evolution/migrations/20261125090000_init/migration.sql"
            ),
            "{provider} init"
        );
        assert_eq!(
            script(&v0, &v1, dialect),
            golden(
                provider,
                "evolution/migrations/20261125090100_add_inventory/migration.sql"
            ),
            "{provider} add_inventory"
        );
    }
}

#[test]
fn empty_migration_says_so() {
    let s = seed(Dialect::Postgres, true);
    assert_eq!(
        script(&s, &s, Dialect::Postgres),
        "-- This is an empty migration."
    );
}

#[test]
fn warnings_come_first_in_a_comment_block() {
    let m = diff(
        &seed(Dialect::Postgres, true),
        &seed(Dialect::Postgres, false),
        Dialect::Postgres,
    );
    let sql = render_script(&m, &["You are about to drop the `Inventory` table.".into()]);
    assert!(sql.starts_with(
        "/*\n  Warnings:\n\n  - You are about to drop the `Inventory` table.\n\n*/\n-- AlterTable\n"
    ));
    assert!(sql.contains("ALTER TABLE \"Order\" DROP COLUMN \"sku\";\n"));
    assert!(sql.contains("-- DropTable\nDROP TABLE \"Inventory\";\n"));
}

#[test]
fn sqlite_redefines_a_table_to_drop_a_column() {
    let m = diff(
        &seed(Dialect::Sqlite, true),
        &seed(Dialect::Sqlite, false),
        Dialect::Sqlite,
    );
    let sql = render_script(&m, &[]);
    let expected = "-- RedefineTables
PRAGMA foreign_keys=OFF;
CREATE TABLE \"new_Order\" (
    \"id\" TEXT NOT NULL PRIMARY KEY,
    \"userId\" TEXT NOT NULL,
    \"total\" INTEGER NOT NULL,
    CONSTRAINT \"Order_userId_fkey\" FOREIGN KEY (\"userId\") REFERENCES \"User\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO \"new_Order\" (\"id\", \"userId\", \"total\") SELECT \"id\", \"userId\", \"total\" FROM \"Order\";
DROP TABLE \"Order\";
ALTER TABLE \"new_Order\" RENAME TO \"Order\";
CREATE INDEX \"Order_userId_id_idx\" ON \"Order\"(\"userId\", \"id\");
PRAGMA foreign_key_check(\"Order\");
PRAGMA foreign_keys=ON;
";
    assert!(sql.ends_with(expected), "{sql}");
    assert!(sql.starts_with("-- DropTable\nPRAGMA foreign_keys=off;\nDROP TABLE \"Inventory\";"));
}

#[test]
fn postgres_alter_column_clauses_follow_prisma_order() {
    let prev = seed(Dialect::Postgres, true);
    let mut next = prev.clone();
    let sku = &mut next.tables[1].columns[3];
    sku.nullable = false;
    sku.default = Some(DefaultValue::String("none".into()));
    sku.ty = ColumnType::builtin("VARCHAR(32)");
    assert_eq!(
        script(&prev, &next, Dialect::Postgres),
        "-- AlterTable\nALTER TABLE \"Order\" ALTER COLUMN \"sku\" SET NOT NULL,\n\
         ALTER COLUMN \"sku\" SET DEFAULT 'none',\n\
         ALTER COLUMN \"sku\" SET DATA TYPE VARCHAR(32);\n"
    );
}

#[test]
fn postgres_enum_values_are_added_in_place_and_removed_by_swapping_types() {
    let role = |values: &[&str]| Enum {
        name: "Role".into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    let with = |e: Enum| {
        let mut t = Table::new("User");
        let mut c = Column::new("role", ColumnType::Enum("Role".into()));
        c.default = Some(DefaultValue::String("A".into()));
        t.columns.push(c);
        SqlSchema {
            enums: vec![e],
            tables: vec![t],
        }
    };
    assert_eq!(
        script(
            &with(role(&["A"])),
            &with(role(&["A", "B"])),
            Dialect::Postgres
        ),
        "-- AlterEnum\nALTER TYPE \"Role\" ADD VALUE 'B';\n"
    );
    let removed = script(
        &with(role(&["A", "B"])),
        &with(role(&["A"])),
        Dialect::Postgres,
    );
    assert_eq!(
        removed,
        "-- AlterEnum\nBEGIN;\nCREATE TYPE \"Role_new\" AS ENUM ('A');\n\
         ALTER TABLE \"User\" ALTER COLUMN \"role\" DROP DEFAULT;\n\
         ALTER TABLE \"User\" ALTER COLUMN \"role\" TYPE \"Role_new\" USING (\"role\"::text::\"Role_new\");\n\
         ALTER TYPE \"Role\" RENAME TO \"Role_old\";\n\
         ALTER TYPE \"Role_new\" RENAME TO \"Role\";\n\
         DROP TYPE \"Role_old\";\n\
         ALTER TABLE \"User\" ALTER COLUMN \"role\" SET DEFAULT 'A';\n\
         COMMIT;\n"
    );
}
