//! The `orm` binary. See the `orm_cli` library for the commands.

use std::process::ExitCode;

use clap::Parser;

/// A Prisma-schema ORM for Rust: migrations and schema tools.
#[derive(Debug, Parser)]
#[command(name = "orm", version)]
enum Cli {
    /// Check that the schema is valid
    Validate(orm_cli::validate::SchemaArgs),
    /// Format the schema as `prisma format` does
    Format(orm_cli::format::FormatArgs),
    /// Create, apply and inspect migrations
    #[command(subcommand)]
    Migrate(orm_cli::migrate::MigrateCommand),
    /// Change the database without migrations
    #[command(subcommand)]
    Db(orm_cli::migrate::DbCommand),
}

fn main() -> ExitCode {
    match Cli::parse() {
        Cli::Validate(args) => orm_cli::validate::run(&args),
        Cli::Format(args) => orm_cli::format::run(&args),
        Cli::Migrate(command) => orm_cli::migrate::run(command),
        Cli::Db(command) => orm_cli::migrate::run_db(command),
    }
}
