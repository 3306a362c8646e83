//! Migrations: `prisma/migrations` deployed at start-up, as `orm migrate deploy` (or
//! `prisma migrate deploy`) would, from the migrations embedded in the program.
//!
//! ```text
//! cargo run --example migrations
//! ```
//!
//! The folder was written by `orm migrate dev` (the walkthrough is in `docs/migrations.md`):
//! `20261125114502_init` from the seed's first schema, then `20261125114504_add_inventory`
//! after `Inventory` and `Order.sku` were added. Its files are byte for byte the ones
//! `prisma migrate dev` writes, and the `_prisma_migrations` table is Prisma's, so either tool
//! deploys the other's migrations.
//!
//! The example plays a service's life: release 1 ships with the first migration only,
//! release 2 brings the second, a restart applies nothing, and an edited migration is refused.

use std::error::Error;
use std::path::Path;

use orm_core::migrate::{self, MigrateError, Migrations};
use orm_core::{Dialect, FromRow, query_raw};
use orm_sqlite::SqliteAdapter;

orm_core::prisma_schema!("prisma/schema.prisma");

/// The migrations folder, embedded at compile time: the program deploys without the folder
/// beside it. (`build.rs` makes Cargo notice a new migration folder.)
fn migrations() -> Migrations {
    orm_core::migrations!("prisma/migrations")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    run(dir.path()).await
}

async fn run(dir: &Path) -> Result<(), Box<dyn Error>> {
    let adapter = SqliteAdapter::open(&format!("file:{}", dir.join("app.db").display())).await?;
    let all = migrations();
    println!(
        "Embedded: {} migrations for {}",
        all.migrations().len(),
        all.provider().unwrap_or("?")
    );

    // Release 1 knew only the first migration.
    let release_1 = &all.migrations()[..1];
    migrate::deploy(&adapter, release_1, &mut |applied| {
        println!(
            "release 1: applied {} in {:.1?}",
            applied.name, applied.duration
        );
    })
    .await?;

    // Release 2 starts: what is pending, then the deploy every start-up runs.
    let status = all.status(&adapter).await?;
    println!(
        "release 2: applied {:?}, pending {:?}",
        status.applied, status.pending
    );
    for applied in all.deploy(&adapter).await? {
        println!(
            "release 2: applied {} in {:.1?}",
            applied.name, applied.duration
        );
    }

    // A restart: nothing is pending, so nothing runs.
    let again = all.deploy(&adapter).await?;
    let status = all.status(&adapter).await?;
    println!(
        "restart: {} applied, up to date: {}",
        again.len(),
        status.is_up_to_date()
    );

    // The history table, as Prisma writes it: the checksum is the SHA-256 of migration.sql.
    let history: Vec<History> = query_raw!(
        adapter,
        r#"SELECT "migration_name", "checksum", "applied_steps_count"
           FROM "_prisma_migrations" ORDER BY "started_at""#
    )
    .await?;
    println!("_prisma_migrations:");
    for (row, local) in history.iter().zip(all.migrations()) {
        let matches = row.checksum == local.checksum();
        println!(
            "  {}  checksum {}…  steps {}  matches the file: {matches}",
            row.migration_name,
            &row.checksum[..12],
            row.applied_steps_count
        );
    }

    // The database now has the schema's shape: `orm migrate dev` would find nothing to write.
    let database = migrate::introspect(&adapter).await?;
    let schema = migrate::from_schema(PrismaClient::schema(), Dialect::Sqlite);
    let pending = migrate::diff(&database, &schema, Dialect::Sqlite);
    println!(
        "difference between the database and prisma/schema.prisma: {} steps",
        pending.steps.len()
    );

    // Never edit a migration that has shipped: a changed file is refused, nothing runs.
    let mut edited = all.migrations().to_vec();
    edited[1]
        .script
        .push_str("\nCREATE INDEX \"Inventory_stock_idx\" ON \"Inventory\"(\"stock\");\n");
    let refused = migrate::deploy(&adapter, &edited, &mut |_| {}).await;
    match &refused {
        Err(error @ MigrateError::Edited { .. }) => println!("an edited migration: {error}"),
        other => return Err(format!("expected the edit to be refused, got {other:?}").into()),
    }

    assert_eq!(history.len(), 2);
    assert!(status.is_up_to_date() && again.is_empty() && pending.steps.is_empty());
    Ok(())
}

/// A row of `_prisma_migrations`.
#[derive(Debug, FromRow)]
struct History {
    migration_name: String,
    checksum: String,
    applied_steps_count: i64,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_migrations_example_runs() {
        let dir = tempfile::tempdir().unwrap();
        super::run(dir.path()).await.unwrap();
    }

    /// The committed folder is what Prisma 7 wrote for the same two schema versions, byte
    /// for byte (Prisma's copies are in `shared/prisma-golden/seed/sqlite/evolution`; only
    /// the folder names' timestamps differ).
    #[test]
    fn the_committed_migrations_are_prismas() {
        let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("prisma/migrations");
        let prisma = orm_tests::shared_dir().join("prisma-golden/seed/sqlite/evolution/migrations");
        let read = |dir: &Path| -> Vec<(String, String)> {
            let mut entries: Vec<(String, String)> = std::fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .map(|path| {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    if !path.is_dir() {
                        return (name, std::fs::read_to_string(path).unwrap());
                    }
                    // `20261125114502_init` -> `init`
                    let (_, name) = name.split_once('_').unwrap();
                    (
                        name.to_owned(),
                        std::fs::read_to_string(path.join("migration.sql")).unwrap(),
                    )
                })
                .collect();
            entries.sort();
            entries
        };
        let (ours, prisma) = (read(&ours), read(&prisma));
        let names: Vec<&str> = ours.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["add_inventory", "init", "migration_lock.toml"]);
        assert_eq!(ours, prisma);
    }
}
