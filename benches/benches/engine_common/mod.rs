//! What the engine benchmarks share: the schema, the engine's arguments for each workload
//! (as the generated client builds them), decoding into the same Rust types the raw side
//! produces, and the interleaved runner that prints median ratios.

#![allow(dead_code)]

use std::future::Future;

use chrono::{DateTime, Utc};
use orm_core::client::Client;
use orm_core::engine::*;
use orm_core::query::Direction;
use orm_core::{FromRow, Result, Value};
use orm_schema::Schema;

/// The benchmark schema; `{provider}` is replaced.
const SCHEMA: &str = r#"
datasource db {
  provider = "{provider}"
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  age       Int
  createdAt DateTime @default(now())
  orders    Order[]
}

model Order {
  id     Int     @id @default(autoincrement())
  userId Int
  user   User    @relation(fields: [userId], references: [id])
  total  Int
  sku    String?

  @@index([userId])
}

model Event {
  id     Int      @id @default(autoincrement())
  userId Int
  kind   String
  at     DateTime
}
"#;

/// `User`'s columns qualified by the alias `t0`, as the engine selects them.
pub fn aliased() -> String {
    ["id", "email", "name", "age", "createdAt"]
        .map(|c| format!(r#""t0"."{c}""#))
        .join(", ")
}

/// Users in the database; each has [`ORDERS_PER_USER`] orders.
pub const USERS: i32 = 1000;
pub const ORDERS_PER_USER: i32 = 10;
/// Rows of the `createMany` workload.
pub const CREATE_MANY: usize = 10_000;

/// The parsed schema for `provider`, leaked for the client's `'static` borrow.
pub fn schema(provider: &str) -> &'static Schema {
    let text = SCHEMA.replace("{provider}", provider);
    let schema = orm_schema::parse_and_validate(&text, "bench.prisma").expect("a valid schema");
    Box::leak(Box::new(schema))
}

/// The DDL of the schema, from the migration engine.
pub fn ddl(schema: &Schema, dialect: orm_core::Dialect) -> String {
    let target = orm_core::migrate::from_schema(schema, dialect);
    let migration =
        orm_core::migrate::diff(&orm_core::migrate::SqlSchema::default(), &target, dialect);
    orm_core::migrate::render_script(&migration, &[])
}

/// Model and field ids, looked up once.
pub struct Ids {
    pub user: ModelId,
    pub order: ModelId,
    pub event: ModelId,
    pub user_scalars: Vec<FieldId>,
    pub user_id: FieldId,
    pub user_orders: FieldId,
    pub order_scalars: Vec<FieldId>,
    pub order_id: FieldId,
    pub event_scalars: Vec<FieldId>,
    pub event_user_id: FieldId,
    pub event_kind: FieldId,
    pub event_at: FieldId,
}

impl Ids {
    pub fn new(schema: &Schema) -> Ids {
        let model = |name: &str| schema.model_by_name(name).expect("model");
        let field = |m: &str, f: &str| model(m).field(f).expect("field").id();
        let scalars = |m: &str| model(m).scalar_fields().map(|f| f.id()).collect();
        Ids {
            user: model("User").id(),
            order: model("Order").id(),
            event: model("Event").id(),
            user_scalars: scalars("User"),
            user_id: field("User", "id"),
            user_orders: field("User", "orders"),
            order_scalars: scalars("Order"),
            order_id: field("Order", "id"),
            event_scalars: scalars("Event"),
            event_user_id: field("Event", "userId"),
            event_kind: field("Event", "kind"),
            event_at: field("Event", "at"),
        }
    }

    /// `findUnique({ where: { id } })`.
    pub fn find_unique(&self, id: i32) -> FindUniqueArgs {
        FindUniqueArgs {
            filter: Filter::equals(self.user_id, Value::Int(id)),
            selection: Selection::scalars(self.user_scalars.clone()),
            ..FindUniqueArgs::default()
        }
    }

    /// `findMany({ orderBy: { id: 'asc' }, take })`.
    pub fn find_many(&self, take: i64) -> FindManyArgs {
        FindManyArgs {
            order_by: vec![OrderBy::field(self.user_id, Direction::Asc)],
            take: Some(take),
            selection: Selection::scalars(self.user_scalars.clone()),
            ..FindManyArgs::default()
        }
    }

    /// `findMany({ where: { id: { gte: first } }, orderBy: { id: 'asc' }, take: users,
    /// include: { orders: { orderBy: { id: 'asc' } } }, relationLoadStrategy })`.
    pub fn with_orders(
        &self,
        first: i32,
        users: i64,
        strategy: RelationLoadStrategy,
    ) -> FindManyArgs {
        let mut args = FindManyArgs {
            filter: Filter::scalar(self.user_id, ScalarOp::Gte(Value::Int(first))),
            strategy,
            ..self.find_many(users)
        };
        args.selection.relations.push(RelationSelection {
            field: self.user_orders,
            args: FindManyArgs {
                order_by: vec![OrderBy::field(self.order_id, Direction::Asc)],
                selection: Selection::scalars(self.order_scalars.clone()),
                ..FindManyArgs::default()
            },
        });
        args
    }

    /// `create({ data: { userId, kind, at } })`, returning the record.
    pub fn create_event(&self, user: i32, at: DateTime<Utc>) -> CreateArgs {
        CreateArgs {
            data: CreateData {
                scalars: vec![
                    (self.event_user_id, Value::Int(user)),
                    (self.event_kind, Value::from("login")),
                    (self.event_at, Value::DateTime(at)),
                ],
                relations: Vec::new(),
            },
            selection: Selection::scalars(self.event_scalars.clone()),
        }
    }

    /// `createMany` of `rows` events.
    pub fn create_events(&self, rows: &[EventData]) -> CreateManyArgs {
        CreateManyArgs {
            data: rows
                .iter()
                .map(|(user, kind, at)| CreateData {
                    scalars: vec![
                        (self.event_user_id, Value::Int(*user)),
                        (self.event_kind, Value::from(kind.as_str())),
                        (self.event_at, Value::DateTime(*at)),
                    ],
                    relations: Vec::new(),
                })
                .collect(),
            ..CreateManyArgs::default()
        }
    }
}

/// `User`'s scalars.
pub type UserRow = (i32, String, Option<String>, i32, DateTime<Utc>);
/// `Order`'s scalars.
pub type OrderRow = (i32, i32, i32, Option<String>);
/// `Event`'s scalars.
pub type EventRow = (i32, i32, String, DateTime<Utc>);
/// What a `createMany` row carries.
pub type EventData = (i32, String, DateTime<Utc>);

/// A user with its orders, as a generated include payload decodes it.
pub fn decode_with_orders(records: Records) -> Result<Vec<(UserRow, Vec<OrderRow>)>> {
    let (rows, mut relations) = records.into_parts();
    let mut orders = relations.next_many::<OrderRow>()?.into_iter();
    rows.decode_with(|row| Ok((UserRow::from_row(row)?, orders.next().unwrap_or_default())))
}

/// The `createMany` rows.
pub fn events(at: DateTime<Utc>) -> Vec<EventData> {
    (0..CREATE_MANY)
        .map(|i| {
            let user = i32::try_from(i).unwrap_or(0) % USERS + 1;
            (user, format!("kind {}", i % 7), at)
        })
        .collect()
}

/// Whether the interleaved workload `name` runs: all of them, or those whose name starts
/// with `ENGINE_BENCH` when it is set (to profile one).
pub fn selected(name: &str) -> bool {
    std::env::var("ENGINE_BENCH").map_or(true, |filter| name.starts_with(&filter))
}

/// Runs raw and engine alternately (`orm_benches::interleaved`: `rounds` rounds, swapping
/// which side goes first), prints the median per-operation times and the median of the
/// per-round ratios, and returns the ratio.
///
/// With `ENGINE_BENCH_ONLY=raw|engine` only that side runs (ten times `iterations`, no
/// ratio), for a profiler: under callgrind, `--toggle-collect='*timed*'` counts just the
/// operations.
pub async fn interleaved<R, RF, E, EF, T, U>(
    name: &str,
    rounds: usize,
    iterations: u32,
    raw: R,
    engine: E,
) -> f64
where
    R: Fn() -> RF,
    RF: Future<Output = T>,
    E: Fn() -> EF,
    EF: Future<Output = U>,
{
    match std::env::var("ENGINE_BENCH_ONLY").as_deref() {
        Ok("raw") => {
            orm_benches::timed(iterations * 10, &raw).await;
            return f64::NAN;
        }
        Ok("engine") => {
            orm_benches::timed(iterations * 10, &engine).await;
            return f64::NAN;
        }
        _ => {}
    }
    let result = orm_benches::interleaved(rounds, iterations, raw, engine).await;
    println!("interleaved {name:<28} {result}");
    result.ratio
}

/// The engine side of every workload: the client the generated code would call, with the
/// workloads' arguments built as the generated builders build them.
pub struct Engine {
    client: Client,
    ids: Ids,
}

impl Engine {
    pub fn new(client: Client, schema: &Schema) -> Engine {
        Engine {
            client,
            ids: Ids::new(schema),
        }
    }

    pub async fn find_unique(&self, id: i32) -> Option<UserRow> {
        let records = self
            .client
            .find_unique(self.ids.user, self.ids.find_unique(id))
            .await
            .expect("engine");
        records.decode_first::<UserRow>().expect("decode")
    }

    /// The statement `find_unique` sends, straight through the adapter: the adapter's share.
    pub async fn adapter_point(&self, id: i32) -> Option<UserRow> {
        let mut text = format!(
            r#"SELECT {} FROM "User" AS "t0" WHERE "t0"."id" = "#,
            aliased()
        );
        self.client.dialect().write_placeholder(&mut text, 1);
        let sql = orm_core::Sql::with_params(text, vec![orm_core::Value::Int(id)]);
        let rows = self.client.adapter().query(&sql).await.expect("adapter");
        rows.decode::<UserRow>().expect("decode").pop()
    }

    pub async fn find_many(&self, take: i64) -> Vec<UserRow> {
        let records = self
            .client
            .find_many(self.ids.user, self.ids.find_many(take))
            .await
            .expect("engine");
        records.decode::<UserRow>().expect("decode")
    }

    pub async fn with_orders(
        &self,
        first: i32,
        users: i64,
        strategy: RelationLoadStrategy,
    ) -> Vec<(UserRow, Vec<OrderRow>)> {
        let records = self
            .client
            .find_many(self.ids.user, self.ids.with_orders(first, users, strategy))
            .await
            .expect("engine");
        decode_with_orders(records).expect("decode")
    }

    pub async fn create(&self, user: i32, at: DateTime<Utc>) -> EventRow {
        let records = self
            .client
            .create(self.ids.event, self.ids.create_event(user, at))
            .await
            .expect("engine");
        records
            .decode_first::<EventRow>()
            .expect("decode")
            .expect("a row")
    }

    pub async fn create_many(&self, rows: &[EventData]) -> u64 {
        self.client
            .create_many(self.ids.event, self.ids.create_events(rows))
            .await
            .expect("engine")
    }
}

/// Runs every workload `$workloads!` lists, first through criterion (one group per workload,
/// named `{$prefix}{workload}`, raw beside engine), then interleaved for the median ratios.
/// `$raw` must have `reset_events()`, which removes the rows the create workloads added.
macro_rules! run_workloads {
    ($workloads:ident, $prefix:literal, $runtime:expr, $raw:expr, $engine:expr) => {{
        let mut criterion = Criterion::default()
            .configure_from_args()
            .measurement_time(std::time::Duration::from_secs(4));
        let runtime = $runtime;
        let (raw, engine) = ($raw, $engine);
        macro_rules! criterion_run {
            ($name:expr, $iterations:expr, $raw_op:expr, $engine_op:expr) => {{
                let _ = $iterations;
                let mut group = criterion.benchmark_group(format!(concat!($prefix, "{}"), $name));
                group.sample_size(10);
                if $name.starts_with("create") {
                    // Every iteration adds rows: keep the run short.
                    group
                        .warm_up_time(std::time::Duration::from_secs(1))
                        .measurement_time(std::time::Duration::from_secs(2));
                }
                let raw_op = $raw_op;
                let engine_op = $engine_op;
                group.bench_function("raw", |b| b.to_async(runtime).iter(&raw_op));
                group.bench_function("engine", |b| b.to_async(runtime).iter(&engine_op));
                group.finish();
                runtime.block_on(raw.reset_events());
            }};
        }
        $workloads!(raw, engine, criterion_run);
        criterion.final_summary();
        runtime.block_on(async {
            macro_rules! interleaved_run {
                ($name:expr, $iterations:expr, $raw_op:expr, $engine_op:expr) => {{
                    if selected($name) {
                        interleaved($name, 21, $iterations, $raw_op, $engine_op).await;
                        raw.reset_events().await;
                    }
                }};
            }
            $workloads!(raw, engine, interleaved_run);
        });
    }};
}
