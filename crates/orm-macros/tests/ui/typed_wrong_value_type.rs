// `name` is a `String` field: its filters take text, not a number.
orm_core::prisma_schema!("typed_wrong_value_type.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.user().find_many(vec![user::name::equals(42)]);
}

fn main() {
    let _ = query;
}
