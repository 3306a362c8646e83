//! SQL text with its bind parameters, and the dialects it is written in.
//!
//! Rendering always produces SQL and parameters together ([`Sql`]); there is no path that
//! inlines values into the text.

use crate::value::Value;

/// A SQL backend the runtime can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// The Prisma provider name of this dialect (`"postgresql"`, `"sqlite"`).
    pub fn provider(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgresql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Sqlite => "SQLite",
        })
    }
}

/// One SQL statement and its bind parameters, in the placeholder style of one dialect
/// (`$1` on PostgreSQL, `?1` on SQLite).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sql {
    /// The statement text. Identifiers in it are quoted; values never appear in it.
    pub text: String,
    /// The parameters, in placeholder order.
    pub params: Vec<Value>,
}

impl Sql {
    /// A statement without parameters.
    pub fn new(text: impl Into<String>) -> Self {
        Sql {
            text: text.into(),
            params: Vec::new(),
        }
    }

    /// A statement with parameters.
    pub fn with_params(text: impl Into<String>, params: Vec<Value>) -> Self {
        Sql {
            text: text.into(),
            params,
        }
    }
}
