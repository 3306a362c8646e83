//! Batch transactions: [`Batch`] and [`BatchTransaction`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use super::{CloseOnDrop, Settings, begin};
use crate::adapter::IsolationLevel;
use crate::client::{Client, Operation};
use crate::error::Result;

/// Operations that run together, in order, in one transaction: a tuple of up to 16
/// [`Operation`]s of any types (its output is the tuple of their outputs), or a `Vec` or an
/// array of one operation type (output: a `Vec`).
pub trait Batch: Send {
    /// The results, in the operations' order.
    type Output: Send;

    /// How many operations the batch holds.
    fn operations(&self) -> usize;

    /// Runs the operations in order on `client`, stopping at the first error.
    ///
    /// # Errors
    ///
    /// The first failing operation's error.
    fn run(self, client: &Client) -> impl Future<Output = Result<Self::Output>> + Send;
}

macro_rules! tuple_batch {
    ($count:literal: $($op:ident . $index:tt),+) => {
        impl<$($op: Operation),+> Batch for ($($op,)+) {
            type Output = ($($op::Output,)+);

            fn operations(&self) -> usize {
                $count
            }

            async fn run(self, client: &Client) -> Result<Self::Output> {
                Ok(($(self.$index.run(client).await?,)+))
            }
        }
    };
}

tuple_batch!(1: A.0);
tuple_batch!(2: A.0, B.1);
tuple_batch!(3: A.0, B.1, C.2);
tuple_batch!(4: A.0, B.1, C.2, D.3);
tuple_batch!(5: A.0, B.1, C.2, D.3, E.4);
tuple_batch!(6: A.0, B.1, C.2, D.3, E.4, F.5);
tuple_batch!(7: A.0, B.1, C.2, D.3, E.4, F.5, G.6);
tuple_batch!(8: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7);
tuple_batch!(9: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8);
tuple_batch!(10: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9);
tuple_batch!(11: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10);
tuple_batch!(12: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11);
tuple_batch!(13: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12);
tuple_batch!(14: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13);
tuple_batch!(15: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13, O.14);
tuple_batch!(16: A.0, B.1, C.2, D.3, E.4, F.5, G.6, H.7, I.8, J.9, K.10, L.11, M.12, N.13, O.14, P.15);

async fn run_all<O: Operation>(
    operations: impl IntoIterator<Item = O>,
    client: &Client,
) -> Result<Vec<O::Output>> {
    let mut results = Vec::new();
    for operation in operations {
        results.push(operation.run(client).await?);
    }
    Ok(results)
}

impl<O: Operation> Batch for Vec<O> {
    type Output = Vec<O::Output>;

    fn operations(&self) -> usize {
        self.len()
    }

    async fn run(self, client: &Client) -> Result<Vec<O::Output>> {
        run_all(self, client).await
    }
}

impl<O: Operation, const N: usize> Batch for [O; N] {
    type Output = Vec<O::Output>;

    fn operations(&self) -> usize {
        N
    }

    async fn run(self, client: &Client) -> Result<Vec<O::Output>> {
        run_all(self, client).await
    }
}

/// A batch transaction, not begun yet: set options, then `.await` it (or call
/// [`run`](BatchTransaction::run)). Built by [`Client::batch`]; see the
/// [module docs](super#batch-transactions).
#[must_use = "a batch does nothing until it is awaited"]
pub struct BatchTransaction<'a, B> {
    client: &'a Client,
    operations: B,
    settings: Settings,
}

impl<B: Batch> std::fmt::Debug for BatchTransaction<'_, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchTransaction")
            .field("operations", &self.operations.operations())
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<'a, B: Batch> BatchTransaction<'a, B> {
    /// A batch of `operations` on `client`.
    pub fn new(client: &'a Client, operations: B) -> Self {
        BatchTransaction {
            client,
            operations,
            settings: Settings::default(),
        }
    }

    /// Runs the batch at `level` (Prisma's `isolationLevel`), as
    /// [`Interactive::with_isolation_level`](super::Interactive::with_isolation_level). A
    /// batch of one operation then gets a transaction too.
    pub fn with_isolation_level(mut self, level: IsolationLevel) -> Self {
        self.settings.isolation_level = Some(level);
        self
    }

    /// Waits at most `max_wait` for a pooled connection (default 2 s), then fails with
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout).
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.settings.max_wait = max_wait;
        self
    }

    /// Runs the batch; the same as awaiting it.
    ///
    /// # Errors
    ///
    /// The first failing operation's error, after rolling back; the error of `BEGIN` or
    /// `COMMIT`; [`Error::PoolTimeout`](crate::Error::PoolTimeout) when no connection frees
    /// up within `max_wait`.
    pub async fn run(self) -> Result<B::Output> {
        if self.operations.operations() <= 1 && self.settings.isolation_level.is_none() {
            return self.operations.run(self.client).await;
        }
        let handle = begin(self.client, &self.settings).await?;
        let _close = CloseOnDrop(Arc::clone(&handle));
        let tx = self.client.with_transaction(Arc::clone(&handle));
        let span = handle.span().clone();
        match self.operations.run(&tx).instrument(span).await {
            Ok(results) => {
                handle.commit().await?;
                Ok(results)
            }
            Err(error) => {
                let _ = handle.rollback().await;
                Err(error)
            }
        }
    }
}

impl<'a, B: Batch + 'a> IntoFuture for BatchTransaction<'a, B> {
    type Output = Result<B::Output>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<B::Output>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
