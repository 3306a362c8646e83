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

fn orm_with_schema(args: &[&str], schema: &Path, url: &str, migrations: &Path) -> Output {
    let mut full: Vec<&str> = args.to_vec();
    let schema = schema.to_str().unwrap();
    full.extend(["--schema", schema]);
    orm(&full, url, migrations)
}

fn prisma_folder_then_dev_finds_no_change(provider: &str, url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    copy_folder(&golden(provider, "evolution"), &dir);
    let schema = shared_dir().join(format!("prisma-golden/seed/{provider}/schema.prisma"));
    assert!(orm(&["migrate", "deploy"], url, &dir).status.success());
    let out = orm_with_schema(&["migrate", "dev", "--name", "nothing"], &schema, url, &dir);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("Already in sync"), "{log}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        3,
        "no new migration folder"
    );
    assert!(orm(&["migrate", "status"], url, &dir).status.success());
}

#[tokio::test]
async fn prisma_folder_deployed_then_dev_finds_no_change_on_postgres() {
    let db = PgDatabase::create().await;
    prisma_folder_then_dev_finds_no_change("postgresql", &db.url);
}

#[test]
fn prisma_folder_deployed_then_dev_finds_no_change_on_sqlite() {
    let file = SqliteFile::new();
    prisma_folder_then_dev_finds_no_change("sqlite", &file.url());
}

/// The schema edits of the issue, one `migrate dev` each.
fn schema_versions(provider: &str) -> Vec<String> {
    let head = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n\n");
    let role = |values: &str| format!("enum Role {{\n{values}}}\n\n");
    let user = |extra: &str| {
        format!(
            "model User {{\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  role  Role   @default(USER)\n{extra}}}\n\n"
        )
    };
    let post = |extra: &str, title: &str| {
        format!(
            "model Post {{\n  id    Int    @id @default(autoincrement())\n  {title}\n{extra}}}\n"
        )
    };
    let rel = "  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id], onDelete: SetNull)\n";
    let posts = "  posts Post[]\n";
    vec![
        // 1. initial
        format!("{head}{}{}", role("  USER\n"), user("")),
        // 2. add model
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user(""),
            post("", "title String")
        ),
        // 3. add optional column
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user("  name  String?\n"),
            post("", "title String")
        ),
        // 4. make it required with a default
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user("  name  String @default(\"anon\")\n"),
            post("", "title String")
        ),
        // 5. add an index
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user("  name  String @default(\"anon\")\n\n  @@index([name])\n"),
            post("", "title String")
        ),
        // 6. add a relation
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user(&format!(
                "  name  String @default(\"anon\")\n{posts}\n  @@index([name])\n"
            )),
            post(rel, "title String")
        ),
        // 7. rename a column via @map
        format!(
            "{head}{}{}{}",
            role("  USER\n"),
            user(&format!(
                "  name  String @default(\"anon\")\n{posts}\n  @@index([name])\n"
            )),
            post(rel, "title String @map(\"headline\")")
        ),
        // 8. add an enum value
        format!(
            "{head}{}{}{}",
            role("  USER\n  ADMIN\n"),
            user(&format!(
                "  name  String @default(\"anon\")\n{posts}\n  @@index([name])\n"
            )),
            post(rel, "title String @map(\"headline\")")
        ),
        // 9. drop a column
        format!(
            "{head}{}{}{}",
            role("  USER\n  ADMIN\n"),
            user(posts),
            post(rel, "title String @map(\"headline\")")
        ),
    ]
}

async fn sql(url: &str, statement: &str) {
    let adapter = orm_cli::migrate::connect::connect(url).await.unwrap();
    adapter.execute_script(statement).await.unwrap();
}

async fn schema_edits_each_make_a_migration_that_replays(
    provider: &str,
    url: &str,
    replay_url: &str,
) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let schema = tmp.path().join("schema.prisma");
    for (i, version) in schema_versions(provider).iter().enumerate() {
        std::fs::write(&schema, version).unwrap();
        let name = format!("step{}", i + 1);
        let out = orm_with_schema(
            &["migrate", "dev", "--name", &name, "--accept-data-loss"],
            &schema,
            url,
            &dir,
        );
        let log = text(&out);
        assert!(out.status.success(), "step {}: {log}", i + 1);
        // SQLite stores enums as text: a new value changes nothing in the database.
        let expect_migration = !(provider == "sqlite" && i == 7);
        assert_eq!(
            log.contains("Created migration"),
            expect_migration,
            "step {}: {log}",
            i + 1
        );
        if i == 0 {
            // Data that later steps must carry along (SQLite rebuilds the table for some).
            sql(url, "INSERT INTO \"User\" (\"email\") VALUES ('a@b.co')").await;
        }
        if i == 2 {
            // Filled in before the column becomes required, as Prisma asks.
            sql(url, "UPDATE \"User\" SET \"name\" = 'Ada'").await;
        }
        // The database now matches the schema.
        let diff = Command::new(env!("CARGO_BIN_EXE_orm"))
            .args(["migrate", "diff", "--from-url", url, "--to-schema"])
            .arg(&schema)
            .arg("--exit-code")
            .output()
            .unwrap();
        assert_eq!(
            diff.status.code(),
            Some(0),
            "step {}: {}",
            i + 1,
            text(&diff)
        );
        // Nothing left to do.
        let again = orm_with_schema(&["migrate", "dev", "--name", "again"], &schema, url, &dir);
        assert!(
            text(&again).contains("Already in sync"),
            "step {}: {}",
            i + 1,
            text(&again)
        );
    }
    let folders = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(folders, if provider == "sqlite" { 8 } else { 9 });

    let adapter = orm_cli::migrate::connect::connect(url).await.unwrap();
    let users = adapter
        .query(&orm_core::Sql::new("SELECT \"email\" FROM \"User\""))
        .await
        .unwrap();
    assert_eq!(users.len(), 1, "the row survived every step");
    // Replaying every migration into another database gives the final schema's shape.
    let out = orm(&["migrate", "deploy"], replay_url, &dir);
    assert!(out.status.success(), "{}", text(&out));
    let diff = Command::new(env!("CARGO_BIN_EXE_orm"))
        .args(["migrate", "diff", "--from-url", replay_url, "--to-schema"])
        .arg(&schema)
        .arg("--exit-code")
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff));
    let diff = Command::new(env!("CARGO_BIN_EXE_orm"))
        .args([
            "migrate",
            "diff",
            "--from-url",
            replay_url,
            "--to-url",
            url,
            "--exit-code",
        ])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff));
}

#[tokio::test]
async fn schema_edits_each_make_a_migration_that_replays_on_postgres() {
    let db = PgDatabase::create().await;
    let replay = PgDatabase::create().await;
    schema_edits_each_make_a_migration_that_replays("postgresql", &db.url, &replay.url).await;
}

#[tokio::test]
async fn schema_edits_each_make_a_migration_that_replays_on_sqlite() {
    let file = SqliteFile::new();
    let replay = SqliteFile::new();
    schema_edits_each_make_a_migration_that_replays("sqlite", &file.url(), &replay.url()).await;
}

fn db_push_matches_the_schema_and_refuses_data_loss(provider: &str, url: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let unused = tmp.path().join("migrations");
    let schema = shared_dir().join(format!("prisma-golden/seed/{provider}/schema.prisma"));
    let out = orm_with_schema(&["db", "push"], &schema, url, &unused);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("now in sync"), "{}", text(&out));
    assert!(!unused.exists(), "db push writes no migration");
    let diff = Command::new(env!("CARGO_BIN_EXE_orm"))
        .args(["migrate", "diff", "--from-url", url, "--to-schema"])
        .arg(&schema)
        .arg("--exit-code")
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff));
    let again = orm_with_schema(&["db", "push"], &schema, url, &unused);
    assert!(text(&again).contains("already in sync"), "{}", text(&again));

    // Going back to v0 drops Inventory, which now holds a row: refused without the flag.
    let v0 = tmp.path().join("v0.prisma");
    let source = std::fs::read_to_string(shared_dir().join("prisma-golden/seed/schema.v0.prisma"))
        .unwrap()
        .replace(
            "provider = \"postgresql\"",
            &format!("provider = \"{provider}\""),
        );
    std::fs::write(&v0, source).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(sql(
        url,
        "INSERT INTO \"Inventory\" (\"sku\", \"stock\") VALUES ('X', 1)",
    ));
    let out = orm_with_schema(&["db", "push"], &v0, url, &unused);
    let log = text(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(
        log.contains("You are about to drop the `Inventory` table, which is not empty (1 rows)."),
        "{log}"
    );
    assert!(log.contains("--accept-data-loss"), "{log}");
    let out = orm_with_schema(&["db", "push", "--accept-data-loss"], &v0, url, &unused);
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn db_push_matches_the_schema_and_refuses_data_loss_on_postgres() {
    let db = PgDatabase::create().await;
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        db_push_matches_the_schema_and_refuses_data_loss("postgresql", &url)
    })
    .await
    .unwrap();
}

#[test]
fn db_push_matches_the_schema_and_refuses_data_loss_on_sqlite() {
    let file = SqliteFile::new();
    db_push_matches_the_schema_and_refuses_data_loss("sqlite", &file.url());
}

#[test]
fn dev_create_only_writes_without_applying_and_drift_needs_a_reset() {
    let file = SqliteFile::new();
    let url = file.url();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    let schema = shared_dir().join("prisma-golden/seed/sqlite/schema.prisma");

    let out = orm_with_schema(
        &["migrate", "dev", "--name", "init", "--create-only"],
        &schema,
        &url,
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out));
    let status = orm(&["migrate", "status"], &url, &dir);
    assert_eq!(status.status.code(), Some(1), "created, not applied");
    let created: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        created
            .iter()
            .any(|n| n.to_string_lossy().ends_with("_init"))
    );
    assert!(dir.join("migration_lock.toml").is_file());

    let out = orm_with_schema(&["migrate", "dev", "--name", "next"], &schema, &url, &dir);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Applied migration"), "{}", text(&out));

    // A change made by hand is drift: dev refuses without a terminal unless told to reset.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(sql(&url, "CREATE TABLE \"Stray\" (\"id\" INTEGER)"));
    let out = orm_with_schema(&["migrate", "dev", "--name", "x"], &schema, &url, &dir);
    let log = text(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(
        log.contains("Drift detected") && log.contains("Stray"),
        "{log}"
    );
    let out = orm_with_schema(
        &["migrate", "dev", "--name", "x", "--force-reset"],
        &schema,
        &url,
        &dir,
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("Database reset."), "{log}");
    assert!(orm(&["migrate", "status"], &url, &dir).status.success());
}

#[test]
fn diff_from_empty_to_schema_prints_prismas_script_for_both_providers() {
    for provider in ["postgresql", "sqlite"] {
        let seed = shared_dir().join("prisma-golden/seed").join(provider);
        let out = Command::new(env!("CARGO_BIN_EXE_orm"))
            .args(["migrate", "diff", "--from-empty", "--to-schema"])
            .arg(seed.join("schema.prisma"))
            .arg("--script")
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let expected = std::fs::read_to_string(seed.join("diff-from-empty.sql")).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{provider}");
    }
}

/// The folder names of `dir`'s migrations, sorted as `deploy` sorts them.
fn migration_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn dev_names_a_new_migration_after_the_newest_folder_even_within_one_second() {
    let file = SqliteFile::new();
    let url = file.url();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    // Prisma's `init`, stamped an hour ahead, stands for a folder written in the same second
    // (or by a clock ahead of this one): the new folder must still sort after it.
    let ahead = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    let init = format!("{}_init", ahead.format("%Y%m%d%H%M%S"));
    let golden_init = golden("sqlite", "init");
    copy_folder(&golden_init, &dir);
    let original = std::fs::read_dir(&golden_init)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    std::fs::rename(dir.join(original.file_name().unwrap()), dir.join(&init)).unwrap();
    let schema = shared_dir().join("prisma-golden/seed/sqlite/schema.prisma");

    let out = orm_with_schema(
        &["migrate", "dev", "--name", "inventory", "--create-only"],
        &schema,
        &url,
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out));
    let next = format!(
        "{}_inventory",
        (ahead + chrono::TimeDelta::seconds(1)).format("%Y%m%d%H%M%S")
    );
    assert_eq!(migration_names(&dir), [init.clone(), next.clone()]);

    // Twice more at once: each folder one second after the one before.
    for name in ["again", "more"] {
        let out = orm_with_schema(
            &["migrate", "dev", "--name", name, "--create-only"],
            &schema,
            &url,
            &dir,
        );
        assert!(out.status.success(), "{}", text(&out));
    }
    let stamp = |s: i64| (ahead + chrono::TimeDelta::seconds(s)).format("%Y%m%d%H%M%S");
    assert_eq!(
        migration_names(&dir),
        [
            init,
            next,
            format!("{}_again", stamp(2)),
            format!("{}_more", stamp(3))
        ]
    );
}

#[test]
fn errors_print_once_with_only_the_causes_the_message_lacks() {
    let file = SqliteFile::new();
    let url = file.url();
    let tmp = tempfile::tempdir().unwrap();

    // The message already ends with its cause (the I/O error): printed once.
    let not_a_dir = tmp.path().join("plain-file");
    std::fs::write(&not_a_dir, "").unwrap();
    let out = orm(&["migrate", "deploy"], &url, &not_a_dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: cannot access `{}`: Not a directory (os error 20)\n",
            not_a_dir.join("migration_lock.toml").display()
        )
    );

    // A message that does not name its cause gets a `caused by:` line.
    let missing = tmp.path().join("missing.prisma");
    let out = orm_with_schema(
        &["migrate", "dev", "--name", "x"],
        &missing,
        &url,
        &tmp.path().join("migrations"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: cannot read the schema `{}`\ncaused by: No such file or directory (os error 2)\n",
            missing.display()
        )
    );

    // A failed statement: the migration, the database's message and the statement, once each.
    let dir = tmp.path().join("broken");
    std::fs::create_dir_all(dir.join("20260101000000_broken")).unwrap();
    std::fs::write(
        dir.join("20260101000000_broken/migration.sql"),
        "-- AlterTable\nALTER TABLE \"Nope\" ADD COLUMN \"c\" TEXT;\n",
    )
    .unwrap();
    let out = orm(&["migrate", "deploy"], &url, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: migration `20260101000000_broken` failed at line 2 of migration.sql: database error: no such table: Nope (code SQLITE_ERROR)\nstatement:\nALTER TABLE \"Nope\" ADD COLUMN \"c\" TEXT\n"
    );
}
