// A schema that does not validate: each problem is an error at `schema.prisma:line:col`.
orm_core::prisma_schema!("schema_error.prisma");

fn main() {}
