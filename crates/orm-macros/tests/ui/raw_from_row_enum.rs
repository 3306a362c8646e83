#[derive(orm_core::FromRow)]
enum Status {
    Active,
    Banned,
}

fn main() {}
