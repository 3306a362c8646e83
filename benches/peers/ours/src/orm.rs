//! This project, through the typed client `prisma_schema!` generates from the seed schema
//! (the same schema file Prisma 7 used for the golden migrations), as an application would
//! write it.

/// The workloads against the `PrismaClient` of the module this expands in.
macro_rules! orm_ops {
    () => {
        use peers_common::{Digest, Ops, OutOfStock, Result, data};

        user::include!(pub UserWithOrders { orders });

        /// The typed client.
        pub struct Orm {
            prisma: PrismaClient,
        }

        fn user_digest(user: &User) -> Digest {
            Digest::user(&user.email, user.created_at.timestamp_millis())
        }

        impl Ops for Orm {
            async fn find_unique(&self, n: u64) -> Result<Digest> {
                let user = self
                    .prisma
                    .user()
                    .find_unique(user::id::equals(data::user_id(n % data::USERS)))
                    .exec()
                    .await?
                    .ok_or("no such user")?;
                Ok(user_digest(&user))
            }

            async fn find_many(&self) -> Result<Digest> {
                let users = self
                    .prisma
                    .user()
                    .find_many(vec![])
                    .order_by(user::id::asc())
                    .take(data::MANY)
                    .exec()
                    .await?;
                Ok(users.iter().map(user_digest).sum())
            }

            async fn nested(&self) -> Result<Digest> {
                let users = self
                    .prisma
                    .user()
                    .find_many(vec![])
                    .order_by(user::id::asc())
                    .take(data::NESTED_USERS)
                    .include(UserWithOrders::args())
                    .exec()
                    .await?;
                Ok(users
                    .iter()
                    .map(|u| {
                        Digest::user(&u.email, u.created_at.timestamp_millis())
                            + u.orders
                                .iter()
                                .map(|o| Digest::order(&u.id, &o.id, &o.user_id, o.total, o.sku.as_deref()))
                                .sum::<Digest>()
                    })
                    .sum())
            }

            async fn create(&self, n: u64) -> Result<Digest> {
                let user = self
                    .prisma
                    .user()
                    .create(user::Create { email: data::new_email(n) })
                    .exec()
                    .await?;
                Ok(Digest::created(&user.id))
            }

            async fn create_many(&self, n: u64) -> Result<Digest> {
                let count = self
                    .prisma
                    .user()
                    .create_many((0..data::BULK).map(|k| user::Create { email: data::bulk_email(n, k) }))
                    .exec()
                    .await?;
                Ok(Digest::count(u64::try_from(count)?))
            }

            async fn transaction(&self, n: u64) -> Result<Digest> {
                let sku = data::sku(n);
                let user_id = data::user_id(n % data::USERS);
                self.prisma
                    .transaction(|tx| async move {
                        let item = tx
                            .inventory()
                            .find_unique(inventory::sku::equals(sku.clone()))
                            .exec()
                            .await?;
                        if item.is_none_or(|item| item.stock < 1) {
                            return Err(OutOfStock.into());
                        }
                        tx.inventory()
                            .update(
                                inventory::sku::equals(sku.clone()),
                                vec![inventory::stock::decrement(1)],
                            )
                            .exec()
                            .await?;
                        tx.order()
                            .create(
                                order::Create { user_id, total: data::ORDER_TOTAL }
                                    .with(order::sku::set(sku)),
                            )
                            .exec()
                            .await?;
                        Ok::<_, peers_common::Error>(Digest::count(1))
                    })
                    .await
            }
        }
    };
}

/// On PostgreSQL: `PgAdapter` (deadpool, its statement cache).
pub mod postgres {
    orm_core::prisma_schema!("../../../../shared/prisma-golden/seed/postgresql/schema.prisma");

    orm_ops!();

    impl Orm {
        /// A client on `url` with a pool of [`data::POOL_SIZE`] connections, no TLS.
        ///
        /// # Errors
        ///
        /// The adapter could not connect.
        pub async fn connect(url: &str) -> Result<Orm> {
            let separator = if url.contains('?') { '&' } else { '?' };
            let url = format!(
                "{url}{separator}connection_limit={}&sslmode=disable",
                data::POOL_SIZE
            );
            let adapter = orm_pg::PgAdapter::connect(&url).await?;
            Ok(Orm {
                prisma: PrismaClient::new(adapter),
            })
        }
    }
}

/// On SQLite: `SqliteAdapter` (one writer and readers, rusqlite statement caches).
pub mod sqlite {
    orm_core::prisma_schema!("../../../../shared/prisma-golden/seed/sqlite/schema.prisma");

    orm_ops!();

    impl Orm {
        /// A client on the file at `path` with a pool of [`data::POOL_SIZE`] connections.
        ///
        /// # Errors
        ///
        /// The adapter could not open the file.
        pub async fn open(path: &str) -> Result<Orm> {
            let url = format!("file:{path}?connection_limit={}", data::POOL_SIZE);
            let adapter = orm_sqlite::SqliteAdapter::open(&url).await?;
            Ok(Orm {
                prisma: PrismaClient::new(adapter),
            })
        }
    }
}
