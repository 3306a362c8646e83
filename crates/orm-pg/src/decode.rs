//! Reading column values: one [`Decoder`] per column, chosen once per statement from the
//! column's type OID, then applied to each row's raw bytes (PostgreSQL's binary format).

use std::borrow::Cow;
use std::error::Error as StdError;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use orm_core::{Error, Kind, Value};
use postgres_types::{FromSql, Kind as PgKind, Type};
use rust_decimal::Decimal;

pub(crate) type BoxError = Box<dyn StdError + Sync + Send>;

/// How one column's bytes become a [`Value`].
#[derive(Debug, Clone)]
pub(crate) enum Decoder {
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    Numeric,
    /// `text`, `varchar`, `char(n)`, `name`, `citext`, `xml`: the bytes are UTF-8 text.
    Text,
    /// `uuid`, read as its canonical lower-case text (Prisma's `String @db.Uuid`).
    Uuid,
    Json,
    Jsonb,
    Bytea,
    /// `timestamp` without time zone, holding UTC (Prisma's `DateTime`).
    Timestamp,
    Timestamptz,
    /// `date`, read as midnight UTC (Prisma's `DateTime @db.Date`).
    Date,
    /// `time`, read on 1970-01-01 UTC (Prisma's `DateTime @db.Time`).
    Time,
    /// `timetz`, converted to UTC on 1970-01-01.
    Timetz,
    /// `inet` and `cidr`, read as text (`10.0.0.1`, `10.0.0.0/8`).
    Inet,
    /// A native enum: its label.
    Enum,
    /// A one-dimensional array; `ty` is the array type itself.
    Array {
        ty: Type,
        member: Box<Decoder>,
    },
    /// A type this adapter does not read; naming it lets the error say which.
    Unsupported(String),
}

impl Decoder {
    /// The decoder for a column of type `ty`.
    pub(crate) fn for_type(ty: &Type) -> Decoder {
        match *ty {
            Type::BOOL => Decoder::Bool,
            Type::INT2 => Decoder::Int2,
            Type::INT4 => Decoder::Int4,
            Type::INT8 => Decoder::Int8,
            Type::OID => Decoder::Oid,
            Type::FLOAT4 => Decoder::Float4,
            Type::FLOAT8 => Decoder::Float8,
            Type::NUMERIC => Decoder::Numeric,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::XML => {
                Decoder::Text
            }
            Type::UUID => Decoder::Uuid,
            Type::JSON => Decoder::Json,
            Type::JSONB => Decoder::Jsonb,
            Type::BYTEA => Decoder::Bytea,
            Type::TIMESTAMP => Decoder::Timestamp,
            Type::TIMESTAMPTZ => Decoder::Timestamptz,
            Type::DATE => Decoder::Date,
            Type::TIME => Decoder::Time,
            Type::TIMETZ => Decoder::Timetz,
            Type::INET | Type::CIDR => Decoder::Inet,
            _ => match ty.kind() {
                PgKind::Enum(_) => Decoder::Enum,
                PgKind::Domain(base) => Decoder::for_type(base),
                PgKind::Array(member) => Decoder::Array {
                    ty: ty.clone(),
                    member: Box::new(Decoder::for_type(member)),
                },
                // citext's binary form is its text.
                PgKind::Simple if ty.name() == "citext" => Decoder::Text,
                _ => Decoder::Unsupported(ty.name().to_owned()),
            },
        }
    }

    /// The kind of value this decoder yields (a list reports its element kind).
    fn kind(&self) -> Kind {
        match self {
            Decoder::Bool => Kind::Boolean,
            Decoder::Int2 | Decoder::Int4 => Kind::Int,
            Decoder::Int8 | Decoder::Oid => Kind::BigInt,
            Decoder::Float4 | Decoder::Float8 => Kind::Float,
            Decoder::Numeric => Kind::Decimal,
            Decoder::Json | Decoder::Jsonb => Kind::Json,
            Decoder::Bytea => Kind::Bytes,
            Decoder::Timestamp
            | Decoder::Timestamptz
            | Decoder::Date
            | Decoder::Time
            | Decoder::Timetz => Kind::DateTime,
            Decoder::Enum => Kind::Enum,
            Decoder::Array { member, .. } => member.kind(),
            Decoder::Text | Decoder::Uuid | Decoder::Inet | Decoder::Unsupported(_) => Kind::String,
        }
    }

    /// Reads one value; `raw` is `None` for SQL `NULL`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming `column` when the bytes do not fit the value type (a numeric
    /// beyond `Decimal`'s range, an infinite timestamp, a multi-dimensional array, …).
    #[cfg(test)]
    pub(crate) fn decode(&self, raw: Option<&[u8]>, column: &str) -> Result<Value, Error> {
        let Some(raw) = raw else {
            return Ok(Value::Null);
        };
        self.decode_bytes(raw)
            .map_err(|cause| self.error(Some(&column.to_owned()), &*cause))
    }

    /// The decode error for `column` failing with `cause`.
    #[cold]
    pub(crate) fn error(
        &self,
        column: Option<&String>,
        cause: &(dyn StdError + Sync + Send),
    ) -> Error {
        Error::Decode {
            column: column.cloned().unwrap_or_default(),
            expected: self.expected(),
            actual: cause.to_string(),
        }
    }

    fn expected(&self) -> String {
        match self {
            Decoder::Array { member, .. } => format!("List<{}>", member.kind()),
            Decoder::Unsupported(name) => format!("a supported type (cast `{name}` to text)"),
            other => other.kind().as_str().to_owned(),
        }
    }

    #[inline(always)]
    pub(crate) fn decode_bytes(&self, raw: &[u8]) -> Result<Value, BoxError> {
        Ok(match self {
            Decoder::Bool => Value::Boolean(bool::from_sql(&Type::BOOL, raw)?),
            Decoder::Int2 => Value::Int(i32::from(i16::from_sql(&Type::INT2, raw)?)),
            Decoder::Int4 => Value::Int(i32::from_sql(&Type::INT4, raw)?),
            Decoder::Int8 => Value::BigInt(i64::from_sql(&Type::INT8, raw)?),
            Decoder::Oid => Value::BigInt(i64::from(u32::from_sql(&Type::OID, raw)?)),
            Decoder::Float4 => Value::Float(f64::from(f32::from_sql(&Type::FLOAT4, raw)?)),
            Decoder::Float8 => Value::Float(f64::from_sql(&Type::FLOAT8, raw)?),
            Decoder::Numeric => Value::Decimal(Decimal::from_sql(&Type::NUMERIC, raw)?),
            Decoder::Text => Value::String(<&str>::from_sql(&Type::TEXT, raw)?.to_owned()),
            Decoder::Uuid => Value::String(uuid::Uuid::from_sql(&Type::UUID, raw)?.to_string()),
            Decoder::Json => Value::Json(serde_json::Value::from_sql(&Type::JSON, raw)?),
            Decoder::Jsonb => Value::Json(serde_json::Value::from_sql(&Type::JSONB, raw)?),
            Decoder::Bytea => Value::Bytes(raw.to_vec()),
            Decoder::Timestamp => {
                Value::DateTime(NaiveDateTime::from_sql(&Type::TIMESTAMP, raw)?.and_utc())
            }
            Decoder::Timestamptz => {
                Value::DateTime(DateTime::<Utc>::from_sql(&Type::TIMESTAMPTZ, raw)?)
            }
            Decoder::Date => {
                let date = NaiveDate::from_sql(&Type::DATE, raw)?;
                Value::DateTime(date.and_time(NaiveTime::MIN).and_utc())
            }
            Decoder::Time => {
                let time = NaiveTime::from_sql(&Type::TIME, raw)?;
                Value::DateTime(DateTime::UNIX_EPOCH.date_naive().and_time(time).and_utc())
            }
            Decoder::Timetz => Value::DateTime(timetz(raw)?),
            Decoder::Inet => Value::String(inet(raw)?),
            Decoder::Enum => {
                Value::Enum(Cow::Owned(<&str>::from_sql(&Type::TEXT, raw)?.to_owned()))
            }
            Decoder::Array { ty, member } => {
                let items = Vec::<RawValue<'_>>::from_sql(ty, raw)?;
                let values = items
                    .into_iter()
                    .map(|item| match item.0 {
                        None => Ok(Value::Null),
                        Some(bytes) => member.decode_bytes(bytes),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Value::List(member.kind(), values)
            }
            Decoder::Unsupported(name) => {
                return Err(format!("PostgreSQL type `{name}`").into());
            }
        })
    }
}

/// `timetz`: microseconds since midnight, then the zone's offset in seconds west of UTC.
fn timetz(raw: &[u8]) -> Result<DateTime<Utc>, BoxError> {
    let bytes: [u8; 12] = raw.try_into().map_err(|_| "invalid timetz length")?;
    let mut micros = [0u8; 8];
    micros.copy_from_slice(&bytes[..8]);
    let mut zone = [0u8; 4];
    zone.copy_from_slice(&bytes[8..]);
    let local = TimeDelta::microseconds(i64::from_be_bytes(micros));
    let west = TimeDelta::seconds(i64::from(i32::from_be_bytes(zone)));
    DateTime::UNIX_EPOCH
        .naive_utc()
        .checked_add_signed(local)
        .and_then(|t| t.checked_add_signed(west))
        .map(|t| t.and_utc())
        .ok_or_else(|| "timetz out of range".into())
}

/// `inet`/`cidr`: family, netmask bits, is-cidr flag, address length, address bytes.
fn inet(raw: &[u8]) -> Result<String, BoxError> {
    let [family, bits, is_cidr, len, addr @ ..] = raw else {
        return Err("invalid inet value".into());
    };
    let (address, full) = match (*family, *len, addr.len()) {
        (2, 4, 4) => {
            let octets: [u8; 4] = addr.try_into().map_err(|_| "invalid inet value")?;
            (std::net::IpAddr::from(octets), 32)
        }
        (3, 16, 16) => {
            let octets: [u8; 16] = addr.try_into().map_err(|_| "invalid inet value")?;
            (std::net::IpAddr::from(octets), 128)
        }
        _ => return Err("invalid inet value".into()),
    };
    Ok(if *is_cidr != 0 || *bits != full {
        format!("{address}/{bits}")
    } else {
        address.to_string()
    })
}

/// Any value's raw bytes, or `None` for null: the element type of arrays before decoding.
pub(crate) struct RawValue<'a>(pub(crate) Option<&'a [u8]>);

impl<'a> FromSql<'a> for RawValue<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(RawValue(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(RawValue(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_domains_and_arrays_pick_decoders_by_kind() {
        let mood = Type::new(
            "mood".into(),
            90_001,
            PgKind::Enum(vec!["sad".into(), "ok".into()]),
            "public".into(),
        );
        assert!(matches!(Decoder::for_type(&mood), Decoder::Enum));
        let moods = Type::new("_mood".into(), 90_002, PgKind::Array(mood), "public".into());
        let decoder = Decoder::for_type(&moods);
        assert_eq!(decoder.kind(), Kind::Enum);
        let email = Type::new(
            "email".into(),
            90_003,
            PgKind::Domain(Type::TEXT),
            "public".into(),
        );
        assert!(matches!(Decoder::for_type(&email), Decoder::Text));
    }

    #[test]
    fn unsupported_type_is_a_decode_error_naming_it() {
        let err = Decoder::for_type(&Type::POINT)
            .decode(Some(&[0; 16]), "where")
            .unwrap_err();
        assert!(err.to_string().contains("point"), "{err}");
    }

    #[test]
    fn inet_reads_as_text() {
        assert_eq!(inet(&[2, 32, 0, 4, 10, 0, 0, 1]).unwrap(), "10.0.0.1");
        assert_eq!(inet(&[2, 8, 1, 4, 10, 0, 0, 0]).unwrap(), "10.0.0.0/8");
        assert!(inet(&[2, 32, 0, 4, 10]).is_err());
    }

    #[test]
    fn truncated_bytes_are_errors_not_panics() {
        for decoder in [
            Decoder::Int4,
            Decoder::Int8,
            Decoder::Float8,
            Decoder::Numeric,
            Decoder::Timestamp,
            Decoder::Timetz,
            Decoder::Uuid,
            Decoder::Jsonb,
            Decoder::for_type(&Type::INT4_ARRAY),
        ] {
            assert!(decoder.decode(Some(&[1, 2]), "c").is_err(), "{decoder:?}");
        }
    }
}
