//! The PostgreSQL adapter against a real server: value round trips (prepared and PgBouncer
//! mode), injection safety, the pool, lost connections, dropped transactions and the SQLSTATE
//! mapping.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use orm_core::{Adapter, Error, Kind, Queryable, Sql, TransactionOptions, Value};
use orm_pg::PgAdapter;
use orm_tests::PgDatabase;
use rust_decimal::Decimal;

fn sql(text: &str, params: Vec<Value>) -> Sql {
    Sql::with_params(text, params)
}

async fn adapter(db: &PgDatabase, params: &str) -> PgAdapter {
    PgAdapter::connect(&db.url_with(params))
        .await
        .expect("connect the adapter")
}

/// A plain tokio-postgres client on the test database, to observe the server independently.
async fn observer(db: &PgDatabase) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(&db.direct_url, tokio_postgres::NoTls)
        .await
        .expect("connect the observer");
    tokio::spawn(connection);
    client
}

async fn scalar(db: &(impl Queryable + ?Sized), text: &str) -> Value {
    let rows = db.query(&Sql::new(text)).await.expect(text);
    rows.rows().next().expect("one row").values()[0].clone()
}

const SCHEMA: &str = r#"
    CREATE TYPE "Mood" AS ENUM ('HAPPY', 'SAD', 'it''s "complicated"');
    CREATE TABLE "Everything" (
        "id" SERIAL PRIMARY KEY,
        "int" INTEGER,
        "big" BIGINT,
        "float" DOUBLE PRECISION,
        "dec" DECIMAL(65,30),
        "text" TEXT,
        "short" VARCHAR(10),
        "at" TIMESTAMP(3),
        "atz" TIMESTAMPTZ(3),
        "json" JSONB,
        "plain_json" JSON,
        "bytes" BYTEA,
        "flag" BOOLEAN,
        "mood" "Mood",
        "uid" UUID,
        "ints" INTEGER[],
        "texts" TEXT[],
        "moods" "Mood"[]
    );
"#;

const COLUMNS: [&str; 17] = [
    "int",
    "big",
    "float",
    "dec",
    "text",
    "short",
    "at",
    "atz",
    "json",
    "plain_json",
    "bytes",
    "flag",
    "mood",
    "uid",
    "ints",
    "texts",
    "moods",
];

fn datetime(text: &str) -> DateTime<Utc> {
    DateTime::<FixedOffset>::parse_from_rfc3339(text)
        .expect("valid date-time")
        .with_timezone(&Utc)
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("valid decimal")
}

/// Rows of values for every column, covering the edge values; each row is written and must
/// read back equal (the expected value is the written one unless given).
fn edge_rows() -> Vec<Vec<(Value, Option<Value>)>> {
    let nested = serde_json::json!({
        "a": [1, {"b": null, "c": "ü\"\\"}],
        "d": {"e": {"f": [true, false, 1.5e300, -0.0]}},
        "empty": {}, "list": []
    });
    let mib: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| u8::try_from(i % 251).unwrap())
        .collect();
    let uuid = "0191b0e4-b4c8-75b9-9fa3-4f30b759315c";
    let same = |v: Value| (v, None);
    vec![
        vec![
            same(Value::Int(i32::MIN)),
            same(Value::BigInt(i64::MIN)),
            same(Value::Float(f64::NEG_INFINITY)),
            same(Value::Decimal(decimal("1234567890.123456789012345678"))),
            same(Value::String(String::new())),
            same(Value::String("ünï©ødé 🌍".into())),
            same(Value::DateTime(datetime("2024-03-10T01:59:59.999-08:00"))),
            same(Value::DateTime(datetime("2024-10-27T02:30:00.001+02:00"))),
            same(Value::Json(nested.clone())),
            same(Value::Json(serde_json::json!("just a string"))),
            same(Value::Bytes(Vec::new())),
            same(Value::Boolean(false)),
            (
                Value::String("HAPPY".into()),
                Some(Value::Enum("HAPPY".into())),
            ),
            same(Value::String(uuid.into())),
            same(Value::List(Kind::Int, vec![])),
            same(Value::List(Kind::String, vec![])),
            (
                Value::List(Kind::Enum, vec![]),
                Some(Value::List(Kind::Enum, vec![])),
            ),
        ],
        vec![
            same(Value::Int(i32::MAX)),
            same(Value::BigInt(i64::MAX)),
            same(Value::Float(f64::INFINITY)),
            same(Value::Decimal(decimal("-0.0000000000000000000000000001"))),
            same(Value::String(
                "Grüße, 世界, \u{202e}rtl, 'quoted' \"double\" \\ back".into(),
            )),
            same(Value::String("0123456789".into())),
            // Sub-millisecond digits are dropped on write, as Prisma does.
            (
                Value::DateTime(datetime("1969-12-31T23:59:59.999999+05:45")),
                Some(Value::DateTime(datetime("1969-12-31T23:59:59.999+05:45"))),
            ),
            (
                Value::DateTime(datetime("2262-04-11T23:47:16.854775+14:00")),
                Some(Value::DateTime(datetime("2262-04-11T23:47:16.854+14:00"))),
            ),
            same(Value::Json(serde_json::json!(null))),
            same(Value::Json(nested)),
            same(Value::Bytes(mib)),
            same(Value::Boolean(true)),
            (
                Value::Enum("it's \"complicated\"".into()),
                Some(Value::Enum("it's \"complicated\"".into())),
            ),
            same(Value::String(uuid.to_uppercase())),
            same(Value::List(
                Kind::Int,
                vec![Value::Int(i32::MIN), Value::Null, Value::Int(7)],
            )),
            same(Value::List(
                Kind::String,
                vec![
                    Value::String("a,b".into()),
                    Value::String("{\"}".into()),
                    Value::Null,
                    Value::String("NULL".into()),
                    Value::String(String::new()),
                ],
            )),
            (
                Value::List(
                    Kind::Enum,
                    vec![
                        Value::Enum("SAD".into()),
                        Value::Enum("it's \"complicated\"".into()),
                    ],
                ),
                None,
            ),
        ],
        vec![
            same(Value::Int(0)),
            same(Value::BigInt(0)),
            same(Value::Float(f64::MIN_POSITIVE)),
            same(Value::Decimal(decimal("9999999999999999999999999999"))),
            same(Value::String("x".repeat(100_000))),
            same(Value::Null),
            same(Value::DateTime(datetime("0001-01-01T00:00:00.000Z"))),
            same(Value::Null),
            same(Value::Json(serde_json::json!([]))),
            same(Value::Null),
            same(Value::Bytes(vec![0, 1, 2, 0xff, b'\\', b'\''])),
            same(Value::Null),
            same(Value::Null),
            same(Value::Null),
            same(Value::Null),
            same(Value::Null),
            same(Value::Null),
        ],
    ]
}

/// Values whose written form is not the expected read-back form.
fn expected_read(written: &Value, expected: &Option<Value>) -> Value {
    if let Some(expected) = expected {
        return expected.clone();
    }
    match written {
        // UUIDs read back in canonical lower case.
        Value::String(s) if s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4 => {
            Value::String(s.to_lowercase())
        }
        other => other.clone(),
    }
}

async fn assert_every_value_round_trips(db: &PgAdapter) {
    db.execute_script(SCHEMA).await.expect("schema");
    let placeholders: Vec<String> = (1..=COLUMNS.len()).map(|n| format!("${n}")).collect();
    let quoted: Vec<String> = COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    let insert = format!(
        "INSERT INTO \"Everything\" ({}) VALUES ({}) RETURNING \"id\"",
        quoted.join(", "),
        placeholders.join(", ")
    );
    let select = format!(
        "SELECT {} FROM \"Everything\" WHERE \"id\" = $1",
        quoted.join(", ")
    );
    for (row_number, row) in edge_rows().into_iter().enumerate() {
        let params: Vec<Value> = row.iter().map(|(v, _)| v.clone()).collect();
        let inserted = db.query(&sql(&insert, params)).await.expect("insert");
        let id = inserted.rows().next().expect("returning").values()[0].clone();
        // An Int bound to the SERIAL (int4) key, read back by key.
        let read = db.query(&sql(&select, vec![id])).await.expect("select");
        assert_eq!(read.columns(), &COLUMNS.map(str::to_owned));
        let values = read.rows().next().expect("the row").values().to_vec();
        for ((column, (written, expected)), actual) in COLUMNS.iter().zip(&row).zip(values) {
            let expected = expected_read(written, expected);
            match (&expected, &actual) {
                (Value::Float(e), Value::Float(a)) => {
                    assert!(
                        e.to_bits() == a.to_bits(),
                        "row {row_number} {column}: {e} != {a}"
                    );
                }
                _ => assert_eq!(actual, expected, "row {row_number} column {column}"),
            }
        }
    }
    // NaN is not equal to itself; check it apart.
    let nan = db
        .query(&sql("SELECT $1::float8 AS f", vec![Value::Float(f64::NAN)]))
        .await
        .expect("nan");
    assert!(matches!(nan.rows().next().unwrap().values()[0], Value::Float(f) if f.is_nan()));
}

#[tokio::test]
async fn every_value_type_round_trips_with_prepared_statements() {
    // Direct only: named prepared statements are what the PgBouncer pass turns off, and the
    // session time zone is set with the `options` startup parameter, which PgBouncer 1.18
    // refuses ("unsupported startup parameter").
    let db = PgDatabase::create_direct().await;
    // A session time zone far from UTC must not shift TIMESTAMP(3) values.
    let pg = adapter(&db, "options=-c%20TimeZone%3DPacific/Chatham").await;
    assert_eq!(
        scalar(&pg, "SHOW TimeZone").await,
        Value::String("Pacific/Chatham".into())
    );
    assert_every_value_round_trips(&pg).await;
}

#[tokio::test]
async fn every_value_type_round_trips_in_pgbouncer_mode() {
    // Direct only: sets the session time zone with the `options` startup parameter, which
    // PgBouncer 1.18 refuses; `pgbouncer=true` is the mode under test here either way.
    let db = PgDatabase::create_direct().await;
    let pg = adapter(
        &db,
        "pgbouncer=true&options=-c%20TimeZone%3DAmerica/St_Johns",
    )
    .await;
    assert_every_value_round_trips(&pg).await;
}

#[tokio::test]
async fn lenient_parameter_types_bind_where_nothing_is_lost() {
    let db = PgDatabase::create().await;
    for mode in ["", "pgbouncer=true"] {
        let pg = adapter(&db, mode).await;
        let cases = [
            ("SELECT $1::int8 + 1", Value::Int(41), Value::BigInt(42)),
            ("SELECT $1::int2", Value::BigInt(-3), Value::Int(-3)),
            (
                "SELECT $1::numeric",
                Value::Int(7),
                Value::Decimal(Decimal::from(7)),
            ),
            (
                "SELECT ($1::uuid)::text",
                Value::String("0191B0E4-B4C8-75B9-9FA3-4F30B759315C".into()),
                Value::String("0191b0e4-b4c8-75b9-9fa3-4f30b759315c".into()),
            ),
            (
                "SELECT $1::varchar(5)",
                Value::String("abc".into()),
                Value::String("abc".into()),
            ),
            (
                "SELECT $1::date",
                Value::DateTime(datetime("2024-05-06T00:00:00Z")),
                Value::DateTime(datetime("2024-05-06T00:00:00Z")),
            ),
            (
                "SELECT $1::jsonb -> 'a'",
                Value::Json(serde_json::json!({"a": [1]})),
                Value::Json(serde_json::json!([1])),
            ),
            (
                "SELECT array_length($1::int8[], 1)",
                Value::List(Kind::Int, vec![Value::Int(1), Value::Int(2)]),
                Value::Int(2),
            ),
        ];
        for (text, param, expected) in cases {
            let rows = pg
                .query(&sql(text, vec![param]))
                .await
                .unwrap_or_else(|e| panic!("{mode} {text}: {e}"));
            assert_eq!(
                rows.rows().next().unwrap().values()[0],
                expected,
                "{mode} {text}"
            );
        }
    }
}

#[tokio::test]
async fn text_containing_nul_is_an_encode_error() {
    let db = PgDatabase::create().await;
    for mode in ["", "pgbouncer=true"] {
        let pg = adapter(&db, mode).await;
        for value in [
            Value::String("a\0b".into()),
            Value::Enum("x\0".into()),
            Value::List(Kind::String, vec![Value::String("\0".into())]),
        ] {
            let err = pg
                .query(&sql("SELECT $1::text", vec![Value::Null]))
                .await
                .map(|_| ())
                .and(
                    pg.query(&sql("SELECT $1, $2", vec![Value::Int(1), value]))
                        .await,
                );
            match err {
                Err(Error::Encode { what, reason }) => {
                    assert_eq!(what, "parameter $2", "{mode}");
                    assert!(reason.contains("NUL"), "{reason}");
                }
                other => panic!("{mode}: expected an encode error, got {other:?}"),
            }
        }
        // The connection is still fine afterwards.
        assert_eq!(scalar(&pg, "SELECT 1").await, Value::Int(1));
    }
}

#[tokio::test]
async fn values_outside_the_rust_types_are_decode_errors() {
    let db = PgDatabase::create().await;
    let pg = adapter(&db, "").await;
    for text in [
        "SELECT 1e40::numeric AS n",
        "SELECT 'NaN'::numeric AS n",
        "SELECT 'infinity'::timestamp AS n",
        "SELECT '{{1,2},{3,4}}'::int4[] AS n",
        "SELECT point(1, 2) AS n",
    ] {
        match pg.query(&Sql::new(text)).await {
            Err(Error::Decode { column, .. }) => assert_eq!(column, "n", "{text}"),
            other => panic!("{text}: expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn sslmode_require_encrypts_and_disable_does_not() {
    // Direct only: TLS to the server itself; the test PgBouncer speaks plain TCP.
    let db = PgDatabase::create_direct().await;
    let in_tls = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    let watch = observer(&db).await;
    let server_ssl: String = watch.query_one("SHOW ssl", &[]).await.unwrap().get(0);
    assert_eq!(
        server_ssl, "on",
        "the test server must have ssl=on (Debian's default) for the TLS test"
    );
    for (mode, encrypted) in [
        ("sslmode=require", true),
        ("sslmode=prefer", true),
        ("sslmode=disable", false),
    ] {
        let pg = adapter(&db, mode).await;
        assert_eq!(
            scalar(&pg, in_tls).await,
            Value::Boolean(encrypted),
            "{mode}"
        );
    }
}

#[tokio::test]
async fn schema_parameter_sets_the_search_path() {
    // Direct only: `schema` is a session setting (`SET search_path` on connect), which a
    // transaction-mode pooler does not keep with the client.
    let db = PgDatabase::create_direct().await;
    let setup = adapter(&db, "").await;
    setup
        .execute_script(
            r#"CREATE SCHEMA "tenant one"; CREATE TABLE "tenant one"."T" ("v" INT); INSERT INTO "tenant one"."T" VALUES (5);"#,
        )
        .await
        .unwrap();
    let pg = adapter(&db, "schema=tenant%20one").await;
    assert_eq!(scalar(&pg, r#"SELECT "v" FROM "T""#).await, Value::Int(5));
}

#[tokio::test]
async fn transactions_commit_roll_back_and_isolate() {
    let db = PgDatabase::create().await;
    for mode in ["", "pgbouncer=true"] {
        let pg = adapter(&db, mode).await;
        pg.execute_script(r#"DROP TABLE IF EXISTS "T"; CREATE TABLE "T" ("v" INT)"#)
            .await
            .unwrap();
        let insert = |v: i32| sql(r#"INSERT INTO "T" VALUES ($1), ($1)"#, vec![Value::Int(v)]);

        let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
        assert_eq!(tx.execute(&insert(1)).await.unwrap(), 2, "{mode}");
        tx.commit().await.unwrap();

        let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
        tx.execute(&insert(2)).await.unwrap();
        tx.rollback().await.unwrap();

        let options = TransactionOptions {
            isolation_level: Some(orm_core::IsolationLevel::Serializable),
            read_only: true,
            max_wait: None,
        };
        let tx = pg.begin(&options).await.unwrap();
        assert_eq!(
            scalar(tx.as_ref(), "SHOW transaction_isolation").await,
            Value::String("serializable".into())
        );
        let err = tx.execute(&insert(3)).await.unwrap_err();
        assert_eq!(err.db_error().map(|d| d.code.as_str()), Some("25006"));
        tx.rollback().await.unwrap();

        assert_eq!(
            scalar(&pg, r#"SELECT array_agg("v")::text FROM "T""#).await,
            Value::String("{1,1}".into()),
            "{mode}"
        );
        let updated = pg
            .execute(&sql(r#"UPDATE "T" SET "v" = $1"#, vec![Value::Int(5)]))
            .await
            .unwrap();
        assert_eq!(updated, 2, "{mode}");
    }
}

async fn idle_in_transaction(observer: &tokio_postgres::Client, db: &PgDatabase) -> i64 {
    observer
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = $1 AND state LIKE 'idle in transaction%'",
            &[&db.name],
        )
        .await
        .unwrap()
        .get(0)
}

/// Waits until no session of the database is idle in a transaction, or fails after 5 s.
async fn assert_no_idle_transaction(observer: &tokio_postgres::Client, db: &PgDatabase) {
    let start = Instant::now();
    while idle_in_transaction(observer, db).await > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "a session stayed idle in transaction"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn dropped_transaction_rolls_back_and_leaves_no_idle_session() {
    let db = PgDatabase::create().await;
    let watch = observer(&db).await;
    let pg = adapter(&db, "connection_limit=1").await;
    pg.execute_script(r#"CREATE TABLE "T" ("v" INT)"#)
        .await
        .unwrap();

    // Dropped handle.
    let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
    tx.execute(&sql(r#"INSERT INTO "T" VALUES (1)"#, vec![]))
        .await
        .unwrap();
    assert_eq!(idle_in_transaction(&watch, &db).await, 1);
    drop(tx);
    assert_no_idle_transaction(&watch, &db).await;

    // Cancelled future holding the transaction.
    let work = async {
        let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
        tx.execute(&sql(r#"INSERT INTO "T" VALUES (2)"#, vec![]))
            .await
            .unwrap();
        std::future::pending::<()>().await;
    };
    assert!(
        tokio::time::timeout(Duration::from_millis(200), work)
            .await
            .is_err()
    );
    assert_no_idle_transaction(&watch, &db).await;

    // Dropped where no runtime exists: the connection is closed instead.
    let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
    tx.execute(&sql(r#"INSERT INTO "T" VALUES (3)"#, vec![]))
        .await
        .unwrap();
    std::thread::spawn(move || drop(tx)).join().unwrap();
    assert_no_idle_transaction(&watch, &db).await;

    // None of the writes is visible, and the single pooled connection works.
    assert_eq!(
        scalar(&pg, r#"SELECT count(*) FROM "T""#).await,
        Value::BigInt(0)
    );
    let watched: i64 = watch
        .query_one(r#"SELECT count(*) FROM "T""#, &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(watched, 0);
}

#[tokio::test]
async fn failed_script_leaves_no_open_transaction() {
    let db = PgDatabase::create().await;
    let watch = observer(&db).await;
    let pg = adapter(&db, "connection_limit=1").await;
    let err = pg
        .execute_script(r#"BEGIN; CREATE TABLE "T" ("v" INT); SELECT 1/0; COMMIT;"#)
        .await
        .unwrap_err();
    assert_eq!(err.db_error().map(|d| d.code.as_str()), Some("22012"));
    assert_eq!(idle_in_transaction(&watch, &db).await, 0);
    assert_eq!(
        scalar(&pg, "SELECT to_regclass('\"T\"') IS NULL").await,
        Value::Boolean(true)
    );
}

#[tokio::test]
async fn pool_timeout_when_every_connection_is_held() {
    let db = PgDatabase::create().await;
    let pg = adapter(&db, "connection_limit=2&pool_timeout=1").await;
    let held = pg.connection().await.unwrap();
    let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
    let status = pg.pool_status();
    assert_eq!((status.max_size, status.size, status.idle), (2, 2, 0));

    let start = Instant::now();
    match pg.query(&Sql::new("SELECT 1")).await {
        Err(Error::PoolTimeout { timeout, limit }) => {
            assert_eq!((timeout, limit), (Duration::from_secs(1), 2));
        }
        other => panic!("expected a pool timeout, got {other:?}"),
    }
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    // `max_wait` overrides the pool timeout for a transaction.
    let short = TransactionOptions {
        max_wait: Some(Duration::from_millis(100)),
        ..TransactionOptions::default()
    };
    let start = Instant::now();
    assert!(matches!(
        pg.begin(&short).await.map(|_| ()),
        Err(Error::PoolTimeout { .. })
    ));
    assert!(start.elapsed() < Duration::from_millis(900));

    tx.rollback().await.unwrap();
    assert_eq!(scalar(&pg, "SELECT 1").await, Value::Int(1));
    drop(held);
    assert_eq!(scalar(&pg, "SELECT 2").await, Value::Int(2));
}

async fn terminate_all(observer: &tokio_postgres::Client, db: &PgDatabase) -> usize {
    let rows = observer
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&db.name],
        )
        .await
        .unwrap();
    rows.len()
}

#[tokio::test]
async fn terminated_backends_are_replaced_transparently() {
    // Direct only: terminates the pool's own backends to test how the pool replaces them;
    // behind PgBouncer the backends are PgBouncer's, and the pool never sees them die.
    let db = PgDatabase::create_direct().await;
    let watch = observer(&db).await;
    for mode in ["connection_limit=2", "connection_limit=2&pgbouncer=true"] {
        let pg = adapter(&db, mode).await;
        let select = sql("SELECT $1::int4 + 1 AS n", vec![Value::Int(1)]);
        // Warm both connections and their statement caches.
        let (a, b) = tokio::join!(pg.query(&select), pg.query(&select));
        a.unwrap();
        b.unwrap();
        for round in 0..3 {
            assert!(
                terminate_all(&watch, &db).await >= 1,
                "{mode} round {round}"
            );
            // Immediately, with no pause for the pool to notice.
            let rows = pg
                .query(&select)
                .await
                .unwrap_or_else(|e| panic!("{mode} round {round}: {e}"));
            assert_eq!(rows.rows().next().unwrap().values()[0], Value::Int(2));
            let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
            tx.query(&select).await.unwrap();
            tx.commit().await.unwrap();
        }
    }
}

#[tokio::test]
async fn connection_killed_inside_a_transaction_is_connection_lost() {
    let db = PgDatabase::create().await;
    let watch = observer(&db).await;
    let pg = adapter(&db, "connection_limit=1").await;
    let tx = pg.begin(&TransactionOptions::default()).await.unwrap();
    let pid = scalar(tx.as_ref(), "SELECT pg_backend_pid()").await;
    let Value::Int(pid) = pid else {
        panic!("pid {pid:?}")
    };
    watch
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .await
        .unwrap();
    let err = tx.query(&Sql::new("SELECT 1")).await.unwrap_err();
    assert!(
        matches!(err, Error::ConnectionLost { .. }),
        "expected connection lost (57P01 or closed), got {err:?}"
    );
    assert_eq!(err.prisma_code(), Some("P1017"));
    drop(tx);
    // The pool replaces it.
    assert_eq!(scalar(&pg, "SELECT 1").await, Value::Int(1));
}

#[tokio::test]
async fn statement_cache_is_bounded_and_pgbouncer_mode_names_no_statement() {
    // Direct only: counts the named statements the cache keeps on its server session, which
    // only exist without PgBouncer (`pgbouncer_pooling` checks the pooled side).
    let db = PgDatabase::create_direct().await;
    let count = "SELECT count(*) FROM pg_prepared_statements";
    let pg = adapter(&db, "connection_limit=1&statement_cache_size=3").await;
    for n in 0..10 {
        pg.query(&Sql::new(format!("SELECT {n}"))).await.unwrap();
    }
    let held = pg.connection().await.unwrap();
    assert_eq!(scalar(held.as_ref(), count).await, Value::BigInt(3));
    drop(held);

    for mode in [
        "connection_limit=1&pgbouncer=true",
        "connection_limit=1&statement_cache_size=0",
    ] {
        let pg = adapter(&db, mode).await;
        for n in 0..5 {
            pg.query(&sql(
                "SELECT $1::int + $2",
                vec![Value::Int(n), Value::Int(1)],
            ))
            .await
            .unwrap();
        }
        let held = pg.connection().await.unwrap();
        assert_eq!(
            scalar(held.as_ref(), count).await,
            Value::BigInt(0),
            "{mode}"
        );
    }
}

#[tokio::test]
async fn cached_statement_survives_a_schema_change() {
    let db = PgDatabase::create().await;
    let pg = adapter(&db, "connection_limit=1").await;
    pg.execute_script(r#"CREATE TABLE "T" ("a" INT); INSERT INTO "T" VALUES (1);"#)
        .await
        .unwrap();
    let select = Sql::new(r#"SELECT * FROM "T""#);
    assert_eq!(pg.query(&select).await.unwrap().columns(), ["a"]);
    pg.execute_script(r#"ALTER TABLE "T" ADD COLUMN "b" TEXT DEFAULT 'x'"#)
        .await
        .unwrap();
    let rows = pg.query(&select).await.unwrap();
    assert_eq!(rows.columns(), ["a", "b"]);
    assert_eq!(
        rows.rows().next().unwrap().values(),
        [Value::Int(1), Value::String("x".into())]
    );
}

#[tokio::test]
async fn wrong_parameter_count_is_an_error_not_a_lost_connection() {
    let db = PgDatabase::create().await;
    // Explicitly named mode too in the PgBouncer pass: one client on one server connection,
    // and the check fails before anything is sent.
    for mode in ["pgbouncer=false", "pgbouncer=true"] {
        let pg = adapter(&db, mode).await;
        let err = pg
            .query(&sql("SELECT $1::int + $2::int", vec![Value::Int(1)]))
            .await
            .unwrap_err();
        if mode == "pgbouncer=false" {
            // The prepared statement says how many parameters it takes.
            assert!(
                matches!(&err, Error::Encode { what, .. } if what == "parameters"),
                "{err:?}"
            );
        } else {
            // The server answers 08P01 (protocol violation) and keeps the session.
            assert!(
                matches!(&err, Error::Database(db) if db.code == "08P01"),
                "{mode}: {err:?}"
            );
        }
        assert_eq!(scalar(&pg, "SELECT 1").await, Value::Int(1));
    }
}

const CONSTRAINTS: &str = r#"
    CREATE TABLE "User" ("id" INT PRIMARY KEY, "email" TEXT NOT NULL,
        "age" INT CONSTRAINT "User_age_check" CHECK ("age" >= 0), "code" VARCHAR(3),
        "price" NUMERIC(5,2));
    CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
    CREATE TABLE "Order" ("id" INT PRIMARY KEY,
        "userId" INT CONSTRAINT "Order_userId_fkey" REFERENCES "User"("id"));
    INSERT INTO "User" ("id", "email") VALUES (1, 'a@b.co'), (2, 'c@d.co');
"#;

#[tokio::test]
async fn sqlstates_map_to_typed_errors() {
    let db = PgDatabase::create().await;
    let pg = adapter(&db, "").await;
    pg.execute_script(CONSTRAINTS).await.unwrap();
    let run = |text: &str, params: Vec<Value>| {
        let pg = pg.clone();
        let statement = sql(text, params);
        async move { pg.execute(&statement).await.unwrap_err() }
    };

    let err = run(
        r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2)"#,
        vec![Value::Int(3), Value::from("a@b.co")],
    )
    .await;
    match &err {
        Error::UniqueViolation { constraint, db, .. } => {
            assert_eq!(constraint.as_deref(), Some("User_email_key"));
            assert_eq!(db.code, "23505");
            assert_eq!(db.table.as_deref(), Some("User"));
            assert!(db.detail.as_deref().unwrap_or("").contains("a@b.co"));
        }
        other => panic!("23505: {other:?}"),
    }
    assert_eq!(err.prisma_code(), Some("P2002"));

    let err = run(
        r#"INSERT INTO "Order" ("id", "userId") VALUES (1, $1)"#,
        vec![Value::Int(99)],
    )
    .await;
    assert!(
        matches!(&err, Error::ForeignKeyViolation { constraint: Some(c), .. } if c == "Order_userId_fkey"),
        "23503: {err:?}"
    );

    let err = run(
        r#"INSERT INTO "User" ("id", "email") VALUES (5, $1)"#,
        vec![Value::Null],
    )
    .await;
    assert!(
        matches!(&err, Error::NotNullViolation { column, .. } if column == "email"),
        "23502: {err:?}"
    );

    let err = run(
        r#"UPDATE "User" SET "age" = $1 WHERE "id" = 1"#,
        vec![Value::Int(-1)],
    )
    .await;
    assert!(
        matches!(&err, Error::CheckViolation { constraint: Some(c), .. } if c == "User_age_check"),
        "23514: {err:?}"
    );

    let err = run(
        r#"UPDATE "User" SET "code" = $1 WHERE "id" = 1"#,
        vec![Value::from("toolong")],
    )
    .await;
    assert!(
        matches!(&err, Error::ValueTooLong { db, .. } if db.code == "22001"),
        "22001: {err:?}"
    );
    assert_eq!(err.prisma_code(), Some("P2000"));

    let err = run(
        r#"UPDATE "User" SET "price" = $1 WHERE "id" = 1"#,
        vec![Value::Decimal(Decimal::from(123_456))],
    )
    .await;
    assert!(
        matches!(&err, Error::OutOfRange { db, .. } if db.code == "22003"),
        "22003: {err:?}"
    );

    let err = run("SELECT 1/0", vec![]).await;
    assert!(
        matches!(&err, Error::Database(db) if db.code == "22012"),
        "other: {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serialization_failure_40001() {
    let db = PgDatabase::create().await;
    // Two transactions at once need two connections (the PgBouncer pass allows one).
    let pg = adapter(&db, "connection_limit=2").await;
    pg.execute_script(CONSTRAINTS).await.unwrap();
    let repeatable = TransactionOptions {
        isolation_level: Some(orm_core::IsolationLevel::RepeatableRead),
        ..TransactionOptions::default()
    };
    let first = pg.begin(&repeatable).await.unwrap();
    first
        .query(&Sql::new(r#"SELECT * FROM "User" WHERE "id" = 1"#))
        .await
        .unwrap();
    pg.execute(&Sql::new(r#"UPDATE "User" SET "age" = 1 WHERE "id" = 1"#))
        .await
        .unwrap();
    let err = first
        .execute(&Sql::new(r#"UPDATE "User" SET "age" = 2 WHERE "id" = 1"#))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SerializationFailure { .. }), "{err:?}");
    assert!(err.is_transient());
    assert_eq!(err.prisma_code(), Some("P2034"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlock_40p01() {
    let db = PgDatabase::create().await;
    // Two transactions at once need two connections (the PgBouncer pass allows one).
    let pg = adapter(&db, "connection_limit=2").await;
    pg.execute_script(CONSTRAINTS).await.unwrap();
    let lock = |id: i32| {
        sql(
            r#"UPDATE "User" SET "age" = 1 WHERE "id" = $1"#,
            vec![Value::Int(id)],
        )
    };
    let a = pg.begin(&TransactionOptions::default()).await.unwrap();
    let b = pg.begin(&TransactionOptions::default()).await.unwrap();
    a.execute(&lock(1)).await.unwrap();
    b.execute(&lock(2)).await.unwrap();
    let (lock1, lock2) = (lock(1), lock(2));
    let (ra, rb) = tokio::join!(a.execute(&lock2), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        b.execute(&lock1).await
    });
    let errors: Vec<Error> = [ra, rb].into_iter().filter_map(Result::err).collect();
    assert_eq!(errors.len(), 1, "exactly one side is chosen as the victim");
    assert!(
        matches!(errors[0], Error::Deadlock { .. }),
        "{:?}",
        errors[0]
    );
}

mod injection {
    use super::*;
    use proptest::prelude::*;

    fn nasty() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            Just("'".to_owned()),
            Just("\"".to_owned()),
            Just(";".to_owned()),
            Just("--".to_owned()),
            Just("/*".to_owned()),
            Just("*/".to_owned()),
            Just("$1".to_owned()),
            Just("$$".to_owned()),
            Just("?".to_owned()),
            Just("\\".to_owned()),
            Just("\\x00".to_owned()),
            Just("'); DROP TABLE \"Victim\"; --".to_owned()),
            Just("' OR '1'='1".to_owned()),
            Just("E'\\''".to_owned()),
            "[^\u{0}]{0,8}",
        ];
        prop::collection::vec(fragment, 0..8).prop_map(|parts| parts.concat())
    }

    #[test]
    fn arbitrary_strings_round_trip_and_touch_nothing_else() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let db = runtime.block_on(PgDatabase::create());
        let (named, bouncer) = runtime.block_on(async {
            let named = adapter(&db, "connection_limit=1").await;
            named
                .execute_script(
                    r#"CREATE TABLE "Victim" ("id" SERIAL PRIMARY KEY, "s" TEXT NOT NULL);
                       INSERT INTO "Victim" ("s") VALUES ('sentinel');"#,
                )
                .await
                .unwrap();
            (
                named,
                adapter(&db, "connection_limit=1&pgbouncer=true").await,
            )
        });
        let inserted = std::cell::Cell::new(1i64);
        let config = ProptestConfig {
            cases: 128,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        proptest!(config, |(s in nasty(), pgbouncer in any::<bool>())| {
            let pg = if pgbouncer { &bouncer } else { &named };
            let result = runtime.block_on(async {
                let rows = pg.query(&sql(
                    r#"INSERT INTO "Victim" ("s") VALUES ($1) RETURNING "id", "s""#,
                    vec![Value::String(s.clone())],
                )).await.unwrap();
                inserted.set(inserted.get() + 1);
                let id = rows.rows().next().unwrap().values()[0].clone();
                let found = pg.query(&sql(
                    r#"SELECT "s" FROM "Victim" WHERE "s" = $1 AND "id" = $2"#,
                    vec![Value::String(s.clone()), id],
                )).await.unwrap();
                let count = scalar(pg, r#"SELECT count(*) FROM "Victim""#).await;
                let sentinel = scalar(pg, r#"SELECT "s" FROM "Victim" WHERE "id" = 1"#).await;
                (rows, found, count, sentinel)
            });
            let (rows, found, count, sentinel) = result;
            prop_assert_eq!(&rows.rows().next().unwrap().values()[1], &Value::String(s.clone()));
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(&found.rows().next().unwrap().values()[0], &Value::String(s));
            prop_assert_eq!(count, Value::BigInt(inserted.get()));
            prop_assert_eq!(sentinel, Value::String("sentinel".into()));
        });
        drop((named, bouncer));
        drop(runtime);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_limit_past_postgresqls_maximum_is_a_config_error_not_a_crash() {
    let db = PgDatabase::create().await;
    // The pool sizes its slot queue by the limit up front: 10^12 slots would abort the process.
    let url = orm_tests::with_params(&db.url, "connection_limit=1000000000000");
    let err = PgAdapter::connect(&url).await.unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("connection_limit") && m.contains("262143")),
        "{err:?}"
    );
    // PostgreSQL's own maximum of connections is accepted.
    let most = adapter(&db, "connection_limit=262143").await;
    assert_eq!(scalar(&most, "SELECT 1::int4").await, Value::Int(1));
}

/// Rows handed over one by one (`query_each`, the typed client's reads): on the pool, in a
/// transaction, and with unnamed statements (PgBouncer mode), where the columns come from the
/// first row.
#[tokio::test]
async fn rows_are_handed_over_one_by_one() {
    let db = PgDatabase::create().await;
    let pooled = adapter(&db, "").await;
    orm_tests::check_query_each(&pooled).await;
    let tx = pooled.begin(&TransactionOptions::default()).await.unwrap();
    orm_tests::check_query_each(tx.as_ref()).await;
    tx.commit().await.unwrap();
    let unnamed = adapter(&db, "statement_cache_size=0").await;
    orm_tests::check_query_each(&unnamed).await;
}
