//! Values the client computes for fields a create leaves out, as Prisma's client does:
//! `cuid()`, `cuid(2)`, `uuid()`, `uuid(7)`, `nanoid()`, `ulid()`, `now()` and `@updatedAt`.

use chrono::{DateTime, SubsecRound, Utc};

use super::meta::DefaultMeta;
use crate::value::Value;

/// The current time at millisecond precision (what `now()` and `@updatedAt` store).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// Whether the client computes this default (so that every created row gets a value).
pub fn generate_is_client_side(default: &DefaultMeta) -> bool {
    !matches!(default, DefaultMeta::None | DefaultMeta::Database)
}

/// The value a client-side default produces, or `None` for defaults the database applies
/// (or no default).
pub fn generate(default: &DefaultMeta, now: DateTime<Utc>) -> Option<Value> {
    Some(match default {
        DefaultMeta::None | DefaultMeta::Database => return None,
        DefaultMeta::Value(v) => v.clone(),
        DefaultMeta::Now => Value::DateTime(now),
        // cuid v1: `c`, 8 timestamp, 4 counter, 4 fingerprint, 8 random; 25 base-36 chars.
        DefaultMeta::Cuid1 => Value::String(cuid1::cuid()),
        // cuid v2: 24 lowercase base-36 chars starting with a letter.
        DefaultMeta::Cuid2 => Value::String(cuid2::create_id()),
        DefaultMeta::Uuid4 => Value::String(uuid::Uuid::new_v4().to_string()),
        DefaultMeta::Uuid7 => Value::String(uuid::Uuid::now_v7().to_string()),
        DefaultMeta::Nanoid(n) => Value::String(nanoid::nanoid!(usize::from(*n))),
        DefaultMeta::Ulid => Value::String(ulid::Ulid::generate().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(default: DefaultMeta) -> String {
        match generate(&default, now()) {
            Some(Value::String(s)) => s,
            other => panic!("expected a string, got {other:?}"),
        }
    }

    fn base36_lower(s: &str) -> bool {
        s.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
    }

    #[test]
    fn cuid_v1_has_prismas_shape_and_a_counter() {
        let a = string(DefaultMeta::Cuid1);
        let b = string(DefaultMeta::Cuid1);
        assert_eq!(a.len(), 25, "{a}");
        assert!(a.starts_with('c') && base36_lower(&a), "{a}");
        // The counter block (after `c` and 8 timestamp chars) increments per id.
        let counter = |s: &str| i64::from_str_radix(&s[9..13], 36).unwrap();
        assert_eq!((counter(&b) - counter(&a)).rem_euclid(36i64.pow(4)), 1);
        assert_ne!(a, b);
    }

    #[test]
    fn cuid_v2_is_24_base36_chars_starting_with_a_letter() {
        let id = string(DefaultMeta::Cuid2);
        assert_eq!(id.len(), 24, "{id}");
        assert!(base36_lower(&id) && id.chars().next().unwrap().is_ascii_lowercase());
    }

    #[test]
    fn uuids_carry_their_version() {
        let v4 = uuid::Uuid::parse_str(&string(DefaultMeta::Uuid4)).unwrap();
        let v7 = uuid::Uuid::parse_str(&string(DefaultMeta::Uuid7)).unwrap();
        assert_eq!((v4.get_version_num(), v7.get_version_num()), (4, 7));
    }

    #[test]
    fn nanoid_and_ulid_lengths() {
        let url_safe = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        let n21 = string(DefaultMeta::Nanoid(21));
        let n16 = string(DefaultMeta::Nanoid(16));
        assert!(n21.len() == 21 && url_safe(&n21), "{n21}");
        assert!(n16.len() == 16 && url_safe(&n16), "{n16}");
        let ulid = string(DefaultMeta::Ulid);
        assert_eq!(ulid.len(), 26);
        assert!(ulid::Ulid::from_string(&ulid).is_ok());
    }

    #[test]
    fn now_has_millisecond_precision() {
        let t = now();
        assert_eq!(t.timestamp_subsec_nanos() % 1_000_000, 0);
        assert_eq!(generate(&DefaultMeta::Now, t), Some(Value::DateTime(t)));
        assert_eq!(generate(&DefaultMeta::Database, t), None);
    }
}
