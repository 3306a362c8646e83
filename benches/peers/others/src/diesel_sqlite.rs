//! Diesel on SQLite: the synchronous `SqliteConnection` in an r2d2 pool, called on the task's
//! own thread as Diesel's SQLite users call it (like the raw rusqlite baseline), the query
//! DSL over `table!` definitions of the seed schema, `belonging_to` + `grouped_by` for the
//! nested read. Diesel caches the prepared statement of every query whose SQL does not vary.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use peers_common::{Digest, Ops, OutOfStock, Result, data};

mod schema {
    diesel::table! {
        #[sql_name = "User"]
        users (id) {
            id -> Text,
            email -> Text,
            #[sql_name = "createdAt"]
            created_at -> TimestamptzSqlite,
        }
    }

    diesel::table! {
        #[sql_name = "Order"]
        orders (id) {
            id -> Text,
            #[sql_name = "userId"]
            user_id -> Text,
            total -> Integer,
            sku -> Nullable<Text>,
        }
    }

    diesel::table! {
        #[sql_name = "Inventory"]
        inventory (sku) {
            sku -> Text,
            stock -> Integer,
        }
    }

    diesel::joinable!(orders -> users (user_id));
    diesel::allow_tables_to_appear_in_same_query!(users, orders, inventory);
}

use schema::{inventory, orders, users};

#[derive(Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::sqlite::Sqlite))]
struct User {
    id: String,
    email: String,
    created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Identifiable, Associations, Insertable)]
#[diesel(table_name = orders, belongs_to(User), check_for_backend(diesel::sqlite::Sqlite))]
struct Order {
    id: String,
    user_id: String,
    total: i32,
    sku: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = inventory, check_for_backend(diesel::sqlite::Sqlite))]
struct Item {
    #[allow(dead_code)]
    sku: String,
    stock: i32,
}

impl User {
    fn digest(&self) -> Digest {
        Digest::user(&self.email, self.created_at.timestamp_millis())
    }
}

/// The settings every library here uses (SQLite leaves foreign keys off by default).
#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// An r2d2 pool of `SqliteConnection`s.
pub struct DieselSqlite {
    pool: Pool<ConnectionManager<SqliteConnection>>,
}

impl DieselSqlite {
    /// A pool of [`data::POOL_SIZE`] connections to the file at `path`. Checkouts run no
    /// test query (r2d2's default runs one on every checkout).
    ///
    /// # Errors
    ///
    /// The pool could not open the file.
    pub fn open(path: &str) -> Result<DieselSqlite> {
        let pool = Pool::builder()
            .max_size(data::POOL_SIZE)
            .test_on_check_out(false)
            .connection_customizer(Box::new(Pragmas))
            .build(ConnectionManager::new(path))?;
        Ok(DieselSqlite { pool })
    }
}

impl Ops for DieselSqlite {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let mut conn = self.pool.get()?;
        let user: User = users::table
            .find(data::user_id(n % data::USERS))
            .select(User::as_select())
            .first(&mut conn)?;
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let mut conn = self.pool.get()?;
        let users: Vec<User> = users::table
            .order(users::id)
            .limit(data::MANY)
            .select(User::as_select())
            .load(&mut conn)?;
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let mut conn = self.pool.get()?;
        let users: Vec<User> = users::table
            .order(users::id)
            .limit(data::NESTED_USERS)
            .select(User::as_select())
            .load(&mut conn)?;
        let orders: Vec<Order> = Order::belonging_to(&users)
            .select(Order::as_select())
            .load(&mut conn)?;
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
        let mut conn = self.pool.get()?;
        let user = User {
            id: cuid1::cuid(),
            email: data::new_email(n),
            created_at: Utc::now(),
        };
        let user: User = diesel::insert_into(users::table)
            .values(&user)
            .returning(User::as_returning())
            .get_result(&mut conn)?;
        Ok(Digest::created(&user.id))
    }

    async fn create_many(&self, n: u64) -> Result<Digest> {
        let now = Utc::now();
        let users: Vec<User> = (0..data::BULK)
            .map(|k| User {
                id: cuid1::cuid(),
                email: data::bulk_email(n, k),
                created_at: now,
            })
            .collect();
        let mut conn = self.pool.get()?;
        let rows = diesel::insert_into(users::table)
            .values(&users)
            .execute(&mut conn)?;
        Ok(Digest::count(u64::try_from(rows)?))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let user_id = data::user_id(n % data::USERS);
        let mut conn = self.pool.get()?;
        conn.transaction(|conn| -> Result<Digest> {
            let item: Option<Item> = inventory::table
                .find(&sku)
                .select(Item::as_select())
                .first(conn)
                .optional()?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(OutOfStock.into());
            }
            diesel::update(inventory::table.find(&sku))
                .set(inventory::stock.eq(inventory::stock - 1))
                .execute(conn)?;
            let order = Order {
                id: cuid1::cuid(),
                user_id,
                total: data::ORDER_TOTAL,
                sku: Some(sku.clone()),
            };
            let rows = diesel::insert_into(orders::table)
                .values(&order)
                .execute(conn)?;
            Ok(Digest::count(u64::try_from(rows)?))
        })
    }
}
