//! The data set: the seed schema's tables as Prisma 7 creates them, filled with the same rows
//! on both databases, and the values each workload uses.
//!
//! Seeded ids are 25 characters like a cuid but start with `a`, so they sort before every id
//! the write workloads create (cuids start with `c`): "the first 1000 users by id" is the
//! same rows all run long, and the rows the writes created are exactly those with an id at or
//! above [`CREATED_FROM`], which the coordinator deletes before every write batch.

use chrono::{DateTime, Duration, Utc};

/// Users seeded.
pub const USERS: u64 = 2000;
/// Orders seeded per user.
pub const ORDERS_PER_USER: u64 = 10;
/// Inventory items seeded.
pub const SKUS: u64 = 10;
/// Each item's stock: more than any run decrements.
pub const STOCK: i32 = 1_000_000_000;
/// Users the `find_many` workload reads.
pub const MANY: i64 = 1000;
/// Users the nested read loads, each with its [`ORDERS_PER_USER`] orders.
pub const NESTED_USERS: i64 = 100;
/// Users one `create_many` writes.
pub const BULK: u64 = 10_000;
/// The connections every library's pool may open (the workloads run one operation at a
/// time, so one is in use at once; the raw drivers hold one connection).
pub const POOL_SIZE: u32 = 4;
/// Ids at or above this were created by the write workloads.
pub const CREATED_FROM: &str = "b";
/// The total of every order the transaction workload creates.
pub const ORDER_TOTAL: i32 = 10;

/// The seed schema's tables on PostgreSQL: Prisma 7's own migration for it.
pub const POSTGRES_DDL: &str =
    include_str!("../../../../../shared/prisma-golden/seed/postgresql/diff-from-empty.sql");
/// The seed schema's tables on SQLite: Prisma 7's own migration for it.
pub const SQLITE_DDL: &str =
    include_str!("../../../../../shared/prisma-golden/seed/sqlite/diff-from-empty.sql");

/// The id of seeded user `n`.
pub fn user_id(n: u64) -> String {
    format!("a{n:024}")
}

/// The email of seeded user `n`.
pub fn user_email(n: u64) -> String {
    format!("user{n}@example.com")
}

/// When seeded user `n` was created (millisecond precision, as Prisma stores it).
pub fn user_created_at(n: u64) -> DateTime<Utc> {
    let base = DateTime::from_timestamp_millis(1_767_225_600_000).unwrap_or_default();
    let n = i64::try_from(n).unwrap_or(0);
    base + Duration::seconds(n) + Duration::milliseconds(n % 1000)
}

/// The id of order `k` of seeded user `user`.
pub fn order_id(user: u64, k: u64) -> String {
    format!("a{user:020}{k:04}")
}

/// The total of order `k` of seeded user `user`.
pub fn order_total(user: u64, k: u64) -> i32 {
    i32::try_from((user * 7 + k) % 100 + 1).unwrap_or(1)
}

/// The sku of order `k` (every other order has none).
pub fn order_sku(k: u64) -> Option<String> {
    (k % 2 == 0).then(|| sku(k / 2))
}

/// The sku of inventory item `n % SKUS`.
pub fn sku(n: u64) -> String {
    format!("SKU-{:03}", n % SKUS)
}

/// The email of the user created by operation `n` of the `create` workload.
pub fn new_email(n: u64) -> String {
    format!("new{n}@example.com")
}

/// The email of user `k` created by operation `n` of the `create_many` workload.
pub fn bulk_email(n: u64, k: u64) -> String {
    format!("bulk{n}-{k}@example.com")
}

/// A seeded user.
#[derive(Debug, Clone)]
pub struct SeedUser {
    /// `User.id`.
    pub id: String,
    /// `User.email`.
    pub email: String,
    /// `User.createdAt`.
    pub created_at: DateTime<Utc>,
}

/// A seeded order.
#[derive(Debug, Clone)]
pub struct SeedOrder {
    /// `Order.id`.
    pub id: String,
    /// `Order.userId`.
    pub user_id: String,
    /// `Order.total`.
    pub total: i32,
    /// `Order.sku`.
    pub sku: Option<String>,
}

/// Every seeded user.
pub fn users() -> Vec<SeedUser> {
    (0..USERS)
        .map(|n| SeedUser {
            id: user_id(n),
            email: user_email(n),
            created_at: user_created_at(n),
        })
        .collect()
}

/// Every seeded order.
pub fn orders() -> Vec<SeedOrder> {
    (0..USERS)
        .flat_map(|user| {
            (0..ORDERS_PER_USER).map(move |k| SeedOrder {
                id: order_id(user, k),
                user_id: user_id(user),
                total: order_total(user, k),
                sku: order_sku(k),
            })
        })
        .collect()
}

/// Every seeded inventory item: sku and stock.
pub fn inventory() -> Vec<(String, i32)> {
    (0..SKUS).map(|n| (sku(n), STOCK)).collect()
}

/// `createdAt` as Prisma 7 stores it in a SQLite `DATETIME` column.
pub fn sqlite_datetime(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_sort_before_created_ones_and_in_seed_order() {
        let created = "cmwvvt9440000j87dw8rnciil";
        assert_eq!(user_id(0).len(), created.len());
        assert_eq!(order_id(0, 0).len(), created.len());
        assert!(user_id(USERS - 1).as_str() < CREATED_FROM && CREATED_FROM < created);
        assert!(order_id(USERS - 1, 9).as_str() < CREATED_FROM);
        assert!(user_id(9) < user_id(10));
    }

    #[test]
    fn sqlite_datetimes_are_prismas_format() {
        assert_eq!(
            sqlite_datetime(&user_created_at(1)),
            "2026-01-01T00:00:01.001+00:00"
        );
    }

    #[test]
    fn half_the_orders_have_a_sku_of_the_inventory() {
        let orders = orders();
        assert_eq!(
            orders.len(),
            usize::try_from(USERS * ORDERS_PER_USER).unwrap()
        );
        let skus: Vec<_> = inventory().into_iter().map(|(sku, _)| sku).collect();
        let with_sku: Vec<_> = orders.iter().filter_map(|o| o.sku.as_ref()).collect();
        assert_eq!(with_sku.len(), orders.len() / 2);
        assert!(with_sku.iter().all(|s| skus.contains(s)));
    }
}
