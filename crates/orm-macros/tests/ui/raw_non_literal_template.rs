async fn find(db: &dyn orm_core::Adapter, table: &str) -> orm_core::Result<Vec<orm_core::Row>> {
    let sql = format!("SELECT * FROM {table}");
    orm_core::query_raw!(db, sql).await
}

fn main() {}
