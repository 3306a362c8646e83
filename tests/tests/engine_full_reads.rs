//! The engine on the full schema (every scalar type, enums, `@map`/`@@map`, 1-1, 1-n, self and
//! implicit m-n relations, compound keys), both backends: the read rules of Prisma 7 recorded
//! in `shared/prisma-golden/SEMANTICS.md`, with the provider differences listed there and the
//! project's deliberate differences (literal `contains`, `mode` on SQLite).
//!
//! The dataset is [`Db::full_fixture`]'s.

mod engine_support;

use engine_support::*;
use orm_core::engine::*;
use orm_core::query::{Direction, Nulls};
use orm_core::{Error, Value};

fn op(db: &Db, field: &str, op: ScalarOp) -> Filter {
    Filter::scalar(db.f(field), op)
}

fn eq(db: &Db, field: &str, value: impl Into<Value>) -> Filter {
    Filter::equals(db.f(field), value)
}

fn op_json(db: &Db, path: JsonPath, op: JsonOp, mode: QueryMode) -> Filter {
    Filter::scalar_with_mode(
        db.f("Account.settings"),
        ScalarOp::Json(Box::new(JsonFilter { path, op })),
        mode,
    )
}

fn rel(db: &Db, field: &str, filter: RelationFilter) -> Filter {
    Filter::relation(db.f(field), filter)
}

fn json(s: &str) -> Value {
    Value::Json(serde_json::from_str(s).unwrap())
}

/// Post ids under `order_by` with pagination.
async fn posts(db: &Db, args: FindManyArgs) -> Vec<i64> {
    let args = FindManyArgs {
        selection: db.sel("Post", "id"),
        ..args
    };
    ints(&db.firsts("Post", args).await)
}

fn by_id(db: &Db) -> Vec<OrderBy> {
    vec![OrderBy::field(db.f("Post.id"), Direction::Asc)]
}

fn cursor(db: &Db, id: i32) -> Option<Filter> {
    Some(eq(db, "Post.id", Value::Int(id)))
}

both_backends! {
    async fn not_on_nullable_scalars_excludes_null_rows(backend) {
        let db = Db::full_fixture(backend).await;
        // String, BigInt, Float, Bytes (accounts), Decimal (posts), DateTime (tokens).
        let cases = [
            ("Account.name", Value::from("Ann"), vec![3, 4, 5]),
            ("Account.bigNumber", Value::BigInt(5), vec![1, 4]),
            ("Account.score", Value::Float(1.5), vec![3, 5]),
            ("Account.avatar", Value::Bytes(vec![1, 2, 3]), vec![3, 5]),
        ];
        for (field, value, expected) in cases {
            let not = op(&db, field, ScalarOp::NotEquals(value.clone()));
            assert_eq!(db.ids_where("Account", not).await, expected, "{field} not");
            let negated = Filter::not([eq(&db, field, value.clone())]);
            assert_eq!(db.ids_where("Account", negated).await, expected, "NOT {field}");
            let not_in = op(&db, field, ScalarOp::NotIn(vec![value]));
            assert_eq!(db.ids_where("Account", not_in).await, expected, "{field} notIn");
        }
        let rating = op(&db, "Post.rating", ScalarOp::NotEquals(dec("2")));
        assert_eq!(db.ids_where("Post", rating).await, [1, 5, 7, 10]);
        let rating = op(&db, "Post.rating", ScalarOp::NotIn(vec![dec("2"), dec("4.5")]));
        assert_eq!(db.ids_where("Post", rating).await, [5, 7, 10]);
        let expires = op(&db, "Token.expires", ScalarOp::NotEquals(at("2026-01-01T00:00:00Z")));
        let labels = db
            .firsts("Token", FindManyArgs { filter: expires, selection: db.sel("Token", "label"), ..FindManyArgs::default() })
            .await;
        assert_eq!(labels, [Value::from(TOKEN_C)]);
        // `not: { contains }` excludes null bodies too (only post 10's empty body is left).
        let body = op(&db, "Post.body", ScalarOp::Not(Box::new(ScalarOp::Contains("o".into()))));
        assert_eq!(db.ids_where("Post", body).await, [10]);
        // Null tests.
        assert_eq!(db.ids_where("Account", eq(&db, "Account.name", Value::Null)).await, [2]);
        let not_null = op(&db, "Account.name", ScalarOp::NotEquals(Value::Null));
        assert_eq!(db.ids_where("Account", not_null).await, [1, 3, 4, 5]);
    }

    async fn relation_is_not_includes_records_without_one(backend) {
        let db = Db::full_fixture(backend).await;
        let not_ann = rel(&db, "Account.manager", RelationFilter::IsNot(eq(&db, "Account.id", 1)));
        assert_eq!(db.ids_where("Account", not_ann).await, [1, 4, 5]);
        let not_cy = rel(&db, "Post.editor", RelationFilter::IsNot(eq(&db, "Account.id", 3)));
        assert_eq!(db.ids_where("Post", not_cy).await, [2, 3, 5, 6, 7, 8, 9, 10]);
        let managed = rel(&db, "Account.manager", RelationFilter::Is(eq(&db, "Account.name", "Ann")));
        assert_eq!(db.ids_where("Account", managed).await, [2, 3]);
        let no_manager = rel(&db, "Account.manager", RelationFilter::IsNull);
        assert_eq!(db.ids_where("Account", no_manager).await, [1, 5]);
        // The back side of a 1-1 relation.
        let without = rel(&db, "Account.profile", RelationFilter::IsNull);
        assert_eq!(db.ids_where("Account", without).await, [2, 4, 5]);
        let with = rel(&db, "Account.profile", RelationFilter::IsNotNull);
        assert_eq!(db.ids_where("Account", with).await, [1, 3]);
    }

    async fn json_null_is_a_value_and_database_null_is_not(backend) {
        let db = Db::full_fixture(backend).await;
        let json_null = eq(&db, "Account.settings", Value::Json(serde_json::Value::Null));
        assert_eq!(db.ids_where("Account", json_null).await, [2]);
        assert_eq!(db.ids_where("Account", eq(&db, "Account.settings", Value::Null)).await, [3]);
        // `not` keeps JSON null rows and drops database NULL ones.
        let not = op(&db, "Account.settings", ScalarOp::NotEquals(json(r#"{"tags":["b"]}"#)));
        assert_eq!(db.ids_where("Account", not).await, [1, 2, 4]);
        // Key order does not matter: jsonb on PostgreSQL; on SQLite the stored text has
        // sorted keys, and so has the bound value (Prisma compares the text as written).
        let reordered = eq(&db, "Account.settings", json(r#"{"theme":"light","lang":"en"}"#));
        assert_eq!(db.ids_where("Account", reordered).await, [4]);
    }

    async fn json_filters_with_paths_per_provider(backend) {
        let db = Db::full_fixture(backend).await;
        let pg = backend == Backend::Postgres;
        db.exec(r#"UPDATE "accounts" SET "settings" = '{"lang":"en","level":10,"theme":"light"}' WHERE "id" = 4"#).await;
        db.exec(r#"UPDATE "accounts" SET "settings" = '{"level":3,"tags":["b"]}' WHERE "id" = 5"#).await;
        // PostgreSQL takes keys, SQLite a JSON path, as in Prisma.
        let path = |keys: &[&str]| {
            if pg {
                JsonPath::Keys(keys.iter().map(|k| (*k).to_owned()).collect())
            } else {
                JsonPath::Expression(format!("$.{}", keys.join(".")))
            }
        };
        let filter = |keys: &[&str], op: JsonOp| {
            op_json(&db, path(keys), op, QueryMode::Default)
        };
        let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        let cases = vec![
            (filter(&["theme"], JsonOp::Equals(j(r#""dark""#))), vec![1]),
            (filter(&["lang"], JsonOp::Equals(j(r#""en""#))), vec![1, 4]),
            (filter(&["flags", "beta"], JsonOp::Equals(j("true"))), vec![1]),
            // `not` needs a value at the path: JSON null and database NULL rows, and rows
            // without the key, do not match.
            (filter(&["theme"], JsonOp::NotEquals(j(r#""dark""#))), vec![4]),
            (filter(&["theme"], JsonOp::StringContains("ar".into())), vec![1]),
            (filter(&["theme"], JsonOp::StringStartsWith("li".into())), vec![4]),
            (filter(&["theme"], JsonOp::StringEndsWith("ht".into())), vec![4]),
            (filter(&["theme"], JsonOp::StringContains("%".into())), vec![]),
            (filter(&["tags"], JsonOp::ArrayStartsWith(j(r#""a""#))), vec![1]),
            (filter(&["tags"], JsonOp::ArrayEndsWith(j(r#""b""#))), vec![1, 5]),
            (filter(&["level"], JsonOp::Gt(j("5"))), vec![4]),
            (filter(&["level"], JsonOp::Lte(j("3"))), vec![5]),
            (filter(&["level"], JsonOp::Gte(j("3"))), vec![4, 5]),
            (filter(&["theme"], JsonOp::Lt(j(r#""e""#))), vec![1]),
        ];
        for (f, expected) in cases {
            let shown = format!("{f:?}");
            assert_eq!(db.ids_where("Account", f).await, expected, "{shown}");
        }
        // Case folding: `mode: insensitive` on PostgreSQL; SQLite's LIKE folds ASCII anyway.
        let folded = op_json(&db, path(&["theme"]), JsonOp::StringContains("DAR".into()), QueryMode::Insensitive);
        assert_eq!(db.ids_where("Account", folded).await, [1]);
        // `array_contains`: PostgreSQL only.
        let contains = filter(&["tags"], JsonOp::ArrayContains(j(r#"["b"]"#)));
        if pg {
            assert_eq!(db.ids_where("Account", contains).await, [1, 5]);
            let both = filter(&["tags"], JsonOp::ArrayContains(j(r#"["a", "b"]"#)));
            assert_eq!(db.ids_where("Account", both).await, [1]);
        } else {
            let err = db.client.find_many(db.m("Account"), FindManyArgs { filter: contains, ..FindManyArgs::default() }).await.unwrap_err();
            assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
        }
        // Each provider rejects the other's path form.
        let other = if pg { JsonPath::Expression("$.theme".into()) } else { JsonPath::Keys(vec!["theme".into()]) };
        let wrong = op_json(&db, other, JsonOp::Equals(j(r#""dark""#)), QueryMode::Default);
        let err = db.client.find_many(db.m("Account"), FindManyArgs { filter: wrong, ..FindManyArgs::default() }).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidQuery { field: Some(f), .. } if f == "settings"), "{err:?}");
    }

    async fn in_with_null_is_rejected(backend) {
        let db = Db::full_fixture(backend).await;
        let filter = op(&db, "Account.id", ScalarOp::In(vec![Value::Int(1), Value::Null]));
        let err = db
            .client
            .find_many(db.m("Account"), FindManyArgs { filter, selection: db.sel("Account", "id"), ..FindManyArgs::default() })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidQuery { model, field: Some(f), .. } if model == "Account" && f == "id"),
            "{err:?}"
        );
    }

    async fn empty_logic(backend) {
        let db = Db::full_fixture(backend).await;
        let one = || eq(&db, "Account.id", 1);
        let all = vec![1, 2, 3, 4, 5];
        let cases: Vec<(Filter, Vec<i64>)> = vec![
            (Filter::or([]), vec![]),
            (Filter::and([]), all.clone()),
            (Filter::not([]), all.clone()),
            (Filter::not([Filter::all()]), all.clone()),
            (Filter::or([Filter::all()]), vec![]),
            (Filter::or([one(), Filter::and([])]), vec![1]),
            (op(&db, "Account.id", ScalarOp::In(vec![])), vec![]),
            (op(&db, "Account.id", ScalarOp::NotIn(vec![])), all.clone()),
        ];
        for (filter, expected) in cases {
            let shown = format!("{filter:?}");
            assert_eq!(db.ids_where("Account", filter).await, expected, "{shown}");
        }
    }

    async fn relation_filters_on_empty_relations(backend) {
        let db = Db::full_fixture(backend).await;
        let posts = |f| rel(&db, "Account.posts", f);
        let published = || eq(&db, "Post.published", true);
        assert_eq!(db.ids_where("Account", posts(RelationFilter::Every(published()))).await, [3, 5]);
        assert_eq!(db.ids_where("Account", posts(RelationFilter::Every(Filter::all()))).await, [1, 2, 3, 4, 5]);
        assert_eq!(db.ids_where("Account", posts(RelationFilter::None(Filter::all()))).await, [3, 5]);
        assert_eq!(db.ids_where("Account", posts(RelationFilter::Some(Filter::all()))).await, [1, 2, 4]);
        assert_eq!(db.ids_where("Account", posts(RelationFilter::None(published()))).await, [3, 5]);
        // Implicit m-n: `every` includes posts without tags.
        let tags = |f| rel(&db, "Post.tags", f);
        let rust = || eq(&db, "Tag.name", "rust");
        assert_eq!(db.ids_where("Post", tags(RelationFilter::Every(rust()))).await, [2, 3, 5, 6, 7, 8, 9, 10]);
        assert_eq!(db.ids_where("Post", tags(RelationFilter::Some(eq(&db, "Tag.name", "sql")))).await, [1, 4]);
        assert_eq!(db.ids_where("Post", tags(RelationFilter::None(rust()))).await, [3, 4, 5, 6, 7, 8, 10]);
        let used = rel(&db, "Tag.posts", RelationFilter::Some(Filter::all()));
        assert_eq!(db.ids_where("Tag", used).await, [1, 2]);
        // Through a compound-key model.
        let views = rel(&db, "Account.views", RelationFilter::Some(op(&db, "View.count", ScalarOp::Gt(Value::Int(2)))));
        assert_eq!(db.ids_where("Account", views).await, [2, 3]);
    }

    async fn string_matching_case_and_wildcards(backend) {
        let db = Db::full_fixture(backend).await;
        let sqlite = backend == Backend::Sqlite;
        let title = |o| op(&db, "Post.title", o);
        let insensitive = |o| Filter::scalar_with_mode(db.f("Post.title"), o, QueryMode::Insensitive);
        // SQLite's LIKE folds ASCII case; equality and `in` stay case-sensitive everywhere.
        let world = db.ids_where("Post", title(ScalarOp::Contains("world".into()))).await;
        assert_eq!(world, if sqlite { vec![1] } else { vec![] });
        assert!(db.ids_where("Post", eq(&db, "Post.title", "hello world")).await.is_empty());
        assert!(db.ids_where("Post", title(ScalarOp::In(vec![Value::from("hello world")]))).await.is_empty());
        assert_eq!(db.ids_where("Post", insensitive(ScalarOp::Equals("hello WORLD".into()))).await, [1]);
        // `mode: insensitive` folds Unicode on PostgreSQL, ASCII only on SQLite.
        let unicode = db.ids_where("Post", insensitive(ScalarOp::Contains("ÜNÏCÖDÉ".into()))).await;
        assert_eq!(unicode, if sqlite { vec![] } else { vec![2, 3] });
        let starts = db.ids_where("Post", insensitive(ScalarOp::StartsWith("hello".into()))).await;
        assert_eq!(starts, [1]);
        // Deliberate difference: `%`, `_` and `\` match literally.
        assert_eq!(db.ids_where("Post", title(ScalarOp::Contains("%".into()))).await, [4, 9]);
        assert_eq!(db.ids_where("Post", title(ScalarOp::Contains("under_score".into()))).await, [5]);
        assert!(db.ids_where("Post", title(ScalarOp::Contains("50%".into()))).await.is_empty());
        assert_eq!(db.ids_where("Post", title(ScalarOp::EndsWith("%".into()))).await, [9]);
        assert_eq!(db.ids_where("Post", title(ScalarOp::Contains("\\".into()))).await, [8]);
        assert_eq!(db.ids_where("Post", title(ScalarOp::StartsWith("C:\\path".into()))).await, [8]);
    }

    async fn negative_take_skip_and_find_first(backend) {
        let db = Db::full_fixture(backend).await;
        let page = |skip, take| FindManyArgs { order_by: by_id(&db), skip, take, ..FindManyArgs::default() };
        assert_eq!(posts(&db, page(None, Some(-3))).await, [8, 9, 10]);
        assert_eq!(posts(&db, page(Some(2), Some(-3))).await, [6, 7, 8]);
        assert_eq!(posts(&db, page(Some(8), Some(5))).await, [9, 10]);
        let last = db
            .client
            .find_first(db.m("Post"), FindManyArgs { order_by: by_id(&db), take: Some(-1), selection: db.sel("Post", "id"), ..FindManyArgs::default() })
            .await
            .unwrap();
        assert_eq!(ints(&first_column(&last.rows)), [10]);
    }

    async fn cursors(backend) {
        let db = Db::full_fixture(backend).await;
        let page = |c: i32, skip, take| FindManyArgs { order_by: by_id(&db), cursor: cursor(&db, c), skip, take: Some(take), ..FindManyArgs::default() };
        assert_eq!(posts(&db, page(5, None, 3)).await, [5, 6, 7]);
        assert_eq!(posts(&db, page(5, Some(1), 3)).await, [6, 7, 8]);
        assert_eq!(posts(&db, page(5, None, -3)).await, [3, 4, 5]);
        assert_eq!(posts(&db, page(5, Some(1), -3)).await, [2, 3, 4]);
        assert!(posts(&db, page(99, None, 3)).await.is_empty());
        // A cursor row the filter excludes still sets the position.
        let published = FindManyArgs { filter: eq(&db, "Post.published", true), ..page(3, None, 3) };
        assert_eq!(posts(&db, published).await, [4, 6, 8]);
        // A non-unique order with an id tie-break.
        let order = vec![
            OrderBy::field(db.f("Post.published"), Direction::Desc),
            OrderBy::field(db.f("Post.id"), Direction::Asc),
        ];
        let page = |take| FindManyArgs { order_by: order.clone(), cursor: cursor(&db, 4), take: Some(take), ..FindManyArgs::default() };
        assert_eq!(posts(&db, page(3)).await, [4, 6, 8]);
        assert_eq!(posts(&db, page(-3)).await, [1, 2, 4]);
    }

    async fn cursors_on_nullable_sort_fields_follow_null_placement(backend) {
        let db = Db::full_fixture(backend).await;
        let sqlite = backend == Backend::Sqlite;
        // rating asc: PostgreSQL 5 3 7 1 10 (nulls) 2 4 6 8 9; SQLite (nulls) 2 4 6 8 9 5 3 7 1 10.
        let page = |c, take, nulls| FindManyArgs {
            order_by: vec![
                OrderBy::Field { path: vec![], field: db.f("Post.rating"), direction: Direction::Asc, nulls },
                OrderBy::field(db.f("Post.id"), Direction::Asc),
            ],
            cursor: cursor(&db, c),
            take: Some(take),
            ..FindManyArgs::default()
        };
        let all = posts(&db, FindManyArgs { take: None, cursor: None, ..page(1, 1, None) }).await;
        assert_eq!(all, if sqlite { vec![2, 4, 6, 8, 9, 5, 3, 7, 1, 10] } else { vec![5, 3, 7, 1, 10, 2, 4, 6, 8, 9] });
        for c in [10, 4, 9, 5] {
            for take in [3, -3] {
                let at = all.iter().position(|id| *id == c).unwrap();
                let expected: Vec<i64> = if take > 0 {
                    all[at..].iter().take(3).copied().collect()
                } else {
                    all[at.saturating_sub(2)..=at].to_vec()
                };
                assert_eq!(posts(&db, page(i32::try_from(c).unwrap(), take, None)).await, expected, "cursor {c} take {take}");
            }
        }
        // Explicit placement, the same on both.
        assert_eq!(posts(&db, page(9, 3, Some(Nulls::First))).await, [9, 5, 3]);
        assert_eq!(posts(&db, page(10, 3, Some(Nulls::Last))).await, [10, 2, 4]);
        assert_eq!(posts(&db, page(2, -3, Some(Nulls::Last))).await, [1, 10, 2]);
    }

    async fn distinct_keeps_the_first_of_each_group(backend) {
        let db = Db::full_fixture(backend).await;
        let args = FindManyArgs {
            order_by: vec![OrderBy::field(db.f("Post.id"), Direction::Desc)],
            distinct: vec![db.f("Post.authorId")],
            ..FindManyArgs::default()
        };
        assert_eq!(posts(&db, args.clone()).await, [10, 9, 8]);
        assert_eq!(posts(&db, FindManyArgs { take: Some(2), ..args }).await, [10, 9]);
    }

    async fn default_null_order_differs_by_provider(backend) {
        let db = Db::full_fixture(backend).await;
        let sqlite = backend == Backend::Sqlite;
        let db = &db;
        let accounts = |direction| async move {
            let args = FindManyArgs {
                order_by: vec![OrderBy::field(db.f("Account.name"), direction)],
                selection: db.sel("Account", "id"),
                ..FindManyArgs::default()
            };
            ints(&db.firsts("Account", args).await)
        };
        assert_eq!(accounts(Direction::Asc).await, if sqlite { vec![2, 1, 3, 4, 5] } else { vec![1, 3, 4, 5, 2] });
        assert_eq!(accounts(Direction::Desc).await, if sqlite { vec![5, 4, 3, 1, 2] } else { vec![2, 5, 4, 3, 1] });
        // Through an optional relation.
        let by_editor = FindManyArgs {
            order_by: vec![
                OrderBy::Field { path: vec![db.f("Post.editor")], field: db.f("Account.name"), direction: Direction::Asc, nulls: None },
                OrderBy::field(db.f("Post.id"), Direction::Asc),
            ],
            ..FindManyArgs::default()
        };
        assert_eq!(
            posts(db, by_editor).await,
            if sqlite { vec![2, 3, 5, 7, 8, 10, 6, 1, 4, 9] } else { vec![6, 1, 4, 9, 2, 3, 5, 7, 8, 10] }
        );
        // A nullable groupBy key.
        let groups = db
            .client
            .group_by(db.m("Post"), GroupByArgs {
                by: vec![db.f("Post.editorId")],
                order_by: vec![GroupOrderBy::Field { field: db.f("Post.editorId"), direction: Direction::Asc, nulls: None }],
                aggregates: vec![Aggregate::CountAll],
                ..GroupByArgs::default()
            })
            .await
            .unwrap();
        let keys = first_column(&groups);
        let expected = [Value::Int(1), Value::Int(3), Value::Int(4)];
        if sqlite {
            assert_eq!(keys[0], Value::Null);
            assert_eq!(keys[1..], expected);
        } else {
            assert_eq!(keys[..3], expected);
            assert_eq!(keys[3], Value::Null);
        }
    }

    async fn enums_filter_and_order_by_declaration_on_postgres(backend) {
        let db = Db::full_fixture(backend).await;
        // Values are the database names (`ADMIN @map("admin")`).
        let admin = enum_value("admin");
        assert_eq!(db.ids_where("Account", eq(&db, "Account.role", admin.clone())).await, [1, 4]);
        assert_eq!(db.ids_where("Account", op(&db, "Account.role", ScalarOp::In(vec![admin.clone()]))).await, [1, 4]);
        assert_eq!(db.ids_where("Account", op(&db, "Account.role", ScalarOp::NotEquals(enum_value("USER")))).await, [1, 4]);
        assert_eq!(db.ids_where("Account", eq(&db, "Account.role", Value::from("USER"))).await, [2, 3, 5]);
        let err = db
            .client
            .find_many(db.m("Account"), FindManyArgs { filter: eq(&db, "Account.role", enum_value("ADMIN")), ..FindManyArgs::default() })
            .await
            .unwrap_err();
        assert!(matches!(&err, Error::InvalidQuery { field: Some(f), .. } if f == "role"), "{err:?}");
        // Read back as the database name.
        let roles = db
            .firsts("Account", FindManyArgs { order_by: vec![OrderBy::field(db.f("Account.id"), Direction::Asc)], selection: db.sel("Account", "role"), ..FindManyArgs::default() })
            .await;
        assert_eq!(roles[0], admin);
        // Declaration order on PostgreSQL (USER < ADMIN); stored text on SQLite, where "USER"
        // sorts before "admin" as well. A text sort in PostgreSQL's collation would put
        // "admin" first.
        let order = FindManyArgs {
            order_by: vec![OrderBy::field(db.f("Account.role"), Direction::Asc), OrderBy::field(db.f("Account.id"), Direction::Asc)],
            selection: db.sel("Account", "id"),
            ..FindManyArgs::default()
        };
        assert_eq!(ints(&db.firsts("Account", order).await), [2, 3, 5, 1, 4]);
        let min = db
            .client
            .aggregate(db.m("Account"), AggregateArgs { aggregates: vec![Aggregate::Min(db.f("Account.role")), Aggregate::Max(db.f("Account.role"))], ..AggregateArgs::default() })
            .await
            .unwrap();
        let row = min.rows().next().unwrap();
        assert_eq!(row.values(), [enum_value("USER"), admin]);
    }

    async fn decimals_come_back_normalised(backend) {
        let db = Db::full_fixture(backend).await;
        let args = FindManyArgs {
            order_by: vec![OrderBy::field(db.f("Account.id"), Direction::Asc)],
            selection: db.sel("Account", "balance"),
            ..FindManyArgs::default()
        };
        let balances = db.firsts("Account", args).await;
        let text: Vec<String> = balances
            .iter()
            .map(|v| match v { Value::Decimal(d) => d.to_string(), other => panic!("{other:?}") })
            .collect();
        assert_eq!(text, ["100.5", "15", "29.5", "0", "0"]);
    }

    async fn aggregates_types_and_empty_sets(backend) {
        let db = Db::full_fixture(backend).await;
        let db = &db;
        let aggregate = |filter, aggregates| async move {
            let rs = db
                .client
                .aggregate(db.m("Account"), AggregateArgs { filter, aggregates, ..AggregateArgs::default() })
                .await
                .unwrap();
            rs.rows().next().unwrap().values().to_vec()
        };
        let big = db.f("Account.bigNumber");
        let balance = db.f("Account.balance");
        let values = aggregate(Filter::all(), vec![
            Aggregate::Sum(big), Aggregate::Avg(big), Aggregate::Sum(balance), Aggregate::Avg(balance),
            Aggregate::CountAll, Aggregate::Count(db.f("Account.settings")), Aggregate::Count(db.f("Account.name")),
        ]).await;
        assert_eq!(values[0], Value::BigInt(9_007_199_254_740_991));
        assert!(matches!(values[1], Value::Float(_)), "{:?}", values[1]);
        assert_eq!(values[2], dec("145"));
        assert_eq!(values[3], dec("29"));
        // `_count` of a Json field counts JSON null, not database NULL.
        assert_eq!(values[4..], [Value::BigInt(5), Value::BigInt(4), Value::BigInt(4)]);
        let view = db
            .client
            .aggregate(db.m("View"), AggregateArgs {
                aggregates: vec![Aggregate::Sum(db.f("View.count")), Aggregate::Avg(db.f("View.count"))],
                ..AggregateArgs::default()
            })
            .await
            .unwrap();
        assert_eq!(view.rows().next().unwrap().values(), [Value::BigInt(11), Value::Float(2.75)]);
        // No records: counts are 0, everything else null.
        let none = aggregate(eq(db, "Account.id", 99), vec![
            Aggregate::CountAll, Aggregate::Count(balance), Aggregate::Sum(big), Aggregate::Avg(balance),
            Aggregate::Min(db.f("Account.role")), Aggregate::Max(db.f("Account.createdAt")),
        ]).await;
        assert_eq!(none, [Value::BigInt(0), Value::BigInt(0), Value::Null, Value::Null, Value::Null, Value::Null]);
        let counted = db
            .client
            .count(db.m("Account"), CountArgs { fields: vec![None, Some(db.f("Account.settings")), Some(db.f("Account.score"))], ..CountArgs::default() })
            .await
            .unwrap();
        assert_eq!(counted, [5, 4, 3]);
        // `take` without `orderBy` in groupBy is an input error, as Prisma's P2019.
        let err = db
            .client
            .group_by(db.m("Account"), GroupByArgs { by: vec![db.f("Account.role")], take: Some(1), ..GroupByArgs::default() })
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
    }

    async fn compound_keys_identify_records(backend) {
        let db = Db::full_fixture(backend).await;
        let key = |post: i32, account: i32| Filter::and([eq(&db, "View.postId", post), eq(&db, "View.accountId", account)]);
        let found = db
            .client
            .find_unique(db.m("View"), FindUniqueArgs { filter: key(2, 3), selection: db.sel("View", "count"), ..FindUniqueArgs::default() })
            .await
            .unwrap();
        assert_eq!(first_column(&found.rows), [Value::Int(5)]);
        // A cursor on the compound id, in id order.
        let views = db
            .client
            .find_many(db.m("View"), FindManyArgs {
                cursor: Some(key(1, 3)),
                take: Some(2),
                selection: db.sel("View", "postId accountId"),
                ..FindManyArgs::default()
            })
            .await
            .unwrap();
        let pairs: Vec<Vec<Value>> = views.rows.rows().map(|r| r.values().to_vec()).collect();
        assert_eq!(pairs, [vec![Value::Int(1), Value::Int(3)], vec![Value::Int(2), Value::Int(3)]]);
        // The compound unique of posts.
        let slug = Filter::and([eq(&db, "Post.authorId", 1), eq(&db, "Post.slug", "end")]);
        let post = db
            .client
            .find_unique(db.m("Post"), FindUniqueArgs { filter: slug, selection: db.sel("Post", "id"), ..FindUniqueArgs::default() })
            .await
            .unwrap();
        assert_eq!(ints(&first_column(&post.rows)), [9]);
    }

    async fn includes_through_every_kind_of_relation(backend) {
        let db = Db::full_fixture(backend).await;
        let include = |field: &str, args: FindManyArgs| RelationSelection { field: db.f(field), args };
        let ids = |model: &str| FindManyArgs {
            order_by: vec![OrderBy::field(db.f(&format!("{model}.id")), Direction::Asc)],
            selection: db.sel(model, "id"),
            ..FindManyArgs::default()
        };
        let selection = db
            .sel("Account", "id")
            .include(include("Account.manager", FindManyArgs { selection: db.sel("Account", "id"), ..FindManyArgs::default() }))
            .include(include("Account.reports", ids("Account")))
            .include(include("Account.profile", FindManyArgs { selection: db.sel("Profile", "bio"), ..FindManyArgs::default() }))
            .include(include("Account.views", FindManyArgs { selection: db.sel("View", "postId"), order_by: vec![OrderBy::field(db.f("View.postId"), Direction::Asc)], ..FindManyArgs::default() }))
            .include(include("Account.posts", FindManyArgs {
                selection: db.sel("Post", "id").include(include("Post.tags", ids("Tag"))),
                ..ids("Post")
            }));
        let before = db.statements();
        let records = db
            .client
            .find_many(db.m("Account"), FindManyArgs { selection, ..ids("Account") })
            .await
            .unwrap();
        assert_eq!(db.statements() - before, 7, "one statement per relation and level");
        let groups = |r: &RelationRecords| -> Vec<Vec<Value>> {
            let values = first_column(&r.records.rows);
            r.offsets.windows(2).map(|w| values[w[0]..w[1]].to_vec()).collect()
        };
        let i = |v: &[i32]| v.iter().map(|x| Value::Int(*x)).collect::<Vec<_>>();
        assert_eq!(groups(&records.relations[0]), [i(&[]), i(&[1]), i(&[1]), i(&[3]), i(&[])]);
        assert_eq!(groups(&records.relations[1]), [i(&[2, 3]), i(&[]), i(&[4]), i(&[]), i(&[])]);
        let bios = groups(&records.relations[2]);
        assert_eq!(bios[0], [Value::from("ann bio")]);
        assert!(bios[1].is_empty());
        assert_eq!(groups(&records.relations[3]), [i(&[]), i(&[1]), i(&[1, 2]), i(&[]), i(&[9])]);
        let posts = &records.relations[4];
        assert_eq!(groups(posts), [i(&[1, 2, 3, 9]), i(&[4, 5, 6, 10]), i(&[]), i(&[7, 8]), i(&[])]);
        let tags = groups(&posts.records.relations[0]);
        assert_eq!(tags[0], i(&[1, 2]));
        assert_eq!(tags[1], i(&[1]));
        assert_eq!(tags[3], i(&[1]));
        assert_eq!(tags[4], i(&[2]));
    }

    async fn nested_includes_paginate_per_parent(backend) {
        let db = Db::full_fixture(backend).await;
        let db = &db;
        let posts_of = |args: FindManyArgs| async move {
            let selection = db.sel("Account", "id").include(RelationSelection {
                field: db.f("Account.posts"),
                args: FindManyArgs { order_by: by_id(db), selection: db.sel("Post", "id"), ..args },
            });
            let records = db
                .client
                .find_many(db.m("Account"), FindManyArgs {
                    filter: op(db, "Account.id", ScalarOp::In(vec![Value::Int(1), Value::Int(2)])),
                    order_by: vec![OrderBy::field(db.f("Account.id"), Direction::Asc)],
                    selection,
                    ..FindManyArgs::default()
                })
                .await
                .unwrap();
            let rel = &records.relations[0];
            let values = ints(&first_column(&rel.records.rows));
            rel.offsets.windows(2).map(|w| values[w[0]..w[1]].to_vec()).collect::<Vec<_>>()
        };
        assert_eq!(posts_of(FindManyArgs { take: Some(-2), ..FindManyArgs::default() }).await, [vec![3, 9], vec![6, 10]]);
        assert_eq!(posts_of(FindManyArgs { skip: Some(1), take: Some(2), ..FindManyArgs::default() }).await, [vec![2, 3], vec![5, 6]]);
        assert_eq!(
            // The cursor row sets a position for every parent, owned by it or not.
            posts_of(FindManyArgs { cursor: cursor(db, 2), take: Some(2), ..FindManyArgs::default() }).await,
            [vec![2, 3], vec![4, 5]]
        );
        // `skip` counts rows after the cursor condition, as an offset: here the cursor row
        // itself is not among either parent's rows, so `skip: 1` drops 9 and 6.
        assert_eq!(
            posts_of(FindManyArgs { filter: eq(db, "Post.published", true), cursor: cursor(db, 5), skip: Some(1), ..FindManyArgs::default() }).await,
            [vec![], vec![10]]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scalar_lists_on_postgres() {
    let db = Db::full_fixture(Backend::Postgres).await;
    let nick = |values: &[&str]| values.iter().map(|v| Value::from(*v)).collect::<Vec<_>>();
    let list = |values: &[&str]| Value::List(orm_core::Kind::String, nick(values));
    let cases = [
        (ScalarOp::Has("a".into()), vec![1]),
        (ScalarOp::HasSome(nick(&["c", "d"])), vec![3, 4]),
        (ScalarOp::HasEvery(nick(&["d", "dd"])), vec![4]),
        (ScalarOp::HasEvery(vec![]), vec![1, 2, 3, 4, 5]),
        (ScalarOp::IsEmpty(true), vec![2]),
        (ScalarOp::IsEmpty(false), vec![1, 3, 4, 5]),
        (ScalarOp::Equals(list(&["c"])), vec![3]),
    ];
    for (o, expected) in cases {
        let shown = format!("{o:?}");
        assert_eq!(
            db.ids_where("Account", op(&db, "Account.nicknames", o))
                .await,
            expected,
            "{shown}"
        );
    }
    let push = |value: Value| async {
        let updated = db
            .client
            .update(
                db.m("Account"),
                UpdateArgs {
                    filter: eq(&db, "Account.id", 2),
                    data: UpdateData {
                        scalars: vec![(db.f("Account.nicknames"), UpdateOp::Push(value))],
                        relations: vec![],
                    },
                    selection: db.sel("Account", "nicknames"),
                },
            )
            .await
            .unwrap();
        first_column(&updated.rows).remove(0)
    };
    assert_eq!(push(Value::from("x")).await, list(&["x"]));
    assert_eq!(push(list(&["y", "z"])).await, list(&["x", "y", "z"]));
}

/// Every value of column `column` in `records` and, recursively, in its included relations.
fn column_values(records: &Records, column: &str, out: &mut Vec<Value>) {
    if let Some(index) = records.rows.column_index(column) {
        out.extend(records.rows.rows().map(|r| r.values()[index].clone()));
    }
    for relation in &records.relations {
        column_values(&relation.records, column, out);
    }
}

/// Asserts that every value is a `Value::Enum` (or null), and that there is one.
fn all_enums(what: &str, values: &[Value]) {
    assert!(
        values.iter().any(|v| !matches!(v, Value::Null)),
        "{what}: no value in {values:?}"
    );
    for value in values {
        assert!(
            matches!(value, Value::Enum(_) | Value::Null),
            "{what}: {value:?} in {values:?}"
        );
    }
}

both_backends! {
    async fn enum_fields_are_enum_values_on_every_read_and_write_path(backend) {
        let db = Db::full_fixture(backend).await;
        let account = db.m("Account");
        let with_role = || db.sel("Account", "id role");
        let roles = |records: &Records| {
            let mut out = Vec::new();
            column_values(records, "role", &mut out);
            out
        };
        let found = db.client.find_many(account, FindManyArgs { selection: with_role(), ..FindManyArgs::default() }).await.unwrap();
        all_enums("findMany", &roles(&found));
        let distinct = db.client.find_many(account, FindManyArgs { distinct: vec![db.f("Account.role")], selection: with_role(), ..FindManyArgs::default() }).await.unwrap();
        all_enums("findMany distinct", &roles(&distinct));

        // Included relations, by each strategy the backend has.
        let strategies: &[RelationLoadStrategy] = if backend == Backend::Postgres {
            &[RelationLoadStrategy::Query, RelationLoadStrategy::Join]
        } else {
            &[RelationLoadStrategy::Query]
        };
        for strategy in strategies {
            let include = |field: &str| RelationSelection { field: db.f(field), args: FindManyArgs { selection: with_role(), ..FindManyArgs::default() } };
            let args = FindManyArgs {
                selection: db.sel("Post", "id").include(include("Post.author")).include(include("Post.editor")),
                strategy: *strategy,
                ..FindManyArgs::default()
            };
            let posts = db.client.find_many(db.m("Post"), args).await.unwrap();
            all_enums(&format!("include ({strategy:?})"), &roles(&posts));
        }

        // groupBy keys, and min/max.
        let groups = db
            .client
            .group_by(account, GroupByArgs { by: vec![db.f("Account.role")], aggregates: vec![Aggregate::Max(db.f("Account.role"))], ..GroupByArgs::default() })
            .await
            .unwrap();
        let values: Vec<Value> = groups.rows().flat_map(|r| r.values().to_vec()).collect();
        all_enums("groupBy", &values);

        // What writes return.
        let created = db
            .client
            .create(account, CreateArgs { data: db.data("Account", vec![("email", Value::from("new@x.io"))]), selection: with_role() })
            .await
            .unwrap();
        all_enums("create", &roles(&created));
        let nested = db
            .client
            .create(account, CreateArgs {
                data: CreateData {
                    relations: vec![(db.f("Account.reports"), NestedWrite::Create(vec![db.data("Account", vec![("email", Value::from("r@x.io"))])]))],
                    ..db.data("Account", vec![("email", Value::from("n@x.io")), ("role", Value::from("admin"))])
                },
                selection: with_role(),
            })
            .await
            .unwrap();
        all_enums("nested create", &roles(&nested));
        let many = db
            .client
            .create_many_and_return(account, CreateManyArgs { data: vec![db.data("Account", vec![("email", Value::from("m@x.io"))])], selection: with_role(), ..CreateManyArgs::default() })
            .await
            .unwrap();
        all_enums("createManyAndReturn", &roles(&many));
        let updated = db
            .client
            .update(account, UpdateArgs { filter: eq(&db, "Account.id", 2), data: UpdateData { scalars: vec![(db.f("Account.role"), UpdateOp::Set(Value::from("admin")))], relations: vec![] }, selection: with_role() })
            .await
            .unwrap();
        all_enums("update", &roles(&updated));
        let upserted = db
            .client
            .upsert(account, UpsertArgs {
                filter: eq(&db, "Account.email", "u@x.io"),
                create: db.data("Account", vec![("email", Value::from("u@x.io"))]),
                update: UpdateData::default(),
                selection: with_role(),
            })
            .await
            .unwrap();
        all_enums("upsert", &roles(&upserted));
        let deleted = db
            .client
            .delete(account, DeleteArgs { filter: eq(&db, "Account.email", "u@x.io"), selection: with_role() })
            .await
            .unwrap();
        all_enums("delete", &roles(&deleted));
    }
}

both_backends! {
    async fn the_most_negative_take_reads_every_record_from_the_end(backend) {
        let db = Db::full_fixture(backend).await;
        let args = |take: i64| FindManyArgs {
            order_by: vec![OrderBy::field(db.f("Account.id"), Direction::Asc)],
            take: Some(take),
            selection: db.sel("Account", "id"),
            ..FindManyArgs::default()
        };
        assert_eq!(ints(&db.firsts("Account", args(i64::MIN)).await), [1, 2, 3, 4, 5]);
        assert_eq!(ints(&db.firsts("Account", args(i64::MAX)).await), [1, 2, 3, 4, 5]);
        assert_eq!(ints(&db.firsts("Account", args(-2)).await), [4, 5]);
        let counted = db
            .client
            .aggregate(db.m("Account"), AggregateArgs {
                order_by: vec![OrderBy::field(db.f("Account.id"), Direction::Asc)],
                take: Some(i64::MIN),
                aggregates: vec![Aggregate::CountAll],
                ..AggregateArgs::default()
            })
            .await
            .unwrap();
        assert_eq!(counted.rows().next().unwrap().values(), [Value::BigInt(5)]);
    }
}
