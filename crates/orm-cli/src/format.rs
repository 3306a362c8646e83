//! `orm format [--schema PATH] [--check]`: rewrites the schema in canonical form, as `prisma
//! format` does (see [`orm_schema::format`](mod@orm_schema::format)).
//!
//! Like `prisma format`, the formatted schema must validate before anything is written: a
//! schema with syntax errors, or one that is still invalid once formatted (and its relations
//! completed), is reported and left untouched. The file is written only when its text
//! changes.
//!
//! Exit codes: 0 formatted (or already formatted), 1 invalid schema or, with `--check`, a file
//! that formatting would change (its path is printed), 2 usage errors (no schema file, an
//! unreadable or unwritable file).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::validate::{Exit, SchemaArgs, Terminal, read_or_report};

/// `orm format` arguments.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FormatArgs {
    /// Where the schema is.
    #[command(flatten)]
    pub schema: SchemaArgs,
    /// Do not write; exit with 1 and print the file's path when it is not formatted
    #[arg(long)]
    pub check: bool,
}

/// `orm format`: formats the schema found from `cwd`.
pub fn format(args: &FormatArgs, cwd: &Path, term: &mut Terminal<'_>) -> Exit {
    let file = match read_or_report(&args.schema, cwd, term) {
        Ok(file) => file,
        Err(exit) => return exit,
    };
    let path = file.display();
    let formatted = match orm_schema::format(&file.source) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            let _ = write!(
                term.err,
                "{}",
                diagnostics.render_with(&file.source, &path, term.render_options())
            );
            let _ = writeln!(term.err, "not formatted: the schema has syntax errors");
            return Exit::Failure;
        }
    };
    if let Err(diagnostics) = orm_schema::validate(&formatted, &path) {
        // Report against the file as it is on disk, so positions match what the user sees;
        // only when the file itself validates (formatting broke it) show the formatted text's.
        let rendered = match orm_schema::validate(&file.source, &path) {
            Err(original) => original.render_with(&file.source, &path, term.render_options()),
            Ok(_) => diagnostics.render_with(
                &formatted,
                &format!("{path} (formatted)"),
                term.render_options(),
            ),
        };
        let _ = write!(term.err, "{rendered}");
        let _ = writeln!(term.err, "not formatted: the schema is invalid");
        return Exit::Failure;
    }
    if formatted == file.source {
        if !args.check {
            let _ = writeln!(term.out, "{path} is already formatted.");
        }
        return Exit::Success;
    }
    if args.check {
        let _ = writeln!(term.out, "{path}");
        let _ = writeln!(
            term.err,
            "the schema is not formatted; run `orm format` to format it"
        );
        return Exit::Failure;
    }
    if let Err(e) = std::fs::write(cwd.join(&file.path), &formatted) {
        let _ = writeln!(term.err, "error: cannot write `{path}`: {e}");
        return Exit::Usage;
    }
    let _ = writeln!(term.out, "Formatted {path}.");
    Exit::Success
}

/// `orm format` from the process's current directory and standard streams.
pub fn run(args: &FormatArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Terminal::with_std(|term| format(args, &cwd, term))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSY: &str = "model A {\n    id Int @id\n  name String\n}\n";
    const TIDY: &str = "model A {\n  id   Int    @id\n  name String\n}\n";

    fn run_in(dir: &Path, args: &FormatArgs) -> (Exit, String, String) {
        crate::validate::capture(|term| format(args, dir, term))
    }

    fn schema_in(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("schema.prisma"), text).expect("write");
        dir
    }

    fn on_disk(dir: &tempfile::TempDir) -> String {
        std::fs::read_to_string(dir.path().join("schema.prisma")).expect("read")
    }

    #[test]
    fn rewrites_then_reports_already_formatted() {
        let dir = schema_in(MESSY);
        let (exit, out, _) = run_in(dir.path(), &FormatArgs::default());
        assert_eq!(
            (exit, out.as_str()),
            (Exit::Success, "Formatted schema.prisma.\n")
        );
        assert_eq!(on_disk(&dir), TIDY);
        let (exit, out, _) = run_in(dir.path(), &FormatArgs::default());
        assert_eq!(
            (exit, out.as_str()),
            (Exit::Success, "schema.prisma is already formatted.\n")
        );
    }

    #[test]
    fn check_lists_the_file_and_does_not_write() {
        let dir = schema_in(MESSY);
        let check = FormatArgs {
            check: true,
            ..FormatArgs::default()
        };
        let (exit, out, _) = run_in(dir.path(), &check);
        assert_eq!((exit, out.as_str()), (Exit::Failure, "schema.prisma\n"));
        assert_eq!(on_disk(&dir), MESSY);

        let dir = schema_in(TIDY);
        let (exit, out, err) = run_in(dir.path(), &check);
        assert_eq!((exit, out.as_str(), err.as_str()), (Exit::Success, "", ""));
    }

    #[test]
    fn syntax_errors_are_reported_and_the_file_kept() {
        let broken = "model A {\n  id Int @id\n  what is this\n}\n";
        let dir = schema_in(broken);
        let (exit, _, err) = run_in(dir.path(), &FormatArgs::default());
        assert_eq!(exit, Exit::Failure);
        assert!(err.starts_with("schema.prisma:3:3: error:"), "{err}");
        assert_eq!(on_disk(&dir), broken);
    }

    #[test]
    fn invalid_schemas_are_reported_against_the_file_on_disk() {
        let invalid = "model A {\n    id Int @id\n  b Bogus\n}\n";
        let dir = schema_in(invalid);
        let (exit, _, err) = run_in(dir.path(), &FormatArgs::default());
        assert_eq!(exit, Exit::Failure);
        assert!(err.starts_with("schema.prisma:3:5: error:"), "{err}");
        assert!(
            err.ends_with("not formatted: the schema is invalid\n"),
            "{err}"
        );
        assert_eq!(on_disk(&dir), invalid);
    }

    #[test]
    fn completes_relations_before_validating() {
        let dir = schema_in(
            "model User {\n  id Int @id\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id\n}\n",
        );
        let (exit, _, err) = run_in(dir.path(), &FormatArgs::default());
        assert_eq!(exit, Exit::Success, "{err}");
        assert!(on_disk(&dir).contains(
            "  user   User? @relation(fields: [userId], references: [id])\n  userId Int?\n"
        ));
    }
}
