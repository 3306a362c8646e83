//! SQLite failures mapped to [`orm_core::Error`], by extended result code.
//!
//! [`TABLE`] is the whole mapping the `Adapter` error contract asks of SQLite; a code missing
//! from it becomes [`Error::Database`]. The original code (by name, `SQLITE_CONSTRAINT_UNIQUE`)
//! and message are kept in a [`DbError`]. Classification never reads the message; the one
//! thing taken from the message is the table and column list SQLite names in
//! "UNIQUE constraint failed: T.c, T.d" ([`constraint_target`]).

use orm_core::{DbError, Error};
use rusqlite::ffi;

use crate::codes::code_name;

/// The `orm_core::Error` variant a SQLite extended result code maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// [`Error::UniqueViolation`].
    Unique,
    /// [`Error::ForeignKeyViolation`].
    ForeignKey,
    /// [`Error::NotNullViolation`].
    NotNull,
    /// [`Error::CheckViolation`].
    Check,
    /// [`Error::Busy`]: the database stayed locked for longer than the busy timeout.
    Busy,
    /// [`Error::OutOfRange`]: an arithmetic update's result does not fit its integer column.
    OutOfRange,
}

/// Extended result code → error variant. Every code not listed is [`Error::Database`].
pub(crate) const TABLE: &[(i32, Class)] = &[
    (ffi::SQLITE_CONSTRAINT_UNIQUE, Class::Unique),
    (ffi::SQLITE_CONSTRAINT_PRIMARYKEY, Class::Unique),
    (ffi::SQLITE_CONSTRAINT_ROWID, Class::Unique),
    (ffi::SQLITE_CONSTRAINT_FOREIGNKEY, Class::ForeignKey),
    // `ON DELETE RESTRICT` fails as a trigger would ("FOREIGN KEY constraint failed"); a
    // user trigger's `RAISE(ABORT, …)` shares the code. Prisma maps it to P2003 too.
    (ffi::SQLITE_CONSTRAINT_TRIGGER, Class::ForeignKey),
    (ffi::SQLITE_CONSTRAINT_NOTNULL, Class::NotNull),
    (ffi::SQLITE_CONSTRAINT_CHECK, Class::Check),
    // Raised only by the adapter's own range guards `orm_int4`/`orm_int8` (`conn.rs`):
    // SQLite reserves the code for functions, and the adapter registers no other.
    (ffi::SQLITE_CONSTRAINT_FUNCTION, Class::OutOfRange),
    (ffi::SQLITE_BUSY, Class::Busy),
    (ffi::SQLITE_BUSY_RECOVERY, Class::Busy),
    (ffi::SQLITE_BUSY_SNAPSHOT, Class::Busy),
    (ffi::SQLITE_BUSY_TIMEOUT, Class::Busy),
    (ffi::SQLITE_LOCKED, Class::Busy),
    (ffi::SQLITE_LOCKED_SHAREDCACHE, Class::Busy),
    (ffi::SQLITE_LOCKED_VTAB, Class::Busy),
];

/// The class of an extended result code, if [`TABLE`] lists it.
pub(crate) fn classify(extended_code: i32) -> Option<Class> {
    TABLE
        .iter()
        .find(|(code, _)| *code == extended_code)
        .map(|(_, class)| *class)
}

/// What a constraint message names: the table and columns, or an index or constraint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ConstraintTarget {
    /// The table, from the first `T.c` item.
    pub table: Option<String>,
    /// The columns, in the order SQLite lists them.
    pub columns: Vec<String>,
    /// An index (`index 'name'`, for a unique index on expressions) or, for a CHECK
    /// constraint, its name or expression.
    pub constraint: Option<String>,
}

/// Parses the part of a constraint message after "constraint failed: ".
///
/// - "UNIQUE constraint failed: User.email" → table `User`, columns `[email]`
/// - "UNIQUE constraint failed: T.a, T.b" → table `T`, columns `[a, b]`
/// - "NOT NULL constraint failed: User.name" → table `User`, columns `[name]`
/// - "UNIQUE constraint failed: index 'idx'" → constraint `idx`
/// - "CHECK constraint failed: positive" → constraint `positive`
///
/// SQLite does not quote the names, so a table or column name containing `.` or `, ` is
/// ambiguous; the table ends at the last `.` of each item (Prisma's names contain neither).
pub(crate) fn constraint_target(message: &str) -> ConstraintTarget {
    let Some((kind, rest)) = message.split_once(" constraint failed: ") else {
        return ConstraintTarget::default();
    };
    let rest = rest.trim();
    if let Some(index) = rest
        .strip_prefix("index '")
        .and_then(|r| r.strip_suffix('\''))
    {
        return ConstraintTarget {
            constraint: Some(index.to_owned()),
            ..ConstraintTarget::default()
        };
    }
    if kind.ends_with("CHECK") {
        return ConstraintTarget {
            constraint: Some(rest.to_owned()),
            ..ConstraintTarget::default()
        };
    }
    let mut target = ConstraintTarget::default();
    for item in rest.split(", ") {
        match item.rsplit_once('.') {
            Some((table, column)) => {
                target.table.get_or_insert_with(|| table.to_owned());
                target.columns.push(column.to_owned());
            }
            None => target.columns.push(item.to_owned()),
        }
    }
    target
}

/// Converts a rusqlite error into the runtime's error, classifying by extended result code.
pub(crate) fn map_error(err: rusqlite::Error) -> Error {
    match err {
        rusqlite::Error::SqliteFailure(e, message) => {
            from_code(e.extended_code, message.unwrap_or_else(|| e.to_string()))
        }
        rusqlite::Error::SqlInputError { error, msg, .. } => from_code(error.extended_code, msg),
        rusqlite::Error::InvalidParameterCount(given, expected) => Error::Encode {
            what: "bind parameters".to_owned(),
            reason: format!("the statement takes {expected}, {given} given"),
        },
        rusqlite::Error::ToSqlConversionFailure(e) => Error::Encode {
            what: "a bind parameter".to_owned(),
            reason: e.to_string(),
        },
        rusqlite::Error::NulError(e) => Error::Encode {
            what: "SQL text".to_owned(),
            reason: e.to_string(),
        },
        // Everything else is a misuse of the driver's API (several statements where one was
        // expected, an empty statement, …), reported as SQLite reports API misuse.
        other => Error::Database(Box::new(DbError {
            code: "SQLITE_MISUSE".to_owned(),
            message: other.to_string(),
            ..DbError::default()
        })),
    }
}

/// Builds the error for a SQLite result code and its message.
pub(crate) fn from_code(extended_code: i32, message: String) -> Error {
    let code = code_name(extended_code)
        .or_else(|| code_name(extended_code & 0xff))
        .unwrap_or("SQLITE_UNKNOWN")
        .to_owned();
    let class = classify(extended_code);
    // SQLite's text for the code is only "constraint failed"; say what failed, as
    // PostgreSQL's 22003 does.
    let message = if class == Some(Class::OutOfRange) {
        format!("integer out of range ({message})")
    } else {
        message
    };
    let target = match class {
        Some(Class::Unique | Class::NotNull | Class::Check) => constraint_target(&message),
        _ => ConstraintTarget::default(),
    };
    let db = Box::new(DbError {
        code,
        message,
        constraint: target.constraint.clone(),
        table: target.table,
        columns: target.columns.clone(),
        detail: None,
    });
    match class {
        Some(Class::Unique) => Error::UniqueViolation {
            model: None,
            constraint: target.constraint,
            fields: target.columns,
            db,
        },
        Some(Class::ForeignKey) => Error::ForeignKeyViolation {
            model: None,
            constraint: None,
            fields: Vec::new(),
            db,
        },
        Some(Class::NotNull) => Error::NotNullViolation {
            model: None,
            column: target.columns.into_iter().next().unwrap_or_default(),
            db,
        },
        Some(Class::Check) => Error::CheckViolation {
            model: None,
            constraint: target.constraint,
            db,
        },
        Some(Class::Busy) => Error::Busy { db },
        Some(Class::OutOfRange) => Error::OutOfRange { model: None, db },
        None => Error::Database(db),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(extended_code: i32, message: &str) -> Error {
        map_error(rusqlite::Error::SqliteFailure(
            ffi::Error::new(extended_code),
            Some(message.to_owned()),
        ))
    }

    #[test]
    fn every_table_row_is_classified_once() {
        for (code, class) in TABLE {
            assert_eq!(classify(*code), Some(*class), "{code}");
            assert!(code_name(*code).is_some(), "{code} has a name");
        }
        assert_eq!(classify(ffi::SQLITE_CONSTRAINT), None);
        assert_eq!(classify(ffi::SQLITE_IOERR_READ), None);
    }

    #[test]
    fn constraint_unique_is_a_unique_violation_with_fields() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_UNIQUE,
            "UNIQUE constraint failed: User.email",
        );
        let Error::UniqueViolation { fields, db, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(fields, &["email"]);
        assert_eq!(db.code, "SQLITE_CONSTRAINT_UNIQUE");
        assert_eq!(db.table.as_deref(), Some("User"));
        assert_eq!(err.prisma_code(), Some("P2002"));
    }

    #[test]
    fn constraint_primarykey_is_a_unique_violation() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_PRIMARYKEY,
            "UNIQUE constraint failed: Post.id",
        );
        assert!(
            matches!(&err, Error::UniqueViolation { fields, .. } if fields == &["id"]),
            "{err:?}"
        );
    }

    #[test]
    fn constraint_rowid_is_a_unique_violation() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_ROWID,
            "UNIQUE constraint failed: t.rowid",
        );
        assert!(matches!(err, Error::UniqueViolation { .. }), "{err:?}");
    }

    #[test]
    fn constraint_foreignkey_is_a_foreign_key_violation() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
            "FOREIGN KEY constraint failed",
        );
        assert!(
            matches!(&err, Error::ForeignKeyViolation { db, .. } if db.code == "SQLITE_CONSTRAINT_FOREIGNKEY"),
            "{err:?}"
        );
        assert_eq!(err.prisma_code(), Some("P2003"));
    }

    #[test]
    fn constraint_trigger_is_a_foreign_key_violation() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_TRIGGER,
            "FOREIGN KEY constraint failed",
        );
        assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
    }

    #[test]
    fn constraint_notnull_is_a_not_null_violation_naming_the_column() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_NOTNULL,
            "NOT NULL constraint failed: User.name",
        );
        assert!(
            matches!(&err, Error::NotNullViolation { column, .. } if column == "name"),
            "{err:?}"
        );
    }

    #[test]
    fn constraint_check_is_a_check_violation_naming_the_constraint() {
        let err = failure(
            ffi::SQLITE_CONSTRAINT_CHECK,
            "CHECK constraint failed: positive",
        );
        assert!(
            matches!(&err, Error::CheckViolation { constraint: Some(c), .. } if c == "positive"),
            "{err:?}"
        );
    }

    #[test]
    fn busy_codes_are_busy() {
        for code in [
            ffi::SQLITE_BUSY,
            ffi::SQLITE_BUSY_RECOVERY,
            ffi::SQLITE_BUSY_SNAPSHOT,
            ffi::SQLITE_BUSY_TIMEOUT,
        ] {
            let err = failure(code, "database is locked");
            assert!(matches!(err, Error::Busy { .. }), "{code}: {err:?}");
        }
    }

    #[test]
    fn constraint_function_is_out_of_range() {
        let err = failure(ffi::SQLITE_CONSTRAINT_FUNCTION, "constraint failed");
        let Error::OutOfRange { db, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(db.code, "SQLITE_CONSTRAINT_FUNCTION");
        assert_eq!(db.message, "integer out of range (constraint failed)");
        assert_eq!(err.prisma_code(), Some("P2020"));
    }

    #[test]
    fn locked_codes_are_busy() {
        for code in [
            ffi::SQLITE_LOCKED,
            ffi::SQLITE_LOCKED_SHAREDCACHE,
            ffi::SQLITE_LOCKED_VTAB,
        ] {
            let err = failure(code, "database table is locked");
            assert!(matches!(err, Error::Busy { .. }), "{code}: {err:?}");
        }
    }

    #[test]
    fn other_codes_are_database_errors_keeping_code_and_message() {
        let err = failure(ffi::SQLITE_ERROR, "no such table: Nope");
        let Error::Database(db) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (db.code.as_str(), db.message.as_str()),
            ("SQLITE_ERROR", "no such table: Nope")
        );
        // An extended code without a name of its own falls back to its primary code's name.
        let err = failure(ffi::SQLITE_IOERR | (999 << 8), "disk I/O error");
        assert_eq!(
            err.db_error().map(|d| d.code.as_str()),
            Some("SQLITE_IOERR")
        );
    }

    #[test]
    fn constraint_target_parses_tables_columns_and_indexes() {
        let t = constraint_target("UNIQUE constraint failed: Order.userId, Order.sku");
        assert_eq!(t.table.as_deref(), Some("Order"));
        assert_eq!(t.columns, ["userId", "sku"]);

        let t = constraint_target("UNIQUE constraint failed: index 'by_lower_email'");
        assert_eq!(t.constraint.as_deref(), Some("by_lower_email"));
        assert!(t.columns.is_empty());

        let t = constraint_target("CHECK constraint failed: price > 0");
        assert_eq!(t.constraint.as_deref(), Some("price > 0"));

        let t = constraint_target("UNIQUE constraint failed: my.table.col");
        assert_eq!(
            (t.table.as_deref(), t.columns.as_slice()),
            (Some("my.table"), &["col".to_owned()][..])
        );

        assert_eq!(
            constraint_target("FOREIGN KEY constraint failed"),
            ConstraintTarget::default()
        );
    }

    #[test]
    fn driver_misuse_is_typed() {
        let err = map_error(rusqlite::Error::InvalidParameterCount(1, 2));
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
        let err = map_error(rusqlite::Error::MultipleStatement);
        assert_eq!(
            err.db_error().map(|d| d.code.as_str()),
            Some("SQLITE_MISUSE")
        );
    }
}
