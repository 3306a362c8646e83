//! Snapshots of the generated code, pretty-printed: the whole expansion of a small schema, then
//! one snapshot per feature (a field module per kind of field, relations, compound keys,
//! enums, the payload macros). Review every `.snap` diff: this is the code users read.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{Options, Source, generate};

const SMALL: &str = r#"
datasource db {
  provider = "postgresql"
}

/// What an account may do.
enum Role {
  USER
  ADMIN @map("admin")
}

/// Someone who writes posts.
model User {
  id    Int     @id @default(autoincrement())
  /// Where we write to.
  email String  @unique
  name  String?
  role  Role    @default(USER)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int    @map("author_id")
  author   User   @relation(fields: [authorId], references: [id])

  @@map("posts")
}
"#;

const FULL: &str = include_str!("../../../tests/schemas/full.postgresql.prisma");

fn options() -> Options {
    Options {
        source: Source::File("/app/prisma/schema.prisma".into()),
        module: Some(syn::parse_quote!(crate::db)),
    }
}

fn expand(source: &str) -> syn::File {
    let schema = orm_schema::parse_and_validate(source, "schema.prisma").unwrap();
    syn::parse2(generate(&schema, &options())).unwrap()
}

fn pretty(items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    })
}

/// The item at `path` (`["account", "email"]`: module `email` in module `account`).
fn item(file: &syn::File, path: &[&str]) -> syn::Item {
    let mut items = &file.items;
    let mut found = None;
    for (i, name) in path.iter().enumerate() {
        let item = items
            .iter()
            .find(|item| match item {
                syn::Item::Mod(m) => m.ident == name,
                syn::Item::Struct(s) => s.ident == name,
                syn::Item::Enum(e) => e.ident == name,
                syn::Item::Type(t) => t.ident == name,
                _ => false,
            })
            .unwrap_or_else(|| panic!("no item {name}"));
        if i + 1 < path.len() {
            let syn::Item::Mod(m) = item else {
                panic!("{name} is not a module")
            };
            items = &m.content.as_ref().unwrap().1;
        }
        found = Some(item.clone());
    }
    found.unwrap()
}

/// The items of module `path` whose kind `keep` accepts.
fn items_of(file: &syn::File, path: &[&str], keep: impl Fn(&syn::Item) -> bool) -> Vec<syn::Item> {
    let syn::Item::Mod(m) = item(file, path) else {
        panic!("not a module")
    };
    m.content.unwrap().1.into_iter().filter(keep).collect()
}

#[test]
fn small_schema_expansion() {
    insta::assert_snapshot!(prettyplease::unparse(&expand(SMALL)));
}

#[test]
fn model_struct_with_mapped_names_docs_and_its_impls() {
    let file = expand(FULL);
    let keep = |i: &syn::Item| {
        matches!(i, syn::Item::Struct(s) if s.ident == "Account")
            || matches!(i, syn::Item::Const(_))
    };
    insta::assert_snapshot!(pretty(items_of(&file, &["account"], keep)));
}

#[test]
fn create_struct_holds_the_required_fields_without_defaults() {
    let file = expand(FULL);
    let keep = |i: &syn::Item| match i {
        syn::Item::Struct(s) => s.ident == "Create",
        syn::Item::Impl(_) => true,
        _ => false,
    };
    let mut items = items_of(&file, &["post"], keep);
    items.extend(items_of(&file, &["view"], keep));
    insta::assert_snapshot!(pretty(items));
}

#[test]
fn unique_string_field_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "email"])]));
}

#[test]
fn optional_number_field_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "score"])]));
}

#[test]
fn enum_field_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "role"])]));
}

#[test]
fn json_field_module_takes_the_path_in_the_providers_form() {
    let sqlite = include_str!("../../../tests/schemas/full.sqlite.prisma");
    insta::assert_snapshot!(pretty(vec![
        item(&expand(FULL), &["account", "settings"]),
        item(&expand(sqlite), &["account", "settings"]),
    ]));
}

#[test]
fn scalar_list_field_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "nicknames"])]));
}

#[test]
fn to_many_relation_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "posts"])]));
}

#[test]
fn optional_to_one_relation_module() {
    insta::assert_snapshot!(pretty(vec![item(&expand(FULL), &["account", "profile"])]));
}

#[test]
fn compound_keys_make_unique_filters() {
    let file = expand(FULL);
    insta::assert_snapshot!(pretty(vec![
        item(&file, &["post", "author_id_slug"]),
        item(&file, &["view", "post_id_account_id"]),
    ]));
}

#[test]
fn names_that_are_rust_keywords_are_escaped() {
    let file = expand(
        r#"
        datasource db {
          provider = "sqlite"
        }
        enum Kind {
          self
          in_progress
        }
        model Type {
          id     Int  @id
          type   Kind
          userId Int
          user_id Int
        }
        "#,
    );
    insta::assert_snapshot!(pretty(vec![
        item(&file, &["Kind"]),
        item(&file, &["r#type", "Type"]),
    ]));
}

fn payload(kind: &str, model: u32, definition: TokenStream) -> String {
    let kind = quote::format_ident!("{kind}");
    let input = quote!(text #FULL [crate::db] #model #kind #definition);
    let tokens = crate::payload::expand(input, |_| unreachable!()).unwrap();
    prettyplease::unparse(&syn::parse2(tokens).unwrap())
}

fn payload_error(kind: &str, model: u32, definition: TokenStream) -> String {
    let kind = quote::format_ident!("{kind}");
    let input = quote!(text #FULL [crate::db] #model #kind #definition);
    crate::payload::expand(input, |_| unreachable!())
        .unwrap_err()
        .to_string()
}

#[test]
fn include_payload_with_nested_selections_and_counts() {
    insta::assert_snapshot!(payload(
        "include",
        0,
        quote!(
            /// An account with what it wrote.
            pub AccountWithPosts {
                posts { tags, author: select { email } },
                profile,
                manager,
                _count { posts, reports }
            }
        )
    ));
}

#[test]
fn select_payload_reads_only_what_it_names() {
    insta::assert_snapshot!(payload(
        "select",
        0,
        quote!(pub(crate) AccountEmail { id email createdAt role })
    ));
}

#[test]
fn omit_payload_reads_every_other_scalar() {
    insta::assert_snapshot!(payload("omit", 1, quote!(pub PublicProfile { bio })));
}

#[test]
fn payload_mistakes_are_errors_on_the_field() {
    assert_eq!(
        payload_error("include", 0, quote!(pub X { postz })),
        "model `Account` has no field `postz`"
    );
    assert!(
        payload_error("include", 0, quote!(pub X { email }))
            .starts_with("`email` is a scalar field: `include!` lists relations")
    );
    assert_eq!(
        payload_error("omit", 0, quote!(pub X { posts })),
        "`posts` is a relation: `omit!` lists scalar fields"
    );
    assert_eq!(
        payload_error("select", 0, quote!(pub X { _count { manager } })),
        "`_count` counts to-many relations; `manager` is not one"
    );
    assert_eq!(
        payload_error("select", 0, quote!(pub X { id, id })),
        "`id` is listed twice"
    );
    let unknown_module = crate::payload::expand(
        quote!(text #FULL [] 0 include pub X { posts }),
        |_| unreachable!(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        unknown_module.contains("pass it: `prisma_schema!(\"…\", module = crate::path::to::it)`")
    );
}

#[test]
fn generated_code_grows_linearly_with_the_schema() {
    fn size(models: usize) -> usize {
        let mut source = String::from("datasource db {\n  provider = \"postgresql\"\n}\n");
        for i in 0..models {
            let next = (i + 1) % models;
            source.push_str(&format!(
                "model M{i} {{\n  id Int @id\n  name String @unique\n  at DateTime?\n  \
                 nextId Int?\n  next M{next}? @relation(\"R{i}\", fields: [nextId], references: [id])\n  \
                 prev M{}[] @relation(\"R{}\")\n}}\n",
                (i + models - 1) % models,
                (i + models - 1) % models,
            ));
        }
        let schema = orm_schema::parse_and_validate(&source, "schema.prisma").unwrap();
        generate(&schema, &options()).to_string().len()
    }
    let (ten, hundred) = (size(10), size(100));
    // Per model, 100 models take within 5% of what 10 take.
    let percent = hundred * 10 * 100 / (ten * 100);
    assert!(
        (95..=105).contains(&percent),
        "{ten} bytes for 10 models, {hundred} for 100"
    );
}
