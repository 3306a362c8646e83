//! Raw SQL (`query_raw!`, `execute_raw!`, `raw_sql!`, `#[derive(FromRow)]`) against real
//! PostgreSQL and real SQLite files: each behaviour runs on both backends through
//! `Arc<dyn Adapter>`, each test in its own database.

use std::future::Future;
use std::sync::Arc;

use orm_core::raw::{Ident, RawSql, execute_raw_unsafe, query_raw_unsafe, unsafe_raw};
use orm_core::{
    Adapter, Dialect, Error, FromRow, Row, TransactionOptions, Value, execute_raw, query_raw,
    raw_sql,
};
use orm_tests::{PgDatabase, SqliteFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// A backend under test: the adapter, and what must outlive it (the database or the file).
struct Backend {
    db: Arc<dyn Adapter>,
    _keep: Box<dyn std::any::Any + Send>,
}

async fn postgres() -> Backend {
    let database = PgDatabase::create().await;
    let adapter = orm_pg::PgAdapter::connect(&database.url)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", database.url));
    Backend {
        db: Arc::new(adapter),
        _keep: Box::new(database),
    }
}

async fn sqlite() -> Backend {
    let file = SqliteFile::new();
    let adapter = orm_sqlite::SqliteAdapter::open(&file.url())
        .await
        .unwrap_or_else(|e| panic!("open {}: {e}", file.url()));
    Backend {
        db: Arc::new(adapter),
        _keep: Box::new(file),
    }
}

/// Instantiates `async fn $name(db: &Arc<dyn Adapter>)` for both backends.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let backend = super::postgres().await;
                super::$name(&backend.db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let backend = super::sqlite().await;
                super::$name(&backend.db).await;
            }
        }
    )*};
}

on_both_backends!(
    rows_decode_into_a_derived_struct_by_column_name,
    rows_decode_into_tuples_and_untyped_rows,
    execute_returns_the_affected_row_count,
    a_missing_column_is_a_decode_error_naming_it,
    fragments_identifiers_and_the_unsafe_escape,
    raw_sql_runs_inside_a_transaction,
    constraint_errors_from_raw_sql_are_typed,
);

/// `"User"` with three rows; the third has no display name.
async fn users(db: &Arc<dyn Adapter>) {
    execute_raw!(
        db,
        r#"CREATE TABLE "User" (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            "displayName" TEXT,
            score DOUBLE PRECISION NOT NULL
        )"#
    )
    .await
    .expect("create User");
    for (id, email, name, score) in [
        (1, "ada@example.com", Some("Ada"), 9.5),
        (2, "bob@example.com", Some("Bob"), 7.25),
        (3, "cy@example.com", None, 8.0),
    ] {
        let inserted = execute_raw!(
            db,
            r#"INSERT INTO "User" (id, email, "displayName", score)
               VALUES ({id}, {email}, {name}, {score})"#
        )
        .await
        .expect("insert a user");
        assert_eq!(inserted, 1);
    }
}

#[derive(Debug, PartialEq, FromRow)]
#[orm(rename_all = "camelCase")]
struct UserRow {
    id: i32,
    email: String,
    display_name: Option<String>,
    #[orm(rename = "points")]
    score: f64,
}

async fn rows_decode_into_a_derived_struct_by_column_name(db: &Arc<dyn Adapter>) {
    users(db).await;
    let min_score = 7.5;
    // Columns in another order than the struct's fields, one of them aliased.
    let rows: Vec<UserRow> = query_raw!(
        db,
        r#"SELECT score AS points, "displayName", email, id FROM "User"
           WHERE score > {min_score} ORDER BY id"#
    )
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            UserRow {
                id: 1,
                email: "ada@example.com".into(),
                display_name: Some("Ada".into()),
                score: 9.5
            },
            UserRow {
                id: 3,
                email: "cy@example.com".into(),
                display_name: None,
                score: 8.0
            },
        ]
    );
}

async fn rows_decode_into_tuples_and_untyped_rows(db: &Arc<dyn Adapter>) {
    users(db).await;
    let domain = "%@example.com";
    let pairs: Vec<(i32, Option<String>)> = query_raw!(
        db,
        r#"SELECT id, "displayName" FROM "User" WHERE email LIKE {domain} ORDER BY id DESC"#
    )
    .await
    .unwrap();
    assert_eq!(
        pairs,
        vec![(3, None), (2, Some("Bob".into())), (1, Some("Ada".into()))]
    );

    let id = 2;
    let rows: Vec<Row> = query_raw!(db, r#"SELECT email, id FROM "User" WHERE id = {id}"#)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].columns(), ["email", "id"]);
    assert_eq!(rows[0].get::<String>("email").unwrap(), "bob@example.com");
    assert_eq!(rows[0].get::<i64>("id").unwrap(), 2);

    let none: Vec<(i32,)> = query_raw!(db, r#"SELECT id FROM "User" WHERE id = {-1}"#)
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn execute_returns_the_affected_row_count(db: &Arc<dyn Adapter>) {
    users(db).await;
    let bonus = 0.5;
    let floor = 1;
    let updated = execute_raw!(
        db,
        r#"UPDATE "User" SET score = score + {bonus} WHERE id > {floor}"#
    )
    .await
    .unwrap();
    assert_eq!(updated, 2);
    let scores: Vec<(f64,)> = query_raw!(db, r#"SELECT score FROM "User" ORDER BY id"#)
        .await
        .unwrap();
    assert_eq!(scores, vec![(9.5,), (7.75,), (8.5,)]);

    let nobody = "nobody@example.com";
    let deleted = execute_raw!(db, r#"DELETE FROM "User" WHERE email = {nobody}"#)
        .await
        .unwrap();
    assert_eq!(deleted, 0);
    let deleted = execute_raw!(db, r#"DELETE FROM "User""#).await.unwrap();
    assert_eq!(deleted, 3);
}

async fn a_missing_column_is_a_decode_error_naming_it(db: &Arc<dyn Adapter>) {
    users(db).await;
    let err = query_raw!(db, r#"SELECT id, email, score AS points FROM "User""#)
        .fetch_all()
        .await
        .map(|rows: Vec<UserRow>| rows.len())
        .unwrap_err();
    match err {
        Error::Decode { column, .. } => assert_eq!(column, "displayName"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

async fn fragments_identifiers_and_the_unsafe_escape(db: &Arc<dyn Adapter>) {
    users(db).await;

    // A fragment chosen at run time keeps its values as parameters when spliced in.
    let only_named = true;
    let filter = if only_named {
        raw_sql!(r#""displayName" IS NOT NULL AND score > {7.0}"#)
    } else {
        raw_sql!("TRUE")
    };
    let ids = RawSql::join([1, 2, 3], ", ");
    let table = Ident::new("User");
    let order = unsafe_raw("ORDER BY id DESC");
    let query = query_raw!(
        db,
        "SELECT id FROM {table} WHERE {filter} AND id IN ({ids}) {order}"
    );
    let sql = query.to_sql().unwrap();
    let expected = match db.dialect() {
        Dialect::Postgres => {
            r#"SELECT id FROM "User" WHERE "displayName" IS NOT NULL AND score > $1 AND id IN ($2, $3, $4) ORDER BY id DESC"#
        }
        _ => {
            r#"SELECT id FROM "User" WHERE "displayName" IS NOT NULL AND score > ?1 AND id IN (?2, ?3, ?4) ORDER BY id DESC"#
        }
    };
    assert_eq!(sql.text, expected);
    let rows: Vec<(i32,)> = query.await.unwrap();
    assert_eq!(rows, vec![(2,), (1,)]);

    // An identifier is quoted, so a hostile one names a (missing) table instead of running SQL.
    let hostile = Ident::new(r#"User"; DELETE FROM "User"; --"#);
    assert!(
        query_raw!(db, "SELECT id FROM {hostile}")
            .fetch_all()
            .await
            .map(|rows: Vec<Row>| rows.len())
            .is_err()
    );
    let left: Vec<(i64,)> = query_raw!(db, r#"SELECT count(*) FROM "User""#)
        .await
        .unwrap();
    assert_eq!(left, vec![(3,)]);

    // Prisma's $queryRawUnsafe / $executeRawUnsafe: text as written, placeholders by hand.
    let (select, update) = match db.dialect() {
        Dialect::Postgres => (
            r#"SELECT email FROM "User" WHERE id = $1"#,
            r#"UPDATE "User" SET score = $1 WHERE id = $2"#,
        ),
        _ => (
            r#"SELECT email FROM "User" WHERE id = ?1"#,
            r#"UPDATE "User" SET score = ?1 WHERE id = ?2"#,
        ),
    };
    let emails: Vec<(String,)> = query_raw_unsafe(db, select, vec![Value::Int(1)])
        .await
        .unwrap();
    assert_eq!(emails, vec![("ada@example.com".to_owned(),)]);
    let updated = execute_raw_unsafe(db, update, vec![Value::Float(1.0), Value::Int(2)])
        .await
        .unwrap();
    assert_eq!(updated, 1);
}

async fn raw_sql_runs_inside_a_transaction(db: &Arc<dyn Adapter>) {
    users(db).await;
    let tx = db.begin(&TransactionOptions::default()).await.unwrap();
    let id = 4;
    let email = "dee@example.com";
    let inserted = execute_raw!(
        tx,
        r#"INSERT INTO "User" (id, email, score) VALUES ({id}, {email}, {1.0})"#
    )
    .await
    .unwrap();
    assert_eq!(inserted, 1);
    let seen: Vec<(i64,)> = query_raw!(tx, r#"SELECT count(*) FROM "User""#)
        .await
        .unwrap();
    assert_eq!(seen, vec![(4,)]);
    tx.rollback().await.unwrap();

    let after: Vec<(i64,)> = query_raw!(db, r#"SELECT count(*) FROM "User""#)
        .await
        .unwrap();
    assert_eq!(after, vec![(3,)]);
}

async fn constraint_errors_from_raw_sql_are_typed(db: &Arc<dyn Adapter>) {
    users(db).await;
    let taken = "ada@example.com";
    let err = execute_raw!(
        db,
        r#"INSERT INTO "User" (id, email, score) VALUES ({9}, {taken}, {0.0})"#
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::UniqueViolation { .. }),
        "expected a unique violation, got {err:?}"
    );
}

/// Raw SQL also runs on a concrete adapter type and on a borrowed `dyn Adapter`.
async fn concrete_and_borrowed_adapters_are_executors<A: Adapter>(adapter: A) {
    // PostgreSQL types a parameter nothing else types as text; the cast makes it a number.
    let one: Vec<(i64,)> = query_raw!(adapter, "SELECT CAST({1_i64} AS BIGINT)")
        .await
        .unwrap();
    assert_eq!(one, vec![(1,)]);
    let borrowed: &dyn Adapter = &adapter;
    let two: Vec<(i64,)> = query_raw!(borrowed, "SELECT CAST({2_i64} AS BIGINT)")
        .await
        .unwrap();
    assert_eq!(two, vec![(2,)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_adapter_is_an_executor() {
    let database = PgDatabase::create().await;
    let adapter = orm_pg::PgAdapter::connect(&database.url).await.unwrap();
    concrete_and_borrowed_adapters_are_executors(adapter).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_adapter_is_an_executor() {
    let file = SqliteFile::new();
    let adapter = orm_sqlite::SqliteAdapter::open(&file.url()).await.unwrap();
    concrete_and_borrowed_adapters_are_executors(adapter).await;
}

/// The seed's full-text search example, as Prisma writes it with `$queryRaw`, on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_text_search_ranks_matching_articles() {
    let backend = postgres().await;
    let db = &backend.db;
    execute_raw!(
        db,
        "CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            search_tsv TSVECTOR GENERATED ALWAYS AS
                (to_tsvector('english', title || ' ' || body)) STORED
        )"
    )
    .await
    .unwrap();
    execute_raw!(
        db,
        "CREATE INDEX articles_search_idx ON articles USING GIN (search_tsv)"
    )
    .await
    .unwrap();
    let articles = [
        (
            "often",
            "Rust ORM",
            "A Rust ORM reads the schema; this ORM is written in Rust for Rust.",
        ),
        ("once", "Databases", "An ORM for Rust and other languages."),
        (
            "rust-only",
            "Rust",
            "The Rust language, without the other word.",
        ),
        ("unrelated", "Cooking", "Bread, water, salt."),
    ];
    for (id, title, body) in articles {
        execute_raw!(
            db,
            "INSERT INTO articles (id, title, body) VALUES ({id}, {title}, {body})"
        )
        .await
        .unwrap();
    }

    #[derive(Debug, FromRow)]
    struct Hit {
        id: String,
        rank: f64,
    }

    let q = "rust orm";
    let rows: Vec<Hit> = query_raw!(
        db,
        "SELECT id, ts_rank(search_tsv, plainto_tsquery({q})) AS rank
         FROM articles
         WHERE search_tsv @@ plainto_tsquery({q})
         ORDER BY rank DESC
         LIMIT 20"
    )
    .await
    .unwrap();
    let ids: Vec<&str> = rows.iter().map(|hit| hit.id.as_str()).collect();
    assert_eq!(ids, ["often", "once"]);
    assert!(
        rows[0].rank > rows[1].rank && rows[1].rank > 0.0,
        "{rows:?}"
    );

    // The search text is a parameter: SQL in it is just words to look for.
    let q = "orm'); DROP TABLE articles; --";
    let rows: Vec<Hit> = query_raw!(
        db,
        "SELECT id, ts_rank(search_tsv, plainto_tsquery({q})) AS rank
         FROM articles WHERE search_tsv @@ plainto_tsquery({q}) ORDER BY rank DESC"
    )
    .await
    .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
    let count: Vec<(i64,)> = query_raw!(db, "SELECT count(*) FROM articles")
        .await
        .unwrap();
    assert_eq!(count, vec![(4,)]);
}

/// Pieces that mean something to SQL, to the template syntax or to a placeholder parser.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'".to_owned()),
        Just("''".to_owned()),
        Just("\"".to_owned()),
        Just(";".to_owned()),
        Just("--".to_owned()),
        Just("/*".to_owned()),
        Just("*/".to_owned()),
        Just("$1".to_owned()),
        Just("$$".to_owned()),
        Just("?".to_owned()),
        Just("?1".to_owned()),
        Just(":name".to_owned()),
        Just("\\".to_owned()),
        Just("\\'".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("{q}".to_owned()),
        Just("%".to_owned()),
        Just("_".to_owned()),
        Just("\n".to_owned()),
        Just(r#"'); DROP TABLE "Probe"; --"#.to_owned()),
        Just(r#"" OR 1=1 --"#.to_owned()),
        // Any other text; NUL is left out (PostgreSQL text cannot hold it: an encode error).
        "[^\u{0}]{0,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// Every hostile string, interpolated into `INSERT` and `SELECT` templates, is stored and
/// found as data: it reads back exactly, matches only its own row, and the table, the canary
/// row and a second table stay as they were.
fn injection_round_trips(backend: fn() -> std::pin::Pin<Box<dyn Future<Output = Backend>>>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let backend = runtime.block_on(backend());
    let db = &backend.db;
    runtime.block_on(async {
        for ddl in [
            r#"CREATE TABLE "Probe" (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"#,
            r#"CREATE TABLE "Canary" (id INTEGER PRIMARY KEY)"#,
            r#"INSERT INTO "Probe" (id, body) VALUES (0, 'canary')"#,
            r#"INSERT INTO "Canary" (id) VALUES (1)"#,
        ] {
            execute_raw_unsafe(db, ddl, vec![]).await.unwrap();
        }
    });

    let next_id = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let fail = |e: Error| TestCaseError::fail(e.to_string());
    let result = runner.run(&hostile_text(), |text| {
        let id = next_id.get() + 1;
        next_id.set(id);
        runtime.block_on(async {
            let inserted = execute_raw!(
                db,
                r#"INSERT INTO "Probe" (id, body) VALUES ({id}, {text})"#
            )
            .await
            .map_err(fail)?;
            prop_assert_eq!(inserted, 1);

            let back: Vec<(String,)> =
                query_raw!(db, r#"SELECT body FROM "Probe" WHERE id = {id}"#)
                    .await
                    .map_err(fail)?;
            prop_assert_eq!(back, vec![(text.clone(),)]);

            // Compared as a value, the text matches its own row (and any earlier equal one).
            let matches: Vec<(i32,)> = query_raw!(
                db,
                r#"SELECT id FROM "Probe" WHERE body = {text} AND id > {0} ORDER BY id"#
            )
            .await
            .map_err(fail)?;
            prop_assert_eq!(matches.last(), Some(&(id,)));

            let state: Vec<(i64, String, i64)> = query_raw!(
                db,
                r#"SELECT (SELECT count(*) FROM "Probe"),
                          (SELECT body FROM "Probe" WHERE id = 0),
                          (SELECT count(*) FROM "Canary")"#
            )
            .await
            .map_err(fail)?;
            prop_assert_eq!(state, vec![(i64::from(id) + 1, "canary".to_owned(), 1)]);
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn injection_attempts_round_trip_as_data_on_postgres() {
    injection_round_trips(|| Box::pin(postgres()));
}

#[test]
fn injection_attempts_round_trip_as_data_on_sqlite() {
    injection_round_trips(|| Box::pin(sqlite()));
}
