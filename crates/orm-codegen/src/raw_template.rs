//! The raw SQL macros (`query_raw!`, `execute_raw!`, `raw_sql!`): template parsing and
//! expansion.
//!
//! A template is a string literal in `format!` syntax: `{expr}` interpolates a Rust expression,
//! `{{` and `}}` are literal braces. [`parse_template`] splits the literal's value into text
//! and interpolations; the `expand_*` functions turn macro input into code that builds an
//! `orm_core::raw::RawSql`, where every interpolation goes through
//! `orm_core::raw::Interpolate` (a value becomes a bind parameter) and text is pushed as
//! `&'static str` taken from the literal.
//!
//! Self-contained: nothing here depends on the schema code generator.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, LitStr, Token};

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// SQL text with `{{`/`}}` already unescaped.
    Text(String),
    /// The source of an interpolated expression (between the braces, untrimmed), and the byte
    /// offset of its opening brace in the template.
    Interpolation {
        /// The expression's source text.
        source: &'a str,
        /// Byte offset of the `{` in the template.
        offset: usize,
    },
}

/// Why a template does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// A `{` without its closing `}`.
    UnclosedBrace,
    /// A `}` that closes nothing.
    UnmatchedClose,
    /// `{}` or `{ }`: nothing to interpolate.
    EmptyInterpolation,
}

/// A template error, at a byte offset of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub kind: TemplateErrorKind,
    /// Byte offset of the offending brace.
    pub offset: usize,
}

impl TemplateError {
    /// The message shown at the template literal, quoting the template around the problem.
    pub fn message(&self, template: &str) -> String {
        let near = excerpt(template, self.offset);
        match self.kind {
            TemplateErrorKind::UnclosedBrace => format!(
                "unclosed `{{` in the raw SQL template, at `{near}`: close the interpolation \
                 with `}}`, or write `{{{{` for a literal brace"
            ),
            TemplateErrorKind::UnmatchedClose => format!(
                "unmatched `}}` in the raw SQL template, at `{near}`: write `}}}}` for a \
                 literal brace"
            ),
            TemplateErrorKind::EmptyInterpolation => format!(
                "empty interpolation `{{}}` in the raw SQL template, at `{near}`: put the value \
                 to bind inside the braces (`{{email}}`), or write `{{{{}}}}` for literal braces"
            ),
        }
    }
}

/// Up to 24 characters of `template` from `offset`, on one line.
fn excerpt(template: &str, offset: usize) -> String {
    let rest = template.get(offset..).unwrap_or_default();
    let mut out: String = rest
        .chars()
        .take(24)
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if rest.chars().count() > 24 {
        out.push('…');
    }
    out
}

/// Splits a template into text and interpolations.
///
/// Inside an interpolation braces nest, so `{ vec![{1}] }` is one expression; `{{` and `}}`
/// outside one are literal braces.
///
/// # Errors
///
/// The first unclosed `{`, unmatched `}` or empty `{}`.
pub fn parse_template(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let bytes = template.as_bytes();
    let mut pieces = Vec::new();
    let mut text = String::new();
    // Start of the text not yet copied into `text`.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                text.push_str(&template[copied..=i]);
                i += 2;
                copied = i;
            }
            b'}' => {
                return Err(TemplateError {
                    kind: TemplateErrorKind::UnmatchedClose,
                    offset: i,
                });
            }
            b'{' => {
                let close = matching_brace(bytes, i).ok_or(TemplateError {
                    kind: TemplateErrorKind::UnclosedBrace,
                    offset: i,
                })?;
                let source = &template[i + 1..close];
                if source.trim().is_empty() {
                    return Err(TemplateError {
                        kind: TemplateErrorKind::EmptyInterpolation,
                        offset: i,
                    });
                }
                text.push_str(&template[copied..i]);
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Interpolation { source, offset: i });
                i = close + 1;
                copied = i;
            }
            _ => i += 1,
        }
    }
    text.push_str(&template[copied..]);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The index of the `}` closing the `{` at `open`, counting nested braces.
fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0_usize;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `query_raw!(db, "template")`: a `RawQuery` on `db` whose rows decode into any `FromRow`.
///
/// # Errors
///
/// A `syn::Error` on the offending token for malformed arguments or template.
pub fn expand_query_raw(input: TokenStream) -> syn::Result<TokenStream> {
    let args: ExecutorArgs = syn::parse2(input)?;
    let db = executor(&args.db);
    let template = build_template(&args.template)?;
    Ok(quote!(::orm_core::raw::query_raw(#db, #template)))
}

/// `execute_raw!(db, "template")`: a `RawExecute` on `db` resolving to the affected row count.
///
/// # Errors
///
/// A `syn::Error` on the offending token for malformed arguments or template.
pub fn expand_execute_raw(input: TokenStream) -> syn::Result<TokenStream> {
    let args: ExecutorArgs = syn::parse2(input)?;
    let db = executor(&args.db);
    let template = build_template(&args.template)?;
    Ok(quote!(::orm_core::raw::execute_raw(#db, #template)))
}

/// `raw_sql!("template")`: a `RawSql` fragment, run later or interpolated into another template.
///
/// # Errors
///
/// A `syn::Error` on the offending token for a malformed template.
pub fn expand_raw_sql(input: TokenStream) -> syn::Result<TokenStream> {
    let args: FragmentArgs = syn::parse2(input)?;
    build_template(&args.template)
}

/// `db` lent as `&dyn Queryable` through `RawExecutor`, called with method syntax so that
/// references, boxes and `Arc`s auto-dereference.
fn executor(db: &Expr) -> TokenStream {
    quote!({
        #[allow(unused_imports)]
        use ::orm_core::raw::RawExecutor as _;
        (#db).raw_queryable()
    })
}

/// The block that builds the template's `RawSql`.
fn build_template(lit: &LitStr) -> syn::Result<TokenStream> {
    let value = lit.value();
    let pieces =
        parse_template(&value).map_err(|e| syn::Error::new(lit.span(), e.message(&value)))?;
    let sql = syn::Ident::new("__orm_sql", Span::mixed_site());
    let count = pieces.len();
    let mut pushes = Vec::with_capacity(count);
    for piece in &pieces {
        pushes.push(match piece {
            Piece::Text(text) => {
                quote!(::orm_core::__private::raw::push_text(&mut #sql, #text);)
            }
            Piece::Interpolation { source, offset } => {
                let expr = parse_interpolation(source, *offset, &value, lit.span())?;
                quote_spanned!(lit.span()=>
                    ::orm_core::raw::Interpolate::interpolate(&(#expr), &mut #sql);
                )
            }
        });
    }
    Ok(quote!({
        let mut #sql = ::orm_core::__private::raw::template(#count);
        #(#pushes)*
        #sql
    }))
}

/// Parses an interpolation's source as a Rust expression, its tokens spanned on the literal
/// (a span inside a literal is not available on stable Rust).
fn parse_interpolation(
    source: &str,
    offset: usize,
    template: &str,
    span: Span,
) -> syn::Result<Expr> {
    let tokens: TokenStream = source
        .parse()
        .map_err(|_| syn::Error::new(span, invalid_expression(source, offset, template, None)))?;
    syn::parse2::<Expr>(respan(tokens, span)).map_err(|e| {
        syn::Error::new(
            span,
            invalid_expression(source, offset, template, Some(&e.to_string())),
        )
    })
}

fn invalid_expression(source: &str, offset: usize, template: &str, why: Option<&str>) -> String {
    let mut message = format!(
        "`{{{}}}` in the raw SQL template, at `{}`, is not a Rust expression",
        source.trim(),
        excerpt(template, offset)
    );
    if let Some(why) = why {
        message.push_str(&format!(" ({why})"));
    }
    if source.contains(':') && !source.contains("::") {
        message.push_str(
            "; format specs such as `{x:?}` do not apply: every interpolation is a bind parameter",
        );
    } else {
        message.push_str("; literal braces are written `{{` and `}}`");
    }
    message
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// The template argument: a string literal, also when passed through a `macro_rules!`
/// `$t:literal` (an invisible group).
fn template_literal(expr: Expr) -> syn::Result<LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Ok(lit),
        Expr::Group(group) => template_literal(*group.expr),
        other => Err(syn::Error::new_spanned(
            other,
            "the raw SQL template must be a string literal, so that its interpolations can \
             be checked at compile time; SQL text built at run time needs \
             `orm_core::raw::query_raw_unsafe` / `execute_raw_unsafe` (dangerous: no bind \
             parameters are made for it)",
        )),
    }
}

/// Rejects anything after the template (and one optional trailing comma).
fn no_more_arguments(input: ParseStream<'_>) -> syn::Result<()> {
    if input.is_empty() {
        return Ok(());
    }
    input.parse::<Token![,]>()?;
    if input.is_empty() {
        return Ok(());
    }
    let rest: TokenStream = input.parse()?;
    Err(syn::Error::new_spanned(
        rest,
        "unexpected argument after the raw SQL template: interpolate values inside the \
         template instead, as in `\"… WHERE id = {id}\"`",
    ))
}

/// `db, "template"`.
struct ExecutorArgs {
    db: Expr,
    template: LitStr,
}

impl Parse for ExecutorArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        const USAGE: &str = "expected a database and a SQL template: `(db, \"SELECT …\")`";
        if input.is_empty() {
            return Err(input.error(USAGE));
        }
        let db: Expr = input.parse()?;
        if input.is_empty() {
            return Err(syn::Error::new_spanned(db, USAGE));
        }
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            return Err(input.error(USAGE));
        }
        let template = template_literal(input.parse()?)?;
        no_more_arguments(input)?;
        Ok(ExecutorArgs { db, template })
    }
}

/// `"template"`.
struct FragmentArgs {
    template: LitStr,
}

impl Parse for FragmentArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error("expected a SQL template: `raw_sql!(\"…\")`"));
        }
        let template = template_literal(input.parse()?)?;
        no_more_arguments(input)?;
        Ok(FragmentArgs { template })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece<'_> {
        Piece::Text(s.to_owned())
    }

    fn interp(source: &str, offset: usize) -> Piece<'_> {
        Piece::Interpolation { source, offset }
    }

    fn error(template: &str) -> (TemplateErrorKind, usize) {
        let e = parse_template(template).unwrap_err();
        (e.kind, e.offset)
    }

    #[test]
    fn splits_text_and_interpolations() {
        assert_eq!(
            parse_template("SELECT id FROM \"User\" WHERE email = {email} AND age > {age}")
                .unwrap(),
            vec![
                text("SELECT id FROM \"User\" WHERE email = "),
                interp("email", 36),
                text(" AND age > "),
                interp("age", 54),
            ]
        );
    }

    #[test]
    fn template_without_text_or_without_interpolations() {
        assert_eq!(
            parse_template("{a}{b}").unwrap(),
            vec![interp("a", 0), interp("b", 3)]
        );
        assert_eq!(parse_template("SELECT 1").unwrap(), vec![text("SELECT 1")]);
        assert_eq!(parse_template("").unwrap(), vec![]);
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(
            parse_template("SELECT '{{1,2}}'::int[] = {a}, '}}{{'").unwrap(),
            vec![
                text("SELECT '{1,2}'::int[] = "),
                interp("a", 26),
                text(", '}{'"),
            ]
        );
    }

    #[test]
    fn braces_nest_inside_an_interpolation() {
        assert_eq!(
            parse_template("x = { Point { x: 1 }.x } + {f(1)}").unwrap(),
            vec![
                text("x = "),
                interp(" Point { x: 1 }.x ", 4),
                text(" + "),
                interp("f(1)", 27),
            ]
        );
    }

    #[test]
    fn multibyte_text_is_kept() {
        assert_eq!(
            parse_template("SELECT 'é→{{}}' || {name} -- ü").unwrap(),
            vec![text("SELECT 'é→{}' || "), interp("name", 22), text(" -- ü")]
        );
    }

    #[test]
    fn unclosed_brace_is_reported_at_the_brace() {
        assert_eq!(
            error("WHERE a = {email"),
            (TemplateErrorKind::UnclosedBrace, 10)
        );
        assert_eq!(error("{a} {{ {b"), (TemplateErrorKind::UnclosedBrace, 7));
        assert_eq!(error("{ {a} "), (TemplateErrorKind::UnclosedBrace, 0));
    }

    #[test]
    fn unmatched_close_is_reported_at_the_brace() {
        assert_eq!(
            error("WHERE a = email}"),
            (TemplateErrorKind::UnmatchedClose, 15)
        );
        assert_eq!(error("{a}}"), (TemplateErrorKind::UnmatchedClose, 3));
    }

    #[test]
    fn empty_interpolations_are_rejected() {
        assert_eq!(error("a = {}"), (TemplateErrorKind::EmptyInterpolation, 4));
        assert_eq!(
            error("a = { \n }"),
            (TemplateErrorKind::EmptyInterpolation, 4)
        );
    }

    #[test]
    fn messages_quote_the_template_near_the_problem() {
        let template = "SELECT * FROM t WHERE a = {email AND b = 1 AND c = 2";
        let e = parse_template(template).unwrap_err();
        assert_eq!(
            e.message(template),
            "unclosed `{` in the raw SQL template, at `{email AND b = 1 AND c =…`: close the \
             interpolation with `}`, or write `{{` for a literal brace"
        );
    }

    fn pretty(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(quote!(fn expansion() { let _ = #tokens; })).unwrap();
        prettyplease::unparse(&file)
    }

    #[test]
    fn query_raw_expansion() {
        let expanded = expand_query_raw(quote!(
            db,
            "SELECT id FROM \"User\" WHERE email = {email} AND {{x}} < {user.age + 1}"
        ))
        .unwrap();
        insta::assert_snapshot!(pretty(expanded));
    }

    #[test]
    fn execute_raw_expansion() {
        let expanded =
            expand_execute_raw(quote!(&tx, r#"DELETE FROM "Post" WHERE id = {id}"#,)).unwrap();
        insta::assert_snapshot!(pretty(expanded));
    }

    #[test]
    fn raw_sql_expansion() {
        let expanded = expand_raw_sql(quote!("{a}")).unwrap();
        insta::assert_snapshot!(pretty(expanded));
    }

    fn expand_error(input: TokenStream) -> String {
        expand_query_raw(input).unwrap_err().to_string()
    }

    #[test]
    fn argument_errors_say_what_is_expected() {
        assert!(expand_error(quote!()).contains("expected a database and a SQL template"));
        assert!(expand_error(quote!(db)).starts_with("expected a database and a SQL template"));
        assert!(
            expand_error(quote!(db, sql))
                .starts_with("the raw SQL template must be a string literal")
        );
        assert!(
            expand_error(quote!(db, "SELECT {a}", b))
                .starts_with("unexpected argument after the raw SQL template")
        );
        assert!(
            expand_error(quote!(db, "SELECT {a b}")).starts_with("`{a b}` in the raw SQL template")
        );
        assert!(expand_error(quote!(db, "{x:?}")).contains("format specs"));
        assert!(expand_error(quote!(db, "'{1,2}'")).contains("literal braces are written"));
        assert!(
            expand_raw_sql(quote!())
                .unwrap_err()
                .to_string()
                .contains("expected a SQL template")
        );
    }
}
