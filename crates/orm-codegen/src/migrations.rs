//! The expansion of `migrations!("path")`: every `migration.sql` of a migrations folder and its
//! `migration_lock.toml`, embedded with `include_str!` so that Cargo rebuilds the crate when one
//! of them changes.
//!
//! Adding a new migration folder is not seen by Cargo on its own (a proc macro cannot track a
//! directory); a `build.rs` with `cargo:rerun-if-changed=<folder>` makes it so.

use std::path::Path;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Expands to an `::orm_core::migrate::Migrations` holding the folder at `dir` (an absolute
/// path). Errors are spanned on `span`, the macro's path literal.
///
/// # Errors
///
/// A `syn::Error` when the folder cannot be read or a path is not valid UTF-8.
pub fn expand_migrations(dir: &Path, span: Span) -> syn::Result<TokenStream> {
    let error = |message: String| syn::Error::new(span, message);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        error(format!(
            "cannot read the migrations folder `{}`: {e}",
            dir.display()
        ))
    })?;
    let mut migrations = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| error(format!("cannot read `{}`: {e}", dir.display())))?;
        let script = entry.path().join("migration.sql");
        if script.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = script
                .to_str()
                .ok_or_else(|| error(format!("`{}` is not valid UTF-8", script.display())))?
                .to_owned();
            migrations.push((name, path));
        }
    }
    migrations.sort();
    let lock = dir.join("migration_lock.toml");
    let lock = if lock.is_file() {
        let path = lock
            .to_str()
            .ok_or_else(|| error(format!("`{}` is not valid UTF-8", lock.display())))?;
        quote!(::core::option::Option::Some(::core::include_str!(#path)))
    } else {
        quote!(::core::option::Option::None)
    };
    let items = migrations
        .iter()
        .map(|(name, path)| quote!((#name, ::core::include_str!(#path))));
    Ok(quote! {
        ::orm_core::migrate::Migrations::__embedded(#lock, &[#(#items),*])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_each_script_in_order_with_the_lock_file() {
        let dir = tempfile_dir();
        for name in ["20260102000000_b", "20260101000000_a"] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            std::fs::write(dir.join(name).join("migration.sql"), "SELECT 1;").unwrap();
        }
        std::fs::create_dir_all(dir.join("not_a_migration")).unwrap();
        std::fs::write(dir.join("migration_lock.toml"), "provider = \"sqlite\"\n").unwrap();
        let tokens = expand_migrations(&dir, Span::call_site())
            .unwrap()
            .to_string();
        let a = tokens.find("20260101000000_a").unwrap();
        let b = tokens.find("20260102000000_b").unwrap();
        assert!(a < b, "{tokens}");
        assert!(tokens.contains("migration_lock.toml"));
        assert!(!tokens.contains("not_a_migration"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_folder_is_an_error_naming_it() {
        let err = expand_migrations(Path::new("/nonexistent/migrations"), Span::call_site())
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/migrations"), "{err}");
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "orm-codegen-migrations-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
