//! What the engine needs to know about the schema, precomputed once per client.
//!
//! Built from the schema IR when the client starts ([`SchemaMeta::from_schema`]), so that
//! building a statement reads plain vectors by index: table and column names (borrowed from
//! the `'static` schema), scalar types, defaults, unique constraints and, per relation field,
//! how the two tables link (foreign key on this side, on the other side, or an implicit m-n
//! join table).

use orm_schema::Schema;
use orm_schema::ir::{
    self, Arity, CuidVersion, DefaultKind, EnumValue, FieldKind, ScalarFieldType, UuidVersion,
};

use crate::engine::ids::{FieldId, ModelId};
use crate::error::{Error, Result};
use crate::query::{Expr, Name, Table};
use crate::value::Kind;

/// The engine's view of a whole schema.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaMeta {
    /// The models, indexed by [`ModelId`] (the IR's model ids).
    pub models: Vec<ModelMeta>,
}

/// A model: its table, fields and unique constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelMeta {
    /// The model's id.
    pub id: ModelId,
    /// The model's name in the schema (for errors).
    pub name: &'static str,
    /// The table's database name.
    pub table: &'static str,
    /// The table's database schema (`@@schema`).
    pub db_schema: Option<&'static str>,
    /// The fields, indexed by [`FieldId::index`].
    pub fields: Vec<FieldMeta>,
    /// The primary key's fields (field indexes), empty when there is none.
    pub primary_key: Vec<u32>,
    /// The unique constraints (the primary key first, when there is one).
    pub uniques: Vec<UniqueMeta>,
    /// The foreign keys this model's table holds (to name the fields of a violated one).
    pub foreign_keys: Vec<UniqueMeta>,
}

/// A unique constraint (or the primary key, or a foreign key): its fields and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct UniqueMeta {
    /// Its fields (field indexes), in order.
    pub fields: Vec<u32>,
    /// The constraint (or index) name in the database.
    pub constraint: &'static str,
}

/// A field of a model.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldMeta {
    /// A column.
    Scalar(ScalarMeta),
    /// A relation to another model.
    Relation(RelationMeta),
}

/// The type of a scalar field as the engine binds and reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScalarType {
    /// The value type.
    pub kind: Kind,
    /// For enums: the enum's database type name (cast to on PostgreSQL).
    pub enum_db_name: Option<&'static str>,
    /// For enums: the values; a [`Value::Enum`](crate::Value::Enum) carries a value's
    /// database name (`@map`).
    pub enum_values: &'static [EnumValue],
}

impl ScalarType {
    /// A built-in type (not an enum).
    pub const fn of(kind: Kind) -> ScalarType {
        ScalarType {
            kind,
            enum_db_name: None,
            enum_values: &[],
        }
    }
}

/// A scalar field.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarMeta {
    /// The field's name in the schema.
    pub name: &'static str,
    /// The column's name.
    pub column: &'static str,
    /// The field's type.
    pub ty: ScalarType,
    /// Whether the field may be null.
    pub optional: bool,
    /// Whether the field is a scalar list.
    pub list: bool,
    /// How a create fills the field when the data leaves it out.
    pub default: DefaultMeta,
    /// `@updatedAt`.
    pub updated_at: bool,
    /// `@ignore` or an `Unsupported("…")` type: not part of the client's API. The engine
    /// neither reads nor writes it, and rejects queries that name it.
    pub hidden: bool,
    /// The native type's name without arguments (`VarChar` for `@db.VarChar(200)`); `None`
    /// for the provider's default type of the field's type.
    pub native_type: Option<&'static str>,
}

/// How a create fills a scalar field it was not given.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultMeta {
    /// No default: required fields must be given, optional ones become null.
    None,
    /// The database fills it (`autoincrement()`, `dbgenerated()`, a database default);
    /// read back with `RETURNING`.
    Database,
    /// A constant.
    Value(crate::value::Value),
    /// `now()` (also `@updatedAt`), computed by the client at millisecond precision.
    Now,
    /// `cuid()`.
    Cuid1,
    /// `cuid(2)`.
    Cuid2,
    /// `uuid()` / `uuid(4)`.
    Uuid4,
    /// `uuid(7)`.
    Uuid7,
    /// `nanoid(n)` (21 when not given).
    Nanoid(u8),
    /// `ulid()`.
    Ulid,
}

/// A relation field.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationMeta {
    /// The field's name in the schema.
    pub name: &'static str,
    /// The relation's name (`Authored`, or Prisma's generated `AccountToPost`).
    pub relation: &'static str,
    /// The model on the other side.
    pub target: ModelId,
    /// Whether the field is a list (to-many).
    pub list: bool,
    /// Whether a to-one field may be absent.
    pub optional: bool,
    /// How the two tables link.
    pub link: Link,
}

/// How the table of a relation field's model links to the target's table.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// This model holds the foreign key: `this.fields` reference `target.references`.
    Forward {
        /// Foreign-key fields of this model (field indexes).
        fields: Vec<u32>,
        /// Referenced fields of the target (field indexes).
        references: Vec<u32>,
    },
    /// The target holds the foreign key: `target.fields` reference `this.references`.
    Back {
        /// Foreign-key fields of the target (field indexes).
        fields: Vec<u32>,
        /// Referenced fields of this model (field indexes).
        references: Vec<u32>,
    },
    /// An implicit many-to-many join table.
    Join {
        /// The join table's name.
        table: &'static str,
        /// Its database schema.
        db_schema: Option<&'static str>,
        /// The column referencing this model's id (`A` or `B`).
        this_column: &'static str,
        /// The column referencing the target's id.
        other_column: &'static str,
        /// This model's id field.
        this_key: u32,
        /// The target's id field.
        target_key: u32,
    },
}

/// How a relation's parent rows and child rows are matched: columns of the parent (the model
/// of the relation field) equal to columns of the child (the target), pairwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyPair<'a> {
    /// Fields of the parent model.
    pub parent: &'a [u32],
    /// Fields of the child model.
    pub child: &'a [u32],
}

impl SchemaMeta {
    /// The engine's view of `schema`, computed once when a client starts: every model of the
    /// IR (ids stay the IR's), table and column names after `@map`/`@@map`, types, defaults,
    /// keys and constraint names, and how each relation links its tables.
    ///
    /// Literal `@default(…)` values, `autoincrement()` and `dbgenerated(…)` are left to the
    /// database (the tables Prisma and `orm_core::migrate` create carry them); `now()`,
    /// `cuid()`, `uuid()`, `nanoid()`, `ulid()` and `@updatedAt` are computed by the client.
    pub fn from_schema(schema: &'static Schema) -> SchemaMeta {
        SchemaMeta {
            models: schema.models().map(model_meta).collect(),
        }
    }

    /// The model with this id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the id is not one of this schema's.
    pub fn model(&self, id: ModelId) -> Result<&ModelMeta> {
        self.models
            .get(id.index())
            .ok_or_else(|| Error::InvalidQuery {
                model: format!("#{}", id.index()),
                field: None,
                message: "no such model in the schema".to_owned(),
            })
    }
}

/// A field's position as the engine's tables index it.
pub(crate) fn position(field: FieldId) -> u32 {
    u32::try_from(field.index()).unwrap_or(u32::MAX)
}

/// A field position from an index into [`ModelMeta::fields`].
pub(crate) fn position_of(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn positions(fields: impl IntoIterator<Item = FieldId>) -> Vec<u32> {
    fields.into_iter().map(position).collect()
}

fn model_meta(model: ir::ModelRef<'static>) -> ModelMeta {
    let data = model.data();
    let primary_key = data
        .primary_key
        .as_ref()
        .map(|pk| positions(pk.fields.iter().map(|f| f.field)))
        .unwrap_or_default();
    let mut uniques = Vec::with_capacity(data.unique_constraints.len() + 1);
    if let Some(pk) = &data.primary_key {
        uniques.push(UniqueMeta {
            fields: primary_key.clone(),
            constraint: &pk.constraint_name,
        });
    }
    uniques.extend(data.unique_constraints.iter().map(|u| UniqueMeta {
        fields: positions(u.fields.iter().map(|f| f.field)),
        constraint: &u.constraint_name,
    }));
    let foreign_keys = model
        .foreign_keys()
        .map(|(_, fk)| UniqueMeta {
            fields: positions(fk.fields.iter().copied()),
            constraint: &fk.constraint_name,
        })
        .collect();
    ModelMeta {
        id: model.id(),
        name: &data.name,
        table: &data.db_name,
        db_schema: data.schema.as_deref(),
        fields: model.fields().map(field_meta).collect(),
        primary_key,
        uniques,
        foreign_keys,
    }
}

fn field_meta(field: ir::FieldRef<'static>) -> FieldMeta {
    let schema = field.schema();
    let data = field.data();
    match &data.kind {
        FieldKind::Scalar(scalar) => {
            let (ty, unsupported) = match &scalar.field_type {
                ScalarFieldType::Scalar(t) => (ScalarType::of(kind_of(*t)), false),
                ScalarFieldType::Enum(id) => {
                    let e = schema.enum_(*id).data();
                    let ty = ScalarType {
                        kind: Kind::Enum,
                        enum_db_name: Some(&e.db_name),
                        enum_values: &e.values,
                    };
                    (ty, false)
                }
                ScalarFieldType::Unsupported(_) => (ScalarType::of(Kind::String), true),
            };
            FieldMeta::Scalar(ScalarMeta {
                name: &data.name,
                column: &scalar.db_name,
                ty,
                optional: data.arity == Arity::Optional,
                list: data.arity == Arity::List,
                default: scalar
                    .default
                    .as_ref()
                    .map_or(DefaultMeta::None, |d| default_meta(&d.kind)),
                updated_at: scalar.is_updated_at,
                hidden: unsupported || data.is_ignored,
                native_type: scalar.native_type.as_ref().map(|n| n.name.as_str()),
            })
        }
        FieldKind::Relation(relation_field) => {
            let rel = schema.relation(relation_field.relation).data();
            let link = if let Some(join) = &rel.join_table {
                // Side A is the field on model A (for a self-relation, `field_a`).
                let (this, other) = if rel.field_a == field.id() {
                    (&join.column_a, &join.column_b)
                } else {
                    (&join.column_b, &join.column_a)
                };
                Link::Join {
                    table: &join.name,
                    db_schema: join.schema.as_deref(),
                    this_column: &this.name,
                    other_column: &other.name,
                    this_key: position(this.references),
                    target_key: position(other.references),
                }
            } else if let Some(fk) = &rel.foreign_key {
                let fields = positions(fk.fields.iter().copied());
                let references = positions(fk.references.iter().copied());
                if fk.relation_field == field.id() {
                    Link::Forward { fields, references }
                } else {
                    Link::Back { fields, references }
                }
            } else {
                // A valid schema's relations have a foreign key or a join table; one without
                // would link nothing (filters through it match nothing, includes are empty).
                Link::Back {
                    fields: Vec::new(),
                    references: Vec::new(),
                }
            };
            FieldMeta::Relation(RelationMeta {
                name: &data.name,
                relation: &rel.name,
                target: relation_field.target,
                list: data.arity == Arity::List,
                optional: data.arity == Arity::Optional,
                link,
            })
        }
    }
}

fn kind_of(t: ir::ScalarType) -> Kind {
    match t {
        ir::ScalarType::String => Kind::String,
        ir::ScalarType::Boolean => Kind::Boolean,
        ir::ScalarType::Int => Kind::Int,
        ir::ScalarType::BigInt => Kind::BigInt,
        ir::ScalarType::Float => Kind::Float,
        ir::ScalarType::Decimal => Kind::Decimal,
        ir::ScalarType::DateTime => Kind::DateTime,
        ir::ScalarType::Json => Kind::Json,
        ir::ScalarType::Bytes => Kind::Bytes,
    }
}

fn default_meta(kind: &DefaultKind) -> DefaultMeta {
    match kind {
        DefaultKind::Value(_) | DefaultKind::Autoincrement | DefaultKind::DbGenerated(_) => {
            DefaultMeta::Database
        }
        DefaultKind::Now => DefaultMeta::Now,
        DefaultKind::Cuid(CuidVersion::V1) => DefaultMeta::Cuid1,
        DefaultKind::Cuid(CuidVersion::V2) => DefaultMeta::Cuid2,
        DefaultKind::Uuid(UuidVersion::V4) => DefaultMeta::Uuid4,
        DefaultKind::Uuid(UuidVersion::V7) => DefaultMeta::Uuid7,
        DefaultKind::Nanoid(n) => DefaultMeta::Nanoid(n.unwrap_or(21)),
        DefaultKind::Ulid => DefaultMeta::Ulid,
    }
}

impl ModelMeta {
    /// The table, under `alias`.
    pub fn table(&self, alias: Option<Name>) -> Table {
        Table {
            schema: self.db_schema.map(Name::Borrowed),
            name: Name::Borrowed(self.table),
            alias,
        }
    }

    /// An error about this model (and a field of it).
    pub fn invalid(&self, field: Option<&str>, message: impl Into<String>) -> Error {
        Error::InvalidQuery {
            model: self.name.to_owned(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    fn field_at(&self, index: u32) -> Result<&FieldMeta> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.fields.get(i))
            .ok_or_else(|| self.invalid(None, format!("no field #{index} on this model")))
    }

    fn check_model(&self, field: FieldId) -> Result<()> {
        if field.model == self.id {
            Ok(())
        } else {
            Err(self.invalid(
                None,
                format!("field #{} belongs to another model", field.index()),
            ))
        }
    }

    /// The scalar field `field`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the field is not a scalar field of this model, or is
    /// hidden from the client (`@ignore`, `Unsupported`).
    pub fn scalar(&self, field: FieldId) -> Result<&ScalarMeta> {
        self.check_model(field)?;
        let scalar = self.scalar_at(position(field))?;
        if scalar.hidden {
            return Err(self.invalid(Some(scalar.name), "the field is not part of the client"));
        }
        Ok(scalar)
    }

    /// The scalar field at position `index`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the position holds no scalar field.
    pub fn scalar_at(&self, index: u32) -> Result<&ScalarMeta> {
        match self.field_at(index)? {
            FieldMeta::Scalar(s) => Ok(s),
            FieldMeta::Relation(r) => Err(self.invalid(Some(r.name), "expected a scalar field")),
        }
    }

    /// The relation field `field`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the field is not a relation field of this model.
    pub fn relation(&self, field: FieldId) -> Result<&RelationMeta> {
        self.check_model(field)?;
        match self.field_at(position(field))? {
            FieldMeta::Relation(r) => Ok(r),
            FieldMeta::Scalar(s) => Err(self.invalid(Some(s.name), "expected a relation field")),
        }
    }

    /// The column of the scalar field at `index`, qualified by `alias`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the position holds no scalar field.
    pub fn column(&self, alias: &Name, index: u32) -> Result<Expr> {
        Ok(Expr::column(alias.clone(), self.scalar_at(index)?.column))
    }

    /// Every scalar field (field indexes), in schema order.
    pub fn scalar_indexes(&self) -> impl Iterator<Item = u32> + '_ {
        self.fields.iter().enumerate().filter_map(|(i, f)| match f {
            FieldMeta::Scalar(_) => u32::try_from(i).ok(),
            FieldMeta::Relation(_) => None,
        })
    }

    /// The fields that identify a record: the primary key, else the first unique constraint.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for a model without either (Prisma requires one).
    pub fn identifier(&self) -> Result<&[u32]> {
        if !self.primary_key.is_empty() {
            return Ok(&self.primary_key);
        }
        self.uniques
            .first()
            .map(|u| u.fields.as_slice())
            .ok_or_else(|| self.invalid(None, "the model has no id or unique constraint"))
    }

    /// The unique constraint named `constraint` in the database.
    pub fn unique_by_constraint(&self, constraint: &str) -> Option<&UniqueMeta> {
        self.uniques.iter().find(|u| u.constraint == constraint)
    }
}

impl RelationMeta {
    /// For a foreign-key relation, the parent's and child's key fields; `None` for m-n.
    pub fn key_pair(&self) -> Option<KeyPair<'_>> {
        match &self.link {
            Link::Forward { fields, references } => Some(KeyPair {
                parent: fields,
                child: references,
            }),
            Link::Back { fields, references } => Some(KeyPair {
                parent: references,
                child: fields,
            }),
            Link::Join { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
        datasource db {
          provider = "postgresql"
        }
        enum Role {
          USER
          ADMIN @map("admin")
          @@map("account_role")
        }
        model Account {
          id        Int       @id @default(autoincrement())
          email     String    @unique @map("e_mail")
          role      Role      @default(USER)
          createdAt DateTime  @default(now())
          managerId Int?
          manager   Account?  @relation("Management", fields: [managerId], references: [id])
          reports   Account[] @relation("Management")
          posts     Post[]
          friends   Account[] @relation("Friends")
          friendOf  Account[] @relation("Friends")
          legacy    Unsupported("circle")?
          @@map("accounts")
        }
        model Post {
          id       String    @id @default(uuid(7))
          slug     String
          authorId Int
          author   Account   @relation(fields: [authorId], references: [id])
          tags     Tag[]
          @@unique([authorId, slug])
        }
        model Tag {
          id    Int    @id
          code  String @default(ulid())
          short String @default(nanoid(8))
          posts Post[]
        }
    "#;

    fn meta() -> SchemaMeta {
        let schema = orm_schema::parse_and_validate(SCHEMA, "schema.prisma").unwrap();
        SchemaMeta::from_schema(Box::leak(Box::new(schema)))
    }

    fn relation<'a>(model: &'a ModelMeta, name: &str) -> &'a RelationMeta {
        model
            .fields
            .iter()
            .find_map(|f| match f {
                FieldMeta::Relation(r) if r.name == name => Some(r),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn names_types_and_defaults_come_from_the_ir() {
        let meta = meta();
        let account = meta.model(ModelId::new(0)).unwrap();
        assert_eq!((account.name, account.table), ("Account", "accounts"));
        let email = account.scalar(FieldId::new(account.id, 1)).unwrap();
        assert_eq!((email.name, email.column), ("email", "e_mail"));
        let role = account.scalar(FieldId::new(account.id, 2)).unwrap();
        assert_eq!(role.ty.kind, Kind::Enum);
        assert_eq!(role.ty.enum_db_name, Some("account_role"));
        let values: Vec<&str> = role
            .ty
            .enum_values
            .iter()
            .map(|v| v.db_name.as_str())
            .collect();
        assert_eq!(values, ["USER", "admin"]);
        assert_eq!(role.default, DefaultMeta::Database);
        let id = account.scalar_at(0).unwrap();
        assert_eq!(id.default, DefaultMeta::Database);
        assert_eq!(account.scalar_at(3).unwrap().default, DefaultMeta::Now);
        assert_eq!(account.primary_key, [0]);
        let constraints: Vec<&str> = account.uniques.iter().map(|u| u.constraint).collect();
        assert_eq!(constraints, ["accounts_pkey", "accounts_e_mail_key"]);
        // `Unsupported` fields stay in place (ids are positions) but are not the client's.
        assert!(account.scalar_at(10).unwrap().hidden);
        assert!(account.scalar(FieldId::new(account.id, 10)).is_err());

        let post = meta.model(ModelId::new(1)).unwrap();
        assert_eq!(post.scalar_at(0).unwrap().default, DefaultMeta::Uuid7);
        assert_eq!(post.uniques[1].fields, [2, 1]);
        assert_eq!(post.uniques[1].constraint, "Post_authorId_slug_key");
        assert_eq!(post.foreign_keys[0].constraint, "Post_authorId_fkey");
        assert_eq!(post.foreign_keys[0].fields, [2]);

        let tag = meta.model(ModelId::new(2)).unwrap();
        assert_eq!(tag.scalar_at(1).unwrap().default, DefaultMeta::Ulid);
        assert_eq!(tag.scalar_at(2).unwrap().default, DefaultMeta::Nanoid(8));
    }

    #[test]
    fn relations_link_their_tables() {
        let meta = meta();
        let account = meta.model(ModelId::new(0)).unwrap();
        let post = meta.model(ModelId::new(1)).unwrap();
        let manager = relation(account, "manager");
        assert_eq!(
            manager.link,
            Link::Forward {
                fields: vec![4],
                references: vec![0]
            }
        );
        assert!(manager.optional && !manager.list);
        assert_eq!(manager.relation, "Management");
        assert_eq!(
            relation(account, "reports").link,
            Link::Back {
                fields: vec![4],
                references: vec![0]
            }
        );
        assert_eq!(
            relation(account, "posts").link,
            Link::Back {
                fields: vec![2],
                references: vec![0]
            }
        );
        assert_eq!(relation(post, "author").target, account.id);
        // Implicit m-n: `_PostToTag`, A = Post, B = Tag.
        let Link::Join {
            table,
            this_column,
            other_column,
            ..
        } = &relation(post, "tags").link
        else {
            panic!("expected a join table");
        };
        assert_eq!(
            (*table, *this_column, *other_column),
            ("_PostToTag", "A", "B")
        );
        // A self m-n relation: the two sides use opposite columns.
        let column = |name| match &relation(account, name).link {
            Link::Join { this_column, .. } => *this_column,
            other => panic!("expected a join table, got {other:?}"),
        };
        assert_ne!(column("friends"), column("friendOf"));
    }
}
