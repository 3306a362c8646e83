//! One pooled connection: the tokio-postgres client, its prepared-statement cache, and the
//! deadpool manager that opens and checks connections.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use deadpool::managed::{Metrics, RecycleError, RecycleResult};
use futures_util::TryStreamExt;
use orm_core::{EachRow, Error, ResultSet, RowCursor, Sql, Value};
use tokio_postgres::{Client, RowStream, Statement};

use crate::config::PgConfig;
use crate::decode::{Decoder, RawValue};
use crate::encode::{Param, declared_type};
use crate::error::{from_pg, is_connection_lost};

/// A statement prepared on one connection, with what reading its rows needs.
pub(crate) struct Prepared {
    statement: Statement,
    columns: Arc<[String]>,
    decoders: Box<[Decoder]>,
    /// How many rows the statement returned last time: the result buffer starts that large,
    /// so a repeated large read does not grow it step by step.
    last_rows: AtomicUsize,
}

impl Prepared {
    fn new(statement: Statement) -> Self {
        let columns = statement
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        let decoders = statement
            .columns()
            .iter()
            .map(|c| Decoder::for_type(c.type_()))
            .collect();
        Prepared {
            statement,
            columns,
            decoders,
            last_rows: AtomicUsize::new(1),
        }
    }
}

/// Prepared statements of one connection, by SQL text, evicting the least recently used one
/// when full. Eviction scans the entries (a cache miss costs a round trip anyway); a hit is one
/// hash lookup, with foldhash (the texts are the application's statements, not input an
/// attacker chooses, and SipHash over a statement's text cost more than the rest of the
/// lookup).
struct StatementCache<T = Prepared> {
    capacity: usize,
    clock: u64,
    entries: HashMap<Box<str>, (u64, Arc<T>), foldhash::fast::RandomState>,
}

impl<T> StatementCache<T> {
    fn new(capacity: usize) -> Self {
        StatementCache {
            capacity,
            clock: 0,
            entries: HashMap::with_capacity_and_hasher(capacity.min(256), Default::default()),
        }
    }

    fn get(&mut self, text: &str) -> Option<Arc<T>> {
        let (used, prepared) = self.entries.get_mut(text)?;
        self.clock += 1;
        *used = self.clock;
        Some(Arc::clone(prepared))
    }

    /// Inserts a statement; the evicted one is closed on the server when its last user drops
    /// it (tokio-postgres sends `Close` when a `Statement` is dropped).
    fn insert(&mut self, text: &str, prepared: Arc<T>) {
        if self.entries.len() >= self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(text, _)| text.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.clock += 1;
        self.entries.insert(text.into(), (self.clock, prepared));
    }

    fn remove(&mut self, text: &str) {
        self.entries.remove(text);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// What a statement's caller wants back.
pub(crate) enum Want<'w, 'e> {
    /// The rows, collected.
    Rows,
    /// The number of rows affected.
    Count,
    /// Each row handed to the caller as it is read ([`Queryable::query_each`](orm_core::Queryable::query_each)).
    Each(&'w mut EachRow<'e>),
}

/// What a statement returned.
pub(crate) enum Output {
    Rows(ResultSet),
    /// Rows affected, or rows handed over one by one.
    Count(u64),
}

impl Output {
    pub(crate) fn into_rows(self) -> ResultSet {
        match self {
            Output::Rows(rows) => rows,
            Output::Count(_) => ResultSet::default(),
        }
    }

    pub(crate) fn into_count(self) -> u64 {
        match self {
            Output::Rows(rows) => rows.len() as u64,
            Output::Count(count) => count,
        }
    }
}

/// Where the rows of a running statement go, as its caller wants ([`Want`]).
enum Sink<'w, 'e> {
    Collect(ResultSet),
    Each {
        each: &'w mut EachRow<'e>,
        /// One row's values, reused for every row.
        values: Vec<Value>,
        rows: u64,
    },
    Count,
}

impl<'w, 'e> Sink<'w, 'e> {
    /// The sink for `want`; collected rows start with room for `hint` rows.
    fn new(want: &'w mut Want<'_, 'e>, columns: &Arc<[String]>, hint: usize) -> Self {
        match want {
            Want::Rows => Sink::Collect(ResultSet::with_shared_columns(Arc::clone(columns), hint)),
            Want::Each(each) => Sink::Each {
                each: &mut **each,
                values: Vec::with_capacity(columns.len()),
                rows: 0,
            },
            Want::Count => Sink::Count,
        }
    }

    fn row(
        &mut self,
        row: &tokio_postgres::Row,
        columns: &[String],
        decoders: &[Decoder],
    ) -> Result<(), Error> {
        match self {
            Sink::Collect(rows) => decode_row(row, columns, decoders, |v| rows.push(v)),
            Sink::Each { each, values, rows } => {
                values.clear();
                decode_row(row, columns, decoders, |v| values.push(v))?;
                *rows += 1;
                each(&mut RowCursor::new(columns, values))
            }
            Sink::Count => Ok(()),
        }
    }

    fn output(self, affected: Option<u64>) -> Output {
        match self {
            Sink::Collect(rows) => Output::Rows(rows),
            Sink::Each { rows, .. } => Output::Count(rows),
            Sink::Count => Output::Count(affected.unwrap_or(0)),
        }
    }
}

/// A failed statement, and whether running it again on another connection is safe.
pub(crate) struct RunError {
    pub(crate) error: Error,
    /// The connection was lost before the server acknowledged binding the statement, so the
    /// statement never ran; see the crate docs ("Lost connections").
    pub(crate) lost_before_run: bool,
    /// The connection is unusable and must not return to the pool.
    pub(crate) connection_lost: bool,
}

impl RunError {
    /// A failure before the server could have run the statement.
    fn before_run(err: tokio_postgres::Error) -> Self {
        let lost = is_connection_lost(&err);
        RunError {
            error: from_pg(err),
            lost_before_run: lost,
            connection_lost: lost,
        }
    }

    /// A failure once the statement may have run.
    fn after_run(err: tokio_postgres::Error) -> Self {
        let lost = is_connection_lost(&err);
        RunError {
            error: from_pg(err),
            lost_before_run: false,
            connection_lost: lost,
        }
    }

    fn other(error: Error) -> Self {
        RunError {
            error,
            lost_before_run: false,
            connection_lost: false,
        }
    }
}

/// One connection of the pool.
pub(crate) struct PgConn {
    pub(crate) client: Client,
    statements: Mutex<StatementCache>,
    /// Set while a transaction may be open on the connection; a connection taken from the
    /// pool with this set is rolled back first.
    in_transaction: AtomicBool,
    unnamed: bool,
}

impl PgConn {
    fn new(client: Client, config: &PgConfig) -> Self {
        PgConn {
            client,
            statements: Mutex::new(StatementCache::new(config.statement_cache_size)),
            in_transaction: AtomicBool::new(false),
            unnamed: config.unnamed_statements(),
        }
    }

    pub(crate) fn set_in_transaction(&self, open: bool) {
        self.in_transaction.store(open, Ordering::Release);
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction.load(Ordering::Acquire)
    }

    fn statements(&self) -> MutexGuard<'_, StatementCache> {
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs one statement.
    pub(crate) async fn run(&self, sql: &Sql, want: &mut Want<'_, '_>) -> Result<Output, RunError> {
        if self.unnamed {
            return self.run_unnamed(sql, want).await;
        }
        let mut fresh = false;
        loop {
            let cached = self.statements().get(&sql.text);
            let prepared = match cached {
                Some(prepared) => prepared,
                None => {
                    fresh = true;
                    let statement = self
                        .client
                        .prepare(&sql.text)
                        .await
                        .map_err(RunError::before_run)?;
                    let prepared = Arc::new(Prepared::new(statement));
                    self.statements().insert(&sql.text, Arc::clone(&prepared));
                    prepared
                }
            };
            let expected = prepared.statement.params().len();
            if expected != sql.params.len() {
                return Err(RunError::other(Error::Encode {
                    what: "parameters".to_owned(),
                    reason: format!(
                        "the statement has {expected} placeholders but {} values were given",
                        sql.params.len()
                    ),
                }));
            }
            let params = sql
                .params
                .iter()
                .enumerate()
                .map(|(index, value)| Param::new(index, value));
            match self.client.query_raw(&prepared.statement, params).await {
                Ok(stream) => {
                    let hint = prepared.last_rows.load(Ordering::Relaxed);
                    let sink = Sink::new(want, &prepared.columns, hint);
                    let stream = std::pin::pin!(stream);
                    let output =
                        finish(stream, sink, &prepared.columns, &prepared.decoders).await?;
                    if let Output::Rows(rows) = &output {
                        prepared.last_rows.store(rows.len(), Ordering::Relaxed);
                    }
                    return Ok(output);
                }
                Err(err) if !fresh && is_stale_statement(&err) => {
                    // The schema changed under a cached statement (`cached plan must not change
                    // result type`) or the session dropped it (`DISCARD ALL`): binding failed,
                    // nothing ran; prepare it again once.
                    self.statements().remove(&sql.text);
                }
                Err(err) => return Err(RunError::before_run(err)),
            }
        }
    }

    /// Runs one statement unnamed (PgBouncer mode, or no statement cache): parse, bind and
    /// execute in one round trip, parameter types taken from the values.
    ///
    /// The column names come from the first row, so an empty result has none. The server
    /// sends a `RowDescription` for the unnamed statement whether or not rows follow, and
    /// tokio-postgres 0.7 reads it into the `RowStream`, but does not expose it: `RowStream`
    /// has no `columns()`, only `Row::columns()`. The alternatives are worse: `prepare` always
    /// creates a *named* statement (`s0`, `s1`, …), which is exactly what PgBouncer in
    /// transaction mode cannot route, and a second `Describe` would cost a round trip and could
    /// land on another server connection. Until tokio-postgres exposes the description, an
    /// empty result in this mode has no columns, and the docs of `with_pgbouncer` say so.
    async fn run_unnamed(&self, sql: &Sql, want: &mut Want<'_, '_>) -> Result<Output, RunError> {
        let params = sql
            .params
            .iter()
            .enumerate()
            .map(|(index, value)| (Param::new(index, value), declared_type(value)));
        let stream = self
            .client
            .query_typed_raw(&sql.text, params)
            .await
            .map_err(RunError::before_run)?;
        let mut stream = std::pin::pin!(stream);
        let first = stream.try_next().await.map_err(RunError::after_run)?;
        let Some(first) = first else {
            let columns: Arc<[String]> = Arc::new([]);
            return Ok(Sink::new(want, &columns, 0).output(stream.rows_affected()));
        };
        let columns: Arc<[String]> = first
            .columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        let decoders: Box<[Decoder]> = first
            .columns()
            .iter()
            .map(|c| Decoder::for_type(c.type_()))
            .collect();
        let mut sink = Sink::new(want, &columns, 1);
        sink.row(&first, &columns, &decoders)
            .map_err(RunError::other)?;
        drop(first);
        finish(stream, sink, &columns, &decoders).await
    }
}

/// Errors meaning a cached statement no longer fits the session: `0A000`
/// (`cached plan must not change result type`) and `26000` (no such prepared statement).
fn is_stale_statement(err: &tokio_postgres::Error) -> bool {
    err.as_db_error()
        .is_some_and(|db| matches!(db.code().code(), "0A000" | "26000"))
}

/// Reads the rest of `stream` into `sink`.
async fn finish(
    mut stream: std::pin::Pin<&mut RowStream>,
    mut sink: Sink<'_, '_>,
    columns: &[String],
    decoders: &[Decoder],
) -> Result<Output, RunError> {
    while let Some(row) = stream.try_next().await.map_err(RunError::after_run)? {
        sink.row(&row, columns, decoders).map_err(RunError::other)?;
    }
    Ok(sink.output(stream.rows_affected()))
}

/// Decodes the values of `row` in column order, handing each to `push`.
#[inline(always)]
fn decode_row(
    row: &tokio_postgres::Row,
    columns: &[String],
    decoders: &[Decoder],
    mut push: impl FnMut(Value),
) -> Result<(), Error> {
    for (index, decoder) in decoders.iter().enumerate() {
        let raw = row.try_get::<_, RawValue<'_>>(index);
        let value = match raw {
            Ok(RawValue(None)) => Ok(Value::Null),
            Ok(RawValue(Some(bytes))) => decoder.decode_bytes(bytes),
            Err(err) => Err(err.into()),
        };
        match value {
            Ok(value) => push(value),
            Err(cause) => return Err(decoder.error(columns.get(index), &*cause)),
        }
    }
    Ok(())
}

/// Opens and checks the pool's connections.
pub(crate) struct Manager {
    config: PgConfig,
    #[cfg(feature = "tls")]
    tls: Option<crate::tls::MakeTls>,
}

impl Manager {
    pub(crate) fn new(config: PgConfig) -> Result<Self, Error> {
        #[cfg(not(feature = "tls"))]
        if config.ssl_mode == crate::SslMode::Require {
            return Err(Error::Config(
                "sslmode=require needs orm-pg's `tls` feature, which this build lacks".to_owned(),
            ));
        }
        let mut config = config;
        if let Some(timeout) = config.connect_timeout {
            config.pg.connect_timeout(timeout);
        }
        config.pg.ssl_mode(match config.ssl_mode {
            crate::SslMode::Disable => tokio_postgres::config::SslMode::Disable,
            crate::SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
            crate::SslMode::Require => tokio_postgres::config::SslMode::Require,
        });
        Ok(Manager {
            #[cfg(feature = "tls")]
            tls: match config.ssl_mode {
                crate::SslMode::Disable => None,
                _ => Some(crate::tls::make_tls()?),
            },
            config,
        })
    }

    async fn connect(&self) -> Result<Client, tokio_postgres::Error> {
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            let (client, connection) = self.config.pg.connect(tls.clone()).await?;
            tokio::spawn(drive(connection));
            return Ok(client);
        }
        let (client, connection) = self.config.pg.connect(tokio_postgres::NoTls).await?;
        tokio::spawn(drive(connection));
        Ok(client)
    }
}

/// Drives a connection's socket until the client is dropped or the server goes away.
async fn drive<F>(connection: F)
where
    F: Future<Output = Result<(), tokio_postgres::Error>>,
{
    if let Err(err) = connection.await {
        tracing::debug!(error = %err, "postgresql connection closed");
    }
}

impl deadpool::managed::Manager for Manager {
    type Type = PgConn;
    type Error = Error;

    async fn create(&self) -> Result<PgConn, Error> {
        let client = self.connect().await.map_err(from_pg)?;
        if let Some(schema) = &self.config.schema {
            let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
            client
                .batch_execute(&format!("SET search_path TO {quoted}"))
                .await
                .map_err(from_pg)?;
        }
        Ok(PgConn::new(client, &self.config))
    }

    async fn recycle(&self, conn: &mut PgConn, _: &Metrics) -> RecycleResult<Error> {
        if conn.client.is_closed() {
            return Err(RecycleError::message("the connection was closed"));
        }
        if conn.in_transaction() {
            // A transaction whose handle vanished without rolling back (a cancelled future, no
            // runtime to roll back on drop): end it before anyone else gets the connection.
            conn.client
                .batch_execute("ROLLBACK")
                .await
                .map_err(|e| RecycleError::Backend(from_pg(e)))?;
            conn.set_in_transaction(false);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_require_needs_the_tls_feature() {
        let config = PgConfig::from_url("postgres://u@localhost/db?sslmode=require").unwrap();
        let manager = Manager::new(config);
        if cfg!(feature = "tls") {
            assert!(manager.is_ok());
        } else {
            assert!(
                matches!(&manager, Err(Error::Config(m)) if m.contains("`tls` feature")),
                "{:?}",
                manager.err()
            );
        }
    }

    #[test]
    fn statement_cache_evicts_the_least_recently_used() {
        let mut cache = StatementCache::<u32>::new(2);
        cache.insert("a", Arc::new(1));
        cache.insert("b", Arc::new(2));
        assert_eq!(cache.get("a").as_deref(), Some(&1));
        cache.insert("c", Arc::new(3));
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert_eq!(cache.get("a").as_deref(), Some(&1));
        assert_eq!(cache.get("c").as_deref(), Some(&3));
        assert_eq!(cache.len(), 2);
        cache.remove("a");
        assert_eq!(cache.len(), 1);
    }
}
