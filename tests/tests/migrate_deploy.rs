//! Migration history against real databases: Prisma's own folders deploy, the history table has
//! Prisma's shape, failures and edits are recorded and refused, concurrent deploys apply each
//! migration once, and the introspected shape round-trips through the DDL renderer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use orm_core::migrate::{
    self, LocalMigration, MigrateError, Migrations, MigrationsDir, SqlSchema, checksum, introspect,
    render_script,
};
use orm_core::{Adapter, Dialect, Sql, Value};
use orm_pg::PgAdapter;
use orm_sqlite::SqliteAdapter;
use orm_tests::{PgDatabase, SqliteFile, shared_dir};

fn golden(provider: &str, which: &str) -> PathBuf {
    shared_dir()
        .join("prisma-golden/seed")
        .join(provider)
        .join(which)
        .join("migrations")
}

async fn pg() -> (PgDatabase, Arc<dyn Adapter>) {
    let db = PgDatabase::create().await;
    let adapter = PgAdapter::connect(&db.url).await.expect("connect");
    (db, Arc::new(adapter))
}

async fn sqlite() -> (SqliteFile, Arc<dyn Adapter>) {
    let file = SqliteFile::new();
    let adapter = SqliteAdapter::open(&file.url()).await.expect("open");
    (file, Arc::new(adapter))
}

fn folder(path: &Path) -> Vec<LocalMigration> {
    MigrationsDir::new(path).migrations().expect("read folder")
}

async fn rows(db: &dyn Adapter, sql: &str) -> Vec<Vec<Value>> {
    db.query(&Sql::new(sql))
        .await
        .expect(sql)
        .rows()
        .map(|r| r.values().to_vec())
        .collect()
}

async fn deploy_golden_evolution(provider: &str, db: &dyn Adapter) {
    let local = folder(&golden(provider, "evolution"));
    let applied = migrate::deploy(db, &local, &mut |_| {})
        .await
        .expect("deploy");
    let names: Vec<&str> = applied.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["20261125090000_init", "20261125090100_add_inventory"]
    );

    let status = migrate::status(db, &local).await.expect("status");
    assert!(status.is_up_to_date(), "{status:?}");
    assert_eq!(status.applied.len(), 2);

    // A second deploy has nothing to do.
    assert!(
        migrate::deploy(db, &local, &mut |_| {})
            .await
            .expect("redeploy")
            .is_empty()
    );

    // Each row: Prisma's checksum of the file, one applied step, finished, not rolled back.
    let history = migrate::history::read(db).await.expect("history");
    assert_eq!(history.len(), 2);
    for (row, m) in history.iter().zip(&local) {
        assert_eq!(row.migration_name, m.name);
        assert_eq!(row.checksum, checksum(m.script.as_bytes()));
        assert!(row.is_applied() && row.applied_steps_count == 1 && row.logs.is_none());
        assert_eq!(row.id.len(), 36);
    }
}

#[tokio::test]
async fn prisma_evolution_folder_deploys_on_postgres() {
    let (_db, adapter) = pg().await;
    deploy_golden_evolution("postgresql", &*adapter).await;
    let tables = introspect(&*adapter).await.unwrap();
    assert!(tables.table("Inventory").is_some());
    assert!(tables.table("Order").unwrap().column("sku").is_some());
}

#[tokio::test]
async fn prisma_evolution_folder_deploys_on_sqlite() {
    let (_file, adapter) = sqlite().await;
    deploy_golden_evolution("sqlite", &*adapter).await;
}

#[tokio::test]
async fn history_table_has_prismas_columns_and_types_on_postgres() {
    let (_db, adapter) = pg().await;
    migrate::history::ensure_table(&*adapter).await.unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            shared_dir().join("prisma-golden/seed/postgresql/prisma_migrations.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let got = rows(
        &*adapter,
        "SELECT column_name::text, data_type::text, character_maximum_length::int4, is_nullable::text, column_default::text
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    )
    .await;
    let expected = golden["columns"].as_array().unwrap();
    assert_eq!(got.len(), expected.len());
    for (row, col) in got.iter().zip(expected) {
        let text = |v: &Value| match v {
            Value::String(s) => serde_json::Value::from(s.as_str()),
            Value::Int(i) => serde_json::Value::from(*i),
            _ => serde_json::Value::Null,
        };
        assert_eq!(text(&row[0]), col["column_name"]);
        assert_eq!(text(&row[1]), col["data_type"]);
        assert_eq!(text(&row[2]), col["max_length"]);
        assert_eq!(text(&row[3]), col["is_nullable"]);
        assert_eq!(text(&row[4]), col["column_default"]);
    }
    let pk = rows(
        &*adapter,
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '\"_prisma_migrations\"'::regclass",
    )
    .await;
    assert_eq!(
        pk,
        vec![vec![
            Value::String("_prisma_migrations_pkey".into()),
            Value::String("PRIMARY KEY (id)".into())
        ]]
    );
}

#[tokio::test]
async fn history_table_has_prismas_ddl_and_epoch_millis_on_sqlite() {
    let (_file, adapter) = sqlite().await;
    let local = folder(&golden("sqlite", "init"));
    migrate::deploy(&*adapter, &local, &mut |_| {})
        .await
        .unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            shared_dir().join("prisma-golden/seed/sqlite/prisma_migrations.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let info = rows(&*adapter, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('_prisma_migrations')").await;
    // The golden DDL, applied to a scratch database, has the same pragma view.
    let scratch = rusqlite::Connection::open_in_memory().unwrap();
    scratch
        .execute_batch(golden["ddl"].as_str().unwrap())
        .unwrap();
    let mut stmt = scratch
        .prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('_prisma_migrations')")
        .unwrap();
    let expected: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{:?}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let got: Vec<String> = info
        .iter()
        .map(|r| {
            let s = |v: &Value| match v {
                Value::String(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::BigInt(i) => i.to_string(),
                _ => String::new(),
            };
            let d = match &r[3] {
                Value::Null => "None".to_owned(),
                v => format!("Some({:?})", s(v)),
            };
            format!("{}|{}|{}|{d}|{}", s(&r[0]), s(&r[1]), s(&r[2]), s(&r[4]))
        })
        .collect();
    assert_eq!(got, expected);
    let stamps = rows(&*adapter, "SELECT typeof(started_at), typeof(finished_at), CAST(started_at AS INTEGER) FROM _prisma_migrations").await;
    assert_eq!(stamps[0][0], Value::String("integer".into()));
    assert_eq!(stamps[0][1], Value::String("integer".into()));
    let millis = match stamps[0][2] {
        Value::BigInt(n) => n,
        Value::Int(n) => i64::from(n),
        ref other => panic!("started_at {other:?}"),
    };
    assert!((millis - chrono::Utc::now().timestamp_millis()).abs() < 60_000);
}

fn write_folder(dir: &Path, migrations: &[(&str, &str)]) {
    for (name, script) in migrations {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("migration.sql"), script).unwrap();
    }
}

async fn failing_migration_is_recorded_and_blocks_until_resolved(db: &dyn Adapter) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    write_folder(
        &dir,
        &[
            (
                "20260101000000_init",
                "-- CreateTable\nCREATE TABLE \"A\" (\"id\" INTEGER NOT NULL);\n",
            ),
            (
                "20260102000000_broken",
                "-- CreateTable\nCREATE TABLE \"B\" (\"id\" INTEGER NOT NULL);\n\n-- AlterTable\nALTER TABLE \"Missing\" ADD COLUMN \"x\" TEXT;\n",
            ),
            (
                "20260103000000_later",
                "CREATE TABLE \"C\" (\"id\" INTEGER NOT NULL);\n",
            ),
        ],
    );
    let local = folder(&dir);
    let err = migrate::deploy(db, &local, &mut |_| {}).await.unwrap_err();
    match &err {
        MigrateError::Apply {
            migration,
            statement,
            line,
            ..
        } => {
            assert_eq!(migration, "20260102000000_broken");
            assert_eq!(statement, "ALTER TABLE \"Missing\" ADD COLUMN \"x\" TEXT");
            assert_eq!(*line, 5);
        }
        other => panic!("expected an apply error, got {other}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("line 5") && message.contains("ALTER TABLE \"Missing\""),
        "{message}"
    );

    let history = migrate::history::read(db).await.unwrap();
    let failed = history
        .iter()
        .find(|r| r.migration_name == "20260102000000_broken")
        .unwrap();
    assert!(failed.is_failed() && failed.applied_steps_count == 0);
    assert!(failed.logs.as_deref().unwrap().contains("Missing"));
    // The failing migration ran in a transaction where the backend allows: B is gone too.
    let shape = introspect(db).await.unwrap();
    assert!(shape.table("A").is_some() && shape.table("B").is_none() && shape.table("C").is_none());

    let status = migrate::status(db, &local).await.unwrap();
    assert_eq!(status.failed, ["20260102000000_broken"]);
    assert!(!status.is_up_to_date());

    // The next deploy refuses, naming the failed migration.
    match migrate::deploy(db, &local, &mut |_| {}).await.unwrap_err() {
        MigrateError::FailedMigrationRecorded { migration } => {
            assert_eq!(migration, "20260102000000_broken")
        }
        other => panic!("expected a refusal, got {other}"),
    }

    // Fix the file, resolve as rolled back, deploy again.
    write_folder(
        &dir,
        &[(
            "20260102000000_broken",
            "CREATE TABLE \"B\" (\"id\" INTEGER NOT NULL);\n",
        )],
    );
    let local = folder(&dir);
    migrate::resolve_rolled_back(db, "20260102000000_broken")
        .await
        .unwrap();
    let applied = migrate::deploy(db, &local, &mut |_| {}).await.unwrap();
    assert_eq!(applied.len(), 2);
    assert!(migrate::status(db, &local).await.unwrap().is_up_to_date());
}

#[tokio::test]
async fn failing_migration_is_recorded_and_blocks_until_resolved_on_postgres() {
    let (_db, adapter) = pg().await;
    failing_migration_is_recorded_and_blocks_until_resolved(&*adapter).await;
}

#[tokio::test]
async fn failing_migration_is_recorded_and_blocks_until_resolved_on_sqlite() {
    let (_file, adapter) = sqlite().await;
    failing_migration_is_recorded_and_blocks_until_resolved(&*adapter).await;
}

async fn edited_migration_is_named(db: &dyn Adapter) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let script = "CREATE TABLE \"A\" (\"id\" INTEGER NOT NULL);\n";
    write_folder(&dir, &[("20260101000000_init", script)]);
    migrate::deploy(db, &folder(&dir), &mut |_| {})
        .await
        .unwrap();

    // Line endings alone do not count as an edit.
    write_folder(
        &dir,
        &[("20260101000000_init", &script.replace('\n', "\r\n"))],
    );
    assert!(
        migrate::status(db, &folder(&dir))
            .await
            .unwrap()
            .is_up_to_date()
    );

    write_folder(
        &dir,
        &[(
            "20260101000000_init",
            "CREATE TABLE \"A\" (\"id\" BIGINT NOT NULL);\n",
        )],
    );
    let status = migrate::status(db, &folder(&dir)).await.unwrap();
    assert_eq!(status.edited, ["20260101000000_init"]);
    match migrate::deploy(db, &folder(&dir), &mut |_| {})
        .await
        .unwrap_err()
    {
        MigrateError::Edited { migration } => assert_eq!(migration, "20260101000000_init"),
        other => panic!("expected an edit refusal, got {other}"),
    }
}

#[tokio::test]
async fn edited_migration_is_named_on_postgres() {
    let (_db, adapter) = pg().await;
    edited_migration_is_named(&*adapter).await;
}

#[tokio::test]
async fn edited_migration_is_named_on_sqlite() {
    let (_file, adapter) = sqlite().await;
    edited_migration_is_named(&*adapter).await;
}

#[tokio::test]
async fn concurrent_deploys_apply_each_migration_once_on_postgres() {
    // Direct only: deployments exclude each other with a session advisory lock, which a
    // transaction-mode pooler cannot hold for a client (Prisma's `directUrl` rule).
    let db = PgDatabase::create_direct().await;
    let local = folder(&golden("postgresql", "evolution"));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let url = db.url.clone();
        let local = local.clone();
        tasks.push(tokio::spawn(async move {
            let adapter = PgAdapter::connect(&url).await.expect("connect");
            migrate::deploy(&adapter, &local, &mut |_| {})
                .await
                .map(|a| a.len())
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap().expect("every deploy succeeds");
    }
    assert_eq!(total, 2, "each migration applied by exactly one deploy");
    let adapter = PgAdapter::connect(&db.url).await.unwrap();
    let history = migrate::history::read(&adapter).await.unwrap();
    assert_eq!(history.len(), 2);
}

#[tokio::test]
async fn embedded_migrations_deploy_at_start_up() {
    let migrations: Migrations =
        orm_core::migrations!("../../shared/prisma-golden/seed/sqlite/evolution/migrations");
    assert_eq!(migrations.provider(), Some("sqlite"));
    assert_eq!(
        migrations.migrations(),
        folder(&golden("sqlite", "evolution")).as_slice()
    );
    let (_file, adapter) = sqlite().await;
    assert_eq!(migrations.deploy(&*adapter).await.unwrap().len(), 2);
    assert!(migrations.status(&*adapter).await.unwrap().is_up_to_date());

    let (_db, pg) = pg().await;
    match migrations.deploy(&*pg).await.unwrap_err() {
        MigrateError::ProviderMismatch { locked, actual } => {
            assert_eq!((locked.as_str(), actual), ("sqlite", "postgresql"))
        }
        other => panic!("expected a provider mismatch, got {other}"),
    }
}

/// Applies `script` to a fresh database and reads its shape.
async fn shape_after(dialect: Dialect, script: &str) -> SqlSchema {
    let (_keep_pg, _keep_file, adapter): (
        Option<PgDatabase>,
        Option<SqliteFile>,
        Arc<dyn Adapter>,
    ) = match dialect {
        Dialect::Postgres => {
            let (db, a) = pg().await;
            (Some(db), None, a)
        }
        _ => {
            let (f, a) = sqlite().await;
            (None, Some(f), a)
        }
    };
    adapter.execute_script(script).await.expect("apply script");
    introspect(&*adapter).await.expect("introspect")
}

#[tokio::test]
async fn introspected_shape_renders_back_to_the_same_catalog() {
    for (dialect, provider) in [
        (Dialect::Postgres, "postgresql"),
        (Dialect::Sqlite, "sqlite"),
    ] {
        let prisma = std::fs::read_to_string(
            golden(provider, "init").join("20261125084445_init/migration.sql"),
        )
        .unwrap();
        let theirs = shape_after(dialect, &prisma).await;
        assert_eq!(theirs.tables.len(), 3, "{provider}");
        let ours_sql = render_script(&migrate::diff(&SqlSchema::default(), &theirs, dialect), &[]);
        assert_eq!(
            ours_sql, prisma,
            "{provider}: rendering the introspected shape gives Prisma's file"
        );
        let ours = shape_after(dialect, &ours_sql).await;
        assert_eq!(ours.normalized(), theirs.normalized(), "{provider}");
    }
}
