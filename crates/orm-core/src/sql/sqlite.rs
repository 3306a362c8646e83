//! SQLite's answers to the renderer's questions.

use super::postgres::push_number;
use super::render::{SqlDialect, Writer};
use crate::error::{Error, Result};
use crate::query::{Cast, Expr, JsonType, ListOp, Name};
use crate::sql::Dialect;
use crate::value::Value;

/// The SQLite dialect (the bundled build: 3.54, so `RETURNING`, upserts, `NULLS FIRST/LAST`
/// and row values are all there).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sqlite;

impl SqlDialect for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn placeholder(&self, out: &mut String, n: usize) {
        out.push('?');
        push_number(out, n);
    }

    /// `SQLITE_MAX_VARIABLE_NUMBER` of the bundled build (the default since SQLite 3.32).
    fn max_bind_parameters(&self) -> usize {
        32_766
    }

    fn supports_default_in_values(&self) -> bool {
        false
    }

    /// SQLite's `LIKE` is ASCII-case-insensitive already, which is what Prisma's SQLite
    /// string filters do; `mode: insensitive` changes nothing.
    fn like_operator(&self, _insensitive: bool) -> &'static str {
        "LIKE"
    }

    /// SQLite needs a `LIMIT` before `OFFSET`; `-1` means none.
    fn unbounded_limit(&self) -> Option<&'static str> {
        Some("-1")
    }

    /// `?n + 0`: SQLite reads a bare bound `LIMIT ?n` while planning and then recompiles the
    /// statement every time the parameter is bound again (about 15 µs, several times the cost
    /// of a point read); an expression keeps the statement compiled once.
    fn write_limit_value(&self, w: &mut Writer<'_>, n: i64) {
        w.param(Value::BigInt(n));
        w.push(" + 0");
    }

    fn write_cast(&self, w: &mut Writer<'_>, expr: Expr, cast: &Cast) -> Result<()> {
        match cast {
            // Enums are stored as their text.
            Cast::Text | Cast::Enum(_) | Cast::EnumArray(_) => w.expr(expr),
            // Decimals are stored as REAL (as Prisma stores them).
            Cast::Decimal | Cast::Float => {
                w.push("CAST(");
                w.expr(expr)?;
                w.push(" AS REAL)");
                Ok(())
            }
            // SQLite computes in 64 bits and turns an overflow into a REAL, and its `CAST`
            // never fails: an out-of-range result would be written, and the row could not be
            // read back. The adapter's `orm_int4`/`orm_int8` return an integer that fits
            // unchanged and otherwise fail the statement with `SQLITE_CONSTRAINT_FUNCTION`
            // (`Error::OutOfRange`), which SQLite rolls back as a whole: nothing is written,
            // as on PostgreSQL. A function call per written row is all it costs; no extra
            // statement, transaction or bind parameter.
            Cast::Int | Cast::BigInt => {
                w.push(if *cast == Cast::Int {
                    "orm_int4("
                } else {
                    "orm_int8("
                });
                w.expr(expr)?;
                w.push(")");
                Ok(())
            }
        }
    }

    fn write_list_op(&self, _: &mut Writer<'_>, _: Expr, _: ListOp, _: Expr) -> Result<()> {
        Err(self.unsupported("scalar list filters"))
    }

    /// Expands a bound list into `IN (?1, ?2, …)`.
    fn write_in_array(
        &self,
        w: &mut Writer<'_>,
        expr: Expr,
        array: Expr,
        negated: bool,
    ) -> Result<()> {
        match array {
            Expr::Value(Value::List(_, items)) => w.expr(Expr::InList {
                expr: Box::new(expr),
                list: items.into_iter().map(Expr::Value).collect(),
                negated,
            }),
            _ => Err(self.unsupported("comparison with an array expression")),
        }
    }

    fn write_json_object(&self, _: &mut Writer<'_>, _: Vec<(Name, Expr)>) -> Result<()> {
        Err(self.unsupported("the `join` relation load strategy"))
    }

    fn write_json_at(&self, w: &mut Writer<'_>, expr: Expr, path: Expr, text: bool) -> Result<()> {
        w.push("(");
        w.operand(expr)?;
        w.push(if text { " ->> " } else { " -> " });
        w.operand(path)?;
        w.push(")");
        Ok(())
    }

    fn write_json_element(&self, w: &mut Writer<'_>, expr: Expr, last: bool) -> Result<()> {
        w.push("(");
        w.operand(expr)?;
        w.push(if last { " -> '$[#-1]')" } else { " -> '$[0]')" });
        Ok(())
    }

    fn write_json_type_is(&self, w: &mut Writer<'_>, expr: Expr, ty: JsonType) -> Result<()> {
        w.push("JSON_TYPE(");
        w.expr(expr)?;
        w.push(match ty {
            JsonType::String => ") = 'text'",
            JsonType::Number => ") IN ('integer', 'real')",
            JsonType::Array => ") = 'array'",
        });
        Ok(())
    }

    fn write_json_value(&self, w: &mut Writer<'_>, value: Expr) -> Result<()> {
        w.push("JSON(");
        w.expr(value)?;
        w.push(")");
        Ok(())
    }

    fn write_json_contains(&self, _: &mut Writer<'_>, _: Expr, _: Expr) -> Result<()> {
        Err(self.unsupported("`array_contains` on a Json field"))
    }

    fn write_json_array(&self, _: &mut Writer<'_>, _: Vec<Expr>) -> Result<()> {
        Err(self.unsupported("the `join` relation load strategy"))
    }

    fn write_json_agg(&self, _: &mut Writer<'_>, _: Expr) -> Result<()> {
        Err(self.unsupported("the `join` relation load strategy"))
    }

    fn qualified_returning(&self) -> bool {
        false
    }

    fn supports_lateral(&self) -> bool {
        false
    }
}

impl Sqlite {
    fn unsupported(&self, feature: &str) -> Error {
        Error::Unsupported {
            feature: feature.to_owned(),
            dialect: Dialect::Sqlite,
        }
    }
}
