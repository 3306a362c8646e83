//! The payload macros: `user::include!(pub UserWithOrders { orders { items } _count { orders } })`,
//! `user::select!(pub UserEmail { id email })`, `user::omit!(pub UserPublic { password })`.
//!
//! Each model module of the generated client defines these as `macro_rules!` forwarding to
//! the hidden `orm_core::__private::payload!` with what they know: where the schema is, the
//! module the client lives in, the model and the kind. That proc macro ([`expand`]) reads the
//! schema again and defines the payload struct (and one struct per nested selection), with
//! the `Payload` and `FromRecords` implementations that make a query return it.
//!
//! Grammar inside the braces (commas optional):
//!
//! ```text
//! item     := field | field "{" items "}" | field ":" kind "{" items "}" | "_count" "{" field* "}"
//! kind     := "include" | "select" | "omit"
//! ```
//!
//! `include!` lists relations (every scalar comes along); `select!` lists scalars and
//! relations; `omit!` lists scalars to leave out. A relation without braces reads the related
//! model's struct; with braces, a nested selection of the same kind (or the one named after
//! `:`). Fields are written with their schema name (`createdAt`) or their Rust name
//! (`created_at`).

use orm_schema::ir::Arity;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, LitInt, LitStr, Token, Visibility, braced, bracketed};

use crate::client::docs;
use crate::names::pascal_case;
use crate::plan::{FieldKind, ModelPlan, Paths, Plan, field_id};

/// How a payload chooses its scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Include,
    Select,
    Omit,
}

impl Kind {
    fn parse(ident: &Ident) -> syn::Result<Kind> {
        match ident.to_string().as_str() {
            "include" => Ok(Kind::Include),
            "select" => Ok(Kind::Select),
            "omit" => Ok(Kind::Omit),
            _ => Err(syn::Error::new(
                ident.span(),
                "expected `include`, `select` or `omit`",
            )),
        }
    }
}

/// The header the generated `macro_rules!` adds in front of the user's tokens.
struct Header {
    source: SchemaSource,
    module: Option<syn::Path>,
    model: usize,
    kind: Kind,
}

enum SchemaSource {
    File(LitStr),
    Text(LitStr),
}

/// The user's part: `#[attrs] pub Name { … }`.
struct Definition {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    items: Vec<Item>,
}

enum Item {
    Field {
        name: Ident,
        nested: Option<(Option<Kind>, Vec<Item>)>,
    },
    Count(Vec<Ident>),
}

struct Input {
    header: Header,
    definition: Definition,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let which: Ident = input.parse()?;
        let text: LitStr = input.parse()?;
        let source = if which == "file" {
            SchemaSource::File(text)
        } else {
            SchemaSource::Text(text)
        };
        let content;
        bracketed!(content in input);
        let module = if content.is_empty() {
            None
        } else {
            Some(content.parse::<syn::Path>()?)
        };
        let model: LitInt = input.parse()?;
        let kind = Kind::parse(&input.parse()?)?;
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let name: Ident = input.parse()?;
        let content;
        braced!(content in input);
        let items = parse_items(&content)?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the payload's braces"));
        }
        Ok(Input {
            header: Header {
                source,
                module,
                model: model.base10_parse()?,
                kind,
            },
            definition: Definition {
                attrs,
                vis,
                name,
                items,
            },
        })
    }
}

fn parse_items(input: ParseStream<'_>) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        let name: Ident = input.parse()?;
        if name == "_count" {
            let content;
            braced!(content in input);
            let mut fields = Vec::new();
            while !content.is_empty() {
                fields.push(content.parse()?);
                if content.peek(Token![,]) {
                    content.parse::<Token![,]>()?;
                }
            }
            items.push(Item::Count(fields));
        } else {
            let mut kind = None;
            if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                kind = Some(Kind::parse(&input.parse()?)?);
            }
            let nested = if input.peek(syn::token::Brace) {
                let content;
                braced!(content in input);
                Some((kind, parse_items(&content)?))
            } else if kind.is_some() {
                return Err(input.error("expected `{` after the kind"));
            } else {
                None
            };
            items.push(Item::Field { name, nested });
        }
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(items)
}

/// Expands `orm_core::__private::payload!`. `read` reads the schema file.
///
/// # Errors
///
/// A `syn::Error` spanned on the offending token: an unknown field, a scalar in `include!`,
/// a relation in `omit!`, a `_count` of a to-one relation, a field listed twice, or a client
/// whose module is unknown.
pub fn expand(
    input: TokenStream,
    read: impl FnOnce(&str) -> std::io::Result<String>,
) -> syn::Result<TokenStream> {
    let Input { header, definition } = syn::parse2(input)?;
    let text = match &header.source {
        SchemaSource::Text(text) => text.value(),
        SchemaSource::File(path) => read(&path.value()).map_err(|e| {
            syn::Error::new(
                definition.name.span(),
                format!("cannot read the schema `{}`: {e}", path.value()),
            )
        })?,
    };
    let schema = orm_schema::parse_and_validate(&text, "schema.prisma").map_err(|_| {
        syn::Error::new(
            definition.name.span(),
            "the schema no longer validates since `prisma_schema!` expanded; rebuild the crate",
        )
    })?;
    let Some(module) = header.module else {
        return Err(syn::Error::new(
            definition.name.span(),
            "the module of `prisma_schema!` is unknown, so this macro cannot name the \
             generated types; pass it: `prisma_schema!(\"…\", module = crate::path::to::it)`",
        ));
    };
    let plan = Plan::new(&schema);
    let model = plan
        .models()
        .find(|m| m.model.id().index() == header.model)
        .ok_or_else(|| syn::Error::new(definition.name.span(), "unknown model"))?;
    let root = quote!(#module::);
    let mut out = TokenStream::new();
    let top = Struct {
        attrs: definition.attrs,
        vis: &definition.vis,
        name: definition.name.clone(),
        kind: header.kind,
        items: &definition.items,
        model,
    };
    top.generate(&plan, &root, &mut out)?;
    Ok(out)
}

struct Struct<'p, 'a> {
    attrs: Vec<Attribute>,
    vis: &'p Visibility,
    name: Ident,
    kind: Kind,
    items: &'p [Item],
    model: &'p ModelPlan<'a>,
}

impl Struct<'_, '_> {
    fn generate(
        &self,
        plan: &Plan<'_>,
        root: &TokenStream,
        out: &mut TokenStream,
    ) -> syn::Result<()> {
        let model = self.model;
        let model_name = &model.model.name;
        let error = |span: Span, message: String| syn::Error::new(span, message);
        let mut listed: Vec<String> = Vec::new();
        let mut relations = Vec::new();
        let mut counts: Vec<Ident> = Vec::new();
        let mut named_scalars = Vec::new();

        for item in self.items {
            match item {
                Item::Count(fields) => {
                    for f in fields {
                        let plan_field = model
                            .field_named(&f.to_string())
                            .or_else(|| model.fields().find(|p| p.rust == *f));
                        let Some(field) = plan_field else {
                            return Err(error(
                                f.span(),
                                format!("model `{model_name}` has no field `{f}`"),
                            ));
                        };
                        match &field.kind {
                            FieldKind::Relation(r) if r.arity() == Arity::List => {}
                            _ => {
                                return Err(error(
                                    f.span(),
                                    format!("`_count` counts to-many relations; `{f}` is not one"),
                                ));
                            }
                        }
                        if counts.iter().any(|c| c == f) {
                            return Err(error(f.span(), format!("`{f}` is counted twice")));
                        }
                        counts.push(f.clone());
                    }
                }
                Item::Field { name, nested } => {
                    let field = model
                        .field_named(&name.to_string())
                        .or_else(|| model.fields().find(|p| p.rust == *name))
                        .ok_or_else(|| {
                            error(
                                name.span(),
                                format!("model `{model_name}` has no field `{name}`"),
                            )
                        })?;
                    let key = field.field.name.clone();
                    if listed.contains(&key) {
                        return Err(error(name.span(), format!("`{name}` is listed twice")));
                    }
                    listed.push(key);
                    match &field.kind {
                        FieldKind::Scalar(..) => {
                            if self.kind == Kind::Include {
                                return Err(error(
                                    name.span(),
                                    format!(
                                        "`{name}` is a scalar field: `include!` lists relations \
                                         (every scalar field is included); use `select!` to choose scalars"
                                    ),
                                ));
                            }
                            if nested.is_some() {
                                return Err(error(
                                    name.span(),
                                    format!(
                                        "`{name}` is a scalar field: it has no nested selection"
                                    ),
                                ));
                            }
                            named_scalars.push(field);
                        }
                        FieldKind::Relation(relation) => {
                            if self.kind == Kind::Omit {
                                return Err(error(
                                    name.span(),
                                    format!("`{name}` is a relation: `omit!` lists scalar fields"),
                                ));
                            }
                            relations.push((field, *relation, nested, name.span()));
                        }
                    }
                }
            }
        }

        let scalars: Vec<_> = match self.kind {
            Kind::Select => named_scalars
                .iter()
                .filter_map(|f| match &f.kind {
                    FieldKind::Scalar(_, ty) => Some((*f, ty)),
                    FieldKind::Relation(_) => None,
                })
                .collect(),
            Kind::Include | Kind::Omit => model
                .scalars()
                .filter(|(f, ..)| !named_scalars.iter().any(|n| n.field.id() == f.field.id()))
                .map(|(f, _, ty)| (f, ty))
                .collect(),
        };

        let name = &self.name;
        let vis = self.vis;
        let model_path = {
            let module = &model.module;
            let ident = &model.name;
            quote!(#root #module::#ident)
        };
        let mut decls = Vec::new();
        let mut inits = Vec::new();
        let mut scalar_ids = Vec::new();
        for (i, (f, ty)) in scalars.iter().enumerate() {
            let rust = &f.rust;
            let full = ty.full(root, Paths::Absolute);
            let doc = docs(
                f.field.documentation.as_deref(),
                &format!("`{}`", f.field.name),
            );
            let rename = rename(rust, &f.field.name);
            decls.push(quote!(#doc #rename pub #rust: #full,));
            let take = ty.take(i);
            inits.push(quote!(#rust: #take));
            scalar_ids.push(field_id(f.field.id()));
        }

        let mut relation_selections = Vec::new();
        let mut prelude = Vec::new();
        for (i, (field, relation, nested, span)) in relations.iter().enumerate() {
            let target = plan.model(relation.target().id()).ok_or_else(|| {
                error(
                    *span,
                    format!(
                        "`{}` leads to a model the client leaves out",
                        field.field.name
                    ),
                )
            })?;
            let element = match nested {
                None => {
                    let module = &target.module;
                    let ident = &target.name;
                    quote!(#root #module::#ident)
                }
                Some((kind, items)) => {
                    let nested_name = format_ident!("{}{}", name, pascal_case(&field.field.name));
                    let doc = format!(" The `{}` of [`{}`].", field.field.name, name);
                    Struct {
                        attrs: vec![syn::parse_quote!(#[doc = #doc])],
                        vis,
                        name: nested_name.clone(),
                        kind: kind.unwrap_or(self.kind),
                        items,
                        model: target,
                    }
                    .generate(plan, root, out)?;
                    quote!(#nested_name)
                }
            };
            let rust = &field.rust;
            let id = field_id(field.field.id());
            let group = format_ident!("__relation{}", i);
            let relation_name = &field.field.name;
            let doc = docs(
                field.field.documentation.as_deref(),
                &format!("`{relation_name}`"),
            );
            let rename = rename(rust, relation_name);
            let (ty, init, next) = match relation.arity() {
                Arity::List => (
                    quote!(::std::vec::Vec<#element>),
                    quote!(#group.next().unwrap_or_default()),
                    quote!(next_many),
                ),
                Arity::Optional => (
                    quote!(::core::option::Option<#element>),
                    quote!(#group.next().flatten()),
                    quote!(next_one),
                ),
                Arity::Required => (
                    quote!(#element),
                    quote!(::orm_core::__private::required(#group.next().flatten(), #relation_name)?),
                    quote!(next_one),
                ),
            };
            decls.push(quote!(#doc #rename pub #rust: #ty,));
            inits.push(quote!(#rust: #init));
            prelude.push(quote! {
                let mut #group = relations.#next::<#element>()?.into_iter();
            });
            relation_selections.push(quote! {
                ::orm_core::engine::RelationSelection {
                    field: #id,
                    args: ::orm_core::engine::FindManyArgs {
                        selection: <#element as ::orm_core::model::Payload>::selection(),
                        ..::core::default::Default::default()
                    },
                }
            });
        }

        let mut count_selections = Vec::new();
        if !counts.is_empty() {
            let count_name = format_ident!("{}Count", name);
            let mut count_decls = Vec::new();
            let mut count_inits = Vec::new();
            for (j, c) in counts.iter().enumerate() {
                let field = model
                    .field_named(&c.to_string())
                    .or_else(|| model.fields().find(|p| p.rust == *c))
                    .ok_or_else(|| {
                        error(c.span(), format!("model `{model_name}` has no field `{c}`"))
                    })?;
                let rust = &field.rust;
                let rename = rename(rust, &field.field.name);
                let doc = format!(" The number of `{}`.", field.field.name);
                count_decls.push(quote!(#[doc = #doc] #rename pub #rust: i64,));
                let index = crate::plan::number(scalars.len() + j);
                count_inits.push(quote!(#rust: row.take(#index)?));
                let id = field_id(field.field.id());
                count_selections.push(quote! {
                    ::orm_core::engine::RelationCount { field: #id, filter: ::orm_core::engine::Filter::Empty }
                });
            }
            let doc = format!(" The relation counts of [`{name}`] (`_count`).");
            out.extend(quote! {
                #[doc = #doc]
                #[derive(
                    ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
                    ::orm_core::__private::serde::Serialize, ::orm_core::__private::serde::Deserialize,
                )]
                #[serde(crate = "::orm_core::__private::serde")]
                #vis struct #count_name {
                    #(#count_decls)*
                }
            });
            decls
                .push(quote!(#[doc = " The relation counts (`_count`)."] pub _count: #count_name,));
            inits.push(quote!(_count: #count_name { #(#count_inits),* }));
        }

        let attrs = &self.attrs;
        let default_doc = (!attrs.iter().any(|a| a.path().is_ident("doc"))).then(|| {
            let doc = format!(
                " A `{model_name}` payload (defined with `{}!`).",
                match self.kind {
                    Kind::Include => "include",
                    Kind::Select => "select",
                    Kind::Omit => "omit",
                }
            );
            quote!(#[doc = #doc])
        });
        let relations_binding = if relations.is_empty() {
            quote!(_relations)
        } else {
            quote!(mut relations)
        };
        out.extend(quote! {
            #(#attrs)*
            #default_doc
            #[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq,
                ::orm_core::__private::serde::Serialize, ::orm_core::__private::serde::Deserialize,
            )]
            #[serde(crate = "::orm_core::__private::serde")]
            #vis struct #name {
                #(#decls)*
            }

            impl #name {
                /// The arguments that make a query return this type: hand them to
                /// `include`, `select` or `omit`, with per-relation arguments added by `with`.
                pub fn args() -> ::orm_core::model::PayloadArgs<Self> {
                    ::orm_core::model::PayloadArgs::new()
                }
            }

            const _: () = {
                impl ::orm_core::model::Payload for #name {
                    type Model = #model_path;
                    fn selection() -> ::orm_core::engine::Selection {
                        ::orm_core::engine::Selection {
                            scalars: ::std::vec![#(#scalar_ids),*],
                            counts: ::std::vec![#(#count_selections),*],
                            relations: ::std::vec![#(#relation_selections),*],
                        }
                    }
                }

                impl ::orm_core::engine::FromRecords for #name {
                    fn from_records(
                        records: ::orm_core::engine::Records,
                    ) -> ::orm_core::Result<::std::vec::Vec<Self>> {
                        let (rows, #relations_binding) = records.into_parts();
                        #(#prelude)*
                        rows.decode_with(|row| ::core::result::Result::Ok(#name { #(#inits),* }))
                    }
                }
            };
        });
        Ok(())
    }
}

fn rename(rust: &Ident, name: &str) -> Option<TokenStream> {
    (rust.to_string().trim_start_matches("r#") != name).then(|| quote!(#[serde(rename = #name)]))
}
