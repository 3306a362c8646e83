//! What the two benchmark workspaces share: the data set ([`data`]), the workloads and what
//! each library implements for them ([`Ops`]), timing a batch, the interleaved rounds
//! ([`harness`]) and the line protocol between the coordinator and the peers' process
//! ([`protocol`]).
//!
//! The raw-driver code both processes run (`raw/pg.rs`, `raw/sqlite.rs` beside this crate) is
//! not part of this crate: each binary compiles it against its own tokio-postgres and rusqlite
//! (`#[path]` modules), because the two processes link different rusqlite versions.

pub mod data;
pub mod harness;
pub mod protocol;

use std::fmt;
use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Any library's error, boxed: the benchmark only reports it.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// A result with any library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL over TCP on loopback.
    Postgres,
    /// A SQLite file.
    Sqlite,
}

impl Backend {
    /// Both, in the order they run.
    pub const ALL: [Backend; 2] = [Backend::Postgres, Backend::Sqlite];

    /// The name used in the protocol and the results.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }

    /// The backend called `name`.
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// The work every library does, the same way on both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// One user by primary key.
    FindUnique,
    /// The first [`data::MANY`] users by id.
    FindMany,
    /// The first [`data::NESTED_USERS`] users by id, each with its orders, as a nested result.
    Nested,
    /// One user created, the created row returned.
    Create,
    /// [`data::BULK`] users created, the count returned.
    CreateMany,
    /// The seed's interactive transaction: find an inventory item by sku, decrement its stock,
    /// create an order.
    Transaction,
}

impl Workload {
    /// All, in the order they run.
    pub const ALL: [Workload; 6] = [
        Workload::FindUnique,
        Workload::FindMany,
        Workload::Nested,
        Workload::Create,
        Workload::CreateMany,
        Workload::Transaction,
    ];

    /// The name used in the protocol and the results.
    pub fn name(self) -> &'static str {
        match self {
            Workload::FindUnique => "find_unique",
            Workload::FindMany => "find_many",
            Workload::Nested => "nested",
            Workload::Create => "create",
            Workload::CreateMany => "create_many",
            Workload::Transaction => "transaction",
        }
    }

    /// The workload called `name`.
    pub fn from_name(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// Whether it adds rows, which the coordinator deletes before every batch so each library
    /// writes into the same tables.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Workload::Create | Workload::CreateMany | Workload::Transaction
        )
    }
}

/// A small fingerprint of one operation's result, compared across libraries once per workload
/// so that no library is timed doing less work than the others (fewer rows, an undecoded
/// column). Computing it is a few integer additions per row, the same for everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Digest {
    /// Rows in the result (users plus orders for the nested read).
    pub rows: u64,
    /// A sum over the decoded values.
    pub sum: i64,
}

impl Digest {
    /// A user read back: its email and its `createdAt` in milliseconds.
    pub fn user(email: &str, created_ms: i64) -> Digest {
        Digest {
            rows: 1,
            sum: len(email) + created_ms,
        }
    }

    /// An order read back under the user `user_id`: its id, its parent's id (which must be
    /// `user_id`), total and sku.
    pub fn order(
        user_id: &str,
        id: &str,
        order_user_id: &str,
        total: i32,
        sku: Option<&str>,
    ) -> Digest {
        // A child stitched under the wrong parent shows as a different sum.
        let wrong_parent = if user_id == order_user_id { 0 } else { 1 << 40 };
        Digest {
            rows: 1,
            sum: len(id) + i64::from(total) + sku.map_or(0, len) + wrong_parent,
        }
    }

    /// A created row, by its generated id.
    pub fn created(id: &str) -> Digest {
        Digest {
            rows: 1,
            sum: len(id),
        }
    }

    /// A row count returned by a write.
    pub fn count(rows: u64) -> Digest {
        Digest { rows, sum: 0 }
    }
}

impl std::ops::Add for Digest {
    type Output = Digest;
    fn add(self, other: Digest) -> Digest {
        Digest {
            rows: self.rows + other.rows,
            sum: self.sum + other.sum,
        }
    }
}

impl std::iter::Sum for Digest {
    fn sum<I: Iterator<Item = Digest>>(iter: I) -> Digest {
        iter.fold(Digest::default(), std::ops::Add::add)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rows, sum {}", self.rows, self.sum)
    }
}

/// An error with its sources, on one line (tokio-postgres says only "db error" at the top).
pub fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn len(text: &str) -> i64 {
    i64::try_from(text.len()).unwrap_or(i64::MAX)
}

/// The seed's transaction found the item out of stock (never, with the seeded stock; every
/// library checks, as the seed's code does).
#[derive(Debug)]
pub struct OutOfStock;

impl fmt::Display for OutOfStock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("out of stock")
    }
}

impl std::error::Error for OutOfStock {}

/// What each library implements: one operation of each workload, in that library's idiomatic
/// way. `n` numbers the operation (which user to read, which email to create), so that every
/// library does the same operations.
pub trait Ops: Send + Sync {
    /// [`Workload::FindUnique`]: the user [`data::user_id`]`(n % USERS)`.
    fn find_unique(&self, n: u64) -> impl Future<Output = Result<Digest>> + Send;
    /// [`Workload::FindMany`].
    fn find_many(&self) -> impl Future<Output = Result<Digest>> + Send;
    /// [`Workload::Nested`].
    fn nested(&self) -> impl Future<Output = Result<Digest>> + Send;
    /// [`Workload::Create`]: a user with email [`data::new_email`]`(n)`.
    fn create(&self, n: u64) -> impl Future<Output = Result<Digest>> + Send;
    /// [`Workload::CreateMany`]: users with emails [`data::bulk_email`]`(n, 0..BULK)`.
    fn create_many(&self, n: u64) -> impl Future<Output = Result<Digest>> + Send;
    /// [`Workload::Transaction`]: item [`data::sku`]`(n)`, order for [`data::user_id`]`(n)`.
    fn transaction(&self, n: u64) -> impl Future<Output = Result<Digest>> + Send;
}

/// Runs operation `n` of `workload`.
pub async fn run<O: Ops>(ops: &O, workload: Workload, n: u64) -> Result<Digest> {
    match workload {
        Workload::FindUnique => ops.find_unique(n).await,
        Workload::FindMany => ops.find_many().await,
        Workload::Nested => ops.nested().await,
        Workload::Create => ops.create(n).await,
        Workload::CreateMany => ops.create_many(n).await,
        Workload::Transaction => ops.transaction(n).await,
    }
}

/// Times operations `first .. first + iterations` of `workload`, one after the other.
pub async fn time<O: Ops>(
    ops: &O,
    workload: Workload,
    first: u64,
    iterations: u64,
) -> Result<Duration> {
    let start = Instant::now();
    for n in first..first + iterations {
        black_box(run(ops, workload, n).await?);
    }
    Ok(start.elapsed())
}
