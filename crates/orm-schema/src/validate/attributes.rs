//! Pass 3, attributes: reads every attribute and its arguments into the [`Db`], checking what
//! can be checked on one item in isolation (Prisma's `parser-database/src/attributes.rs`).
//!
//! Attributes are visited in Prisma's order (relation fields of every model first, then per
//! model the scalar fields and the block attributes, then enums and composite types) so the
//! diagnostics come out in the same order.

pub(crate) mod default;

use super::args::{self, Args};
use super::{
    Db, FieldTy, IndexData, IndexFieldData, IndexKind, NativeTypeData, PrimaryKeyData, ShardKeyData,
};
use crate::ast::{self, Attribute, Expression};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{IndexAlgorithm, ReferentialAction, ScalarType, SortOrder};
use crate::span::Span;

pub(crate) use default::default_kind;

/// The attributes of one item, tracking which were handled.
struct AttrSet<'a> {
    attrs: &'a [Attribute],
    visited: Vec<bool>,
}

impl<'a> AttrSet<'a> {
    fn new(attrs: &'a [Attribute]) -> AttrSet<'a> {
        AttrSet {
            attrs,
            visited: vec![false; attrs.len()],
        }
    }

    /// The attribute `name` if it appears exactly once; every occurrence is an error when it
    /// appears more than once.
    fn single(&mut self, name: &str, diags: &mut Diagnostics) -> Option<&'a Attribute> {
        let found: Vec<usize> = (0..self.attrs.len())
            .filter(|&i| self.attrs[i].name.name == name)
            .collect();
        for &i in &found {
            self.visited[i] = true;
        }
        match found.as_slice() {
            [] => None,
            [i] => Some(&self.attrs[*i]),
            many => {
                for &i in many {
                    diags.push(Diagnostic::duplicate_attribute(
                        &self.attrs[i].name.name,
                        self.attrs[i].span,
                    ));
                }
                None
            }
        }
    }

    fn repeated(&mut self, name: &str) -> Vec<&'a Attribute> {
        let mut out = Vec::new();
        for (i, attr) in self.attrs.iter().enumerate() {
            if attr.name.name == name {
                self.visited[i] = true;
                out.push(attr);
            }
        }
        out
    }

    /// The first `@prefix.Type` attribute; later ones are duplicates.
    fn datasource_scoped(&mut self, diags: &mut Diagnostics) -> Option<&'a Attribute> {
        let mut first = None;
        for (i, attr) in self.attrs.iter().enumerate() {
            if attr.name.name.contains('.') {
                self.visited[i] = true;
                if first.is_some() {
                    diags.push(Diagnostic::duplicate_attribute(&attr.name.name, attr.span));
                } else {
                    first = Some(attr);
                }
            }
        }
        first
    }

    /// Every attribute nobody handled is unknown here.
    fn finish(self, diags: &mut Diagnostics) {
        for (attr, visited) in self.attrs.iter().zip(self.visited) {
            if !visited {
                diags.push(Diagnostic::attribute_not_known(&attr.name.name, attr.span));
            }
        }
    }
}

pub(crate) fn resolve(db: &mut Db<'_>, diags: &mut Diagnostics) {
    for m in 0..db.models.len() {
        for f in 0..db.models[m].fields.len() {
            if db.models[m].fields[f].is_relation() {
                relation_field(db, m, f, diags);
            }
        }
    }
    let ast = db.ast;
    let (mut m, mut e, mut c) = (0, 0, 0);
    for top in &ast.tops {
        match top {
            ast::Top::Model(_) => {
                model(db, m, diags);
                m += 1;
            }
            ast::Top::Enum(_) => {
                enum_(db, e, diags);
                e += 1;
            }
            ast::Top::CompositeType(_) => {
                composite_type(db, c, diags);
                c += 1;
            }
            _ => {}
        }
    }
}

fn relation_field(db: &mut Db<'_>, m: usize, f: usize, diags: &mut Diagnostics) {
    let field = db.models[m].fields[f].ast;
    let mut attrs = AttrSet::new(&field.attributes);

    if let Some(attr) = attrs.single("relation", diags) {
        relation_attribute(db, m, f, attr, diags);
    }
    if let Some(attr) = attrs.single("id", diags) {
        let mut args = Args::new(attr, "@", diags);
        diags.push(args.error(&format!(
            "The field `{}` is a relation field and cannot be marked with `@id`. Only scalar fields can be declared as id.",
            field.name.name
        )));
        args.discard();
    }
    if let Some(attr) = attrs.single("ignore", diags) {
        let args = Args::new(attr, "@", diags);
        db.models[m].fields[f].is_ignored = true;
        args.finish(diags);
    }
    if let Some(attr) = attrs.single("default", diags) {
        let mut args = Args::new(attr, "@", diags);
        diags.push(args.error("Cannot set a default value on a relation field."));
        args.discard();
    }
    if let Some(attr) = attrs.single("map", diags) {
        let mut args = Args::new(attr, "@", diags);
        diags.push(args.error("The attribute `@map` cannot be used on relation fields."));
        if let Err(d) = args.default_arg("name") {
            diags.push(d);
        }
        args.discard();
    }
    if let Some(attr) = attrs.single("unique", diags) {
        let mut args = Args::new(attr, "@", diags);
        let model = &db.models[m];
        let suggested: Vec<&str> = model.fields[f]
            .relation
            .fields
            .iter()
            .flatten()
            .map(|&i| model.fields[i].name())
            .collect();
        let suggestion = match suggested.as_slice() {
            [] => String::new(),
            [one] => format!(" Did you mean to put it on `{one}`?"),
            many => format!(
                " Did you mean to provide `@@unique([{}])`?",
                many.join(", ")
            ),
        };
        diags.push(args.error(&format!(
            "The field `{}` is a relation field and cannot be marked with `unique`. Only scalar fields can be made unique.{suggestion}",
            field.name.name
        )));
        args.discard();
    }
    attrs.finish(diags);
}

fn relation_attribute<'a>(
    db: &mut Db<'a>,
    m: usize,
    f: usize,
    attr: &'a Attribute,
    diags: &mut Diagnostics,
) {
    let mut args = Args::new(attr, "@", diags);
    let target = match db.models[m].fields[f].ty {
        FieldTy::Model(t) => t,
        _ => return,
    };
    db.models[m].fields[f].relation.attribute = Some(attr);

    if let Some(fields) = args.optional("fields") {
        let resolved = resolve_plain_field_list(db, m, fields, attr, diags);
        let ids = match resolved {
            Ok(ids) => ids,
            Err(Problem::Reported) => Vec::new(),
            Err(Problem::Fields { unknown, relation }) => {
                if !unknown.is_empty() {
                    diags.push(Diagnostic::validation(
                        &format!(
                            "The argument fields must refer only to existing fields. The following fields do not exist in this model: {}",
                            unknown.join(", ")
                        ),
                        fields.span(),
                    ));
                }
                if !relation.is_empty() {
                    diags.push(Diagnostic::validation(
                        &format!(
                            "The argument fields must refer only to scalar fields. But it is referencing the following relation fields: {}",
                            relation.join(", ")
                        ),
                        fields.span(),
                    ));
                }
                Vec::new()
            }
        };
        db.models[m].fields[f].relation.fields = Some(ids);
        db.models[m].fields[f].relation.fields_span = Some(fields.span());
    }

    if let Some(references) = args.optional("references") {
        let target_name = db.models[target].name();
        let ids = match resolve_plain_field_list(db, target, references, attr, diags) {
            Ok(ids) => ids,
            Err(Problem::Reported) => Vec::new(),
            Err(Problem::Fields { unknown, relation }) => {
                if !unknown.is_empty() {
                    diags.push(Diagnostic::validation(
                        &format!(
                            "The argument `references` must refer only to existing fields in the related model `{target_name}`. The following fields do not exist in the related model: {}",
                            unknown.join(", ")
                        ),
                        attr.span,
                    ));
                }
                if !relation.is_empty() {
                    diags.push(Diagnostic::validation(
                        &format!(
                            "The argument `references` must refer only to scalar fields in the related model `{target_name}`. But it is referencing the following relation fields: {}",
                            relation.join(", ")
                        ),
                        attr.span,
                    ));
                }
                Vec::new()
            }
        };
        db.models[m].fields[f].relation.references = Some(ids);
    }

    if let Ok(name) = args.default_arg("name") {
        match args::string(name, diags) {
            Some("") => diags.push(args.error("A relation cannot have an empty name.")),
            Some(name) => db.models[m].fields[f].relation.name = Some(name),
            None => {}
        }
    }

    for (key, is_delete) in [("onDelete", true), ("onUpdate", false)] {
        if let Some(expr) = args.optional(key)
            && let Some(action) = referential_action(expr, diags)
        {
            let slot = &mut db.models[m].fields[f].relation;
            if is_delete {
                slot.on_delete = Some((action, expr.span()));
            } else {
                slot.on_update = Some((action, expr.span()));
            }
        }
    }

    db.models[m].fields[f].relation.mapped_name = map_argument(&mut args, diags);
    args.finish(diags);
}

fn referential_action(expr: &Expression, diags: &mut Diagnostics) -> Option<ReferentialAction> {
    let name = args::constant(expr, diags)?;
    match ReferentialAction::from_name(name) {
        Some(action) => Some(action),
        None => {
            diags.push(Diagnostic::attribute_validation(
                &format!("Invalid referential action: `{name}`"),
                "@relation",
                expr.span(),
            ));
            None
        }
    }
}

/// `map: "…"`: a non-empty string.
fn map_argument<'a>(args: &mut Args<'a>, diags: &mut Diagnostics) -> Option<&'a str> {
    let expr = args.optional("map")?;
    match args::string(expr, diags) {
        Some("") => {
            diags.push(args.error("The `map` argument cannot be an empty string."));
            None
        }
        other => other,
    }
}

/// `name: "…"`: a non-empty string.
fn name_argument<'a>(args: &mut Args<'a>, diags: &mut Diagnostics) -> Option<&'a str> {
    let expr = args.optional("name")?;
    match args::string(expr, diags) {
        Some("") => {
            diags.push(args.error("The `name` argument cannot be an empty string."));
            None
        }
        other => other,
    }
}

/// `@map("…")` / `@@map("…")`.
fn map_attribute<'a>(args: &mut Args<'a>, diags: &mut Diagnostics) -> Option<&'a str> {
    match args.default_arg("name") {
        Ok(expr) => args::string(expr, diags),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// `@@map("…")` of a model or enum.
fn block_map<'a>(attrs: &mut AttrSet<'a>, diags: &mut Diagnostics) -> Option<&'a str> {
    let attr = attrs.single("map", diags)?;
    let mut args = Args::new(attr, "@@", diags);
    let name = map_attribute(&mut args, diags);
    args.finish(diags);
    name
}

/// `@@schema("…")` of a model or enum, with the span of the name.
fn block_schema<'a>(attrs: &mut AttrSet<'a>, diags: &mut Diagnostics) -> Option<(&'a str, Span)> {
    let attr = attrs.single("schema", diags)?;
    let mut args = Args::new(attr, "@@", diags);
    let schema = match args.default_arg("map") {
        Ok(expr) => args::string(expr, diags).map(|name| (name, expr.span())),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    args.finish(diags);
    schema
}

fn sort_argument(args: &mut Args<'_>, diags: &mut Diagnostics) -> Option<SortOrder> {
    let expr = args.optional("sort")?;
    match args::constant(expr, diags)? {
        "Asc" => Some(SortOrder::Asc),
        "Desc" => Some(SortOrder::Desc),
        other => {
            diags.push(args.error(&format!(
                "The `sort` argument can only be `Asc` or `Desc` you provided: {other}."
            )));
            None
        }
    }
}

fn length_argument(args: &mut Args<'_>, diags: &mut Diagnostics) -> Option<u32> {
    let expr = args.optional("length")?;
    args::integer(expr, diags).and_then(|n| u32::try_from(n).ok())
}

fn clustered_argument(args: &mut Args<'_>, diags: &mut Diagnostics) -> Option<bool> {
    let expr = args.optional("clustered")?;
    args::boolean(expr, diags)
}

fn model(db: &mut Db<'_>, m: usize, diags: &mut Diagnostics) {
    for f in 0..db.models[m].fields.len() {
        if db.models[m].fields[f].is_scalar() {
            scalar_field(db, m, f, diags);
        }
    }

    let ast_model = db.models[m].ast;
    let mut attrs = AttrSet::new(&ast_model.attributes);

    if let Some(attr) = attrs.single("ignore", diags) {
        let args = Args::new(attr, "@@", diags);
        for field in &db.models[m].fields {
            if field.is_scalar() && field.is_ignored {
                diags.push(Diagnostic::attribute_validation(
                    "Fields on an already ignored Model do not need an `@ignore` annotation.",
                    "@ignore",
                    field.ast.span,
                ));
            }
        }
        db.models[m].is_ignored = true;
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("id", diags) {
        let mut args = Args::new(attr, "@@", diags);
        compound_id(db, m, attr, &mut args, diags);
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("shardKey", diags) {
        let mut args = Args::new(attr, "@@", diags);
        compound_shard_key(db, m, attr, &mut args, diags);
        args.finish(diags);
    }

    db.models[m].mapped_name = block_map(&mut attrs, diags);
    db.models[m].schema = block_schema(&mut attrs, diags);

    for (name, kind) in [
        ("index", IndexKind::Normal),
        ("unique", IndexKind::Unique),
        ("fulltext", IndexKind::Fulltext),
    ] {
        for attr in attrs.repeated(name) {
            let mut args = Args::new(attr, "@@", diags);
            block_index(db, m, attr, kind, &mut args, diags);
            args.finish(diags);
        }
    }

    // Prisma: `@id` and `@shardKey` fields must be required (checked once `@@ignore` is
    // known).
    let model_data = &db.models[m];
    if !model_data.is_ignored
        && let Some(key) = &model_data.shard_key
        && let Some(f) = key.source_field
        && model_data.fields[f].arity() != ast::FieldArity::Required
    {
        diags.push(Diagnostic::attribute_validation(
            "Fields that are marked as shard keys must be required.",
            "@shardKey",
            key.attribute.span,
        ));
    }
    if !model_data.is_ignored
        && let Some(pk) = &model_data.primary_key
        && let Some(f) = pk.source_field
        && model_data.fields[f].arity() != ast::FieldArity::Required
    {
        diags.push(Diagnostic::attribute_validation(
            "Fields that are marked as id must be required.",
            "@id",
            pk.attribute.span,
        ));
    }

    attrs.finish(diags);
}

fn scalar_field(db: &mut Db<'_>, m: usize, f: usize, diags: &mut Diagnostics) {
    let field = db.models[m].fields[f].ast;
    let ty = db.models[m].fields[f].ty;
    let mut attrs = AttrSet::new(&field.attributes);

    if let Some(attr) = attrs.single("map", diags) {
        let mut args = Args::new(attr, "@", diags);
        db.models[m].fields[f].mapped_name = map_attribute(&mut args, diags);
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("ignore", diags) {
        let args = Args::new(attr, "@", diags);
        if ty == FieldTy::Unsupported {
            diags.push(args.error("Fields of type `Unsupported` cannot take an `@ignore` attribute. They are already treated as ignored by the client due to their type."));
        } else {
            db.models[m].fields[f].is_ignored = true;
        }
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("relation", diags) {
        let mut args = Args::new(attr, "@", diags);
        diags.push(args.error("Invalid field type, not a relation."));
        args.discard();
    }

    if let Some(attr) = attrs.single("id", diags) {
        let mut args = Args::new(attr, "@", diags);
        if db.models[m].primary_key.is_some() {
            let model = db.models[m].ast;
            diags.push(Diagnostic::model_validation(
                "At most one field must be marked as the id field with the `@id` attribute.",
                "model",
                &model.name.name,
                model.span,
            ));
            args.discard();
        } else {
            let mapped_name = map_argument(&mut args, diags);
            let length = length_argument(&mut args, diags);
            let sort = sort_argument(&mut args, diags);
            let clustered = clustered_argument(&mut args, diags);
            db.models[m].primary_key = Some(PrimaryKeyData {
                attribute: attr,
                fields: vec![IndexFieldData {
                    field: f,
                    sort,
                    length,
                    ops: None,
                }],
                source_field: Some(f),
                name: None,
                mapped_name,
                clustered,
            });
        }
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("shardKey", diags) {
        let args = Args::new(attr, "@", diags);
        let model = &mut db.models[m];
        if model.shard_key.is_some() {
            diags.push(Diagnostic::model_validation(
                "At most one field must be marked as the shard key with the `@shardKey` attribute.",
                "model",
                model.name(),
                model.ast.span,
            ));
        } else {
            model.shard_key = Some(ShardKeyData {
                attribute: attr,
                source_field: Some(f),
            });
        }
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("updatedAt", diags) {
        let args = Args::new(attr, "@", diags);
        if ty != FieldTy::Scalar(ScalarType::DateTime) {
            diags.push(
                args.error("Fields that are marked with @updatedAt must be of type DateTime."),
            );
        }
        if field.arity == ast::FieldArity::List {
            diags.push(args.error("Fields that are marked with @updatedAt cannot be lists."));
        }
        db.models[m].fields[f].is_updated_at = true;
        args.finish(diags);
    }

    if let Some(attr) = attrs.single("default", diags) {
        let mut args = Args::new(attr, "@", diags);
        if let Some(data) = default::model_field_default(db, m, f, attr, &mut args, diags) {
            db.models[m].fields[f].default = Some(data);
        }
        args.finish(diags);
    }

    if let FieldTy::Scalar(_) = ty
        && let Some(attr) = attrs.datasource_scoped(diags)
    {
        db.models[m].fields[f].native_type = native_type(attr);
    }

    if let Some(attr) = attrs.single("unique", diags) {
        let mut args = Args::new(attr, "@", diags);
        let mapped_name = map_argument(&mut args, diags);
        let length = length_argument(&mut args, diags);
        let sort = sort_argument(&mut args, diags);
        let clustered = clustered_argument(&mut args, diags);
        db.models[m].indexes.push(IndexData {
            attribute: attr,
            kind: IndexKind::Unique,
            fields: vec![IndexFieldData {
                field: f,
                sort,
                length,
                ops: None,
            }],
            source_field: Some(f),
            name: None,
            mapped_name,
            algorithm: None,
            clustered,
        });
        args.finish(diags);
    }

    attrs.finish(diags);
}

/// `@db.VarChar(200)` → prefix `db`, name `VarChar`, arguments `["200"]`.
fn native_type(attr: &Attribute) -> Option<NativeTypeData<'_>> {
    let (prefix, name) = attr.name.name.split_once('.')?;
    let args = attr
        .arguments
        .arguments
        .iter()
        .map(|a| match &a.value {
            Expression::String(s, _) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    Some(NativeTypeData {
        attribute: attr,
        prefix,
        name,
        args,
    })
}

fn compound_id<'a>(
    db: &mut Db<'a>,
    m: usize,
    attr: &'a Attribute,
    args: &mut Args<'a>,
    diags: &mut Diagnostics,
) {
    let fields = match args.default_arg("fields") {
        Ok(expr) => expr,
        Err(d) => return diags.push(d),
    };
    let model = &db.models[m];
    let model_name = model.name();
    let resolved = match resolve_index_field_list(db, m, fields, attr, diags) {
        Ok(fields) => fields,
        Err(Problem::Reported) => return,
        Err(Problem::Fields { unknown, relation }) => {
            if !unknown.is_empty() {
                diags.push(Diagnostic::model_validation(
                    &format!(
                        "The multi field id declaration refers to the unknown {}.",
                        fields_with_leading_word(&unknown)
                    ),
                    "model",
                    model_name,
                    fields.span(),
                ));
            }
            if !relation.is_empty() {
                diags.push(Diagnostic::model_validation(
                    &format!(
                        "The id definition refers to the relation {}. ID definitions must reference only scalar fields.",
                        fields_with_leading_word(&relation)
                    ),
                    "model",
                    model_name,
                    attr.span,
                ));
            }
            return;
        }
    };

    let model = &db.models[m];
    let optional: Vec<&str> = resolved
        .iter()
        .map(|f| &model.fields[f.field])
        .filter(|f| f.arity() != ast::FieldArity::Required)
        .map(|f| f.name())
        .collect();
    if !optional.is_empty() && !model.is_ignored {
        diags.push(Diagnostic::model_validation(
            &format!(
                "The id definition refers to the optional {}. ID definitions must reference only required fields.",
                fields_with_leading_word(&optional)
            ),
            "model",
            model_name,
            attr.span,
        ));
    }
    if model.primary_key.is_some() {
        diags.push(Diagnostic::model_validation(
            "Each model must have at most one id criteria. You can't have `@id` and `@@id` at the same time.",
            "model",
            model_name,
            model.ast.span,
        ));
    }
    let mapped_name = map_argument(args, diags);
    let name = name_argument(args, diags);
    if let Some(name) = name {
        client_name(name, model_name, "@@id", attr, diags);
    }
    let clustered = clustered_argument(args, diags);
    db.models[m].primary_key = Some(PrimaryKeyData {
        attribute: attr,
        fields: resolved,
        source_field: None,
        name,
        mapped_name,
        clustered,
    });
}

/// `@@shardKey([a, b])` (Prisma's `shard_key.rs`).
fn compound_shard_key<'a>(
    db: &mut Db<'a>,
    m: usize,
    attr: &'a Attribute,
    args: &mut Args<'a>,
    diags: &mut Diagnostics,
) {
    let fields = match args.default_arg("fields") {
        Ok(expr) => expr,
        Err(d) => return diags.push(d),
    };
    let model = &db.models[m];
    let resolved = match resolve_plain_field_list(db, m, fields, attr, diags) {
        Ok(fields) => fields,
        Err(Problem::Reported) => return,
        Err(Problem::Fields { unknown, relation }) => {
            if !unknown.is_empty() {
                diags.push(Diagnostic::model_validation(
                    &format!(
                        "The multi field shard key declaration refers to the unknown {}.",
                        fields_with_leading_word(&unknown)
                    ),
                    "model",
                    model.name(),
                    fields.span(),
                ));
            }
            if !relation.is_empty() {
                diags.push(Diagnostic::model_validation(
                    &format!(
                        "The shard key definition refers to the relation {}. Shard key definitions must reference only scalar fields.",
                        fields_with_leading_word(&relation)
                    ),
                    "model",
                    model.name(),
                    attr.span,
                ));
            }
            return;
        }
    };
    let optional: Vec<&str> = resolved
        .iter()
        .map(|&f| &model.fields[f])
        .filter(|f| f.arity() != ast::FieldArity::Required)
        .map(|f| f.name())
        .collect();
    if !optional.is_empty() && !model.is_ignored {
        diags.push(Diagnostic::model_validation(
            &format!(
                "The shard key definition refers to the optional {}. Shard key definitions must reference only required fields.",
                fields_with_leading_word(&optional)
            ),
            "model",
            model.name(),
            attr.span,
        ));
    }
    if model.shard_key.is_some() {
        diags.push(Diagnostic::model_validation(
            "Each model must have at most one shard key. You can't have `@shardKey` and `@@shardKey` at the same time.",
            "model",
            model.name(),
            model.ast.span,
        ));
    }
    db.models[m].shard_key = Some(ShardKeyData {
        attribute: attr,
        source_field: None,
    });
}

/// Prisma: compound names appear in the client API, so only `_a-zA-Z0-9`.
fn client_name(
    name: &str,
    model: &str,
    attribute: &str,
    attr: &Attribute,
    diags: &mut Diagnostics,
) {
    if !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        diags.push(Diagnostic::model_validation(
            &format!(
                "The `name` property within the `{attribute}` attribute only allows for the following characters: `_a-zA-Z0-9`."
            ),
            "model",
            model,
            attr.span,
        ));
    }
}

fn block_index<'a>(
    db: &mut Db<'a>,
    m: usize,
    attr: &'a Attribute,
    kind: IndexKind,
    args: &mut Args<'a>,
    diags: &mut Diagnostics,
) {
    let mut index = IndexData {
        attribute: attr,
        kind,
        fields: Vec::new(),
        source_field: None,
        name: None,
        mapped_name: None,
        algorithm: None,
        clustered: None,
    };
    let unique = if kind == IndexKind::Unique {
        "unique "
    } else {
        ""
    };
    match args.default_arg("fields") {
        Err(d) => diags.push(d),
        Ok(fields) => match resolve_index_field_list(db, m, fields, attr, diags) {
            Ok(fields) => index.fields = fields,
            Err(Problem::Reported) => {}
            Err(Problem::Fields { unknown, relation }) => {
                let model = &db.models[m];
                if !unknown.is_empty() {
                    diags.push(Diagnostic::model_validation(
                        &format!(
                            "The {unique}index definition refers to the unknown fields: {}.",
                            unknown.join(", ")
                        ),
                        "model",
                        model.name(),
                        attr.span,
                    ));
                }
                if !relation.is_empty() {
                    let suggested: Vec<&str> = relation
                        .iter()
                        .filter_map(|name| model.field(name))
                        .flat_map(|i| model.fields[i].relation.fields.iter().flatten())
                        .map(|&i| model.fields[i].name())
                        .collect();
                    let suggestion = if suggested.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " Did you mean `@@{}([{}])`?",
                            if kind == IndexKind::Unique {
                                "unique"
                            } else {
                                "index"
                            },
                            suggested.join(", ")
                        )
                    };
                    diags.push(Diagnostic::model_validation(
                        &format!(
                            "The {unique}index definition refers to the relation fields {}. Index definitions must reference only scalar fields.{suggestion}",
                            relation.join(", ")
                        ),
                        "model",
                        model.name(),
                        attr.span,
                    ));
                }
            }
        },
    }

    match kind {
        IndexKind::Normal => {
            let name = name_argument(args, diags);
            let mapped = map_argument(args, diags);
            index.mapped_name = match (name, mapped) {
                (Some(_), Some(_)) => {
                    diags.push(args.error("The `@@index` attribute accepts the `name` argument as an alias for the `map` argument for legacy reasons. It does not accept both though. Please use the `map` argument to specify the database name of the index."));
                    None
                }
                (a, b) => a.or(b),
            };
            if let Some(expr) = args.optional("type")
                && let Some(name) = args::constant(expr, diags)
            {
                match IndexAlgorithm::from_name(name) {
                    Some(algo) => index.algorithm = Some(algo),
                    None => diags.push(args.error(&format!("Unknown index type: {name}."))),
                }
            }
            index.clustered = clustered_argument(args, diags);
        }
        IndexKind::Unique => {
            let name = name_argument(args, diags);
            index.mapped_name = map_argument(args, diags);
            if let Some(name) = name {
                client_name(name, db.models[m].name(), "@@unique", attr, diags);
            }
            index.name = name;
            index.clustered = clustered_argument(args, diags);
        }
        IndexKind::Fulltext => {
            index.mapped_name = map_argument(args, diags);
        }
    }
    db.models[m].indexes.push(index);
}

/// Why a field list did not resolve.
enum Problem<'a> {
    /// An error was already reported.
    Reported,
    /// Names that are not fields, and names of relation fields.
    Fields {
        unknown: Vec<&'a str>,
        relation: Vec<&'a str>,
    },
}

/// `[a, b]` for `fields:`/`references:`: plain field names.
fn resolve_plain_field_list<'a>(
    db: &Db<'a>,
    m: usize,
    expr: &'a Expression,
    attr: &Attribute,
    diags: &mut Diagnostics,
) -> Result<Vec<usize>, Problem<'a>> {
    let names = args::array(expr, args::constant, diags).ok_or(Problem::Reported)?;
    let model = &db.models[m];
    let mut ids = Vec::with_capacity(names.len());
    let (mut unknown, mut relation) = (Vec::new(), Vec::new());
    for name in names {
        match model.field(name) {
            _ if name.contains('.') => unknown.push(name),
            None => unknown.push(name),
            Some(i) if model.fields[i].is_relation() => relation.push(name),
            Some(i) => {
                if ids.contains(&i) {
                    diags.push(Diagnostic::model_validation(
                        &format!(
                            "The unique index definition refers to the field {name} multiple times."
                        ),
                        "model",
                        model.name(),
                        attr.span,
                    ));
                    return Err(Problem::Reported);
                }
                ids.push(i);
            }
        }
    }
    if unknown.is_empty() && relation.is_empty() {
        Ok(ids)
    } else {
        Err(Problem::Fields { unknown, relation })
    }
}

/// `[a, b(sort: Desc)]` for keys and indexes.
fn resolve_index_field_list<'a>(
    db: &Db<'a>,
    m: usize,
    expr: &'a Expression,
    attr: &Attribute,
    diags: &mut Diagnostics,
) -> Result<Vec<IndexFieldData>, Problem<'a>> {
    let items = args::field_array_with_args(expr, diags).ok_or(Problem::Reported)?;
    let model = &db.models[m];
    let mut out: Vec<IndexFieldData> = Vec::with_capacity(items.len());
    let (mut unknown, mut relation) = (Vec::new(), Vec::new());
    for item in items {
        match model.field(item.name) {
            None => unknown.push(item.name),
            Some(i) if model.fields[i].is_relation() => relation.push(item.name),
            Some(i) => {
                if out.iter().any(|f| f.field == i) {
                    diags.push(Diagnostic::model_validation(
                        &format!(
                            "The unique index definition refers to the field {} multiple times.",
                            item.name
                        ),
                        "model",
                        model.name(),
                        attr.span,
                    ));
                    return Err(Problem::Reported);
                }
                out.push(IndexFieldData {
                    field: i,
                    sort: item.sort,
                    length: item.length,
                    ops: item.ops,
                });
            }
        }
    }
    if unknown.is_empty() && relation.is_empty() {
        Ok(out)
    } else {
        Err(Problem::Fields { unknown, relation })
    }
}

/// "field `a`" or "fields `a`, `b`".
pub(crate) fn fields_with_leading_word(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    if quoted.len() == 1 {
        format!("field {}", quoted[0])
    } else {
        format!("fields {}", quoted.join(", "))
    }
}

fn enum_(db: &mut Db<'_>, e: usize, diags: &mut Diagnostics) {
    let ast_enum = db.enums[e].ast;
    for (i, value) in ast_enum.values.iter().enumerate() {
        let mut attrs = AttrSet::new(&value.attributes);
        if let Some(attr) = attrs.single("map", diags) {
            let mut args = Args::new(attr, "@", diags);
            db.enums[e].value_mapped_names[i] = map_attribute(&mut args, diags);
            args.finish(diags);
        }
        attrs.finish(diags);
    }

    let mut attrs = AttrSet::new(&ast_enum.attributes);
    db.enums[e].mapped_name = block_map(&mut attrs, diags);
    db.enums[e].schema = block_schema(&mut attrs, diags);
    attrs.finish(diags);
}

fn composite_type(db: &mut Db<'_>, c: usize, diags: &mut Diagnostics) {
    let ast_type = db.composite_types[c].ast;
    for (i, field) in ast_type.fields.iter().enumerate() {
        let mut attrs = AttrSet::new(&field.attributes);
        if let FieldTy::Scalar(_) = db.composite_types[c].field_types[i] {
            let _ = attrs.datasource_scoped(diags);
        }
        if let Some(attr) = attrs.single("map", diags) {
            let mut args = Args::new(attr, "@", diags);
            let _ = map_attribute(&mut args, diags);
            args.finish(diags);
        }
        if let Some(attr) = attrs.single("default", diags) {
            let mut args = Args::new(attr, "@", diags);
            let _ = args.default_arg("value");
            args.discard();
        }
        attrs.finish(diags);
    }
}
