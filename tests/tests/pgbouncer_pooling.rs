//! Behind a real PgBouncer in transaction pooling mode (the suite's PgBouncer pass, started
//! by `scripts/test.sh`): why `pgbouncer=true` is needed, that it sends no named statement,
//! and that many clients with `connection_limit=1` each run queries and transactions
//! concurrently through the pooler without a single error.
//!
//! These tests need `ORM_TEST_PGBOUNCER_URL`; without it they fail, saying so.

mod engine_support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use engine_support::{INVENTORY, ORDER, USER, inventory, order, seed_schema, user};
use orm_core::client::Client;
use orm_core::engine::{
    CountArgs, CreateArgs, CreateData, Filter, FindUniqueArgs, NestedWrite, Selection, UpdateArgs,
    UpdateData, UpdateOp,
};
use orm_core::{Adapter, Queryable, Sql, TransactionOptions, Value, execute_raw, query_raw};
use orm_pg::PgAdapter;
use orm_tests::PgDatabase;

/// A database reached through PgBouncer; fails when the suite is not in its PgBouncer pass.
async fn pooled_database() -> PgDatabase {
    let db = PgDatabase::create().await;
    assert!(
        db.is_through_pgbouncer(),
        "the pgbouncer_* tests run behind PgBouncer: use scripts/test.sh, or start one in \
         transaction mode and set ORM_TEST_PGBOUNCER_URL=postgres://user@host:port/db?pgbouncer=true&connection_limit=1"
    );
    db
}

/// `url` without its query string (Prisma's parameters), for plain tokio-postgres clients.
fn plain(url: &str) -> &str {
    url.split_once('?').map_or(url, |(base, _)| base)
}

/// PgBouncer's settings, from its console (its `pgbouncer` database).
async fn pgbouncer_config(db: &PgDatabase) -> BTreeMap<String, String> {
    let console = raw_client(&orm_tests::with_database(plain(&db.url), "pgbouncer")).await;
    let rows = simple_rows(&console.simple_query("SHOW CONFIG").await.unwrap());
    rows.into_iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect()
}

async fn raw_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(plain(url), tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", plain(url)));
    tokio::spawn(connection);
    client
}

/// The value of the first column of the first row of a simple-protocol query's rows.
fn simple_rows(messages: &[tokio_postgres::SimpleQueryMessage]) -> Vec<Vec<String>> {
    messages
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or_default().to_owned())
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_pass_goes_through_pgbouncer_in_transaction_mode() {
    let db = pooled_database().await;
    // PgBouncer's own console answers SHOW commands; PostgreSQL would reject them.
    let config = pgbouncer_config(&db).await;
    assert_eq!(
        config.get("pool_mode").map(String::as_str),
        Some("transaction")
    );

    let pg = PgAdapter::connect(&db.url).await.unwrap();
    let rows = pg
        .query(&Sql::new("SELECT current_database()::text"))
        .await
        .unwrap();
    assert_eq!(
        rows.rows().next().unwrap().values()[0],
        Value::String(db.name.clone())
    );
    let console = raw_client(&orm_tests::with_database(plain(&db.url), "pgbouncer")).await;
    let clients = simple_rows(&console.simple_query("SHOW CLIENTS").await.unwrap());
    assert!(
        clients.iter().any(|row| row.contains(&db.name)),
        "PgBouncer lists the adapter's connection to {}: {clients:?}",
        db.name
    );
}

/// Why `pgbouncer=true` exists: a statement prepared under a name lives on one server
/// connection, and a transaction-mode pooler sends the next statement of the same client to
/// whichever server connection is free.
#[tokio::test]
async fn named_statements_break_behind_a_transaction_pooler() {
    let db = pooled_database().await;
    let named = raw_client(&db.url).await;
    // Prepared (under a name) on the pool's only server connection.
    let statement = named.prepare("SELECT 1::int4 AS one").await.unwrap();
    // Another client takes that server connection for its transaction…
    let holder = raw_client(&db.url).await;
    holder.batch_execute("BEGIN; SELECT 1").await.unwrap();
    // …so the named statement runs on a fresh server connection, which never saw it.
    let err = named.query(&statement, &[]).await.unwrap_err();
    let code = err.as_db_error().map(|e| e.code().code().to_owned());
    assert_eq!(code.as_deref(), Some("26000"), "{err}");

    // The adapter in PgBouncer mode, in the same situation, sends everything unnamed.
    let pg = PgAdapter::connect(&db.url).await.unwrap();
    let select = Sql::with_params("SELECT $1::int4 AS one", vec![Value::Int(1)]);
    for _ in 0..3 {
        let rows = pg.query(&select).await.unwrap();
        assert_eq!(rows.rows().next().unwrap().values()[0], Value::Int(1));
    }
    holder.batch_execute("COMMIT").await.unwrap();
    for _ in 0..3 {
        pg.query(&select).await.unwrap();
    }
}

/// Runs statements of every kind, then counts the prepared statements on the pool's only
/// server connection from inside a transaction (which pins it).
async fn prepared_statements_left(db: &PgDatabase, adapter: &PgAdapter) -> Value {
    adapter
        .execute_script(r#"CREATE TABLE IF NOT EXISTS "T" ("v" INT)"#)
        .await
        .unwrap();
    for n in 0..5 {
        let insert = Sql::with_params(r#"INSERT INTO "T" VALUES ($1)"#, vec![Value::Int(n)]);
        adapter.execute(&insert).await.unwrap();
        let select = Sql::with_params(r#"SELECT "v" FROM "T" WHERE "v" = $1"#, vec![Value::Int(n)]);
        adapter.query(&select).await.unwrap();
        let tx = adapter.begin(&TransactionOptions::default()).await.unwrap();
        tx.execute(&insert).await.unwrap();
        tx.query(&select).await.unwrap();
        tx.commit().await.unwrap();
    }
    let observer = raw_client(&db.direct_url).await;
    let servers: i64 = observer
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&db.name],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        servers, 1,
        "PgBouncer opened one server connection for one client"
    );
    let tx = adapter.begin(&TransactionOptions::default()).await.unwrap();
    let rows = tx
        .query(&Sql::new("SELECT count(*) FROM pg_prepared_statements"))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    rows.rows().next().unwrap().values()[0].clone()
}

#[tokio::test]
async fn pgbouncer_mode_sends_no_named_statement() {
    let db = pooled_database().await;
    let pooled = PgAdapter::connect(&db.url).await.unwrap();
    assert_eq!(
        prepared_statements_left(&db, &pooled).await,
        Value::BigInt(0)
    );
    drop(pooled);
    // The same count sees the statements the cache names when `pgbouncer=true` is off.
    let named = PgAdapter::connect(&db.url_with("pgbouncer=false"))
        .await
        .unwrap();
    let Value::BigInt(left) = prepared_statements_left(&db, &named).await else {
        panic!("count(*) is a bigint")
    };
    assert!(left >= 2, "named mode left {left} prepared statements");
}

const CLIENTS: usize = 12;
const ROUNDS: usize = 15;
const INITIAL_STOCK: i32 = 1_000_000;

fn seed_ddl() -> String {
    let dir = orm_tests::shared_dir().join("prisma-golden/seed/postgresql/init/migrations");
    let migration = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("migration.sql"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no migration under {}", dir.display()));
    std::fs::read_to_string(migration).unwrap()
}

/// How long a client may wait behind the others (they share few server connections).
const PATIENCE: Duration = Duration::from_secs(30);

/// How a round's interactive transaction ended other than by committing.
enum Round {
    /// The closure undid it on purpose, after running on this backend.
    Undone(i32),
    Failed(orm_core::Error),
}

impl From<orm_core::Error> for Round {
    fn from(error: orm_core::Error) -> Self {
        Round::Failed(error)
    }
}

/// What one client did, to check against the database afterwards.
#[derive(Default)]
struct Tally {
    /// Orders committed (nested creates and interactive transactions).
    orders: usize,
    /// Stock the committed interactive transactions took.
    stock_taken: i32,
    /// The server connections (backend pids) its transactions ran on.
    backends: BTreeSet<i32>,
}

/// One client's work: creates, reads, nested writes (a transaction of the engine's own), the
/// seed's interactive transaction (committed, or rolled back every third round), a batch
/// transaction and raw SQL.
async fn client_work(client: Client, id: usize) -> orm_core::Result<Tally> {
    let mut tally = Tally::default();
    let widget = || Filter::equals(inventory::SKU, "widget");
    for round in 0..ROUNDS {
        let email = format!("c{id}r{round}@pool.test");
        let mut data = CreateData {
            scalars: vec![(user::EMAIL, Value::from(email.as_str()))],
            relations: vec![],
        };
        if round % 2 == 0 {
            let order = CreateData {
                scalars: vec![(order::TOTAL, Value::Int(1))],
                relations: vec![],
            };
            data.relations
                .push((user::ORDERS, NestedWrite::Create(vec![order])));
            tally.orders += 1;
        }
        let created = client
            .create(
                USER,
                CreateArgs {
                    data,
                    selection: Selection::scalars(vec![user::ID]),
                },
            )
            .await?;
        let user_id = created.rows.rows().next().expect("created").values()[0].clone();
        let found = client
            .find_unique(
                USER,
                FindUniqueArgs {
                    filter: Filter::equals(user::EMAIL, email.as_str()),
                    selection: Selection::scalars(vec![user::ID, user::EMAIL]),
                    ..FindUniqueArgs::default()
                },
            )
            .await?;
        assert_eq!(found.rows.len(), 1, "{email} is found by the same client");

        // The seed's interactive transaction; every third one is undone by its closure.
        let undo = round % 3 == 2;
        let outcome = client
            .transaction(|tx| async move {
                tx.update(
                    INVENTORY,
                    UpdateArgs {
                        filter: widget(),
                        data: UpdateData {
                            scalars: vec![(inventory::STOCK, UpdateOp::Decrement(Value::Int(1)))],
                            relations: vec![],
                        },
                        selection: Selection::scalars(vec![inventory::STOCK]),
                    },
                )
                .await?;
                tx.create(
                    ORDER,
                    CreateArgs {
                        data: CreateData {
                            scalars: vec![
                                (order::USER_ID, user_id),
                                (order::TOTAL, Value::Int(2)),
                                (order::SKU, Value::from("widget")),
                            ],
                            relations: vec![],
                        },
                        selection: Selection::scalars(vec![order::ID]),
                    },
                )
                .await?;
                let pid: Vec<(i32,)> = query_raw!(tx, "SELECT pg_backend_pid()").await?;
                if undo {
                    Err(Round::Undone(pid[0].0))
                } else {
                    Ok(pid[0].0)
                }
            })
            .with_max_wait(PATIENCE)
            .with_timeout(PATIENCE)
            .await;
        match outcome {
            Ok(pid) => {
                tally.backends.insert(pid);
                tally.orders += 1;
                tally.stock_taken += 1;
            }
            Err(Round::Undone(pid)) => {
                tally.backends.insert(pid);
            }
            Err(Round::Failed(error)) => return Err(error),
        }

        // A batch transaction of raw statements.
        let order_id = format!("batch-{id}-{round}");
        let (taken, inserted): (u64, u64) = client
            .batch((
                execute_raw!(
                    client,
                    r#"UPDATE "Inventory" SET "stock" = "stock" - 1 WHERE "sku" = 'widget'"#
                ),
                execute_raw!(
                    client,
                    r#"INSERT INTO "Order" ("id", "userId", "total", "sku")
                       SELECT {order_id}, "id", 3, 'widget' FROM "User" WHERE "email" = {email}"#
                ),
            ))
            .with_max_wait(PATIENCE)
            .await?;
        assert_eq!((taken, inserted), (1, 1));
        tally.orders += 1;
        tally.stock_taken += 1;

        let counted: Vec<(i64,)> = query_raw!(
            client,
            r#"SELECT count(*) FROM "User" WHERE "email" = {email}"#
        )
        .await?;
        assert_eq!(counted, [(1,)]);
    }
    Ok(tally)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_clients_with_one_connection_each_share_the_pooler_without_errors() {
    let db = pooled_database().await;
    let server_connections: usize = pgbouncer_config(&db).await["default_pool_size"]
        .parse()
        .unwrap();
    assert!(
        CLIENTS > server_connections,
        "more clients ({CLIENTS}) than PgBouncer's server connections per database \
         ({server_connections}), so that server connections are shared"
    );
    let setup = PgAdapter::connect(&db.url).await.unwrap();
    setup.execute_script(&seed_ddl()).await.unwrap();
    setup
        .execute(&Sql::with_params(
            r#"INSERT INTO "Inventory" ("sku", "stock") VALUES ('widget', $1)"#,
            vec![Value::Int(INITIAL_STOCK)],
        ))
        .await
        .unwrap();

    let mut tasks = Vec::new();
    for id in 0..CLIENTS {
        // Each client is its own pool of one connection (`connection_limit=1` from the URL),
        // as in a fleet of small servers behind one PgBouncer.
        let adapter = PgAdapter::connect(&db.url).await.unwrap();
        assert_eq!(adapter.pool_status().max_size, 1);
        let client = Client::new(adapter, seed_schema(engine_support::Backend::Postgres));
        tasks.push(tokio::spawn(client_work(client, id)));
    }
    let (mut orders, mut stock_taken) = (0, 0);
    let mut clients_per_backend: BTreeMap<i32, usize> = BTreeMap::new();
    for (id, task) in tasks.into_iter().enumerate() {
        let tally = task
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("client {id} failed behind PgBouncer: {e} ({e:?})"));
        orders += tally.orders;
        stock_taken += tally.stock_taken;
        for pid in tally.backends {
            *clients_per_backend.entry(pid).or_default() += 1;
        }
    }
    // More clients than PgBouncer's server connections: some server connection served
    // several clients, the situation in which named statements break.
    assert!(
        clients_per_backend.values().any(|&clients| clients > 1),
        "no server connection was shared: {clients_per_backend:?}"
    );

    let client = Client::new(setup, seed_schema(engine_support::Backend::Postgres));
    assert_eq!(count(&client, USER).await, CLIENTS * ROUNDS);
    assert_eq!(count(&client, ORDER).await, orders);
    let stock = client
        .find_unique(
            INVENTORY,
            FindUniqueArgs {
                filter: Filter::equals(inventory::SKU, "widget"),
                selection: Selection::scalars(vec![inventory::STOCK]),
                ..FindUniqueArgs::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        stock.rows.rows().next().unwrap().values()[0],
        Value::Int(INITIAL_STOCK - stock_taken)
    );
}

async fn count(client: &Client, model: orm_core::engine::ModelId) -> usize {
    let args = CountArgs {
        fields: vec![None],
        ..CountArgs::default()
    };
    let counts = client.count(model, args).await.unwrap();
    usize::try_from(counts[0]).unwrap()
}

/// `createMany` binds one array per column (`UNNEST`) on PostgreSQL. In PgBouncer mode the
/// statement is unnamed and a text or date-time array is sent in text form with an unknown
/// type, which the statement's own casts (`$1::text[]`, `$2::timestamp[]`) resolve.
#[tokio::test]
async fn create_many_as_arrays_works_in_pgbouncer_mode() {
    let db = pooled_database().await;
    let adapter = PgAdapter::connect(&db.url).await.unwrap();
    adapter.execute_script(&seed_ddl()).await.unwrap();
    let client = Client::new(adapter, seed_schema(engine_support::Backend::Postgres));
    let at = |s: &str| {
        Value::DateTime(
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .with_timezone(&chrono::Utc),
        )
    };
    let users: Vec<CreateData> = [
        (
            "a \"quoted\" {x,y} \\ NULL@x.io",
            "2026-01-02T03:04:05.678Z",
        ),
        ("b@x.io", "1999-12-31T23:59:59.999Z"),
    ]
    .iter()
    .map(|(email, created)| CreateData {
        scalars: vec![
            (user::EMAIL, Value::from(*email)),
            (user::CREATED_AT, at(created)),
        ],
        relations: vec![],
    })
    .collect();
    let created = client
        .create_many_and_return(
            USER,
            orm_core::engine::CreateManyArgs {
                data: users,
                selection: Selection::scalars(vec![user::EMAIL, user::CREATED_AT]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut rows: Vec<Vec<Value>> = created.rows.rows().map(|r| r.values().to_vec()).collect();
    rows.sort_by_key(|r| format!("{:?}", r[0]));
    assert_eq!(
        rows,
        vec![
            vec![
                Value::from("a \"quoted\" {x,y} \\ NULL@x.io"),
                at("2026-01-02T03:04:05.678Z")
            ],
            vec![Value::from("b@x.io"), at("1999-12-31T23:59:59.999Z")],
        ]
    );
    let stock = client
        .create_many(
            INVENTORY,
            orm_core::engine::CreateManyArgs {
                data: (0..3)
                    .map(|i| CreateData {
                        scalars: vec![
                            (inventory::SKU, Value::from(format!("s{i}"))),
                            (inventory::STOCK, Value::Int(i)),
                        ],
                        relations: vec![],
                    })
                    .collect(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(stock, 3);
    assert_eq!(count(&client, INVENTORY).await, 3);
}
