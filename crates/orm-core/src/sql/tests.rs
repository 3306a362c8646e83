//! Snapshot tests: every construct of the query tree, rendered for each dialect with its
//! parameters.

use super::*;
use crate::query::*;
use crate::value::Kind;

/// Renders for both dialects into one snapshot text (SQL, then parameters, per dialect).
fn both(statement: impl Into<Statement>) -> String {
    let statement = statement.into();
    let mut out = String::new();
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        out.push_str(&format!("-- {dialect}\n"));
        match render(statement.clone(), dialect) {
            Ok(sql) => {
                out.push_str(&sql.text);
                out.push('\n');
                out.push_str(&format!("{:?}\n", sql.params));
            }
            Err(e) => out.push_str(&format!("error: {e}\n")),
        }
    }
    out
}

fn col(name: &'static str) -> Expr {
    Expr::column("t0", name)
}

#[test]
fn select_with_filter_order_and_pagination() {
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .column(col("email"))
        .filter(Expr::and([
            col("email").eq(Expr::value("a@b.co")),
            Expr::or([col("score").gt(Expr::value(1.5)), col("name").is_null()]),
            col("role").not_eq(Expr::value("x")).not(),
        ]))
        .order_by(col("name"), Direction::Desc, Some(Nulls::Last))
        .order_by(col("id"), Direction::Asc, None)
        .limit(10)
        .offset(20);
    insta::assert_snapshot!(both(select));
}

#[test]
fn offset_without_limit() {
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .offset(5);
    insta::assert_snapshot!(both(select));
}

#[test]
fn empty_and_or_in_lists() {
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .filter(Expr::And(vec![
            Expr::Or(vec![]),
            Expr::And(vec![]),
            col("id").in_list(vec![]),
            col("id").not_in_list(vec![]),
            col("id").in_list(vec![Expr::value(1), Expr::value(2)]),
            Expr::Row(vec![col("a"), col("b")]).in_list(vec![
                Expr::Row(vec![Expr::value(1), Expr::value("x")]),
                Expr::Row(vec![Expr::value(2), Expr::value("y")]),
            ]),
        ]));
    insta::assert_snapshot!(both(select));
}

#[test]
fn membership_in_a_bound_array() {
    let select = Select::from_table("Order", "t1")
        .column(Expr::column("t1", "id"))
        .filter(Expr::InArray {
            expr: Box::new(Expr::column("t1", "userId")),
            array: Box::new(Expr::Value(Value::List(
                Kind::String,
                vec![Value::from("a"), Value::from("b")],
            ))),
            negated: false,
        });
    insta::assert_snapshot!(both(select));
}

#[test]
fn like_with_escape_and_insensitive_mode() {
    let select = Select::from_table("Post", "t0")
        .column(col("id"))
        .filter(Expr::and([
            Expr::Like {
                expr: Box::new(col("title")),
                pattern: Box::new(Expr::value("%50\\%%")),
                insensitive: false,
            },
            Expr::Like {
                expr: Box::new(col("body")),
                pattern: Box::new(Expr::value("%o%")),
                insensitive: true,
            },
            Expr::Function(Function::Lower, vec![col("title")])
                .eq(Expr::Function(Function::Lower, vec![Expr::value("ÜNÏ")])),
        ]));
    insta::assert_snapshot!(both(select));
}

#[test]
fn relation_filters_as_subqueries() {
    let posts = Select::from_table("Post", "t1")
        .filter(Expr::column("t1", "author_id").eq(col("id")))
        .filter(Expr::column("t1", "published").eq(Expr::value(true)).not());
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .filter(Expr::and([
            Expr::not_exists(posts.clone()),
            Expr::exists(posts.clone()),
            col("id").in_select(
                Select::from_table("Post", "t2").column(Expr::column("t2", "author_id")),
            ),
        ]));
    insta::assert_snapshot!(both(select));
}

#[test]
fn scalar_list_filters() {
    let list = |op, value| Expr::List {
        list: Box::new(col("nicknames")),
        op,
        value: Box::new(value),
    };
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .filter(Expr::and([
            list(ListOp::Has, Expr::value("bob")),
            list(
                ListOp::HasSome,
                Expr::Value(Value::List(Kind::String, vec![Value::from("a")])),
            ),
            list(
                ListOp::HasEvery,
                Expr::Value(Value::List(Kind::String, vec![Value::from("b")])),
            ),
            list(ListOp::IsEmpty, Expr::Null),
        ]));
    insta::assert_snapshot!(both(select));
}

#[test]
fn json_paths_types_and_containment() {
    let at = |text| Expr::JsonAt {
        expr: Box::new(col("settings")),
        path: Box::new(Expr::value("$.theme")),
        text,
    };
    let json = || {
        Expr::JsonValue(Box::new(Expr::Value(Value::Json(serde_json::json!(
            "dark"
        )))))
    };
    let select = Select::from_table("accounts", "t0")
        .column(col("id"))
        .filter(Expr::and([
            at(false).eq(json()),
            Expr::JsonTypeIs(Box::new(at(false)), JsonType::String),
            Expr::JsonTypeIs(Box::new(at(false)), JsonType::Number),
            Expr::JsonElement {
                expr: Box::new(at(false)),
                last: true,
            }
            .eq(json()),
            Expr::Like {
                expr: Box::new(at(true)),
                pattern: Box::new(Expr::value("%ar%")),
                insensitive: false,
            },
        ]));
    insta::assert_snapshot!(both(select));
    let contains = Select::from_table("accounts", "t0")
        .column(col("id"))
        .filter(Expr::JsonContains(Box::new(at(false)), Box::new(json())));
    insta::assert_snapshot!(both(contains));
}

#[test]
fn enums_bind_and_read_through_casts() {
    let select = Select::from_table("accounts", "t0")
        .column_as(col("role").cast(Cast::Text), "role")
        .filter(col("role").eq(Expr::value("admin").cast(Cast::Enum("account_role".into()))));
    insta::assert_snapshot!(both(select));
}

#[test]
fn aggregates_group_by_and_having() {
    let select = Select::from_table("Post", "t0")
        .column(col("author_id"))
        .column_as(Expr::CountAll, "_count$_all")
        .column_as(
            Expr::function(Function::Sum, vec![col("rating")]),
            "_sum$rating",
        )
        .column_as(
            Expr::function(Function::Avg, vec![col("rating").cast(Cast::Decimal)]),
            "_avg$rating",
        )
        .column_as(
            Expr::function(Function::Min, vec![col("title")]),
            "_min$title",
        )
        .column_as(
            Expr::function(Function::Max, vec![col("title")]),
            "_max$title",
        )
        .column_as(
            Expr::function(Function::Count, vec![col("body")]),
            "_count$body",
        );
    let mut select = select;
    select.group_by = vec![col("author_id")];
    select.having = Some(Expr::CountAll.gt(Expr::value(1i64)));
    insta::assert_snapshot!(both(select));
}

#[test]
fn count_over_a_subquery() {
    let inner = Select::from_table("Order", "t0")
        .column(col("id"))
        .offset(0);
    let select = Select::new(Source::Subquery(Box::new(inner), "sub".into()))
        .column_as(Expr::CountAll, "_count$_all");
    insta::assert_snapshot!(both(select));
}

#[test]
fn lateral_json_aggregation_for_the_join_strategy() {
    let orders = Select::from_table("Order", "t1")
        .column_as(
            Expr::JsonArray(vec![
                Expr::column("t1", "id"),
                Expr::column("t1", "total"),
                Expr::JsonObject(vec![("sku".into(), Expr::column("t1", "sku"))]),
            ]),
            "__data",
        )
        .filter(Expr::column("t1", "userId").eq(col("id")))
        .order_by(Expr::column("t1", "id"), Direction::Asc, None)
        .limit(5);
    let aggregated = Select::new(Source::Subquery(Box::new(orders), "t1".into())).column_as(
        Expr::JsonAgg(Box::new(Expr::column("t1", "__data"))),
        "__data",
    );
    let select = Select::from_table("User", "t0")
        .column(col("id"))
        .column_as(Expr::column("User_orders", "__data"), "orders")
        .join(Join {
            kind: JoinKind::Left,
            lateral: true,
            source: Source::Subquery(Box::new(aggregated), "User_orders".into()),
            on: Expr::True,
        });
    insta::assert_snapshot!(both(select));
}

#[test]
fn insert_returning() {
    let insert = Insert::new(
        "accounts",
        vec!["email".into(), "name".into(), "role".into()],
    )
    .row(vec![
        Expr::value("a@b.co"),
        Expr::Null,
        Expr::value("USER").cast(Cast::Enum("account_role".into())),
    ])
    .returning(Expr::bare_column("id"))
    .returning(Expr::bare_column("created_at"));
    insta::assert_snapshot!(both(insert));
}

#[test]
fn insert_default_values() {
    let insert = Insert::new("Tag", vec![])
        .row(vec![])
        .returning(Expr::bare_column("id"));
    insta::assert_snapshot!(both(insert));
}

#[test]
fn upsert_and_skip_duplicates() {
    let upsert = Insert::new("accounts", vec!["email".into(), "name".into()])
        .row(vec![Expr::value("a@b.co"), Expr::value("A")])
        .on_conflict(OnConflict::DoUpdate {
            target: vec!["email".into()],
            set: vec![
                ("name".into(), Expr::value("B")),
                (
                    "balance".into(),
                    Expr::bare_column("balance").arithmetic(BinaryOp::Add, Expr::value(1)),
                ),
            ],
            filter: Some(Expr::column("accounts", "email").eq(Expr::value("a@b.co"))),
        })
        .returning(Expr::bare_column("id"));
    let skip = Insert::new("Tag", vec!["name".into()])
        .row(vec![Expr::value("a")])
        .row(vec![Expr::value("b")])
        .on_conflict(OnConflict::DoNothing { target: vec![] });
    insta::assert_snapshot!(format!("{}{}", both(upsert), both(skip)));
}

#[test]
fn update_with_atomic_operations() {
    let mut table = Table::new("Inventory");
    table.alias = Some("t0".into());
    let update = Update {
        table,
        set: vec![
            (
                "stock".into(),
                Expr::bare_column("stock").arithmetic(BinaryOp::Sub, Expr::value(2)),
            ),
            (
                "price".into(),
                Expr::bare_column("price").arithmetic(BinaryOp::Div, Expr::value(3)),
            ),
            ("sku".into(), Expr::value("x")),
        ],
        filter: Some(col("sku").eq(Expr::value("a"))),
        returning: vec![col("sku").into(), col("stock").into()],
    };
    insta::assert_snapshot!(both(update));
}

#[test]
fn delete_returning() {
    let delete = Delete {
        table: Table::new("Tag").with_alias("t0"),
        filter: Some(col("name").eq(Expr::value("a"))),
        returning: vec![col("id").into()],
    };
    insta::assert_snapshot!(both(delete));
}

#[test]
fn identifiers_are_quoted_with_quotes_doubled() {
    let select = Select::new(Source::Table(
        Table::new("we\"ird")
            .with_schema("my schema")
            .with_alias("t0"),
    ))
    .column(Expr::column("t0", "a\"b"));
    insta::assert_snapshot!(both(select));
}

fn rows(n: usize) -> Insert {
    let mut insert = Insert::new("Order", vec!["id".into(), "userId".into(), "total".into()]);
    for i in 0..n {
        insert.rows.push(vec![
            Expr::value(format!("o{i}")),
            Expr::value("u"),
            Expr::value(i32::try_from(i).unwrap()),
        ]);
    }
    insert
}

#[test]
fn multi_row_insert_splits_at_the_bind_limit() {
    // Prisma's own case: 12,000 rows × 3 values, split at 32766 values per statement.
    let parts = split_insert(rows(12_000), Dialect::Postgres, 32_766);
    let sizes: Vec<usize> = parts.iter().map(|p| p.rows.len()).collect();
    assert_eq!(sizes, vec![10_922, 1_078]);
    let parts = split_insert(
        rows(30_000),
        Dialect::Postgres,
        Dialect::Postgres.max_bind_parameters(),
    );
    let sizes: Vec<usize> = parts.iter().map(|p| p.rows.len()).collect();
    assert_eq!(sizes, vec![21_845, 8_155]);
    for part in &parts {
        let sql = render(part.clone(), Dialect::Postgres).unwrap();
        assert!(sql.params.len() <= 65_535);
    }
    let parts = split_insert(
        rows(11_000),
        Dialect::Sqlite,
        Dialect::Sqlite.max_bind_parameters(),
    );
    let sizes: Vec<usize> = parts.iter().map(|p| p.rows.len()).collect();
    assert_eq!(sizes, vec![10_922, 78]);
}

#[test]
fn splitting_keeps_the_order_of_rows() {
    let parts = split_insert(rows(10), Dialect::Sqlite, 9);
    let ids: Vec<Expr> = parts
        .into_iter()
        .flat_map(|p| p.rows.into_iter().map(|mut r| r.swap_remove(0)))
        .collect();
    let expected: Vec<Expr> = (0..10).map(|i| Expr::value(format!("o{i}"))).collect();
    assert_eq!(ids, expected);
}

#[test]
fn sqlite_regroups_rows_that_default_different_columns() {
    let insert = Insert::new("Tag", vec!["id".into(), "name".into()])
        .row(vec![Expr::Default, Expr::value("a")])
        .row(vec![Expr::Default, Expr::value("b")])
        .row(vec![Expr::value(7), Expr::value("c")])
        .row(vec![Expr::Default, Expr::Default]);
    // PostgreSQL writes DEFAULT as it is: one statement.
    let pg = split_insert(insert.clone(), Dialect::Postgres, 100);
    assert_eq!(pg.len(), 1);
    let mut out = String::new();
    for part in split_insert(insert.clone(), Dialect::Sqlite, 100) {
        let sql = render(part, Dialect::Sqlite).unwrap();
        out.push_str(&format!("{}\n{:?}\n", sql.text, sql.params));
    }
    // PostgreSQL as it is; SQLite cannot write it without splitting.
    out.push_str(&both(insert));
    insta::assert_snapshot!(out);
}

#[test]
fn insert_from_one_array_per_column() {
    let template = Insert::new(
        "User",
        vec![
            "id".into(),
            "email".into(),
            "age".into(),
            "createdAt".into(),
        ],
    )
    .on_conflict(OnConflict::DoNothing { target: vec![] })
    .returning(Expr::bare_column("id"));
    let kinds = [Kind::String, Kind::String, Kind::Int, Kind::DateTime];
    let mut out = String::new();
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        out.push_str(&format!("-- {dialect}\n"));
        let types: Option<Vec<&'static str>> = kinds
            .iter()
            .map(|k| unnest_type(dialect, *k, None))
            .collect();
        let Some(types) = types else {
            out.push_str("no array types\n");
            continue;
        };
        let arrays = vec![
            Value::List(Kind::String, vec![Value::from("a"), Value::from("b")]),
            Value::List(Kind::String, vec![Value::from("a@x"), Value::from("b@x")]),
            Value::List(Kind::Int, vec![Value::Int(1), Value::Null]),
            Value::List(Kind::DateTime, vec![Value::Null, Value::Null]),
        ];
        let sql = render_insert_unnest(&template, arrays, &types, dialect).unwrap();
        out.push_str(&sql.text);
        out.push('\n');
        out.push_str(&format!("{:?}\n", sql.params));
    }
    // Native types PostgreSQL would not assign from the default type's array.
    for (kind, native) in [
        (Kind::String, "Uuid"),
        (Kind::DateTime, "Timestamptz"),
        (Kind::DateTime, "Date"),
        (Kind::Json, "Json"),
    ] {
        out.push_str(&format!(
            "{kind} @db.{native}: {:?}\n",
            unnest_type(Dialect::Postgres, kind, Some(native))
        ));
    }
    insta::assert_snapshot!(out);
}
