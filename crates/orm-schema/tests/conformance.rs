//! Prisma's own validation test schemas (`../shared/psl-corpus/`) through this front end.
//!
//! Prints the agreement figures and fails below the floors. Provider-independent files that
//! declare a provider this project does not support (mysql, sqlserver, mongodb) are validated
//! with the provider string changed to `postgresql`, as the corpus README allows (their
//! expected diagnostics do not depend on it and none lies on the provider line).

mod common;

use orm_schema::{Diagnostic, Severity};
use std::fmt::Write as _;

/// Raise these as conformance improves; never lower them.
const FLOOR_VALID_ACCEPTED: usize = 58;
const FLOOR_INVALID_REJECTED: usize = 102;
const FLOOR_FIRST_ERROR_MATCHES: usize = 102;
const FLOOR_ALL_DIAGNOSTICS_MATCH: usize = 160;

struct Expected {
    severity: String,
    message: String,
    start: (usize, usize),
    end: (usize, usize),
}

fn expected_diagnostics(
    corpus: &std::path::Path,
) -> std::collections::HashMap<String, Vec<Expected>> {
    let text = common::read(&corpus.join("expected_diagnostics.jsonl"));
    let mut out = std::collections::HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).expect("valid jsonl");
        let path = value["path"].as_str().expect("path").to_owned();
        let pos = |v: &serde_json::Value| {
            (
                usize::try_from(v["line"].as_u64().expect("line")).expect("fits"),
                usize::try_from(v["column"].as_u64().expect("column")).expect("fits"),
            )
        };
        let diags = value["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| Expected {
                severity: d["severity"].as_str().expect("severity").to_owned(),
                message: d["message"].as_str().expect("message").to_owned(),
                start: pos(&d["start"]),
                end: pos(&d["end"]),
            })
            .collect();
        out.insert(path, diags);
    }
    out
}

/// Replaces the datasource provider of a provider-independent file by `postgresql`.
fn with_supported_provider(source: &str, provider: &str) -> String {
    if !matches!(provider, "mysql" | "sqlserver" | "mongodb" | "cockroachdb") {
        return source.to_owned();
    }
    let Some(ds) = source.find("datasource") else {
        return source.to_owned();
    };
    let needle = format!("\"{provider}\"");
    match source[ds..].find(&needle) {
        Some(at) => {
            let at = ds + at;
            format!(
                "{}\"postgresql\"{}",
                &source[..at],
                &source[at + needle.len()..]
            )
        }
        None => source.to_owned(),
    }
}

fn position(
    index: &orm_schema::diagnostics::LineIndex<'_>,
    d: &Diagnostic,
) -> ((usize, usize), (usize, usize)) {
    (
        index.line_col(d.span.start_usize()),
        index.line_col(d.span.end_usize()),
    )
}

#[test]
fn psl_corpus_conformance() {
    let corpus = common::shared_dir().join("psl-corpus");
    let expected = expected_diagnostics(&corpus);
    let manifest = common::read(&corpus.join("manifest.tsv"));

    let (mut valid, mut valid_ok, mut invalid, mut invalid_ok, mut first_match) = (0, 0, 0, 0, 0);
    let (mut files, mut all_match) = (0, 0);
    let mut report = String::new();
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, kind, provider) = (cols[0], cols[1], cols[4]);
        let source = with_supported_provider(
            &common::read(&corpus.join("validation").join(path)),
            provider,
        );
        let index = orm_schema::diagnostics::LineIndex::new(&source);
        let actual: Vec<Diagnostic> = match orm_schema::validate(&source, "schema.prisma") {
            Ok(v) => v.warnings.into_vec(),
            Err(d) => d.into_vec(),
        };
        let actual: Vec<&Diagnostic> = actual.iter().filter(|d| d.is_prisma()).collect();
        let errors: Vec<&&Diagnostic> = actual
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let want = &expected[path];
        let want_errors: Vec<&Expected> = want.iter().filter(|e| e.severity == "error").collect();

        // Strongest check: every diagnostic, warnings then errors, same message and span.
        files += 1;
        let mut ordered: Vec<&&Diagnostic> = actual
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        ordered.extend(errors.iter().copied());
        let same = ordered.len() == want.len()
            && ordered.iter().zip(want).all(|(got, exp)| {
                let (start, end) = position(&index, got);
                got.severity.as_str() == exp.severity
                    && got.message == exp.message
                    && start == exp.start
                    && end == exp.end
            });
        if same {
            all_match += 1;
        } else {
            let got: Vec<String> = ordered
                .iter()
                .map(|d| {
                    let (s, e) = position(&index, d);
                    format!("{}:{}-{}:{} {}", s.0, s.1, e.0, e.1, d.message)
                })
                .collect();
            let exp: Vec<String> = want
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}-{}:{} {}",
                        e.start.0, e.start.1, e.end.0, e.end.1, e.message
                    )
                })
                .collect();
            let _ = writeln!(
                report,
                "ALL DIAGNOSTICS DIFFER {path}:\n    expected {exp:#?}\n    got      {got:#?}"
            );
        }

        if kind == "valid" {
            valid += 1;
            if errors.is_empty() {
                valid_ok += 1;
            } else {
                let (start, _) = position(&index, errors[0]);
                let _ = writeln!(
                    report,
                    "VALID REJECTED {path}: {}:{}: {}",
                    start.0, start.1, errors[0].message
                );
            }
            continue;
        }
        invalid += 1;
        if errors.is_empty() {
            let _ = writeln!(
                report,
                "INVALID ACCEPTED {path}: expected {}",
                want_errors[0].message
            );
            continue;
        }
        invalid_ok += 1;
        let got = errors[0];
        let exp = want_errors[0];
        let (start, end) = position(&index, got);
        if got.message == exp.message && start == exp.start && end == exp.end {
            first_match += 1;
        } else {
            let _ = writeln!(
                report,
                "FIRST ERROR DIFFERS {path}:\n    expected {}:{}-{}:{} {}\n    got      {}:{}-{}:{} {}",
                exp.start.0,
                exp.start.1,
                exp.end.0,
                exp.end.1,
                exp.message,
                start.0,
                start.1,
                end.0,
                end.1,
                got.message
            );
        }
    }
    println!("{report}");
    println!(
        "PSL corpus: valid accepted {valid_ok}/{valid}, invalid rejected {invalid_ok}/{invalid}, first error message+position matches {first_match}/{invalid}, all diagnostics match {all_match}/{files}"
    );
    assert!(
        valid_ok >= FLOOR_VALID_ACCEPTED,
        "valid accepted fell below the floor"
    );
    assert!(
        invalid_ok >= FLOOR_INVALID_REJECTED,
        "invalid rejected fell below the floor"
    );
    assert!(
        first_match >= FLOOR_FIRST_ERROR_MATCHES,
        "first-error matches fell below the floor"
    );
    assert!(
        all_match >= FLOOR_ALL_DIAGNOSTICS_MATCH,
        "full diagnostic matches fell below the floor"
    );
}
