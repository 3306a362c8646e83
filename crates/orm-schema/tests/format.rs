//! The formatter against Prisma's own formatter test files (`../shared/psl-corpus/reformat*`),
//! against this repository's cases (`tests/format/x.prisma` next to `x.formatted.prisma`;
//! `UPDATE_EXPECT=1` re-blesses them), and two properties: formatting is idempotent, and it
//! never changes the meaning (the resolved IR) of a valid schema.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

/// Corpus cases this project refuses to format, each with the reason. Every one of them has
/// syntax errors, which `orm_schema::format` reports instead of formatting ("format only what
/// parses"); Prisma's formatter lays such text out anyway, but `prisma format` then refuses to
/// write it because the result does not validate. The test checks that they are refused.
const REFUSED: [(&str, &str); 4] = [
    (
        "block_attribute_comments_are_canonised",
        "composite `type` blocks (MongoDB only) with block attributes, which the parser rejects",
    ),
    (
        "catch_all_in_a_block_must_not_influence_table_layout",
        "a line that is not a field (`this is an invalid line`)",
    ),
    (
        "optional_list_fields",
        "optional lists `Type[]?`, a syntax error in Prisma's parser too",
    ),
    (
        "type_aliases",
        "a type alias `type X = …` (MongoDB only), a syntax error in Prisma's parser too",
    ),
];

fn prisma_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            prisma_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "prisma") {
            out.push(path);
        }
    }
}

/// Formats `input` and checks the result is `expected`, and that `expected` is a fixed point.
fn check_pair(input: &str, expected: &str) -> Result<(), String> {
    let formatted = orm_schema::format(input)
        .map_err(|d| format!("refused:\n{}", d.render(input, "input.prisma")))?;
    if formatted != expected {
        return Err(format!(
            "input formats differently:\n--- expected\n{expected}--- got\n{formatted}"
        ));
    }
    let again = orm_schema::format(expected)
        .map_err(|d| format!("expected output refused:\n{}", d.render(expected, "x")))?;
    if again != expected {
        return Err(format!(
            "expected output is not a fixed point:\n--- got\n{again}"
        ));
    }
    Ok(())
}

#[test]
fn prisma_reformat_corpus() {
    let dir = common::shared_dir().join("psl-corpus/reformat");
    let mut files = Vec::new();
    prisma_files(&dir, &mut files);
    let inputs: Vec<&PathBuf> = files
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".reformatted.prisma"))
        .collect();
    assert_eq!(inputs.len(), 14, "the corpus holds 14 reformat pairs");

    let (mut agreed, mut refused, mut failures) = (0, 0, String::new());
    for input_path in &inputs {
        let name = input_path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let input = common::read(input_path);
        let expected = common::read(&input_path.with_extension("reformatted.prisma"));
        if let Some((_, reason)) = REFUSED.iter().find(|(n, _)| *n == name) {
            match (orm_schema::format(&input), orm_schema::format(&expected)) {
                (Err(_), Err(_)) => {
                    refused += 1;
                    println!("refused (syntax errors) {name}: {reason}");
                }
                _ => {
                    let _ = writeln!(failures, "{name}: expected a refusal ({reason})");
                }
            }
            continue;
        }
        match check_pair(&input, &expected) {
            Ok(()) => agreed += 1,
            Err(e) => {
                let _ = writeln!(failures, "{name}: {e}");
            }
        }
    }
    println!(
        "Prisma reformat corpus: identical to Prisma {agreed}/{}, refused for syntax errors {refused}/{}",
        inputs.len(),
        inputs.len()
    );
    assert!(failures.is_empty(), "{failures}");
    assert_eq!(agreed + refused, inputs.len());
}

#[test]
fn prisma_reformat_multi_file_corpus() {
    let dir = common::shared_dir().join("psl-corpus/reformat_multi_file");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list reformat_multi_file")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir() && !p.to_string_lossy().ends_with(".reformatted"))
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 4, "the corpus holds 4 multi-file cases");

    let (mut agreed, mut files_agreed, mut files_total, mut failures) = (0, 0, 0, String::new());
    for case in &cases {
        let mut paths = Vec::new();
        prisma_files(case, &mut paths);
        let inputs: Vec<String> = paths.iter().map(|p| common::read(p)).collect();
        let expected_dir = case.with_extension("reformatted");
        let expected: Vec<String> = paths
            .iter()
            .map(|p| common::read(&expected_dir.join(p.file_name().expect("file name"))))
            .collect();
        let sources: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let formatted = orm_schema::format_files(&sources).expect("the case parses");
        let expected_sources: Vec<&str> = expected.iter().map(String::as_str).collect();
        let again = orm_schema::format_files(&expected_sources).expect("the expected parses");
        let mut all = true;
        for (i, path) in paths.iter().enumerate() {
            files_total += 1;
            if formatted[i] == expected[i] && again[i] == expected[i] {
                files_agreed += 1;
            } else {
                all = false;
                let _ = writeln!(
                    failures,
                    "{}:\n--- expected\n{}--- got\n{}--- expected formatted again\n{}",
                    path.display(),
                    expected[i],
                    formatted[i],
                    again[i]
                );
            }
        }
        if all {
            agreed += 1;
        }
    }
    println!(
        "Prisma multi-file reformat corpus: cases identical {agreed}/{}, files identical {files_agreed}/{files_total}",
        cases.len()
    );
    assert!(failures.is_empty(), "{failures}");
}

/// `tests/format/x.prisma` formats to `tests/format/x.formatted.prisma`.
#[test]
fn repository_format_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format");
    let mut files = Vec::new();
    prisma_files(&dir, &mut files);
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut count = 0;
    let mut failures = String::new();
    for input_path in files
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".formatted.prisma"))
    {
        count += 1;
        let input = common::read(input_path);
        let expected_path = input_path.with_extension("formatted.prisma");
        if update {
            let formatted = orm_schema::format(&input).unwrap_or_else(|d| {
                panic!(
                    "{} does not parse:\n{}",
                    input_path.display(),
                    d.render(&input, "x")
                )
            });
            std::fs::write(&expected_path, formatted).expect("write the expected output");
        }
        let expected = common::read(&expected_path);
        if let Err(e) = check_pair(&input, &expected) {
            let _ = writeln!(failures, "{}: {e}", input_path.display());
        }
    }
    assert!(count >= 5, "the repository's format cases are missing");
    assert!(failures.is_empty(), "{failures}");
}

/// The seed schema and the repository's example are already in canonical form.
#[test]
fn shared_schemas_are_formatted() {
    for path in [
        common::shared_dir().join("prisma-golden/seed/schema.prisma"),
        common::repo_root().join("examples/prisma/schema.prisma"),
    ] {
        let source = common::read(&path);
        assert_eq!(
            orm_schema::format(&source).expect("parses"),
            source,
            "{}",
            path.display()
        );
    }
}

// ------------------------------------------------------------------ properties

/// The debug form of a schema with every span blanked out, so that two schemas can be
/// compared for meaning whatever the layout of their source.
fn without_spans(schema: &orm_schema::Schema) -> String {
    let text = format!("{schema:#?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("Span {") {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        rest = &rest[at..];
        let close = rest.find('}').map_or(rest.len(), |i| i + 1);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Blanks between tokens: none, one space, several, a tab.
fn gap() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(" "), Just("   "), Just("\t"), Just(" \t ")]
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(String::new()),
        "[a-z ]{0,12}".prop_map(|t| format!(" //{t}")),
        "[a-z ]{0,12}".prop_map(|t| format!(" ///{t}")),
    ]
}

/// Lines above an item: nothing, blank lines, comment lines.
fn lines_above() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\n".to_owned()),
        Just("\n\n\n".to_owned()),
        "[a-z ]{0,12}".prop_map(|t| format!("  // {t}\n")),
        "[a-z ]{0,12}".prop_map(|t| format!("\n/// {t}\n")),
    ]
}

#[derive(Debug, Clone)]
struct ScalarField {
    name: String,
    ty: &'static str,
    optional: bool,
    unique: bool,
    map: bool,
    default: bool,
    attribute_order_reversed: bool,
}

fn scalar_field(index: usize) -> impl Strategy<Value = ScalarField> {
    (
        prop_oneof![
            Just("String"),
            Just("Int"),
            Just("Boolean"),
            Just("Float"),
            Just("DateTime"),
            Just("BigInt"),
        ],
        any::<[bool; 5]>(),
    )
        .prop_map(
            move |(ty, [optional, unique, map, default, reversed])| ScalarField {
                name: format!("field{index}"),
                ty,
                optional,
                unique,
                map,
                default,
                attribute_order_reversed: reversed,
            },
        )
}

impl ScalarField {
    fn attributes(&self) -> Vec<String> {
        let mut attributes = Vec::new();
        if self.unique {
            attributes.push("@unique".to_owned());
        }
        if self.map {
            attributes.push(format!("@map(\"{}_col\")", self.name));
        }
        if self.default {
            attributes.push(
                match self.ty {
                    "String" => "@default(\"a \\\"b\\\"\")",
                    "Int" | "BigInt" => "@default(-3)",
                    "Boolean" => "@default(true)",
                    "Float" => "@default(1.5)",
                    _ => "@default(now())",
                }
                .to_owned(),
            );
        }
        if self.attribute_order_reversed {
            attributes.reverse();
        }
        attributes
    }
}

/// A schema text with a parent and child model (a 1-n relation written on both sides), an
/// enum, a datasource, and random fields, attributes, comments, blank lines and spacing.
fn schema_text() -> impl Strategy<Value = String> {
    schema_text_with(Just(false))
}

/// Like [`schema_text`]; when `drop_back_relation` gives `true`, the parent's back-relation
/// field `children Child[]` is left out (an invalid schema that formatting completes).
fn schema_text_with(
    drop_back_relation: impl Strategy<Value = bool>,
) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(scalar_field(0), 0..5),
        prop::collection::vec((gap(), comment(), lines_above()), 12),
        any::<[bool; 4]>(),
        prop::sample::select(vec!["postgresql", "sqlite"]),
        drop_back_relation,
    )
        .prop_map(|(mut fields, style, [index_first, map_model, enum_on, tail], provider, drop)| {
            for (i, field) in fields.iter_mut().enumerate() {
                field.name = format!("field{i}");
            }
            let mut style = style.into_iter().cycle();
            let mut next = || style.next().expect("cycle");
            let mut s = String::new();
            let (g, c, above) = next();
            let _ = write!(
                s,
                "{above}datasource db {{\n{g}provider{g}={g}\"{provider}\"{c}\n}}\n"
            );
            if enum_on {
                let (g, c, above) = next();
                let _ = write!(
                    s,
                    "{above}enum Role {{\n{g}USER{c}\n  ADMIN{g}@map(\"admin\")\n}}\n"
                );
            }
            let (g, c, above) = next();
            let _ = write!(s, "{above}model Parent {{\n{g}id{g}Int{g}@default(autoincrement()){g}@id{c}\n");
            if index_first {
                let _ = writeln!(s, "{g}@@index([id]){c}");
            }
            for field in &fields {
                let (g, c, above) = next();
                let arity = if field.optional { "?" } else { "" };
                let _ = writeln!(
                    s,
                    "{above}{g}{}{g}{}{arity}{g}{}{c}",
                    field.name,
                    field.ty,
                    field.attributes().join(g)
                );
            }
            if enum_on {
                let _ = writeln!(s, "  role Role @default(USER)");
            }
            let (g, c, above) = next();
            if !drop {
                let _ = writeln!(s, "{above}{g}children{g}Child[]{c}");
            }
            if map_model {
                let _ = writeln!(s, "  @@map(\"parents\")");
            }
            if tail {
                let _ = writeln!(s, "  note String?");
            }
            s.push_str("}\n");
            let (g, c, above) = next();
            let _ = write!(
                s,
                "{above}model Child {{\n  id Int @id\n{g}parentId Int{c}\n  parent{g}Parent{g}@relation(fields:[parentId],references:[id],onDelete:Cascade)\n  @@unique([parentId, id])\n}}\n"
            );
            s
        })
}

/// Schema-looking text: keywords, names, attributes, comments, braces and line endings in
/// any order, so most of it does not parse.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("model"),
        Just("enum"),
        Just("datasource"),
        Just("view"),
        Just("type"),
        Just("A"),
        Just("b"),
        Just("Int"),
        Just("String?"),
        Just("B[]"),
        Just("@id"),
        Just("@default(now())"),
        Just("@relation(fields: [b], references: [id])"),
        Just("@@index([b])"),
        Just("= \"x\""),
        Just("// c"),
        Just("/// d"),
        Just("/* e */"),
        Just("{"),
        Just("}"),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\n"),
        Just("\r\n"),
    ];
    prop::collection::vec(token, 0..60).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn formatting_is_idempotent_and_keeps_the_ir(source in schema_text()) {
        let formatted = orm_schema::format(&source)
            .map_err(|d| TestCaseError::fail(d.render(&source, "s")))?;
        prop_assert_eq!(&orm_schema::format(&formatted).expect("formatted text parses"), &formatted);
        let before = orm_schema::parse_and_validate(&source, "s")
            .map_err(|d| TestCaseError::fail(d.render(&source, "s")))?;
        let after = orm_schema::parse_and_validate(&formatted, "s")
            .map_err(|d| TestCaseError::fail(d.render(&formatted, "s")))?;
        prop_assert_eq!(without_spans(&before), without_spans(&after));
    }

    #[test]
    fn formatting_completes_a_dropped_back_relation(source in schema_text_with(Just(true))) {
        prop_assert!(orm_schema::validate(&source, "s").is_err(), "the back-relation is missing");
        let formatted = orm_schema::format(&source)
            .map_err(|d| TestCaseError::fail(d.render(&source, "s")))?;
        let schema = orm_schema::parse_and_validate(&formatted, "s")
            .map_err(|d| TestCaseError::fail(d.render(&formatted, "s")))?;
        let parent = schema.model_by_name("Parent").expect("Parent");
        prop_assert!(parent.fields.last().is_some_and(|f| f.name == "children" && f.as_relation().is_some()));
        prop_assert_eq!(&orm_schema::format(&formatted).expect("parses"), &formatted);
    }

    #[test]
    fn any_text_that_formats_formats_idempotently(source in token_soup()) {
        if let Ok(formatted) = orm_schema::format(&source) {
            let again = orm_schema::format(&formatted);
            prop_assert_eq!(again.as_ref().ok(), Some(&formatted), "source: {:?}", source);
        }
    }
}
