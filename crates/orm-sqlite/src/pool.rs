//! The connection pool: one writer, several readers, and how blocking work leaves the async
//! runtime's worker threads.
//!
//! # Readers and the writer
//!
//! A file database runs in WAL mode, where readers never wait for the writer. The pool keeps
//! one writer connection, so writers queue for it (fairly, in arrival order) instead of
//! racing for SQLite's write lock and failing with `SQLITE_BUSY`; the busy timeout only
//! matters against other processes. Readers are `PRAGMA query_only` connections.
//!
//! # Leaving the worker threads
//!
//! A SQLite call blocks its thread. On a multi-threaded tokio runtime the call runs in
//! [`tokio::task::block_in_place`]: the calling thread stops being a worker for the duration
//! and the runtime hands its other tasks to another thread, so no worker is blocked and the
//! call itself waits for no other thread. On a current-thread runtime (or another flavor),
//! where `block_in_place` is not allowed, the call goes to [`tokio::task::spawn_blocking`],
//! which costs a round trip between threads. Outside any tokio runtime the call runs inline.
//!
//! Measured (`BENCHMARKS.md`): a point read by primary key takes about 2.7 µs in synchronous
//! rusqlite, 3.3 µs through the adapter on a multi-threaded runtime, and 23 µs when rusqlite
//! is called in `spawn_blocking` by hand. Dedicated connection threads fed by a channel were
//! measured too and cost more than `spawn_blocking` (two thread wake-ups per call instead of
//! one); spinning to avoid the wake-ups burns a core that the machine may not have.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use orm_core::{EachRow, Error, PoolStatus, Result, Sql};
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

use crate::config::SqliteConfig;
use crate::conn::{self, Conn, Mode, Op, Outcome, Role};

/// A connection shared between its lease and a blocking task still running on it.
type Shared = Arc<Mutex<Conn>>;

/// Connections of one role, and the permits to use them.
#[derive(Debug)]
struct Group {
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<Shared>>,
    size: usize,
}

impl Group {
    fn new(connections: Vec<Conn>) -> Group {
        let size = connections.len();
        Group {
            permits: Arc::new(Semaphore::new(size)),
            idle: Mutex::new(
                connections
                    .into_iter()
                    .map(|c| Arc::new(Mutex::new(c)))
                    .collect(),
            ),
            size,
        }
    }
}

#[derive(Debug)]
struct Inner {
    writer: Group,
    /// `None` when the pool has a single connection, which then serves reads too.
    readers: Option<Group>,
    pool_timeout: Option<Duration>,
    limit: usize,
    waiting: AtomicUsize,
}

/// The pool. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    inner: Arc<Inner>,
}

impl Pool {
    /// Opens every connection: the writer first (it switches the file to WAL), then the
    /// readers. Runs off the worker threads.
    pub(crate) async fn open(config: SqliteConfig) -> Result<Pool> {
        run_blocking(move || {
            let name = config.open_name()?;
            let writer = conn::open(&config, &name, Role::Writer)?;
            let readers = (1..config.connection_limit)
                .map(|_| conn::open(&config, &name, Role::Reader))
                .collect::<Result<Vec<_>>>()?;
            Ok(Pool {
                inner: Arc::new(Inner {
                    writer: Group::new(vec![writer]),
                    readers: (!readers.is_empty()).then(|| Group::new(readers)),
                    pool_timeout: config.pool_timeout,
                    limit: config.connection_limit,
                    waiting: AtomicUsize::new(0),
                }),
            })
        })
        .await?
    }

    /// Whether reads have connections of their own.
    pub(crate) fn has_readers(&self) -> bool {
        self.inner.readers.is_some()
    }

    /// Takes a connection of `role` (the writer when there are no readers), waiting up to
    /// `max_wait` (default: the pool timeout).
    ///
    /// # Errors
    ///
    /// [`Error::PoolTimeout`] when none frees up in time.
    pub(crate) async fn acquire(&self, role: Role, max_wait: Option<Duration>) -> Result<Lease> {
        let (group, role) = match (&self.inner.readers, role) {
            (Some(readers), Role::Reader) => (readers, Role::Reader),
            _ => (&self.inner.writer, Role::Writer),
        };
        let permit = match Arc::clone(&group.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(TryAcquireError::NoPermits) => self.wait(group, max_wait).await?,
            Err(TryAcquireError::Closed) => return Err(closed()),
        };
        let conn = group
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .ok_or_else(closed)?;
        Ok(Lease {
            conn,
            role,
            pool: Arc::clone(&self.inner),
            _permit: permit,
        })
    }

    async fn wait(
        &self,
        group: &Group,
        max_wait: Option<Duration>,
    ) -> Result<OwnedSemaphorePermit> {
        let inner = &self.inner;
        inner.waiting.fetch_add(1, Ordering::Relaxed);
        let _waiting = Decrement(&inner.waiting);
        let acquire = Arc::clone(&group.permits).acquire_owned();
        let result =
            match max_wait.or(inner.pool_timeout) {
                Some(timeout) => tokio::time::timeout(timeout, acquire).await.map_err(|_| {
                    Error::PoolTimeout {
                        timeout,
                        limit: inner.limit,
                    }
                })?,
                None => acquire.await,
            };
        result.map_err(|_| closed())
    }

    /// The pool's current state.
    pub(crate) fn status(&self) -> PoolStatus {
        let inner = &self.inner;
        let groups = std::iter::once(&inner.writer).chain(inner.readers.as_ref());
        let (size, idle) = groups.fold((0, 0), |(size, idle), g| {
            (size + g.size, idle + g.permits.available_permits())
        });
        PoolStatus {
            max_size: size,
            size,
            idle,
            waiting: inner.waiting.load(Ordering::Relaxed),
        }
    }
}

struct Decrement<'a>(&'a AtomicUsize);

impl Drop for Decrement<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn closed() -> Error {
    Error::ConnectionLost {
        message: "the connection pool is closed".to_owned(),
        source: None,
    }
}

/// A connection taken from the pool; dropping it gives the connection back.
#[derive(Debug)]
pub(crate) struct Lease {
    conn: Shared,
    role: Role,
    pool: Arc<Inner>,
    // Dropped after `drop` put the connection back, so a waiter finds it idle.
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    /// The role of the connection.
    pub(crate) fn role(&self) -> Role {
        self.role
    }

    /// How an operation in `pooled` mode uses this lease's connection.
    fn mode(&self, pooled: bool) -> Mode {
        Mode {
            pooled,
            reader: self.role == Role::Reader,
        }
    }

    /// Runs `op` on the connection, off the async worker threads.
    pub(crate) async fn run(&self, op: Op<'_>, pooled: bool) -> Result<Outcome> {
        let mode = self.mode(pooled);
        let conn = &self.conn;
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            // The fast path borrows `op`; the others move an owned copy to another thread.
            Ok(RuntimeFlavor::MultiThread) => {
                tokio::task::block_in_place(|| conn::exec(&mut lock(conn), &op, mode))
            }
            Ok(_) => {
                let conn = Arc::clone(conn);
                let op = op.into_owned();
                run_blocking(move || conn::exec(&mut lock(&conn), &op, mode)).await?
            }
            Err(_) => conn::exec(&mut lock(conn), &op, mode),
        }
    }

    /// Runs query `sql` on the connection, handing each row to `each` as it is read; the
    /// outcome is the number of rows (or [`Outcome::NeedsWriter`]). On a runtime without
    /// `block_in_place` the rows are collected on a blocking thread first, then handed over.
    pub(crate) async fn run_each(
        &self,
        sql: &Sql,
        pooled: bool,
        each: &mut EachRow<'_>,
    ) -> Result<Outcome> {
        let mode = self.mode(pooled);
        let conn = &self.conn;
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => {
                tokio::task::block_in_place(|| conn::exec_each(&mut lock(conn), sql, mode, each))
            }
            Ok(_) => match self.run(Op::Query(Cow::Borrowed(sql)), pooled).await? {
                Outcome::Rows(rows) => Ok(Outcome::Count(rows.for_each_row(each)?)),
                outcome => Ok(outcome),
            },
            Err(_) => conn::exec_each(&mut lock(conn), sql, mode, each),
        }
    }

    /// Rolls back whatever transaction is open on the connection, then gives it back. Used
    /// when a transaction or a held connection is dropped: the rollback runs on a blocking
    /// thread that owns this lease, so no one else gets the connection before it is done.
    pub(crate) fn release_rolling_back(self) {
        let job = move || {
            let conn = lock(&self.conn);
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
            drop(conn);
            drop(self);
        };
        match Handle::try_current() {
            // Should the runtime be shutting down and the job never run, the next user of the
            // connection rolls back first (`Mode::pooled`).
            Ok(handle) => drop(handle.spawn_blocking(job)),
            Err(_) => job(),
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let group = match (self.role, &self.pool.readers) {
            (Role::Reader, Some(readers)) => readers,
            _ => &self.pool.writer,
        };
        group
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::clone(&self.conn));
    }
}

fn lock(conn: &Shared) -> std::sync::MutexGuard<'_, Conn> {
    conn.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs blocking `f` off the async worker threads (see the module docs).
async fn run_blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => Ok(tokio::task::block_in_place(f)),
        // A current-thread runtime (or another flavor) does not allow `block_in_place`.
        Ok(_) => tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| Error::ConnectionLost {
                message: "the blocking task running a SQLite call did not finish".to_owned(),
                source: Some(Box::new(e)),
            }),
        Err(_) => Ok(f()),
    }
}
