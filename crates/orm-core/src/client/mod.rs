//! The client the generated `PrismaClient` wraps: an adapter, the schema, and where statements
//! go (the pool, or one open transaction).
//!
//! Every statement of every operation runs through [`Client::query`] / [`Client::execute`],
//! the one place where tracing spans and the query log hook in ([`telemetry`]: spans for
//! operations, statements, transactions and migrations, [`Client::with_query_log`],
//! [`Client::pool_status`]). A `Client` is cheap to clone (two
//! `Arc`s); a clone bound to a transaction ([`Client::with_transaction`]) sends its
//! statements there, and operations that need several statements to be atomic (nested writes,
//! a split `createMany`) open a transaction on the pool, or a savepoint inside an open one
//! ([`Client::atomic`]).
//!
//! The public transaction API ([`crate::transaction`]: [`Client::transaction`],
//! [`Client::batch`]) builds on [`Client::begin`] and [`Client::with_transaction`]. The
//! generated client's query builders implement [`Operation`], so that a batch can run them
//! on a transaction.

use std::sync::Arc;

use tracing::Instrument;

use crate::adapter::{Adapter, EachRow, Queryable, TransactionOptions};
use crate::engine::meta::SchemaMeta;
use crate::engine::shapes::Shapes;
use crate::error::Result;
use crate::query::Statement;
use crate::row::ResultSet;
use crate::sql::{self, Dialect, Sql};
pub use crate::transaction::TransactionHandle;

mod operation;
pub mod telemetry;

pub use operation::Operation;
pub(crate) use telemetry::TransactionSpan;
pub use telemetry::{QueryEvent, QueryLog};

/// A handle on the database for the engine's operations.
#[derive(Clone)]
pub struct Client {
    adapter: Arc<dyn Adapter>,
    schema: Arc<SchemaMeta>,
    transaction: Option<Arc<TransactionHandle>>,
    query_log: Option<QueryLog>,
    /// Statements kept by shape ([`crate::engine::shapes`]), shared by clones (they depend
    /// on the adapter's dialect, so they belong to the client rather than the schema).
    shapes: Arc<Shapes>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("dialect", &self.adapter.dialect())
            .field("in_transaction", &self.transaction.is_some())
            .finish_non_exhaustive()
    }
}

/// What [`Client::new`] accepts as its adapter: any [`Adapter`] by value (`PgAdapter`,
/// `SqliteAdapter`), an `Arc` of one, or an `Arc<dyn Adapter>`.
pub trait IntoAdapter {
    /// The adapter, shared.
    fn into_adapter(self) -> Arc<dyn Adapter>;
}

impl<A: Adapter + 'static> IntoAdapter for A {
    fn into_adapter(self) -> Arc<dyn Adapter> {
        Arc::new(self)
    }
}

impl<A: Adapter + 'static> IntoAdapter for Arc<A> {
    fn into_adapter(self) -> Arc<dyn Adapter> {
        self
    }
}

impl IntoAdapter for Arc<dyn Adapter> {
    fn into_adapter(self) -> Arc<dyn Adapter> {
        self
    }
}

impl Client {
    /// A client over `adapter` for `schema` (the IR of the schema the database was created
    /// from). The engine's view of the schema ([`SchemaMeta::from_schema`]) is computed here,
    /// once; clones and transaction-bound clients share it. Connects nothing by itself: the
    /// adapter's pool does.
    ///
    /// ```
    /// use std::sync::{Arc, LazyLock};
    /// use orm_core::client::Client;
    ///
    /// static SCHEMA: LazyLock<orm_schema::Schema> = LazyLock::new(|| {
    ///     let text = r#"
    ///         datasource db {
    ///           provider = "sqlite"
    ///         }
    ///         model User {
    ///           id    Int    @id @default(autoincrement())
    ///           email String @unique
    ///         }
    ///     "#;
    ///     orm_schema::parse_and_validate(text, "schema.prisma").expect("a valid schema")
    /// });
    ///
    /// fn client(adapter: Arc<dyn orm_core::Adapter>) -> Client {
    ///     Client::new(adapter, &SCHEMA)
    /// }
    /// assert_eq!(SCHEMA.model_by_name("User").map(|m| m.id()), Some(orm_core::engine::ModelId::new(0)));
    /// ```
    pub fn new(adapter: impl IntoAdapter, schema: &'static orm_schema::Schema) -> Client {
        Client::from_meta(
            adapter.into_adapter(),
            Arc::new(SchemaMeta::from_schema(schema)),
        )
    }

    /// A client over `adapter` for a schema already described for the engine.
    pub fn from_meta(adapter: Arc<dyn Adapter>, schema: Arc<SchemaMeta>) -> Client {
        Client {
            adapter,
            schema,
            transaction: None,
            query_log: None,
            shapes: Arc::default(),
        }
    }

    /// The engine's view of the schema.
    pub fn schema(&self) -> &SchemaMeta {
        &self.schema
    }

    /// The statements kept by shape.
    pub(crate) fn shapes(&self) -> &Shapes {
        &self.shapes
    }

    /// The adapter.
    pub fn adapter(&self) -> &Arc<dyn Adapter> {
        &self.adapter
    }

    /// The SQL dialect of the adapter.
    pub fn dialect(&self) -> Dialect {
        self.adapter.dialect()
    }

    /// The most bind parameters one statement may carry: the dialect's limit, or the
    /// adapter's if smaller.
    pub fn max_bind_parameters(&self) -> usize {
        self.dialect()
            .max_bind_parameters()
            .min(self.adapter.capabilities().max_bind_parameters)
    }

    /// Whether statements go to an open transaction.
    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Begins a transaction on a pooled connection.
    ///
    /// # Errors
    ///
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout) when no connection frees up in time,
    /// or the error of `BEGIN`.
    pub async fn begin(&self, options: &TransactionOptions) -> Result<Arc<TransactionHandle>> {
        let span = TransactionSpan::begin(options);
        match self
            .adapter
            .begin(options)
            .instrument(span.span().clone())
            .await
        {
            Ok(transaction) => Ok(Arc::new(
                TransactionHandle::new(transaction).with_span(span),
            )),
            Err(error) => {
                span.end("begin failed", Some(&error));
                Err(error)
            }
        }
    }

    /// A client that sends its statements to `transaction`.
    pub fn with_transaction(&self, transaction: Arc<TransactionHandle>) -> Client {
        Client {
            adapter: Arc::clone(&self.adapter),
            schema: Arc::clone(&self.schema),
            transaction: Some(transaction),
            query_log: self.query_log.clone(),
            shapes: Arc::clone(&self.shapes),
        }
    }

    fn target(&self) -> &dyn Queryable {
        match &self.transaction {
            Some(t) => t.as_ref(),
            None => self.adapter.as_ref(),
        }
    }

    /// Runs a statement that returns rows.
    ///
    /// # Errors
    ///
    /// The adapter's error for the statement.
    pub async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        let rows = |rows: &ResultSet| u64::try_from(rows.len()).ok();
        self.observe_sql(sql, rows, self.target().query(sql)).await
    }

    /// Runs a statement that returns rows, handing each to `each` as it is read
    /// ([`Queryable::query_each`]); returns the number of rows.
    ///
    /// # Errors
    ///
    /// The adapter's error for the statement, or the first error of `each`.
    pub async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        self.observe_sql(sql, |rows| Some(*rows), self.target().query_each(sql, each))
            .await
    }

    /// Runs a statement and returns the number of rows it affected.
    ///
    /// # Errors
    ///
    /// The adapter's error for the statement.
    pub async fn execute(&self, sql: &Sql) -> Result<u64> {
        self.observe_sql(sql, |count| Some(*count), self.target().execute(sql))
            .await
    }

    /// Renders a statement for this client's dialect.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`](crate::Error::Unsupported) when the dialect cannot express it.
    pub fn render(&self, statement: impl Into<Statement>) -> Result<Sql> {
        sql::render(statement, self.dialect())
    }

    /// Starts an atomic unit of work: a new transaction when this client is on the pool, or a
    /// savepoint inside the open transaction. Run the work on [`Atomic::client`], then hand
    /// its result to [`Atomic::finish`], which commits (releases) on success and rolls back
    /// on error. Dropping the `Atomic` unfinished rolls back too: a new transaction at once, a
    /// savepoint before the next statement of its transaction.
    ///
    /// # Errors
    ///
    /// The error of `BEGIN` or `SAVEPOINT`.
    pub async fn atomic(&self) -> Result<Atomic> {
        let handle = match &self.transaction {
            None => self.begin(&TransactionOptions::default()).await?,
            Some(handle) => handle.savepoint().await?,
        };
        Ok(Atomic {
            client: self.with_transaction(Arc::clone(&handle)),
            handle,
        })
    }

    /// The transaction this client is bound to, if any.
    pub(crate) fn transaction_handle(&self) -> Option<&Arc<TransactionHandle>> {
        self.transaction.as_ref()
    }
}

/// An atomic unit of work started by [`Client::atomic`].
#[derive(Debug)]
pub struct Atomic {
    client: Client,
    handle: Arc<TransactionHandle>,
}

impl Atomic {
    /// The client to run the work on.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the unit: commits or releases after `Ok`, rolls back after `Err`, and passes the
    /// result on.
    ///
    /// # Errors
    ///
    /// The error in `result` (after rolling back; a failed rollback is not reported over it),
    /// or the error of `COMMIT`/`RELEASE`.
    pub async fn finish<T>(self, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => {
                self.handle.commit().await?;
                Ok(value)
            }
            Err(error) => {
                let _ = self.handle.rollback().await;
                Err(error)
            }
        }
    }
}

/// Raw SQL and anything written against [`Queryable`] run through the client: on the pool, or
/// on the transaction it is bound to.
#[async_trait::async_trait]
impl Queryable for Client {
    fn dialect(&self) -> Dialect {
        self.adapter.dialect()
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        Client::query(self, sql).await
    }

    async fn query_each(&self, sql: &Sql, each: &mut EachRow<'_>) -> Result<u64> {
        Client::query_each(self, sql, each).await
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        Client::execute(self, sql).await
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        self.observe(script, &[], |()| None, self.target().execute_script(script))
            .await
    }
}
