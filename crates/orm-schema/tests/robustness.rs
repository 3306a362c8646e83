//! The front end never panics on any input, and its diagnostics always point inside the
//! source: arbitrary text, schema-shaped token soup, and mutated corpus files.

mod common;

use proptest::prelude::*;
use std::sync::OnceLock;

/// Parses, validates and renders; checks every span lies on character boundaries inside the
/// source.
fn check(source: &str) {
    let diagnostics = match orm_schema::validate(source, "schema.prisma") {
        Ok(validated) => validated.warnings,
        Err(diagnostics) => diagnostics,
    };
    for d in &diagnostics {
        let (start, end) = (d.span.start_usize(), d.span.end_usize());
        assert!(
            start <= end && end <= source.len(),
            "span {start}..{end} outside a source of {} bytes: {}",
            source.len(),
            d.message
        );
        assert!(
            source.is_char_boundary(start) && source.is_char_boundary(end),
            "span {start}..{end} splits a character: {}",
            d.message
        );
    }
    let rendered = diagnostics.render(source, "schema.prisma");
    assert_eq!(rendered.is_empty(), diagnostics.is_empty());
    let (ast, _) = orm_schema::parse(source);
    for top in &ast.tops {
        let span = top.span();
        assert!(span.end_usize() <= source.len());
    }
}

/// Every corpus schema and the repository's shared schemas.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = Vec::new();
        let shared = common::shared_dir();
        let mut dirs = vec![shared.join("psl-corpus")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable corpus").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "prisma") {
                    out.push(common::read(&path));
                }
            }
        }
        for name in ["full.postgresql.prisma", "full.sqlite.prisma"] {
            out.push(common::read(
                &common::repo_root().join("tests/schemas").join(name),
            ));
        }
        out.push(common::read(
            &shared.join("prisma-golden/seed/schema.prisma"),
        ));
        out.sort();
        out
    })
}

/// Fragments that steer random input towards the grammar's corners.
const TOKENS: &[&str] = &[
    "model",
    "view",
    "enum",
    "type",
    "datasource",
    "generator",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "[]",
    "?",
    "!",
    ":",
    "=",
    ",",
    ".",
    "@",
    "@@",
    "@id",
    "@unique",
    "@default",
    "@relation",
    "@map",
    "@db.VarChar",
    "@@index",
    "@@unique",
    "@@id",
    "@@map",
    "@@schema",
    "//",
    "///",
    "/*",
    "*/",
    "\"",
    "\\",
    "\\u",
    "\\ud83d",
    "\"x\"",
    "1",
    "-1",
    "1.5",
    "User",
    "Post",
    "id",
    "Int",
    "String",
    "DateTime",
    "Unsupported(",
    "env(",
    "cuid(2)",
    "now()",
    "autoincrement()",
    "fields:",
    "references:",
    "onDelete: Cascade",
    "provider = \"postgresql\"",
    "provider = \"sqlite\"",
    "é",
    "ö",
    "\u{3000}",
    "\u{a0}",
    "\0",
    "😀",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
    Swap(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), prop::sample::select(TOKENS))
            .prop_map(|(at, t)| Mutation::Insert(at, t.to_owned())),
        (any::<usize>(), any::<String>()).prop_map(|(at, s)| Mutation::Insert(at, s)),
        (any::<usize>(), 0usize..80).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

/// Applies a mutation at character boundaries (positions taken modulo the length).
fn apply(source: &str, m: &Mutation) -> String {
    let boundary = |at: usize| {
        let mut at = if source.is_empty() {
            0
        } else {
            at % (source.len() + 1)
        };
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match m {
        Mutation::Delete(at, len) => {
            let start = boundary(*at);
            let end = boundary(start + len);
            format!("{}{}", &source[..start], &source[end.max(start)..])
        }
        Mutation::Insert(at, text) => {
            let at = boundary(*at);
            format!("{}{text}{}", &source[..at], &source[at..])
        }
        Mutation::Duplicate(at, len) => {
            let start = boundary(*at);
            let end = boundary(start + len).max(start);
            format!("{}{}", &source[..end], &source[start..])
        }
        Mutation::Swap(a, b) => {
            let mut lines: Vec<&str> = source.split_inclusive('\n').collect();
            if !lines.is_empty() {
                let (a, b) = (a % lines.len(), b % lines.len());
                lines.swap(a, b);
            }
            lines.concat()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        check(&source);
    }

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..120)) {
        check(&tokens.concat());
    }

    #[test]
    fn mutated_corpus_files_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut source = seeds[seed.index(seeds.len())].clone();
        for m in &mutations {
            source = apply(&source, m);
        }
        check(&source);
    }
}

#[test]
fn every_seed_passes_the_checks_unmutated() {
    for seed in seeds() {
        check(seed);
    }
    assert!(
        seeds().len() > 200,
        "expected the corpus and the shared schemas"
    );
}

#[test]
fn pathological_inputs_stay_fast_and_safe() {
    // Many unclosed blocks (each would scan to the end in a naive parser).
    let unclosed = "model A {\n  id Int\n".repeat(5_000);
    check(&unclosed);
    // Deep nesting in arguments and arrays.
    let nested = format!(
        "model A {{\n  id Int @default({}1{})\n}}\n",
        "f(".repeat(2_000),
        ")".repeat(2_000)
    );
    check(&nested);
    let arrays = format!(
        "datasource db {{\n  provider = {}\"x\"{}\n}}\n",
        "[".repeat(2_000),
        "]".repeat(2_000)
    );
    check(&arrays);
    // A very long line and a very long identifier.
    check(&format!(
        "model {} {{\n  id Int @id\n}}\n",
        "A".repeat(100_000)
    ));
}
