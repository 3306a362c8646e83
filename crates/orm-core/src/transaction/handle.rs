//! [`TransactionHandle`]: one open transaction (or savepoint) shared by the clients bound to
//! it.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};

use async_trait::async_trait;
use tokio::sync::{Mutex, MutexGuard};

use crate::adapter::{EachRow, Queryable, Transaction};
use crate::client::TransactionSpan;
use crate::error::{Error, Result};
use crate::row::ResultSet;
use crate::sql::{Dialect, Sql};

const OPEN: u8 = 0;
const COMMITTED: u8 = 1;
const ROLLED_BACK: u8 = 2;

/// An open transaction shared by the clients bound to it
/// ([`Client::with_transaction`](crate::client::Client::with_transaction)): a database
/// transaction, or a savepoint inside one ([`TransactionHandle::savepoint`]).
///
/// Statements run one at a time on its connection. Once [`commit`](Self::commit),
/// [`rollback`](Self::rollback) or [`close`](Self::close) has ended it, every statement on it
/// (through any clone) fails with [`Error::TransactionClosed`]; none reaches the connection,
/// which by then may serve someone else. Dropping the last handle without `commit` rolls back:
/// the adapter's transaction does on drop, and a savepoint left open is rolled back before the
/// next statement of the transaction around it (so a cancelled nested transaction never has
/// its writes committed by the outer one).
pub struct TransactionHandle {
    dialect: Dialect,
    inner: Mutex<Option<Box<dyn Transaction>>>,
    state: AtomicU8,
    /// Statements to run before the next statement or `COMMIT`: the rollbacks of savepoints
    /// whose nested transaction was dropped unfinished.
    pending: std::sync::Mutex<Vec<String>>,
    has_pending: AtomicBool,
    /// Whether a statement failed with a transient error (serialization failure, deadlock):
    /// retry policies rerun the transaction then, whatever error the closure returned.
    transient: AtomicBool,
    /// Its `orm.transaction` span.
    span: TransactionSpan,
}

impl std::fmt::Debug for TransactionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionHandle")
            .field("dialect", &self.dialect)
            .field("open", &self.is_open())
            .finish_non_exhaustive()
    }
}

impl TransactionHandle {
    /// Wraps an adapter's transaction.
    pub fn new(transaction: Box<dyn Transaction>) -> Self {
        TransactionHandle {
            dialect: transaction.dialect(),
            inner: Mutex::new(Some(transaction)),
            state: AtomicU8::new(OPEN),
            pending: std::sync::Mutex::new(Vec::new()),
            has_pending: AtomicBool::new(false),
            transient: AtomicBool::new(false),
            span: TransactionSpan::none(),
        }
    }

    /// The handle, reporting to `span` (the client's `orm.transaction` span).
    pub(crate) fn with_span(mut self, span: TransactionSpan) -> Self {
        self.span = span;
        self
    }

    /// Its `orm.transaction` span, for the work that runs inside it.
    pub(crate) fn span(&self) -> &tracing::Span {
        self.span.span()
    }

    /// Whether the transaction is still open (neither committed, rolled back nor closed).
    pub fn is_open(&self) -> bool {
        self.state.load(Ordering::Acquire) == OPEN
    }

    /// Whether a statement of this transaction failed with a transient error
    /// ([`Error::is_transient`]), so that rerunning the whole transaction may succeed.
    pub fn saw_transient_error(&self) -> bool {
        self.transient.load(Ordering::Acquire)
    }

    /// Opens a savepoint: a transaction nested in this one. Committing the returned handle
    /// releases the savepoint (its writes become part of this transaction); rolling it back,
    /// or dropping it unfinished, undoes its writes and nothing else.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionClosed`] when this transaction has ended, or the error of
    /// `SAVEPOINT`.
    pub async fn savepoint(self: &Arc<Self>) -> Result<Arc<TransactionHandle>> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!("orm_sp_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let span = TransactionSpan::savepoint(&self.span);
        self.execute_script(&format!("SAVEPOINT {name}")).await?;
        let savepoint = TransactionHandle::new(Box::new(Savepoint {
            parent: Arc::clone(self),
            name,
            finished: false,
        }));
        Ok(Arc::new(savepoint.with_span(span)))
    }

    /// Commits (a savepoint: releases it).
    ///
    /// Savepoints of cancelled nested transactions are rolled back first; should that fail,
    /// the whole transaction rolls back instead and the error is returned.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionClosed`] when already ended, or the error of `COMMIT` (which
    /// ends the transaction too).
    pub async fn commit(&self) -> Result<()> {
        let transaction = self.take(COMMITTED).await?;
        if let Err(error) = self.run_pending(transaction.as_ref()).await {
            self.state.store(ROLLED_BACK, Ordering::Release);
            let _ = transaction.rollback().await;
            self.span.end("commit failed", Some(&error));
            return Err(error);
        }
        let result = transaction.commit().await;
        self.observe(&result);
        self.span.end_commit(&result);
        result
    }

    /// Rolls back (a savepoint: rolls back to it and releases it).
    ///
    /// # Errors
    ///
    /// [`Error::TransactionClosed`] when already ended, or the error of `ROLLBACK`.
    pub async fn rollback(&self) -> Result<()> {
        let result = self.take(ROLLED_BACK).await?.rollback().await;
        self.span.end_rollback(&result);
        result
    }

    /// Ends the transaction without waiting, as a rollback: statements on any clone fail
    /// with [`Error::TransactionClosed`] from now on, and the adapter's transaction is dropped,
    /// which rolls back in the background (its connection returns to the pool once that is
    /// done). Does nothing when the transaction has already ended. Used where awaiting is not
    /// possible (a dropped future) or not wanted (a timeout).
    pub fn close(&self) {
        if self
            .state
            .compare_exchange(OPEN, ROLLED_BACK, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            // A statement running right now holds the lock; it drops the transaction when it
            // finishes (see `finish_statement`).
            if let Ok(mut guard) = self.inner.try_lock() {
                drop(guard.take());
            }
            self.span.end("rolled back", None);
        }
    }

    fn closed(&self) -> Error {
        Error::TransactionClosed {
            state: if self.state.load(Ordering::Acquire) == COMMITTED {
                "committed"
            } else {
                "rolled back"
            },
        }
    }

    fn observe<T>(&self, result: &Result<T>) {
        if matches!(result, Err(e) if e.is_transient()) {
            self.transient.store(true, Ordering::Release);
        }
    }

    /// Takes the transaction out to end it, marking the handle `state`.
    async fn take(&self, state: u8) -> Result<Box<dyn Transaction>> {
        let mut guard = self.inner.lock().await;
        if !self.is_open() {
            drop(guard.take());
            return Err(self.closed());
        }
        let transaction = guard.take().ok_or_else(|| self.closed())?;
        self.state.store(state, Ordering::Release);
        Ok(transaction)
    }

    /// Queues `statement` to run before the next statement or `COMMIT`.
    fn defer(&self, statement: String) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(statement);
        self.has_pending.store(true, Ordering::Release);
    }

    async fn run_pending(&self, transaction: &dyn Transaction) -> Result<()> {
        if !self.has_pending.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        let statements =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        for statement in statements {
            transaction.execute_script(&statement).await?;
        }
        Ok(())
    }

    /// The open transaction, locked for one statement, with pending savepoint rollbacks done.
    /// A failed rollback of a savepoint ends the whole transaction (rolled back): its writes
    /// must not be committed.
    async fn open(&self) -> Result<Guard<'_>> {
        let mut guard = self.inner.lock().await;
        if !self.is_open() {
            drop(guard.take());
            return Err(self.closed());
        }
        let transaction = guard.as_deref().ok_or_else(|| self.closed())?;
        if let Err(error) = self.run_pending(transaction).await {
            self.state.store(ROLLED_BACK, Ordering::Release);
            drop(guard.take());
            return Err(error);
        }
        Ok(guard)
    }

    /// Ends one statement: notes a transient error, and drops the transaction when the handle
    /// was closed while the statement ran.
    fn finish_statement<T>(&self, guard: &mut Guard<'_>, result: &Result<T>) {
        self.observe(result);
        if !self.is_open() {
            drop(guard.take());
        }
    }
}

type Guard<'a> = MutexGuard<'a, Option<Box<dyn Transaction>>>;

/// Runs one statement on the handle's open transaction.
macro_rules! on_open {
    ($handle:ident, |$t:ident| $statement:expr) => {{
        let mut guard = $handle.open().await?;
        let result = match guard.as_deref() {
            Some($t) => $statement.await,
            None => Err($handle.closed()),
        };
        $handle.finish_statement(&mut guard, &result);
        result
    }};
}

#[async_trait]
impl Queryable for TransactionHandle {
    fn dialect(&self) -> Dialect {
        self.dialect
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        on_open!(self, |t| t.query(sql))
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        on_open!(self, |t| t.query_each(sql, each))
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        on_open!(self, |t| t.execute(sql))
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        on_open!(self, |t| t.execute_script(script))
    }
}

/// A savepoint inside an open transaction, seen as a transaction of its own. Its statements
/// go to the transaction around it.
struct Savepoint {
    parent: Arc<TransactionHandle>,
    name: String,
    /// Whether `RELEASE` or `ROLLBACK TO` has been sent (or is on its way).
    finished: bool,
}

impl Savepoint {
    fn rollback_statement(&self) -> String {
        let name = &self.name;
        format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")
    }
}

#[async_trait]
impl Queryable for Savepoint {
    fn dialect(&self) -> Dialect {
        self.parent.dialect
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        self.parent.query(sql).await
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        self.parent.query_each(sql, each).await
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        self.parent.execute(sql).await
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        self.parent.execute_script(script).await
    }
}

#[async_trait]
impl Transaction for Savepoint {
    async fn commit(mut self: Box<Self>) -> Result<()> {
        // The nested work succeeded: should this future be dropped before `RELEASE` is sent,
        // the savepoint stays until its transaction ends and the writes are kept.
        self.finished = true;
        let statement = format!("RELEASE SAVEPOINT {}", self.name);
        self.parent.execute_script(&statement).await
    }

    async fn rollback(mut self: Box<Self>) -> Result<()> {
        let statement = self.rollback_statement();
        self.parent.execute_script(&statement).await?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for Savepoint {
    fn drop(&mut self) {
        if !self.finished {
            self.parent.defer(self.rollback_statement());
        }
    }
}
