//! What the engine needs to know about the schema, precomputed once per client.
//!
//! Built from the schema IR when the client starts ([`SchemaMeta::from_schema`]), so that
//! building a statement reads plain vectors by index: table and column names (borrowed from
//! the `'static` schema), scalar types, defaults, unique constraints and, per relation field,
//! how the two tables link (foreign key on this side, on the other side, or an implicit m-n
//! join table).

use crate::engine::ids::{FieldId, ModelId};
use crate::error::{Error, Result};
use crate::query::{Expr, Name, Table};
use crate::value::Kind;

/// The engine's view of a whole schema.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaMeta {
    /// The models, indexed by [`ModelId`].
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
}

/// A unique constraint (or the primary key).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalarType {
    /// The value type.
    pub kind: Kind,
    /// For enums: the enum's database type name (cast to on PostgreSQL).
    pub enum_db_name: Option<&'static str>,
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
    /// The model with this id.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the id is not one of this schema's.
    pub fn model(&self, id: ModelId) -> Result<&ModelMeta> {
        usize::try_from(id.0)
            .ok()
            .and_then(|i| self.models.get(i))
            .ok_or_else(|| Error::InvalidQuery {
                model: format!("#{}", id.0),
                field: None,
                message: "no such model in the schema".to_owned(),
            })
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
                format!("field #{} belongs to another model", field.index),
            ))
        }
    }

    /// The scalar field `field`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] when the field is not a scalar field of this model.
    pub fn scalar(&self, field: FieldId) -> Result<&ScalarMeta> {
        self.check_model(field)?;
        self.scalar_at(field.index)
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
        match self.field_at(field.index)? {
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
