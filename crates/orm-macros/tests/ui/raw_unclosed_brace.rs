async fn find(db: &dyn orm_core::Adapter, email: &str) -> orm_core::Result<Vec<orm_core::Row>> {
    orm_core::query_raw!(db, r#"SELECT id FROM "User" WHERE email = {email"#).await
}

fn main() {}
