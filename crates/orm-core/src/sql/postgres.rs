//! PostgreSQL's answers to the renderer's questions.

use super::render::{SqlDialect, Writer};
use crate::error::Result;
use crate::query::{Cast, Expr, JsonType, ListOp};
use crate::sql::Dialect;
use crate::value::Kind;

/// The PostgreSQL dialect.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Postgres;

impl SqlDialect for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn placeholder(&self, out: &mut String, n: usize) {
        out.push('$');
        push_number(out, n);
    }

    /// The protocol counts parameters in an unsigned 16-bit number.
    fn max_bind_parameters(&self) -> usize {
        65_535
    }

    fn supports_default_in_values(&self) -> bool {
        true
    }

    fn like_operator(&self, insensitive: bool) -> &'static str {
        if insensitive { "ILIKE" } else { "LIKE" }
    }

    fn unbounded_limit(&self) -> Option<&'static str> {
        None
    }

    fn write_cast(&self, w: &mut Writer<'_>, expr: Expr, cast: &Cast) -> Result<()> {
        let target = match cast {
            // `integer` and `bigint` arithmetic fails on overflow by itself (22003).
            Cast::Int | Cast::BigInt => return w.expr(expr),
            Cast::Text => " AS TEXT)",
            Cast::Enum(_) | Cast::EnumArray(_) => "",
            Cast::Decimal => " AS DECIMAL(65,30))",
            Cast::Float => " AS DOUBLE PRECISION)",
        };
        w.push("CAST(");
        match cast {
            Cast::Enum(name) => {
                w.push("CAST(");
                w.expr(expr)?;
                w.push(" AS TEXT) AS ");
                w.ident(name);
                w.push(")");
            }
            Cast::EnumArray(name) => {
                w.push("CAST(");
                w.expr(expr)?;
                w.push(" AS TEXT[]) AS ");
                w.ident(name);
                w.push("[])");
            }
            _ => {
                w.expr(expr)?;
                w.push(target);
            }
        }
        Ok(())
    }

    fn write_list_op(&self, w: &mut Writer<'_>, list: Expr, op: ListOp, value: Expr) -> Result<()> {
        match op {
            ListOp::Has => {
                w.operand(value)?;
                w.push(" = ANY(");
                w.expr(list)?;
                w.push(")");
            }
            ListOp::HasSome | ListOp::HasEvery => {
                w.operand(list)?;
                w.push(if op == ListOp::HasSome {
                    " && "
                } else {
                    " @> "
                });
                w.operand(value)?;
            }
            ListOp::IsEmpty => {
                w.push("CARDINALITY(");
                w.expr(list)?;
                w.push(") = 0");
            }
        }
        Ok(())
    }

    fn write_in_array(
        &self,
        w: &mut Writer<'_>,
        expr: Expr,
        array: Expr,
        negated: bool,
    ) -> Result<()> {
        w.operand(expr)?;
        w.push(if negated { " <> ALL(" } else { " = ANY(" });
        w.expr(array)?;
        w.push(")");
        Ok(())
    }

    fn write_json_object(
        &self,
        w: &mut Writer<'_>,
        fields: Vec<(crate::query::Name, Expr)>,
    ) -> Result<()> {
        w.push("JSON_BUILD_OBJECT(");
        for (i, (key, value)) in fields.into_iter().enumerate() {
            if i > 0 {
                w.push(", ");
            }
            w.string_literal(&key);
            w.push(", ");
            w.expr(value)?;
        }
        w.push(")");
        Ok(())
    }

    fn write_json_at(&self, w: &mut Writer<'_>, expr: Expr, path: Expr, text: bool) -> Result<()> {
        w.push("(");
        w.operand(expr)?;
        w.push(if text { " #>> " } else { " #> " });
        w.operand(path)?;
        w.push(")");
        Ok(())
    }

    fn write_json_element(&self, w: &mut Writer<'_>, expr: Expr, last: bool) -> Result<()> {
        w.push("(");
        w.operand(expr)?;
        w.push(if last { " -> -1)" } else { " -> 0)" });
        Ok(())
    }

    fn write_json_type_is(&self, w: &mut Writer<'_>, expr: Expr, ty: JsonType) -> Result<()> {
        w.push("JSONB_TYPEOF(CAST(");
        w.expr(expr)?;
        w.push(match ty {
            JsonType::String => " AS JSONB)) = 'string'",
            JsonType::Number => " AS JSONB)) = 'number'",
            JsonType::Array => " AS JSONB)) = 'array'",
        });
        Ok(())
    }

    fn write_json_value(&self, w: &mut Writer<'_>, value: Expr) -> Result<()> {
        w.expr(value)
    }

    fn write_json_contains(&self, w: &mut Writer<'_>, left: Expr, right: Expr) -> Result<()> {
        w.push("(");
        w.operand(left)?;
        w.push(" @> ");
        w.operand(right)?;
        w.push(")");
        Ok(())
    }

    fn write_json_array(&self, w: &mut Writer<'_>, items: Vec<Expr>) -> Result<()> {
        w.push("JSON_BUILD_ARRAY(");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                w.push(", ");
            }
            w.expr(item)?;
        }
        w.push(")");
        Ok(())
    }

    fn write_json_agg(&self, w: &mut Writer<'_>, expr: Expr) -> Result<()> {
        w.push("COALESCE(JSON_AGG(");
        w.expr(expr)?;
        w.push("), '[]')");
        Ok(())
    }

    fn qualified_returning(&self) -> bool {
        true
    }

    fn supports_lateral(&self) -> bool {
        true
    }

    /// The default types and the native types whose values PostgreSQL assigns from the
    /// default type's array without changing them (`text` to `varchar(n)`, `int4` to `int2`,
    /// …, with the same errors as a direct insert when a value does not fit). Types whose
    /// assignment from the array type would need a cast PostgreSQL does not make implicitly
    /// (`uuid`, `inet`, …) or would change the value (`timestamptz` through the session's
    /// time zone) keep the `VALUES` form.
    fn unnest_array_type(&self, kind: Kind, native: Option<&str>) -> Option<&'static str> {
        Some(match (kind, native) {
            (Kind::String, None | Some("Text" | "VarChar" | "Char")) => "text[]",
            (Kind::Int, None | Some("Integer" | "SmallInt")) => "int4[]",
            (Kind::BigInt, None | Some("BigInt")) => "int8[]",
            (Kind::Float, None | Some("DoublePrecision" | "Real")) => "float8[]",
            (Kind::Decimal, None | Some("Decimal")) => "numeric[]",
            (Kind::Boolean, None | Some("Boolean")) => "bool[]",
            (Kind::DateTime, None | Some("Timestamp")) => "timestamp[]",
            (Kind::Json, None | Some("JsonB")) => "jsonb[]",
            (Kind::Bytes, None | Some("ByteA")) => "bytea[]",
            _ => return None,
        })
    }
}

/// Appends the decimal digits of `n` (placeholder numbers: a multi-row insert writes tens of
/// thousands of them, so no `format!`).
pub(crate) fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        // A single decimal digit always fits a byte.
        digits[start] = b'0' + u8::try_from(n % 10).unwrap_or(0);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|d| char::from(*d)));
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 65_535, 1_000_001, usize::MAX] {
            let mut out = String::new();
            super::push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
