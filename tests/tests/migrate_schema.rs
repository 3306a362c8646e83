//! The shape a schema describes against real databases: Prisma's DDL and ours give the same
//! catalog, and a database built from our DDL reads back as the schema's shape (every type,
//! default, key and index of the shared test schemas).

use orm_core::migrate::{self, SqlSchema, from_schema, introspect, render_script, schema_dialect};
use orm_core::{Dialect, Queryable};
use orm_tests::{PgDatabase, SqliteFile, shared_dir};

fn load(path: &std::path::Path) -> orm_schema::Schema {
    let source = std::fs::read_to_string(path).unwrap();
    orm_schema::parse_and_validate(&source, "schema.prisma").expect("valid schema")
}

/// A fresh database of `dialect` with `script` applied, and its shape.
async fn apply(dialect: Dialect, script: &str) -> SqlSchema {
    match dialect {
        Dialect::Postgres => {
            let db = PgDatabase::create().await;
            let adapter = orm_pg::PgAdapter::connect(&db.url).await.unwrap();
            migrate::run_script(&adapter, "test", script)
                .await
                .expect("script applies");
            introspect(&adapter).await.unwrap()
        }
        _ => {
            let file = SqliteFile::new();
            let adapter = orm_sqlite::SqliteAdapter::open(&file.url()).await.unwrap();
            migrate::run_script(&adapter, "test", script)
                .await
                .expect("script applies");
            let shape = introspect(&adapter).await.unwrap();
            drop(adapter);
            shape
        }
    }
}

#[tokio::test]
async fn our_ddl_and_prismas_give_the_same_catalog_for_the_seed_schema() {
    for provider in ["postgresql", "sqlite"] {
        let seed = shared_dir().join("prisma-golden/seed").join(provider);
        let schema = load(&seed.join("schema.prisma"));
        let dialect = schema_dialect(&schema).unwrap();
        let ours = render_script(
            &migrate::diff(
                &SqlSchema::default(),
                &from_schema(&schema, dialect),
                dialect,
            ),
            &[],
        );
        let theirs =
            std::fs::read_to_string(seed.join("init/migrations/20261125084445_init/migration.sql"))
                .unwrap();
        let ours = apply(dialect, &ours).await;
        let theirs = apply(dialect, &theirs).await;
        assert!(!theirs.tables.is_empty());
        assert_eq!(ours.normalized(), theirs.normalized(), "{provider}");
    }
}

#[tokio::test]
async fn full_schemas_read_back_as_their_shape() {
    for provider in ["postgresql", "sqlite"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("schemas/full.{provider}.prisma"));
        let schema = load(&path);
        let dialect = schema_dialect(&schema).unwrap();
        let target = from_schema(&schema, dialect);
        let script = render_script(&migrate::diff(&SqlSchema::default(), &target, dialect), &[]);
        let shape = apply(dialect, &script).await;
        let left = migrate::diff(&shape, &target, dialect);
        assert!(
            left.is_empty(),
            "{provider}: the database differs from the schema:\n{}",
            migrate::render_summary(&left)
        );
        assert_eq!(shape.normalized(), target.normalized(), "{provider}");
    }
}

#[tokio::test]
async fn destructive_changes_are_reported_before_anything_runs() {
    let db = PgDatabase::create().await;
    let adapter = orm_pg::PgAdapter::connect(&db.url).await.unwrap();
    let before = load(&shared_dir().join("prisma-golden/seed/postgresql/schema.prisma"));
    let v0 = load(&shared_dir().join("prisma-golden/seed/schema.v0.prisma"));
    let (before, v0) = (
        from_schema(&before, Dialect::Postgres),
        from_schema(&v0, Dialect::Postgres),
    );
    let create = migrate::diff(&SqlSchema::default(), &before, Dialect::Postgres);
    migrate::run_script(&adapter, "init", &render_script(&create, &[]))
        .await
        .unwrap();
    adapter
        .execute_script(
            "INSERT INTO \"User\" (id, email) VALUES ('u1', 'a@b.co');
             INSERT INTO \"Order\" (id, \"userId\", total, sku) VALUES ('o1', 'u1', 3, 'X');
             INSERT INTO \"Inventory\" (sku, stock) VALUES ('X', 1), ('Y', 2);",
        )
        .await
        .unwrap();
    // Back to v0: drops Inventory (2 rows) and Order.sku (1 value).
    let back = migrate::diff(&before, &v0, Dialect::Postgres);
    let diagnostics = migrate::destructive_warnings(&back, Some(&adapter)).await;
    assert_eq!(
        diagnostics.warnings,
        [
            "You are about to drop the column `sku` on the `Order` table, which still contains 1 non-null values.",
            "You are about to drop the `Inventory` table, which is not empty (2 rows).",
        ]
    );
    // A required column without default on a table with rows cannot be added.
    let mut with_required = before.clone();
    let order = with_required
        .tables
        .iter_mut()
        .find(|t| t.name == "Order")
        .unwrap();
    order.columns.push(migrate::Column::new(
        "note",
        migrate::ColumnType::builtin("TEXT"),
    ));
    let add = migrate::diff(&before, &with_required, Dialect::Postgres);
    let diagnostics = migrate::destructive_warnings(&add, Some(&adapter)).await;
    assert_eq!(
        diagnostics.unexecutable,
        [
            "Added the required column `note` to the `Order` table without a default value. There are 1 rows in this table, it is not possible to execute this step."
        ]
    );
    // Nothing ran: the data is intact.
    let shape = introspect(&adapter).await.unwrap();
    assert!(shape.table("Inventory").is_some());
}
