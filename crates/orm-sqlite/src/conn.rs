//! What runs on a rusqlite connection: opening it with the adapter's pragmas, and the
//! operations the adapter sends it ([`Op`]), executed synchronously.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use orm_core::{CellRef, Cells, EachRow, Error, Result, ResultSet, RowCursor, Sql};
use rusqlite::config::DbConfig;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, StatementStatus, ffi};

use crate::config::SqliteConfig;
use crate::error::map_error;
use crate::value::{Decl, bind, from_sql, utf8};

/// Which part of the pool a connection serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The one connection that writes.
    Writer,
    /// A connection that only reads (`PRAGMA query_only`).
    Reader,
}

/// A rusqlite connection and what it remembers about the queries it ran.
#[derive(Debug)]
pub(crate) struct Conn {
    db: Connection,
    /// Column names and declared types per query text (by [`text_key`]), so that running a
    /// cached statement again does not allocate its column names. Bounded like the statement
    /// cache.
    plans: HashMap<u64, Arc<Plan>, BuildHasherDefault<KeyHasher>>,
    plan_capacity: usize,
}

/// A query's columns: names, shared by every result, and what their declared types mean;
/// and how many rows it returned last time, to size the next result at once.
#[derive(Debug)]
struct Plan {
    columns: Arc<[String]>,
    decls: Box<[Decl]>,
    last_rows: AtomicUsize,
    /// The statement's run and re-prepare counters after its last use with this plan
    /// ([`Runs`]): while a cached statement shows them unchanged, it is the statement this
    /// plan was checked against and its columns cannot have changed.
    runs: AtomicU64,
}

/// A prepared statement's identity over time: SQLite counts its runs and its re-prepares
/// (`sqlite3_stmt_status`). A statement prepared afresh has run zero times; one whose schema
/// changed has been re-prepared once more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Runs(u64);

impl Runs {
    fn of(stmt: &rusqlite::Statement<'_>) -> Runs {
        let count = |status| u64::from(stmt.get_status(status).cast_unsigned());
        Runs(count(StatementStatus::Run) | count(StatementStatus::RePrepare) << 32)
    }

    fn reprepares(self) -> u64 {
        self.0 >> 32
    }
}

/// The most rows a result reserves room for up front.
const MAX_RESERVED_ROWS: usize = 1 << 16;

/// Runs `read` on a statement's column names or declared types, turning rusqlite's panic on
/// text that is not UTF-8 into `None`.
///
/// rusqlite's `Statement::column_name` and `Statement::columns` `expect` UTF-8 (its docs say
/// they panic otherwise) and it offers no way to read the raw bytes short of `unsafe` FFI,
/// which this workspace forbids. A database file written by another program, or edited
/// through `writable_schema`, can hold such names, so a query must not take the process down
/// over one. These reads only look at the prepared statement and change nothing, so unwinding
/// out of them leaves the statement and the connection as they were. (The panic hook still
/// runs, so the panic's message appears on stderr.)
fn read_columns<T>(read: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).ok()
}

impl Plan {
    /// The statement's columns.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when a column name or declared type is not UTF-8.
    fn of(stmt: &rusqlite::Statement<'_>) -> Result<Arc<Plan>> {
        let read = read_columns(|| -> (Vec<String>, Vec<Decl>) {
            stmt.columns()
                .map(|c| (c.name().to_owned(), Decl::of(c.decl_type())))
                .unzip()
        });
        let Some((names, decls)) = read else {
            // Name the first column whose name is not UTF-8, if it is a name at all.
            let column = (0..stmt.column_count())
                .find(|&i| read_columns(|| stmt.column_name(i).is_ok()).is_none())
                .map_or_else(
                    || "a declared column type".to_owned(),
                    |i| format!("column {}", i + 1),
                );
            return Err(Error::Decode {
                column,
                expected: "a UTF-8 column name and declared type".to_owned(),
                actual: "bytes that are not UTF-8".to_owned(),
            });
        };
        Ok(Arc::new(Plan {
            columns: names.into(),
            decls: decls.into(),
            last_rows: AtomicUsize::new(1),
            runs: AtomicU64::new(0),
        }))
    }

    /// Whether the statement still has these columns (a schema change re-prepares it).
    fn fits(&self, stmt: &rusqlite::Statement<'_>) -> bool {
        self.columns.len() == stmt.column_count()
            && read_columns(|| {
                self.columns
                    .iter()
                    .enumerate()
                    .all(|(i, name)| stmt.column_name(i).is_ok_and(|n| n == name))
            })
            .unwrap_or(false)
    }
}

impl Conn {
    /// Whether no transaction is open.
    pub(crate) fn is_autocommit(&self) -> bool {
        self.db.is_autocommit()
    }

    /// Runs a statement without parameters, ignoring any rows.
    pub(crate) fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.db.execute_batch(sql)
    }
}

/// The key of query `text` among the plans: a 64-bit hash (foldhash's quality variant), so
/// the text is read once here and never compared or copied; rusqlite's statement cache hashes
/// it too, with a hasher of its own. Two texts with the same key would share a plan only if
/// they also had the same column names ([`Plan::fits`] is checked on every use).
fn text_key(text: &str) -> u64 {
    const SEED: u64 = 0x6f72_6d5f_706c_616e;
    foldhash::quality::FixedState::with_seed(SEED).hash_one(text)
}

/// Plan keys are hashes already: the map uses them as they are.
#[derive(Debug, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The plan of the query keyed `key` ([`text_key`]) from `plans`, or made from `stmt` (whose
/// counters are `runs`) and remembered.
fn plan_for(
    plans: &mut HashMap<u64, Arc<Plan>, BuildHasherDefault<KeyHasher>>,
    capacity: usize,
    key: u64,
    runs: Runs,
    stmt: &rusqlite::Statement<'_>,
) -> Result<Arc<Plan>> {
    // A statement that has run (never zero: counted after a run) exactly as often as when this
    // plan last saw it is that statement, unchanged; otherwise compare the columns.
    let unchanged = |p: &Plan| p.runs.load(Ordering::Relaxed) == runs.0;
    if let Some(plan) = plans.get(&key).filter(|p| unchanged(p) || p.fits(stmt)) {
        return Ok(Arc::clone(plan));
    }
    let plan = Plan::of(stmt)?;
    if plans.len() >= capacity {
        plans.clear();
    }
    plans.insert(key, Arc::clone(&plan));
    Ok(plan)
}

/// The longest busy timeout SQLite can take: `i32::MAX` milliseconds.
const MAX_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(2_147_483_647);

/// Opens one connection: busy timeout, `foreign_keys=ON`, statement cache, stable plans; the
/// writer switches a file database to WAL; readers are `query_only`.
pub(crate) fn open(config: &SqliteConfig, name: &str, role: Role) -> Result<Conn> {
    let read_only = config.is_read_only();
    let mut flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    flags |= if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
    };
    let conn = Connection::open_with_flags(name, flags).map_err(map_error)?;
    // SQLite takes milliseconds as a C int, and rusqlite panics past that (about 24.8 days):
    // wait that long at most.
    conn.busy_timeout(config.busy_timeout.min(MAX_BUSY_TIMEOUT))
        .map_err(map_error)?;
    conn.set_prepared_statement_cache_capacity(config.statement_cache_capacity);
    // Plans never depend on bound values. SQLite otherwise plans with the value bound to a
    // `LIKE ?` pattern (every `contains`/`startsWith`/`endsWith`), a bare `LIMIT ?` or (STAT4)
    // a compared parameter, and expires the plan when that binding changes; the statement
    // cache clears bindings when a statement goes back into it, so each run compiled the
    // statement again (several times the cost of a point read).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(map_error)?;
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .map_err(map_error)?;
    register_functions(&conn).map_err(map_error)?;
    match role {
        Role::Writer if !read_only && !config.is_memory() => {
            // WAL lets readers proceed while a write transaction is open. The mode is stored in
            // the file, so readers opened afterwards use it too.
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(map_error)?;
        }
        Role::Reader => conn
            .execute_batch("PRAGMA query_only = ON")
            .map_err(map_error)?,
        Role::Writer => {}
    }
    Ok(Conn {
        db: conn,
        plans: HashMap::default(),
        plan_capacity: config.statement_cache_capacity.max(1),
    })
}

/// Registers `orm_int4` and `orm_int8`, the range guards the SQLite dialect writes around
/// arithmetic updates of `Int` and `BigInt` columns (the contract in `orm_core::adapter`).
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("orm_int4", 1, flags, |ctx| {
        checked_integer(ctx.get_raw(0), i64::from(i32::MIN), i64::from(i32::MAX))
    })?;
    conn.create_scalar_function("orm_int8", 1, flags, |ctx| {
        checked_integer(ctx.get_raw(0), i64::MIN, i64::MAX)
    })
}

/// `value` when it is NULL or an integer in `min..=max`; otherwise fails the statement with
/// `SQLITE_CONSTRAINT_FUNCTION` ([`Error::OutOfRange`]). A REAL fails too: SQLite gives one
/// for an integer overflow, and an `Int` or `BigInt` column cannot be read back holding it.
fn checked_integer(value: ValueRef<'_>, min: i64, max: i64) -> rusqlite::Result<Option<i64>> {
    match value {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(i) if (min..=max).contains(&i) => Ok(Some(i)),
        // No message: rusqlite would pass it to `sqlite3_result_error`, which resets the
        // code to plain `SQLITE_ERROR`.
        _ => Err(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_CONSTRAINT_FUNCTION),
            None,
        )),
    }
}

/// One operation for a connection.
#[derive(Debug, Clone)]
pub(crate) enum Op<'a> {
    /// A statement returning rows.
    Query(Cow<'a, Sql>),
    /// A statement returning an affected-row count.
    Execute(Cow<'a, Sql>),
    /// Several statements without parameters.
    Script(Cow<'a, str>),
    /// `BEGIN IMMEDIATE` (`true`) or `BEGIN DEFERRED`.
    Begin(bool),
    /// `COMMIT`; on failure the transaction is rolled back, so it is over either way.
    Commit,
    /// `ROLLBACK`, when a transaction is open.
    Rollback,
}

impl Op<'_> {
    /// The same operation owning its text, to move to another thread.
    pub(crate) fn into_owned(self) -> Op<'static> {
        match self {
            Op::Query(sql) => Op::Query(Cow::Owned(sql.into_owned())),
            Op::Execute(sql) => Op::Execute(Cow::Owned(sql.into_owned())),
            Op::Script(script) => Op::Script(Cow::Owned(script.into_owned())),
            Op::Begin(immediate) => Op::Begin(immediate),
            Op::Commit => Op::Commit,
            Op::Rollback => Op::Rollback,
        }
    }
}

/// What an operation produced.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The rows of a query.
    Rows(ResultSet),
    /// The rows an execute affected.
    Count(u64),
    /// Nothing to report.
    Done,
    /// The statement writes, and was sent to a reader: run it on the writer instead.
    NeedsWriter,
}

/// How the connection is used for this operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mode {
    /// The connection was just taken from the pool: a transaction left open on it (its owner
    /// was dropped before its rollback ran) is rolled back first.
    pub pooled: bool,
    /// The connection is a reader in autocommit use: a statement that writes is not run but
    /// answered with [`Outcome::NeedsWriter`].
    pub reader: bool,
}

/// Runs `op` on `conn`.
pub(crate) fn exec(conn: &mut Conn, op: &Op<'_>, mode: Mode) -> Result<Outcome> {
    prepare_session(conn, mode)?;
    let bounce_writes = mode.pooled && mode.reader;
    match op {
        Op::Query(sql) => query(conn, sql, bounce_writes),
        Op::Execute(sql) => execute(&conn.db, sql, bounce_writes),
        Op::Script(script) => {
            conn.execute_batch(script).map_err(map_error)?;
            Ok(Outcome::Done)
        }
        Op::Begin(true) => run_cached(&conn.db, "BEGIN IMMEDIATE"),
        Op::Begin(false) => run_cached(&conn.db, "BEGIN DEFERRED"),
        Op::Commit => run_cached(&conn.db, "COMMIT").inspect_err(|_| {
            // A failed COMMIT (SQLITE_BUSY) can leave the transaction open.
            if !conn.is_autocommit() {
                let _ = run_cached(&conn.db, "ROLLBACK");
            }
        }),
        Op::Rollback if conn.is_autocommit() => Ok(Outcome::Done),
        Op::Rollback => run_cached(&conn.db, "ROLLBACK"),
    }
}

/// Runs query `sql` on `conn`, handing each row to `each`
/// ([`Queryable::query_each`](orm_core::Queryable::query_each)); the outcome is the number of
/// rows, or [`Outcome::NeedsWriter`].
pub(crate) fn exec_each(
    conn: &mut Conn,
    sql: &Sql,
    mode: Mode,
    each: &mut EachRow<'_>,
) -> Result<Outcome> {
    prepare_session(conn, mode)?;
    query_each(conn, sql, mode.pooled && mode.reader, each)
}

/// A pooled connection found inside a transaction (its user's future was dropped mid-way) is
/// rolled back before anything else runs on it.
fn prepare_session(conn: &Conn, mode: Mode) -> Result<()> {
    if mode.pooled && !conn.is_autocommit() {
        run_cached(&conn.db, "ROLLBACK")?;
    }
    Ok(())
}

fn run_cached(conn: &Connection, sql: &str) -> Result<Outcome> {
    let mut stmt = conn.prepare_cached(sql).map_err(map_error)?;
    stmt.raw_execute().map_err(map_error)?;
    Ok(Outcome::Done)
}

fn query(conn: &mut Conn, sql: &Sql, bounce_writes: bool) -> Result<Outcome> {
    let mut result: Option<ResultSet> = None;
    let read = each_row(conn, sql, bounce_writes, |plan, row| {
        let result = result.get_or_insert_with(|| {
            let expected_rows = plan
                .last_rows
                .load(Ordering::Relaxed)
                .min(MAX_RESERVED_ROWS);
            ResultSet::with_shared_columns(Arc::clone(&plan.columns), expected_rows)
        });
        for (index, decl) in plan.decls.iter().enumerate() {
            let value = row.get_ref(index).map_err(map_error)?;
            result.push(from_sql(value, *decl, &plan.columns[index])?);
        }
        Ok(())
    })?;
    let Some(plan) = read else {
        return Ok(Outcome::NeedsWriter);
    };
    let result =
        result.unwrap_or_else(|| ResultSet::with_shared_columns(Arc::clone(&plan.columns), 0));
    plan.last_rows.store(result.len(), Ordering::Relaxed);
    Ok(Outcome::Rows(result))
}

/// Runs query `sql`, handing each row to `each` as it is stepped: its cells convert straight
/// into the types they are read as ([`RowCells`]), with no `Value` in between.
fn query_each(
    conn: &mut Conn,
    sql: &Sql,
    bounce_writes: bool,
    each: &mut EachRow<'_>,
) -> Result<Outcome> {
    let mut rows = 0;
    let read = each_row(conn, sql, bounce_writes, |plan, row| {
        rows += 1;
        let cells = RowCells {
            row,
            columns: &plan.columns,
        };
        each(&mut RowCursor::over_cells(&plan.columns, &cells))
    })?;
    Ok(match read {
        Some(_) => Outcome::Count(rows),
        None => Outcome::NeedsWriter,
    })
}

/// A stepped SQLite row, read cell by cell ([`Cells`]).
struct RowCells<'r, 's> {
    row: &'r rusqlite::Row<'s>,
    columns: &'r [String],
}

impl Cells for RowCells<'_, '_> {
    fn cell(&self, index: usize) -> Result<CellRef<'_>> {
        Ok(match self.row.get_ref(index).map_err(map_error)? {
            ValueRef::Null => CellRef::Null,
            ValueRef::Integer(i) => CellRef::Integer(i),
            ValueRef::Real(f) => CellRef::Real(f),
            ValueRef::Text(bytes) => {
                let column = self.columns.get(index).map_or("", String::as_str);
                CellRef::Text(utf8(bytes, column)?)
            }
            ValueRef::Blob(bytes) => CellRef::Blob(bytes),
        })
    }
}

/// Prepares (or takes from the cache) and runs query `sql`, calling `row` with the statement's
/// plan for each row. `None` when the statement writes and `bounce_writes` is set: then
/// nothing ran.
fn each_row(
    conn: &mut Conn,
    sql: &Sql,
    bounce_writes: bool,
    mut row: impl FnMut(&Plan, &rusqlite::Row<'_>) -> Result<()>,
) -> Result<Option<Arc<Plan>>> {
    let mut stmt = conn.db.prepare_cached(&sql.text).map_err(map_error)?;
    if bounce_writes && !stmt.readonly() {
        return Ok(None);
    }
    bind(&mut stmt, &sql.params)?;
    let key = text_key(&sql.text);
    let before = Runs::of(&stmt);
    let mut plan = plan_for(&mut conn.plans, conn.plan_capacity, key, before, &stmt)?;
    let mut rows = stmt.raw_query();
    let mut current = rows.next().map_err(map_error)?;
    if let Some(first) = current {
        // A schema change re-prepares the statement during its first step, which may change
        // its columns.
        let stmt = first.as_ref();
        if Runs::of(stmt).reprepares() != before.reprepares()
            || stmt.column_count() != plan.columns.len()
        {
            plan = Plan::of(stmt)?;
            conn.plans.insert(key, Arc::clone(&plan));
        }
    }
    while let Some(r) = current {
        row(&plan, r)?;
        current = rows.next().map_err(map_error)?;
    }
    drop(rows);
    plan.runs.store(Runs::of(&stmt).0, Ordering::Relaxed);
    Ok(Some(plan))
}

fn execute(conn: &Connection, sql: &Sql, bounce_writes: bool) -> Result<Outcome> {
    let mut stmt = conn.prepare_cached(&sql.text).map_err(map_error)?;
    let read_only = stmt.readonly();
    if bounce_writes && !read_only {
        return Ok(Outcome::NeedsWriter);
    }
    bind(&mut stmt, &sql.params)?;
    let before = conn.total_changes();
    // Step to the end: a statement with `RETURNING` (or a plain SELECT) yields rows.
    let mut returned = 0;
    let mut rows = stmt.raw_query();
    while rows.next().map_err(map_error)?.is_some() {
        returned += 1;
    }
    let count = if read_only {
        returned
    } else if conn.total_changes() == before {
        // DDL changes no rows; `changes()` would still report the previous DML statement.
        0
    } else {
        conn.changes()
    };
    Ok(Outcome::Count(count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_core::Value;

    /// SQLite plans with the value bound to a `LIMIT ?`, a `LIKE ?` pattern or (with STAT4) a
    /// compared parameter, and recompiles when that binding changes; the statement cache
    /// clears bindings, so without stable plans each of these recompiled on every run.
    #[test]
    fn bound_values_do_not_recompile_cached_statements() {
        let mut conn = open(&SqliteConfig::memory(), ":memory:", Role::Writer).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO t VALUES (1, 'ann'), (2, 'bob'), (3, 'anna')",
        )
        .unwrap();
        let statements = [
            Sql::with_params(
                "SELECT id FROM t ORDER BY id LIMIT ?1 OFFSET ?2",
                vec![Value::BigInt(2), Value::BigInt(0)],
            ),
            Sql::with_params(
                "SELECT id FROM t WHERE name LIKE ?1",
                vec![Value::from("ann%")],
            ),
        ];
        for sql in &statements {
            for _ in 0..3 {
                match query(&mut conn, sql, false).unwrap() {
                    Outcome::Rows(rows) => assert_eq!(rows.len(), 2, "{}", sql.text),
                    _ => panic!("a query returns rows"),
                }
            }
            let stmt = conn.db.prepare_cached(&sql.text).unwrap();
            assert_eq!(
                stmt.get_status(StatementStatus::RePrepare),
                0,
                "{}",
                sql.text
            );
        }
    }

    /// The guards pass NULL and integers that fit, unchanged, and fail the statement as a
    /// whole otherwise (an overflowing `Int`, or the REAL SQLite makes of an `i64` overflow).
    #[test]
    fn integer_guards_fail_the_statement_and_write_nothing() {
        let conn = open(&SqliteConfig::memory(), ":memory:", Role::Writer).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, b BIGINT);
             INSERT INTO t VALUES (1, 2147483646, 9223372036854775806), (2, NULL, NULL)",
        )
        .unwrap();
        let run = |conn: &Connection, sql: &str| {
            execute(conn, &Sql::with_params(sql, Vec::new()), false).map(|_| ())
        };
        run(
            &conn.db,
            "UPDATE t SET n = orm_int4(n + 1), b = orm_int8(b + 1)",
        )
        .unwrap();
        for sql in [
            "UPDATE t SET n = orm_int4(n + 1)",
            "UPDATE t SET n = orm_int4(n - 4294967296)",
            "UPDATE t SET b = orm_int8(b + 1)",
        ] {
            let err = run(&conn.db, sql).expect_err(sql);
            assert!(matches!(err, Error::OutOfRange { .. }), "{sql}: {err:?}");
        }
        let rows: Vec<(Option<i64>, Option<i64>)> = conn
            .db
            .prepare("SELECT n, b FROM t ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (Some(2_147_483_647), Some(9_223_372_036_854_775_807)),
                (None, None)
            ]
        );
    }

    fn rows_of(conn: &mut Conn, text: &str) -> ResultSet {
        match query(conn, &Sql::new(text), false).unwrap() {
            Outcome::Rows(rows) => rows,
            _ => panic!("a query returns rows"),
        }
    }

    /// A cached statement whose table changed under it (same text, same number of columns)
    /// reads with the new columns: SQLite re-prepares it, and the re-prepare is seen.
    #[test]
    fn a_schema_change_under_a_cached_statement_renews_its_columns() {
        let mut conn = open(&SqliteConfig::memory(), ":memory:", Role::Writer).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a DATETIME); INSERT INTO t VALUES ('2026-11-25T08:50:06.517+00:00')",
        )
        .unwrap();
        for _ in 0..3 {
            let rows = rows_of(&mut conn, "SELECT * FROM t");
            assert_eq!(rows.columns(), ["a"]);
            assert!(matches!(
                rows.rows().next().unwrap().values()[0],
                Value::DateTime(_)
            ));
        }
        conn.execute_batch("ALTER TABLE t RENAME COLUMN a TO b")
            .unwrap();
        let rows = rows_of(&mut conn, "SELECT * FROM t");
        assert_eq!(rows.columns(), ["b"], "the renamed column");
        conn.execute_batch(
            "DROP TABLE t; CREATE TABLE t (b TEXT); INSERT INTO t VALUES ('2026-11-25T08:50:06.517+00:00')",
        )
        .unwrap();
        for _ in 0..2 {
            let rows = rows_of(&mut conn, "SELECT * FROM t");
            let value = &rows.rows().next().unwrap().values()[0];
            assert!(
                matches!(value, Value::String(_)),
                "now declared TEXT: {value:?}"
            );
        }
    }
}
