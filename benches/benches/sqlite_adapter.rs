//! The SQLite adapter beside raw rusqlite, in one run: a point read by primary key, a
//! 1000-row read, and a one-row insert.
//!
//! Each group measures the same statement, decoded into the same Rust tuple, four ways:
//! - `rusqlite`: raw rusqlite with a cached statement, called synchronously (the floor);
//! - `rusqlite_spawn_blocking`: the same call inside `tokio::task::spawn_blocking` from a
//!   task on a multi-threaded runtime, which is what an async service doing it by hand pays;
//! - `adapter`: `SqliteAdapter::query`/`execute` from a task on a multi-threaded runtime;
//! - `adapter_current_thread`: the adapter on a current-thread runtime (its `spawn_blocking`
//!   path).
//!
//! Run: `cargo bench -p orm-benches --bench sqlite_adapter`. Ratios go to `BENCHMARKS.md`.

use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use orm_core::{Queryable, Sql, Value};
use orm_sqlite::SqliteAdapter;
use tokio::runtime::Runtime;

const ROWS: i64 = 1000;
const POINT: &str =
    r#"SELECT "id", "email", "name", "createdAt", "score" FROM "User" WHERE "id" = ?1"#;
const MANY: &str =
    r#"SELECT "id", "email", "name", "createdAt", "score" FROM "User" ORDER BY "id" LIMIT ?1"#;
const INSERT: &str = r#"INSERT INTO "Event" ("userId", "kind", "at") VALUES (?1, ?2, ?3)"#;

type UserRow = (i64, String, Option<String>, DateTime<Utc>, f64);

struct Setup {
    _file: orm_tests::SqliteFile,
    raw: Arc<Mutex<rusqlite::Connection>>,
    multi: Runtime,
    current: Runtime,
    adapter_multi: SqliteAdapter,
    adapter_current: SqliteAdapter,
}

fn setup() -> Setup {
    let file = orm_tests::SqliteFile::new();
    let url = file.url();
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let adapter_multi = multi.block_on(SqliteAdapter::open(&url)).expect("open");
    let adapter_current = current.block_on(SqliteAdapter::open(&url)).expect("open");
    multi
        .block_on(adapter_multi.execute_script(
            r#"CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL,
                 "name" TEXT, "createdAt" DATETIME NOT NULL, "score" REAL NOT NULL);
               CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
               CREATE TABLE "Event" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "userId" INTEGER NOT NULL,
                 "kind" TEXT NOT NULL, "at" DATETIME NOT NULL);"#,
        ))
        .expect("schema");
    let at = Utc::now();
    for i in 1..=ROWS {
        let sql = Sql::with_params(
            r#"INSERT INTO "User" ("email", "name", "createdAt", "score") VALUES (?1, ?2, ?3, ?4)"#,
            vec![
                format!("user{i}@example.com").into(),
                if i % 3 == 0 {
                    Value::Null
                } else {
                    format!("User {i}").into()
                },
                Value::DateTime(at),
                Value::Float(1.5),
            ],
        );
        multi.block_on(adapter_multi.execute(&sql)).expect("seed");
    }
    let raw = rusqlite::Connection::open(file.path()).expect("open raw");
    raw.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
        .expect("pragmas");
    Setup {
        _file: file,
        raw: Arc::new(Mutex::new(raw)),
        multi,
        current,
        adapter_multi,
        adapter_current,
    }
}

fn raw_rows(conn: &rusqlite::Connection, sql: &str, param: i64) -> Vec<UserRow> {
    let mut stmt = conn.prepare_cached(sql).expect("prepare");
    let rows = stmt
        .query_map([param], |r| {
            let at: String = r.get(3)?;
            let at = DateTime::parse_from_rfc3339(&at)
                .expect("datetime")
                .to_utc();
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, at, r.get(4)?))
        })
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn raw_insert(conn: &rusqlite::Connection, i: i64) -> usize {
    let mut stmt = conn.prepare_cached(INSERT).expect("prepare");
    let at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
    stmt.execute(rusqlite::params![i % ROWS + 1, "login", at])
        .expect("insert")
}

async fn adapter_rows(db: &SqliteAdapter, sql: &str, param: i64) -> Vec<UserRow> {
    let sql = Sql::with_params(sql, vec![Value::BigInt(param)]);
    db.query(&sql)
        .await
        .expect("query")
        .decode()
        .expect("decode")
}

async fn adapter_insert(db: &SqliteAdapter, i: i64) -> u64 {
    let sql = Sql::with_params(
        INSERT,
        vec![
            Value::BigInt(i % ROWS + 1),
            "login".into(),
            Value::DateTime(Utc::now()),
        ],
    );
    db.execute(&sql).await.expect("insert")
}

/// Times `iters` runs of `f(i)` inside a task spawned on `runtime`, as a service's handler
/// would run them.
fn in_task<F, Fut, T>(runtime: &Runtime, iters: u64, f: F) -> Duration
where
    F: Fn(i64) -> Fut + Send + 'static,
    Fut: Future<Output = T> + Send,
{
    runtime
        .block_on(runtime.spawn(async move {
            let start = Instant::now();
            for i in 0..iters {
                black_box(f(i64::try_from(i).unwrap_or(0)).await);
            }
            start.elapsed()
        }))
        .expect("task")
}

/// Times `iters` runs of the raw statement on a current-thread runtime through the adapter.
fn on_current<F, Fut, T>(runtime: &Runtime, iters: u64, f: F) -> Duration
where
    F: Fn(i64) -> Fut,
    Fut: Future<Output = T>,
{
    runtime.block_on(async {
        let start = Instant::now();
        for i in 0..iters {
            black_box(f(i64::try_from(i).unwrap_or(0)).await);
        }
        start.elapsed()
    })
}

fn reads(c: &mut Criterion, s: &Setup, name: &str, sql: &'static str, param: fn(i64) -> i64) {
    let mut group = c.benchmark_group(name);
    let raw = Arc::clone(&s.raw);
    group.bench_function("rusqlite", |b| {
        let conn = raw.lock().expect("raw connection");
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(raw_rows(&conn, sql, param(i)))
        });
    });
    group.bench_function("rusqlite_spawn_blocking", |b| {
        b.iter_custom(|iters| {
            let raw = Arc::clone(&raw);
            in_task(&s.multi, iters, move |i| {
                let raw = Arc::clone(&raw);
                async move {
                    tokio::task::spawn_blocking(move || {
                        raw_rows(&raw.lock().expect("raw connection"), sql, param(i))
                    })
                    .await
                    .expect("blocking task")
                }
            })
        });
    });
    group.bench_function("adapter", |b| {
        b.iter_custom(|iters| {
            let db = s.adapter_multi.clone();
            in_task(&s.multi, iters, move |i| {
                let db = db.clone();
                async move { adapter_rows(&db, sql, param(i)).await }
            })
        });
    });
    group.bench_function("adapter_current_thread", |b| {
        b.iter_custom(|iters| {
            on_current(&s.current, iters, |i| {
                adapter_rows(&s.adapter_current, sql, param(i))
            })
        });
    });
    group.finish();
}

fn inserts(c: &mut Criterion, s: &Setup) {
    let mut group = c.benchmark_group("sqlite/insert_one");
    let raw = Arc::clone(&s.raw);
    group.bench_function("rusqlite", |b| {
        let conn = raw.lock().expect("raw connection");
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(raw_insert(&conn, i))
        });
    });
    group.bench_function("rusqlite_spawn_blocking", |b| {
        b.iter_custom(|iters| {
            let raw = Arc::clone(&raw);
            in_task(&s.multi, iters, move |i| {
                let raw = Arc::clone(&raw);
                async move {
                    tokio::task::spawn_blocking(move || raw_insert(&raw.lock().expect("raw"), i))
                        .await
                        .expect("blocking task")
                }
            })
        });
    });
    group.bench_function("adapter", |b| {
        b.iter_custom(|iters| {
            let db = s.adapter_multi.clone();
            in_task(&s.multi, iters, move |i| {
                let db = db.clone();
                async move { adapter_insert(&db, i).await }
            })
        });
    });
    group.bench_function("adapter_current_thread", |b| {
        b.iter_custom(|iters| {
            on_current(&s.current, iters, |i| adapter_insert(&s.adapter_current, i))
        });
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let s = setup();
    reads(c, &s, "sqlite/point_read", POINT, |i| i % ROWS + 1);
    reads(c, &s, "sqlite/read_1000", MANY, |_| ROWS);
    inserts(c, &s);
}

criterion_group! {
    name = sqlite;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(sqlite);
