//! Pass 2, types: every field type resolves to a scalar type, an enum, a model (a relation
//! field) or a composite type (Prisma's `parser-database/src/types.rs`).

use super::{Db, FieldTy, TopRef};
use crate::ast::{self, FieldType};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::ScalarType;

pub(crate) fn resolve(db: &mut Db<'_>, diags: &mut Diagnostics) {
    db.types_resolved = true;
    for m in 0..db.models.len() {
        for f in 0..db.models[m].fields.len() {
            let ty = resolve_field(db, db.models[m].fields[f].ast, diags);
            db.models[m].fields[f].ty = ty;
        }
    }
    for e in &db.enums {
        if e.ast.values.is_empty() {
            diags.push(Diagnostic::validation(
                "An enum must have at least one value.",
                e.ast.span,
            ));
        }
    }
    for c in 0..db.composite_types.len() {
        for f in 0..db.composite_types[c].ast.fields.len() {
            let ty = resolve_field(db, &db.composite_types[c].ast.fields[f], diags);
            db.composite_types[c].field_types[f] = ty;
        }
    }
}

fn resolve_field(db: &Db<'_>, field: &ast::Field, diags: &mut Diagnostics) -> FieldTy {
    match &field.field_type {
        FieldType::Unsupported(..) => FieldTy::Unsupported,
        FieldType::Named(ident) => {
            if let Some(scalar) = ScalarType::from_name(&ident.name) {
                return FieldTy::Scalar(scalar);
            }
            match db.tops.get(ident.name.as_str()) {
                Some(TopRef::Model(m)) => FieldTy::Model(*m),
                Some(TopRef::Enum(e)) => FieldTy::Enum(*e),
                Some(TopRef::CompositeType(c)) => FieldTy::CompositeType(*c),
                None => {
                    let suggestion = ScalarType::ALL
                        .into_iter()
                        .find(|t| t.as_str().eq_ignore_ascii_case(&ident.name));
                    diags.push(match suggestion {
                        Some(t) => {
                            Diagnostic::type_for_case_not_found(&ident.name, t.as_str(), ident.span)
                        }
                        None => Diagnostic::type_not_found(&ident.name, ident.span),
                    });
                    FieldTy::Unknown
                }
            }
        }
    }
}
