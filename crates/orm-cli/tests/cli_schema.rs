//! `orm validate` and `orm format`, run as the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use orm_tests::shared_dir;

fn seed_schema() -> PathBuf {
    shared_dir().join("prisma-golden/seed/schema.prisma")
}

/// Runs `orm` in `dir`.
fn orm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orm"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run orm")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

#[test]
fn validate_accepts_the_seed_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = seed_schema();
    let out = orm(
        dir.path(),
        &["validate", "--schema", seed.to_str().expect("utf-8")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("is valid"));
}

#[test]
fn validate_rejects_a_broken_copy_with_positions_and_a_caret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::fs::read_to_string(seed_schema()).expect("read the seed");
    let broken = seed.replacen("email     String   @unique", "email     String   @uniq", 1);
    assert_ne!(broken, seed, "the seed schema changed; adjust the test");
    std::fs::write(dir.path().join("broken.prisma"), &broken).expect("write");
    let line = broken
        .lines()
        .position(|l| l.contains("@uniq"))
        .expect("line")
        + 1;
    let column = broken
        .lines()
        .nth(line - 1)
        .expect("line")
        .find("@uniq")
        .expect("col")
        + 1;

    let out = orm(dir.path(), &["validate", "--schema", "broken.prisma"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "broken.prisma:{line}:{column}: error: Attribute not known: \"@uniq\"."
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{line} |   email     String   @uniq\n")),
        "{err}"
    );
    assert!(
        err.contains(&format!("|{}^^^^^\n", " ".repeat(column))),
        "{err}"
    );
    assert!(
        !err.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
}

#[test]
fn a_missing_schema_is_a_usage_error_naming_the_paths_tried() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("no schema found"), "{err}");
    assert!(
        err.contains("`prisma/schema.prisma` and `schema.prisma`"),
        "{err}"
    );

    let out = orm(dir.path(), &["format", "--schema", "missing.prisma"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("schema file `missing.prisma` not found"));

    let out = orm(dir.path(), &["validate", "--no-such-flag"]);
    assert_eq!(code(&out), 2, "clap usage errors exit with 2");
}

#[test]
fn the_default_path_is_prisma_schema_then_schema_prisma() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("schema.prisma"),
        "model A {\n  id Int @id\n}\n",
    )
    .expect("write");
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("The schema at schema.prisma is valid"));

    std::fs::create_dir(dir.path().join("prisma")).expect("mkdir");
    std::fs::write(
        dir.path().join("prisma/schema.prisma"),
        "model B {\n  id Int @id @nope\n}\n",
    )
    .expect("write");
    let out = orm(dir.path(), &["validate"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("prisma/schema.prisma:2:14: error:"));
}

#[test]
fn format_rewrites_in_place_is_idempotent_and_check_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("schema.prisma");
    let messy = "model User {\n    id Int @default(autoincrement()) @id\n  email String @unique\n  @@map(\"users\")\n}\nmodel Post {\n id Int @id\n}\n";
    std::fs::write(&path, messy).expect("write");

    let out = orm(dir.path(), &["format", "--check"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "schema.prisma\n");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), messy);

    let out = orm(dir.path(), &["format"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let formatted = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        formatted,
        "model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n\n  @@map(\"users\")\n}\n\nmodel Post {\n  id Int @id\n}\n"
    );
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");

    let out = orm(dir.path(), &["format"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("already formatted"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), formatted);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified,
        "an unchanged file is not rewritten"
    );

    let out = orm(dir.path(), &["format", "--check"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn format_leaves_the_seed_schema_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("schema.prisma");
    std::fs::copy(seed_schema(), &copy).expect("copy");
    let out = orm(dir.path(), &["format", "--check"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn format_refuses_a_schema_with_syntax_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = "model A {\n  id Int @id\n  this is not a field\n}\n";
    std::fs::write(dir.path().join("schema.prisma"), broken).expect("write");
    let out = orm(dir.path(), &["format"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("schema.prisma:3:3: error:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("schema.prisma")).expect("read"),
        broken
    );
}
