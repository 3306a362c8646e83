//! Where the database is and how the pool behaves: [`SqliteConfig`], from a URL or built in
//! code.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use orm_core::{Error, Result};

/// SQLite's own URI parameters that a URL may carry through to SQLite.
const SQLITE_URI_PARAMS: &[&str] = &["mode", "cache", "vfs", "immutable", "nolock", "psow"];

/// Which database to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file, by path as given (relative paths are resolved when the adapter opens).
    File(PathBuf),
    /// An in-memory database shared by the pool's connections: named ones are shared by
    /// every adapter of the process that opens the same name, unnamed ones are private.
    Memory(Option<String>),
}

/// How to open a SQLite database and size its pool.
///
/// Built from a Prisma-style URL with [`SqliteConfig::from_url`] or in code with
/// [`SqliteConfig::file`] / [`SqliteConfig::memory`] and the `with_` setters.
///
/// The pool holds one writer connection and `connection_limit - 1` reader connections
/// (with `connection_limit` 1, the writer serves reads too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteConfig {
    pub(crate) target: Target,
    pub(crate) base_dir: Option<PathBuf>,
    pub(crate) connection_limit: usize,
    pub(crate) busy_timeout: Duration,
    pub(crate) pool_timeout: Option<Duration>,
    pub(crate) statement_cache_capacity: usize,
    pub(crate) uri_params: Vec<(String, String)>,
}

impl SqliteConfig {
    /// A database file at `path`. A relative path is resolved against
    /// [`with_base_dir`](Self::with_base_dir) when set, else the current directory at open.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self::with_target(Target::File(path.into()))
    }

    /// A private in-memory database, shared by this adapter's connections and gone when the
    /// adapter is dropped.
    pub fn memory() -> Self {
        Self::with_target(Target::Memory(None))
    }

    fn with_target(target: Target) -> Self {
        SqliteConfig {
            target,
            base_dir: None,
            connection_limit: default_connection_limit(),
            busy_timeout: Duration::from_secs(5),
            pool_timeout: Some(Duration::from_secs(10)),
            statement_cache_capacity: 100,
            uri_params: Vec::new(),
        }
    }

    /// Parses a URL as Prisma writes SQLite URLs.
    ///
    /// - `file:dev.db`, `file:./dev.db`, `file:../data/dev.db`: relative to the current
    ///   directory when the adapter opens (Prisma 7's SQLite driver adapter opens the path as
    ///   given, so relative to the process's directory; use
    ///   [`with_base_dir`](Self::with_base_dir) to resolve against the schema's directory
    ///   as Prisma's CLI does);
    /// - `file:/abs/dev.db`, `file:///abs/dev.db`, or a plain path without `file:`;
    /// - `:memory:`, `file::memory:`: a private in-memory database; `file:name?mode=memory`:
    ///   an in-memory database named `name`, shared within the process.
    ///
    /// Parameters: `connection_limit` (connections, at least 1 and at most 1024),
    /// `socket_timeout` (seconds
    /// to wait for a lock held by another connection or process: SQLite's busy timeout),
    /// `pool_timeout` (seconds to wait for a pooled connection, `0` waits forever),
    /// `statement_cache_size` (prepared statements cached per connection). SQLite's own URI
    /// parameters `mode`, `cache`, `vfs`, `immutable`, `nolock`, `psow` pass through to SQLite.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an unknown parameter, a value that does not parse, or a
    /// `connection_limit` of 0 or above 1024.
    pub fn from_url(url: &str) -> Result<Self> {
        let (location, query) = url.split_once('?').unwrap_or((url, ""));
        let path = strip_scheme(location);

        let mut params = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            params.push((name.to_owned(), value.to_owned()));
        }
        let memory_mode = params.iter().any(|(n, v)| n == "mode" && v == "memory");

        let mut config = if path.is_empty() || path == ":memory:" {
            SqliteConfig::memory()
        } else if memory_mode {
            Self::with_target(Target::Memory(Some(path.to_owned())))
        } else {
            SqliteConfig::file(path)
        };

        for (name, value) in params {
            match name.as_str() {
                "connection_limit" => {
                    config.connection_limit = parse_number(&name, &value)?;
                    if config.connection_limit == 0 {
                        return Err(Error::Config(
                            "`connection_limit` must be at least 1".to_owned(),
                        ));
                    }
                    if config.connection_limit > MAX_CONNECTION_LIMIT {
                        return Err(Error::Config(format!(
                            "`connection_limit` must be at most {MAX_CONNECTION_LIMIT} (the \
                             pool opens every connection up front), not {}",
                            config.connection_limit
                        )));
                    }
                }
                "socket_timeout" => {
                    config.busy_timeout = Duration::from_secs(parse_number(&name, &value)?);
                }
                "pool_timeout" => {
                    let secs: u64 = parse_number(&name, &value)?;
                    config.pool_timeout = (secs > 0).then(|| Duration::from_secs(secs));
                }
                "statement_cache_size" => {
                    config.statement_cache_capacity = parse_number(&name, &value)?;
                }
                "mode" if value == "memory" => {}
                "cache" if matches!(config.target, Target::Memory(_)) => {}
                _ if SQLITE_URI_PARAMS.contains(&name.as_str()) => {
                    config.uri_params.push((name, value));
                }
                _ => {
                    return Err(Error::Config(format!(
                        "unknown SQLite URL parameter `{name}`"
                    )));
                }
            }
        }
        Ok(config)
    }

    /// Resolves relative file paths against `dir` instead of the current directory.
    pub fn with_base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// The most connections the pool opens: one writer plus `limit - 1` readers. Values
    /// below 1 count as 1, values above 1024 as 1024 (the pool opens every connection when
    /// it is built, see [`from_url`](Self::from_url)).
    pub fn with_connection_limit(mut self, limit: usize) -> Self {
        self.connection_limit = limit.clamp(1, MAX_CONNECTION_LIMIT);
        self
    }

    /// How long a statement waits for a lock held by another connection or process before
    /// failing with [`Error::Busy`] (SQLite's busy timeout; Prisma's `socket_timeout`).
    /// SQLite waits about 24.8 days (`i32::MAX` milliseconds) at most, whatever is set.
    pub fn with_busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// How long a caller waits for a pooled connection before [`Error::PoolTimeout`];
    /// `None` waits forever.
    pub fn with_pool_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_timeout = timeout;
        self
    }

    /// How many prepared statements each connection keeps (LRU).
    pub fn with_statement_cache_capacity(mut self, capacity: usize) -> Self {
        self.statement_cache_capacity = capacity;
        self
    }

    /// The most connections the pool opens.
    pub fn connection_limit(&self) -> usize {
        self.connection_limit
    }

    /// The busy timeout.
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout
    }

    /// The pool timeout; `None` waits forever.
    pub fn pool_timeout(&self) -> Option<Duration> {
        self.pool_timeout
    }

    /// Whether this is an in-memory database.
    pub fn is_memory(&self) -> bool {
        matches!(self.target, Target::Memory(_))
    }

    /// The file's path as it will be opened (relative paths resolved), or `None` in memory.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the path is relative and the current directory is unknown.
    pub fn resolved_path(&self) -> Result<Option<PathBuf>> {
        let Target::File(path) = &self.target else {
            return Ok(None);
        };
        if path.is_absolute() {
            return Ok(Some(path.clone()));
        }
        let base = match &self.base_dir {
            Some(dir) => dir.clone(),
            None => std::env::current_dir()
                .map_err(|e| Error::Config(format!("cannot resolve `{}`: {e}", path.display())))?,
        };
        Ok(Some(base.join(path)))
    }

    /// What to pass to `sqlite3_open_v2` (with `SQLITE_OPEN_URI`): a path, or a `file:` URI
    /// when there are URI parameters or the database is in memory.
    pub(crate) fn open_name(&self) -> Result<String> {
        static NEXT_MEMORY_ID: AtomicU64 = AtomicU64::new(0);
        let (path, mut params) = match &self.target {
            // The `memdb` VFS shares a database whose name starts with `/` between the
            // connections of a process, with ordinary locking (busy timeout applies).
            Target::Memory(name) => {
                let name = match name {
                    Some(name) => format!("/orm-memory/{name}"),
                    None => format!(
                        "/orm-memory/{}-{}",
                        std::process::id(),
                        NEXT_MEMORY_ID.fetch_add(1, Ordering::Relaxed)
                    ),
                };
                (name, vec![("vfs".to_owned(), "memdb".to_owned())])
            }
            Target::File(_) => {
                let path = self.resolved_path()?.unwrap_or_default();
                (path_text(&path)?, Vec::new())
            }
        };
        params.extend(self.uri_params.iter().cloned());
        if params.is_empty() {
            return Ok(path);
        }
        let query: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
        Ok(format!("file:{}?{}", uri_escape(&path), query.join("&")))
    }

    /// Whether the URL asked SQLite for a read-only database.
    pub(crate) fn is_read_only(&self) -> bool {
        self.uri_params
            .iter()
            .any(|(n, v)| n == "immutable" && v == "1" || n == "mode" && v == "ro")
    }
}

/// The largest `connection_limit`. The pool opens every connection when it is built, each
/// with its own file descriptors (database and WAL) and page cache, and SQLite runs one
/// writer at a time, so readers beyond a few per core only cost memory. A larger number is
/// almost surely a typo in the URL, and would otherwise fail late (out of file descriptors)
/// or abort the process on allocation (`connection_limit=1000000000000`). 1024 is still
/// above the default on any machine with fewer than 512 CPUs.
const MAX_CONNECTION_LIMIT: usize = 1024;

/// Prisma's default pool size: twice the CPUs plus one (at most [`MAX_CONNECTION_LIMIT`]).
fn default_connection_limit() -> usize {
    (std::thread::available_parallelism().map_or(1, |n| n.get()) * 2 + 1).min(MAX_CONNECTION_LIMIT)
}

fn strip_scheme(location: &str) -> &str {
    let Some(rest) = location.strip_prefix("file:") else {
        return location;
    };
    match rest.strip_prefix("//") {
        Some(authority_and_path) => authority_and_path
            .strip_prefix("localhost")
            .unwrap_or(authority_and_path),
        None => rest,
    }
}

fn parse_number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T> {
    value.parse().map_err(|_| {
        Error::Config(format!(
            "`{name}` must be a non-negative integer, got `{value}`"
        ))
    })
}

fn path_text(path: &Path) -> Result<String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::Config(format!("the path `{}` is not valid UTF-8", path.display())))
}

/// Escapes the characters that end or alter the path part of a SQLite `file:` URI.
fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisma_file_urls_are_paths() {
        for (url, path) in [
            ("file:dev.db", "dev.db"),
            ("file:./dev.db", "./dev.db"),
            ("file:../data/dev.db", "../data/dev.db"),
            ("file:/var/db/dev.db", "/var/db/dev.db"),
            ("file:///var/db/dev.db", "/var/db/dev.db"),
            ("file://localhost/var/db/dev.db", "/var/db/dev.db"),
            ("dev.db", "dev.db"),
        ] {
            let config = SqliteConfig::from_url(url).unwrap();
            assert_eq!(config.target, Target::File(path.into()), "{url}");
        }
    }

    #[test]
    fn relative_paths_resolve_against_the_base_dir_or_the_current_directory() {
        let config = SqliteConfig::from_url("file:./dev.db").unwrap();
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(config.resolved_path().unwrap(), Some(cwd.join("./dev.db")));
        let config = config.with_base_dir("/srv/app/prisma");
        assert_eq!(
            config.resolved_path().unwrap(),
            Some(PathBuf::from("/srv/app/prisma/./dev.db"))
        );
    }

    #[test]
    fn memory_urls() {
        for url in [":memory:", "file::memory:", "file::memory:?cache=shared"] {
            let config = SqliteConfig::from_url(url).unwrap();
            assert_eq!(config.target, Target::Memory(None), "{url}");
        }
        let named = SqliteConfig::from_url("file:cache?mode=memory&cache=shared").unwrap();
        assert_eq!(named.target, Target::Memory(Some("cache".into())));
        assert_eq!(
            named.open_name().unwrap(),
            "file:/orm-memory/cache?vfs=memdb"
        );
        let a = SqliteConfig::memory().open_name().unwrap();
        assert_ne!(a, SqliteConfig::memory().open_name().unwrap());
    }

    #[test]
    fn parameters_as_prisma_names_them() {
        let config = SqliteConfig::from_url(
            "file:dev.db?connection_limit=3&socket_timeout=2&pool_timeout=0&statement_cache_size=7",
        )
        .unwrap();
        assert_eq!(config.connection_limit(), 3);
        assert_eq!(config.busy_timeout(), Duration::from_secs(2));
        assert_eq!(config.pool_timeout(), None);
        assert_eq!(config.statement_cache_capacity, 7);
    }

    #[test]
    fn sqlite_uri_parameters_pass_through_escaped() {
        let config = SqliteConfig::from_url("file:/tmp/50%.db?mode=ro").unwrap();
        assert!(config.is_read_only());
        assert_eq!(config.open_name().unwrap(), "file:/tmp/50%25.db?mode=ro");
    }

    #[test]
    fn bad_parameters_are_config_errors() {
        for url in [
            "file:dev.db?conection_limit=3",
            "file:dev.db?connection_limit=many",
            "file:dev.db?connection_limit=0",
            "file:dev.db?socket_timeout=-1",
        ] {
            assert!(
                matches!(SqliteConfig::from_url(url), Err(Error::Config(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn connection_limit_is_bounded_like_postgres() {
        let config = SqliteConfig::from_url("file:dev.db?connection_limit=1024").unwrap();
        assert_eq!(config.connection_limit(), MAX_CONNECTION_LIMIT);

        for (url, expected) in [
            (
                "file:dev.db?connection_limit=1025",
                "`connection_limit` must be at most 1024 (the pool opens every connection \
                 up front), not 1025",
            ),
            (
                "file:dev.db?connection_limit=1000000000000",
                "`connection_limit` must be at most 1024 (the pool opens every connection \
                 up front), not 1000000000000",
            ),
            (
                "file:dev.db?connection_limit=0",
                "`connection_limit` must be at least 1",
            ),
        ] {
            match SqliteConfig::from_url(url) {
                Err(Error::Config(message)) => assert_eq!(message, expected, "{url}"),
                other => panic!("{url}: expected a configuration error, got {other:?}"),
            }
        }

        // In code the setter clamps, as `PgConfig::with_connection_limit` does.
        assert_eq!(
            SqliteConfig::memory()
                .with_connection_limit(0)
                .connection_limit(),
            1
        );
        assert_eq!(
            SqliteConfig::memory()
                .with_connection_limit(usize::MAX)
                .connection_limit(),
            MAX_CONNECTION_LIMIT
        );
        assert!(SqliteConfig::memory().connection_limit() <= MAX_CONNECTION_LIMIT);
    }
}
