//! The `join` relation load strategy (PostgreSQL): the same records as the `query` strategy
//! on nested includes with filters, ordering, pagination, cursors and distinct, through every
//! kind of relation, in one statement.

mod engine_support;

use engine_support::*;
use orm_core::engine::*;
use orm_core::query::{Direction, Nulls};
use orm_core::{Error, Value};

/// The rows a selection asked for (scalars and counts, without the engine's extra columns),
/// with the offsets and the records of each included relation, to any depth.
#[derive(Debug, PartialEq)]
struct Tree {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    relations: Vec<(Vec<usize>, Tree)>,
}

fn tree(records: &Records, selection: &Selection) -> Tree {
    let width = selection.scalars.len() + selection.counts.len();
    Tree {
        // An empty relation of the `query` strategy has no column names (no statement ran).
        columns: if records.rows.is_empty() {
            Vec::new()
        } else {
            records.rows.columns().iter().take(width).cloned().collect()
        },
        rows: records
            .rows
            .rows()
            .map(|r| r.values()[..width].to_vec())
            .collect(),
        relations: records
            .relations
            .iter()
            .zip(&selection.relations)
            .map(|(r, s)| (r.offsets.clone(), tree(&r.records, &s.args.selection)))
            .collect(),
    }
}

fn include(db: &Db, field: &str, args: FindManyArgs) -> RelationSelection {
    RelationSelection {
        field: db.f(field),
        args,
    }
}

fn by(db: &Db, field: &str, direction: Direction) -> OrderBy {
    OrderBy::field(db.f(field), direction)
}

/// Runs `args` on `model` with both strategies; asserts the same records, one statement for
/// `join`; returns the tree.
async fn same_both_ways(db: &Db, model: &str, args: FindManyArgs) -> Tree {
    let selection = args.selection.clone();
    let query = db
        .client
        .find_many(
            db.m(model),
            FindManyArgs {
                strategy: RelationLoadStrategy::Query,
                ..args.clone()
            },
        )
        .await
        .unwrap();
    let before = db.statements();
    let joined = db
        .client
        .find_many(
            db.m(model),
            FindManyArgs {
                strategy: RelationLoadStrategy::Join,
                ..args
            },
        )
        .await
        .unwrap();
    assert_eq!(
        db.statements() - before,
        1,
        "the join strategy sends one statement"
    );
    let expected = tree(&query, &selection);
    assert_eq!(tree(&joined, &selection), expected);
    expected
}

fn every_scalar(db: &Db, model: &str) -> Selection {
    let fields = db
        .schema()
        .model_by_name(model)
        .unwrap()
        .scalar_fields()
        .map(|f| f.id())
        .collect();
    Selection::scalars(fields)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scalar_type_survives_json() {
    let db = Db::full_fixture(Backend::Postgres).await;
    // Accounts through the self relation, so that every column travels as JSON.
    let args = FindManyArgs {
        order_by: vec![by(&db, "Account.id", Direction::Asc)],
        selection: db.sel("Account", "id").include(include(
            &db,
            "Account.reports",
            FindManyArgs {
                order_by: vec![by(&db, "Account.id", Direction::Asc)],
                selection: every_scalar(&db, "Account"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let tree = same_both_ways(&db, "Account", args).await;
    let (offsets, reports) = &tree.relations[0];
    assert_eq!(offsets, &[0, 2, 2, 3, 3, 3]);
    // Bob: JSON null settings, no name; Dee: database NULL avatar.
    assert!(reports.rows[0].contains(&Value::Json(serde_json::Value::Null)));
    // Tokens (uuid, bytes default, big integers, timestamps) through an ad-hoc m-n-free read.
    let tokens = FindManyArgs {
        order_by: vec![by(&db, "Token.label", Direction::Asc)],
        selection: every_scalar(&db, "Token"),
        ..FindManyArgs::default()
    };
    let records = db
        .client
        .find_many(
            db.m("Token"),
            FindManyArgs {
                strategy: RelationLoadStrategy::Join,
                ..tokens
            },
        )
        .await
        .unwrap();
    assert_eq!(records.len(), 3);
    // Decimal precision and a timestamp with milliseconds, nested.
    db.exec(r#"UPDATE "Post" SET "rating" = 12345678901234567890.12345678 WHERE "id" = 1"#)
        .await;
    let args = FindManyArgs {
        filter: Filter::equals(db.f("Account.id"), 1),
        selection: db.sel("Account", "id").include(include(
            &db,
            "Account.posts",
            FindManyArgs {
                order_by: vec![by(&db, "Post.id", Direction::Asc)],
                selection: db.sel("Post", "id rating createdAt"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let tree = same_both_ways(&db, "Account", args).await;
    assert_eq!(
        tree.relations[0].1.rows[0][1],
        dec("12345678901234567890.12345678")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_includes_with_their_own_arguments() {
    let db = Db::full_fixture(Backend::Postgres).await;
    let db = &db;
    let tags = || {
        include(
            db,
            "Post.tags",
            FindManyArgs {
                order_by: vec![by(db, "Tag.name", Direction::Desc)],
                selection: db.sel("Tag", "id name"),
                ..FindManyArgs::default()
            },
        )
    };
    let posts = |args: FindManyArgs| {
        include(
            db,
            "Account.posts",
            FindManyArgs {
                selection: db
                    .sel("Post", "id title rating")
                    .include(tags())
                    .include(include(
                        db,
                        "Post.editor",
                        FindManyArgs {
                            selection: db.sel("Account", "id email role"),
                            ..FindManyArgs::default()
                        },
                    ))
                    .include(include(
                        db,
                        "Post.views",
                        FindManyArgs {
                            order_by: vec![by(db, "View.count", Direction::Desc)],
                            selection: db.sel("View", "postId accountId count").include(include(
                                db,
                                "View.account",
                                FindManyArgs {
                                    selection: db.sel("Account", "id name"),
                                    ..FindManyArgs::default()
                                },
                            )),
                            ..FindManyArgs::default()
                        },
                    ))
                    .count(RelationCount {
                        field: db.f("Post.tags"),
                        filter: Filter::all(),
                    }),
                ..args
            },
        )
    };
    let accounts = |posts_args: FindManyArgs| FindManyArgs {
        order_by: vec![by(db, "Account.id", Direction::Asc)],
        selection: db
            .sel("Account", "id email")
            .include(posts(posts_args))
            .include(include(
                db,
                "Account.profile",
                FindManyArgs {
                    selection: db.sel("Profile", "bio accountId"),
                    ..FindManyArgs::default()
                },
            ))
            .include(include(
                db,
                "Account.manager",
                FindManyArgs {
                    selection: db.sel("Account", "id"),
                    ..FindManyArgs::default()
                },
            ))
            .count(RelationCount {
                field: db.f("Account.posts"),
                filter: Filter::equals(db.f("Post.published"), true),
            }),
        ..FindManyArgs::default()
    };
    let id_order = || vec![by(db, "Post.id", Direction::Asc)];
    let cursor = |id: i32| Some(Filter::equals(db.f("Post.id"), id));
    let cases = vec![
        FindManyArgs::default(),
        FindManyArgs {
            order_by: id_order(),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            filter: Filter::equals(db.f("Post.published"), true),
            order_by: id_order(),
            take: Some(2),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: id_order(),
            skip: Some(1),
            take: Some(-2),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: id_order(),
            cursor: cursor(3),
            take: Some(2),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: id_order(),
            cursor: cursor(5),
            skip: Some(1),
            take: Some(-3),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: vec![
                OrderBy::Field {
                    path: vec![],
                    field: db.f("Post.rating"),
                    direction: Direction::Desc,
                    nulls: Some(Nulls::Last),
                },
                by(db, "Post.id", Direction::Asc),
            ],
            take: Some(3),
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: vec![
                OrderBy::RelationCount {
                    field: db.f("Post.views"),
                    direction: Direction::Desc,
                },
                by(db, "Post.id", Direction::Desc),
            ],
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: vec![by(db, "Post.id", Direction::Desc)],
            distinct: vec![db.f("Post.published")],
            ..FindManyArgs::default()
        },
        FindManyArgs {
            order_by: id_order(),
            distinct: vec![db.f("Post.published")],
            skip: Some(1),
            take: Some(1),
            ..FindManyArgs::default()
        },
    ];
    for posts_args in cases {
        let shown = format!("{posts_args:?}");
        let tree = same_both_ways(db, "Account", accounts(posts_args)).await;
        assert_eq!(tree.rows.len(), 5, "{shown}");
    }
    // Pagination, filter and cursor at the top level too.
    let top = FindManyArgs {
        filter: Filter::relation(db.f("Account.posts"), RelationFilter::Some(Filter::all())),
        order_by: vec![by(db, "Account.email", Direction::Desc)],
        cursor: Some(Filter::equals(db.f("Account.id"), 2)),
        take: Some(-2),
        ..accounts(FindManyArgs {
            order_by: id_order(),
            take: Some(1),
            ..FindManyArgs::default()
        })
    };
    let tree = same_both_ways(db, "Account", top).await;
    assert_eq!(tree.rows.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_to_many_and_compound_keys_both_ways() {
    let db = Db::full_fixture(Backend::Postgres).await;
    let args = FindManyArgs {
        order_by: vec![by(&db, "Tag.id", Direction::Asc)],
        selection: db.sel("Tag", "id name").include(include(
            &db,
            "Tag.posts",
            FindManyArgs {
                order_by: vec![by(&db, "Post.title", Direction::Asc)],
                selection: db.sel("Post", "id title").include(include(
                    &db,
                    "Post.author",
                    FindManyArgs {
                        selection: db.sel("Account", "id").include(include(
                            &db,
                            "Account.views",
                            FindManyArgs {
                                order_by: vec![by(&db, "View.postId", Direction::Asc)],
                                selection: db.sel("View", "postId count"),
                                ..FindManyArgs::default()
                            },
                        )),
                        ..FindManyArgs::default()
                    },
                )),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let tree = same_both_ways(&db, "Tag", args).await;
    assert_eq!(tree.relations[0].0, [0, 3, 5, 5]);
    // No parents at all.
    let none = FindManyArgs {
        filter: Filter::equals(db.f("Tag.id"), 99),
        selection: db.sel("Tag", "id").include(include(
            &db,
            "Tag.posts",
            FindManyArgs {
                selection: db.sel("Post", "id"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let tree = same_both_ways(&db, "Tag", none).await;
    assert_eq!(tree.relations[0].0, [0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_a_hundred_json_elements_per_row() {
    // PostgreSQL functions take at most 100 arguments: wide rows nest their JSON arrays.
    let fields: String = (0..120)
        .map(|i| format!("  f{i} Int @default({i})\n"))
        .collect();
    let text = format!(
        "datasource db {{\n  provider = \"postgresql\"\n}}\nmodel Parent {{\n  id Int @id\n  kids Kid[]\n}}\nmodel Kid {{\n  id Int @id\n  parentId Int\n  parent Parent @relation(fields: [parentId], references: [id])\n{fields}}}\n"
    );
    let schema: &'static orm_schema::Schema = Box::leak(Box::new(
        orm_schema::parse_and_validate(&text, "wide.prisma").unwrap(),
    ));
    let db = Db::new(
        Backend::Postgres,
        &create_tables_script(schema, Backend::Postgres),
        schema,
    )
    .await;
    db.exec(r#"INSERT INTO "Parent" ("id") VALUES (1), (2); INSERT INTO "Kid" ("id", "parentId") VALUES (1, 1), (2, 1), (3, 2)"#).await;
    let args = FindManyArgs {
        order_by: vec![by(&db, "Parent.id", Direction::Asc)],
        selection: db.sel("Parent", "id").include(include(
            &db,
            "Parent.kids",
            FindManyArgs {
                order_by: vec![by(&db, "Kid.id", Direction::Asc)],
                selection: every_scalar(&db, "Kid"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let tree = same_both_ways(&db, "Parent", args).await;
    let kids = &tree.relations[0].1;
    assert_eq!(kids.rows[0].len(), 122);
    assert_eq!(kids.rows[2][121], Value::Int(119));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rejects_the_join_strategy() {
    let db = Db::full_fixture(Backend::Sqlite).await;
    let args = FindManyArgs {
        strategy: RelationLoadStrategy::Join,
        selection: db.sel("Account", "id").include(include(
            &db,
            "Account.posts",
            FindManyArgs {
                selection: db.sel("Post", "id"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let err = db
        .client
        .find_many(db.m("Account"), args)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
}

const COMPOUND: &str = r#"
model Shelf {
  room   String
  number Int
  label  String
  books  Book[]

  @@id([room, number])
}

model Book {
  id     Int    @id
  title  String
  room   String
  number Int
  shelf  Shelf  @relation(fields: [room, number], references: [room, number])
}
"#;

/// A relation over a compound key, both directions, on both backends (and both strategies on
/// PostgreSQL): parents' keys go as row values.
async fn compound_foreign_keys(backend: Backend) {
    let provider = match backend {
        Backend::Postgres => "postgresql",
        Backend::Sqlite => "sqlite",
    };
    let text = format!("datasource db {{\n  provider = \"{provider}\"\n}}\n{COMPOUND}");
    let schema: &'static orm_schema::Schema = Box::leak(Box::new(
        orm_schema::parse_and_validate(&text, "compound.prisma").unwrap(),
    ));
    let db = Db::new(backend, &create_tables_script(schema, backend), schema).await;
    db.exec(
        r#"INSERT INTO "Shelf" ("room", "number", "label") VALUES ('a', 1, 'a1'), ('a', 2, 'a2'), ('b', 1, 'b1');
           INSERT INTO "Book" ("id", "title", "room", "number") VALUES (1, 'x', 'a', 1), (2, 'y', 'a', 1), (3, 'z', 'b', 1)"#,
    )
    .await;
    let shelves = FindManyArgs {
        order_by: vec![
            by(&db, "Shelf.room", Direction::Asc),
            by(&db, "Shelf.number", Direction::Asc),
        ],
        selection: db.sel("Shelf", "label").include(include(
            &db,
            "Shelf.books",
            FindManyArgs {
                order_by: vec![by(&db, "Book.id", Direction::Asc)],
                selection: db.sel("Book", "title"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let books = FindManyArgs {
        order_by: vec![by(&db, "Book.id", Direction::Desc)],
        selection: db.sel("Book", "id").include(include(
            &db,
            "Book.shelf",
            FindManyArgs {
                selection: db.sel("Shelf", "label"),
                ..FindManyArgs::default()
            },
        )),
        ..FindManyArgs::default()
    };
    let (shelf_tree, book_tree) = match backend {
        Backend::Postgres => (
            same_both_ways(&db, "Shelf", shelves).await,
            same_both_ways(&db, "Book", books).await,
        ),
        Backend::Sqlite => {
            let run = |model: &'static str, args: FindManyArgs| {
                let db = &db;
                async move {
                    let selection = args.selection.clone();
                    tree(
                        &db.client.find_many(db.m(model), args).await.unwrap(),
                        &selection,
                    )
                }
            };
            (run("Shelf", shelves).await, run("Book", books).await)
        }
    };
    assert_eq!(shelf_tree.relations[0].0, [0, 2, 2, 3]);
    assert_eq!(
        shelf_tree.relations[0].1.rows,
        [[Value::from("x")], [Value::from("y")], [Value::from("z")]]
    );
    assert_eq!(
        book_tree.relations[0].1.rows,
        [
            [Value::from("b1")],
            [Value::from("a1")],
            [Value::from("a1")]
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compound_foreign_keys_postgres() {
    compound_foreign_keys(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compound_foreign_keys_sqlite() {
    compound_foreign_keys(Backend::Sqlite).await;
}
