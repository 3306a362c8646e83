#[derive(orm_core::FromRow)]
struct Hit {
    id: String,
    #[orm(rename = "id")]
    other_id: String,
}

fn main() {}
