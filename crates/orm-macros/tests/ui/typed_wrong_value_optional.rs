// `nickname` is an optional `String`: it is set to text, `Some(text)` or `None`.
orm_core::prisma_schema!("typed_wrong_value_optional.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.user().update(user::id::equals(1), vec![user::nickname::set(42)]);
}

fn main() {
    let _ = query;
}
