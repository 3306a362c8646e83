//! Diesel on PostgreSQL through diesel-async: `AsyncPgConnection` in a deadpool pool, the
//! query DSL over `table!` definitions of the seed schema, `belonging_to` + `grouped_by` for
//! the nested read. diesel-async caches the prepared statement of every query whose SQL does
//! not vary (all here but the 10,000-row insert).

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use peers_common::{Digest, Ops, OutOfStock, Result, data};

mod schema {
    diesel::table! {
        #[sql_name = "User"]
        users (id) {
            id -> Text,
            email -> Text,
            #[sql_name = "createdAt"]
            created_at -> Timestamp,
        }
    }

    diesel::table! {
        #[sql_name = "Order"]
        orders (id) {
            id -> Text,
            #[sql_name = "userId"]
            user_id -> Text,
            total -> Int4,
            sku -> Nullable<Text>,
        }
    }

    diesel::table! {
        #[sql_name = "Inventory"]
        inventory (sku) {
            sku -> Text,
            stock -> Int4,
        }
    }

    diesel::joinable!(orders -> users (user_id));
    diesel::allow_tables_to_appear_in_same_query!(users, orders, inventory);
}

use schema::{inventory, orders, users};

#[derive(Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
struct User {
    id: String,
    email: String,
    created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Associations, Insertable)]
#[diesel(table_name = orders, belongs_to(User), check_for_backend(diesel::pg::Pg))]
struct Order {
    id: String,
    user_id: String,
    total: i32,
    sku: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = inventory, check_for_backend(diesel::pg::Pg))]
struct Item {
    #[allow(dead_code)]
    sku: String,
    stock: i32,
}

impl User {
    fn digest(&self) -> Digest {
        Digest::user(&self.email, self.created_at.and_utc().timestamp_millis())
    }
}

/// A pool of `AsyncPgConnection`s.
pub struct DieselPg {
    pool: Pool<AsyncPgConnection>,
}

impl DieselPg {
    /// A pool of [`data::POOL_SIZE`] connections to `url`. Checkouts run no test query
    /// (`RecyclingMethod::Fast`; the default, `Verified`, adds a round trip to every one).
    ///
    /// # Errors
    ///
    /// The pool could not be built or could not connect.
    pub async fn connect(url: &str) -> Result<DieselPg> {
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::Fast;
        let manager = AsyncDieselConnectionManager::new_with_config(url, config);
        let pool = Pool::builder(manager)
            .max_size(usize::try_from(data::POOL_SIZE)?)
            .build()?;
        drop(pool.get().await?);
        Ok(DieselPg { pool })
    }
}

impl Ops for DieselPg {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let mut conn = self.pool.get().await?;
        let user: User = users::table
            .find(data::user_id(n % data::USERS))
            .select(User::as_select())
            .first(&mut conn)
            .await?;
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let mut conn = self.pool.get().await?;
        let users: Vec<User> = users::table
            .order(users::id)
            .limit(data::MANY)
            .select(User::as_select())
            .load(&mut conn)
            .await?;
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let mut conn = self.pool.get().await?;
        let users: Vec<User> = users::table
            .order(users::id)
            .limit(data::NESTED_USERS)
            .select(User::as_select())
            .load(&mut conn)
            .await?;
        let orders: Vec<Order> = Order::belonging_to(&users)
            .select(Order::as_select())
            .load(&mut conn)
            .await?;
        let nested: Vec<(User, Vec<Order>)> = orders
            .grouped_by(&users)
            .into_iter()
            .zip(users)
            .map(|(orders, user)| (user, orders))
            .collect();
        Ok(nested
            .iter()
            .map(|(user, orders)| {
                user.digest()
                    + orders
                        .iter()
                        .map(|o| {
                            Digest::order(&user.id, &o.id, &o.user_id, o.total, o.sku.as_deref())
                        })
                        .sum::<Digest>()
            })
            .sum())
    }

    async fn create(&self, n: u64) -> Result<Digest> {
        let mut conn = self.pool.get().await?;
        let user = User {
            id: cuid1::cuid(),
            email: data::new_email(n),
            created_at: Utc::now().naive_utc(),
        };
        let user: User = diesel::insert_into(users::table)
            .values(&user)
            .returning(User::as_returning())
            .get_result(&mut conn)
            .await?;
        Ok(Digest::created(&user.id))
    }

    async fn create_many(&self, n: u64) -> Result<Digest> {
        let now = Utc::now().naive_utc();
        let users: Vec<User> = (0..data::BULK)
            .map(|k| User {
                id: cuid1::cuid(),
                email: data::bulk_email(n, k),
                created_at: now,
            })
            .collect();
        let mut conn = self.pool.get().await?;
        let rows = diesel::insert_into(users::table)
            .values(&users)
            .execute(&mut conn)
            .await?;
        Ok(Digest::count(u64::try_from(rows)?))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let user_id = data::user_id(n % data::USERS);
        let mut conn = self.pool.get().await?;
        conn.transaction(async |conn| -> Result<Digest> {
            let item: Option<Item> = inventory::table
                .find(&sku)
                .select(Item::as_select())
                .first(conn)
                .await
                .optional()?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(OutOfStock.into());
            }
            diesel::update(inventory::table.find(&sku))
                .set(inventory::stock.eq(inventory::stock - 1))
                .execute(conn)
                .await?;
            let order = Order {
                id: cuid1::cuid(),
                user_id,
                total: data::ORDER_TOTAL,
                sku: Some(sku.clone()),
            };
            let rows = diesel::insert_into(orders::table)
                .values(&order)
                .execute(conn)
                .await?;
            Ok(Digest::count(u64::try_from(rows)?))
        })
        .await
    }
}
