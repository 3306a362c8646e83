async fn find(db: &dyn orm_core::Adapter, id: i32) -> orm_core::Result<Vec<orm_core::Row>> {
    orm_core::query_raw!(db, r#"SELECT * FROM "User" WHERE id = {id:?}"#).await
}

fn main() {}
