//! `#[derive(FromRow)]`: decoding a row into a struct, by column name.
//!
//! A struct with named fields reads each field from the column of the same name (a raw
//! identifier `r#type` reads `type`); `#[orm(rename = "…")]` on a field names the column, and
//! `#[orm(rename_all = "camelCase")]` on the struct renames every field that has no `rename`.
//! A tuple struct reads its fields by position. Each field's type implements
//! `orm_core::FromValue`; `Option<T>` reads SQL `NULL` as `None`. A missing column is an
//! `orm_core::Error::Decode` naming it.
//!
//! Self-contained: nothing here depends on the schema code generator.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Expands `#[derive(FromRow)]` on `input`.
///
/// # Errors
///
/// A `syn::Error` on the offending token: not a struct with fields, an unknown or malformed
/// `#[orm(…)]` attribute, or two fields reading the same column.
pub fn derive_from_row(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let Data::Struct(data) = &input.data else {
        return Err(no_fields(&input));
    };
    let fields = &data.fields;
    let rename_all = container_rename_all(&input)?;
    let body = match fields {
        Fields::Named(named) if !named.named.is_empty() => {
            let mut columns: Vec<(String, proc_macro2::Span)> = Vec::new();
            let mut reads = Vec::new();
            for field in &named.named {
                let Some(ident) = &field.ident else { continue };
                let column = match field_rename(field)? {
                    Some(name) => name,
                    None => rename_all.apply(&syn::ext::IdentExt::unraw(ident).to_string()),
                };
                if let Some((_, first)) = columns.iter().find(|(c, _)| *c == column) {
                    let mut error = syn::Error::new(
                        ident.span(),
                        format!("two fields read the column `{column}`"),
                    );
                    error.combine(syn::Error::new(*first, "first read here"));
                    return Err(error);
                }
                columns.push((column.clone(), ident.span()));
                reads.push(quote_spanned!(field.ty.span()=>
                    #ident: ::orm_core::__private::raw::read_column(__row, #column)?
                ));
            }
            quote!(Self { #(#reads),* })
        }
        Fields::Unnamed(unnamed) if !unnamed.unnamed.is_empty() => {
            for field in &unnamed.unnamed {
                if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("orm")) {
                    return Err(syn::Error::new_spanned(
                        attr,
                        "`#[orm(…)]` field attributes apply to named fields; tuple fields read \
                         columns by position",
                    ));
                }
            }
            let reads = unnamed.unnamed.iter().enumerate().map(|(index, field)| {
                quote_spanned!(field.ty.span()=> ::orm_core::__private::raw::read_index(__row, #index)?)
            });
            quote!(Self(#(#reads),*))
        }
        _ => return Err(no_fields(&input)),
    };

    let name = &input.ident;
    let mut generics = input.generics.clone();
    let params: Vec<syn::Ident> = generics.type_params().map(|p| p.ident.clone()).collect();
    if !params.is_empty() {
        let where_clause = generics.make_where_clause();
        for field in fields {
            let ty = &field.ty;
            if mentions(quote!(#ty), &params) {
                where_clause
                    .predicates
                    .push(syn::parse_quote_spanned!(ty.span()=> #ty: ::orm_core::FromValue));
            }
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics ::orm_core::FromRow for #name #ty_generics #where_clause {
            fn from_row(
                __row: &mut ::orm_core::RowCursor<'_>,
            ) -> ::orm_core::Result<Self> {
                ::core::result::Result::Ok(#body)
            }
        }
    })
}

/// Whether `tokens` (a field type) name one of the type parameters.
fn mentions(tokens: TokenStream, params: &[syn::Ident]) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => params.contains(&ident),
        proc_macro2::TokenTree::Group(group) => mentions(group.stream(), params),
        _ => false,
    })
}

fn no_fields(input: &DeriveInput) -> syn::Error {
    syn::Error::new_spanned(
        &input.ident,
        "`#[derive(FromRow)]` needs a struct with fields: named fields read columns by name, \
         tuple fields by position",
    )
}

/// How field names map to column names when no `rename` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RenameAll {
    None,
    CamelCase,
    PascalCase,
    SnakeCase,
    ScreamingSnakeCase,
    Lowercase,
    Uppercase,
}

impl RenameAll {
    const CHOICES: &'static str = "\"camelCase\", \"PascalCase\", \"snake_case\", \
                                   \"SCREAMING_SNAKE_CASE\", \"lowercase\" or \"UPPERCASE\"";

    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "camelCase" => RenameAll::CamelCase,
            "PascalCase" => RenameAll::PascalCase,
            "snake_case" => RenameAll::SnakeCase,
            "SCREAMING_SNAKE_CASE" => RenameAll::ScreamingSnakeCase,
            "lowercase" => RenameAll::Lowercase,
            "UPPERCASE" => RenameAll::Uppercase,
            _ => return None,
        })
    }

    /// Renames a Rust field name (snake_case by convention).
    fn apply(self, field: &str) -> String {
        match self {
            RenameAll::None | RenameAll::SnakeCase => field.to_owned(),
            RenameAll::ScreamingSnakeCase | RenameAll::Uppercase => field.to_uppercase(),
            RenameAll::Lowercase => field.to_lowercase(),
            RenameAll::CamelCase | RenameAll::PascalCase => {
                let mut out = String::with_capacity(field.len());
                let mut upper_next = self == RenameAll::PascalCase;
                for c in field.chars() {
                    if c == '_' && !out.is_empty() {
                        upper_next = true;
                    } else if upper_next {
                        out.extend(c.to_uppercase());
                        upper_next = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

fn container_rename_all(input: &DeriveInput) -> syn::Result<RenameAll> {
    let mut rename_all = RenameAll::None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("orm")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let value: LitStr = meta.value()?.parse()?;
                rename_all = RenameAll::parse(&value.value()).ok_or_else(|| {
                    syn::Error::new(
                        value.span(),
                        format!("unknown `rename_all` rule: expected {}", RenameAll::CHOICES),
                    )
                })?;
                Ok(())
            } else {
                Err(meta
                    .error("unknown `orm` attribute on a `FromRow` struct: expected `rename_all`"))
            }
        })?;
    }
    Ok(rename_all)
}

fn field_rename(field: &syn::Field) -> syn::Result<Option<String>> {
    let mut rename = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("orm")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: LitStr = meta.value()?.parse()?;
                if value.value().is_empty() {
                    return Err(syn::Error::new(
                        value.span(),
                        "a column name cannot be empty",
                    ));
                }
                rename = Some(value.value());
                Ok(())
            } else {
                Err(meta.error("unknown `orm` attribute on a `FromRow` field: expected `rename`"))
            }
        })?;
    }
    Ok(rename)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    fn error(input: TokenStream) -> String {
        derive_from_row(input).unwrap_err().to_string()
    }

    #[test]
    fn named_fields_read_columns_by_name() {
        let expanded = derive_from_row(quote! {
            #[orm(rename_all = "camelCase")]
            struct Hit {
                id: String,
                created_at: Option<i64>,
                #[orm(rename = "rank")]
                score: f64,
                r#type: String,
            }
        })
        .unwrap();
        insta::assert_snapshot!(pretty(expanded));
    }

    #[test]
    fn tuple_structs_read_by_position_and_generics_get_bounds() {
        let expanded = derive_from_row(quote! {
            struct Pair<T>(T, Option<String>);
        })
        .unwrap();
        insta::assert_snapshot!(pretty(expanded));
    }

    #[test]
    fn rename_all_rules() {
        let cases = [
            (RenameAll::CamelCase, "created_at_ms", "createdAtMs"),
            (RenameAll::PascalCase, "created_at", "CreatedAt"),
            (RenameAll::SnakeCase, "created_at", "created_at"),
            (RenameAll::ScreamingSnakeCase, "created_at", "CREATED_AT"),
            (RenameAll::Lowercase, "Id", "id"),
            (RenameAll::Uppercase, "id", "ID"),
            (RenameAll::CamelCase, "_hidden", "_hidden"),
        ];
        for (rule, field, column) in cases {
            assert_eq!(rule.apply(field), column, "{rule:?} {field}");
        }
    }

    #[test]
    fn rejects_what_cannot_decode() {
        assert!(
            error(quote!(
                enum E {
                    A,
                }
            ))
            .contains("needs a struct with fields")
        );
        assert!(
            error(quote!(
                struct U;
            ))
            .contains("needs a struct with fields")
        );
        assert!(
            error(quote!(
                struct S {
                    #[orm(column = "x")]
                    a: i32,
                }
            ))
            .contains("expected `rename`")
        );
        assert!(
            error(quote!(
                #[orm(rename_all = "kebab")]
                struct S {
                    a: i32,
                }
            ))
            .contains("unknown `rename_all` rule")
        );
        assert!(
            error(quote!(
                struct S {
                    #[orm(rename = "")]
                    a: i32,
                }
            ))
            .contains("cannot be empty")
        );
        assert!(
            error(quote!(
                struct T(#[orm(rename = "a")] i32);
            ))
            .contains("tuple fields")
        );
        assert_eq!(
            error(quote!(
                struct S {
                    a: i32,
                    #[orm(rename = "a")]
                    b: i32,
                }
            )),
            "two fields read the column `a`"
        );
    }
}
