//! Splitting a `migration.sql` into statements, each with the line it starts on, so that a
//! failing statement can be reported with its position in the file.

/// One statement of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement's text, without its terminating `;`.
    pub text: &'a str,
    /// The 1-based line of the file the statement starts on.
    pub line: usize,
}

/// Splits `script` at the `;`s that end statements.
///
/// Semicolons inside string literals, quoted identifiers, comments, PostgreSQL dollar-quoted
/// bodies and SQLite trigger bodies (`BEGIN … END`) do not split. Comment-only fragments are
/// dropped. Never fails: an unterminated literal runs to the end of the script.
pub fn split_statements(script: &str) -> Vec<Statement<'_>> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut start: Option<usize> = None;
    let mut trigger_depth = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            _ if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if start.is_none() {
            start = Some(i);
            trigger_depth = usize::from(starts_trigger(&script[i..]));
        }
        match b {
            b'\'' | b'"' | b'`' => {
                let escapes = b == b'\'' && i > 0 && matches!(bytes[i - 1], b'E' | b'e');
                i += 1;
                while i < bytes.len() {
                    if escapes && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == b {
                        if bytes.get(i + 1) == Some(&b) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'$' => {
                let tag_end = script[i + 1..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(end)
                        if bytes[end] == b'$'
                            && !bytes[i + 1..end].first().is_some_and(u8::is_ascii_digit) =>
                    {
                        let tag = &script[i..=end];
                        i = script[end + 1..]
                            .find(tag)
                            .map_or(bytes.len(), |n| end + 1 + n + tag.len());
                    }
                    _ => i += 1,
                }
            }
            b';' => {
                if trigger_depth == 1 && !ends_with_end_keyword(&script[start.unwrap_or(0)..i]) {
                    i += 1;
                    continue;
                }
                finish(&mut out, script, start.take(), i);
                trigger_depth = 0;
                i += 1;
            }
            _ => i += 1,
        }
    }
    finish(&mut out, script, start, bytes.len());
    out
}

fn starts_trigger(rest: &str) -> bool {
    let words: Vec<String> = rest
        .split_whitespace()
        .take(3)
        .map(str::to_ascii_uppercase)
        .collect();
    matches!(
        words.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["CREATE", "TRIGGER", ..] | ["CREATE", "TEMP" | "TEMPORARY", "TRIGGER"]
    )
}

fn ends_with_end_keyword(text: &str) -> bool {
    let trimmed = text.trim_end();
    // Compare bytes: the last three bytes of text ending in a multi-byte character are not a
    // `str` slice. Once they are `END` (ASCII), `len - 3` is a character boundary.
    let Some(head) = trimmed.len().checked_sub(3) else {
        return false;
    };
    trimmed.as_bytes()[head..].eq_ignore_ascii_case(b"END")
        && !trimmed[..head].ends_with(|c: char| c.is_alphanumeric() || c == '_')
}

/// The first keyword of a statement, upper-cased (`"BEGIN"`, `"PRAGMA"`).
fn finish<'a>(out: &mut Vec<Statement<'a>>, script: &'a str, from: Option<usize>, to: usize) {
    if let Some(from) = from {
        let text = script[from..to].trim_end();
        if !text.is_empty() {
            let line = 1 + script[..from].bytes().filter(|b| *b == b'\n').count();
            out.push(Statement { text, line });
        }
    }
}

pub(crate) fn first_keyword(statement: &str) -> String {
    statement
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers_and_skips_comments() {
        let script = "-- CreateTable\nCREATE TABLE \"a;\" (\n    x TEXT DEFAULT 'x;y'\n);\n\n-- CreateIndex\nCREATE INDEX i ON a(x);\n";
        let statements = split_statements(script);
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[0].line, 2);
        assert!(statements[0].text.ends_with("'x;y'\n)"));
        assert_eq!(statements[1].text, "CREATE INDEX i ON a(x)");
        assert_eq!(statements[1].line, 7);
    }

    #[test]
    fn dollar_quotes_and_triggers_hold_semicolons() {
        let pg =
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nSELECT $1;";
        let statements = split_statements(pg);
        assert_eq!(statements.len(), 2);
        assert!(statements[0].text.ends_with("LANGUAGE sql"));

        let sqlite = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  DELETE FROM b;\nEND;\nSELECT 1;";
        let statements = split_statements(sqlite);
        assert_eq!(statements.len(), 2);
        assert!(statements[0].text.ends_with("END"));
        assert_eq!(statements[1].line, 5);
    }

    #[test]
    fn a_trigger_statement_ending_in_a_multi_byte_character_splits_without_panicking() {
        let script = "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS x😀; END;\nSELECT 'é';";
        let texts: Vec<&str> = split_statements(script).iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS x😀; END",
                "SELECT 'é'"
            ]
        );
    }

    #[test]
    fn comment_only_and_empty_scripts_have_no_statements() {
        assert!(split_statements("-- This is an empty migration.").is_empty());
        assert!(split_statements("/* a; b */\n\n").is_empty());
        assert_eq!(split_statements("SELECT 1").len(), 1);
    }

    #[test]
    fn first_keyword_is_upper_cased() {
        assert_eq!(first_keyword("  begin"), "BEGIN");
        assert_eq!(first_keyword("PRAGMA foreign_keys=OFF"), "PRAGMA");
    }
}
