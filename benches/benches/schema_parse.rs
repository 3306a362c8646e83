//! Parse + validate (+ build the IR) for generated schemas of 20, 200 and 2000 models, to check
//! that the front end scales linearly. Each model has scalar fields of every common type, an
//! enum field, a unique, a compound index, a 1-n relation to the previous model and, every
//! tenth model, an implicit many-to-many relation. There is no driver to compare with here:
//! this is the schema front end alone.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

fn schema(models: usize) -> String {
    let mut s = String::from(
        "generator client {\n  provider = \"prisma-client\"\n}\n\ndatasource db {\n  provider = \"postgresql\"\n}\n\nenum Status {\n  ACTIVE\n  ARCHIVED @map(\"archived\")\n}\n\n",
    );
    for i in 0..models {
        let _ = writeln!(s, "/// Model number {i}.\nmodel M{i} {{");
        let _ = writeln!(s, "  id        Int      @id @default(autoincrement())");
        let _ = writeln!(s, "  email     String   @unique @db.VarChar(200)");
        let _ = writeln!(s, "  name      String?  @map(\"display_name\")");
        let _ = writeln!(s, "  status    Status   @default(ACTIVE)");
        let _ = writeln!(s, "  score     Float    @default(0)");
        let _ = writeln!(s, "  price     Decimal?");
        let _ = writeln!(s, "  createdAt DateTime @default(now())");
        let _ = writeln!(s, "  updatedAt DateTime @updatedAt");
        let _ = writeln!(s, "  token     String   @default(cuid())");
        if i > 0 {
            let p = i - 1;
            let _ = writeln!(s, "  parentId  Int");
            let _ = writeln!(
                s,
                "  parent    M{p}     @relation(fields: [parentId], references: [id], onDelete: Cascade)"
            );
        }
        if i + 1 < models {
            let _ = writeln!(s, "  children  M{}[]", i + 1);
        }
        if i % 10 == 0 && i + 5 < models {
            let _ = writeln!(s, "  peers     M{}[]", i + 5);
        }
        if i % 10 == 5 {
            let _ = writeln!(s, "  peersOf   M{}[]", i - 5);
        }
        let _ = writeln!(
            s,
            "\n  @@index([createdAt, status])\n  @@map(\"m_{i}\")\n}}\n"
        );
    }
    s
}

fn parse_and_validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("schema_parse_validate");
    for models in [20, 200, 2000] {
        let source = schema(models);
        let parsed = orm_schema::parse_and_validate(&source, "schema.prisma")
            .expect("generated schema is valid");
        assert_eq!(parsed.models().count(), models);
        group.throughput(Throughput::Elements(
            u64::try_from(models).unwrap_or(u64::MAX),
        ));
        group.bench_with_input(BenchmarkId::new("models", models), &source, |b, source| {
            b.iter(|| orm_schema::parse_and_validate(black_box(source), "schema.prisma"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("schema_parse_only");
    for models in [20, 200, 2000] {
        let source = schema(models);
        group.throughput(Throughput::Elements(
            u64::try_from(models).unwrap_or(u64::MAX),
        ));
        group.bench_with_input(BenchmarkId::new("models", models), &source, |b, source| {
            b.iter(|| orm_schema::parse(black_box(source)));
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_validate);
criterion_main!(benches);
