//! Rules on relations: pairing and ambiguity, `fields`/`references`, referential actions,
//! implicit many-to-many requirements (Prisma's `validations/relations.rs`, `relations/*`,
//! `relation_fields.rs`).

use super::Ctx;
use super::models::{Owner, Violations, unique_criteria};
use crate::ast::FieldArity;
use crate::diagnostics::Diagnostic;
use crate::ir::{ReferentialAction, RelationMode};
use crate::provider::ProviderKind;
use crate::validate::hash::FastMap as HashMap;
use crate::validate::{
    FieldData, FieldTy, ModelData, RelationData, RelationShape, generated_relation_name,
};

const FORMAT_HINT: &str = "You can run `prisma format` to fix this automatically.";

/// Checks of every relation (after all models), with the foreign key name clashes reported
/// where Prisma reports them.
pub(super) fn relation_rules(ctx: &mut Ctx<'_, '_>, violations: &mut Violations) {
    for (i, r) in ctx.db.relations.iter().enumerate() {
        match r.shape {
            RelationShape::OneToOne | RelationShape::OneToMany => {
                inline(ctx, r, violations.take(Owner::ForeignKey(i)))
            }
            RelationShape::ImplicitManyToMany => many_to_many(ctx, r),
            RelationShape::TwoWayEmbeddedManyToMany => {
                for (m, f) in [(r.model_a, r.field_a), (r.model_b, r.field_b)] {
                    if let Some(f) = f {
                        ctx.diags.push(Diagnostic::validation(
                            "Embedded many-to-many relations are not supported on relational databases. Remove the `fields` and `references` arguments to use an implicit many-to-many relation.",
                            ctx.db.models[m].fields[f].ast.span,
                        ));
                    }
                }
            }
        }
    }
}

fn relation_mode(ctx: &Ctx<'_, '_>) -> RelationMode {
    ctx.config
        .datasource
        .as_ref()
        .map(|d| d.relation_mode)
        .unwrap_or_default()
}

/// (model, related model, relation name) -> the relation fields with that name.
pub(super) type RelationNames = HashMap<(usize, usize, String), Vec<usize>>;

pub(super) fn relation_names(ctx: &Ctx<'_, '_>) -> RelationNames {
    let db = ctx.db;
    let mut names: RelationNames = HashMap::default();
    for (m, model) in db.models.iter().enumerate() {
        for (f, field) in model.fields.iter().enumerate() {
            if let FieldTy::Model(target) = field.ty {
                let name = field.relation.name.map_or_else(
                    || generated_relation_name(model.name(), db.models[target].name()),
                    str::to_owned,
                );
                names.entry((m, target, name)).or_default().push(f);
            }
        }
    }
    names
}

/// Checks of one relation field (Prisma's order, after the ambiguity check).
pub(super) fn relation_field_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    let field = &model.fields[f];
    let FieldTy::Model(target) = field.ty else {
        return;
    };
    ignored_related_model(ctx, model, field, target);
    referential_action_support(ctx, field);
    missing_relation_index(ctx, model, field);
}

/// Prisma's ambiguity check: two relation fields to the same model need distinct names.
pub(super) fn ambiguity(
    ctx: &Ctx<'_, '_>,
    names: &RelationNames,
    m: usize,
    f: usize,
) -> Option<Diagnostic> {
    let model = &ctx.db.models[m];
    let field = &model.fields[f];
    let FieldTy::Model(target) = field.ty else {
        return None;
    };
    let explicit = field.relation.name.is_some();
    let name = field.relation.name.map_or_else(
        || generated_relation_name(model.name(), ctx.db.models[target].name()),
        str::to_owned,
    );
    let fields = names.get(&(m, target, name))?;
    if fields.len() < 2 {
        return None;
    }
    let quoted: Vec<String> = fields
        .iter()
        .map(|&i| format!("`{}`", model.fields[i].name()))
        .collect();
    let listed = match quoted.len() {
        2 => quoted.join(" and "),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    };
    let is_self = m == target;
    let related = ctx.db.models[target].name();
    let message = match (explicit, is_self, fields.len()) {
        (false, true, 2) => format!(
            "Ambiguous self relation detected. The fields {listed} in model `{}` both refer to `{related}`. If they are part of the same relation add the same relation name for them with `@relation(<name>)`.",
            model.name()
        ),
        (false, true, _) => format!(
            "Unnamed self relation detected. The fields {listed} in model `{}` have no relation name. Please provide a relation name for one of them by adding `@relation(<name>).",
            model.name()
        ),
        (true, true, 2) => return None,
        (true, true, _) => format!(
            "Wrongly named self relation detected. The fields {listed} in model `{}` have the same relation name. At most two relation fields can belong to the same relation and therefore have the same name. Please assign a different relation name to one of them.",
            model.name()
        ),
        (false, false, _) => format!(
            "Ambiguous relation detected. The fields {listed} in model `{}` both refer to `{related}`. Please provide different relation names for them by adding `@relation(<name>).",
            model.name()
        ),
        (true, false, _) => format!(
            "Wrongly named relation detected. The fields {listed} in model `{}` both use the same relation name. Please provide different relation names for them through `@relation(<name>).",
            model.name()
        ),
    };
    Some(Diagnostic::model_validation(
        &message,
        model.container(),
        model.name(),
        field.ast.span,
    ))
}

fn ignored_related_model(
    ctx: &mut Ctx<'_, '_>,
    model: &ModelData<'_>,
    field: &FieldData<'_>,
    target: usize,
) {
    let related = &ctx.db.models[target];
    if !related.is_ignored || field.is_ignored || model.is_ignored {
        return;
    }
    ctx.diags.push(Diagnostic::attribute_validation(
        &format!(
            "The relation field `{}` on Model `{}` must specify the `@ignore` attribute, because the model {} it is pointing to is marked ignored.",
            field.name(),
            model.name(),
            related.name()
        ),
        "@ignore",
        field.ast.span,
    ));
}

/// The actions the datasource can enforce: the provider's with foreign keys; with
/// `relationMode = "prisma"`, the ones Prisma emulates.
fn allowed_actions(ctx: &Ctx<'_, '_>) -> Vec<ReferentialAction> {
    match relation_mode(ctx) {
        RelationMode::ForeignKeys => ctx.provider.referential_actions.to_vec(),
        RelationMode::Prisma => vec![
            ReferentialAction::Cascade,
            ReferentialAction::Restrict,
            ReferentialAction::NoAction,
            ReferentialAction::SetNull,
        ],
    }
}

fn referential_action_support(ctx: &mut Ctx<'_, '_>, field: &FieldData<'_>) {
    let allowed = allowed_actions(ctx);
    let listed: Vec<String> = allowed
        .iter()
        .map(|a| format!("`{}`", a.as_str()))
        .collect();
    for action in [field.relation.on_delete, field.relation.on_update]
        .into_iter()
        .flatten()
    {
        let (action, span) = action;
        if !allowed.contains(&action) {
            ctx.diags.push(Diagnostic::validation(
                &format!(
                    "Invalid referential action: `{}`. Allowed values: ({})",
                    action.as_str(),
                    listed.join(", ")
                ),
                span,
            ));
        }
    }
}

/// Prisma's warning: with emulated relations, the referencing fields should be indexed.
fn missing_relation_index(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, field: &FieldData<'_>) {
    if relation_mode(ctx) != RelationMode::Prisma {
        return;
    }
    let Some(fields) = &field.relation.fields else {
        return;
    };
    let leftwise =
        |group: &[usize]| group.len() >= fields.len() && group[..fields.len()] == fields[..];
    let covered = model
        .indexes
        .iter()
        .any(|i| leftwise(&i.fields.iter().map(|f| f.field).collect::<Vec<_>>()))
        || model
            .primary_key
            .as_ref()
            .is_some_and(|pk| leftwise(&pk.fields.iter().map(|f| f.field).collect::<Vec<_>>()));
    if covered {
        return;
    }
    let span = field.relation.attribute.map_or(field.ast.span, |a| a.span);
    ctx.diags.push(Diagnostic::warning(
        "With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields will not benefit from the index usually created by the relational database under the hood. This can lead to poor performance when querying these fields. We recommend adding an index manually. Learn more at https://pris.ly/d/relation-mode-prisma-indexes\" ",
        span,
    ));
}

struct Side<'d, 'a> {
    model: &'d ModelData<'a>,
    field: &'d FieldData<'a>,
}

impl Side<'_, '_> {
    fn fields(&self) -> &[usize] {
        self.field.relation.fields.as_deref().unwrap_or(&[])
    }
    fn references(&self) -> &[usize] {
        self.field.relation.references.as_deref().unwrap_or(&[])
    }
    fn has_actions(&self) -> bool {
        self.field.relation.on_delete.is_some() || self.field.relation.on_update.is_some()
    }
    fn span(&self) -> crate::span::Span {
        self.field.ast.span
    }
    fn name(&self) -> &str {
        self.field.name()
    }
    fn model_name(&self) -> &str {
        self.model.name()
    }
}

fn relation_error(message: &str, span: crate::span::Span) -> Diagnostic {
    Diagnostic::attribute_validation(message, "@relation", span)
}

fn inline(ctx: &mut Ctx<'_, '_>, r: &RelationData<'_>, name_clashes: Vec<Diagnostic>) {
    let db = ctx.db;
    let forward = r.field_a.map(|f| Side {
        model: &db.models[r.model_a],
        field: &db.models[r.model_a].fields[f],
    });
    let back = r.field_b.map(|f| Side {
        model: &db.models[r.model_b],
        field: &db.models[r.model_b].fields[f],
    });
    let referenced = &db.models[r.model_b];

    if let Some(fw) = &forward {
        references_unique_fields(ctx, fw, referenced);
        if fw.field.relation.fields.is_some()
            && fw.field.relation.references.is_some()
            && fw.fields().len() != fw.references().len()
        {
            let span = fw.field.relation.attribute.map_or(fw.span(), |a| a.span);
            ctx.diags.push(Diagnostic::validation(
                "You must specify the same number of fields in `fields` and `references`.",
                span,
            ));
        }
        if fw.field.arity() == FieldArity::Required
            && fw.field.relation.fields.is_some()
            && fw
                .fields()
                .iter()
                .any(|&i| fw.model.fields[i].arity() != FieldArity::Required)
        {
            let names: Vec<&str> = fw
                .fields()
                .iter()
                .map(|&i| fw.model.fields[i].name())
                .collect();
            ctx.diags.push(Diagnostic::validation(
                &format!(
                    "The relation field `{}` uses the scalar fields {}. At least one of those fields is optional. Hence the relation field must be optional as well.",
                    fw.name(),
                    names.join(", ")
                ),
                fw.span(),
            ));
        }
        for (&a, &b) in fw.fields().iter().zip(fw.references()) {
            let (fa, fb) = (&fw.model.fields[a], &referenced.fields[b]);
            let same = fa.ty == fb.ty
                && (fa.ty != FieldTy::Unsupported
                    || fa.ast.field_type.unsupported_name()
                        == fb.ast.field_type.unsupported_name());
            if !same {
                ctx.diags.push(relation_error(
                    &format!(
                        "The type of the field `{}` in the model `{}` is not matching the type of the referenced field `{}` in model `{}`.",
                        fa.name(),
                        fw.model_name(),
                        fb.name(),
                        referenced.name()
                    ),
                    fw.span(),
                ));
            }
        }
        foreign_key_name(ctx, fw);
        for d in name_clashes {
            ctx.diags.push(d);
        }
        set_null_on_required(ctx, fw);
    }

    if r.shape == RelationShape::OneToOne {
        one_to_one(ctx, forward.as_ref(), back.as_ref());
    } else {
        one_to_many(ctx, forward.as_ref(), back.as_ref());
    }
}

fn references_unique_fields(ctx: &mut Ctx<'_, '_>, fw: &Side<'_, '_>, referenced: &ModelData<'_>) {
    if fw.references().is_empty() {
        return;
    }
    let mut wanted: Vec<&str> = fw
        .references()
        .iter()
        .map(|&i| referenced.fields[i].name())
        .collect();
    let criteria = unique_criteria(referenced);
    let names =
        |c: &Vec<usize>| -> Vec<&str> { c.iter().map(|&i| referenced.fields[i].name()).collect() };
    let unique = criteria.iter().any(|c| {
        let mut n = names(c);
        n.sort_unstable();
        let mut w = wanted.clone();
        w.sort_unstable();
        n == w
    });
    if unique {
        if wanted.len() > 1 && !criteria.iter().any(|c| names(c) == wanted) {
            ctx.diags.push(Diagnostic::validation(
                &format!(
                    "The argument `references` must refer to a unique criteria in the related model `{}` using the same order of fields. Please check the ordering in the following fields: `{}`.",
                    referenced.name(),
                    wanted.join(", ")
                ),
                fw.span(),
            ));
        }
        return;
    }
    let message = if wanted.len() == 1 {
        format!(
            "The argument `references` must refer to a unique criteria in the related model. Consider adding an `@unique` attribute to the field `{}` in the model `{}`.",
            wanted[0],
            referenced.name()
        )
    } else {
        wanted.dedup();
        format!(
            "The argument `references` must refer to a unique criteria in the related model. Consider adding an `@@unique([{}])` attribute to the model `{}`.",
            wanted.join(", "),
            referenced.name()
        )
    };
    ctx.diags.push(relation_error(&message, fw.span()));
}

/// `map:` on `@relation`: the provider's length limit.
fn foreign_key_name(ctx: &mut Ctx<'_, '_>, fw: &Side<'_, '_>) {
    let Some(name) = fw.field.relation.mapped_name else {
        return;
    };
    let limit = ctx.provider.max_identifier_length;
    if name.len() > limit {
        ctx.diags.push(Diagnostic::model_validation(
            &format!(
                "The constraint name '{name}' specified in the `map` argument for the `@relation` constraint is too long for your chosen provider. The maximum allowed length is {limit} bytes."
            ),
            "model",
            fw.model_name(),
            fw.field.relation.attribute.map_or(fw.span(), |a| a.span),
        ));
    }
}

/// Prisma: `SetNull` on a relation whose referencing fields are required. PostgreSQL with
/// foreign keys only warns (the database reports it at runtime); otherwise it is an error.
fn set_null_on_required(ctx: &mut Ctx<'_, '_>, fw: &Side<'_, '_>) {
    let any_required = fw
        .fields()
        .iter()
        .any(|&i| fw.model.fields[i].arity() == FieldArity::Required);
    if !any_required {
        return;
    }
    let warn = ctx.config.datasource.as_ref().is_some_and(|d| {
        d.provider.kind == ProviderKind::Postgres && d.relation_mode == RelationMode::ForeignKeys
    });
    for (action, key) in [
        (fw.field.relation.on_delete, "onDelete"),
        (fw.field.relation.on_update, "onUpdate"),
    ] {
        if !matches!(action, Some((ReferentialAction::SetNull, _))) {
            continue;
        }
        ctx.diags.push(if warn {
            Diagnostic::warning(
                format!(
                    "The `{key}` referential action of a relation should not be set to `SetNull` when a referenced field is required. We recommend either to choose another referential action, or to make the referenced fields optional. Read more at https://pris.ly/d/postgres-set-null "
                ),
                fw.span(),
            )
        } else {
            relation_error(
                &format!(
                    "The `{key}` referential action of a relation must not be set to `SetNull` when a referenced field is required.\nEither choose another referential action, or make the referenced fields optional.\n"
                ),
                fw.span(),
            )
        });
    }
}

fn missing_opposite(side: &Side<'_, '_>, related: &str) -> Diagnostic {
    let container = side.model.container();
    Diagnostic::field_validation(
        &format!(
            "The relation field `{}` on {container} `{}` is missing an opposite relation field on the model `{related}`. Either run `prisma format` or add it manually.",
            side.name(),
            side.model_name()
        ),
        container,
        side.model_name(),
        side.name(),
        side.span(),
    )
}

fn related_name<'a>(ctx: &Ctx<'_, 'a>, side: &Side<'_, 'a>) -> &'a str {
    match side.field.ty {
        FieldTy::Model(t) => ctx.db.models[t].name(),
        _ => "",
    }
}

fn one_to_many(ctx: &mut Ctx<'_, '_>, forward: Option<&Side<'_, '_>>, back: Option<&Side<'_, '_>>) {
    let (fw, bk) = match (forward, back) {
        (Some(fw), None) => {
            let related = related_name(ctx, fw);
            ctx.diags.push(missing_opposite(fw, related));
            return;
        }
        (None, Some(bk)) => {
            let related = related_name(ctx, bk);
            ctx.diags.push(missing_opposite(bk, related));
            return;
        }
        (Some(fw), Some(bk)) => (fw, bk),
        (None, None) => return,
    };
    if fw.fields().is_empty() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` must specify the `fields` argument in the @relation attribute. {FORMAT_HINT}",
                fw.name(),
                fw.model_name()
            ),
            fw.span(),
        ));
    }
    if fw.references().is_empty() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` must specify the `references` argument in the @relation attribute.",
                fw.name(),
                fw.model_name()
            ),
            fw.span(),
        ));
    }
    if !bk.fields().is_empty() || !bk.references().is_empty() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` must not specify the `fields` or `references` argument in the @relation attribute. You must only specify it on the opposite field `{}` on model `{}`.",
                bk.name(),
                bk.model_name(),
                fw.name(),
                fw.model_name()
            ),
            bk.span(),
        ));
    }
    if bk.has_actions() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `{}` on model `{}`, or in case of a many to many relation, in an explicit join table.",
                bk.name(),
                bk.model_name(),
                fw.name(),
                fw.model_name()
            ),
            bk.span(),
        ));
    }
}

fn one_to_one(ctx: &mut Ctx<'_, '_>, forward: Option<&Side<'_, '_>>, back: Option<&Side<'_, '_>>) {
    let Some(fw) = forward else { return };
    if !fw.fields().is_empty() {
        let fields = fw.fields();
        let unique = unique_criteria(fw.model)
            .iter()
            .any(|c| c.len() == fields.len() && fields.iter().all(|f| c.contains(f)));
        if !unique {
            let names: Vec<&str> = fields.iter().map(|&i| fw.model.fields[i].name()).collect();
            let message = if names.len() == 1 {
                format!(
                    "A one-to-one relation must use unique fields on the defining side. Either add an `@unique` attribute to the field `{}`, or change the relation to one-to-many.",
                    names[0]
                )
            } else {
                format!(
                    "A one-to-one relation must use unique fields on the defining side. Either add an `@@unique([{}])` attribute to the model, or change the relation to one-to-many.",
                    names.join(", ")
                )
            };
            ctx.diags.push(relation_error(&message, fw.span()));
        }
    }
    let Some(bk) = back else {
        let related = related_name(ctx, fw);
        ctx.diags.push(missing_opposite(fw, related));
        return;
    };
    let pair = |a: &Side<'_, '_>, b: &Side<'_, '_>, what: &str| {
        format!(
            "The relation fields `{}` on Model `{}` and `{}` on Model `{}` {what}",
            a.name(),
            a.model_name(),
            b.name(),
            b.model_name()
        )
    };
    if fw.fields().is_empty() && bk.fields().is_empty() {
        let what = "do not provide the `fields` argument in the @relation attribute. You have to provide it on one of the two fields.";
        ctx.diags
            .push(relation_error(&pair(fw, bk, what), fw.span()));
        ctx.diags
            .push(relation_error(&pair(bk, fw, what), bk.span()));
    }
    if fw.references().is_empty() && bk.references().is_empty() {
        let what = "do not provide the `references` argument in the @relation attribute. You have to provide it on one of the two fields.";
        ctx.diags
            .push(relation_error(&pair(fw, bk, what), fw.span()));
        ctx.diags
            .push(relation_error(&pair(bk, fw, what), bk.span()));
    }
    if !fw.references().is_empty() && !bk.references().is_empty() {
        let message = pair(
            fw,
            bk,
            "both provide the `references` argument in the @relation attribute. You have to provide it only on one of the two fields.",
        );
        ctx.diags.push(relation_error(&message, fw.span()));
        ctx.diags.push(relation_error(&message, bk.span()));
    }
    if !fw.fields().is_empty() && !bk.fields().is_empty() {
        let message = pair(
            fw,
            bk,
            "both provide the `fields` argument in the @relation attribute. You have to provide it only on one of the two fields.",
        );
        ctx.diags.push(relation_error(&message, fw.span()));
        ctx.diags.push(relation_error(&message, bk.span()));
    }
    if fw.has_actions() && bk.has_actions() {
        let what = "both provide the `onDelete` or `onUpdate` argument in the @relation attribute. You have to provide it only on one of the two fields.";
        ctx.diags
            .push(relation_error(&pair(bk, fw, what), bk.span()));
        ctx.diags
            .push(relation_error(&pair(fw, bk, what), fw.span()));
    } else if bk.has_actions() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` must not specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify it on the opposite field `{}` on model `{}`.",
                bk.name(),
                bk.model_name(),
                fw.name(),
                fw.model_name()
            ),
            bk.span(),
        ));
    }
    if ctx.diags.has_errors() {
        return;
    }
    if !fw.fields().is_empty() && !bk.references().is_empty() {
        let message = format!(
            "The relation field `{}` on Model `{}` provides the `fields` argument in the @relation attribute. And the related field `{}` on Model `{}` provides the `references` argument. You must provide both arguments on the same side.",
            fw.name(),
            fw.model_name(),
            bk.name(),
            bk.model_name()
        );
        ctx.diags.push(relation_error(&message, fw.span()));
        ctx.diags.push(relation_error(&message, bk.span()));
    }
    if !fw.references().is_empty() && !bk.fields().is_empty() {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` provides the `references` argument in the @relation attribute. And the related field `{}` on Model `{}` provides the `fields` argument. You must provide both arguments on the same side.",
                fw.name(),
                fw.model_name(),
                bk.name(),
                bk.model_name()
            ),
            fw.span(),
        ));
    }
    if ctx.diags.has_errors() {
        return;
    }
    if bk.field.arity() == FieldArity::Required {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}` on Model `{}` is required. This is not valid because it's not possible to enforce this constraint on the database level. Please change the field type from `{}` to `{}?` to fix this.",
                bk.name(),
                bk.model_name(),
                fw.model_name(),
                fw.model_name()
            ),
            bk.span(),
        ));
    }
    if ctx.diags.has_errors() {
        return;
    }
    if fw.field.arity() == FieldArity::Required
        && (bk.field.relation.fields.is_some() || bk.field.relation.references.is_some())
    {
        ctx.diags.push(relation_error(
            &format!(
                "The relation field `{}.{}` defines the `fields` and/or `references` argument. You must set them on the required side of the relation (`{}.{}`) in order for the constraints to be enforced. Alternatively, you can change this field to be required and the opposite optional, or make both sides of the relation optional.",
                bk.model_name(),
                bk.name(),
                fw.model_name(),
                fw.name()
            ),
            bk.span(),
        ));
    }
}

fn many_to_many(ctx: &mut Ctx<'_, '_>, r: &RelationData<'_>) {
    let db = ctx.db;
    let sides: Vec<(usize, usize)> = [(r.model_a, r.field_a), (r.model_b, r.field_b)]
        .into_iter()
        .filter_map(|(m, f)| f.map(|f| (m, f)))
        .collect();
    let involves_view = [r.model_a, r.model_b]
        .iter()
        .any(|&m| db.models[m].ast.is_view);
    for &(m, f) in &sides {
        if involves_view {
            ctx.diags.push(Diagnostic::validation(
                "Implicit many-to-many relations are not supported for views.",
                db.models[m].fields[f].ast.span,
            ));
        }
    }
    for &(m, f) in &sides {
        let model = &db.models[m];
        let field = &model.fields[f];
        let FieldTy::Model(target) = field.ty else {
            continue;
        };
        let related = &db.models[target];
        let single_id = related
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.fields.len() == 1);
        if !single_id {
            let container = related.container();
            ctx.diags.push(Diagnostic::field_validation(
                &format!(
                    "The relation field `{}` on {container} `{}` references `{}` which does not have an `@id` field. Models without `@id` cannot be part of a many to many relation. Use an explicit intermediate Model to represent this relationship.",
                    field.name(),
                    model.name(),
                    related.name()
                ),
                container,
                model.name(),
                field.name(),
                field.ast.span,
            ));
            continue;
        }
        if let Some(references) = &field.relation.references {
            let id = related
                .primary_key
                .as_ref()
                .and_then(|pk| pk.fields.first())
                .map(|f| f.field);
            if references.len() != 1 || Some(references[0]) != id {
                let names: Vec<&str> = references
                    .iter()
                    .map(|&i| related.fields[i].name())
                    .collect();
                ctx.diags.push(Diagnostic::validation(
                    &format!(
                        "Implicit many-to-many relations must always reference the id field of the related model. Change the argument `references` to use the id field of the related model `{}`. But it is referencing the following fields that are not the id: {}",
                        related.name(),
                        names.join(", ")
                    ),
                    field.ast.span,
                ));
            }
        }
    }
    for &(m, f) in &sides {
        let field = &db.models[m].fields[f];
        for (_, span) in [field.relation.on_delete, field.relation.on_update]
            .into_iter()
            .flatten()
        {
            ctx.diags.push(Diagnostic::validation(
                "Referential actions on implicit many-to-many relations are not supported",
                span,
            ));
        }
    }
    for &(m, f) in &sides {
        let field = &db.models[m].fields[f];
        if field.relation.references.is_some() {
            ctx.diags.push(relation_error(
                "Implicit many-to-many relation should not have references argument defined. Either remove it, or change the relation to one-to-many.",
                field.ast.span,
            ));
        }
    }
}
