//! What the client reports, against real PostgreSQL and SQLite: `tracing` spans for
//! operations, statements, transactions and migrations (captured by a subscriber and checked
//! field by field), the query log (exactly the statements that reached the database, values
//! only when asked for), and pool statistics while connections are held.

mod engine_support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use engine_support::{Backend, ORDER, USER, order, seed_schema, user};
use orm_core::client::{Client, QueryEvent, QueryLog};
use orm_core::engine::{
    CreateArgs, CreateData, FindManyArgs, NestedWrite, Selection, UpdateData, UpdateManyArgs,
    UpdateOp,
};
use orm_core::{
    Adapter, Capabilities, Dialect, Error, IsolationLevel, PoolStatus, Queryable, ResultSet, Sql,
    Transaction, TransactionOptions, Value, query_raw,
};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const BACKENDS: [Backend; 2] = [Backend::Postgres, Backend::Sqlite];

// ---------------------------------------------------------------------------------------
// A subscriber layer that keeps every span and event with its fields.

/// A span as the subscriber saw it.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    target: String,
    fields: BTreeMap<String, String>,
    parent: Option<usize>,
    closed: bool,
}

/// An event as the subscriber saw it.
#[derive(Debug, Clone)]
struct EventRecord {
    target: String,
    fields: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<EventRecord>>>,
}

/// The index of a span in [`Capture::spans`], kept in the span's extensions.
struct Index(usize);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S> tracing_subscriber::Layer<S> for Capture
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let parent = span
            .parent()
            .and_then(|p| p.extensions().get::<Index>().map(|i| i.0));
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        spans.push(SpanRecord {
            name: attrs.metadata().name(),
            target: attrs.metadata().target().to_owned(),
            fields,
            parent,
            closed: false,
        });
        span.extensions_mut().insert(Index(spans.len() - 1));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let Some(index) = span.extensions().get::<Index>().map(|i| i.0) else {
            return;
        };
        let mut spans = self.spans.lock().unwrap_or_else(PoisonError::into_inner);
        values.record(&mut Fields(&mut spans[index].fields));
    }

    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(EventRecord {
                target: event.metadata().target().to_owned(),
                fields,
            });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        if let Some(index) = span.extensions().get::<Index>().map(|i| i.0) {
            self.spans.lock().unwrap_or_else(PoisonError::into_inner)[index].closed = true;
        }
    }
}

impl Capture {
    /// Installs the capture for the current thread (the tests run on a current-thread
    /// runtime, so every task they spawn reports here too).
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::registry().with(self.clone());
        tracing::subscriber::set_default(subscriber)
    }

    fn spans(&self) -> Vec<SpanRecord> {
        self.spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn events(&self) -> Vec<EventRecord> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn clear(&self) {
        self.spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

/// The spans named `name`, with their index.
fn named<'a>(spans: &'a [SpanRecord], name: &str) -> Vec<(usize, &'a SpanRecord)> {
    spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == name)
        .collect()
}

/// Whether span `index` sits (at any depth) inside span `ancestor`.
fn is_inside(spans: &[SpanRecord], index: usize, ancestor: usize) -> bool {
    let mut current = spans[index].parent;
    while let Some(parent) = current {
        if parent == ancestor {
            return true;
        }
        current = spans[parent].parent;
    }
    false
}

fn field<'a>(span: &'a SpanRecord, name: &str) -> &'a str {
    span.fields
        .get(name)
        .unwrap_or_else(|| panic!("{} has no field {name}: {:?}", span.name, span.fields))
}

fn system(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgresql",
        Backend::Sqlite => "sqlite",
    }
}

// ---------------------------------------------------------------------------------------
// An adapter wrapper that records every statement reaching the database.

/// A statement's SQL text and bound values.
type Statement = (String, Vec<Value>);

#[derive(Clone, Default)]
struct Recorded(Arc<Mutex<Vec<Statement>>>);

impl Recorded {
    fn push(&self, sql: &Sql) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((sql.text.clone(), sql.params.clone()));
    }

    fn take(&self) -> Vec<Statement> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// An adapter (`P` = `Arc<dyn Adapter>`) or transaction (`P` = `Box<dyn Transaction>`) that
/// records the statements it passes on.
struct Recording<P> {
    inner: P,
    seen: Recorded,
}

impl Recording<Arc<dyn Adapter>> {
    fn adapter(inner: &Arc<dyn Adapter>, seen: &Recorded) -> Arc<dyn Adapter> {
        Arc::new(Recording {
            inner: Arc::clone(inner),
            seen: seen.clone(),
        })
    }
}

#[async_trait]
impl<P> Queryable for Recording<P>
where
    P: std::ops::Deref + Send + Sync,
    P::Target: Queryable,
{
    fn dialect(&self) -> Dialect {
        self.inner.dialect()
    }
    async fn query(&self, sql: &Sql) -> orm_core::Result<ResultSet> {
        self.seen.push(sql);
        self.inner.query(sql).await
    }
    async fn execute(&self, sql: &Sql) -> orm_core::Result<u64> {
        self.seen.push(sql);
        self.inner.execute(sql).await
    }
    async fn execute_script(&self, script: &str) -> orm_core::Result<()> {
        self.inner.execute_script(script).await
    }
}

#[async_trait]
impl Adapter for Recording<Arc<dyn Adapter>> {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn begin(&self, options: &TransactionOptions) -> orm_core::Result<Box<dyn Transaction>> {
        Ok(Box::new(Recording {
            inner: self.inner.begin(options).await?,
            seen: self.seen.clone(),
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
impl Transaction for Recording<Box<dyn Transaction>> {
    async fn commit(self: Box<Self>) -> orm_core::Result<()> {
        self.inner.commit().await
    }
    async fn rollback(self: Box<Self>) -> orm_core::Result<()> {
        self.inner.rollback().await
    }
}

// ---------------------------------------------------------------------------------------
// Databases.

/// A database with the seed schema; keeps its PostgreSQL database or SQLite file alive.
struct Seeded {
    adapter: Arc<dyn Adapter>,
    _pg: Option<orm_tests::PgDatabase>,
    _file: Option<orm_tests::SqliteFile>,
}

async fn seeded(backend: Backend, params: &str) -> Seeded {
    let provider = match backend {
        Backend::Postgres => "postgresql",
        Backend::Sqlite => "sqlite",
    };
    let migrations =
        orm_tests::shared_dir().join(format!("prisma-golden/seed/{provider}/init/migrations"));
    let local = orm_core::migrate::MigrationsDir::new(&migrations)
        .migrations()
        .unwrap();
    let (adapter, pg, file): (Arc<dyn Adapter>, _, _) = match backend {
        Backend::Postgres => {
            let db = orm_tests::PgDatabase::create().await;
            let adapter = orm_pg::PgAdapter::connect(&db.url_with(params))
                .await
                .unwrap();
            (Arc::new(adapter), Some(db), None)
        }
        Backend::Sqlite => {
            let file = orm_tests::SqliteFile::new();
            let url = orm_tests::with_params(&file.url(), params);
            let adapter = orm_sqlite::SqliteAdapter::open(&url).await.unwrap();
            (Arc::new(adapter), None, Some(file))
        }
    };
    orm_core::migrate::deploy(&*adapter, &local, &mut |_| {})
        .await
        .unwrap();
    Seeded {
        adapter,
        _pg: pg,
        _file: file,
    }
}

fn user_with_orders(email: &str, totals: &[i32]) -> CreateData {
    let orders = totals
        .iter()
        .map(|total| CreateData {
            scalars: vec![(order::TOTAL, Value::Int(*total))],
            relations: vec![],
        })
        .collect();
    CreateData {
        scalars: vec![(user::EMAIL, Value::from(email))],
        relations: vec![(user::ORDERS, NestedWrite::Create(orders))],
    }
}

fn all_orders() -> FindManyArgs {
    FindManyArgs {
        selection: Selection::scalars(vec![order::ID, order::TOTAL]),
        ..FindManyArgs::default()
    }
}

// ---------------------------------------------------------------------------------------
// Spans.

#[tokio::test]
async fn operations_and_statements_are_spans_with_their_fields_and_no_values() {
    let capture = Capture::default();
    let _guard = capture.install();
    for backend in BACKENDS {
        let db = seeded(backend, "").await;
        let client = Client::new(Arc::clone(&db.adapter), seed_schema(backend));
        capture.clear();

        let secret = "very.secret@example.com";
        client
            .create(
                USER,
                CreateArgs {
                    data: user_with_orders(secret, &[5, 7]),
                    selection: Selection::scalars(vec![user::ID]),
                },
            )
            .await
            .unwrap();
        let orders = client.find_many(ORDER, all_orders()).await.unwrap();
        assert_eq!(orders.len(), 2);
        let spans = capture.spans();

        let operations = named(&spans, "orm.operation");
        let (create, create_span) = operations
            .iter()
            .copied()
            .find(|(_, s)| field(s, "operation") == "create")
            .unwrap_or_else(|| panic!("{backend:?}: no create span in {operations:?}"));
        assert_eq!(field(create_span, "model"), "User");
        assert_eq!(create_span.target, "orm::operation");
        let (find, find_span) = operations
            .iter()
            .copied()
            .find(|(_, s)| field(s, "operation") == "findMany")
            .expect("a findMany span");
        assert_eq!(field(find_span, "model"), "Order");

        let statements = named(&spans, "orm.statement");
        assert!(statements.len() >= 3, "{backend:?}: {statements:?}");
        for (index, statement) in &statements {
            assert_eq!(statement.target, "orm::statement");
            assert_eq!(field(statement, "db.system"), system(backend));
            assert!(statement.closed, "{statement:?}");
            assert!(
                field(statement, "duration_us").parse::<u64>().is_ok(),
                "{statement:?}"
            );
            field(statement, "rows");
            assert!(
                is_inside(&spans, *index, create) || is_inside(&spans, *index, find),
                "every statement belongs to an operation: {statement:?}"
            );
            for value in statement.fields.values() {
                assert!(
                    !value.contains(secret),
                    "a bound value leaked: {statement:?}"
                );
            }
        }
        // The nested create inserted the user and its orders inside the operation's own
        // transaction, committed.
        let inserts: Vec<_> = statements
            .iter()
            .filter(|(i, s)| {
                is_inside(&spans, *i, create) && field(s, "db.statement").starts_with("INSERT")
            })
            .collect();
        assert!(inserts.len() >= 2, "{backend:?}: {inserts:?}");
        assert!(
            inserts
                .iter()
                .all(|(_, s)| field(s, "in_transaction") == "true")
        );
        let transactions = named(&spans, "orm.transaction");
        assert!(
            transactions
                .iter()
                .any(|(i, s)| is_inside(&spans, *i, create) && field(s, "outcome") == "committed"),
            "{backend:?}: {transactions:?}"
        );
        // The read: one statement, the two rows it returned.
        let reads: Vec<_> = statements
            .iter()
            .filter(|(i, _)| is_inside(&spans, *i, find))
            .collect();
        assert_eq!(reads.len(), 1, "{backend:?}: {reads:?}");
        assert!(field(reads[0].1, "db.statement").starts_with("SELECT"));
        assert_eq!(field(reads[0].1, "rows"), "2");
        assert_eq!(field(reads[0].1, "in_transaction"), "false");
    }
}

#[tokio::test]
async fn a_failed_statement_records_its_error() {
    let capture = Capture::default();
    let _guard = capture.install();
    for backend in BACKENDS {
        let db = seeded(backend, "").await;
        let client = Client::new(Arc::clone(&db.adapter), seed_schema(backend));
        let create = || CreateArgs {
            data: CreateData {
                scalars: vec![(user::EMAIL, Value::from("twice@example.com"))],
                relations: vec![],
            },
            selection: Selection::scalars(vec![user::ID]),
        };
        client.create(USER, create()).await.unwrap();
        capture.clear();
        let err = client.create(USER, create()).await.unwrap_err();
        assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
        let spans = capture.spans();
        let statements = named(&spans, "orm.statement");
        let (_, failed) = statements.last().expect("the failed insert");
        assert!(
            field(failed, "error").contains("unique"),
            "{backend:?}: {failed:?}"
        );
        assert!(!failed.fields.contains_key("rows"));
    }
}

#[tokio::test]
async fn transactions_are_spans_with_isolation_outcome_and_duration() {
    let capture = Capture::default();
    let _guard = capture.install();
    for backend in BACKENDS {
        let db = seeded(backend, "").await;
        let client = Client::new(Arc::clone(&db.adapter), seed_schema(backend));
        capture.clear();

        client
            .transaction(|tx| async move {
                tx.create(
                    USER,
                    CreateArgs {
                        data: user_with_orders("tx@example.com", &[1]),
                        selection: Selection::scalars(vec![user::ID]),
                    },
                )
                .await?;
                // A nested transaction: a savepoint, rolled back.
                let nested = tx
                    .transaction(|inner| async move {
                        inner.find_many(ORDER, all_orders()).await?;
                        Err::<(), _>(Error::Config("undo the nested part".to_owned()))
                    })
                    .await;
                assert!(nested.is_err());
                Ok::<_, Error>(())
            })
            .with_isolation_level(IsolationLevel::Serializable)
            .await
            .unwrap();
        let failed = client
            .transaction(|tx| async move {
                tx.find_many(ORDER, all_orders()).await?;
                Err::<(), _>(Error::Config("give up".to_owned()))
            })
            .await;
        assert!(failed.is_err());

        let spans = capture.spans();
        let transactions = named(&spans, "orm.transaction");
        let outer: Vec<_> = transactions
            .iter()
            .filter(|(_, s)| field(s, "savepoint") == "false")
            .collect();
        // The nested create's own atomic unit is a savepoint inside the outer transaction.
        assert_eq!(outer.len(), 2, "{backend:?}: {transactions:?}");
        let (committed, committed_span) = *outer[0];
        assert_eq!(committed_span.target, "orm::transaction");
        assert_eq!(field(committed_span, "isolation_level"), "Serializable");
        assert_eq!(field(committed_span, "read_only"), "false");
        assert_eq!(field(committed_span, "outcome"), "committed");
        assert!(field(committed_span, "duration_us").parse::<u64>().is_ok());
        let (rolled_back, rolled_back_span) = *outer[1];
        assert_eq!(field(rolled_back_span, "isolation_level"), "default");
        assert_eq!(field(rolled_back_span, "outcome"), "rolled back");

        let savepoints: Vec<_> = transactions
            .iter()
            .filter(|(_, s)| field(s, "savepoint") == "true")
            .collect();
        assert!(
            savepoints
                .iter()
                .all(|(i, _)| is_inside(&spans, *i, committed)),
            "savepoints nest in their transaction: {savepoints:?}"
        );
        assert!(
            savepoints
                .iter()
                .any(|(_, s)| field(s, "outcome") == "rolled back"),
            "{savepoints:?}"
        );
        // Every statement of the closures runs inside its transaction's span.
        for (index, statement) in named(&spans, "orm.statement") {
            assert!(
                is_inside(&spans, index, committed) || is_inside(&spans, index, rolled_back),
                "{backend:?}: {statement:?}"
            );
            assert_eq!(field(statement, "in_transaction"), "true");
        }
    }
}

#[tokio::test]
async fn each_applied_migration_is_a_span() {
    let capture = Capture::default();
    let _guard = capture.install();
    for (backend, provider) in [
        (Backend::Postgres, "postgresql"),
        (Backend::Sqlite, "sqlite"),
    ] {
        let file = orm_tests::SqliteFile::new();
        let pg = match backend {
            Backend::Postgres => Some(orm_tests::PgDatabase::create().await),
            Backend::Sqlite => None,
        };
        let adapter: Arc<dyn Adapter> = match &pg {
            Some(db) => Arc::new(orm_pg::PgAdapter::connect(&db.url).await.unwrap()),
            None => Arc::new(orm_sqlite::SqliteAdapter::open(&file.url()).await.unwrap()),
        };
        let folder = orm_tests::shared_dir().join(format!(
            "prisma-golden/seed/{provider}/evolution/migrations"
        ));
        let local = orm_core::migrate::MigrationsDir::new(&folder)
            .migrations()
            .unwrap();
        capture.clear();
        let applied = orm_core::migrate::deploy(&*adapter, &local, &mut |_| {})
            .await
            .unwrap();
        assert_eq!(applied.len(), 2);
        let spans = capture.spans();
        let migrations = named(&spans, "orm.migration");
        let names: Vec<&str> = migrations
            .iter()
            .map(|(_, s)| field(s, "migration"))
            .collect();
        let expected: Vec<&str> = applied.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, expected, "{backend:?}");
        for (_, migration) in migrations {
            assert_eq!(migration.target, "orm::migrate");
            assert_eq!(field(migration, "outcome"), "applied");
            assert!(field(migration, "duration_us").parse::<u64>().is_ok());
            assert!(migration.closed);
        }
        // Deploying again applies nothing, so records no migration.
        capture.clear();
        orm_core::migrate::deploy(&*adapter, &local, &mut |_| {})
            .await
            .unwrap();
        assert!(named(&capture.spans(), "orm.migration").is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// The query log.

/// A query event, owned.
#[derive(Debug, Clone, PartialEq)]
struct Logged {
    sql: String,
    params: Option<Vec<Value>>,
    rows: Option<u64>,
    failed: bool,
    in_transaction: bool,
}

fn collecting_log(params: bool) -> (QueryLog, Arc<Mutex<Vec<Logged>>>) {
    let logged = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&logged);
    let log = QueryLog::new(move |event: &QueryEvent<'_>| {
        assert!(event.started_at <= std::time::SystemTime::now());
        sink.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Logged {
                sql: event.sql.to_owned(),
                params: event.params.map(<[Value]>::to_vec),
                rows: event.rows,
                failed: event.error.is_some(),
                in_transaction: event.in_transaction,
            });
    })
    .with_params(params);
    (log, logged)
}

/// Runs a little of everything: a nested create (its own transaction), a read, an update,
/// an interactive transaction with raw SQL, a failing create.
async fn workload(client: &Client) {
    client
        .create(
            USER,
            CreateArgs {
                data: user_with_orders("log@example.com", &[3, 4]),
                selection: Selection::scalars(vec![user::ID]),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        client.find_many(ORDER, all_orders()).await.unwrap().len(),
        2
    );
    let updated = client
        .update_many(
            ORDER,
            UpdateManyArgs {
                data: UpdateData {
                    scalars: vec![(order::TOTAL, UpdateOp::Increment(Value::Int(10)))],
                    relations: vec![],
                },
                ..UpdateManyArgs::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated, 2);
    client
        .transaction(|tx| async move {
            let min = 10;
            let big: Vec<(String,)> =
                query_raw!(tx, r#"SELECT "id" FROM "Order" WHERE "total" > {min}"#).await?;
            assert_eq!(big.len(), 2);
            Ok::<_, Error>(())
        })
        .await
        .unwrap();
    let duplicate = CreateArgs {
        data: CreateData {
            scalars: vec![(user::EMAIL, Value::from("log@example.com"))],
            relations: vec![],
        },
        selection: Selection::scalars(vec![user::ID]),
    };
    assert!(client.create(USER, duplicate).await.is_err());
}

/// Runs [`workload`] on a fresh database with a query log (`params`: whether it asks for
/// values); returns what the log received and what reached the database.
async fn logged_workload(backend: Backend, params: bool) -> (Vec<Logged>, Vec<Statement>) {
    let db = seeded(backend, "").await;
    let seen = Recorded::default();
    let recording = Recording::adapter(&db.adapter, &seen);
    let (log, logged) = collecting_log(params);
    let client = Client::new(recording, seed_schema(backend)).with_query_log(log);
    workload(&client).await;
    let logged = logged
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    (logged, seen.take())
}

#[tokio::test]
async fn query_log_receives_exactly_the_statements_run_without_values() {
    for backend in BACKENDS {
        let (logged, reached) = logged_workload(backend, false).await;
        let logged_sql: Vec<&str> = logged.iter().map(|l| l.sql.as_str()).collect();
        let reached_sql: Vec<&str> = reached.iter().map(|(sql, _)| sql.as_str()).collect();
        assert_eq!(logged_sql, reached_sql, "{backend:?}");
        assert!(logged.len() >= 6, "{backend:?}: {logged_sql:?}");
        assert!(
            logged.iter().all(|l| l.params.is_none()),
            "values are withheld by default"
        );
        // Row counts: the read returned two orders, the update changed two, the raw query
        // (in the interactive transaction) returned two; the duplicate failed.
        let read = logged
            .iter()
            .find(|l| l.sql.starts_with("SELECT") && !l.in_transaction)
            .unwrap();
        assert_eq!(read.rows, Some(2));
        let update = logged.iter().find(|l| l.sql.starts_with("UPDATE")).unwrap();
        assert_eq!(update.rows, Some(2));
        let raw = logged
            .iter()
            .find(|l| l.sql.contains(r#""total" >"#))
            .unwrap();
        assert!(raw.in_transaction);
        assert_eq!(raw.rows, Some(2));
        let last = logged.last().unwrap();
        assert!(last.failed && last.rows.is_none(), "{last:?}");
    }
}

#[tokio::test]
async fn query_log_shows_values_only_when_asked() {
    for backend in BACKENDS {
        let (logged, reached) = logged_workload(backend, true).await;
        assert_eq!(logged.len(), reached.len());
        for (logged, (sql, params)) in logged.iter().zip(&reached) {
            assert_eq!(&logged.sql, sql);
            assert_eq!(logged.params.as_ref(), Some(params), "{sql}");
        }
        assert!(
            logged.iter().any(|l| l
                .params
                .as_ref()
                .is_some_and(|p| p.contains(&Value::from("log@example.com")))),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn tracing_query_log_emits_an_event_per_statement() {
    let capture = Capture::default();
    let _guard = capture.install();
    let db = seeded(Backend::Sqlite, "").await;
    let client = Client::new(Arc::clone(&db.adapter), seed_schema(Backend::Sqlite))
        .with_query_log(QueryLog::tracing());
    client.find_many(ORDER, all_orders()).await.unwrap();
    let events: Vec<EventRecord> = capture
        .events()
        .into_iter()
        .filter(|e| e.target == "orm::query")
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].fields["message"].starts_with("SELECT"));
    assert_eq!(events[0].fields["rows"], "0");
    assert!(events[0].fields.contains_key("duration_us"));
    assert!(!events[0].fields.contains_key("params"));
}

// ---------------------------------------------------------------------------------------
// Pool statistics.

/// Waits until the pool reports `wanted`, or fails after 5 s.
async fn wait_for(client: &Client, what: &str, wanted: impl Fn(PoolStatus) -> bool) {
    let start = std::time::Instant::now();
    while !wanted(client.pool_status()) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{what}: {:?}",
            client.pool_status()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn pool_statistics_follow_the_connections_held() {
    let db = seeded(Backend::Postgres, "connection_limit=2&pool_timeout=5").await;
    let client = Client::new(Arc::clone(&db.adapter), seed_schema(Backend::Postgres));
    assert_eq!(client.pool_status().max_size, 2);
    wait_for(&client, "nothing held", |s| {
        s.idle == s.size && s.waiting == 0
    })
    .await;

    let first = client.begin(&TransactionOptions::default()).await.unwrap();
    let second = client.begin(&TransactionOptions::default()).await.unwrap();
    let status = client.pool_status();
    assert_eq!((status.size, status.idle, status.waiting), (2, 0, 0));

    // A third caller waits for one of them.
    let waiter = {
        let client = client.clone();
        tokio::spawn(async move { client.find_many(ORDER, all_orders()).await.map(|r| r.len()) })
    };
    wait_for(&client, "one caller waiting", |s| s.waiting == 1).await;

    first.commit().await.unwrap();
    assert_eq!(waiter.await.unwrap().unwrap(), 0);
    wait_for(&client, "the read returned its connection", |s| {
        (s.size, s.idle, s.waiting) == (2, 1, 0)
    })
    .await;
    second.rollback().await.unwrap();
    wait_for(&client, "both idle", |s| (s.size, s.idle) == (2, 2)).await;
}

#[tokio::test]
async fn sqlite_pool_statistics_follow_the_connections_held() {
    let db = seeded(Backend::Sqlite, "connection_limit=2").await;
    let client = Client::new(Arc::clone(&db.adapter), seed_schema(Backend::Sqlite));
    assert_eq!(client.pool_status().max_size, 2);
    // The migration's connection goes back once its last blocking call has finished.
    wait_for(&client, "nothing held", |s| (s.idle, s.waiting) == (2, 0)).await;
    // A write transaction holds the writer connection.
    let tx = client.begin(&TransactionOptions::default()).await.unwrap();
    assert_eq!(client.pool_status().idle, 1);
    let waiter = {
        let client = client.clone();
        tokio::spawn(async move {
            let tx = client.begin(&TransactionOptions::default()).await?;
            tx.rollback().await
        })
    };
    wait_for(&client, "a writer waiting", |s| s.waiting == 1).await;
    tx.commit().await.unwrap();
    waiter.await.unwrap().unwrap();
    wait_for(&client, "all idle", |s| (s.idle, s.waiting) == (2, 0)).await;
}
