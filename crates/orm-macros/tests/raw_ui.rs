//! Compile errors of the raw SQL macros and `#[derive(FromRow)]`: one failure mode per file in
//! `tests/ui/raw_*.rs`, its expected compiler output beside it. Bless with
//! `TRYBUILD=overwrite` and read the diff.

#[test]
fn raw_sql_macro_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/raw_*.rs");
}
