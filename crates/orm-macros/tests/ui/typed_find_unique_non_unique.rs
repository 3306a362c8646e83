// `name` is not unique, so its `equals` is a plain filter, not one naming a single record.
orm_core::prisma_schema!("typed_find_unique_non_unique.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.user().find_unique(user::name::equals("Ann"));
}

fn main() {
    let _ = query;
}
