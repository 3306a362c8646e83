struct Rank(f64);

#[derive(orm_core::FromRow)]
struct Hit {
    id: String,
    rank: Rank,
}

fn main() {}
