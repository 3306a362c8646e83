//! The expansion of `prisma_schema!("path"[, module = crate::path])`: read the schema relative
//! to the package, validate it, turn its diagnostics into compile errors on the path literal,
//! and generate the client.
//!
//! The proc-macro shim only gathers what the compiler knows ([`Context`]) and calls
//! [`expand`], so all of this runs in ordinary unit tests.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::module_path::{self, CallSite};
use crate::{Options, Source, generate};

/// What the compiler tells the macro about where it runs.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The directory schema paths are relative to: the package's `CARGO_MANIFEST_DIR`.
    pub base_dir: Option<PathBuf>,
    /// `CARGO_MANIFEST_DIR`, for working out the invocation's module (usually `base_dir`).
    pub manifest_dir: Option<PathBuf>,
    /// The invocation's file (absolute), line and column (1-based), when the compiler
    /// reports them.
    pub call_site: Option<(PathBuf, usize, usize)>,
}

/// The macro's arguments.
struct Args {
    path: LitStr,
    module: Option<syn::Path>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input
                .error("expected the schema's path: `prisma_schema!(\"prisma/schema.prisma\")`"));
        }
        let path: LitStr = input.parse()?;
        let mut module = None;
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            if key != "module" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown argument `{key}`; expected `module = crate::path`"),
                ));
            }
            input.parse::<Token![=]>()?;
            let path: syn::Path = input.parse()?;
            if path.segments.first().is_none_or(|s| s.ident != "crate") {
                return Err(syn::Error::new_spanned(
                    &path,
                    "`module` is a path from the crate root: `crate::…`",
                ));
            }
            module = Some(path);
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens; expected `module = crate::path`"));
        }
        Ok(Args { path, module })
    }
}

/// Expands `prisma_schema!`.
///
/// # Errors
///
/// A `syn::Error` on the arguments, or spanned on the path literal: the file cannot be read,
/// or the schema has errors (each rendered as `path:line:col: error: message` with the source
/// line and a caret, all of them combined). A schema with errors still tracks the file, so
/// fixing it rebuilds the crate.
pub fn expand(input: TokenStream, context: &Context) -> syn::Result<TokenStream> {
    let args: Args = syn::parse2(input)?;
    let relative = args.path.value();
    let base = context.base_dir.clone().unwrap_or_default();
    let path = base.join(&relative);
    let absolute = path
        .to_str()
        .ok_or_else(|| syn::Error::new(args.path.span(), "the schema's path is not valid UTF-8"))?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            args.path.span(),
            format!(
                "cannot read the schema `{relative}` (relative to the package's Cargo.toml) at \
                 `{absolute}`: {e}"
            ),
        )
    })?;
    let track = quote!(
        const _: &[u8] = ::core::include_bytes!(#absolute);
    );
    let schema = match orm_schema::validate(&text, &relative) {
        Ok(validated) => validated.schema,
        Err(diagnostics) => {
            let mut errors = diagnostics
                .errors()
                .map(|d| syn::Error::new(args.path.span(), d.render(&text, &relative)));
            let mut combined = errors.next().unwrap_or_else(|| {
                syn::Error::new(args.path.span(), "the schema does not validate")
            });
            for e in errors {
                combined.combine(e);
            }
            let errors = combined.into_compile_error();
            return Ok(quote!(#track #errors));
        }
    };
    let module = args.module.or_else(|| infer_module(context));
    let options = Options {
        source: Source::File(absolute.to_owned()),
        module,
    };
    let items = generate(&schema, &options);
    Ok(quote!(#track #items))
}

fn infer_module(context: &Context) -> Option<syn::Path> {
    let manifest_dir = context.manifest_dir.as_deref()?;
    let (file, line, column) = context.call_site.as_ref()?;
    let source = std::fs::read_to_string(file).ok()?;
    module_path::infer(&CallSite {
        manifest_dir,
        file: file.as_path(),
        source: &source,
        line: *line,
        column: *column,
    })
}

/// Resolves a path the compiler reported for a span: relative ones against the manifest
/// directory's workspace (the compiler reports paths relative to where it runs).
pub fn absolute_file(file: &Path, manifest_dir: Option<&Path>) -> Option<PathBuf> {
    if file.is_absolute() {
        return Some(file.to_path_buf());
    }
    let mut dir = manifest_dir?;
    loop {
        let candidate = dir.join(file);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = dir.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn context(dir: &Path) -> Context {
        Context {
            base_dir: Some(dir.to_path_buf()),
            manifest_dir: Some(dir.to_path_buf()),
            call_site: None,
        }
    }

    #[test]
    fn schema_errors_carry_the_rendered_diagnostics_and_still_track_the_file() {
        let d = dir();
        std::fs::write(
            d.path().join("schema.prisma"),
            "model User {\n  id Int @id\n  email Strin\n  age Nt\n}\n",
        )
        .unwrap();
        let out = expand(quote!("schema.prisma"), &context(d.path()))
            .unwrap()
            .to_string();
        assert!(out.contains("include_bytes"), "{out}");
        assert!(
            out.contains(r#"schema.prisma:3:9: error: Type \"Strin\" is neither"#),
            "{out}"
        );
        assert!(out.contains("3 |   email Strin"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(
            out.contains("schema.prisma:4:7: error:"),
            "both errors: {out}"
        );
    }

    #[test]
    fn a_missing_file_is_an_error_naming_the_path() {
        let d = dir();
        let err = expand(quote!("nope.prisma"), &context(d.path())).unwrap_err();
        let looked_at = d.path().join("nope.prisma");
        assert!(
            err.to_string().starts_with(&format!(
                "cannot read the schema `nope.prisma` (relative to the package's Cargo.toml) at \
                 `{}`: ",
                looked_at.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn arguments_are_checked() {
        let d = dir();
        let err = expand(quote!(), &context(d.path())).unwrap_err();
        assert!(
            err.to_string().contains("expected the schema's path"),
            "{err}"
        );
        let err = expand(quote!("s.prisma", modul = crate::db), &context(d.path())).unwrap_err();
        assert!(
            err.to_string().contains("unknown argument `modul`"),
            "{err}"
        );
        let err = expand(quote!("s.prisma", module = db), &context(d.path())).unwrap_err();
        assert!(
            err.to_string().contains("path from the crate root"),
            "{err}"
        );
    }

    #[test]
    fn the_module_comes_from_the_argument_or_the_call_site() {
        let d = dir();
        std::fs::write(
            d.path().join("schema.prisma"),
            "datasource db {\n  provider = \"sqlite\"\n}\nmodel User {\n  id Int @id\n}\n",
        )
        .unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        let file = d.path().join("src/db.rs");
        std::fs::write(&file, "orm_core::prisma_schema!(\"schema.prisma\");\n").unwrap();
        let mut ctx = context(d.path());
        ctx.call_site = Some((file, 1, 26));
        let out = expand(quote!("schema.prisma"), &ctx).unwrap().to_string();
        assert!(out.contains("[crate :: db]"), "{out}");
        assert!(out.contains("same_module"), "module check: {out}");
        assert!(out.contains("\"::db\""), "module check: {out}");
        let out = expand(quote!("schema.prisma", module = crate::other), &ctx)
            .unwrap()
            .to_string();
        assert!(out.contains("[crate :: other]"), "{out}");
    }
}
