//! The SQLite adapter against real database files: values as Prisma 7 stores them, errors by
//! extended result code, transactions, the pool (concurrent writers, readers during a write,
//! pool timeout), and parameters that cannot inject SQL.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use orm_core::{
    Adapter, Error, IsolationLevel, Queryable, ResultSet, Sql, TransactionOptions, Value,
};
use orm_sqlite::{SqliteAdapter, SqliteConfig};
use orm_tests::SqliteFile;
use rust_decimal::Decimal;

/// The column types Prisma 7 writes for each scalar on SQLite.
const SCHEMA: &str = r#"
CREATE TABLE "AllTypes" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "int" INTEGER,
    "bigint" BIGINT,
    "float" REAL,
    "decimal" DECIMAL,
    "decimalText" TEXT,
    "string" TEXT,
    "bool" BOOLEAN,
    "at" DATETIME,
    "json" JSONB,
    "bytes" BLOB,
    "role" TEXT
);
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "age" INTEGER CHECK ("age" >= 0),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Order_userId_sku_key" ON "Order"("userId", "sku");
"#;

async fn open(file: &SqliteFile) -> SqliteAdapter {
    let db = SqliteAdapter::open(&file.url())
        .await
        .expect("open the database");
    db.execute_script(SCHEMA).await.expect("create the schema");
    db
}

fn sql(text: &str, params: Vec<Value>) -> Sql {
    Sql::with_params(text, params)
}

/// Writes `value` into column `column` of a new `AllTypes` row and reads it back.
async fn round_trip(db: &SqliteAdapter, column: &str, value: Value) -> Value {
    let insert = format!(r#"INSERT INTO "AllTypes" ("{column}") VALUES (?1) RETURNING "id""#);
    let id: Vec<(i64,)> = db
        .query(&sql(&insert, vec![value]))
        .await
        .expect("insert")
        .decode()
        .expect("decode the id");
    let select = format!(r#"SELECT "{column}" FROM "AllTypes" WHERE "id" = ?1"#);
    let rows = db
        .query(&sql(&select, vec![Value::BigInt(id[0].0)]))
        .await
        .expect("select");
    rows.into_rows().remove(0).into_values().remove(0)
}

/// The text SQLite holds for a column of the row with the greatest id.
async fn stored_text(db: &SqliteAdapter, column: &str) -> (String, String) {
    let select = format!(
        r#"SELECT typeof("{column}"), CAST("{column}" AS TEXT) FROM "AllTypes" ORDER BY "id" DESC LIMIT 1"#
    );
    let rows: Vec<(String, String)> = db.query(&Sql::new(select)).await.unwrap().decode().unwrap();
    rows[0].clone()
}

fn single<T: orm_core::FromValue>(rows: ResultSet) -> T {
    let mut values: Vec<(T,)> = rows.decode().expect("decode");
    values.remove(0).0
}

// ---------------------------------------------------------------------------------------------
// Values

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integers_round_trip_at_their_limits() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    for i in [i32::MIN, -1, 0, 1, i32::MAX] {
        assert_eq!(round_trip(&db, "int", Value::Int(i)).await, Value::Int(i));
    }
    for i in [i64::MIN, i64::from(i32::MIN) - 1, 0, i64::MAX] {
        assert_eq!(
            round_trip(&db, "bigint", Value::BigInt(i)).await,
            Value::BigInt(i)
        );
    }
    // An INTEGER column holds 64 bits: a value beyond i32 reads back as BigInt, and decoding it
    // into i32 is a decode error rather than a wrapped number.
    let big = round_trip(&db, "int", Value::BigInt(i64::MAX)).await;
    assert_eq!(big, Value::BigInt(i64::MAX));
    assert!(matches!(
        orm_core::FromValue::from_value(big, "int").map(|i: i32| i),
        Err(Error::Decode { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floats_round_trip_including_infinities_and_nan_is_refused() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    for f in [
        0.0,
        -0.0,
        0.1,
        -1.5e-300,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let back = round_trip(&db, "float", Value::Float(f)).await;
        assert_eq!(back, Value::Float(f), "{f}");
    }
    // SQLite stores a bound NaN as NULL; the adapter refuses it instead of losing it.
    let err = db
        .execute(&sql(
            r#"INSERT INTO "AllTypes" ("float") VALUES (?1)"#,
            vec![Value::Float(f64::NAN)],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    let raw = rusqlite::Connection::open(file.path()).unwrap();
    let stored: Option<f64> = raw
        .query_row("SELECT ?1", [f64::NAN], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, None, "what SQLite itself does with NaN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decimals_are_exact_in_text_columns_and_f64_precise_in_decimal_columns() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let digits28: Decimal = "1234567890.123456789012345678".parse().unwrap();
    let tiny: Decimal = "-0.0000000000000000000000000001".parse().unwrap();
    for d in [digits28, tiny, Decimal::MAX, Decimal::MIN] {
        let back = round_trip(&db, "decimalText", Value::Decimal(d)).await;
        let back: Decimal = orm_core::FromValue::from_value(back, "decimalText").unwrap();
        assert_eq!(back, d);
        assert_eq!(back.to_string(), d.to_string(), "scale kept");
    }
    // A DECIMAL column has NUMERIC affinity: SQLite turns numeric text into a REAL.
    for text in ["0.1", "123.45", "-7", "12345.678901234"] {
        let d: Decimal = text.parse().unwrap();
        assert_eq!(
            round_trip(&db, "decimal", Value::Decimal(d)).await,
            Value::Decimal(d)
        );
    }
    let back = round_trip(&db, "decimal", Value::Decimal(digits28)).await;
    let nearest =
        orm_core::value::decimal_from_f64("1234567890.123456789012345678".parse().unwrap())
            .unwrap();
    assert_eq!(back, Value::Decimal(nearest));
    assert_eq!(stored_text(&db, "decimal").await.0, "real");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datetimes_keep_milliseconds_across_time_zones_as_prisma_writes_them() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let zones = [
        FixedOffset::east_opt(0).unwrap(),
        FixedOffset::east_opt(5 * 3600 + 1800).unwrap(),
        FixedOffset::west_opt(8 * 3600).unwrap(),
        FixedOffset::east_opt(14 * 3600).unwrap(),
    ];
    for zone in zones {
        let local = zone.with_ymd_and_hms(2026, 11, 25, 8, 50, 6).unwrap()
            + chrono::Duration::milliseconds(517);
        let at = local.with_timezone(&Utc);
        assert_eq!(
            round_trip(&db, "at", Value::DateTime(at)).await,
            Value::DateTime(at)
        );
        let (class, text) = stored_text(&db, "at").await;
        assert_eq!(class, "text");
        assert_eq!(text, at.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string());
    }
    // Sub-millisecond precision is dropped, as Prisma keeps milliseconds.
    let precise =
        Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::microseconds(1_999);
    let back = round_trip(&db, "at", Value::DateTime(precise)).await;
    assert_eq!(back, Value::DateTime(Utc.timestamp_millis_opt(1).unwrap()));
    assert_eq!(
        stored_text(&db, "at").await.1,
        "1970-01-01T00:00:00.001+00:00"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datetimes_written_by_older_prisma_and_current_timestamp_read_back() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let at: DateTime<Utc> = "2026-11-25T08:50:06.517Z".parse().unwrap();
    // Older Prisma versions stored unix milliseconds; the row is written behind the adapter.
    let raw = rusqlite::Connection::open(file.path()).unwrap();
    raw.execute(
        r#"INSERT INTO "AllTypes" ("id", "at") VALUES (1, ?1)"#,
        [at.timestamp_millis()],
    )
    .unwrap();
    raw.execute(
        r#"INSERT INTO "User" ("id", "email") VALUES ('u1', 'a@b.co')"#,
        [],
    )
    .unwrap();
    drop(raw);

    let rows = db
        .query(&Sql::new(r#"SELECT "at" FROM "AllTypes" WHERE "id" = 1"#))
        .await
        .unwrap();
    assert_eq!(single::<DateTime<Utc>>(rows), at);

    // `DEFAULT CURRENT_TIMESTAMP` writes `YYYY-MM-DD HH:MM:SS` text in UTC.
    let rows = db
        .query(&Sql::new(
            r#"SELECT "createdAt", CAST("createdAt" AS TEXT) FROM "User""#,
        ))
        .await
        .unwrap();
    let (created, text): (DateTime<Utc>, String) = rows.decode().unwrap().remove(0);
    assert_eq!(created.format("%Y-%m-%d %H:%M:%S").to_string(), text);
    assert!(
        (Utc::now() - created).num_minutes().abs() < 5,
        "{created} is about now"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_bytes_text_booleans_and_enums_round_trip() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let json = serde_json::json!({
        "a": [1, 2.5, {"b": null, "c": [true, false, "ü \" ' ; --"]}],
        "empty": {}, "list": [], "big": 12345678901234567i64
    });
    assert_eq!(
        round_trip(&db, "json", Value::Json(json.clone())).await,
        Value::Json(json)
    );
    // A JSON null is a value (Prisma's JsonNull), distinct from SQL NULL.
    let json_null = Value::Json(serde_json::Value::Null);
    assert_eq!(round_trip(&db, "json", json_null.clone()).await, json_null);
    assert_eq!(round_trip(&db, "json", Value::Null).await, Value::Null);

    for bytes in [
        Vec::new(),
        vec![0, 1, 255, 0],
        (0..1u32 << 20).map(|i| (i % 251) as u8).collect(),
    ] {
        assert_eq!(
            round_trip(&db, "bytes", Value::Bytes(bytes.clone())).await,
            Value::Bytes(bytes)
        );
    }

    for text in [
        "",
        "Grüße, 世界 🦀",
        "a\0b\0",
        "'; DROP TABLE \"User\"; --",
        "\u{10FFFF}",
    ] {
        let back = round_trip(&db, "string", Value::String(text.to_owned())).await;
        assert_eq!(back, Value::String(text.to_owned()), "{text:?}");
    }

    for b in [true, false] {
        assert_eq!(
            round_trip(&db, "bool", Value::Boolean(b)).await,
            Value::Boolean(b)
        );
        assert_eq!(
            stored_text(&db, "bool").await,
            ("integer".to_owned(), u8::from(b).to_string())
        );
    }

    let role = round_trip(&db, "role", Value::Enum("admin".into())).await;
    assert_eq!(role, Value::String("admin".into()));
    let list = Value::List(orm_core::Kind::Int, vec![Value::Int(1)]);
    let err = db
        .execute(&sql(
            r#"INSERT INTO "AllTypes" ("int") VALUES (?1)"#,
            vec![list],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_decode_into_every_rust_type() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let at: DateTime<Utc> = "2026-11-25T08:50:06.517Z".parse().unwrap();
    let d: Decimal = "12.5".parse().unwrap();
    db.execute(&sql(
        r#"INSERT INTO "AllTypes" ("int", "bigint", "float", "decimal", "string", "bool", "at", "json", "bytes")
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"#,
        vec![
            Value::Int(7),
            Value::BigInt(1 << 40),
            Value::Float(2.5),
            Value::Decimal(d),
            "s".into(),
            Value::Boolean(true),
            Value::DateTime(at),
            Value::Json(serde_json::json!([1])),
            Value::Bytes(vec![1]),
        ],
    ))
    .await
    .unwrap();
    let rows = db
        .query(&Sql::new(
            r#"SELECT "int", "bigint", "float", "decimal", "string", "bool", "at", "json", "bytes" FROM "AllTypes""#,
        ))
        .await
        .unwrap();
    #[allow(clippy::type_complexity)]
    let decoded: Vec<(
        i32,
        i64,
        f64,
        Decimal,
        String,
        bool,
        DateTime<Utc>,
        serde_json::Value,
    )> = rows.clone().decode().unwrap();
    assert_eq!(
        decoded,
        [(
            7,
            1 << 40,
            2.5,
            d,
            "s".to_owned(),
            true,
            at,
            serde_json::json!([1])
        )]
    );
    // Expressions carry no declared type: their values are the storage class's.
    let rows = db
        .query(&Sql::new(
            r#"SELECT count(*) AS "n", max("at") AS "last", 1.0 * 3 AS "f" FROM "AllTypes""#,
        ))
        .await
        .unwrap();
    assert_eq!(rows.columns(), ["n", "last", "f"]);
    let (n, last, f): (i32, DateTime<Utc>, f64) = rows.decode().unwrap().remove(0);
    assert_eq!((n, last, f), (1, at, 3.0));
}

// ---------------------------------------------------------------------------------------------
// Errors, each produced by a real statement

async fn insert_user(db: &SqliteAdapter, id: &str, email: &str) -> orm_core::Result<u64> {
    db.execute(&sql(
        r#"INSERT INTO "User" ("id", "email") VALUES (?1, ?2)"#,
        vec![id.into(), email.into()],
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_violation_reports_fields() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    insert_user(&db, "u1", "a@b.co").await.unwrap();

    let err = insert_user(&db, "u2", "a@b.co").await.unwrap_err();
    let Error::UniqueViolation {
        fields,
        db: original,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(fields, &["email"]);
    assert_eq!(original.code, "SQLITE_CONSTRAINT_UNIQUE");
    assert_eq!(original.table.as_deref(), Some("User"));
    assert_eq!(err.prisma_code(), Some("P2002"));

    let err = insert_user(&db, "u1", "c@d.co").await.unwrap_err();
    let Error::UniqueViolation {
        fields,
        db: original,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (fields.as_slice(), original.code.as_str()),
        (&["id".to_owned()][..], "SQLITE_CONSTRAINT_PRIMARYKEY")
    );

    let order = r#"INSERT INTO "Order" ("id", "userId", "sku") VALUES (?1, 'u1', 'sku-1')"#;
    db.execute(&sql(order, vec!["o1".into()])).await.unwrap();
    let err = db
        .execute(&sql(order, vec!["o2".into()]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UniqueViolation { fields, .. } if fields == &["userId", "sku"]),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "unique constraint failed on fields (`userId`, `sku`)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rowid_conflict_is_a_unique_violation() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    db.execute_script("CREATE TABLE plain (x TEXT)")
        .await
        .unwrap();
    let insert = Sql::new("INSERT INTO plain (rowid, x) VALUES (1, 'a')");
    db.execute(&insert).await.unwrap();
    let err = db.execute(&insert).await.unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_CONSTRAINT_ROWID");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_key_not_null_and_check_violations_are_typed() {
    let file = SqliteFile::new();
    let db = open(&file).await;

    let err = db
        .execute(&Sql::new(
            r#"INSERT INTO "Order" ("id", "userId", "sku") VALUES ('o1', 'nobody', 's')"#,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_CONSTRAINT_FOREIGNKEY");
    assert_eq!(err.prisma_code(), Some("P2003"));

    // `ON DELETE RESTRICT` (foreign keys are on for every connection) fails with
    // SQLITE_CONSTRAINT_TRIGGER.
    insert_user(&db, "u1", "a@b.co").await.unwrap();
    db.execute(&Sql::new(
        r#"INSERT INTO "Order" ("id", "userId", "sku") VALUES ('o1', 'u1', 's')"#,
    ))
    .await
    .unwrap();
    let err = db
        .execute(&Sql::new(r#"DELETE FROM "User""#))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_CONSTRAINT_TRIGGER");

    let err = db
        .execute(&sql(
            r#"INSERT INTO "User" ("id", "email") VALUES ('u2', ?1)"#,
            vec![Value::Null],
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotNullViolation { column, .. } if column == "email"),
        "{err:?}"
    );

    let err = db
        .execute(&Sql::new(
            r#"INSERT INTO "User" ("id", "email", "age") VALUES ('u3', 'x@y.z', -1)"#,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CheckViolation { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_CONSTRAINT_CHECK");

    let err = db
        .query(&Sql::new(r#"SELECT * FROM "Nope""#))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Database(d) if d.code == "SQLITE_ERROR"),
        "{err:?}"
    );

    let err = db
        .query(&sql("SELECT ?1, ?2", vec![Value::Int(1)]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_held_by_another_process_past_the_busy_timeout_is_busy() {
    let file = SqliteFile::new();
    open(&file).await;
    let config = SqliteConfig::from_url(&file.url())
        .unwrap()
        .with_busy_timeout(Duration::from_millis(100));
    let db = SqliteAdapter::with_config(config).await.unwrap();
    let other = rusqlite::Connection::open(file.path()).unwrap();
    other
        .execute_batch(r#"BEGIN IMMEDIATE; INSERT INTO "User" ("id", "email") VALUES ('x', 'x')"#)
        .unwrap();

    let err = insert_user(&db, "u1", "a@b.co").await.unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err:?}");
    assert!(
        err.db_error().unwrap().code.starts_with("SQLITE_BUSY"),
        "{err:?}"
    );

    other.execute_batch("COMMIT").unwrap();
    insert_user(&db, "u1", "a@b.co").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_from_a_stale_snapshot_is_busy() {
    // A deferred transaction that read before another connection committed cannot write:
    // SQLITE_BUSY_SNAPSHOT, whatever the busy timeout.
    let file = SqliteFile::new();
    let db = open(&file).await;
    let conn = db.connection().await.unwrap();
    conn.execute_script("BEGIN DEFERRED").await.unwrap();
    count_users(&*conn).await;
    let other = rusqlite::Connection::open(file.path()).unwrap();
    other
        .execute(
            r#"INSERT INTO "User" ("id", "email") VALUES ('x', 'x')"#,
            [],
        )
        .unwrap();
    let err = conn
        .execute(&Sql::new(
            r#"INSERT INTO "User" ("id", "email") VALUES ('y', 'y')"#,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_BUSY_SNAPSHOT");
    drop(conn);
    insert_user(&db, "y", "y").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_locked_in_a_shared_cache_is_busy() {
    // With SQLite's shared cache, a reader meets the writer's table lock as SQLITE_LOCKED.
    let file = SqliteFile::new();
    open(&file).await;
    let url = format!("{}?cache=shared&connection_limit=2", file.url());
    let db = SqliteAdapter::open(&url).await.unwrap();
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    tx.execute(&Sql::new(
        r#"INSERT INTO "User" ("id", "email") VALUES ('x', 'x')"#,
    ))
    .await
    .unwrap();
    let err = db
        .query(&Sql::new(r#"SELECT * FROM "User""#))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err:?}");
    assert_eq!(err.db_error().unwrap().code, "SQLITE_LOCKED_SHAREDCACHE");
    tx.rollback().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Statements, transactions and held connections

async fn count_users(db: &dyn Queryable) -> i64 {
    single(
        db.query(&Sql::new(r#"SELECT count(*) FROM "User""#))
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execute_counts_affected_rows() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let n = db
        .execute(&Sql::new(
            r#"INSERT INTO "User" ("id", "email") VALUES ('a', 'a'), ('b', 'b'), ('c', 'c')"#,
        ))
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        db.execute(&Sql::new(r#"CREATE TABLE "Other" ("x" INTEGER)"#))
            .await
            .unwrap(),
        0
    );
    let n = db
        .execute(&Sql::new(
            r#"UPDATE "User" SET "name" = 'n' WHERE "id" <> 'a' RETURNING "id""#,
        ))
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        db.execute(&Sql::new(r#"DELETE FROM "User" WHERE "id" = 'zz'"#))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_query_sees_columns_added_by_a_schema_change() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    insert_user(&db, "u1", "a@b.co").await.unwrap();
    let select = Sql::new(r#"SELECT * FROM "User""#);
    assert_eq!(db.query(&select).await.unwrap().columns().len(), 5);
    db.execute_script(r#"ALTER TABLE "User" ADD COLUMN "sku" TEXT DEFAULT 'x'"#)
        .await
        .unwrap();
    let rows = db.query(&select).await.unwrap();
    assert_eq!(rows.columns().last().map(String::as_str), Some("sku"));
    let row = rows.into_rows().remove(0);
    assert_eq!(row.get::<String>("sku").unwrap(), "x");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_commit_and_roll_back() {
    let file = SqliteFile::new();
    let db = open(&file).await;

    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    insert_user_in(&*tx, "u1").await;
    assert_eq!(
        count_users(&*tx).await,
        1,
        "a transaction sees its own writes"
    );
    assert_eq!(count_users(&db).await, 0, "others do not, before commit");
    tx.commit().await.unwrap();
    assert_eq!(count_users(&db).await, 1);

    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    insert_user_in(&*tx, "u2").await;
    tx.rollback().await.unwrap();
    assert_eq!(count_users(&db).await, 1);

    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    insert_user_in(&*tx, "u3").await;
    drop(tx);
    assert_eq!(
        count_users(&db).await,
        1,
        "a dropped transaction rolls back"
    );
    insert_user(&db, "u4", "u4").await.unwrap();
    assert_eq!(
        count_users(&db).await,
        2,
        "and its connection is usable again"
    );
}

async fn insert_user_in(q: &dyn Queryable, id: &str) {
    q.execute(&sql(
        r#"INSERT INTO "User" ("id", "email") VALUES (?1, ?1)"#,
        vec![id.into()],
    ))
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_transaction_future_rolls_back() {
    let file = SqliteFile::new();
    let db = Arc::new(open(&file).await);
    let work = {
        let db = Arc::clone(&db);
        async move {
            let tx = db.begin(&TransactionOptions::default()).await.unwrap();
            insert_user_in(&*tx, "u1").await;
            std::future::pending::<()>().await;
            tx.commit().await.unwrap();
        }
    };
    let timed_out = tokio::time::timeout(Duration::from_millis(200), work).await;
    assert!(timed_out.is_err(), "the transaction future was cancelled");
    assert_eq!(count_users(&*db).await, 0);
    insert_user(&db, "u2", "u2").await.unwrap();
    assert_eq!(count_users(&*db).await, 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_current_thread_runtime_works_through_spawn_blocking() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    insert_user(&db, "u1", "a@b.co").await.unwrap();
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    insert_user_in(&*tx, "u2").await;
    drop(tx);
    let err = insert_user(&db, "u3", "a@b.co").await.unwrap_err();
    assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    assert_eq!(count_users(&db).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn isolation_levels_other_than_serializable_are_unsupported() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let serializable = TransactionOptions {
        isolation_level: Some(IsolationLevel::Serializable),
        ..TransactionOptions::default()
    };
    db.begin(&serializable)
        .await
        .unwrap()
        .commit()
        .await
        .unwrap();
    let read_committed = TransactionOptions {
        isolation_level: Some(IsolationLevel::ReadCommitted),
        ..TransactionOptions::default()
    };
    let err = db.begin(&read_committed).await.err().unwrap();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "isolation level READ COMMITTED is not supported on SQLite"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_transactions_read_a_snapshot_and_cannot_write() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    insert_user(&db, "u1", "u1").await.unwrap();
    let read_only = TransactionOptions {
        read_only: true,
        ..TransactionOptions::default()
    };
    let tx = db.begin(&read_only).await.unwrap();
    assert_eq!(count_users(&*tx).await, 1);
    insert_user(&db, "u2", "u2").await.unwrap();
    assert_eq!(
        count_users(&*tx).await,
        1,
        "the snapshot taken at the first read"
    );
    let err = tx
        .execute(&Sql::new(
            r#"INSERT INTO "User" ("id", "email") VALUES ('u3', 'u3')"#,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.db_error().unwrap().code, "SQLITE_READONLY", "{err:?}");
    tx.commit().await.unwrap();
    assert_eq!(count_users(&db).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_connection_keeps_its_session() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let conn = db.connection().await.unwrap();
    conn.execute_script(
        "CREATE TEMP TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1), (2);",
    )
    .await
    .unwrap();
    let n: i64 = single(
        conn.query(&Sql::new("SELECT sum(x) FROM scratch"))
            .await
            .unwrap(),
    );
    assert_eq!(n, 3);
    // A transaction begun by hand and left open is rolled back when the connection is dropped.
    conn.execute_script(r#"BEGIN; INSERT INTO "User" ("id", "email") VALUES ('u1', 'u1');"#)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(count_users(&db).await, 0);
    insert_user(&db, "u2", "u2").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_memory_databases_are_shared_by_the_pool_and_private_to_the_adapter() {
    let db = SqliteAdapter::open(":memory:").await.unwrap();
    db.execute_script(SCHEMA).await.unwrap();
    insert_user(&db, "u1", "u1").await.unwrap();
    assert!(db.pool_status().max_size > 1, "several connections");
    assert_eq!(
        count_users(&db).await,
        1,
        "a reader sees the writer's database"
    );
    let tx = db
        .begin(&TransactionOptions {
            read_only: true,
            ..TransactionOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(count_users(&*tx).await, 1);
    tx.commit().await.unwrap();

    let other = SqliteAdapter::open("file::memory:").await.unwrap();
    assert!(
        other
            .query(&Sql::new(r#"SELECT * FROM "User""#))
            .await
            .is_err(),
        "a fresh database"
    );
}

// ---------------------------------------------------------------------------------------------
// The pool

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_all_succeed_without_busy() {
    let file = SqliteFile::new();
    let db = Arc::new(open(&file).await);
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                for i in 0..200 {
                    let id = format!("w{writer}-{i}");
                    insert_user(&db, &id, &id).await?;
                }
                Ok::<(), Error>(())
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    assert_eq!(count_users(&*db).await, 1600);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_proceed_while_a_write_transaction_is_open() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    insert_user(&db, "u1", "u1").await.unwrap();
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    insert_user_in(&*tx, "u2").await;
    // With WAL, readers neither wait for the writer nor see its uncommitted rows. The timeout
    // only turns a hang into a failure.
    let read = tokio::time::timeout(Duration::from_secs(5), count_users(&db)).await;
    assert_eq!(
        read.expect("a read during a write transaction does not wait"),
        1
    );
    tx.commit().await.unwrap();
    assert_eq!(count_users(&db).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_longer_than_the_pool_timeout_fails_then_succeeds_once_released() {
    let file = SqliteFile::new();
    open(&file).await;
    let config = SqliteConfig::from_url(&file.url())
        .unwrap()
        .with_connection_limit(2)
        .with_pool_timeout(Some(Duration::from_millis(300)));
    let db = Arc::new(SqliteAdapter::with_config(config).await.unwrap());
    let status = db.pool_status();
    assert_eq!((status.max_size, status.idle, status.waiting), (2, 2, 0));

    let held = db.connection().await.unwrap();
    let reader = db
        .begin(&TransactionOptions {
            read_only: true,
            ..TransactionOptions::default()
        })
        .await
        .unwrap();
    assert_eq!(db.pool_status().idle, 0);

    let waiter = {
        let db = Arc::clone(&db);
        tokio::spawn(async move { insert_user(&db, "u1", "u1").await })
    };
    let err = waiter.await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::PoolTimeout { limit: 2, .. }),
        "{err:?}"
    );
    assert_eq!(err.prisma_code(), Some("P2024"));
    let err = db.query(&Sql::new("SELECT 1")).await.unwrap_err();
    assert!(matches!(err, Error::PoolTimeout { .. }), "{err:?}");

    let waiter = {
        let db = Arc::clone(&db);
        tokio::spawn(async move { insert_user(&db, "u1", "u1").await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(db.pool_status().waiting, 1);
    drop(held);
    assert_eq!(
        waiter.await.unwrap().unwrap(),
        1,
        "succeeds once the writer is released"
    );
    reader.commit().await.unwrap();
    assert_eq!(count_users(&*db).await, 1);
    assert_eq!(db.pool_status().idle, 2);
}

// ---------------------------------------------------------------------------------------------
// Parameters cannot inject SQL

#[test]
fn arbitrary_strings_bind_as_values_and_leave_the_table_untouched() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let file = SqliteFile::new();
    let db = runtime.block_on(open(&file));
    runtime
        .block_on(insert_user(&db, "keep", "keep@b.co"))
        .unwrap();

    let hostile = prop_oneof![
        ".*",
        "[-'\";$?\\\\/*#%:@ 0-9a-z]{0,30}",
        Just("'); DROP TABLE \"User\"; --".to_owned()),
        Just("$1 ?1 ?2 :name @x".to_owned()),
        Just("/* unterminated".to_owned()),
        Just("\\'\\\"\\\\".to_owned()),
    ];
    let mut runner = TestRunner::new(Config {
        cases: 256,
        ..Config::default()
    });
    runner
        .run(&(hostile.clone(), hostile), |(id, email)| {
            runtime.block_on(async {
                let id = format!("p-{id}");
                insert_user(&db, &id, &email).await.unwrap();
                let rows = db
                    .query(&sql(
                        r#"SELECT "id", "email" FROM "User" WHERE "id" = ?1"#,
                        vec![id.clone().into()],
                    ))
                    .await
                    .unwrap();
                let back: Vec<(String, String)> = rows.decode().unwrap();
                prop_assert_eq!(back, vec![(id.clone(), email)]);
                let rows = db
                    .query(&Sql::new(
                        r#"SELECT "id", "email" FROM "User" WHERE "id" = 'keep'"#,
                    ))
                    .await
                    .unwrap();
                let kept: Vec<(String, String)> = rows.decode().unwrap();
                prop_assert_eq!(kept, vec![("keep".to_owned(), "keep@b.co".to_owned())]);
                prop_assert_eq!(count_users(&db).await, 2);
                db.execute(&sql(
                    r#"DELETE FROM "User" WHERE "id" = ?1"#,
                    vec![id.into()],
                ))
                .await
                .unwrap();
                Ok(())
            })
        })
        .unwrap();
}

/// A database file whose table `T` has a column named by the bytes `a\xffb` (not UTF-8) and
/// one declared with the type `T\xffX`: SQLite stores names as given, so a file written by
/// another program can hold them. Written here through `writable_schema`, as such a program
/// would have left it.
fn file_with_non_utf8_names() -> SqliteFile {
    let file = SqliteFile::new();
    let raw = rusqlite::Connection::open(file.path()).unwrap();
    raw.execute_batch(
        r#"CREATE TABLE "T" ("id" INTEGER, "ab" TEXT, "v" TXX);
           INSERT INTO "T" VALUES (1, 'x', 'y');
           PRAGMA writable_schema = ON;
           UPDATE sqlite_schema
              SET sql = CAST(X'435245415445205441424C452022542220282269642220494E54454745522C202261FF622220544558542C202276222054FF5829' AS TEXT)
            WHERE name = 'T';
           PRAGMA writable_schema = OFF;"#,
    )
    .unwrap();
    drop(raw);
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_utf8_column_names_and_types_are_errors_not_panics() {
    let file = file_with_non_utf8_names();
    let db = SqliteAdapter::open(&file.url()).await.unwrap();
    for select in [r#"SELECT * FROM "T""#, r#"SELECT "v" FROM "T""#] {
        // Twice: the second run goes through the statement cache.
        for _ in 0..2 {
            let err = db.query(&Sql::new(select)).await.unwrap_err();
            assert!(
                matches!(&err, Error::Decode { expected, .. } if expected.contains("UTF-8")),
                "{select}: {err:?}"
            );
        }
    }
    // The adapter is still usable, and names that are UTF-8 still read.
    let rows = db
        .query(&Sql::new(r#"SELECT "id" FROM "T""#))
        .await
        .unwrap();
    assert_eq!(rows.columns(), ["id"]);
    assert_eq!(single::<i64>(rows), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_timeout_longer_than_sqlite_can_take_opens_and_waits_its_longest() {
    let file = SqliteFile::new();
    // SQLite takes the busy timeout in milliseconds as a C int (about 24.8 days at most);
    // 3,000,000 s is past that.
    let url = orm_tests::with_params(&file.url(), "socket_timeout=3000000");
    let db = SqliteAdapter::open(&url).await.expect("opens");
    let rows = db.query(&Sql::new("SELECT 1")).await.unwrap();
    assert_eq!(single::<i64>(rows), 1);
}

/// Rows handed over one by one (`query_each`, the typed client's reads): on the pool (a reader
/// or the writer), in a transaction, and on a current-thread runtime, where the adapter must
/// run SQLite on a blocking thread and hands the collected rows over afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_are_handed_over_one_by_one() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    orm_tests::check_query_each(&db).await;
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    orm_tests::check_query_each(tx.as_ref()).await;
    tx.commit().await.unwrap();
    let memory = SqliteAdapter::open("file::memory:").await.unwrap();
    orm_tests::check_query_each(&memory).await;
}

#[tokio::test(flavor = "current_thread")]
async fn rows_are_handed_over_on_a_current_thread_runtime() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    orm_tests::check_query_each(&db).await;
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    orm_tests::check_query_each(tx.as_ref()).await;
    tx.rollback().await.unwrap();
}

/// Several `DateTime` parameters of one statement, equal and different, in any order, each
/// bound as its own text (the adapter reuses the text of a repeated timestamp).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_and_different_datetimes_in_one_statement_bind_their_own_text() {
    let file = SqliteFile::new();
    let db = open(&file).await;
    let a = Utc.with_ymd_and_hms(2026, 11, 25, 8, 50, 6).unwrap();
    let b = a + chrono::Duration::milliseconds(517);
    let params = [a, a, b, a, b, b].map(Value::DateTime).to_vec();
    let rows = db
        .query(&sql(
            "SELECT ?1 AS p1, ?2 AS p2, ?3 AS p3, ?4 AS p4, ?5 AS p5, ?6 AS p6",
            params,
        ))
        .await
        .unwrap();
    let texts: Vec<String> = rows
        .rows()
        .next()
        .unwrap()
        .values()
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => panic!("text expected, got {other:?}"),
        })
        .collect();
    let (ta, tb) = (
        "2026-11-25T08:50:06.000+00:00",
        "2026-11-25T08:50:06.517+00:00",
    );
    assert_eq!(texts, [ta, ta, tb, ta, tb, tb]);
}
