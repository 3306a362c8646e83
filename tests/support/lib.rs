//! Shared helpers for the integration tests: locating `../shared/`, creating and dropping
//! uniquely named PostgreSQL databases and SQLite files.

use std::path::{Path, PathBuf};

/// The `shared/` directory that sits beside the project checkout (Prisma's golden outputs,
/// the PSL corpus). Found by walking up from this crate's manifest directory, so it works from
/// any checkout or worktree placed next to it; `ORM_SHARED_DIR` overrides.
///
/// # Panics
///
/// Panics when the directory cannot be found: the tests that need it cannot run without it.
pub fn shared_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("ORM_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    start
        .ancestors()
        .map(|dir| dir.join("shared"))
        .find(|candidate| candidate.join("prisma-golden").is_dir())
        .unwrap_or_else(|| {
            panic!(
                "cannot find the shared/ directory beside the checkout (looked above {}); \
                 set ORM_SHARED_DIR",
                start.display()
            )
        })
}
