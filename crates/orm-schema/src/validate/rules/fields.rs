//! Rules on scalar fields and indexes: native types, default values, scalar lists, index
//! arguments the provider supports (Prisma's `validations/fields.rs`, `default_value.rs`,
//! `indexes.rs`, `composite_types.rs` and the connectors' checks).

mod native_types;
mod opclasses;

use super::Ctx;
use crate::ast::{self, Expression, FieldArity};
use crate::diagnostics::Diagnostic;
use crate::ir::{IndexAlgorithm, ScalarType};
use crate::validate::attributes::default::KNOWN_FUNCTIONS;
use crate::validate::attributes::fields_with_leading_word;
use crate::validate::{FieldTy, IndexKind, ModelData};

/// Checks of one scalar field (Prisma's order).
pub(super) fn scalar_field_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    scalar_lists(ctx, model, f);
    named_default(ctx, model, f);
    native_types::validate(ctx, model, f);
    default_value(ctx, model, f);
}

/// The PostgreSQL connector's index method and operator class checks for a model.
pub(super) fn opclasses(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    opclasses::validate(ctx, model);
}

/// Composite types are MongoDB's; Prisma rejects the block on SQL providers.
pub(super) fn composite_types(ctx: &mut Ctx<'_, '_>) {
    if ctx.provider.supports_composite_types {
        return;
    }
    let name = match ctx.provider.kind {
        crate::provider::ProviderKind::Postgres => "Postgres",
        crate::provider::ProviderKind::Sqlite => "SQLite",
    };
    for c in &ctx.db.composite_types {
        ctx.diags.push(Diagnostic::validation(
            &format!("Composite types are not supported on {name}."),
            c.ast.span,
        ));
    }
}

/// Prisma's connectors reject `@default` functions nobody knows.
pub(super) fn unknown_default_functions(ctx: &mut Ctx<'_, '_>) {
    for model in &ctx.db.models {
        for field in &model.fields {
            let Some(default) = &field.default else {
                continue;
            };
            if let Expression::Function(name, _, span) = default.value
                && !KNOWN_FUNCTIONS.contains(&name.as_str())
            {
                ctx.diags
                    .push(Diagnostic::default_unknown_function(name, *span));
            }
        }
    }
}

/// Prisma: `String[]` needs a provider with scalar lists.
fn scalar_lists(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    let field = &model.fields[f];
    if field.arity() != FieldArity::List || ctx.provider.supports_scalar_lists {
        return;
    }
    if matches!(
        field.ty,
        FieldTy::Scalar(_) | FieldTy::Enum(_) | FieldTy::Unsupported
    ) {
        ctx.diags.push(Diagnostic::error(
            format!(
                "Field \"{}\" in {} \"{}\" can't be a list. The current connector does not support lists of primitive types.",
                field.name(),
                model.container(),
                model.name()
            ),
            field.ast.span,
        ));
    }
}

/// `@default(…, map: "…")`: named default constraints (SQL Server only).
fn named_default(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    let field = &model.fields[f];
    let Some(default) = &field.default else {
        return;
    };
    if default.mapped_name.is_some() && !ctx.provider.supports_named_defaults {
        ctx.diags.push(Diagnostic::model_validation(
            "You defined a database name for the default value of a field on the model. This is not supported by the provider.",
            model.container(),
            model.name(),
            field.ast.span,
        ));
    }
}

/// Prisma's `default_value.rs`: a literal default must parse as the field's type.
fn default_value(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    let field = &model.fields[f];
    let Some(default) = &field.default else {
        return;
    };
    let FieldTy::Scalar(scalar) = field.ty else {
        return;
    };
    let values: Vec<&Expression> = match default.value {
        Expression::Array(items, _) => items.iter().collect(),
        Expression::Function(..) => return,
        single => vec![single],
    };
    for value in values {
        // Prisma parses `Int` defaults as 64-bit integers too (the database reports overflow).
        let (error, attribute) = match (scalar, value) {
            (ScalarType::Int | ScalarType::BigInt, Expression::Numeric(n, _)) => (
                n.parse::<i64>()
                    .err()
                    .map(|e| format!("Parse error: \"{n}\" is not a valid integer. ({e})")),
                "@default",
            ),
            (ScalarType::Decimal, Expression::String(s, _)) => (
                (!is_decimal(s)).then(|| format!("Parse error: \"{s}\" is not a valid decimal.")),
                // Prisma names the attribute without its `@` in this one message.
                "default",
            ),
            (ScalarType::DateTime, Expression::String(s, _)) => (
                (!is_rfc3339(s)).then(|| {
                    format!("Parse error: \"{s}\" is not a valid rfc3339 datetime string.")
                }),
                "@default",
            ),
            (ScalarType::Bytes, Expression::String(s, _)) => (
                (!is_base64(s))
                    .then(|| format!("Parse error: \"{s}\" is not a valid base64 string.")),
                "@default",
            ),
            (ScalarType::Json, Expression::String(s, _)) => (
                (!is_json(s)).then(|| format!("Parse error: \"{s}\" is not a valid JSON string.")),
                "@default",
            ),
            _ => (None, "@default"),
        };
        if let Some(message) = error {
            ctx.diags.push(Diagnostic::attribute_validation(
                &message,
                attribute,
                value.span(),
            ));
        }
    }
}

/// `-?digits(.digits)?([eE][+-]?digits)?`
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && frac.is_none_or(digits)
        && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `YYYY-MM-DDTHH:MM:SS(.fff)?(Z|±HH:MM)`.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't' | b' ')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

fn is_base64(s: &str) -> bool {
    let trimmed = s.trim_end_matches('=');
    s.len() - trimmed.len() <= 2
        && trimmed
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        && (s.len().is_multiple_of(4) || !s.contains('='))
}

/// A small JSON syntax check (values, objects, arrays, strings, numbers, literals).
fn is_json(s: &str) -> bool {
    fn ws(b: &[u8], mut i: usize) -> usize {
        while b
            .get(i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            i += 1;
        }
        i
    }
    fn value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
        if depth > 128 {
            return None;
        }
        let i = ws(b, i);
        match b.get(i)? {
            b'{' => {
                let mut i = ws(b, i + 1);
                if b.get(i) == Some(&b'}') {
                    return Some(i + 1);
                }
                loop {
                    i = string(b, ws(b, i))?;
                    i = ws(b, i);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = ws(b, value(b, i + 1, depth + 1)?);
                    match b.get(i)? {
                        b',' => i += 1,
                        b'}' => return Some(i + 1),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let mut i = ws(b, i + 1);
                if b.get(i) == Some(&b']') {
                    return Some(i + 1);
                }
                loop {
                    i = ws(b, value(b, i, depth + 1)?);
                    match b.get(i)? {
                        b',' => i += 1,
                        b']' => return Some(i + 1),
                        _ => return None,
                    }
                }
            }
            b'"' => string(b, i),
            b't' => b[i..].starts_with(b"true").then_some(i + 4),
            b'f' => b[i..].starts_with(b"false").then_some(i + 5),
            b'n' => b[i..].starts_with(b"null").then_some(i + 4),
            _ => {
                let mut j = i;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let start = j;
                while b.get(j).is_some_and(|c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')
                }) {
                    j += 1;
                }
                (j > start).then_some(j)
            }
        }
    }
    fn string(b: &[u8], i: usize) -> Option<usize> {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let mut i = i + 1;
        loop {
            match b.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    }
    let b = s.as_bytes();
    value(b, 0, 0).is_some_and(|end| ws(b, end) == b.len())
}

pub(super) fn index_rules(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, i: usize) {
    let index = &model.indexes[i];
    let attr_name = match (index.kind, index.source_field.is_some()) {
        (IndexKind::Unique, true) => "@unique",
        (IndexKind::Unique, false) => "@@unique",
        (IndexKind::Normal, _) => "@@index",
        (IndexKind::Fulltext, _) => "@@fulltext",
    };
    let span = index.attribute.span;
    let error = |message: &str| Diagnostic::attribute_validation(message, attr_name, span);

    if index.fields.is_empty() && index.source_field.is_none() {
        ctx.diags.push(error(&format!(
            "The list of fields in an `{attr_name}()` attribute cannot be empty. Please specify at least one field."
        )));
    }
    if index.kind == IndexKind::Unique
        && index.source_field.is_none()
        && index.name.is_none()
        && index.fields.len() > 1
    {
        let client_name: Vec<&str> = index
            .fields
            .iter()
            .map(|f| model.fields[f.field].name())
            .collect();
        let client_name = client_name.join("_");
        if model.fields.iter().any(|f| f.name() == client_name) {
            ctx.diags.push(Diagnostic::model_validation(
                &format!(
                    "The field `{client_name}` clashes with the `@@unique` name. Please resolve the conflict by providing a custom id name: `@@unique([...], name: \"custom_name\")`"
                ),
                model.container(),
                model.name(),
                span,
            ));
        }
    }
    if !ctx.provider.supports_index_length && index.fields.iter().any(|f| f.length.is_some()) {
        ctx.diags.push(error(
            "The length argument is not supported in an index definition with the current connector",
        ));
    }
    if let Some(algo) = index.algorithm {
        if !ctx.provider.index_algorithms.contains(&algo) {
            ctx.diags.push(error(
                "The given index type is not supported with the current connector",
            ));
        } else if algo == IndexAlgorithm::Hash && index.fields.iter().any(|f| f.sort.is_some()) {
            ctx.diags
                .push(error("Hash type does not support sort option."));
        }
    }
    if index.kind == IndexKind::Fulltext {
        ctx.diags.push(error(
            "Defining fulltext indexes is not supported with the current connector.",
        ));
    }
    if index.clustered.is_some() && !ctx.provider.supports_clustering {
        ctx.diags.push(error(
            "Defining clustering is not supported in the current connector.",
        ));
    }
    if index.kind != IndexKind::Normal && index.fields.iter().any(|f| f.ops.is_some()) {
        ctx.diags.push(error(
            "Operator classes can only be defined to fields in an @@index attribute.",
        ));
    }
    if let Some(name) = index.mapped_name {
        super::models::too_long(
            ctx,
            model,
            name,
            attr_name.trim_start_matches('@'),
            span,
            index.source_field.is_none(),
        );
    }
    // `length:` only fits String and Bytes.
    for field in &index.fields {
        let f = &model.fields[field.field];
        if field.length.is_some()
            && ctx.provider.supports_index_length
            && !matches!(
                f.ty,
                FieldTy::Scalar(ScalarType::String | ScalarType::Bytes)
            )
        {
            ctx.diags.push(error(&format!(
                "The length argument is only allowed with field types `String` or `Bytes`. Please remove the argument from the {}.",
                fields_with_leading_word(&[f.name()])
            )));
        }
    }
    let _ = ast::FieldArity::Required;
}
