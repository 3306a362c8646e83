#[derive(orm_core::FromRow)]
struct Hit {
    #[orm(column = "rank")]
    score: f64,
}

fn main() {}
