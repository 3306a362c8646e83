//! [`Operation`]: a query of the client, described but not yet sent.

use std::future::Future;

use super::Client;
use crate::error::Result;

/// A query of the client, described but not yet sent: what a generated query builder
/// (`prisma.user().find_unique(…)`) is before `.exec()`, and what a raw statement
/// ([`execute_raw!`](crate::execute_raw), [`query_raw!`](crate::query_raw)) is before
/// `.await`.
///
/// [`run`](Operation::run) sends it through the client it is given, whichever client built
/// it: that is how a batch transaction ([`Client::batch`]) runs several operations, in order,
/// on one transaction. Generated builders implement it by handing their arguments to the
/// engine's method on `client` (`client.find_unique(model, args)`) and decoding the result;
/// their `exec()` is `run` on their own client.
pub trait Operation: Send {
    /// What the operation returns (a record, `Option` of one, a `Vec`, a count, …).
    type Output: Send;

    /// Sends the operation's statements through `client`: on its pool, or on the transaction
    /// it is bound to.
    ///
    /// # Errors
    ///
    /// The operation's error, as its `exec()` documents.
    fn run(self, client: &Client) -> impl Future<Output = Result<Self::Output>> + Send;
}
