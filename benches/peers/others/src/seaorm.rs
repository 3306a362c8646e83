//! SeaORM on both databases: entities of the seed schema (`DeriveEntityModel`, relations
//! declared), queries through the entity API, `ActiveModel::insert` for a create (the row
//! back), `insert_many(..).exec_without_returning` for the bulk insert (a count, like
//! Prisma's `createMany`), the loader (`load_many`: one `IN` query) for the nested read,
//! `begin`/`commit` for the transaction. SeaORM runs on SQLx's pools; prepared statements are
//! cached per connection as in SQLx.
//!
//! The entities differ between the databases only in `createdAt`'s Rust type: PostgreSQL's
//! `TIMESTAMP(3)` has no time zone (`NaiveDateTime`), SQLite's text carries one.

/// Entities and the workloads for one database; `$created` is `createdAt`'s type, `$now` the
/// current time in it, `$millis` turns one into milliseconds since the epoch.
macro_rules! seaorm_library {
    ($created:ty, $now:expr, $millis:expr) => {
        use peers_common::{Digest, Ops, OutOfStock, Result, data};
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::{
            ActiveModelTrait, ColumnTrait, ConnectOptions, Database, DatabaseConnection,
            EntityTrait, LoaderTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
        };

        pub mod user {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = "User")]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub id: String,
                pub email: String,
                #[sea_orm(column_name = "createdAt")]
                pub created_at: $created,
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {
                #[sea_orm(has_many = "super::order::Entity")]
                Order,
            }

            impl Related<super::order::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::Order.def()
                }
            }

            impl ActiveModelBehavior for ActiveModel {}
        }

        pub mod order {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = "Order")]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub id: String,
                #[sea_orm(column_name = "userId")]
                pub user_id: String,
                pub total: i32,
                pub sku: Option<String>,
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {
                #[sea_orm(
                    belongs_to = "super::user::Entity",
                    from = "Column::UserId",
                    to = "super::user::Column::Id"
                )]
                User,
            }

            impl Related<super::user::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::User.def()
                }
            }

            impl ActiveModelBehavior for ActiveModel {}
        }

        pub mod inventory {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
            #[sea_orm(table_name = "Inventory")]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub sku: String,
                pub stock: i32,
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }

        fn user_digest(user: &user::Model) -> Digest {
            let millis: fn(&$created) -> i64 = $millis;
            Digest::user(&user.email, millis(&user.created_at))
        }

        /// A `DatabaseConnection` (SQLx's pool underneath).
        pub struct SeaOrm {
            db: DatabaseConnection,
        }

        impl SeaOrm {
            /// A pool of [`data::POOL_SIZE`] connections to `url`, no ping on acquire (SQLx's
            /// default pings every connection it hands out), no statement logging.
            ///
            /// # Errors
            ///
            /// The pool could not connect.
            pub async fn connect(url: &str) -> Result<SeaOrm> {
                let mut options = ConnectOptions::new(url);
                options
                    .max_connections(data::POOL_SIZE)
                    .test_before_acquire(false)
                    .sqlx_logging(false);
                Ok(SeaOrm {
                    db: Database::connect(options).await?,
                })
            }
        }

        impl Ops for SeaOrm {
            async fn find_unique(&self, n: u64) -> Result<Digest> {
                let user = user::Entity::find_by_id(data::user_id(n % data::USERS))
                    .one(&self.db)
                    .await?
                    .ok_or("no such user")?;
                Ok(user_digest(&user))
            }

            async fn find_many(&self) -> Result<Digest> {
                let users = user::Entity::find()
                    .order_by_asc(user::Column::Id)
                    .limit(u64::try_from(data::MANY)?)
                    .all(&self.db)
                    .await?;
                Ok(users.iter().map(user_digest).sum())
            }

            async fn nested(&self) -> Result<Digest> {
                let users = user::Entity::find()
                    .order_by_asc(user::Column::Id)
                    .limit(u64::try_from(data::NESTED_USERS)?)
                    .all(&self.db)
                    .await?;
                let orders = users.load_many(order::Entity, &self.db).await?;
                let nested: Vec<(user::Model, Vec<order::Model>)> =
                    users.into_iter().zip(orders).collect();
                Ok(nested
                    .iter()
                    .map(|(user, orders)| {
                        user_digest(user)
                            + orders
                                .iter()
                                .map(|o| {
                                    Digest::order(
                                        &user.id,
                                        &o.id,
                                        &o.user_id,
                                        o.total,
                                        o.sku.as_deref(),
                                    )
                                })
                                .sum::<Digest>()
                    })
                    .sum())
            }

            async fn create(&self, n: u64) -> Result<Digest> {
                let user = user::ActiveModel {
                    id: Set(cuid1::cuid()),
                    email: Set(data::new_email(n)),
                    created_at: Set($now),
                }
                .insert(&self.db)
                .await?;
                Ok(Digest::created(&user.id))
            }

            async fn create_many(&self, n: u64) -> Result<Digest> {
                let now = $now;
                let users = (0..data::BULK).map(|k| user::ActiveModel {
                    id: Set(cuid1::cuid()),
                    email: Set(data::bulk_email(n, k)),
                    created_at: Set(now),
                });
                let rows = user::Entity::insert_many(users)
                    .exec_without_returning(&self.db)
                    .await?;
                Ok(Digest::count(rows))
            }

            async fn transaction(&self, n: u64) -> Result<Digest> {
                let sku = data::sku(n);
                let txn = self.db.begin().await?;
                let item = inventory::Entity::find_by_id(sku.clone()).one(&txn).await?;
                if item.is_none_or(|item| item.stock < 1) {
                    return Err(OutOfStock.into());
                }
                inventory::Entity::update_many()
                    .col_expr(
                        inventory::Column::Stock,
                        Expr::col(inventory::Column::Stock).sub(1),
                    )
                    .filter(inventory::Column::Sku.eq(sku.as_str()))
                    .exec(&txn)
                    .await?;
                let order = order::ActiveModel {
                    id: Set(cuid1::cuid()),
                    user_id: Set(data::user_id(n % data::USERS)),
                    total: Set(data::ORDER_TOTAL),
                    sku: Set(Some(sku)),
                };
                let rows = order::Entity::insert(order)
                    .exec_without_returning(&txn)
                    .await?;
                txn.commit().await?;
                Ok(Digest::count(rows))
            }
        }
    };
}

/// On PostgreSQL.
pub mod postgres {
    seaorm_library!(
        chrono::NaiveDateTime,
        chrono::Utc::now().naive_utc(),
        |at| at.and_utc().timestamp_millis()
    );
}

/// On SQLite.
pub mod sqlite {
    seaorm_library!(chrono::DateTime<chrono::Utc>, chrono::Utc::now(), |at| at
        .timestamp_millis());
}
