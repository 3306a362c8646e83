struct Filter {
    min_age: i32,
}

async fn find(db: &dyn orm_core::Adapter, filter: Filter) -> orm_core::Result<Vec<orm_core::Row>> {
    let _ = filter.min_age;
    orm_core::query_raw!(db, r#"SELECT * FROM "User" WHERE {filter}"#).await
}

fn main() {}
