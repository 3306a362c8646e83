//! `@default(…)`: which values and functions fit which field types (Prisma's
//! `parser-database/src/attributes/default.rs`), and turning a valid default into the IR.

use super::super::args::Args;
use super::super::{Db, DefaultData, FieldTy};
use crate::ast::{self, Attribute, Expression};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{CuidVersion, DefaultKind, DefaultLiteral, ScalarType, UuidVersion};

/// Functions Prisma knows in `@default`; others are left to the provider rules.
pub(crate) const KNOWN_FUNCTIONS: &[&str] = &[
    "now",
    "uuid",
    "cuid",
    "ulid",
    "nanoid",
    "autoincrement",
    "sequence",
    "dbgenerated",
    "auto",
];

pub(super) fn model_field_default<'a>(
    db: &Db<'a>,
    m: usize,
    f: usize,
    attr: &'a Attribute,
    args: &mut Args<'a>,
    diags: &mut Diagnostics,
) -> Option<DefaultData<'a>> {
    let value = match args.default_arg("value") {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mapped_name = match args.optional("map") {
        Some(expr) => match super::args::string(expr, diags) {
            Some("") => {
                diags.push(args.error("The `map` argument cannot be an empty string."));
                None
            }
            other => other,
        },
        None => None,
    };
    let field = &db.models[m].fields[f];
    let accepted = DefaultData {
        attribute: attr,
        value,
        mapped_name,
    };

    // `dbgenerated(…)` fits every type.
    if let Expression::Function(name, fargs, _) = value
        && name == "dbgenerated"
    {
        return dbgenerated_args(&fargs.arguments, args, diags).then_some(accepted);
    }

    let ok = match field.ty {
        FieldTy::Enum(e) => {
            let enum_ = db.enums[e].ast;
            if field.arity() == ast::FieldArity::List {
                match value {
                    Expression::Array(items, _) => items
                        .iter()
                        .all(|item| enum_value(enum_, item, args, diags)),
                    bad => {
                        diags.push(
                            args.error(&format!("Expected an enum value, but found `{bad}`.")),
                        );
                        false
                    }
                }
            } else {
                enum_value(enum_, value, args, diags)
            }
        }
        FieldTy::Scalar(scalar) => {
            scalar_default(scalar, field.arity(), value, mapped_name, args, diags)
        }
        FieldTy::Unsupported => {
            diags.push(
                args.error(
                    "Only @default(dbgenerated(\"...\")) can be used for Unsupported types.",
                ),
            );
            false
        }
        FieldTy::CompositeType(c) => {
            diags.push(Diagnostic::error(
                format!(
                    "Error validating field `{}` in composite type `{}`: Defaults on fields of type composite are not supported. Please remove the `@default` attribute.",
                    field.name(),
                    db.composite_types[c].ast.name.name
                ),
                attr.span,
            ));
            false
        }
        FieldTy::Model(_) | FieldTy::Unknown => false,
    };
    ok.then_some(accepted)
}

fn enum_value(
    enum_: &ast::Enum,
    value: &Expression,
    args: &Args<'_>,
    diags: &mut Diagnostics,
) -> bool {
    match value {
        Expression::Constant(name, _) => {
            if enum_.values.iter().any(|v| v.name.name == *name) {
                true
            } else {
                diags.push(args.error(&format!(
                    "The defined default value `{name}` is not a valid value of the enum specified for the field."
                )));
                false
            }
        }
        bad => {
            diags.push(args.error(&format!("Expected an enum value, but found `{bad}`.")));
            false
        }
    }
}

fn scalar_default(
    scalar: ScalarType,
    arity: ast::FieldArity,
    value: &Expression,
    mapped_name: Option<&str>,
    args: &Args<'_>,
    diags: &mut Diagnostics,
) -> bool {
    use ScalarType as S;
    if let Expression::Function(name, fargs, _) = value {
        let fargs = &fargs.arguments;
        return match (scalar, name.as_str()) {
            (_, "autoincrement") if mapped_name.is_some() => {
                diags.push(args.error("Naming an autoincrement default value is not allowed."));
                false
            }
            (S::Int | S::BigInt, "autoincrement") | (S::DateTime, "now") | (S::String, "ulid") => {
                empty_function_args(name, fargs, args, diags)
            }
            (S::String, "cuid") => versioned_args("cuid", fargs, &[1, 2], "1 or 2", args, diags),
            (S::String, "uuid") => versioned_args("uuid", fargs, &[4, 7], "4 or 7", args, diags),
            (S::String, "nanoid") => nanoid_args(fargs, args, diags),
            (_, "auto") => {
                if fargs.is_empty() {
                    true
                } else {
                    diags.push(args.error("`auto()` takes no arguments"));
                    false
                }
            }
            (_, name) if !KNOWN_FUNCTIONS.contains(&name) => true,
            (scalar, name) => {
                diags.push(args.error(&format!(
                    "The function `{name}()` cannot be used on fields of type `{}`.",
                    scalar.as_str()
                )));
                false
            }
        };
    }
    if arity == ast::FieldArity::List {
        return match value {
            Expression::Array(items, _) => items
                .iter()
                .all(|item| singular_literal(scalar, item, args, diags)),
            _ => {
                diags.push(args.error("The default value of a list field must be a list."));
                false
            }
        };
    }
    if let Expression::Array(..) = value {
        diags.push(args.error("The default value of a non-list field cannot be a list."));
        return false;
    }
    singular_literal(scalar, value, args, diags)
}

fn singular_literal(
    scalar: ScalarType,
    value: &Expression,
    args: &Args<'_>,
    diags: &mut Diagnostics,
) -> bool {
    use ScalarType as S;
    match (scalar, value) {
        (S::String | S::Json | S::Bytes | S::DateTime | S::Decimal, Expression::String(..))
        | (S::Int | S::BigInt | S::Float | S::Decimal, Expression::Numeric(..)) => true,
        (S::Boolean, Expression::Constant(v, span)) => {
            if v == "true" || v == "false" {
                true
            } else {
                diags.push(Diagnostic::attribute_validation(
                    "A boolean literal must be `true` or `false`.",
                    "@default",
                    *span,
                ));
                false
            }
        }
        (scalar, bad) => {
            diags.push(args.error(&format!(
                "Expected a {} value, but found `{bad}`.",
                scalar.as_str()
            )));
            false
        }
    }
}

fn empty_function_args(
    name: &str,
    fargs: &[ast::Argument],
    args: &Args<'_>,
    diags: &mut Diagnostics,
) -> bool {
    if fargs.is_empty() {
        return true;
    }
    diags.push(args.error(&format!(
        "The `{name}` function does not take any argument. Consider changing this default to `{name}()`."
    )));
    false
}

/// `cuid()`/`cuid(1|2)`, `uuid()`/`uuid(4|7)`.
fn versioned_args(
    name: &str,
    fargs: &[ast::Argument],
    versions: &[u8],
    wording: &str,
    args: &Args<'_>,
    diags: &mut Diagnostics,
) -> bool {
    match fargs {
        [] => true,
        [arg] => match &arg.value {
            Expression::Numeric(n, _) if n.parse::<u8>().is_ok_and(|v| versions.contains(&v)) => {
                true
            }
            Expression::Numeric(..) => {
                diags.push(args.error(&format!(
                    "`{name}()` takes either no argument, or a single integer argument which is either {wording}."
                )));
                false
            }
            _ => {
                diags.push(args.error(&format!("`{name}()` takes a single Int argument.")));
                false
            }
        },
        _ => {
            diags.push(args.error(&format!("`{name}()` takes a single Int argument.")));
            false
        }
    }
}

fn nanoid_args(fargs: &[ast::Argument], args: &Args<'_>, diags: &mut Diagnostics) -> bool {
    match fargs {
        [] => true,
        [arg] => match &arg.value {
            Expression::Numeric(n, _) if n.parse::<u8>().is_ok_and(|v| v >= 2) => true,
            Expression::Numeric(..) => {
                diags.push(args.error(
                    "`nanoid()` takes either no argument, or a single integer argument between 2 and 255.",
                ));
                false
            }
            _ => {
                diags.push(args.error("`nanoid()` takes a single Int argument."));
                false
            }
        },
        _ => {
            diags.push(args.error("`nanoid()` takes a single Int argument."));
            false
        }
    }
}

fn dbgenerated_args(fargs: &[ast::Argument], args: &Args<'_>, diags: &mut Diagnostics) -> bool {
    let bail = |diags: &mut Diagnostics| {
        diags.push(args.error("`dbgenerated()` takes a single String argument"));
        false
    };
    if fargs.len() > 1 {
        return bail(diags);
    }
    match fargs.first().map(|a| &a.value) {
        Some(Expression::String(s, _)) if s.is_empty() => {
            diags.push(args.error(
                "dbgenerated() takes either no argument, or a single nonempty string argument.",
            ));
            false
        }
        None | Some(Expression::String(..)) => true,
        _ => bail(diags),
    }
}

/// The IR form of a default that passed validation.
pub(crate) fn default_kind(ty: FieldTy, value: &Expression) -> DefaultKind {
    match value {
        Expression::Function(name, fargs, _) => {
            let first = fargs.arguments.first().map(|a| &a.value);
            let number = first.and_then(|v| match v {
                Expression::Numeric(n, _) => n.parse::<u8>().ok(),
                _ => None,
            });
            match name.as_str() {
                "autoincrement" => DefaultKind::Autoincrement,
                "now" => DefaultKind::Now,
                "cuid" if number == Some(2) => DefaultKind::Cuid(CuidVersion::V2),
                "cuid" => DefaultKind::Cuid(CuidVersion::V1),
                "uuid" if number == Some(7) => DefaultKind::Uuid(UuidVersion::V7),
                "uuid" => DefaultKind::Uuid(UuidVersion::V4),
                "nanoid" => DefaultKind::Nanoid(number),
                "ulid" => DefaultKind::Ulid,
                _ => DefaultKind::DbGenerated(first.and_then(|v| v.as_string()).map(str::to_owned)),
            }
        }
        other => DefaultKind::Value(literal(ty, other)),
    }
}

fn literal(ty: FieldTy, value: &Expression) -> DefaultLiteral {
    use ScalarType as S;
    match (ty, value) {
        (_, Expression::Array(items, _)) => {
            DefaultLiteral::List(items.iter().map(|i| literal(ty, i)).collect())
        }
        (FieldTy::Enum(_), Expression::Constant(v, _)) => DefaultLiteral::Enum(v.clone()),
        (FieldTy::Scalar(S::Boolean), Expression::Constant(v, _)) => {
            DefaultLiteral::Boolean(v == "true")
        }
        (FieldTy::Scalar(S::Int), Expression::Numeric(n, _)) => DefaultLiteral::Int(parse_i64(n)),
        (FieldTy::Scalar(S::BigInt), Expression::Numeric(n, _)) => {
            DefaultLiteral::BigInt(parse_i64(n))
        }
        (FieldTy::Scalar(S::Float), Expression::Numeric(n, _)) => {
            DefaultLiteral::Float(n.parse().unwrap_or_default())
        }
        (FieldTy::Scalar(S::Decimal), Expression::Numeric(n, _) | Expression::String(n, _)) => {
            DefaultLiteral::Decimal(n.clone())
        }
        (FieldTy::Scalar(S::DateTime), Expression::String(s, _)) => {
            DefaultLiteral::DateTime(s.clone())
        }
        (FieldTy::Scalar(S::Json), Expression::String(s, _)) => DefaultLiteral::Json(s.clone()),
        (FieldTy::Scalar(S::Bytes), Expression::String(s, _)) => DefaultLiteral::Bytes(s.clone()),
        (_, Expression::String(s, _)) => DefaultLiteral::String(s.clone()),
        (_, other) => DefaultLiteral::String(other.to_string()),
    }
}

/// Integers in defaults; a float written for an `Int` keeps its integer part.
fn parse_i64(n: &str) -> i64 {
    n.parse::<i64>()
        .ok()
        .or_else(|| n.split('.').next().and_then(|i| i.parse().ok()))
        .unwrap_or_default()
}
