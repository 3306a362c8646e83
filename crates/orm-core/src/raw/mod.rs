//! Raw SQL: the Rust form of Prisma's `$queryRaw` / `$executeRaw` tagged templates.
//!
//! Reach for raw SQL when the query builder is in the way: recursive CTEs, window functions,
//! JSON path queries, full-text search, a plan you need to hand-tune.
//!
//! ```no_run
//! # async fn demo(db: std::sync::Arc<dyn orm_core::Adapter>) -> orm_core::Result<()> {
//! use orm_core::{FromRow, query_raw};
//!
//! #[derive(FromRow)]
//! struct Hit {
//!     id: String,
//!     rank: f64,
//! }
//!
//! let q = "rust orm";
//! let hits: Vec<Hit> = query_raw!(db, "
//!     SELECT id, ts_rank(search_tsv, plainto_tsquery({q})) AS rank
//!     FROM articles
//!     WHERE search_tsv @@ plainto_tsquery({q})
//!     ORDER BY rank DESC
//!     LIMIT 20
//! ").await?;
//! # Ok(()) }
//! ```
//!
//! # What is bound, what is not
//!
//! The template is a string literal checked at compile time. What it interpolates decides what
//! reaches the database and how, through the [`Interpolate`] trait:
//!
//! | interpolated | becomes |
//! | --- | --- |
//! | any [`ToValue`] (`String`, `&str`, `i64`, `Option<T>`, `DateTime<Utc>`, a generated enum, `Value`, …) | one bind parameter: `$n` on PostgreSQL, `?n` on SQLite |
//! | a [`RawSql`] fragment (from [`raw_sql!`](crate::raw_sql) or [`RawSql::join`]) | its text and its parameters, renumbered in place |
//! | an [`Ident`] | a quoted identifier (`"name"`, inner quotes doubled) |
//! | an [`UnsafeSql`] (from [`unsafe_raw`]) | its text, **verbatim** |
//!
//! A value is never written into the SQL text: whatever a string holds (quotes, `;`, `--`,
//! `$1`, `?`), it arrives as data. The placeholders are numbered when the statement runs, in
//! the dialect of whatever it runs on ([`Queryable::dialect`](crate::Queryable::dialect)), so one template serves
//! PostgreSQL and SQLite.
//!
//! Template syntax follows `format!`: `{expr}` holds any Rust expression (evaluated once, by
//! reference, when the macro runs; braces inside it must balance); `{{` and `}}` are literal
//! braces, as PostgreSQL's array and JSON literals need (`'{{1,2}}'::int[]`). An unbalanced
//! brace, an empty `{}`, or a template that is not a string literal is a compile error.
//! Placeholders written by hand (`$1`, `?`) are not rewritten; leave numbering to the macro.
//!
//! PostgreSQL infers each parameter's type from where it stands (`WHERE id = {id}` takes the
//! column's type). A parameter nothing constrains, as in `SELECT {n}`, is typed `text`, as it
//! is with Prisma: cast it in the template (`SELECT CAST({n} AS BIGINT)`, `{n}::int8`).
//!
//! # The unsafe escape
//!
//! Identifiers and SQL fragments chosen at run time cannot be bind parameters. Prefer, in
//! order: a [`raw_sql!`](crate::raw_sql) fragment chosen by a `match` (the text stays in your
//! source); an [`Ident`] for a table or column name (quoted, so it cannot break out of the
//! identifier, though it can still name any table the connection may read); and only then
//! [`unsafe_raw`], which inserts text **verbatim**. Text that reaches `unsafe_raw` from user
//! input is an SQL injection: the name says so on purpose, as Prisma's `$queryRawUnsafe` does.
//! [`query_raw_unsafe`] and [`execute_raw_unsafe`] run SQL text built at run time with
//! parameters in the dialect's own placeholder style, like `$queryRawUnsafe(sql, ...values)`.
//!
//! # Where raw SQL runs
//!
//! On anything that implements [`RawExecutor`]: an adapter (`PgAdapter`, `SqliteAdapter`,
//! `Arc<dyn Adapter>`, `dyn Adapter`), a held connection (`Box<dyn Queryable>`), a transaction
//! (`Box<dyn Transaction>`), and the client and transaction handles built on them. The macros
//! borrow their first argument for as long as the returned future lives, so pass a place (a
//! variable, a field, `&*arc`) rather than a temporary such as `make_db()`.

mod exec;

use std::borrow::Cow;

pub use exec::{
    RawExecute, RawExecutor, RawQuery, execute_raw, execute_raw_unsafe, query_raw, query_raw_unsafe,
};

use crate::error::{Error, Result};
use crate::sql::{Dialect, Sql};
use crate::value::{ToValue, Value};

/// A SQL statement or fragment under construction: literal text, bind parameters and quoted
/// identifiers, in order. Rendered into [`Sql`] for one dialect by [`RawSql::to_sql`].
///
/// Built by [`raw_sql!`](crate::raw_sql) (and inside [`query_raw!`](crate::query_raw) and
/// [`execute_raw!`](crate::execute_raw)); interpolated into another template, it is spliced in
/// with its parameters, as Prisma's `Prisma.sql` fragments are.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawSql {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// SQL text, written as it is.
    Text(Cow<'static, str>),
    /// A bind parameter.
    Param(Value),
    /// An identifier, quoted by the dialect.
    Ident(Cow<'static, str>),
}

impl RawSql {
    /// An empty statement.
    pub fn new() -> Self {
        RawSql::default()
    }

    /// Appends `item` as a template interpolation `{item}` would: a value as a bind parameter,
    /// a fragment with its parameters, an identifier quoted, [`UnsafeSql`] verbatim.
    pub fn push<I: Interpolate + ?Sized>(&mut self, item: &I) -> &mut Self {
        item.interpolate(self);
        self
    }

    /// Interpolates every item, with `separator` (SQL text, written as it is) between them,
    /// like Prisma's `Prisma.join`. On SQLite, which has no array parameters, this is how an
    /// `IN` list is written: `raw_sql!("id IN ({RawSql::join(&ids, \", \")})")`.
    pub fn join<I>(items: I, separator: &'static str) -> RawSql
    where
        I: IntoIterator,
        I::Item: Interpolate,
    {
        let mut sql = RawSql::new();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                sql.push_text(separator);
            }
            item.interpolate(&mut sql);
        }
        sql
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The bind parameters, in order.
    pub fn params(&self) -> impl Iterator<Item = &Value> {
        self.parts.iter().filter_map(|part| match part {
            Part::Param(value) => Some(value),
            _ => None,
        })
    }

    /// Renders the statement for `dialect`: placeholders numbered from 1 in the dialect's
    /// style, identifiers quoted, parameters in placeholder order.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when an [`Ident`] is empty or contains NUL.
    pub fn to_sql(&self, dialect: Dialect) -> Result<Sql> {
        self.clone().into_sql(dialect)
    }

    /// Like [`to_sql`](RawSql::to_sql), moving the parameters instead of cloning them.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when an [`Ident`] is empty or contains NUL.
    pub fn into_sql(self, dialect: Dialect) -> Result<Sql> {
        let text_len: usize = self
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(text) | Part::Ident(text) => text.len() + 2,
                Part::Param(_) => 6,
            })
            .sum();
        let mut sql = Sql {
            text: String::with_capacity(text_len),
            params: Vec::new(),
        };
        for part in self.parts {
            match part {
                Part::Text(text) => sql.text.push_str(&text),
                Part::Param(value) => {
                    sql.params.push(value);
                    dialect.write_placeholder(&mut sql.text, sql.params.len());
                }
                Part::Ident(name) => {
                    check_identifier(&name)?;
                    dialect.write_identifier(&mut sql.text, &name);
                }
            }
        }
        Ok(sql)
    }

    fn push_text(&mut self, text: impl Into<Cow<'static, str>>) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        // Adjacent text (a fragment spliced after template text) merges into one part.
        if let Some(Part::Text(last)) = self.parts.last_mut() {
            last.to_mut().push_str(&text);
        } else {
            self.parts.push(Part::Text(text));
        }
    }
}

fn check_identifier(name: &str) -> Result<()> {
    let reason = if name.is_empty() {
        "an identifier cannot be empty"
    } else if name.contains('\0') {
        "an identifier cannot contain NUL"
    } else {
        return Ok(());
    };
    Err(Error::Encode {
        what: format!("identifier {name:?}"),
        reason: reason.to_owned(),
    })
}

/// What a raw SQL template can interpolate, and how: see the [module docs](self).
///
/// Every [`ToValue`] type is a bind parameter; [`RawSql`] fragments, [`Ident`]s and
/// [`UnsafeSql`] are the other implementations. To make a type of yours usable in templates,
/// implement [`ToValue`] for it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be interpolated into raw SQL",
    label = "not a bind parameter, a SQL fragment or an identifier",
    note = "a bind parameter needs `ToValue`; a fragment is a `RawSql` (`raw_sql!`); a dynamic \
            identifier is an `Ident`; SQL text inserted verbatim needs `unsafe_raw(…)`"
)]
pub trait Interpolate {
    /// Appends `self` to `sql`.
    fn interpolate(&self, sql: &mut RawSql);
}

// Not recommended in diagnostics, so that a type that cannot be interpolated is reported
// against `Interpolate` (with its note) rather than as a missing `ToValue`.
#[diagnostic::do_not_recommend]
impl<T: ToValue + ?Sized> Interpolate for T {
    fn interpolate(&self, sql: &mut RawSql) {
        sql.parts.push(Part::Param(self.to_value()));
    }
}

impl Interpolate for RawSql {
    fn interpolate(&self, sql: &mut RawSql) {
        for part in &self.parts {
            match part {
                Part::Text(text) => sql.push_text(text.clone()),
                other => sql.parts.push(other.clone()),
            }
        }
    }
}

/// An identifier (table, column, schema name) chosen at run time, quoted when rendered: in
/// double quotes, inner double quotes doubled. Quoting keeps the name from breaking out into
/// SQL, but it can still name any object the connection can reach: check names against a list
/// you trust.
///
/// Rendering fails with [`Error::Encode`] for an empty name or one containing NUL. For a
/// schema-qualified name interpolate two identifiers: `{schema}.{table}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident(Cow<'static, str>);

impl Ident {
    /// An identifier with this exact (case-sensitive) name.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Ident(name.into())
    }

    /// The name, unquoted.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Interpolate for Ident {
    fn interpolate(&self, sql: &mut RawSql) {
        sql.parts.push(Part::Ident(self.0.clone()));
    }
}

/// SQL text inserted into a template **verbatim**: the escape hatch for what cannot be a bind
/// parameter, an [`Ident`] or a [`raw_sql!`](crate::raw_sql) fragment.
///
/// **Dangerous.** Text from user input here is an SQL injection. Build it only from constants
/// and from values you have checked against a list you trust. Made by [`unsafe_raw`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnsafeSql(Cow<'static, str>);

impl UnsafeSql {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Marks `text` as SQL to insert verbatim when interpolated into a raw SQL template.
///
/// **Dangerous**: see [`UnsafeSql`]. Prefer a bind parameter, an [`Ident`], or a
/// [`raw_sql!`](crate::raw_sql) fragment picked by a `match`.
pub fn unsafe_raw(text: impl Into<Cow<'static, str>>) -> UnsafeSql {
    UnsafeSql(text.into())
}

impl Interpolate for UnsafeSql {
    fn interpolate(&self, sql: &mut RawSql) {
        sql.push_text(self.0.clone());
    }
}

/// Support for the code `query_raw!`, `execute_raw!` and `raw_sql!` expand to; reached through
/// `orm_core::__private::raw`. Not public API.
#[doc(hidden)]
pub mod macro_support {
    use super::{Part, RawSql};
    use crate::error::Result;
    use crate::row::RowCursor;
    use crate::value::FromValue;

    /// `#[derive(FromRow)]`: reads a named field from its column.
    pub fn read_column<T: FromValue>(row: &mut RowCursor<'_>, column: &str) -> Result<T> {
        row.take_named(column)
    }

    /// `#[derive(FromRow)]`: reads a tuple field from its position.
    pub fn read_index<T: FromValue>(row: &mut RowCursor<'_>, index: usize) -> Result<T> {
        row.take(index)
    }

    /// An empty template with room for `parts` pieces.
    pub fn template(parts: usize) -> RawSql {
        RawSql {
            parts: Vec::with_capacity(parts),
        }
    }

    /// Appends literal template text, checked at compile time to come from the string literal.
    pub fn push_text(sql: &mut RawSql, text: &'static str) {
        if !text.is_empty() {
            sql.parts.push(Part::Text(text.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::macro_support::{push_text, template};
    use super::*;

    /// `SELECT * FROM "User" WHERE email = {email} AND age > {age}`, as the macro builds it.
    fn user_query(email: &str, age: i32) -> RawSql {
        let mut sql = template(4);
        push_text(&mut sql, "SELECT * FROM \"User\" WHERE email = ");
        sql.push(email);
        push_text(&mut sql, " AND age > ");
        sql.push(&age);
        sql
    }

    #[test]
    fn values_become_placeholders_in_the_dialects_style() {
        let sql = user_query("a@b.co", 18);
        let pg = sql.to_sql(Dialect::Postgres).unwrap();
        assert_eq!(
            pg.text,
            "SELECT * FROM \"User\" WHERE email = $1 AND age > $2"
        );
        assert_eq!(
            pg.params,
            vec![Value::String("a@b.co".into()), Value::Int(18)]
        );
        let sqlite = sql.into_sql(Dialect::Sqlite).unwrap();
        assert_eq!(
            sqlite.text,
            "SELECT * FROM \"User\" WHERE email = ?1 AND age > ?2"
        );
        assert_eq!(sqlite.params, pg.params);
    }

    #[test]
    fn a_value_that_looks_like_sql_stays_a_parameter() {
        let evil = "x'; DROP TABLE \"User\"; -- $1 ?";
        let sql = user_query(evil, 1).to_sql(Dialect::Postgres).unwrap();
        assert!(!sql.text.contains("DROP"));
        assert_eq!(sql.params[0], Value::String(evil.into()));
    }

    #[test]
    fn fragments_splice_and_renumber_their_parameters() {
        let mut filter = template(2);
        push_text(&mut filter, "role = ");
        filter.push("admin");
        let mut sql = user_query("a@b.co", 18);
        push_text(&mut sql, " AND ");
        sql.push(&filter);
        let rendered = sql.to_sql(Dialect::Postgres).unwrap();
        assert_eq!(
            rendered.text,
            "SELECT * FROM \"User\" WHERE email = $1 AND age > $2 AND role = $3"
        );
        assert_eq!(rendered.params.len(), 3);
        // The fragment is unchanged and renders on its own from $1.
        assert_eq!(filter.to_sql(Dialect::Postgres).unwrap().text, "role = $1");
    }

    #[test]
    fn join_separates_interpolations() {
        let mut sql = template(3);
        push_text(&mut sql, "id IN (");
        sql.push(&RawSql::join([1_i64, 2, 3], ", "));
        push_text(&mut sql, ")");
        let rendered = sql.to_sql(Dialect::Sqlite).unwrap();
        assert_eq!(rendered.text, "id IN (?1, ?2, ?3)");
        assert_eq!(
            rendered.params,
            vec![Value::BigInt(1), Value::BigInt(2), Value::BigInt(3)]
        );
        assert!(RawSql::join(Vec::<i64>::new(), ", ").is_empty());
    }

    #[test]
    fn identifiers_are_quoted_and_unsafe_text_is_verbatim() {
        let mut sql = template(4);
        push_text(&mut sql, "SELECT ");
        sql.push(&Ident::new("we\"ird"));
        push_text(&mut sql, " FROM t ");
        sql.push(&unsafe_raw("ORDER BY 1 DESC"));
        let rendered = sql.to_sql(Dialect::Postgres).unwrap();
        assert_eq!(rendered.text, "SELECT \"we\"\"ird\" FROM t ORDER BY 1 DESC");
        assert!(rendered.params.is_empty());
    }

    #[test]
    fn empty_or_nul_identifiers_are_encode_errors() {
        for bad in ["", "a\0b"] {
            let mut sql = RawSql::new();
            sql.push(&Ident::new(bad.to_owned()));
            let err = sql.to_sql(Dialect::Postgres).unwrap_err();
            assert!(matches!(err, Error::Encode { .. }), "{err:?}");
        }
    }

    #[test]
    fn the_macro_binds_every_interpolation_and_unescapes_braces() {
        let email = String::from("a@b.co");
        let ids = [3_i64, 4];
        let in_list = RawSql::join(ids, ", ");
        let sql = crate::raw_sql!(
            "SELECT '{{}}'::jsonb FROM \"User\" WHERE email = {email} AND id IN ({in_list}) AND {Ident::new(\"age\")} > {17 + 1}"
        );
        let rendered = sql.to_sql(Dialect::Postgres).unwrap();
        assert_eq!(
            rendered.text,
            "SELECT '{}'::jsonb FROM \"User\" WHERE email = $1 AND id IN ($2, $3) AND \"age\" > $4"
        );
        assert_eq!(
            rendered.params,
            vec![
                Value::String(email),
                Value::BigInt(3),
                Value::BigInt(4),
                Value::Int(18)
            ]
        );
    }

    #[derive(Debug, PartialEq, crate::FromRow)]
    #[orm(rename_all = "camelCase")]
    struct Hit {
        id: String,
        #[orm(rename = "rank")]
        score: f64,
        created_by: Option<String>,
    }

    fn result(columns: &[&str], values: Vec<Value>) -> crate::ResultSet {
        let mut rs = crate::ResultSet::new(columns.iter().map(|c| (*c).to_owned()).collect());
        values.into_iter().for_each(|v| rs.push(v));
        rs
    }

    #[test]
    fn derived_from_row_reads_columns_by_name_in_any_order() {
        let rs = result(
            &["rank", "createdBy", "id"],
            vec![Value::Float(0.5), Value::Null, Value::String("a".into())],
        );
        assert_eq!(
            rs.decode::<Hit>().unwrap(),
            vec![Hit {
                id: "a".into(),
                score: 0.5,
                created_by: None
            }]
        );
    }

    #[test]
    fn derived_from_row_names_a_missing_column() {
        let rs = result(
            &["id", "rank"],
            vec![Value::String("a".into()), Value::Float(1.0)],
        );
        match rs.decode::<Hit>().unwrap_err() {
            Error::Decode { column, .. } => assert_eq!(column, "createdBy"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn options_bind_null_and_params_are_listed_in_order() {
        let mut sql = RawSql::new();
        sql.push(&None::<i32>).push(&Some("x"));
        let params: Vec<&Value> = sql.params().collect();
        assert_eq!(params, vec![&Value::Null, &Value::String("x".into())]);
    }
}
