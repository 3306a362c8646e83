//! Engine `count`, `aggregate` and `groupBy` against real PostgreSQL and SQLite.

mod engine_support;

use engine_support::*;
use orm_core::Value;
use orm_core::engine::*;
use orm_core::query::Direction;

async fn seeded(backend: Backend) -> Db {
    let db = Db::seed_schema(backend).await;
    db.exec(
        r#"INSERT INTO "User" ("id", "email") VALUES ('u1', 'a@b.co'), ('u2', 'c@d.co');
           INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES
           ('o1', 'u1', 10, 'A'), ('o2', 'u1', 20, NULL), ('o3', 'u2', 30, 'B')"#,
    )
    .await;
    db
}

both_backends! {
    async fn count_records_and_non_null_values(backend) {
        let db = seeded(backend).await;
        let all = db.client.count(ORDER, CountArgs::default()).await.unwrap();
        assert_eq!(all, vec![3]);
        let fields = db
            .client
            .count(ORDER, CountArgs { fields: vec![None, Some(order::SKU)], ..CountArgs::default() })
            .await
            .unwrap();
        assert_eq!(fields, vec![3, 2]);
        let page = db
            .client
            .count(ORDER, CountArgs {
                order_by: vec![OrderBy::field(order::ID, Direction::Asc)],
                skip: Some(1),
                take: Some(5),
                ..CountArgs::default()
            })
            .await
            .unwrap();
        assert_eq!(page, vec![2]);
    }

    async fn aggregates_and_the_empty_set(backend) {
        let db = seeded(backend).await;
        let aggregates = vec![
            Aggregate::CountAll,
            Aggregate::Sum(order::TOTAL),
            Aggregate::Avg(order::TOTAL),
            Aggregate::Min(order::TOTAL),
            Aggregate::Max(order::SKU),
        ];
        let result = db
            .client
            .aggregate(ORDER, AggregateArgs { aggregates: aggregates.clone(), ..AggregateArgs::default() })
            .await
            .unwrap();
        let row = result.rows().next().unwrap().values().to_vec();
        assert_eq!(
            row,
            vec![Value::BigInt(3), Value::BigInt(60), Value::Float(20.0), Value::Int(10), Value::from("B")]
        );
        let empty = db
            .client
            .aggregate(ORDER, AggregateArgs {
                filter: Filter::scalar(order::TOTAL, ScalarOp::Gt(Value::Int(100))),
                aggregates,
                ..AggregateArgs::default()
            })
            .await
            .unwrap();
        let row = empty.rows().next().unwrap().values().to_vec();
        assert_eq!(row, vec![Value::BigInt(0), Value::Null, Value::Null, Value::Null, Value::Null]);
    }

    async fn group_by_with_having_and_order(backend) {
        let db = seeded(backend).await;
        let result = db
            .client
            .group_by(ORDER, GroupByArgs {
                by: vec![order::USER_ID],
                aggregates: vec![Aggregate::CountAll, Aggregate::Sum(order::TOTAL)],
                having: Some(Having::Aggregate {
                    aggregate: Aggregate::Sum(order::TOTAL),
                    op: ScalarOp::Gte(Value::Int(25)),
                }),
                order_by: vec![
                    GroupOrderBy::Aggregate { aggregate: Aggregate::CountAll, direction: Direction::Desc },
                    GroupOrderBy::Field { field: order::USER_ID, direction: Direction::Asc, nulls: None },
                ],
                ..GroupByArgs::default()
            })
            .await
            .unwrap();
        let rows: Vec<Vec<Value>> = result.rows().map(|r| r.values().to_vec()).collect();
        assert_eq!(
            rows,
            vec![
                vec![Value::from("u1"), Value::BigInt(2), Value::BigInt(30)],
                vec![Value::from("u2"), Value::BigInt(1), Value::BigInt(30)],
            ]
        );
        let err = db
            .client
            .group_by(ORDER, GroupByArgs { by: vec![order::USER_ID], take: Some(1), ..GroupByArgs::default() })
            .await
            .unwrap_err();
        assert!(matches!(err, orm_core::Error::InvalidQuery { .. }), "{err:?}");
    }

    // A negative `take` keeps the last groups in the requested order, as findMany's does:
    // the same on both backends (SQLite would otherwise read `LIMIT -1` as "no limit").
    async fn group_by_with_a_negative_take_keeps_the_last_groups(backend) {
        let db = seeded(backend).await;
        let groups = |take: i64, skip: Option<i64>| GroupByArgs {
            by: vec![order::TOTAL],
            order_by: vec![GroupOrderBy::Field { field: order::TOTAL, direction: Direction::Asc, nulls: None }],
            take: Some(take),
            skip,
            ..GroupByArgs::default()
        };
        let totals = |result: orm_core::ResultSet| -> Vec<Value> {
            result.rows().map(|r| r.values()[0].clone()).collect()
        };
        let last_two = db.client.group_by(ORDER, groups(-2, None)).await.unwrap();
        assert_eq!(totals(last_two), vec![Value::Int(20), Value::Int(30)]);
        let skipped = db.client.group_by(ORDER, groups(-1, Some(1))).await.unwrap();
        assert_eq!(totals(skipped), vec![Value::Int(20)]);
        let first = db.client.group_by(ORDER, groups(1, None)).await.unwrap();
        assert_eq!(totals(first), vec![Value::Int(10)]);
    }
}
