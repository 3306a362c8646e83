//! [`PgAdapter`]: the pool behind `orm_core::Adapter`, its transactions and held connections.

use std::time::Duration;

use async_trait::async_trait;
use deadpool::managed::{Object, Pool, PoolError, TimeoutType, Timeouts};
use orm_core::{
    Adapter, Capabilities, Dialect, EachRow, Error, PoolStatus, Queryable, Result, ResultSet, Sql,
    Transaction, TransactionOptions,
};

use crate::config::PgConfig;
use crate::conn::{Manager, Output, PgConn, RunError, Want};
use crate::error::from_pg;

/// PostgreSQL allows at most 65535 bind parameters in one statement.
const MAX_BIND_PARAMETERS: usize = 65_535;

type Conn = Object<Manager>;

/// A PostgreSQL database behind a pool of connections: the [`Adapter`] for `orm-core`.
///
/// Cloning is cheap and shares the pool. See the crate docs for how statements are sent,
/// what a dropped transaction does, and when a statement is retried.
#[derive(Clone)]
pub struct PgAdapter {
    pool: Pool<Manager>,
    limit: usize,
}

impl std::fmt::Debug for PgAdapter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgAdapter")
            .field("status", &self.pool_status())
            .finish_non_exhaustive()
    }
}

impl PgAdapter {
    /// Connects to the database at `url` (`postgres://` or `postgresql://`, with Prisma's
    /// parameters; see [`PgConfig`]). One connection is opened right away, so that a wrong URL,
    /// password or database fails here rather than at the first query.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid URL; [`Error::ConnectionLost`] when the server cannot
    /// be reached; [`Error::Database`] when it refuses the connection (authentication, unknown
    /// database).
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(PgConfig::from_url(url)?).await
    }

    /// Connects with settings built in code.
    ///
    /// # Errors
    ///
    /// As [`PgAdapter::connect`].
    pub async fn connect_with(config: PgConfig) -> Result<Self> {
        let limit = config.connection_limit;
        let wait = config.pool_timeout;
        let recycle = config.connect_timeout.or(Some(Duration::from_secs(5)));
        let pool = Pool::builder(Manager::new(config)?)
            .max_size(limit)
            .runtime(deadpool::Runtime::Tokio1)
            .wait_timeout(wait)
            .recycle_timeout(recycle)
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        let adapter = PgAdapter { pool, limit };
        drop(adapter.checkout(None).await?);
        Ok(adapter)
    }

    /// Takes a connection from the pool, waiting at most `max_wait` (or the pool timeout).
    async fn checkout(&self, max_wait: Option<Duration>) -> Result<Conn> {
        // An idle connection first, without arming the wait timeout (a timer costs more than
        // taking a free connection); only when none is free, wait with the timeout.
        let now = Timeouts {
            wait: Some(Duration::ZERO),
            ..self.pool.timeouts()
        };
        let conn = match self.pool.timeout_get(&now).await {
            Err(PoolError::Timeout(TimeoutType::Wait)) => match max_wait {
                None => self.pool.get().await,
                Some(wait) => {
                    let timeouts = Timeouts {
                        wait: Some(wait),
                        ..self.pool.timeouts()
                    };
                    self.pool.timeout_get(&timeouts).await
                }
            },
            taken => taken,
        };
        conn.map_err(|err| match err {
            PoolError::Timeout(TimeoutType::Wait) => Error::PoolTimeout {
                timeout: max_wait.or(self.pool.timeouts().wait).unwrap_or_default(),
                limit: self.limit,
            },
            PoolError::Timeout(_) => Error::ConnectionLost {
                message: "timed out opening a connection".to_owned(),
                source: None,
            },
            PoolError::Backend(err) => err,
            other => Error::ConnectionLost {
                message: other.to_string(),
                source: None,
            },
        })
    }

    /// Runs a statement on a pooled connection. When the connection turns out to be dead
    /// before the statement could run, it is discarded and the statement goes to another
    /// connection; a server restart can leave every idle connection dead, so this repeats up to
    /// `connection_limit + 1` times, the last time on a newly opened connection at the latest.
    async fn run(&self, sql: &Sql, mut want: Want<'_, '_>) -> Result<Output> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let conn = self.checkout(None).await?;
            let failure = match conn.run(sql, &mut want).await {
                Ok(output) => return Ok(output),
                Err(failure) => failure,
            };
            let retry = failure.lost_before_run && attempts <= self.limit;
            discard_if_lost(conn, &failure);
            if !retry {
                return Err(failure.error);
            }
            tracing::debug!(
                error = %failure.error,
                "connection lost before the statement ran; retrying on another connection"
            );
        }
    }
}

/// Keeps a dead connection out of the pool.
fn discard_if_lost(conn: Conn, failure: &RunError) {
    if failure.connection_lost {
        drop(Object::take(conn));
    }
}

#[async_trait]
impl Queryable for PgAdapter {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        self.run(sql, Want::Rows).await.map(Output::into_rows)
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        self.run(sql, Want::Each(each))
            .await
            .map(Output::into_count)
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        self.run(sql, Want::Count).await.map(Output::into_count)
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        let conn = self.checkout(None).await?;
        match conn.client.batch_execute(script).await {
            Ok(()) => Ok(()),
            Err(err) => {
                // A script that failed inside its own BEGIN … COMMIT leaves the session in an
                // aborted transaction; end it before the connection goes back.
                if conn.client.batch_execute("ROLLBACK").await.is_err() {
                    drop(Object::take(conn));
                }
                Err(from_pg(err))
            }
        }
    }
}

#[async_trait]
impl Adapter for PgAdapter {
    fn capabilities(&self) -> Capabilities {
        Capabilities::for_dialect(Dialect::Postgres, MAX_BIND_PARAMETERS)
    }

    async fn begin(&self, options: &TransactionOptions) -> Result<Box<dyn Transaction>> {
        let conn = self.checkout(options.max_wait).await?;
        conn.set_in_transaction(true);
        let session = Session {
            conn: Some(conn),
            transaction: true,
        };
        let begin = begin_statement(options);
        session
            .conn()?
            .client
            .batch_execute(&begin)
            .await
            .map_err(from_pg)?;
        Ok(Box::new(session))
    }

    async fn connection(&self) -> Result<Box<dyn Queryable>> {
        let conn = self.checkout(None).await?;
        Ok(Box::new(Session {
            conn: Some(conn),
            transaction: false,
        }))
    }

    fn pool_status(&self) -> PoolStatus {
        let status = self.pool.status();
        PoolStatus {
            max_size: status.max_size,
            size: status.size,
            idle: status.available,
            waiting: status.waiting,
        }
    }
}

/// `BEGIN` with the options in one statement (one round trip).
fn begin_statement(options: &TransactionOptions) -> String {
    let mut sql = String::from("BEGIN");
    if let Some(level) = options.isolation_level {
        sql.push_str(" ISOLATION LEVEL ");
        sql.push_str(level.as_sql());
    }
    if options.read_only {
        sql.push_str(" READ ONLY");
    }
    sql
}

/// One connection out of the pool for a transaction or for a held session.
///
/// Dropped while still holding its connection, a transaction rolls back before the connection
/// can be reused (see [`abandon`]); a held session closes its connection instead of pooling
/// it, since whatever it set up (advisory locks, `SET`, temporary tables, an open transaction)
/// must not leak to the next caller.
struct Session {
    conn: Option<Conn>,
    transaction: bool,
}

impl Session {
    fn conn(&self) -> Result<&PgConn> {
        self.conn.as_deref().ok_or(Error::TransactionClosed {
            state: "rolled back",
        })
    }

    async fn run(&self, sql: &Sql, mut want: Want<'_, '_>) -> Result<Output> {
        self.conn()?
            .run(sql, &mut want)
            .await
            .map_err(|failure| failure.error)
    }

    /// Ends the transaction with `statement` (`COMMIT` or `ROLLBACK`) and returns the
    /// connection to the pool, or discards it when that fails.
    async fn finish(mut self: Box<Self>, statement: &str) -> Result<()> {
        let conn = self.conn.take().ok_or(Error::TransactionClosed {
            state: "rolled back",
        })?;
        match conn.client.batch_execute(statement).await {
            Ok(()) => {
                conn.set_in_transaction(false);
                Ok(())
            }
            Err(err) => {
                let error = from_pg(err);
                // A failed COMMIT ends the transaction on the server, but the connection's
                // state is not worth trusting; a new one is cheap.
                drop(Object::take(conn));
                Err(error)
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if self.transaction {
                abandon(conn);
            } else {
                drop(Object::take(conn));
            }
        }
    }
}

/// Rolls back a transaction whose handle was dropped without commit or rollback. With a
/// runtime, a task sends `ROLLBACK` and then releases the connection; without one (or when it
/// shuts down) the connection is closed, which makes the server roll back. The connection
/// never returns to the pool with the transaction open: should the task be dropped before it
/// runs, the connection still carries its in-transaction mark, and the pool rolls it back
/// before handing it out.
fn abandon(conn: Conn) {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => {
            handle.spawn(async move {
                match conn.client.batch_execute("ROLLBACK").await {
                    Ok(()) => conn.set_in_transaction(false),
                    Err(_) => drop(Object::take(conn)),
                }
            });
        }
        Err(_) => drop(Object::take(conn)),
    }
}

#[async_trait]
impl Queryable for Session {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        self.run(sql, Want::Rows).await.map(Output::into_rows)
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        self.run(sql, Want::Each(each))
            .await
            .map(Output::into_count)
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        self.run(sql, Want::Count).await.map(Output::into_count)
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        self.conn()?
            .client
            .batch_execute(script)
            .await
            .map_err(from_pg)
    }
}

#[async_trait]
impl Transaction for Session {
    async fn commit(self: Box<Self>) -> Result<()> {
        self.finish("COMMIT").await
    }

    async fn rollback(self: Box<Self>) -> Result<()> {
        self.finish("ROLLBACK").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_core::IsolationLevel;

    #[test]
    fn begin_carries_isolation_and_access_mode() {
        assert_eq!(begin_statement(&TransactionOptions::default()), "BEGIN");
        let options = TransactionOptions {
            isolation_level: Some(IsolationLevel::Serializable),
            read_only: true,
            max_wait: None,
        };
        assert_eq!(
            begin_statement(&options),
            "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"
        );
    }
}
