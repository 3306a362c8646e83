//! Transactions under concurrency against real PostgreSQL and SQLite: serialization failures
//! are typed and retried (and only they are), and isolation levels are really applied. The
//! seed's purchase by 50 concurrent tasks is in `transaction_seed.rs`, on the typed client.

mod engine_support;
mod transaction_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use orm_core::client::Client;
use orm_core::transaction::RetryPolicy;
use orm_core::{Error, IsolationLevel, execute_raw, query_raw};
use transaction_support::*;

/// Makes the first run of a REPEATABLE READ transaction fail with a serialization failure:
/// it reads the stock, another session updates it and commits, then it writes the row.
async fn conflicting_purchase(
    db: &TxDb,
    policy: RetryPolicy,
    map: fn(Error) -> Conflict,
) -> (Result<i32, Conflict>, u32) {
    let runs = Arc::new(AtomicU32::new(0));
    let adapter = db.adapter.clone();
    let counter = Arc::clone(&runs);
    let result = db
        .client
        .transaction_with_retry(policy, |tx: Client| {
            let run = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let adapter = adapter.clone();
            async move {
                let read: Vec<(i32,)> =
                    query_raw!(tx, r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {SKU}"#)
                        .await
                        .map_err(map)?;
                if run == 1 {
                    execute_raw!(adapter, r#"UPDATE "Inventory" SET "stock" = "stock" + 100"#)
                        .await
                        .map_err(map)?;
                }
                execute_raw!(
                    tx,
                    r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = {SKU}"#
                )
                .await
                .map_err(map)?;
                Ok(read[0].0)
            }
        })
        .with_isolation_level(IsolationLevel::RepeatableRead)
        .await;
    (result, runs.load(Ordering::SeqCst))
}

/// A user error that keeps only a message: retries cannot look inside it.
#[derive(Debug, PartialEq)]
struct Conflict(String);

impl From<Error> for Conflict {
    fn from(error: Error) -> Self {
        Conflict(error.to_string())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retry_reruns_a_serialization_failure_whatever_the_closure_made_of_it() {
    let db = TxDb::concurrent(Backend::Postgres, 5).await;
    let (result, runs) = conflicting_purchase(&db, RetryPolicy::new(3), |e| {
        // The closure turns the error into text: the retry still sees it was transient.
        assert!(e.is_transient(), "{e:?}");
        Conflict(format!("conflict: {e}"))
    })
    .await;
    assert_eq!(runs, 2, "the first run conflicted, the second committed");
    assert_eq!(result, Ok(105), "the rerun read the other session's write");
    assert_eq!(db.stock().await, 104);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retry_gives_up_after_its_attempts() {
    let db = TxDb::concurrent(Backend::Postgres, 5).await;
    let (result, runs) = conflicting_purchase(&db, RetryPolicy::new(1), Conflict::from).await;
    assert_eq!(runs, 1);
    let Conflict(message) = result.unwrap_err();
    assert!(
        message.starts_with("transaction failed due to a write conflict"),
        "{message}"
    );
    assert_eq!(
        db.stock().await,
        105,
        "only the other session's write is there"
    );
}

both_backends! {
    async fn retry_does_not_rerun_other_errors(backend) {
        let db = TxDb::new(backend, 0).await;
        let runs = AtomicU32::new(0);
        let user_id = db.user_id.clone();
        let result = db
            .client
            .transaction_with_retry(RetryPolicy::new(5), |tx| {
                runs.fetch_add(1, Ordering::SeqCst);
                let user_id = user_id.clone();
                async move { buy(&tx, &user_id, 1).await }
            })
            .await;
        assert!(matches!(result, Err(BuyError::OutOfStock)));
        let err = db
            .client
            .transaction_with_retry(RetryPolicy::new(5), |tx| {
                runs.fetch_add(1, Ordering::SeqCst);
                async move {
                    execute_raw!(tx, r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ({SKU}, 1)"#).await
                }
            })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
        let timeout = db
            .client
            .transaction_with_retry(RetryPolicy::new(5), |_tx| {
                runs.fetch_add(1, Ordering::SeqCst);
                async move {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Ok::<_, Error>(())
                }
            })
            .with_timeout(Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(matches!(timeout, Error::TransactionTimeout { .. }), "{timeout:?}");
        assert_eq!(runs.load(Ordering::SeqCst), 3, "each ran once");
    }
}

/// Reads the stock twice inside one transaction at `level`, while another session changes
/// it in between; returns both reads.
async fn read_twice(db: &TxDb, level: IsolationLevel, read_only: bool) -> (i32, i32) {
    let adapter = db.adapter.clone();
    db.client
        .transaction(|tx| async move {
            let read = || query_raw!(tx, r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {SKU}"#);
            let first: Vec<(i32,)> = read().await?;
            execute_raw!(adapter, r#"UPDATE "Inventory" SET "stock" = "stock" + 1"#).await?;
            let second: Vec<(i32,)> = read().await?;
            Ok::<_, Error>((first[0].0, second[0].0))
        })
        .with_isolation_level(level)
        .with_read_only(read_only)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_isolation_levels_allow_or_forbid_non_repeatable_reads() {
    let db = TxDb::concurrent(Backend::Postgres, 10).await;
    // READ COMMITTED (and READ UNCOMMITTED, which PostgreSQL runs as READ COMMITTED) sees
    // the other session's commit between two reads.
    assert_eq!(
        read_twice(&db, IsolationLevel::ReadCommitted, false).await,
        (10, 11)
    );
    assert_eq!(
        read_twice(&db, IsolationLevel::ReadUncommitted, false).await,
        (11, 12)
    );
    // REPEATABLE READ and SERIALIZABLE read from one snapshot.
    assert_eq!(
        read_twice(&db, IsolationLevel::RepeatableRead, false).await,
        (12, 12)
    );
    assert_eq!(
        read_twice(&db, IsolationLevel::Serializable, false).await,
        (13, 13)
    );
    assert_eq!(db.stock().await, 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_read_transactions_read_one_snapshot() {
    let db = TxDb::new(Backend::Sqlite, 10).await;
    // A read-only transaction runs on a reader connection, so the writer is free meanwhile.
    assert_eq!(
        read_twice(&db, IsolationLevel::Serializable, true).await,
        (10, 10)
    );
    assert_eq!(db.stock().await, 11);
}
