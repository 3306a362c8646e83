//! Mapping tokio-postgres failures into [`orm_core::Error`].
//!
//! Database errors are classified by SQLSTATE through one table, [`SQLSTATE_TABLE`], never by
//! message text; the original code, message, constraint, table, column and detail stay in the
//! [`DbError`] every variant carries. Failures of the connection itself (a closed socket, an I/O
//! error) become [`Error::ConnectionLost`].

use std::error::Error as _;

use orm_core::{DbError, Error};
use tokio_postgres::error::DbError as PgDbError;

/// Which SQLSTATEs a row of [`SQLSTATE_TABLE`] matches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Code {
    /// Exactly this code.
    Exact(&'static str),
    /// Every code of this two-character class.
    Class(&'static str),
}

/// What a SQLSTATE becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mapping {
    Unique,
    ForeignKey,
    NotNull,
    Check,
    Serialization,
    Deadlock,
    ValueTooLong,
    OutOfRange,
    ConnectionLost,
    Database,
}

/// SQLSTATE → error variant. The first matching row wins, so exceptions to a class come before
/// the class.
pub(crate) const SQLSTATE_TABLE: &[(Code, Mapping)] = &[
    (Code::Exact("23505"), Mapping::Unique),
    (Code::Exact("23503"), Mapping::ForeignKey),
    (Code::Exact("23502"), Mapping::NotNull),
    (Code::Exact("23514"), Mapping::Check),
    (Code::Exact("40001"), Mapping::Serialization),
    (Code::Exact("40P01"), Mapping::Deadlock),
    (Code::Exact("22001"), Mapping::ValueTooLong),
    (Code::Exact("22003"), Mapping::OutOfRange),
    // `protocol_violation` is what the server answers to a bind message with the wrong number
    // of parameters; the connection stays usable, so it is an ordinary error.
    (Code::Exact("08P01"), Mapping::Database),
    (Code::Class("08"), Mapping::ConnectionLost),
    // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now
    (Code::Exact("57P01"), Mapping::ConnectionLost),
    (Code::Exact("57P02"), Mapping::ConnectionLost),
    (Code::Exact("57P03"), Mapping::ConnectionLost),
];

/// The mapping of one SQLSTATE.
pub(crate) fn classify(code: &str) -> Mapping {
    SQLSTATE_TABLE
        .iter()
        .find(|(pattern, _)| match pattern {
            Code::Exact(exact) => code == *exact,
            Code::Class(class) => code.starts_with(class),
        })
        .map_or(Mapping::Database, |(_, mapping)| *mapping)
}

/// Converts a tokio-postgres error into the runtime's error.
pub(crate) fn from_pg(err: tokio_postgres::Error) -> Error {
    if let Some(db) = err.as_db_error() {
        return from_db(db, &err);
    }
    if let Some(encode) = err
        .source()
        .and_then(|source| source.downcast_ref::<EncodeError>())
    {
        return Error::Encode {
            what: format!("parameter ${}", encode.index + 1),
            reason: encode.reason.clone(),
        };
    }
    // Everything else tokio-postgres reports without a database error is the connection
    // failing: a closed socket, an I/O error, a TLS or authentication handshake problem, or a
    // message it could not parse.
    Error::ConnectionLost {
        message: err.to_string(),
        source: Some(Box::new(err)),
    }
}

fn from_db(db: &PgDbError, err: &tokio_postgres::Error) -> Error {
    let kept = Box::new(DbError {
        code: db.code().code().to_owned(),
        message: db.message().to_owned(),
        constraint: db.constraint().map(str::to_owned),
        table: db.table().map(str::to_owned),
        columns: db.column().map(str::to_owned).into_iter().collect(),
        detail: db.detail().map(str::to_owned),
    });
    match classify(db.code().code()) {
        Mapping::Unique => Error::UniqueViolation {
            model: None,
            constraint: kept.constraint.clone(),
            fields: Vec::new(),
            db: kept,
        },
        Mapping::ForeignKey => Error::ForeignKeyViolation {
            model: None,
            constraint: kept.constraint.clone(),
            fields: Vec::new(),
            db: kept,
        },
        Mapping::NotNull => Error::NotNullViolation {
            model: None,
            column: kept.columns.first().cloned().unwrap_or_default(),
            db: kept,
        },
        Mapping::Check => Error::CheckViolation {
            model: None,
            constraint: kept.constraint.clone(),
            db: kept,
        },
        Mapping::Serialization => Error::SerializationFailure { db: kept },
        Mapping::Deadlock => Error::Deadlock { db: kept },
        Mapping::ValueTooLong => Error::ValueTooLong {
            model: None,
            db: kept,
        },
        Mapping::OutOfRange => Error::OutOfRange {
            model: None,
            db: kept,
        },
        Mapping::ConnectionLost => Error::ConnectionLost {
            message: kept.to_string(),
            source: Some(Box::new(clone_error_text(err))),
        },
        Mapping::Database => Error::Database(kept),
    }
}

/// tokio-postgres errors are not `Clone`; the connection-lost variant keeps the text.
fn clone_error_text(err: &tokio_postgres::Error) -> std::io::Error {
    std::io::Error::other(err.to_string())
}

/// Whether the error means the connection is gone (so it must not be reused).
pub(crate) fn is_connection_lost(err: &tokio_postgres::Error) -> bool {
    match err.as_db_error() {
        Some(db) => classify(db.code().code()) == Mapping::ConnectionLost,
        None => {
            err.is_closed()
                || err
                    .source()
                    .is_some_and(|source| source.is::<std::io::Error>())
        }
    }
}

/// A parameter that cannot be sent as it is; raised while encoding, before anything is sent.
#[derive(Debug)]
pub(crate) struct EncodeError {
    /// The parameter's position, from 0.
    pub(crate) index: usize,
    /// Why it cannot be sent.
    pub(crate) reason: String,
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parameter ${}: {}", self.index + 1, self.reason)
    }
}

impl std::error::Error for EncodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violation_23505() {
        assert_eq!(classify("23505"), Mapping::Unique);
    }

    #[test]
    fn foreign_key_violation_23503() {
        assert_eq!(classify("23503"), Mapping::ForeignKey);
    }

    #[test]
    fn not_null_violation_23502() {
        assert_eq!(classify("23502"), Mapping::NotNull);
    }

    #[test]
    fn check_violation_23514() {
        assert_eq!(classify("23514"), Mapping::Check);
    }

    #[test]
    fn serialization_failure_40001() {
        assert_eq!(classify("40001"), Mapping::Serialization);
    }

    #[test]
    fn deadlock_40p01() {
        assert_eq!(classify("40P01"), Mapping::Deadlock);
    }

    #[test]
    fn string_data_right_truncation_22001() {
        assert_eq!(classify("22001"), Mapping::ValueTooLong);
    }

    #[test]
    fn numeric_value_out_of_range_22003() {
        assert_eq!(classify("22003"), Mapping::OutOfRange);
    }

    #[test]
    fn protocol_violation_08p01_is_an_ordinary_error() {
        assert_eq!(classify("08P01"), Mapping::Database);
    }

    #[test]
    fn connection_exception_class_08() {
        for code in ["08000", "08003", "08006", "08001", "08004"] {
            assert_eq!(classify(code), Mapping::ConnectionLost, "{code}");
        }
    }

    #[test]
    fn admin_shutdown_57p01() {
        assert_eq!(classify("57P01"), Mapping::ConnectionLost);
    }

    #[test]
    fn crash_shutdown_57p02() {
        assert_eq!(classify("57P02"), Mapping::ConnectionLost);
    }

    #[test]
    fn cannot_connect_now_57p03() {
        assert_eq!(classify("57P03"), Mapping::ConnectionLost);
    }

    #[test]
    fn other_codes_are_database_errors() {
        for code in ["42P01", "22P02", "25P02", "57014", "23000"] {
            assert_eq!(classify(code), Mapping::Database, "{code}");
        }
    }

    #[test]
    fn every_row_is_reachable() {
        // A row shadowed by an earlier one would never apply.
        for (index, (pattern, mapping)) in SQLSTATE_TABLE.iter().enumerate() {
            let probe = match pattern {
                Code::Exact(code) => (*code).to_owned(),
                Code::Class(class) => format!("{class}000"),
            };
            assert_eq!(classify(&probe), *mapping, "row {index} ({probe})");
        }
    }
}
