// `email` is required and has no default, so a create must give it.
orm_core::prisma_schema!("typed_create_missing_field.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.user().create(user::Create {});
}

fn main() {
    let _ = query;
}
