//! Shared helpers for the integration tests: locating `../shared/`, creating and dropping
//! uniquely named PostgreSQL databases and SQLite files.
//!
//! PostgreSQL is found at `ORM_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it cannot be reached the test fails with a
//! message saying so; it never skips.
//!
//! # The PgBouncer pass
//!
//! `scripts/test.sh` runs the PostgreSQL tests a second time through a real PgBouncer in
//! transaction pooling mode, exporting `ORM_TEST_PGBOUNCER_URL` (its address with
//! `?pgbouncer=true&connection_limit=1`, as Prisma recommends for long-running servers). While
//! it is set, [`PgDatabase::url`] goes through PgBouncer, so every test that connects its
//! adapter with that URL runs through the pooler; creating and dropping the database, and
//! [`PgDatabase::direct_url`] (for observers that read `pg_stat_activity` or terminate
//! backends), stay direct. A test that cannot work behind a transaction-mode pooler by nature
//! creates its database with [`PgDatabase::create_direct`] and says why in a comment.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

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

/// The URL of the PostgreSQL server the tests use (any database on it; tests create their own).
pub fn pg_base_url() -> String {
    std::env::var("ORM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The PgBouncer in front of that server, when the suite runs its PgBouncer pass
/// (`ORM_TEST_PGBOUNCER_URL`, set by `scripts/test.sh`): any database name, with the Prisma
/// parameters the adapters connect with (`pgbouncer=true&connection_limit=1`).
pub fn pgbouncer_url() -> Option<String> {
    std::env::var("ORM_TEST_PGBOUNCER_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// Appends Prisma URL parameters (`connection_limit=2&pool_timeout=1`) to `url`, after any it
/// already has. A parameter given twice takes the later value, so `params` override the
/// PgBouncer pass's own.
pub fn with_params(url: &str, params: &str) -> String {
    let params = params.trim_start_matches(['?', '&']);
    if params.is_empty() {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{params}")
}

/// A name no other test run uses: prefix, process id, a counter and the time.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// Replaces the database name in a `postgres://` URL, keeping any query string.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A fresh PostgreSQL database, dropped (with `FORCE`) when this value is dropped.
#[derive(Debug)]
pub struct PgDatabase {
    /// The database's name.
    pub name: String,
    /// The URL adapters connect with: through PgBouncer during the suite's PgBouncer pass
    /// (with `pgbouncer=true&connection_limit=1`), direct otherwise. Add parameters with
    /// [`PgDatabase::url_with`], not by appending `?…`.
    pub url: String,
    /// A URL straight to the server, never through PgBouncer, without Prisma parameters (so
    /// plain `tokio_postgres::connect` accepts it): for observers and administration.
    pub direct_url: String,
}

impl PgDatabase {
    /// Creates a uniquely named database on the test server, reached through PgBouncer during
    /// the PgBouncer pass.
    ///
    /// # Panics
    ///
    /// Panics, saying so, when PostgreSQL cannot be reached: tests never skip silently.
    pub async fn create() -> PgDatabase {
        let mut db = PgDatabase::create_direct().await;
        if let Some(bouncer) = pgbouncer_url() {
            db.url = with_database(&bouncer, &db.name);
        }
        db
    }

    /// Creates a database that tests reach directly even during the PgBouncer pass: for a
    /// test that cannot work behind a transaction-mode pooler by nature (session advisory
    /// locks, terminating the pool's own backends, session settings). Say why at the call.
    ///
    /// # Panics
    ///
    /// As [`PgDatabase::create`].
    pub async fn create_direct() -> PgDatabase {
        let name = unique_name("orm_test");
        let base = pg_base_url();
        let client = admin_client(&base).await;
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let direct_url = with_database(&base, &name);
        PgDatabase {
            url: direct_url.clone(),
            direct_url,
            name,
        }
    }

    /// [`PgDatabase::url`] with Prisma URL parameters added (`"connection_limit=2"`); they
    /// override the PgBouncer pass's own.
    pub fn url_with(&self, params: &str) -> String {
        with_params(&self.url, params)
    }

    /// Whether [`PgDatabase::url`] goes through PgBouncer.
    pub fn is_through_pgbouncer(&self) -> bool {
        self.url != self.direct_url
    }
}

async fn admin_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is not reachable at {url}: {e}. Start it with \
                 `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` \
                 or set ORM_TEST_PG_URL"
            )
        });
    tokio::spawn(connection);
    client
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let base = pg_base_url();
        // Drop may run inside or outside a runtime; a thread with its own runtime works in both.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            let Ok(runtime) = runtime else { return };
            runtime.block_on(async move {
                if let Ok((client, connection)) =
                    tokio_postgres::connect(&base, tokio_postgres::NoTls).await
                {
                    tokio::spawn(connection);
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    if let Err(e) = client.batch_execute(&sql).await {
                        eprintln!("warning: could not drop test database {name}: {e}");
                    }
                }
            });
        });
        let _ = dropper.join();
    }
}

/// A SQLite database file in a fresh temporary directory, removed when this value is dropped.
#[derive(Debug)]
pub struct SqliteFile {
    dir: tempfile::TempDir,
}

impl SqliteFile {
    /// A new, not yet existing database file.
    ///
    /// # Panics
    ///
    /// Panics when no temporary directory can be created.
    pub fn new() -> SqliteFile {
        SqliteFile {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    /// A `file:` URL for the file, as Prisma writes SQLite URLs.
    pub fn url(&self) -> String {
        format!("file:{}", self.path().display())
    }
}

impl Default for SqliteFile {
    fn default() -> Self {
        Self::new()
    }
}

/// Checks [`Queryable::query_each`](orm_core::Queryable::query_each) on `db` against its
/// `query`: every row is handed over in order with its columns, the count comes back, an
/// error from the callback stops the statement and is returned as is, and `db` is usable
/// afterwards. Works on both backends (a recursive CTE, no table).
pub async fn check_query_each(db: &dyn orm_core::Queryable) {
    use orm_core::{Error, Sql, Value};

    let limit = match db.dialect() {
        orm_core::Dialect::Postgres => "$1::int8",
        _ => "?1",
    };
    let series = Sql::with_params(
        format!(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {limit}) \
             SELECT n, 'row ' || n AS label FROM s ORDER BY n"
        ),
        vec![Value::BigInt(300)],
    );
    let collected = db.query(&series).await.expect("query");
    let expected: Vec<(i64, String)> = collected.decode().expect("decode");
    assert_eq!(expected.len(), 300);

    let mut seen = Vec::new();
    let count = db
        .query_each(&series, &mut |row| {
            assert_eq!(row.columns(), ["n", "label"]);
            seen.push((row.take::<i64>(0)?, row.take::<String>(1)?));
            Ok(())
        })
        .await
        .expect("query_each");
    assert_eq!(count, 300);
    assert_eq!(seen, expected, "the same rows, in order, as query");

    let mut calls = 0;
    let stopped = db
        .query_each(&series, &mut |row| {
            calls += 1;
            let n: i64 = row.take(0)?;
            if n == 7 {
                return Err(Error::InvalidQuery {
                    model: "Series".to_owned(),
                    field: None,
                    message: "stop at 7".to_owned(),
                });
            }
            Ok(())
        })
        .await;
    assert!(
        matches!(&stopped, Err(Error::InvalidQuery { message, .. }) if message == "stop at 7"),
        "{stopped:?}"
    );
    assert_eq!(calls, 7, "nothing after the failing row");

    let empty = Sql::new("SELECT 1 AS one WHERE 1 = 0");
    let none = db
        .query_each(&empty, &mut |_| panic!("no rows"))
        .await
        .expect("an empty result");
    assert_eq!(none, 0);
    let after = db
        .query(&series)
        .await
        .expect("usable after a stopped read");
    assert_eq!(after.len(), 300);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_and_keeps_the_query() {
        assert_eq!(
            with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }

    #[test]
    fn appends_parameters_after_existing_ones() {
        assert_eq!(with_params("postgres://h/x", ""), "postgres://h/x");
        assert_eq!(
            with_params("postgres://h/x", "connection_limit=2"),
            "postgres://h/x?connection_limit=2"
        );
        assert_eq!(
            with_params("postgres://h/x?pgbouncer=true", "?a=1&b=2"),
            "postgres://h/x?pgbouncer=true&a=1&b=2"
        );
    }
}
