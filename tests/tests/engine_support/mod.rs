//! Shared setup of the engine suites: a database per test on either backend, the schema
//! described for the engine, and a statement counter around the real adapter.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use orm_core::client::Client;
use orm_core::engine::{FieldId, ModelId};
use orm_core::{
    Adapter, Capabilities, Dialect, PoolStatus, Queryable, ResultSet, Sql, Transaction,
    TransactionOptions,
};
use orm_schema::Schema;

/// The backends every suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Defines each test once per backend: `name_postgres` and `name_sqlite`.
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($backend:ident) $body:block)*) => {$(
        mod $name {
            use super::*;
            async fn run($backend: Backend) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { run(Backend::Postgres).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { run(Backend::Sqlite).await }
        }
    )*};
}

/// Counts the statements that reach the database (transaction statements included).
pub struct Counting {
    inner: Arc<dyn Adapter>,
    count: Arc<AtomicUsize>,
}

struct CountingTransaction {
    inner: Box<dyn Transaction>,
    count: Arc<AtomicUsize>,
}

#[async_trait]
impl Queryable for Counting {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    async fn query(&self, sql: &Sql) -> orm_core::Result<ResultSet> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.query(sql).await
    }
    async fn execute(&self, sql: &Sql) -> orm_core::Result<u64> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.execute(sql).await
    }
    async fn execute_script(&self, script: &str) -> orm_core::Result<()> {
        self.inner.execute_script(script).await
    }
}

#[async_trait]
impl Adapter for Counting {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn begin(&self, options: &TransactionOptions) -> orm_core::Result<Box<dyn Transaction>> {
        Ok(Box::new(CountingTransaction {
            inner: self.inner.begin(options).await?,
            count: Arc::clone(&self.count),
        }))
    }
    async fn connection(&self) -> orm_core::Result<Box<dyn Queryable>> {
        self.inner.connection().await
    }
    fn pool_status(&self) -> PoolStatus {
        self.inner.pool_status()
    }
}

#[async_trait]
impl Queryable for CountingTransaction {
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    async fn query(&self, sql: &Sql) -> orm_core::Result<ResultSet> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.query(sql).await
    }
    async fn execute(&self, sql: &Sql) -> orm_core::Result<u64> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.execute(sql).await
    }
    async fn execute_script(&self, script: &str) -> orm_core::Result<()> {
        self.inner.execute_script(script).await
    }
}

#[async_trait]
impl Transaction for CountingTransaction {
    async fn commit(self: Box<Self>) -> orm_core::Result<()> {
        self.inner.commit().await
    }
    async fn rollback(self: Box<Self>) -> orm_core::Result<()> {
        self.inner.rollback().await
    }
}

/// A fresh database with a schema, and a client on it.
pub struct Db {
    pub client: Client,
    pub adapter: Arc<dyn Adapter>,
    count: Arc<AtomicUsize>,
    _pg: Option<orm_tests::PgDatabase>,
    _file: Option<orm_tests::SqliteFile>,
}

impl Db {
    /// A database with the seed schema (User, Order, Inventory), created by Prisma's own
    /// `init` migration.
    pub async fn seed_schema(backend: Backend) -> Db {
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
        let ddl = std::fs::read_to_string(migration).unwrap();
        let schema = seed_schema(backend);
        check_seed_ids(schema);
        Db::new(backend, &ddl, schema).await
    }

    pub async fn new(backend: Backend, ddl: &str, schema: &'static Schema) -> Db {
        let (raw, pg, file): (Arc<dyn Adapter>, _, _) = match backend {
            Backend::Postgres => {
                let db = orm_tests::PgDatabase::create().await;
                let adapter = orm_pg::PgAdapter::connect(&db.url).await.unwrap();
                (Arc::new(adapter), Some(db), None)
            }
            Backend::Sqlite => {
                let file = orm_tests::SqliteFile::new();
                let adapter = orm_sqlite::SqliteAdapter::open(&file.url()).await.unwrap();
                (Arc::new(adapter), None, Some(file))
            }
        };
        raw.execute_script(ddl).await.unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let adapter: Arc<dyn Adapter> = Arc::new(Counting {
            inner: Arc::clone(&raw),
            count: Arc::clone(&count),
        });
        Db {
            client: Client::new(Arc::clone(&adapter), schema),
            adapter: raw,
            count,
            _pg: pg,
            _file: file,
        }
    }

    /// Runs SQL directly on the database (test setup).
    pub async fn exec(&self, sql: &str) {
        self.adapter.execute_script(sql).await.unwrap();
    }

    /// Statements the client has sent so far.
    pub fn statements(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

pub const USER: ModelId = ModelId::new(0);
pub const ORDER: ModelId = ModelId::new(1);
pub const INVENTORY: ModelId = ModelId::new(2);

const fn f(model: ModelId, index: u32) -> FieldId {
    FieldId::new(model, index)
}

pub mod user {
    use super::*;
    pub const ID: FieldId = f(USER, 0);
    pub const EMAIL: FieldId = f(USER, 1);
    pub const CREATED_AT: FieldId = f(USER, 2);
    pub const ORDERS: FieldId = f(USER, 3);
}

pub mod order {
    use super::*;
    pub const ID: FieldId = f(ORDER, 0);
    pub const USER_ID: FieldId = f(ORDER, 1);
    pub const USER: FieldId = f(ORDER, 2);
    pub const TOTAL: FieldId = f(ORDER, 3);
    pub const SKU: FieldId = f(ORDER, 4);
}

pub mod inventory {
    use super::*;
    pub const SKU: FieldId = f(INVENTORY, 0);
    pub const STOCK: FieldId = f(INVENTORY, 1);
}

/// Parses a schema file once for the whole test binary.
pub fn load_schema(path: &std::path::Path) -> &'static Schema {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema = orm_schema::parse_and_validate(&text, &path.display().to_string())
        .unwrap_or_else(|d| panic!("{} is not valid: {d:?}", path.display()));
    Box::leak(Box::new(schema))
}

/// The seed schema (`shared/prisma-golden/seed/<provider>/schema.prisma`), through the IR.
pub fn seed_schema(backend: Backend) -> &'static Schema {
    static SCHEMAS: OnceLock<[&'static Schema; 2]> = OnceLock::new();
    let [pg, sqlite] = *SCHEMAS.get_or_init(|| {
        let seed = orm_tests::shared_dir().join("prisma-golden/seed");
        [
            load_schema(&seed.join("postgresql/schema.prisma")),
            load_schema(&seed.join("sqlite/schema.prisma")),
        ]
    });
    match backend {
        Backend::Postgres => pg,
        Backend::Sqlite => sqlite,
    }
}

/// The ids the constants above name are the IR's for those names.
pub fn check_seed_ids(schema: &Schema) {
    let ids = [
        ("User", "id", user::ID),
        ("User", "email", user::EMAIL),
        ("User", "createdAt", user::CREATED_AT),
        ("User", "orders", user::ORDERS),
        ("Order", "id", order::ID),
        ("Order", "userId", order::USER_ID),
        ("Order", "user", order::USER),
        ("Order", "total", order::TOTAL),
        ("Order", "sku", order::SKU),
        ("Inventory", "sku", inventory::SKU),
        ("Inventory", "stock", inventory::STOCK),
    ];
    for (model, field, id) in ids {
        let found = schema
            .model_by_name(model)
            .and_then(|m| m.field(field))
            .map(|f| f.id());
        assert_eq!(found, Some(id), "{model}.{field}");
    }
}
