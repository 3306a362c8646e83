//! The `orm` binary. See the `orm_cli` library for the commands.

use std::process::ExitCode;

use clap::Parser;

/// A Prisma-schema ORM for Rust: migrations and schema tools.
#[derive(Debug, Parser)]
#[command(name = "orm", version)]
enum Cli {
    /// Create, apply and inspect migrations
    #[command(subcommand)]
    Migrate(orm_cli::migrate::MigrateCommand),
    /// Change the database without migrations
    #[command(subcommand)]
    Db(orm_cli::migrate::DbCommand),
}

fn main() -> ExitCode {
    match Cli::parse() {
        Cli::Migrate(command) => orm_cli::migrate::run(command),
        Cli::Db(command) => orm_cli::migrate::run_db(command),
    }
}
