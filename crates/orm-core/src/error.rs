//! The error type of every fallible operation of the runtime.
//!
//! Adapters map their driver's failures into [`Error`] at the [`Adapter`](crate::Adapter)
//! boundary, classifying by database error code (never by message text) and keeping the
//! original in a [`DbError`]. Each variant also knows the Prisma error code a TypeScript user
//! would recognise ([`Error::prisma_code`]).

use std::time::Duration;

use crate::sql::Dialect;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the database reported, kept verbatim beside the typed variant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DbError {
    /// The database's own code: a PostgreSQL SQLSTATE (`"23505"`) or a SQLite extended result
    /// code name (`"SQLITE_CONSTRAINT_UNIQUE"`).
    pub code: String,
    /// The database's message.
    pub message: String,
    /// The constraint involved, when the database names one.
    pub constraint: Option<String>,
    /// The table involved, when the database names one.
    pub table: Option<String>,
    /// The columns involved, when the database names them (SQLite lists them in its message).
    pub columns: Vec<String>,
    /// Further detail from the database (PostgreSQL's `DETAIL`).
    pub detail: Option<String>,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (code {})", self.message, self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DbError {}

/// Every way an operation of the runtime can fail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A unique constraint rejected a write (Prisma `P2002`).
    #[error("unique constraint failed on {}", describe_target(model.as_deref(), constraint.as_deref(), fields))]
    UniqueViolation {
        /// The model written to, when known.
        model: Option<String>,
        /// The constraint's name, when the database reports it (PostgreSQL).
        constraint: Option<String>,
        /// The fields of the constraint, when known (resolved through the schema on
        /// PostgreSQL, reported by SQLite).
        fields: Vec<String>,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// A foreign key rejected a write or a delete (Prisma `P2003`).
    #[error("foreign key constraint failed on {}", describe_target(model.as_deref(), constraint.as_deref(), fields))]
    ForeignKeyViolation {
        /// The model written to, when known.
        model: Option<String>,
        /// The constraint's name, when the database reports it.
        constraint: Option<String>,
        /// The foreign key's fields, when known.
        fields: Vec<String>,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// A required column received null (Prisma `P2011`).
    #[error("null constraint violation on {}", describe_target(model.as_deref(), None, std::slice::from_ref(column)))]
    NotNullViolation {
        /// The model written to, when known.
        model: Option<String>,
        /// The field that received null; its column's name as the database reports it when
        /// the error was not raised through the engine (raw SQL, an adapter on its own).
        column: String,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// A check constraint rejected a write.
    #[error("check constraint failed on {}", describe_target(model.as_deref(), constraint.as_deref(), &[]))]
    CheckViolation {
        /// The model written to, when known.
        model: Option<String>,
        /// The constraint's name, when the database reports it.
        constraint: Option<String>,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// An operation that needs a record did not find one (Prisma `P2025`): `*_or_throw`,
    /// `update`, `delete`, a nested `connect`.
    #[error("no `{model}` record was found for {operation}")]
    NotFound {
        /// The model searched.
        model: String,
        /// What needed the record, in Prisma's words: `"a query"`, `"an update"`, `"a delete"`,
        /// `"a nested connect"`.
        operation: String,
    },

    /// A nested write named a related record that is not connected to the parent (Prisma
    /// `P2017`): a nested `delete` of a record of a to-many relation that the parent does not
    /// own.
    #[error(
        "the records for relation `{relation}` between the `{parent}` and `{child}` models are not connected"
    )]
    RecordsNotConnected {
        /// The relation's name.
        relation: String,
        /// The parent's model.
        parent: String,
        /// The related record's model.
        child: String,
    },

    /// A serializable transaction could not be serialized (Prisma `P2034`); retrying the
    /// transaction may succeed.
    #[error("transaction failed due to a write conflict: {db}")]
    SerializationFailure {
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// The database detected a deadlock and aborted this transaction (Prisma `P2034`);
    /// retrying the transaction may succeed.
    #[error("transaction failed due to a deadlock: {db}")]
    Deadlock {
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// The database (SQLite) stayed locked for longer than the busy timeout.
    #[error("the database is locked: {db}")]
    Busy {
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// A value is too long for its column's type, e.g. 11 characters for a `VARCHAR(10)`
    /// (Prisma `P2000`; PostgreSQL SQLSTATE `22001`, which names no column).
    #[error("the value is too long for the column's type{}: {db}", on_model(model.as_deref()))]
    ValueTooLong {
        /// The model written to, when known.
        model: Option<String>,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// A value is out of range for its column's type, e.g. 2^31 for an `INTEGER`
    /// (Prisma `P2020`; PostgreSQL SQLSTATE `22003`, which names no column).
    #[error("the value is out of range for the column's type{}: {db}", on_model(model.as_deref()))]
    OutOfRange {
        /// The model written to, when known.
        model: Option<String>,
        /// What the database said.
        #[source]
        db: Box<DbError>,
    },

    /// No connection became free within the pool timeout (Prisma `P2024`).
    #[error("timed out fetching a connection from the pool after {}ms (connection limit {limit})", timeout.as_millis())]
    PoolTimeout {
        /// How long the caller waited.
        timeout: Duration,
        /// The pool's size.
        limit: usize,
    },

    /// The database could not be reached, or closed the connection (Prisma `P1001`/`P1017`).
    #[error("connection to the database lost: {message}")]
    ConnectionLost {
        /// What happened.
        message: String,
        /// The driver's error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// A value read from the database does not convert into the requested Rust type.
    #[error("cannot decode column `{column}`: expected {expected}, found {actual}")]
    Decode {
        /// The column read.
        column: String,
        /// The type the caller asked for.
        expected: String,
        /// The type the database returned.
        actual: String,
    },

    /// A value cannot be sent to the database as it is (text containing NUL on PostgreSQL, a
    /// number that does not fit the column, …).
    #[error("cannot encode {what}: {reason}")]
    Encode {
        /// The value or parameter concerned.
        what: String,
        /// Why it cannot be sent.
        reason: String,
    },

    /// The query's arguments are not valid for the model (Prisma's validation errors): it
    /// names the model and field concerned.
    #[error("invalid query on `{model}`{}: {message}", field.as_ref().map(|f| format!(".{f}")).unwrap_or_default())]
    InvalidQuery {
        /// The model queried.
        model: String,
        /// The field concerned, when there is one.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },

    /// A transaction handle was used after its transaction committed or rolled back
    /// (Prisma `P2028`).
    #[error("transaction already closed: a query cannot run after the transaction has {state}")]
    TransactionClosed {
        /// `"committed"` or `"rolled back"`.
        state: &'static str,
    },

    /// A transaction ran longer than its timeout and was rolled back (Prisma `P2028`).
    #[error("transaction rolled back: it ran longer than its timeout of {}ms", timeout.as_millis())]
    TransactionTimeout {
        /// The configured timeout.
        timeout: Duration,
    },

    /// The backend cannot express a feature.
    #[error("{feature} is not supported on {dialect}")]
    Unsupported {
        /// The feature, in words.
        feature: String,
        /// The backend.
        dialect: Dialect,
    },

    /// A connection URL or adapter option is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),

    /// Any other database error, kept as the database reported it.
    #[error("database error: {0}")]
    Database(#[source] Box<DbError>),
}

fn on_model(model: Option<&str>) -> String {
    model.map(|m| format!(" on `{m}`")).unwrap_or_default()
}

fn describe_target(model: Option<&str>, constraint: Option<&str>, fields: &[String]) -> String {
    let mut out = String::new();
    if let Some(model) = model {
        out.push_str(&format!("`{model}` "));
    }
    if !fields.is_empty() {
        let list: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        out.push_str(&format!("fields ({})", list.join(", ")));
    } else if let Some(constraint) = constraint {
        out.push_str(&format!("constraint `{constraint}`"));
    } else {
        out.push_str("a constraint");
    }
    out
}

impl Error {
    /// The Prisma error code for this error, as Prisma's TypeScript client reports it
    /// (`"P2002"` for a unique violation), when there is one.
    pub fn prisma_code(&self) -> Option<&'static str> {
        Some(match self {
            Error::UniqueViolation { .. } => "P2002",
            Error::ForeignKeyViolation { .. } => "P2003",
            Error::NotNullViolation { .. } => "P2011",
            Error::CheckViolation { .. } => "P2004",
            Error::NotFound { .. } => "P2025",
            Error::RecordsNotConnected { .. } => "P2017",
            Error::SerializationFailure { .. } | Error::Deadlock { .. } => "P2034",
            Error::PoolTimeout { .. } => "P2024",
            Error::ConnectionLost { .. } => "P1017",
            Error::TransactionClosed { .. } | Error::TransactionTimeout { .. } => "P2028",
            Error::InvalidQuery { .. } => "P2009",
            Error::Busy { .. } => "P1008",
            Error::ValueTooLong { .. } => "P2000",
            Error::OutOfRange { .. } => "P2020",
            _ => return None,
        })
    }

    /// Whether rerunning the whole transaction may succeed: a serialization failure or a
    /// deadlock. Retry policies use this.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::SerializationFailure { .. } | Error::Deadlock { .. }
        )
    }

    /// The database's own error, for variants that carry one.
    pub fn db_error(&self) -> Option<&DbError> {
        match self {
            Error::UniqueViolation { db, .. }
            | Error::ForeignKeyViolation { db, .. }
            | Error::NotNullViolation { db, .. }
            | Error::CheckViolation { db, .. }
            | Error::SerializationFailure { db }
            | Error::Deadlock { db }
            | Error::Busy { db }
            | Error::ValueTooLong { db, .. }
            | Error::OutOfRange { db, .. }
            | Error::Database(db) => Some(db),
            _ => None,
        }
    }

    /// Attaches the model a constraint error happened on, when the adapter could not know it
    /// (an error that already names one keeps it).
    pub fn with_model(mut self, name: &str) -> Self {
        if let Some(model @ None) = self.model_slot() {
            *model = Some(name.to_owned());
        }
        self
    }

    /// The model a constraint error happened on, when known: unique (`P2002`), foreign key
    /// (`P2003`), null (`P2011`) and check violations, values too long (`P2000`) or out of
    /// range (`P2020`). Errors raised through the engine name it on both backends.
    pub fn model(&self) -> Option<&str> {
        match self {
            Error::UniqueViolation { model, .. }
            | Error::ForeignKeyViolation { model, .. }
            | Error::NotNullViolation { model, .. }
            | Error::CheckViolation { model, .. }
            | Error::ValueTooLong { model, .. }
            | Error::OutOfRange { model, .. } => model.as_deref(),
            _ => None,
        }
    }

    fn model_slot(&mut self) -> Option<&mut Option<String>> {
        match self {
            Error::UniqueViolation { model, .. }
            | Error::ForeignKeyViolation { model, .. }
            | Error::NotNullViolation { model, .. }
            | Error::CheckViolation { model, .. }
            | Error::ValueTooLong { model, .. }
            | Error::OutOfRange { model, .. } => Some(model),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violation_message_names_model_and_fields() {
        let err = Error::UniqueViolation {
            model: None,
            constraint: Some("User_email_key".into()),
            fields: vec!["email".into()],
            db: Box::default(),
        }
        .with_model("User");
        assert_eq!(
            err.to_string(),
            "unique constraint failed on `User` fields (`email`)"
        );
        assert_eq!(err.prisma_code(), Some("P2002"));
    }

    #[test]
    fn unique_violation_without_fields_names_the_constraint() {
        let err = Error::UniqueViolation {
            model: None,
            constraint: Some("User_email_key".into()),
            fields: vec![],
            db: Box::default(),
        };
        assert_eq!(
            err.to_string(),
            "unique constraint failed on constraint `User_email_key`"
        );
    }

    #[test]
    fn only_conflicts_are_transient() {
        assert!(Error::Deadlock { db: Box::default() }.is_transient());
        assert!(!Error::Database(Box::default()).is_transient());
    }
}
