//! Rust names for schema names: `snake_case` for modules and fields, `PascalCase` for enum
//! variants, keywords escaped.

use proc_macro2::{Ident, Span};

/// `createdAt` → `created_at`, `HTTPServer` → `http_server`, `authorId_slug` →
/// `author_id_slug`, `USER` → `user`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                Some(_) => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `USER` → `User`, `in_progress` → `InProgress`, `inProgress` → `InProgress`.
pub fn pascal_case(name: &str) -> String {
    snake_case(name)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Names that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier for `name`: raw (`r#type`) for a keyword, suffixed with `_` for the few
/// names that cannot be raw (`self_`), and for names starting with a digit.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) || name.starts_with(|c: char| c.is_ascii_digit()) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The methods `PrismaClient` has besides the model accessors: its own (`new`, `schema`,
/// `client`, `transaction`, `transaction_with_retry`, `batch`) and those of the traits the
/// generated code implements for it (`Clone`, `Debug`, `From`, `AsRef`, `RawExecutor`). An
/// accessor may not take one of these names: an inherent method would be defined twice, and
/// a trait's would be shadowed (`prisma.clone()` returning the operations of a `Clone` model).
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "schema",
    "client",
    "transaction",
    "transaction_with_retry",
    "batch",
    "clone",
    "clone_from",
    "fmt",
    "from",
    "as_ref",
    "raw_queryable",
];

/// The client accessor of each model, from its module name (`user`): the same name, with `_`
/// appended while it is one of [`CLIENT_METHODS`] or taken by another accessor. A model
/// `Transaction` gets `client.transaction_()`, since `client.transaction(…)` starts a
/// transaction. Deterministic: it depends only on the schema's model names, in schema order.
pub fn accessors(modules: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(modules.len());
    for module in modules {
        let mut name = module.clone();
        while CLIENT_METHODS.contains(&name.as_str())
            || out.contains(&name)
            || modules.iter().any(|m| *m == name && m != module)
        {
            name.push('_');
        }
        out.push(name);
    }
    out
}

/// Makes each name unique in `names` by appending `_` to later duplicates.
pub fn dedupe(names: &mut [String]) {
    for i in 1..names.len() {
        while names[..i].contains(&names[i]) {
            names[i].push('_');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_camel_case_acronyms_and_keeps_digits() {
        for (input, expected) in [
            ("createdAt", "created_at"),
            ("id", "id"),
            ("bigNumber", "big_number"),
            ("big_number", "big_number"),
            ("HTTPServer", "http_server"),
            ("userID", "user_id"),
            ("authorId_slug", "author_id_slug"),
            ("nano16", "nano16"),
            ("field2Name", "field2_name"),
            ("USER", "user"),
            ("OrderItem", "order_item"),
        ] {
            assert_eq!(snake_case(input), expected, "{input}");
        }
    }

    #[test]
    fn pascal_case_joins_words() {
        for (input, expected) in [
            ("USER", "User"),
            ("ADMIN", "Admin"),
            ("in_progress", "InProgress"),
            ("inProgress", "InProgress"),
            ("A_B", "AB"),
            ("Role", "Role"),
        ] {
            assert_eq!(pascal_case(input), expected, "{input}");
        }
    }

    #[test]
    fn keywords_become_raw_and_unrawable_names_get_a_suffix() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("email").to_string(), "email");
    }

    #[test]
    fn accessors_step_aside_from_client_methods_and_each_other() {
        let modules: Vec<String> = [
            "user",
            "transaction",
            "batch",
            "schema",
            "transaction_",
            "new_",
        ]
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
        // `transaction_` is another model's own module name, so `transaction` moves one
        // further; `new_` is free, since no model's accessor is `new`.
        assert_eq!(
            accessors(&modules),
            [
                "user",
                "transaction__",
                "batch_",
                "schema_",
                "transaction_",
                "new_"
            ]
        );
        for method in CLIENT_METHODS {
            let accessor = &accessors(&[(*method).to_owned()])[0];
            assert_eq!(*accessor, format!("{method}_"));
        }
    }

    #[test]
    fn duplicates_get_suffixes_in_order() {
        let mut names = vec!["user_id".to_owned(), "user_id".to_owned(), "a".to_owned()];
        dedupe(&mut names);
        assert_eq!(names, ["user_id", "user_id_", "a"]);
    }
}
