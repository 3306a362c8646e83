//! Pooling behind PgBouncer: several instances of a service, each with one connection to a
//! PgBouncer in transaction mode, run the seed's purchase transaction at the same time.
//!
//! ```text
//! DATABASE_URL='postgresql://app@pgbouncer.internal:6432/app?pgbouncer=true&connection_limit=1' \
//! DIRECT_URL='postgresql://app@postgres.internal:5432/app' \
//! cargo run --example pooling
//! ```
//!
//! Needs PostgreSQL: `DATABASE_URL` is the URL the service uses (PgBouncer's), `DIRECT_URL`
//! the server itself, for migrations (Prisma's `directUrl`; without it `DATABASE_URL` is
//! used). Without a PgBouncer at hand, point both at PostgreSQL: everything below works the
//! same, one connection per instance.
//!
//! The two URL parameters, as the seed recommends for long-running servers:
//!
//! - `pgbouncer=true` sends every statement unnamed (parse, bind and execute in one round
//!   trip). A transaction-mode pooler hands each transaction to whichever server connection
//!   is free, where a statement prepared under a name elsewhere does not exist. The example
//!   turns it on when the URL lacks it.
//! - `connection_limit=1` keeps one connection per instance: PgBouncer shares its few server
//!   connections among all instances, and pooling twice only adds idle connections. An
//!   instance then runs one transaction at a time; the rest queue for its connection.
//!
//! Migrations hold a session-level advisory lock, which a transaction-mode pooler cannot
//! carry: they go over `DIRECT_URL`. The purchase runs `Serializable`, so racing instances
//! fail with serialization failures, and `transaction_with_retry` runs them again.

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use orm_core::IsolationLevel;
use orm_core::transaction::RetryPolicy;
use orm_pg::{PgAdapter, PgConfig};
use tokio::task::JoinSet;

orm_core::prisma_schema!("prisma/postgresql/schema.prisma");

const INSTANCES: i32 = 6;
const PURCHASES_PER_INSTANCE: i32 = 5;
const STOCK: i32 = 20;
const SKU: &str = "POOLED-KEYBOARD";

#[derive(Debug, thiserror::Error)]
enum BuyError {
    #[error("`{0}` is out of stock")]
    OutOfStock(String),
    #[error(transparent)]
    Db(#[from] orm_core::Error),
}

#[tokio::main]
async fn main() -> ExitCode {
    let url = match orm_examples::postgres_url("pooling") {
        Ok(url) => url,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let direct = std::env::var("DIRECT_URL").ok().filter(|u| !u.is_empty());
    if direct.is_none() {
        println!(
            "DIRECT_URL is not set: migrations go over DATABASE_URL, which must then be direct"
        );
    }
    match run(&url, direct.as_deref().unwrap_or(&url)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str, direct_url: &str) -> Result<(), Box<dyn Error>> {
    // The migrations, over the direct URL (session advisory lock).
    let direct = PgAdapter::connect(direct_url).await?;
    let applied = orm_core::migrations!("prisma/postgresql/migrations")
        .deploy(&direct)
        .await?;
    println!("migrations: {} applied over the direct URL", applied.len());

    // The service's settings: Prisma's URL parameters, added when missing.
    let mut config = PgConfig::from_url(url)?;
    if !config.is_pgbouncer() || config.connection_limit() != 1 {
        println!("DATABASE_URL lacks pgbouncer=true&connection_limit=1; the example adds them");
        config = config.with_pgbouncer(true).with_connection_limit(1);
    }
    println!(
        "each instance: pgbouncer={}, connection_limit={}, pool_timeout={:?}",
        config.is_pgbouncer(),
        config.connection_limit(),
        config.pool_timeout()
    );

    // Fresh stock and a buyer, written through one instance.
    let setup = PrismaClient::new(PgAdapter::connect_with(config.clone()).await?);
    setup
        .inventory()
        .upsert(
            inventory::sku::equals(SKU),
            inventory::Create {
                sku: SKU.into(),
                stock: STOCK,
            },
            vec![inventory::stock::set(STOCK)],
        )
        .exec()
        .await?;
    let buyer = setup
        .user()
        .upsert(
            user::email::equals("pooling@example.com"),
            user::Create {
                email: "pooling@example.com".into(),
            },
            vec![],
        )
        .exec()
        .await?;

    // The instances: one client, one connection each, buying one keyboard after another.
    let attempts = Arc::new(AtomicI32::new(0));
    let mut instances = JoinSet::new();
    let mut clients = Vec::new();
    for _ in 0..INSTANCES {
        let prisma = PrismaClient::new(PgAdapter::connect_with(config.clone()).await?);
        clients.push(prisma.clone());
        let (buyer, attempts) = (buyer.id.clone(), Arc::clone(&attempts));
        instances.spawn(async move {
            let (mut sold, mut refused) = (0, 0);
            for _ in 0..PURCHASES_PER_INSTANCE {
                match buy(&prisma, &buyer, &attempts).await {
                    Ok(_) => sold += 1,
                    Err(BuyError::OutOfStock(_)) => refused += 1,
                    Err(BuyError::Db(error)) => return Err(error),
                }
            }
            Ok::<_, orm_core::Error>((sold, refused))
        });
    }
    let (mut sold, mut refused) = (0, 0);
    while let Some(outcome) = instances.join_next().await {
        let (s, r) = outcome??;
        sold += s;
        refused += r;
    }
    let left = setup
        .inventory()
        .find_unique_or_throw(inventory::sku::equals(SKU))
        .exec()
        .await?
        .stock;
    let reruns = attempts.load(Ordering::Relaxed) - (sold + refused);
    println!(
        "{INSTANCES} instances x {PURCHASES_PER_INSTANCE} purchases: {sold} sold, {refused} refused, \
         {left} left; {reruns} reruns after serialization failures"
    );
    for (i, prisma) in clients.iter().enumerate() {
        let pool = prisma.client().adapter().pool_status();
        println!(
            "instance {i}: pool of {} (max {}), {} idle, {} waiting",
            pool.size, pool.max_size, pool.idle, pool.waiting
        );
    }

    assert_eq!((sold, left), (STOCK, 0), "never oversell");
    assert_eq!(refused, INSTANCES * PURCHASES_PER_INSTANCE - STOCK);
    Ok(())
}

/// The seed's purchase, `Serializable`, rerun (up to 20 runs in all) when it loses a race.
async fn buy(
    prisma: &PrismaClient,
    user_id: &str,
    attempts: &AtomicI32,
) -> Result<Order, BuyError> {
    prisma
        .transaction_with_retry(RetryPolicy::new(20), |tx| async move {
            attempts.fetch_add(1, Ordering::Relaxed);
            let item = tx
                .inventory()
                .find_unique(inventory::sku::equals(SKU))
                .exec()
                .await?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(BuyError::OutOfStock(SKU.to_owned()));
            }
            tx.inventory()
                .update(
                    inventory::sku::equals(SKU),
                    vec![inventory::stock::decrement(1)],
                )
                .exec()
                .await?;
            let order = order::Create {
                user_id: user_id.to_owned(),
                total: 8900,
            }
            .with(order::sku::set(SKU));
            Ok(tx.order().create(order).exec().await?)
        })
        .with_isolation_level(IsolationLevel::Serializable)
        .await
}

#[cfg(test)]
mod tests {
    /// Runs the example on a fresh database: through PgBouncer when the suite provides one
    /// (`ORM_TEST_PGBOUNCER_URL`), migrations over the direct URL.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_pooling_example_runs() {
        let db = orm_tests::PgDatabase::create().await;
        super::run(&db.url, &db.direct_url).await.unwrap();
    }
}
