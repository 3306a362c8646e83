// Models named like the client's methods: their accessors get `_` appended, and the methods
// keep working.
orm_core::prisma_schema!("pass_client_method_names.prisma");

fn queries(prisma: &PrismaClient) {
    let _ = prisma.transaction_().find_many(vec![transaction::amount::gt(10)]);
    let _ = prisma.batch_().find_unique(batch::id::equals(1));
    let _ = prisma.schema_().count(vec![]);
    let _ = prisma.client_().find_first(vec![]);
    let _ = prisma.clone_().find_many(vec![]);
    // The client's own methods are still there.
    let _: PrismaClient = prisma.clone();
    let _: &orm_core::client::Client = prisma.client();
    let _ = prisma.batch((prisma.transaction_().count(vec![]), prisma.batch_().count(vec![])));
    let _ = prisma.transaction(|tx: PrismaClient| async move {
        tx.transaction_().count(vec![]).exec().await
    });
}

fn main() {
    let _ = queries;
    let schema = PrismaClient::schema();
    assert!(schema.models().any(|m| m.name == "Transaction"));
}
