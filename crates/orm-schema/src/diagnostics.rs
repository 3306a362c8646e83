//! Errors and warnings with spans, and their rendering.
//!
//! A [`Diagnostic`] is data: a severity, a [`Span`] and a message. Messages keep the meaning and,
//! where Prisma has one, the wording of Prisma's own diagnostic for the same situation. Every
//! situation has one constructor (`Diagnostic::attribute_not_known`, …), so the wording lives in
//! one place and is easy to grep.
//!
//! Diagnostics that this project adds on top of Prisma's (advice about moving to Prisma 7, for
//! example) carry an [`Advisory`] code, so tools and the conformance tests can tell them apart
//! from Prisma's own.
//!
//! Rendering computes line and column from the source only at that point (1-based, columns
//! counted in characters):
//!
//! ```text
//! prisma/schema.prisma:4:24: error: Attribute not known: "@uniq".
//!   |
//! 4 |   email String @unique @uniq
//!   |                        ^^^^^
//! ```

use crate::span::Span;
use std::fmt::Write as _;

mod messages;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The schema is invalid.
    Error,
    /// The schema is valid, but something deserves attention.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A project-specific advisory: a diagnostic Prisma itself does not emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Advisory {
    /// The datasource still names its connection URL (`url = env("…")`, the Prisma 5/6 form).
    /// Prisma 7 reads the URL from `prisma.config.ts`; this project reads `DATABASE_URL` or
    /// `--url`.
    DatasourceUrl,
}

impl Advisory {
    /// A short stable code, e.g. `prisma7-datasource-url`.
    pub fn code(self) -> &'static str {
        match self {
            Advisory::DatasourceUrl => "prisma7-datasource-url",
        }
    }
}

/// One error or warning about a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the source the problem is.
    pub span: Span,
    /// What is wrong, in Prisma's words where Prisma has a diagnostic for it.
    pub message: String,
    /// `Some` for diagnostics this project adds on top of Prisma's own.
    pub advisory: Option<Advisory>,
}

impl Diagnostic {
    /// An error with the given message.
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            advisory: None,
        }
    }

    /// A warning with the given message.
    pub fn warning(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            advisory: None,
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this is one of Prisma's own diagnostics (not a project advisory).
    pub fn is_prisma(&self) -> bool {
        self.advisory.is_none()
    }

    /// Renders this diagnostic (see the [module docs](self)) without colour.
    pub fn render(&self, source: &str, path: &str) -> String {
        let mut out = String::new();
        render_one(&mut out, self, source, path, false);
        out
    }
}

/// A collector of diagnostics, in the order they were found.
///
/// It is also the error type of [`crate::parse_and_validate`]: when it holds at least one error,
/// the schema is invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds an error.
    pub fn push_error(&mut self, message: impl Into<String>, span: Span) {
        self.push(Diagnostic::error(message, span));
    }

    /// Whether any error was collected.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The number of errors collected.
    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    /// Whether nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The number of diagnostics collected.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// All diagnostics, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// The errors, in the order they were found.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The warnings (Prisma's and advisories), in the order they were found.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Consumes the collector, returning the diagnostics.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// Renders every diagnostic, warnings first and then errors (as Prisma prints them), each
    /// in the form shown in the [module docs](self), without colour.
    pub fn render(&self, source: &str, path: &str) -> String {
        self.render_with(source, path, RenderOptions::default())
    }

    /// Like [`Diagnostics::render`], with options (colour for terminals).
    pub fn render_with(&self, source: &str, path: &str, options: RenderOptions) -> String {
        let mut out = String::new();
        for diagnostic in self.warnings().chain(self.errors()) {
            render_one(&mut out, diagnostic, source, path, options.color);
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.warnings().chain(self.errors()).enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}: {}", d.severity.as_str(), d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Options for [`Diagnostics::render_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Use ANSI colours. Only for terminals; never inside `compile_error!` text.
    pub color: bool,
}

/// Maps byte offsets to 1-based line and column numbers (columns in characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `source`. A line ends at `\n`, `\r\n` or a lone `\r`.
    pub fn new(source: &'a str) -> LineIndex<'a> {
        let bytes = source.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            source,
            line_starts,
        }
    }

    /// The 1-based line and column of a byte offset (clamped to the source).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let col = self.source[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of the 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let idx = line.saturating_sub(1).min(self.line_starts.len() - 1);
        let start = self.line_starts[idx];
        let end = self
            .line_starts
            .get(idx + 1)
            .copied()
            .unwrap_or(self.source.len());
        self.source[start..end].trim_end_matches(['\n', '\r'])
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

fn render_one(out: &mut String, d: &Diagnostic, source: &str, path: &str, color: bool) {
    let index = LineIndex::new(source);
    let (line, col) = index.line_col(d.span.start_usize());
    let (end_line, _) = index.line_col(d.span.end_usize());
    let (sev_on, bold_on, blue_on, off) = if color {
        let sev = match d.severity {
            Severity::Error => "\x1b[1;91m",
            Severity::Warning => "\x1b[1;93m",
        };
        (sev, "\x1b[1m", "\x1b[1;94m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let _ = writeln!(
        out,
        "{path}:{line}:{col}: {sev_on}{}{off}: {bold_on}{}{off}",
        d.severity.as_str(),
        d.message
    );

    let text = index.line_text(line);
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{blue_on}{pad} |{off}");
    let _ = writeln!(out, "{blue_on}{line} |{off} {text}");

    // Caret under the part of the span on the first line; at least one caret.
    let prefix: String = text
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let line_chars = text.chars().count();
    let span_chars = if end_line > line {
        line_chars.saturating_sub(col - 1)
    } else {
        let (_, end_col) = index.line_col(d.span.end_usize());
        end_col.saturating_sub(col)
    };
    let carets = "^".repeat(span_chars.max(1));
    let _ = writeln!(out, "{blue_on}{pad} |{off} {prefix}{sev_on}{carets}{off}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    #[test]
    fn renders_path_line_col_source_line_and_caret() {
        let source = "model User {\n  id Int @id\n  email String @unique @uniq\n}\n";
        let start = source.rfind("@uniq").unwrap();
        let d = Diagnostic::attribute_not_known("uniq", Span::new(FileId::ZERO, start, start + 5));
        let rendered = d.render(source, "prisma/schema.prisma");
        assert_eq!(
            rendered,
            "prisma/schema.prisma:3:24: error: Attribute not known: \"@uniq\".\n  |\n3 |   email String @unique @uniq\n  |                        ^^^^^\n"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "model Lööp {\n  x Intt\n}\n";
        let index = LineIndex::new(source);
        let offset = source.find('{').unwrap();
        assert_eq!(index.line_col(offset), (1, 12));
    }

    #[test]
    fn multi_line_span_underlines_to_end_of_first_line() {
        let source = "a\nbc\nd\n";
        let d = Diagnostic::error("x", Span::new(FileId::ZERO, 2, 6));
        assert_eq!(
            d.render(source, "s"),
            "s:2:1: error: x\n  |\n2 | bc\n  | ^^\n"
        );
    }

    #[test]
    fn warnings_render_before_errors_and_colour_is_opt_in() {
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::error("e", Span::new(FileId::ZERO, 0, 1)));
        diags.push(Diagnostic::warning("w", Span::new(FileId::ZERO, 0, 1)));
        let plain = diags.render("x\n", "f");
        assert!(plain.starts_with("f:1:1: warning: w"));
        assert!(!plain.contains('\x1b'));
        let colored = diags.render_with("x\n", "f", RenderOptions { color: true });
        assert!(colored.contains("\x1b[1;93mwarning"));
    }

    #[test]
    fn line_index_handles_crlf_and_lone_cr() {
        let index = LineIndex::new("a\r\nb\rc");
        assert_eq!(index.line_col(3), (2, 1));
        assert_eq!(index.line_col(5), (3, 1));
        assert_eq!(index.line_text(1), "a");
        assert_eq!(index.line_text(3), "c");
    }
}
