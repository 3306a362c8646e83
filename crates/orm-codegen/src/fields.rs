//! One module per field: `user::email::contains(..)`, `user::orders::some(..)`, ….
//!
//! What a module offers depends on the field's type and arity, so a filter that makes no sense
//! for the field does not exist (and does not compile): `contains` only on strings, `lt` only
//! on ordered types, null checks only on optional fields, list filters only on lists,
//! `equals` as a unique filter only on `@id`/`@unique` fields.

use orm_schema::ir::{Arity, ProviderKind, RelationFieldRef};
use proc_macro2::TokenStream;
use quote::quote;

use crate::client::{create_struct, docs};
use crate::plan::{
    Class, FieldKind, FieldPlan, ModelPlan, Paths, Plan, Ty, field_id_short, required_in_create,
};

pub(crate) fn field_module(plan: &Plan<'_>, m: &ModelPlan<'_>, f: &FieldPlan<'_>) -> TokenStream {
    let rust = &f.rust;
    let model = &m.name;
    let id = field_id_short(f.field.id());
    let body = match &f.kind {
        FieldKind::Scalar(scalar, ty) => {
            let unique = scalar.is_id
                || scalar.is_unique
                || m.model
                    .unique_constraints
                    .iter()
                    .any(|u| u.fields.len() == 1 && u.fields[0].field == f.field.id())
                || m.model
                    .primary_key()
                    .is_some_and(|pk| pk.fields.len() == 1 && pk.fields[0].field == f.field.id());
            if ty.arity == Arity::List {
                list_functions(model, ty)
            } else {
                scalar_functions(model, ty, unique, plan.provider)
            }
        }
        FieldKind::Relation(relation) => relation_functions(plan, model, *relation),
    };
    let summary = match &f.kind {
        FieldKind::Scalar(..) => format!(
            " The `{}` field: its filters, ordering, update operations and aggregates.",
            f.field.name
        ),
        FieldKind::Relation(..) => format!(
            " The `{}` relation: its filters, ordering, nested writes and include arguments.",
            f.field.name
        ),
    };
    let doc = docs(f.field.documentation.as_deref(), "");
    let doc = if f.field.documentation.is_some() {
        quote!(#doc #[doc = ""] #[doc = #summary])
    } else {
        quote!(#[doc = #summary])
    };
    quote! {
        #doc
        pub mod #rust {
            use ::orm_core::__private::prelude::*;

            const __FIELD: FieldId = #id;

            #body
        }
    }
}

fn scalar_functions(
    model: &proc_macro2::Ident,
    ty: &Ty,
    unique: bool,
    provider: Option<ProviderKind>,
) -> TokenStream {
    let root = quote!(super::super::);
    let m = quote!(super::#model);
    let base = ty.base(&root, Paths::Short);
    let full = ty.full(&root, Paths::Short);
    let input = ty.input(&root);
    let value = ty.to_value(&root, &quote!(value));
    let filter = |name: &str, doc: &str, op: TokenStream| {
        let name = quote::format_ident!("{name}");
        quote! {
            #[doc = #doc]
            pub fn #name(value: #input) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::#op(#value))
            }
        }
    };
    let mut out = TokenStream::new();

    out.extend(if unique {
        quote! {
            /// The field equals `value`: a unique filter (for `find_unique`, `update`,
            /// `cursor`, …) that also works as a plain filter, and takes further conditions
            /// with `.and([…])`.
            pub fn equals<K: ::orm_core::model::condition::Kind>(
                value: #input,
            ) -> ::orm_core::model::Condition<#m, K> {
                ::orm_core::model::Condition::unique_equals(__FIELD, #value)
            }
        }
    } else {
        filter("equals", " The field equals `value`.", quote!(Equals))
    });
    out.extend(filter(
        "not",
        " The field is not `value` (null values do not match).",
        quote!(NotEquals),
    ));
    if ty.class.has_in() {
        let item = ty.input(&root);
        out.extend(quote! {
            /// The field is one of `values` (none: no record matches).
            pub fn in_(values: impl IntoIterator<Item = #item>) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::In(__values::<#base>(values)))
            }

            /// The field is none of `values` (null values do not match).
            pub fn not_in(values: impl IntoIterator<Item = #item>) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::NotIn(__values::<#base>(values)))
            }
        });
    }
    if ty.class.is_ordered() {
        out.extend(filter("lt", " The field is less than `value`.", quote!(Lt)));
        out.extend(filter("lte", " The field is at most `value`.", quote!(Lte)));
        out.extend(filter(
            "gt",
            " The field is greater than `value`.",
            quote!(Gt),
        ));
        out.extend(filter(
            "gte",
            " The field is at least `value`.",
            quote!(Gte),
        ));
    }
    if ty.class == Class::String {
        out.extend(quote! {
            /// The field contains `text` (literally: `%` and `_` are not wildcards).
            pub fn contains(text: impl FieldValue<String>) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::Contains(text.into_field_value()))
            }

            /// The field starts with `text` (literally).
            pub fn starts_with(text: impl FieldValue<String>) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::StartsWith(text.into_field_value()))
            }

            /// The field ends with `text` (literally).
            pub fn ends_with(text: impl FieldValue<String>) -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::EndsWith(text.into_field_value()))
            }

            /// The string filters with a matching mode:
            /// `mode(QueryMode::Insensitive).contains("@B.CO")`.
            pub fn mode(mode: QueryMode) -> TextFilter<#m> {
                TextFilter::new(__FIELD, mode)
            }
        });
    }
    if ty.class == Class::Json {
        out.extend(json_path(&m, provider));
    }
    if ty.arity == Arity::Optional {
        out.extend(quote! {
            /// The field is null.
            pub fn is_null() -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::Equals(Value::Null))
            }

            /// The field is not null.
            pub fn is_not_null() -> Where<#m> {
                Where::scalar(__FIELD, ScalarOp::NotEquals(Value::Null))
            }
        });
    }
    if ty.class.is_sortable() {
        out.extend(order_functions(&m));
    }
    out.extend(if ty.arity == Arity::Optional {
        quote! {
            /// Sets the field: a value, `Some(value)`, or `None` for null.
            pub fn set(value: impl Nullable<#base>) -> Data<#m> {
                Data::scalar(__FIELD, UpdateOp::Set(__nullable::<#base>(value)))
            }
        }
    } else {
        quote! {
            /// Sets the field.
            pub fn set(value: #input) -> Data<#m> {
                Data::scalar(__FIELD, UpdateOp::Set(#value))
            }
        }
    });
    if ty.class.is_number() {
        for (name, op, doc) in [
            (
                "increment",
                quote!(Increment),
                " Adds `value` (a null field stays null).",
            ),
            ("decrement", quote!(Decrement), " Subtracts `value`."),
            ("multiply", quote!(Multiply), " Multiplies by `value`."),
            (
                "divide",
                quote!(Divide),
                " Divides by `value` (integer division on integers).",
            ),
        ] {
            let name = quote::format_ident!("{name}");
            out.extend(quote! {
                #[doc = #doc]
                pub fn #name(value: #input) -> Data<#m> {
                    Data::scalar(__FIELD, UpdateOp::#op(#value))
                }
            });
        }
    }
    out.extend(quote! {
        /// The field as a handle: for `distinct` and `group_by`.
        pub fn field() -> Field<#m, #full> {
            Field::new(__FIELD)
        }

        /// The number of non-null values (`_count`).
        pub fn count() -> Aggregate<#m, i64> {
            Aggregate::new(engine::Aggregate::Count(__FIELD))
        }
    });
    if ty.class.is_ordered() || ty.class == Class::Enum {
        out.extend(quote! {
            /// The smallest value (`_min`).
            pub fn min() -> Aggregate<#m, Option<#base>> {
                Aggregate::new(engine::Aggregate::Min(__FIELD))
            }

            /// The largest value (`_max`).
            pub fn max() -> Aggregate<#m, Option<#base>> {
                Aggregate::new(engine::Aggregate::Max(__FIELD))
            }
        });
    }
    if let (Some(sum), Some(avg)) = (ty.sum(&root), ty.avg(&root)) {
        out.extend(quote! {
            /// The sum (`_sum`; null on no records).
            pub fn sum() -> Aggregate<#m, Option<#sum>> {
                Aggregate::new(engine::Aggregate::Sum(__FIELD))
            }

            /// The average (`_avg`; null on no records).
            pub fn avg() -> Aggregate<#m, Option<#avg>> {
                Aggregate::new(engine::Aggregate::Avg(__FIELD))
            }
        });
    }
    out
}

/// `path`, in the provider's form as in Prisma: keys on PostgreSQL, a JSON path on SQLite.
fn json_path(m: &TokenStream, provider: Option<ProviderKind>) -> TokenStream {
    match provider {
        Some(ProviderKind::Sqlite) => quote! {
            /// The filters of the value at `path`, a JSON path (`"$.flags.beta"`, as Prisma's
            /// `path` on SQLite): `path("$.theme").equals(json!("dark"))`.
            pub fn path(path: impl FieldValue<String>) -> JsonPathFilter<#m> {
                JsonPathFilter::new(__FIELD, JsonPath::Expression(path.into_field_value()))
            }
        },
        Some(ProviderKind::Postgres) | None => quote! {
            /// The filters of the value at `path`, keys and array indexes from the root
            /// (`["flags", "beta"]`, as Prisma's `path` on PostgreSQL):
            /// `path(["theme"]).equals(json!("dark"))`.
            pub fn path(
                path: impl IntoIterator<Item = impl FieldValue<String>>,
            ) -> JsonPathFilter<#m> {
                let keys = path.into_iter().map(FieldValue::into_field_value).collect();
                JsonPathFilter::new(__FIELD, JsonPath::Keys(keys))
            }
        },
    }
}

fn order_functions(m: &TokenStream) -> TokenStream {
    quote! {
        /// Orders by the field, ascending.
        pub fn asc() -> OrderBy<#m> {
            OrderBy::field(__FIELD, Direction::Asc)
        }

        /// Orders by the field, descending.
        pub fn desc() -> OrderBy<#m> {
            OrderBy::field(__FIELD, Direction::Desc)
        }

        /// Orders by the field.
        pub fn order(direction: Direction) -> OrderBy<#m> {
            OrderBy::field(__FIELD, direction)
        }
    }
}

fn list_functions(model: &proc_macro2::Ident, ty: &Ty) -> TokenStream {
    let root = quote!(super::super::);
    let m = quote!(super::#model);
    let base = ty.base(&root, Paths::Short);
    let full = ty.full(&root, Paths::Short);
    let input = ty.input(&root);
    let value = ty.to_value(&root, &quote!(value));
    let kind = ty.kind();
    quote! {
        /// The list equals `values` (same elements, same order).
        pub fn equals(values: impl IntoIterator<Item = #input>) -> Where<#m> {
            Where::scalar(__FIELD, ScalarOp::Equals(__list::<#base>(#kind, values)))
        }

        /// The list contains `value` (`has`).
        pub fn has(value: #input) -> Where<#m> {
            Where::scalar(__FIELD, ScalarOp::Has(#value))
        }

        /// The list contains at least one of `values` (`hasSome`).
        pub fn has_some(values: impl IntoIterator<Item = #input>) -> Where<#m> {
            Where::scalar(__FIELD, ScalarOp::HasSome(__values::<#base>(values)))
        }

        /// The list contains every one of `values` (`hasEvery`).
        pub fn has_every(values: impl IntoIterator<Item = #input>) -> Where<#m> {
            Where::scalar(__FIELD, ScalarOp::HasEvery(__values::<#base>(values)))
        }

        /// The list is empty (`true`) or not (`false`).
        pub fn is_empty(empty: bool) -> Where<#m> {
            Where::scalar(__FIELD, ScalarOp::IsEmpty(empty))
        }

        /// Replaces the list.
        pub fn set(values: impl IntoIterator<Item = #input>) -> Data<#m> {
            Data::scalar(__FIELD, UpdateOp::Set(__list::<#base>(#kind, values)))
        }

        /// Appends `value` to the list.
        pub fn push(value: #input) -> Data<#m> {
            Data::scalar(__FIELD, UpdateOp::Push(#value))
        }

        /// The field as a handle: for `distinct` and `group_by`.
        pub fn field() -> Field<#m, #full> {
            Field::new(__FIELD)
        }

        /// The number of non-null values (`_count`).
        pub fn count() -> Aggregate<#m, i64> {
            Aggregate::new(engine::Aggregate::Count(__FIELD))
        }
    }
}

fn relation_functions(
    plan: &Plan<'_>,
    model: &proc_macro2::Ident,
    relation: RelationFieldRef<'_>,
) -> TokenStream {
    let m = quote!(super::#model);
    let Some(target) = plan.model(relation.target().id()) else {
        return TokenStream::new();
    };
    let target_module = &target.module;
    let target_name = &target.name;
    let t = quote!(super::super::#target_module::#target_name);
    let creation = quote!(impl Into<Creation<#t>>);
    let mut out = quote! {
        /// Arguments for this relation where a payload includes it:
        /// `Payload::args().with(args().take(3))`.
        pub fn args() -> RelationArgs<#m, #t> {
            RelationArgs::new(__FIELD)
        }
    };
    if relation.arity() == Arity::List {
        out.extend(quote! {
            /// Some related record matches every filter (`some`; `vec![]`: has any).
            pub fn some(filters: Vec<Where<#t>>) -> Where<#m> {
                __related(__FIELD, RelationFilter::Some, filters)
            }

            /// Every related record matches every filter (`every`; true without related records).
            pub fn every(filters: Vec<Where<#t>>) -> Where<#m> {
                __related(__FIELD, RelationFilter::Every, filters)
            }

            /// No related record matches every filter (`none`; `vec![]`: has none).
            pub fn none(filters: Vec<Where<#t>>) -> Where<#m> {
                __related(__FIELD, RelationFilter::None, filters)
            }

            /// Orders by the number of related records (`{ _count: direction }`).
            pub fn order_by_count(direction: Direction) -> OrderBy<#m> {
                OrderBy::relation_count(__FIELD, direction)
            }

            /// Nested `create`: new related records, connected.
            pub fn create(items: impl IntoIterator<Item = #creation>) -> Data<#m> {
                Data::create(__FIELD, items.into_iter().map(Into::into))
            }

            /// Nested `createMany`: new related records in one statement (add
            /// `.skip_duplicates()` to skip those that conflict with a unique constraint).
            pub fn create_many(items: impl IntoIterator<Item = #creation>) -> Data<#m> {
                Data::create_many(__FIELD, items.into_iter().map(Into::into), false)
            }

            /// Nested `connect`: connects existing records (a missing one fails the write).
            pub fn connect(items: impl IntoIterator<Item = UniqueWhere<#t>>) -> Data<#m> {
                Data::unique(__FIELD, NestedWrite::Connect, items)
            }

            /// Nested `connectOrCreate`: connects each record, creating it when missing.
            pub fn connect_or_create(items: impl IntoIterator<Item = (UniqueWhere<#t>, #creation)>) -> Data<#m> {
                Data::connect_or_create(__FIELD, items.into_iter().map(|(w, c)| (w, c.into())))
            }

            /// Nested `disconnect`: disconnects these records (missing ones are ignored).
            pub fn disconnect(items: impl IntoIterator<Item = UniqueWhere<#t>>) -> Data<#m> {
                Data::unique(__FIELD, NestedWrite::Disconnect, items)
            }

            /// Nested `set`: the related records become exactly these.
            pub fn set(items: impl IntoIterator<Item = UniqueWhere<#t>>) -> Data<#m> {
                Data::unique(__FIELD, NestedWrite::Set, items)
            }

            /// Nested `update`: updates related records named by unique filters.
            pub fn update(items: impl IntoIterator<Item = (UniqueWhere<#t>, Vec<Data<#t>>)>) -> Data<#m> {
                Data::update(__FIELD, items.into_iter().map(|(w, d)| (w.into_filter(), d)).collect())
            }

            /// Nested `updateMany`: updates the related records matching every filter.
            pub fn update_many(filters: Vec<Where<#t>>, data: Vec<Data<#t>>) -> Data<#m> {
                Data::update_many(__FIELD, filters, data)
            }

            /// Nested `upsert`: updates the related record, or creates and connects it.
            pub fn upsert(filter: UniqueWhere<#t>, create: #creation, update: Vec<Data<#t>>) -> Data<#m> {
                Data::upsert(__FIELD, filter.into_filter(), create.into(), update)
            }

            /// Nested `delete`: deletes related records named by unique filters.
            pub fn delete(items: impl IntoIterator<Item = UniqueWhere<#t>>) -> Data<#m> {
                Data::unique(__FIELD, NestedWrite::Delete, items)
            }

            /// Nested `deleteMany`: deletes the related records matching every filter.
            pub fn delete_many(filters: Vec<Where<#t>>) -> Data<#m> {
                Data::delete_many(__FIELD, filters)
            }
        });
    } else {
        out.extend(quote! {
            /// The related record exists and matches every filter (`is`).
            pub fn is(filters: Vec<Where<#t>>) -> Where<#m> {
                __related(__FIELD, RelationFilter::Is, filters)
            }

            /// There is no related record matching every filter (`isNot`; records without a
            /// related record match).
            pub fn is_not(filters: Vec<Where<#t>>) -> Where<#m> {
                __related(__FIELD, RelationFilter::IsNot, filters)
            }

            /// Orders by a field of the related record.
            pub fn order_by(order: OrderBy<#t>) -> OrderBy<#m> {
                order.through(__FIELD)
            }

            /// Nested `create`: a new related record, connected.
            pub fn create(item: #creation) -> Data<#m> {
                Data::create(__FIELD, [item.into()])
            }

            /// Nested `connect`: connects an existing record (a missing one fails the write).
            pub fn connect(filter: UniqueWhere<#t>) -> Data<#m> {
                Data::unique(__FIELD, NestedWrite::Connect, [filter])
            }

            /// Nested `connectOrCreate`: connects the record, creating it when missing.
            pub fn connect_or_create(filter: UniqueWhere<#t>, create: #creation) -> Data<#m> {
                Data::connect_or_create(__FIELD, [(filter, create.into())])
            }

            /// Nested `update` of the related record.
            pub fn update(data: Vec<Data<#t>>) -> Data<#m> {
                Data::update(__FIELD, vec![(Filter::Empty, data)])
            }

            /// Nested `upsert`: updates the related record, or creates and connects one.
            pub fn upsert(create: #creation, update: Vec<Data<#t>>) -> Data<#m> {
                Data::upsert(__FIELD, Filter::Empty, create.into(), update)
            }
        });
        if relation.arity() == Arity::Optional {
            out.extend(quote! {
                /// There is no related record (`is: null`).
                pub fn is_null() -> Where<#m> {
                    Where::relation(__FIELD, RelationFilter::IsNull)
                }

                /// There is a related record (`isNot: null`).
                pub fn is_not_null() -> Where<#m> {
                    Where::relation(__FIELD, RelationFilter::IsNotNull)
                }

                /// Nested `disconnect` of the related record.
                pub fn disconnect() -> Data<#m> {
                    Data::relation(__FIELD, NestedWrite::Disconnect(vec![Filter::Empty]))
                }

                /// Nested `delete` of the related record.
                pub fn delete() -> Data<#m> {
                    Data::relation(__FIELD, NestedWrite::Delete(vec![Filter::Empty]))
                }
            });
        }
    }
    out.extend(nested_create(relation, target, &t));
    out
}

/// The `Create` of a nested create through `relation`: the target's required fields minus the
/// foreign key the relation fills in, or the target's own `Create` when that leaves nothing
/// out.
fn nested_create(
    relation: RelationFieldRef<'_>,
    target: &ModelPlan<'_>,
    t: &TokenStream,
) -> TokenStream {
    let root = quote!(super::super::);
    let filled: Vec<_> = relation
        .relation()
        .foreign_key
        .as_ref()
        .filter(|fk| !relation.holds_foreign_key() && fk.model == target.model.id())
        .map(|fk| fk.fields.clone())
        .unwrap_or_default();
    let required = || target.scalars().filter(|(_, s, _)| required_in_create(*s));
    if !required().any(|(f, ..)| filled.contains(&f.field.id())) {
        let module = &target.module;
        let doc = format!(
            " The data of a `{}` created through this relation: see [`{}::Create`](super::super::{}::Create).",
            target.model.name, module, module
        );
        return quote! {
            #[doc = #doc]
            pub type Create = super::super::#module::Create;
        };
    }
    let mut doc = format!(
        " The data of a `{}` created through this relation: its required fields, without the \
         foreign key the relation fills in. Optional fields are added with [`Create::with`].",
        target.model.name
    );
    let opposite = relation.opposite().name();
    if let Some(field) = target.field_named(opposite) {
        // Prisma's `XCreateWithoutYInput` serves both: a standalone create that gives the
        // relation instead of its foreign key takes the same fields.
        doc.push_str(&format!(
            " It is also the data of a `{model}` created on its own whose `{opposite}` is a \
             nested write instead of its foreign key (Prisma's `{opposite}: {{ connect }}` in a \
             create): `Create {{ .. }}.with({module}::{field}::connect(..))`.",
            model = target.model.name,
            module = target.module,
            field = field.rust,
        ));
    }
    create_struct(
        &root,
        required()
            .filter(|(f, ..)| !filled.contains(&f.field.id()))
            .map(|(f, _, ty)| (f, ty.clone())),
        t,
        &doc,
    )
}
