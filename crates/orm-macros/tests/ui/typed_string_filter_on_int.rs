// `contains` is a string filter; `total` is an `Int`.
orm_core::prisma_schema!("typed_string_filter_on_int.prisma");

fn query(prisma: &PrismaClient) {
    let _ = prisma.order().find_many(vec![order::total::contains("x")]);
}

fn main() {
    let _ = query;
}
