async fn find(db: &dyn orm_core::Adapter) -> orm_core::Result<u64> {
    orm_core::execute_raw!(db, r#"DELETE FROM "User" WHERE email = {}"#).await
}

fn main() {}
