//! Data-driven validation tests: `tests/validation/<area>/<case>.prisma` holds a schema
//! followed by the diagnostics it must produce, rendered as `// ` lines at the end of the file
//! (no such block: the schema must be valid with no diagnostics at all). `UPDATE_EXPECT=1`
//! rewrites the blocks with what the validator produces now; review the diff.

use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/validation_tests.rs"));

/// Splits a file into the schema and its expectation block (the trailing run of lines that
/// start with `//`, each with its `// ` prefix removed).
fn split_expectation(text: &str) -> (&str, String) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut start = lines.len();
    while start > 0 && lines[start - 1].starts_with("//") {
        start -= 1;
    }
    let schema_len: usize = lines[..start].iter().map(|l| l.len()).sum();
    let expected: String = lines[start..]
        .iter()
        .map(|l| {
            let l = l.trim_end_matches(['\n', '\r']);
            let l = l
                .strip_prefix("// ")
                .unwrap_or_else(|| l.strip_prefix("//").unwrap_or(l));
            format!("{l}\n")
        })
        .collect();
    (&text[..schema_len], expected)
}

fn run_validation_test(relative: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/validation")
        .join(relative);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {relative}: {e}"));
    let (schema, expected) = split_expectation(&text);
    let diagnostics = match orm_schema::validate(schema, "schema.prisma") {
        Ok(validated) => validated.warnings,
        Err(diagnostics) => diagnostics,
    };
    let actual = diagnostics.render(schema, "schema.prisma");

    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let mut updated = schema.to_owned();
        if !actual.is_empty() {
            if !updated.ends_with('\n') {
                updated.push('\n');
            }
            for line in actual.lines() {
                if line.is_empty() {
                    updated.push_str("//\n");
                } else {
                    updated.push_str("// ");
                    updated.push_str(line);
                    updated.push('\n');
                }
            }
        }
        std::fs::write(&path, updated).unwrap_or_else(|e| panic!("cannot write {relative}: {e}"));
        return;
    }
    assert!(
        actual == expected,
        "{relative}: diagnostics differ (UPDATE_EXPECT=1 re-blesses)\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}
