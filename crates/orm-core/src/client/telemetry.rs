//! What the client reports about its work: `tracing` spans, the opt-in query log, pool
//! statistics.
//!
//! # Spans
//!
//! Every span has a target under `orm::`, so `RUST_LOG=orm=debug` (an `EnvFilter`) or a
//! per-target filter selects them. No span carries a bound value: SQL text only, with its
//! placeholders.
//!
//! | span | level, target | fields |
//! | --- | --- | --- |
//! | `orm.operation` | INFO, `orm::operation` | `model` (`"User"`), `operation` (Prisma's name: `"findMany"`, `"createManyAndReturn"`, …) |
//! | `orm.statement` | DEBUG, `orm::statement` | `db.system` (`"postgresql"`, `"sqlite"`), `db.statement` (the SQL text), `in_transaction`, and once it finished `rows` (returned or affected), `duration_us`, or `error` |
//! | `orm.transaction` | INFO, `orm::transaction` | `isolation_level` (`"Serializable"`, … or `"default"`), `read_only`, `savepoint` (a nested transaction), and once it ended `outcome` (`"committed"`, `"rolled back"`, `"commit failed"`, `"rollback failed"`, `"begin failed"`), `duration_us`, `error` |
//! | `orm.migration` | INFO, `orm::migrate` | `migration` (its folder name), and once it ended `duration_us`, `outcome` (`"applied"`, `"failed"`) |
//!
//! Spans nest as the work does: the statements of an operation are inside its
//! `orm.operation` span (an operation Prisma defines through another, such as `findUnique`
//! through `findMany`, shows both); an interactive or batch transaction's operations are
//! inside its `orm.transaction` span; a nested write's own transaction sits inside its
//! operation. `BEGIN`, `COMMIT`, `ROLLBACK` and savepoint statements are not `orm.statement`
//! spans: the `orm.transaction` span stands for them.
//!
//! # Query log
//!
//! [`Client::with_query_log`] is Prisma's `log: ['query']`: a [`QueryLog`] receives a
//! [`QueryEvent`] for each statement the client sent (operations and raw SQL, in a
//! transaction or not; the transaction control statements above excepted), after it
//! finished, with its SQL text, duration and row count. **Bound values are withheld** unless
//! the log asks for them with [`QueryLog::with_params`]: they are user data (e-mail
//! addresses, tokens, personal details) that logs should not collect by default.
//!
//! # Pool statistics
//!
//! [`Client::pool_status`] reads the adapter's pool: connections open, idle, and callers
//! waiting for one.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;
use tracing::field::Empty;

use super::Client;
use crate::adapter::{IsolationLevel, PoolStatus, TransactionOptions};
use crate::engine::ModelId;
use crate::error::{Error, Result};
use crate::sql::{Dialect, Sql};
use crate::value::Value;

/// One statement the client ran, as a [`QueryLog`] receives it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct QueryEvent<'a> {
    /// The SQL text, with placeholders (`$1`, `?1`), never values.
    pub sql: &'a str,
    /// The bound values, only when the log asked for them ([`QueryLog::with_params`]).
    pub params: Option<&'a [Value]>,
    /// When the statement was sent.
    pub started_at: SystemTime,
    /// How long it took, from sending to the last row read.
    pub duration: Duration,
    /// Rows returned (a query) or affected (a write); `None` when it failed, or for a script.
    pub rows: Option<u64>,
    /// The error, when it failed.
    pub error: Option<&'a Error>,
    /// Whether it ran inside a transaction.
    pub in_transaction: bool,
    /// The dialect of the database it ran on.
    pub dialect: Dialect,
}

type Sink = dyn Fn(&QueryEvent<'_>) + Send + Sync;

/// Where [`QueryEvent`]s go: Prisma's `log: ['query']`, set with [`Client::with_query_log`].
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use orm_core::client::QueryLog;
///
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&seen);
/// let log = QueryLog::new(move |event| {
///     sink.lock().unwrap().push(format!("{} ({:?})", event.sql, event.duration));
/// });
/// assert!(!log.includes_params(), "values are withheld unless asked for");
/// # drop(log);
/// ```
#[derive(Clone)]
pub struct QueryLog {
    sink: Arc<Sink>,
    params: bool,
}

impl std::fmt::Debug for QueryLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryLog")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl QueryLog {
    /// A log that calls `sink` after each statement, on the task that ran it. Keep it quick:
    /// the statement's caller waits for it.
    pub fn new(sink: impl Fn(&QueryEvent<'_>) + Send + Sync + 'static) -> Self {
        QueryLog {
            sink: Arc::new(sink),
            params: false,
        }
    }

    /// A log that emits each statement as an INFO `tracing` event with target `orm::query`
    /// (the SQL text as the message; `duration_us`, `rows`, and `params` when asked for as
    /// fields): Prisma's `log: ['query']` printing `prisma:query …`, for any `tracing`
    /// subscriber.
    pub fn tracing() -> Self {
        QueryLog::new(|event| {
            let duration_us = micros(event.duration);
            match event.params {
                Some(params) => tracing::info!(
                    target: "orm::query",
                    duration_us,
                    rows = event.rows,
                    params = ?params,
                    "{}",
                    event.sql
                ),
                None => tracing::info!(
                    target: "orm::query",
                    duration_us,
                    rows = event.rows,
                    "{}",
                    event.sql
                ),
            }
        })
    }

    /// Whether events carry the bound values. Off by default: values are user data. Turn it
    /// on only where the log's readers may see that data (local debugging).
    pub fn with_params(mut self, include: bool) -> Self {
        self.params = include;
        self
    }

    /// Whether events carry the bound values.
    pub fn includes_params(&self) -> bool {
        self.params
    }
}

impl Client {
    /// A client whose statements (and those of every client derived from it: clones,
    /// transaction clients) are reported to `log`. See the [module docs](self).
    #[must_use]
    pub fn with_query_log(mut self, log: QueryLog) -> Client {
        self.query_log = Some(log);
        self
    }

    /// The query log, if one is set.
    pub fn query_log(&self) -> Option<&QueryLog> {
        self.query_log.as_ref()
    }

    /// The adapter's pool right now: its size limit, connections open, idle, and callers
    /// waiting for one.
    pub fn pool_status(&self) -> PoolStatus {
        self.adapter.pool_status()
    }

    /// A model's name for spans and messages; `"?"` for an id the schema does not have.
    pub(crate) fn model_name(&self, model: ModelId) -> &'static str {
        self.schema().model(model).map_or("?", |m| m.name)
    }

    /// Runs one statement inside an `orm.statement` span and reports it to the query log.
    pub(crate) async fn observe<T>(
        &self,
        sql: &str,
        params: &[Value],
        rows: impl FnOnce(&T) -> Option<u64>,
        run: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let span = tracing::debug_span!(
            target: "orm::statement",
            "orm.statement",
            db.system = system(self.dialect()),
            db.statement = sql,
            in_transaction = self.in_transaction(),
            rows = Empty,
            duration_us = Empty,
            error = Empty,
        );
        if span.is_disabled() && self.query_log.is_none() {
            return run.await;
        }
        let started_at = self.query_log.as_ref().map(|_| SystemTime::now());
        let start = Instant::now();
        let result = run.instrument(span.clone()).await;
        let duration = start.elapsed();
        let count = result.as_ref().ok().and_then(rows);
        span.record("duration_us", micros(duration));
        if let Some(count) = count {
            span.record("rows", count);
        }
        if let Err(error) = &result {
            span.record("error", tracing::field::display(error));
        }
        if let (Some(log), Some(started_at)) = (&self.query_log, started_at) {
            (log.sink)(&QueryEvent {
                sql,
                params: log.params.then_some(params),
                started_at,
                duration,
                rows: count,
                error: result.as_ref().err(),
                in_transaction: self.in_transaction(),
                dialect: self.dialect(),
            });
        }
        result
    }

    /// [`Client::observe`] for an [`Sql`] statement.
    pub(crate) async fn observe_sql<T>(
        &self,
        sql: &Sql,
        rows: impl FnOnce(&T) -> Option<u64>,
        run: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        self.observe(&sql.text, &sql.params, rows, run).await
    }
}

/// The `db.system` name of a dialect (OpenTelemetry's spelling).
fn system(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "postgresql",
        Dialect::Sqlite => "sqlite",
    }
}

/// Whole microseconds, saturating.
pub(crate) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// The `orm.transaction` span of one transaction or savepoint, from `BEGIN` to its end.
/// Ending it records the outcome and duration once; dropped unended (a handle dropped
/// without commit or rollback), it records `"rolled back"`, which is what the adapter does.
pub(crate) struct TransactionSpan {
    span: tracing::Span,
    start: Instant,
    ended: AtomicBool,
}

impl TransactionSpan {
    /// The span of a transaction about to begin with `options`.
    pub(crate) fn begin(options: &TransactionOptions) -> Self {
        Self::new(options.isolation_level, options.read_only, false)
    }

    /// The span of a savepoint about to be opened inside `parent`'s transaction.
    pub(crate) fn savepoint(parent: &TransactionSpan) -> Self {
        let _inside = parent.span.enter();
        Self::new(None, false, true)
    }

    /// A span that records nothing (a handle built outside the client).
    pub(crate) fn none() -> Self {
        TransactionSpan {
            span: tracing::Span::none(),
            start: Instant::now(),
            ended: AtomicBool::new(true),
        }
    }

    fn new(level: Option<IsolationLevel>, read_only: bool, savepoint: bool) -> Self {
        let span = tracing::info_span!(
            target: "orm::transaction",
            "orm.transaction",
            isolation_level = level.map_or("default", isolation_name),
            read_only,
            savepoint,
            outcome = Empty,
            duration_us = Empty,
            error = Empty,
        );
        TransactionSpan {
            span,
            start: Instant::now(),
            ended: AtomicBool::new(false),
        }
    }

    /// The span, to run the transaction's work inside.
    pub(crate) fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// Records how the transaction ended (the first call only).
    pub(crate) fn end(&self, outcome: &'static str, error: Option<&Error>) {
        if self.ended.swap(true, Ordering::AcqRel) {
            return;
        }
        self.span.record("outcome", outcome);
        self.span
            .record("duration_us", micros(self.start.elapsed()));
        if let Some(error) = error {
            self.span.record("error", tracing::field::display(error));
        }
    }

    /// Records the end of `COMMIT` (`"committed"` or `"commit failed"`).
    pub(crate) fn end_commit(&self, result: &Result<()>) {
        match result {
            Ok(()) => self.end("committed", None),
            Err(error) => self.end("commit failed", Some(error)),
        }
    }

    /// Records the end of `ROLLBACK` (`"rolled back"` or `"rollback failed"`).
    pub(crate) fn end_rollback(&self, result: &Result<()>) {
        match result {
            Ok(()) => self.end("rolled back", None),
            Err(error) => self.end("rollback failed", Some(error)),
        }
    }
}

impl Drop for TransactionSpan {
    fn drop(&mut self) {
        self.end("rolled back", None);
    }
}

impl std::fmt::Debug for TransactionSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionSpan")
            .field("ended", &self.ended.load(Ordering::Acquire))
            .finish_non_exhaustive()
    }
}

/// Prisma's spelling of an isolation level (`"RepeatableRead"`).
fn isolation_name(level: IsolationLevel) -> &'static str {
    match level {
        IsolationLevel::ReadUncommitted => "ReadUncommitted",
        IsolationLevel::ReadCommitted => "ReadCommitted",
        IsolationLevel::RepeatableRead => "RepeatableRead",
        IsolationLevel::Serializable => "Serializable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolation_levels_are_named_as_prisma_names_them() {
        assert_eq!(isolation_name(IsolationLevel::Serializable), "Serializable");
        assert_eq!(
            isolation_name(IsolationLevel::ReadUncommitted),
            "ReadUncommitted"
        );
    }

    #[test]
    fn query_log_withholds_values_unless_asked() {
        let log = QueryLog::new(|_| {});
        assert!(!log.includes_params());
        assert!(log.with_params(true).includes_params());
    }
}
