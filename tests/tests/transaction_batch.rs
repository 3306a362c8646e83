//! Batch transactions against real PostgreSQL and SQLite: operations of different types in
//! one transaction, results in order, all or nothing, no `BEGIN` for one operation, and
//! isolation levels.

mod engine_support;
mod transaction_support;

use orm_core::client::{Client, Operation};
use orm_core::engine::Records;
use orm_core::{Error, IsolationLevel, execute_raw, query_raw};
use transaction_support::*;

both_backends! {
    async fn the_seeds_batch_commits_and_returns_each_result_typed(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = &db.client;
        let (order, item, count): (Records, Records, Vec<(i64,)>) = client
            .batch((
                Create(ORDER, order_args(&db.user_id, 10)),
                Update(INVENTORY, decrement_stock()),
                query_raw!(client, r#"SELECT COUNT(*) FROM "Order""#),
            ))
            .await
            .unwrap();
        let (order_id,) = order.decode_first::<(String,)>().unwrap().unwrap();
        assert_eq!(order_id.len(), 25);
        assert_eq!(item.decode_first::<(i32,)>().unwrap(), Some((2,)));
        assert_eq!(count, vec![(1,)], "later operations see earlier ones");
        assert_eq!(db.begins(), 1);
        assert_eq!(db.count("Order").await, 1);
        assert_eq!(db.stock().await, 2);
    }

    async fn a_failing_second_statement_leaves_the_first_unapplied(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = &db.client;
        let err = client
            .batch((
                Update(INVENTORY, decrement_stock()),
                // The seed's second operation, but for a user that does not exist.
                Create(ORDER, order_args("no-such-user", 10)),
            ))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
        assert_eq!(db.stock().await, 3, "the decrement was rolled back");
        assert_eq!(db.count("Order").await, 0);
        db.assert_pool_healthy().await;
        assert_eq!(db.stock().await, 3);
    }

    async fn a_vec_of_one_operation_type_returns_a_vec(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = &db.client;
        let totals = [10, 20, 30];
        let orders: Vec<Records> = client
            .batch(totals.iter().map(|t| Create(ORDER, order_args(&db.user_id, *t))).collect::<Vec<_>>())
            .await
            .unwrap();
        assert_eq!(orders.len(), 3);
        let counts: Vec<u64> = client
            .batch([
                execute_raw!(client, r#"UPDATE "Order" SET "total" = "total" + 1 WHERE "total" > 15"#),
                execute_raw!(client, r#"DELETE FROM "Order" WHERE "total" = 10"#),
            ])
            .await
            .unwrap();
        assert_eq!(counts, vec![2, 1]);
        let left: Vec<(i32,)> =
            query_raw!(db.adapter, r#"SELECT "total" FROM "Order" ORDER BY "total""#).await.unwrap();
        assert_eq!(left, vec![(21,), (31,)]);
        assert_eq!(db.begins(), 2);
    }

    async fn a_batch_of_one_operation_needs_no_transaction(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = &db.client;
        let (item,) = client.batch((Update(INVENTORY, decrement_stock()),)).await.unwrap();
        assert_eq!(item.decode_first::<(i32,)>().unwrap(), Some((2,)));
        let empty: Vec<u64> = client.batch(Vec::<orm_core::raw::RawExecute<'_>>::new()).await.unwrap();
        assert!(empty.is_empty());
        assert_eq!(db.begins(), 0, "Prisma sends no BEGIN for a single-operation batch");
        // With an isolation level it gets one.
        let (item,) = client
            .batch((Update(INVENTORY, decrement_stock()),))
            .with_isolation_level(IsolationLevel::Serializable)
            .await
            .unwrap();
        assert_eq!(item.decode_first::<(i32,)>().unwrap(), Some((1,)));
        assert_eq!(db.begins(), 1);
    }

    async fn a_batch_inside_a_transaction_is_a_savepoint(backend) {
        let db = TxDb::new(backend, 3).await;
        let user_id = db.user_id.clone();
        db.client
            .transaction(|tx| async move {
                tx.batch((Update(INVENTORY, decrement_stock()), Create(ORDER, order_args(&user_id, 1))))
                    .await?;
                let failed = tx
                    .batch((Update(INVENTORY, decrement_stock()), Create(ORDER, order_args("nobody", 2))))
                    .await;
                assert!(matches!(failed, Err(Error::ForeignKeyViolation { .. })), "{failed:?}");
                Ok::<_, Error>(())
            })
            .await
            .unwrap();
        assert_eq!(db.stock().await, 2, "only the first batch's decrement is kept");
        assert_eq!(db.count("Order").await, 1);
        assert_eq!(db.begins(), 1);
    }

    async fn a_dropped_batch_rolls_back(backend) {
        let db = TxDb::new(backend, 3).await;
        let client = &db.client;
        // Cut the batch at successive points; it can never commit, and none leaves anything.
        for micros in [0_u64, 100, 300, 1_000, 3_000, 20_000] {
            let batch = client.batch((
                Update(INVENTORY, decrement_stock()),
                Create(ORDER, order_args(&db.user_id, 1)),
                Stall,
            ));
            let outcome = tokio::time::timeout(std::time::Duration::from_micros(micros), batch).await;
            assert!(outcome.is_err());
        }
        db.assert_pool_healthy().await;
        assert_eq!(db.stock().await, 3);
        assert_eq!(db.count("Order").await, 0);
    }
}

/// An operation that never finishes.
struct Stall;

impl Operation for Stall {
    type Output = ();

    async fn run(self, _client: &Client) -> orm_core::Result<()> {
        std::future::pending().await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_batch_runs_at_the_requested_isolation_level() {
    let db = TxDb::new(Backend::Postgres, 3).await;
    let client = &db.client;
    let (level, _): (Vec<(String,)>, u64) = client
        .batch((
            query_raw!(client, "SELECT current_setting('transaction_isolation')"),
            execute_raw!(client, "SELECT 1"),
        ))
        .with_isolation_level(IsolationLevel::RepeatableRead)
        .await
        .unwrap();
    assert_eq!(level, vec![("repeatable read".to_owned(),)]);
}
