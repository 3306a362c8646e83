//! Schema modelling: what `prisma/modelling/schema.prisma` declares, the tables it becomes,
//! and how each piece shows up in the typed client.
//!
//! ```text
//! cargo run --example schema_modelling
//! ```
//!
//! The schema has an id on every model (`uuid(7)`, `cuid()`, `autoincrement()`, a natural
//! key, a compound id), `@unique` natural keys and a compound `@@unique`, relations declared
//! on both sides (1-1, 1-n, implicit m-n, a self relation, an explicit m-n model) with their
//! `onDelete` spelled out, `@@index` for the queries that filter or sort, and two enums.
//!
//! The example creates the tables straight from the schema, as `orm db push` does (the
//! `migrations` example shows the migrations workflow), and prints the constraints and
//! indexes: they carry Prisma's names (`User_email_key`, `Order_userId_number_key`, …).

use std::error::Error;
use std::path::Path;

use orm_core::model::Direction;
use orm_core::{Dialect, migrate};
use orm_sqlite::SqliteAdapter;
use rust_decimal::Decimal;

orm_core::prisma_schema!("prisma/modelling/schema.prisma");

order::include!(pub OrderWithLines { lines { product } });
user::include!(pub UserWithRelations { profile referrals _count { orders } });

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    run(dir.path()).await
}

async fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    let adapter = SqliteAdapter::open(&format!("file:{}", dir.join("shop.db").display())).await?;

    // The tables: the difference between the (empty) database and the schema, as SQL.
    let dialect = Dialect::Sqlite;
    let current = migrate::introspect(&adapter).await?;
    let target = migrate::from_schema(PrismaClient::schema(), dialect);
    let script = migrate::render_script(&migrate::diff(&current, &target, dialect), &[]);
    migrate::run_script(&adapter, "schema", &script).await?;
    println!("The schema's tables and indexes:");
    for line in script.lines().filter(|l| l.starts_with("CREATE")) {
        println!("  {}", line.trim_end_matches(" ("));
    }
    for line in script
        .lines()
        .filter(|l| l.trim_start().starts_with("CONSTRAINT"))
    {
        println!("    {}", line.trim().trim_end_matches(','));
    }
    let prisma = PrismaClient::new(adapter);

    // Enums are Rust enums; `@default(CUSTOMER)` fills the role, `uuid(7)` the id.
    let ann = prisma
        .user()
        .create(
            user::Create {
                email: "ann@example.com".into(),
            }
            .with(user::name::set("Ann"))
            .with(user::role::set(Role::Staff))
            // One-to-one, created in the same statement batch.
            .with(user::profile::create(user::profile::Create {
                bio: "runs the shop".into(),
            })),
        )
        .exec()
        .await?;
    // The self relation, connected by the referrer's natural key.
    let bob = prisma
        .user()
        .create(
            user::Create {
                email: "bob@example.com".into(),
            }
            .with(user::referred_by::connect(user::email::equals(
                "ann@example.com",
            ))),
        )
        .exec()
        .await?;
    println!(
        "\nUsers: {} ({:?}, id {}), {} ({:?})",
        ann.email, ann.role, ann.id, bob.email, bob.role
    );

    // Implicit many-to-many: connect a category, or create it when it does not exist.
    let category = |slug: &str| {
        (
            category::slug::equals(slug),
            category::Create { slug: slug.into() },
        )
    };
    for (sku, name, price, categories) in [
        (
            "DESK",
            "Standing desk",
            "549.00",
            vec![category("furniture"), category("office")],
        ),
        ("LAMP", "Desk lamp", "39.90", vec![category("office")]),
        ("CHAIR", "Chair", "189.50", vec![category("furniture")]),
    ] {
        prisma
            .product()
            .create(
                product::Create {
                    sku: sku.into(),
                    name: name.into(),
                    price: price.parse::<Decimal>()?,
                }
                .with(product::categories::connect_or_create(categories)),
            )
            .exec()
            .await?;
    }
    let office = prisma
        .product()
        .find_many(vec![product::categories::some(vec![
            category::slug::equals("office"),
        ])])
        .order_by(product::price::order(Direction::Desc))
        .exec()
        .await?;
    let names: Vec<String> = office
        .iter()
        .map(|p| format!("{} ({})", p.name, p.price))
        .collect();
    println!("In `office`: {}", names.join(", "));

    // Orders numbered per user; the explicit m-n model `OrderLine` holds the quantities.
    for (user_id, number, lines) in [
        (&ann.id, 1, vec![("DESK", 1), ("LAMP", 2)]),
        (&ann.id, 2, vec![("CHAIR", 4)]),
        (&bob.id, 1, vec![("LAMP", 1)]),
    ] {
        prisma
            .order()
            .create(
                order::Create {
                    number,
                    user_id: user_id.clone(),
                }
                .with(order::lines::create(lines.into_iter().map(
                    |(sku, quantity)| order::lines::Create {
                        sku: sku.into(),
                        quantity,
                    },
                ))),
            )
            .exec()
            .await?;
    }

    // A compound unique finds one record: Ann's order number 1.
    let first = prisma
        .order()
        .find_unique_or_throw(order::user_id_number::equals(ann.id.clone(), 1))
        .include(OrderWithLines::args())
        .exec()
        .await?;
    println!("\nAnn's order 1 ({:?}):", first.status);
    for line in &first.lines {
        println!(
            "  {} x {} at {}",
            line.quantity, line.product.name, line.product.price
        );
    }
    // ... and rejects a second order number 1 for Ann.
    let duplicate = prisma
        .order()
        .create(order::Create {
            number: 1,
            user_id: ann.id.clone(),
        })
        .exec()
        .await;
    if let Err(error) = &duplicate {
        println!("A second order 1 for Ann: {error}");
    }

    // A compound id addresses one line; the enum filters and updates like any field.
    prisma
        .order_line()
        .update(
            order_line::order_id_sku::equals(first.id.clone(), "LAMP".to_owned()),
            vec![order_line::quantity::increment(1)],
        )
        .exec()
        .await?;
    let paid = prisma
        .order()
        .update_many(
            vec![order::user_id::equals(ann.id.clone())],
            vec![order::status::set(OrderStatus::Paid)],
        )
        .exec()
        .await?;
    let pending = prisma
        .order()
        .count(vec![order::status::equals(OrderStatus::Pending)])
        .exec()
        .await?;
    println!("{paid} orders of Ann marked paid, {pending} still pending");

    let ann_now = prisma
        .user()
        .find_unique_or_throw(user::id::equals(ann.id.clone()))
        .include(UserWithRelations::args())
        .exec()
        .await?;
    let referrals: Vec<&str> = ann_now.referrals.iter().map(|u| u.email.as_str()).collect();
    println!(
        "Ann: profile {:?}, {} orders, referred {:?}",
        ann_now.profile.as_ref().map(|p| p.bio.as_str()),
        ann_now._count.orders,
        referrals
    );

    // `onDelete: Restrict`: a product that was ordered cannot be deleted (P2003) ...
    let restricted = prisma
        .product()
        .delete(product::sku::equals("LAMP"))
        .exec()
        .await;
    if let Err(error) = &restricted {
        println!(
            "\nDeleting LAMP: {error} ({})",
            error.prisma_code().unwrap_or("-")
        );
    }
    // ... `Cascade`: deleting Ann deletes her profile, orders and their lines;
    // `SetNull`: Bob, whom she referred, stays, without a referrer.
    prisma
        .user()
        .delete(user::email::equals("ann@example.com"))
        .exec()
        .await?;
    let bob = prisma
        .user()
        .find_unique_or_throw(user::email::equals("bob@example.com"))
        .exec()
        .await?;
    let orders = prisma.order().count(vec![]).exec().await?;
    let lines = prisma.order_line().count(vec![]).exec().await?;
    let profiles = prisma.profile().count(vec![]).exec().await?;
    println!(
        "Deleted Ann: {orders} order and {lines} line left (Bob's), {profiles} profiles, Bob's referrer {:?}",
        bob.referred_by_id
    );

    assert!(matches!(
        duplicate,
        Err(orm_core::Error::UniqueViolation { .. })
    ));
    assert!(matches!(
        restricted,
        Err(orm_core::Error::ForeignKeyViolation { .. })
    ));
    assert_eq!(
        (orders, lines, profiles, bob.referred_by_id),
        (1, 1, 0, None)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_schema_modelling_example_runs() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }
}
