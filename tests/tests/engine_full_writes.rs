//! Writes on the full schema, both backends: the write rules of Prisma 7 recorded in
//! `shared/prisma-golden/SEMANTICS.md` (skipDuplicates, P2002/P2003/P2025/P2017, cascades,
//! `@updatedAt`, JSON null, nested writes through 1-1, 1-n, self and m-n relations,
//! arithmetic), client-side defaults of every kind, and the provider differences.
//!
//! The dataset is [`Db::full_fixture`]'s.

mod engine_support;

use engine_support::*;
use orm_core::engine::*;
use orm_core::{Error, Value};

fn eq(db: &Db, field: &str, value: impl Into<Value>) -> Filter {
    Filter::equals(db.f(field), value)
}

fn set(db: &Db, field: &str, value: impl Into<Value>) -> (FieldId, UpdateOp) {
    (db.f(field), UpdateOp::Set(value.into()))
}

fn update(scalars: Vec<(FieldId, UpdateOp)>) -> UpdateData {
    UpdateData {
        scalars,
        relations: vec![],
    }
}

fn nested(field: FieldId, write: NestedWrite) -> UpdateData {
    UpdateData {
        scalars: vec![],
        relations: vec![(field, write)],
    }
}

/// `update` of `model` by id, returning `fields`' values.
async fn update_by_id(
    db: &Db,
    model: &str,
    id: i32,
    data: UpdateData,
    fields: &str,
) -> orm_core::Result<Vec<Value>> {
    let records = db
        .client
        .update(
            db.m(model),
            UpdateArgs {
                filter: eq(db, &format!("{model}.id"), id),
                data,
                selection: db.sel(model, fields),
            },
        )
        .await?;
    Ok(records
        .rows
        .rows()
        .next()
        .map(|r| r.values().to_vec())
        .unwrap_or_default())
}

/// One value of the record of `model` with this id.
async fn value_of(db: &Db, model: &str, id: i32, field: &str) -> Value {
    let records = db
        .client
        .find_unique(
            db.m(model),
            FindUniqueArgs {
                filter: eq(db, &format!("{model}.id"), id),
                selection: db.sel(model, field),
                ..FindUniqueArgs::default()
            },
        )
        .await
        .unwrap();
    first_column(&records.rows)
        .pop()
        .unwrap_or_else(|| panic!("no {model} {id}"))
}

async fn tag_ids_of(db: &Db, post: i32) -> Vec<i64> {
    db.ids_where(
        "Tag",
        Filter::relation(
            db.f("Tag.posts"),
            RelationFilter::Some(eq(db, "Post.id", post)),
        ),
    )
    .await
}

both_backends! {
    async fn client_defaults_of_every_kind(backend) {
        let db = Db::full_schema(backend).await;
        let created = db
            .client
            .create(db.m("Token"), CreateArgs {
                data: db.data("Token", vec![("label", Value::from(TOKEN_A))]),
                selection: db.sel("Token", "id v4 cuid1 cuid2 nano nano16 payload big expires"),
            })
            .await
            .unwrap();
        let row = created.rows.rows().next().unwrap().values().to_vec();
        let text = |v: &Value| match v { Value::String(s) => s.clone(), other => panic!("{other:?}") };
        // 8-4-4-4-12 hex digits, the version first in the third group.
        let uuid = |v: &Value| {
            let t = text(v);
            assert_eq!(t.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{t}");
            t.chars().nth(14).unwrap()
        };
        assert_eq!((uuid(&row[0]), uuid(&row[1])), ('7', '4'));
        assert_eq!(text(&row[2]).len(), 25);
        assert!(text(&row[2]).starts_with('c'));
        assert_eq!(text(&row[3]).len(), 24);
        assert_eq!((text(&row[4]).len(), text(&row[5]).len()), (21, 16));
        // Database defaults come back through RETURNING.
        assert_eq!(row[6], Value::Bytes(vec![]));
        assert_eq!(row[7], Value::BigInt(9_007_199_254_740_993));
        assert_eq!(row[8], Value::Null);
        // Autoincrement, enum, decimal, boolean and now() defaults on accounts.
        let account = db
            .client
            .create(db.m("Account"), CreateArgs {
                data: db.data("Account", vec![("email", Value::from("new@x.io"))]),
                selection: db.sel("Account", "id role balance active createdAt updatedAt"),
            })
            .await
            .unwrap();
        let row = account.rows.rows().next().unwrap().values().to_vec();
        assert_eq!(row[..4], [Value::Int(1), enum_value("USER"), dec("0"), Value::Boolean(true)]);
        assert_eq!(row[4], row[5], "createdAt and @updatedAt share the create's instant");
    }

    async fn create_many_skip_duplicates_inserts_the_rest(backend) {
        let db = Db::full_fixture(backend).await;
        let tags = |rows: Vec<Vec<(&str, Value)>>| rows.into_iter().map(|r| db.data("Tag", r)).collect::<Vec<_>>();
        let rows = tags(vec![
            vec![("id", Value::Int(1)), ("name", Value::from("other"))],
            vec![("name", Value::from("sql"))],
            vec![("name", Value::from("fresh"))],
        ]);
        // Deliberate difference: SQLite supports skipDuplicates too.
        let inserted = db
            .client
            .create_many(db.m("Tag"), CreateManyArgs { data: rows.clone(), skip_duplicates: true, ..CreateManyArgs::default() })
            .await
            .unwrap();
        assert_eq!(inserted, 1);
        assert_eq!(db.ids_where("Tag", Filter::all()).await.len(), 4);
        // Without it a duplicate fails the whole statement.
        let err = db
            .client
            .create_many(db.m("Tag"), CreateManyArgs { data: tags(vec![vec![("name", Value::from("x1"))], vec![("name", Value::from("sql"))]]), ..CreateManyArgs::default() })
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2002"));
        assert!(db.ids_where("Tag", eq(&db, "Tag.name", "x1")).await.is_empty());
    }

    async fn create_many_of_every_column_type_round_trips(backend) {
        let db = Db::full_fixture(backend).await;
        let texts = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = std::sync::Arc::clone(&texts);
        let client = db.client.clone().with_query_log(orm_core::client::QueryLog::new(move |event| {
            sink.lock().unwrap().push(event.sql.to_owned());
        }));
        let json = |s: &str| Value::Json(serde_json::from_str(s).unwrap());
        let fields = ["email", "name", "balance", "bigNumber", "score", "active", "avatar", "settings", "createdAt"];
        let rows: Vec<Vec<Value>> = vec![
            vec![Value::from("u1@x.io"), Value::Null, dec("1.25"), Value::BigInt(9_007_199_254_740_993), Value::Float(0.25), Value::Boolean(false), Value::Bytes(vec![0, 255]), json(r#"{"a":[1,null],"b":"x"}"#), at("2026-01-02T03:04:05.678Z")],
            vec![Value::from("u2@x.io"), Value::from("Ü 'q' \"x\" {a,b} \\ NULL"), dec("0"), Value::Null, Value::Null, Value::Boolean(true), Value::Null, Value::Json(serde_json::Value::Null), at("1999-12-31T23:59:59.999Z")],
            vec![Value::from("u3@x.io"), Value::from(""), dec("-7.5"), Value::BigInt(-1), Value::Float(-1e300), Value::Boolean(true), Value::Bytes(vec![]), Value::Null, at("2026-06-01T00:00:00Z")],
        ];
        let data = rows
            .iter()
            .map(|row| db.data("Account", fields.iter().copied().zip(row.iter().cloned()).collect()))
            .collect();
        let selection = db.sel("Account", &fields.join(" "));
        let created = client
            .create_many_and_return(db.m("Account"), CreateManyArgs { data, selection: selection.clone(), ..CreateManyArgs::default() })
            .await
            .unwrap();
        let mut returned: Vec<Vec<Value>> = created.rows.rows().map(|r| r.values().to_vec()).collect();
        returned.sort_by(|a, b| format!("{:?}", a[0]).cmp(&format!("{:?}", b[0])));
        assert_eq!(returned, rows, "RETURNING gives back what was written");
        let stored = client
            .find_many(db.m("Account"), FindManyArgs {
                filter: Filter::scalar(db.f("Account.email"), ScalarOp::In(rows.iter().map(|r| r[0].clone()).collect())),
                order_by: vec![OrderBy::field(db.f("Account.email"), orm_core::query::Direction::Asc)],
                selection,
                ..FindManyArgs::default()
            })
            .await
            .unwrap();
        let stored: Vec<Vec<Value>> = stored.rows.rows().map(|r| r.values().to_vec()).collect();
        assert_eq!(stored, rows, "the database holds what was written");

        // Uniform rows with skipDuplicates: conflicts with stored rows and within the batch
        // are skipped.
        let tags = ["rust", "new", "new", "newer"]
            .iter()
            .map(|n| db.data("Tag", vec![("name", Value::from(*n))]))
            .collect();
        let inserted = client
            .create_many(db.m("Tag"), CreateManyArgs { data: tags, skip_duplicates: true, ..CreateManyArgs::default() })
            .await
            .unwrap();
        assert_eq!(inserted, 2);

        // Columns without an array form: an enum, and a `@db.Uuid` (no implicit cast from
        // text) keep the `VALUES` form.
        let accounts = ["e1@x.io", "e2@x.io"]
            .iter()
            .map(|e| db.data("Account", vec![("email", Value::from(*e)), ("role", enum_value("admin"))]))
            .collect();
        let n = client.create_many(db.m("Account"), CreateManyArgs { data: accounts, ..CreateManyArgs::default() }).await.unwrap();
        assert_eq!(n, 2);
        let tokens = ["0190a6a8-0000-7000-8000-000000000001", "0190a6a8-0000-7000-8000-000000000002"]
            .iter()
            .map(|l| db.data("Token", vec![("label", Value::from(*l))]))
            .collect();
        let n = client.create_many(db.m("Token"), CreateManyArgs { data: tokens, ..CreateManyArgs::default() }).await.unwrap();
        assert_eq!(n, 2);

        let texts = texts.lock().unwrap();
        let inserts: Vec<&String> = texts.iter().filter(|t| t.starts_with("INSERT")).collect();
        assert_eq!(inserts.len(), 4, "{inserts:#?}");
        if backend == Backend::Postgres {
            assert!(inserts[0].contains(r#" SELECT * FROM UNNEST($1::text[], $2::text[], $3::numeric[], $4::int8[], $5::float8[], $6::bool[], $7::bytea[], $8::jsonb[], $9::timestamp[], "#), "{}", inserts[0]);
            assert!(inserts[1].ends_with("SELECT * FROM UNNEST($1::text[]) ON CONFLICT DO NOTHING"), "{}", inserts[1]);
            assert!(inserts[2].contains(" VALUES "), "{}", inserts[2]);
            assert!(inserts[3].contains(" VALUES "), "{}", inserts[3]);
        } else {
            assert!(inserts.iter().all(|t| t.contains(" VALUES ")), "{inserts:#?}");
        }
    }

    async fn unique_violations_name_the_constraint_fields(backend) {
        let db = Db::full_fixture(backend).await;
        let err = db
            .client
            .create(db.m("Account"), CreateArgs { data: db.data("Account", vec![("email", Value::from("ann@x.io"))]), selection: db.sel("Account", "id") })
            .await
            .unwrap_err();
        let Error::UniqueViolation { model, constraint, fields, .. } = &err else { panic!("{err:?}") };
        assert_eq!((model.as_deref(), fields.as_slice()), (Some("Account"), ["email".to_owned()].as_slice()));
        if backend == Backend::Postgres {
            assert_eq!(constraint.as_deref(), Some("accounts_email_key"));
        }
        // The compound unique, by field names (SQLite reports the column `author_id`).
        let err = db
            .client
            .create(db.m("Post"), CreateArgs {
                data: db.data("Post", vec![("title", Value::from("t")), ("slug", Value::from("hello")), ("authorId", Value::Int(1))]),
                selection: db.sel("Post", "id"),
            })
            .await
            .unwrap_err();
        let Error::UniqueViolation { model, fields, .. } = &err else { panic!("{err:?}") };
        assert_eq!(model.as_deref(), Some("Post"));
        assert_eq!(fields, &["authorId".to_owned(), "slug".to_owned()]);
        // A foreign key to a missing account names its field.
        let err = db
            .client
            .create(db.m("Profile"), CreateArgs {
                data: db.data("Profile", vec![("bio", Value::from("b")), ("accountId", Value::Int(99))]),
                selection: db.sel("Profile", "id"),
            })
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2003"));
        if backend == Backend::Postgres {
            let Error::ForeignKeyViolation { model, fields, constraint, .. } = &err else { panic!("{err:?}") };
            assert_eq!(model.as_deref(), Some("Profile"));
            assert_eq!(fields, &["accountId".to_owned()]);
            assert_eq!(constraint.as_deref(), Some("Profile_accountId_fkey"));
        }
    }

    async fn restrict_blocks_deletes_entirely(backend) {
        let db = Db::full_fixture(backend).await;
        let err = db
            .client
            .delete(db.m("Account"), DeleteArgs { filter: eq(&db, "Account.id", 1), selection: db.sel("Account", "id") })
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
        let both = Filter::scalar(db.f("Account.id"), ScalarOp::In(vec![Value::Int(5), Value::Int(1)]));
        let err = db.client.delete_many(db.m("Account"), both).await.unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2003"));
        assert_eq!(db.ids_where("Account", Filter::all()).await, [1, 2, 3, 4, 5]);
    }

    async fn missing_records_are_p2025(backend) {
        let db = Db::full_fixture(backend).await;
        let account = db.m("Account");
        let missing = || eq(&db, "Account.id", 99);
        let found = db
            .client
            .find_unique_or_throw(account, FindUniqueArgs { filter: missing(), selection: db.sel("Account", "id"), ..FindUniqueArgs::default() })
            .await
            .unwrap_err();
        let updated = update_by_id(&db, "Account", 99, update(vec![set(&db, "Account.name", "x")]), "id").await.unwrap_err();
        let deleted = db
            .client
            .delete(account, DeleteArgs { filter: missing(), selection: db.sel("Account", "id") })
            .await
            .unwrap_err();
        for (err, operation) in [(found, "a query"), (updated, "an update"), (deleted, "a delete")] {
            assert!(matches!(&err, Error::NotFound { model, operation: o } if model == "Account" && o == operation), "{err:?}");
            assert_eq!(err.prisma_code(), Some("P2025"));
        }
        // A unique filter plus a condition that does not hold.
        let err = db
            .client
            .update(account, UpdateArgs {
                filter: Filter::and([eq(&db, "Account.id", 1), eq(&db, "Account.name", "Bob")]),
                data: update(vec![set(&db, "Account.name", "x")]),
                selection: db.sel("Account", "id"),
            })
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2025"));
        assert_eq!(value_of(&db, "Account", 1, "name").await, Value::from("Ann"));
    }

    async fn deletes_cascade_and_set_null(backend) {
        let db = Db::full_fixture(backend).await;
        db.client
            .delete(db.m("Account"), DeleteArgs { filter: eq(&db, "Account.id", 3), selection: db.sel("Account", "id") })
            .await
            .unwrap();
        let profiles = db.firsts("Profile", FindManyArgs { selection: db.sel("Profile", "accountId"), ..FindManyArgs::default() }).await;
        assert_eq!(profiles, [Value::Int(1)], "the profile cascades");
        let view_accounts = db.firsts("View", FindManyArgs { selection: db.sel("View", "accountId"), ..FindManyArgs::default() }).await;
        assert!(!view_accounts.contains(&Value::Int(3)), "views cascade");
        assert_eq!(view_accounts.len(), 2);
        assert_eq!(value_of(&db, "Post", 1, "editorId").await, Value::Null, "editor set null");
        assert_eq!(value_of(&db, "Post", 4, "editorId").await, Value::Null);
        assert_eq!(value_of(&db, "Account", 4, "managerId").await, Value::Null, "manager set null");
        // Deleting a post removes its views and its join-table rows.
        db.client
            .delete(db.m("Post"), DeleteArgs { filter: eq(&db, "Post.id", 1), selection: db.sel("Post", "id") })
            .await
            .unwrap();
        assert_eq!(db.firsts("View", FindManyArgs { selection: db.sel("View", "postId"), ..FindManyArgs::default() }).await, [Value::Int(9)]);
        let links = db.client.query(&orm_core::Sql::new(r#"SELECT "A" FROM "_PostToTag" ORDER BY "A""#)).await.unwrap();
        assert_eq!(ints(&first_column(&links)), [2, 4, 9]);
    }

    async fn updated_at_follows_the_data(backend) {
        let db = Db::full_fixture(backend).await;
        let old = at("2020-01-01T00:00:00Z");
        let stamp = || async { value_of(&db, "Account", 1, "updatedAt").await };
        update_by_id(&db, "Account", 1, update(vec![set(&db, "Account.updatedAt", old.clone())]), "id").await.unwrap();
        assert_eq!(stamp().await, old, "an explicit value wins");
        update_by_id(&db, "Account", 1, UpdateData::default(), "id").await.unwrap();
        assert_eq!(stamp().await, old, "`data: {{}}` does not bump");
        db.client
            .upsert(db.m("Account"), UpsertArgs {
                filter: eq(&db, "Account.id", 1),
                create: db.data("Account", vec![("email", Value::from("z@x.io"))]),
                update: UpdateData::default(),
                selection: db.sel("Account", "id"),
            })
            .await
            .unwrap();
        assert_eq!(stamp().await, old, "an upsert with `update: {{}}` does not bump");
        update_by_id(&db, "Account", 1, update(vec![set(&db, "Account.name", "Ann B")]), "id").await.unwrap();
        let Value::DateTime(bumped) = stamp().await else { panic!("updatedAt") };
        assert!((chrono::Utc::now() - bumped).num_seconds().abs() < 60);
    }

    async fn json_null_and_database_null_are_written_apart(backend) {
        let db = Db::full_fixture(backend).await;
        let json_null = Value::Json(serde_json::Value::Null);
        update_by_id(&db, "Account", 1, update(vec![set(&db, "Account.settings", json_null.clone())]), "id").await.unwrap();
        update_by_id(&db, "Account", 4, update(vec![set(&db, "Account.settings", Value::Null)]), "id").await.unwrap();
        assert_eq!(value_of(&db, "Account", 1, "settings").await, json_null);
        assert_eq!(value_of(&db, "Account", 4, "settings").await, Value::Null);
        assert_eq!(db.ids_where("Account", eq(&db, "Account.settings", json_null)).await, [1, 2]);
        assert_eq!(db.ids_where("Account", eq(&db, "Account.settings", Value::Null)).await, [3, 4]);
    }

    async fn many_to_many_connect_and_disconnect(backend) {
        let db = Db::full_fixture(backend).await;
        let tags = db.f("Post.tags");
        let tag = |id: i32| eq(&db, "Tag.id", id);
        // Connecting an already connected tag, disconnecting one that is not connected or
        // does not exist: no-ops.
        update_by_id(&db, "Post", 1, nested(tags, NestedWrite::Connect(vec![tag(1)])), "id").await.unwrap();
        update_by_id(&db, "Post", 1, nested(tags, NestedWrite::Disconnect(vec![tag(3), tag(99)])), "id").await.unwrap();
        assert_eq!(tag_ids_of(&db, 1).await, [1, 2]);
        // A missing tag: P2025 and nothing of the update applies.
        let data = UpdateData {
            scalars: vec![set(&db, "Post.title", "changed")],
            relations: vec![(tags, NestedWrite::Connect(vec![tag(3), tag(99)]))],
        };
        let err = update_by_id(&db, "Post", 1, data, "id").await.unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2025"), "{err:?}");
        assert_eq!(tag_ids_of(&db, 1).await, [1, 2]);
        assert_eq!(value_of(&db, "Post", 1, "title").await, Value::from("Hello World"));
        // set, disconnect, connect from the other side.
        update_by_id(&db, "Post", 1, nested(tags, NestedWrite::Set(vec![tag(3)])), "id").await.unwrap();
        assert_eq!(tag_ids_of(&db, 1).await, [3]);
        update_by_id(&db, "Tag", 2, nested(db.f("Tag.posts"), NestedWrite::Connect(vec![eq(&db, "Post.id", 1)])), "id").await.unwrap();
        assert_eq!(tag_ids_of(&db, 1).await, [2, 3]);
        update_by_id(&db, "Post", 1, nested(tags, NestedWrite::Disconnect(vec![tag(2)])), "id").await.unwrap();
        assert_eq!(tag_ids_of(&db, 1).await, [3]);
        // Create through the join table, then `deleteMany` deletes the tags themselves.
        let create = NestedWrite::Create(vec![db.data("Tag", vec![("name", Value::from("new"))])]);
        update_by_id(&db, "Post", 1, nested(tags, create), "id").await.unwrap();
        assert_eq!(tag_ids_of(&db, 1).await, [3, 4]);
        update_by_id(&db, "Post", 1, nested(tags, NestedWrite::DeleteMany(vec![Filter::all()])), "id").await.unwrap();
        assert_eq!(db.ids_where("Tag", Filter::all()).await, [1, 2]);
    }

    async fn nested_writes_on_records_the_parent_does_not_own(backend) {
        let db = Db::full_fixture(backend).await;
        let posts = db.f("Account.posts");
        // Post 4 belongs to account 2.
        let delete = NestedWrite::Delete(vec![eq(&db, "Post.id", 4)]);
        let err = update_by_id(&db, "Account", 1, nested(posts, delete), "id").await.unwrap_err();
        assert!(
            matches!(&err, Error::RecordsNotConnected { relation, parent, child } if relation == "Authored" && parent == "Account" && child == "Post"),
            "{err:?}"
        );
        assert_eq!(err.prisma_code(), Some("P2017"));
        let update = NestedWrite::Update(vec![(eq(&db, "Post.id", 4), update(vec![set(&db, "Post.title", "x")]))]);
        let err = update_by_id(&db, "Account", 1, nested(posts, update), "id").await.unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2025"), "{err:?}");
        assert_eq!(value_of(&db, "Post", 4, "title").await, Value::from("100% sure"));
        // `profile: { delete: true }` without a profile.
        let err = update_by_id(&db, "Account", 2, nested(db.f("Account.profile"), NestedWrite::Delete(vec![Filter::all()])), "id")
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2025"), "{err:?}");
        // A required relation cannot be disconnected.
        let err = update_by_id(&db, "Post", 1, nested(db.f("Post.author"), NestedWrite::Disconnect(vec![Filter::all()])), "id")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
        // An owned record is deleted.
        update_by_id(&db, "Account", 2, nested(posts, NestedWrite::Delete(vec![eq(&db, "Post.id", 4)])), "id").await.unwrap();
        assert!(db.ids_where("Post", eq(&db, "Post.id", 4)).await.is_empty());
    }

    async fn one_to_one_and_self_relations(backend) {
        let db = Db::full_fixture(backend).await;
        let db = &db;
        // 1-n `set` on the self relation: the other reports lose their manager.
        let reports = db.f("Account.reports");
        update_by_id(db, "Account", 1, nested(reports, NestedWrite::Set(vec![eq(db, "Account.id", 4)])), "id").await.unwrap();
        let managed_by_1 = db.ids_where("Account", eq(db, "Account.managerId", 1)).await;
        assert_eq!(managed_by_1, [4]);
        assert_eq!(value_of(db, "Account", 2, "managerId").await, Value::Null);
        // The forward side: connect a manager, disconnect it.
        let manager = db.f("Account.manager");
        update_by_id(db, "Account", 5, nested(manager, NestedWrite::Connect(vec![eq(db, "Account.id", 2)])), "id").await.unwrap();
        assert_eq!(value_of(db, "Account", 5, "managerId").await, Value::Int(2));
        update_by_id(db, "Account", 5, nested(manager, NestedWrite::Disconnect(vec![Filter::all()])), "id").await.unwrap();
        assert_eq!(value_of(db, "Account", 5, "managerId").await, Value::Null);
        // 1-1 from the back side: create, update, upsert, delete the profile.
        let profile = db.f("Account.profile");
        let bio = |b: &str| db.data("Profile", vec![("bio", Value::from(b))]);
        update_by_id(db, "Account", 2, nested(profile, NestedWrite::Create(vec![bio("bob bio")])), "id").await.unwrap();
        let bios = |account: i32| async move {
            db.firsts("Profile", FindManyArgs { filter: eq(db, "Profile.accountId", account), selection: db.sel("Profile", "bio"), ..FindManyArgs::default() }).await
        };
        assert_eq!(bios(2).await, [Value::from("bob bio")]);
        let upsert = NestedWrite::Upsert {
            filter: Filter::all(),
            create: Box::new(bio("never")),
            update: Box::new(update(vec![set(db, "Profile.bio", "bob 2")])),
        };
        update_by_id(db, "Account", 2, nested(profile, upsert), "id").await.unwrap();
        assert_eq!(bios(2).await, [Value::from("bob 2")]);
        update_by_id(db, "Account", 2, nested(profile, NestedWrite::Delete(vec![Filter::all()])), "id").await.unwrap();
        assert!(bios(2).await.is_empty());
        // connectOrCreate through a compound-key model.
        let views = db.f("Account.views");
        let key = Filter::and([eq(db, "View.postId", 10), eq(db, "View.accountId", 5)]);
        let data = db.data("View", vec![("postId", Value::Int(10)), ("count", Value::Int(7))]);
        update_by_id(db, "Account", 5, nested(views, NestedWrite::ConnectOrCreate(vec![(key.clone(), data.clone())])), "id").await.unwrap();
        update_by_id(db, "Account", 5, nested(views, NestedWrite::ConnectOrCreate(vec![(key.clone(), data)])), "id").await.unwrap();
        let counts = db.firsts("View", FindManyArgs { filter: key, selection: db.sel("View", "count"), ..FindManyArgs::default() }).await;
        assert_eq!(counts, [Value::Int(7)]);
    }

    async fn arithmetic(backend) {
        let db = Db::full_fixture(backend).await;
        let op = |field: &str, op: UpdateOp| vec![(db.f(field), op)];
        let view_count = |post: i32, account: i32, ops: Vec<(FieldId, UpdateOp)>| {
            let filter = Filter::and([eq(&db, "View.postId", post), eq(&db, "View.accountId", account)]);
            let db = &db;
            async move {
                let records = db
                    .client
                    .update(db.m("View"), UpdateArgs { filter, data: update(ops), selection: db.sel("View", "count") })
                    .await?;
                Ok::<_, Error>(first_column(&records.rows).remove(0))
            }
        };
        // Int division truncates (3 / 2 = 1).
        assert_eq!(view_count(1, 2, op("View.count", UpdateOp::Divide(Value::Int(2)))).await.unwrap(), Value::Int(1));
        // Increment on NULL stays NULL.
        let score = update_by_id(&db, "Account", 2, update(op("Account.score", UpdateOp::Increment(Value::Float(1.0)))), "score").await.unwrap();
        assert_eq!(score, [Value::Null]);
        // BigInt multiplication stays exact on both (SQLite integer arithmetic).
        let big = update_by_id(&db, "Account", 1, update(op("Account.bigNumber", UpdateOp::Multiply(Value::BigInt(2)))), "bigNumber").await.unwrap();
        assert_eq!(big, [Value::BigInt(18_014_398_509_481_986)]);
        // Int overflow: P2020 naming the model on both, and the old value stays.
        let overflow = view_count(2, 3, op("View.count", UpdateOp::Set(Value::Int(i32::MAX)))).await.unwrap();
        assert_eq!(overflow, Value::Int(i32::MAX));
        let err = view_count(2, 3, op("View.count", UpdateOp::Multiply(Value::Int(3)))).await.unwrap_err();
        assert!(matches!(&err, Error::OutOfRange { model: Some(m), .. } if m == "View"), "{err:?}");
        assert_eq!(err.prisma_code(), Some("P2020"), "{err:?}");
        assert_eq!(view_count(2, 3, Vec::new()).await.unwrap(), Value::Int(i32::MAX));
        // Decimal division: DECIMAL(65,30) on PostgreSQL (to `Decimal`'s 28 digits here),
        // REAL on SQLite.
        update_by_id(&db, "Account", 3, update(vec![set(&db, "Account.balance", dec("1"))]), "id").await.unwrap();
        let third = update_by_id(&db, "Account", 3, update(op("Account.balance", UpdateOp::Divide(Value::Int(3)))), "balance").await.unwrap();
        let expected = match backend {
            Backend::Postgres => "0.3333333333333333333333333333",
            Backend::Sqlite => "0.3333333333333333",
        };
        assert_eq!(third, [dec(expected)]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn varchar_overflow_is_p2000_on_postgres() {
    let db = Db::full_fixture(Backend::Postgres).await;
    let long = "x".repeat(201);
    let err = update_by_id(
        &db,
        "Account",
        2,
        nested(
            db.f("Account.profile"),
            NestedWrite::Create(vec![
                db.data("Profile", vec![("bio", Value::from(long.as_str()))]),
            ]),
        ),
        "id",
    )
    .await
    .unwrap_err();
    assert_eq!(err.prisma_code(), Some("P2000"), "{err:?}");
    // SQLite keeps any length.
    let db = Db::full_fixture(Backend::Sqlite).await;
    let profile = db.f("Account.profile");
    let data = db.data("Profile", vec![("bio", Value::from(long.as_str()))]);
    update_by_id(
        &db,
        "Account",
        2,
        nested(profile, NestedWrite::Create(vec![data])),
        "id",
    )
    .await
    .unwrap();
}

/// The Prisma code and the model a constraint error names.
fn code_and_model(err: &Error) -> (Option<&'static str>, Option<&str>) {
    (err.prisma_code(), err.model())
}

both_backends! {
    async fn constraint_errors_name_the_model_on_every_write_path(backend) {
        let db = Db::full_fixture(backend).await;
        let pg = backend == Backend::Postgres;
        let account = db.m("Account");
        // A delete blocked by `onDelete: Restrict` (SQLite names no table for it).
        let err = db
            .client
            .delete(account, DeleteArgs { filter: eq(&db, "Account.id", 1), selection: db.sel("Account", "id") })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Account")), "{err:?}");
        // The constraint is `Post`'s: named on PostgreSQL, with no fields of `Account`.
        let Error::ForeignKeyViolation { fields, constraint, .. } = &err else { panic!("{err:?}") };
        assert!(fields.is_empty(), "{err:?}");
        assert_eq!(constraint.as_deref(), pg.then_some("Post_author_id_fkey"));
        assert!(err.to_string().starts_with("foreign key constraint failed on `Account` "), "{err}");
        let err = db.client.delete_many(account, eq(&db, "Account.id", 1)).await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Account")), "{err:?}");

        // Foreign keys written by create, update, updateMany and upsert.
        let err = db
            .client
            .create(db.m("Profile"), CreateArgs {
                data: db.data("Profile", vec![("bio", Value::from("b")), ("accountId", Value::Int(99))]),
                selection: db.sel("Profile", "id"),
            })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Profile")), "{err:?}");
        let err = update_by_id(&db, "Post", 1, update(vec![set(&db, "Post.authorId", 99)]), "id").await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Post")), "{err:?}");
        let err = db
            .client
            .update_many(db.m("Post"), UpdateManyArgs { filter: eq(&db, "Post.id", 1), data: update(vec![set(&db, "Post.authorId", 99)]) })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Post")), "{err:?}");
        let err = db
            .client
            .upsert(account, UpsertArgs {
                filter: eq(&db, "Account.email", "new@x.io"),
                create: db.data("Account", vec![("email", Value::from("new@x.io")), ("managerId", Value::Int(99))]),
                update: update(vec![]),
                selection: db.sel("Account", "id"),
            })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Account")), "{err:?}");

        // A required column set to null, by update and updateMany: the model and the field.
        let err = update_by_id(&db, "Account", 1, update(vec![set(&db, "Account.email", Value::Null)]), "id").await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2011"), Some("Account")), "{err:?}");
        assert!(matches!(&err, Error::NotNullViolation { column, .. } if column == "email"), "{err:?}");
        let err = update_by_id(&db, "Post", 1, update(vec![set(&db, "Post.authorId", Value::Null)]), "id").await.unwrap_err();
        assert!(matches!(&err, Error::NotNullViolation { model: Some(m), column, .. } if m == "Post" && column == "authorId"), "{err:?}");
        let err = db
            .client
            .update_many(account, UpdateManyArgs { filter: Filter::all(), data: update(vec![set(&db, "Account.email", Value::Null)]) })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2011"), Some("Account")), "{err:?}");

        // Unique violations by update and createMany.
        let err = update_by_id(&db, "Account", 2, update(vec![set(&db, "Account.email", "ann@x.io")]), "id").await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2002"), Some("Account")), "{err:?}");
        let err = db
            .client
            .create_many(db.m("Tag"), CreateManyArgs { data: vec![db.data("Tag", vec![("name", Value::from("rust"))])], ..CreateManyArgs::default() })
            .await
            .unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2002"), Some("Tag")), "{err:?}");

        // Nested writes: the model of the statement that failed, not the one written through.
        // Post 9's editor is account 4, which authored posts 7 and 8 (`Restrict`).
        let err = update_by_id(&db, "Post", 9, nested(db.f("Post.editor"), NestedWrite::Delete(vec![Filter::all()])), "id").await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2003"), Some("Account")), "{err:?}");
        let post = |slug: &str| db.data("Post", vec![("title", Value::from("t")), ("slug", Value::from(slug))]);
        let err = update_by_id(&db, "Account", 5, nested(db.f("Account.posts"), NestedWrite::Create(vec![post("dup"), post("dup")])), "id").await.unwrap_err();
        assert_eq!(code_and_model(&err), (Some("P2002"), Some("Post")), "{err:?}");

        // A value too long for `@db.VarChar(200)`: PostgreSQL only (SQLite checks no lengths).
        let long = "x".repeat(201);
        let profile = |bio: &str| db.data("Profile", vec![("bio", Value::from(bio))]);
        let created = update_by_id(&db, "Account", 2, nested(db.f("Account.profile"), NestedWrite::Create(vec![profile(&long)])), "id").await;
        let direct = db
            .client
            .create(db.m("Profile"), CreateArgs {
                data: db.data("Profile", vec![("bio", Value::from(long.as_str())), ("accountId", Value::Int(4))]),
                selection: db.sel("Profile", "id"),
            })
            .await;
        if pg {
            for err in [created.unwrap_err(), direct.unwrap_err()] {
                assert_eq!(code_and_model(&err), (Some("P2000"), Some("Profile")), "{err:?}");
            }
        } else {
            created.unwrap();
            direct.unwrap();
        }
    }
}
