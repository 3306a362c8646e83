//! The examples of the `orm` workspace, laid out as an application would be: the schema in
//! `prisma/schema.prisma`, its migrations in `prisma/migrations/` (made by `orm migrate dev`,
//! byte for byte what Prisma makes), and one program per topic in `examples/`:
//!
//! | example | database | shows |
//! | --- | --- | --- |
//! | `quickstart` | SQLite | migrations at start-up, writes and reads, a typed include, the seed's transactions, raw SQL |
//! | `schema_modelling` | SQLite | relations (1-1, 1-n, m-n, self), indexes, compound ids and uniques, enums, referential actions |
//! | `migrations` | SQLite | `orm migrate dev` / `deploy` and the embedded deploy at start-up |
//! | `transactions` | SQLite | batch and interactive transactions, isolation level, timeouts, retries, savepoints |
//! | `raw_sql` | SQLite | `query_raw!`, `execute_raw!`, fragments, identifiers, typed rows |
//! | `payloads` | SQLite | `include!`, `select!`, `omit!`: payload types named in signatures |
//! | `pooling` | PostgreSQL | PgBouncer in transaction mode: `?pgbouncer=true&connection_limit=1` |
//! | `full_text_search` | PostgreSQL | the seed's `ts_rank` search through `query_raw!` |
//!
//! Run one from the repository root with `cargo run --example <name>`. The SQLite examples
//! create their database in a fresh temporary directory; the PostgreSQL ones read
//! `DATABASE_URL` and explain what they need when it is not set.
//!
//! This library only holds what the examples share and is not about the ORM.
#![deny(missing_docs)]

/// The PostgreSQL URL an example connects to: `DATABASE_URL`.
///
/// # Errors
///
/// When `DATABASE_URL` is unset or is not a PostgreSQL URL: a message, for the example to
/// print, saying what to set.
pub fn postgres_url(example: &str) -> Result<String, String> {
    let hint = format!(
        "the `{example}` example needs PostgreSQL: set DATABASE_URL to a database it may \
         create tables in, for example\n\n    \
         DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres cargo run --example {example}"
    );
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Ok(url),
        Ok(url) if url.is_empty() => Err(hint),
        Ok(_) => Err(format!("DATABASE_URL is not a PostgreSQL URL; {hint}")),
        Err(_) => Err(hint),
    }
}
