//! What differs between database providers, as data.
//!
//! The validator's provider pass and the IR's naming consult one [`Provider`] description;
//! generic passes never test the provider name (as Prisma's `datamodel_connector` and toasty's
//! `Capability` do).

use crate::ir::{IndexAlgorithm, ReferentialAction, ScalarType};

/// The providers this project supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// `postgresql` (alias `postgres`).
    Postgres,
    /// `sqlite`.
    Sqlite,
}

/// A native database type a provider knows (`@db.VarChar(n)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NativeTypeSpec {
    /// The name after the prefix (`VarChar`).
    pub name: &'static str,
    /// Arguments that must be given.
    pub required_args: usize,
    /// Arguments that may be given.
    pub optional_args: usize,
    /// The Prisma scalar types it can back.
    pub scalar_types: &'static [ScalarType],
}

/// A namespace in which constraint names must be unique (Prisma's `ConstraintScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintScope {
    /// Unique and normal indexes share one namespace per database schema.
    GlobalKeyIndex,
    /// Primary keys, unique and normal indexes share one namespace per database schema.
    GlobalPrimaryKeyKeyIndex,
    /// Within one table: primary key, indexes and foreign keys.
    ModelPrimaryKeyKeyIndexForeignKey,
}

impl ConstraintScope {
    /// How Prisma describes the namespace in its message.
    pub fn description(self, model: &str) -> String {
        match self {
            ConstraintScope::GlobalKeyIndex => {
                "global for indexes and unique constraints".to_owned()
            }
            ConstraintScope::GlobalPrimaryKeyKeyIndex => {
                "global for primary key, indexes and unique constraints".to_owned()
            }
            ConstraintScope::ModelPrimaryKeyKeyIndexForeignKey => format!(
                "on model `{model}` for primary key, indexes, unique constraints and foreign keys"
            ),
        }
    }
}

/// Everything the validator and the IR need to know about a provider.
#[derive(Debug, PartialEq)]
pub struct Provider {
    /// Which provider.
    pub kind: ProviderKind,
    /// The canonical name (`postgresql`, `sqlite`).
    pub name: &'static str,
    /// Names accepted in `provider = "…"`.
    pub aliases: &'static [&'static str],
    /// Longest identifier in bytes; default constraint names are cut to fit (63 on
    /// PostgreSQL).
    pub max_identifier_length: usize,
    /// Scalar lists (`String[]`).
    pub supports_scalar_lists: bool,
    /// Native `enum` types (otherwise enums are stored as text, still allowed in the schema).
    pub supports_enums: bool,
    /// `@@schema` and `schemas = [...]`.
    pub supports_multi_schema: bool,
    /// `autoincrement()` on fields that are not the primary key.
    pub supports_autoincrement_on_non_id: bool,
    /// More than one `autoincrement()` field per model.
    pub supports_multiple_autoincrement: bool,
    /// Referential actions the database can enforce with foreign keys.
    pub referential_actions: &'static [ReferentialAction],
    /// Index methods accepted in `@@index(type: …)`.
    pub index_algorithms: &'static [IndexAlgorithm],
    /// `sort:` on index fields.
    pub supports_index_sort: bool,
    /// `length:` on index fields (MySQL only in Prisma).
    pub supports_index_length: bool,
    /// `clustered:` on keys and indexes (SQL Server only in Prisma).
    pub supports_clustering: bool,
    /// Operator classes (`ops:`) on index fields.
    pub supports_operator_classes: bool,
    /// `map:` on `@default` (SQL Server only in Prisma).
    pub supports_named_defaults: bool,
    /// `extensions = [...]` in the datasource (with the `postgresqlExtensions` preview).
    pub supports_extensions: bool,
    /// Composite `type` blocks (MongoDB only in Prisma).
    pub supports_composite_types: bool,
    /// Whether the `(A, B)` constraint of implicit m-n tables is a primary key (else a unique
    /// index).
    pub implicit_m2m_primary_key: bool,
    /// Namespaces in which constraint names must be unique.
    pub constraint_scopes: &'static [ConstraintScope],
    /// Native types accepted after the datasource prefix.
    pub native_types: &'static [NativeTypeSpec],
}

impl Provider {
    /// The description for a `provider = "…"` string.
    pub fn from_name(name: &str) -> Option<&'static Provider> {
        [&POSTGRES, &SQLITE]
            .into_iter()
            .find(|p| p.aliases.contains(&name))
    }

    /// The description of a provider.
    pub fn of(kind: ProviderKind) -> &'static Provider {
        match kind {
            ProviderKind::Postgres => &POSTGRES,
            ProviderKind::Sqlite => &SQLITE,
        }
    }

    /// A native type by name.
    pub fn native_type(&self, name: &str) -> Option<&'static NativeTypeSpec> {
        self.native_types.iter().find(|t| t.name == name)
    }

    /// Prisma's primary key name: `<table>_pkey`, the table name cut to fit the identifier
    /// length limit.
    pub fn primary_key_name(&self, table: &str) -> String {
        let limit = self.max_identifier_length.saturating_sub(5);
        format!("{}_pkey", truncate(table, limit))
    }

    /// Prisma's unique index name: `<table>_<col1>_<col2>_key`, cut to fit.
    pub fn unique_index_name(&self, table: &str, columns: &[&str]) -> String {
        self.index_name_with_suffix(table, columns, "_key")
    }

    /// Prisma's index name: `<table>_<col1>_<col2>_idx`, cut to fit.
    pub fn index_name(&self, table: &str, columns: &[&str]) -> String {
        self.index_name_with_suffix(table, columns, "_idx")
    }

    /// Prisma's foreign key name: `<table>_<col1>_<col2>_fkey` (the referencing table and
    /// columns), cut to fit.
    pub fn foreign_key_name(&self, table: &str, columns: &[&str]) -> String {
        let joined = format!("{table}_{}", columns.join("_"));
        let limit = self.max_identifier_length.saturating_sub(5);
        format!("{}_fkey", truncate(&joined, limit))
    }

    /// Prisma's default constraint name: `<table>_<column>_df` (SQL Server only in Prisma).
    pub fn default_constraint_name(&self, table: &str, column: &str) -> String {
        let joined = format!("{table}_{column}");
        let limit = self.max_identifier_length.saturating_sub(3);
        format!("{}_df", truncate(&joined, limit))
    }

    fn index_name_with_suffix(&self, table: &str, columns: &[&str], suffix: &str) -> String {
        let joined = format!("{table}_{}", columns.join("_"));
        let limit = self.max_identifier_length.saturating_sub(suffix.len());
        format!("{}{suffix}", truncate(&joined, limit))
    }

    /// Whether the database can enforce this referential action.
    pub fn supports_referential_action(&self, action: ReferentialAction) -> bool {
        self.referential_actions.contains(&action)
    }
}

/// Prisma cuts a name that is `limit` bytes or longer to `limit` bytes (on a character
/// boundary) before adding a suffix.
fn truncate(name: &str, limit: usize) -> &str {
    if name.len() < limit {
        return name;
    }
    let mut end = limit.min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

use ScalarType as S;

const fn nt(
    name: &'static str,
    required_args: usize,
    optional_args: usize,
    scalar_types: &'static [ScalarType],
) -> NativeTypeSpec {
    NativeTypeSpec {
        name,
        required_args,
        optional_args,
        scalar_types,
    }
}

/// PostgreSQL.
pub static POSTGRES: Provider = POSTGRES_CAPABILITIES;

/// PostgreSQL's description, as a constant other descriptions can start from.
pub(crate) const POSTGRES_CAPABILITIES: Provider = Provider {
    kind: ProviderKind::Postgres,
    name: "postgresql",
    aliases: &["postgresql", "postgres"],
    max_identifier_length: 63,
    supports_scalar_lists: true,
    supports_enums: true,
    supports_multi_schema: true,
    supports_autoincrement_on_non_id: true,
    supports_multiple_autoincrement: true,
    referential_actions: &ReferentialAction::ALL,
    index_algorithms: &IndexAlgorithm::ALL,
    supports_index_sort: true,
    supports_index_length: false,
    supports_clustering: false,
    supports_operator_classes: true,
    supports_named_defaults: false,
    supports_extensions: true,
    supports_composite_types: false,
    implicit_m2m_primary_key: true,
    constraint_scopes: &[
        ConstraintScope::GlobalPrimaryKeyKeyIndex,
        ConstraintScope::ModelPrimaryKeyKeyIndexForeignKey,
    ],
    native_types: &[
        nt("SmallInt", 0, 0, &[S::Int]),
        nt("Integer", 0, 0, &[S::Int]),
        nt("BigInt", 0, 0, &[S::BigInt]),
        nt("Decimal", 0, 2, &[S::Decimal]),
        nt("Money", 0, 0, &[S::Decimal]),
        nt("Inet", 0, 0, &[S::String]),
        nt("Oid", 0, 0, &[S::Int]),
        nt("Citext", 0, 0, &[S::String]),
        nt("Real", 0, 0, &[S::Float]),
        nt("DoublePrecision", 0, 0, &[S::Float]),
        nt("VarChar", 0, 1, &[S::String]),
        nt("Char", 0, 1, &[S::String]),
        nt("Text", 0, 0, &[S::String]),
        nt("ByteA", 0, 0, &[S::Bytes]),
        nt("Timestamp", 0, 1, &[S::DateTime]),
        nt("Timestamptz", 0, 1, &[S::DateTime]),
        nt("Date", 0, 0, &[S::DateTime]),
        nt("Time", 0, 1, &[S::DateTime]),
        nt("Timetz", 0, 1, &[S::DateTime]),
        nt("Boolean", 0, 0, &[S::Boolean]),
        nt("Bit", 0, 1, &[S::String]),
        nt("VarBit", 0, 1, &[S::String]),
        nt("Uuid", 0, 0, &[S::String]),
        nt("Xml", 0, 0, &[S::String]),
        nt("Json", 0, 0, &[S::Json]),
        nt("JsonB", 0, 0, &[S::Json]),
    ],
};

/// SQLite.
pub static SQLITE: Provider = Provider {
    kind: ProviderKind::Sqlite,
    name: "sqlite",
    aliases: &["sqlite"],
    max_identifier_length: 10_000,
    supports_scalar_lists: false,
    supports_enums: false,
    supports_multi_schema: false,
    supports_autoincrement_on_non_id: false,
    supports_multiple_autoincrement: false,
    referential_actions: &[
        ReferentialAction::SetNull,
        ReferentialAction::SetDefault,
        ReferentialAction::Cascade,
        ReferentialAction::Restrict,
        ReferentialAction::NoAction,
    ],
    index_algorithms: &[IndexAlgorithm::BTree],
    supports_index_sort: true,
    supports_index_length: false,
    supports_clustering: false,
    supports_operator_classes: false,
    supports_named_defaults: false,
    supports_extensions: false,
    supports_composite_types: false,
    implicit_m2m_primary_key: false,
    constraint_scopes: &[ConstraintScope::GlobalKeyIndex],
    native_types: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_and_aliases() {
        assert_eq!(
            Provider::from_name("postgres").unwrap().kind,
            ProviderKind::Postgres
        );
        assert_eq!(
            Provider::from_name("postgresql").unwrap().kind,
            ProviderKind::Postgres
        );
        assert_eq!(
            Provider::from_name("sqlite").unwrap().kind,
            ProviderKind::Sqlite
        );
        assert!(Provider::from_name("mysql").is_none());
    }

    #[test]
    fn constraint_names_follow_prisma_and_fit_63_bytes() {
        let pg = &POSTGRES;
        assert_eq!(pg.primary_key_name("User"), "User_pkey");
        assert_eq!(
            pg.unique_index_name("accounts", &["email"]),
            "accounts_email_key"
        );
        assert_eq!(
            pg.index_name("Order", &["userId", "id"]),
            "Order_userId_id_idx"
        );
        assert_eq!(
            pg.foreign_key_name("Order", &["userId"]),
            "Order_userId_fkey"
        );
        let long = "a".repeat(70);
        let name = pg.unique_index_name(&long, &["b"]);
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_key"));
        assert_eq!(pg.primary_key_name(&long).len(), 63);
        // Exactly at the limit minus the suffix: Prisma cuts too (`>=`).
        let edge = "t".repeat(58);
        assert_eq!(pg.primary_key_name(&edge), format!("{edge}_pkey"));
        // Never splits a character.
        let wide = "é".repeat(40);
        assert!(pg.foreign_key_name(&wide, &["x"]).len() <= 63);
    }
}
