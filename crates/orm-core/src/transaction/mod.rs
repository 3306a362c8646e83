//! Transactions: Prisma's `$transaction`, interactive and batch.
//!
//! # Interactive transactions
//!
//! [`Client::transaction`] is `prisma.$transaction(async (tx) => …)`: the closure receives a
//! client bound to a new transaction (the generated `PrismaClient` hands over a
//! `PrismaClient`, with every model accessor and raw SQL), and its result decides the end:
//!
//! - `Ok(value)`: `COMMIT`, then `Ok(value)` (or the error of `COMMIT`: a serializable
//!   transaction can fail there);
//! - `Err(error)`: `ROLLBACK`, then `Err(error)`. The closure's error type is yours, as long
//!   as it converts from [`Error`] (`E: From<orm_core::Error>`), so `?` works on every query
//!   and your own errors pass through untouched;
//! - a panic: `ROLLBACK`, then the panic continues;
//! - the closure runs longer than its timeout (5 s unless
//!   [`with_timeout`](Interactive::with_timeout) says otherwise): its future is dropped, the
//!   transaction rolls back and the call returns [`Error::TransactionTimeout`] (converted
//!   into `E`);
//! - the transaction's own future is dropped before it finishes (a `tokio::time::timeout`, a
//!   `select!`, an aborted task): the transaction rolls back in the background, and its
//!   connection returns to the pool only once it has (the adapters guarantee that).
//!
//! ```no_run
//! use orm_core::client::Client;
//! use orm_core::{IsolationLevel, execute_raw, query_raw};
//!
//! #[derive(Debug)]
//! enum BuyError {
//!     OutOfStock,
//!     Db(orm_core::Error),
//! }
//!
//! impl From<orm_core::Error> for BuyError {
//!     fn from(error: orm_core::Error) -> Self {
//!         BuyError::Db(error)
//!     }
//! }
//!
//! async fn buy(client: &Client, sku: &str) -> Result<u64, BuyError> {
//!     client
//!         .transaction(|tx| async move {
//!             let stock: Vec<(i32,)> =
//!                 query_raw!(tx, r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {sku}"#).await?;
//!             if stock.first().is_none_or(|(n,)| *n < 1) {
//!                 return Err(BuyError::OutOfStock);
//!             }
//!             Ok(execute_raw!(tx, r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = {sku}"#).await?)
//!         })
//!         .with_isolation_level(IsolationLevel::Serializable)
//!         .await
//! }
//! ```
//!
//! Options, as Prisma's: [`with_isolation_level`](Interactive::with_isolation_level)
//! (PostgreSQL: all four levels, sent with `BEGIN`; SQLite: only `Serializable`, which its
//! transactions always are, and write transactions begin `IMMEDIATE`, taking the write lock
//! up front); [`with_max_wait`](Interactive::with_max_wait), how long to wait for a pooled
//! connection (default 2 s, then [`Error::PoolTimeout`]); and
//! [`with_timeout`](Interactive::with_timeout) (default 5 s).
//!
//! The timeout runs on tokio's timer: the runtime needs its time driver (`#[tokio::main]` and
//! `Builder::enable_all` turn it on).
//!
//! Every clone of the closure's client is bound to the transaction: once the transaction has
//! ended, a clone kept past the closure fails with [`Error::TransactionClosed`] instead of
//! running anywhere.
//!
//! # Nested transactions
//!
//! `tx.transaction(…)` on a client that is already in a transaction opens a savepoint
//! (Prisma has no equivalent): `Ok` releases it, and `Err`, a panic, a timeout or a dropped
//! future roll back to it, undoing the nested writes only. A nested transaction cancelled
//! mid-way is rolled back before the next statement of the outer one, so its partial writes
//! can never be committed with the outer transaction. An isolation level on a nested
//! transaction is an error ([`Error::Unsupported`]): it belongs to the outermost one.
//!
//! # Retries
//!
//! Under `Serializable` (or with row locks) concurrent transactions can fail with a
//! serialization failure or a deadlock, and rerunning the whole transaction is the cure.
//! [`Client::transaction_with_retry`] takes a [`RetryPolicy`] (attempts and backoff) and
//! reruns the closure, in a new transaction, when an attempt failed because of such an
//! error ([`Error::is_transient`]): the `COMMIT` failed with one, or a statement of the
//! attempt did and the closure then returned `Err` (whatever error it made of it). Any other
//! outcome, including a timeout, is final. Since the closure may run several times it is an
//! `FnMut`: clone what it captures inside it.
//!
//! # Batch transactions
//!
//! [`Client::batch`] is `prisma.$transaction([a, b, c])`: operations that have not been sent
//! yet ([`Operation`](crate::client::Operation): the generated query builders, [`execute_raw!`](crate::execute_raw),
//! [`query_raw!`](crate::query_raw)) run in order in one transaction, `BEGIN; a; b; c;
//! COMMIT`, and come back each with its own type: a tuple of results for a tuple of
//! operations, a `Vec` for a `Vec` or an array of one type. The first error rolls everything
//! back. A batch of one operation runs without `BEGIN`, as Prisma's does (unless an isolation
//! level is asked for). Inside a transaction, a batch is a savepoint.
//!
//! # For the generated client
//!
//! The generated `PrismaClient` wraps a [`Client`]; it implements `From<Client>` (so the
//! closure can receive a `PrismaClient` bound to the transaction) and
//! [`RawExecutor`](crate::raw::RawExecutor), and forwards three methods:
//! `transaction(f)` to [`Interactive::new`], `transaction_with_retry(policy, f)` to
//! [`Interactive::retrying`], and `batch(operations)` to [`Client::batch`]. Its query
//! builders implement [`Operation`](crate::client::Operation).

mod batch;
mod handle;
mod retry;

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use tracing::Instrument;

use crate::adapter::{IsolationLevel, TransactionOptions};
use crate::client::Client;
use crate::error::{Error, Result};

pub use batch::{Batch, BatchTransaction};
pub use handle::TransactionHandle;
pub use retry::RetryPolicy;

/// How long an interactive or batch transaction waits for a pooled connection unless told
/// otherwise: 2 s, as Prisma's `maxWait`.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(2);

/// How long an interactive transaction's closure may run unless told otherwise: 5 s, as
/// Prisma's `timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The options of a transaction the client begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Settings {
    isolation_level: Option<IsolationLevel>,
    read_only: bool,
    max_wait: Duration,
    timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            isolation_level: None,
            read_only: false,
            max_wait: DEFAULT_MAX_WAIT,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Begins a transaction for `client`: on the pool, or a savepoint when `client` is bound to
/// an open transaction already.
async fn begin(client: &Client, settings: &Settings) -> Result<Arc<TransactionHandle>> {
    match client.transaction_handle() {
        None => {
            let options = TransactionOptions {
                isolation_level: settings.isolation_level,
                read_only: settings.read_only,
                max_wait: Some(settings.max_wait),
            };
            client.begin(&options).await
        }
        Some(_) if settings.isolation_level.is_some() => Err(Error::Unsupported {
            feature: "an isolation level on a nested transaction".to_owned(),
            dialect: client.dialect(),
        }),
        Some(parent) => parent.savepoint().await,
    }
}

/// Ends a transaction that is still open when dropped (a cancelled future, a panic before
/// the rollback was awaited): see [`TransactionHandle::close`].
struct CloseOnDrop(Arc<TransactionHandle>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// One run of an interactive transaction's closure in a transaction of its own. Returns the
/// result and whether a retry may succeed.
async fn attempt<H, F, Fut, T, E>(
    client: &Client,
    settings: &Settings,
    f: F,
) -> (Result<T, E>, bool)
where
    H: From<Client>,
    F: FnOnce(H) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: From<Error>,
{
    let handle = match begin(client, settings).await {
        Ok(handle) => handle,
        Err(error) => return (Err(error.into()), false),
    };
    let _close = CloseOnDrop(Arc::clone(&handle));
    let tx = H::from(client.with_transaction(Arc::clone(&handle)));
    let span = handle.span().clone();
    let work = AssertUnwindSafe(async move { f(tx).await }.instrument(span)).catch_unwind();
    match tokio::time::timeout(settings.timeout, work).await {
        Err(_elapsed) => {
            // The closure's future is gone; a statement it had in flight may still be running
            // on the server, so the rollback is not awaited.
            handle.close();
            let error = Error::TransactionTimeout {
                timeout: settings.timeout,
            };
            (Err(error.into()), false)
        }
        Ok(Err(panic)) => {
            let _ = handle.rollback().await;
            std::panic::resume_unwind(panic)
        }
        Ok(Ok(Ok(value))) => match handle.commit().await {
            Ok(()) => (Ok(value), false),
            Err(error) => {
                let transient = error.is_transient();
                (Err(error.into()), transient)
            }
        },
        Ok(Ok(Err(error))) => {
            let _ = handle.rollback().await;
            (Err(error), handle.saw_transient_error())
        }
    }
}

/// The interactive transaction of one closure call, not retried: the `R` of an
/// [`Interactive`] built by [`Interactive::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoRetry;

/// An interactive transaction, not begun yet: set options, then `.await` it (or call
/// [`run`](Interactive::run)). Built by [`Client::transaction`] and
/// [`Client::transaction_with_retry`]; see the [module docs](self).
///
/// `H` is what the closure receives (a [`Client`], or the generated `PrismaClient`), `F` the
/// closure, `R` [`NoRetry`] or a [`RetryPolicy`].
#[must_use = "a transaction does nothing until it is awaited"]
pub struct Interactive<'a, H, F, R = NoRetry> {
    client: &'a Client,
    settings: Settings,
    retry: R,
    f: F,
    handle: PhantomData<fn(H)>,
}

impl<H, F, R: std::fmt::Debug> std::fmt::Debug for Interactive<'_, H, F, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interactive")
            .field("settings", &self.settings)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<'a, H, F> Interactive<'a, H, F, NoRetry> {
    /// An interactive transaction on `client` running `f` once. The generated client's
    /// `transaction` method is this, with `H` its own type.
    pub fn new<Fut, T, E>(client: &'a Client, f: F) -> Self
    where
        H: From<Client>,
        F: FnOnce(H) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        Interactive {
            client,
            settings: Settings::default(),
            retry: NoRetry,
            f,
            handle: PhantomData,
        }
    }
}

impl<'a, H, F> Interactive<'a, H, F, RetryPolicy> {
    /// An interactive transaction on `client` that reruns `f` as `policy` allows when an
    /// attempt fails with a transient error. The generated client's `transaction_with_retry`
    /// method is this.
    pub fn retrying<Fut, T, E>(client: &'a Client, policy: RetryPolicy, f: F) -> Self
    where
        H: From<Client>,
        F: FnMut(H) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        Interactive {
            client,
            settings: Settings::default(),
            retry: policy,
            f,
            handle: PhantomData,
        }
    }
}

impl<H, F, R> Interactive<'_, H, F, R> {
    /// Runs the transaction at `level` (Prisma's `isolationLevel`). PostgreSQL accepts all
    /// four levels; SQLite only `Serializable` (any other is [`Error::Unsupported`] when the
    /// transaction begins). Inside another transaction, any level is an error.
    pub fn with_isolation_level(mut self, level: IsolationLevel) -> Self {
        self.settings.isolation_level = Some(level);
        self
    }

    /// Waits at most `max_wait` for a pooled connection (Prisma's `maxWait`, default 2 s),
    /// then fails with [`Error::PoolTimeout`].
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.settings.max_wait = max_wait;
        self
    }

    /// Lets the closure run at most `timeout` (Prisma's `timeout`, default 5 s), counted
    /// from `BEGIN`; past it the transaction rolls back and fails with
    /// [`Error::TransactionTimeout`]. With retries, each attempt gets the whole `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Makes the transaction read-only (`BEGIN … READ ONLY` on PostgreSQL; on SQLite a
    /// `DEFERRED` transaction on a reader connection, so it does not wait for the writer).
    pub fn with_read_only(mut self, read_only: bool) -> Self {
        self.settings.read_only = read_only;
        self
    }
}

impl<'a, H, F, Fut, T, E> Interactive<'a, H, F, NoRetry>
where
    H: From<Client>,
    F: FnOnce(H) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: From<Error>,
{
    /// Runs the transaction; the same as awaiting it, without requiring `Send`.
    ///
    /// # Errors
    ///
    /// The closure's error (after rolling back), or, converted into `E`:
    /// [`Error::PoolTimeout`] when no connection frees up within `max_wait`, the error of
    /// `BEGIN` or `COMMIT`, [`Error::TransactionTimeout`] when the closure outlives the
    /// timeout, [`Error::Unsupported`] for an isolation level the backend lacks.
    ///
    /// # Panics
    ///
    /// When the closure panics: the transaction is rolled back, then the panic resumes.
    pub async fn run(self) -> Result<T, E> {
        attempt(self.client, &self.settings, self.f).await.0
    }
}

impl<'a, H, F, Fut, T, E> Interactive<'a, H, F, RetryPolicy>
where
    H: From<Client>,
    F: FnMut(H) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: From<Error>,
{
    /// Runs the transaction, rerunning it as the policy allows after a transient failure;
    /// the same as awaiting it, without requiring `Send`.
    ///
    /// # Errors
    ///
    /// As [`Interactive::run`]; after the last attempt, its error.
    ///
    /// # Panics
    ///
    /// When the closure panics: the transaction is rolled back, then the panic resumes.
    pub async fn run(mut self) -> Result<T, E> {
        let mut failed = 0;
        loop {
            let (result, transient) = attempt(self.client, &self.settings, &mut self.f).await;
            failed += 1;
            if result.is_ok() || !transient || failed >= self.retry.attempts() {
                return result;
            }
            let backoff = self.retry.backoff(failed);
            tracing::debug!(
                target: "orm::transaction",
                attempt = failed,
                backoff_us = u64::try_from(backoff.as_micros()).unwrap_or(u64::MAX),
                "transaction failed with a transient error; retrying"
            );
            tokio::time::sleep(backoff).await;
        }
    }
}

impl<'a, H, F, Fut, T, E> IntoFuture for Interactive<'a, H, F, NoRetry>
where
    H: From<Client> + Send + 'a,
    F: FnOnce(H) -> Fut + Send + 'a,
    Fut: Future<Output = Result<T, E>> + Send + 'a,
    T: Send + 'a,
    E: From<Error> + Send + 'a,
{
    type Output = Result<T, E>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl<'a, H, F, Fut, T, E> IntoFuture for Interactive<'a, H, F, RetryPolicy>
where
    H: From<Client> + Send + 'a,
    F: FnMut(H) -> Fut + Send + 'a,
    Fut: Future<Output = Result<T, E>> + Send + 'a,
    T: Send + 'a,
    E: From<Error> + Send + 'a,
{
    type Output = Result<T, E>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl Client {
    /// An interactive transaction (Prisma's `$transaction(async (tx) => …)`): `f` receives a
    /// client bound to a new transaction (a savepoint when this client is in one already);
    /// `Ok` commits, `Err` and panics roll back. Set options on the result, then `.await`
    /// it. See the [module docs](self).
    pub fn transaction<F, Fut, T, E>(&self, f: F) -> Interactive<'_, Client, F>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        Interactive::new(self, f)
    }

    /// An interactive transaction rerun, as `policy` allows, when an attempt fails with a
    /// serialization failure or a deadlock. See the [module docs](self#retries).
    pub fn transaction_with_retry<F, Fut, T, E>(
        &self,
        policy: RetryPolicy,
        f: F,
    ) -> Interactive<'_, Client, F, RetryPolicy>
    where
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<Error>,
    {
        Interactive::retrying(self, policy, f)
    }

    /// A batch transaction (Prisma's `$transaction([…])`): the operations run in order in
    /// one transaction and their results come back together. Set options on the result,
    /// then `.await` it. See the [module docs](self#batch-transactions).
    pub fn batch<B: Batch>(&self, operations: B) -> BatchTransaction<'_, B> {
        BatchTransaction::new(self, operations)
    }
}
