//! The PostgreSQL adapter beside raw tokio-postgres, in the same run, on the same database:
//! a point read by primary key, a 1000-row read, and a one-row insert. Both sides decode every
//! column into owned Rust values; the raw side uses a prepared statement on one connection, the
//! adapter goes through its pool and statement cache, and reads decode each row as it arrives
//! (`Queryable::query_each`, as the typed client's reads do).
//!
//! Run: `cargo bench -p orm-benches --bench pg_adapter` (PostgreSQL at `ORM_TEST_PG_URL`, by
//! default `postgres://postgres@127.0.0.1:5432/test`). Ratios: see `BENCHMARKS.md`.
//!
//! After criterion's groups, the same workloads run again interleaved (raw and adapter
//! alternating in short rounds) and the median of the per-round ratios is printed: on a shared
//! machine whose load changes over the run, that ratio is steadier than dividing two criterion
//! figures measured a minute apart.

use std::future::Future;

use chrono::{DateTime, NaiveDateTime, Utc};
use criterion::Criterion;
use orm_core::{Queryable, Sql, Value};
use orm_pg::PgAdapter;
use orm_tests::PgDatabase;

type UserRow = (i32, String, Option<String>, i32, DateTime<Utc>);

const SETUP: &str = r#"
    CREATE TABLE "User" (
        "id" SERIAL PRIMARY KEY,
        "email" TEXT NOT NULL,
        "name" TEXT,
        "age" INTEGER NOT NULL,
        "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
    );
    INSERT INTO "User" ("email", "name", "age")
        SELECT 'user' || n || '@example.com', 'User number ' || n, n % 90
        FROM generate_series(1, 1000) AS n;
    ANALYZE "User";
"#;

const POINT: &str =
    r#"SELECT "id", "email", "name", "age", "createdAt" FROM "User" WHERE "id" = $1"#;
const MANY: &str =
    r#"SELECT "id", "email", "name", "age", "createdAt" FROM "User" ORDER BY "id" LIMIT $1"#;
const INSERT: &str =
    r#"INSERT INTO "User" ("email", "name", "age", "createdAt") VALUES ($1, $2, $3, $4)"#;

fn raw_rows(rows: &[tokio_postgres::Row]) -> Vec<UserRow> {
    rows.iter()
        .map(|row| {
            let created: NaiveDateTime = row.get(4);
            (
                row.get(0),
                row.get(1),
                row.get(2),
                row.get(3),
                created.and_utc(),
            )
        })
        .collect()
}

type Statements = (
    tokio_postgres::Statement,
    tokio_postgres::Statement,
    tokio_postgres::Statement,
);

/// The adapter (one pooled connection) and a raw client with the three statements prepared.
async fn fixture(db: &PgDatabase) -> (PgAdapter, tokio_postgres::Client, Statements) {
    // Plain TCP on both sides: the raw client has no TLS either.
    let adapter = PgAdapter::connect(&format!("{}?connection_limit=1&sslmode=disable", db.url))
        .await
        .expect("adapter");
    adapter.execute_script(SETUP).await.expect("setup");
    let (raw, connection) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .expect("raw connection");
    tokio::spawn(connection);
    let statements = (
        raw.prepare(POINT).await.expect("prepare"),
        raw.prepare(MANY).await.expect("prepare"),
        raw.prepare(INSERT).await.expect("prepare"),
    );
    (adapter, raw, statements)
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let db = runtime.block_on(PgDatabase::create());
    let (adapter, raw, statements) = runtime.block_on(fixture(&db));
    let (point, many, insert) = statements;
    let now = Utc::now();

    let mut group = c.benchmark_group("pg_point_read");
    group.bench_function("raw", |b| {
        b.to_async(&runtime).iter(|| async {
            let rows = raw.query(&point, &[&42i32]).await.expect("raw point");
            raw_rows(&rows)
        });
    });
    group.bench_function("adapter", |b| {
        let sql = Sql::with_params(POINT, vec![Value::Int(42)]);
        b.to_async(&runtime).iter(|| async {
            orm_benches::rows_each::<UserRow>(&adapter, &sql)
                .await
                .expect("adapter point")
        });
    });
    group.finish();

    let mut group = c.benchmark_group("pg_read_1000_rows");
    group.bench_function("raw", |b| {
        b.to_async(&runtime).iter(|| async {
            let rows = raw.query(&many, &[&1000i64]).await.expect("raw many");
            raw_rows(&rows)
        });
    });
    group.bench_function("adapter", |b| {
        let sql = Sql::with_params(MANY, vec![Value::BigInt(1000)]);
        b.to_async(&runtime).iter(|| async {
            orm_benches::rows_each::<UserRow>(&adapter, &sql)
                .await
                .expect("adapter many")
        });
    });
    group.finish();

    let mut group = c.benchmark_group("pg_insert_one_row");
    group.bench_function("raw", |b| {
        b.to_async(&runtime).iter(|| async {
            let naive = now.naive_utc();
            raw.execute(
                &insert,
                &[&"bench@example.com", &Some("Bench"), &30i32, &naive],
            )
            .await
            .expect("raw insert")
        });
    });
    group.bench_function("adapter", |b| {
        b.to_async(&runtime).iter(|| async {
            let sql = Sql::with_params(
                INSERT,
                vec![
                    Value::from("bench@example.com"),
                    Value::from("Bench"),
                    Value::Int(30),
                    Value::DateTime(now),
                ],
            );
            adapter.execute(&sql).await.expect("adapter insert")
        });
    });
    group.finish();

    drop((adapter, raw));
    drop(runtime);
    drop(db);
}

/// Runs raw and adapter alternately (`orm_benches::interleaved`: `rounds` rounds, swapping
/// which goes first) and prints the median per-operation times and per-round ratio.
async fn interleaved<R, RF, A, AF, T, U>(
    name: &str,
    rounds: usize,
    iterations: u32,
    raw: R,
    adapter: A,
) where
    R: Fn() -> RF,
    RF: Future<Output = T>,
    A: Fn() -> AF,
    AF: Future<Output = U>,
{
    let result = orm_benches::interleaved(rounds, iterations, raw, adapter).await;
    println!("interleaved {name:<20} {result}");
}

fn interleaved_ratios() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let db = runtime.block_on(PgDatabase::create());
    runtime.block_on(async {
        let (adapter, raw, (point, many, insert)) = fixture(&db).await;
        let now = Utc::now();
        let point_sql = Sql::with_params(POINT, vec![Value::Int(42)]);
        interleaved(
            "point read",
            41,
            200,
            || async { raw_rows(&raw.query(&point, &[&42i32]).await.expect("raw")) },
            || async { orm_benches::rows_each::<UserRow>(&adapter, &point_sql).await },
        )
        .await;
        let many_sql = Sql::with_params(MANY, vec![Value::BigInt(1000)]);
        interleaved(
            "1000-row read",
            41,
            5,
            || async { raw_rows(&raw.query(&many, &[&1000i64]).await.expect("raw")) },
            || async { orm_benches::rows_each::<UserRow>(&adapter, &many_sql).await },
        )
        .await;
        let naive = now.naive_utc();
        interleaved(
            "one-row insert",
            21,
            5,
            || async {
                raw.execute(
                    &insert,
                    &[&"bench@example.com", &Some("Bench"), &30i32, &naive],
                )
                .await
                .expect("raw")
            },
            || async {
                let sql = Sql::with_params(
                    INSERT,
                    vec![
                        Value::from("bench@example.com"),
                        Value::from("Bench"),
                        Value::Int(30),
                        Value::DateTime(now),
                    ],
                );
                adapter.execute(&sql).await.expect("adapter")
            },
        )
        .await;
    });
    drop(runtime);
    drop(db);
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    interleaved_ratios();
}
