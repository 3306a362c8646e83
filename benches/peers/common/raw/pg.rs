//! The raw driver on PostgreSQL: tokio-postgres on one connection, every statement prepared
//! once up front, rows decoded into plain structs. The floor the libraries are measured
//! against. Compiled into both benchmark binaries (`#[path]`), so the control in the peers'
//! process runs exactly this code.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use peers_common::{Digest, Ops, OutOfStock, Result, data};
use tokio_postgres::{Client, NoTls, Row, Statement};

const FIND_UNIQUE: &str = r#"SELECT "id", "email", "createdAt" FROM "User" WHERE "id" = $1"#;
// Page sizes are constants of the hand-written queries, as a hand-written query has them.
const FIND_MANY: &str = r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT 1000"#;
const FIRST_USERS: &str =
    r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT 100"#;
const _: () = assert!(data::MANY == 1000 && data::NESTED_USERS == 100);
const ORDERS_OF: &str =
    r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" = ANY($1)"#;
const CREATE: &str = r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES ($1, $2, $3)
    RETURNING "id", "email", "createdAt""#;
const CREATE_MANY: &str = r#"INSERT INTO "User" ("id", "email", "createdAt")
    SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamp(3)[])"#;
const FIND_ITEM: &str = r#"SELECT "sku", "stock" FROM "Inventory" WHERE "sku" = $1"#;
const DECREMENT: &str = r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = $1"#;
const CREATE_ORDER: &str =
    r#"INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES ($1, $2, $3, $4)"#;

/// A user row.
pub struct User {
    pub id: String,
    pub email: String,
    pub created_at: NaiveDateTime,
}

/// An order row.
pub struct Order {
    pub id: String,
    pub user_id: String,
    pub total: i32,
    pub sku: Option<String>,
}

/// A user with its orders.
pub struct UserWithOrders {
    pub user: User,
    pub orders: Vec<Order>,
}

impl User {
    fn from_row(row: &Row) -> User {
        User {
            id: row.get(0),
            email: row.get(1),
            created_at: row.get(2),
        }
    }

    fn digest(&self) -> Digest {
        Digest::user(&self.email, self.created_at.and_utc().timestamp_millis())
    }
}

struct Statements {
    find_unique: Statement,
    find_many: Statement,
    first_users: Statement,
    orders_of: Statement,
    create: Statement,
    create_many: Statement,
    find_item: Statement,
    decrement: Statement,
    create_order: Statement,
}

/// tokio-postgres with its statements prepared.
pub struct RawPg {
    client: Client,
    statements: Statements,
}

impl RawPg {
    /// Connects to `url` (no TLS, like every library here) and prepares the statements.
    ///
    /// # Errors
    ///
    /// Connecting or preparing failed.
    pub async fn connect(url: &str) -> Result<RawPg> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        tokio::spawn(async move {
            // The connection ends when the client is dropped; an error then has no reader.
            let _ = connection.await;
        });
        let statements = Statements {
            find_unique: client.prepare(FIND_UNIQUE).await?,
            find_many: client.prepare(FIND_MANY).await?,
            first_users: client.prepare(FIRST_USERS).await?,
            orders_of: client.prepare(ORDERS_OF).await?,
            create: client.prepare(CREATE).await?,
            create_many: client.prepare(CREATE_MANY).await?,
            find_item: client.prepare(FIND_ITEM).await?,
            decrement: client.prepare(DECREMENT).await?,
            create_order: client.prepare(CREATE_ORDER).await?,
        };
        Ok(RawPg { client, statements })
    }

    /// Creates the seed schema's tables and fills them with the data set.
    ///
    /// # Errors
    ///
    /// A statement failed.
    pub async fn seed(url: &str) -> Result<()> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client.batch_execute(data::POSTGRES_DDL).await?;
        let users = data::users();
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        let emails: Vec<&str> = users.iter().map(|u| u.email.as_str()).collect();
        let created: Vec<NaiveDateTime> = users.iter().map(|u| u.created_at.naive_utc()).collect();
        client
            .execute(CREATE_MANY, &[&ids, &emails, &created])
            .await?;
        let orders = data::orders();
        let ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
        let users: Vec<&str> = orders.iter().map(|o| o.user_id.as_str()).collect();
        let totals: Vec<i32> = orders.iter().map(|o| o.total).collect();
        let skus: Vec<Option<&str>> = orders.iter().map(|o| o.sku.as_deref()).collect();
        client
            .execute(
                r#"INSERT INTO "Order" ("id", "userId", "total", "sku")
                   SELECT * FROM UNNEST($1::text[], $2::text[], $3::int4[], $4::text[])"#,
                &[&ids, &users, &totals, &skus],
            )
            .await?;
        for (sku, stock) in data::inventory() {
            client
                .execute(
                    r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ($1, $2)"#,
                    &[&sku, &stock],
                )
                .await?;
        }
        client.batch_execute("VACUUM ANALYZE").await?;
        Ok(())
    }

    /// Deletes every row the write workloads created.
    ///
    /// # Errors
    ///
    /// A statement failed.
    pub async fn reset(&self) -> Result<()> {
        let from = data::CREATED_FROM;
        self.client
            .execute(r#"DELETE FROM "Order" WHERE "id" >= $1"#, &[&from])
            .await?;
        self.client
            .execute(r#"DELETE FROM "User" WHERE "id" >= $1"#, &[&from])
            .await?;
        Ok(())
    }

    /// The server's version string.
    ///
    /// # Errors
    ///
    /// The query failed.
    pub async fn server_version(&self) -> Result<String> {
        let row = self.client.query_one("SHOW server_version", &[]).await?;
        Ok(row.get(0))
    }
}

impl Ops for RawPg {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let id = data::user_id(n % data::USERS);
        let row = self
            .client
            .query_opt(&self.statements.find_unique, &[&id])
            .await?;
        let user = User::from_row(&row.ok_or("no such user")?);
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let rows = self.client.query(&self.statements.find_many, &[]).await?;
        let users: Vec<User> = rows.iter().map(User::from_row).collect();
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let rows = self.client.query(&self.statements.first_users, &[]).await?;
        let users: Vec<User> = rows.iter().map(User::from_row).collect();
        let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
        let rows = self
            .client
            .query(&self.statements.orders_of, &[&ids])
            .await?;
        let mut by_user: HashMap<String, Vec<Order>> = HashMap::with_capacity(users.len());
        for row in &rows {
            let order = Order {
                id: row.get(0),
                user_id: row.get(1),
                total: row.get(2),
                sku: row.get(3),
            };
            by_user
                .entry(order.user_id.clone())
                .or_default()
                .push(order);
        }
        let nested: Vec<UserWithOrders> = users
            .into_iter()
            .map(|user| {
                let orders = by_user.remove(&user.id).unwrap_or_default();
                UserWithOrders { user, orders }
            })
            .collect();
        Ok(nested
            .iter()
            .map(|n| {
                n.user.digest()
                    + n.orders
                        .iter()
                        .map(|o| {
                            Digest::order(&n.user.id, &o.id, &o.user_id, o.total, o.sku.as_deref())
                        })
                        .sum::<Digest>()
            })
            .sum())
    }

    async fn create(&self, n: u64) -> Result<Digest> {
        let id = cuid1::cuid();
        let email = data::new_email(n);
        let now = Utc::now().naive_utc();
        let row = self
            .client
            .query_one(&self.statements.create, &[&id, &email, &now])
            .await?;
        Ok(Digest::created(&User::from_row(&row).id))
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
        let rows = self
            .client
            .execute(&self.statements.create_many, &[&ids, &emails, &created])
            .await?;
        Ok(Digest::count(rows))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let user_id = data::user_id(n % data::USERS);
        self.client.batch_execute("BEGIN").await?;
        let result: Result<u64> = async {
            let item = self
                .client
                .query_opt(&self.statements.find_item, &[&sku])
                .await?;
            let stock: i32 = item.ok_or(OutOfStock)?.get(1);
            if stock < 1 {
                return Err(OutOfStock.into());
            }
            self.client
                .execute(&self.statements.decrement, &[&sku])
                .await?;
            let id = cuid1::cuid();
            self.client
                .execute(
                    &self.statements.create_order,
                    &[&id, &user_id, &data::ORDER_TOTAL, &sku],
                )
                .await
                .map_err(Into::into)
        }
        .await;
        match result {
            Ok(rows) => {
                self.client.batch_execute("COMMIT").await?;
                Ok(Digest::count(rows))
            }
            Err(err) => {
                self.client.batch_execute("ROLLBACK").await?;
                Err(err)
            }
        }
    }
}
