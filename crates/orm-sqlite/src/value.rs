//! [`Value`]s to and from SQLite, stored as Prisma 7 stores them.
//!
//! | `Value` | written as | read back from |
//! | --- | --- | --- |
//! | `Boolean` | integer `0`/`1` | an integer in a `BOOLEAN` column |
//! | `Int`, `BigInt` | integer | integer: `Int` in `INT`/`INTEGER` columns when it fits an `i32`, else `BigInt` |
//! | `Float` | real (NaN is refused: SQLite would store NULL) | real |
//! | `Decimal` | text, exact | a `DECIMAL` column: real, integer or text |
//! | `String`, `Enum` | text | text |
//! | `DateTime` | text `2026-11-25T08:50:06.517+00:00` | a `DATETIME` column: ISO-8601 text, `CURRENT_TIMESTAMP` text, or unix milliseconds (older Prisma) |
//! | `Json` | JSON text | a `JSONB`/`JSON` column: text |
//! | `Bytes` | blob | blob |
//! | `List` | refused: SQLite has no scalar lists | |
//!
//! Reading looks at the stored value's storage class and the column's declared type: a column
//! declared as Prisma declares it yields the natural `Value` (`DateTime` from a `DATETIME`
//! column). An expression column (no declared type), or a value that does not fit its declared
//! type, yields the storage class's own value: integer → `BigInt`, real → `Float`, text →
//! `String`, blob → `Bytes`. `FromValue` accepts those too, so decoding into the Rust type asked
//! for works either way.
//!
//! SQLite gives a `DECIMAL` column NUMERIC affinity: text that looks like a number is stored as
//! an integer or a real, keeping about 15 significant digits. A `Decimal` therefore round-trips
//! exactly in a column without that affinity (`TEXT`, or no declared type) and to `f64`
//! precision in a `DECIMAL` column, as with Prisma (which binds a JavaScript number).

use chrono::{DateTime, SecondsFormat, Utc};
use orm_core::value::{decimal_from_f64, parse_datetime};
use orm_core::{Dialect, Error, Result, Value};
use rusqlite::Statement;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

/// How a column's declared type shapes the values read from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decl {
    /// `BOOLEAN`.
    Boolean,
    /// `INT`, `INTEGER`, `SMALLINT`, …: `Int` when the value fits.
    Int,
    /// `BIGINT`.
    BigInt,
    /// `REAL`, `DOUBLE`, `FLOAT`.
    Float,
    /// `DECIMAL`.
    Decimal,
    /// `DATETIME`, `TIMESTAMP`.
    DateTime,
    /// `JSONB`, `JSON`.
    Json,
    /// Anything else, or an expression: the storage class decides.
    Other,
}

impl Decl {
    /// The declared type's meaning. Arguments (`DECIMAL(10,2)`) and case are ignored.
    pub(crate) fn of(declared: Option<&str>) -> Decl {
        let Some(declared) = declared else {
            return Decl::Other;
        };
        let name = declared.split('(').next().unwrap_or_default().trim();
        let is = |candidates: &[&str]| candidates.iter().any(|c| name.eq_ignore_ascii_case(c));
        if is(&["INTEGER", "INT", "TINYINT", "SMALLINT", "MEDIUMINT", "INT2"]) {
            Decl::Int
        } else if is(&["BIGINT", "INT8", "UNSIGNED BIG INT"]) {
            Decl::BigInt
        } else if is(&["BOOLEAN", "BOOL"]) {
            Decl::Boolean
        } else if is(&["DATETIME", "TIMESTAMP"]) {
            Decl::DateTime
        } else if is(&["DECIMAL"]) {
            Decl::Decimal
        } else if is(&["REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT"]) {
            Decl::Float
        } else if is(&["JSONB", "JSON"]) {
            Decl::Json
        } else {
            Decl::Other
        }
    }
}

/// Formats a `DateTime` as Prisma 7 stores it on SQLite: `2026-11-25T08:50:06.517+00:00`.
pub(crate) fn format_datetime(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// Binds `params` to the statement's `?NNN` placeholders, checking that the counts agree (an
/// unbound SQLite parameter would silently be NULL).
pub(crate) fn bind(stmt: &mut Statement<'_>, params: &[Value]) -> Result<()> {
    let expected = stmt.parameter_count();
    if expected != params.len() {
        return Err(Error::Encode {
            what: "bind parameters".to_owned(),
            reason: format!("the statement takes {expected}, {} given", params.len()),
        });
    }
    // The text of the last `DateTime` bound: a multi-row insert binds the same `now()` in
    // every row, and formatting it is most of the cost of binding a row.
    let mut last_datetime: Option<(&DateTime<Utc>, String)> = None;
    for (index, value) in params.iter().enumerate() {
        let output = match value {
            Value::DateTime(at) => {
                let (_, text) = match last_datetime.take() {
                    Some((last, text)) if last == at => last_datetime.insert((last, text)),
                    _ => last_datetime.insert((at, format_datetime(at))),
                };
                ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()))
            }
            _ => to_sql(value, index + 1)?,
        };
        stmt.raw_bind_parameter(index + 1, output)
            .map_err(crate::error::map_error)?;
    }
    Ok(())
}

/// The SQLite value a parameter is bound as. Text and blobs are borrowed, not copied.
fn to_sql(value: &Value, position: usize) -> Result<ToSqlOutput<'_>> {
    Ok(match value {
        Value::Null => ToSqlOutput::Owned(SqlValue::Null),
        Value::Boolean(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
        Value::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*i))),
        Value::BigInt(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
        Value::Float(f) if f.is_nan() => {
            return Err(Error::Encode {
                what: format!("parameter {position}"),
                reason: "SQLite cannot store NaN (it would become NULL)".to_owned(),
            });
        }
        Value::Float(f) => ToSqlOutput::Owned(SqlValue::Real(*f)),
        Value::Decimal(d) => ToSqlOutput::Owned(SqlValue::Text(d.to_string())),
        Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Value::Enum(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Value::DateTime(at) => ToSqlOutput::Owned(SqlValue::Text(format_datetime(at))),
        Value::Json(json) => ToSqlOutput::Owned(SqlValue::Text(json.to_string())),
        Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        Value::List(..) => {
            return Err(Error::Unsupported {
                feature: "scalar lists".to_owned(),
                dialect: Dialect::Sqlite,
            });
        }
        // `Value` is non-exhaustive; a variant added later is refused until mapped here.
        #[allow(unreachable_patterns)]
        other => {
            return Err(Error::Encode {
                what: format!("parameter {position}"),
                reason: format!("{} values have no SQLite mapping", other.type_name()),
            });
        }
    })
}

/// Text stored in `column` as `str`, or a decode error naming the column.
pub(crate) fn utf8<'a>(bytes: &'a [u8], column: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| Error::Decode {
        column: column.to_owned(),
        expected: "UTF-8 text".to_owned(),
        actual: "text that is not valid UTF-8".to_owned(),
    })
}

/// Reads one stored value of a column declared as `decl`.
#[inline(always)]
pub(crate) fn from_sql(value: ValueRef<'_>, decl: Decl, column: &str) -> Result<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match decl {
            Decl::Boolean => Value::Boolean(i != 0),
            Decl::Int => i32::try_from(i).map_or(Value::BigInt(i), Value::Int),
            Decl::Decimal => Value::Decimal(i.into()),
            Decl::DateTime => {
                DateTime::from_timestamp_millis(i).map_or(Value::BigInt(i), Value::DateTime)
            }
            _ => Value::BigInt(i),
        },
        ValueRef::Real(f) => match decl {
            Decl::Decimal => decimal_from_f64(f).map_or(Value::Float(f), Value::Decimal),
            _ => Value::Float(f),
        },
        ValueRef::Text(bytes) => {
            let text = utf8(bytes, column)?;
            match decl {
                Decl::DateTime => parse_datetime(text)
                    .map_or_else(|| Value::String(text.to_owned()), Value::DateTime),
                Decl::Decimal => text
                    .parse()
                    .map_or_else(|_| Value::String(text.to_owned()), Value::Decimal),
                Decl::Json => serde_json::from_str(text)
                    .map_or_else(|_| Value::String(text.to_owned()), Value::Json),
                _ => Value::String(text.to_owned()),
            }
        }
        ValueRef::Blob(bytes) => Value::Bytes(bytes.to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_as_prisma_writes_them() {
        assert_eq!(Decl::of(Some("INTEGER")), Decl::Int);
        assert_eq!(Decl::of(Some("bigint")), Decl::BigInt);
        assert_eq!(Decl::of(Some("DECIMAL(10, 2)")), Decl::Decimal);
        assert_eq!(Decl::of(Some("DATETIME")), Decl::DateTime);
        assert_eq!(Decl::of(Some("JSONB")), Decl::Json);
        assert_eq!(Decl::of(Some("TEXT")), Decl::Other);
        assert_eq!(Decl::of(None), Decl::Other);
    }

    #[test]
    fn datetime_is_written_with_milliseconds_and_utc_offset() {
        let at = "2026-11-25T08:50:06.517891Z"
            .parse::<DateTime<Utc>>()
            .unwrap();
        assert_eq!(format_datetime(&at), "2026-11-25T08:50:06.517+00:00");
    }

    #[test]
    fn integers_follow_the_declared_type() {
        let read = |i, decl| from_sql(ValueRef::Integer(i), decl, "c").unwrap();
        assert_eq!(read(7, Decl::Int), Value::Int(7));
        assert_eq!(read(i64::MAX, Decl::Int), Value::BigInt(i64::MAX));
        assert_eq!(read(7, Decl::Other), Value::BigInt(7));
        assert_eq!(read(1, Decl::Boolean), Value::Boolean(true));
        assert_eq!(
            read(1_795_596_606_517, Decl::DateTime),
            Value::DateTime("2026-11-25T08:50:06.517Z".parse().unwrap())
        );
    }

    #[test]
    fn text_that_does_not_fit_the_declared_type_stays_text() {
        let read = |t: &'static str, decl| from_sql(ValueRef::Text(t.as_bytes()), decl, "c");
        assert_eq!(
            read("soon", Decl::DateTime).unwrap(),
            Value::String("soon".into())
        );
        assert_eq!(read("{", Decl::Json).unwrap(), Value::String("{".into()));
        assert!(from_sql(ValueRef::Text(&[0xff]), Decl::Other, "c").is_err());
    }

    #[test]
    fn nan_and_lists_are_refused() {
        assert!(matches!(
            to_sql(&Value::Float(f64::NAN), 1),
            Err(Error::Encode { .. })
        ));
        assert!(matches!(
            to_sql(&Value::List(orm_core::Kind::Int, vec![]), 1),
            Err(Error::Unsupported { .. })
        ));
    }
}
