//! Sending values: each [`Value`] becomes a bind parameter of the type the statement expects.
//!
//! A prepared statement tells the exact type of every parameter. A value whose type matches
//! goes in PostgreSQL's binary format; any other goes in text format, so the server's own input
//! function converts it: a `String` for a `uuid`, `citext` or enum parameter, an `Int` for a
//! `numeric`, a `DateTime` for a `date`. Conversions that lose nothing therefore just work in
//! raw SQL, and the rest fail with the server's own error.
//!
//! Unnamed statements (PgBouncer mode) are sent with parameter types chosen from the values
//! ([`declared_type`]): numbers, booleans, bytes and their lists by their own type, everything
//! else (null, text, enums, date-times, JSON, text lists) as "unknown", in text format, so the
//! server infers the type from where the parameter stands.

use bytes::BufMut;
use chrono::{DateTime, SubsecRound, Utc};
use orm_core::{Kind, Value};
use postgres_types::{Format, IsNull, Kind as PgKind, ToSql, Type};

use crate::error::EncodeError;

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// One bind parameter: a value and its position (for error messages).
#[derive(Debug)]
pub(crate) struct Param<'a> {
    value: &'a Value,
    index: usize,
}

impl<'a> Param<'a> {
    pub(crate) fn new(index: usize, value: &'a Value) -> Self {
        Param { value, index }
    }

    fn error(&self, reason: impl Into<String>) -> BoxError {
        Box::new(EncodeError {
            index: self.index,
            reason: reason.into(),
        })
    }
}

/// The type an unnamed statement declares for a parameter holding `value`.
pub(crate) fn declared_type(value: &Value) -> Type {
    match value {
        Value::Boolean(_) => Type::BOOL,
        Value::Int(_) => Type::INT4,
        Value::BigInt(_) => Type::INT8,
        Value::Float(_) => Type::FLOAT8,
        Value::Decimal(_) => Type::NUMERIC,
        Value::Bytes(_) => Type::BYTEA,
        Value::List(kind, _) => match kind {
            Kind::Boolean => Type::BOOL_ARRAY,
            Kind::Int => Type::INT4_ARRAY,
            Kind::BigInt => Type::INT8_ARRAY,
            Kind::Float => Type::FLOAT8_ARRAY,
            Kind::Decimal => Type::NUMERIC_ARRAY,
            Kind::Bytes => Type::BYTEA_ARRAY,
            _ => Type::UNKNOWN,
        },
        _ => Type::UNKNOWN,
    }
}

/// Whether `value` goes in binary format to a parameter of type `ty`; otherwise text.
fn is_binary(value: &Value, ty: &Type) -> bool {
    match value {
        Value::Null => true,
        Value::Boolean(_) => *ty == Type::BOOL,
        Value::Int(_) | Value::BigInt(_) => matches!(*ty, Type::INT2 | Type::INT4 | Type::INT8),
        Value::Float(_) => *ty == Type::FLOAT8,
        Value::Decimal(_) => *ty == Type::NUMERIC,
        Value::String(_) => matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME),
        Value::DateTime(_) => matches!(*ty, Type::TIMESTAMP | Type::TIMESTAMPTZ),
        Value::Json(_) => matches!(*ty, Type::JSON | Type::JSONB),
        Value::Bytes(_) => *ty == Type::BYTEA,
        Value::List(_, items) => match ty.kind() {
            PgKind::Array(member) => items.iter().all(|item| is_binary(item, member)),
            _ => false,
        },
        // Enum labels always go as text: the parameter is a native enum or text.
        _ => false,
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        if self.value.is_null() {
            return Ok(IsNull::Yes);
        }
        if is_binary(self.value, ty) {
            self.write_binary(ty, out)?;
        } else {
            self.write_text(self.value, out)?;
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }

    fn encode_format(&self, ty: &Type) -> Format {
        if is_binary(self.value, ty) {
            Format::Binary
        } else {
            Format::Text
        }
    }
}

impl Param<'_> {
    /// Binary format; only called when [`is_binary`] holds.
    fn write_binary(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<(), BoxError> {
        match self.value {
            Value::Boolean(b) => {
                b.to_sql(ty, out)?;
            }
            Value::Int(i) => self.write_integer(i64::from(*i), ty, out)?,
            Value::BigInt(i) => self.write_integer(*i, ty, out)?,
            Value::Float(f) => {
                f.to_sql(ty, out)?;
            }
            Value::Decimal(d) => {
                d.to_sql(ty, out)?;
            }
            Value::String(s) => {
                self.check_text(s)?;
                out.put_slice(s.as_bytes());
            }
            Value::DateTime(dt) => {
                let dt = truncate(dt);
                if *ty == Type::TIMESTAMP {
                    dt.naive_utc().to_sql(ty, out)?;
                } else {
                    dt.to_sql(ty, out)?;
                }
            }
            Value::Json(json) => {
                json.to_sql(ty, out)?;
            }
            Value::Bytes(bytes) => out.put_slice(bytes),
            Value::List(_, items) => {
                let params: Vec<Param<'_>> = items
                    .iter()
                    .map(|item| Param::new(self.index, item))
                    .collect();
                params.as_slice().to_sql(ty, out)?;
            }
            _ => return Err(self.error("no binary encoding")),
        }
        Ok(())
    }

    fn write_integer(&self, i: i64, ty: &Type, out: &mut bytes::BytesMut) -> Result<(), BoxError> {
        match *ty {
            Type::INT2 => out.put_i16(
                i16::try_from(i)
                    .map_err(|_| self.error(format!("{i} is out of range for int2")))?,
            ),
            Type::INT4 => out.put_i32(
                i32::try_from(i)
                    .map_err(|_| self.error(format!("{i} is out of range for int4")))?,
            ),
            _ => out.put_i64(i),
        }
        Ok(())
    }

    fn check_text(&self, s: &str) -> Result<(), BoxError> {
        if s.as_bytes().contains(&0) {
            return Err(self.error("text contains a NUL character, which PostgreSQL cannot store"));
        }
        Ok(())
    }

    /// Text format: the value as PostgreSQL's input functions read it.
    fn write_text(&self, value: &Value, out: &mut bytes::BytesMut) -> Result<(), BoxError> {
        use std::fmt::Write;
        match value {
            Value::Null => out.put_slice(b"NULL"),
            Value::Boolean(b) => out.put_slice(if *b { b"t" } else { b"f" }),
            Value::Int(i) => write!(out, "{i}")?,
            Value::BigInt(i) => write!(out, "{i}")?,
            Value::Float(f) => write_float(*f, out)?,
            Value::Decimal(d) => write!(out, "{d}")?,
            Value::String(s) => {
                self.check_text(s)?;
                out.put_slice(s.as_bytes());
            }
            Value::Enum(label) => {
                self.check_text(label)?;
                out.put_slice(label.as_bytes());
            }
            Value::DateTime(dt) => {
                // The offset makes `timestamptz` exact; `timestamp` ignores it, and the value
                // is UTC, which is what a `TIMESTAMP(3)` column holds.
                write!(out, "{}", truncate(dt).format("%Y-%m-%d %H:%M:%S%.3f+00"))?;
            }
            Value::Json(json) => {
                let text = serde_json::to_string(json)?;
                out.put_slice(text.as_bytes());
            }
            Value::Bytes(bytes) => {
                out.put_slice(b"\\x");
                for byte in bytes {
                    write!(out, "{byte:02x}")?;
                }
            }
            Value::List(_, items) => {
                out.put_u8(b'{');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.put_u8(b',');
                    }
                    if item.is_null() || matches!(item, Value::List(..)) {
                        self.write_text(item, out)?;
                    } else {
                        let mut element = bytes::BytesMut::new();
                        self.write_text(item, &mut element)?;
                        quote_array_element(&element, out);
                    }
                }
                out.put_u8(b'}');
            }
            _ => return Err(self.error("unsupported value")),
        }
        Ok(())
    }
}

/// Prisma keeps millisecond precision: finer digits are dropped on write.
fn truncate(dt: &DateTime<Utc>) -> DateTime<Utc> {
    dt.trunc_subsecs(3)
}

fn write_float(f: f64, out: &mut bytes::BytesMut) -> std::fmt::Result {
    use std::fmt::Write;
    if f.is_nan() {
        out.put_slice(b"NaN");
    } else if f.is_infinite() {
        out.put_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        // `{:?}` is the shortest text that reads back to the same f64.
        write!(out, "{f:?}")?;
    }
    Ok(())
}

/// An array literal element: double-quoted, with `"` and `\` escaped.
fn quote_array_element(element: &[u8], out: &mut bytes::BytesMut) {
    out.put_u8(b'"');
    for &byte in element {
        if byte == b'"' || byte == b'\\' {
            out.put_u8(b'\\');
        }
        out.put_u8(byte);
    }
    out.put_u8(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &Value) -> String {
        let mut out = bytes::BytesMut::new();
        Param::new(0, value).write_text(value, &mut out).unwrap();
        String::from_utf8(out.to_vec()).unwrap()
    }

    #[test]
    fn text_forms_are_what_postgres_reads() {
        assert_eq!(text(&Value::Float(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(text(&Value::Float(0.1)), "0.1");
        assert_eq!(text(&Value::Bytes(vec![0, 255])), "\\x00ff");
        let dt = "2024-02-29T23:59:59.123987Z"
            .parse::<DateTime<Utc>>()
            .unwrap();
        assert_eq!(text(&Value::DateTime(dt)), "2024-02-29 23:59:59.123+00");
        assert_eq!(
            text(&Value::List(
                Kind::String,
                vec![
                    Value::String("a\"b\\c".into()),
                    Value::Null,
                    Value::String("".into())
                ]
            )),
            r#"{"a\"b\\c",NULL,""}"#
        );
    }

    #[test]
    fn nul_in_text_is_an_encode_error() {
        let value = Value::String("a\0b".into());
        let mut out = bytes::BytesMut::new();
        let Err(err) = Param::new(2, &value).to_sql(&Type::TEXT, &mut out) else {
            panic!("NUL text was encoded");
        };
        let encode = err.downcast_ref::<EncodeError>().unwrap();
        assert_eq!(encode.index, 2);
        assert!(encode.reason.contains("NUL"));
    }

    #[test]
    fn matching_types_go_binary_and_others_text() {
        assert!(is_binary(&Value::Int(1), &Type::INT8));
        assert!(!is_binary(&Value::Int(1), &Type::NUMERIC));
        assert!(!is_binary(&Value::String("x".into()), &Type::UUID));
        assert!(is_binary(
            &Value::List(Kind::Int, vec![Value::Int(1), Value::Null]),
            &Type::INT8_ARRAY
        ));
        assert!(!is_binary(
            &Value::List(Kind::String, vec![Value::String("x".into())]),
            &Type::UUID_ARRAY
        ));
    }

    #[test]
    fn integer_that_does_not_fit_the_parameter_is_an_encode_error() {
        let value = Value::BigInt(i64::from(i32::MAX) + 1);
        let mut out = bytes::BytesMut::new();
        assert!(Param::new(0, &value).to_sql(&Type::INT4, &mut out).is_err());
    }
}
