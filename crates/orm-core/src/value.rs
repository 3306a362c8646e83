//! Values as they travel between the client and a database.
//!
//! A [`Value`] holds one Prisma scalar (or a scalar list, or null). Every value reaches the
//! database as a bind parameter; adapters convert values to and from their driver's types.
//! [`ToValue`] and [`FromValue`] connect Rust types to values.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// The type of a [`Value`], without the value: what a column or a bind parameter holds.
///
/// Adapters use it to pick a driver type for a parameter whose value is null or an empty list,
/// and [`Error::Decode`] uses it to name the expected type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `Boolean`.
    Boolean,
    /// `Int`: a 32-bit signed integer.
    Int,
    /// `BigInt`: a 64-bit signed integer.
    BigInt,
    /// `Float`: a 64-bit float.
    Float,
    /// `Decimal`: an exact decimal number.
    Decimal,
    /// `String`.
    String,
    /// `DateTime`: an instant in UTC with millisecond precision.
    DateTime,
    /// `Json`.
    Json,
    /// `Bytes`.
    Bytes,
    /// A value of a schema `enum`, carried as its database name.
    Enum,
}

impl Kind {
    /// The Prisma name of the type (`"BigInt"`), used in error messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Boolean => "Boolean",
            Kind::Int => "Int",
            Kind::BigInt => "BigInt",
            Kind::Float => "Float",
            Kind::Decimal => "Decimal",
            Kind::String => "String",
            Kind::DateTime => "DateTime",
            Kind::Json => "Json",
            Kind::Bytes => "Bytes",
            Kind::Enum => "Enum",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One value of a Prisma scalar type, a scalar list, or null.
///
/// Values are stored as Prisma 7 stores them: on PostgreSQL a `DateTime` goes to a
/// `TIMESTAMP(3)` column holding UTC; on SQLite it is ISO-8601 text
/// (`2026-11-25T08:50:06.517+00:00`), and unix milliseconds written by older Prisma versions
/// still read back.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL`.
    #[default]
    Null,
    /// `Boolean`.
    Boolean(bool),
    /// `Int`.
    Int(i32),
    /// `BigInt`.
    BigInt(i64),
    /// `Float`.
    Float(f64),
    /// `Decimal`.
    Decimal(Decimal),
    /// `String`.
    String(String),
    /// `DateTime`.
    DateTime(DateTime<Utc>),
    /// `Json`. A JSON `null` here is Prisma's `JsonNull`, distinct from [`Value::Null`].
    Json(serde_json::Value),
    /// `Bytes`.
    Bytes(Vec<u8>),
    /// A value of a schema `enum`, by its database name (after `@map`).
    ///
    /// This is the one runtime form of an enum field: the engine returns every enum field as
    /// `Enum` on both backends (rows, included relations by either load strategy, `distinct`,
    /// `groupBy` keys, `_min`/`_max`, the records writes return), and generated enums convert
    /// to and from it. A raw query returns `Enum` only where the database reports the type:
    /// PostgreSQL's enum types do, but on SQLite an enum column is plain `TEXT`, so a raw query
    /// there reads [`Value::String`]; decoding into a generated enum (or `String`) accepts
    /// either.
    Enum(Cow<'static, str>),
    /// A scalar list (PostgreSQL only): the element type, then the elements.
    List(Kind, Vec<Value>),
}

impl Value {
    /// Whether this is SQL `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The type of this value, or `None` for [`Value::Null`]. A list reports its element type.
    pub fn kind(&self) -> Option<Kind> {
        Some(match self {
            Value::Null => return None,
            Value::Boolean(_) => Kind::Boolean,
            Value::Int(_) => Kind::Int,
            Value::BigInt(_) => Kind::BigInt,
            Value::Float(_) => Kind::Float,
            Value::Decimal(_) => Kind::Decimal,
            Value::String(_) => Kind::String,
            Value::DateTime(_) => Kind::DateTime,
            Value::Json(_) => Kind::Json,
            Value::Bytes(_) => Kind::Bytes,
            Value::Enum(_) => Kind::Enum,
            Value::List(kind, _) => *kind,
        })
    }

    /// A short name of the value's type for error messages (`"Int"`, `"List<Int>"`, `"null"`).
    pub fn type_name(&self) -> String {
        match self {
            Value::Null => "null".to_owned(),
            Value::List(kind, _) => format!("List<{kind}>"),
            other => other.kind().map(Kind::as_str).unwrap_or("null").to_owned(),
        }
    }
}

/// Conversion of a Rust value into a [`Value`], for bind parameters.
///
/// Implemented for the Rust types of every Prisma scalar, for `Option<T>` (None is null) and,
/// for scalar lists, `Vec<T>`. Generated enums implement it too.
pub trait ToValue {
    /// The value's type when known statically; `Vec<T>` uses it for an empty list.
    const KIND: Option<Kind> = None;

    /// Converts `self` into a [`Value`].
    fn to_value(&self) -> Value;
}

/// Conversion of a [`Value`] read from the database into a Rust value.
///
/// `column` names where the value came from, for [`Error::Decode`].
pub trait FromValue: Sized {
    /// Converts `value` into `Self`, or reports which type was expected and which was found.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the value has another type or does not fit.
    fn from_value(value: Value, column: &str) -> Result<Self>;

    /// Converts a cell of a driver's row ([`Cells`](crate::row::Cells)) into `Self`, accepting
    /// what [`from_value`](FromValue::from_value) accepts of the cell's value. The default goes
    /// through [`CellRef::to_value`]; the scalar types convert directly, without the `Value`.
    ///
    /// # Errors
    ///
    /// As [`from_value`](FromValue::from_value).
    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        Self::from_value(cell.to_value(), column)
    }
}

/// One cell of a row, borrowed from the driver: SQLite's storage classes, which is also all
/// that JSON or text protocols give.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// `NULL`.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl CellRef<'_> {
    /// The cell as an owned value: `BigInt`, `Float`, `String` or `Bytes`.
    pub fn to_value(self) -> Value {
        match self {
            CellRef::Null => Value::Null,
            CellRef::Integer(i) => Value::BigInt(i),
            CellRef::Real(f) => Value::Float(f),
            CellRef::Text(t) => Value::String(t.to_owned()),
            CellRef::Blob(b) => Value::Bytes(b.to_vec()),
        }
    }
}

/// Builds the decode error for `column`, expecting `expected` and finding `actual`.
pub fn decode_error(column: &str, expected: &str, actual: &Value) -> Error {
    Error::Decode {
        column: column.to_owned(),
        expected: expected.to_owned(),
        actual: actual.type_name(),
    }
}

macro_rules! scalar_conversions {
    ($($ty:ty => $variant:ident, $kind:ident;)*) => {$(
        impl ToValue for $ty {
            const KIND: Option<Kind> = Some(Kind::$kind);
            fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
        }

        impl From<$ty> for Value {
            fn from(v: $ty) -> Value {
                Value::$variant(v)
            }
        }
    )*};
}

scalar_conversions! {
    bool => Boolean, Boolean;
    i32 => Int, Int;
    i64 => BigInt, BigInt;
    f64 => Float, Float;
    Decimal => Decimal, Decimal;
    String => String, String;
    DateTime<Utc> => DateTime, DateTime;
    serde_json::Value => Json, Json;
    Vec<u8> => Bytes, Bytes;
}

impl ToValue for str {
    const KIND: Option<Kind> = Some(Kind::String);
    fn to_value(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToValue for [u8] {
    const KIND: Option<Kind> = Some(Kind::Bytes);
    fn to_value(&self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::String(v.to_owned())
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    const KIND: Option<Kind> = T::KIND;
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    const KIND: Option<Kind> = T::KIND;
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

/// Scalar lists: `Vec<u8>` is `Bytes`, so lists are built from any other element type.
macro_rules! list_conversions {
    ($($ty:ty),*) => {$(
        impl ToValue for Vec<$ty> {
            fn to_value(&self) -> Value {
                let kind = <$ty as ToValue>::KIND.unwrap_or(Kind::String);
                Value::List(kind, self.iter().map(ToValue::to_value).collect())
            }
        }

        impl FromValue for Vec<$ty> {
            fn from_value(value: Value, column: &str) -> Result<Self> {
                match value {
                    Value::List(_, items) => items
                        .into_iter()
                        .map(|item| <$ty>::from_value(item, column))
                        .collect(),
                    other => Err(decode_error(column, "List", &other)),
                }
            }
        }
    )*};
}

list_conversions!(
    bool,
    i32,
    i64,
    f64,
    Decimal,
    String,
    DateTime<Utc>,
    serde_json::Value
);

impl FromValue for Value {
    fn from_value(value: Value, _column: &str) -> Result<Self> {
        Ok(value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other, column).map(Some),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Null => Ok(None),
            other => T::from_cell(other, column).map(Some),
        }
    }
}

/// The decode error of a cell that `T` does not accept.
fn cell_error(column: &str, expected: &str, cell: CellRef<'_>) -> Error {
    Error::Decode {
        column: column.to_owned(),
        expected: expected.to_owned(),
        actual: cell.to_value().type_name(),
    }
}

impl FromValue for bool {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Boolean(b) => Ok(b),
            // SQLite stores booleans as integers 0 and 1.
            Value::Int(i) => Ok(i != 0),
            Value::BigInt(i) => Ok(i != 0),
            other => Err(decode_error(column, "Boolean", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Integer(i) => Ok(i != 0),
            other => Err(cell_error(column, "Boolean", other)),
        }
    }
}

impl FromValue for i32 {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Int(i) => Ok(i),
            Value::BigInt(i) => i32::try_from(i).map_err(|_| decode_error(column, "Int", &value)),
            other => Err(decode_error(column, "Int", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Integer(i) => i32::try_from(i).map_err(|_| cell_error(column, "Int", cell)),
            other => Err(cell_error(column, "Int", other)),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::BigInt(i) => Ok(i),
            Value::Int(i) => Ok(i64::from(i)),
            other => Err(decode_error(column, "BigInt", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Integer(i) => Ok(i),
            other => Err(cell_error(column, "BigInt", other)),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Float(f) => Ok(f),
            Value::Int(i) => Ok(f64::from(i)),
            // SQLite returns a whole-number expression over REAL columns as an integer.
            Value::BigInt(i) => {
                i64_to_f64_exact(i).ok_or_else(|| decode_error(column, "Float", &value))
            }
            other => Err(decode_error(column, "Float", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Real(f) => Ok(f),
            CellRef::Integer(i) => {
                i64_to_f64_exact(i).ok_or_else(|| cell_error(column, "Float", cell))
            }
            other => Err(cell_error(column, "Float", other)),
        }
    }
}

/// `i` as an `f64` when the conversion is exact (|i| ≤ 2^53 or a representable larger value).
fn i64_to_f64_exact(i: i64) -> Option<f64> {
    const EXACT: i64 = 1 << f64::MANTISSA_DIGITS;
    if (-EXACT..=EXACT).contains(&i) {
        // Exact: every integer of magnitude at most 2^53 is an f64.
        #[allow(clippy::cast_precision_loss)]
        return Some(i as f64);
    }
    let d = Decimal::from(i);
    rust_decimal::prelude::ToPrimitive::to_f64(&d)
        .filter(|f| Decimal::from_f64_retain(*f) == Some(d))
}

/// The decimal number with the fewest digits that reads back as `f`: `0.1_f64` gives `0.1`,
/// not the binary expansion `0.1000000000000000055511151231…`. `None` for NaN, infinities and
/// magnitudes outside `Decimal`'s range.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // Rust prints an f64 as the shortest text that parses back to the same f64.
    f.to_string()
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_f64_retain(f))
}

impl FromValue for Decimal {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Decimal(d) => Ok(d),
            Value::Int(i) => Ok(Decimal::from(i)),
            Value::BigInt(i) => Ok(Decimal::from(i)),
            Value::Float(f) => {
                decimal_from_f64(f).ok_or_else(|| decode_error(column, "Decimal", &value))
            }
            Value::String(ref s) => s
                .parse::<Decimal>()
                .map_err(|_| decode_error(column, "Decimal", &value)),
            other => Err(decode_error(column, "Decimal", &other)),
        }
    }

    /// Normalised (`15.00` → `15`), as the engine returns every `Decimal`.
    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        let decimal = match cell {
            CellRef::Integer(i) => Some(Decimal::from(i)),
            CellRef::Real(f) => decimal_from_f64(f),
            CellRef::Text(t) => t.parse::<Decimal>().ok(),
            CellRef::Null | CellRef::Blob(_) => None,
        };
        decimal
            .map(|d| d.normalize())
            .ok_or_else(|| cell_error(column, "Decimal", cell))
    }
}

impl FromValue for String {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::String(s) => Ok(s),
            Value::Enum(s) => Ok(s.into_owned()),
            other => Err(decode_error(column, "String", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Text(t) => Ok(t.to_owned()),
            other => Err(cell_error(column, "String", other)),
        }
    }
}

impl FromValue for DateTime<Utc> {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::DateTime(d) => Ok(d),
            // SQLite: ISO-8601 text (Prisma 7), `CURRENT_TIMESTAMP` text, or unix milliseconds
            // (older Prisma versions and `_prisma_migrations`).
            Value::String(ref s) => {
                parse_datetime(s).ok_or_else(|| decode_error(column, "DateTime", &value))
            }
            Value::BigInt(ms) => DateTime::from_timestamp_millis(ms)
                .ok_or_else(|| decode_error(column, "DateTime", &value)),
            Value::Int(ms) => DateTime::from_timestamp_millis(i64::from(ms))
                .ok_or_else(|| decode_error(column, "DateTime", &value)),
            other => Err(decode_error(column, "DateTime", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Text(t) => {
                parse_datetime(t).ok_or_else(|| cell_error(column, "DateTime", cell))
            }
            CellRef::Integer(ms) => DateTime::from_timestamp_millis(ms)
                .ok_or_else(|| cell_error(column, "DateTime", cell)),
            other => Err(cell_error(column, "DateTime", other)),
        }
    }
}

/// Parses a `DateTime` stored as text: RFC 3339 / ISO-8601 with an offset
/// (`2026-11-25T08:50:06.517+00:00`, `…Z`, `…+0100`, `T` or a space between date and time),
/// without one (`2026-11-25 08:50:06`, as SQLite's `CURRENT_TIMESTAMP` writes it; read as
/// UTC), or a bare date (`2026-11-25`, midnight UTC). `None` for anything else.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDate, NaiveDateTime};

    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

impl FromValue for serde_json::Value {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Json(j) => Ok(j),
            Value::String(ref s) => {
                serde_json::from_str(s).map_err(|_| decode_error(column, "Json", &value))
            }
            other => Err(decode_error(column, "Json", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Text(t) => {
                serde_json::from_str(t).map_err(|_| cell_error(column, "Json", cell))
            }
            other => Err(cell_error(column, "Json", other)),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value, column: &str) -> Result<Self> {
        match value {
            Value::Bytes(b) => Ok(b),
            other => Err(decode_error(column, "Bytes", &other)),
        }
    }

    fn from_cell(cell: CellRef<'_>, column: &str) -> Result<Self> {
        match cell {
            CellRef::Blob(b) => Ok(b.to_vec()),
            other => Err(cell_error(column, "Bytes", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_none_is_null_and_null_reads_back_as_none() {
        assert_eq!(None::<i32>.to_value(), Value::Null);
        assert_eq!(Option::<i32>::from_value(Value::Null, "c").unwrap(), None);
        assert_eq!(
            Option::<i32>::from_value(Value::Int(3), "c").unwrap(),
            Some(3)
        );
    }

    #[test]
    fn decode_error_names_column_and_both_types() {
        let err = i32::from_value(Value::String("x".into()), "age").unwrap_err();
        match err {
            Error::Decode {
                column,
                expected,
                actual,
            } => {
                assert_eq!((column.as_str(), expected.as_str()), ("age", "Int"));
                assert_eq!(actual, "String");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bigint_that_does_not_fit_an_int_is_a_decode_error() {
        assert!(i32::from_value(Value::BigInt(i64::MAX), "n").is_err());
        assert_eq!(i32::from_value(Value::BigInt(-5), "n").unwrap(), -5);
    }

    #[test]
    fn datetime_reads_iso_text_current_timestamp_text_and_unix_millis() {
        let expected = "2026-11-25T08:50:06.517Z".parse::<DateTime<Utc>>().unwrap();
        for text in [
            "2026-11-25T08:50:06.517+00:00",
            "2026-11-25T08:50:06.517Z",
            "2026-11-25 08:50:06.517+00:00",
            "2026-11-25T09:50:06.517+01:00",
            "2026-11-25T09:50:06.517+0100",
            "2026-11-25 08:50:06.517",
        ] {
            let got = DateTime::<Utc>::from_value(Value::String(text.into()), "at").unwrap();
            assert_eq!(got, expected, "{text}");
        }
        let current_timestamp = Value::String("2026-11-25 08:50:06".into());
        assert_eq!(
            DateTime::<Utc>::from_value(current_timestamp, "at").unwrap(),
            "2026-11-25T08:50:06Z".parse::<DateTime<Utc>>().unwrap()
        );
        let millis = Value::BigInt(expected.timestamp_millis());
        assert_eq!(DateTime::<Utc>::from_value(millis, "at").unwrap(), expected);
        assert!(DateTime::<Utc>::from_value(Value::String("yesterday".into()), "at").is_err());
        assert!(DateTime::<Utc>::from_value(Value::BigInt(i64::MAX), "at").is_err());
    }

    #[test]
    fn decimal_from_float_takes_the_shortest_round_trip_digits() {
        let d = Decimal::from_value(Value::Float(0.1), "d").unwrap();
        assert_eq!(d.to_string(), "0.1");
        assert_eq!(
            decimal_from_f64(12345.678901234567).unwrap().to_string(),
            "12345.678901234567"
        );
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn float_reads_integers_only_when_exact() {
        assert_eq!(
            f64::from_value(Value::BigInt(1 << 53), "f").unwrap(),
            9_007_199_254_740_992.0
        );
        assert_eq!(
            f64::from_value(Value::BigInt(1 << 60), "f").unwrap(),
            1_152_921_504_606_846_976.0
        );
        assert!(f64::from_value(Value::BigInt((1 << 53) + 1), "f").is_err());
    }

    #[test]
    fn empty_list_keeps_its_element_kind() {
        assert_eq!(
            Vec::<i64>::new().to_value(),
            Value::List(Kind::BigInt, vec![])
        );
    }

    /// Every scalar type reads a driver's cell as it reads the cell's value, and refuses what
    /// that refuses, naming the column.
    #[test]
    fn cells_convert_as_their_values_do() {
        let at = "2026-11-25T08:50:06.517Z".parse::<DateTime<Utc>>().unwrap();
        assert!(bool::from_cell(CellRef::Integer(1), "c").unwrap());
        assert!(!bool::from_cell(CellRef::Integer(0), "c").unwrap());
        assert_eq!(i32::from_cell(CellRef::Integer(-7), "c").unwrap(), -7);
        assert!(i32::from_cell(CellRef::Integer(1 << 40), "c").is_err());
        assert_eq!(
            i64::from_cell(CellRef::Integer(1 << 40), "c").unwrap(),
            1 << 40
        );
        assert_eq!(f64::from_cell(CellRef::Integer(3), "c").unwrap(), 3.0);
        assert_eq!(f64::from_cell(CellRef::Real(2.5), "c").unwrap(), 2.5);
        let decimal = |cell| Decimal::from_cell(cell, "c").unwrap().to_string();
        assert_eq!(decimal(CellRef::Text("15.00")), "15");
        assert_eq!(decimal(CellRef::Real(0.1)), "0.1");
        assert_eq!(decimal(CellRef::Integer(4)), "4");
        assert_eq!(String::from_cell(CellRef::Text("é"), "c").unwrap(), "é");
        let text = CellRef::Text("2026-11-25T08:50:06.517+00:00");
        assert_eq!(DateTime::<Utc>::from_cell(text, "c").unwrap(), at);
        let millis = CellRef::Integer(at.timestamp_millis());
        assert_eq!(DateTime::<Utc>::from_cell(millis, "c").unwrap(), at);
        let json = serde_json::Value::from_cell(CellRef::Text(r#"{"a":[1]}"#), "c").unwrap();
        assert_eq!(json, serde_json::json!({"a": [1]}));
        assert_eq!(
            Vec::<u8>::from_cell(CellRef::Blob(&[1, 2]), "c").unwrap(),
            [1, 2]
        );
        assert_eq!(Option::<i64>::from_cell(CellRef::Null, "c").unwrap(), None);
        let null_json = Option::<serde_json::Value>::from_cell(CellRef::Text("null"), "c");
        assert_eq!(
            null_json.unwrap(),
            Some(serde_json::Value::Null),
            "JSON null is a value"
        );
        assert_eq!(
            Value::from_cell(CellRef::Integer(5), "c").unwrap(),
            Value::BigInt(5)
        );
        match String::from_cell(CellRef::Integer(5), "email") {
            Err(Error::Decode {
                column,
                expected,
                actual,
            }) => {
                assert_eq!(
                    (column.as_str(), expected.as_str(), actual.as_str()),
                    ("email", "String", "BigInt")
                );
            }
            other => panic!("a decode error, not {other:?}"),
        }
        assert!(
            bool::from_cell(CellRef::Null, "c").is_err(),
            "null is not a Boolean"
        );
    }
}
