//! Reads through the typed client of `prisma_schema!` on the full schema
//! (`tests/schemas/full.{postgresql,sqlite}.prisma`: every scalar type, optional fields, an
//! enum, 1-1, 1-n, self and implicit m-n relations, compound keys, `@map`/`@@map`), on
//! PostgreSQL and SQLite: every read operation, the filters of each field type, ordering,
//! pagination, `select`/`omit`/`include` payloads, both relation load strategies, with the
//! results Prisma 7 gives (`shared/prisma-golden/SEMANTICS.md`). Json `path` filters take each
//! provider's form, as in Prisma: keys on PostgreSQL, a JSON path on SQLite.
//!
//! The dataset is the engine suites' [`Db::full_fixture`]; its shape is repeated in
//! [`reads_suite`]'s comment, since every expected value below follows from it.

mod client_support;

use client_support::{Backend, Db};
use orm_core::Error;
use orm_core::model::{Direction, Having, QueryMode, RelationLoadStrategy};
use rust_decimal::Decimal;
use serde_json::json;

/// A decimal from its text.
fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A UTC date-time from RFC 3339 text.
fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

const TOKEN_A: &str = "00000000-0000-4000-8000-00000000000a";
const TOKEN_B: &str = "00000000-0000-4000-8000-00000000000b";
const TOKEN_C: &str = "00000000-0000-4000-8000-00000000000c";

/// The suite, written once against the generated client of the module it is expanded in.
///
/// The fixture (ids in insertion order):
///
/// - accounts 1 Ann (ADMIN, balance 100.5, bigNumber 9007199254740993, score 1.5, avatar
///   [1,2,3], settings `{theme: dark, lang: en, flags: {beta: true}, tags: [a, b]}`), 2 no
///   name (USER, 15.00, JSON null settings, manager 1), 3 Cy (USER, 29.50, bigNumber 5, score
///   2.5, inactive, avatar [9], NULL settings, manager 1), 4 Dee (ADMIN, 0, bigNumber -7,
///   `{lang: en, theme: light}`, manager 3), 5 Eve (USER, 0, score 0.5, avatar [], `{tags:
///   [b]}`);
/// - posts 1–10: authors 1 1 1 2 2 2 4 4 1 2; editors 3 on 1 and 4, 1 on 6, 4 on 9;
///   unpublished 3, 5, 7; ratings 4.50 on 1, 2 on 3, 1.25 on 5, 3 on 7, 5 on 10;
/// - tags 1 rust, 2 sql, 3 unused (post 1: rust, sql; 2: rust; 4: sql; 9: rust);
/// - profiles of accounts 1 and 3; views (post, account, count) (1,2,3) (1,3,1) (2,3,5)
///   (9,5,2); tokens a (expires 2026-01-01), b (never), c (2027-06-01T12:30:00.250Z).
macro_rules! reads_suite {
    () => {
        use super::*;

        account::select!(pub AccountEmail { id email });
        account::omit!(pub AccountPublic { avatar settings balance });
        account::include!(pub AccountTree {
            manager
            reports: select { id name }
            profile
            posts { tags { posts: select { id } } _count { views } }
            views
            _count { posts reports edited }
        });
        account::include!(pub AccountPosts { posts: select { id } });
        account::include!(pub AccountDrafts { posts: omit { body rating } });
        post::select!(pub PostCard {
            title
            author: select { email }
            editor: select { name }
            tags: select { name }
            _count { tags views }
        });
        profile::include!(pub ProfileWithAccount { account: select { email } });

        async fn fixture() -> (Db, PrismaClient) {
            let db = Db::full_fixture(BACKEND).await;
            let prisma = PrismaClient::from(db.client.clone());
            (db, prisma)
        }

        /// The ids of the accounts matching `filters`, in id order.
        async fn accounts(prisma: &PrismaClient, filters: Vec<account::Where>) -> Vec<i32> {
            let found = prisma
                .account()
                .find_many(filters)
                .order_by(account::id::asc());
            found.exec().await.unwrap().iter().map(|a| a.id).collect()
        }

        /// The ids of the posts matching `filters`, in id order.
        async fn posts(prisma: &PrismaClient, filters: Vec<post::Where>) -> Vec<i32> {
            let found = prisma.post().find_many(filters).order_by(post::id::asc());
            found.exec().await.unwrap().iter().map(|p| p.id).collect()
        }

        /// The labels of the tokens matching `filters`, in label order.
        async fn tokens(prisma: &PrismaClient, filters: Vec<token::Where>) -> Vec<String> {
            let found = prisma
                .token()
                .find_many(filters)
                .order_by(token::label::asc());
            found
                .exec()
                .await
                .unwrap()
                .into_iter()
                .map(|t| t.label)
                .collect()
        }

        /// The ids of the posts a `find_many` builder returns.
        async fn post_ids(query: orm_core::model::FindMany<'_, post::Post>) -> Vec<i32> {
            query.exec().await.unwrap().iter().map(|p| p.id).collect()
        }

        /// A point read's statement is kept after its first run and later reads of the same
        /// shape bind their own values into it (`engine::point`): each read must still find
        /// its own record, compound keys must bind in their fields' order, and a read whose
        /// values are equal must not pin a wrong order for the reads after it.
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn repeated_point_reads_bind_their_own_values() {
            let (db, prisma) = fixture().await;
            let before = db.statements();
            for id in [1, 2, 3, 4, 5, 6, 1] {
                let found = prisma.account().find_unique(account::id::equals(id)).exec();
                assert_eq!(found.await.unwrap().map(|a| a.id), (id <= 5).then_some(id));
            }
            assert_eq!(db.statements() - before, 7, "one statement per read");
            // Views (post, account): (1,2) (1,3) (2,3) (9,5); the first read's values are equal.
            for ((post, account), count) in [
                ((3, 3), None),
                ((2, 3), Some(5)),
                ((3, 2), None),
                ((1, 2), Some(3)),
                ((2, 1), None),
                ((9, 5), Some(2)),
                ((5, 9), None),
            ] {
                let found = prisma
                    .view()
                    .find_unique(view::post_id_account_id::equals(post, account))
                    .exec();
                let found = found.await.unwrap();
                assert_eq!(found.map(|v| v.count), count, "view ({post}, {account})");
            }
            // Text, a DateTime and a Boolean through `find_first`, reusing its statement.
            for (email, active, expected) in [
                ("cy@x.io", false, Some(3)),
                ("cy@x.io", true, None),
                ("ann@x.io", true, Some(1)),
            ] {
                let found = prisma
                    .account()
                    .find_first(vec![
                        account::email::equals(email),
                        account::active::equals(active),
                    ])
                    .exec();
                assert_eq!(found.await.unwrap().map(|a| a.id), expected, "{email} {active}");
            }
            let tokens = [
                ("2026-01-01T00:00:00Z", TOKEN_A),
                ("2027-06-01T12:30:00.250Z", TOKEN_C),
            ];
            for (expires, label) in tokens {
                let found = prisma
                    .token()
                    .find_first(vec![token::expires::equals(at(expires))])
                    .exec();
                assert_eq!(found.await.unwrap().map(|t| t.label), Some(label.to_owned()));
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn find_unique_by_ids_uniques_and_compound_keys() {
            let (_db, prisma) = fixture().await;
            let ann = prisma
                .account()
                .find_unique(account::id::equals(1))
                .exec()
                .await;
            let ann = ann.unwrap().expect("account 1");
            assert_eq!(ann.email, "ann@x.io");
            assert_eq!(ann.name.as_deref(), Some("Ann"));
            assert_eq!(ann.role, Role::Admin);
            assert_eq!(ann.balance.to_string(), "100.5");
            assert_eq!(ann.big_number, Some(9_007_199_254_740_993));
            assert_eq!(ann.score, Some(1.5));
            assert!(ann.active);
            assert_eq!(ann.avatar, Some(vec![1, 2, 3]));
            let settings =
                json!({"theme": "dark", "lang": "en", "flags": {"beta": true}, "tags": ["a", "b"]});
            assert_eq!(ann.settings, Some(settings));
            assert_eq!(ann.manager_id, None);

            let cy = prisma
                .account()
                .find_unique(account::email::equals("cy@x.io"))
                .exec()
                .await;
            let cy = cy.unwrap().expect("cy");
            assert_eq!((cy.id, cy.active, cy.manager_id), (3, false, Some(1)));
            assert_eq!(cy.settings, None, "database NULL");
            let bob = prisma
                .account()
                .find_unique(account::id::equals(2))
                .exec()
                .await;
            let bob = bob.unwrap().unwrap();
            assert_eq!(bob.settings, Some(serde_json::Value::Null), "JSON null");
            assert_eq!((bob.name, bob.avatar, bob.score), (None, None, None));
            assert!(
                prisma
                    .account()
                    .find_unique(account::email::equals("no@x.io"))
                    .exec()
                    .await
                    .unwrap()
                    .is_none()
            );

            // Compound unique and compound id.
            let end = prisma
                .post()
                .find_unique(post::author_id_slug::equals(1, "end"))
                .exec()
                .await;
            assert_eq!(end.unwrap().map(|p| p.id), Some(9));
            let other = prisma
                .post()
                .find_unique(post::author_id_slug::equals(2, "end"))
                .exec()
                .await;
            assert!(other.unwrap().is_none(), "the slug belongs to author 1");
            let view = prisma
                .view()
                .find_unique(view::post_id_account_id::equals(2, 3))
                .exec()
                .await;
            assert_eq!(view.unwrap().map(|v| v.count), Some(5));
            // A single-field unique on a 1-1 foreign key, a unique on an implicit m-n model.
            let profile = prisma
                .profile()
                .find_unique(profile::account_id::equals(3))
                .exec()
                .await;
            let profile = profile.unwrap().unwrap();
            assert_eq!(profile.bio, "cy bio");
            assert_eq!(profile.id.len(), 25, "cuid: {}", profile.id);
            let sql = prisma
                .tag()
                .find_unique(tag::name::equals("sql"))
                .exec()
                .await;
            assert_eq!(sql.unwrap().map(|t| t.id), Some(2));
            // DateTime to the millisecond, a BigInt beyond f64, Bytes defaults.
            let c = prisma
                .token()
                .find_unique(token::label::equals(TOKEN_C))
                .exec()
                .await;
            let c = c.unwrap().unwrap();
            assert_eq!(c.expires, Some(at("2027-06-01T12:30:00.250Z")));
            assert_eq!(c.big, 9_007_199_254_740_993);
            assert_eq!(c.payload, Vec::<u8>::new());

            // A unique filter with more conditions: a record that fails them is not found.
            let inactive: account::UniqueWhere = account::id::equals(1);
            let inactive = inactive.and(vec![account::active::equals(false)]);
            assert!(
                prisma
                    .account()
                    .find_unique(inactive.clone())
                    .exec()
                    .await
                    .unwrap()
                    .is_none()
            );
            let err = prisma
                .account()
                .find_unique_or_throw(inactive)
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, operation }
                    if model == "Account" && operation == "a query"),
                "{err:?}"
            );
            // The same without an annotation: `.and` makes `equals` a unique filter, and
            // the record that meets the extra condition is found.
            let found = prisma
                .account()
                .find_unique(account::id::equals(1).and([account::active::equals(true)]))
                .exec()
                .await
                .unwrap()
                .expect("account 1 is active");
            assert_eq!(found.id, 1);
            assert!(
                prisma
                    .account()
                    .find_unique(account::id::equals(1).and([account::active::equals(false)]))
                    .exec()
                    .await
                    .unwrap()
                    .is_none()
            );
            let err = prisma
                .view()
                .find_unique_or_throw(view::post_id_account_id::equals(3, 3))
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, .. } if model == "View"),
                "{err:?}"
            );
            assert_eq!(err.prisma_code(), Some("P2025"));
            let found = prisma
                .view()
                .find_unique_or_throw(view::post_id_account_id::equals(9, 5))
                .exec()
                .await;
            assert_eq!(found.unwrap().count, 2);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn find_first_count_and_their_or_throw() {
            let (_db, prisma) = fixture().await;
            let unpublished = || vec![post::published::equals(false)];
            let first = prisma
                .post()
                .find_first(unpublished())
                .order_by(post::id::desc())
                .exec()
                .await;
            assert_eq!(first.unwrap().map(|p| p.id), Some(7));
            let second = prisma
                .post()
                .find_first(unpublished())
                .order_by(post::id::asc())
                .skip(1)
                .exec()
                .await;
            assert_eq!(second.unwrap().map(|p| p.id), Some(5));
            // `take: -1` reads the last one.
            let last = prisma
                .post()
                .find_first(vec![])
                .order_by(post::id::asc())
                .take(-1)
                .exec()
                .await;
            assert_eq!(last.unwrap().map(|p| p.id), Some(10));
            let none = prisma
                .post()
                .find_first(vec![post::title::equals("nope")])
                .exec()
                .await;
            assert!(none.unwrap().is_none());
            let err = prisma
                .post()
                .find_first_or_throw(vec![post::title::equals("nope")])
                .exec()
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::NotFound { model, operation }
                    if model == "Post" && operation == "a query"),
                "{err:?}"
            );
            assert_eq!(err.prisma_code(), Some("P2025"));
            let found = prisma
                .post()
                .find_first_or_throw(vec![post::slug::equals("pct")])
                .exec()
                .await;
            assert_eq!(found.unwrap().title, "100% sure");

            assert_eq!(prisma.account().count(vec![]).exec().await.unwrap(), 5);
            assert_eq!(
                prisma
                    .account()
                    .count(vec![account::name::is_null()])
                    .exec()
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(prisma.post().count(unpublished()).exec().await.unwrap(), 3);
            let page = prisma
                .post()
                .count(vec![])
                .order_by(post::id::asc())
                .skip(2)
                .take(3);
            assert_eq!(page.exec().await.unwrap(), 3);
            let tail = prisma
                .post()
                .count(vec![])
                .order_by(post::id::asc())
                .cursor(post::id::equals(8));
            assert_eq!(tail.exec().await.unwrap(), 3);
            let missing = prisma.post().count(vec![]).cursor(post::id::equals(99));
            assert_eq!(missing.exec().await.unwrap(), 0);
            assert_eq!(
                prisma
                    .view()
                    .count(vec![view::count::gte(2)])
                    .exec()
                    .await
                    .unwrap(),
                3
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn aggregates_of_every_numeric_type() {
            let (_db, prisma) = fixture().await;
            let (count, sum, avg, min, max) = prisma
                .account()
                .aggregate(
                    vec![],
                    (
                        account::count_all(),
                        account::balance::sum(),
                        account::balance::avg(),
                        account::balance::min(),
                        account::balance::max(),
                    ),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(count, 5);
            // Decimal aggregates are Decimals, normalised.
            assert_eq!(sum.map(|d| d.to_string()).as_deref(), Some("145"));
            assert_eq!(avg.map(|d| d.to_string()).as_deref(), Some("29"));
            assert_eq!(min.map(|d| d.to_string()).as_deref(), Some("0"));
            assert_eq!(max.map(|d| d.to_string()).as_deref(), Some("100.5"));
            let (big_sum, big_avg, big_min, big_max, score_sum, score_avg, score_min, score_max) =
                prisma
                    .account()
                    .aggregate(
                        vec![],
                        (
                            account::big_number::sum(),
                            account::big_number::avg(),
                            account::big_number::min(),
                            account::big_number::max(),
                            account::score::sum(),
                            account::score::avg(),
                            account::score::min(),
                            account::score::max(),
                        ),
                    )
                    .exec()
                    .await
                    .unwrap();
            // `_sum` of a BigInt stays exact; `_avg` is a Float.
            assert_eq!(big_sum, Some(9_007_199_254_740_991));
            let big_avg = big_avg.unwrap();
            assert!(
                (big_avg - 9_007_199_254_740_991.0 / 3.0).abs() < 1.0,
                "{big_avg}"
            );
            assert_eq!((big_min, big_max), (Some(-7), Some(9_007_199_254_740_993)));
            assert_eq!(
                (score_sum, score_avg, score_min, score_max),
                (Some(4.5), Some(1.5), Some(0.5), Some(2.5))
            );
            // Int: `_sum` an integer, `_avg` a Float.
            let ints = prisma
                .view()
                .aggregate(
                    vec![],
                    (
                        view::count::sum(),
                        view::count::avg(),
                        view::count::min(),
                        view::count::max(),
                    ),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(ints, (Some(11), Some(2.75), Some(1), Some(5)));
            // `_count` of a field counts non-null values: JSON null counts, database NULL not.
            let counts = prisma
                .account()
                .aggregate(
                    vec![],
                    (
                        account::settings::count(),
                        account::name::count(),
                        account::avatar::count(),
                    ),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(counts, (4, 4, 3));
            // `_min`/`_max` of strings, enums (USER < ADMIN: declaration order on PostgreSQL,
            // "USER" < "admin" as text on SQLite) and date-times.
            let ordered = prisma
                .account()
                .aggregate(
                    vec![],
                    (
                        account::email::min(),
                        account::email::max(),
                        account::role::min(),
                        account::role::max(),
                    ),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(
                ordered,
                (
                    Some("ann@x.io".to_owned()),
                    Some("eve@x.io".to_owned()),
                    Some(Role::User),
                    Some(Role::Admin)
                )
            );
            let expiry = prisma.token().aggregate(
                vec![],
                (
                    token::expires::min(),
                    token::expires::max(),
                    token::expires::count(),
                ),
            );
            assert_eq!(
                expiry.exec().await.unwrap(),
                (
                    Some(at("2026-01-01T00:00:00Z")),
                    Some(at("2027-06-01T12:30:00.250Z")),
                    2
                )
            );
            let ratings = prisma.post().aggregate(
                vec![],
                (
                    post::rating::sum(),
                    post::rating::min(),
                    post::rating::max(),
                    post::rating::count(),
                ),
            );
            let (rating_sum, rating_min, rating_max, rated) = ratings.exec().await.unwrap();
            assert_eq!(rating_sum, Some(dec("15.75")));
            assert_eq!(
                (rating_min, rating_max, rated),
                (Some(dec("1.25")), Some(dec("5")), 5)
            );
            // Over a page of records: posts 1–3 (4.50, null, 2).
            let page = prisma
                .post()
                .aggregate(vec![], (post::rating::sum(), post::count_all()))
                .order_by(post::id::asc())
                .take(3);
            assert_eq!(page.exec().await.unwrap(), (Some(dec("6.5")), 3));
            let page = prisma
                .post()
                .aggregate(vec![], post::count_all())
                .order_by(post::id::asc())
                .cursor(post::id::equals(9));
            assert_eq!(page.exec().await.unwrap(), 2);
            // No records: `_count` is 0, every other aggregate null.
            let empty = prisma
                .account()
                .aggregate(
                    vec![account::id::equals(99)],
                    (
                        account::count_all(),
                        account::balance::count(),
                        account::balance::sum(),
                        account::balance::avg(),
                        account::big_number::sum(),
                        account::score::avg(),
                        account::role::min(),
                        account::created_at::max(),
                    ),
                )
                .exec()
                .await
                .unwrap();
            assert_eq!(empty, (0, 0, None, None, None, None, None, None));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn group_by_with_having_and_order() {
            let (_db, prisma) = fixture().await;
            let per_author = || {
                prisma.post().group_by(
                    post::author_id::field(),
                    (post::count_all(), post::rating::sum()),
                )
            };
            let all = per_author()
                .order_by(post::author_id::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                all,
                [
                    (1, (4, Some(dec("6.5")))),
                    (2, (4, Some(dec("6.25")))),
                    (4, (2, Some(dec("3"))))
                ]
            );
            let keys = |groups: Vec<(i32, (i64, Option<Decimal>))>| {
                groups.into_iter().map(|g| g.0).collect::<Vec<_>>()
            };
            // `having` on an aggregate, on a grouping field, and their combinations.
            let many = per_author()
                .having(post::count_all().gt(2))
                .order_by(post::author_id::asc());
            assert_eq!(keys(many.exec().await.unwrap()), [1, 2]);
            let rated = per_author()
                .having(post::rating::sum().gt(dec("6.3")))
                .order_by(post::author_id::asc());
            assert_eq!(keys(rated.exec().await.unwrap()), [1]);
            let field = per_author()
                .having(post::author_id::in_([1, 4]))
                .order_by(post::author_id::asc());
            assert_eq!(keys(field.exec().await.unwrap()), [1, 4]);
            let either = Having::or([post::count_all().lt(3), post::author_id::equals(1).into()]);
            assert_eq!(
                keys(
                    per_author()
                        .having(either)
                        .order_by(post::author_id::asc())
                        .exec()
                        .await
                        .unwrap()
                ),
                [1, 4]
            );
            // `NOT: [a, b]`: neither holds (Prisma's NOT over a list).
            let neither = Having::not([post::count_all().gt(3), post::author_id::equals(4).into()]);
            assert_eq!(
                keys(
                    per_author()
                        .having(neither)
                        .order_by(post::author_id::asc())
                        .exec()
                        .await
                        .unwrap()
                ),
                Vec::<i32>::new()
            );
            let not_first = Having::not([post::author_id::equals(1).into()]);
            assert_eq!(
                keys(
                    per_author()
                        .having(not_first)
                        .order_by(post::author_id::asc())
                        .exec()
                        .await
                        .unwrap()
                ),
                [2, 4]
            );
            // Ordered by an aggregate; paginated.
            let by_sum = per_author()
                .order_by(post::rating::sum().desc())
                .exec()
                .await
                .unwrap();
            assert_eq!(keys(by_sum), [1, 2, 4]);
            let page = per_author()
                .order_by(post::author_id::asc())
                .skip(1)
                .take(1)
                .exec()
                .await
                .unwrap();
            assert_eq!(keys(page), [2]);
            let err = per_author().take(1).exec().await.unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            // `where` before grouping, two grouping fields.
            let published = prisma
                .post()
                .group_by(
                    (post::author_id::field(), post::published::field()),
                    post::count_all(),
                )
                .where_(vec![post::id::lte(8)])
                .order_by(post::author_id::asc())
                .order_by(post::published::asc())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                published,
                [
                    ((1, false), 1),
                    ((1, true), 2),
                    ((2, false), 1),
                    ((2, true), 2),
                    ((4, false), 1),
                    ((4, true), 1)
                ]
            );
            // A nullable key, nulls placed explicitly.
            let editors = prisma
                .post()
                .group_by(post::editor_id::field(), post::count_all())
                .order_by(post::editor_id::asc().nulls_last())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                editors,
                [(Some(1), 1), (Some(3), 2), (Some(4), 1), (None, 6)]
            );
            // An enum key, in enum order (declaration order on PostgreSQL, text on SQLite).
            let roles = prisma
                .account()
                .group_by(
                    account::role::field(),
                    (account::balance::sum(), account::balance::avg()),
                )
                .order_by(account::role::asc())
                .exec()
                .await
                .unwrap();
            let sums: Vec<_> = roles.iter().map(|(role, (sum, _))| (*role, *sum)).collect();
            assert_eq!(
                sums,
                [
                    (Role::User, Some(dec("44.5"))),
                    (Role::Admin, Some(dec("100.5")))
                ]
            );
            // A Decimal average keeps its digits (PostgreSQL's numeric, SQLite's REAL).
            let user_avg = roles[0].1.1.map(|d| d.to_string()).unwrap_or_default();
            assert!(user_avg.starts_with("14.83333333333333"), "{user_avg}");
            assert_eq!(roles[1].1.1, Some(dec("50.25")));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn int_bigint_float_and_decimal_filters() {
            let (_db, prisma) = fixture().await;
            let p = &prisma;
            // Int (required, the id).
            assert_eq!(posts(p, vec![post::id::equals(5)]).await, [5]);
            assert_eq!(
                posts(p, vec![post::id::not(5)]).await,
                [1, 2, 3, 4, 6, 7, 8, 9, 10]
            );
            assert_eq!(posts(p, vec![post::id::in_([2, 4, 99])]).await, [2, 4]);
            assert_eq!(
                posts(p, vec![post::id::not_in([1, 2, 3, 4, 5, 6, 7, 8])]).await,
                [9, 10]
            );
            assert_eq!(posts(p, vec![post::id::lt(3)]).await, [1, 2]);
            assert_eq!(posts(p, vec![post::id::lte(3)]).await, [1, 2, 3]);
            assert_eq!(posts(p, vec![post::id::gt(8)]).await, [9, 10]);
            assert_eq!(posts(p, vec![post::id::gte(8)]).await, [8, 9, 10]);
            // Int (optional): `not`/`not_in` exclude nulls.
            assert_eq!(posts(p, vec![post::editor_id::equals(3)]).await, [1, 4]);
            assert_eq!(posts(p, vec![post::editor_id::not(3)]).await, [6, 9]);
            assert_eq!(posts(p, vec![post::editor_id::not_in([3])]).await, [6, 9]);
            assert_eq!(posts(p, vec![post::editor_id::in_([1, 4])]).await, [6, 9]);
            assert_eq!(posts(p, vec![post::editor_id::lt(3)]).await, [6]);
            assert_eq!(posts(p, vec![post::editor_id::gte(3)]).await, [1, 4, 9]);
            assert_eq!(
                posts(p, vec![post::editor_id::is_null()]).await,
                [2, 3, 5, 7, 8, 10]
            );
            assert_eq!(
                posts(p, vec![post::editor_id::is_not_null()]).await,
                [1, 4, 6, 9]
            );
            // BigInt, beyond f64's integers.
            assert_eq!(accounts(p, vec![account::big_number::equals(5)]).await, [3]);
            assert_eq!(
                accounts(
                    p,
                    vec![account::big_number::equals(9_007_199_254_740_993_i64)]
                )
                .await,
                [1]
            );
            assert!(
                accounts(
                    p,
                    vec![account::big_number::equals(9_007_199_254_740_992_i64)]
                )
                .await
                .is_empty()
            );
            assert_eq!(accounts(p, vec![account::big_number::not(5)]).await, [1, 4]);
            assert_eq!(
                accounts(p, vec![account::big_number::in_([5, -7])]).await,
                [3, 4]
            );
            assert_eq!(
                accounts(p, vec![account::big_number::not_in([5])]).await,
                [1, 4]
            );
            assert_eq!(accounts(p, vec![account::big_number::gt(0)]).await, [1, 3]);
            assert_eq!(
                accounts(p, vec![account::big_number::gte(9_007_199_254_740_993_i64)]).await,
                [1]
            );
            assert_eq!(accounts(p, vec![account::big_number::lt(0)]).await, [4]);
            assert_eq!(accounts(p, vec![account::big_number::lte(5)]).await, [3, 4]);
            assert_eq!(
                accounts(p, vec![account::big_number::is_null()]).await,
                [2, 5]
            );
            assert_eq!(
                tokens(p, vec![token::big::equals(9_007_199_254_740_993_i64)])
                    .await
                    .len(),
                3
            );
            // Float.
            assert_eq!(accounts(p, vec![account::score::equals(1.5)]).await, [1]);
            assert_eq!(accounts(p, vec![account::score::not(1.5)]).await, [3, 5]);
            assert_eq!(
                accounts(p, vec![account::score::in_([0.5, 2.5])]).await,
                [3, 5]
            );
            assert_eq!(
                accounts(p, vec![account::score::not_in([0.5])]).await,
                [1, 3]
            );
            assert_eq!(accounts(p, vec![account::score::gt(1.0)]).await, [1, 3]);
            assert_eq!(accounts(p, vec![account::score::gte(2.5)]).await, [3]);
            assert_eq!(accounts(p, vec![account::score::lt(1.0)]).await, [5]);
            assert_eq!(accounts(p, vec![account::score::lte(1.5)]).await, [1, 5]);
            assert_eq!(accounts(p, vec![account::score::is_null()]).await, [2, 4]);
            // Decimal (required): equality is numeric ("15.00" is 15).
            assert_eq!(
                accounts(p, vec![account::balance::equals(dec("15"))]).await,
                [2]
            );
            assert_eq!(
                accounts(p, vec![account::balance::equals(dec("15.000"))]).await,
                [2]
            );
            assert_eq!(
                accounts(p, vec![account::balance::not(dec("0"))]).await,
                [1, 2, 3]
            );
            assert_eq!(
                accounts(p, vec![account::balance::in_([dec("0"), dec("100.5")])]).await,
                [1, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::balance::not_in([dec("0")])]).await,
                [1, 2, 3]
            );
            assert_eq!(
                accounts(p, vec![account::balance::gt(dec("20"))]).await,
                [1, 3]
            );
            assert_eq!(
                accounts(p, vec![account::balance::gte(dec("29.5"))]).await,
                [1, 3]
            );
            assert_eq!(
                accounts(p, vec![account::balance::lt(dec("15"))]).await,
                [4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::balance::lte(dec("15"))]).await,
                [2, 4, 5]
            );
            // Decimal (optional).
            assert_eq!(
                posts(p, vec![post::rating::not(dec("2"))]).await,
                [1, 5, 7, 10]
            );
            assert_eq!(
                posts(p, vec![post::rating::not_in([dec("2"), dec("4.5")])]).await,
                [5, 7, 10]
            );
            assert_eq!(posts(p, vec![post::rating::lt(dec("2"))]).await, [5]);
            assert_eq!(posts(p, vec![post::rating::equals(dec("4.5"))]).await, [1]);
            assert_eq!(
                posts(p, vec![post::rating::is_null()]).await,
                [2, 4, 6, 8, 9]
            );
            // Values come back normalised.
            let balances: Vec<String> = prisma
                .account()
                .find_many(vec![])
                .order_by(account::id::asc())
                .exec()
                .await
                .unwrap()
                .iter()
                .map(|a| a.balance.to_string())
                .collect();
            assert_eq!(balances, ["100.5", "15", "29.5", "0", "0"]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn datetime_boolean_bytes_enum_and_json_filters() {
            let (_db, prisma) = fixture().await;
            let p = &prisma;
            let (a, c) = (at("2026-01-01T00:00:00Z"), at("2027-06-01T12:30:00.250Z"));
            // DateTime (optional), to the millisecond.
            assert_eq!(tokens(p, vec![token::expires::equals(c)]).await, [TOKEN_C]);
            assert_eq!(tokens(p, vec![token::expires::not(a)]).await, [TOKEN_C]);
            assert_eq!(tokens(p, vec![token::expires::in_([a])]).await, [TOKEN_A]);
            assert_eq!(
                tokens(p, vec![token::expires::not_in([a])]).await,
                [TOKEN_C]
            );
            assert_eq!(
                tokens(p, vec![token::expires::lt(at("2026-06-01T00:00:00Z"))]).await,
                [TOKEN_A]
            );
            assert_eq!(tokens(p, vec![token::expires::lt(c)]).await, [TOKEN_A]);
            assert_eq!(
                tokens(p, vec![token::expires::lte(c)]).await,
                [TOKEN_A, TOKEN_C]
            );
            assert_eq!(tokens(p, vec![token::expires::gt(a)]).await, [TOKEN_C]);
            assert_eq!(
                tokens(p, vec![token::expires::gt(at("2027-06-01T12:30:00.249Z"))]).await,
                [TOKEN_C]
            );
            assert_eq!(
                tokens(p, vec![token::expires::gte(a)]).await,
                [TOKEN_A, TOKEN_C]
            );
            assert_eq!(tokens(p, vec![token::expires::is_null()]).await, [TOKEN_B]);
            // DateTime (required, `now()` at insertion).
            let epoch = at("1970-01-01T00:00:00Z");
            assert_eq!(
                accounts(p, vec![account::created_at::gt(epoch)]).await,
                [1, 2, 3, 4, 5]
            );
            assert!(
                accounts(p, vec![account::created_at::lte(epoch)])
                    .await
                    .is_empty()
            );
            // Boolean.
            assert_eq!(accounts(p, vec![account::active::equals(false)]).await, [3]);
            assert_eq!(accounts(p, vec![account::active::not(true)]).await, [3]);
            assert_eq!(
                posts(p, vec![post::published::equals(false)]).await,
                [3, 5, 7]
            );
            // Bytes (the empty value is not null).
            assert_eq!(
                accounts(p, vec![account::avatar::equals(vec![1u8, 2, 3])]).await,
                [1]
            );
            assert_eq!(
                accounts(p, vec![account::avatar::equals(Vec::<u8>::new())]).await,
                [5]
            );
            assert_eq!(
                accounts(p, vec![account::avatar::not(vec![9u8])]).await,
                [1, 5]
            );
            assert_eq!(
                accounts(p, vec![account::avatar::in_([vec![9u8], vec![]])]).await,
                [3, 5]
            );
            assert_eq!(
                accounts(p, vec![account::avatar::not_in([vec![1u8, 2, 3]])]).await,
                [3, 5]
            );
            assert_eq!(accounts(p, vec![account::avatar::is_null()]).await, [2, 4]);
            // Enum (`ADMIN` is stored as "admin").
            assert_eq!(
                accounts(p, vec![account::role::equals(Role::Admin)]).await,
                [1, 4]
            );
            assert_eq!(
                accounts(p, vec![account::role::not(Role::User)]).await,
                [1, 4]
            );
            assert_eq!(
                accounts(p, vec![account::role::in_([Role::User])]).await,
                [2, 3, 5]
            );
            assert!(
                accounts(p, vec![account::role::not_in(Role::ALL)])
                    .await
                    .is_empty()
            );
            // Json: JSON null is a value, database NULL is not; `not` keeps JSON null rows.
            assert_eq!(
                accounts(p, vec![account::settings::equals(json!({"tags": ["b"]}))]).await,
                [5]
            );
            assert_eq!(
                accounts(
                    p,
                    vec![account::settings::equals(
                        json!({"theme": "light", "lang": "en"})
                    )]
                )
                .await,
                [4]
            );
            assert_eq!(
                accounts(p, vec![account::settings::equals(serde_json::Value::Null)]).await,
                [2]
            );
            assert_eq!(accounts(p, vec![account::settings::is_null()]).await, [3]);
            assert_eq!(
                accounts(p, vec![account::settings::is_not_null()]).await,
                [1, 2, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::settings::not(json!({"tags": ["b"]}))]).await,
                [1, 2, 4]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn string_filters_and_modes() {
            let (_db, prisma) = fixture().await;
            let p = &prisma;
            let sqlite = BACKEND == Backend::Sqlite;
            // Required (and unique) string.
            assert_eq!(
                accounts(p, vec![account::email::equals("bob@x.io")]).await,
                [2]
            );
            assert_eq!(
                accounts(p, vec![account::email::not("ann@x.io")]).await,
                [2, 3, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::email::in_(["bob@x.io", "zz"])]).await,
                [2]
            );
            assert_eq!(
                accounts(p, vec![account::email::not_in(["bob@x.io"])]).await,
                [1, 3, 4, 5]
            );
            assert_eq!(accounts(p, vec![account::email::lt("c")]).await, [1, 2]);
            assert_eq!(
                accounts(p, vec![account::email::lte("cy@x.io")]).await,
                [1, 2, 3]
            );
            assert_eq!(accounts(p, vec![account::email::gt("d")]).await, [4, 5]);
            assert_eq!(
                accounts(p, vec![account::email::gte("dee@x.io")]).await,
                [4, 5]
            );
            // Optional string: `not` and `not_in` exclude nulls.
            assert_eq!(accounts(p, vec![account::name::equals("Cy")]).await, [3]);
            assert_eq!(
                accounts(p, vec![account::name::not("Ann")]).await,
                [3, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::name::not_in(["Ann"])]).await,
                [3, 4, 5]
            );
            assert_eq!(accounts(p, vec![account::name::gt("Cy")]).await, [4, 5]);
            assert_eq!(accounts(p, vec![account::name::is_null()]).await, [2]);
            assert_eq!(
                accounts(p, vec![account::name::is_not_null()]).await,
                [1, 3, 4, 5]
            );
            // `NOT` of a `contains` excludes null bodies too.
            assert_eq!(
                posts(p, vec![post::not(vec![post::body::contains("o")])]).await,
                [10]
            );
            assert_eq!(
                posts(p, vec![post::slug::starts_with("u")]).await,
                [2, 3, 5, 6]
            );
            assert_eq!(posts(p, vec![post::slug::ends_with("x")]).await, [6]);
            assert_eq!(
                posts(
                    p,
                    vec![post::body::contains("o"), post::body::ends_with("o")]
                )
                .await,
                [4, 6, 9]
            );
            // Case: SQLite's LIKE folds ASCII case; equality and `in` stay case-sensitive.
            let world = posts(p, vec![post::title::contains("world")]).await;
            assert_eq!(world, if sqlite { vec![1] } else { vec![] });
            assert!(
                posts(p, vec![post::title::equals("hello world")])
                    .await
                    .is_empty()
            );
            assert!(
                posts(p, vec![post::title::in_(["hello world"])])
                    .await
                    .is_empty()
            );
            assert_eq!(posts(p, vec![post::title::contains("World")]).await, [1]);
            // `mode: insensitive`: Unicode-aware on PostgreSQL, ASCII on SQLite (accepted there,
            // a deliberate difference).
            let insensitive = || post::title::mode(QueryMode::Insensitive);
            assert_eq!(
                posts(p, vec![insensitive().equals("hello WORLD")]).await,
                [1]
            );
            assert_eq!(
                posts(p, vec![insensitive().starts_with("hello")]).await,
                [1]
            );
            assert_eq!(posts(p, vec![insensitive().ends_with("WORLD")]).await, [1]);
            assert_eq!(posts(p, vec![insensitive().contains("LIST")]).await, [7]);
            assert_eq!(
                posts(p, vec![insensitive().in_(["PLAIN", "nope"])]).await,
                [10]
            );
            assert_eq!(
                posts(p, vec![insensitive().not("PLAIN"), post::id::gte(9)]).await,
                [9]
            );
            let unicode = posts(p, vec![insensitive().contains("ÜNÏCÖDÉ")]).await;
            assert_eq!(unicode, if sqlite { vec![] } else { vec![2, 3] });
            let default = posts(
                p,
                vec![post::title::mode(QueryMode::Default).contains("LIST")],
            )
            .await;
            assert_eq!(default, if sqlite { vec![7] } else { vec![] });
            // Deliberate difference: `%`, `_` and `\` match literally.
            assert_eq!(posts(p, vec![post::title::contains("%")]).await, [4, 9]);
            assert_eq!(
                posts(p, vec![post::title::contains("under_score")]).await,
                [5]
            );
            assert!(
                posts(p, vec![post::title::contains("50%")])
                    .await
                    .is_empty()
            );
            assert_eq!(posts(p, vec![post::title::ends_with("%")]).await, [9]);
            assert_eq!(posts(p, vec![post::title::contains("\\")]).await, [8]);
            assert_eq!(
                posts(p, vec![post::title::starts_with("C:\\path")]).await,
                [8]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn and_or_not_composition_including_empty_lists() {
            let (_db, prisma) = fixture().await;
            let p = &prisma;
            let all = vec![1, 2, 3, 4, 5];
            assert_eq!(accounts(p, vec![]).await, all);
            assert_eq!(
                accounts(p, vec![account::and(vec![])]).await,
                all,
                "AND: []"
            );
            assert!(
                accounts(p, vec![account::or(vec![])]).await.is_empty(),
                "OR: []"
            );
            assert_eq!(
                accounts(p, vec![account::not(vec![])]).await,
                all,
                "NOT: []"
            );
            assert!(
                accounts(p, vec![account::or(vec![account::and(vec![])])])
                    .await
                    .is_empty(),
                "OR: [{{}}]"
            );
            let one_or_empty = account::or(vec![account::id::equals(1), account::and(vec![])]);
            assert_eq!(accounts(p, vec![one_or_empty]).await, [1]);
            assert!(
                accounts(p, vec![account::id::in_(Vec::<i32>::new())])
                    .await
                    .is_empty()
            );
            assert_eq!(
                accounts(p, vec![account::id::not_in(Vec::<i32>::new())]).await,
                all
            );
            // A list is AND; OR, AND and NOT nest.
            assert_eq!(
                accounts(
                    p,
                    vec![
                        account::active::equals(true),
                        account::role::equals(Role::User)
                    ]
                )
                .await,
                [2, 5]
            );
            let a_or_c = account::or(vec![
                account::name::starts_with("A"),
                account::name::starts_with("C"),
            ]);
            assert_eq!(accounts(p, vec![a_or_c.clone()]).await, [1, 3]);
            assert_eq!(
                accounts(
                    p,
                    vec![account::and(vec![a_or_c, account::active::equals(true)])]
                )
                .await,
                [1]
            );
            // `NOT: [a, b]`: neither holds (Prisma negates each and joins them with AND).
            let neither = account::not(vec![account::id::equals(1), account::active::equals(true)]);
            assert_eq!(accounts(p, vec![neither]).await, [3]);
            let not_both = account::not(vec![account::and(vec![
                account::id::equals(1),
                account::active::equals(true),
            ])]);
            assert_eq!(accounts(p, vec![not_both]).await, [2, 3, 4, 5]);
            // `NOT` on a nullable field excludes nulls.
            assert_eq!(
                accounts(p, vec![account::not(vec![account::name::equals("Ann")])]).await,
                [3, 4, 5]
            );
            let either = account::or(vec![
                account::score::gt(2.0),
                account::not(vec![account::big_number::gt(0)]),
            ]);
            assert_eq!(accounts(p, vec![either]).await, [3, 4]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn relation_filters_on_every_kind_of_relation() {
            let (_db, prisma) = fixture().await;
            let p = &prisma;
            let published = || vec![post::published::equals(true)];
            // 1-n: `every` holds on an empty relation; `some`/`none` of `{}`.
            assert_eq!(
                accounts(p, vec![account::posts::every(published())]).await,
                [3, 5]
            );
            assert_eq!(
                accounts(p, vec![account::posts::every(vec![])]).await,
                [1, 2, 3, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::posts::some(vec![])]).await,
                [1, 2, 4]
            );
            assert_eq!(
                accounts(p, vec![account::posts::none(vec![])]).await,
                [3, 5]
            );
            assert_eq!(
                accounts(p, vec![account::posts::none(published())]).await,
                [3, 5]
            );
            assert_eq!(
                accounts(
                    p,
                    vec![account::posts::some(vec![post::published::equals(false)])]
                )
                .await,
                [1, 2, 4]
            );
            // A named optional 1-n (`Edited`), the self relation's to-many side.
            assert_eq!(
                accounts(p, vec![account::edited::some(vec![])]).await,
                [1, 3, 4]
            );
            assert_eq!(
                accounts(p, vec![account::reports::some(vec![])]).await,
                [1, 3]
            );
            assert_eq!(
                accounts(p, vec![account::reports::none(vec![])]).await,
                [2, 4, 5]
            );
            assert_eq!(
                accounts(
                    p,
                    vec![account::reports::every(vec![account::active::equals(true)])]
                )
                .await,
                [2, 3, 4, 5]
            );
            // The self relation's to-one side: `is_not` includes records without one.
            assert_eq!(
                accounts(
                    p,
                    vec![account::manager::is(vec![account::name::equals("Ann")])]
                )
                .await,
                [2, 3]
            );
            assert_eq!(
                accounts(
                    p,
                    vec![account::manager::is_not(vec![account::id::equals(1)])]
                )
                .await,
                [1, 4, 5]
            );
            assert_eq!(accounts(p, vec![account::manager::is_null()]).await, [1, 5]);
            // `is: {}` has a related record; `isNot: {}` has none.
            assert_eq!(accounts(p, vec![account::manager::is(vec![])]).await, [2, 3, 4]);
            assert_eq!(accounts(p, vec![account::manager::is_not(vec![])]).await, [1, 5]);
            assert_eq!(
                accounts(p, vec![account::manager::is_not_null()]).await,
                [2, 3, 4]
            );
            assert_eq!(
                posts(p, vec![post::editor::is_not(vec![account::id::equals(3)])]).await,
                [2, 3, 5, 6, 7, 8, 9, 10]
            );
            assert_eq!(
                posts(
                    p,
                    vec![post::author::is(vec![account::role::equals(Role::Admin)])]
                )
                .await,
                [1, 2, 3, 7, 8, 9]
            );
            // 1-1 from both sides.
            assert_eq!(
                accounts(p, vec![account::profile::is_null()]).await,
                [2, 4, 5]
            );
            assert_eq!(
                accounts(p, vec![account::profile::is_not_null()]).await,
                [1, 3]
            );
            assert_eq!(
                accounts(
                    p,
                    vec![account::profile::is(vec![profile::bio::contains("cy")])]
                )
                .await,
                [3]
            );
            let admins = prisma
                .profile()
                .find_many(vec![profile::account::is(vec![account::role::equals(
                    Role::Admin,
                )])])
                .exec()
                .await;
            assert_eq!(
                admins
                    .unwrap()
                    .iter()
                    .map(|p| p.account_id)
                    .collect::<Vec<_>>(),
                [1]
            );
            let not_admins = prisma
                .profile()
                .find_many(vec![profile::account::is_not(vec![account::role::equals(
                    Role::Admin,
                )])])
                .exec()
                .await;
            assert_eq!(
                not_admins
                    .unwrap()
                    .iter()
                    .map(|p| p.account_id)
                    .collect::<Vec<_>>(),
                [3]
            );
            // Implicit m-n: `every` includes posts without tags.
            let rust = || vec![tag::name::equals("rust")];
            assert_eq!(
                posts(p, vec![post::tags::every(rust())]).await,
                [2, 3, 5, 6, 7, 8, 9, 10]
            );
            assert_eq!(
                posts(p, vec![post::tags::some(vec![tag::name::equals("sql")])]).await,
                [1, 4]
            );
            assert_eq!(
                posts(p, vec![post::tags::none(rust())]).await,
                [3, 4, 5, 6, 7, 8, 10]
            );
            let used = prisma
                .tag()
                .find_many(vec![tag::posts::some(vec![])])
                .order_by(tag::id::asc())
                .exec()
                .await;
            assert_eq!(
                used.unwrap()
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>(),
                ["rust", "sql"]
            );
            // Through the compound-id model, and two levels deep.
            assert_eq!(
                accounts(p, vec![account::views::some(vec![view::count::gt(2)])]).await,
                [2, 3]
            );
            let tagged_sql =
                account::posts::some(vec![post::tags::some(vec![tag::name::equals("sql")])]);
            assert_eq!(accounts(p, vec![tagged_sql]).await, [1, 2]);
            let viewed = prisma
                .view()
                .find_many(vec![
                    view::post::is(vec![post::title::contains("Hello")]),
                    view::account::is(vec![account::active::equals(true)]),
                ])
                .exec()
                .await
                .unwrap();
            assert_eq!(
                viewed
                    .iter()
                    .map(|v| (v.post_id, v.account_id))
                    .collect::<Vec<_>>(),
                [(1, 2)]
            );
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn order_by_several_fields_nulls_and_relations() {
            let (_db, prisma) = fixture().await;
            let sqlite = BACKEND == Backend::Sqlite;
            let all = || prisma.post().find_many(vec![]);
            // Several terms, nulls last within the descending rating.
            let order = all()
                .order_by(post::published::desc())
                .order_by(post::rating::desc().nulls_last())
                .order_by(post::id::asc());
            assert_eq!(post_ids(order).await, [10, 1, 2, 4, 6, 8, 9, 7, 3, 5]);
            let order = all()
                .order_by(post::rating::asc().nulls_first())
                .order_by(post::id::desc());
            assert_eq!(post_ids(order).await, [9, 8, 6, 4, 2, 5, 3, 7, 1, 10]);
            // Default null placement differs by provider (SQLite: nulls first ascending).
            let names = prisma
                .account()
                .find_many(vec![])
                .order_by(account::name::asc())
                .exec()
                .await
                .unwrap();
            let names: Vec<i32> = names.iter().map(|a| a.id).collect();
            assert_eq!(
                names,
                if sqlite {
                    vec![2, 1, 3, 4, 5]
                } else {
                    vec![1, 3, 4, 5, 2]
                }
            );
            let scores = prisma
                .account()
                .find_many(vec![])
                .order_by(account::score::desc().nulls_last())
                .order_by(account::id::asc());
            assert_eq!(
                scores
                    .exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>(),
                [3, 1, 5, 2, 4]
            );
            // By a relation's `_count`, and through a to-one relation.
            let counted = prisma
                .account()
                .find_many(vec![])
                .order_by(account::posts::order_by_count(Direction::Desc))
                .order_by(account::id::asc());
            assert_eq!(
                counted
                    .exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>(),
                [1, 2, 4, 3, 5]
            );
            let counted = prisma
                .account()
                .find_many(vec![])
                .order_by(account::reports::order_by_count(Direction::Asc))
                .order_by(account::id::desc());
            assert_eq!(
                counted
                    .exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>(),
                [5, 4, 2, 3, 1]
            );
            let tags = prisma
                .tag()
                .find_many(vec![])
                .order_by(tag::posts::order_by_count(Direction::Desc))
                .order_by(tag::name::asc());
            assert_eq!(
                tags.exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|t| t.id)
                    .collect::<Vec<_>>(),
                [1, 2, 3]
            );
            let by_author = all()
                .order_by(post::author::order_by(account::email::desc()))
                .order_by(post::id::asc());
            assert_eq!(post_ids(by_author).await, [7, 8, 4, 5, 6, 10, 1, 2, 3, 9]);
            let by_editor = all()
                .order_by(post::editor::order_by(account::name::asc().nulls_last()))
                .order_by(post::id::asc());
            assert_eq!(post_ids(by_editor).await, [6, 1, 4, 9, 2, 3, 5, 7, 8, 10]);
            // Enums in enum order; strings descending.
            let roles = prisma
                .account()
                .find_many(vec![])
                .order_by(account::role::asc())
                .order_by(account::id::asc());
            assert_eq!(
                roles
                    .exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>(),
                [2, 3, 5, 1, 4]
            );
            let names = prisma
                .tag()
                .find_many(vec![])
                .order_by(tag::name::desc())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                names.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
                ["unused", "sql", "rust"]
            );
            // `nulls` on a required field is an input error, as in Prisma.
            let err = prisma
                .account()
                .find_many(vec![])
                .order_by(account::email::asc().nulls_first())
                .exec()
                .await
                .unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn orderings_through_two_relations_and_inside_includes() {
            let (_db, prisma) = fixture().await;
            // Through two to-one relations: the editor's manager's name.
            let by_managers = prisma
                .post()
                .find_many(vec![])
                .order_by(post::editor::order_by(account::manager::order_by(
                    account::name::asc().nulls_last(),
                )))
                .order_by(post::id::asc());
            assert_eq!(post_ids(by_managers).await, [1, 4, 9, 2, 3, 5, 6, 7, 8, 10]);
            // Through the to-one side of a compound-id model.
            let views = prisma
                .view()
                .find_many(vec![])
                .order_by(view::account::order_by(account::email::desc()))
                .order_by(view::post_id::asc())
                .exec()
                .await
                .unwrap();
            let keys: Vec<_> = views.iter().map(|v| (v.post_id, v.account_id)).collect();
            assert_eq!(keys, [(9, 5), (1, 3), (2, 3), (1, 2)]);
            // An included relation ordered by its records' relation counts.
            let by_views = AccountPosts::args().with(
                account::posts::args()
                    .order_by(post::views::order_by_count(Direction::Desc))
                    .order_by(post::id::asc()),
            );
            let found = prisma
                .account()
                .find_many(vec![account::id::lte(2)])
                .order_by(account::id::asc())
                .include(by_views)
                .exec()
                .await
                .unwrap();
            let posts: Vec<Vec<i32>> =
                found.iter().map(|a| a.posts.iter().map(|p| p.id).collect()).collect();
            assert_eq!(posts, [vec![1, 2, 9, 3], vec![4, 5, 6, 10]]);
            // `omit` inside an include.
            let drafts = AccountDrafts::args()
                .with(account::posts::args().where_(vec![post::published::equals(false)]));
            let ann = prisma.account().find_unique(account::id::equals(1)).include(drafts);
            let ann = ann.exec().await.unwrap().unwrap();
            let titles: Vec<&str> = ann.posts.iter().map(|p| p.title.as_str()).collect();
            assert_eq!(titles, ["ünïcödé lower"]);
            let post = serde_json::to_value(&ann.posts[0]).unwrap();
            let keys: Vec<&String> = post.as_object().unwrap().keys().collect();
            assert!(keys.iter().all(|k| *k != "body" && *k != "rating"), "{keys:?}");
            assert!(keys.iter().any(|k| *k == "authorId"), "{keys:?}");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn skip_take_cursors_and_distinct() {
            let (_db, prisma) = fixture().await;
            let by_id = || prisma.post().find_many(vec![]).order_by(post::id::asc());
            assert_eq!(post_ids(by_id().take(3)).await, [1, 2, 3]);
            assert_eq!(post_ids(by_id().skip(8).take(5)).await, [9, 10]);
            assert_eq!(post_ids(by_id().skip(10)).await, Vec::<i32>::new());
            assert_eq!(post_ids(by_id().take(0)).await, Vec::<i32>::new());
            // A negative `skip` is an input error, as in Prisma, wherever it is given.
            let err = by_id().skip(-1).exec().await.unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            let err = prisma.post().count(vec![]).skip(-1).exec().await.unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
            let sum = prisma.post().aggregate(vec![], post::rating::sum()).skip(-2);
            assert!(matches!(sum.exec().await, Err(Error::InvalidQuery { .. })));
            let groups = prisma.post().group_by(post::author_id::field(), post::count_all());
            let groups = groups.order_by(post::author_id::asc()).skip(-1).exec().await;
            assert!(matches!(groups, Err(Error::InvalidQuery { .. })));
            let nested = AccountPosts::args().with(account::posts::args().skip(-1));
            for strategy in [RelationLoadStrategy::Query, RelationLoadStrategy::Join] {
                let found = prisma.account().find_many(vec![]).include(nested.clone());
                let err = found.relation_load_strategy(strategy).exec().await.unwrap_err();
                let expected = match (strategy, BACKEND) {
                    (RelationLoadStrategy::Join, Backend::Sqlite) => {
                        matches!(err, Error::Unsupported { .. })
                    }
                    _ => matches!(err, Error::InvalidQuery { .. }),
                };
                assert!(expected, "{strategy:?}: {err:?}");
            }
            // Negative take: the last rows, still in `order_by` order.
            assert_eq!(post_ids(by_id().take(-3)).await, [8, 9, 10]);
            assert_eq!(post_ids(by_id().skip(2).take(-3)).await, [6, 7, 8]);
            // Cursors: the cursor row is included unless skipped; backwards with a negative take.
            let at = |id| by_id().cursor(post::id::equals(id));
            assert_eq!(post_ids(at(5).take(3)).await, [5, 6, 7]);
            assert_eq!(post_ids(at(5).skip(1).take(3)).await, [6, 7, 8]);
            assert_eq!(post_ids(at(5).take(-3)).await, [3, 4, 5]);
            assert_eq!(post_ids(at(5).skip(1).take(-3)).await, [2, 3, 4]);
            assert!(post_ids(at(99).take(3)).await.is_empty());
            // A cursor row the filter excludes still sets the position.
            let published = prisma
                .post()
                .find_many(vec![post::published::equals(true)])
                .order_by(post::id::asc());
            assert_eq!(
                post_ids(published.cursor(post::id::equals(3)).take(3)).await,
                [4, 6, 8]
            );
            // A non-unique order with an id tie-break.
            let mixed = || {
                prisma
                    .post()
                    .find_many(vec![])
                    .order_by(post::published::desc())
                    .order_by(post::id::asc())
                    .cursor(post::id::equals(4))
            };
            assert_eq!(post_ids(mixed().take(3)).await, [4, 6, 8]);
            assert_eq!(post_ids(mixed().take(-3)).await, [1, 2, 4]);
            // Paging through every post, forwards and backwards, three at a time.
            let mut forward = post_ids(by_id().take(3)).await;
            while let Some(&last) = forward.last() {
                let page = post_ids(at(last).skip(1).take(3)).await;
                if page.is_empty() {
                    break;
                }
                forward.extend(page);
            }
            assert_eq!(forward, (1..=10).collect::<Vec<_>>());
            let mut backward = post_ids(by_id().take(-3)).await;
            while let Some(&first) = backward.first() {
                let page = post_ids(at(first).skip(1).take(-3)).await;
                if page.is_empty() {
                    break;
                }
                backward.splice(0..0, page);
            }
            assert_eq!(backward, (1..=10).collect::<Vec<_>>());
            // A cursor on the compound id.
            let views = prisma
                .view()
                .find_many(vec![])
                .order_by(view::post_id::asc())
                .order_by(view::account_id::asc())
                .cursor(view::post_id_account_id::equals(1, 3))
                .take(2)
                .exec()
                .await
                .unwrap();
            assert_eq!(
                views
                    .iter()
                    .map(|v| (v.post_id, v.account_id))
                    .collect::<Vec<_>>(),
                [(1, 3), (2, 3)]
            );
            // `distinct` keeps the first record of each group in `order_by` order.
            let newest = || {
                prisma
                    .post()
                    .find_many(vec![])
                    .order_by(post::id::desc())
                    .distinct(post::author_id::field())
            };
            assert_eq!(post_ids(newest()).await, [10, 9, 8]);
            assert_eq!(post_ids(newest().take(2)).await, [10, 9]);
            let pairs = prisma
                .post()
                .find_many(vec![])
                .order_by(post::id::asc())
                .distinct((post::author_id::field(), post::published::field()));
            assert_eq!(post_ids(pairs).await, [1, 3, 4, 5, 7, 8]);
            let first = prisma
                .post()
                .find_first(vec![post::author_id::equals(2)])
                .order_by(post::id::desc())
                .distinct(post::author_id::field());
            assert_eq!(first.exec().await.unwrap().map(|p| p.id), Some(10));
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn json_filters_at_a_path() {
            let (db, prisma) = fixture().await;
            let p = &prisma;
            let set = |id: i32, settings: &str| {
                format!(r#"UPDATE "accounts" SET "settings" = '{settings}' WHERE "id" = {id}"#)
            };
            db.exec(&set(4, r#"{"lang":"en","level":10,"theme":"light"}"#)).await;
            db.exec(&set(5, r#"{"level":3,"tags":["b"]}"#)).await;
            let at = settings_at;
            assert_eq!(accounts(p, vec![at(&["theme"]).equals(json!("dark"))]).await, [1]);
            assert_eq!(accounts(p, vec![at(&["lang"]).equals(json!("en"))]).await, [1, 4]);
            assert_eq!(accounts(p, vec![at(&["flags", "beta"]).equals(true)]).await, [1]);
            // A condition needs a value at the path: JSON null, database NULL and records
            // without the key match neither it nor its `not`.
            assert_eq!(accounts(p, vec![at(&["theme"]).not(json!("dark"))]).await, [4]);
            assert_eq!(accounts(p, vec![at(&["theme"]).string_contains("ar")]).await, [1]);
            assert_eq!(accounts(p, vec![at(&["theme"]).string_starts_with("li")]).await, [4]);
            assert_eq!(accounts(p, vec![at(&["theme"]).string_ends_with("ht")]).await, [4]);
            assert!(accounts(p, vec![at(&["theme"]).string_contains("%")]).await.is_empty());
            let folded = at(&["theme"]).mode(QueryMode::Insensitive).string_contains("DAR");
            assert_eq!(accounts(p, vec![folded]).await, [1]);
            assert_eq!(accounts(p, vec![at(&["tags"]).array_starts_with("a")]).await, [1]);
            assert_eq!(accounts(p, vec![at(&["tags"]).array_ends_with("b")]).await, [1, 5]);
            assert_eq!(accounts(p, vec![at(&["level"]).gt(5)]).await, [4]);
            assert_eq!(accounts(p, vec![at(&["level"]).gte(3)]).await, [4, 5]);
            assert_eq!(accounts(p, vec![at(&["level"]).lt(10)]).await, [5]);
            assert_eq!(accounts(p, vec![at(&["level"]).lte(3)]).await, [5]);
            assert_eq!(accounts(p, vec![at(&["theme"]).lt("e")]).await, [1]);
            // Combined with the other filters.
            let english_admins =
                vec![at(&["lang"]).equals("en"), account::role::equals(Role::Admin)];
            assert_eq!(accounts(p, english_admins).await, [1, 4]);
            // `array_contains`: PostgreSQL only, as in Prisma.
            let tagged = prisma
                .account()
                .find_many(vec![at(&["tags"]).array_contains(json!(["b"]))])
                .order_by(account::id::asc())
                .exec()
                .await;
            match BACKEND {
                Backend::Postgres => {
                    assert_eq!(tagged.unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [1, 5]);
                    let both = at(&["tags"]).array_contains(json!(["a", "b"]));
                    assert_eq!(accounts(p, vec![both]).await, [1]);
                }
                Backend::Sqlite => {
                    let err = tagged.unwrap_err();
                    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
                }
            }
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn select_and_omit_return_only_their_fields() {
            let (_db, prisma) = fixture().await;
            let emails = prisma
                .account()
                .find_many(vec![account::role::equals(Role::Admin)])
                .order_by(account::id::asc())
                .select(AccountEmail::args());
            let emails = emails.exec().await.unwrap();
            assert_eq!(
                emails,
                [
                    AccountEmail {
                        id: 1,
                        email: "ann@x.io".into()
                    },
                    AccountEmail {
                        id: 4,
                        email: "dee@x.io".into()
                    }
                ]
            );
            let public = prisma
                .account()
                .find_unique(account::id::equals(1))
                .omit(AccountPublic::args())
                .exec()
                .await;
            let public = public.unwrap().unwrap();
            assert_eq!(
                (
                    public.email.as_str(),
                    public.name.as_deref(),
                    public.big_number
                ),
                ("ann@x.io", Some("Ann"), Some(9_007_199_254_740_993))
            );
            // What the payloads hold, by schema name.
            let keys = |value: serde_json::Value| -> Vec<String> {
                let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
                keys.sort();
                keys
            };
            let public_keys = keys(serde_json::to_value(&public).unwrap());
            assert!(
                public_keys
                    .iter()
                    .all(|k| !["avatar", "settings", "balance"].contains(&k.as_str())),
                "{public_keys:?}"
            );
            for kept in [
                "bigNumber",
                "createdAt",
                "email",
                "id",
                "managerId",
                "role",
                "updatedAt",
            ] {
                assert!(
                    public_keys.iter().any(|k| k == kept),
                    "{kept} in {public_keys:?}"
                );
            }
            assert_eq!(
                keys(serde_json::to_value(&emails[0]).unwrap()),
                ["email", "id"]
            );

            // Scalars and relations picked, a relation count beside them.
            let card = prisma
                .post()
                .find_unique(post::id::equals(1))
                .select(PostCard::args().with(post::tags::args().order_by(tag::name::desc())))
                .exec()
                .await
                .unwrap()
                .unwrap();
            assert_eq!(card.title, "Hello World");
            assert_eq!(card.author.email, "ann@x.io");
            assert_eq!(
                card.editor.as_ref().map(|e| e.name.clone()),
                Some(Some("Cy".to_owned()))
            );
            assert_eq!(
                card.tags
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>(),
                ["sql", "rust"]
            );
            assert_eq!((card._count.tags, card._count.views), (2, 2));
            assert_eq!(
                keys(serde_json::to_value(&card).unwrap()),
                ["_count", "author", "editor", "tags", "title"]
            );
            let plain = prisma
                .post()
                .find_first_or_throw(vec![post::slug::equals("plain")])
                .select(PostCard::args())
                .exec()
                .await
                .unwrap();
            assert_eq!(
                (plain.editor, plain.tags.len(), plain._count.views),
                (None, 0, 0)
            );
            // The required side of the 1-1.
            let profile = prisma
                .profile()
                .find_unique(profile::account_id::equals(3))
                .include(ProfileWithAccount::args())
                .exec()
                .await;
            let profile = profile.unwrap().unwrap();
            assert_eq!(
                (profile.bio.as_str(), profile.account.email.as_str()),
                ("cy bio", "cy@x.io")
            );
        }

        /// `AccountTree` over every account, with arguments on relations at each level.
        fn tree_args() -> orm_core::model::PayloadArgs<AccountTree> {
            AccountTree::args()
                .with(
                    account::posts::args()
                        .where_(vec![post::published::equals(true)])
                        .order_by(post::id::desc())
                        .take(2)
                        .with(
                            post::tags::args()
                                .order_by(tag::name::desc())
                                .with(tag::posts::args().order_by(post::id::asc()).skip(1)),
                        ),
                )
                .with(account::reports::args().order_by(account::id::desc()))
                .with(account::views::args().order_by(view::post_id::asc()))
                .with(account::edited::args().where_(vec![post::published::equals(true)]))
        }

        /// What `tree_args` reads, one line per account: (id, manager, reports (id, name),
        /// profile bio, posts (id, tags (name, tagged post ids), views), viewed posts,
        /// counts).
        fn tree_shape(tree: &[AccountTree]) -> Vec<String> {
            tree.iter()
                .map(|a| {
                    let reports: Vec<_> =
                        a.reports.iter().map(|r| (r.id, r.name.clone())).collect();
                    let posts: Vec<_> = a
                        .posts
                        .iter()
                        .map(|p| {
                            let tags: Vec<_> = p
                                .tags
                                .iter()
                                .map(|t| {
                                    (
                                        t.name.clone(),
                                        t.posts.iter().map(|x| x.id).collect::<Vec<_>>(),
                                    )
                                })
                                .collect();
                            (p.id, tags, p._count.views)
                        })
                        .collect();
                    let views: Vec<_> = a.views.iter().map(|v| v.post_id).collect();
                    format!(
                        "{} {:?} {:?} {:?} {:?} {:?} {}/{}/{}",
                        a.id,
                        a.manager.as_ref().map(|m| m.id),
                        reports,
                        a.profile.as_ref().map(|p| p.bio.as_str()),
                        posts,
                        views,
                        a._count.posts,
                        a._count.reports,
                        a._count.edited
                    )
                })
                .collect()
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn includes_nest_with_arguments_per_relation() {
            let (db, prisma) = fixture().await;
            let before = db.statements();
            let tree = prisma
                .account()
                .find_many(vec![])
                .order_by(account::id::asc())
                .include(tree_args())
                .exec()
                .await
                .unwrap();
            // One statement for the accounts, one per included relation and level (manager,
            // reports, profile, views, posts, posts.tags, posts.tags.posts); counts are
            // subqueries.
            assert_eq!(db.statements() - before, 8);
            let rust = |ids: &[i32]| ("rust".to_owned(), ids.to_vec());
            let expected = [
                format!(
                    "1 None {:?} Some(\"ann bio\") {:?} [] 4/2/1",
                    [(3, Some("Cy".to_owned())), (2, None)],
                    [(9, vec![rust(&[2, 9])], 1), (2, vec![rust(&[2, 9])], 1)]
                ),
                format!(
                    "2 Some(1) [] None {:?} [1] 4/0/0",
                    [(10, Vec::<(String, Vec<i32>)>::new(), 0), (6, vec![], 0)]
                ),
                format!(
                    "3 Some(1) {:?} Some(\"cy bio\") [] [1, 2] 0/1/2",
                    [(4, Some("Dee".to_owned()))]
                ),
                format!(
                    "4 Some(3) [] None {:?} [] 2/0/1",
                    [(8, Vec::<(String, Vec<i32>)>::new(), 0)]
                ),
                "5 None [] None [] [9] 0/0/0".to_owned(),
            ];
            assert_eq!(tree_shape(&tree), expected);
            // The included structs are whole records.
            let bob = &tree[1];
            assert_eq!(
                bob.manager.as_ref().map(|m| m.email.as_str()),
                Some("ann@x.io")
            );
            assert_eq!(bob.posts[0].title, "plain");
            assert_eq!(bob.views[0].count, 3);
            assert_eq!(tree[0].profile.as_ref().map(|p| p.account_id), Some(1));

            // The statement count does not grow with the parents: the same for one account.
            let before = db.statements();
            let one = prisma
                .account()
                .find_unique(account::id::equals(1))
                .include(tree_args())
                .exec()
                .await
                .unwrap();
            assert!(
                db.statements() - before <= 8,
                "{} statements",
                db.statements() - before
            );
            assert_eq!(tree_shape(&[one.unwrap()]), expected[..1]);

            // Nested pagination per parent: negative take, skip, cursor.
            let posts_of = |args: orm_core::model::RelationArgs<account::Account, post::Post>| {
                let prisma = &prisma;
                async move {
                    let found = prisma
                        .account()
                        .find_many(vec![account::id::in_([1, 2])])
                        .order_by(account::id::asc())
                        .include(AccountPosts::args().with(args.order_by(post::id::asc())))
                        .exec()
                        .await
                        .unwrap();
                    found
                        .iter()
                        .map(|a| a.posts.iter().map(|p| p.id).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                }
            };
            assert_eq!(
                posts_of(account::posts::args().take(-2)).await,
                [vec![3, 9], vec![6, 10]]
            );
            assert_eq!(
                posts_of(account::posts::args().skip(1).take(2)).await,
                [vec![2, 3], vec![5, 6]]
            );
            assert_eq!(
                posts_of(account::posts::args().cursor(post::id::equals(2)).take(2)).await,
                [vec![2, 3], vec![4, 5]]
            );
            assert_eq!(
                posts_of(account::posts::args().distinct(post::published::field())).await,
                [vec![1, 3], vec![4, 5]]
            );
            // Arguments for a relation the payload leaves out are an input error.
            let err = prisma
                .account()
                .find_many(vec![])
                .include(AccountPosts::args().with(account::views::args().take(1)))
                .exec()
                .await
                .unwrap_err();
            assert!(matches!(err, Error::InvalidQuery { .. }), "{err:?}");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn both_relation_load_strategies_agree() {
            let (db, prisma) = fixture().await;
            let tree = |strategy| {
                prisma
                    .account()
                    .find_many(vec![])
                    .order_by(account::id::asc())
                    .include(tree_args())
                    .relation_load_strategy(strategy)
            };
            let queried = tree(RelationLoadStrategy::Query).exec().await.unwrap();
            let before = db.statements();
            let joined = tree(RelationLoadStrategy::Join).exec().await;
            match BACKEND {
                Backend::Postgres => {
                    assert_eq!(db.statements() - before, 1, "one statement with joins");
                    assert_eq!(joined.unwrap(), queried);
                    let unique = |strategy| {
                        prisma
                            .account()
                            .find_unique(account::id::equals(3))
                            .include(tree_args())
                            .relation_load_strategy(strategy)
                    };
                    let one = unique(RelationLoadStrategy::Join).exec().await.unwrap();
                    assert_eq!(one.as_ref(), Some(&queried[2]));
                    assert_eq!(
                        unique(RelationLoadStrategy::Query).exec().await.unwrap(),
                        one
                    );
                    let card = |strategy| {
                        prisma
                            .post()
                            .find_many(vec![])
                            .order_by(post::id::asc())
                            .select(PostCard::args())
                            .relation_load_strategy(strategy)
                    };
                    assert_eq!(
                        card(RelationLoadStrategy::Join).exec().await.unwrap(),
                        card(RelationLoadStrategy::Query).exec().await.unwrap()
                    );
                    let first = |strategy| {
                        prisma
                            .account()
                            .find_first(vec![account::posts::some(vec![])])
                            .order_by(account::id::desc())
                            .include(tree_args())
                            .relation_load_strategy(strategy)
                    };
                    let last_author = first(RelationLoadStrategy::Join).exec().await.unwrap();
                    assert_eq!(last_author.as_ref().map(|a| a.id), Some(4));
                    assert_eq!(
                        first(RelationLoadStrategy::Query).exec().await.unwrap(),
                        last_author
                    );
                }
                Backend::Sqlite => {
                    // PostgreSQL only, as in Prisma: a typed error, nothing sent.
                    let err = joined.unwrap_err();
                    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
                    assert_eq!(db.statements(), before);
                }
            }
        }
    };
}

mod postgres {
    use super::*;

    const BACKEND: Backend = Backend::Postgres;
    orm_core::prisma_schema!("schemas/full.postgresql.prisma");

    /// `settings` at `keys`, in PostgreSQL's form (Prisma's `path: ["a", "b"]`).
    fn settings_at(keys: &[&str]) -> orm_core::model::JsonPathFilter<Account> {
        account::settings::path(keys.iter().copied())
    }

    mod suite {
        reads_suite!();
    }

    /// Scalar lists exist on PostgreSQL only.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn scalar_list_filters() {
        let db = Db::full_fixture(BACKEND).await;
        let prisma = PrismaClient::from(db.client.clone());
        let ids = |filters: Vec<account::Where>| {
            let prisma = &prisma;
            async move {
                let found = prisma
                    .account()
                    .find_many(filters)
                    .order_by(account::id::asc());
                found
                    .exec()
                    .await
                    .unwrap()
                    .iter()
                    .map(|a| a.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(ids(vec![account::nicknames::has("a")]).await, [1]);
        assert_eq!(
            ids(vec![account::nicknames::has_some(["c", "d"])]).await,
            [3, 4]
        );
        assert_eq!(
            ids(vec![account::nicknames::has_every(["d", "dd"])]).await,
            [4]
        );
        assert_eq!(
            ids(vec![account::nicknames::has_every(Vec::<String>::new())]).await,
            [1, 2, 3, 4, 5]
        );
        assert_eq!(ids(vec![account::nicknames::is_empty(true)]).await, [2]);
        assert_eq!(
            ids(vec![account::nicknames::is_empty(false)]).await,
            [1, 3, 4, 5]
        );
        assert_eq!(ids(vec![account::nicknames::equals(["c"])]).await, [3]);
        assert_eq!(
            ids(vec![account::not(vec![account::nicknames::has("c")])]).await,
            [1, 2, 4, 5]
        );
        let ann = prisma
            .account()
            .find_unique(account::id::equals(1))
            .exec()
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ann.nicknames, ["annie", "a"]);
    }
}

mod sqlite {
    use super::*;

    const BACKEND: Backend = Backend::Sqlite;
    orm_core::prisma_schema!("schemas/full.sqlite.prisma");

    /// `settings` at `keys`, in SQLite's form (Prisma's `path: "$.a.b"`).
    fn settings_at(keys: &[&str]) -> orm_core::model::JsonPathFilter<Account> {
        account::settings::path(format!("$.{}", keys.join(".")))
    }

    mod suite {
        reads_suite!();
    }
}
