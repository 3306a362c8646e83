//! Rules on models and views as a whole: unique criteria, primary keys, database names,
//! `@@schema`, constraint name collisions (Prisma's `validations/models.rs`, `views.rs`,
//! `constraint_namespace.rs`, `database_name.rs`).

use super::Ctx;
use crate::ast::{self, FieldArity};
use crate::diagnostics::Diagnostic;
use crate::validate::hash::FastMap as HashMap;
use crate::validate::{FieldTy, IndexKind, ModelData, RelationShape};

/// Checks of one model or view, up to its primary key name.
pub(super) fn model_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    if model.ast.is_view && !ctx.config.has_preview("views") {
        ctx.diags.push(Diagnostic::validation(
            "View definitions are only available with the `views` preview feature.",
            model.ast.span,
        ));
    }
    if model.ast.is_view {
        view_rules(ctx, model);
    }
    shard_key(ctx, model);
    has_a_strict_unique_criteria(ctx, model);
}

/// Checks of one model or view after its primary key name (Prisma's order).
pub(super) fn model_rules_after_key_names(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    primary_key_rules(ctx, model);
    schema_attribute(ctx, model.schema, model.ast.span, Some(model));
    if !model.ast.is_view {
        super::fields::opclasses(ctx, model);
    }
    autoincrement(ctx, model);
}

/// Enum checks: `@@schema` and database names.
pub(super) fn enum_rules(ctx: &mut Ctx<'_, '_>) {
    enum_database_names(ctx);
    for e in &ctx.db.enums {
        schema_attribute(ctx, e.schema, e.ast.span, None);
    }
}

/// Prisma: shard keys need the `shardKeys` preview feature and a provider that shards
/// (PlanetScale MySQL); neither PostgreSQL nor SQLite does.
fn shard_key(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    let Some(key) = &model.shard_key else { return };
    let name = if key.source_field.is_some() {
        "@shardKey"
    } else {
        "@@shardKey"
    };
    if !ctx.config.has_preview("shardKeys") {
        ctx.diags.push(Diagnostic::attribute_validation(
            "Defining shard keys requires enabling the `shardKeys` preview feature",
            name,
            key.attribute.span,
        ));
    }
    ctx.diags.push(Diagnostic::attribute_validation(
        &format!(
            "Shard keys are not currently supported for provider {}",
            ctx.provider.name
        ),
        name,
        key.attribute.span,
    ));
}

/// Prisma: each model needs an `@id`, `@@id`, or a unique criterion made of required,
/// supported fields (views and ignored models are exempt from nothing but `@@ignore`).
fn has_a_strict_unique_criteria(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    if model.is_ignored || model.ast.is_view {
        return;
    }
    let criteria = unique_criteria(model);
    let strict = criteria.iter().any(|fields| {
        !fields.is_empty()
            && fields.iter().all(|&f| {
                model.fields[f].arity() == FieldArity::Required
                    && model.fields[f].ty != FieldTy::Unsupported
            })
    });
    if strict {
        return;
    }
    let container = model.container();
    let mut message = format!(
        "Each {container} must have at least one unique criteria that has only required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` or `@@unique([])` to the {container}."
    );
    if !criteria.is_empty() {
        let loose: Vec<String> = criteria
            .iter()
            .map(|fields| {
                let names: Vec<&str> = fields.iter().map(|&f| model.fields[f].name()).collect();
                format!("- {}", names.join(", "))
            })
            .collect();
        message.push_str(&format!(
            " The following unique criterias were not considered as they contain fields that are not required:\n{}",
            loose.join("\n")
        ));
    }
    ctx.diags.push(Diagnostic::model_validation(
        &message,
        container,
        model.name(),
        model.ast.span,
    ));
}

/// The primary key, then each unique index, as lists of field indexes.
pub(super) fn unique_criteria(model: &ModelData<'_>) -> Vec<Vec<usize>> {
    model
        .primary_key
        .iter()
        .map(|pk| pk.fields.iter().map(|f| f.field).collect())
        .chain(
            model
                .indexes
                .iter()
                .filter(|i| i.kind == IndexKind::Unique)
                .map(|i| i.fields.iter().map(|f| f.field).collect()),
        )
        .collect()
}

fn primary_key_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    let Some(pk) = &model.primary_key else {
        return;
    };
    let attr_name = if pk.source_field.is_some() {
        "@id"
    } else {
        "@@id"
    };
    if pk.fields.is_empty() {
        ctx.diags.push(Diagnostic::attribute_validation(
            &format!(
                "The list of fields in an `{attr_name}()` attribute cannot be empty. Please specify at least one field."
            ),
            attr_name,
            pk.attribute.span,
        ));
    }
    if pk.fields.len() > 1 && pk.name.is_none() {
        let client_name: Vec<&str> = pk
            .fields
            .iter()
            .map(|f| model.fields[f.field].name())
            .collect();
        let client_name = client_name.join("_");
        if model
            .fields
            .iter()
            .any(|f| f.is_scalar() && f.name() == client_name)
        {
            ctx.diags.push(Diagnostic::model_validation(
                &format!(
                    "The field `{client_name}` clashes with the `@@id` attribute's name. Please resolve the conflict by providing a custom id name: `@@id([...], name: \"custom_name\")`"
                ),
                model.container(),
                model.name(),
                pk.attribute.span,
            ));
        }
    }
    if !ctx.provider.supports_index_length && pk.fields.iter().any(|f| f.length.is_some()) {
        ctx.diags.push(Diagnostic::attribute_validation(
            "The length argument is not supported in the primary key with the current connector",
            attr_name,
            pk.attribute.span,
        ));
    }
    if pk.clustered.is_some() && !ctx.provider.supports_clustering {
        ctx.diags.push(Diagnostic::attribute_validation(
            "Defining clustering is not supported in the current connector.",
            attr_name,
            pk.attribute.span,
        ));
    }
    if let Some(name) = pk.mapped_name {
        too_long(
            ctx,
            model,
            name,
            &attr_name[1..],
            pk.attribute.span,
            pk.source_field.is_none(),
        );
    }
}

/// Prisma: a `map:` name longer than the provider's identifier limit.
pub(super) fn too_long(
    ctx: &mut Ctx<'_, '_>,
    model: &ModelData<'_>,
    name: &str,
    attribute: &str,
    span: crate::span::Span,
    double_at: bool,
) {
    let limit = ctx.provider.max_identifier_length;
    if name.len() > limit {
        let ats = if double_at { "@@" } else { "@" };
        ctx.diags.push(Diagnostic::model_validation(
            &format!(
                "The constraint name '{name}' specified in the `map` argument for the `{ats}{attribute}` constraint is too long for your chosen provider. The maximum allowed length is {limit} bytes."
            ),
            "model",
            model.name(),
            span,
        ));
    }
}

/// Prisma: `@@schema` must name a schema of the datasource; with `schemas` set every model
/// and enum needs one; providers without multi-schema reject it.
fn schema_attribute(
    ctx: &mut Ctx<'_, '_>,
    schema: Option<(&str, crate::span::Span)>,
    span: crate::span::Span,
    model: Option<&ModelData<'_>>,
) {
    let Some(ds) = &ctx.config.datasource else {
        return;
    };
    if !ds.provider.supports_multi_schema {
        if let Some((_, span)) = schema {
            ctx.diags.push(Diagnostic::error(
                "@@schema is not supported on the current datasource provider",
                span,
            ));
        }
        return;
    }
    match schema {
        Some((name, span)) if !ds.schemas.iter().any(|(s, _)| *s == name) => {
            ctx.diags.push(Diagnostic::error(
                "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
                span,
            ));
        }
        Some(_) => {}
        None if ds.schemas_span.is_some() => match model {
            Some(model) => {
                let container = model.container();
                ctx.diags.push(Diagnostic::model_validation(
                    &format!("This {container} is missing an `@@schema` attribute."),
                    container,
                    model.name(),
                    span,
                ));
            }
            None => ctx.diags.push(Diagnostic::error(
                "This enum is missing an `@@schema` attribute.",
                span,
            )),
        },
        None => {}
    }
}

/// Prisma: two models or views with the same table name (in the same schema).
pub(super) fn database_name_clashes(ctx: &mut Ctx<'_, '_>) {
    let mut seen: HashMap<(Option<&str>, &str), usize> = HashMap::default();
    let order = (0..ctx.db.models.len())
        .filter(|&m| !ctx.db.models[m].ast.is_view)
        .chain((0..ctx.db.models.len()).filter(|&m| ctx.db.models[m].ast.is_view));
    for m in order {
        let model = &ctx.db.models[m];
        let key = (model.schema.map(|(s, _)| s), model.db_name());
        if let Some(&existing) = seen.get(&key) {
            let existing = &ctx.db.models[existing];
            let (attr_model, other_name) = if model.mapped_name.is_some() {
                (model, existing.name())
            } else {
                (existing, model.name())
            };
            if let Some(attr) = attr_model
                .ast
                .attributes
                .iter()
                .find(|a| a.name.name == "map")
            {
                ctx.diags.push(Diagnostic::duplicate_model_database_name(
                    false,
                    model.db_name(),
                    other_name,
                    attr.span,
                ));
            }
        } else {
            seen.insert(key, m);
        }
    }
}

fn enum_database_names(ctx: &mut Ctx<'_, '_>) {
    if !ctx.provider.supports_enums {
        return;
    }
    let mut seen: HashMap<(Option<&str>, &str), usize> = HashMap::default();
    for (i, e) in ctx.db.enums.iter().enumerate() {
        let key = (e.schema.map(|(s, _)| s), e.db_name());
        if seen.insert(key, i).is_some() {
            ctx.diags
                .push(Diagnostic::duplicate_enum_database_name(e.ast.span));
        }
    }
}

/// Prisma (`constraint_namespace.rs`): constraint names must be unique within the namespaces
/// the provider has (on PostgreSQL, primary keys and indexes per database schema, and every
/// constraint of a table). Views take part, as in Prisma.
pub(super) fn constraint_name_violations(ctx: &Ctx<'_, '_>) -> Violations {
    use crate::provider::ConstraintScope as Scope;
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        PrimaryKey,
        Index,
        ForeignKey,
    }
    struct Entry<'a> {
        owner: Owner,
        model: usize,
        schema: Option<&'a str>,
        name: String,
        kind: Kind,
        attr_name: &'static str,
        span: crate::span::Span,
    }
    let provider = ctx.provider;
    let db = ctx.db;
    let map_span = |attr: &ast::Attribute| {
        attr.arguments
            .arguments
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "map"))
            .map_or(attr.span, |a| a.span)
    };
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for (m, model) in db.models.iter().enumerate() {
        let schema = model.schema.map(|(s, _)| s);
        let table = model.db_name();
        if let Some(pk) = &model.primary_key {
            entries.push(Entry {
                owner: Owner::PrimaryKey(m),
                model: m,
                schema,
                name: pk
                    .mapped_name
                    .map_or_else(|| provider.primary_key_name(table), str::to_owned),
                kind: Kind::PrimaryKey,
                attr_name: if pk.source_field.is_some() {
                    "@id"
                } else {
                    "@@id"
                },
                span: map_span(pk.attribute),
            });
        }
        for (i, index) in model.indexes.iter().enumerate() {
            let columns: Vec<&str> = index
                .fields
                .iter()
                .map(|f| model.fields[f.field].db_name())
                .collect();
            entries.push(Entry {
                owner: Owner::Index(m, i),
                model: m,
                schema,
                name: index.mapped_name.map_or_else(
                    || match index.kind {
                        IndexKind::Unique => provider.unique_index_name(table, &columns),
                        _ => provider.index_name(table, &columns),
                    },
                    str::to_owned,
                ),
                kind: Kind::Index,
                attr_name: match (index.kind, index.source_field.is_some()) {
                    (IndexKind::Unique, true) => "@unique",
                    (IndexKind::Unique, false) => "@@unique",
                    (IndexKind::Normal, _) => "@@index",
                    (IndexKind::Fulltext, _) => "@@fulltext",
                },
                span: map_span(index.attribute),
            });
        }
    }
    for (r, relation) in db.relations.iter().enumerate() {
        if !matches!(
            relation.shape,
            RelationShape::OneToOne | RelationShape::OneToMany
        ) {
            continue;
        }
        let Some(f) = relation.field_a else { continue };
        let model = &db.models[relation.model_a];
        let field = &model.fields[f];
        let columns: Vec<&str> = field
            .relation
            .fields
            .iter()
            .flatten()
            .map(|&i| model.fields[i].db_name())
            .collect();
        entries.push(Entry {
            owner: Owner::ForeignKey(r),
            model: relation.model_a,
            schema: model.schema.map(|(s, _)| s),
            name: field.relation.mapped_name.map_or_else(
                || provider.foreign_key_name(model.db_name(), &columns),
                str::to_owned,
            ),
            kind: Kind::ForeignKey,
            attr_name: "@relation",
            span: field
                .relation
                .attribute
                .map(map_span)
                .filter(|_| field.relation.mapped_name.is_some())
                .unwrap_or(field.ast.span),
        });
    }

    let counted = |scope: Scope, kind: Kind| match scope {
        Scope::GlobalKeyIndex => kind == Kind::Index,
        Scope::GlobalPrimaryKeyKeyIndex => kind != Kind::ForeignKey,
        Scope::ModelPrimaryKeyKeyIndexForeignKey => true,
    };
    let checked = |scope: Scope, kind: Kind| {
        matches!(
            (scope, kind),
            (Scope::GlobalKeyIndex, Kind::Index)
                | (
                    Scope::GlobalPrimaryKeyKeyIndex,
                    Kind::Index | Kind::PrimaryKey
                )
                | (
                    Scope::ModelPrimaryKeyKeyIndexForeignKey,
                    Kind::PrimaryKey | Kind::ForeignKey
                )
        )
    };
    // (scope, model for per-table scopes, database schema, name) -> occurrences
    type Key<'k> = (Scope, Option<usize>, Option<&'k str>, &'k str);
    let mut counts: HashMap<Key<'_>, usize> = HashMap::default();
    for e in &entries {
        for &scope in provider.constraint_scopes {
            if counted(scope, e.kind) {
                let model = (scope == Scope::ModelPrimaryKeyKeyIndexForeignKey).then_some(e.model);
                *counts
                    .entry((scope, model, e.schema, e.name.as_str()))
                    .or_default() += 1;
            }
        }
    }
    let mut out = Violations::default();
    for e in &entries {
        for &scope in provider.constraint_scopes {
            if !checked(scope, e.kind) {
                continue;
            }
            let model = (scope == Scope::ModelPrimaryKeyKeyIndexForeignKey).then_some(e.model);
            if counts
                .get(&(scope, model, e.schema, e.name.as_str()))
                .copied()
                .unwrap_or(0)
                > 1
            {
                out.0.entry(e.owner).or_default().push(Diagnostic::attribute_validation(
                    &format!(
                        "The given constraint name `{}` has to be unique in the following namespace: {}. Please provide a different name using the `map` argument.",
                        e.name,
                        scope.description(db.models[e.model].name())
                    ),
                    e.attr_name,
                    e.span,
                ));
            }
        }
    }
    out
}

/// What a constraint name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Owner {
    /// The primary key of a model.
    PrimaryKey(usize),
    /// An index (`@unique`, `@@unique`, `@@index`) of a model, by position.
    Index(usize, usize),
    /// The foreign key of a relation, by position.
    ForeignKey(usize),
}

/// Constraint name clashes, reported where Prisma reports them.
#[derive(Default)]
pub(super) struct Violations(HashMap<Owner, Vec<Diagnostic>>);

impl Violations {
    pub(super) fn take(&mut self, owner: Owner) -> Vec<Diagnostic> {
        self.0.remove(&owner).unwrap_or_default()
    }
}

/// Prisma (`autoincrement.rs`): providers differ on where `autoincrement()` may go.
fn autoincrement(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    let autos: Vec<usize> = model
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.default.as_ref().is_some_and(
                |d| matches!(d.value, ast::Expression::Function(n, ..) if n == "autoincrement"),
            )
        })
        .map(|(i, _)| i)
        .collect();
    if autos.len() > 1 && !ctx.provider.supports_multiple_autoincrement {
        ctx.diags.push(Diagnostic::attribute_validation(
            "The `autoincrement()` default value is used multiple times on this model even though the underlying datasource only supports one instance per table.",
            "@default",
            model.ast.span,
        ));
    }
    for &f in &autos {
        let field = &model.fields[f];
        let is_id = model
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.fields.iter().any(|k| k.field == f));
        let is_indexed = model
            .indexes
            .iter()
            .any(|i| i.fields.first().is_some_and(|k| k.field == f));
        if !is_id && !ctx.provider.supports_autoincrement_on_non_id {
            ctx.diags.push(Diagnostic::attribute_validation(
                "The `autoincrement()` default value is used on a non-id field even though the datasource does not support this.",
                "@default",
                field.ast.span,
            ));
        }
        let _ = is_indexed;
    }
}

/// Prisma (`views.rs`): views have no primary key constraint, no indexes, and their
/// `@@unique` cannot be named or tuned.
fn view_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    if let Some(pk) = &model.primary_key
        && (pk.source_field.is_some() || pk.mapped_name.is_some())
    {
        let span = pk.attribute.span;
        ctx.diags.push(Diagnostic::validation(
            "Views cannot have primary keys.",
            span,
        ));
    }
    for index in &model.indexes {
        match index.kind {
            IndexKind::Unique => {
                if index.mapped_name.is_some() {
                    ctx.diags.push(Diagnostic::validation(
                        "@@unique annotations on views are not backed by unique indexes in the database and cannot specify a mapped database name.",
                        index.attribute.span,
                    ));
                }
                if index.clustered.is_some() {
                    ctx.diags.push(Diagnostic::validation(
                        "@@unique annotations on views are not backed by unique indexes in the database and cannot be clustered.",
                        index.attribute.span,
                    ));
                }
                if index
                    .fields
                    .iter()
                    .any(|f| f.sort.is_some() || f.length.is_some() || f.ops.is_some())
                {
                    ctx.diags.push(Diagnostic::attribute_validation(
                        "Scalar fields in @@unique attributes in views cannot have arguments.",
                        "@@unique",
                        index.attribute.span,
                    ));
                }
            }
            _ => ctx.diags.push(Diagnostic::validation(
                "Views cannot have indexes.",
                index.attribute.span,
            )),
        }
    }
}
