//! The `orm migrate` and `orm db` commands, run as the built binary against real databases.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use orm_tests::{PgDatabase, SqliteFile, shared_dir};

fn golden(provider: &str, which: &str) -> PathBuf {
    shared_dir()
        .join("prisma-golden/seed")
        .join(provider)
        .join(which)
        .join("migrations")
}

fn orm(args: &[&str], url: &str, migrations: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orm"))
        .args(args)
        .arg("--url")
        .arg(url)
        .arg("--migrations")
        .arg(migrations)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run orm")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn deploy_then_status(url: &str, provider: &str) {
    let folder = golden(provider, "evolution");
    let out = orm(&["migrate", "deploy"], url, &folder);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("2 migrations found"), "{log}");
    assert!(
        log.contains("Applied migration `20261125090000_init` in "),
        "{log}"
    );
    assert!(
        log.contains("Applied migration `20261125090100_add_inventory` in "),
        "{log}"
    );

    let out = orm(&["migrate", "status"], url, &folder);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Database schema is up to date!"));

    let out = orm(&["migrate", "deploy"], url, &folder);
    assert!(out.status.success());
    assert!(text(&out).contains("No pending migrations to apply."));
}

#[tokio::test]
async fn deploys_prismas_folder_then_status_is_up_to_date_on_postgres() {
    let db = PgDatabase::create().await;
    deploy_then_status(&db.url, "postgresql");
}

#[test]
fn deploys_prismas_folder_then_status_is_up_to_date_on_sqlite() {
    let file = SqliteFile::new();
    deploy_then_status(&file.url(), "sqlite");
}

#[test]
fn status_before_deploy_lists_pending_and_exits_non_zero() {
    let file = SqliteFile::new();
    let out = orm(
        &["migrate", "status"],
        &file.url(),
        &golden("sqlite", "evolution"),
    );
    assert!(!out.status.success());
    let log = text(&out);
    assert!(log.contains("have not yet been applied"), "{log}");
    assert!(log.contains("20261125090100_add_inventory"), "{log}");
}

fn failed_migration_blocks_deploy_until_resolved(url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let write = |name: &str, sql: &str| {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("migration.sql"), sql).unwrap();
    };
    write(
        "20260101000000_init",
        "CREATE TABLE \"A\" (\"id\" INTEGER NOT NULL);\n",
    );
    write(
        "20260102000000_broken",
        "-- AlterTable\nALTER TABLE \"A\" ADD COLUMN \"b\" TEXT;\n\n-- AlterTable\nALTER TABLE \"Nope\" ADD COLUMN \"c\" TEXT;\n",
    );
    let out = orm(&["migrate", "deploy"], url, &dir);
    let log = text(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(
        log.contains("Applied migration `20260101000000_init`"),
        "{log}"
    );
    assert!(log.contains("20260102000000_broken"), "{log}");
    assert!(log.contains("line 5"), "{log}");
    assert!(
        log.contains("ALTER TABLE \"Nope\" ADD COLUMN \"c\" TEXT"),
        "{log}"
    );

    let out = orm(&["migrate", "status"], url, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("failed"), "{}", text(&out));

    let out = orm(&["migrate", "deploy"], url, &dir);
    let log = text(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(log.contains("`20260102000000_broken` failed"), "{log}");

    write(
        "20260102000000_broken",
        "-- AlterTable\nALTER TABLE \"A\" ADD COLUMN \"b\" TEXT;\n",
    );
    let out = orm(
        &[
            "migrate",
            "resolve",
            "--rolled-back",
            "20260102000000_broken",
        ],
        url,
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = orm(&["migrate", "deploy"], url, &dir);
    assert!(out.status.success(), "{}", text(&out));
    assert!(orm(&["migrate", "status"], url, &dir).status.success());
}

#[tokio::test]
async fn failed_migration_blocks_deploy_until_resolved_on_postgres() {
    let db = PgDatabase::create().await;
    failed_migration_blocks_deploy_until_resolved(&db.url);
}

#[test]
fn failed_migration_blocks_deploy_until_resolved_on_sqlite() {
    let file = SqliteFile::new();
    failed_migration_blocks_deploy_until_resolved(&file.url());
}

#[test]
fn edited_migration_is_named_by_deploy_and_status() {
    let file = SqliteFile::new();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    copy_folder(&golden("sqlite", "evolution"), &dir);
    assert!(
        orm(&["migrate", "deploy"], &file.url(), &dir)
            .status
            .success()
    );
    let script = dir.join("20261125090000_init/migration.sql");
    let edited = std::fs::read_to_string(&script).unwrap() + "\n-- edited\n";
    std::fs::write(&script, edited).unwrap();

    let out = orm(&["migrate", "status"], &file.url(), &dir);
    assert_eq!(out.status.code(), Some(1));
    let log = text(&out);
    assert!(
        log.contains("modified after they were applied") && log.contains("20261125090000_init"),
        "{log}"
    );

    let out = orm(&["migrate", "deploy"], &file.url(), &dir);
    assert_eq!(out.status.code(), Some(1));
    let log = text(&out);
    assert!(log.contains("`20261125090000_init` was modified"), "{log}");
}

#[tokio::test]
async fn eight_concurrent_deploy_processes_apply_each_migration_once() {
    let db = PgDatabase::create().await;
    let folder = golden("postgresql", "evolution");
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_orm"))
                .args(["migrate", "deploy", "--url", &db.url, "--migrations"])
                .arg(&folder)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn orm")
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let log = text(&out);
        assert!(out.status.success(), "{log}");
        applied += log.matches("Applied migration").count();
    }
    assert_eq!(applied, 2, "each migration applied by exactly one process");
    let (client, connection) = tokio_postgres_connect(&db.url).await;
    let handle = tokio::spawn(connection);
    let rows = client
        .query(
            "SELECT migration_name FROM _prisma_migrations ORDER BY started_at",
            &[],
        )
        .await
        .unwrap();
    let names: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(
        names,
        ["20261125090000_init", "20261125090100_add_inventory"]
    );
    drop(client);
    let _ = handle.await;
}

async fn tokio_postgres_connect(
    url: &str,
) -> (
    tokio_postgres::Client,
    tokio_postgres::Connection<tokio_postgres::Socket, tokio_postgres::tls::NoTlsStream>,
) {
    tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect")
}

#[test]
fn reset_requires_force_without_a_terminal_and_then_reapplies() {
    let file = SqliteFile::new();
    let folder = golden("sqlite", "evolution");
    assert!(
        orm(&["migrate", "deploy"], &file.url(), &folder)
            .status
            .success()
    );
    let out = orm(&["migrate", "reset"], &file.url(), &folder);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    let out = orm(&["migrate", "reset", "--force"], &file.url(), &folder);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("Database reset.") && log.contains("2 migrations applied."),
        "{log}"
    );
    assert!(
        orm(&["migrate", "status"], &file.url(), &folder)
            .status
            .success()
    );
}

#[test]
fn diff_from_empty_to_prismas_folder_prints_prismas_script_on_sqlite() {
    let out = Command::new(env!("CARGO_BIN_EXE_orm"))
        .args(["migrate", "diff", "--from-empty", "--to-migrations"])
        .arg(golden("sqlite", "init"))
        .arg("--script")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let expected =
        std::fs::read_to_string(shared_dir().join("prisma-golden/seed/sqlite/diff-from-empty.sql"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn diff_between_a_database_and_its_folder_is_empty() {
    let file = SqliteFile::new();
    let folder = golden("sqlite", "evolution");
    assert!(
        orm(&["migrate", "deploy"], &file.url(), &folder)
            .status
            .success()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_orm"))
        .args([
            "migrate",
            "diff",
            "--from-url",
            &file.url(),
            "--to-migrations",
        ])
        .arg(&folder)
        .arg("--exit-code")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("No difference detected."));
}
