//! SQLx on PostgreSQL: a `PgPool`, hand-written SQL through `query_as` into `FromRow`
//! structs (the checked `query_as!` macros expand to the same calls but need a database at
//! compile time), prepared statements cached per connection (SQLx's default). The nested read
//! is two queries stitched by hand; the bulk insert uses `UNNEST`, as SQLx's FAQ recommends
//! on PostgreSQL.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{NaiveDateTime, Utc};
use peers_common::{Digest, Ops, OutOfStock, Result, data};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, FromRow};

#[derive(FromRow)]
struct User {
    id: String,
    email: String,
    #[sqlx(rename = "createdAt")]
    created_at: NaiveDateTime,
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
        Digest::user(&self.email, self.created_at.and_utc().timestamp_millis())
    }
}

/// A `PgPool`.
pub struct SqlxPg {
    pool: PgPool,
}

impl SqlxPg {
    /// A pool of [`data::POOL_SIZE`] connections to `url`. Acquiring runs no ping (SQLx's
    /// default pings every connection it hands out, a round trip each), and statements are not
    /// logged (no logger is installed either way).
    ///
    /// # Errors
    ///
    /// The URL is invalid or the pool could not connect.
    pub async fn connect(url: &str) -> Result<SqlxPg> {
        let options = PgConnectOptions::from_str(url)?.log_statements(log::LevelFilter::Off);
        let pool = PgPoolOptions::new()
            .max_connections(data::POOL_SIZE)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(SqlxPg { pool })
    }
}

impl Ops for SqlxPg {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let user: User =
            sqlx::query_as(r#"SELECT "id", "email", "createdAt" FROM "User" WHERE "id" = $1"#)
                .bind(data::user_id(n % data::USERS))
                .fetch_one(&self.pool)
                .await?;
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let users: Vec<User> = sqlx::query_as(
            r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT $1"#,
        )
        .bind(data::MANY)
        .fetch_all(&self.pool)
        .await?;
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let users: Vec<User> = sqlx::query_as(
            r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT $1"#,
        )
        .bind(data::NESTED_USERS)
        .fetch_all(&self.pool)
        .await?;
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        let orders: Vec<Order> = sqlx::query_as(
            r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" = ANY($1)"#,
        )
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
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
            r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES ($1, $2, $3)
               RETURNING "id", "email", "createdAt""#,
        )
        .bind(cuid1::cuid())
        .bind(data::new_email(n))
        .bind(Utc::now().naive_utc())
        .fetch_one(&self.pool)
        .await?;
        Ok(Digest::created(&user.id))
    }

    async fn create_many(&self, n: u64) -> Result<Digest> {
        let now = Utc::now().naive_utc();
        let count = usize::try_from(data::BULK)?;
        let mut ids = Vec::with_capacity(count);
        let mut emails = Vec::with_capacity(count);
        for k in 0..data::BULK {
            ids.push(cuid1::cuid());
            emails.push(data::bulk_email(n, k));
        }
        let created = vec![now; count];
        let result = sqlx::query(
            r#"INSERT INTO "User" ("id", "email", "createdAt")
               SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamp(3)[])"#,
        )
        .bind(&ids)
        .bind(&emails)
        .bind(&created)
        .execute(&self.pool)
        .await?;
        Ok(Digest::count(result.rows_affected()))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let mut tx = self.pool.begin().await?;
        let item: Option<(String, i32)> =
            sqlx::query_as(r#"SELECT "sku", "stock" FROM "Inventory" WHERE "sku" = $1"#)
                .bind(&sku)
                .fetch_optional(&mut *tx)
                .await?;
        if item.is_none_or(|(_, stock)| stock < 1) {
            return Err(OutOfStock.into());
        }
        sqlx::query(r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = $1"#)
            .bind(&sku)
            .execute(&mut *tx)
            .await?;
        let result = sqlx::query(
            r#"INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES ($1, $2, $3, $4)"#,
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
