async fn find(db: &dyn orm_core::Adapter) -> orm_core::Result<Vec<orm_core::Row>> {
    orm_core::query_raw!(db, "SELECT '{1,2}'::int[]").await
}

fn main() {}
