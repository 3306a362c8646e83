//! Connection settings: a Prisma-style URL or a [`PgConfig`] built in code.

use std::str::FromStr;
use std::time::Duration;

use orm_core::{Error, Result};

/// Whether connections use TLS, as libpq's and Prisma's `sslmode` say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it and the `tls` feature is built in, plain otherwise. The
    /// default, as in libpq.
    #[default]
    Prefer,
    /// TLS or no connection. Needs the `tls` feature. As in libpq, the server's certificate
    /// is not verified in this mode: it protects against eavesdropping, not impersonation.
    Require,
}

impl FromStr for SslMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "disable" => Ok(SslMode::Disable),
            "prefer" => Ok(SslMode::Prefer),
            "require" => Ok(SslMode::Require),
            other => Err(Error::Config(format!(
                "sslmode `{other}` is not supported (use disable, prefer or require)"
            ))),
        }
    }
}

/// How to reach PostgreSQL and how to pool connections.
///
/// Built from a URL with [`PgConfig::from_url`] (as Prisma reads it) or in code with
/// [`PgConfig::new`] and the `with_*` setters. Defaults follow Prisma:
///
/// | URL parameter | setter | default |
/// | --- | --- | --- |
/// | `connection_limit` | [`with_connection_limit`](Self::with_connection_limit) | CPUs × 2 + 1 |
/// | `pool_timeout` (seconds, `0` = wait forever) | [`with_pool_timeout`](Self::with_pool_timeout) | 10 s |
/// | `connect_timeout` (seconds, `0` = no limit) | [`with_connect_timeout`](Self::with_connect_timeout) | 5 s |
/// | `schema` | [`with_schema`](Self::with_schema) | the server's `search_path` |
/// | `pgbouncer` (`true`/`false`) | [`with_pgbouncer`](Self::with_pgbouncer) | `false` |
/// | `statement_cache_size` (`0` disables) | [`with_statement_cache_size`](Self::with_statement_cache_size) | 100 |
/// | `sslmode` (`disable`, `prefer`, `require`) | [`with_ssl_mode`](Self::with_ssl_mode) | `prefer` |
///
/// Other URL parameters libpq defines that tokio-postgres understands (`application_name`,
/// `options`, `host`, `port`, `user`, `password`, `dbname`, `keepalives`, …) pass through; any
/// other parameter is a configuration error.
#[derive(Clone)]
pub struct PgConfig {
    pub(crate) pg: tokio_postgres::Config,
    pub(crate) connection_limit: usize,
    pub(crate) pool_timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) schema: Option<String>,
    pub(crate) pgbouncer: bool,
    pub(crate) statement_cache_size: usize,
    pub(crate) ssl_mode: SslMode,
}

impl std::fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // tokio_postgres::Config's Debug redacts the password.
        f.debug_struct("PgConfig")
            .field("pg", &self.pg)
            .field("connection_limit", &self.connection_limit)
            .field("pool_timeout", &self.pool_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("schema", &self.schema)
            .field("pgbouncer", &self.pgbouncer)
            .field("statement_cache_size", &self.statement_cache_size)
            .field("ssl_mode", &self.ssl_mode)
            .finish()
    }
}

impl Default for PgConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// Prisma's default pool size: the number of CPUs times two, plus one.
fn default_connection_limit() -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cpus * 2 + 1
}

impl PgConfig {
    /// Settings with every default: `localhost:5432`, no user or database, Prisma's pool
    /// defaults.
    pub fn new() -> Self {
        PgConfig {
            pg: tokio_postgres::Config::new(),
            connection_limit: default_connection_limit(),
            pool_timeout: Some(Duration::from_secs(10)),
            connect_timeout: Some(Duration::from_secs(5)),
            schema: None,
            pgbouncer: false,
            statement_cache_size: 100,
            ssl_mode: SslMode::Prefer,
        }
    }

    /// Reads a `postgres://` or `postgresql://` URL with Prisma's parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for another scheme, a malformed URL, an invalid or unknown parameter.
    pub fn from_url(url: &str) -> Result<Self> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(Error::Config(
                "a PostgreSQL URL starts with postgres:// or postgresql://".to_owned(),
            ));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut config = PgConfig::new();
        let mut passed = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(raw)?;
            match key {
                "connection_limit" => {
                    config.connection_limit = parse_number(key, &value)?;
                    if config.connection_limit == 0 {
                        return Err(Error::Config("connection_limit must be at least 1".into()));
                    }
                    if config.connection_limit > MAX_CONNECTION_LIMIT {
                        return Err(Error::Config(format!(
                            "connection_limit must be at most {MAX_CONNECTION_LIMIT}, \
                             PostgreSQL's own maximum of connections, not {}",
                            config.connection_limit
                        )));
                    }
                }
                "pool_timeout" => config.pool_timeout = parse_seconds(key, &value)?,
                "connect_timeout" => config.connect_timeout = parse_seconds(key, &value)?,
                "schema" => config.schema = Some(value).filter(|s| !s.is_empty()),
                "pgbouncer" => config.pgbouncer = parse_bool(key, &value)?,
                "statement_cache_size" => {
                    config.statement_cache_size = parse_number(key, &value)?;
                }
                "sslmode" => config.ssl_mode = value.parse()?,
                _ => passed.push(pair),
            }
        }
        let rebuilt = if passed.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", passed.join("&"))
        };
        config.pg = rebuilt
            .parse()
            .map_err(|e: tokio_postgres::Error| Error::Config(e.to_string()))?;
        Ok(config)
    }

    /// Sets the host name, IP address or Unix socket directory (may be called several times
    /// for fallbacks).
    pub fn with_host(mut self, host: &str) -> Self {
        self.pg.host(host);
        self
    }

    /// Sets the port.
    pub fn with_port(mut self, port: u16) -> Self {
        self.pg.port(port);
        self
    }

    /// Sets the user name.
    pub fn with_user(mut self, user: &str) -> Self {
        self.pg.user(user);
        self
    }

    /// Sets the password.
    pub fn with_password(mut self, password: impl AsRef<[u8]>) -> Self {
        self.pg.password(password);
        self
    }

    /// Sets the database name.
    pub fn with_database(mut self, database: &str) -> Self {
        self.pg.dbname(database);
        self
    }

    /// Sets the most connections the pool opens (Prisma's `connection_limit`); at least 1 and
    /// at most 262143, PostgreSQL's own maximum of connections (a larger number is taken as
    /// that: the pool reserves a slot per connection up front).
    pub fn with_connection_limit(mut self, limit: usize) -> Self {
        self.connection_limit = limit.clamp(1, MAX_CONNECTION_LIMIT);
        self
    }

    /// Sets how long a caller waits for a free connection before
    /// [`Error::PoolTimeout`]; `None` waits forever (Prisma's `pool_timeout=0`).
    pub fn with_pool_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_timeout = timeout;
        self
    }

    /// Sets how long opening a connection may take; `None` has no limit.
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the schema unqualified names resolve in: every new connection runs
    /// `SET search_path` to it.
    pub fn with_schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// PgBouncer mode: no named prepared statements, only unnamed ones, so that a PgBouncer
    /// in transaction mode never sees a named statement. Statements are planned on every run.
    ///
    /// A query that returns no rows has no column names in this mode
    /// ([`ResultSet::columns`](orm_core::ResultSet::columns) is empty): the server does send
    /// them, but tokio-postgres keeps them inside its row stream and hands them out only with
    /// a row (see the adapter's `run_unnamed`). Code that needs the columns of an empty
    /// result must not rely on them here.
    pub fn with_pgbouncer(mut self, pgbouncer: bool) -> Self {
        self.pgbouncer = pgbouncer;
        self
    }

    /// Sets how many prepared statements each connection keeps (least recently used ones are
    /// closed first); `0` disables the cache, so every statement runs unnamed (and, as in
    /// [PgBouncer mode](Self::with_pgbouncer), an empty result has no column names).
    pub fn with_statement_cache_size(mut self, size: usize) -> Self {
        self.statement_cache_size = size;
        self
    }

    /// Sets whether connections use TLS.
    pub fn with_ssl_mode(mut self, mode: SslMode) -> Self {
        self.ssl_mode = mode;
        self
    }

    /// The most connections the pool opens.
    pub fn connection_limit(&self) -> usize {
        self.connection_limit
    }

    /// How long a caller waits for a connection; `None` is forever.
    pub fn pool_timeout(&self) -> Option<Duration> {
        self.pool_timeout
    }

    /// How long opening a connection may take; `None` is no limit.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The schema set as `search_path`, if any.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// Whether PgBouncer mode is on.
    pub fn is_pgbouncer(&self) -> bool {
        self.pgbouncer
    }

    /// How many prepared statements each connection keeps.
    pub fn statement_cache_size(&self) -> usize {
        self.statement_cache_size
    }

    /// Whether connections use TLS.
    pub fn ssl_mode(&self) -> SslMode {
        self.ssl_mode
    }

    /// Whether statements run unnamed (PgBouncer mode or no statement cache).
    pub(crate) fn unnamed_statements(&self) -> bool {
        self.pgbouncer || self.statement_cache_size == 0
    }
}

impl FromStr for PgConfig {
    type Err = Error;

    fn from_str(url: &str) -> Result<Self> {
        PgConfig::from_url(url)
    }
}

/// The largest `connection_limit`: PostgreSQL's own maximum of `max_connections` (2^18 - 1).
/// The pool reserves a slot per connection when it is built, so an absurd limit from a URL
/// (10^12) would abort the process on allocation instead of failing.
const MAX_CONNECTION_LIMIT: usize = 262_143;

fn parse_number(key: &str, value: &str) -> Result<usize> {
    value
        .parse()
        .map_err(|_| Error::Config(format!("{key} must be a whole number, not `{value}`")))
}

fn parse_seconds(key: &str, value: &str) -> Result<Option<Duration>> {
    let seconds = parse_number(key, value)?;
    Ok((seconds > 0).then(|| Duration::from_secs(seconds as u64)))
}

fn parse_bool(key: &str, value: &str) -> Result<bool> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Error::Config(format!(
            "{key} must be true or false, not `{value}`"
        ))),
    }
}

/// Decodes `%XX` escapes (and `+` as space, as in a query string).
fn percent_decode(raw: &str) -> Result<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| Error::Config(format!("invalid percent escape in `{raw}`")))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Error::Config(format!("`{raw}` is not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prisma_parameters() {
        let config = PgConfig::from_url(
            "postgresql://u:p@db.example:6432/app?connection_limit=3&pool_timeout=0\
             &connect_timeout=2&schema=my%20schema&pgbouncer=true&statement_cache_size=0\
             &sslmode=disable&application_name=svc",
        )
        .unwrap();
        assert_eq!(config.connection_limit(), 3);
        assert_eq!(config.pool_timeout(), None);
        assert_eq!(config.connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(config.schema(), Some("my schema"));
        assert!(config.is_pgbouncer());
        assert_eq!(config.statement_cache_size(), 0);
        assert_eq!(config.ssl_mode(), SslMode::Disable);
        assert_eq!(config.pg.get_application_name(), Some("svc"));
        assert_eq!(config.pg.get_ports(), &[6432]);
        assert_eq!(config.pg.get_dbname(), Some("app"));
    }

    #[test]
    fn defaults_follow_prisma() {
        let config = PgConfig::from_url("postgres://u@localhost/app").unwrap();
        let cpus = std::thread::available_parallelism().unwrap().get();
        assert_eq!(config.connection_limit(), cpus * 2 + 1);
        assert_eq!(config.pool_timeout(), Some(Duration::from_secs(10)));
        assert_eq!(config.connect_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(config.statement_cache_size(), 100);
        assert!(!config.is_pgbouncer());
        assert_eq!(config.ssl_mode(), SslMode::Prefer);
    }

    #[test]
    fn rejects_other_schemes_and_bad_values() {
        for url in [
            "mysql://u@h/db",
            "postgres://u@h/db?connection_limit=lots",
            "postgres://u@h/db?connection_limit=0",
            "postgres://u@h/db?pgbouncer=yes",
            "postgres://u@h/db?sslmode=verify-full",
            "postgres://u@h/db?no_such_option=1",
            "postgres://u@h/db?schema=%zz",
        ] {
            assert!(
                matches!(PgConfig::from_url(url), Err(Error::Config(_))),
                "{url}"
            );
        }
    }
}
