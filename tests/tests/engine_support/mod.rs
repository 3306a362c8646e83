//! Shared setup of the engine suites: a database per test on either backend, the schema
//! described for the engine, and a statement counter around the real adapter.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use orm_core::client::Client;
use orm_core::engine::meta::*;
use orm_core::engine::{FieldId, ModelId};
use orm_core::value::Kind;
use orm_core::{
    Adapter, Capabilities, Dialect, PoolStatus, Queryable, ResultSet, Sql, Transaction,
    TransactionOptions,
};

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
        Db::new(backend, &ddl, seed_meta()).await
    }

    pub async fn new(backend: Backend, ddl: &str, meta: SchemaMeta) -> Db {
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
            client: Client::from_meta(Arc::clone(&adapter), Arc::new(meta)),
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

pub const USER: ModelId = ModelId(0);
pub const ORDER: ModelId = ModelId(1);
pub const INVENTORY: ModelId = ModelId(2);

const fn f(model: ModelId, index: u32) -> FieldId {
    FieldId { model, index }
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

fn scalar(name: &'static str, kind: Kind, optional: bool, default: DefaultMeta) -> FieldMeta {
    FieldMeta::Scalar(ScalarMeta {
        name,
        column: name,
        ty: ScalarType {
            kind,
            enum_db_name: None,
        },
        optional,
        list: false,
        default,
        updated_at: false,
    })
}

/// The seed schema (`shared/prisma-golden/seed/schema.prisma`) as the engine sees it.
pub fn seed_meta() -> SchemaMeta {
    SchemaMeta {
        models: vec![
            ModelMeta {
                id: USER,
                name: "User",
                table: "User",
                db_schema: None,
                fields: vec![
                    scalar("id", Kind::String, false, DefaultMeta::Cuid1),
                    scalar("email", Kind::String, false, DefaultMeta::None),
                    scalar("createdAt", Kind::DateTime, false, DefaultMeta::Now),
                    FieldMeta::Relation(RelationMeta {
                        name: "orders",
                        target: ORDER,
                        list: true,
                        optional: false,
                        link: Link::Back {
                            fields: vec![1],
                            references: vec![0],
                        },
                    }),
                ],
                primary_key: vec![0],
                uniques: vec![
                    UniqueMeta {
                        fields: vec![0],
                        constraint: "User_pkey",
                    },
                    UniqueMeta {
                        fields: vec![1],
                        constraint: "User_email_key",
                    },
                ],
            },
            ModelMeta {
                id: ORDER,
                name: "Order",
                table: "Order",
                db_schema: None,
                fields: vec![
                    scalar("id", Kind::String, false, DefaultMeta::Cuid1),
                    scalar("userId", Kind::String, false, DefaultMeta::None),
                    FieldMeta::Relation(RelationMeta {
                        name: "user",
                        target: USER,
                        list: false,
                        optional: false,
                        link: Link::Forward {
                            fields: vec![1],
                            references: vec![0],
                        },
                    }),
                    scalar("total", Kind::Int, false, DefaultMeta::None),
                    scalar("sku", Kind::String, true, DefaultMeta::None),
                ],
                primary_key: vec![0],
                uniques: vec![UniqueMeta {
                    fields: vec![0],
                    constraint: "Order_pkey",
                }],
            },
            ModelMeta {
                id: INVENTORY,
                name: "Inventory",
                table: "Inventory",
                db_schema: None,
                fields: vec![
                    scalar("sku", Kind::String, false, DefaultMeta::None),
                    scalar("stock", Kind::Int, false, DefaultMeta::None),
                ],
                primary_key: vec![0],
                uniques: vec![UniqueMeta {
                    fields: vec![0],
                    constraint: "Inventory_pkey",
                }],
            },
        ],
    }
}
