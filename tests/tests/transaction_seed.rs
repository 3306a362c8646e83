//! The seed's transactions through the typed client (`prisma_schema!` on the seed schema), on
//! PostgreSQL and SQLite: the interactive read-modify-write by 50 concurrent buyers never
//! oversells; the batch of an order and a stock decrement is all or nothing; a user's error
//! or a panic rolls back.

mod engine_support;
mod transaction_support;

use transaction_support::{Backend, SKU, TxDb};

/// The suite, written once against the generated client of the module it is expanded in.
macro_rules! seed_suite {
    () => {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU32, Ordering};
        use std::time::Duration;

        use orm_core::transaction::RetryPolicy;
        use orm_core::{Error, IsolationLevel};

        use super::*;

        /// What buying can fail with: the user's own error beside the ORM's.
        #[derive(Debug)]
        enum BuyError {
            OutOfStock,
            Db(Error),
        }

        impl From<Error> for BuyError {
            fn from(error: Error) -> Self {
                BuyError::Db(error)
            }
        }

        /// The seed's interactive transaction body, as the overview writes it in TypeScript.
        async fn buy(tx: &PrismaClient, user_id: &str, total: i32) -> Result<Order, BuyError> {
            let item = tx
                .inventory()
                .find_unique(inventory::sku::equals(SKU))
                .exec()
                .await?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(BuyError::OutOfStock);
            }
            tx.inventory()
                .update(
                    inventory::sku::equals(SKU),
                    vec![inventory::stock::decrement(1)],
                )
                .exec()
                .await?;
            let order = tx
                .order()
                .create(
                    order::Create {
                        user_id: user_id.into(),
                        total,
                    }
                    .with(order::sku::set(SKU)),
                )
                .exec()
                .await?;
            Ok(order)
        }

        /// A seeded database on a pool of several connections (the buyers run at once).
        async fn setup(stock: i32) -> (TxDb, PrismaClient) {
            let db = TxDb::concurrent(BACKEND, stock).await;
            let prisma = PrismaClient::from(db.client.clone());
            (db, prisma)
        }

        async fn stock(prisma: &PrismaClient) -> i32 {
            let item = prisma
                .inventory()
                .find_unique(inventory::sku::equals(SKU))
                .exec()
                .await;
            item.unwrap().unwrap().stock
        }

        async fn orders(prisma: &PrismaClient) -> i64 {
            prisma.order().count(vec![]).exec().await.unwrap()
        }

        const BUYERS: usize = 50;
        const STOCK: i32 = 20;

        /// The purchase in 50 concurrent tasks under SERIALIZABLE; each task's outcome, and
        /// how often the closures ran in all.
        async fn buy_concurrently(
            prisma: &PrismaClient,
            user_id: &str,
            retry: bool,
        ) -> (Vec<Result<Order, BuyError>>, u32) {
            let runs = Arc::new(AtomicU32::new(0));
            let tasks: Vec<_> = (0..BUYERS)
                .map(|_| {
                    let prisma = prisma.clone();
                    let user_id = user_id.to_owned();
                    let runs = Arc::clone(&runs);
                    tokio::spawn(async move {
                        let purchase = |tx: PrismaClient| {
                            runs.fetch_add(1, Ordering::SeqCst);
                            let user_id = user_id.clone();
                            async move { buy(&tx, &user_id, 10).await }
                        };
                        let wait = Duration::from_secs(30);
                        if retry {
                            let policy = RetryPolicy::new(100)
                                .with_backoff(Duration::from_millis(1), Duration::from_millis(50));
                            prisma
                                .transaction_with_retry(policy, purchase)
                                .with_isolation_level(IsolationLevel::Serializable)
                                .with_max_wait(wait)
                                .with_timeout(wait)
                                .await
                        } else {
                            prisma
                                .transaction(purchase)
                                .with_isolation_level(IsolationLevel::Serializable)
                                .with_max_wait(wait)
                                .with_timeout(wait)
                                .await
                        }
                    })
                })
                .collect();
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.unwrap());
            }
            (outcomes, runs.load(Ordering::SeqCst))
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn fifty_buyers_with_retries_get_exactly_the_stock() {
            let (db, prisma) = setup(STOCK).await;
            let (outcomes, runs) = buy_concurrently(&prisma, &db.user_id, true).await;
            let other: Vec<_> = outcomes
                .iter()
                .filter(|o| matches!(o, Err(BuyError::Db(_))))
                .collect();
            assert!(other.is_empty(), "unexpected errors: {other:?}");
            let mut bought: Vec<&Order> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
            let refused = outcomes
                .iter()
                .filter(|o| matches!(o, Err(BuyError::OutOfStock)))
                .count();
            assert_eq!(bought.len(), 20);
            assert_eq!(refused, 30);
            assert!(
                bought
                    .iter()
                    .all(|o| o.user_id == db.user_id && o.sku.as_deref() == Some(SKU))
            );
            bought.sort_by(|a, b| a.id.cmp(&b.id));
            bought.dedup_by(|a, b| a.id == b.id);
            assert_eq!(bought.len(), 20, "each purchase created its own order");
            assert_eq!(orders(&prisma).await, 20);
            assert_eq!(stock(&prisma).await, 0);
            if BACKEND == Backend::Postgres {
                // Concurrent read-modify-writes of one row under SERIALIZABLE conflict; the
                // policy reran the losers.
                assert!(
                    runs > 50,
                    "expected serialization failures to be retried ({runs} runs)"
                );
            } else {
                // SQLite serializes writers (BEGIN IMMEDIATE): nothing conflicts.
                assert_eq!(runs, 50);
            }
            db.assert_pool_healthy().await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn fifty_buyers_without_retries_never_oversell() {
            let (db, prisma) = setup(STOCK).await;
            let (outcomes, runs) = buy_concurrently(&prisma, &db.user_id, false).await;
            assert_eq!(runs, 50, "no retries");
            let bought = outcomes.iter().filter(|o| o.is_ok()).count();
            let conflicts = outcomes
                .iter()
                .filter(|o| matches!(o, Err(BuyError::Db(Error::SerializationFailure { .. }))))
                .count();
            let refused = outcomes
                .iter()
                .filter(|o| matches!(o, Err(BuyError::OutOfStock)))
                .count();
            assert_eq!(bought + conflicts + refused, 50, "{outcomes:?}");
            if BACKEND == Backend::Postgres {
                assert!(
                    conflicts > 0,
                    "concurrent purchases conflict under SERIALIZABLE"
                );
            } else {
                assert_eq!((bought, conflicts), (20, 0), "SQLite serializes writers");
            }
            assert_eq!(usize::try_from(orders(&prisma).await).unwrap(), bought);
            assert_eq!(stock(&prisma).await, STOCK - i32::try_from(bought).unwrap());
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn the_seeds_batch_is_all_or_nothing() {
            let (db, prisma) = setup(3).await;
            let create = |user_id: &str| {
                prisma.order().create(
                    order::Create {
                        user_id: user_id.into(),
                        total: 10,
                    }
                    .with(order::sku::set(SKU)),
                )
            };
            let decrement = || {
                prisma.inventory().update(
                    inventory::sku::equals(SKU),
                    vec![inventory::stock::decrement(1)],
                )
            };
            let (order, item): (Order, Inventory) = prisma
                .batch((create(&db.user_id), decrement()))
                .await
                .unwrap();
            assert_eq!((order.total, item.stock), (10, 2));
            assert_eq!(db.begins(), 1);

            // A failing second statement leaves the first unapplied.
            let err = prisma
                .batch((decrement(), create("no-such-user")))
                .await
                .unwrap_err();
            assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
            assert_eq!(stock(&prisma).await, 2);
            assert_eq!(orders(&prisma).await, 1);

            // One type: a Vec of results.
            let items: Vec<Inventory> = prisma.batch(vec![decrement(), decrement()]).await.unwrap();
            assert_eq!(
                items.iter().map(|i| i.stock).collect::<Vec<_>>(),
                vec![1, 0]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_users_error_or_a_panic_rolls_the_purchase_back() {
            let (db, prisma) = setup(3).await;
            let user_id = db.user_id.clone();
            let refused = prisma
                .transaction(|tx| async move {
                    buy(&tx, &user_id, 10).await?;
                    Err::<(), _>(BuyError::OutOfStock)
                })
                .await;
            assert!(matches!(refused, Err(BuyError::OutOfStock)), "{refused:?}");

            let (client, user_id) = (prisma.clone(), db.user_id.clone());
            let task = tokio::spawn(async move {
                client
                    .transaction(|tx| async move {
                        buy(&tx, &user_id, 10).await?;
                        if !user_id.is_empty() {
                            panic!("boom");
                        }
                        Ok::<_, BuyError>(())
                    })
                    .await
            });
            assert!(task.await.unwrap_err().is_panic());
            db.assert_pool_healthy().await;
            assert_eq!(stock(&prisma).await, 3);
            assert_eq!(orders(&prisma).await, 0);

            let order = prisma
                .transaction(|tx| async move { buy(&tx, &db.user_id, 10).await })
                .await
                .unwrap();
            assert_eq!(order.total, 10);
            assert_eq!(stock(&prisma).await, 2);
        }
    };
}

mod postgres {
    use super::*;

    const BACKEND: Backend = Backend::Postgres;
    orm_core::prisma_schema!("../../shared/prisma-golden/seed/postgresql/schema.prisma");

    mod suite {
        seed_suite!();
    }
}

mod sqlite {
    use super::*;

    const BACKEND: Backend = Backend::Sqlite;
    orm_core::prisma_schema!("../../shared/prisma-golden/seed/sqlite/schema.prisma");

    mod suite {
        seed_suite!();
    }
}
