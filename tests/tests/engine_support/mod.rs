//! Shared setup of the engine suites: a database per test on either backend, the schema
//! described for the engine, and a statement counter around the real adapter.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use orm_core::Value;
use orm_core::client::Client;
use orm_core::engine::*;
use orm_core::query::Direction;
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
    schema: &'static Schema,
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
            schema,
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

// ----- the full schema ---------------------------------------------------------------------

/// `tests/schemas/full.<provider>.prisma`, parsed once.
pub fn full_schema(backend: Backend) -> &'static Schema {
    static SCHEMAS: OnceLock<[&'static Schema; 2]> = OnceLock::new();
    let [pg, sqlite] = *SCHEMAS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        [
            load_schema(&dir.join("full.postgresql.prisma")),
            load_schema(&dir.join("full.sqlite.prisma")),
        ]
    });
    match backend {
        Backend::Postgres => pg,
        Backend::Sqlite => sqlite,
    }
}

/// The DDL `orm_core::migrate` writes for `schema` on an empty database.
pub fn create_tables_script(schema: &Schema, backend: Backend) -> String {
    let dialect = match backend {
        Backend::Postgres => Dialect::Postgres,
        Backend::Sqlite => Dialect::Sqlite,
    };
    let target = orm_core::migrate::from_schema(schema, dialect);
    let migration =
        orm_core::migrate::diff(&orm_core::migrate::SqlSchema::default(), &target, dialect);
    orm_core::migrate::render_script(&migration, &[])
}

impl Db {
    /// A fresh database with the tables of the full schema, created by the migration engine.
    pub async fn full_schema(backend: Backend) -> Db {
        let schema = full_schema(backend);
        Db::new(backend, &create_tables_script(schema, backend), schema).await
    }

    /// The schema the client was built for.
    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// The id of model `name`.
    pub fn m(&self, name: &str) -> ModelId {
        self.schema
            .model_by_name(name)
            .unwrap_or_else(|| panic!("no model {name}"))
            .id()
    }

    /// The id of field `Model.field`.
    pub fn f(&self, path: &str) -> FieldId {
        let (model, field) = path.split_once('.').expect("Model.field");
        self.schema
            .model_by_name(model)
            .and_then(|m| m.field(field))
            .unwrap_or_else(|| panic!("no field {path}"))
            .id()
    }

    /// The scalar fields of `model` named in `fields` (space-separated).
    pub fn sel(&self, model: &str, fields: &str) -> Selection {
        Selection::scalars(
            fields
                .split_whitespace()
                .map(|f| self.f(&format!("{model}.{f}")))
                .collect(),
        )
    }

    /// Create data from `(field, value)` pairs of `model`.
    pub fn data(&self, model: &str, values: Vec<(&str, Value)>) -> CreateData {
        CreateData {
            scalars: values
                .into_iter()
                .map(|(f, v)| (self.f(&format!("{model}.{f}")), v))
                .collect(),
            relations: Vec::new(),
        }
    }

    /// Inserts rows of `model` through the engine's `createMany`.
    pub async fn insert(&self, model: &str, rows: Vec<Vec<(&str, Value)>>) {
        let data = rows.into_iter().map(|r| self.data(model, r)).collect();
        self.client
            .create_many(
                self.m(model),
                CreateManyArgs {
                    data,
                    ..CreateManyArgs::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("inserting {model}: {e}"));
    }

    /// `findMany` on `model`: the first column of each row.
    pub async fn firsts(&self, model: &str, args: FindManyArgs) -> Vec<Value> {
        let records = self
            .client
            .find_many(self.m(model), args)
            .await
            .unwrap_or_else(|e| panic!("findMany {model}: {e}"));
        first_column(&records.rows)
    }

    /// `findMany` on `model` with `filter`, selecting and ordering by `id`: the ids.
    pub async fn ids_where(&self, model: &str, filter: Filter) -> Vec<i64> {
        let id = self.f(&format!("{model}.id"));
        let args = FindManyArgs {
            filter,
            order_by: vec![OrderBy::field(id, Direction::Asc)],
            selection: Selection::scalars(vec![id]),
            ..FindManyArgs::default()
        };
        ints(&self.firsts(model, args).await)
    }
}

/// The first value of every row.
pub fn first_column(rows: &ResultSet) -> Vec<Value> {
    rows.rows().map(|r| r.values()[0].clone()).collect()
}

/// Integer values as `i64` (panics on anything else).
pub fn ints(values: &[Value]) -> Vec<i64> {
    values
        .iter()
        .map(|v| match v {
            Value::Int(i) => i64::from(*i),
            Value::BigInt(i) => *i,
            other => panic!("expected an integer, got {other:?}"),
        })
        .collect()
}

/// A decimal from its text.
pub fn dec(s: &str) -> Value {
    Value::Decimal(s.parse().unwrap())
}

/// An enum value by its database name.
pub fn enum_value(s: &'static str) -> Value {
    Value::Enum(std::borrow::Cow::Borrowed(s))
}

/// A date-time from RFC 3339 text.
pub fn at(s: &str) -> Value {
    Value::DateTime(
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc),
    )
}

fn json(s: &str) -> Value {
    Value::Json(serde_json::from_str(s).unwrap())
}

impl Db {
    /// The full schema with a fixed dataset, ids in insertion order:
    ///
    /// - accounts 1–5 (Ann, null, Cy, Dee, Eve); 2 and 3 report to 1, 4 to 3; settings: an
    ///   object, JSON null, database NULL, two objects;
    /// - posts 1–10 (authors 1, 1, 1, 2, 2, 2, 4, 4, 1, 2; editors 3 on 1 and 4, 1 on 6, 4 on 9;
    ///   unpublished: 3, 5, 7), titles for string matching;
    /// - tags 1 `rust`, 2 `sql`, 3 `unused` (post 1: rust, sql; 2: rust; 4: sql; 9: rust);
    /// - profiles of accounts 1 and 3; views (post, account, count): (1,2,3), (1,3,1), (2,3,5),
    ///   (9,5,2); tokens `a` (expires 2026-01-01), `b` (never), `c` (2027-06-01).
    pub async fn full_fixture(backend: Backend) -> Db {
        let db = Db::full_schema(backend).await;
        let pg = backend == Backend::Postgres;
        let nick = |names: &[&str]| {
            Value::List(
                orm_core::Kind::String,
                names.iter().map(|n| Value::from(*n)).collect(),
            )
        };
        let accounts = vec![
            (
                "ann@x.io",
                Value::from("Ann"),
                "admin",
                "100.5",
                Value::BigInt(9_007_199_254_740_993),
                Value::Float(1.5),
                true,
                Value::Bytes(vec![1, 2, 3]),
                json(r#"{"theme":"dark","lang":"en","flags":{"beta":true},"tags":["a","b"]}"#),
                Value::Null,
                nick(&["annie", "a"]),
            ),
            (
                "bob@x.io",
                Value::Null,
                "USER",
                "15.00",
                Value::Null,
                Value::Null,
                true,
                Value::Null,
                Value::Json(serde_json::Value::Null),
                Value::Int(1),
                nick(&[]),
            ),
            (
                "cy@x.io",
                Value::from("Cy"),
                "USER",
                "29.50",
                Value::BigInt(5),
                Value::Float(2.5),
                false,
                Value::Bytes(vec![9]),
                Value::Null,
                Value::Int(1),
                nick(&["c"]),
            ),
            (
                "dee@x.io",
                Value::from("Dee"),
                "admin",
                "0",
                Value::BigInt(-7),
                Value::Null,
                true,
                Value::Null,
                json(r#"{"lang":"en","theme":"light"}"#),
                Value::Null,
                nick(&["d", "dd"]),
            ),
            (
                "eve@x.io",
                Value::from("Eve"),
                "USER",
                "0",
                Value::Null,
                Value::Float(0.5),
                true,
                Value::Bytes(vec![]),
                json(r#"{"tags":["b"]}"#),
                Value::Null,
                nick(&["e"]),
            ),
        ];
        let rows = accounts
            .into_iter()
            .map(
                |(email, name, role, balance, big, score, active, avatar, settings, _, nicks)| {
                    let mut row = vec![
                        ("email", Value::from(email)),
                        ("name", name),
                        ("role", enum_value(role)),
                        ("balance", dec(balance)),
                        ("bigNumber", big),
                        ("score", score),
                        ("active", Value::Boolean(active)),
                        ("avatar", avatar),
                        ("settings", settings),
                    ];
                    if pg {
                        row.push(("nicknames", nicks));
                    }
                    row
                },
            )
            .collect();
        db.insert("Account", rows).await;
        // Managers after the accounts exist.
        for (account, manager) in [(2, 1), (3, 1), (4, 3)] {
            db.exec(&format!(
                r#"UPDATE "accounts" SET "manager_id" = {manager} WHERE "id" = {account}"#
            ))
            .await;
        }
        #[allow(clippy::type_complexity)]
        let posts: [(
            &str,
            &str,
            Option<&str>,
            bool,
            Option<&str>,
            i32,
            Option<i32>,
        ); 10] = [
            (
                "Hello World",
                "hello",
                Some("foo bar"),
                true,
                Some("4.50"),
                1,
                Some(3),
            ),
            ("Ünïcödé ☃ title", "u1", None, true, None, 1, None),
            ("ünïcödé lower", "u2", Some("oh"), false, Some("2"), 1, None),
            ("100% sure", "pct", Some("no"), true, None, 2, Some(3)),
            ("under_score", "us", None, false, Some("1.25"), 2, None),
            ("underXscore", "ux", Some("xo"), true, None, 2, Some(1)),
            (
                "Top 50 list",
                "top",
                Some("body"),
                false,
                Some("3"),
                4,
                None,
            ),
            ("C:\\path\\to", "path", None, true, None, 4, None),
            ("ends with %", "end", Some("o"), true, None, 1, Some(4)),
            ("plain", "plain", Some(""), true, Some("5"), 2, None),
        ];
        let rows = posts
            .into_iter()
            .map(|(title, slug, body, published, rating, author, editor)| {
                vec![
                    ("title", Value::from(title)),
                    ("slug", Value::from(slug)),
                    ("body", body.map_or(Value::Null, Value::from)),
                    ("published", Value::Boolean(published)),
                    ("rating", rating.map_or(Value::Null, dec)),
                    ("authorId", Value::Int(author)),
                    ("editorId", editor.map_or(Value::Null, Value::Int)),
                ]
            })
            .collect();
        db.insert("Post", rows).await;
        db.insert(
            "Tag",
            ["rust", "sql", "unused"]
                .into_iter()
                .map(|n| vec![("name", Value::from(n))])
                .collect(),
        )
        .await;
        db.exec(
            r#"INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1), (1, 2), (2, 1), (4, 2), (9, 1)"#,
        )
        .await;
        db.insert(
            "Profile",
            vec![
                vec![
                    ("bio", Value::from("ann bio")),
                    ("accountId", Value::Int(1)),
                ],
                vec![("bio", Value::from("cy bio")), ("accountId", Value::Int(3))],
            ],
        )
        .await;
        db.insert(
            "View",
            [(1, 2, 3), (1, 3, 1), (2, 3, 5), (9, 5, 2)]
                .into_iter()
                .map(|(post, account, count)| {
                    vec![
                        ("postId", Value::Int(post)),
                        ("accountId", Value::Int(account)),
                        ("count", Value::Int(count)),
                    ]
                })
                .collect(),
        )
        .await;
        db.insert(
            "Token",
            vec![
                vec![
                    ("label", Value::from(TOKEN_A)),
                    ("expires", at("2026-01-01T00:00:00Z")),
                ],
                vec![("label", Value::from(TOKEN_B))],
                vec![
                    ("label", Value::from(TOKEN_C)),
                    ("expires", at("2027-06-01T12:30:00.250Z")),
                ],
            ],
        )
        .await;
        db
    }
}

/// Token labels (`@db.Uuid` on PostgreSQL).
pub const TOKEN_A: &str = "00000000-0000-4000-8000-00000000000a";
pub const TOKEN_B: &str = "00000000-0000-4000-8000-00000000000b";
pub const TOKEN_C: &str = "00000000-0000-4000-8000-00000000000c";
