//! The query engine on SQLite beside raw rusqlite doing the same work optimally, in the same
//! run: `findUnique` by id, `findMany` of 1000 rows, users with their orders included (1,
//! 100 and 1000 users × 10 orders), `create` of one row, `createMany` of 10,000 rows. Both
//! sides decode into the same Rust tuples.
//!
//! - raw: one rusqlite connection with cached statements, called directly on the runtime's
//!   thread (the floor an async service cannot go below); includes as `IN (?1, …)` on the
//!   parents' ids and a hash-map stitch; `createMany` as a transaction of cached single-row
//!   inserts.
//! - engine: `orm_core::client::Client` over `SqliteAdapter` on a multi-threaded runtime.
//!
//! Run: `cargo bench -p orm-benches --bench engine_sqlite`. Criterion's figures come first,
//! then the interleaved medians (see `BENCHMARKS.md`).

#[macro_use]
mod engine_common;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use criterion::Criterion;
use engine_common::*;
use orm_core::Queryable;
use orm_core::client::Client;
use orm_core::engine::RelationLoadStrategy;
use orm_sqlite::SqliteAdapter;

const COLUMNS: &str = r#""id", "email", "name", "age", "createdAt""#;

struct Raw {
    conn: Mutex<rusqlite::Connection>,
}

fn datetime(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an ISO date-time")
        .to_utc()
}

fn user(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    let created: String = r.get(4)?;
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        datetime(&created),
    ))
}

fn order(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, false)
}

impl Raw {
    fn conn(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Empties the table the writes go to, so that the run does not fill the disk.
    async fn reset_events(&self) {
        self.conn()
            .execute_batch(r#"DELETE FROM "Event""#)
            .expect("delete");
    }

    async fn find_unique(&self, id: i32) -> Option<UserRow> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(r#"SELECT {COLUMNS} FROM "User" WHERE "id" = ?1"#))
            .expect("prepare");
        let mut rows = stmt.query_map([id], user).expect("raw");
        rows.next().map(|r| r.expect("row"))
    }

    async fn find_many(&self, take: i64) -> Vec<UserRow> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                r#"SELECT {COLUMNS} FROM "User" ORDER BY "id" LIMIT ?1"#
            ))
            .expect("prepare");
        let rows = stmt.query_map([take], user).expect("raw");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    }

    async fn with_orders(&self, first: i32, users: i64) -> Vec<(UserRow, Vec<OrderRow>)> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                r#"SELECT {COLUMNS} FROM "User" WHERE "id" >= ?1 ORDER BY "id" LIMIT ?2"#
            ))
            .expect("prepare");
        let users: Vec<UserRow> = stmt
            .query_map(rusqlite::params![first, users], user)
            .expect("raw")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        let placeholders: Vec<String> = (1..=users.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = conn
            .prepare_cached(&format!(
                r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" IN ({}) ORDER BY "id""#,
                placeholders.join(", ")
            ))
            .expect("prepare");
        let ids = users.iter().map(|u| u.0);
        let mut by_user: HashMap<i32, Vec<OrderRow>> = HashMap::with_capacity(users.len());
        let mut rows = stmt.query(rusqlite::params_from_iter(ids)).expect("raw");
        while let Some(row) = rows.next().expect("row") {
            let o = order(row).expect("order");
            by_user.entry(o.1).or_default().push(o);
        }
        users
            .into_iter()
            .map(|u| {
                let orders = by_user.remove(&u.0).unwrap_or_default();
                (u, orders)
            })
            .collect()
    }

    async fn create(&self, user: i32, at: DateTime<Utc>) -> EventRow {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                r#"INSERT INTO "Event" ("userId", "kind", "at") VALUES (?1, ?2, ?3) RETURNING "id", "userId", "kind", "at""#,
            )
            .expect("prepare");
        stmt.query_row(rusqlite::params![user, "login", iso(at)], |r| {
            let at: String = r.get(3)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, datetime(&at)))
        })
        .expect("raw")
    }

    async fn create_many(&self, rows: &[EventData]) -> u64 {
        let mut conn = self.conn();
        let tx = conn.transaction().expect("begin");
        let mut inserted = 0;
        {
            let mut stmt = tx
                .prepare_cached(
                    r#"INSERT INTO "Event" ("userId", "kind", "at") VALUES (?1, ?2, ?3)"#,
                )
                .expect("prepare");
            for (user, kind, at) in rows {
                inserted += stmt
                    .execute(rusqlite::params![user, kind, iso(*at)])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
        u64::try_from(inserted).unwrap_or(0)
    }
}

async fn setup(file: &orm_tests::SqliteFile) -> (Raw, Engine) {
    let schema = schema("sqlite");
    let adapter = SqliteAdapter::open(&file.url()).await.expect("open");
    adapter
        .execute_script(&ddl(schema, orm_core::Dialect::Sqlite))
        .await
        .expect("tables");
    adapter
        .execute_script(&format!(
            r#"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {USERS})
               INSERT INTO "User" ("email", "name", "age", "createdAt")
               SELECT 'user' || i || '@example.com', CASE WHEN i % 3 = 0 THEN NULL ELSE 'User ' || i END,
                      i % 90, '2026-01-01T00:00:00.000+00:00' FROM n;
               WITH RECURSIVE u(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM u WHERE i < {USERS}),
                    k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < {ORDERS_PER_USER})
               INSERT INTO "Order" ("userId", "total", "sku")
               SELECT i, (i * 7 + j) % 500, CASE WHEN j % 4 = 0 THEN NULL ELSE 'SKU-' || j END FROM u, k
               ORDER BY i, j;
               ANALYZE;"#
        ))
        .await
        .expect("rows");
    let conn = rusqlite::Connection::open(file.path()).expect("open raw");
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
        .expect("pragmas");
    let engine = Engine::new(Client::new(adapter, schema), schema);
    (
        Raw {
            conn: Mutex::new(conn),
        },
        engine,
    )
}

macro_rules! workloads {
    ($raw:ident, $engine:ident, $run:ident) => {{
        let at = Utc::now();
        let events = events(at);
        let n = AtomicI32::new(0);
        let next = || n.fetch_add(1, Ordering::Relaxed) % USERS + 1;
        $run!("find_unique", 500, || $raw.find_unique(next()), || $engine
            .find_unique(next()));
        $run!(
            "adapter_only_find_unique",
            500,
            || $raw.find_unique(next()),
            || $engine.adapter_point(next())
        );
        $run!("find_many_1000", 5, || $raw.find_many(1000), || $engine
            .find_many(1000));
        for (users, iterations) in [(1i64, 500u32), (100, 20), (1000, 2)] {
            let first = || {
                i32::try_from((i64::from(next()) - 1) % (i64::from(USERS) - users + 1) + 1)
                    .unwrap_or(1)
            };
            $run!(
                &format!("include_{users}x10_query"),
                iterations,
                || $raw.with_orders(first(), users),
                || $engine.with_orders(first(), users, RelationLoadStrategy::Query)
            );
        }
        $run!("create_one", 100, || $raw.create(next(), at), || $engine
            .create(next(), at));
        $run!("create_many_10000", 1, || $raw.create_many(&events), || {
            $engine.create_many(&events)
        });
    }};
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let file = orm_tests::SqliteFile::new();
    let (raw, engine) = runtime.block_on(setup(&file));
    run_workloads!(workloads, "engine_sqlite_", &runtime, &raw, &engine);
    drop((raw, engine));
    drop(runtime);
    drop(file);
}
