//! Validation: named passes in a fixed order, then the resolved [`Schema`](crate::ir::Schema).
//!
//! | pass | what it does | stops later passes when it fails |
//! | --- | --- | --- |
//! | [`names`] | top-level and field names, duplicates, reserved names | yes |
//! | [`types`] | resolves every field type to a scalar, enum, model or composite type | yes |
//! | [`attributes`] | reads and checks every attribute and its arguments | no |
//! | [`relations`] | pairs relation fields into relations and classifies them | no |
//! | [`config`] | reads the `datasource` and `generator` blocks | no |
//! | [`rules`] | everything that needs a fully resolved schema: keys, relations, defaults, native types, provider capabilities | runs only without earlier errors |
//!
//! This is Prisma's staging (`parser-database` then `psl-core`'s validation pipeline): name or
//! type errors stop everything after them, and the whole-schema rules only run on a schema
//! whose parsing, names, types, attributes and configuration were clean, so users are not
//! flooded with follow-up errors.

pub(crate) mod args;
pub(crate) mod attributes;
mod build;
pub(crate) mod config;
pub(crate) mod hash;
pub(crate) mod names;
pub(crate) mod relations;
pub(crate) mod rules;
pub(crate) mod types;

use crate::ast::{self, SchemaAst};
use crate::diagnostics::Diagnostics;
use crate::ir::{IndexAlgorithm, ReferentialAction, ScalarType, Schema, SortOrder};
use crate::span::Span;
use crate::validate::hash::FastMap as HashMap;

/// Runs every pass over a parsed schema. Returns the IR when no error was found.
pub(crate) fn validate(ast: &SchemaAst, diagnostics: &mut Diagnostics) -> Option<Schema> {
    let db = database(ast, diagnostics);
    let config = config::load(ast, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    rules::validate(&db, &config, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    Some(build::schema(&db, &config))
}

/// The passes of Prisma's `parser-database` stage: names, types, attributes, relations
/// (without the configuration blocks and the whole-schema rules). The formatter completes
/// relations on top of this stage, as `prisma format` does, when it found no error.
pub(crate) fn database<'a>(ast: &'a SchemaAst, diagnostics: &mut Diagnostics) -> Db<'a> {
    let mut db = Db::new(ast);
    // Syntax errors do not stop name and type resolution; errors of those passes do.
    let before = diagnostics.error_count();
    names::resolve(&mut db, diagnostics);
    if diagnostics.error_count() == before {
        types::resolve(&mut db, diagnostics);
        if diagnostics.error_count() == before {
            attributes::resolve(&mut db, diagnostics);
            relations::infer(&mut db);
        }
    }
    db
}

/// What the passes learn about the schema, indexed like the AST.
pub(crate) struct Db<'a> {
    pub ast: &'a SchemaAst,
    /// Top-level names of models, views, enums and composite types.
    pub tops: HashMap<&'a str, TopRef>,
    pub models: Vec<ModelData<'a>>,
    pub enums: Vec<EnumData<'a>>,
    pub composite_types: Vec<CompositeData<'a>>,
    pub relations: Vec<RelationData<'a>>,
    /// Whether the types pass ran (field types are meaningful).
    pub types_resolved: bool,
}

/// A resolved top-level item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TopRef {
    Model(usize),
    Enum(usize),
    CompositeType(usize),
}

pub(crate) struct ModelData<'a> {
    pub ast: &'a ast::Model,
    pub field_names: HashMap<&'a str, usize>,
    pub fields: Vec<FieldData<'a>>,
    pub mapped_name: Option<&'a str>,
    pub schema: Option<(&'a str, Span)>,
    pub is_ignored: bool,
    pub primary_key: Option<PrimaryKeyData<'a>>,
    /// `@shardKey`/`@@shardKey` (read to report them, not supported on SQL providers).
    pub shard_key: Option<ShardKeyData<'a>>,
    /// `@unique` (in field order), then `@@index`, `@@unique`, `@@fulltext` (as Prisma
    /// collects them).
    pub indexes: Vec<IndexData<'a>>,
}

impl<'a> ModelData<'a> {
    pub fn name(&self) -> &'a str {
        &self.ast.name.name
    }

    pub fn db_name(&self) -> &'a str {
        self.mapped_name.unwrap_or(&self.ast.name.name)
    }

    pub fn container(&self) -> &'static str {
        if self.ast.is_view { "view" } else { "model" }
    }

    pub fn field(&self, name: &str) -> Option<usize> {
        self.field_names.get(name).copied()
    }
}

pub(crate) struct FieldData<'a> {
    pub ast: &'a ast::Field,
    pub ty: FieldTy,
    pub mapped_name: Option<&'a str>,
    pub is_ignored: bool,
    pub is_updated_at: bool,
    pub default: Option<DefaultData<'a>>,
    pub native_type: Option<NativeTypeData<'a>>,
    /// For relation fields: what `@relation(…)` says.
    pub relation: RelationAttr<'a>,
}

impl<'a> FieldData<'a> {
    pub fn name(&self) -> &'a str {
        &self.ast.name.name
    }

    pub fn db_name(&self) -> &'a str {
        self.mapped_name.unwrap_or(&self.ast.name.name)
    }

    pub fn is_relation(&self) -> bool {
        matches!(self.ty, FieldTy::Model(_))
    }

    pub fn is_scalar(&self) -> bool {
        !self.is_relation()
    }

    pub fn arity(&self) -> ast::FieldArity {
        self.ast.arity
    }
}

/// A field's resolved type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldTy {
    Scalar(ScalarType),
    Enum(usize),
    CompositeType(usize),
    Unsupported,
    Model(usize),
    /// Before the types pass, or when the type did not resolve.
    Unknown,
}

#[derive(Default)]
pub(crate) struct RelationAttr<'a> {
    pub attribute: Option<&'a ast::Attribute>,
    pub name: Option<&'a str>,
    pub fields: Option<Vec<usize>>,
    pub fields_span: Option<Span>,
    pub references: Option<Vec<usize>>,
    pub on_delete: Option<(ReferentialAction, Span)>,
    pub on_update: Option<(ReferentialAction, Span)>,
    pub mapped_name: Option<&'a str>,
}

pub(crate) struct DefaultData<'a> {
    pub attribute: &'a ast::Attribute,
    pub value: &'a ast::Expression,
    pub mapped_name: Option<&'a str>,
}

pub(crate) struct NativeTypeData<'a> {
    pub attribute: &'a ast::Attribute,
    pub prefix: &'a str,
    pub name: &'a str,
    pub args: Vec<String>,
}

pub(crate) struct ShardKeyData<'a> {
    pub attribute: &'a ast::Attribute,
    /// The field carrying `@shardKey`, for field-level keys.
    pub source_field: Option<usize>,
}

pub(crate) struct PrimaryKeyData<'a> {
    pub attribute: &'a ast::Attribute,
    pub fields: Vec<IndexFieldData>,
    /// The field carrying `@id`, for field-level keys.
    pub source_field: Option<usize>,
    pub name: Option<&'a str>,
    pub mapped_name: Option<&'a str>,
    pub clustered: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Normal,
    Unique,
    Fulltext,
}

pub(crate) struct IndexData<'a> {
    pub attribute: &'a ast::Attribute,
    pub kind: IndexKind,
    pub fields: Vec<IndexFieldData>,
    /// The field carrying `@unique`, for field-level uniques.
    pub source_field: Option<usize>,
    pub name: Option<&'a str>,
    pub mapped_name: Option<&'a str>,
    pub algorithm: Option<IndexAlgorithm>,
    pub clustered: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexFieldData {
    /// The scalar field's index in its model.
    pub field: usize,
    pub sort: Option<SortOrder>,
    pub length: Option<u32>,
    pub ops: Option<crate::ir::OperatorClass>,
}

pub(crate) struct EnumData<'a> {
    pub ast: &'a ast::Enum,
    pub mapped_name: Option<&'a str>,
    pub value_mapped_names: Vec<Option<&'a str>>,
    pub schema: Option<(&'a str, Span)>,
}

impl<'a> EnumData<'a> {
    pub fn db_name(&self) -> &'a str {
        self.mapped_name.unwrap_or(&self.ast.name.name)
    }
}

pub(crate) struct CompositeData<'a> {
    pub ast: &'a ast::CompositeType,
    pub field_types: Vec<FieldTy>,
}

/// One relation, as Prisma's `parser-database` infers it (`relations.rs`).
pub(crate) struct RelationData<'a> {
    pub explicit_name: Option<&'a str>,
    pub shape: RelationShape,
    /// For 1-1 and 1-n: the model with the foreign key; for m-n: the model sorting first.
    pub model_a: usize,
    pub model_b: usize,
    pub field_a: Option<usize>,
    pub field_b: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelationShape {
    OneToOne,
    OneToMany,
    ImplicitManyToMany,
    /// Lists on both sides with `fields` (MongoDB); always an error here.
    TwoWayEmbeddedManyToMany,
}

impl<'a> RelationData<'a> {
    /// The relation name: explicit, or `AToB` with the model names sorted.
    pub fn name(&self, db: &Db<'a>) -> String {
        match self.explicit_name {
            Some(name) => name.to_owned(),
            None => generated_relation_name(
                db.models[self.model_a].name(),
                db.models[self.model_b].name(),
            ),
        }
    }
}

/// Prisma's default relation name: the two model names sorted and joined with `To`.
pub(crate) fn generated_relation_name(a: &str, b: &str) -> String {
    if a < b {
        format!("{a}To{b}")
    } else {
        format!("{b}To{a}")
    }
}

impl<'a> Db<'a> {
    fn new(ast: &'a SchemaAst) -> Db<'a> {
        let mut db = Db {
            ast,
            tops: HashMap::default(),
            models: Vec::new(),
            enums: Vec::new(),
            composite_types: Vec::new(),
            relations: Vec::new(),
            types_resolved: false,
        };
        for top in &ast.tops {
            match top {
                ast::Top::Model(m) => db.models.push(ModelData {
                    ast: m,
                    field_names: HashMap::default(),
                    fields: m
                        .fields
                        .iter()
                        .map(|f| FieldData {
                            ast: f,
                            ty: FieldTy::Unknown,
                            mapped_name: None,
                            is_ignored: false,
                            is_updated_at: false,
                            default: None,
                            native_type: None,
                            relation: RelationAttr::default(),
                        })
                        .collect(),
                    mapped_name: None,
                    schema: None,
                    is_ignored: false,
                    primary_key: None,
                    shard_key: None,
                    indexes: Vec::new(),
                }),
                ast::Top::Enum(e) => db.enums.push(EnumData {
                    ast: e,
                    mapped_name: None,
                    value_mapped_names: vec![None; e.values.len()],
                    schema: None,
                }),
                ast::Top::CompositeType(c) => db.composite_types.push(CompositeData {
                    ast: c,
                    field_types: vec![FieldTy::Unknown; c.fields.len()],
                }),
                ast::Top::Datasource(_) | ast::Top::Generator(_) => {}
            }
        }
        db
    }
}
