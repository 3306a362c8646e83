//! The Prisma Schema Language front end.
//!
//! Reads a `schema.prisma` and turns it into a resolved [`Schema`] that the code generator, the
//! migration engine and the CLI all read, so they cannot disagree about what a schema means.
//! It accepts what Prisma 7 accepts for the `postgresql` and `sqlite` providers and rejects
//! what Prisma rejects, with messages of the same meaning and, where Prisma has one, the same
//! wording.
//!
//! ```
//! let source = r#"
//! datasource db {
//!   provider = "postgresql"
//! }
//!
//! model User {
//!   id    Int    @id @default(autoincrement())
//!   email String @unique @map("email_address")
//!
//!   @@map("users")
//! }
//! "#;
//! let schema = orm_schema::parse_and_validate(source, "schema.prisma").unwrap();
//! let user = schema.model_by_name("User").unwrap();
//! assert_eq!(user.db_name, "users");
//! assert_eq!(user.scalar_field("email").unwrap().db_name(), "email_address");
//! assert_eq!(user.unique_constraints[0].constraint_name, "users_email_address_key");
//!
//! let broken = "model User {\n  id Int @id @uniq\n}\n";
//! let errors = orm_schema::parse_and_validate(broken, "schema.prisma").unwrap_err();
//! assert!(errors.render(broken, "schema.prisma").starts_with(
//!     "schema.prisma:2:14: error: Attribute not known: \"@uniq\"."
//! ));
//! ```
//!
//! # Layers
//!
//! | module | what |
//! | --- | --- |
//! | [`ast`] | the faithful syntax tree; every node has a byte [`Span`]; comments kept |
//! | `validate` | named passes in a fixed order: names → types → attributes → relations → configuration → rules (see the module docs) |
//! | [`ir`] | the resolved [`Schema`], read through ids and small views ([`ir::ModelRef`], …) |
//! | [`diagnostics`] | [`Diagnostic`]s, the [`Diagnostics`] collector and the renderer |
//! | [`provider`] | what differs between PostgreSQL and SQLite, as data |
//! | [`format`](mod@format) | canonical formatting, as `prisma format` does it |
//!
//! # Names
//!
//! Three kinds of names appear throughout the IR:
//!
//! - **name**: the item's name in the schema: `User`, `email`, `ADMIN`. The `name:` argument of
//!   `@@id`/`@@unique` and `@relation` is also a name: it shapes the client API, not the
//!   database.
//! - **db_name**: the name in the database: the `@map`/`@@map` argument when given, else the
//!   name. Tables, columns, enum types and enum values use it.
//! - **constraint_name**: the database name of a primary key, unique index, index, foreign key
//!   or join table constraint: the `map:` argument when given, else Prisma's default built
//!   from the *database* names (`User_pkey`, `accounts_email_key`, `Post_authorId_slug_key`,
//!   `User_createdAt_idx`, `Order_userId_fkey`), cut to the provider's identifier length limit
//!   (63 bytes on PostgreSQL) as Prisma cuts it.
//!
//! # Datasource forms
//!
//! Both Prisma 7 schemas (no `url` in the datasource) and Prisma 5/6 schemas
//! (`url = env("DATABASE_URL")`) load. The old form produces a warning carrying an
//! [`Advisory`] code: it is advice from this project, not one of Prisma's diagnostics.
#![deny(missing_docs)]

pub mod ast;
pub mod diagnostics;
pub mod format;
pub mod ir;
pub mod provider;
pub mod span;
mod validate;

pub use diagnostics::{Advisory, Diagnostic, Diagnostics, RenderOptions, Severity};
pub use format::{format, format_files};
pub use ir::Schema;
pub use span::{FileId, Span};

/// A validated schema together with the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    /// The resolved schema.
    pub schema: Schema,
    /// Warnings (Prisma's and this project's advisories); never errors.
    pub warnings: Diagnostics,
}

/// Parses a schema file without validating it. Syntax problems are in the returned
/// diagnostics; the tree holds everything that could be read.
pub fn parse(source: &str) -> (ast::SchemaAst, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let ast = ast::parse(source, FileId::ZERO, &mut diagnostics);
    (ast, diagnostics)
}

/// Parses and validates a schema, returning the schema and its warnings.
///
/// `file_name` is only used in rendered diagnostics; nothing is read from disk.
///
/// # Errors
///
/// Returns every diagnostic (errors and warnings) when the schema has at least one error.
pub fn validate(source: &str, file_name: &str) -> Result<Validated, Diagnostics> {
    let _ = file_name;
    let (ast, mut diagnostics) = parse(source);
    match validate::validate(&ast, &mut diagnostics) {
        Some(schema) if !diagnostics.has_errors() => Ok(Validated {
            schema,
            warnings: diagnostics,
        }),
        _ => Err(diagnostics),
    }
}

/// Parses and validates a schema, returning the resolved [`Schema`] (warnings are dropped; use
/// [`validate`] to get them).
///
/// # Errors
///
/// Returns every diagnostic when the schema has at least one error; render them with
/// [`Diagnostics::render`].
pub fn parse_and_validate(source: &str, file_name: &str) -> Result<Schema, Diagnostics> {
    validate(source, file_name).map(|v| v.schema)
}
