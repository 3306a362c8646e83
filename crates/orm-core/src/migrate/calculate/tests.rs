//! The shape of a schema, rendered from empty, is Prisma's `migration.sql` for the seed schema
//! byte for byte; the shared test schemas are snapshot per provider.

use super::*;
use crate::migrate::{diff, render_script};

fn shared(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("shared"))
        .find(|d| d.join("prisma-golden").is_dir())
        .expect("shared/ beside the checkout")
        .join(path)
}

fn load(path: &std::path::Path) -> ir::Schema {
    let source = std::fs::read_to_string(path).expect("schema file");
    orm_schema::parse_and_validate(&source, &path.display().to_string())
        .unwrap_or_else(|d| panic!("invalid schema {}: {d:?}", path.display()))
}

fn script_from_empty(schema: &ir::Schema) -> String {
    let dialect = schema_dialect(schema).expect("datasource");
    let target = from_schema(schema, dialect);
    render_script(&diff(&SqlSchema::default(), &target, dialect), &[])
}

#[test]
fn seed_schema_renders_prismas_init_migration() {
    for provider in ["postgresql", "sqlite"] {
        let schema = load(&shared(&format!(
            "prisma-golden/seed/{provider}/schema.prisma"
        )));
        let expected = std::fs::read_to_string(shared(&format!(
            "prisma-golden/seed/{provider}/init/migrations/20261125084445_init/migration.sql"
        )))
        .unwrap();
        assert_eq!(script_from_empty(&schema), expected, "{provider}");
    }
}

#[test]
fn full_test_schemas_render_as_snapshots() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/schemas");
    for provider in ["postgresql", "sqlite"] {
        let schema = load(&root.join(format!("full.{provider}.prisma")));
        insta::assert_snapshot!(format!("full_{provider}"), script_from_empty(&schema));
    }
}

#[test]
fn base64_defaults_decode() {
    assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
    assert_eq!(decode_base64("").unwrap(), b"");
    assert!(decode_base64("!!").is_none());
}
