//! Which module a macro invocation expands in, as a path from the crate root (`crate::db`).
//!
//! A procedural macro is not told its module, yet the payload macros `prisma_schema!`
//! generates must name generated types by absolute path. The invocation's file and position
//! (which the compiler does tell) give it in the usual layouts:
//!
//! - the file: a crate root (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`, `tests/*.rs`,
//!   `examples/*.rs`, `benches/*.rs`, and `*/main.rs` under those directories) is `crate`;
//!   `src/a/b.rs` and `src/a/b/mod.rs` are `crate::a::b`;
//! - the inline modules around the invocation in that file (`mod db { … }`), found by a small
//!   lexer that skips comments and literals.
//!
//! `#[path]` attributes and `include!` defeat this; the generated code checks the result at
//! compile time against `module_path!()` and asks for an explicit `module = crate::…` when
//! they differ. An invocation inside a function or any other block has no absolute path:
//! [`infer`] returns `None`.

use std::path::{Component, Path};

/// Where a macro was invoked.
#[derive(Debug, Clone, Copy)]
pub struct CallSite<'a> {
    /// The package's `CARGO_MANIFEST_DIR`.
    pub manifest_dir: &'a Path,
    /// The file holding the invocation (absolute).
    pub file: &'a Path,
    /// The file's text.
    pub source: &'a str,
    /// The invocation's line, 1-based.
    pub line: usize,
    /// The invocation's column, 1-based, in characters.
    pub column: usize,
}

/// The module of the invocation as `crate::…`, or `None` when it cannot be told.
pub fn infer(site: &CallSite<'_>) -> Option<syn::Path> {
    let mut segments = file_modules(site.manifest_dir, site.file)?;
    segments.extend(inline_modules(site.source, site.line, site.column)?);
    let text = std::iter::once("crate".to_owned())
        .chain(segments)
        .collect::<Vec<_>>()
        .join("::");
    syn::parse_str(&text).ok()
}

const TARGET_DIRS: [&str; 3] = ["tests", "examples", "benches"];

/// The modules a file stands for under the usual Cargo layout.
fn file_modules(manifest_dir: &Path, file: &Path) -> Option<Vec<String>> {
    let relative = file.strip_prefix(manifest_dir).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let rest: &[&str] = match parts.as_slice() {
        ["build.rs"] | ["src", "lib.rs" | "main.rs"] => return Some(Vec::new()),
        ["src", "bin", root] if root.ends_with(".rs") => return Some(Vec::new()),
        ["src", "bin", _, "main.rs"] => return Some(Vec::new()),
        [dir, root] if TARGET_DIRS.contains(dir) && root.ends_with(".rs") => {
            return Some(Vec::new());
        }
        [dir, _, "main.rs"] if TARGET_DIRS.contains(dir) => return Some(Vec::new()),
        ["src", "bin", _, rest @ ..] => rest,
        [dir, sub, rest @ ..] if TARGET_DIRS.contains(dir) => {
            if manifest_dir.join(dir).join(sub).join("main.rs").is_file() {
                rest
            } else {
                &parts[1..]
            }
        }
        ["src", rest @ ..] => rest,
        _ => return None,
    };
    let mut modules: Vec<String> = Vec::with_capacity(rest.len());
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let name = if last {
            match part.strip_suffix(".rs")? {
                "mod" => continue,
                stem => stem,
            }
        } else {
            part
        };
        if !is_identifier(name) {
            return None;
        }
        modules.push(name.to_owned());
    }
    Some(modules)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The inline modules (`mod name { … }`) enclosing the position, outermost first; `None` when
/// the position is inside another block (a function, an `impl`, a `const`).
fn inline_modules(source: &str, line: usize, column: usize) -> Option<Vec<String>> {
    let mut lexer = Lexer::new(source);
    let mut blocks: Vec<Option<String>> = Vec::new();
    // The two tokens before the current one: `mod` and the name before a `{`.
    let mut before: [Option<Token>; 2] = [None, None];
    while let Some((token, at)) = lexer.next_token() {
        if at >= (line, column) {
            break;
        }
        match &token {
            Token::Punct('{') => blocks.push(match &before {
                [Some(Token::Ident(kw)), Some(Token::Ident(name))] if kw == "mod" => {
                    Some(name.clone())
                }
                _ => None,
            }),
            Token::Punct('}') => {
                blocks.pop();
            }
            _ => {}
        }
        before = [before[1].take(), Some(token)];
    }
    blocks.into_iter().collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Punct(char),
    Literal,
}

/// Just enough of Rust's lexical grammar to find braces and identifiers: comments, strings
/// (raw, byte, C), characters and lifetimes are skipped correctly.
struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
}

impl<'a> Lexer<'a> {
    fn new(source: &'a str) -> Self {
        Lexer {
            chars: source.chars().peekable(),
            line: 1,
            column: 1,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn peek2(&self) -> Option<char> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next()
    }

    /// The next token and where it starts.
    fn next_token(&mut self) -> Option<(Token, (usize, usize))> {
        loop {
            let c = self.peek()?;
            let at = (self.line, self.column);
            if c.is_whitespace() {
                self.bump();
                continue;
            }
            if c == '/' && self.peek2() == Some('/') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
                continue;
            }
            if c == '/' && self.peek2() == Some('*') {
                self.block_comment();
                continue;
            }
            if c == '"' {
                self.bump();
                self.quoted('"');
                return Some((Token::Literal, at));
            }
            if c == '\'' {
                self.quote_or_lifetime();
                return Some((Token::Literal, at));
            }
            if c == '_' || c.is_alphabetic() {
                let word = self.word();
                if matches!(word.as_str(), "r" | "br" | "cr" | "b" | "c") {
                    match (word.as_str(), self.peek()) {
                        ("r" | "br" | "cr", Some('#' | '"')) if self.raw_string() => {
                            return Some((Token::Literal, at));
                        }
                        ("b" | "c", Some('"')) => {
                            self.bump();
                            self.quoted('"');
                            return Some((Token::Literal, at));
                        }
                        ("b", Some('\'')) => {
                            self.bump();
                            self.quoted('\'');
                            return Some((Token::Literal, at));
                        }
                        _ => {}
                    }
                }
                return Some((Token::Ident(word), at));
            }
            self.bump();
            return Some((Token::Punct(c), at));
        }
    }

    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|c| *c == '_' || c.is_alphanumeric()) {
            word.push(c);
            self.bump();
        }
        // `r#ident` is one identifier, kept with its prefix (it is a keyword otherwise).
        if word == "r"
            && self.peek() == Some('#')
            && self.peek2().is_some_and(|c| c == '_' || c.is_alphabetic())
        {
            self.bump();
            return format!("r#{}", self.word());
        }
        word
    }

    fn block_comment(&mut self) {
        self.bump();
        self.bump();
        let mut depth = 1;
        while depth > 0 {
            match self.bump() {
                None => return,
                Some('/') if self.peek() == Some('*') => {
                    self.bump();
                    depth += 1;
                }
                Some('*') if self.peek() == Some('/') => {
                    self.bump();
                    depth -= 1;
                }
                Some(_) => {}
            }
        }
    }

    /// The rest of a quoted literal, after its opening quote.
    fn quoted(&mut self, close: char) {
        while let Some(c) = self.bump() {
            if c == '\\' {
                self.bump();
            } else if c == close {
                return;
            }
        }
    }

    /// `r#"…"#` after the `r`: whether it was a raw string (else a lone `r#`).
    fn raw_string(&mut self) -> bool {
        let mut hashes = 0;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        if self.peek() != Some('"') {
            return false;
        }
        self.bump();
        loop {
            match self.bump() {
                None => return true,
                Some('"') => {
                    let mut closing = 0;
                    while closing < hashes && self.peek() == Some('#') {
                        self.bump();
                        closing += 1;
                    }
                    if closing == hashes {
                        return true;
                    }
                }
                Some(_) => {}
            }
        }
    }

    /// `'x'`, `'\n'` or a lifetime `'a`.
    fn quote_or_lifetime(&mut self) {
        self.bump();
        match self.peek() {
            Some('\\') => self.quoted('\''),
            Some(_) if self.peek2() == Some('\'') => {
                self.bump();
                self.bump();
            }
            _ => {
                self.word();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(source: &str, marker: &str) -> (usize, usize) {
        let offset = source.find(marker).unwrap();
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        (line, column)
    }

    fn infer_in(dir: &str, file: &str, source: &str) -> Option<String> {
        let (line, column) = at(source, "prisma_schema!");
        let path = Path::new(dir).join(file);
        let site = CallSite {
            manifest_dir: Path::new(dir),
            file: &path,
            source,
            line,
            column,
        };
        infer(&site).map(|p| quote::quote!(#p).to_string().replace(' ', ""))
    }

    #[test]
    fn crate_roots_are_the_crate() {
        for file in [
            "src/lib.rs",
            "src/main.rs",
            "src/bin/tool.rs",
            "src/bin/tool/main.rs",
            "tests/client_reads.rs",
            "examples/demo.rs",
            "benches/client.rs",
            "build.rs",
        ] {
            let got = infer_in("/p", file, "prisma_schema!(\"x\");");
            assert_eq!(got.as_deref(), Some("crate"), "{file}");
        }
    }

    #[test]
    fn module_files_follow_their_path() {
        let source = "prisma_schema!(\"x\");";
        assert_eq!(
            infer_in("/p", "src/db.rs", source).as_deref(),
            Some("crate::db")
        );
        assert_eq!(
            infer_in("/p", "src/data/db/mod.rs", source).as_deref(),
            Some("crate::data::db")
        );
        assert_eq!(
            infer_in("/p", "tests/support/mod.rs", source).as_deref(),
            Some("crate::support")
        );
        assert_eq!(infer_in("/p", "src/my-file.rs", source), None);
        assert_eq!(infer_in("/p", "other/x.rs", source), None);
        assert_eq!(infer_in("/elsewhere", "/p/src/lib.rs", source), None);
    }

    #[test]
    fn inline_modules_around_the_call_count_and_closed_ones_do_not() {
        let source = r##"
mod before { fn f() { let s = "mod fake {"; } }
pub(crate) mod db {
    // mod commented { 
    /* nested /* mod x { */ */
    #[cfg(test)]
    mod r#type {
        const C: char = '{';
        fn g<'a>(x: &'a str) -> &'a str { x }
        const R: &str = r#"}"#;
        prisma_schema!("schema.prisma");
    }
}
"##;
        assert_eq!(
            infer_in("/p", "src/lib.rs", source).as_deref(),
            Some("crate::db::r#type")
        );
    }

    #[test]
    fn an_invocation_inside_a_function_has_no_path() {
        let source = "mod db {\n    fn f() {\n        prisma_schema!(\"x\");\n    }\n}\n";
        assert_eq!(infer_in("/p", "src/lib.rs", source), None);
    }
}
