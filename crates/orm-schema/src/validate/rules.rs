//! Pass 6, the rules that need a fully resolved schema and the provider: keys, relations,
//! defaults, native types and capabilities (Prisma's `psl-core` validation pipeline). It only
//! runs when every earlier pass was clean, and it checks in Prisma's order (per model: the
//! model, its scalar fields, its relation fields, its indexes; then enums; then relations),
//! so the first error is the one Prisma reports first.

mod fields;
mod models;
mod relations;

use super::Db;
use super::config::Config;
use crate::diagnostics::Diagnostics;
use crate::provider::Provider;

/// What every rule reads.
pub(crate) struct Ctx<'d, 'a> {
    pub db: &'d Db<'a>,
    pub config: &'d Config<'a>,
    pub provider: &'static Provider,
    pub diags: &'d mut Diagnostics,
}

pub(crate) fn validate(db: &Db<'_>, config: &Config<'_>, diags: &mut Diagnostics) {
    let mut ctx = Ctx {
        db,
        config,
        provider: config.provider(),
        diags,
    };
    fields::composite_types(&mut ctx);
    fields::unknown_default_functions(&mut ctx);
    models::database_name_clashes(&mut ctx);
    let mut constraint_errors = models::constraint_name_violations(&ctx);
    let relation_names = relations::relation_names(&ctx);

    let models = (0..db.models.len())
        .filter(|&m| !db.models[m].ast.is_view)
        .chain((0..db.models.len()).filter(|&m| db.models[m].ast.is_view));
    for m in models {
        let model = &db.models[m];
        models::model_rules(&mut ctx, model);
        for d in constraint_errors.take(models::Owner::PrimaryKey(m)) {
            ctx.diags.push(d);
        }
        models::model_rules_after_key_names(&mut ctx, model);
        for f in 0..model.fields.len() {
            if model.fields[f].is_scalar() {
                fields::scalar_field_rules(&mut ctx, model, f);
            }
        }
        for f in 0..model.fields.len() {
            if model.fields[f].is_relation() {
                // Prisma stops at the first ambiguous relation: one naming mistake would
                // otherwise produce a wall of follow-up errors.
                if let Some(error) = relations::ambiguity(&ctx, &relation_names, m, f) {
                    ctx.diags.push(error);
                    return;
                }
                relations::relation_field_rules(&mut ctx, model, f);
            }
        }
        // Views have no indexes in the database; the view rules report their attributes.
        if !model.ast.is_view {
            for i in 0..model.indexes.len() {
                for d in constraint_errors.take(models::Owner::Index(m, i)) {
                    ctx.diags.push(d);
                }
                fields::index_rules(&mut ctx, model, i);
            }
        }
    }
    models::enum_rules(&mut ctx);
    relations::relation_rules(&mut ctx, &mut constraint_errors);
}
