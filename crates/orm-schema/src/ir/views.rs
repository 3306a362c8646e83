//! Read-only views: an id plus the schema, dereferencing to the data.

use super::*;
use std::ops::Deref;

impl Schema {
    /// The provider description (identifier limits, capabilities, native types); `None` for
    /// a schema without a datasource.
    pub fn provider(&self) -> Option<&'static Provider> {
        self.provider
    }

    /// The datasource block, if there is one.
    pub fn datasource(&self) -> Option<&Datasource> {
        self.datasource.as_ref()
    }

    /// The generator blocks.
    pub fn generators(&self) -> &[Generator] {
        &self.generators
    }

    /// Every model and view, in source order.
    pub fn models(&self) -> impl ExactSizeIterator<Item = ModelRef<'_>> + '_ {
        (0..self.models.len()).map(move |i| self.model(ModelId(to_u32(i))))
    }

    /// A model by id.
    ///
    /// # Panics
    ///
    /// When the id comes from another schema and is out of range.
    pub fn model(&self, id: ModelId) -> ModelRef<'_> {
        ModelRef {
            schema: self,
            id,
            model: &self.models[id.index()],
        }
    }

    /// A model or view by its schema name.
    pub fn model_by_name(&self, name: &str) -> Option<ModelRef<'_>> {
        self.models().find(|m| m.name == name)
    }

    /// Every enum, in source order.
    pub fn enums(&self) -> impl ExactSizeIterator<Item = EnumRef<'_>> + '_ {
        (0..self.enums.len()).map(move |i| self.enum_(EnumId(to_u32(i))))
    }

    /// An enum by id.
    ///
    /// # Panics
    ///
    /// When the id comes from another schema and is out of range.
    pub fn enum_(&self, id: EnumId) -> EnumRef<'_> {
        EnumRef {
            schema: self,
            id,
            enum_: &self.enums[id.index()],
        }
    }

    /// An enum by its schema name.
    pub fn enum_by_name(&self, name: &str) -> Option<EnumRef<'_>> {
        self.enums().find(|e| e.name == name)
    }

    /// Every relation.
    pub fn relations(&self) -> impl ExactSizeIterator<Item = RelationRef<'_>> + '_ {
        (0..self.relations.len()).map(move |i| self.relation(RelationId(to_u32(i))))
    }

    /// A relation by id.
    ///
    /// # Panics
    ///
    /// When the id comes from another schema and is out of range.
    pub fn relation(&self, id: RelationId) -> RelationRef<'_> {
        RelationRef {
            schema: self,
            id,
            relation: &self.relations[id.index()],
        }
    }

    /// A field by id.
    ///
    /// # Panics
    ///
    /// When the id comes from another schema and is out of range.
    pub fn field(&self, id: FieldId) -> FieldRef<'_> {
        FieldRef {
            schema: self,
            id,
            field: &self.models[id.model.index()].fields[id.index()],
        }
    }

    /// The implicit many-to-many join tables.
    pub fn join_tables(&self) -> impl Iterator<Item = (RelationRef<'_>, &JoinTable)> + '_ {
        self.relations()
            .filter_map(|r| r.relation.join_table.as_ref().map(|t| (r, t)))
    }
}

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

macro_rules! view {
    ($(#[$doc:meta])* $name:ident, $field:ident: $target:ty, $id:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            schema: &'a Schema,
            id: $id,
            $field: &'a $target,
        }

        impl<'a> $name<'a> {
            /// The id.
            pub fn id(self) -> $id {
                self.id
            }

            /// The schema this belongs to.
            pub fn schema(self) -> &'a Schema {
                self.schema
            }

            /// The plain data, with the view's lifetime.
            pub fn data(self) -> &'a $target {
                self.$field
            }
        }

        impl Deref for $name<'_> {
            type Target = $target;

            fn deref(&self) -> &Self::Target {
                self.$field
            }
        }

        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.schema, other.schema) && self.id == other.id
            }
        }
    };
}

view!(
    /// A model or view of a [`Schema`].
    ModelRef, model: Model, ModelId
);
view!(
    /// A field (scalar or relation) of a model.
    FieldRef, field: Field, FieldId
);
view!(
    /// An enum of a [`Schema`].
    EnumRef, enum_: Enum, EnumId
);
view!(
    /// A relation of a [`Schema`].
    RelationRef, relation: Relation, RelationId
);

impl<'a> ModelRef<'a> {
    /// Every field, in source order.
    pub fn fields(self) -> impl ExactSizeIterator<Item = FieldRef<'a>> + 'a {
        let schema = self.schema;
        let model = self.id;
        (0..self.model.fields.len()).map(move |i| {
            schema.field(FieldId {
                model,
                index: to_u32(i),
            })
        })
    }

    /// The scalar fields, in source order.
    pub fn scalar_fields(self) -> impl Iterator<Item = ScalarFieldRef<'a>> + 'a {
        self.fields().filter_map(FieldRef::as_scalar)
    }

    /// The relation fields, in source order.
    pub fn relation_fields(self) -> impl Iterator<Item = RelationFieldRef<'a>> + 'a {
        self.fields().filter_map(FieldRef::as_relation)
    }

    /// A field by its schema name.
    pub fn field(self, name: &str) -> Option<FieldRef<'a>> {
        self.fields().find(|f| f.field.name == name)
    }

    /// A scalar field by its schema name.
    pub fn scalar_field(self, name: &str) -> Option<ScalarFieldRef<'a>> {
        self.field(name).and_then(FieldRef::as_scalar)
    }

    /// A relation field by its schema name.
    pub fn relation_field(self, name: &str) -> Option<RelationFieldRef<'a>> {
        self.field(name).and_then(FieldRef::as_relation)
    }

    /// The primary key.
    pub fn primary_key(self) -> Option<&'a PrimaryKey> {
        self.model.primary_key.as_ref()
    }

    /// The fields of the primary key, in key order.
    pub fn primary_key_fields(self) -> impl Iterator<Item = ScalarFieldRef<'a>> + 'a {
        let schema = self.schema;
        self.model
            .primary_key
            .iter()
            .flat_map(|pk| pk.fields.iter())
            .filter_map(move |f| schema.field(f.field).as_scalar())
    }

    /// The relations this model takes part in (as model A or B).
    pub fn relations(self) -> impl Iterator<Item = RelationRef<'a>> + 'a {
        let id = self.id;
        self.schema
            .relations()
            .filter(move |r| r.model_a == id || r.model_b == id)
    }

    /// The foreign keys held by this model's table.
    pub fn foreign_keys(self) -> impl Iterator<Item = (RelationRef<'a>, &'a ForeignKey)> + 'a {
        let id = self.id;
        self.schema.relations().filter_map(move |r| {
            let relation = r.relation;
            relation
                .foreign_key
                .as_ref()
                .filter(|fk| fk.model == id)
                .map(|fk| (r, fk))
        })
    }
}

impl<'a> FieldRef<'a> {
    /// The model the field belongs to.
    pub fn model(self) -> ModelRef<'a> {
        self.schema.model(self.id.model)
    }

    /// A scalar view, if this is a scalar field.
    pub fn as_scalar(self) -> Option<ScalarFieldRef<'a>> {
        match &self.field.kind {
            FieldKind::Scalar(scalar) => Some(ScalarFieldRef {
                field: self,
                scalar,
            }),
            FieldKind::Relation(_) => None,
        }
    }

    /// A relation view, if this is a relation field.
    pub fn as_relation(self) -> Option<RelationFieldRef<'a>> {
        match &self.field.kind {
            FieldKind::Relation(relation) => Some(RelationFieldRef {
                field: self,
                relation,
            }),
            FieldKind::Scalar(_) => None,
        }
    }
}

/// A scalar field of a model. Dereferences to [`ScalarField`]; the common [`Field`] data is
/// in [`ScalarFieldRef::field`].
#[derive(Debug, Clone, Copy)]
pub struct ScalarFieldRef<'a> {
    field: FieldRef<'a>,
    scalar: &'a ScalarField,
}

impl<'a> ScalarFieldRef<'a> {
    /// The id.
    pub fn id(self) -> FieldId {
        self.field.id
    }

    /// The field as a general field view (name, arity, docs).
    pub fn field(self) -> FieldRef<'a> {
        self.field
    }

    /// The field's schema name.
    pub fn name(self) -> &'a str {
        &self.field.field.name
    }

    /// The column name.
    pub fn db_name(self) -> &'a str {
        &self.scalar.db_name
    }

    /// Required, optional or list.
    pub fn arity(self) -> Arity {
        self.field.field.arity
    }

    /// The model the field belongs to.
    pub fn model(self) -> ModelRef<'a> {
        self.field.model()
    }

    /// The enum, if the field's type is one.
    pub fn enum_type(self) -> Option<EnumRef<'a>> {
        self.scalar
            .field_type
            .as_enum()
            .map(|e| self.field.schema.enum_(e))
    }

    /// Whether the field is part of the model's primary key.
    pub fn is_in_primary_key(self) -> bool {
        self.model()
            .primary_key()
            .is_some_and(|pk| pk.fields.iter().any(|f| f.field == self.field.id))
    }

    /// Whether the field is `@default(autoincrement())`.
    pub fn is_autoincrement(self) -> bool {
        matches!(
            self.scalar.default.as_ref().map(|d| &d.kind),
            Some(DefaultKind::Autoincrement)
        )
    }
}

impl Deref for ScalarFieldRef<'_> {
    type Target = ScalarField;

    fn deref(&self) -> &Self::Target {
        self.scalar
    }
}

/// A relation field of a model. Dereferences to [`RelationField`].
#[derive(Debug, Clone, Copy)]
pub struct RelationFieldRef<'a> {
    field: FieldRef<'a>,
    relation: &'a RelationField,
}

impl<'a> RelationFieldRef<'a> {
    /// The id.
    pub fn id(self) -> FieldId {
        self.field.id
    }

    /// The field as a general field view (name, arity, docs).
    pub fn field(self) -> FieldRef<'a> {
        self.field
    }

    /// The field's schema name.
    pub fn name(self) -> &'a str {
        &self.field.field.name
    }

    /// Required, optional or list.
    pub fn arity(self) -> Arity {
        self.field.field.arity
    }

    /// The model the field belongs to.
    pub fn model(self) -> ModelRef<'a> {
        self.field.model()
    }

    /// The model on the other side.
    pub fn target(self) -> ModelRef<'a> {
        self.field.schema.model(self.relation.target)
    }

    /// The relation.
    pub fn relation(self) -> RelationRef<'a> {
        self.field.schema.relation(self.relation.relation)
    }

    /// The relation field on the other side.
    pub fn opposite(self) -> RelationFieldRef<'a> {
        let relation = self.relation();
        let other = if relation.field_a == self.field.id {
            relation.field_b
        } else {
            relation.field_a
        };
        self.field.schema.field(other).as_relation().unwrap_or(self)
    }

    /// The effective `(onDelete, onUpdate)` of the relation, whichever side this is: the
    /// foreign key's for 1-1 and 1-n (Prisma's defaults resolved), `Cascade` for both on the
    /// join table of an implicit m-n relation.
    pub fn referential_actions(self) -> (ReferentialAction, ReferentialAction) {
        match &self.relation().foreign_key {
            Some(fk) => (fk.on_delete, fk.on_update),
            None => (ReferentialAction::Cascade, ReferentialAction::Cascade),
        }
    }

    /// For an implicit m-n relation: the join table column holding this field's record, and
    /// the one holding the related records. Reading `post.tags` is
    /// `SELECT <other> FROM <table> WHERE <this> = post.id`.
    pub fn join_columns(self) -> Option<(&'a JoinTable, &'a JoinColumn, &'a JoinColumn)> {
        let relation = self.relation();
        let relation = relation.data();
        let table = relation.join_table.as_ref()?;
        if relation.field_a == self.field.id {
            Some((table, &table.column_a, &table.column_b))
        } else {
            Some((table, &table.column_b, &table.column_a))
        }
    }

    /// Whether this side holds the foreign key (`fields:` and `references:`).
    pub fn holds_foreign_key(self) -> bool {
        self.relation()
            .foreign_key
            .as_ref()
            .is_some_and(|fk| fk.relation_field == self.field.id)
    }
}

impl Deref for RelationFieldRef<'_> {
    type Target = RelationField;

    fn deref(&self) -> &Self::Target {
        self.relation
    }
}

impl<'a> RelationRef<'a> {
    /// Model A (see [`Relation::model_a`]).
    pub fn model_a(self) -> ModelRef<'a> {
        self.schema.model(self.relation.model_a)
    }

    /// Model B.
    pub fn model_b(self) -> ModelRef<'a> {
        self.schema.model(self.relation.model_b)
    }

    /// The relation field on model A.
    pub fn field_a(self) -> FieldRef<'a> {
        self.schema.field(self.relation.field_a)
    }

    /// The relation field on model B.
    pub fn field_b(self) -> FieldRef<'a> {
        self.schema.field(self.relation.field_b)
    }
}

impl<'a> EnumRef<'a> {
    /// A value by its schema name.
    pub fn value(self, name: &str) -> Option<&'a EnumValue> {
        self.enum_.values.iter().find(|v| v.name == name)
    }
}
