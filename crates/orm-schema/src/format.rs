//! Canonical formatting, as `prisma format` does it.
//!
//! ```
//! let source = "model User {\n    id Int @default(autoincrement()) @id\n    email String @unique\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n}\n";
//! assert_eq!(
//!     orm_schema::format(source).unwrap(),
//!     "model User {
//!   id    Int    @id @default(autoincrement())
//!   email String @unique
//!   posts Post[]
//! }
//!
//! model Post {
//!   id     Int   @id
//!   user   User? @relation(fields: [userId], references: [id])
//!   userId Int?
//! }
//! "
//! );
//! ```
//!
//! What the formatter does, byte for byte as Prisma's (checked against Prisma's own formatter
//! test files, see `tests/format.rs`):
//!
//! - **Layout.** Blocks are indented by two spaces and separated by one blank line. Within a
//!   block, field names, types and attributes are aligned in columns (`key = value` pairs in
//!   `datasource` and `generator` blocks); a blank line in the source starts a new alignment
//!   group; blank lines at the start and end of a block are removed, and runs of blank lines
//!   become one.
//! - **Attributes.** Field attributes are ordered `@id @unique @default @updatedAt @index
//!   @fulltext @map @relation @ignore`, then the others (`@db.*`) as written. Block attributes
//!   (`@@…`) move after the fields, one blank line below them, in the same order (`@@id`,
//!   `@@unique`, `@@index`, `@@fulltext`, `@@map`, then the others); the comment lines right
//!   above a block attribute move with it. Spacing inside arguments is normalised and trailing
//!   commas dropped; string and number literals stay exactly as written.
//! - **Comments.** `//` and `///` comments stay where they are, trailing comments stay on
//!   their line (outside the alignment). `/* … */` comments on their own lines take Prisma's
//!   canonical form (`/**`, ` * line`, ` */`).
//! - **Relations.** Relations written on one side only are completed (see below).
//! - The output ends with one line ending, `\n`.
//!
//! Formatting is idempotent: formatting formatted text returns it unchanged. It never changes
//! the meaning of a valid schema (the parsed [`Schema`](crate::Schema) stays the same).
//!
//! # Relation completion
//!
//! Like `prisma format`, the formatter adds what a relation written on one side needs, when
//! the schema's names, types and attributes resolve without error:
//!
//! - the missing back-relation field (`posts Post[]`, or `post Post?` for 1-1), named after
//!   the other model in camelCase, plural for lists;
//! - a missing forward relation field with its `@relation(fields: […], references: […])`;
//! - the missing `@relation`, or its missing `fields:`/`references:` arguments;
//! - the foreign-key fields that `fields:` names (`userId Int?`), typed like the referenced
//!   key, with its native type (`@db.SmallInt`).
//!
//! # Errors and what is kept
//!
//! Only a schema that parses is formatted: text with syntax errors is reported as the
//! parser's diagnostics and nothing is rewritten. Validation errors (unknown types, missing
//! ids, …) do not stop formatting. The rest of a block's opening line (`model A { // note`)
//! is kept as written; Prisma drops it.
//!
//! Deliberate differences from Prisma: several attributes on one enum value are separated by
//! a space (Prisma writes them without one).

mod complete;
mod inflect;
mod render;
mod table;

use crate::ast::SchemaAst;
use crate::diagnostics::Diagnostics;
use crate::span::FileId;

/// Formats a schema file.
///
/// # Errors
///
/// Returns the parser's diagnostics when the text has syntax errors; nothing is formatted then.
pub fn format(source: &str) -> Result<String, Diagnostics> {
    let mut files = format_files(&[source])?;
    Ok(files.pop().unwrap_or_default())
}

/// Formats the files of a schema split over several files (Prisma's multi-file schemas),
/// together: a relation completed in one file may add a field to a model in another.
///
/// File `i` of `sources` is parsed as [`FileId`]`(i)`; the result has one formatted text per
/// input, in the same order.
///
/// # Errors
///
/// Returns the parser's diagnostics (each span naming its file) when any file has syntax
/// errors; nothing is formatted then.
pub fn format_files(sources: &[&str]) -> Result<Vec<String>, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let asts: Vec<SchemaAst> = sources
        .iter()
        .enumerate()
        .map(|(i, source)| crate::ast::parse(source, file_id(i), &mut diagnostics))
        .collect();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let insertions = complete::insertions(&asts, sources);
    let formatted = sources
        .iter()
        .zip(&asts)
        .enumerate()
        .map(|(i, (source, ast))| {
            let file = file_id(i);
            let mine: Vec<&complete::Insertion> =
                insertions.iter().filter(|ins| ins.file == file).collect();
            if mine.is_empty() {
                return render::file(source, ast);
            }
            let completed = insert(source, &mine);
            let mut scratch = Diagnostics::new();
            let completed_ast = crate::ast::parse(&completed, file, &mut scratch);
            if scratch.has_errors() {
                // Completion only inserts well-formed lines; should that ever not hold, the
                // file is still formatted, without the additions.
                render::file(source, ast)
            } else {
                render::file(&completed, &completed_ast)
            }
        })
        .collect();
    Ok(formatted)
}

fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// `source` with the insertions (sorted by offset) applied.
fn insert(source: &str, insertions: &[&complete::Insertion]) -> String {
    let mut out = String::with_capacity(source.len() + insertions.len() * 48);
    let mut copied = 0;
    for insertion in insertions {
        let at = insertion.at.clamp(copied, source.len());
        let Some(chunk) = source.get(copied..at) else {
            continue;
        };
        out.push_str(chunk);
        out.push_str(&insertion.text);
        copied = at;
    }
    out.push_str(source.get(copied..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(source: &str) -> String {
        let formatted = format(source).unwrap();
        assert_eq!(format(&formatted).unwrap(), formatted, "not idempotent");
        formatted
    }

    #[test]
    fn aligns_fields_and_orders_attributes() {
        assert_eq!(
            fmt(
                "model A {\n id Int @default(1) @id\n  longer_name String? @map(\"x\") @unique\n}\n"
            ),
            "model A {\n  id          Int     @id @default(1)\n  longer_name String? @unique @map(\"x\")\n}\n"
        );
    }

    #[test]
    fn blank_lines_split_alignment_groups_and_collapse() {
        assert_eq!(
            fmt(
                "model A {\n\n  a Int @id\n\n\n  bbbbbb String\n  c Int\n\n}\n\n\n\nenum E {\n  X\n}"
            ),
            "model A {\n  a Int @id\n\n  bbbbbb String\n  c      Int\n}\n\nenum E {\n  X\n}\n"
        );
    }

    #[test]
    fn block_attributes_go_last_with_their_comments() {
        assert_eq!(
            fmt(
                "model A {\n  a Int\n  // why\n  @@map(\"a\") // trailing\n  b Int\n  @@id([a, b])\n}\n"
            ),
            "model A {\n  a Int\n  b Int\n\n  @@id([a, b])\n  // why\n  @@map(\"a\") // trailing\n}\n"
        );
    }

    #[test]
    fn comments_stay_in_place() {
        let source = "// head\n\n/// A user.\nmodel User { // open\n  /// The id.\n  id Int @id /// trailing doc\n  //x\n\n  name String // n\n}\n// tail\n";
        assert_eq!(
            fmt(source),
            "// head\n\n/// A user.\nmodel User { // open\n  /// The id.\n  id Int @id /// trailing doc\n  //x\n\n  name String // n\n}\n\n// tail\n"
        );
    }

    #[test]
    fn literals_are_kept_as_written_and_spacing_normalised() {
        assert_eq!(
            fmt(
                "model A {\n  id String @id @default( \"a\\u0041\\\"\" )\n  n Float @default(-1.50)\n  @@index([ id(sort: Desc) , n ], map: \"i\",)\n}\n"
            ),
            "model A {\n  id String @id @default(\"a\\u0041\\\"\")\n  n  Float  @default(-1.50)\n\n  @@index([id(sort: Desc), n], map: \"i\")\n}\n"
        );
    }

    #[test]
    fn config_blocks_align_key_value_pairs() {
        assert_eq!(
            fmt(
                "datasource db {\n provider = \"postgresql\"\n   url = env(\"DATABASE_URL\") // here\n}\n"
            ),
            "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\") // here\n}\n"
        );
    }

    #[test]
    fn syntax_errors_are_reported_not_formatted() {
        let errors = format("model A {\n  id Int @id\n  garbage !!\n}\n").unwrap_err();
        assert_eq!(errors.error_count(), 1);
        assert!(
            errors
                .render("model A {\n  id Int @id\n  garbage !!\n}\n", "s.prisma")
                .starts_with("s.prisma:3:3: error:")
        );
    }

    #[test]
    fn validation_errors_do_not_stop_formatting() {
        assert_eq!(
            fmt("model A {\n  id Intt @id\n}\n"),
            "model A {\n  id Intt @id\n}\n"
        );
    }

    #[test]
    fn completes_a_relation_across_files() {
        let user = "model User {\n  id Int @id\n  posts Post[]\n}\n";
        let post = "model Post {\n  id Int @id\n}\n";
        let out = format_files(&[user, post]).unwrap();
        assert_eq!(
            out[0],
            "model User {\n  id    Int    @id\n  posts Post[]\n}\n"
        );
        assert_eq!(
            out[1],
            "model Post {\n  id     Int   @id\n  user   User? @relation(fields: [userId], references: [id])\n  userId Int?\n}\n"
        );
    }

    #[test]
    fn completes_missing_relation_arguments() {
        assert_eq!(
            fmt(
                "model User {\n  id Int @id\n  posts Post[] @relation(\"a\")\n}\nmodel Post {\n  id Int @id\n  author User @relation(\"a\")\n}\n"
            ),
            "model User {\n  id    Int    @id\n  posts Post[] @relation(\"a\")\n}\n\nmodel Post {\n  id     Int  @id\n  author User @relation(\"a\", fields: [userId], references: [id])\n  userId Int\n}\n"
        );
    }

    #[test]
    fn relations_are_not_completed_when_names_do_not_resolve() {
        let source = "model User {\n  id Int @id\n  posts Post[]\n  x Unknown\n}\n\nmodel Post {\n  id Int @id\n}\n";
        assert_eq!(
            fmt(source),
            "model User {\n  id    Int     @id\n  posts Post[]\n  x     Unknown\n}\n\nmodel Post {\n  id Int @id\n}\n"
        );
    }

    #[test]
    fn empty_input_becomes_one_line_ending() {
        assert_eq!(fmt(""), "\n");
        assert_eq!(fmt("\n\n  \n"), "\n");
    }

    #[test]
    fn insert_applies_in_order() {
        let a = complete::Insertion {
            file: FileId::ZERO,
            at: 1,
            text: "x".into(),
        };
        let b = complete::Insertion {
            file: FileId::ZERO,
            at: 1,
            text: "y".into(),
        };
        let c = complete::Insertion {
            file: FileId::ZERO,
            at: 3,
            text: "z".into(),
        };
        assert_eq!(insert("abc", &[&a, &b, &c]), "axybcz");
    }
}
