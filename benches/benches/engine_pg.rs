//! The query engine on PostgreSQL beside raw tokio-postgres doing the same work optimally, in
//! the same run: `findUnique` by id, `findMany` of 1000 rows, users with their orders
//! included (both relation load strategies, at 1, 100 and 1000 users × 10 orders), `create`
//! of one row, `createMany` of 10,000 rows. Both sides decode into the same Rust tuples.
//!
//! - raw: one tokio-postgres connection, every statement prepared up front; includes as
//!   `= ANY($1)` on the parents' ids and a hash-map stitch; `createMany` as one prepared
//!   multi-row `INSERT`.
//! - engine: `orm_core::client::Client` over `PgAdapter` with one pooled connection (pool
//!   checkout, statement building and rendering, the adapter's statement cache, value
//!   conversion, `Records` and their typed decoding).
//!
//! The database runs with `synchronous_commit = off`, so that writes measure the work of the
//! two sides rather than the WAL flush.
//!
//! Run: `cargo bench -p orm-benches --bench engine_pg` (PostgreSQL at `ORM_TEST_PG_URL`).
//! Criterion's figures come first, then the interleaved medians (see `BENCHMARKS.md`).

#[macro_use]
mod engine_common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};

use chrono::{DateTime, NaiveDateTime, Utc};
use criterion::Criterion;
use engine_common::*;
use orm_core::Queryable;
use orm_core::client::Client;
use orm_core::engine::RelationLoadStrategy;
use orm_pg::PgAdapter;
use orm_tests::PgDatabase;
use tokio_postgres::types::ToSql;

const COLUMNS: &str = r#""id", "email", "name", "age", "createdAt""#;

struct Raw {
    client: tokio_postgres::Client,
    point: tokio_postgres::Statement,
    many: tokio_postgres::Statement,
    users_from: tokio_postgres::Statement,
    orders_of: tokio_postgres::Statement,
    insert: tokio_postgres::Statement,
    insert_many: tokio_postgres::Statement,
}

fn user(row: &tokio_postgres::Row) -> UserRow {
    let created: NaiveDateTime = row.get(4);
    (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        created.and_utc(),
    )
}

fn order(row: &tokio_postgres::Row) -> OrderRow {
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

impl Raw {
    async fn connect(url: &str) -> Raw {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("raw connection");
        tokio::spawn(connection);
        let values: Vec<String> = (0..CREATE_MANY)
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let prepare = async |sql: String| client.prepare(&sql).await.expect("prepare");
        Raw {
            point: prepare(format!(r#"SELECT {COLUMNS} FROM "User" WHERE "id" = $1"#)).await,
            many: prepare(format!(r#"SELECT {COLUMNS} FROM "User" ORDER BY "id" LIMIT $1"#)).await,
            users_from: prepare(format!(
                r#"SELECT {COLUMNS} FROM "User" WHERE "id" >= $1 ORDER BY "id" LIMIT $2"#
            ))
            .await,
            orders_of: prepare(
                r#"SELECT "id", "userId", "total", "sku" FROM "Order" WHERE "userId" = ANY($1) ORDER BY "id""#
                    .to_owned(),
            )
            .await,
            insert: prepare(
                r#"INSERT INTO "Event" ("userId", "kind", "at") VALUES ($1, $2, $3) RETURNING "id", "userId", "kind", "at""#
                    .to_owned(),
            )
            .await,
            insert_many: prepare(format!(
                r#"INSERT INTO "Event" ("userId", "kind", "at") VALUES {}"#,
                values.join(", ")
            ))
            .await,
            client,
        }
    }

    /// Empties the table the writes go to, so that the run does not fill the disk.
    async fn reset_events(&self) {
        self.client
            .batch_execute(r#"TRUNCATE "Event""#)
            .await
            .expect("truncate");
    }

    async fn find_unique(&self, id: i32) -> Option<UserRow> {
        let rows = self.client.query(&self.point, &[&id]).await.expect("raw");
        rows.first().map(user)
    }

    async fn find_many(&self, take: i64) -> Vec<UserRow> {
        let rows = self.client.query(&self.many, &[&take]).await.expect("raw");
        rows.iter().map(user).collect()
    }

    async fn with_orders(&self, first: i32, users: i64) -> Vec<(UserRow, Vec<OrderRow>)> {
        let rows = self
            .client
            .query(&self.users_from, &[&first, &users])
            .await
            .expect("raw");
        let users: Vec<UserRow> = rows.iter().map(user).collect();
        let ids: Vec<i32> = users.iter().map(|u| u.0).collect();
        let rows = self
            .client
            .query(&self.orders_of, &[&ids])
            .await
            .expect("raw");
        let mut by_user: HashMap<i32, Vec<OrderRow>> = HashMap::with_capacity(ids.len());
        for row in &rows {
            let o = order(row);
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
        let at = at.naive_utc();
        let row = self
            .client
            .query_one(&self.insert, &[&user, &"login", &at])
            .await
            .expect("raw");
        let at: NaiveDateTime = row.get(3);
        (row.get(0), row.get(1), row.get(2), at.and_utc())
    }

    async fn create_many(&self, rows: &[EventData]) -> u64 {
        let naive: Vec<NaiveDateTime> = rows.iter().map(|r| r.2.naive_utc()).collect();
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(rows.len() * 3);
        for (row, at) in rows.iter().zip(&naive) {
            params.push(&row.0);
            params.push(&row.1);
            params.push(at);
        }
        self.client
            .execute(&self.insert_many, &params)
            .await
            .expect("raw")
    }
}

async fn setup(db: &PgDatabase) -> (Raw, Engine) {
    let admin = PgAdapter::connect(&db.url).await.expect("connect");
    let schema = schema("postgresql");
    admin
        .execute_script(&format!(
            r#"ALTER DATABASE "{}" SET synchronous_commit = off;
            {}
            INSERT INTO "User" ("email", "name", "age")
                SELECT 'user' || n || '@example.com', CASE WHEN n % 3 = 0 THEN NULL ELSE 'User ' || n END, n % 90
                FROM generate_series(1, {USERS}) AS n;
            INSERT INTO "Order" ("userId", "total", "sku")
                SELECT u, (u * 7 + k) % 500, CASE WHEN k % 4 = 0 THEN NULL ELSE 'SKU-' || k END
                FROM generate_series(1, {USERS}) AS u, generate_series(1, {ORDERS_PER_USER}) AS k;
            ANALYZE;"#,
            db.name,
            ddl(schema, orm_core::Dialect::Postgres)
        ))
        .await
        .expect("setup");
    drop(admin);
    let url = format!("{}?connection_limit=1&sslmode=disable", db.url);
    let adapter = PgAdapter::connect(&url).await.expect("adapter");
    let engine = Engine::new(Client::new(adapter, schema), schema);
    (Raw::connect(&db.url).await, engine)
}

/// The workloads, each as (name, raw, engine) closures run by criterion and interleaved.
macro_rules! workloads {
    ($raw:ident, $engine:ident, $run:ident) => {{
        let at = Utc::now();
        let events = events(at);
        let n = AtomicI32::new(0);
        let next = || n.fetch_add(1, Ordering::Relaxed) % USERS + 1;
        $run!("find_unique", 200, || $raw.find_unique(next()), || $engine
            .find_unique(next()));
        $run!(
            "adapter_only_find_unique",
            200,
            || $raw.find_unique(next()),
            || $engine.adapter_point(next())
        );
        $run!("find_many_1000", 5, || $raw.find_many(1000), || $engine
            .find_many(1000));
        for (users, iterations) in [(1i64, 200u32), (100, 10), (1000, 2)] {
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
            $run!(
                &format!("include_{users}x10_join"),
                iterations,
                || $raw.with_orders(first(), users),
                || $engine.with_orders(first(), users, RelationLoadStrategy::Join)
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let db = runtime.block_on(PgDatabase::create());
    let (raw, engine) = runtime.block_on(setup(&db));
    run_workloads!(workloads, "engine_pg_", &runtime, &raw, &engine);
    drop((raw, engine));
    drop(runtime);
    drop(db);
}
