//! The main expansion: enums, one module per model, `PrismaClient`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::fields::field_module;
use crate::names::{ident, snake_case};
use crate::plan::{
    EnumPlan, FieldKind, ModelPlan, Paths, Plan, field_id, field_id_short, number,
    required_in_create,
};
use crate::{Options, Source};

/// `#[doc = …]` attributes for a schema doc comment, or for `fallback`.
pub(crate) fn docs(documentation: Option<&str>, fallback: &str) -> TokenStream {
    match documentation {
        Some(text) => {
            let lines = text.lines().map(|l| format!(" {}", l.trim_end()));
            quote!(#(#[doc = #lines])*)
        }
        None => {
            let fallback = format!(" {fallback}");
            quote!(#[doc = #fallback])
        }
    }
}

pub(crate) fn generate(plan: &Plan<'_>, options: &Options) -> TokenStream {
    let enums = plan.enums.iter().map(enum_items);
    let models = plan.models().map(|m| model_items(plan, m, options));
    let client = client_items(plan, options);
    let check = module_check(options);
    quote! {
        #(#enums)*
        #(#models)*
        #client
        #check
    }
}

fn enum_items(e: &EnumPlan<'_>) -> TokenStream {
    let name = &e.name;
    let schema_name = &e.enum_.name;
    let doc = docs(
        e.enum_.documentation.as_deref(),
        &format!("The `{schema_name}` enum of the schema."),
    );
    let variants = e.variants.iter().zip(&e.enum_.values).map(|(v, value)| {
        let doc = docs(value.documentation.as_deref(), &format!("`{}`", value.name));
        let rename = &value.name;
        quote!(#doc #[serde(rename = #rename)] #v,)
    });
    let all = &e.variants;
    let count = e.variants.len();
    let db_names: Vec<&String> = e.enum_.values.iter().map(|v| &v.db_name).collect();
    let names = e.enum_.values.iter().map(|v| &v.name);
    let expected = format!("a value of enum {schema_name}");
    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy,
            ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash,
            ::orm_core::__private::serde::Serialize, ::orm_core::__private::serde::Deserialize,
        )]
        #[serde(crate = "::orm_core::__private::serde")]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// Every value, in schema order.
            pub const ALL: [#name; #count] = [#(#name::#all),*];

            /// The value's name in the schema.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#name::#all => #names,)*
                }
            }
        }

        const _: () = {
            impl ::core::convert::From<#name> for ::orm_core::Value {
                fn from(value: #name) -> Self {
                    ::orm_core::Value::Enum(::std::borrow::Cow::Borrowed(match value {
                        #(#name::#all => #db_names,)*
                    }))
                }
            }

            impl ::orm_core::ToValue for #name {
                const KIND: ::core::option::Option<::orm_core::Kind> =
                    ::core::option::Option::Some(::orm_core::Kind::Enum);
                fn to_value(&self) -> ::orm_core::Value {
                    ::orm_core::Value::from(*self)
                }
            }

            impl ::orm_core::FromValue for #name {
                fn from_value(value: ::orm_core::Value, column: &str) -> ::orm_core::Result<Self> {
                    if let ::orm_core::Value::Enum(text) = &value {
                        match text.as_ref() {
                            #(#db_names => return ::core::result::Result::Ok(#name::#all),)*
                            _ => {}
                        }
                    }
                    if let ::orm_core::Value::String(text) = &value {
                        match text.as_str() {
                            #(#db_names => return ::core::result::Result::Ok(#name::#all),)*
                            _ => {}
                        }
                    }
                    ::core::result::Result::Err(::orm_core::value::decode_error(column, #expected, &value))
                }
            }
        };
    }
}

fn model_items(plan: &Plan<'_>, m: &ModelPlan<'_>, options: &Options) -> TokenStream {
    let module = &m.module;
    let name = &m.name;
    let model_name = &m.model.name;
    let root = quote!(super::);
    let model_index = number(m.model.id().index());

    let module_doc = format!(
        " The `{model_name}` model: its struct [`{name}`], one module per field (filters, \
         ordering, writes), [`Create`] for new records, and the `include!`, `select!` and \
         `omit!` payload macros."
    );
    let struct_doc = docs(
        m.model.documentation.as_deref(),
        &format!("A record of the `{model_name}` model."),
    );
    let struct_fields = m.scalars().map(|(f, _, ty)| {
        let rust = &f.rust;
        let full = ty.full(&root, Paths::Short);
        let doc = docs(
            f.field.documentation.as_deref(),
            &format!("`{}`", f.field.name),
        );
        let rename =
            (rust.to_string().trim_start_matches("r#") != f.field.name.as_str()).then(|| {
                let n = &f.field.name;
                quote!(#[serde(rename = #n)])
            });
        quote!(#doc #rename pub #rust: #full,)
    });

    let scalar_ids: Vec<TokenStream> = m.scalars().map(|(f, ..)| field_id(f.field.id())).collect();
    let takes = m.scalars().enumerate().map(|(i, (f, _, ty))| {
        let rust = &f.rust;
        let take = ty.take(i);
        quote!(#rust: #take)
    });

    // The required fields of a create.
    let create = create_struct(
        &root,
        m.scalars()
            .filter(|(_, s, _)| required_in_create(*s))
            .map(|(f, _, ty)| (f, ty.clone())),
        &quote!(#name),
        &format!(
            " The data of a new `{model_name}` record: its required fields without a default. \
             Optional fields and nested writes are added with [`Create::with`]."
        ),
    );

    let field_modules = m.fields().map(|f| field_module(plan, m, f));
    let compounds = compound_uniques(m);
    let macros = payload_macros(m, options);

    quote! {
        #[doc = #module_doc]
        pub mod #module {
            #struct_doc
            #[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
                ::orm_core::__private::serde::Serialize, ::orm_core::__private::serde::Deserialize,
            )]
            #[serde(crate = "::orm_core::__private::serde")]
            pub struct #name {
                #(#struct_fields)*
            }

            /// A condition on records of this model (one entry of `where`).
            pub type Where = ::orm_core::model::Where<#name>;
            /// A condition naming at most one record (an id or unique field's `equals`).
            pub type UniqueWhere = ::orm_core::model::UniqueWhere<#name>;
            /// One `orderBy` term.
            pub type OrderBy = ::orm_core::model::OrderBy<#name>;
            /// One entry of a write's data.
            pub type Data = ::orm_core::model::Data<#name>;

            /// Every condition holds (`AND`).
            pub fn and(filters: Vec<Where>) -> Where {
                ::orm_core::model::Where::and(filters)
            }

            /// Some condition holds (`OR`).
            pub fn or(filters: Vec<Where>) -> Where {
                ::orm_core::model::Where::or(filters)
            }

            /// No condition holds (`NOT`).
            pub fn not(filters: Vec<Where>) -> Where {
                ::orm_core::model::Where::not(filters)
            }

            /// The number of records (`_count: { _all: true }`), for `aggregate` and `group_by`.
            pub fn count_all() -> ::orm_core::model::Aggregate<#name, i64> {
                ::orm_core::model::Aggregate::new(::orm_core::engine::Aggregate::CountAll)
            }

            #create

            #(#field_modules)*

            #(#compounds)*

            #macros

            const _: () = {
                impl ::orm_core::model::Model for #name {
                    const ID: ::orm_core::engine::ModelId = ::orm_core::__private::model(#model_index);
                    const NAME: &'static str = #model_name;
                    const SCALARS: &'static [::orm_core::engine::FieldId] = &[#(#scalar_ids),*];
                }

                impl ::orm_core::model::Payload for #name {
                    type Model = #name;
                    fn selection() -> ::orm_core::engine::Selection {
                        ::orm_core::engine::Selection::scalars(
                            <#name as ::orm_core::model::Model>::SCALARS.to_vec(),
                        )
                    }
                }

                impl ::orm_core::FromRow for #name {
                    fn from_row(row: &mut ::orm_core::RowCursor<'_>) -> ::orm_core::Result<Self> {
                        ::core::result::Result::Ok(#name { #(#takes),* })
                    }
                }
            };
        }

        #[doc(inline)]
        pub use #module::#name;
    }
}

/// One module per compound id or unique (`@@id`, `@@unique`), named by its client name
/// (`author_id_slug`), with the `equals` that makes a unique filter.
fn compound_uniques(m: &ModelPlan<'_>) -> Vec<TokenStream> {
    let root = quote!(super::super::);
    let name = &m.name;
    let keys = m
        .model
        .primary_key()
        .map(|pk| (&pk.fields, &pk.client_name, "id"))
        .into_iter()
        .chain(
            m.model
                .unique_constraints
                .iter()
                .map(|u| (&u.fields, &u.client_name, "unique")),
        )
        .filter(|(fields, ..)| fields.len() > 1);
    let mut taken: Vec<String> = m.fields().map(|f| f.rust.to_string()).collect();
    let mut out = Vec::new();
    for (fields, client_name, what) in keys {
        let parts: Option<Vec<_>> = fields
            .iter()
            .map(
                |f| match m.fields.get(f.field.index()).and_then(Option::as_ref) {
                    Some(plan) => match &plan.kind {
                        FieldKind::Scalar(_, ty) => Some((plan, ty)),
                        FieldKind::Relation(_) => None,
                    },
                    None => None,
                },
            )
            .collect();
        let Some(parts) = parts else { continue };
        let mut module = snake_case(client_name);
        while taken.contains(&module) {
            module.push('_');
        }
        taken.push(module.clone());
        let module = ident(&module);
        let params = parts.iter().map(|(f, ty)| {
            let rust = &f.rust;
            let input = ty.input(&root);
            quote!(#rust: #input)
        });
        let values = parts.iter().map(|(f, ty)| {
            let rust = &f.rust;
            let id = field_id_short(f.field.id());
            let value = ty.to_value(&root, &quote!(#rust));
            quote!((#id, #value))
        });
        let names: Vec<String> = parts
            .iter()
            .map(|(f, _)| format!("`{}`", f.field.name))
            .collect();
        let doc = format!(
            " The compound {what} `{client_name}` ({}).",
            names.join(", ")
        );
        out.push(quote! {
            #[doc = #doc]
            pub mod #module {
                use ::orm_core::__private::prelude::*;

                /// Every field of the key equals its value: a unique filter.
                pub fn equals(#(#params),*) -> UniqueWhere<super::#name> {
                    UniqueWhere::compound([#(#values),*])
                }
            }
        });
    }
    out
}

/// A `Create` struct of `fields` for model `model` (its struct path from the module holding
/// the `Create`: `model_path`), with `with` and the conversion into `Creation`.
pub(crate) fn create_struct<'a>(
    root: &TokenStream,
    fields: impl Iterator<Item = (&'a crate::plan::FieldPlan<'a>, crate::plan::Ty)>,
    model_path: &TokenStream,
    doc: &str,
) -> TokenStream {
    let fields: Vec<_> = fields.collect();
    let decls = fields.iter().map(|(f, ty)| {
        let rust = &f.rust;
        let full = ty.full(root, Paths::Short);
        let doc = docs(
            f.field.documentation.as_deref(),
            &format!("`{}`", f.field.name),
        );
        quote!(#doc pub #rust: #full,)
    });
    let values = fields.iter().map(|(f, ty)| {
        let rust = &f.rust;
        let id = field_id(f.field.id());
        let value = ty.full_to_value(root, &quote!(data.#rust));
        quote!((#id, #value))
    });
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub struct Create {
            #(#decls)*
        }

        impl Create {
            /// Adds an optional field's value or a nested write.
            pub fn with(
                self,
                data: ::orm_core::model::Data<#model_path>,
            ) -> ::orm_core::model::Creation<#model_path> {
                ::orm_core::model::Creation::from(self).with(data)
            }
        }

        impl ::core::convert::From<Create> for ::orm_core::model::Creation<#model_path> {
            fn from(data: Create) -> Self {
                ::orm_core::model::Creation::new(::std::vec![#(#values),*])
            }
        }
    }
}

fn payload_macros(m: &ModelPlan<'_>, options: &Options) -> TokenStream {
    let index = number(m.model.id().index());
    let source = match &options.source {
        Source::File(path) => quote!(file #path),
        Source::Text(text) => quote!(text #text),
    };
    let module = match &options.module {
        Some(path) => quote!([#path]),
        None => quote!([]),
    };
    let name = &m.model.name;
    let kinds = [
        (
            "include",
            format!(
                " Defines a payload type of `{name}`: every scalar field plus the relations \
                 listed, e.g. `include!(pub WithPosts {{ posts, _count {{ posts }} }})`."
            ),
        ),
        (
            "select",
            format!(
                " Defines a payload type of `{name}` with only the fields listed, e.g. \
                 `select!(pub Emails {{ id email }})`."
            ),
        ),
        (
            "omit",
            format!(
                " Defines a payload type of `{name}`: every scalar field but those listed, e.g. \
                 `omit!(pub Public {{ password }})`."
            ),
        ),
    ];
    let items = kinds.iter().map(|(kind, doc)| {
        let kind_ident = format_ident!("{kind}");
        let hidden = format_ident!("__{kind}");
        quote! {
            #[doc(hidden)]
            macro_rules! #hidden {
                ($($payload:tt)*) => {
                    ::orm_core::__private::payload! { #source #module #index #kind_ident $($payload)* }
                };
            }
            #[doc = #doc]
            pub(crate) use #hidden as #kind_ident;
        }
    });
    quote!(#(#items)*)
}

fn client_items(plan: &Plan<'_>, options: &Options) -> TokenStream {
    let source = match &options.source {
        Source::File(path) => quote!(::core::include_str!(#path)),
        Source::Text(text) => quote!(#text),
    };
    let accessors = plan.models().map(|m| {
        let module = &m.module;
        let name = &m.name;
        let method = &m.accessor;
        let doc = format!(" The operations on `{}` records.", m.model.name);
        let renamed = (m.accessor != m.module).then(|| {
            let note = format!(
                " Named `{method}` because `{module}` is taken by a method of the client (or \
                 by another model's accessor)."
            );
            quote!(#[doc = ""] #[doc = #note])
        });
        quote! {
            #[doc = #doc]
            #renamed
            pub fn #method(&self) -> ::orm_core::model::Actions<'_, #module::#name> {
                ::orm_core::model::Actions::new(&self.client)
            }
        }
    });
    quote! {
        /// The typed client of the schema: one accessor per model (`client.user()`), each
        /// starting Prisma's queries. Cheap to clone (it shares the adapter's pool).
        ///
        /// An accessor that would be one of the client's own methods (`new`, `schema`,
        /// `client`, `transaction`, `transaction_with_retry`, `batch`, `clone`, `clone_from`,
        /// `fmt`, `from`, `as_ref`, `raw_queryable`) gets `_` appended: a model `Transaction`
        /// is `client.transaction_()`.
        ///
        /// Raw SQL runs on it too: `orm_core::query_raw!(client, "…")`.
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct PrismaClient {
            client: ::orm_core::client::Client,
        }

        impl PrismaClient {
            /// A client over `adapter` (`orm_pg::PgAdapter`, `orm_sqlite::SqliteAdapter`, an
            /// `Arc<dyn Adapter>`, …). The schema embedded at compile time is read once per
            /// process.
            pub fn new(adapter: impl ::orm_core::client::IntoAdapter) -> Self {
                PrismaClient {
                    client: ::orm_core::__private::client(adapter, Self::schema()),
                }
            }

            /// The schema this client was generated from, as the schema front end resolves it
            /// (for example to create its tables with `orm_core::migrate`).
            pub fn schema() -> &'static ::orm_core::__private::Schema {
                static SCHEMA: ::std::sync::OnceLock<::orm_core::__private::Schema> =
                    ::std::sync::OnceLock::new();
                ::orm_core::__private::schema(&SCHEMA, #source)
            }

            /// The engine's client under this one (the dynamic API).
            pub fn client(&self) -> &::orm_core::client::Client {
                &self.client
            }

            /// An interactive transaction (Prisma's `$transaction(async (tx) => …)`): `f`
            /// receives a `PrismaClient` bound to a new transaction; `Ok` commits, `Err` and
            /// panics roll back. Set options on the result, then `.await` it (see
            /// `orm_core::transaction`).
            pub fn transaction<F, Fut, T, E>(
                &self,
                f: F,
            ) -> ::orm_core::transaction::Interactive<'_, PrismaClient, F>
            where
                F: ::core::ops::FnOnce(PrismaClient) -> Fut,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>>,
                E: ::core::convert::From<::orm_core::Error>,
            {
                ::orm_core::transaction::Interactive::new(&self.client, f)
            }

            /// An interactive transaction rerun, as `policy` allows, when an attempt fails
            /// with a serialization failure or a deadlock.
            pub fn transaction_with_retry<F, Fut, T, E>(
                &self,
                policy: ::orm_core::transaction::RetryPolicy,
                f: F,
            ) -> ::orm_core::transaction::Interactive<
                '_,
                PrismaClient,
                F,
                ::orm_core::transaction::RetryPolicy,
            >
            where
                F: ::core::ops::FnMut(PrismaClient) -> Fut,
                Fut: ::core::future::Future<Output = ::core::result::Result<T, E>>,
                E: ::core::convert::From<::orm_core::Error>,
            {
                ::orm_core::transaction::Interactive::retrying(&self.client, policy, f)
            }

            /// A batch transaction (Prisma's `$transaction([…])`): query builders not yet
            /// run (a tuple, a `Vec` or an array) run in order in one transaction, each
            /// result keeping its type.
            pub fn batch<B: ::orm_core::transaction::Batch>(
                &self,
                operations: B,
            ) -> ::orm_core::transaction::BatchTransaction<'_, B> {
                self.client.batch(operations)
            }

            #(#accessors)*
        }

        impl ::core::convert::From<::orm_core::client::Client> for PrismaClient {
            /// The typed client over an engine client, for example one bound to a transaction.
            fn from(client: ::orm_core::client::Client) -> Self {
                PrismaClient { client }
            }
        }

        impl ::core::convert::AsRef<::orm_core::client::Client> for PrismaClient {
            fn as_ref(&self) -> &::orm_core::client::Client {
                &self.client
            }
        }

        impl ::orm_core::raw::RawExecutor for PrismaClient {
            fn raw_queryable(&self) -> &dyn ::orm_core::Queryable {
                ::orm_core::raw::RawExecutor::raw_queryable(&self.client)
            }
        }
    }
}

/// A compile-time check that the module the payload macros name is where the items are. It
/// compares the modules below the crate root only: a doctest, for one, compiles under another
/// crate name than `CARGO_CRATE_NAME`.
fn module_check(options: &Options) -> TokenStream {
    let Some(path) = &options.module else {
        return TokenStream::new();
    };
    let text = quote!(#path).to_string().replace(' ', "");
    let Some(expected) = text.strip_prefix("crate") else {
        return TokenStream::new();
    };
    let message = format!(
        "prisma_schema! expected to expand in module `{text}` (its payload macros name the \
         generated types from there); pass the module it is in as `module = crate::…`"
    );
    quote! {
        const _: () = ::core::assert!(
            ::orm_core::__private::same_module(::core::module_path!(), #expected),
            #message
        );
    }
}
