//! Full-text search on PostgreSQL: the seed's `$queryRaw` ranking query, with `query_raw!`.
//!
//! ```text
//! DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres cargo run --example full_text_search -- "retry serializable"
//! ```
//!
//! Needs PostgreSQL (`DATABASE_URL`, a database the example may create its tables in).
//!
//! `Article.searchTsv` is an `Unsupported("tsvector")` field with a GIN index
//! (`@@index([searchTsv], type: Gin)`): the migration creates the column and the index, the
//! typed client leaves the column out, and raw SQL fills and searches it. Writes go through
//! the client; `execute_raw!` keeps the search document up to date; `query_raw!` ranks.

use std::error::Error;
use std::process::ExitCode;

use orm_core::{FromRow, execute_raw, query_raw};
use orm_pg::PgAdapter;

orm_core::prisma_schema!("prisma/postgresql/schema.prisma");

/// One search hit: `Array<{ id: string; rank: number }>` in the seed, plus a headline.
#[derive(Debug, FromRow)]
struct Hit {
    id: String,
    title: String,
    rank: f64,
    headline: String,
}

const ARTICLES: [(&str, &str, &str); 4] = [
    (
        "fts-1",
        "Pooling Postgres connections",
        "PgBouncer in transaction mode shares a few server connections among many clients.",
    ),
    (
        "fts-2",
        "Serializable transactions",
        "Concurrent writers racing on the same rows should retry on serialization failures.",
    ),
    (
        "fts-3",
        "Indexes for every query",
        "Add an index for each query that filters or sorts on a non-key column.",
    ),
    (
        "fts-4",
        "Migrations in production",
        "Deploy migrations in order, never edit one that shipped, and review the generated SQL.",
    ),
];

#[tokio::main]
async fn main() -> ExitCode {
    let url = match orm_examples::postgres_url("full_text_search") {
        Ok(url) => url,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let q = if args.is_empty() {
        "transaction".to_owned()
    } else {
        args.join(" ")
    };
    match run(&url, &url, &q).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str, direct_url: &str, q: &str) -> Result<Vec<Hit>, Box<dyn Error>> {
    orm_core::migrations!("prisma/postgresql/migrations")
        .deploy(&PgAdapter::connect(direct_url).await?)
        .await?;
    let prisma = PrismaClient::new(PgAdapter::connect(url).await?);

    // The articles, through the typed client (fixed ids, so running again updates them).
    for (id, title, body) in ARTICLES {
        prisma
            .article()
            .upsert(
                article::id::equals(id),
                article::Create {
                    title: title.into(),
                    body: body.into(),
                }
                .with(article::id::set(id)),
                vec![article::title::set(title), article::body::set(body)],
            )
            .exec()
            .await?;
    }

    // The search document, titles weighing more than bodies: a write the builder cannot
    // express.
    let indexed = execute_raw!(
        prisma,
        "UPDATE articles SET search_tsv = setweight(to_tsvector('english', title), 'A')
                                       || setweight(to_tsvector('english', body), 'B')"
    )
    .await?;

    // The seed's query; `{q}` is one bind parameter, however often it appears.
    let hits: Vec<Hit> = query_raw!(
        prisma,
        "SELECT id, title,
                ts_rank(search_tsv, plainto_tsquery('english', {q})) AS rank,
                ts_headline('english', body, plainto_tsquery('english', {q})) AS headline
         FROM articles
         WHERE search_tsv @@ plainto_tsquery('english', {q})
         ORDER BY rank DESC
         LIMIT 20"
    )
    .await?;
    println!("{indexed} articles indexed; {} match {q:?}:", hits.len());
    for hit in &hits {
        println!(
            "  {:.3}  {}  ({})\n         {}",
            hit.rank, hit.title, hit.id, hit.headline
        );
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_full_text_search_example_ranks_the_matching_articles() {
        let db = orm_tests::PgDatabase::create().await;
        let hits = super::run(&db.url, &db.direct_url, "transaction")
            .await
            .unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["fts-2", "fts-1"],
            "a title match ranks first: {hits:?}"
        );
        assert!(hits[0].rank > hits[1].rank);
        assert_eq!(
            hits[1].headline,
            "PgBouncer in <b>transaction</b> mode shares a few server connections among many clients."
        );
        let hits = super::run(&db.url, &db.direct_url, "connections index")
            .await
            .unwrap();
        assert!(hits.is_empty(), "plainto_tsquery ANDs the words: {hits:?}");
        let hits = super::run(&db.url, &db.direct_url, "query indexes")
            .await
            .unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["fts-3"], "stemmed: indexes matches index");
    }
}
