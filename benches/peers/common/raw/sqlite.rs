//! The raw driver on SQLite: rusqlite on one connection with cached statements, called
//! synchronously on the task's own thread (no hand-off to another thread), rows decoded into
//! plain structs. The floor the libraries are measured against. Compiled into both benchmark
//! binaries (`#[path]`), each against its own rusqlite, so the control in the peers' process
//! runs exactly this code on the SQLite its peers link.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use peers_common::{Digest, Ops, OutOfStock, Result, data};
use rusqlite::Error::FromSqlConversionFailure;
use rusqlite::types::{ToSql, Type};
use rusqlite::{Connection, Row, params, params_from_iter};

const FIND_UNIQUE: &str = r#"SELECT "id", "email", "createdAt" FROM "User" WHERE "id" = ?1"#;
// Page sizes are constants of the hand-written queries, as a hand-written query has them. (A
// bound `LIMIT ?` would also cost a recompilation per run: SQLite plans with the bound value,
// and rusqlite's statement cache clears bindings, which expires such a plan.)
const FIND_MANY: &str = r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT 1000"#;
const FIRST_USERS: &str =
    r#"SELECT "id", "email", "createdAt" FROM "User" ORDER BY "id" LIMIT 100"#;
const _: () = assert!(data::MANY == 1000 && data::NESTED_USERS == 100);
const CREATE: &str = r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES (?1, ?2, ?3)
    RETURNING "id", "email", "createdAt""#;
const INSERT_USER: &str = r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES (?1, ?2, ?3)"#;
const FIND_ITEM: &str = r#"SELECT "sku", "stock" FROM "Inventory" WHERE "sku" = ?1"#;
const DECREMENT: &str = r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = ?1"#;
const CREATE_ORDER: &str =
    r#"INSERT INTO "Order" ("id", "userId", "total", "sku") VALUES (?1, ?2, ?3, ?4)"#;

/// A user row.
pub struct User {
    pub id: String,
    pub email: String,
    pub created_at: DateTime<Utc>,
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
    fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
        // Prisma's format is RFC 3339; chrono's parser for it is several times faster than
        // the format-string parse rusqlite's own `DateTime` conversion runs.
        let created_at = DateTime::parse_from_rfc3339(row.get_ref(2)?.as_str()?)
            .map_err(|e| FromSqlConversionFailure(2, Type::Text, Box::new(e)))?
            .with_timezone(&Utc);
        Ok(User {
            id: row.get(0)?,
            email: row.get(1)?,
            created_at,
        })
    }

    fn digest(&self) -> Digest {
        Digest::user(&self.email, self.created_at.timestamp_millis())
    }
}

/// rusqlite on one connection.
pub struct RawSqlite {
    conn: Mutex<Connection>,
    /// The order query for [`data::NESTED_USERS`] ids (`IN (?1, …, ?100)`).
    orders_of: String,
    /// One `INSERT` of [`data::BULK`] users: prepared once, then only bound and run (faster
    /// than running a one-row `INSERT` that many times in a transaction).
    create_many: String,
}

/// `SELECT … FROM "Order" WHERE "userId" IN (?1, …, ?count)`.
fn orders_of(count: usize) -> String {
    let marks: Vec<String> = (1..=count).map(|i| format!("?{i}")).collect();
    format!(
        r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" IN ({})"#,
        marks.join(", ")
    )
}

/// `INSERT INTO "User" … VALUES (?, ?, ?), …` for `rows` rows.
fn insert_users(rows: usize) -> String {
    let values = vec!["(?, ?, ?)"; rows].join(", ");
    format!(r#"INSERT INTO "User" ("id", "email", "createdAt") VALUES {values}"#)
}

impl RawSqlite {
    /// Opens `path` with the settings every library here uses: foreign keys on, a 5 s busy
    /// timeout, the journal mode the file has (WAL, set by [`RawSqlite::seed`]).
    ///
    /// # Errors
    ///
    /// Opening failed.
    pub fn open(path: &str) -> Result<RawSqlite> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let nested = usize::try_from(data::NESTED_USERS)?;
        Ok(RawSqlite {
            conn: Mutex::new(conn),
            orders_of: orders_of(nested),
            create_many: insert_users(usize::try_from(data::BULK)?),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Creates the seed schema's tables in a new file at `path`, in WAL mode, and fills them
    /// with the data set.
    ///
    /// # Errors
    ///
    /// A statement failed.
    pub fn seed(path: &str) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch(data::SQLITE_DDL)?;
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare(INSERT_USER)?;
            for user in data::users() {
                let created = data::sqlite_datetime(&user.created_at);
                insert.execute(params![user.id, user.email, created])?;
            }
            let mut insert = tx.prepare(CREATE_ORDER)?;
            for order in data::orders() {
                insert.execute(params![order.id, order.user_id, order.total, order.sku])?;
            }
            let mut insert =
                tx.prepare(r#"INSERT INTO "Inventory" ("sku", "stock") VALUES (?1, ?2)"#)?;
            for (sku, stock) in data::inventory() {
                insert.execute(params![sku, stock])?;
            }
        }
        tx.commit()?;
        conn.execute_batch("ANALYZE")?;
        Ok(())
    }

    /// Deletes every row the write workloads created.
    ///
    /// # Errors
    ///
    /// A statement failed.
    pub fn reset(&self) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            r#"DELETE FROM "Order" WHERE "id" >= ?1"#,
            [data::CREATED_FROM],
        )?;
        conn.execute(
            r#"DELETE FROM "User" WHERE "id" >= ?1"#,
            [data::CREATED_FROM],
        )?;
        Ok(())
    }

    /// The SQLite library's version.
    pub fn library_version() -> &'static str {
        rusqlite::version()
    }
}

impl Ops for RawSqlite {
    async fn find_unique(&self, n: u64) -> Result<Digest> {
        let id = data::user_id(n % data::USERS);
        let conn = self.conn();
        let mut statement = conn.prepare_cached(FIND_UNIQUE)?;
        let user = statement.query_row([&id], User::from_row)?;
        Ok(user.digest())
    }

    async fn find_many(&self) -> Result<Digest> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(FIND_MANY)?;
        let users = statement
            .query_map([], User::from_row)?
            .collect::<rusqlite::Result<Vec<User>>>()?;
        Ok(users.iter().map(User::digest).sum())
    }

    async fn nested(&self) -> Result<Digest> {
        let conn = self.conn();
        let users = conn
            .prepare_cached(FIRST_USERS)?
            .query_map([], User::from_row)?
            .collect::<rusqlite::Result<Vec<User>>>()?;
        let text = if users.len() == self.orders_of.len() {
            std::borrow::Cow::Borrowed(self.orders_of.as_str())
        } else {
            std::borrow::Cow::Owned(orders_of(users.len()))
        };
        let mut statement = conn.prepare_cached(&text)?;
        let mut rows = statement.query(params_from_iter(users.iter().map(|u| u.id.as_str())))?;
        let mut by_user: HashMap<String, Vec<Order>> = HashMap::with_capacity(users.len());
        while let Some(row) = rows.next()? {
            let order = Order {
                id: row.get(0)?,
                user_id: row.get(1)?,
                total: row.get(2)?,
                sku: row.get(3)?,
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
        let conn = self.conn();
        let mut statement = conn.prepare_cached(CREATE)?;
        let now = data::sqlite_datetime(&Utc::now());
        let user = statement.query_row(params![id, email, now], User::from_row)?;
        Ok(Digest::created(&user.id))
    }

    async fn create_many(&self, n: u64) -> Result<Digest> {
        let now = data::sqlite_datetime(&Utc::now());
        let ids: Vec<String> = (0..data::BULK).map(|_| cuid1::cuid()).collect();
        let emails: Vec<String> = (0..data::BULK).map(|k| data::bulk_email(n, k)).collect();
        let values = ids
            .iter()
            .zip(&emails)
            .flat_map(|(id, email)| [id as &dyn ToSql, email, &now]);
        let conn = self.conn();
        let rows = conn
            .prepare_cached(&self.create_many)?
            .execute(params_from_iter(values))?;
        Ok(Digest::count(u64::try_from(rows)?))
    }

    async fn transaction(&self, n: u64) -> Result<Digest> {
        let sku = data::sku(n);
        let user_id = data::user_id(n % data::USERS);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let stock: i32 = tx
            .prepare_cached(FIND_ITEM)?
            .query_row([&sku], |row| row.get(1))?;
        if stock < 1 {
            return Err(OutOfStock.into());
        }
        tx.prepare_cached(DECREMENT)?.execute([&sku])?;
        let rows = tx.prepare_cached(CREATE_ORDER)?.execute(params![
            cuid1::cuid(),
            user_id,
            data::ORDER_TOTAL,
            sku
        ])?;
        tx.commit()?;
        Ok(Digest::count(u64::try_from(rows)?))
    }
}
