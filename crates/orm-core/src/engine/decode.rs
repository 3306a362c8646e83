//! Values read back: normalised to the field's type whatever the backend returned, and keys
//! to group related rows by.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;

use super::build::decimal_from_f64;
use super::meta::ScalarMeta;
use crate::value::{Kind, Value};

/// Brings a value read for `scalar` to the field's type: SQLite's integers become booleans,
/// its REALs decimals, its text enums, dates and JSON; PostgreSQL's `NUMERIC` is normalised
/// (`15.00` → `15`, as Prisma's `Decimal`). Values that are already right pass unchanged.
pub(crate) fn normalize(scalar: &ScalarMeta, value: Value) -> Value {
    if scalar.list {
        return match value {
            Value::List(_, items) => Value::List(
                scalar.ty.kind,
                items
                    .into_iter()
                    .map(|v| normalize_one(scalar.ty.kind, v))
                    .collect(),
            ),
            other => other,
        };
    }
    normalize_one(scalar.ty.kind, value)
}

/// [`normalize`] for one value of type `kind`.
pub(crate) fn normalize_one(kind: Kind, value: Value) -> Value {
    match (kind, value) {
        (_, Value::Null) => Value::Null,
        (Kind::Boolean, Value::Int(i)) => Value::Boolean(i != 0),
        (Kind::Boolean, Value::BigInt(i)) => Value::Boolean(i != 0),
        (Kind::Int, Value::BigInt(i)) => match i32::try_from(i) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::BigInt(i),
        },
        (Kind::BigInt, Value::Int(i)) => Value::BigInt(i64::from(i)),
        (Kind::BigInt, Value::Decimal(d)) => match i64::try_from(d) {
            Ok(i) if d.fract().is_zero() => Value::BigInt(i),
            _ => Value::Decimal(d),
        },
        (Kind::BigInt, Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => {
            // An integral REAL within range (SQLite sums): the integer it holds.
            #[allow(clippy::cast_possible_truncation)]
            let i = f as i64;
            Value::BigInt(i)
        }
        (Kind::Float, Value::Int(i)) => Value::Float(f64::from(i)),
        (Kind::Float, Value::BigInt(i)) => {
            // Exact below 2^53; beyond, the nearest double is what a Float field holds.
            #[allow(clippy::cast_precision_loss)]
            let f = i as f64;
            Value::Float(f)
        }
        (Kind::Float, Value::Decimal(d)) => {
            Value::Float(d.to_string().parse::<f64>().unwrap_or(f64::NAN))
        }
        (Kind::Decimal, Value::Decimal(d)) => Value::Decimal(d.normalize()),
        (Kind::Decimal, Value::Float(f)) => match decimal_from_f64(f) {
            Some(d) => Value::Decimal(d),
            None => Value::Float(f),
        },
        (Kind::Decimal, Value::Int(i)) => Value::Decimal(Decimal::from(i)),
        (Kind::Decimal, Value::BigInt(i)) => Value::Decimal(Decimal::from(i)),
        (Kind::Decimal, Value::String(s)) => match s.parse::<Decimal>() {
            Ok(d) => Value::Decimal(d.normalize()),
            Err(_) => Value::String(s),
        },
        (Kind::DateTime, Value::String(s)) => match parse_datetime(&s) {
            Some(d) => Value::DateTime(d),
            None => Value::String(s),
        },
        (Kind::DateTime, Value::BigInt(ms)) => match Utc.timestamp_millis_opt(ms).single() {
            Some(d) => Value::DateTime(d),
            None => Value::BigInt(ms),
        },
        (Kind::Enum, Value::String(s)) => Value::Enum(Cow::Owned(s)),
        (Kind::Json, Value::String(s)) => match serde_json::from_str(&s) {
            Ok(j) => Value::Json(j),
            Err(_) => Value::String(s),
        },
        (_, value) => value,
    }
}

/// Parses the date-time texts backends produce: RFC 3339 (`2026-11-25T08:50:06.517+00:00`,
/// SQLite as Prisma stores it) or a zone-less timestamp taken as UTC (PostgreSQL
/// `TIMESTAMP(3)` inside JSON).
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|n| n.and_utc())
}

/// The hasher of the engine's in-memory grouping (parents' keys, `distinct`): foldhash,
/// seeded per process, several times faster than std's SipHash on these short keys.
pub(crate) type FastHash = foldhash::fast::RandomState;

/// A value borrowed as a hash-map key: equal when the database would call them equal as
/// keys (`Int 1` and `BigInt 1` are the same key).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyValue<'a>(pub &'a Value);

impl KeyValue<'_> {
    fn integer(&self) -> Option<i64> {
        match self.0 {
            Value::Int(i) => Some(i64::from(*i)),
            Value::BigInt(i) => Some(*i),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self.0 {
            Value::String(s) => Some(s),
            Value::Enum(s) => Some(s),
            _ => None,
        }
    }
}

impl PartialEq for KeyValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        if let (Some(a), Some(b)) = (self.integer(), other.integer()) {
            return a == b;
        }
        if let (Some(a), Some(b)) = (self.text(), other.text()) {
            return a == b;
        }
        match (self.0, other.0) {
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Decimal(a), Value::Decimal(b)) => a.normalize() == b.normalize(),
            (a, b) => a == b,
        }
    }
}

impl Eq for KeyValue<'_> {}

impl Hash for KeyValue<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if let Some(i) = self.integer() {
            0u8.hash(state);
            i.hash(state);
            return;
        }
        if let Some(s) = self.text() {
            1u8.hash(state);
            s.hash(state);
            return;
        }
        match self.0 {
            Value::Boolean(b) => b.hash(state),
            Value::Float(f) => f.to_bits().hash(state),
            Value::Decimal(d) => d.normalize().to_string().hash(state),
            Value::DateTime(d) => d.timestamp_micros().hash(state),
            Value::Bytes(b) => b.hash(state),
            Value::Json(j) => j.to_string().hash(state),
            _ => 2u8.hash(state),
        }
    }
}

/// The key of a row: the values at some columns, one or several.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key<'a> {
    /// A single-column key (no allocation).
    One(KeyValue<'a>),
    /// A compound key.
    Many(Vec<KeyValue<'a>>),
}

impl<'a> Key<'a> {
    /// The key of `row` at `columns`; `None` when a part is null (such a row relates to
    /// nothing).
    pub fn of(row: &'a [Value], columns: &[usize]) -> Option<Key<'a>> {
        match columns {
            [one] => {
                let v = row.get(*one)?;
                (!v.is_null()).then_some(Key::One(KeyValue(v)))
            }
            many => {
                let mut parts = Vec::with_capacity(many.len());
                for c in many {
                    let v = row.get(*c)?;
                    if v.is_null() {
                        return None;
                    }
                    parts.push(KeyValue(v));
                }
                Some(Key::Many(parts))
            }
        }
    }

    /// Appends the key's values, cloned, to `out`.
    pub fn push_values(&self, out: &mut Vec<Value>) {
        match self {
            Key::One(v) => out.push(v.0.clone()),
            Key::Many(vs) => out.extend(vs.iter().map(|v| v.0.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_match_across_widths() {
        let a = Value::Int(5);
        let b = Value::BigInt(5);
        assert_eq!(
            Key::of(std::slice::from_ref(&a), &[0]),
            Key::of(std::slice::from_ref(&b), &[0])
        );
        let mut set = std::collections::HashSet::new();
        set.insert(KeyValue(&a));
        assert!(set.contains(&KeyValue(&b)));
    }

    #[test]
    fn null_parts_make_no_key() {
        let row = [Value::Int(1), Value::Null];
        assert!(Key::of(&row, &[0, 1]).is_none());
        assert!(Key::of(&row, &[0]).is_some());
    }

    #[test]
    fn sqlite_values_normalise_to_the_field_type() {
        assert_eq!(
            normalize_one(Kind::Boolean, Value::Int(1)),
            Value::Boolean(true)
        );
        assert_eq!(
            normalize_one(Kind::Decimal, Value::Float(0.1)),
            Value::Decimal("0.1".parse().unwrap())
        );
        assert_eq!(
            normalize_one(Kind::Decimal, Value::Decimal("15.00".parse().unwrap())),
            Value::Decimal("15".parse().unwrap())
        );
        let d = normalize_one(
            Kind::DateTime,
            Value::String("2026-11-25T08:50:06.517+00:00".into()),
        );
        assert_eq!(
            d,
            Value::DateTime(Utc.timestamp_millis_opt(1_795_596_606_517).unwrap())
        );
        let legacy = normalize_one(Kind::DateTime, Value::BigInt(1_795_596_606_517));
        assert_eq!(legacy, d);
        assert_eq!(
            normalize_one(
                Kind::DateTime,
                Value::String("2026-11-25T08:50:06.517".into())
            ),
            d
        );
    }
}
