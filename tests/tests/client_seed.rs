//! The seed schema (`shared/prisma-golden/seed/schema.prisma`) end to end through the typed
//! client, on PostgreSQL and SQLite: create users and orders, find a user with its orders
//! included, the payload type named in function signatures.

mod client_support;

use client_support::{Backend, database};

/// The suite, written once against the generated client of the module it is expanded in.
macro_rules! seed_suite {
    () => {
        use super::*;

        user::include!(pub UserWithOrders { orders });

        /// The payload type in a signature: what `Prisma.UserGetPayload<{ include: { orders:
        /// true } }>` names in TypeScript.
        async fn user_with_orders(
            prisma: &PrismaClient,
            email: &str,
        ) -> orm_core::Result<Option<UserWithOrders>> {
            prisma
                .user()
                .find_unique(user::email::equals(email))
                .include(UserWithOrders::args())
                .exec()
                .await
        }

        fn order_total(user: &UserWithOrders) -> i32 {
            user.orders.iter().map(|o| o.total).sum()
        }

        async fn client() -> (client_support::Db, PrismaClient) {
            let db = database(BACKEND, PrismaClient::schema()).await;
            let prisma = PrismaClient::from(db.client.clone());
            (db, prisma)
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn users_and_orders_round_trip_with_the_include_payload() {
            let (_db, prisma) = client().await;
            let ann = prisma
                .user()
                .create(user::Create { email: "ann@b.co".into() }.with(user::orders::create([
                    user::orders::Create { total: 10 }.with(order::sku::set("A-1")),
                ])))
                .exec()
                .await
                .unwrap();
            assert_eq!(ann.email, "ann@b.co");
            assert_eq!(ann.id.len(), 25, "cuid: {}", ann.id);
            let bob = prisma
                .user()
                .create(user::Create { email: "bob@b.co".into() })
                .exec()
                .await
                .unwrap();
            let orders = prisma
                .order()
                .create_many([
                    order::Create { user_id: ann.id.clone(), total: 20 },
                    order::Create { user_id: ann.id.clone(), total: 30 },
                ])
                .exec()
                .await
                .unwrap();
            assert_eq!(orders, 2);

            let found = user_with_orders(&prisma, "ann@b.co").await.unwrap().unwrap();
            assert_eq!(found.id, ann.id);
            assert_eq!(found.created_at, ann.created_at);
            assert_eq!(found.orders.len(), 3);
            assert!(found.orders.iter().all(|o| o.user_id == ann.id));
            assert_eq!(order_total(&found), 60);
            assert_eq!(
                found.orders.iter().filter(|o| o.sku.as_deref() == Some("A-1")).count(),
                1
            );

            let empty = user_with_orders(&prisma, "bob@b.co").await.unwrap().unwrap();
            assert_eq!(empty.id, bob.id);
            assert!(empty.orders.is_empty());
            assert!(user_with_orders(&prisma, "nobody@b.co").await.unwrap().is_none());
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn builders_run_in_batch_and_interactive_transactions() {
            let (_db, prisma) = client().await;
            let stock = |sku: &str, stock| inventory::Create { sku: sku.into(), stock };
            let (a, b) = prisma
                .batch((
                    prisma.inventory().create(stock("A", 2)),
                    prisma.inventory().create(stock("B", 0)),
                ))
                .await
                .unwrap();
            assert_eq!((a.sku.as_str(), a.stock, b.stock), ("A", 2, 0));

            let err = prisma
                .batch((
                    prisma.inventory().create(stock("C", 1)),
                    prisma.inventory().create(stock("A", 1)),
                ))
                .await
                .unwrap_err();
            assert!(matches!(err, orm_core::Error::UniqueViolation { .. }), "{err:?}");
            assert_eq!(prisma.inventory().count(vec![]).exec().await.unwrap(), 2);

            let left = prisma
                .transaction(|tx| async move {
                    let item = tx
                        .inventory()
                        .find_unique_or_throw(inventory::sku::equals("A"))
                        .exec()
                        .await?;
                    let updated = tx
                        .inventory()
                        .update(inventory::sku::equals("A"), vec![inventory::stock::decrement(1)])
                        .exec()
                        .await?;
                    assert_eq!(updated.stock, item.stock - 1);
                    Ok::<_, orm_core::Error>(updated.stock)
                })
                .await
                .unwrap();
            assert_eq!(left, 1);

            let failed: Result<(), orm_core::Error> = prisma
                .transaction(|tx| async move {
                    tx.inventory()
                        .update(inventory::sku::equals("A"), vec![inventory::stock::set(100)])
                        .exec()
                        .await?;
                    tx.inventory().find_unique_or_throw(inventory::sku::equals("Z")).exec().await?;
                    Ok(())
                })
                .await;
            let err = failed.unwrap_err();
            assert!(
                matches!(&err, orm_core::Error::NotFound { model, .. } if model == "Inventory"),
                "{err:?}"
            );
            let a = prisma.inventory().find_unique(inventory::sku::equals("A")).exec().await;
            assert_eq!(a.unwrap().unwrap().stock, 1, "rolled back");
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
