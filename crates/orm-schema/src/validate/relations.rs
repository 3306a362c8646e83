//! Pass 4, relations: pairs relation fields into relations and decides their shape, with
//! Prisma's inference rules (`parser-database/src/relations.rs`).
//!
//! Model A of a 1-1 or 1-n relation is the side with the foreign key; for implicit m-n it is
//! the model whose name sorts first (field names break the tie for self-relations), which
//! decides which join table column is `A`.

use super::{Db, FieldTy, IndexKind, RelationData, RelationShape};
use crate::ast::FieldArity;

pub(crate) fn infer(db: &mut Db<'_>) {
    let mut relations = Vec::new();
    for m in 0..db.models.len() {
        for f in 0..db.models[m].fields.len() {
            if let Some(relation) = ingest(db, m, f) {
                relations.push(relation);
            }
        }
    }
    db.relations = relations;
}

fn ingest<'a>(db: &Db<'a>, m: usize, f: usize) -> Option<RelationData<'a>> {
    let model = &db.models[m];
    let field = &model.fields[f];
    let FieldTy::Model(target) = field.ty else {
        return None;
    };
    let name = field.relation.name;
    let is_self = target == m;
    let opposite = db.models[target]
        .fields
        .iter()
        .enumerate()
        .filter(|(_, o)| o.ty == FieldTy::Model(m))
        .filter(|(i, _)| !is_self || *i != f)
        .find(|(_, o)| o.relation.name == name);

    let model_name = model.name();
    let target_name = db.models[target].name();
    let sorts_after = |opp_field: &str| (model_name, field.name()) > (target_name, opp_field);
    let both = |shape| RelationData {
        explicit_name: name,
        shape,
        model_a: m,
        model_b: target,
        field_a: Some(f),
        field_b: opposite.map(|(i, _)| i),
    };

    use FieldArity::{List, Optional, Required};
    let relation = match (field.arity(), opposite) {
        (List, Some((_, opp))) if opp.arity() == List => {
            if model_name > target_name || (is_self && field.name() > opp.name()) {
                return None;
            }
            let embedded = field.relation.fields.is_some() || opp.relation.fields.is_some();
            both(if embedded {
                RelationShape::TwoWayEmbeddedManyToMany
            } else {
                RelationShape::ImplicitManyToMany
            })
        }
        (Required, Some((_, opp))) if opp.arity() == Optional => both(RelationShape::OneToOne),
        (Required, Some((_, opp))) if opp.arity() == Required => {
            if sorts_after(opp.name()) {
                return None;
            }
            both(RelationShape::OneToOne)
        }
        (Optional, Some((_, opp))) if opp.arity() == Required => return None,
        (Optional, Some((_, opp))) if opp.arity() == Optional => {
            if field.relation.fields.is_some() {
                both(RelationShape::OneToOne)
            } else if opp.relation.fields.is_none() {
                if sorts_after(opp.name()) {
                    return None;
                }
                both(RelationShape::OneToOne)
            } else {
                return None;
            }
        }
        (List, Some(_)) => return None,
        (List, None) => RelationData {
            explicit_name: name,
            shape: RelationShape::OneToMany,
            model_a: target,
            model_b: m,
            field_a: None,
            field_b: Some(f),
        },
        (Required | Optional, Some(_)) => both(RelationShape::OneToMany),
        (Required | Optional, None) => {
            let unique = field.relation.fields.as_ref().is_some_and(|fields| {
                model.indexes.iter().any(|idx| {
                    idx.kind == IndexKind::Unique
                        && idx
                            .fields
                            .iter()
                            .map(|f| f.field)
                            .eq(fields.iter().copied())
                })
            });
            RelationData {
                explicit_name: name,
                shape: if unique {
                    RelationShape::OneToOne
                } else {
                    RelationShape::OneToMany
                },
                model_a: m,
                model_b: target,
                field_a: Some(f),
                field_b: None,
            }
        }
    };
    Some(relation)
}
