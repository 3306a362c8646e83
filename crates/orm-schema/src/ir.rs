//! The resolved schema: what the code generator, the migration engine and the query engine read.
//!
//! A [`Schema`] only exists for a valid schema file. Everything is resolved and explicit:
//! database names after `@map`/`@@map`, Prisma's default constraint names, both sides of every
//! relation, the effective referential actions, the implicit many-to-many join tables.
//!
//! Items are addressed by ids ([`ModelId`], [`FieldId`], [`EnumId`], [`RelationId`]) and read
//! through small views ([`ModelRef`], [`FieldRef`], [`ScalarFieldRef`], [`RelationFieldRef`],
//! [`RelationRef`], [`EnumRef`]) that know their schema, so navigation never clones or searches
//! by string. Views dereference to the plain data structs, whose fields are public.
//!
//! ```
//! let schema = orm_schema::parse_and_validate(
//!     r#"
//!     datasource db {
//!       provider = "postgresql"
//!     }
//!     model User {
//!       id     Int     @id @default(autoincrement())
//!       email  String  @unique
//!       orders Order[]
//!     }
//!     model Order {
//!       id     Int  @id
//!       userId Int
//!       user   User @relation(fields: [userId], references: [id])
//!     }
//!     "#,
//!     "schema.prisma",
//! )
//! .unwrap();
//! let user = schema.model_by_name("User").unwrap();
//! assert_eq!(user.primary_key().unwrap().constraint_name, "User_pkey");
//! assert_eq!(user.unique_constraints[0].constraint_name, "User_email_key");
//! let order = schema.model_by_name("Order").unwrap();
//! let relation = order.relation_field("user").unwrap().relation();
//! assert_eq!(relation.name, "OrderToUser");
//! let fk = relation.foreign_key.as_ref().unwrap();
//! assert_eq!(fk.constraint_name, "Order_userId_fkey");
//! assert_eq!(fk.on_delete, orm_schema::ir::ReferentialAction::Restrict);
//! ```

mod views;

pub use views::*;

pub use crate::provider::{Provider, ProviderKind};
use crate::span::Span;

/// A resolved, valid schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub(crate) datasource: Option<Datasource>,
    pub(crate) generators: Vec<Generator>,
    pub(crate) models: Vec<Model>,
    pub(crate) enums: Vec<Enum>,
    pub(crate) relations: Vec<Relation>,
    pub(crate) provider: Option<&'static Provider>,
}

/// Identifies a model or view of a [`Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(pub(crate) u32);

/// Identifies a field: the model and the field's position in it (source order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId {
    /// The model the field belongs to.
    pub model: ModelId,
    pub(crate) index: u32,
}

/// Identifies an enum of a [`Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub(crate) u32);

/// Identifies a relation of a [`Schema`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationId(pub(crate) u32);

macro_rules! id_index {
    ($($t:ty),*) => {$(
        impl $t {
            /// The position in its list, for indexing side tables.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
id_index!(ModelId, EnumId, RelationId);

macro_rules! id_new {
    ($($t:ident: $what:literal),*) => {$(
        impl $t {
            #[doc = concat!("The id of the ", $what, " at position `index` of its list (source order), for")]
            /// code generated from this schema that names ids in constants. An id only means
            /// something for the schema it was taken from.
            pub const fn new(index: u32) -> $t {
                $t(index)
            }
        }
    )*};
}
id_new!(ModelId: "model", EnumId: "enum", RelationId: "relation");

impl FieldId {
    /// The id of field number `index` (source order) of `model`, for code generated from this
    /// schema that names ids in constants. An id only means something for the schema it was
    /// taken from.
    pub const fn new(model: ModelId, index: u32) -> FieldId {
        FieldId { model, index }
    }

    /// The field's position in its model (source order).
    pub fn index(self) -> usize {
        self.index as usize
    }
}

/// A `model` or `view`.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The name in the schema (`User`).
    pub name: String,
    /// The table (or view) name: `@@map` or the name.
    pub db_name: String,
    /// `@@schema("…")` (PostgreSQL multi-schema).
    pub schema: Option<String>,
    /// The `///` doc comment.
    pub documentation: Option<String>,
    /// Declared with `view`.
    pub is_view: bool,
    /// `@@ignore`.
    pub is_ignored: bool,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// `@id` or `@@id`.
    pub primary_key: Option<PrimaryKey>,
    /// `@unique` and `@@unique`, in source order (field attributes first, as Prisma lists them).
    pub unique_constraints: Vec<UniqueConstraint>,
    /// `@@index`, in source order.
    pub indexes: Vec<Index>,
    /// The whole block in the source.
    pub span: Span,
}

/// A field of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name in the schema.
    pub name: String,
    /// Required, optional or list.
    pub arity: Arity,
    /// The `///` doc comment.
    pub documentation: Option<String>,
    /// `@ignore`.
    pub is_ignored: bool,
    /// Scalar or relation, with what is specific to each.
    pub kind: FieldKind,
    /// The field's line in the source.
    pub span: Span,
}

impl Field {
    /// The scalar part, if this is a scalar field.
    pub fn as_scalar(&self) -> Option<&ScalarField> {
        match &self.kind {
            FieldKind::Scalar(s) => Some(s),
            FieldKind::Relation(_) => None,
        }
    }

    /// The relation part, if this is a relation field.
    pub fn as_relation(&self) -> Option<&RelationField> {
        match &self.kind {
            FieldKind::Relation(r) => Some(r),
            FieldKind::Scalar(_) => None,
        }
    }
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arity {
    /// Exactly one (`NOT NULL`).
    Required,
    /// Zero or one (`?`, nullable).
    Optional,
    /// Any number (`[]`).
    List,
}

impl Arity {
    /// `Required`.
    pub fn is_required(self) -> bool {
        self == Arity::Required
    }
    /// `Optional`.
    pub fn is_optional(self) -> bool {
        self == Arity::Optional
    }
    /// `List`.
    pub fn is_list(self) -> bool {
        self == Arity::List
    }
}

/// What is specific to scalar and relation fields.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// A column.
    Scalar(ScalarField),
    /// A link to another model (no column of its own).
    Relation(RelationField),
}

/// A scalar field: a column.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarField {
    /// The column name: `@map` or the field name.
    pub db_name: String,
    /// Scalar type, enum or `Unsupported("…")`.
    pub field_type: ScalarFieldType,
    /// `@default(…)`.
    pub default: Option<DefaultValue>,
    /// `@db.X(args)`.
    pub native_type: Option<NativeType>,
    /// Carries `@id` itself (single-field primary key).
    pub is_id: bool,
    /// Carries `@unique` itself.
    pub is_unique: bool,
    /// `@updatedAt`.
    pub is_updated_at: bool,
}

/// The type of a scalar field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScalarFieldType {
    /// A built-in scalar type.
    Scalar(ScalarType),
    /// An enum of the schema.
    Enum(EnumId),
    /// `Unsupported("…")`: the database type as written.
    Unsupported(String),
}

impl ScalarFieldType {
    /// The built-in scalar type, if it is one.
    pub fn as_scalar(&self) -> Option<ScalarType> {
        match self {
            ScalarFieldType::Scalar(s) => Some(*s),
            _ => None,
        }
    }

    /// The enum, if it is one.
    pub fn as_enum(&self) -> Option<EnumId> {
        match self {
            ScalarFieldType::Enum(e) => Some(*e),
            _ => None,
        }
    }
}

/// Prisma's built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `String`
    String,
    /// `Boolean`
    Boolean,
    /// `Int` (32-bit)
    Int,
    /// `BigInt` (64-bit)
    BigInt,
    /// `Float` (double precision)
    Float,
    /// `Decimal`
    Decimal,
    /// `DateTime`
    DateTime,
    /// `Json`
    Json,
    /// `Bytes`
    Bytes,
}

impl ScalarType {
    /// Every scalar type, in Prisma's documentation order.
    pub const ALL: [ScalarType; 9] = [
        ScalarType::String,
        ScalarType::Boolean,
        ScalarType::Int,
        ScalarType::BigInt,
        ScalarType::Float,
        ScalarType::Decimal,
        ScalarType::DateTime,
        ScalarType::Json,
        ScalarType::Bytes,
    ];

    /// The name in the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "String",
            ScalarType::Boolean => "Boolean",
            ScalarType::Int => "Int",
            ScalarType::BigInt => "BigInt",
            ScalarType::Float => "Float",
            ScalarType::Decimal => "Decimal",
            ScalarType::DateTime => "DateTime",
            ScalarType::Json => "Json",
            ScalarType::Bytes => "Bytes",
        }
    }

    /// Parses a type name as written in the schema.
    pub fn from_name(name: &str) -> Option<ScalarType> {
        ScalarType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// `@default(…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultValue {
    /// The value or function.
    pub kind: DefaultKind,
    /// `map:`: the name of the default constraint (SQL Server only in Prisma; kept for
    /// completeness).
    pub constraint_name: Option<String>,
    /// The attribute in the source.
    pub span: Span,
}

/// What a default is.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultKind {
    /// A constant.
    Value(DefaultLiteral),
    /// `autoincrement()`: a database sequence.
    Autoincrement,
    /// `now()`: the current time (set by the client).
    Now,
    /// `cuid()`/`cuid(1)` or `cuid(2)`: generated by the client.
    Cuid(CuidVersion),
    /// `uuid()`/`uuid(4)` or `uuid(7)`: generated by the client.
    Uuid(UuidVersion),
    /// `nanoid()` (21 characters) or `nanoid(n)`: generated by the client.
    Nanoid(Option<u8>),
    /// `ulid()`: generated by the client.
    Ulid,
    /// `dbgenerated("…")`: a database expression (or `dbgenerated()`: some database default).
    DbGenerated(Option<String>),
}

/// `cuid()` versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CuidVersion {
    /// `cuid()` or `cuid(1)`.
    V1,
    /// `cuid(2)`.
    V2,
}

/// `uuid()` versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UuidVersion {
    /// `uuid()` or `uuid(4)`.
    V4,
    /// `uuid(7)`.
    V7,
}

/// A constant default value, typed by the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultLiteral {
    /// `String`: the unescaped text.
    String(String),
    /// `Boolean`.
    Boolean(bool),
    /// `Int`.
    Int(i64),
    /// `BigInt`.
    BigInt(i64),
    /// `Float`.
    Float(f64),
    /// `Decimal`: the number as written.
    Decimal(String),
    /// `DateTime`: the RFC 3339 text as written.
    DateTime(String),
    /// `Json`: the JSON text as written.
    Json(String),
    /// `Bytes`: the base64 text as written.
    Bytes(String),
    /// An enum value, by its name in the schema.
    Enum(String),
    /// A list default for a list field.
    List(Vec<DefaultLiteral>),
}

/// `@db.X(args)`: a database type chosen explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeType {
    /// The type name without prefix (`VarChar`).
    pub name: String,
    /// The arguments as written (`["200"]`).
    pub args: Vec<String>,
    /// The attribute in the source.
    pub span: Span,
}

/// A relation field: one side of a [`Relation`].
#[derive(Debug, Clone, PartialEq)]
pub struct RelationField {
    /// The model on the other side.
    pub target: ModelId,
    /// The relation this field is a side of.
    pub relation: RelationId,
    /// The name given in `@relation("…")` or `@relation(name: "…")`.
    pub explicit_name: Option<String>,
    /// `fields: […]`: scalar fields of this model holding the foreign key (empty on the side
    /// without `fields`).
    pub fields: Vec<FieldId>,
    /// `references: […]`: fields of the target model (empty on the side without them).
    pub references: Vec<FieldId>,
    /// `onDelete:` as written.
    pub on_delete: Option<ReferentialAction>,
    /// `onUpdate:` as written.
    pub on_update: Option<ReferentialAction>,
    /// `map:`: the foreign key's constraint name as written.
    pub mapped_name: Option<String>,
}

/// What the database does to referencing rows when the referenced row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferentialAction {
    /// Delete or update the referencing rows too.
    Cascade,
    /// Refuse the change while rows reference it (checked immediately).
    Restrict,
    /// Refuse the change (checked at the end of the statement or transaction).
    NoAction,
    /// Set the referencing columns to NULL.
    SetNull,
    /// Set the referencing columns to their defaults.
    SetDefault,
}

impl ReferentialAction {
    /// Every action.
    pub const ALL: [ReferentialAction; 5] = [
        ReferentialAction::Cascade,
        ReferentialAction::Restrict,
        ReferentialAction::NoAction,
        ReferentialAction::SetNull,
        ReferentialAction::SetDefault,
    ];

    /// The name in the schema (`Cascade`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "Cascade",
            ReferentialAction::Restrict => "Restrict",
            ReferentialAction::NoAction => "NoAction",
            ReferentialAction::SetNull => "SetNull",
            ReferentialAction::SetDefault => "SetDefault",
        }
    }

    /// Parses the name in the schema.
    pub fn from_name(name: &str) -> Option<ReferentialAction> {
        ReferentialAction::ALL
            .into_iter()
            .find(|a| a.as_str() == name)
    }

    /// The SQL spelling (`CASCADE`, `SET NULL`, …).
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A relation between two models, with both sides resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// The relation's name: explicit, or Prisma's generated `AToB` (model names sorted).
    pub name: String,
    /// One-to-one, one-to-many or implicit many-to-many.
    pub kind: RelationKind,
    /// Model A: for 1-1 and 1-n the model holding the foreign key; for m-n the model whose
    /// name sorts first.
    pub model_a: ModelId,
    /// Model B: the other model (the same one for self-relations).
    pub model_b: ModelId,
    /// The relation field on model A.
    pub field_a: FieldId,
    /// The relation field on model B.
    pub field_b: FieldId,
    /// For 1-1 and 1-n: the foreign key on model A.
    pub foreign_key: Option<ForeignKey>,
    /// For implicit m-n: the join table.
    pub join_table: Option<JoinTable>,
}

impl Relation {
    /// Whether both sides are on the same model.
    pub fn is_self_relation(&self) -> bool {
        self.model_a == self.model_b
    }
}

/// The shape of a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// Each side has at most one record of the other (`User?` / `Profile`).
    OneToOne,
    /// One record of model B has many of model A (`Order.user` / `User.orders[]`).
    OneToMany,
    /// Lists on both sides, stored in an implicit join table `_AToB`.
    ManyToMany,
}

/// The foreign key of a 1-1 or 1-n relation.
///
/// With `relationMode = "prisma"` ([`Datasource::relation_mode`]) the database gets no foreign
/// key constraint; the actions are then emulated by the client.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    /// The referencing model (model A of the relation).
    pub model: ModelId,
    /// The relation field carrying `@relation(fields: …, references: …)`.
    pub relation_field: FieldId,
    /// The referencing scalar fields (columns of the referencing table).
    pub fields: Vec<FieldId>,
    /// The referenced model.
    pub referenced_model: ModelId,
    /// The referenced fields (unique in the referenced model).
    pub references: Vec<FieldId>,
    /// The effective `ON DELETE` action: as written, else `SetNull` when a referencing field
    /// is optional and `Restrict` when they are required (Prisma's defaults).
    pub on_delete: ReferentialAction,
    /// Whether `onDelete:` was written.
    pub on_delete_is_explicit: bool,
    /// The effective `ON UPDATE` action: as written, else `Cascade`.
    pub on_update: ReferentialAction,
    /// Whether `onUpdate:` was written.
    pub on_update_is_explicit: bool,
    /// The constraint name: `map:` or `<table>_<columns>_fkey`.
    pub constraint_name: String,
}

/// The join table of an implicit many-to-many relation.
///
/// Column `A` holds the id of the record owning [`Relation::field_a`], column `B` the id of
/// the record owning [`Relation::field_b`] (for self-relations, the field whose name sorts
/// first is `field_a`). [`RelationFieldRef::join_columns`] picks them for a field.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinTable {
    /// `_<RelationName>`, e.g. `_CategoryToPost`.
    pub name: String,
    /// The database schema (that of model A), if the datasource uses several.
    pub schema: Option<String>,
    /// Column `A`, referencing model A's id.
    pub column_a: JoinColumn,
    /// Column `B`, referencing model B's id.
    pub column_b: JoinColumn,
    /// The name of the `(A, B)` constraint: `_X_AB_pkey` (a primary key, PostgreSQL) or
    /// `_X_AB_unique` (a unique index, SQLite).
    pub ab_constraint_name: String,
    /// Whether the `(A, B)` constraint is a primary key (else a unique index).
    pub ab_is_primary_key: bool,
    /// The name of the index on `B`: `_X_B_index`.
    pub b_index_name: String,
}

/// A column of an implicit many-to-many join table.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinColumn {
    /// `A` or `B`.
    pub name: String,
    /// The model it references.
    pub model: ModelId,
    /// The referenced id field of that model.
    pub references: FieldId,
    /// The foreign key's name: `_X_A_fkey` / `_X_B_fkey` (both `ON DELETE CASCADE ON UPDATE
    /// CASCADE`).
    pub foreign_key_name: String,
}

/// A field of a key or index, with its per-field arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexField {
    /// The scalar field.
    pub field: FieldId,
    /// `sort: Asc|Desc`, when written.
    pub sort: Option<SortOrder>,
    /// `length: n`, when written.
    pub length: Option<u32>,
    /// `ops: X` (PostgreSQL operator class), when written.
    pub ops: Option<OperatorClass>,
}

/// A PostgreSQL operator class on an index field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OperatorClass {
    /// One of Prisma's names (`JsonbPathOps`, `InetOps`, `TextBloomOps`, …).
    Named(String),
    /// `raw("…")`: the SQL name as written.
    Raw(String),
}

/// Index sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl SortOrder {
    /// `Asc` or `Desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "Asc",
            SortOrder::Desc => "Desc",
        }
    }
}

/// A primary key.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKey {
    /// The key's fields, in order.
    pub fields: Vec<IndexField>,
    /// `name:` as written (compound ids only).
    pub name: Option<String>,
    /// The name the client API uses: the field name for `@id`; `name:` or the field names
    /// joined with `_` for `@@id`.
    pub client_name: String,
    /// `map:` as written.
    pub mapped_name: Option<String>,
    /// The constraint name: `map:` or `<table>_pkey`.
    pub constraint_name: String,
    /// Declared with `@id` on a field (else `@@id`).
    pub is_field_level: bool,
    /// The attribute in the source.
    pub span: Span,
}

/// A unique constraint (`@unique` or `@@unique`); in the database a unique index.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueConstraint {
    /// The fields, in order.
    pub fields: Vec<IndexField>,
    /// `name:` as written (`@@unique` only).
    pub name: Option<String>,
    /// The name the client API uses: the field name for `@unique`; `name:` or the field names
    /// joined with `_` for `@@unique` (`authorId_slug`).
    pub client_name: String,
    /// `map:` as written.
    pub mapped_name: Option<String>,
    /// The index name: `map:` or `<table>_<columns>_key`.
    pub constraint_name: String,
    /// Declared with `@unique` on a field (else `@@unique`).
    pub is_field_level: bool,
    /// The attribute in the source.
    pub span: Span,
}

/// A non-unique index (`@@index`).
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// The fields, in order.
    pub fields: Vec<IndexField>,
    /// `type:` (PostgreSQL index method); `BTree` when not written.
    pub algorithm: IndexAlgorithm,
    /// `map:` (or the older `name:`) as written.
    pub mapped_name: Option<String>,
    /// The index name: `map:` or `<table>_<columns>_idx`.
    pub constraint_name: String,
    /// The attribute in the source.
    pub span: Span,
}

/// An index method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IndexAlgorithm {
    /// B-tree (the default).
    #[default]
    BTree,
    /// Hash.
    Hash,
    /// GiST.
    Gist,
    /// GIN.
    Gin,
    /// SP-GiST.
    SpGist,
    /// BRIN.
    Brin,
}

impl IndexAlgorithm {
    /// Every method.
    pub const ALL: [IndexAlgorithm; 6] = [
        IndexAlgorithm::BTree,
        IndexAlgorithm::Hash,
        IndexAlgorithm::Gist,
        IndexAlgorithm::Gin,
        IndexAlgorithm::SpGist,
        IndexAlgorithm::Brin,
    ];

    /// The name in the schema (`Gin`).
    pub fn as_str(self) -> &'static str {
        match self {
            IndexAlgorithm::BTree => "BTree",
            IndexAlgorithm::Hash => "Hash",
            IndexAlgorithm::Gist => "Gist",
            IndexAlgorithm::Gin => "Gin",
            IndexAlgorithm::SpGist => "SpGist",
            IndexAlgorithm::Brin => "Brin",
        }
    }

    /// The PostgreSQL `USING` method (`gin`).
    pub fn as_sql(self) -> &'static str {
        match self {
            IndexAlgorithm::BTree => "btree",
            IndexAlgorithm::Hash => "hash",
            IndexAlgorithm::Gist => "gist",
            IndexAlgorithm::Gin => "gin",
            IndexAlgorithm::SpGist => "spgist",
            IndexAlgorithm::Brin => "brin",
        }
    }

    /// Parses the name in the schema.
    pub fn from_name(name: &str) -> Option<IndexAlgorithm> {
        IndexAlgorithm::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// An `enum`.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The name in the schema.
    pub name: String,
    /// The database type name: `@@map` or the name.
    pub db_name: String,
    /// `@@schema("…")`.
    pub schema: Option<String>,
    /// The `///` doc comment.
    pub documentation: Option<String>,
    /// The values, in source order.
    pub values: Vec<EnumValue>,
    /// The whole block in the source.
    pub span: Span,
}

/// A value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The name in the schema (`ADMIN`).
    pub name: String,
    /// The value stored in the database: `@map` or the name.
    pub db_name: String,
    /// The `///` doc comment.
    pub documentation: Option<String>,
    /// The value's line in the source.
    pub span: Span,
}

/// The `datasource` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    /// The block's name (`db`); native type attributes use it as prefix (`@db.VarChar`).
    pub name: String,
    /// The provider as written (`postgresql`, `postgres`, `sqlite`).
    pub provider: String,
    /// The provider it resolves to.
    pub provider_kind: ProviderKind,
    /// `url` (Prisma 5/6 schemas); `None` in the Prisma 7 form.
    pub url: Option<ConfigValue>,
    /// `directUrl` (Prisma 5/6).
    pub direct_url: Option<ConfigValue>,
    /// `shadowDatabaseUrl` (Prisma 5/6).
    pub shadow_database_url: Option<ConfigValue>,
    /// `schemas = [...]` (PostgreSQL multi-schema).
    pub schemas: Vec<String>,
    /// `relationMode` (`foreignKeys` unless written).
    pub relation_mode: RelationMode,
    /// The block in the source.
    pub span: Span,
}

/// A string setting that can come from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    /// `"…"`.
    Literal(String),
    /// `env("NAME")`: read from the environment when needed, never during validation.
    Env(String),
}

/// How relations are enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelationMode {
    /// Database foreign keys (the default).
    #[default]
    ForeignKeys,
    /// Emulated by the client; no foreign keys in the database.
    Prisma,
}

/// A `generator` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    /// The block's name (`client`).
    pub name: String,
    /// `provider`.
    pub provider: ConfigValue,
    /// `output`.
    pub output: Option<ConfigValue>,
    /// `previewFeatures`.
    pub preview_features: Vec<String>,
    /// Every other property, as written (`binaryTargets`, custom keys), values as schema text.
    pub config: Vec<(String, String)>,
    /// The `///` doc comment.
    pub documentation: Option<String>,
    /// The block in the source.
    pub span: Span,
}
