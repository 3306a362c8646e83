//! Reading attribute arguments and coercing values, with Prisma's messages.

use crate::ast::{self, Attribute, Expression};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Visits the arguments of one attribute. Arguments that were never asked for are reported as
/// "No such argument." by [`Args::finish`], as Prisma does.
pub(crate) struct Args<'a> {
    pub attr: &'a Attribute,
    /// `@` or `@@`, for the name used in messages.
    at: &'static str,
    used: Vec<bool>,
}

impl<'a> Args<'a> {
    /// Starts visiting `attr`; reports duplicate names, empty (`name:`) arguments and trailing
    /// commas right away.
    pub fn new(attr: &'a Attribute, at: &'static str, diags: &mut Diagnostics) -> Args<'a> {
        let list = &attr.arguments;
        let mut used = vec![false; list.arguments.len()];
        let mut seen_unnamed = false;
        for (i, arg) in list.arguments.iter().enumerate() {
            match &arg.name {
                Some(name) => {
                    let dup = list.arguments[..i]
                        .iter()
                        .any(|a| a.name.as_ref().is_some_and(|n| n.name == name.name));
                    if dup {
                        diags.push(Diagnostic::duplicate_argument(&name.name, arg.span));
                        used[i] = true;
                    }
                }
                None => {
                    if seen_unnamed {
                        diags.push(Diagnostic::unused_argument(arg.span));
                        used[i] = true;
                    }
                    seen_unnamed = true;
                }
            }
        }
        for empty in &list.empty_arguments {
            diags.push(Diagnostic::attribute_validation(
                &format!("The `{}` argument is missing a value.", empty.name.name),
                &format!("{at}{}", attr.name.name),
                empty.name.span,
            ));
        }
        if let Some(span) = list.trailing_comma {
            diags.push(Diagnostic::attribute_validation(
                "Trailing commas are not valid in attribute arguments, please remove the comma.",
                &format!("{at}{}", attr.name.name),
                span,
            ));
        }
        Args { attr, at, used }
    }

    /// The argument that may be given by name or as the first positional argument.
    pub fn default_arg(&mut self, name: &str) -> Result<&'a Expression, Diagnostic> {
        let list = &self.attr.arguments.arguments;
        let named = list
            .iter()
            .position(|a| a.name.as_ref().is_some_and(|n| n.name == name));
        let unnamed = list.iter().position(|a| a.name.is_none());
        match (named, unnamed) {
            (Some(i), None) | (None, Some(i)) => {
                self.used[i] = true;
                Ok(&list[i].value)
            }
            (Some(i), Some(j)) => {
                self.used[i] = true;
                self.used[j] = true;
                Err(Diagnostic::duplicate_default_argument(name, list[i].span))
            }
            (None, None) => Err(Diagnostic::argument_not_found(name, self.attr.span)),
        }
    }

    /// A named argument, if given.
    pub fn optional(&mut self, name: &str) -> Option<&'a Expression> {
        let list = &self.attr.arguments.arguments;
        let i = list
            .iter()
            .position(|a| a.name.as_ref().is_some_and(|n| n.name == name))?;
        self.used[i] = true;
        Some(&list[i].value)
    }

    /// Marks every argument as handled (when the attribute was rejected as a whole).
    pub fn discard(&mut self) {
        self.used.iter_mut().for_each(|u| *u = true);
    }

    /// An error about this attribute: `Error parsing attribute "@x": {message}` on its span.
    pub fn error(&self, message: &str) -> Diagnostic {
        let name = format!("{}{}", self.at, self.attr.name.name);
        Diagnostic::attribute_validation(message, &name, self.attr.span)
    }

    /// Reports every argument nobody asked for.
    pub fn finish(self, diags: &mut Diagnostics) {
        for (arg, used) in self.attr.arguments.arguments.iter().zip(&self.used) {
            if !used {
                diags.push(Diagnostic::unused_argument(arg.span));
            }
        }
    }
}

/// How Prisma names a value in "Expected a … value, but received … value" messages.
fn mismatch(expected: &str, expr: &Expression) -> Diagnostic {
    Diagnostic::type_mismatch(expected, expr.describe(), &expr.to_string(), expr.span())
}

/// A string literal, else an error.
pub(crate) fn string<'a>(expr: &'a Expression, diags: &mut Diagnostics) -> Option<&'a str> {
    match expr {
        Expression::String(s, _) => Some(s),
        _ => {
            diags.push(mismatch("string", expr));
            None
        }
    }
}

/// A bare name (`Desc`, `Cascade`), else an error.
pub(crate) fn constant<'a>(expr: &'a Expression, diags: &mut Diagnostics) -> Option<&'a str> {
    match expr {
        Expression::Constant(s, _) => Some(s),
        _ => {
            diags.push(mismatch("constant", expr));
            None
        }
    }
}

/// `true` or `false`, else an error.
pub(crate) fn boolean(expr: &Expression, diags: &mut Diagnostics) -> Option<bool> {
    match expr {
        Expression::Constant(s, _) if s == "true" => Some(true),
        Expression::Constant(s, _) if s == "false" => Some(false),
        _ => {
            diags.push(mismatch("boolean", expr));
            None
        }
    }
}

/// An integer, else an error.
pub(crate) fn integer(expr: &Expression, diags: &mut Diagnostics) -> Option<i64> {
    match expr {
        Expression::Numeric(s, _) if s.parse::<i64>().is_ok() => s.parse().ok(),
        _ => {
            diags.push(mismatch("numeric", expr));
            None
        }
    }
}

/// A list of values coerced with `coerce`; a single value counts as a one-element list.
pub(crate) fn array<'a, T>(
    expr: &'a Expression,
    coerce: impl Fn(&'a Expression, &mut Diagnostics) -> Option<T>,
    diags: &mut Diagnostics,
) -> Option<Vec<T>> {
    let items: &[Expression] = match expr {
        Expression::Array(items, _) => items,
        single => std::slice::from_ref(single),
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        match coerce(item, diags) {
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// One entry of an index field list: `name`, or `name(sort: Desc, length: 10, ops: X)`.
pub(crate) struct IndexFieldArg<'a> {
    pub name: &'a str,
    pub sort: Option<crate::ir::SortOrder>,
    pub length: Option<u32>,
    pub ops: Option<crate::ir::OperatorClass>,
}

/// Reads `[a, b(sort: Desc)]` (Prisma's `coerce_field_array_with_args`).
pub(crate) fn field_array_with_args<'a>(
    expr: &'a Expression,
    diags: &mut Diagnostics,
) -> Option<Vec<IndexFieldArg<'a>>> {
    array(
        expr,
        |item, diags| match item {
            Expression::Constant(name, _) => Some(IndexFieldArg {
                name,
                sort: None,
                length: None,
                ops: None,
            }),
            Expression::Function(name, args, _) => field_with_args(name, args, diags),
            other => {
                diags.push(mismatch("constant literal", other));
                None
            }
        },
        diags,
    )
}

fn field_with_args<'a>(
    name: &'a str,
    args: &'a ast::ArgumentsList,
    diags: &mut Diagnostics,
) -> Option<IndexFieldArg<'a>> {
    let mut out = IndexFieldArg {
        name,
        sort: None,
        length: None,
        ops: None,
    };
    let mut ok = true;
    for arg in &args.arguments {
        match arg.name.as_ref().map(|n| n.name.as_str()) {
            Some("sort") => {
                match constant(&arg.value, diags) {
                    Some("Asc") => out.sort = Some(crate::ir::SortOrder::Asc),
                    Some("Desc") => out.sort = Some(crate::ir::SortOrder::Desc),
                    Some(other) => {
                        diags.push(Diagnostic::error(
                        format!("The `sort` argument can only be `Asc` or `Desc` you provided: {other}."),
                        arg.value.span(),
                    ));
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            Some("length") => match integer(&arg.value, diags) {
                Some(n) => out.length = u32::try_from(n).ok(),
                None => ok = false,
            },
            Some("ops") => match &arg.value {
                Expression::Constant(c, _) => {
                    out.ops = Some(crate::ir::OperatorClass::Named(c.clone()));
                }
                Expression::Function(f, a, _) if f == "raw" => {
                    match a.arguments.first().map(|a| &a.value) {
                        Some(Expression::String(s, _)) => {
                            out.ops = Some(crate::ir::OperatorClass::Raw(s.clone()));
                        }
                        _ => ok = false,
                    }
                }
                other => {
                    diags.push(mismatch("constant or function", other));
                    ok = false;
                }
            },
            _ => {
                diags.push(Diagnostic::argument_not_known(
                    arg.name.as_ref().map_or("", |n| n.name.as_str()),
                    arg.span,
                ));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}
