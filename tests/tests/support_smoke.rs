//! The test support itself works against the real server.

#[tokio::test]
async fn creates_and_drops_a_postgres_database() {
    let db = orm_tests::PgDatabase::create().await;
    let (client, connection) = tokio_postgres::connect(&db.direct_url, tokio_postgres::NoTls)
        .await
        .expect("connect to the new database");
    tokio::spawn(connection);
    let row = client
        .query_one("SELECT current_database()", &[])
        .await
        .unwrap();
    let name: String = row.get(0);
    assert_eq!(name, db.name);
}

#[test]
fn finds_the_shared_directory() {
    assert!(
        orm_tests::shared_dir()
            .join("psl-corpus/manifest.tsv")
            .is_file()
    );
}
