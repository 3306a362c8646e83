//! `compile-cost DIR N...`: for each N, writes `DIR/schema_N.prisma` (N models, see
//! [`schema`]), then measures what `prisma_schema!` does with it at compile time and prints
//! one tab-separated line:
//!
//! `models  validate_ms  generate_ms  tokens  token_bytes  pretty_bytes  pretty_lines`
//!
//! - `validate_ms`: `orm_schema::validate` (parse, validate, resolve), the median of the runs;
//! - `generate_ms`: `orm_codegen::generate` plus turning the token stream into the text the
//!   compiler receives (`to_string`), the median of the runs;
//! - `tokens`: leaf tokens (identifiers, punctuation, literals) of the expansion;
//! - `token_bytes`: bytes of the token stream's `to_string()`;
//! - `pretty_bytes`, `pretty_lines`: the expansion pretty-printed with prettyplease, as a user
//!   would read it (`cargo expand`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proc_macro2::{TokenStream, TokenTree};

/// A schema of `n` models (`n` ≥ 1) that looks like an application's: every scalar type,
/// optional fields, defaults, a unique field, an index, an enum per five models, and a
/// relation from each model to the previous one (1-n, with its back-relation), plus a
/// self-relation on every tenth.
fn schema(n: usize) -> String {
    let mut out = String::from(
        "datasource db {\n  provider = \"postgresql\"\n}\n\ngenerator client {\n  provider = \"prisma-client\"\n}\n",
    );
    for e in 0..n.div_ceil(5) {
        out.push_str(&format!(
            "\nenum Status{e} {{\n  ACTIVE\n  PENDING\n  ARCHIVED\n}}\n"
        ));
    }
    for i in 0..n {
        out.push_str(&format!("\n/// Model number {i}.\nmodel Model{i} {{\n"));
        out.push_str("  id        Int       @id @default(autoincrement())\n");
        out.push_str("  uid       String    @unique @default(cuid())\n");
        out.push_str("  name      String\n");
        out.push_str("  note      String?\n");
        out.push_str("  rank      Int       @default(0)\n");
        out.push_str("  big       BigInt?\n");
        out.push_str("  score     Float?\n");
        out.push_str("  price     Decimal?\n");
        out.push_str("  active    Boolean   @default(true)\n");
        out.push_str("  data      Json?\n");
        out.push_str("  blob      Bytes?\n");
        out.push_str(&format!("  status    Status{}   @default(ACTIVE)\n", i / 5));
        out.push_str("  tags      String[]\n");
        out.push_str("  createdAt DateTime  @default(now())\n");
        out.push_str("  updatedAt DateTime  @updatedAt\n");
        if i > 0 {
            let p = i - 1;
            out.push_str(&format!("  prevId    Int?\n  prev      Model{p}? @relation(fields: [prevId], references: [id])\n"));
        }
        if i + 1 < n {
            out.push_str(&format!("  nexts     Model{}[]\n", i + 1));
        }
        if i % 10 == 0 {
            out.push_str(&format!(
                "  parentId  Int?\n  parent    Model{i}?  @relation(\"Tree{i}\", fields: [parentId], references: [id])\n  children  Model{i}[] @relation(\"Tree{i}\")\n"
            ));
        }
        out.push_str("\n  @@index([createdAt])\n}\n");
    }
    out
}

fn leaves(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => 2 + leaves(g.stream()),
            _ => 1,
        })
        .sum()
}

fn median(mut runs: Vec<Duration>) -> f64 {
    runs.sort();
    runs[runs.len() / 2].as_secs_f64() * 1000.0
}

fn measure(path: &Path, n: usize) -> Result<String, String> {
    let text = schema(n);
    std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    let absolute = path.to_str().ok_or("path is not UTF-8")?.to_owned();
    let options = orm_codegen::Options {
        source: orm_codegen::Source::File(absolute),
        module: Some(syn::parse_quote!(crate)),
    };
    let runs = if n >= 300 { 5 } else { 9 };
    let (mut validate, mut generate) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let validated = orm_schema::validate(&text, "schema.prisma").map_err(|d| {
            format!(
                "the generated schema does not validate: {:?}",
                d.errors().next()
            )
        })?;
        validate.push(start.elapsed());
        let start = Instant::now();
        let tokens = orm_codegen::generate(&validated.schema, &options);
        let string = tokens.to_string();
        generate.push(start.elapsed());
        last = Some((tokens, string));
    }
    let (tokens, string) = last.ok_or("no run")?;
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| format!("reparse: {e}"))?;
    let pretty = prettyplease::unparse(&file);
    Ok(format!(
        "{n}\t{:.2}\t{:.2}\t{}\t{}\t{}\t{}",
        median(validate),
        median(generate),
        leaves(tokens),
        string.len(),
        pretty.len(),
        pretty.lines().count(),
    ))
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: compile-cost DIR N...")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for n in args {
        let n: usize = n.parse().map_err(|e| format!("{n}: {e}"))?;
        if n == 0 {
            return Err("a schema needs at least one model".into());
        }
        println!("{}", measure(&dir.join(format!("schema_{n}.prisma")), n)?);
    }
    Ok(())
}
