//! Engine writes against real PostgreSQL and SQLite: create with defaults, createMany,
//! update with atomic operations, upsert, delete, nested writes and their atomicity, errors.

mod engine_support;

use engine_support::*;
use orm_core::Value;
use orm_core::engine::*;
use orm_core::query::Direction;

fn user_data(email: &str) -> CreateData {
    CreateData {
        scalars: vec![(user::EMAIL, Value::from(email))],
        relations: vec![],
    }
}

fn order_data(total: i32) -> CreateData {
    CreateData {
        scalars: vec![(order::TOTAL, Value::Int(total))],
        relations: vec![],
    }
}

fn all_users() -> Selection {
    Selection::scalars(vec![user::ID, user::EMAIL, user::CREATED_AT])
}

async fn count(db: &Db, model: ModelId) -> usize {
    db.client
        .find_many(
            model,
            FindManyArgs {
                selection: Selection::scalars(vec![FieldId::new(model, 0)]),
                ..FindManyArgs::default()
            },
        )
        .await
        .unwrap()
        .len()
}

both_backends! {
    async fn create_applies_client_defaults(backend) {
        let db = Db::seed_schema(backend).await;
        let records = db
            .client
            .create(USER, CreateArgs { data: user_data("a@b.co"), selection: all_users() })
            .await
            .unwrap();
        let row = records.rows.rows().next().unwrap();
        let Value::String(id) = &row.values()[0] else { panic!("id {:?}", row.values()[0]) };
        assert_eq!(id.len(), 25, "cuid v1: {id}");
        assert!(id.starts_with('c'));
        let Value::DateTime(created) = &row.values()[2] else { panic!("createdAt {:?}", row.values()[2]) };
        assert_eq!(created.timestamp_subsec_nanos() % 1_000_000, 0, "millisecond precision");
        assert!((chrono::Utc::now() - *created).num_seconds().abs() < 60);
    }

    async fn create_reports_missing_required_field(backend) {
        let db = Db::seed_schema(backend).await;
        let err = db
            .client
            .create(USER, CreateArgs { data: CreateData::default(), selection: all_users() })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, orm_core::Error::InvalidQuery { field: Some(f), .. } if f == "email"),
            "{err:?}"
        );
    }

    async fn unique_violation_names_model_and_fields(backend) {
        let db = Db::seed_schema(backend).await;
        let args = || CreateArgs { data: user_data("a@b.co"), selection: all_users() };
        db.client.create(USER, args()).await.unwrap();
        let err = db.client.create(USER, args()).await.unwrap_err();
        match &err {
            orm_core::Error::UniqueViolation { model, fields, .. } => {
                assert_eq!(model.as_deref(), Some("User"));
                assert_eq!(fields, &["email"]);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(err.prisma_code(), Some("P2002"));
    }

    async fn nested_create_and_include(backend) {
        let db = Db::seed_schema(backend).await;
        let mut data = user_data("a@b.co");
        data.relations.push((user::ORDERS, NestedWrite::Create(vec![order_data(5), order_data(7)])));
        let records = db
            .client
            .create(USER, CreateArgs {
                data,
                selection: all_users().include(RelationSelection {
                    field: user::ORDERS,
                    args: FindManyArgs {
                        order_by: vec![OrderBy::field(order::TOTAL, Direction::Asc)],
                        selection: Selection::scalars(vec![order::TOTAL, order::USER_ID]),
                        ..FindManyArgs::default()
                    },
                }),
            })
            .await
            .unwrap();
        let user_id = records.rows.rows().next().unwrap().values()[0].clone();
        let orders = &records.relations[0];
        assert_eq!(orders.offsets, vec![0, 2]);
        let rows: Vec<Vec<Value>> = orders.records.rows.rows().map(|r| r.values().to_vec()).collect();
        assert_eq!(rows, vec![vec![Value::Int(5), user_id.clone()], vec![Value::Int(7), user_id]]);
    }

    async fn nested_connect_to_a_missing_row_writes_nothing(backend) {
        let db = Db::seed_schema(backend).await;
        let data = CreateData {
            scalars: vec![(order::TOTAL, Value::Int(1))],
            relations: vec![(order::USER, NestedWrite::Connect(vec![Filter::equals(user::ID, "nope")]))],
        };
        let err = db
            .client
            .create(ORDER, CreateArgs { data, selection: Selection::scalars(vec![order::ID]) })
            .await
            .unwrap_err();
        assert!(matches!(&err, orm_core::Error::NotFound { model, .. } if model == "User"), "{err:?}");
        // A nested create that fails halfway leaves nothing behind.
        let mut data = user_data("x@y.co");
        data.relations.push((
            user::ORDERS,
            NestedWrite::Connect(vec![Filter::equals(order::ID, "missing")]),
        ));
        let err = db.client.create(USER, CreateArgs { data, selection: all_users() }).await.unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2025"));
        assert_eq!(count(&db, USER).await, 0, "the user insert was rolled back");
    }

    async fn update_with_atomic_operations_and_not_found(backend) {
        let db = Db::seed_schema(backend).await;
        db.exec(r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ('a', 3)"#).await;
        let update = |op: UpdateOp, sku: &str| UpdateArgs {
            filter: Filter::equals(inventory::SKU, sku),
            data: UpdateData { scalars: vec![(inventory::STOCK, op)], relations: vec![] },
            selection: Selection::scalars(vec![inventory::STOCK]),
        };
        let stock = |r: Records| r.rows.rows().next().unwrap().values()[0].clone();
        assert_eq!(stock(db.client.update(INVENTORY, update(UpdateOp::Increment(Value::Int(4)), "a")).await.unwrap()), Value::Int(7));
        assert_eq!(stock(db.client.update(INVENTORY, update(UpdateOp::Divide(Value::Int(2)), "a")).await.unwrap()), Value::Int(3));
        assert_eq!(stock(db.client.update(INVENTORY, update(UpdateOp::Multiply(Value::Int(5)), "a")).await.unwrap()), Value::Int(15));
        assert_eq!(stock(db.client.update(INVENTORY, update(UpdateOp::Decrement(Value::Int(1)), "a")).await.unwrap()), Value::Int(14));
        let err = db.client.update(INVENTORY, update(UpdateOp::Set(Value::Int(1)), "zz")).await.unwrap_err();
        assert_eq!(err.to_string(), "no `Inventory` record was found for an update");
    }

    async fn upsert_creates_then_updates(backend) {
        let db = Db::seed_schema(backend).await;
        let args = || UpsertArgs {
            filter: Filter::equals(inventory::SKU, "a"),
            create: CreateData {
                scalars: vec![(inventory::SKU, Value::from("a")), (inventory::STOCK, Value::Int(1))],
                relations: vec![],
            },
            update: UpdateData {
                scalars: vec![(inventory::STOCK, UpdateOp::Increment(Value::Int(10)))],
                relations: vec![],
            },
            selection: Selection::scalars(vec![inventory::STOCK]),
        };
        let stock = |r: Records| r.rows.rows().next().unwrap().values()[0].clone();
        let before = db.statements();
        assert_eq!(stock(db.client.upsert(INVENTORY, args()).await.unwrap()), Value::Int(1));
        assert_eq!(db.statements() - before, 1, "a native upsert is one statement");
        assert_eq!(stock(db.client.upsert(INVENTORY, args()).await.unwrap()), Value::Int(11));
    }

    async fn create_many_splits_at_the_bind_limit_in_one_transaction(backend) {
        let db = Db::seed_schema(backend).await;
        let data: Vec<CreateData> = (0..12_000)
            .map(|i| CreateData {
                scalars: vec![(inventory::SKU, Value::from(format!("s{i}"))), (inventory::STOCK, Value::Int(i))],
                relations: vec![],
            })
            .collect();
        let n = db
            .client
            .create_many(INVENTORY, CreateManyArgs { data, ..CreateManyArgs::default() })
            .await
            .unwrap();
        assert_eq!(n, 12_000);
        assert_eq!(count(&db, INVENTORY).await, 12_000);
        // A duplicate anywhere rolls every part back.
        let data: Vec<CreateData> = (0..40_000)
            .map(|i| CreateData {
                scalars: vec![(inventory::SKU, Value::from(format!("t{}", i.min(39_998)))), (inventory::STOCK, Value::Int(i))],
                relations: vec![],
            })
            .collect();
        let err = db
            .client
            .create_many(INVENTORY, CreateManyArgs { data, ..CreateManyArgs::default() })
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2002"));
        assert_eq!(count(&db, INVENTORY).await, 12_000);
    }

    async fn create_many_skip_duplicates(backend) {
        let db = Db::seed_schema(backend).await;
        db.exec(r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ('a', 3)"#).await;
        let data = ["a", "b", "c"]
            .iter()
            .map(|s| CreateData { scalars: vec![(inventory::SKU, Value::from(*s)), (inventory::STOCK, Value::Int(0))], relations: vec![] })
            .collect();
        let n = db
            .client
            .create_many(INVENTORY, CreateManyArgs { data, skip_duplicates: true, ..CreateManyArgs::default() })
            .await
            .unwrap();
        assert_eq!(n, 2);
    }

    async fn delete_returns_the_record_and_cascades(backend) {
        let db = Db::seed_schema(backend).await;
        let mut data = user_data("a@b.co");
        data.relations.push((user::ORDERS, NestedWrite::Create(vec![order_data(5)])));
        db.client.create(USER, CreateArgs { data, selection: all_users() }).await.unwrap();
        let deleted = db
            .client
            .delete(USER, DeleteArgs { filter: Filter::equals(user::EMAIL, "a@b.co"), selection: all_users() })
            .await
            .unwrap();
        assert_eq!(deleted.len(), 1);
        assert_eq!(count(&db, ORDER).await, 0, "orders cascade");
        let err = db
            .client
            .delete(USER, DeleteArgs { filter: Filter::equals(user::EMAIL, "a@b.co"), selection: all_users() })
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "no `User` record was found for a delete");
        assert_eq!(db.client.delete_many(USER, Filter::all()).await.unwrap(), 0);
    }

    async fn nested_update_writes(backend) {
        let db = Db::seed_schema(backend).await;
        let mut data = user_data("a@b.co");
        data.relations.push((user::ORDERS, NestedWrite::Create(vec![order_data(1), order_data(2), order_data(3)])));
        db.client.create(USER, CreateArgs { data, selection: all_users() }).await.unwrap();
        let update = UpdateArgs {
            filter: Filter::equals(user::EMAIL, "a@b.co"),
            data: UpdateData {
                scalars: vec![],
                relations: vec![(
                    user::ORDERS,
                    NestedWrite::UpdateMany(vec![(
                        Filter::scalar(order::TOTAL, ScalarOp::Gte(Value::Int(2))),
                        UpdateData { scalars: vec![(order::TOTAL, UpdateOp::Multiply(Value::Int(10)))], relations: vec![] },
                    )]),
                )],
            },
            selection: all_users().include(RelationSelection {
                field: user::ORDERS,
                args: FindManyArgs {
                    order_by: vec![OrderBy::field(order::TOTAL, Direction::Asc)],
                    selection: Selection::scalars(vec![order::TOTAL]),
                    ..FindManyArgs::default()
                },
            }),
        };
        let records = db.client.update(USER, update).await.unwrap();
        let totals: Vec<Value> = records.relations[0].records.rows.rows().map(|r| r.values()[0].clone()).collect();
        assert_eq!(totals, vec![Value::Int(1), Value::Int(20), Value::Int(30)]);
        let delete = UpdateArgs {
            filter: Filter::equals(user::EMAIL, "a@b.co"),
            data: UpdateData {
                scalars: vec![],
                relations: vec![(user::ORDERS, NestedWrite::DeleteMany(vec![Filter::scalar(order::TOTAL, ScalarOp::Gt(Value::Int(10)))]))],
            },
            selection: all_users(),
        };
        db.client.update(USER, delete).await.unwrap();
        assert_eq!(count(&db, ORDER).await, 1);
    }
}
