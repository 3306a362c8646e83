// A filter on a field the model does not have.
orm_core::prisma_schema!("typed_unknown_field.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.user().find_many(vec![user::nosuch::equals("x")]);
}

fn main() {
    let _ = query;
}
