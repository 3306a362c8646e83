//! Transactions: Prisma's `$transaction`, batch and interactive, on the seed schema (SQLite).
//!
//! ```text
//! cargo run --example transactions
//! ```
//!
//! - a batch (`$transaction([...])`): operations built first, sent in one transaction, all
//!   or nothing;
//! - the seed's interactive transaction (`$transaction(async (tx) => ...)`): read, decide,
//!   write; `Ok` commits, `Err` rolls back and comes back untouched;
//! - options: isolation level, timeout, and reruns after serialization failures;
//! - a nested transaction, which is a savepoint.
//!
//! On SQLite every transaction is serializable and write transactions take the write lock up
//! front, so concurrent ones queue instead of conflicting. On PostgreSQL, `Serializable`
//! transactions that race on the same rows do conflict, and `transaction_with_retry` reruns
//! them: the `pooling` example shows it under load.

use std::error::Error;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use orm_core::IsolationLevel;
use orm_core::transaction::RetryPolicy;
use orm_sqlite::SqliteAdapter;

orm_core::prisma_schema!("prisma/schema.prisma");

/// Why a purchase did not happen: the closure's own error type, which only has to convert
/// from `orm_core::Error` so that `?` works on every query.
#[derive(Debug, thiserror::Error)]
enum BuyError {
    #[error("`{0}` is out of stock")]
    OutOfStock(String),
    #[error(transparent)]
    Db(#[from] orm_core::Error),
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    run(dir.path()).await
}

async fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    let adapter = SqliteAdapter::open(&format!("file:{}", dir.join("shop.db").display())).await?;
    orm_core::migrations!("prisma/migrations")
        .deploy(&adapter)
        .await?;
    let prisma = PrismaClient::new(adapter);
    let ann = prisma
        .user()
        .create(user::Create {
            email: "ann@example.com".into(),
        })
        .exec()
        .await?;
    prisma
        .inventory()
        .create(inventory::Create {
            sku: "LAMP".into(),
            stock: 2,
        })
        .exec()
        .await?;

    // 1. A batch: `BEGIN; INSERT …; UPDATE …; COMMIT`, each result with its own type.
    let (order, lamp) = prisma
        .batch((
            prisma.order().create(
                order::Create {
                    user_id: ann.id.clone(),
                    total: 40,
                }
                .with(order::sku::set("LAMP")),
            ),
            prisma.inventory().update(
                inventory::sku::equals("LAMP"),
                vec![inventory::stock::decrement(1)],
            ),
        ))
        .await?;
    println!(
        "1. batch: order of {} for {}, {} LAMP left",
        order.total, order.user_id, lamp.stock
    );

    // A batch of one type can be a Vec; the first failure rolls the whole batch back.
    let failed = prisma
        .batch(vec![
            prisma.inventory().create(inventory::Create {
                sku: "DESK".into(),
                stock: 1,
            }),
            prisma.inventory().create(inventory::Create {
                sku: "LAMP".into(),
                stock: 9,
            }),
        ])
        .await;
    let desk = prisma
        .inventory()
        .find_unique(inventory::sku::equals("DESK"))
        .exec()
        .await?;
    println!(
        "   batch with a duplicate: {}; DESK created: {}",
        failed
            .as_ref()
            .err()
            .map_or("no error".into(), ToString::to_string),
        desk.is_some()
    );

    // 2. The seed's interactive transaction; the closure's error comes back as it was.
    let first = buy(&prisma, &ann.id, "LAMP").await;
    let second = buy(&prisma, &ann.id, "LAMP").await;
    let lamps = prisma
        .order()
        .count(vec![order::sku::equals("LAMP")])
        .exec()
        .await?;
    println!(
        "2. interactive: first purchase {}, second {}; {lamps} LAMP orders in all",
        first
            .as_ref()
            .map_or_else(ToString::to_string, |o| format!("ok ({})", o.id)),
        second
            .as_ref()
            .map_or_else(ToString::to_string, |o| format!("ok ({})", o.id)),
    );

    // 3. Isolation levels are the database's: SQLite is always serializable and says so when
    //    asked for another level, as Prisma does.
    let read_committed = prisma
        .transaction(|tx| async move { tx.user().count(vec![]).exec().await })
        .with_isolation_level(IsolationLevel::ReadCommitted)
        .await;
    println!(
        "3. ReadCommitted on SQLite: {}",
        read_committed
            .as_ref()
            .map_or_else(ToString::to_string, |n| n.to_string())
    );

    // 4. A transaction that runs past its timeout (5 s unless told) is rolled back.
    let slow = prisma
        .transaction(|tx| async move {
            tx.user()
                .create(user::Create {
                    email: "slow@example.com".into(),
                })
                .exec()
                .await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok::<_, orm_core::Error>(())
        })
        .with_timeout(Duration::from_millis(100))
        .await;
    let slow_user = prisma
        .user()
        .find_unique(user::email::equals("slow@example.com"))
        .exec()
        .await?;
    println!(
        "4. timeout: {}; its user exists: {}",
        slow.as_ref()
            .err()
            .map_or("no error".into(), ToString::to_string),
        slow_user.is_some()
    );

    // 5. Reruns: a transaction that fails with a serialization failure or a deadlock runs
    //    again (at most 5 times here, with a growing, jittered backoff). Since the closure
    //    may run several times it is an `FnMut`: clone what it moves.
    let attempts = Arc::new(AtomicU32::new(0));
    let restocked = prisma
        .transaction_with_retry(RetryPolicy::new(5), |tx| {
            let attempts = Arc::clone(&attempts);
            async move {
                attempts.fetch_add(1, Ordering::Relaxed);
                tx.inventory()
                    .update(
                        inventory::sku::equals("LAMP"),
                        vec![inventory::stock::increment(5)],
                    )
                    .exec()
                    .await
            }
        })
        .with_isolation_level(IsolationLevel::Serializable)
        .await?;
    println!(
        "5. restocked: {} LAMP, in {} attempt(s)",
        restocked.stock,
        attempts.load(Ordering::Relaxed)
    );

    // 6. A transaction inside a transaction is a savepoint: its failure undoes only its own
    //    writes, and the outer transaction goes on.
    let kept = prisma
        .transaction(|tx| async move {
            tx.user()
                .create(user::Create {
                    email: "kept@example.com".into(),
                })
                .exec()
                .await?;
            let inner = tx
                .transaction(|inner| async move {
                    inner
                        .user()
                        .create(user::Create {
                            email: "undone@example.com".into(),
                        })
                        .exec()
                        .await?;
                    inner
                        .user()
                        .create(user::Create {
                            email: "ann@example.com".into(),
                        })
                        .exec()
                        .await
                })
                .await;
            Ok::<_, orm_core::Error>(inner.is_err())
        })
        .await?;
    let emails: Vec<String> = prisma
        .user()
        .find_many(vec![])
        .order_by(user::email::asc())
        .exec()
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    println!("6. savepoint rolled back: {kept}; users now {emails:?}");

    assert!(matches!(failed, Err(orm_core::Error::UniqueViolation { .. })) && desk.is_none());
    assert!(first.is_ok() && matches!(second, Err(BuyError::OutOfStock(_))) && lamps == 2);
    assert!(matches!(
        read_committed,
        Err(orm_core::Error::Unsupported { .. })
    ));
    assert!(matches!(slow, Err(orm_core::Error::TransactionTimeout { .. })) && slow_user.is_none());
    assert_eq!(emails, ["ann@example.com", "kept@example.com"]);
    Ok(())
}

/// The seed's interactive transaction: check the stock, decrement it, create the order.
async fn buy(prisma: &PrismaClient, user_id: &str, sku: &str) -> Result<Order, BuyError> {
    prisma
        .transaction(|tx| async move {
            let item = tx
                .inventory()
                .find_unique(inventory::sku::equals(sku))
                .exec()
                .await?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(BuyError::OutOfStock(sku.to_owned()));
            }
            tx.inventory()
                .update(
                    inventory::sku::equals(sku),
                    vec![inventory::stock::decrement(1)],
                )
                .exec()
                .await?;
            let order = order::Create {
                user_id: user_id.to_owned(),
                total: 40,
            }
            .with(order::sku::set(sku));
            Ok(tx.order().create(order).exec().await?)
        })
        .with_isolation_level(IsolationLevel::Serializable)
        .await
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_transactions_example_runs() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }
}
