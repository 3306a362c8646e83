//! `orm validate [--schema PATH]`: checks a schema as `prisma validate` does.
//!
//! Exit codes: 0 valid (warnings are printed to stderr), 1 invalid (the rendered diagnostics
//! on stderr: `path:line:col: error: …`, the source line and a caret), 2 usage errors (no
//! schema file where one was expected, an unreadable file).
//!
//! Also home of what `validate` and `format` share: finding and reading the schema file and
//! the exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use orm_schema::RenderOptions;

/// Where the schema comes from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SchemaArgs {
    /// The Prisma schema [default: prisma/schema.prisma, then schema.prisma]
    #[arg(long, value_name = "PATH")]
    pub schema: Option<PathBuf>,
}

/// How a command ended; the process exit code is its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing to report.
    Success,
    /// 1: the schema is invalid, or (`format --check`) not formatted.
    Failure,
    /// 2: the command could not run as asked (no schema file, unreadable file).
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Usage => ExitCode::from(2),
        }
    }
}

/// Where output goes: standard output, standard error, and whether to colour diagnostics.
pub struct Terminal<'a> {
    /// Results (`… is valid`, formatted file names).
    pub out: &'a mut dyn Write,
    /// Diagnostics and errors.
    pub err: &'a mut dyn Write,
    /// Colour diagnostics (only when stderr is a terminal).
    pub color: bool,
}

impl Terminal<'_> {
    /// Runs `command` with the process's standard streams, colouring diagnostics only when
    /// stderr is a terminal.
    pub fn with_std(command: impl FnOnce(&mut Terminal<'_>) -> Exit) -> ExitCode {
        let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
        let color = std::io::stderr().is_terminal();
        let exit = command(&mut Terminal {
            out: &mut out,
            err: &mut err,
            color,
        });
        let _ = (out.flush(), err.flush());
        exit.into()
    }

    /// Render options for diagnostics on stderr.
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions { color: self.color }
    }
}

/// A schema file read from disk.
pub struct SchemaFile {
    /// The path, as given or as found (relative to the current directory by default).
    pub path: PathBuf,
    /// The text.
    pub source: String,
}

impl SchemaFile {
    /// The path as shown in diagnostics.
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }
}

/// The default schema locations, in the order they are tried.
pub const DEFAULT_SCHEMA_PATHS: [&str; 2] = ["prisma/schema.prisma", "schema.prisma"];

/// Where the schema is: `explicit` (`--schema`) when given, whether or not it exists, else
/// the first of [`DEFAULT_SCHEMA_PATHS`] that is a file under `cwd`, as written there
/// (relative); `None` when there is no `--schema` and no default file. Every command finds
/// its schema through this one function.
pub fn find_schema(explicit: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    match explicit {
        Some(path) => Some(path.to_owned()),
        None => DEFAULT_SCHEMA_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| cwd.join(p).is_file()),
    }
}

/// Finds ([`find_schema`]) and reads the schema. Returns the path as the user would write it
/// (relative for the defaults).
///
/// # Errors
///
/// A message naming the path, or every default path tried, when there is no such file or it
/// cannot be read as UTF-8 text.
pub fn read_schema(args: &SchemaArgs, cwd: &Path) -> Result<SchemaFile, String> {
    let path = match find_schema(args.schema.as_deref(), cwd) {
        Some(path) => {
            if !cwd.join(&path).is_file() {
                return Err(format!("schema file `{}` not found", path.display()));
            }
            path
        }
        None => {
            return Err(format!(
                "no schema found: tried {} in {} (pass --schema PATH)",
                DEFAULT_SCHEMA_PATHS
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                cwd.display()
            ));
        }
    };
    let source = std::fs::read_to_string(cwd.join(&path))
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    Ok(SchemaFile { path, source })
}

/// Reads the schema or reports why not (exit 2).
pub(crate) fn read_or_report(
    args: &SchemaArgs,
    cwd: &Path,
    term: &mut Terminal<'_>,
) -> Result<SchemaFile, Exit> {
    read_schema(args, cwd).map_err(|message| {
        let _ = writeln!(term.err, "error: {message}");
        Exit::Usage
    })
}

/// `orm validate`: validates the schema found from `cwd`.
pub fn validate(args: &SchemaArgs, cwd: &Path, term: &mut Terminal<'_>) -> Exit {
    let file = match read_or_report(args, cwd, term) {
        Ok(file) => file,
        Err(exit) => return exit,
    };
    let path = file.display();
    match orm_schema::validate(&file.source, &path) {
        Ok(validated) => {
            let _ = write!(
                term.err,
                "{}",
                validated
                    .warnings
                    .render_with(&file.source, &path, term.render_options())
            );
            let _ = writeln!(term.out, "The schema at {path} is valid.");
            Exit::Success
        }
        Err(diagnostics) => {
            let _ = write!(
                term.err,
                "{}",
                diagnostics.render_with(&file.source, &path, term.render_options())
            );
            let errors = diagnostics.error_count();
            let _ = writeln!(
                term.err,
                "validation failed: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            Exit::Failure
        }
    }
}

/// `orm validate` from the process's current directory and standard streams.
pub fn run(args: &SchemaArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Terminal::with_std(|term| validate(args, &cwd, term))
}

/// Runs `command` with captured output, without colour: the exit, stdout and stderr.
#[cfg(test)]
pub(crate) fn capture(command: impl FnOnce(&mut Terminal<'_>) -> Exit) -> (Exit, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = command(&mut Terminal {
        out: &mut out,
        err: &mut err,
        color: false,
    });
    (
        exit,
        String::from_utf8(out).expect("utf-8"),
        String::from_utf8(err).expect("utf-8"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_in(dir: &Path, args: &SchemaArgs) -> (Exit, String, String) {
        capture(|term| validate(args, dir, term))
    }

    #[test]
    fn default_path_prefers_the_prisma_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("schema.prisma"),
            "model A {\n  id Int @id\n}\n",
        )
        .expect("write");
        let found = read_schema(&SchemaArgs::default(), dir.path()).expect("found");
        assert_eq!(found.path, PathBuf::from("schema.prisma"));

        std::fs::create_dir(dir.path().join("prisma")).expect("mkdir");
        std::fs::write(
            dir.path().join("prisma/schema.prisma"),
            "model B {\n  id Int @id\n}\n",
        )
        .expect("write");
        let found = read_schema(&SchemaArgs::default(), dir.path()).expect("found");
        assert_eq!(found.path, PathBuf::from("prisma/schema.prisma"));
        assert!(found.source.contains("model B"));
    }

    #[test]
    fn missing_schema_names_the_paths_tried() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (exit, out, err) = run_in(dir.path(), &SchemaArgs::default());
        assert_eq!(exit, Exit::Usage);
        assert!(out.is_empty());
        assert!(
            err.contains("`prisma/schema.prisma` and `schema.prisma`"),
            "{err}"
        );

        let args = SchemaArgs {
            schema: Some(PathBuf::from("nowhere/x.prisma")),
        };
        let (exit, _, err) = run_in(dir.path(), &args);
        assert_eq!(exit, Exit::Usage);
        assert_eq!(err, "error: schema file `nowhere/x.prisma` not found\n");
    }

    #[test]
    fn invalid_schema_renders_diagnostics_without_colour() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("schema.prisma"),
            "model A {\n  id Int @id @uniq\n}\n",
        )
        .expect("write");
        let (exit, out, err) = run_in(dir.path(), &SchemaArgs::default());
        assert_eq!(exit, Exit::Failure);
        assert!(out.is_empty());
        assert_eq!(
            err,
            "schema.prisma:2:14: error: Attribute not known: \"@uniq\".\n  |\n2 |   id Int @id @uniq\n  |              ^^^^^\nvalidation failed: 1 error\n"
        );
    }

    #[test]
    fn valid_schema_prints_warnings_to_stderr() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("schema.prisma"),
            "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n\nmodel A {\n  id Int @id\n}\n",
        )
        .expect("write");
        let (exit, out, err) = run_in(dir.path(), &SchemaArgs::default());
        assert_eq!(exit, Exit::Success);
        assert_eq!(out, "The schema at schema.prisma is valid.\n");
        assert!(err.contains("schema.prisma:3:3: warning:"), "{err}");
    }
}
