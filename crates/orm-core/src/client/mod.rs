//! The client the generated `PrismaClient` wraps: an adapter, the schema, and where statements
//! go (the pool, or one open transaction).
//!
//! Every statement of every operation runs through [`Client::query`] / [`Client::execute`],
//! the one place where tracing and the query log hook in. A `Client` is cheap to clone (two
//! `Arc`s); a clone bound to a transaction ([`Client::with_transaction`]) sends its
//! statements there, and operations that need several statements to be atomic (nested writes,
//! a split `createMany`) open a transaction on the pool, or a savepoint inside an open one
//! ([`Client::atomic`]).
//!
//! The public transaction API builds on [`Client::begin`] and [`Client::with_transaction`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Mutex;

use crate::adapter::{Adapter, Queryable, Transaction, TransactionOptions};
use crate::engine::meta::SchemaMeta;
use crate::error::{Error, Result};
use crate::query::Statement;
use crate::row::ResultSet;
use crate::sql::{self, Dialect, Sql};

/// A handle on the database for the engine's operations.
#[derive(Clone)]
pub struct Client {
    adapter: Arc<dyn Adapter>,
    schema: Arc<SchemaMeta>,
    transaction: Option<Arc<TransactionHandle>>,
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
        }
    }

    /// The engine's view of the schema.
    pub fn schema(&self) -> &SchemaMeta {
        &self.schema
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
    /// [`Error::PoolTimeout`] when no connection frees up in time, or the error of `BEGIN`.
    pub async fn begin(&self, options: &TransactionOptions) -> Result<Arc<TransactionHandle>> {
        let transaction = self.adapter.begin(options).await?;
        Ok(Arc::new(TransactionHandle::new(transaction)))
    }

    /// A client that sends its statements to `transaction`.
    pub fn with_transaction(&self, transaction: Arc<TransactionHandle>) -> Client {
        Client {
            adapter: Arc::clone(&self.adapter),
            schema: Arc::clone(&self.schema),
            transaction: Some(transaction),
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
        tracing::debug!(target: "orm::query", sql = %sql.text, params = sql.params.len());
        self.target().query(sql).await
    }

    /// Runs a statement and returns the number of rows it affected.
    ///
    /// # Errors
    ///
    /// The adapter's error for the statement.
    pub async fn execute(&self, sql: &Sql) -> Result<u64> {
        tracing::debug!(target: "orm::query", sql = %sql.text, params = sql.params.len());
        self.target().execute(sql).await
    }

    /// Renders a statement for this client's dialect.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the dialect cannot express it.
    pub fn render(&self, statement: impl Into<Statement>) -> Result<Sql> {
        sql::render(statement, self.dialect())
    }

    /// Starts an atomic unit of work: a new transaction when this client is on the pool, or a
    /// savepoint inside the open transaction. Run the work on [`Atomic::client`], then hand
    /// its result to [`Atomic::finish`], which commits (releases) on success and rolls back
    /// on error. Dropping the `Atomic` unfinished rolls back a new transaction; a savepoint
    /// then stays until its transaction ends.
    ///
    /// # Errors
    ///
    /// The error of `BEGIN` or `SAVEPOINT`.
    pub async fn atomic(&self) -> Result<Atomic> {
        static SAVEPOINTS: AtomicU64 = AtomicU64::new(0);
        match &self.transaction {
            None => {
                let handle = self.begin(&TransactionOptions::default()).await?;
                Ok(Atomic {
                    client: self.with_transaction(Arc::clone(&handle)),
                    scope: Scope::Transaction(handle),
                })
            }
            Some(handle) => {
                let name = format!("orm_sp_{}", SAVEPOINTS.fetch_add(1, Ordering::Relaxed));
                handle
                    .execute(&Sql::new(format!("SAVEPOINT {name}")))
                    .await?;
                Ok(Atomic {
                    client: self.clone(),
                    scope: Scope::Savepoint(name),
                })
            }
        }
    }
}

/// An atomic unit of work started by [`Client::atomic`].
#[derive(Debug)]
pub struct Atomic {
    client: Client,
    scope: Scope,
}

#[derive(Debug)]
enum Scope {
    Transaction(Arc<TransactionHandle>),
    Savepoint(String),
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
        match (self.scope, result) {
            (Scope::Transaction(handle), Ok(value)) => {
                handle.commit().await?;
                Ok(value)
            }
            (Scope::Transaction(handle), Err(error)) => {
                let _ = handle.rollback().await;
                Err(error)
            }
            (Scope::Savepoint(name), Ok(value)) => {
                self.client
                    .execute(&Sql::new(format!("RELEASE SAVEPOINT {name}")))
                    .await?;
                Ok(value)
            }
            (Scope::Savepoint(name), Err(error)) => {
                let _ = self
                    .client
                    .execute(&Sql::new(format!("ROLLBACK TO SAVEPOINT {name}")))
                    .await;
                Err(error)
            }
        }
    }
}

/// An open transaction shared by the clients bound to it. Statements run one at a time on
/// its connection. Dropping the last handle without [`commit`](Self::commit) rolls back (the
/// adapter's transaction does on drop).
pub struct TransactionHandle {
    dialect: Dialect,
    inner: Mutex<Option<Box<dyn Transaction>>>,
    state: std::sync::atomic::AtomicU8,
}

const OPEN: u8 = 0;
const COMMITTED: u8 = 1;
const ROLLED_BACK: u8 = 2;

impl std::fmt::Debug for TransactionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactionHandle")
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

impl TransactionHandle {
    /// Wraps an adapter's transaction.
    pub fn new(transaction: Box<dyn Transaction>) -> Self {
        TransactionHandle {
            dialect: transaction.dialect(),
            inner: Mutex::new(Some(transaction)),
            state: std::sync::atomic::AtomicU8::new(OPEN),
        }
    }

    fn closed(&self) -> Error {
        Error::TransactionClosed {
            state: if self.state.load(Ordering::Acquire) == COMMITTED {
                "committed"
            } else {
                "rolled back"
            },
        }
    }

    async fn finish(&self, commit: bool) -> Result<()> {
        let transaction = self
            .inner
            .lock()
            .await
            .take()
            .ok_or_else(|| self.closed())?;
        self.state.store(
            if commit { COMMITTED } else { ROLLED_BACK },
            Ordering::Release,
        );
        if commit {
            transaction.commit().await
        } else {
            transaction.rollback().await
        }
    }

    /// Commits.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionClosed`] when already finished, or the error of `COMMIT`.
    pub async fn commit(&self) -> Result<()> {
        self.finish(true).await
    }

    /// Rolls back.
    ///
    /// # Errors
    ///
    /// [`Error::TransactionClosed`] when already finished, or the error of `ROLLBACK`.
    pub async fn rollback(&self) -> Result<()> {
        self.finish(false).await
    }
}

#[async_trait::async_trait]
impl Queryable for TransactionHandle {
    fn dialect(&self) -> Dialect {
        self.dialect
    }

    async fn query(&self, sql: &Sql) -> Result<ResultSet> {
        let guard = self.inner.lock().await;
        match guard.as_ref() {
            Some(t) => t.query(sql).await,
            None => Err(self.closed()),
        }
    }

    async fn execute(&self, sql: &Sql) -> Result<u64> {
        let guard = self.inner.lock().await;
        match guard.as_ref() {
            Some(t) => t.execute(sql).await,
            None => Err(self.closed()),
        }
    }

    async fn execute_script(&self, script: &str) -> Result<()> {
        let guard = self.inner.lock().await;
        match guard.as_ref() {
            Some(t) => t.execute_script(script).await,
            None => Err(self.closed()),
        }
    }
}
