//! Running raw SQL: what it runs on ([`RawExecutor`]) and the futures the macros return.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use super::RawSql;
use crate::adapter::{Adapter, Queryable, Transaction};
use crate::client::{Client, Operation};
use crate::error::Result;
use crate::row::FromRow;
use crate::sql::Sql;
use crate::value::Value;

/// Something raw SQL runs on: anything that can lend a [`Queryable`] for the duration of one
/// statement.
///
/// Implemented for every sized [`Queryable`] (the adapters, a transaction type), for
/// `dyn Queryable`, `dyn Adapter` and `dyn Transaction`, for `Box`es of those, and for
/// `Arc<E>` of any executor. The client and its transaction handles implement it by returning
/// the adapter or transaction they wrap, so that `query_raw!(prisma, …)` and
/// `query_raw!(tx, …)` work:
///
/// ```
/// # use std::sync::Arc;
/// use orm_core::raw::RawExecutor;
/// use orm_core::{Adapter, Queryable};
///
/// struct Client {
///     adapter: Arc<dyn Adapter>,
/// }
///
/// impl RawExecutor for Client {
///     fn raw_queryable(&self) -> &dyn Queryable {
///         &*self.adapter
///     }
/// }
/// ```
///
/// The trait is object safe (`&dyn RawExecutor` works). The macros call it with method syntax,
/// so a reference, a `Box` or an `Arc` around an executor is accepted as it is.
pub trait RawExecutor {
    /// The connection, pool or transaction raw statements run on. Its
    /// [`dialect`](Queryable::dialect) decides the placeholder style.
    fn raw_queryable(&self) -> &dyn Queryable;
}

impl<Q: Queryable> RawExecutor for Q {
    fn raw_queryable(&self) -> &dyn Queryable {
        self
    }
}

impl RawExecutor for dyn Queryable + '_ {
    fn raw_queryable(&self) -> &dyn Queryable {
        self
    }
}

impl RawExecutor for dyn Adapter + '_ {
    fn raw_queryable(&self) -> &dyn Queryable {
        self
    }
}

impl RawExecutor for dyn Transaction + '_ {
    fn raw_queryable(&self) -> &dyn Queryable {
        self
    }
}

impl<E: RawExecutor + ?Sized> RawExecutor for Arc<E> {
    fn raw_queryable(&self) -> &dyn Queryable {
        (**self).raw_queryable()
    }
}

/// `Box<E>` cannot be covered generically beside the blanket implementation for sized
/// [`Queryable`]s (a downstream crate could implement `Queryable` for `Box<ItsType>`), so the
/// boxes the adapter traits hand out are listed one by one.
macro_rules! boxed_executor {
    ($($ty:ty),*) => {$(
        impl RawExecutor for Box<$ty> {
            fn raw_queryable(&self) -> &dyn Queryable {
                &**self
            }
        }
    )*};
}

boxed_executor!(dyn Queryable, dyn Adapter, dyn Transaction);

/// The statement a [`RawQuery`] or [`RawExecute`] runs.
#[derive(Debug, Clone)]
enum Statement {
    /// A template, rendered in the executor's dialect when it runs.
    Template(RawSql),
    /// Text already in the executor's placeholder style, with its parameters.
    Unsafe(Sql),
}

impl Statement {
    fn into_sql(self, on: &dyn Queryable) -> Result<Sql> {
        match self {
            Statement::Template(sql) => sql.into_sql(on.dialect()),
            Statement::Unsafe(sql) => Ok(sql),
        }
    }
}

/// A raw query, not yet sent: `.await` it for every row decoded into `T`.
///
/// `T` is any [`FromRow`]: a `#[derive(FromRow)]` struct (by column name), a tuple (by
/// position), or [`Row`](crate::Row) for untyped rows. Returned by
/// [`query_raw!`](crate::query_raw), [`query_raw`] and [`query_raw_unsafe`]. Nothing is sent
/// until it is awaited; the statement is rendered in the executor's dialect then, and runs
/// once.
#[must_use = "a raw query does nothing until it is awaited"]
pub struct RawQuery<'a, T> {
    on: &'a dyn Queryable,
    statement: Statement,
    row: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for RawQuery<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawQuery")
            .field("dialect", &self.on.dialect())
            .field("statement", &self.statement)
            .finish()
    }
}

impl<'a, T: FromRow> RawQuery<'a, T> {
    /// The statement as it will be sent: SQL text in the executor's dialect and the parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`](crate::Error::Encode) when an interpolated [`Ident`](super::Ident) is
    /// empty or contains NUL.
    pub fn to_sql(&self) -> Result<Sql> {
        self.statement.clone().into_sql(self.on)
    }

    /// Sends the statement and decodes every row; the same as awaiting the query.
    ///
    /// # Errors
    ///
    /// The database's error, mapped as the [`Adapter`] docs describe, or
    /// [`Error::Decode`](crate::Error::Decode) naming the first column that does not convert.
    pub async fn fetch_all(self) -> Result<Vec<T>> {
        let sql = self.statement.into_sql(self.on)?;
        self.on.query(&sql).await?.decode()
    }
}

impl<'a, T: FromRow + 'a> IntoFuture for RawQuery<'a, T> {
    type Output = Result<Vec<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Vec<T>>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.fetch_all())
    }
}

/// A raw statement, not yet sent: `.await` it for the number of rows it affected.
///
/// Returned by [`execute_raw!`](crate::execute_raw), [`execute_raw`] and
/// [`execute_raw_unsafe`]. Nothing is sent until it is awaited.
#[must_use = "a raw statement does nothing until it is awaited"]
pub struct RawExecute<'a> {
    on: &'a dyn Queryable,
    statement: Statement,
}

impl std::fmt::Debug for RawExecute<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawExecute")
            .field("dialect", &self.on.dialect())
            .field("statement", &self.statement)
            .finish()
    }
}

impl<'a> RawExecute<'a> {
    /// The statement as it will be sent: SQL text in the executor's dialect and the parameters.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`](crate::Error::Encode) when an interpolated [`Ident`](super::Ident) is
    /// empty or contains NUL.
    pub fn to_sql(&self) -> Result<Sql> {
        self.statement.clone().into_sql(self.on)
    }

    /// Sends the statement; the same as awaiting it.
    ///
    /// # Errors
    ///
    /// The database's error, mapped as the [`Adapter`] docs describe.
    pub async fn exec(self) -> Result<u64> {
        let sql = self.statement.into_sql(self.on)?;
        self.on.execute(&sql).await
    }
}

impl<'a> IntoFuture for RawExecute<'a> {
    type Output = Result<u64>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.exec())
    }
}

/// A raw query in a batch ([`Client::batch`]) runs on the batch's transaction, whichever
/// executor built it, as Prisma runs `$queryRaw` inside `$transaction([…])`.
impl<T: FromRow + Send> Operation for RawQuery<'_, T> {
    type Output = Vec<T>;

    async fn run(self, client: &Client) -> Result<Vec<T>> {
        let sql = self.statement.into_sql(client)?;
        client.query(&sql).await?.decode()
    }
}

/// A raw statement in a batch ([`Client::batch`]) runs on the batch's transaction, whichever
/// executor built it.
impl Operation for RawExecute<'_> {
    type Output = u64;

    async fn run(self, client: &Client) -> Result<u64> {
        let sql = self.statement.into_sql(client)?;
        client.execute(&sql).await
    }
}

/// Runs a template built with [`raw_sql!`](crate::raw_sql) (or [`RawSql`]'s methods) as a
/// query; `query_raw!(db, "…")` is the same with the template written inline.
pub fn query_raw<'a, T, E>(db: &'a E, sql: RawSql) -> RawQuery<'a, T>
where
    T: FromRow,
    E: RawExecutor + ?Sized,
{
    RawQuery {
        on: db.raw_queryable(),
        statement: Statement::Template(sql),
        row: PhantomData,
    }
}

/// Runs a template built with [`raw_sql!`](crate::raw_sql) (or [`RawSql`]'s methods) as a
/// statement returning the affected row count; `execute_raw!(db, "…")` is the same with the
/// template written inline.
pub fn execute_raw<'a, E>(db: &'a E, sql: RawSql) -> RawExecute<'a>
where
    E: RawExecutor + ?Sized,
{
    RawExecute {
        on: db.raw_queryable(),
        statement: Statement::Template(sql),
    }
}

/// Runs SQL text built at run time as a query, like Prisma's `$queryRawUnsafe`.
///
/// **Dangerous**: `sql` is sent as it is; any user input in it is an SQL injection. Pass values
/// in `params` and refer to them in the dialect's own style (`$1` on PostgreSQL, `?1` on
/// SQLite). Prefer [`query_raw!`](crate::query_raw).
pub fn query_raw_unsafe<'a, T, E>(
    db: &'a E,
    sql: impl Into<String>,
    params: Vec<Value>,
) -> RawQuery<'a, T>
where
    T: FromRow,
    E: RawExecutor + ?Sized,
{
    RawQuery {
        on: db.raw_queryable(),
        statement: Statement::Unsafe(Sql::with_params(sql, params)),
        row: PhantomData,
    }
}

/// Runs SQL text built at run time as a statement returning the affected row count, like
/// Prisma's `$executeRawUnsafe`.
///
/// **Dangerous**: as [`query_raw_unsafe`]. Prefer [`execute_raw!`](crate::execute_raw).
pub fn execute_raw_unsafe<'a, E>(
    db: &'a E,
    sql: impl Into<String>,
    params: Vec<Value>,
) -> RawExecute<'a>
where
    E: RawExecutor + ?Sized,
{
    RawExecute {
        on: db.raw_queryable(),
        statement: Statement::Unsafe(Sql::with_params(sql, params)),
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;

    use super::*;
    use crate::raw::macro_support::{push_text, template};
    use crate::row::{ResultSet, Row};
    use crate::sql::Dialect;

    /// Answers without a database: enough to see which SQL reaches a `Queryable`.
    struct Dialected(Dialect);

    #[async_trait]
    impl Queryable for Dialected {
        fn dialect(&self) -> Dialect {
            self.0
        }
        async fn query(&self, sql: &Sql) -> Result<ResultSet> {
            let mut rs = ResultSet::new(vec!["text".into(), "params".into()]);
            rs.push(Value::String(sql.text.clone()));
            rs.push(Value::BigInt(i64::try_from(sql.params.len()).unwrap()));
            Ok(rs)
        }
        async fn execute(&self, sql: &Sql) -> Result<u64> {
            Ok(u64::try_from(sql.params.len()).unwrap())
        }
        async fn execute_script(&self, _script: &str) -> Result<()> {
            Ok(())
        }
    }

    fn by_email() -> RawSql {
        let mut sql = template(2);
        push_text(&mut sql, "SELECT 1 WHERE email = ");
        sql.push("a@b.co");
        sql
    }

    #[tokio::test]
    async fn the_executor_decides_the_placeholder_style() {
        for (dialect, expected) in [
            (Dialect::Postgres, "SELECT 1 WHERE email = $1"),
            (Dialect::Sqlite, "SELECT 1 WHERE email = ?1"),
        ] {
            let db = Dialected(dialect);
            let rows: Vec<(String, i64)> = query_raw(&db, by_email()).await.unwrap();
            assert_eq!(rows, vec![(expected.to_owned(), 1)]);
        }
    }

    #[tokio::test]
    async fn every_executor_shape_is_accepted() {
        let boxed: Box<dyn Queryable> = Box::new(Dialected(Dialect::Sqlite));
        let shared: Arc<dyn Queryable> = Arc::new(Dialected(Dialect::Postgres));
        let as_dyn: &dyn RawExecutor = &Dialected(Dialect::Postgres);
        assert_eq!(execute_raw(&boxed, by_email()).await.unwrap(), 1);
        assert_eq!(execute_raw(&shared, by_email()).await.unwrap(), 1);
        assert_eq!(execute_raw(&*shared, by_email()).await.unwrap(), 1);
        assert_eq!(
            execute_raw(as_dyn, by_email()).to_sql().unwrap().text,
            "SELECT 1 WHERE email = $1"
        );
    }

    #[tokio::test]
    async fn unsafe_text_is_sent_as_written() {
        let db = Dialected(Dialect::Sqlite);
        let query = query_raw_unsafe::<Row, _>(&db, "SELECT ?1", vec![Value::Int(1)]);
        assert_eq!(query.to_sql().unwrap().text, "SELECT ?1");
        let rows = query.await.unwrap();
        assert_eq!(rows[0].get::<String>("text").unwrap(), "SELECT ?1");
        let count = execute_raw_unsafe(&db, "DELETE FROM t", vec![])
            .await
            .unwrap();
        assert_eq!(count, 0);
    }
}
