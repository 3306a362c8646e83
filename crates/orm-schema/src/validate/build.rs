//! Turns a validated [`Db`] into the IR, computing Prisma's names.

use super::attributes::default_kind;
use super::config::Config;
use super::{
    Db, FieldTy, IndexData, IndexFieldData, IndexKind, ModelData, RelationData, RelationShape,
};
use crate::ast::{self, FieldType};
use crate::ir::*;
use crate::provider::Provider;
use crate::validate::hash::FastMap as HashMap;

fn id32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn field_id(model: usize, field: usize) -> FieldId {
    FieldId {
        model: ModelId(id32(model)),
        index: id32(field),
    }
}

pub(crate) fn schema(db: &Db<'_>, config: &Config<'_>) -> Schema {
    let provider = config.provider();
    // A valid schema has only complete relations; ids follow the relations that are built.
    let mut relations = Vec::with_capacity(db.relations.len());
    let mut relation_of: HashMap<(usize, usize), usize> = HashMap::default();
    for r in &db.relations {
        if let Some(relation) = build_relation(db, provider, r) {
            for (m, f) in [(r.model_a, r.field_a), (r.model_b, r.field_b)] {
                if let Some(f) = f {
                    relation_of.insert((m, f), relations.len());
                }
            }
            relations.push(relation);
        }
    }

    let models = db
        .models
        .iter()
        .enumerate()
        .map(|(m, model)| build_model(db, provider, m, model, &relation_of))
        .collect();

    let enums = db
        .enums
        .iter()
        .map(|e| Enum {
            name: e.ast.name.name.clone(),
            db_name: e.db_name().to_owned(),
            schema: e.schema.map(|(s, _)| s.to_owned()),
            documentation: doc(&e.ast.documentation),
            values: e
                .ast
                .values
                .iter()
                .zip(&e.value_mapped_names)
                .map(|(v, mapped)| EnumValue {
                    name: v.name.name.clone(),
                    db_name: mapped.unwrap_or(&v.name.name).to_owned(),
                    documentation: doc(&v.documentation),
                    span: v.span,
                })
                .collect(),
            span: e.ast.span,
        })
        .collect();

    let datasource = config.datasource.as_ref().map(|d| Datasource {
        name: d.block.name.name.clone(),
        provider: d.provider_name.to_owned(),
        provider_kind: d.provider.kind,
        url: d.url.clone(),
        direct_url: d.direct_url.clone(),
        shadow_database_url: d.shadow_database_url.clone(),
        schemas: d.schemas.iter().map(|(s, _)| (*s).to_owned()).collect(),
        relation_mode: d.relation_mode,
        span: d.block.span,
    });

    let generators = config
        .generators
        .iter()
        .map(|g| Generator {
            name: g.block.name.name.clone(),
            provider: g.provider.clone(),
            output: g.output.clone(),
            preview_features: g.preview_features.iter().map(|s| (*s).to_owned()).collect(),
            config: g.config.clone(),
            documentation: doc(&g.block.documentation),
            span: g.block.span,
        })
        .collect();

    Schema {
        datasource,
        generators,
        models,
        enums,
        relations,
        provider: config.datasource.as_ref().map(|d| d.provider),
    }
}

fn doc(d: &Option<ast::Documentation>) -> Option<String> {
    d.as_ref().map(|d| d.text.clone())
}

fn build_model(
    db: &Db<'_>,
    provider: &Provider,
    m: usize,
    model: &ModelData<'_>,
    relation_of: &HashMap<(usize, usize), usize>,
) -> Model {
    let table = model.db_name();
    let columns = |fields: &[IndexFieldData]| -> Vec<&str> {
        fields
            .iter()
            .map(|f| model.fields[f.field].db_name())
            .collect()
    };
    let index_fields = |fields: &[IndexFieldData]| -> Vec<IndexField> {
        fields
            .iter()
            .map(|f| IndexField {
                field: field_id(m, f.field),
                sort: f.sort,
                length: f.length,
                ops: f.ops.clone(),
            })
            .collect()
    };
    let joined_names = |fields: &[IndexFieldData]| -> String {
        fields
            .iter()
            .map(|f| model.fields[f.field].name())
            .collect::<Vec<_>>()
            .join("_")
    };

    let fields = model
        .fields
        .iter()
        .enumerate()
        .map(|(f, field)| {
            let kind = match field.ty {
                FieldTy::Model(target) => {
                    let r = &field.relation;
                    FieldKind::Relation(RelationField {
                        target: ModelId(id32(target)),
                        relation: RelationId(id32(relation_of.get(&(m, f)).copied().unwrap_or(0))),
                        explicit_name: r.name.map(str::to_owned),
                        fields: r.fields.iter().flatten().map(|&i| field_id(m, i)).collect(),
                        references: r
                            .references
                            .iter()
                            .flatten()
                            .map(|&i| field_id(target, i))
                            .collect(),
                        on_delete: r.on_delete.map(|(a, _)| a),
                        on_update: r.on_update.map(|(a, _)| a),
                        mapped_name: r.mapped_name.map(str::to_owned),
                    })
                }
                ty => FieldKind::Scalar(ScalarField {
                    db_name: field.db_name().to_owned(),
                    field_type: match (ty, &field.ast.field_type) {
                        (FieldTy::Scalar(s), _) => ScalarFieldType::Scalar(s),
                        (FieldTy::Enum(e), _) => ScalarFieldType::Enum(EnumId(id32(e))),
                        (_, FieldType::Unsupported(s, _)) => {
                            ScalarFieldType::Unsupported(s.clone())
                        }
                        (_, FieldType::Named(n)) => ScalarFieldType::Unsupported(n.name.clone()),
                    },
                    default: field.default.as_ref().map(|d| DefaultValue {
                        kind: default_kind(ty, d.value),
                        constraint_name: d.mapped_name.map(str::to_owned),
                        span: d.attribute.span,
                    }),
                    native_type: field.native_type.as_ref().map(|n| NativeType {
                        name: n.name.to_owned(),
                        args: n.args.clone(),
                        span: n.attribute.span,
                    }),
                    is_id: model
                        .primary_key
                        .as_ref()
                        .is_some_and(|pk| pk.source_field == Some(f)),
                    is_unique: model
                        .indexes
                        .iter()
                        .any(|i| i.kind == IndexKind::Unique && i.source_field == Some(f)),
                    is_updated_at: field.is_updated_at,
                }),
            };
            Field {
                name: field.name().to_owned(),
                arity: match field.arity() {
                    ast::FieldArity::Required => Arity::Required,
                    ast::FieldArity::Optional => Arity::Optional,
                    ast::FieldArity::List => Arity::List,
                },
                documentation: doc(&field.ast.documentation),
                is_ignored: field.is_ignored,
                kind,
                span: field.ast.span,
            }
        })
        .collect();

    let primary_key = model.primary_key.as_ref().map(|pk| {
        let client_name = match (pk.source_field, pk.name) {
            (Some(f), _) => model.fields[f].name().to_owned(),
            (None, Some(name)) => name.to_owned(),
            (None, None) => joined_names(&pk.fields),
        };
        PrimaryKey {
            fields: index_fields(&pk.fields),
            name: pk.name.map(str::to_owned),
            client_name,
            mapped_name: pk.mapped_name.map(str::to_owned),
            constraint_name: pk
                .mapped_name
                .map_or_else(|| provider.primary_key_name(table), str::to_owned),
            is_field_level: pk.source_field.is_some(),
            span: pk.attribute.span,
        }
    });

    let unique_constraints = model
        .indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Unique)
        .map(|i: &IndexData<'_>| UniqueConstraint {
            fields: index_fields(&i.fields),
            name: i.name.map(str::to_owned),
            client_name: match (i.source_field, i.name) {
                (Some(f), _) => model.fields[f].name().to_owned(),
                (None, Some(name)) => name.to_owned(),
                (None, None) => joined_names(&i.fields),
            },
            mapped_name: i.mapped_name.map(str::to_owned),
            constraint_name: i.mapped_name.map_or_else(
                || provider.unique_index_name(table, &columns(&i.fields)),
                str::to_owned,
            ),
            is_field_level: i.source_field.is_some(),
            span: i.attribute.span,
        })
        .collect();

    let indexes = model
        .indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Normal)
        .map(|i| Index {
            fields: index_fields(&i.fields),
            algorithm: i.algorithm.unwrap_or_default(),
            mapped_name: i.mapped_name.map(str::to_owned),
            constraint_name: i.mapped_name.map_or_else(
                || provider.index_name(table, &columns(&i.fields)),
                str::to_owned,
            ),
            span: i.attribute.span,
        })
        .collect();

    let _ = db;
    Model {
        name: model.name().to_owned(),
        db_name: table.to_owned(),
        schema: model.schema.map(|(s, _)| s.to_owned()),
        documentation: doc(&model.ast.documentation),
        is_view: model.ast.is_view,
        is_ignored: model.is_ignored,
        fields,
        primary_key,
        unique_constraints,
        indexes,
        span: model.ast.span,
    }
}

fn build_relation(db: &Db<'_>, provider: &Provider, r: &RelationData<'_>) -> Option<Relation> {
    let (mut model_a, mut model_b) = (r.model_a, r.model_b);
    let (mut field_a, mut field_b) = (r.field_a?, r.field_b?);
    let name = r.name(db);

    match r.shape {
        RelationShape::ImplicitManyToMany => {
            let id_of = |m: usize| -> Option<usize> {
                let pk = db.models[m].primary_key.as_ref()?;
                pk.fields.first().map(|f| f.field)
            };
            let table = format!("_{name}");
            let column = |col: &str, m: usize| -> Option<JoinColumn> {
                Some(JoinColumn {
                    name: col.to_owned(),
                    model: ModelId(id32(m)),
                    references: field_id(m, id_of(m)?),
                    foreign_key_name: format!("{table}_{col}_fkey"),
                })
            };
            let join_table = JoinTable {
                schema: db.models[model_a].schema.map(|(s, _)| s.to_owned()),
                column_a: column("A", model_a)?,
                column_b: column("B", model_b)?,
                ab_constraint_name: if provider.implicit_m2m_primary_key {
                    format!("{table}_AB_pkey")
                } else {
                    format!("{table}_AB_unique")
                },
                ab_is_primary_key: provider.implicit_m2m_primary_key,
                b_index_name: format!("{table}_B_index"),
                name: table,
            };
            Some(Relation {
                name,
                kind: RelationKind::ManyToMany,
                model_a: ModelId(id32(model_a)),
                model_b: ModelId(id32(model_b)),
                field_a: field_id(model_a, field_a),
                field_b: field_id(model_b, field_b),
                foreign_key: None,
                join_table: Some(join_table),
            })
        }
        RelationShape::OneToOne | RelationShape::OneToMany => {
            // Model A holds the foreign key: the side with `fields:`.
            let has_fields = |m: usize, f: usize| {
                db.models[m].fields[f]
                    .relation
                    .fields
                    .as_ref()
                    .is_some_and(|v| !v.is_empty())
            };
            if !has_fields(model_a, field_a) && has_fields(model_b, field_b) {
                std::mem::swap(&mut model_a, &mut model_b);
                std::mem::swap(&mut field_a, &mut field_b);
            }
            let referencing = &db.models[model_a];
            let rel = &referencing.fields[field_a].relation;
            let fields: Vec<usize> = rel.fields.clone().unwrap_or_default();
            let references: Vec<usize> = rel.references.clone().unwrap_or_default();
            let any_required = fields
                .iter()
                .any(|&f| referencing.fields[f].arity() == ast::FieldArity::Required);
            let default_on_delete = if any_required {
                if provider.supports_referential_action(ReferentialAction::Restrict) {
                    ReferentialAction::Restrict
                } else {
                    ReferentialAction::NoAction
                }
            } else {
                ReferentialAction::SetNull
            };
            let columns: Vec<&str> = fields
                .iter()
                .map(|&f| referencing.fields[f].db_name())
                .collect();
            let foreign_key = ForeignKey {
                model: ModelId(id32(model_a)),
                relation_field: field_id(model_a, field_a),
                fields: fields.iter().map(|&f| field_id(model_a, f)).collect(),
                referenced_model: ModelId(id32(model_b)),
                references: references.iter().map(|&f| field_id(model_b, f)).collect(),
                on_delete: rel.on_delete.map_or(default_on_delete, |(a, _)| a),
                on_delete_is_explicit: rel.on_delete.is_some(),
                on_update: rel.on_update.map_or(ReferentialAction::Cascade, |(a, _)| a),
                on_update_is_explicit: rel.on_update.is_some(),
                constraint_name: rel.mapped_name.map_or_else(
                    || provider.foreign_key_name(referencing.db_name(), &columns),
                    str::to_owned,
                ),
            };
            Some(Relation {
                name,
                kind: if r.shape == RelationShape::OneToOne {
                    RelationKind::OneToOne
                } else {
                    RelationKind::OneToMany
                },
                model_a: ModelId(id32(model_a)),
                model_b: ModelId(id32(model_b)),
                field_a: field_id(model_a, field_a),
                field_b: field_id(model_b, field_b),
                foreign_key: Some(foreign_key),
                join_table: None,
            })
        }
        RelationShape::TwoWayEmbeddedManyToMany => None,
    }
}
