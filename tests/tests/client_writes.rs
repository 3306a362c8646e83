//! Writes and write errors through the typed client on the full schema
//! (`tests/schemas/full.{postgresql,sqlite}.prisma`), on PostgreSQL and SQLite: create with
//! every scalar type and every kind of default, `@updatedAt`, `createMany` (also past the
//! bind-parameter limit), `createManyAndReturn`, update, upsert, delete, the atomic number
//! operations, nested writes through 1-1, 1-n, self and implicit m-n relations, their
//! atomicity, the typed errors (P2002, P2003, P2025) and writes in batches and transactions.
//!
//! Every test reads back what it wrote, through a second query (and through raw SQL where the
//! database's own names matter).

mod client_support;

use client_support::{Backend, database};
use rust_decimal::Decimal;
use serde_json::json;

/// A `Decimal` from its text.
fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The n-th UUID-shaped label (a `@db.Uuid` column on PostgreSQL).
fn label(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// The suite, written once against the generated client of the module it is expanded in.
macro_rules! writes_suite {
    () => {
        use super::*;
        use orm_core::Error;

        type Json = serde_json::Value;

        account::include!(pub AccountWithRelations { profile posts edited reports manager });
        post::include!(pub PostWithTags { tags editor views });
        tag::include!(pub TagWithPosts { posts });
        account::select!(pub AccountEmail { id email });
        tag::select!(pub TagName { name });

        async fn client() -> (client_support::Db, PrismaClient) {
            let db = database(BACKEND, PrismaClient::schema()).await;
            let prisma = PrismaClient::from(db.client.clone());
            (db, prisma)
        }

        async fn account(prisma: &PrismaClient, email: &str) -> account::Account {
            prisma
                .account()
                .create(account::Create {
                    email: email.into(),
                })
                .exec()
                .await
                .unwrap()
        }

        async fn post(prisma: &PrismaClient, author: i32, slug: &str) -> post::Post {
            let data = post::Create {
                title: slug.to_uppercase(),
                slug: slug.into(),
                author_id: author,
            };
            prisma.post().create(data).exec().await.unwrap()
        }

        async fn tag(prisma: &PrismaClient, name: &str) -> tag::Tag {
            prisma
                .tag()
                .create(tag::Create { name: name.into() })
                .exec()
                .await
                .unwrap()
        }

        async fn reload(prisma: &PrismaClient, id: i32) -> account::Account {
            prisma
                .account()
                .find_unique_or_throw(account::id::equals(id))
                .exec()
                .await
                .unwrap()
        }

        async fn with_relations(prisma: &PrismaClient, id: i32) -> AccountWithRelations {
            prisma
                .account()
                .find_unique_or_throw(account::id::equals(id))
                .include(AccountWithRelations::args())
                .exec()
                .await
                .unwrap()
        }

        async fn post_with_tags(prisma: &PrismaClient, id: i32) -> PostWithTags {
            prisma
                .post()
                .find_unique_or_throw(post::id::equals(id))
                .include(PostWithTags::args())
                .exec()
                .await
                .unwrap()
        }

        async fn post_ids(prisma: &PrismaClient, author: i32, slugs: &[&str]) -> Vec<post::UniqueWhere> {
            let filters = vec![
                post::author_id::equals(author),
                post::slug::in_(slugs.iter().copied()),
            ];
            let posts = prisma.post().find_many(filters).exec().await.unwrap();
            posts.iter().map(|p| post::id::equals(p.id)).collect()
        }

        fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
            items.sort();
            items
        }

        fn slugs(posts: &[post::Post]) -> Vec<&str> {
            sorted(posts.iter().map(|p| p.slug.as_str()).collect())
        }

        fn names(tags: &[tag::Tag]) -> Vec<&str> {
            sorted(tags.iter().map(|t| t.name.as_str()).collect())
        }

        /// The count of every view, in account order.
        async fn view_counts(prisma: &PrismaClient) -> Vec<i32> {
            let views = prisma
                .view()
                .find_many(vec![])
                .order_by(view::account_id::asc())
                .exec()
                .await
                .unwrap();
            views.iter().map(|v| v.count).collect()
        }

        async fn count_accounts(prisma: &PrismaClient) -> i64 {
            prisma.account().count(vec![]).exec().await.unwrap()
        }

        async fn count_posts(prisma: &PrismaClient) -> i64 {
            prisma.post().count(vec![]).exec().await.unwrap()
        }

        async fn count_tags(prisma: &PrismaClient) -> i64 {
            prisma.tag().count(vec![]).exec().await.unwrap()
        }

        // ---- create, defaults, @updatedAt ----

        /// A create's statement is kept by shape after its first run (`engine::shapes`):
        /// later creates of the same shape bind their own values, and a field written, written
        /// as null or left out makes a different shape, each returning and storing its own
        /// record.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn repeated_creates_bind_their_own_values() {
            let (_db, prisma) = client().await;
            let named = |email: &'static str, name: Option<&'static str>| {
                account::Create {
                    email: email.into(),
                }
                .with(account::name::set(name.map(str::to_owned)))
            };
            let creations = [
                (named("a@x.io", Some("A")), Some("A")),
                (named("b@x.io", Some("B")), Some("B")),
                (named("c@x.io", None), None),
                (account::Create { email: "d@x.io".into() }.into(), None),
                (named("e@x.io", Some("E")), Some("E")),
                (named("f@x.io", None), None),
                (account::Create { email: "g@x.io".into() }.into(), None),
            ];
            let mut ids = Vec::new();
            for (data, name) in creations {
                let created = prisma.account().create(data).exec().await.unwrap();
                assert_eq!(created.name.as_deref(), name, "{}", created.email);
                assert_eq!(created.role, Role::User);
                assert_eq!(created.created_at, created.updated_at);
                ids.push((created.id, created.email, name));
            }
            for (id, email, name) in ids {
                let stored = prisma
                    .account()
                    .find_unique_or_throw(account::id::equals(id))
                    .exec()
                    .await
                    .unwrap();
                assert_eq!((stored.email, stored.name.as_deref()), (email, name));
            }
        }

        /// An update's statement is kept by shape after its first run (`engine::shapes`):
        /// later updates of the same shape bind their own values and `@updatedAt` bump, a
        /// missing record is still not found, and a null `set` is a shape of its own.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn repeated_updates_bind_their_own_values() {
            let (_db, prisma) = client().await;
            let mut accounts = Vec::new();
            for email in ["a@x.io", "b@x.io", "c@x.io"] {
                accounts.push(account(&prisma, email).await);
            }
            for (round, named) in [(1, "one"), (2, "two"), (3, "three")] {
                for a in &accounts {
                    let name = format!("{named} {}", a.email);
                    let updated = prisma
                        .account()
                        .update(
                            account::id::equals(a.id),
                            vec![
                                account::name::set(name.clone()),
                                account::score::increment(1.5),
                            ],
                        )
                        .exec()
                        .await
                        .unwrap();
                    assert_eq!(updated.id, a.id);
                    assert_eq!(updated.name.as_deref(), Some(name.as_str()));
                    assert_eq!(updated.score, None, "increment of a null stays null");
                    assert!(updated.updated_at > a.updated_at, "round {round}");
                }
            }
            let cleared = prisma
                .account()
                .update(
                    account::id::equals(accounts[0].id),
                    vec![account::name::set(None::<String>), account::score::increment(1.5)],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(cleared.name, None);
            let missing = prisma
                .account()
                .update(
                    account::id::equals(-1),
                    vec![account::name::set("x"), account::score::increment(1.5)],
                )
                .exec()
                .await;
            assert!(matches!(missing, Err(Error::NotFound { .. })), "{missing:?}");
            for (i, a) in accounts.iter().enumerate() {
                let stored = reload(&prisma, a.id).await;
                let expected = (i > 0).then(|| format!("three {}", a.email));
                assert_eq!(stored.name, expected);
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_writes_every_scalar_type_and_reads_it_back() {
            let (_db, prisma) = client().await;
            let manager = account(&prisma, "boss@x.io").await;
            let created = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::name::set("Ann"))
                    .with(account::role::set(Role::Admin))
                    .with(account::balance::set(dec("1234.5678")))
                    .with(account::big_number::set(9_007_199_254_740_993_i64))
                    .with(account::score::set(2.5))
                    .with(account::active::set(false))
                    .with(account::avatar::set(vec![0_u8, 1, 254, 255]))
                    .with(account::settings::set(
                        json!({"theme": "dark", "n": [1, 2]}),
                    ))
                    .with(account::manager_id::set(manager.id)),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(created.email, "ann@x.io");
            assert_eq!(created.name.as_deref(), Some("Ann"));
            assert_eq!(created.role, Role::Admin);
            assert_eq!(created.balance, dec("1234.5678"));
            assert_eq!(created.big_number, Some(9_007_199_254_740_993));
            assert_eq!(created.score, Some(2.5));
            assert!(!created.active);
            assert_eq!(created.avatar.as_deref(), Some(&[0_u8, 1, 254, 255][..]));
            assert_eq!(
                created.settings,
                Some(json!({"theme": "dark", "n": [1, 2]}))
            );
            assert_eq!(created.manager_id, Some(manager.id));
            // What the database holds is what the create returned.
            assert_eq!(reload(&prisma, created.id).await, created);

            // The schema's names reach the database: `@@map("accounts")`, `@map("big_number")`
            // and the enum value `@map("admin")`.
            let id = created.id;
            let raw: Vec<(i64, String)> = orm_core::query_raw!(
                prisma,
                r#"SELECT big_number, CAST(role AS TEXT) FROM accounts WHERE id = {id}"#
            )
            .await
            .unwrap();
            assert_eq!(raw, [(9_007_199_254_740_993, "admin".to_owned())]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_applies_defaults_and_leaves_optional_fields_null() {
            let (_db, prisma) = client().await;
            let before = chrono::Utc::now() - chrono::Duration::seconds(1);
            let first = account(&prisma, "a@x.io").await;
            let second = account(&prisma, "b@x.io").await;
            let after = chrono::Utc::now() + chrono::Duration::seconds(1);
            assert_eq!((first.id, second.id), (1, 2), "autoincrement");
            assert_eq!(first.role, Role::User);
            assert_eq!(first.balance, Decimal::ZERO);
            assert!(first.active);
            assert_eq!(
                (
                    &first.name,
                    first.big_number,
                    first.score,
                    &first.avatar,
                    &first.settings
                ),
                (&None, None, None, &None, &None)
            );
            assert_eq!(first.manager_id, None);
            assert!(
                before < first.created_at && first.created_at < after,
                "now()"
            );
            assert_eq!(
                first.created_at, first.updated_at,
                "one instant for now() and @updatedAt"
            );
            assert_eq!(
                first.created_at.timestamp_subsec_nanos() % 1_000_000,
                0,
                "milliseconds"
            );
            assert_eq!(reload(&prisma, first.id).await, first);

            // A post: autoincrement, the `published` default and its own now().
            let post = post(&prisma, first.id, "hello").await;
            assert!(!post.published);
            assert_eq!(
                (post.body.as_deref(), post.rating, post.editor_id),
                (None, None, None)
            );
            assert!(before < post.created_at && post.created_at < after);
            // A view: the compound id given, `count` and `viewedAt` from their defaults.
            let view = prisma
                .view()
                .create(view::Create {
                    post_id: post.id,
                    account_id: first.id,
                })
                .exec()
                .await
                .unwrap();
            assert_eq!(view.count, 1);
            assert!(before < view.viewed_at && view.viewed_at < after);
            let found = prisma
                .view()
                .find_unique(view::post_id_account_id::equals(post.id, first.id))
                .exec()
                .await
                .unwrap();
            assert_eq!(found, Some(view));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn extreme_values_round_trip() {
            let (_db, prisma) = client().await;
            let text = "O'Brien \"quoted\" \\ 🦀 ünïcödé %_";
            let big = prisma
                .account()
                .create(
                    account::Create {
                        email: text.into(),
                    }
                    .with(account::name::set(""))
                    .with(account::big_number::set(i64::MAX))
                    .with(account::score::set(-1.5e300))
                    .with(account::balance::set(dec("-99999999999.000000001")))
                    .with(account::avatar::set((0..=255).collect::<Vec<u8>>()))
                    .with(account::settings::set(json!({"s": text, "n": null, "deep": [[{}]]}))),
                )
                .exec()
                .await
                .unwrap();
            let small = prisma
                .account()
                .create(
                    account::Create {
                        email: "small@x.io".into(),
                    }
                    .with(account::big_number::set(i64::MIN))
                    .with(account::score::set(f64::MIN_POSITIVE)),
                )
                .exec()
                .await
                .unwrap();
            let stored = reload(&prisma, big.id).await;
            assert_eq!(stored, big);
            assert_eq!(stored.email, text);
            assert_eq!(stored.name.as_deref(), Some(""), "an empty string is not null");
            assert_eq!(stored.big_number, Some(i64::MAX));
            // PostgreSQL keeps DECIMAL(65,30); SQLite stores a REAL, as with Prisma
            // (prisma-golden SEMANTICS.md, "Decimal").
            let expected = match BACKEND {
                Backend::Postgres => dec("-99999999999.000000001"),
                Backend::Sqlite => dec("-99999999999"),
            };
            assert_eq!(stored.balance, expected);
            assert_eq!(stored.avatar.as_ref().map(Vec::len), Some(256));
            let stored = reload(&prisma, small.id).await;
            assert_eq!((stored.big_number, stored.score), (Some(i64::MIN), Some(f64::MIN_POSITIVE)));
            // DateTime keeps milliseconds, as Prisma does.
            let precise = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:59.123456789Z")
                .unwrap()
                .with_timezone(&chrono::Utc);
            let token = prisma
                .token()
                .create(token::Create { label: label(1) }.with(token::expires::set(precise)))
                .exec()
                .await
                .unwrap();
            let found = prisma
                .token()
                .find_unique(token::id::equals(token.id.clone()))
                .exec()
                .await
                .unwrap()
                .unwrap();
            let millis = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:59.123Z")
                .unwrap()
                .with_timezone(&chrono::Utc);
            assert_eq!(found.expires, Some(millis));
            assert_eq!(token.expires, found.expires, "the create returns what is stored");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn client_side_id_defaults_of_every_kind() {
            let (_db, prisma) = client().await;
            let a = prisma
                .token()
                .create(token::Create { label: label(1) })
                .exec()
                .await
                .unwrap();
            let b = prisma
                .token()
                .create(token::Create { label: label(2) })
                .exec()
                .await
                .unwrap();
            // 8-4-4-4-12 hex digits; the version is the first digit of the third group.
            let uuid_version = |text: &str| {
                let groups: Vec<_> = text.split('-').collect();
                assert_eq!(
                    groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                    [8, 4, 4, 4, 12]
                );
                assert!(
                    text.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
                    "{text}"
                );
                groups[2].chars().next().unwrap()
            };
            for token in [&a, &b] {
                assert_eq!(uuid_version(&token.id), '7', "uuid(7): {}", token.id);
                assert_eq!(uuid_version(&token.v4), '4', "uuid(): {}", token.v4);
                assert_eq!(token.cuid1.len(), 25, "cuid(): {}", token.cuid1);
                assert!(token.cuid1.starts_with('c'));
                assert_eq!(token.cuid2.len(), 24, "cuid(2): {}", token.cuid2);
                assert!(
                    token
                        .cuid2
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                );
                assert_eq!((token.nano.len(), token.nano16.len()), (21, 16), "nanoid()");
                // Database defaults come back with the record.
                assert_eq!(token.payload, Vec::<u8>::new());
                assert_eq!(token.big, 9_007_199_254_740_993);
                assert_eq!(token.expires, None);
            }
            // `dbgenerated()`: the database's own expression, also through RETURNING.
            for token in [&a, &b] {
                match BACKEND {
                    Backend::Postgres => assert_eq!(uuid_version(&token.code), '4'),
                    Backend::Sqlite => {
                        assert_eq!(token.code.len(), 16, "{}", token.code);
                        assert!(token.code.chars().all(|c| c.is_ascii_hexdigit()));
                    }
                }
            }
            assert_ne!(a.code, b.code);
            assert_ne!(a.id, b.id);
            assert_ne!(a.cuid1, b.cuid1);
            assert_ne!(a.cuid2, b.cuid2);
            assert_ne!(a.nano, b.nano);
            let stored = prisma
                .token()
                .find_many(vec![])
                .order_by(token::label::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(stored, [a.clone(), b]);

            // A default is only a default: given values win.
            let expires = chrono::DateTime::parse_from_rfc3339("2030-01-02T03:04:05.678Z")
                .unwrap()
                .with_timezone(&chrono::Utc);
            let given = prisma
                .token()
                .create(
                    token::Create { label: label(3) }
                        .with(token::id::set("my-id"))
                        .with(token::payload::set(vec![7_u8]))
                        .with(token::big::set(-5_i64))
                        .with(token::expires::set(expires)),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(
                (
                    given.id.as_str(),
                    given.payload.as_slice(),
                    given.big,
                    given.expires
                ),
                ("my-id", &[7_u8][..], -5, Some(expires))
            );
            let found = prisma
                .token()
                .find_unique(token::id::equals("my-id"))
                .exec()
                .await
                .unwrap();
            assert_eq!(found, Some(given));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn updated_at_follows_every_update() {
            let (_db, prisma) = client().await;
            let created = account(&prisma, "a@x.io").await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let updated = prisma
                .account()
                .update(
                    account::id::equals(created.id),
                    vec![account::name::set("Ann")],
                )
                .exec()
                .await
                .unwrap();
            assert!(updated.updated_at > created.updated_at, "{updated:?}");
            assert_eq!(updated.created_at, created.created_at);
            assert_eq!(
                reload(&prisma, created.id).await.updated_at,
                updated.updated_at
            );

            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let n = prisma
                .account()
                .update_many(vec![], vec![account::score::set(1.0)])
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 1);
            let again = reload(&prisma, created.id).await;
            assert!(
                again.updated_at > updated.updated_at,
                "updateMany maintains @updatedAt"
            );

            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let upserted = prisma
                .account()
                .upsert(
                    account::email::equals("a@x.io"),
                    account::Create {
                        email: "a@x.io".into(),
                    },
                    vec![account::active::set(false)],
                )
                .exec()
                .await
                .unwrap();
            assert!(
                upserted.updated_at > again.updated_at,
                "upsert's update maintains it"
            );
            assert!(!upserted.active);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn json_null_and_database_null_are_kept_apart() {
            let (_db, prisma) = client().await;
            let a = prisma
                .account()
                .create(
                    account::Create {
                        email: "a@x.io".into(),
                    }
                    .with(account::settings::set(Json::Null)),
                )
                .exec()
                .await
                .unwrap();
            let b = account(&prisma, "b@x.io").await;
            assert_eq!(reload(&prisma, a.id).await.settings, Some(Json::Null));
            assert_eq!(reload(&prisma, b.id).await.settings, None);
            let json_nulls = prisma
                .account()
                .count(vec![account::settings::is_not_null()])
                .exec()
                .await
                .unwrap();
            assert_eq!(json_nulls, 1, "a JSON null is a value");
            prisma
                .account()
                .update(
                    account::id::equals(a.id),
                    vec![account::settings::set(None::<Json>)],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(reload(&prisma, a.id).await.settings, None);
        }

        // ---- createMany, createManyAndReturn ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_many_counts_and_skips_duplicates() {
            let (_db, prisma) = client().await;
            let n = prisma
                .tag()
                .create_many(["rust", "sql", "orm"].map(|name| tag::Create { name: name.into() }))
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 3);

            // A duplicate fails the whole statement: nothing of it is written.
            let err = prisma
                .tag()
                .create_many(["new", "sql"].map(|name| tag::Create { name: name.into() }))
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(count_tags(&prisma).await, 3);

            // skipDuplicates inserts the rest, also a duplicate of a row given by id.
            let n = prisma
                .tag()
                .create_many([
                    tag::Create { name: "new".into() }.into(),
                    tag::Create { name: "sql".into() }.into(),
                    tag::Create {
                        name: "other".into(),
                    }
                    .with(tag::id::set(1)),
                ])
                .skip_duplicates()
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 1);
            let tags = prisma.tag().find_many(vec![]).exec().await.unwrap();
            assert_eq!(names(&tags), ["new", "orm", "rust", "sql"]);

            // Rows giving different optional fields: each gets what it gave, or the default.
            let me = account(&prisma, "me@x.io").await;
            let n = prisma
                .post()
                .create_many([
                    post::Create {
                        title: "A".into(),
                        slug: "a".into(),
                        author_id: me.id,
                    }
                    .with(post::published::set(true))
                    .with(post::rating::set(dec("4.5"))),
                    post::Create {
                        title: "B".into(),
                        slug: "b".into(),
                        author_id: me.id,
                    }
                    .with(post::body::set("text")),
                ])
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 2);
            let posts = prisma
                .post()
                .find_many(vec![])
                .order_by(post::slug::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                posts
                    .iter()
                    .map(|p| (p.published, p.rating, p.body.as_deref()))
                    .collect::<Vec<_>>(),
                [(true, Some(dec("4.5")), None), (false, None, Some("text"))]
            );
            assert_eq!(
                prisma
                    .tag()
                    .create_many(Vec::<tag::Create>::new())
                    .exec()
                    .await
                    .unwrap(),
                0
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_many_and_return_gives_the_created_records() {
            let (_db, prisma) = client().await;
            tag(&prisma, "sql").await;
            let created = prisma
                .tag()
                .create_many_and_return(["a", "b"].map(|name| tag::Create { name: name.into() }))
                .exec()
                .await
                .unwrap();
            assert_eq!(names(&created), ["a", "b"]);
            let ids = sorted(created.iter().map(|t| t.id).collect());
            assert_eq!(ids, [2, 3]);

            let tokens = prisma
                .token()
                .create_many_and_return([1, 2].map(|n| token::Create { label: label(n) }))
                .exec()
                .await
                .unwrap();
            assert_eq!(tokens.len(), 2);
            assert!(
                tokens
                    .iter()
                    .all(|t| t.id.len() == 36 && t.big == 9_007_199_254_740_993)
            );
            assert!(tokens[0].code != tokens[1].code && !tokens[0].code.is_empty());
            let stored = prisma
                .token()
                .find_many(vec![])
                .order_by(token::label::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(stored, tokens);

            // skipDuplicates returns only what it inserted.
            let created = prisma
                .tag()
                .create_many_and_return(["a", "c"].map(|name| tag::Create { name: name.into() }))
                .skip_duplicates()
                .exec()
                .await
                .unwrap();
            assert_eq!(names(&created), ["c"]);
            assert_eq!(count_tags(&prisma).await, 4);

            let err = prisma
                .tag()
                .create_many_and_return(["d", "c"].map(|name| tag::Create { name: name.into() }))
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(count_tags(&prisma).await, 4);
        }

        /// One parameter a tag (its name): 70,000 tags need three statements on SQLite (32,766
        /// parameters each); PostgreSQL binds one array per column (`UNNEST`) and needs one.
        /// Its `VALUES` form splits too: `postgres::create_many_in_values_form_…`.
        const PAST_THE_LIMIT: usize = 70_000;

        fn total(n: usize) -> i64 {
            i64::try_from(n).unwrap()
        }

        fn tag_name(n: usize) -> String {
            format!("tag-{n:06}")
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_many_past_the_bind_limit_splits_in_one_transaction() {
            let (db, prisma) = client().await;
            let tags = |range: std::ops::Range<usize>| range.map(|n| tag::Create { name: tag_name(n) });

            // A duplicate in the last part: the parts before it are rolled back.
            let failing = tags(0..PAST_THE_LIMIT).chain([tag::Create { name: tag_name(0) }]);
            let err = prisma.tag().create_many(failing).exec().await.unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (Some("Tag"), &["name".to_owned()][..])
            );
            assert_eq!(count_tags(&prisma).await, 0, "atomic");

            let before = db.statements();
            let n = prisma
                .tag()
                .create_many(tags(0..PAST_THE_LIMIT))
                .exec()
                .await
                .unwrap();
            let parts = db.statements() - before;
            assert_eq!(n, u64::try_from(PAST_THE_LIMIT).unwrap());
            // PostgreSQL sends the rows as one array per column (`UNNEST`): one statement
            // whatever the number of rows. SQLite splits at its bind-parameter limit.
            let expected = match BACKEND {
                Backend::Postgres => 1,
                Backend::Sqlite => 3,
            };
            assert_eq!(parts, expected, "one INSERT per part");
            assert_eq!(count_tags(&prisma).await, total(PAST_THE_LIMIT));
            let last = prisma
                .tag()
                .find_unique(tag::name::equals(tag_name(PAST_THE_LIMIT - 1)))
                .exec()
                .await;
            assert!(last.unwrap().is_some(), "the last part is written");

            // createManyAndReturn splits the same way and returns every record.
            let returned = prisma
                .tag()
                .create_many_and_return(tags(PAST_THE_LIMIT..2 * PAST_THE_LIMIT))
                .exec()
                .await
                .unwrap();
            assert_eq!(returned.len(), PAST_THE_LIMIT);
            let returned_names = sorted(returned.iter().map(|t| t.name.clone()).collect::<Vec<_>>());
            let expected_names: Vec<_> = (PAST_THE_LIMIT..2 * PAST_THE_LIMIT).map(tag_name).collect();
            assert!(
                returned_names == expected_names,
                "every created record, once"
            );
            assert_eq!(count_tags(&prisma).await, total(2 * PAST_THE_LIMIT));
        }

        // ---- update, updateMany, upsert, delete, deleteMany ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn update_changes_one_record_by_any_unique_key() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let bob = account(&prisma, "bob@x.io").await;
            let updated = prisma
                .account()
                .update(
                    account::email::equals("ann@x.io"),
                    vec![
                        account::email::set("ann@y.io"),
                        account::name::set("Ann"),
                        account::role::set(Role::Admin),
                        account::avatar::set(vec![1_u8, 2]),
                        account::settings::set(json!({"a": 1})),
                        account::manager_id::set(bob.id),
                    ],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(updated.email, "ann@y.io");
            assert_eq!(reload(&prisma, ann.id).await, updated);
            assert_eq!(
                reload(&prisma, bob.id).await,
                bob,
                "the other record is untouched"
            );
            // Setting optional fields back to null.
            let cleared = prisma
                .account()
                .update(
                    account::id::equals(ann.id),
                    vec![
                        account::name::set(None::<String>),
                        account::avatar::set(None::<Vec<u8>>),
                        account::manager_id::set(None::<i32>),
                    ],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(
                (cleared.name, cleared.avatar, cleared.manager_id),
                (None, None, None)
            );
            assert_eq!(
                reload(&prisma, ann.id).await.settings,
                Some(json!({"a": 1}))
            );

            // By compound unique and by compound id.
            let hello = post(&prisma, ann.id, "hello").await;
            let by_compound = prisma
                .post()
                .update(
                    post::author_id_slug::equals(ann.id, "hello"),
                    vec![post::title::set("Hi"), post::rating::set(dec("2.25"))],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(
                (by_compound.id, by_compound.title.as_str()),
                (hello.id, "Hi")
            );
            prisma
                .view()
                .create(view::Create {
                    post_id: hello.id,
                    account_id: bob.id,
                })
                .exec()
                .await
                .unwrap();
            let view = prisma
                .view()
                .update(
                    view::post_id_account_id::equals(hello.id, bob.id),
                    vec![view::count::set(10)],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(view.count, 10);
            let stored = prisma
                .view()
                .find_first(vec![])
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(stored.count, 10);
            // An update with nothing to change still returns the record.
            let same = prisma
                .post()
                .update(post::id::equals(hello.id), vec![])
                .exec()
                .await
                .unwrap();
            assert_eq!(same.title, "Hi");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn update_many_changes_the_matching_records_only() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let bob = account(&prisma, "bob@x.io").await;
            for slug in ["a", "b", "c"] {
                post(&prisma, ann.id, slug).await;
            }
            post(&prisma, bob.id, "a").await;
            let n = prisma
                .post()
                .update_many(
                    vec![post::author_id::equals(ann.id), post::slug::not("c")],
                    vec![post::published::set(true), post::body::set("done")],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 2);
            let published = prisma
                .post()
                .find_many(vec![post::published::equals(true)])
                .exec()
                .await
                .unwrap();
            assert_eq!(
                sorted(
                    published
                        .iter()
                        .map(|p| (p.author_id, p.slug.as_str(), p.body.as_deref()))
                        .collect()
                ),
                [(ann.id, "a", Some("done")), (ann.id, "b", Some("done"))]
            );
            let none = prisma
                .post()
                .update_many(
                    vec![post::slug::equals("zzz")],
                    vec![post::published::set(true)],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(none, 0);
            // Every record when there is no filter.
            let all = prisma
                .post()
                .update_many(vec![], vec![post::title::set("T")])
                .exec()
                .await
                .unwrap();
            assert_eq!(all, 4);
            assert_eq!(
                prisma
                    .post()
                    .count(vec![post::title::equals("T")])
                    .exec()
                    .await
                    .unwrap(),
                4
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn writes_return_the_payload_they_are_asked_for() {
            let (_db, prisma) = client().await;
            let new_post = |slug: &str| account::posts::Create {
                title: "T".into(),
                slug: slug.into(),
            };
            // create with include: the nested writes come back with the record.
            let ann = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::posts::create([new_post("a"), new_post("b")]))
                    .with(account::profile::create(account::profile::Create {
                        bio: "hi".into(),
                    })),
                )
                .include(AccountWithRelations::args())
                .exec()
                .await
                .unwrap();
            assert_eq!(slugs(&ann.posts), ["a", "b"]);
            assert_eq!(ann.profile.as_ref().map(|p| p.bio.as_str()), Some("hi"));
            assert_eq!(ann.email, "ann@x.io");
            // update with include, its relation arguments applied.
            let updated = prisma
                .account()
                .update(
                    account::id::equals(ann.id),
                    vec![account::posts::create([new_post("c")])],
                )
                .include(
                    AccountWithRelations::args()
                        .with(account::posts::args().order_by(post::slug::desc()).take(2)),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(
                updated.posts.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(),
                ["c", "b"]
            );
            // upsert with a select: only what it names.
            let email = prisma
                .account()
                .upsert(
                    account::email::equals("ann@x.io"),
                    account::Create {
                        email: "ann@x.io".into(),
                    },
                    vec![account::name::set("Ann")],
                )
                .select(AccountEmail::args())
                .exec()
                .await
                .unwrap();
            assert_eq!((email.id, email.email.as_str()), (ann.id, "ann@x.io"));
            // delete with include: the record and its relations as they were.
            let p = prisma
                .post()
                .find_unique(post::author_id_slug::equals(ann.id, "a"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            prisma
                .post()
                .update(
                    post::id::equals(p.id),
                    vec![post::tags::create([tag::Create { name: "t".into() }])],
                )
                .exec()
                .await
                .unwrap();
            let deleted = prisma
                .post()
                .delete(post::id::equals(p.id))
                .include(PostWithTags::args())
                .exec()
                .await
                .unwrap();
            assert_eq!((deleted.slug.as_str(), names(&deleted.tags)), ("a", vec!["t"]));
            assert!(
                prisma
                    .post()
                    .find_unique(post::id::equals(p.id))
                    .exec()
                    .await
                    .unwrap()
                    .is_none()
            );
            // createManyAndReturn with a select.
            let tags = prisma
                .tag()
                .create_many_and_return(["x", "y"].map(|name| tag::Create { name: name.into() }))
                .select(TagName::args())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                sorted(tags.into_iter().map(|t| t.name).collect::<Vec<_>>()),
                ["x", "y"]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn upsert_creates_then_updates() {
            let (db, prisma) = client().await;
            let upsert = |name: &'static str| {
                prisma.account().upsert(
                    account::email::equals("ann@x.io"),
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::name::set(name)),
                    vec![account::name::set("Updated"), account::score::set(1.5)],
                )
            };
            // One `INSERT … ON CONFLICT … DO UPDATE` each time, as Prisma sends.
            let before = db.statements();
            let created = upsert("Created").exec().await.unwrap();
            assert_eq!(
                (created.name.as_deref(), created.score),
                (Some("Created"), None)
            );
            let updated = upsert("Created").exec().await.unwrap();
            assert_eq!(db.statements() - before, 2, "a single statement per upsert");
            assert_eq!(updated.id, created.id);
            assert_eq!(
                (updated.name.as_deref(), updated.score),
                (Some("Updated"), Some(1.5))
            );
            assert_eq!(count_accounts(&prisma).await, 1);
            assert_eq!(reload(&prisma, created.id).await, updated);

            // An empty update gives the record back untouched; a create that breaks another
            // unique than the one filtered on is P2002.
            let same = prisma
                .account()
                .upsert(
                    account::email::equals("ann@x.io"),
                    account::Create {
                        email: "ann@x.io".into(),
                    },
                    vec![],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(same, updated);
            let err = prisma
                .account()
                .upsert(
                    account::id::equals(999),
                    account::Create {
                        email: "ann@x.io".into(),
                    },
                    vec![],
                )
                .exec()
                .await
                .unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (Some("Account"), &["email".to_owned()][..])
            );
            assert_eq!(count_accounts(&prisma).await, 1);

            // On a compound id, with an atomic operation in the update branch.
            let post = post(&prisma, created.id, "p").await;
            let upsert_view = || {
                prisma.view().upsert(
                    view::post_id_account_id::equals(post.id, created.id),
                    view::Create {
                        post_id: post.id,
                        account_id: created.id,
                    },
                    vec![view::count::increment(1)],
                )
            };
            assert_eq!(
                upsert_view().exec().await.unwrap().count,
                1,
                "created with the default"
            );
            assert_eq!(upsert_view().exec().await.unwrap().count, 2);
            assert_eq!(upsert_view().exec().await.unwrap().count, 3);
            let views = prisma.view().find_many(vec![]).exec().await.unwrap();
            assert_eq!(views.iter().map(|v| v.count).collect::<Vec<_>>(), [3]);

            // On a compound unique whose create conflicts with another unique: P2002.
            let err = prisma
                .post()
                .upsert(
                    post::author_id_slug::equals(created.id, "q"),
                    post::Create {
                        title: "Q".into(),
                        slug: "q".into(),
                        author_id: created.id,
                    }
                    .with(post::id::set(post.id)),
                    vec![],
                )
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(count_posts(&prisma).await, 1);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn upsert_with_nested_writes_takes_either_branch() {
            let (_db, prisma) = client().await;
            let new_post = |slug: &str| account::posts::Create {
                title: "T".into(),
                slug: slug.into(),
            };
            let upsert = || {
                prisma.account().upsert(
                    account::email::equals("ann@x.io"),
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::posts::create([new_post("created")]))
                    .with(account::profile::create(account::profile::Create {
                        bio: "new".into(),
                    })),
                    vec![
                        account::posts::create([new_post("updated")]),
                        account::profile::update(vec![profile::bio::set("updated")]),
                    ],
                )
            };
            let created = upsert().exec().await.unwrap();
            let first = with_relations(&prisma, created.id).await;
            assert_eq!(slugs(&first.posts), ["created"]);
            assert_eq!(first.profile.unwrap().bio, "new");
            let updated = upsert().exec().await.unwrap();
            assert_eq!(updated.id, created.id);
            let second = with_relations(&prisma, created.id).await;
            assert_eq!(slugs(&second.posts), ["created", "updated"]);
            assert_eq!(second.profile.unwrap().bio, "updated");
            assert_eq!(count_accounts(&prisma).await, 1);

            // The to-one side holding the foreign key: upsert creates, then updates.
            let p = prisma
                .post()
                .find_first(vec![post::slug::equals("created")])
                .exec()
                .await
                .unwrap()
                .unwrap();
            let upsert_editor = || {
                prisma
                    .post()
                    .update(
                        post::id::equals(p.id),
                        vec![post::editor::upsert(
                            account::Create {
                                email: "ed@x.io".into(),
                            },
                            vec![account::name::set("Ed")],
                        )],
                    )
                    .exec()
            };
            let with_editor = upsert_editor().await.unwrap();
            let editor = reload(&prisma, with_editor.editor_id.unwrap()).await;
            assert_eq!((editor.email.as_str(), editor.name), ("ed@x.io", None));
            let again = upsert_editor().await.unwrap();
            assert_eq!(again.editor_id, Some(editor.id));
            assert_eq!(reload(&prisma, editor.id).await.name.as_deref(), Some("Ed"));
            assert_eq!(count_accounts(&prisma).await, 2);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn writes_the_types_cannot_rule_out_are_invalid_queries() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let invalid = |err: Error| {
                assert!(matches!(&err, Error::InvalidQuery { .. }), "{err:?}");
                assert_eq!(err.prisma_code(), Some("P2009"));
            };
            // An atomic operation in a create.
            let err = prisma
                .account()
                .create(
                    account::Create {
                        email: "bob@x.io".into(),
                    }
                    .with(account::score::increment(1.0)),
                )
                .exec()
                .await
                .unwrap_err();
            invalid(err);
            // Nested writes in createMany and updateMany.
            let with_posts = account::Create {
                email: "bob@x.io".into(),
            }
            .with(account::posts::create([account::posts::Create {
                title: "T".into(),
                slug: "t".into(),
            }]));
            invalid(
                prisma
                    .account()
                    .create_many([with_posts])
                    .exec()
                    .await
                    .unwrap_err(),
            );
            let err = prisma
                .account()
                .update_many(vec![], vec![account::profile::delete()])
                .exec()
                .await
                .unwrap_err();
            invalid(err);
            assert_eq!(count_accounts(&prisma).await, 1);
            assert_eq!(reload(&prisma, ann.id).await, ann);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn delete_and_delete_many_remove_records() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let bob = account(&prisma, "bob@x.io").await;
            let carl = account(&prisma, "carl@x.io").await;
            let deleted = prisma
                .account()
                .delete(account::email::equals("bob@x.io"))
                .exec()
                .await
                .unwrap();
            assert_eq!(deleted, bob);
            assert_eq!(
                prisma
                    .account()
                    .find_unique(account::id::equals(bob.id))
                    .exec()
                    .await
                    .unwrap(),
                None
            );
            assert_eq!(count_accounts(&prisma).await, 2);

            for slug in ["a", "b", "c"] {
                post(&prisma, ann.id, slug).await;
            }
            post(&prisma, carl.id, "a").await;
            let n = prisma
                .post()
                .delete_many(vec![
                    post::slug::in_(["a", "b"]),
                    post::author_id::equals(ann.id),
                ])
                .exec()
                .await
                .unwrap();
            assert_eq!(n, 2);
            let left = prisma
                .post()
                .find_many(vec![])
                .order_by(post::id::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                left.iter()
                    .map(|p| (p.author_id, p.slug.as_str()))
                    .collect::<Vec<_>>(),
                [(ann.id, "c"), (carl.id, "a")]
            );
            let deleted = prisma
                .post()
                .delete(post::author_id_slug::equals(carl.id, "a"))
                .exec()
                .await
                .unwrap();
            assert_eq!(deleted.author_id, carl.id);
            assert_eq!(prisma.post().delete_many(vec![]).exec().await.unwrap(), 1);
            assert_eq!(count_posts(&prisma).await, 0);

            // Deleting an account cascades to its profile and views, and sets its reports'
            // manager to null.
            let report = prisma
                .account()
                .create(
                    account::Create {
                        email: "r@x.io".into(),
                    }
                    .with(account::manager_id::set(ann.id)),
                )
                .exec()
                .await
                .unwrap();
            prisma
                .account()
                .update(
                    account::id::equals(ann.id),
                    vec![account::profile::create(account::profile::Create {
                        bio: "b".into(),
                    })],
                )
                .exec()
                .await
                .unwrap();
            prisma
                .account()
                .delete(account::id::equals(ann.id))
                .exec()
                .await
                .unwrap();
            assert_eq!(prisma.profile().count(vec![]).exec().await.unwrap(), 0);
            assert_eq!(reload(&prisma, report.id).await.manager_id, None);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn atomic_number_operations() {
            let (_db, prisma) = client().await;
            let ann = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::balance::set(dec("10.50")))
                    .with(account::big_number::set(10_i64))
                    .with(account::score::set(3.0)),
                )
                .exec()
                .await
                .unwrap();
            let bob = account(&prisma, "bob@x.io").await;
            let apply = |id: i32, data: Vec<account::Data>| {
                prisma
                    .account()
                    .update(account::id::equals(id), data)
                    .exec()
            };
            let a = apply(
                ann.id,
                vec![
                    account::balance::increment(dec("0.25")),
                    account::big_number::increment(5_i64),
                    account::score::increment(0.5),
                ],
            )
            .await
            .unwrap();
            assert_eq!(
                (a.balance, a.big_number, a.score),
                (dec("10.75"), Some(15), Some(3.5))
            );
            let a = apply(
                ann.id,
                vec![
                    account::balance::decrement(dec("0.75")),
                    account::big_number::decrement(20_i64),
                    account::score::decrement(1.5),
                ],
            )
            .await
            .unwrap();
            assert_eq!(
                (a.balance, a.big_number, a.score),
                (dec("10"), Some(-5), Some(2.0))
            );
            let a = apply(
                ann.id,
                vec![
                    account::balance::multiply(dec("1.5")),
                    account::big_number::multiply(-3_i64),
                    account::score::multiply(4.0),
                ],
            )
            .await
            .unwrap();
            assert_eq!(
                (a.balance, a.big_number, a.score),
                (dec("15"), Some(15), Some(8.0))
            );
            let a = apply(
                ann.id,
                vec![
                    account::balance::divide(dec("4")),
                    account::big_number::divide(2_i64),
                    account::score::divide(16.0),
                ],
            )
            .await
            .unwrap();
            assert_eq!(a.balance, dec("3.75"));
            assert_eq!(a.big_number, Some(7), "integer division");
            assert_eq!(a.score, Some(0.5));
            assert_eq!(reload(&prisma, ann.id).await, a);
            // Arithmetic on a null field leaves it null.
            let b = apply(
                bob.id,
                vec![
                    account::score::increment(1.0),
                    account::big_number::multiply(2_i64),
                ],
            )
            .await
            .unwrap();
            assert_eq!((b.score, b.big_number), (None, None));

            // Int, on every matching record at once, and `set`.
            let p = post(&prisma, ann.id, "p").await;
            for account_id in [ann.id, bob.id] {
                prisma
                    .view()
                    .create(view::Create {
                        post_id: p.id,
                        account_id,
                    })
                    .exec()
                    .await
                    .unwrap();
            }
            let counts = || view_counts(&prisma);
            let all = |data: Vec<view::Data>| prisma.view().update_many(vec![], data).exec();
            assert_eq!(all(vec![view::count::increment(9)]).await.unwrap(), 2);
            assert_eq!(counts().await, [10, 10]);
            all(vec![view::count::multiply(3)]).await.unwrap();
            assert_eq!(counts().await, [30, 30]);
            all(vec![view::count::decrement(2)]).await.unwrap();
            assert_eq!(counts().await, [28, 28]);
            all(vec![view::count::divide(3)]).await.unwrap();
            assert_eq!(counts().await, [9, 9]);
            prisma
                .view()
                .update(
                    view::post_id_account_id::equals(p.id, bob.id),
                    vec![view::count::set(-1)],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(counts().await, [9, -1]);
        }

        /// An atomic operation whose result does not fit the column fails with P2020 naming
        /// the model, on SQLite as on PostgreSQL, and writes nothing: the row keeps its old
        /// value and can still be read. Through `update`, `updateMany`, both kinds of upsert
        /// (one `INSERT … ON CONFLICT` on a single unique, a read then an update on a
        /// compound one), for `Int` past either end and `BigInt` past `i64::MAX`.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn arithmetic_past_the_column_range_is_out_of_range_and_writes_nothing() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let bob = account(&prisma, "bob@x.io").await;
            let p = post(&prisma, ann.id, "p").await;
            for account_id in [ann.id, bob.id] {
                prisma
                    .view()
                    .create(view::Create {
                        post_id: p.id,
                        account_id,
                    })
                    .exec()
                    .await
                    .unwrap();
            }
            let at_max = view::post_id_account_id::equals(p.id, ann.id);
            prisma
                .view()
                .update(at_max.clone(), vec![view::count::set(i32::MAX)])
                .exec()
                .await
                .unwrap();
            let counts = || view_counts(&prisma);
            fn out_of_range<T>(result: Result<T, Error>, model: &str, what: &str) {
                let err = result.map(|_| ()).expect_err(what);
                assert!(
                    matches!(&err, Error::OutOfRange { model: Some(m), .. } if m == model),
                    "{what}: {err:?}"
                );
                assert_eq!(err.prisma_code(), Some("P2020"), "{what}");
            }

            let update = |data: Vec<view::Data>| {
                prisma.view().update(at_max.clone(), data).exec()
            };
            out_of_range(update(vec![view::count::increment(1)]).await, "View", "increment");
            out_of_range(update(vec![view::count::multiply(2)]).await, "View", "multiply");
            let at_one = view::post_id_account_id::equals(p.id, bob.id);
            let low = prisma
                .view()
                .update(at_one.clone(), vec![view::count::decrement(i32::MAX)])
                .exec()
                .await
                .unwrap();
            assert_eq!(low.count, i32::MIN + 2);
            out_of_range(
                prisma
                    .view()
                    .update(at_one.clone(), vec![view::count::decrement(3)])
                    .exec()
                    .await,
                "View",
                "decrement past i32::MIN",
            );
            prisma
                .view()
                .update(at_one.clone(), vec![view::count::set(1)])
                .exec()
                .await
                .unwrap();
            assert_eq!(counts().await, [i32::MAX, 1], "nothing written");
            // Every matching record or none: the one that would overflow fails the statement.
            out_of_range(
                prisma
                    .view()
                    .update_many(vec![], vec![view::count::increment(1)])
                    .exec()
                    .await,
                "View",
                "updateMany",
            );
            assert_eq!(counts().await, [i32::MAX, 1], "nothing written");
            out_of_range(
                prisma
                    .view()
                    .upsert(
                        at_max.clone(),
                        view::Create {
                            post_id: p.id,
                            account_id: ann.id,
                        },
                        vec![view::count::increment(1)],
                    )
                    .exec()
                    .await,
                "View",
                "upsert on a compound id",
            );
            assert_eq!(counts().await, [i32::MAX, 1], "nothing written");
            // The largest value still fits.
            let last = prisma
                .view()
                .update(at_one, vec![view::count::increment(i32::MAX - 1)])
                .exec()
                .await
                .unwrap();
            assert_eq!(last.count, i32::MAX);

            // BigInt past i64::MAX, through the single-unique upsert (`ON CONFLICT`).
            prisma
                .account()
                .update(
                    account::id::equals(ann.id),
                    vec![account::big_number::set(i64::MAX - 1)],
                )
                .exec()
                .await
                .unwrap();
            let upsert_ann = || {
                prisma
                    .account()
                    .upsert(
                        account::email::equals("ann@x.io"),
                        account::Create {
                            email: "ann@x.io".into(),
                        },
                        vec![account::big_number::increment(1_i64)],
                    )
                    .exec()
            };
            assert_eq!(upsert_ann().await.unwrap().big_number, Some(i64::MAX));
            out_of_range(upsert_ann().await, "Account", "BigInt upsert");
            out_of_range(
                prisma
                    .account()
                    .update(
                        account::id::equals(ann.id),
                        vec![account::big_number::multiply(2_i64)],
                    )
                    .exec()
                    .await,
                "Account",
                "BigInt multiply",
            );
            assert_eq!(reload(&prisma, ann.id).await.big_number, Some(i64::MAX));
        }

        // ---- nested writes ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_writes_through_a_one_to_one_relation() {
            let (_db, prisma) = client().await;
            let bio = |text: &str| account::profile::Create { bio: text.into() };
            // create
            let ann = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::profile::create(bio("first"))),
                )
                .exec()
                .await
                .unwrap();
            let profile = with_relations(&prisma, ann.id).await.profile.unwrap();
            assert_eq!(
                (profile.bio.as_str(), profile.account_id),
                ("first", ann.id)
            );
            assert_eq!(profile.id.len(), 25, "cuid() default in a nested create");
            let update = |email: &str, data: Vec<account::Data>| {
                prisma
                    .account()
                    .update(account::email::equals(email), data)
                    .exec()
            };
            // update
            update(
                "ann@x.io",
                vec![account::profile::update(vec![profile::bio::set("second")])],
            )
            .await
            .unwrap();
            assert_eq!(
                with_relations(&prisma, ann.id).await.profile.unwrap().bio,
                "second"
            );
            // upsert: the update branch, then (on an account without one) the create branch
            update(
                "ann@x.io",
                vec![account::profile::upsert(
                    bio("unused"),
                    vec![profile::bio::set("third")],
                )],
            )
            .await
            .unwrap();
            assert_eq!(
                with_relations(&prisma, ann.id).await.profile.unwrap().bio,
                "third"
            );
            let bob = account(&prisma, "bob@x.io").await;
            update(
                "bob@x.io",
                vec![account::profile::upsert(
                    bio("bob's"),
                    vec![profile::bio::set("unused")],
                )],
            )
            .await
            .unwrap();
            assert_eq!(
                with_relations(&prisma, bob.id).await.profile.unwrap().bio,
                "bob's"
            );
            assert_eq!(prisma.profile().count(vec![]).exec().await.unwrap(), 2);
            // disconnect: the profile's foreign key is required, so it fails and writes nothing
            let err = update(
                "ann@x.io",
                vec![account::name::set("x"), account::profile::disconnect()],
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&err, Error::InvalidQuery { model, .. } if model == "Account"),
                "{err:?}"
            );
            assert_eq!(reload(&prisma, ann.id).await.name, None);
            assert!(with_relations(&prisma, ann.id).await.profile.is_some());
            // delete
            update("bob@x.io", vec![account::profile::delete()])
                .await
                .unwrap();
            assert!(with_relations(&prisma, bob.id).await.profile.is_none());
            assert_eq!(prisma.profile().count(vec![]).exec().await.unwrap(), 1);
            // connect: Ann's profile moves to Bob
            update(
                "bob@x.io",
                vec![account::profile::connect(profile::account_id::equals(
                    ann.id,
                ))],
            )
            .await
            .unwrap();
            assert_eq!(
                with_relations(&prisma, bob.id).await.profile.unwrap().bio,
                "third"
            );
            assert!(with_relations(&prisma, ann.id).await.profile.is_none());
            // connectOrCreate: creates when missing, connects when found
            update(
                "ann@x.io",
                vec![account::profile::connect_or_create(
                    profile::id::equals("missing"),
                    bio("fourth"),
                )],
            )
            .await
            .unwrap();
            assert_eq!(
                with_relations(&prisma, ann.id).await.profile.unwrap().bio,
                "fourth"
            );
            assert_eq!(prisma.profile().count(vec![]).exec().await.unwrap(), 2);

            // From the side holding the foreign key: connect, update, connectOrCreate.
            let carl = account(&prisma, "carl@x.io").await;
            let moved = prisma
                .profile()
                .update(
                    profile::account_id::equals(bob.id),
                    vec![profile::account::connect(account::email::equals(
                        "carl@x.io",
                    ))],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(moved.account_id, carl.id);
            prisma
                .profile()
                .update(
                    profile::account_id::equals(carl.id),
                    vec![profile::account::update(vec![account::name::set("Carl")])],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(reload(&prisma, carl.id).await.name.as_deref(), Some("Carl"));
            let created = prisma
                .profile()
                .update(
                    profile::account_id::equals(carl.id),
                    vec![profile::account::connect_or_create(
                        account::email::equals("dan@x.io"),
                        account::Create {
                            email: "dan@x.io".into(),
                        },
                    )],
                )
                .exec()
                .await
                .unwrap();
            let dan = prisma
                .account()
                .find_unique(account::email::equals("dan@x.io"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(created.account_id, dan.id);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_writes_through_a_one_to_many_relation() {
            let (_db, prisma) = client().await;
            let new_post = |slug: &str| account::posts::Create {
                title: slug.to_uppercase(),
                slug: slug.into(),
            };
            // create and createMany, in a create
            let ann = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::posts::create([new_post("a"), new_post("b")]))
                    .with(account::posts::create_many([
                        new_post("c").with(post::published::set(true)),
                        new_post("d").into(),
                    ])),
                )
                .exec()
                .await
                .unwrap();
            let posts = with_relations(&prisma, ann.id).await.posts;
            assert_eq!(slugs(&posts), ["a", "b", "c", "d"]);
            assert!(posts.iter().all(|p| p.author_id == ann.id));
            assert_eq!(posts.iter().filter(|p| p.published).count(), 1);
            let id_of = |slug: &str| posts.iter().find(|p| p.slug == slug).unwrap().id;

            let bob = account(&prisma, "bob@x.io").await;
            post(&prisma, bob.id, "e").await;
            let update = |id: i32, data: Vec<account::Data>| {
                prisma
                    .account()
                    .update(account::id::equals(id), data)
                    .exec()
            };
            // connect: Bob's post moves to Ann
            update(
                ann.id,
                vec![account::posts::connect([post::author_id_slug::equals(
                    bob.id, "e",
                )])],
            )
            .await
            .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, ann.id).await.posts),
                ["a", "b", "c", "d", "e"]
            );
            assert!(with_relations(&prisma, bob.id).await.posts.is_empty());
            // connectOrCreate: one found, one created
            update(
                ann.id,
                vec![account::posts::connect_or_create([
                    (post::id::equals(id_of("a")), new_post("unused")),
                    (post::id::equals(999), new_post("f")),
                ])],
            )
            .await
            .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, ann.id).await.posts),
                ["a", "b", "c", "d", "e", "f"]
            );
            // update, updateMany (only Ann's posts), upsert both ways
            let bob_post = post(&prisma, bob.id, "a").await;
            update(
                ann.id,
                vec![
                    account::posts::update([(
                        post::id::equals(id_of("a")),
                        vec![post::title::set("First")],
                    )]),
                    account::posts::update_many(
                        vec![post::slug::in_(["a", "b"])],
                        vec![post::body::set("ab")],
                    ),
                    account::posts::upsert(
                        post::id::equals(id_of("b")),
                        new_post("unused"),
                        vec![post::rating::set(dec("5"))],
                    ),
                    account::posts::upsert(
                        post::author_id_slug::equals(ann.id, "g"),
                        new_post("g"),
                        vec![],
                    ),
                ],
            )
            .await
            .unwrap();
            let posts = with_relations(&prisma, ann.id).await.posts;
            let get = |slug: &str| posts.iter().find(|p| p.slug == slug).unwrap().clone();
            assert_eq!(get("a").title, "First");
            assert_eq!(
                (get("a").body.as_deref(), get("b").body.as_deref()),
                (Some("ab"), Some("ab"))
            );
            assert_eq!(get("c").body, None);
            assert_eq!(get("b").rating, Some(dec("5")));
            assert_eq!(get("g").author_id, ann.id);
            let untouched = prisma
                .post()
                .find_unique(post::id::equals(bob_post.id))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(untouched.body, None, "updateMany stays within the relation");
            // delete, deleteMany (only Ann's posts)
            update(
                ann.id,
                vec![
                    account::posts::delete([post::id::equals(id_of("a"))]),
                    account::posts::delete_many(vec![post::slug::in_(["b", "c"])]),
                ],
            )
            .await
            .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, ann.id).await.posts),
                ["d", "e", "f", "g"]
            );
            assert!(
                prisma
                    .post()
                    .find_unique(post::id::equals(bob_post.id))
                    .exec()
                    .await
                    .unwrap()
                    .is_some()
            );
            // A record of another parent cannot be deleted (P2017) or updated (P2025, as
            // Prisma answers) through this one.
            let err = update(
                ann.id,
                vec![account::posts::delete([post::id::equals(bob_post.id)])],
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&err, Error::RecordsNotConnected { parent, child, .. } if parent == "Account" && child == "Post"),
                "{err:?}"
            );
            assert_eq!(err.prisma_code(), Some("P2017"));
            let err = update(
                ann.id,
                vec![account::posts::update([(
                    post::id::equals(bob_post.id),
                    vec![post::title::set("x")],
                )])],
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, operation } if model == "Post" && operation == "a nested update"),
                "{err:?}"
            );
            assert_eq!(
                prisma
                    .post()
                    .find_unique(post::id::equals(bob_post.id))
                    .exec()
                    .await
                    .unwrap()
                    .unwrap()
                    .title,
                "A"
            );
            // disconnect and set need an optional foreign key: `Post.author` is required.
            let err = update(
                ann.id,
                vec![account::posts::disconnect([post::author_id_slug::equals(
                    ann.id, "d",
                )])],
            )
            .await
            .unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            let err = update(
                ann.id,
                vec![account::posts::set([post::author_id_slug::equals(
                    ann.id, "d",
                )])],
            )
            .await
            .unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            assert_eq!(
                slugs(&with_relations(&prisma, ann.id).await.posts),
                ["d", "e", "f", "g"]
            );

            // `Post.editor` is optional: connect, disconnect, set.
            let ids = |slugs: &'static [&'static str]| post_ids(&prisma, ann.id, slugs);
            update(
                bob.id,
                vec![account::edited::connect(ids(&["d", "e", "f"]).await)],
            )
            .await
            .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, bob.id).await.edited),
                ["d", "e", "f"]
            );
            update(bob.id, vec![account::edited::disconnect(ids(&["d"]).await)])
                .await
                .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, bob.id).await.edited),
                ["e", "f"]
            );
            update(bob.id, vec![account::edited::set(ids(&["d", "g"]).await)])
                .await
                .unwrap();
            assert_eq!(
                slugs(&with_relations(&prisma, bob.id).await.edited),
                ["d", "g"]
            );
            let unedited = prisma
                .post()
                .count(vec![post::editor_id::is_null()])
                .exec()
                .await
                .unwrap();
            assert_eq!(
                unedited, 3,
                "`set` disconnected e and f (and Bob's own post has none)"
            );
            update(bob.id, vec![account::edited::set([])])
                .await
                .unwrap();
            assert!(with_relations(&prisma, bob.id).await.edited.is_empty());

            // The to-one side: editor connect, connectOrCreate, create, disconnect; author connect.
            let d = ids(&["d"]).await.remove(0);
            let through_post = |data: Vec<post::Data>| prisma.post().update(d.clone(), data).exec();
            let p = through_post(vec![post::editor::connect(account::email::equals(
                "bob@x.io",
            ))])
            .await
            .unwrap();
            assert_eq!(p.editor_id, Some(bob.id));
            let p = through_post(vec![post::editor::connect_or_create(
                account::email::equals("carl@x.io"),
                account::Create {
                    email: "carl@x.io".into(),
                },
            )])
            .await
            .unwrap();
            let carl = prisma
                .account()
                .find_unique(account::email::equals("carl@x.io"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(p.editor_id, Some(carl.id));
            let p = through_post(vec![post::editor::create(
                account::Create {
                    email: "dan@x.io".into(),
                }
                .with(account::name::set("Dan")),
            )])
            .await
            .unwrap();
            assert_ne!(p.editor_id, Some(carl.id));
            let with_editor = post_with_tags(&prisma, p.id).await;
            assert_eq!(with_editor.editor.unwrap().name.as_deref(), Some("Dan"));
            let p = through_post(vec![post::editor::update(vec![account::name::set(
                "Daniel",
            )])])
            .await
            .unwrap();
            assert_eq!(
                reload(&prisma, p.editor_id.unwrap()).await.name.as_deref(),
                Some("Daniel")
            );
            let p = through_post(vec![post::editor::disconnect()])
                .await
                .unwrap();
            assert_eq!(p.editor_id, None);
            let p = through_post(vec![post::author::connect(account::id::equals(bob.id))])
                .await
                .unwrap();
            assert_eq!(p.author_id, bob.id);
            assert_eq!(
                slugs(&with_relations(&prisma, ann.id).await.posts),
                ["e", "f", "g"]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn create_through_a_required_relation_instead_of_its_foreign_key() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            // Prisma's `post.create({ data: { title, slug, author: { connect } } })`: the data
            // of a post created through `Account.posts` (no `authorId`), plus the relation.
            let data = |slug: &str| account::posts::Create {
                title: "T".into(),
                slug: slug.into(),
            };
            let connected = prisma
                .post()
                .create(data("a").with(post::author::connect(account::email::equals("ann@x.io"))))
                .exec()
                .await
                .unwrap();
            assert_eq!(connected.author_id, ann.id);
            let created = prisma
                .post()
                .create(data("b").with(post::author::create(account::Create {
                    email: "bob@x.io".into(),
                })))
                .exec()
                .await
                .unwrap();
            let bob = prisma
                .account()
                .find_unique(account::email::equals("bob@x.io"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(created.author_id, bob.id);
            let either = prisma
                .post()
                .create(data("c").with(post::author::connect_or_create(
                    account::email::equals("bob@x.io"),
                    account::Create {
                        email: "bob@x.io".into(),
                    },
                )))
                .exec()
                .await
                .unwrap();
            assert_eq!(either.author_id, bob.id);
            assert_eq!(slugs(&with_relations(&prisma, bob.id).await.posts), ["b", "c"]);
            // A compound id made of two relations: one given by key, one connected.
            let view = prisma
                .view()
                .create(
                    post::views::Create { account_id: bob.id }
                        .with(view::post::connect(post::id::equals(connected.id))),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!((view.post_id, view.account_id), (connected.id, bob.id));
            // The profile of an account, by its email.
            let profile = prisma
                .profile()
                .create(
                    account::profile::Create { bio: "b".into() }
                        .with(profile::account::connect(account::email::equals("ann@x.io"))),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(profile.account_id, ann.id);
            // Without the relation the required key is missing: the write fails, writes nothing.
            let err = prisma.post().create(data("d")).exec().await.unwrap_err();
            assert!(matches!(&err, Error::InvalidQuery { model, .. } if model == "Post"), "{err:?}");
            // A connect to a missing record.
            let err = prisma
                .post()
                .create(data("d").with(post::author::connect(account::id::equals(999))))
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2025"), "{err:?}");
            assert_eq!(count_posts(&prisma).await, 3);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_create_many_skips_duplicates_when_asked() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            post(&prisma, ann.id, "a").await;
            let new_post = |slug: &str| account::posts::Create {
                title: "T".into(),
                slug: slug.into(),
            };
            let update = |data: Vec<account::Data>| {
                prisma
                    .account()
                    .update(account::id::equals(ann.id), data)
                    .exec()
            };
            let posts = || async { slugs(&with_relations(&prisma, ann.id).await.posts).join(" ") };
            let err = update(vec![account::posts::create_many([
                new_post("b"),
                new_post("a"),
            ])])
            .await
            .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(posts().await, "a");
            update(vec![
                account::posts::create_many([new_post("b"), new_post("a"), new_post("c")])
                    .skip_duplicates(),
            ])
            .await
            .unwrap();
            assert_eq!(posts().await, "a b c");
            // Only a createMany skips: anything else fails the write, which writes nothing.
            let err = update(vec![
                account::name::set("Ann"),
                account::posts::create([new_post("d")]).skip_duplicates(),
            ])
            .await
            .unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            assert_eq!(posts().await, "a b c");
            assert_eq!(reload(&prisma, ann.id).await.name, None);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_writes_through_a_self_relation() {
            let (_db, prisma) = client().await;
            // A manager created with the account.
            let ann = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::manager::create(account::Create {
                        email: "boss@x.io".into(),
                    })),
                )
                .exec()
                .await
                .unwrap();
            let boss = prisma
                .account()
                .find_unique(account::email::equals("boss@x.io"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(ann.manager_id, Some(boss.id));
            assert_eq!(
                with_relations(&prisma, boss.id)
                    .await
                    .reports
                    .iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>(),
                [ann.id]
            );
            assert_eq!(
                with_relations(&prisma, ann.id).await.manager.map(|m| m.id),
                Some(boss.id)
            );

            // Reports created, connected, disconnected and set from the manager's side.
            let update = |id: i32, data: Vec<account::Data>| {
                prisma
                    .account()
                    .update(account::id::equals(id), data)
                    .exec()
            };
            update(
                boss.id,
                vec![
                    account::reports::create([account::Create {
                        email: "bob@x.io".into(),
                    }]),
                    account::reports::create_many([account::Create {
                        email: "carl@x.io".into(),
                    }]),
                ],
            )
            .await
            .unwrap();
            let client = &prisma;
            let reports = |id: i32| async move {
                sorted(
                    with_relations(client, id)
                        .await
                        .reports
                        .into_iter()
                        .map(|r| r.email)
                        .collect::<Vec<_>>(),
                )
            };
            assert_eq!(
                reports(boss.id).await,
                ["ann@x.io", "bob@x.io", "carl@x.io"]
            );
            let dan = account(&prisma, "dan@x.io").await;
            update(
                boss.id,
                vec![account::reports::connect([account::id::equals(dan.id)])],
            )
            .await
            .unwrap();
            update(
                boss.id,
                vec![account::reports::disconnect([account::email::equals(
                    "ann@x.io",
                )])],
            )
            .await
            .unwrap();
            assert_eq!(
                reports(boss.id).await,
                ["bob@x.io", "carl@x.io", "dan@x.io"]
            );
            assert_eq!(reload(&prisma, ann.id).await.manager_id, None);
            update(
                boss.id,
                vec![account::reports::set([
                    account::email::equals("ann@x.io"),
                    account::email::equals("bob@x.io"),
                ])],
            )
            .await
            .unwrap();
            assert_eq!(reports(boss.id).await, ["ann@x.io", "bob@x.io"]);
            // An account managing itself.
            update(
                dan.id,
                vec![account::manager::connect(account::id::equals(dan.id))],
            )
            .await
            .unwrap();
            assert_eq!(reload(&prisma, dan.id).await.manager_id, Some(dan.id));
            update(dan.id, vec![account::manager::disconnect()])
                .await
                .unwrap();
            assert_eq!(reload(&prisma, dan.id).await.manager_id, None);
            // Deleting the manager through the relation sets the reports' key to null.
            update(ann.id, vec![account::manager::delete()])
                .await
                .unwrap();
            assert!(
                prisma
                    .account()
                    .find_unique(account::id::equals(boss.id))
                    .exec()
                    .await
                    .unwrap()
                    .is_none()
            );
            let bob = prisma
                .account()
                .find_unique(account::email::equals("bob@x.io"))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(bob.manager_id, None);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_writes_through_an_implicit_many_to_many_relation() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            tag(&prisma, "rust").await;
            tag(&prisma, "sql").await;
            let new_tag = |name: &str| tag::Create { name: name.into() };
            // create, connect, connectOrCreate (found and missing), in a create
            let p = prisma
                .post()
                .create(
                    post::Create {
                        title: "T".into(),
                        slug: "t".into(),
                        author_id: ann.id,
                    }
                    .with(post::tags::create([new_tag("orm"), new_tag("db")]))
                    .with(post::tags::connect([tag::name::equals("rust")]))
                    .with(post::tags::connect_or_create([
                        (tag::name::equals("sql"), new_tag("sql")),
                        (tag::name::equals("new"), new_tag("new")),
                    ])),
                )
                .exec()
                .await
                .unwrap();
            let client = &prisma;
            let tags_of = |id: i32| async move {
                names(&post_with_tags(client, id).await.tags)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            };
            assert_eq!(tags_of(p.id).await, ["db", "new", "orm", "rust", "sql"]);
            assert_eq!(count_tags(&prisma).await, 5);
            // The join table holds one row per link.
            let links: Vec<(i64,)> = orm_core::query_raw!(prisma, r#"SELECT COUNT(*) FROM "_PostToTag""#)
                .await
                .unwrap();
            assert_eq!(links, [(5,)]);

            let update = |data: Vec<post::Data>| prisma.post().update(post::id::equals(p.id), data).exec();
            // disconnect keeps the tags, set replaces the links
            update(vec![post::tags::disconnect([
                tag::name::equals("db"),
                tag::name::equals("absent"),
            ])])
            .await
            .unwrap();
            assert_eq!(tags_of(p.id).await, ["new", "orm", "rust", "sql"]);
            assert_eq!(count_tags(&prisma).await, 5);
            update(vec![post::tags::set([
                tag::name::equals("db"),
                tag::name::equals("rust"),
            ])])
            .await
            .unwrap();
            assert_eq!(tags_of(p.id).await, ["db", "rust"]);
            // update and updateMany reach only linked tags
            update(vec![
                post::tags::update([(tag::name::equals("db"), vec![tag::name::set("database")])]),
                post::tags::update_many(
                    vec![tag::name::starts_with("r")],
                    vec![tag::name::set("rust-lang")],
                ),
            ])
            .await
            .unwrap();
            assert_eq!(tags_of(p.id).await, ["database", "rust-lang"]);
            let err = update(vec![post::tags::update([(
                tag::name::equals("sql"),
                vec![tag::name::set("x")],
            )])])
            .await
            .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, .. } if model == "Tag"),
                "an unlinked tag: {err:?}"
            );
            let err = update(vec![post::tags::delete([tag::name::equals("sql")])])
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2017"), "{err:?}");
            assert_eq!(count_tags(&prisma).await, 5);
            // upsert: a linked tag is updated, a missing one created and linked
            update(vec![
                post::tags::upsert(
                    tag::name::equals("database"),
                    new_tag("unused"),
                    vec![tag::name::set("db")],
                ),
                post::tags::upsert(tag::name::equals("web"), new_tag("web"), vec![]),
            ])
            .await
            .unwrap();
            assert_eq!(tags_of(p.id).await, ["db", "rust-lang", "web"]);
            // delete and deleteMany delete the linked tags themselves
            update(vec![
                post::tags::delete([tag::name::equals("web")]),
                post::tags::delete_many(vec![tag::name::equals("db")]),
            ])
            .await
            .unwrap();
            assert_eq!(tags_of(p.id).await, ["rust-lang"]);
            let all = prisma.tag().find_many(vec![]).exec().await.unwrap();
            assert_eq!(names(&all), ["new", "orm", "rust-lang", "sql"]);

            // From the other side: a tag connects posts.
            let q = post(&prisma, ann.id, "q").await;
            prisma
                .tag()
                .update(
                    tag::name::equals("sql"),
                    vec![tag::posts::connect([
                        post::id::equals(p.id),
                        post::id::equals(q.id),
                    ])],
                )
                .exec()
                .await
                .unwrap();
            let sql = prisma
                .tag()
                .find_unique(tag::name::equals("sql"))
                .include(TagWithPosts::args())
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(slugs(&sql.posts), ["q", "t"]);
            assert_eq!(tags_of(q.id).await, ["sql"]);
            // Deleting a post removes its links, not the tags.
            prisma
                .post()
                .delete(post::id::equals(q.id))
                .exec()
                .await
                .unwrap();
            let links: Vec<(i64,)> = orm_core::query_raw!(prisma, r#"SELECT COUNT(*) FROM "_PostToTag""#)
                .await
                .unwrap();
            assert_eq!(links, [(2,)]);
            assert_eq!(count_tags(&prisma).await, 4);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn nested_writes_to_records_with_a_compound_id() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let p = post(&prisma, ann.id, "p").await;
            let q = post(&prisma, ann.id, "q").await;
            let viewer = prisma
                .account()
                .create(
                    account::Create {
                        email: "v@x.io".into(),
                    }
                    .with(account::views::create([account::views::Create {
                        post_id: p.id,
                    }]))
                    .with(account::views::create_many([account::views::Create {
                        post_id: q.id,
                    }
                    .with(view::count::set(5))])),
                )
                .exec()
                .await
                .unwrap();
            let counts = || async {
                let views = prisma
                    .view()
                    .find_many(vec![view::account_id::equals(viewer.id)])
                    .order_by(view::post_id::asc())
                    .exec()
                    .await
                    .unwrap();
                views
                    .iter()
                    .map(|v| (v.post_id, v.count))
                    .collect::<Vec<_>>()
            };
            assert_eq!(counts().await, [(p.id, 1), (q.id, 5)]);
            prisma
                .account()
                .update(
                    account::id::equals(viewer.id),
                    vec![
                        account::views::update([(
                            view::post_id_account_id::equals(p.id, viewer.id),
                            vec![view::count::increment(1)],
                        )]),
                        account::views::upsert(
                            view::post_id_account_id::equals(q.id, viewer.id),
                            account::views::Create { post_id: q.id },
                            vec![view::count::multiply(2)],
                        ),
                    ],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(counts().await, [(p.id, 2), (q.id, 10)]);
            prisma
                .post()
                .update(
                    post::id::equals(p.id),
                    vec![post::views::delete([view::post_id_account_id::equals(
                        p.id, viewer.id,
                    )])],
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(counts().await, [(q.id, 10)]);
        }

        // ---- atomicity of nested writes ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_failing_nested_write_writes_nothing() {
            let (_db, prisma) = client().await;
            let new_post = |slug: &str| account::posts::Create {
                title: "T".into(),
                slug: slug.into(),
            };
            // The second nested post breaks the compound unique: no account, no post.
            let err = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::profile::create(account::profile::Create {
                        bio: "b".into(),
                    }))
                    .with(account::posts::create([new_post("a"), new_post("a")])),
                )
                .exec()
                .await
                .unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (
                    Some("Post"),
                    &["authorId".to_owned(), "slug".to_owned()][..]
                )
            );
            assert_eq!(
                (count_accounts(&prisma).await, count_posts(&prisma).await),
                (0, 0)
            );
            assert_eq!(prisma.profile().count(vec![]).exec().await.unwrap(), 0);

            // A nested connect to a missing record, after other nested writes: P2025 naming the
            // missing model, and nothing written.
            let err = prisma
                .account()
                .create(
                    account::Create {
                        email: "ann@x.io".into(),
                    }
                    .with(account::posts::create([new_post("a")]))
                    .with(account::reports::connect([account::email::equals(
                        "nobody@x.io",
                    )])),
                )
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, operation } if model == "Account" && operation == "a nested connect"),
                "{err:?}"
            );
            assert_eq!(err.prisma_code(), Some("P2025"));
            assert!(err.to_string().contains("`Account`"), "{err}");
            assert_eq!(
                (count_accounts(&prisma).await, count_posts(&prisma).await),
                (0, 0)
            );

            // In an update: the scalar change and the earlier nested writes are rolled back.
            let ann = account(&prisma, "ann@x.io").await;
            let p = post(&prisma, ann.id, "p").await;
            let err = prisma
                .post()
                .update(
                    post::id::equals(p.id),
                    vec![
                        post::title::set("changed"),
                        post::tags::create([tag::Create { name: "new".into() }]),
                        post::tags::connect([tag::name::equals("missing")]),
                    ],
                )
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, .. } if model == "Tag"),
                "{err:?}"
            );
            assert_eq!(post_with_tags(&prisma, p.id).await.title, "P");
            assert_eq!(count_tags(&prisma).await, 0);
            // A to-one connect to a missing record.
            let err = prisma
                .post()
                .update(
                    post::id::equals(p.id),
                    vec![
                        post::title::set("changed"),
                        post::editor::connect(account::id::equals(999)),
                    ],
                )
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, operation } if model == "Account" && operation == "a nested connect"),
                "{err:?}"
            );
            assert_eq!(post_with_tags(&prisma, p.id).await.title, "P");
            // A nested create that breaks a foreign key (P2003): the parent is not created.
            let err = prisma
                .account()
                .create(
                    account::Create {
                        email: "viewer@x.io".into(),
                    }
                    .with(account::views::create([account::views::Create {
                        post_id: 999,
                    }])),
                )
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
            assert_eq!(count_accounts(&prisma).await, 1);
            // An upsert whose nested create fails.
            let err = prisma
                .account()
                .upsert(
                    account::email::equals("bob@x.io"),
                    account::Create {
                        email: "bob@x.io".into(),
                    }
                    .with(account::posts::create([new_post("a"), new_post("a")])),
                    vec![],
                )
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(
                (count_accounts(&prisma).await, count_posts(&prisma).await),
                (1, 1)
            );
        }

        // ---- errors ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn unique_violations_name_the_model_and_fields() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let err = prisma
                .account()
                .create(account::Create {
                    email: "ann@x.io".into(),
                })
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"));
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (Some("Account"), &["email".to_owned()][..])
            );
            assert_eq!(
                err.to_string(),
                "unique constraint failed on `Account` fields (`email`)"
            );
            assert_eq!(count_accounts(&prisma).await, 1);

            // A compound unique names every field, in the schema's names (not `author_id`).
            post(&prisma, ann.id, "hello").await;
            let err = prisma
                .post()
                .create(post::Create {
                    title: "T".into(),
                    slug: "hello".into(),
                    author_id: ann.id,
                })
                .exec()
                .await
                .unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (
                    Some("Post"),
                    &["authorId".to_owned(), "slug".to_owned()][..]
                )
            );
            // A compound id.
            let p = post(&prisma, ann.id, "p").await;
            let view = view::Create {
                post_id: p.id,
                account_id: ann.id,
            };
            prisma.view().create(view.clone()).exec().await.unwrap();
            let err = prisma.view().create(view).exec().await.unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (
                    Some("View"),
                    &["postId".to_owned(), "accountId".to_owned()][..]
                )
            );
            // An update into a taken value.
            account(&prisma, "bob@x.io").await;
            let err = prisma
                .account()
                .update(
                    account::email::equals("bob@x.io"),
                    vec![account::email::set("ann@x.io")],
                )
                .exec()
                .await
                .unwrap_err();
            let Error::UniqueViolation { model, fields, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                (model.as_deref(), fields.as_slice()),
                (Some("Account"), &["email".to_owned()][..])
            );
            assert!(
                prisma
                    .account()
                    .find_unique(account::email::equals("bob@x.io"))
                    .exec()
                    .await
                    .unwrap()
                    .is_some()
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn missing_records_are_not_found_naming_the_model() {
            let (_db, prisma) = client().await;
            account(&prisma, "ann@x.io").await;
            let check = |err: Error, operation: &str| {
                assert!(
                    matches!(&err, Error::NotFound { model, operation: o } if model == "Account" && o == operation),
                    "{err:?}"
                );
                assert_eq!(err.prisma_code(), Some("P2025"));
                assert_eq!(
                    err.to_string(),
                    format!("no `Account` record was found for {operation}")
                );
            };
            let missing = || account::email::equals("nobody@x.io");
            check(
                prisma
                    .account()
                    .find_unique_or_throw(missing())
                    .exec()
                    .await
                    .unwrap_err(),
                "a query",
            );
            check(
                prisma
                    .account()
                    .find_first_or_throw(vec![account::name::equals("Nobody")])
                    .exec()
                    .await
                    .unwrap_err(),
                "a query",
            );
            check(
                prisma
                    .account()
                    .update(missing(), vec![account::name::set("x")])
                    .exec()
                    .await
                    .unwrap_err(),
                "an update",
            );
            check(
                prisma.account().delete(missing()).exec().await.unwrap_err(),
                "a delete",
            );
            // A unique filter with a condition that does not hold names no record either.
            let ann: account::UniqueWhere = account::email::equals("ann@x.io");
            let err = prisma
                .account()
                .update(
                    ann.and([account::name::equals("Bob")]),
                    vec![account::name::set("x")],
                )
                .exec()
                .await
                .unwrap_err();
            check(err, "an update");
            // The same without an annotation, and mixed with plain filters in a list.
            let err = prisma
                .account()
                .delete(account::email::equals("ann@x.io").and([account::name::equals("Bob")]))
                .exec()
                .await
                .unwrap_err();
            check(err, "a delete");
            assert_eq!(
                prisma
                    .account()
                    .count(vec![
                        account::email::equals("ann@x.io"),
                        account::name::is_null(),
                    ])
                    .exec()
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(count_accounts(&prisma).await, 1);
            assert_eq!(
                prisma.account().find_many(vec![]).exec().await.unwrap()[0].name,
                None
            );
            // The *_many operations count instead.
            assert_eq!(
                prisma
                    .account()
                    .update_many(vec![account::name::equals("Nobody")], vec![])
                    .exec()
                    .await
                    .unwrap(),
                0
            );
            assert_eq!(
                prisma
                    .account()
                    .delete_many(vec![account::name::equals("Nobody")])
                    .exec()
                    .await
                    .unwrap(),
                0
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn foreign_key_violations_are_p2003() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let err = prisma
                .post()
                .create(post::Create {
                    title: "T".into(),
                    slug: "t".into(),
                    author_id: 999,
                })
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
            assert!(matches!(err, Error::ForeignKeyViolation { .. }), "{err:?}");
            if BACKEND == Backend::Postgres {
                let Error::ForeignKeyViolation { model, fields, .. } = &err else {
                    unreachable!()
                };
                assert_eq!(
                    (model.as_deref(), fields.as_slice()),
                    (Some("Post"), &["authorId".to_owned()][..])
                );
            }
            assert_eq!(count_posts(&prisma).await, 0);
            // An update to a missing parent.
            let p = post(&prisma, ann.id, "p").await;
            let err = prisma
                .post()
                .update(post::id::equals(p.id), vec![post::editor_id::set(999)])
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
            assert_eq!(post_with_tags(&prisma, p.id).await.editor_id, None);
            // `onDelete: Restrict`: an author with posts cannot be deleted.
            let err = prisma
                .account()
                .delete(account::id::equals(ann.id))
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
            let err = prisma
                .account()
                .delete_many(vec![])
                .exec()
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2003"), "{err:?}");
            assert_eq!(count_accounts(&prisma).await, 1);
            assert_eq!(count_posts(&prisma).await, 1);
        }

        // ---- batches and transactions ----

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn writes_in_a_batch_commit_together_or_not_at_all() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let (bob, tags, renamed, posts, gone) = prisma
                .batch((
                    prisma.account().create(account::Create {
                        email: "bob@x.io".into(),
                    }),
                    prisma
                        .tag()
                        .create_many(["a", "b"].map(|name| tag::Create { name: name.into() })),
                    prisma
                        .account()
                        .update(account::id::equals(ann.id), vec![account::name::set("Ann")]),
                    prisma.post().create_many_and_return([post::Create {
                        title: "T".into(),
                        slug: "t".into(),
                        author_id: ann.id,
                    }]),
                    prisma.tag().delete_many(vec![tag::name::equals("a")]),
                ))
                .await
                .unwrap();
            assert_eq!(bob.email, "bob@x.io");
            assert_eq!((tags, gone), (2, 1));
            assert_eq!(renamed.name.as_deref(), Some("Ann"));
            assert_eq!(posts.len(), 1);
            assert_eq!(reload(&prisma, ann.id).await.name.as_deref(), Some("Ann"));
            assert_eq!(
                names(&prisma.tag().find_many(vec![]).exec().await.unwrap()),
                ["b"]
            );

            // The last write fails: the earlier ones are rolled back.
            let err = prisma
                .batch(vec![
                    prisma.account().update(
                        account::id::equals(ann.id),
                        vec![account::name::set("Changed")],
                    ),
                    prisma
                        .account()
                        .update(account::id::equals(999), vec![account::name::set("Nobody")]),
                ])
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2025"), "{err:?}");
            assert_eq!(reload(&prisma, ann.id).await.name.as_deref(), Some("Ann"));
            let err = prisma
                .batch((
                    prisma.tag().create(tag::Create { name: "c".into() }),
                    prisma.account().create(
                        account::Create {
                            email: "carl@x.io".into(),
                        }
                        .with(account::posts::create([account::posts::Create {
                            title: "T".into(),
                            slug: "t".into(),
                        }])),
                    ),
                    prisma.tag().create(tag::Create { name: "b".into() }),
                ))
                .await
                .unwrap_err();
            assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
            assert_eq!(
                (
                    count_tags(&prisma).await,
                    count_accounts(&prisma).await,
                    count_posts(&prisma).await
                ),
                (1, 2, 1)
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn writes_in_an_interactive_transaction() {
            let (_db, prisma) = client().await;
            let ann = account(&prisma, "ann@x.io").await;
            let created = prisma
                .transaction(|tx| async move {
                    let post = tx
                        .post()
                        .create(
                            post::Create {
                                title: "T".into(),
                                slug: "t".into(),
                                author_id: ann.id,
                            }
                            .with(post::tags::create([tag::Create { name: "a".into() }])),
                        )
                        .exec()
                        .await?;
                    tx.account()
                        .update(
                            account::id::equals(ann.id),
                            vec![account::balance::increment(dec("1.5"))],
                        )
                        .exec()
                        .await?;
                    Ok::<_, Error>(post)
                })
                .await
                .unwrap();
            assert_eq!(
                names(&post_with_tags(&prisma, created.id).await.tags),
                ["a"]
            );
            assert_eq!(reload(&prisma, ann.id).await.balance, dec("1.5"));

            // An error after nested writes rolls every one of them back.
            let failed: Result<(), Error> = prisma
                .transaction(|tx| async move {
                    tx.account()
                        .update(
                            account::id::equals(ann.id),
                            vec![
                                account::balance::increment(dec("1")),
                                account::posts::delete_many(vec![]),
                            ],
                        )
                        .exec()
                        .await?;
                    tx.tag()
                        .create_many(["b", "c"].map(|name| tag::Create { name: name.into() }))
                        .exec()
                        .await?;
                    tx.tag()
                        .create(tag::Create { name: "a".into() })
                        .exec()
                        .await?;
                    Ok(())
                })
                .await;
            assert_eq!(failed.unwrap_err().prisma_code(), Some("P2002"));
            assert_eq!(reload(&prisma, ann.id).await.balance, dec("1.5"));
            assert_eq!(
                (count_posts(&prisma).await, count_tags(&prisma).await),
                (1, 1)
            );
        }
    };
}

mod postgres {
    use super::*;

    const BACKEND: Backend = Backend::Postgres;
    orm_core::prisma_schema!("schemas/full.postgresql.prisma");

    mod suite {
        writes_suite!();
    }

    /// PostgreSQL sends a uniform `createMany` as one array per column (`UNNEST`), which has
    /// no bind-parameter limit; an enum column needs a cast, so accounts with a role take the
    /// `VALUES` form, split at 65,535 parameters. 30,000 accounts give at least 90,000 (the
    /// email, the role and the client's `@updatedAt`): two statements, in one transaction.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn create_many_in_values_form_splits_past_the_bind_limit_in_one_transaction() {
        const ROWS: usize = 30_000;
        let db = database(BACKEND, PrismaClient::schema()).await;
        let prisma = PrismaClient::from(db.client.clone());
        let accounts = || {
            (0..ROWS).map(|n| {
                account::Create {
                    email: format!("a{n}@x.io"),
                }
                .with(account::role::set(if n % 2 == 0 {
                    Role::User
                } else {
                    Role::Admin
                }))
            })
        };
        let duplicate = account::Create {
            email: "a0@x.io".into(),
        }
        .with(account::role::set(Role::User));
        let err = prisma
            .account()
            .create_many(accounts().chain([duplicate]))
            .exec()
            .await
            .unwrap_err();
        assert_eq!(err.prisma_code(), Some("P2002"), "{err:?}");
        assert_eq!(
            prisma.account().count(vec![]).exec().await.unwrap(),
            0,
            "atomic"
        );

        let before = db.statements();
        let n = prisma
            .account()
            .create_many(accounts())
            .exec()
            .await
            .unwrap();
        assert_eq!(n, u64::try_from(ROWS).unwrap());
        assert_eq!(db.statements() - before, 2, "two INSERTs");
        let admins = prisma
            .account()
            .count(vec![account::role::equals(Role::Admin)])
            .exec()
            .await
            .unwrap();
        assert_eq!(admins, i64::try_from(ROWS / 2).unwrap());
    }

    /// Scalar lists exist on PostgreSQL only.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn scalar_lists_are_set_and_pushed() {
        let db = database(BACKEND, PrismaClient::schema()).await;
        let prisma = PrismaClient::from(db.client.clone());
        let created = prisma
            .account()
            .create(
                account::Create {
                    email: "a@x.io".into(),
                }
                .with(account::nicknames::set(["a", "b"])),
            )
            .exec()
            .await
            .unwrap();
        assert_eq!(created.nicknames, ["a", "b"]);
        let plain = prisma
            .account()
            .create(account::Create {
                email: "b@x.io".into(),
            })
            .exec()
            .await
            .unwrap();
        assert!(plain.nicknames.is_empty());
        let updated = prisma
            .account()
            .update(
                account::id::equals(created.id),
                vec![account::nicknames::push("c")],
            )
            .exec()
            .await
            .unwrap();
        assert_eq!(updated.nicknames, ["a", "b", "c"]);
        prisma
            .account()
            .update(
                account::id::equals(plain.id),
                vec![account::nicknames::push("z")],
            )
            .exec()
            .await
            .unwrap();
        prisma
            .account()
            .update_many(vec![], vec![account::nicknames::push("all")])
            .exec()
            .await
            .unwrap();
        let stored = prisma
            .account()
            .find_many(vec![])
            .order_by(account::id::asc())
            .exec()
            .await
            .unwrap();
        assert_eq!(
            stored.into_iter().map(|a| a.nicknames).collect::<Vec<_>>(),
            [vec!["a", "b", "c", "all"], vec!["z", "all"]]
        );
        prisma
            .account()
            .update(
                account::id::equals(plain.id),
                vec![account::nicknames::set(Vec::<String>::new())],
            )
            .exec()
            .await
            .unwrap();
        let reloaded = prisma
            .account()
            .find_unique(account::id::equals(plain.id))
            .exec()
            .await
            .unwrap()
            .unwrap();
        assert!(reloaded.nicknames.is_empty());
    }
}

mod sqlite {
    use super::*;

    const BACKEND: Backend = Backend::Sqlite;
    orm_core::prisma_schema!("schemas/full.sqlite.prisma");

    mod suite {
        writes_suite!();
    }
}
