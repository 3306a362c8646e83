//! Typed payloads: trust the generated types. What a query returns is derived from the
//! schema, never written by hand, and can be named in a signature, as TypeScript's
//! `Prisma.UserGetPayload<{ include: { orders: true } }>`.
//!
//! ```text
//! cargo run --example payloads
//! ```
//!
//! Each model module of the generated client has three macros that define such a type:
//!
//! | macro | Prisma | the struct holds |
//! | --- | --- | --- |
//! | `user::include!(pub Name { orders })` | `include: { orders: true }` | every scalar, plus the relations listed |
//! | `user::select!(pub Name { id email })` | `select: { id: true, email: true }` | only what is listed (relations too) |
//! | `user::omit!(pub Name { createdAt })` | `omit: { createdAt: true }` | every scalar but those listed |
//!
//! A relation can be nested (`orders { user }`), switch kind (`orders: select { total }`), and
//! `_count { orders }` adds relation counts. `Name::args()` hands the shape to a query, with
//! per-relation arguments (`where`, `orderBy`, `take`, …) added by `.with(…)`. The structs
//! serialize with Prisma's field names, so a JSON response keeps its shape.

use std::error::Error;
use std::path::Path;

use orm_sqlite::SqliteAdapter;

orm_core::prisma_schema!("prisma/schema.prisma");

user::include!(
    /// A user with their orders: `Prisma.UserGetPayload<{ include: { orders: true } }>`.
    pub UserWithOrders { orders }
);
user::select!(
    /// What a customer list shows: the email, the order totals and the number of orders.
    pub CustomerRow { email orders: select { total } _count { orders } }
);
user::omit!(
    /// A user without the timestamp.
    pub UserSummary { createdAt }
);
order::include!(
    /// An order with its buyer, nested.
    pub OrderWithBuyer { user: select { email } }
);

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    run(dir.path()).await
}

async fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    let adapter = SqliteAdapter::open(&format!("file:{}", dir.join("shop.db").display())).await?;
    orm_core::migrations!("prisma/migrations")
        .deploy(&adapter)
        .await?;
    let prisma = PrismaClient::new(adapter);
    for (email, totals) in [
        ("ann@example.com", vec![120, 80, 300]),
        ("bob@example.com", vec![]),
    ] {
        let orders = totals
            .into_iter()
            .map(|total| user::orders::Create { total });
        prisma
            .user()
            .create(
                user::Create {
                    email: email.into(),
                }
                .with(user::orders::create(orders)),
            )
            .exec()
            .await?;
    }

    let ann = user_with_orders(&prisma, "ann@example.com").await?;
    println!(
        "include: {} has {} orders: {:?}",
        ann.email,
        ann.orders.len(),
        totals(&ann)
    );

    let biggest = user_with_biggest_orders(&prisma, "ann@example.com", 2).await?;
    println!(
        "include with arguments: her two biggest: {:?}",
        totals(&biggest)
    );

    let rows = customer_rows(&prisma).await?;
    for row in &rows {
        println!("select: {} ({} orders)", row.email, row._count.orders);
    }
    println!("        as JSON: {}", serde_json::to_string(&rows)?);

    let summaries: Vec<UserSummary> = prisma
        .user()
        .find_many(vec![])
        .order_by(user::email::asc())
        .omit(UserSummary::args())
        .exec()
        .await?;
    println!(
        "omit: {:?}",
        summaries
            .iter()
            .map(|u| (&u.id, &u.email))
            .collect::<Vec<_>>()
    );

    let order: Option<OrderWithBuyer> = prisma
        .order()
        .find_first(vec![order::total::gt(100)])
        .order_by(order::total::asc())
        .include(OrderWithBuyer::args())
        .exec()
        .await?;
    if let Some(order) = &order {
        println!("nested: order of {} by {}", order.total, order.user.email);
    }

    assert_eq!(totals(&ann).iter().sum::<i32>(), 500);
    assert_eq!(totals(&biggest), [300, 120]);
    assert_eq!(
        rows.iter().map(|r| r._count.orders).collect::<Vec<_>>(),
        [3, 0]
    );
    assert_eq!(
        order.map(|o| o.user.email).as_deref(),
        Some("ann@example.com")
    );
    Ok(())
}

/// The payload type in a signature: a user with every order.
async fn user_with_orders(prisma: &PrismaClient, email: &str) -> orm_core::Result<UserWithOrders> {
    prisma
        .user()
        .find_unique_or_throw(user::email::equals(email))
        .include(UserWithOrders::args())
        .exec()
        .await
}

/// The same type, with arguments on the relation: `include: { orders: { orderBy: { total:
/// 'desc' }, take } }`.
async fn user_with_biggest_orders(
    prisma: &PrismaClient,
    email: &str,
    take: i64,
) -> orm_core::Result<UserWithOrders> {
    prisma
        .user()
        .find_unique_or_throw(user::email::equals(email))
        .include(
            UserWithOrders::args().with(
                user::orders::args()
                    .order_by(order::total::desc())
                    .take(take),
            ),
        )
        .exec()
        .await
}

/// Every customer, as the list shows them.
async fn customer_rows(prisma: &PrismaClient) -> orm_core::Result<Vec<CustomerRow>> {
    prisma
        .user()
        .find_many(vec![])
        .order_by(user::email::asc())
        .select(CustomerRow::args())
        .exec()
        .await
}

fn totals(user: &UserWithOrders) -> Vec<i32> {
    user.orders.iter().map(|o| o.total).collect()
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_payloads_example_runs() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }
}
