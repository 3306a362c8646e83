//! Shared setup of the transaction suites: a seeded database on either backend, a client
//! that counts the transactions it begins, the seed's purchase as engine calls, and the
//! checks that a failed transaction left nothing behind.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use orm_core::client::{Client, Operation};
use orm_core::engine::*;
use orm_core::{
    Adapter, Capabilities, Dialect, Error, PoolStatus, Queryable, ResultSet, Sql, Transaction,
    TransactionOptions, Value, execute_raw, query_raw,
};

pub use super::engine_support::{Backend, INVENTORY, ORDER, USER, inventory, order, user};

/// Counts the transactions begun through it.
struct CountingBegins {
    inner: Arc<dyn Adapter>,
    begins: Arc<AtomicUsize>,
}

#[async_trait]
impl Queryable for CountingBegins {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    async fn query(&self, sql: &Sql) -> orm_core::Result<ResultSet> {
        self.inner.query(sql).await
    }
    async fn execute(&self, sql: &Sql) -> orm_core::Result<u64> {
        self.inner.execute(sql).await
    }
    async fn execute_script(&self, script: &str) -> orm_core::Result<()> {
        self.inner.execute_script(script).await
    }
}

#[async_trait]
impl Adapter for CountingBegins {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn begin(&self, options: &TransactionOptions) -> orm_core::Result<Box<dyn Transaction>> {
        self.begins.fetch_add(1, Ordering::SeqCst);
        self.inner.begin(options).await
    }
    async fn connection(&self) -> orm_core::Result<Box<dyn Queryable>> {
        self.inner.connection().await
    }
    fn pool_status(&self) -> PoolStatus {
        self.inner.pool_status()
    }
}

/// A fresh database with the seed schema, one user and one inventory row.
pub struct TxDb {
    pub backend: Backend,
    /// The client (the engine's dynamic API), over the real adapter.
    pub client: Client,
    /// The adapter itself, for checks that bypass the client.
    pub adapter: Arc<dyn Adapter>,
    /// The user every order belongs to.
    pub user_id: String,
    begins: Arc<AtomicUsize>,
    _pg: Option<orm_tests::PgDatabase>,
    _file: Option<orm_tests::SqliteFile>,
}

pub const SKU: &str = "sku-1";

impl TxDb {
    /// A database whose inventory holds `stock` of [`SKU`], on a pool of the default size.
    pub async fn new(backend: Backend, stock: i32) -> TxDb {
        TxDb::with_url_options(backend, stock, "").await
    }

    /// A database on a pool of several connections (`connection_limit=5`), for tests that
    /// need several transactions or statements at once: the suite's PgBouncer pass gives
    /// PostgreSQL tests one connection unless they ask for more.
    pub async fn concurrent(backend: Backend, stock: i32) -> TxDb {
        TxDb::with_url_options(backend, stock, "connection_limit=5").await
    }

    /// The same, with extra URL parameters (`connection_limit=2`).
    pub async fn with_url_options(backend: Backend, stock: i32, options: &str) -> TxDb {
        let query = if options.is_empty() {
            String::new()
        } else {
            format!("?{options}")
        };
        let (adapter, pg, file): (Arc<dyn Adapter>, _, _) = match backend {
            Backend::Postgres => {
                let db = orm_tests::PgDatabase::create().await;
                let adapter = orm_pg::PgAdapter::connect(&db.url_with(options))
                    .await
                    .unwrap();
                (Arc::new(adapter), Some(db), None)
            }
            Backend::Sqlite => {
                let file = orm_tests::SqliteFile::new();
                let url = format!("{}{query}", file.url());
                let adapter = orm_sqlite::SqliteAdapter::open(&url).await.unwrap();
                (Arc::new(adapter), None, Some(file))
            }
        };
        adapter.execute_script(&seed_ddl(backend)).await.unwrap();
        let begins = Arc::new(AtomicUsize::new(0));
        let counting: Arc<dyn Adapter> = Arc::new(CountingBegins {
            inner: Arc::clone(&adapter),
            begins: Arc::clone(&begins),
        });
        let schema = super::engine_support::seed_schema(backend);
        super::engine_support::check_seed_ids(schema);
        let client = Client::new(counting, schema);
        let user = client
            .create(
                USER,
                CreateArgs {
                    data: CreateData {
                        scalars: vec![(user::EMAIL, Value::from("buyer@example.com"))],
                        relations: vec![],
                    },
                    selection: Selection::scalars(vec![user::ID]),
                },
            )
            .await
            .unwrap();
        let (user_id,) = user.decode_first::<(String,)>().unwrap().unwrap();
        execute_raw!(
            adapter,
            r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ({SKU}, {stock})"#
        )
        .await
        .unwrap();
        TxDb {
            backend,
            client,
            adapter,
            user_id,
            begins,
            _pg: pg,
            _file: file,
        }
    }

    /// Transactions begun through the client so far.
    pub fn begins(&self) -> usize {
        self.begins.load(Ordering::SeqCst)
    }

    /// Rows in `table`, read on the pool.
    pub async fn count(&self, table: &str) -> i64 {
        let sql = Sql::new(format!(r#"SELECT COUNT(*) FROM "{table}""#));
        let rows: Vec<(i64,)> = self.adapter.query(&sql).await.unwrap().decode().unwrap();
        rows[0].0
    }

    /// The stock of [`SKU`], read on the pool.
    pub async fn stock(&self) -> i32 {
        let rows: Vec<(i32,)> = query_raw!(
            self.adapter,
            r#"SELECT "stock" FROM "Inventory" WHERE "sku" = {SKU}"#
        )
        .await
        .unwrap();
        rows[0].0
    }

    /// Sessions of this database that are idle inside a transaction (PostgreSQL).
    pub async fn idle_in_transaction(&self) -> i64 {
        let sql = Sql::new(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        );
        let rows: Vec<(i64,)> = self.adapter.query(&sql).await.unwrap().decode().unwrap();
        rows[0].0
    }

    /// After a transaction failed, was dropped or timed out: PostgreSQL shows no session idle
    /// in a transaction (the rollback of a dropped transaction runs in the background, so
    /// this waits up to 5 s for it), and every connection of the pool runs a new transaction
    /// to its commit. A connection that came back inside the old transaction would commit
    /// the old writes here, which the caller's visibility checks then see.
    pub async fn assert_pool_healthy(&self) {
        if self.backend == Backend::Postgres {
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                let idle = self.idle_in_transaction().await;
                if idle == 0 {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{idle} session(s) still idle in transaction"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        // PostgreSQL: every connection at once. SQLite: the writer, then every reader at once.
        let status = self.adapter.pool_status();
        let (writers, readers) = match self.backend {
            Backend::Postgres => (status.max_size, 0),
            Backend::Sqlite => (1, status.max_size.saturating_sub(1)),
        };
        for (holders, read_only) in [(writers, false), (readers, true)] {
            let barrier = Arc::new(tokio::sync::Barrier::new(holders));
            let tasks: Vec<_> = (0..holders)
                .map(|_| {
                    let client = self.client.clone();
                    let barrier = Arc::clone(&barrier);
                    tokio::spawn(async move {
                        client
                            .transaction(|tx| async move {
                                barrier.wait().await;
                                let one: Vec<(i64,)> =
                                    query_raw!(tx, "SELECT CAST(1 AS BIGINT)").await?;
                                Ok::<_, Error>(one[0].0)
                            })
                            .with_read_only(read_only)
                            .with_max_wait(Duration::from_secs(5))
                            .await
                    })
                })
                .collect();
            for task in tasks {
                assert_eq!(task.await.unwrap().unwrap(), 1);
            }
        }
    }
}

fn seed_ddl(backend: Backend) -> String {
    let provider = match backend {
        Backend::Postgres => "postgresql",
        Backend::Sqlite => "sqlite",
    };
    let dir =
        orm_tests::shared_dir().join(format!("prisma-golden/seed/{provider}/init/migrations"));
    let migration = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("migration.sql"))
        .find(|p| p.is_file())
        .unwrap();
    std::fs::read_to_string(migration).unwrap()
}

/// What buying can fail with: the user's own error beside the ORM's.
#[derive(Debug)]
pub enum BuyError {
    OutOfStock,
    Db(Error),
}

impl From<Error> for BuyError {
    fn from(error: Error) -> Self {
        BuyError::Db(error)
    }
}

/// The seed's read-modify-write on the engine: read the item, refuse when out of stock,
/// decrement the stock, create the order. Returns the order's id.
pub async fn buy(tx: &Client, user_id: &str, total: i32) -> Result<String, BuyError> {
    let item = tx
        .find_unique(
            INVENTORY,
            FindUniqueArgs {
                filter: Filter::equals(inventory::SKU, SKU),
                selection: Selection::scalars(vec![inventory::STOCK]),
                ..FindUniqueArgs::default()
            },
        )
        .await?
        .decode_first::<(i32,)>()?;
    if item.is_none_or(|(stock,)| stock < 1) {
        return Err(BuyError::OutOfStock);
    }
    tx.update(INVENTORY, decrement_stock()).await?;
    let order = tx.create(ORDER, order_args(user_id, total)).await?;
    Ok(order
        .decode_first::<(String,)>()?
        .map(|(id,)| id)
        .unwrap_or_default())
}

pub fn decrement_stock() -> UpdateArgs {
    UpdateArgs {
        filter: Filter::equals(inventory::SKU, SKU),
        data: UpdateData {
            scalars: vec![(inventory::STOCK, UpdateOp::Decrement(Value::Int(1)))],
            relations: vec![],
        },
        selection: Selection::scalars(vec![inventory::STOCK]),
    }
}

pub fn order_args(user_id: &str, total: i32) -> CreateArgs {
    CreateArgs {
        data: CreateData {
            scalars: vec![
                (order::USER_ID, Value::from(user_id)),
                (order::TOTAL, Value::Int(total)),
                (order::SKU, Value::from(SKU)),
            ],
            relations: vec![],
        },
        selection: Selection::scalars(vec![order::ID]),
    }
}

/// `create` as a not-yet-sent operation (what a generated builder is), for batches.
pub struct Create(pub ModelId, pub CreateArgs);

impl Operation for Create {
    type Output = Records;

    async fn run(self, client: &Client) -> orm_core::Result<Records> {
        client.create(self.0, self.1).await
    }
}

/// `update` as a not-yet-sent operation.
pub struct Update(pub ModelId, pub UpdateArgs);

impl Operation for Update {
    type Output = Records;

    async fn run(self, client: &Client) -> orm_core::Result<Records> {
        client.update(self.0, self.1).await
    }
}
