//! Pass 6, the rules that need a fully resolved schema and the provider: keys, relations,
//! defaults, native types and capabilities (Prisma's `psl-core` validation pipeline). It only
//! runs when every earlier pass was clean.

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
    models::validate(&mut ctx);
    fields::validate(&mut ctx);
    relations::validate(&mut ctx);
}
