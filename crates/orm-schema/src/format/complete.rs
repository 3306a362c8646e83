//! Relation completion: what `prisma format` adds to relations written on one side only.
//!
//! For every 1-1 and 1-n relation, as the validator's relation pass infers them:
//!
//! - a missing back-relation field on the referenced model (`posts Post[]`, or `post Post?`
//!   for 1-1), named after the referencing model in camelCase, plural for lists;
//! - a missing forward relation field on the referencing model, with its `@relation`;
//! - the scalar fields holding the foreign key when the forward field has no `fields:`
//!   (`authorId Int?`, named after the referenced model and its key field, with the key's type
//!   and native type);
//! - a missing `@relation(fields: […], references: […])` on the forward field, or its missing
//!   `fields:`/`references:` arguments.
//!
//! `references` name the referenced model's first unique criterion without optional fields
//! (its primary key, else a unique constraint). Like Prisma, nothing is added unless the
//! schema's names, types, attributes and relations resolve without error: completion only
//! runs on a schema it can read completely.
//!
//! The additions are text insertions into the sources; the caller formats the result, which
//! puts each addition in its place in the layout.

use super::inflect::{camel_case, plural};
use crate::ast::{FieldArity, SchemaAst};
use crate::diagnostics::Diagnostics;
use crate::span::FileId;
use crate::validate::{
    self, Db, FieldData, FieldTy, IndexKind, ModelData, RelationData, RelationShape,
};

/// Text to insert into a file at a byte offset.
pub(super) struct Insertion {
    pub file: FileId,
    pub at: usize,
    pub text: String,
}

/// What relation completion adds to the files `asts` (parsed from `sources`, file `i` with
/// `FileId(i)`), sorted by file and offset; insertions at the same offset keep their order.
pub(super) fn insertions(asts: &[SchemaAst], sources: &[&str]) -> Vec<Insertion> {
    let merged = SchemaAst {
        tops: asts
            .iter()
            .flat_map(|ast| ast.tops.iter().cloned())
            .collect(),
        comments: Vec::new(),
    };
    let mut diagnostics = Diagnostics::new();
    let db = validate::database(&merged, &mut diagnostics);
    if diagnostics.has_errors() {
        return Vec::new();
    }
    let relations: Vec<Inline<'_, '_>> = db
        .relations
        .iter()
        .filter(|r| matches!(r.shape, RelationShape::OneToOne | RelationShape::OneToMany))
        .map(|relation| Inline {
            db: &db,
            relation,
            sources,
        })
        .collect();
    let mut out = Vec::new();
    for relation in &relations {
        relation.missing_fields(&mut out);
    }
    for relation in &relations {
        relation.missing_attribute(&mut out);
    }
    for relation in &relations {
        relation.missing_arguments(&mut out);
    }
    out.sort_by_key(|insertion| (insertion.file, insertion.at));
    out
}

/// A 1-1 or 1-n relation: model A holds the foreign key (the forward field, `fields:`),
/// model B is referenced (the back-relation field).
struct Inline<'d, 'a> {
    db: &'d Db<'a>,
    relation: &'d RelationData<'a>,
    sources: &'d [&'d str],
}

/// A foreign-key field the relation needs, named `<referenced model><Key field>`.
struct Inferred<'d, 'a> {
    name: String,
    arity: FieldArity,
    /// The referenced key field it copies its type from.
    key: &'d FieldData<'a>,
}

impl<'d, 'a> Inline<'d, 'a> {
    fn referencing(&self) -> &'d ModelData<'a> {
        &self.db.models[self.relation.model_a]
    }

    fn referenced(&self) -> &'d ModelData<'a> {
        &self.db.models[self.relation.model_b]
    }

    fn forward(&self) -> Option<&'d FieldData<'a>> {
        self.relation.field_a.map(|f| &self.referencing().fields[f])
    }

    fn source(&self, file: FileId) -> &'d str {
        self.sources.get(file.0 as usize).copied().unwrap_or("")
    }

    /// Just before the closing brace of `model`.
    fn at_end(model: &ModelData<'_>, text: String) -> Insertion {
        Insertion {
            file: model.ast.span.file,
            at: model.ast.span.end_usize().saturating_sub(1),
            text,
        }
    }

    /// The referenced model's unique criteria, primary key first, as field indices.
    fn unique_criteria(&self) -> impl Iterator<Item = Vec<usize>> + 'd {
        let model = self.referenced();
        let primary_key = model
            .primary_key
            .iter()
            .map(|pk| pk.fields.iter().map(|f| f.field).collect());
        let uniques = model
            .indexes
            .iter()
            .filter(|index| index.kind == IndexKind::Unique)
            .map(|index| index.fields.iter().map(|f| f.field).collect());
        primary_key.chain(uniques)
    }

    /// The foreign-key fields the relation needs, from the referenced model's first unique
    /// criterion; an existing field of that name gives its arity.
    fn inferred_fields(&self) -> Vec<Inferred<'d, 'a>> {
        let referenced = self.referenced();
        let Some(criterion) = self.unique_criteria().next() else {
            return Vec::new();
        };
        let prefix = lower_first(referenced.name());
        criterion
            .into_iter()
            .map(|f| {
                let key = &referenced.fields[f];
                let name = format!("{prefix}{}", upper_first(key.name()));
                let arity = match self.scalar_field(&name) {
                    Some(existing) => existing.arity(),
                    None => self
                        .forward()
                        .map_or(FieldArity::Optional, FieldData::arity),
                };
                Inferred { name, arity, key }
            })
            .collect()
    }

    fn scalar_field(&self, name: &str) -> Option<&'d FieldData<'a>> {
        self.referencing()
            .fields
            .iter()
            .find(|f| f.is_scalar() && f.name() == name)
    }

    /// `fields: [postId]`.
    fn fields_argument(&self) -> String {
        let names: Vec<String> = self.inferred_fields().into_iter().map(|f| f.name).collect();
        format!("fields: [{}]", names.join(", "))
    }

    /// `references: [id]`: the forward field's own, else the referenced model's first unique
    /// criterion without optional or `Unsupported` fields.
    fn references_argument(&self) -> String {
        let referenced = self.referenced();
        let fields = match self.forward().and_then(|f| f.relation.references.clone()) {
            Some(fields) => fields,
            None => self
                .unique_criteria()
                .find(|criterion| {
                    criterion.iter().all(|&f| {
                        let field = &referenced.fields[f];
                        field.arity() != FieldArity::Optional && field.ty != FieldTy::Unsupported
                    })
                })
                .unwrap_or_default(),
        };
        let names: Vec<&str> = fields
            .iter()
            .map(|&f| referenced.fields[f].name())
            .collect();
        format!("references: [{}]", names.join(", "))
    }

    /// The arity of the forward field, or of the one to add.
    fn forward_arity(&self) -> FieldArity {
        match self.forward() {
            Some(field) => field.arity(),
            None if self
                .inferred_fields()
                .iter()
                .any(|f| f.arity == FieldArity::Optional) =>
            {
                FieldArity::Optional
            }
            None => FieldArity::Required,
        }
    }

    fn missing_fields(&self, out: &mut Vec<Insertion>) {
        let referencing = self.referencing();
        let referenced = self.referenced();
        if self.relation.field_b.is_none() {
            let model = referencing.name();
            let (name, arity) = if self.relation.shape == RelationShape::OneToOne {
                (camel_case(model), "?")
            } else {
                (plural(&camel_case(model)), "[]")
            };
            let ignore = if referencing.is_ignored {
                "@ignore"
            } else {
                ""
            };
            out.push(Self::at_end(
                referenced,
                format!("{name} {model}{arity} {ignore}\n"),
            ));
        }
        if self.relation.field_a.is_none() {
            let model = referenced.name();
            let arity = self.forward_arity().suffix();
            let name = camel_case(model);
            out.push(Self::at_end(
                referencing,
                format!(
                    "{name} {model}{arity} @relation({}, {})\n",
                    self.fields_argument(),
                    self.references_argument()
                ),
            ));
        }
        if self.forward().is_some_and(|f| f.relation.fields.is_some()) {
            return;
        }
        for field in self.inferred_fields() {
            if self.scalar_field(&field.name).is_some() {
                continue;
            }
            let FieldTy::Scalar(scalar) = field.key.ty else {
                break;
            };
            let native = field.key.native_type.as_ref().map_or("", |native| {
                native
                    .attribute
                    .span
                    .text(self.source(native.attribute.span.file))
            });
            out.push(Self::at_end(
                referencing,
                format!(
                    "{} {}{} {native}\n",
                    field.name,
                    scalar.as_str(),
                    field.arity.suffix()
                ),
            ));
        }
    }

    /// `@relation(fields: […], references: […])` on a forward field without one.
    fn missing_attribute(&self, out: &mut Vec<Insertion>) {
        let Some(forward) = self.forward() else {
            return;
        };
        if forward.relation.attribute.is_some() {
            return;
        }
        let span = forward.ast.field_type.span();
        let source = self.source(span.file);
        let type_end = span.end_usize();
        let suffix = source.get(type_end..).map_or(0, |rest| {
            rest.len() - rest.trim_start_matches(['[', ']', '?', '!']).len()
        });
        out.push(Insertion {
            file: span.file,
            at: type_end + suffix,
            text: format!(
                " @relation({}, {})",
                self.fields_argument(),
                self.references_argument()
            ),
        });
    }

    /// The `fields:` or `references:` argument a forward field's `@relation` lacks.
    fn missing_arguments(&self, out: &mut Vec<Insertion>) {
        let Some(forward) = self.forward() else {
            return;
        };
        let Some(attribute) = forward.relation.attribute else {
            return;
        };
        let mut extra = Vec::new();
        if forward.relation.fields.is_none() {
            extra.push(self.fields_argument());
        }
        if forward.relation.references.is_none() {
            extra.push(self.references_argument());
        }
        if extra.is_empty() {
            return;
        }
        let extra = extra.join(", ");
        let span = attribute.span;
        let end = span.end_usize();
        let args = &attribute.arguments;
        let has_arguments = !args.arguments.is_empty() || !args.empty_arguments.is_empty();
        let closes = self.source(span.file).as_bytes().get(end.wrapping_sub(1)) == Some(&b')');
        let (at, text) = match (has_arguments, closes) {
            (true, _) => (end.saturating_sub(1), format!(", {extra}")),
            (false, true) => (end.saturating_sub(1), extra),
            (false, false) => (end, format!("({extra})")),
        };
        out.push(Insertion {
            file: span.file,
            at,
            text,
        });
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
