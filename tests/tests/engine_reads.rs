//! Engine reads against real PostgreSQL and SQLite: filters, ordering, pagination, includes.
//!
//! One suite written against `Arc<dyn Adapter>`, run for both backends.

mod engine_support;

use engine_support::*;
use orm_core::Value;
use orm_core::engine::*;
use orm_core::query::{Direction, Nulls};

async fn seeded(backend: Backend) -> Db {
    let db = Db::seed_schema(backend).await;
    db.exec(
        r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES
           ('u1', 'a@b.co', '2026-01-01 00:00:00'), ('u2', 'c@d.co', '2026-01-02 00:00:00'),
           ('u3', 'e@f.co', '2026-01-03 00:00:00')"#,
    )
    .await;
    db.exec(
        r#"INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES
           ('o1', 'u1', 10, 'A'), ('o2', 'u1', 20, NULL), ('o3', 'u1', 30, 'B'),
           ('o4', 'u3', 40, 'A%')"#,
    )
    .await;
    db
}

fn user_scalars() -> Selection {
    Selection::scalars(vec![user::ID, user::EMAIL])
}

fn order_scalars() -> Selection {
    Selection::scalars(vec![order::ID, order::TOTAL])
}

async fn ids(db: &Db, model: ModelId, args: FindManyArgs) -> Vec<String> {
    let records = db.client.find_many(model, args).await.unwrap();
    records
        .rows
        .rows()
        .map(|r| match &r.values()[0] {
            Value::String(s) => s.clone(),
            other => panic!("unexpected id {other:?}"),
        })
        .collect()
}

both_backends! {
    async fn find_many_filters_and_orders(backend) {
        let db = seeded(backend).await;
        let args = FindManyArgs {
            filter: Filter::scalar(order::TOTAL, ScalarOp::Gte(Value::Int(20))),
            order_by: vec![OrderBy::field(order::TOTAL, Direction::Desc)],
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, args).await, ["o4", "o3", "o2"]);
    }

    async fn empty_logic_follows_prisma(backend) {
        let db = seeded(backend).await;
        let run = |filter: Filter| FindManyArgs {
            filter,
            order_by: vec![OrderBy::field(user::ID, Direction::Asc)],
            selection: user_scalars(),
            ..FindManyArgs::default()
        };
        let eq = |id: &str| Filter::equals(user::ID, id);
        assert!(ids(&db, USER, run(Filter::or([]))).await.is_empty());
        assert_eq!(ids(&db, USER, run(Filter::and([]))).await.len(), 3);
        assert_eq!(ids(&db, USER, run(Filter::not([]))).await.len(), 3);
        assert_eq!(ids(&db, USER, run(Filter::not([Filter::all()]))).await.len(), 3);
        assert!(ids(&db, USER, run(Filter::or([Filter::all()]))).await.is_empty());
        assert_eq!(
            ids(&db, USER, run(Filter::or([eq("u1"), Filter::and([])]))).await,
            ["u1"]
        );
        let none: Vec<Value> = vec![];
        assert!(ids(&db, USER, run(Filter::scalar(user::ID, ScalarOp::In(none.clone())))).await.is_empty());
        assert_eq!(ids(&db, USER, run(Filter::scalar(user::ID, ScalarOp::NotIn(none)))).await.len(), 3);
    }

    async fn in_with_null_is_rejected(backend) {
        let db = seeded(backend).await;
        let err = db
            .client
            .find_many(USER, FindManyArgs {
                filter: Filter::scalar(user::ID, ScalarOp::In(vec![Value::from("u1"), Value::Null])),
                selection: user_scalars(),
                ..FindManyArgs::default()
            })
            .await
            .unwrap_err();
        match err {
            orm_core::Error::InvalidQuery { model, field, .. } => {
                assert_eq!((model.as_str(), field.as_deref()), ("User", Some("id")));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    async fn not_excludes_null_rows(backend) {
        let db = seeded(backend).await;
        let args = FindManyArgs {
            filter: Filter::scalar(order::SKU, ScalarOp::NotEquals(Value::from("A"))),
            order_by: vec![OrderBy::field(order::ID, Direction::Asc)],
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, args).await, ["o3", "o4"]);
    }

    async fn contains_matches_wildcards_literally(backend) {
        let db = seeded(backend).await;
        let args = FindManyArgs {
            filter: Filter::scalar(order::SKU, ScalarOp::Contains("%".into())),
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, args).await, ["o4"]);
    }

    async fn negative_take_and_cursor(backend) {
        let db = seeded(backend).await;
        let page = |cursor: Option<&str>, skip: Option<i64>, take: i64| FindManyArgs {
            cursor: cursor.map(|c| Filter::equals(order::ID, c)),
            order_by: vec![OrderBy::field(order::ID, Direction::Asc)],
            skip,
            take: Some(take),
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, page(None, None, -2)).await, ["o3", "o4"]);
        assert_eq!(ids(&db, ORDER, page(None, Some(1), -2)).await, ["o2", "o3"]);
        assert_eq!(ids(&db, ORDER, page(Some("o2"), None, 2)).await, ["o2", "o3"]);
        assert_eq!(ids(&db, ORDER, page(Some("o2"), Some(1), 2)).await, ["o3", "o4"]);
        assert_eq!(ids(&db, ORDER, page(Some("o3"), None, -2)).await, ["o2", "o3"]);
        assert!(ids(&db, ORDER, page(Some("nope"), None, 2)).await.is_empty());
    }

    async fn nulls_first_and_last(backend) {
        let db = seeded(backend).await;
        let order = |nulls| FindManyArgs {
            order_by: vec![
                OrderBy::Field { path: vec![], field: order::SKU, direction: Direction::Asc, nulls: Some(nulls) },
                OrderBy::field(order::ID, Direction::Asc),
            ],
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, order(Nulls::First)).await, ["o2", "o1", "o4", "o3"]);
        assert_eq!(ids(&db, ORDER, order(Nulls::Last)).await, ["o1", "o4", "o3", "o2"]);
    }

    async fn relation_filters(backend) {
        let db = seeded(backend).await;
        let users = |filter| FindManyArgs {
            filter,
            order_by: vec![OrderBy::field(user::ID, Direction::Asc)],
            selection: user_scalars(),
            ..FindManyArgs::default()
        };
        let big = Filter::scalar(order::TOTAL, ScalarOp::Gt(Value::Int(15)));
        let rel = |f| Filter::relation(user::ORDERS, f);
        assert_eq!(ids(&db, USER, users(rel(RelationFilter::Some(Filter::all())))).await, ["u1", "u3"]);
        assert_eq!(ids(&db, USER, users(rel(RelationFilter::None(Filter::all())))).await, ["u2"]);
        assert_eq!(ids(&db, USER, users(rel(RelationFilter::Every(big.clone())))).await, ["u2", "u3"]);
        assert_eq!(ids(&db, USER, users(rel(RelationFilter::Every(Filter::all())))).await.len(), 3);
        let orders = FindManyArgs {
            filter: Filter::relation(order::USER, RelationFilter::Is(Filter::equals(user::EMAIL, "e@f.co"))),
            selection: order_scalars(),
            ..FindManyArgs::default()
        };
        assert_eq!(ids(&db, ORDER, orders).await, ["o4"]);
    }

    async fn include_loads_one_statement_per_level(backend) {
        let db = seeded(backend).await;
        let args = FindManyArgs {
            order_by: vec![OrderBy::field(user::ID, Direction::Asc)],
            selection: user_scalars().include(RelationSelection {
                field: user::ORDERS,
                args: FindManyArgs {
                    order_by: vec![OrderBy::field(order::TOTAL, Direction::Desc)],
                    take: Some(2),
                    selection: order_scalars().include(RelationSelection {
                        field: order::USER,
                        args: FindManyArgs { selection: user_scalars(), ..FindManyArgs::default() },
                    }),
                    ..FindManyArgs::default()
                },
            }),
            ..FindManyArgs::default()
        };
        let before = db.statements();
        let records = db.client.find_many(USER, args).await.unwrap();
        assert_eq!(db.statements() - before, 3, "one statement per level");
        let orders = &records.relations[0];
        assert_eq!(orders.offsets, vec![0, 2, 2, 3]);
        let order_ids: Vec<&Value> = orders.records.rows.rows().map(|r| &r.values()[0]).collect();
        assert_eq!(order_ids, [&Value::from("o3"), &Value::from("o2"), &Value::from("o4")]);
        let owners = &orders.records.relations[0];
        assert_eq!(owners.offsets, vec![0, 1, 2, 3]);
        let owner_ids: Vec<&Value> = owners.records.rows.rows().map(|r| &r.values()[0]).collect();
        assert_eq!(owner_ids, [&Value::from("u1"), &Value::from("u1"), &Value::from("u3")]);
    }

    async fn find_unique_or_throw_reports_not_found(backend) {
        let db = seeded(backend).await;
        let args = |id: &str| FindUniqueArgs {
            filter: Filter::equals(user::ID, id),
            selection: user_scalars().count(RelationCount { field: user::ORDERS, filter: Filter::all() }),
            ..FindUniqueArgs::default()
        };
        let found = db.client.find_unique_or_throw(USER, args("u1")).await.unwrap();
        assert_eq!(found.rows.rows().next().unwrap().values()[2], Value::BigInt(3));
        let err = db.client.find_unique_or_throw(USER, args("zz")).await.unwrap_err();
        assert_eq!(err.to_string(), "no `User` record was found for a query");
        assert_eq!(err.prisma_code(), Some("P2025"));
    }
}
