//! Locating test data: the repository's shared schemas and `../shared/` beside the checkout.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The directory holding `shared/` (walking up from this crate), e.g. `/work`.
pub fn shared_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in manifest.ancestors() {
        let candidate = dir.join("shared");
        if candidate.join("psl-corpus").is_dir() {
            return candidate;
        }
    }
    panic!(
        "no `shared/psl-corpus` found above {}; the tests need ../shared beside the checkout",
        manifest.display()
    );
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parses and validates, panicking with the rendered diagnostics on failure.
pub fn load(path: &Path) -> orm_schema::Schema {
    let source = read(path);
    match orm_schema::parse_and_validate(&source, &path.display().to_string()) {
        Ok(schema) => schema,
        Err(d) => panic!("{}", d.render(&source, &path.display().to_string())),
    }
}
