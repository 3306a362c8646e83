//! Compile errors of `prisma_schema!` and of the typed API it generates: one failure mode per
//! file in `tests/ui/typed_*.rs` and `tests/ui/schema_*.rs`, each with its own schema beside
//! it and its expected compiler output; `tests/ui/pass_*.rs` must compile and run. Bless with
//! `TRYBUILD=overwrite` and read the diff.
//!
//! trybuild compiles the cases in a project of its own under `target/`, whose
//! `CARGO_MANIFEST_DIR` is not this package's, so the schema paths are resolved against
//! `ORM_TEST_SCHEMA_DIR` (read by the macro, for tests only). A test cannot set a variable in
//! its own process without `unsafe`, so the test reruns itself with the variable set.

use std::path::Path;
use std::process::Command;

const VAR: &str = "ORM_TEST_SCHEMA_DIR";

#[test]
fn typed_api_and_schema_errors() {
    if std::env::var_os(VAR).is_none() {
        let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
        let status = Command::new(std::env::current_exe().expect("the test binary's path"))
            .args(["typed_api_and_schema_errors", "--exact", "--nocapture"])
            .env(VAR, ui)
            .status()
            .expect("rerun the test binary");
        assert!(status.success(), "the trybuild cases failed (output above)");
        return;
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/typed_*.rs");
    cases.compile_fail("tests/ui/schema_*.rs");
    cases.pass("tests/ui/pass_*.rs");
}
