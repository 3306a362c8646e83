//! SQLx on SQLite: a `SqlitePool` (each connection on its own worker thread, as SQLx runs
//! SQLite), hand-written SQL through `query_as` into `FromRow` structs, prepared statements
//! cached per connection (SQLx's default). The nested read is two queries stitched by hand,
//! the second's `IN` list and the bulk insert's `VALUES` built with `QueryBuilder`, as SQLx's
//! documentation shows.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use peers_common::{Digest, Ops, OutOfStock, Result, data};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{ConnectOptions, FromRow, QueryBuilder, Sqlite};

#[derive(FromRow)]
struct User {
    id: String,
    email: String,
    #[sqlx(rename = "createdAt")]
    created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct Order {
    id: String,
    #[sqlx(rename = "userId")]
    user_id: String,
    total: i32,
    sku: Option<String>,
}

impl User {
    fn digest(&self) -> Digest {
        Digest::user(&self.email, self.created_at.timestamp_millis())
    }
}

/// A `SqlitePool`.
pub struct SqlxSqlite {
    pool: SqlitePool,
}

impl SqlxSqlite {
    /// A pool of [`data::POOL_SIZE`] connections to the file at `path`: foreign keys on and a
    /// 5 s busy timeout (SQLx's defaults), the file's journal mode (WAL), no ping on acquire
    /// (SQLx's default pings every connection it hands out), no statement logging.
    ///
    /// # Errors
    ///
    /// The pool could not open the file.
    pub async fn open(path: &str) -> Result<SqlxSqlite> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .log_statements(log::LevelFilter::Off);
        let pool = SqlitePoolOptions::new()
            .max_connections(data::POOL_SIZE)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(SqlxSqlite { pool })
    }
}

impl Ops for SqlxSqlite {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let user: User =
            sqlx::query_as(r#"SELECT "id", "email", "createdAt" FROM "User" WHERE "id" = ?1"#)
                .bind(data::user_id(n % data::USERS))
                .fetch_one(&self.pool)
                .await?;
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let users: Vec<User> = sqlx::query_as(
            r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT ?1"#,
        )
        .bind(data::MANY)
        .fetch_all(&self.pool)
        .await?;
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let users: Vec<User> = sqlx::query_as(
            r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT ?1"#,
        )
        .bind(data::NESTED_USERS)
        .fetch_all(&self.pool)
        .await?;
        let mut query = QueryBuilder::<Sqlite>::new(
            r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" IN ("#,
        );
        let mut ids = query.separated(", ");
        for user in &users {
            ids.push_bind(user.id.as_str());
        }
        ids.push_unseparated(")");
        let orders: Vec<Order> = query.build_query_as().fetch_all(&self.pool).await?;
        let mut by_user: HashMap<String, Vec<Order>> = HashMap::with_capacity(users.len());
        for order in orders {
            by_user
                .entry(order.user_id.clone())
                .or_default()
                .push(order);
        }
        let nested: Vec<(User, Vec<Order>)> = users
            .into_iter()
            .map(|user| {
                let orders = by_user.remove(&user.id).unwrap_or_default();
                (user, orders)
            })
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
        let user: User = sqlx::query_as(
            r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES (?1, ?2, ?3)
               RETURNING "id", "email", "createdAt""#,
        )
        .bind(cuid1::cuid())
        .bind(data::new_email(n))
        .bind(Utc::now())
        .fetch_one(&self.pool)
        .await?;
        Ok(Digest::created(&user.id))
    }

    async fn create_many(&self, n: u64) -> Result<Digest> {
        let now = Utc::now();
        let mut query =
            QueryBuilder::<Sqlite>::new(r#"INSERT INTO "User" ("id", "email", "createdAt") "#);
        query.push_values(0..data::BULK, |mut row, k| {
            row.push_bind(cuid1::cuid())
                .push_bind(data::bulk_email(n, k))
                .push_bind(now);
        });
        let result = query.build().execute(&self.pool).await?;
        Ok(Digest::count(result.rows_affected()))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let mut tx = self.pool.begin().await?;
        let item: Option<(String, i32)> =
            sqlx::query_as(r#"SELECT "sku", "stock" FROM "Inventory" WHERE "sku" = ?1"#)
                .bind(&sku)
                .fetch_optional(&mut *tx)
                .await?;
        if item.is_none_or(|(_, stock)| stock < 1) {
            return Err(OutOfStock.into());
        }
        sqlx::query(r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = ?1"#)
            .bind(&sku)
            .execute(&mut *tx)
            .await?;
        let result = sqlx::query(
            r#"INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES (?1, ?2, ?3, ?4)"#,
        )
        .bind(cuid1::cuid())
        .bind(data::user_id(n % data::USERS))
        .bind(data::ORDER_TOTAL)
        .bind(&sku)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Digest::count(result.rows_affected()))
    }
}
