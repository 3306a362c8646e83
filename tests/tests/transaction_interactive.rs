//! Interactive transactions against real PostgreSQL and SQLite: commit on `Ok`, rollback on
//! `Err`, on panic, on timeout and when the future is dropped (leaving no session in a
//! transaction and every pooled connection clean), closed handles, raw SQL, savepoints,
//! `max_wait`.

mod engine_support;
mod transaction_support;

use std::time::{Duration, Instant};

use orm_core::client::Client;
use orm_core::{Error, IsolationLevel, execute_raw, query_raw};
use transaction_support::*;

/// Nothing of a failed purchase is visible and the pool is clean.
async fn assert_untouched(db: &TxDb, stock: i32) {
    db.assert_pool_healthy().await;
    assert_eq!(db.count("Order").await, 0, "no order survives");
    assert_eq!(db.stock().await, stock, "the stock is unchanged");
}

both_backends! {
    async fn ok_commits_and_returns_the_value(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        let order = db
            .client
            .transaction(|tx| async move { buy(&tx, &user_id, 10).await })
            .await
            .unwrap();
        assert_eq!(order.len(), 25, "a cuid: {order}");
        assert_eq!(db.count("Order").await, 1);
        assert_eq!(db.stock().await, 2);
        assert_eq!(db.begins(), 1);
    }

    async fn err_rolls_back_and_returns_the_users_error(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        let result = db
            .client
            .transaction(|tx| async move {
                buy(&tx, &user_id, 10).await?;
                Err::<(), _>(BuyError::OutOfStock)
            })
            .await;
        assert!(matches!(result, Err(BuyError::OutOfStock)), "{result:?}");
        assert_untouched(&db, 3).await;
    }

    async fn orm_errors_pass_through_the_closure_and_roll_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        let result = db
            .client
            .transaction(|tx| async move {
                buy(&tx, &user_id, 10).await?;
                // A second inventory row with the same sku: a unique violation.
                execute_raw!(tx, r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ({SKU}, 1)"#).await?;
                Ok::<_, BuyError>(())
            })
            .await;
        match result {
            Err(BuyError::Db(Error::UniqueViolation { .. })) => {}
            other => panic!("expected a unique violation, got {other:?}"),
        }
        assert_untouched(&db, 3).await;
    }

    async fn panic_rolls_back_and_keeps_unwinding(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = db.client.clone();
        let user_id = db.user_id.clone();
        let task = tokio::spawn(async move {
            client
                .transaction(|tx| async move {
                    buy(&tx, &user_id, 10).await?;
                    if user_id.len() > 1 {
                        panic!("boom inside the transaction");
                    }
                    Ok::<_, BuyError>(())
                })
                .await
        });
        let join = task.await.unwrap_err();
        assert!(join.is_panic());
        let message = join.into_panic();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"boom inside the transaction"));
        assert_untouched(&db, 3).await;
    }

    async fn timeout_rolls_back_and_says_so(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        let started = Instant::now();
        let result = db
            .client
            .transaction(|tx| async move {
                buy(&tx, &user_id, 10).await?;
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, BuyError>(())
            })
            .with_timeout(Duration::from_millis(300))
            .await;
        let elapsed = started.elapsed();
        match result {
            Err(BuyError::Db(error @ Error::TransactionTimeout { .. })) => {
                assert_eq!(
                    error.to_string(),
                    "transaction rolled back: it ran longer than its timeout of 300ms"
                );
                assert_eq!(error.prisma_code(), Some("P2028"));
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(elapsed < Duration::from_secs(10), "returned after {elapsed:?}");
        assert_untouched(&db, 3).await;
    }

    async fn dropped_by_tokio_timeout_rolls_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let (transaction, bought) = stuck_purchase(db.client.clone(), db.user_id.clone());
        let outcome = tokio::time::timeout(Duration::from_millis(200), transaction).await;
        assert!(outcome.is_err(), "the transaction cannot finish");
        bought.await.expect("the purchase ran before the future was dropped");
        assert_untouched(&db, 3).await;
    }

    async fn dropped_by_select_rolls_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let (transaction, bought) = stuck_purchase(db.client.clone(), db.user_id.clone());
        tokio::select! {
            _ = transaction => panic!("the transaction cannot finish"),
            sent = bought => sent.expect("the purchase ran"),
        }
        assert_untouched(&db, 3).await;
    }

    async fn aborted_task_rolls_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let (transaction, bought) = stuck_purchase(db.client.clone(), db.user_id.clone());
        let task = tokio::spawn(transaction);
        bought.await.expect("the purchase ran");
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_untouched(&db, 3).await;
    }

    async fn dropped_during_a_statement_rolls_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        // Cancel at every await point of the purchase in turn: each cut leaves nothing.
        for micros in [0_u64, 200, 500, 1_000, 2_000, 5_000] {
            let user_id = user_id.clone();
            let transaction = db.client.transaction(|tx| async move {
                buy(&tx, &user_id, 10).await?;
                std::future::pending::<()>().await;
                Ok::<_, BuyError>(())
            });
            let _ = tokio::time::timeout(Duration::from_micros(micros), transaction).await;
        }
        assert_untouched(&db, 3).await;
    }

    async fn a_handle_kept_past_the_closure_is_closed(backend) {
        let db = TxDb::new(backend, 3).await;
        let kept = db
            .client
            .transaction(|tx| async move { Ok::<_, Error>(tx.clone()) })
            .await
            .unwrap();
        let err = query_raw!(kept, "SELECT 1").await.map(|_: Vec<(i64,)>| ()).unwrap_err();
        assert!(matches!(err, Error::TransactionClosed { state: "committed" }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "transaction already closed: a query cannot run after the transaction has committed"
        );
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let result = db
            .client
            .transaction(|tx| async move {
                let _ = sender.send(tx);
                Err::<(), _>(BuyError::OutOfStock)
            })
            .await;
        assert!(matches!(result, Err(BuyError::OutOfStock)));
        let kept: Client = receiver.await.unwrap();
        let err = db_update(&kept).await.unwrap_err();
        assert!(matches!(err, Error::TransactionClosed { state: "rolled back" }), "{err:?}");
        assert_eq!(db.stock().await, 3);
        assert!(kept.in_transaction());
    }

    async fn raw_sql_runs_inside_and_stays_invisible_until_commit(backend) {
        let db = TxDb::concurrent(backend, 3).await;
        let adapter = db.adapter.clone();
        let outside_during = db
            .client
            .transaction(|tx| async move {
                execute_raw!(tx, r#"UPDATE "Inventory" SET "stock" = 42 WHERE "sku" = {SKU}"#).await?;
                let inside: Vec<(i32,)> =
                    query_raw!(tx, r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {SKU}"#).await?;
                assert_eq!(inside[0].0, 42, "the transaction sees its own write");
                let outside: Vec<(i32,)> =
                    query_raw!(adapter, r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {SKU}"#).await?;
                Ok::<_, Error>(outside[0].0)
            })
            .with_max_wait(Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(outside_during, 3, "no one else sees the write before commit");
        assert_eq!(db.stock().await, 42);
    }

    async fn nested_transaction_rolls_back_to_its_savepoint(backend) {
        let db = TxDb::new(backend, 5).await;
        let user_id = db.user_id.clone();
        let (outer, inner) = db
            .client
            .transaction(|tx| async move {
                let user_id = &user_id;
                let outer = buy(&tx, user_id, 1).await?;
                let failed = tx
                    .transaction(|tx| async move {
                        buy(&tx, user_id, 2).await?;
                        Err::<(), _>(BuyError::OutOfStock)
                    })
                    .await;
                assert!(matches!(failed, Err(BuyError::OutOfStock)));
                let inner = tx
                    .transaction(|tx| async move { buy(&tx, user_id, 3).await })
                    .await?;
                Ok::<_, BuyError>((outer, inner))
            })
            .await
            .unwrap();
        let totals: Vec<(String, i32)> =
            query_raw!(db.adapter, r#"SELECT "id", "total" FROM "Order" ORDER BY "total""#).await.unwrap();
        assert_eq!(totals, vec![(outer, 1), (inner, 3)]);
        assert_eq!(db.stock().await, 3);
        assert_eq!(db.begins(), 1, "nested transactions are savepoints, not transactions");
    }

    async fn a_cancelled_nested_transaction_is_not_committed_by_the_outer_one(backend) {
        let db = TxDb::new(backend, 5).await;
        let user_id = db.user_id.clone();
        db.client
            .transaction(|tx| async move {
                let user_id = &user_id;
                buy(&tx, user_id, 1).await?;
                let nested = tx.transaction(|tx| async move {
                    buy(&tx, user_id, 2).await?;
                    std::future::pending::<()>().await;
                    Ok::<_, BuyError>(())
                });
                assert!(tokio::time::timeout(Duration::from_millis(200), nested).await.is_err());
                // The nested timeout option cancels the same way.
                let timed_out = tx
                    .transaction(|tx| async move {
                        buy(&tx, user_id, 3).await?;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        Ok::<_, BuyError>(())
                    })
                    .with_timeout(Duration::from_millis(200))
                    .await;
                assert!(matches!(timed_out, Err(BuyError::Db(Error::TransactionTimeout { .. }))));
                buy(&tx, user_id, 4).await?;
                Ok::<_, BuyError>(())
            })
            .await
            .unwrap();
        let totals: Vec<(i32,)> =
            query_raw!(db.adapter, r#"SELECT "total" FROM "Order" ORDER BY "total""#).await.unwrap();
        assert_eq!(totals, vec![(1,), (4,)]);
        assert_eq!(db.stock().await, 3);
        db.assert_pool_healthy().await;
    }

    async fn a_nested_handle_kept_past_its_closure_is_closed(backend) {
        let db = TxDb::new(backend, 5).await;
        db.client
            .transaction(|tx| async move {
                let kept = tx.transaction(|inner| async move { Ok::<_, Error>(inner) }).await?;
                let err = db_update(&kept).await.unwrap_err();
                assert!(matches!(err, Error::TransactionClosed { state: "committed" }), "{err:?}");
                db_update(&tx).await?;
                Ok::<_, Error>(())
            })
            .await
            .unwrap();
        assert_eq!(db.stock().await, 4);
    }

    async fn isolation_level_on_a_nested_transaction_is_refused(backend) {
        let db = TxDb::new(backend, 5).await;
        let err = db
            .client
            .transaction(|tx| async move {
                tx.transaction(|_tx| async move { Ok::<_, Error>(()) })
                    .with_isolation_level(IsolationLevel::Serializable)
                    .await
            })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    }

    async fn max_wait_bounds_the_wait_for_a_connection(backend) {
        // One connection (SQLite: the writer, which every write transaction needs).
        let db = TxDb::with_url_options(backend, 5, "connection_limit=1").await;
        let holder = db.client.clone();
        let (held, wait) = tokio::sync::oneshot::channel();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            holder
                .transaction(|_tx| async move {
                    let _ = held.send(());
                    let _ = released.await;
                    Ok::<_, Error>(())
                })
                .await
        });
        wait.await.unwrap();
        let started = Instant::now();
        let err = db
            .client
            .transaction(|_tx| async move { Ok::<_, Error>(()) })
            .with_max_wait(Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::PoolTimeout { timeout, .. } if timeout == Duration::from_millis(200)), "{err:?}");
        assert!(started.elapsed() >= Duration::from_millis(200));
        release.send(()).unwrap();
        task.await.unwrap().unwrap();
    }
}

/// A transaction that buys, says so on the returned channel, then never finishes.
fn stuck_purchase(
    client: Client,
    user_id: String,
) -> (
    impl std::future::Future<Output = Result<(), BuyError>> + Send,
    tokio::sync::oneshot::Receiver<()>,
) {
    let (bought, receiver) = tokio::sync::oneshot::channel();
    let transaction = async move {
        client
            .transaction(|tx| async move {
                buy(&tx, &user_id, 10).await?;
                let _ = bought.send(());
                std::future::pending::<()>().await;
                Ok::<_, BuyError>(())
            })
            .await
    };
    (transaction, receiver)
}

async fn db_update(client: &Client) -> orm_core::Result<u64> {
    execute_raw!(
        client,
        r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = {SKU}"#
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_refuses_isolation_levels_it_does_not_have() {
    let db = TxDb::new(Backend::Sqlite, 1).await;
    for level in [
        IsolationLevel::ReadUncommitted,
        IsolationLevel::ReadCommitted,
        IsolationLevel::RepeatableRead,
    ] {
        let err = db
            .client
            .transaction(|_tx| async move { Ok::<_, Error>(()) })
            .with_isolation_level(level)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Unsupported { .. }),
            "{level:?}: {err:?}"
        );
    }
    db.client
        .transaction(|tx| async move { db_update(&tx).await })
        .with_isolation_level(IsolationLevel::Serializable)
        .await
        .unwrap();
    assert_eq!(db.stock().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_begins_with_the_requested_isolation_level() {
    let db = TxDb::new(Backend::Postgres, 1).await;
    for (level, shown) in [
        (None, "read committed"),
        (Some(IsolationLevel::ReadUncommitted), "read uncommitted"),
        (Some(IsolationLevel::ReadCommitted), "read committed"),
        (Some(IsolationLevel::RepeatableRead), "repeatable read"),
        (Some(IsolationLevel::Serializable), "serializable"),
    ] {
        let read = |tx: Client| async move {
            let rows: Vec<(String,)> =
                query_raw!(tx, "SELECT current_setting('transaction_isolation')").await?;
            Ok::<_, Error>(rows[0].0.clone())
        };
        let transaction = db.client.transaction(read);
        let actual = match level {
            Some(level) => transaction.with_isolation_level(level).await,
            None => transaction.await,
        };
        assert_eq!(actual.unwrap(), shown);
    }
}
