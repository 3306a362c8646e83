// The schema file does not exist: the error names the path the macro looked at.
orm_core::prisma_schema!("schema_missing_file.prisma");

fn main() {}
