//! The SQLite adapter beside raw rusqlite, in one run: a point read by primary key, a
//! 1000-row read, and a one-row insert.
//!
//! Each group measures the same statement, decoded into the same Rust tuple, four ways:
//! - `rusqlite`: raw rusqlite with a cached statement, called synchronously (the floor);
//! - `rusqlite_spawn_blocking`: the same call inside `tokio::task::spawn_blocking` from a
//!   task on a multi-threaded runtime, which is what an async service doing it by hand pays;
//! - `adapter`: `SqliteAdapter::query_each` (reads, decoding each row as it is stepped, as the
//!   typed client does) and `execute` from a task on a multi-threaded runtime;
//! - `adapter_current_thread`: the adapter on a current-thread runtime (its `spawn_blocking`
//!   path).
//!
//! Criterion's figures come first. Then the four sides run again interleaved, in short rounds
//! that rotate which side goes first, and the medians of the per-round ratios are printed: on
//! the team's shared machine, load drifts during a run, and the interleaved ratio cancels most
//! of it.
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
    orm_benches::rows_each(db, &sql).await.expect("query")
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

/// Times `iters` runs of `f(i)` as the root future of a current-thread runtime.
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

/// One workload: what the raw side and the adapter run for iteration `i`.
#[derive(Clone, Copy)]
enum Work {
    PointRead,
    Read1000,
    Insert,
}

impl Work {
    fn name(self) -> &'static str {
        match self {
            Work::PointRead => "sqlite/point_read",
            Work::Read1000 => "sqlite/read_1000",
            Work::Insert => "sqlite/insert_one",
        }
    }

    /// Iterations per batch in the interleaved comparison (a few milliseconds each).
    fn batch(self) -> u64 {
        match self {
            Work::PointRead => 1000,
            Work::Read1000 => 10,
            Work::Insert => 8,
        }
    }

    fn raw(self, conn: &rusqlite::Connection, i: i64) -> usize {
        match self {
            Work::PointRead => raw_rows(conn, POINT, i % ROWS + 1).len(),
            Work::Read1000 => raw_rows(conn, MANY, ROWS).len(),
            Work::Insert => raw_insert(conn, i),
        }
    }

    async fn adapter(self, db: &SqliteAdapter, i: i64) -> usize {
        match self {
            Work::PointRead => adapter_rows(db, POINT, i % ROWS + 1).await.len(),
            Work::Read1000 => adapter_rows(db, MANY, ROWS).await.len(),
            Work::Insert => usize::try_from(adapter_insert(db, i).await).unwrap_or(0),
        }
    }
}

const SIDES: [&str; 4] = [
    "rusqlite",
    "rusqlite_spawn_blocking",
    "adapter",
    "adapter_current_thread",
];

/// Times `iters` iterations of `work` on side `side` (an index into [`SIDES`]).
fn time(s: &Setup, work: Work, side: usize, iters: u64) -> Duration {
    match side {
        0 => {
            let conn = s.raw.lock().expect("raw connection");
            let start = Instant::now();
            for i in 0..iters {
                black_box(work.raw(&conn, i64::try_from(i).unwrap_or(0)));
            }
            start.elapsed()
        }
        1 => {
            let raw = Arc::clone(&s.raw);
            in_task(&s.multi, iters, move |i| {
                let raw = Arc::clone(&raw);
                async move {
                    tokio::task::spawn_blocking(move || work.raw(&raw.lock().expect("raw"), i))
                        .await
                        .expect("blocking task")
                }
            })
        }
        2 => {
            let db = s.adapter_multi.clone();
            in_task(&s.multi, iters, move |i| {
                let db = db.clone();
                async move { work.adapter(&db, i).await }
            })
        }
        _ => on_current(&s.current, iters, |i| work.adapter(&s.adapter_current, i)),
    }
}

/// Runs the four sides of `work` in turn for `rounds` rounds (rotating which goes first) and
/// prints the median time of each and the medians of the per-round ratios of the adapter to
/// the two raw baselines: on a shared machine, drift hits both sides of a round alike.
fn interleaved(s: &Setup, work: Work, rounds: usize) {
    let batch = work.batch();
    let mut per_side: Vec<Vec<f64>> = vec![Vec::new(); SIDES.len()];
    let mut to_sync = Vec::new();
    let mut to_blocking = Vec::new();
    for round in 0..rounds {
        let mut micros = [0.0; SIDES.len()];
        for k in 0..SIDES.len() {
            let side = (round + k) % SIDES.len();
            let elapsed = time(s, work, side, batch);
            micros[side] =
                elapsed.as_secs_f64() * 1e6 / f64::from(u32::try_from(batch).unwrap_or(1));
        }
        for (side, m) in micros.iter().enumerate() {
            per_side[side].push(*m);
        }
        to_sync.push(micros[2] / micros[0]);
        to_blocking.push(micros[2] / micros[1]);
    }
    let medians: Vec<String> = SIDES
        .iter()
        .zip(&mut per_side)
        .map(|(name, times)| format!("{name} {:.2} µs", median(times)))
        .collect();
    println!(
        "{} interleaved ({rounds} rounds of {batch}): {}; adapter/rusqlite {:.3}, adapter/rusqlite_spawn_blocking {:.3}",
        work.name(),
        medians.join(", "),
        median(&mut to_sync),
        median(&mut to_blocking),
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn benches(c: &mut Criterion) {
    let s = setup();
    for work in [Work::PointRead, Work::Read1000, Work::Insert] {
        let mut group = c.benchmark_group(work.name());
        for (side, name) in SIDES.iter().enumerate() {
            group.bench_function(*name, |b| {
                b.iter_custom(|iters| time(&s, work, side, iters))
            });
        }
        group.finish();
    }
    for (work, rounds) in [
        (Work::PointRead, 41),
        (Work::Read1000, 41),
        (Work::Insert, 41),
    ] {
        interleaved(&s, work, rounds);
    }
}

criterion_group! {
    name = sqlite;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(sqlite);
