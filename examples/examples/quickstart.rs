//! The quickstart: the seed schema on SQLite, from an empty file to the seed's transactions.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! It creates a SQLite database file in a fresh temporary directory, applies the migrations of
//! `prisma/migrations` (embedded in the program at compile time), writes and reads users and
//! orders, loads a user with its orders, runs the seed's batch and interactive transactions
//! (several buyers racing for the last items: nothing is oversold) and a raw query, and prints
//! what it did.

use std::error::Error;
use std::path::Path;

use orm_core::{FromRow, IsolationLevel, query_raw};
use orm_sqlite::SqliteAdapter;
use tokio::task::JoinSet;

// The typed client of `prisma/schema.prisma` (the path is relative to Cargo.toml): the
// `User`, `Order` and `Inventory` structs, one module per model and field, and `PrismaClient`.
orm_core::prisma_schema!("prisma/schema.prisma");

// A user with its orders: the type TypeScript spells
// `Prisma.UserGetPayload<{ include: { orders: true } }>`, derived from the schema.
user::include!(pub UserWithOrders { orders });

/// Why a purchase did not happen.
#[derive(Debug, thiserror::Error)]
enum BuyError {
    #[error("`{0}` is out of stock")]
    OutOfStock(String),
    #[error(transparent)]
    Db(#[from] orm_core::Error),
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    run(dir.path()).await
}

async fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    // Open the database file (SQLite creates it) and apply the pending migrations, as
    // `orm migrate deploy` (or `prisma migrate deploy`) would.
    let file = dir.join("quickstart.db");
    let adapter = SqliteAdapter::open(&format!("file:{}", file.display())).await?;
    let applied = orm_core::migrations!("prisma/migrations")
        .deploy(&adapter)
        .await?;
    println!("database  {} (removed at exit)", file.display());
    for migration in &applied {
        println!("migrate deploy  applied {}", migration.name);
    }
    let prisma = PrismaClient::new(adapter);

    // Writes: a user with a nested order, a user alone, orders in one statement.
    let ann = prisma
        .user()
        .create(
            user::Create {
                email: "ann@example.com".into(),
            }
            .with(user::orders::create([
                user::orders::Create { total: 1200 }.with(order::sku::set("MUG-1"))
            ])),
        )
        .exec()
        .await?;
    let bob = prisma
        .user()
        .create(user::Create {
            email: "bob@example.com".into(),
        })
        .exec()
        .await?;
    let created = prisma
        .order()
        .create_many([
            order::Create {
                user_id: bob.id.clone(),
                total: 450,
            },
            order::Create {
                user_id: bob.id.clone(),
                total: 3000,
            },
        ])
        .exec()
        .await?;
    println!(
        "create          {} (id {}) with one order",
        ann.email, ann.id
    );
    println!("create          {}", bob.email);
    println!("createMany      {created} orders for {}", bob.email);

    // Reads: filters, ordering, a count.
    let big = prisma
        .order()
        .find_many(vec![order::total::gte(1000)])
        .order_by(order::total::desc())
        .exec()
        .await?;
    let totals: Vec<i32> = big.iter().map(|o| o.total).collect();
    let users = prisma.user().count(vec![]).exec().await?;
    println!("findMany        orders of 1000 or more, biggest first: {totals:?}");
    println!("count           {users} users");

    // A user with its orders included: one query per relation level, whatever the number
    // of users, and a type that can be named in a signature.
    let Some(with_orders) = user_with_orders(&prisma, "bob@example.com").await? else {
        return Err("Bob was just created".into());
    };
    println!(
        "findUnique      {} with its orders included: {} orders, {} in all",
        with_orders.email,
        with_orders.orders.len(),
        spent(&with_orders)
    );

    // The seed's batch transaction, `$transaction([...])`: operations built first, then sent
    // together in one transaction; each result keeps its type.
    prisma
        .inventory()
        .create_many([
            inventory::Create {
                sku: "KEYBOARD".into(),
                stock: 4,
            },
            inventory::Create {
                sku: "MUG-1".into(),
                stock: 10,
            },
        ])
        .exec()
        .await?;
    let (order, item) = prisma
        .batch((
            prisma.order().create(
                order::Create {
                    user_id: ann.id.clone(),
                    total: 8900,
                }
                .with(order::sku::set("KEYBOARD")),
            ),
            prisma.inventory().update(
                inventory::sku::equals("KEYBOARD"),
                vec![inventory::stock::decrement(1)],
            ),
        ))
        .await?;
    println!(
        "$transaction([create, update])  order {} created, {} {} left",
        order.id, item.stock, item.sku
    );

    // The seed's interactive transaction: read the stock, refuse when it is gone,
    // decrement it and create the order, all or nothing. Five buyers race for the three
    // keyboards left.
    let mut buyers = JoinSet::new();
    for buyer in 0..5 {
        let prisma = prisma.clone();
        let user_id = if buyer % 2 == 0 {
            ann.id.clone()
        } else {
            bob.id.clone()
        };
        buyers.spawn(async move { buy(&prisma, &user_id, "KEYBOARD", 8900).await });
    }
    let (mut sold, mut refused) = (0, 0);
    while let Some(outcome) = buyers.join_next().await {
        match outcome? {
            Ok(_) => sold += 1,
            Err(BuyError::OutOfStock(_)) => refused += 1,
            Err(other) => return Err(other.into()),
        }
    }
    let left = prisma
        .inventory()
        .find_unique_or_throw(inventory::sku::equals("KEYBOARD"))
        .exec()
        .await?
        .stock;
    println!(
        "$transaction(async tx => ...)   5 buyers for 3 keyboards: {sold} sold, {refused} refused, {left} left"
    );
    assert_eq!((sold, refused, left), (3, 2, 0), "never oversell");

    // Raw SQL for what the builder does not express; every `{…}` is a bind parameter.
    let min_orders = 1;
    let report: Vec<Spender> = query_raw!(
        prisma,
        r#"SELECT u."email", COUNT(o."id") AS "orders", SUM(o."total") AS "spent"
           FROM "User" u JOIN "Order" o ON o."userId" = u."id"
           GROUP BY u."email" HAVING COUNT(o."id") >= {min_orders}
           ORDER BY "spent" DESC"#
    )
    .await?;
    println!("$queryRaw       spending per user:");
    for row in &report {
        println!(
            "                {:<16} {} orders, {} in all",
            row.email, row.orders, row.spent
        );
    }

    // Errors are typed, and carry Prisma's codes.
    let duplicate = prisma
        .user()
        .create(user::Create {
            email: "ann@example.com".into(),
        })
        .exec()
        .await;
    match duplicate {
        Err(error @ orm_core::Error::UniqueViolation { .. }) => {
            println!(
                "create          ann@example.com again: {error} ({})",
                error.prisma_code().unwrap_or("-")
            );
        }
        other => return Err(format!("expected a unique violation, got {other:?}").into()),
    }
    Ok(())
}

/// `prisma.user.findUnique({ where: { email }, include: { orders: true } })`.
async fn user_with_orders(
    prisma: &PrismaClient,
    email: &str,
) -> orm_core::Result<Option<UserWithOrders>> {
    prisma
        .user()
        .find_unique(user::email::equals(email))
        .include(UserWithOrders::args())
        .exec()
        .await
}

fn spent(user: &UserWithOrders) -> i32 {
    user.orders.iter().map(|o| o.total).sum()
}

/// The seed's interactive transaction. `tx` is a client bound to the transaction: `Ok`
/// commits, `Err` (here `OutOfStock`, or any database error) rolls back. Serializable, as the
/// seed advises when concurrent writers race on the same rows (on SQLite every transaction is).
async fn buy(
    prisma: &PrismaClient,
    user_id: &str,
    sku: &str,
    total: i32,
) -> Result<Order, BuyError> {
    prisma
        .transaction(|tx| async move {
            let item = tx
                .inventory()
                .find_unique(inventory::sku::equals(sku))
                .exec()
                .await?;
            if item.is_none_or(|item| item.stock < 1) {
                return Err(BuyError::OutOfStock(sku.to_owned()));
            }
            tx.inventory()
                .update(
                    inventory::sku::equals(sku),
                    vec![inventory::stock::decrement(1)],
                )
                .exec()
                .await?;
            let order = tx
                .order()
                .create(
                    order::Create {
                        user_id: user_id.to_owned(),
                        total,
                    }
                    .with(order::sku::set(sku)),
                )
                .exec()
                .await?;
            Ok(order)
        })
        .with_isolation_level(IsolationLevel::Serializable)
        .await
}

/// A row of the raw report, decoded by column name.
#[derive(Debug, FromRow)]
struct Spender {
    email: String,
    orders: i64,
    spent: i64,
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_quickstart_runs_against_a_fresh_database() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }
}
