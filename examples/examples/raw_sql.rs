//! Raw SQL: Prisma's `$queryRaw` / `$executeRaw` tagged templates, as `query_raw!` and
//! `execute_raw!`, on the seed schema (SQLite).
//!
//! ```text
//! cargo run --example raw_sql
//! ```
//!
//! Reach for raw SQL where the query builder is in the way: window functions, recursive
//! CTEs, `INSERT … SELECT`, a plan you need to hand-tune. Every `{expr}` in a template is a
//! bind parameter, never SQL text, so a value cannot inject SQL. The `full_text_search`
//! example runs the seed's PostgreSQL search the same way.

use std::error::Error;
use std::path::Path;

use orm_core::raw::{Ident, RawSql};
use orm_core::{Dialect, FromRow, Row, execute_raw, query_raw, raw_sql};
use orm_sqlite::SqliteAdapter;

orm_core::prisma_schema!("prisma/schema.prisma");

/// Rows decode by column name into a `#[derive(FromRow)]` struct.
#[derive(Debug, FromRow)]
#[orm(rename_all = "camelCase")]
struct RunningTotal {
    user_email: String,
    total: i64,
    #[orm(rename = "running")]
    running_total: i64,
}

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
        ("ann@example.com", [120, 80, 300]),
        ("bob@example.com", [50, 75, 20]),
    ] {
        let user = prisma
            .user()
            .create(user::Create {
                email: email.into(),
            })
            .exec()
            .await?;
        prisma
            .order()
            .create_many(totals.map(|total| order::Create {
                user_id: user.id.clone(),
                total,
            }))
            .exec()
            .await?;
    }

    // 1. A window function: each order with its user's running total.
    let min_total = 50;
    let rows: Vec<RunningTotal> = query_raw!(
        prisma,
        r#"SELECT u."email" AS "userEmail", o."total",
                  SUM(o."total") OVER (PARTITION BY u."id" ORDER BY o."total") AS "running"
           FROM "Order" o JOIN "User" u ON u."id" = o."userId"
           WHERE o."total" >= {min_total}
           ORDER BY u."email", o."total""#
    )
    .await?;
    println!("1. running totals of orders of {min_total} or more:");
    for row in &rows {
        println!(
            "   {:<16} {:>4} {:>5}",
            row.user_email, row.total, row.running_total
        );
    }

    // 2. Tuples decode by position; a recursive CTE the builder has no words for.
    let series: Vec<(i64, i64)> = query_raw!(
        prisma,
        "WITH RECURSIVE n(i, square) AS (SELECT 1, 1 UNION ALL SELECT i + 1, (i + 1) * (i + 1) FROM n WHERE i < {4})
         SELECT i, square FROM n"
    )
    .await?;
    println!("2. squares: {series:?}");

    // 3. `execute_raw!` for a write the builder cannot express: it returns the rows affected.
    let copied = execute_raw!(
        prisma,
        r#"INSERT INTO "Inventory" ("sku", "stock")
           SELECT 'SKU-' || "total", COUNT(*) FROM "Order" GROUP BY "total" HAVING "total" > {100}"#
    )
    .await?;
    println!("3. inserted {copied} inventory rows from orders");

    // 4. A value is never SQL: this string is one bind parameter, matched literally.
    let hostile = "x' OR '1'='1";
    let found: Vec<Row> = query_raw!(
        prisma,
        r#"SELECT "id" FROM "User" WHERE "email" = {hostile}"#
    )
    .await?;
    println!("4. users whose email is {hostile:?}: {}", found.len());

    // 5. Fragments (`Prisma.sql`, `Prisma.join`): composed at run time, values still bound;
    //    an identifier chosen at run time goes through `Ident` (quoted), from an allow-list.
    let emails = ["ann@example.com", "bob@example.com"];
    let only_big = true;
    let filter = if only_big {
        raw_sql!(r#"AND o."total" > {100}"#)
    } else {
        RawSql::new()
    };
    let requested = "total"; // say, from a query string
    let sort = match requested {
        column @ ("total" | "id") => Ident::new(column),
        _ => Ident::new("id"),
    };
    let query = raw_sql!(
        r#"SELECT o."total" FROM "Order" o JOIN "User" u ON u."id" = o."userId"
           WHERE u."email" IN ({RawSql::join(emails, ", ")}) {filter} ORDER BY o.{sort} DESC"#
    );
    let sql = query.to_sql(Dialect::Sqlite)?;
    println!("5. {}\n   parameters {:?}", one_line(&sql.text), sql.params);
    let big: Vec<(i32,)> = orm_core::raw::query_raw(&prisma, query).await?;
    println!(
        "   totals: {:?}",
        big.iter().map(|(t,)| *t).collect::<Vec<_>>()
    );

    // 6. Raw SQL runs wherever the client runs: inside a transaction too.
    let (before, after) = prisma
        .transaction(|tx| async move {
            let before: Vec<(i64,)> = query_raw!(tx, r#"SELECT COUNT(*) FROM "Order""#).await?;
            execute_raw!(tx, r#"DELETE FROM "Order" WHERE "total" < {60}"#).await?;
            let after: Vec<(i64,)> = query_raw!(tx, r#"SELECT COUNT(*) FROM "Order""#).await?;
            Ok::<_, orm_core::Error>((before[0].0, after[0].0))
        })
        .await?;
    println!("6. in a transaction: {before} orders, {after} after deleting the small ones");

    assert_eq!(rows.len(), 5);
    assert_eq!(series.last(), Some(&(4, 16)));
    assert_eq!((copied, found.len()), (2, 0));
    assert_eq!(big, [(300,), (120,)]);
    assert_eq!((before, after), (6, 4));
    Ok(())
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_raw_sql_example_runs() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }
}
