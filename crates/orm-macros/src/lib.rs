//! The `prisma_schema!` procedural macro, re-exported by `orm-core`.
//!
//! A thin shim: it locates the schema file relative to `CARGO_MANIFEST_DIR`, validates it with
//! `orm-schema`, generates code with `orm-codegen`, and turns diagnostics into compile errors.
//! This crate carries no semver promise; depend on `orm-core`.
//!
//! Also here: the raw SQL macros (`query_raw!`, `execute_raw!`, `raw_sql!`) and
//! `#[derive(FromRow)]`, shims over `orm_codegen::raw_template` and `orm_codegen::from_row`.
#![deny(missing_docs)]

use proc_macro::TokenStream;

/// Expands a Prisma schema into a typed client, at compile time.
///
/// ```no_run,standalone_crate
/// orm_core::prisma_schema!("prisma/schema.prisma");
///
/// # #[tokio::main]
/// # async fn main() -> orm_core::Result<()> {
/// let prisma = PrismaClient::new(orm_sqlite::SqliteAdapter::open("file:dev.db").await?);
/// let user = prisma.user().find_unique(user::email::equals("a@b.co")).exec().await?;
/// # Ok(()) }
/// ```
///
/// The path is relative to the package's `Cargo.toml` (`CARGO_MANIFEST_DIR`). The file is
/// embedded, so editing the schema rebuilds the crate; schema errors are compile errors
/// pointing at `schema.prisma:line:col`.
///
/// The items land where the macro is invoked: `PrismaClient`, one module per model (`user`)
/// with the model's struct (`User`, also re-exported beside the modules), one module per
/// field, and the `include!`/`select!`/`omit!` payload macros; one Rust enum per schema
/// enum. See `orm_core::model` for the API.
///
/// A model's accessor is its module's name (`client.order_item()`), except where that is a
/// method `PrismaClient` already has (`new`, `schema`, `client`, `transaction`,
/// `transaction_with_retry`, `batch`, `clone`, `clone_from`, `fmt`, `from`, `as_ref`,
/// `raw_queryable`): then `_` is appended, so a model `Transaction` is
/// `client.transaction_()` while `client.transaction(…)` still starts a transaction.
///
/// The payload macros name the generated types by absolute path, so they need the module the
/// client is in. It is worked out from the invoking file (`src/db.rs` is `crate::db`, inline
/// `mod` blocks count); where that fails (a `#[path]` attribute, an `include!`d file), pass it:
/// `prisma_schema!("prisma/schema.prisma", module = crate::db)`. A compile-time check reports
/// a wrong module. Invoke the macro at module level, not inside a function.
#[proc_macro]
pub fn prisma_schema(input: TokenStream) -> TokenStream {
    let span = proc_macro::Span::call_site();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    let file = span
        .local_file()
        .and_then(|file| orm_codegen::prisma_schema::absolute_file(&file, manifest_dir.as_deref()));
    // Test-only: trybuild compiles its cases in a project of its own under `target/`, so its
    // `CARGO_MANIFEST_DIR` is not the package holding the schemas (trybuild issue #202).
    let base_dir = std::env::var_os("ORM_TEST_SCHEMA_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| manifest_dir.clone());
    let context = orm_codegen::prisma_schema::Context {
        base_dir,
        manifest_dir,
        call_site: file.map(|file| (file, span.line(), span.column())),
    };
    orm_codegen::prisma_schema::expand(input.into(), &context)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The payload macros' implementation (`user::include!(..)` and friends forward here): not
/// public API.
#[doc(hidden)]
#[proc_macro]
pub fn __payload(input: TokenStream) -> TokenStream {
    orm_codegen::payload::expand(input.into(), |path| std::fs::read_to_string(path))
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Runs a raw SQL query, like Prisma's `$queryRaw` tagged template; `.await` it for the rows.
///
/// `query_raw!(db, "template")` returns an `orm_core::raw::RawQuery` on `db` (an adapter, a
/// transaction, the client: anything implementing `orm_core::raw::RawExecutor`, borrowed until
/// the query completes). Awaited, it resolves to `orm_core::Result<Vec<T>>` for any
/// `T: FromRow`: a `#[derive(FromRow)]` struct, a tuple, or `orm_core::Row`.
///
/// Every `{expr}` in the template is a **bind parameter** (any `ToValue`), never SQL text;
/// `{{` and `}}` are literal braces. A `RawSql` fragment (`raw_sql!`), an `Ident` or an
/// `UnsafeSql` interpolates as SQL instead: see `orm_core::raw`.
///
/// ```no_run
/// # async fn demo(db: &dyn orm_core::Adapter) -> orm_core::Result<()> {
/// let email = "a@b.co";
/// let ids: Vec<(String,)> =
///     orm_core::query_raw!(db, r#"SELECT id FROM "User" WHERE email = {email}"#).await?;
/// # Ok(()) }
/// ```
#[proc_macro]
pub fn query_raw(input: TokenStream) -> TokenStream {
    orm_codegen::raw_template::expand_query_raw(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Runs a raw SQL statement, like Prisma's `$executeRaw` tagged template; `.await` it for the
/// number of rows affected (`orm_core::Result<u64>`).
///
/// The template works as in `query_raw!`: every `{expr}` is a bind parameter.
///
/// ```no_run
/// # async fn demo(db: &dyn orm_core::Adapter) -> orm_core::Result<()> {
/// let cutoff = 30;
/// let deleted: u64 =
///     orm_core::execute_raw!(db, r#"DELETE FROM "Session" WHERE "ageDays" > {cutoff}"#).await?;
/// # Ok(()) }
/// ```
#[proc_macro]
pub fn execute_raw(input: TokenStream) -> TokenStream {
    orm_codegen::raw_template::expand_execute_raw(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Builds a raw SQL fragment (`orm_core::raw::RawSql`), like Prisma's `Prisma.sql`: run it with
/// `orm_core::raw::query_raw` / `execute_raw`, or interpolate it into another template, where
/// its text is spliced in and its values stay bind parameters.
///
/// ```
/// use orm_core::{Dialect, raw_sql};
///
/// let only_active = true;
/// let filter = if only_active { raw_sql!("active = {only_active}") } else { raw_sql!("TRUE") };
/// let sql = raw_sql!("SELECT id FROM t WHERE {filter} AND id > {10}").to_sql(Dialect::Sqlite)?;
/// assert_eq!(sql.text, "SELECT id FROM t WHERE active = ?1 AND id > ?2");
/// # Ok::<(), orm_core::Error>(())
/// ```
#[proc_macro]
pub fn raw_sql(input: TokenStream) -> TokenStream {
    orm_codegen::raw_template::expand_raw_sql(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `orm_core::FromRow`: a struct with named fields reads each field from the column of
/// that name, a tuple struct reads by position.
///
/// - `#[orm(rename = "column")]` on a field reads another column;
/// - `#[orm(rename_all = "camelCase")]` on the struct renames every other field (also
///   `"PascalCase"`, `"snake_case"`, `"SCREAMING_SNAKE_CASE"`, `"lowercase"`, `"UPPERCASE"`);
/// - every field type implements `FromValue`; `Option<T>` reads `NULL` as `None`;
/// - a column the row lacks is an `Error::Decode` naming it.
///
/// ```
/// #[derive(orm_core::FromRow)]
/// #[orm(rename_all = "camelCase")]
/// struct UserRow {
///     id: i32,
///     created_at: Option<String>,
///     #[orm(rename = "e_mail")]
///     email: String,
/// }
/// ```
#[proc_macro_derive(FromRow, attributes(orm))]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    orm_codegen::from_row::derive_from_row(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Embeds a migrations folder (`migration.sql` files and `migration_lock.toml`) at compile time,
/// as an `orm_core::migrate::Migrations` to deploy at start-up.
///
/// The path is relative to the crate's `CARGO_MANIFEST_DIR`. Editing an embedded file rebuilds
/// the crate; a new migration folder needs a `build.rs` with `cargo:rerun-if-changed=<folder>`.
///
/// ```no_run
/// # async fn demo(adapter: &dyn orm_core::Adapter) -> Result<(), orm_core::migrate::MigrateError> {
/// let applied = orm_core::migrations!("prisma/migrations").deploy(adapter).await?;
/// # Ok(()) }
/// ```
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    let path = syn::parse_macro_input!(input as syn::LitStr);
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_default()
        .join(path.value());
    orm_codegen::migrations::expand_migrations(&dir, path.span())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
