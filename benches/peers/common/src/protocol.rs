//! The line protocol between the coordinator (`ours`) and the peers' process (`others`): one
//! request per line on the child's stdin, one answer per line on its stdout. The child times
//! its batches itself, so the pipe costs nothing inside a measurement.
//!
//! | request | answer |
//! | --- | --- |
//! | `open <backend> <url or file>` | `ok <library> <library> …`: the libraries now connected |
//! | `batch <library> <workload> <first> <iterations>` | `ok <nanoseconds>` |
//! | `digest <library> <workload> <n>` | `ok <rows> <sum>` |
//! | `info` | `ok <key>=<value> …`: versions the child knows at run time |
//! | `close` | `ok`: the libraries of the open backend are dropped |
//!
//! Any request may be answered `error <message>` instead.

use crate::{Backend, Workload};

/// A request to the peers' process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Connect every library to `target` on `backend`.
    Open {
        /// The database.
        backend: Backend,
        /// Its URL (PostgreSQL) or file path (SQLite).
        target: String,
    },
    /// Time a batch.
    Batch {
        /// The library.
        library: String,
        /// The workload.
        workload: Workload,
        /// The first operation's number.
        first: u64,
        /// Operations.
        iterations: u64,
    },
    /// One operation's digest.
    Digest {
        /// The library.
        library: String,
        /// The workload.
        workload: Workload,
        /// The operation's number.
        n: u64,
    },
    /// Run-time versions.
    Info,
    /// Drop the open libraries.
    Close,
}

impl Request {
    /// The request as one line (without the newline).
    pub fn to_line(&self) -> String {
        match self {
            Request::Open { backend, target } => format!("open {} {target}", backend.name()),
            Request::Batch {
                library,
                workload,
                first,
                iterations,
            } => format!("batch {library} {} {first} {iterations}", workload.name()),
            Request::Digest {
                library,
                workload,
                n,
            } => format!("digest {library} {} {n}", workload.name()),
            Request::Info => "info".to_owned(),
            Request::Close => "close".to_owned(),
        }
    }

    /// Parses a line written by [`Request::to_line`].
    ///
    /// # Errors
    ///
    /// A line that is not a request, as a message.
    pub fn parse(line: &str) -> Result<Request, String> {
        let bad = || format!("not a request: {line:?}");
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let words: Vec<&str> = rest.split(' ').collect();
        let workload = |name: &str| Workload::from_name(name).ok_or_else(bad);
        let number = |text: &str| text.parse::<u64>().map_err(|_| bad());
        match (verb, words.as_slice()) {
            ("open", [backend, ..]) => Ok(Request::Open {
                backend: Backend::from_name(backend).ok_or_else(bad)?,
                target: rest[backend.len()..].trim_start().to_owned(),
            }),
            ("batch", [library, name, first, iterations]) => Ok(Request::Batch {
                library: (*library).to_owned(),
                workload: workload(name)?,
                first: number(first)?,
                iterations: number(iterations)?,
            }),
            ("digest", [library, name, n]) => Ok(Request::Digest {
                library: (*library).to_owned(),
                workload: workload(name)?,
                n: number(n)?,
            }),
            ("info", [""]) => Ok(Request::Info),
            ("close", [""]) => Ok(Request::Close),
            _ => Err(bad()),
        }
    }
}

/// An answer line: `ok …` as `Ok(rest)`, `error …` as `Err(message)`.
///
/// # Errors
///
/// The child's error message, or a note that the line is neither.
pub fn parse_answer(line: &str) -> Result<&str, String> {
    if let Some(rest) = line.strip_prefix("ok") {
        Ok(rest.trim_start())
    } else if let Some(message) = line.strip_prefix("error ") {
        Err(message.to_owned())
    } else {
        Err(format!("not an answer: {line:?}"))
    }
}

/// An error as an answer line (on one line).
pub fn error_line(message: &str) -> String {
    format!("error {}", message.replace(['\n', '\r'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_their_lines() {
        let requests = [
            Request::Open {
                backend: Backend::Sqlite,
                target: "/tmp/a b.db".into(),
            },
            Request::Batch {
                library: "sqlx".into(),
                workload: Workload::CreateMany,
                first: 7,
                iterations: 3,
            },
            Request::Digest {
                library: "diesel".into(),
                workload: Workload::Nested,
                n: 9,
            },
            Request::Info,
            Request::Close,
        ];
        for request in requests {
            assert_eq!(Request::parse(&request.to_line()), Ok(request));
        }
    }

    #[test]
    fn malformed_lines_are_errors() {
        for line in [
            "",
            "batch sqlx nested 1",
            "digest sqlx nowhere 1",
            "open mysql x",
            "close now",
        ] {
            assert!(Request::parse(line).is_err(), "{line:?}");
        }
    }

    #[test]
    fn answers_split_into_results() {
        assert_eq!(parse_answer("ok 12"), Ok("12"));
        assert_eq!(parse_answer("ok"), Ok(""));
        assert_eq!(
            parse_answer("error no such library"),
            Err("no such library".into())
        );
        assert!(parse_answer("12").is_err());
        assert_eq!(error_line("a\nb"), "error a b");
    }
}
