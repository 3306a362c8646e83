//! The dynamic description of a query: what the generated client builds and the engine runs.
//!
//! These types are the contract between the code generator and the runtime, the Rust
//! counterpart of the JSON query Prisma's client sends its query engine. Models and fields are
//! named by their schema IR ids ([`ModelId`], [`FieldId`]); values are [`Value`]s of the field's
//! type. The generated typed facade makes wrong queries impossible to write; the engine still
//! validates what a type cannot express (`in` holding null, a relation filter on a scalar
//! field, …) and answers [`Error::InvalidQuery`](crate::Error::InvalidQuery) naming the model
//! and field.
//!
//! Every filter, ordering and write means what it means in Prisma 7 (see the project's
//! `SEMANTICS.md`); the types' docs say where that is surprising.
//!
//! A `findMany` with a filter, an ordering, pagination and an include, in Prisma and here
//! (`email`, `orders`, … stand for the generated field ids):
//!
//! ```text
//! prisma.user.findMany({
//!   where: { email: { contains: "@b.co", mode: "insensitive" }, orders: { some: {} } },
//!   orderBy: [{ createdAt: "desc" }],
//!   take: 10,
//!   include: { orders: { where: { total: { gt: 100 } }, take: 3 } },
//! })
//! ```
//!
//! ```
//! use orm_core::engine::*;
//! use orm_core::query::Direction;
//! use orm_core::Value;
//! # use orm_core::engine::{FieldId, ModelId};
//! # const fn field(model: u32, index: u32) -> FieldId { FieldId::new(ModelId::new(model), index) }
//! // Generated code names the ids as constants.
//! const USER_ID: FieldId = field(0, 0);
//! const EMAIL: FieldId = field(0, 1);
//! const CREATED_AT: FieldId = field(0, 2);
//! const ORDERS: FieldId = field(0, 3);
//! const ORDER_ID: FieldId = field(1, 0);
//! const TOTAL: FieldId = field(1, 2);
//!
//! let args = FindManyArgs {
//!     filter: Filter::and([
//!         Filter::scalar_with_mode(EMAIL, ScalarOp::Contains("@b.co".into()), QueryMode::Insensitive),
//!         Filter::relation(ORDERS, RelationFilter::Some(Filter::all())),
//!     ]),
//!     order_by: vec![OrderBy::field(CREATED_AT, Direction::Desc)],
//!     take: Some(10),
//!     selection: Selection::scalars(vec![USER_ID, EMAIL, CREATED_AT]).include(RelationSelection {
//!         field: ORDERS,
//!         args: FindManyArgs {
//!             filter: Filter::scalar(TOTAL, ScalarOp::Gt(Value::Int(100))),
//!             take: Some(3),
//!             selection: Selection::scalars(vec![ORDER_ID, TOTAL]),
//!             ..FindManyArgs::default()
//!         },
//!     }),
//!     ..FindManyArgs::default()
//! };
//! # let _ = args;
//! // let records = client.find_many(USER, args).await?;
//! //! ```

use crate::query::{Direction, Nulls};
use crate::value::Value;

pub use super::ids::{FieldId, ModelId};

/// A condition on a model's records: Prisma's `where` (`UserWhereInput`).
///
/// Prisma treats an empty filter object (`{}`) as *absent* rather than as true, and this type
/// keeps that: [`Filter::all()`] (an empty `And`) is absent. An absent filter under `AND` is
/// skipped; under `OR` it counts for nothing (`OR: [{}]` matches no rows, `OR: []` matches no
/// rows); under `NOT` it stays absent (`NOT: {}` matches every row); at the top it matches
/// every row. `every: {}` therefore holds for every record and `none: {}` means "has no
/// related records".
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Filter {
    /// Every condition holds (`AND: [...]`, and a filter object's keys). Empty: absent.
    And(Vec<Filter>),
    /// Some condition holds (`OR: [...]`). Absent conditions are dropped; none left: false.
    Or(Vec<Filter>),
    /// No condition holds (`NOT: [...]`, i.e. `NOT a AND NOT b`, as Prisma reads it); absent
    /// when every condition is. On a nullable field, `NOT: { f: v }` excludes null rows (SQL three-valued logic,
    /// as in Prisma).
    Not(Vec<Filter>),
    /// A condition on a scalar field.
    Scalar(ScalarFilter),
    /// A condition on a relation field.
    Relation {
        /// The relation field.
        field: FieldId,
        /// The condition on the related records.
        filter: Box<RelationFilter>,
    },
    /// No condition: Prisma's `{}`.
    #[default]
    Empty,
}

impl Filter {
    /// The absent filter (`{}`): matches every record.
    pub fn all() -> Filter {
        Filter::Empty
    }

    /// Conjunction.
    pub fn and(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::And(filters.into_iter().collect())
    }

    /// Disjunction.
    pub fn or(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::Or(filters.into_iter().collect())
    }

    /// Negation of the conjunction of `filters`.
    pub fn not(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Filter::Not(filters.into_iter().collect())
    }

    /// A condition on a scalar field (case-sensitive).
    pub fn scalar(field: FieldId, op: ScalarOp) -> Filter {
        Filter::Scalar(ScalarFilter {
            field,
            op,
            mode: QueryMode::Default,
        })
    }

    /// A condition on a string field with a matching mode.
    pub fn scalar_with_mode(field: FieldId, op: ScalarOp, mode: QueryMode) -> Filter {
        Filter::Scalar(ScalarFilter { field, op, mode })
    }

    /// `field = value` (`{ field: value }`); `Value::Null` tests for null.
    pub fn equals(field: FieldId, value: impl Into<Value>) -> Filter {
        Filter::scalar(field, ScalarOp::Equals(value.into()))
    }

    /// A condition on a relation field.
    pub fn relation(field: FieldId, filter: RelationFilter) -> Filter {
        Filter::Relation {
            field,
            filter: Box::new(filter),
        }
    }
}

/// Whether string comparisons fold case: Prisma's `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryMode {
    /// Case-sensitive, except that SQLite's `LIKE` (so `contains`, `startsWith`, `endsWith`)
    /// is ASCII-case-insensitive, as in Prisma.
    #[default]
    Default,
    /// Case-insensitive: `ILIKE` and `LOWER(…)` on PostgreSQL (Unicode-aware). Prisma rejects
    /// `mode` on SQLite; here it is accepted and means SQLite's ASCII case folding.
    Insensitive,
}

/// One condition on one scalar field.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarFilter {
    /// The scalar field.
    pub field: FieldId,
    /// The condition.
    pub op: ScalarOp,
    /// Case folding for string comparisons.
    pub mode: QueryMode,
}

/// A condition on a scalar field's value. Values have the field's type (a `Value::Json` for
/// a `Json` field, a `Value::Enum` for an enum, the element type for `Has`). An enum value is
/// written as its database name (after `@map`), as [`Value::Enum`] always carries it; a
/// `Value::String` is accepted too, and a name outside the enum is an
/// [`InvalidQuery`](crate::Error::InvalidQuery).
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarOp {
    /// `equals: v`; `Value::Null` means `IS NULL`. On `Json`, a `Value::Json(null)` compares
    /// with JSON `null` (Prisma's `JsonNull`), `Value::Null` with database NULL.
    Equals(Value),
    /// `not: v`; `Value::Null` means `IS NOT NULL`. Excludes null rows otherwise, as Prisma.
    NotEquals(Value),
    /// `in: [...]`: empty never holds; null elements are rejected.
    In(Vec<Value>),
    /// `notIn: [...]`: empty always holds; excludes null rows otherwise; null elements are
    /// rejected.
    NotIn(Vec<Value>),
    /// `lt: v`.
    Lt(Value),
    /// `lte: v`.
    Lte(Value),
    /// `gt: v`.
    Gt(Value),
    /// `gte: v`.
    Gte(Value),
    /// `contains: s`, matched literally: `%`, `_` and `\` are not wildcards (a deliberate
    /// difference from Prisma, which passes them to `LIKE`).
    Contains(String),
    /// `startsWith: s`, matched literally.
    StartsWith(String),
    /// `endsWith: s`, matched literally.
    EndsWith(String),
    /// `not: { … }`: the negation of a nested condition (null rows excluded).
    Not(Box<ScalarOp>),
    /// Scalar lists (PostgreSQL): `has: v`, the list contains `v`.
    Has(Value),
    /// `hasSome: [...]`.
    HasSome(Vec<Value>),
    /// `hasEvery: [...]`.
    HasEvery(Vec<Value>),
    /// `isEmpty: b`.
    IsEmpty(bool),
    /// A `Json` field's filters with a `path` (`equals`, `not`, `string_contains`,
    /// `array_contains`, `gt`, …); see [`JsonFilter`]. `equals`/`not` without a path are
    /// [`ScalarOp::Equals`]/[`ScalarOp::NotEquals`] with a [`Value::Json`].
    Json(Box<JsonFilter>),
}

/// A condition on the value inside a `Json` field at a path (or on the whole value), Prisma's
/// Json filters. A record whose value has nothing at the path does not match (nor does one
/// whose field is database NULL), whatever the condition, `not` included.
///
/// How a path is written depends on the provider, as in Prisma: PostgreSQL takes the keys
/// from the root, array indexes as text (`["flags", "beta"]`, [`JsonPath::Keys`]); SQLite a
/// JSON path expression (`"$.flags.beta"`, [`JsonPath::Expression`]). Each rejects the other's
/// form with [`InvalidQuery`](crate::Error::InvalidQuery).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonFilter {
    /// Where in the value the condition applies.
    pub path: JsonPath,
    /// The condition.
    pub op: JsonOp,
}

/// A path into a JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum JsonPath {
    /// The whole value.
    #[default]
    Root,
    /// Keys (and array indexes, as text) from the root: PostgreSQL's form.
    Keys(Vec<String>),
    /// A JSON path expression (`$.a.b[0]`): SQLite's form.
    Expression(String),
}

/// A condition on a JSON value (the one at a [`JsonFilter`]'s path).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonOp {
    /// `equals`: the value is this JSON value (JSON `null` matches JSON null). PostgreSQL
    /// compares `jsonb` (key order does not matter), SQLite the JSON text.
    Equals(serde_json::Value),
    /// `not`: the value is not this one.
    NotEquals(serde_json::Value),
    /// `string_contains`: the value is a JSON string containing this text, matched literally
    /// (`mode` applies, as for string fields).
    StringContains(String),
    /// `string_starts_with`.
    StringStartsWith(String),
    /// `string_ends_with`.
    StringEndsWith(String),
    /// `array_contains`: the value is an array containing these elements (an array) or this
    /// element. PostgreSQL only: SQLite rejects it, as Prisma does.
    ArrayContains(serde_json::Value),
    /// `array_starts_with`: the value is an array whose first element is this value.
    ArrayStartsWith(serde_json::Value),
    /// `array_ends_with`: the value is an array whose last element is this value.
    ArrayEndsWith(serde_json::Value),
    /// `lt`: the value is a number (or string) below this one.
    Lt(serde_json::Value),
    /// `lte`.
    Lte(serde_json::Value),
    /// `gt`.
    Gt(serde_json::Value),
    /// `gte`.
    Gte(serde_json::Value),
}

/// A condition on the records a relation field leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum RelationFilter {
    /// To-many: at least one related record matches.
    Some(Filter),
    /// To-many: every related record matches; true when there are none.
    Every(Filter),
    /// To-many: no related record matches.
    None(Filter),
    /// To-one: the related record exists and matches (`is: {…}`, or `{ author: {…} }`).
    Is(Filter),
    /// To-one: there is no related record that matches (`isNot: {…}`): records without a
    /// related record match, as in Prisma.
    IsNot(Filter),
    /// To-one: there is no related record (`is: null`).
    IsNull,
    /// To-one: there is a related record (`isNot: null`).
    IsNotNull,
}

/// One term of `orderBy`.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderBy {
    /// A scalar field, through zero or more to-one relations (`{ author: { name: "asc" } }`
    /// has `path: [author]`).
    Field {
        /// To-one relation fields leading to the model of `field`, from the queried model.
        path: Vec<FieldId>,
        /// The scalar field.
        field: FieldId,
        /// The direction.
        direction: Direction,
        /// Where nulls go; `None` keeps the database default (PostgreSQL: last ascending,
        /// SQLite: first ascending).
        nulls: Option<Nulls>,
    },
    /// The number of related records of a to-many relation (`{ posts: { _count: "desc" } }`).
    RelationCount {
        /// The to-many relation field.
        field: FieldId,
        /// The direction.
        direction: Direction,
    },
}

impl OrderBy {
    /// A scalar field of the queried model.
    pub fn field(field: FieldId, direction: Direction) -> OrderBy {
        OrderBy::Field {
            path: Vec::new(),
            field,
            direction,
            nulls: None,
        }
    }
}

/// What to read of each record: scalar fields, relation counts and included relations.
///
/// The records' rows hold the `scalars` in order, then one count per entry of `counts`
/// (a `BigInt`); the engine may append hidden columns after them, so decoders read by
/// position. Each entry of `relations` gives one [`RelationRecords`](super::RelationRecords) in the result, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    /// The scalar fields, in the order they come back (`select`, or every scalar field
    /// minus `omit`).
    pub scalars: Vec<FieldId>,
    /// Relation counts (`_count: { select: { posts: true } }`), each with an optional
    /// filter on the counted records.
    pub counts: Vec<RelationCount>,
    /// Included relations, to any depth.
    pub relations: Vec<RelationSelection>,
}

impl Selection {
    /// These scalar fields, no relations.
    pub fn scalars(scalars: Vec<FieldId>) -> Selection {
        Selection {
            scalars,
            counts: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// Adds an included relation.
    pub fn include(mut self, relation: RelationSelection) -> Selection {
        self.relations.push(relation);
        self
    }

    /// Adds a relation count.
    pub fn count(mut self, count: RelationCount) -> Selection {
        self.counts.push(count);
        self
    }
}

/// One relation count of a [`Selection`].
#[derive(Debug, Clone, PartialEq)]
pub struct RelationCount {
    /// The to-many relation field.
    pub field: FieldId,
    /// Only count related records matching this (`_count: { select: { posts: { where } } }`).
    pub filter: Filter,
}

/// One included relation: the relation field and how to read its records (filter, order,
/// pagination apply per parent record).
#[derive(Debug, Clone, PartialEq)]
pub struct RelationSelection {
    /// The relation field.
    pub field: FieldId,
    /// Filter, order, pagination, distinct and selection of the related records. For a
    /// to-one relation only the selection applies.
    pub args: FindManyArgs,
}

/// How the records of included relations are loaded: Prisma's `relationLoadStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelationLoadStrategy {
    /// One statement per relation level, `WHERE fk = ANY($1)` (`IN (…)` on SQLite) over the
    /// parents of that level, stitched in memory. The default, and the only strategy on
    /// SQLite. Usually the faster one as soon as there are more than a few parents: the
    /// database reads each level's rows in one scan.
    #[default]
    Query,
    /// One statement: each relation a `LEFT JOIN LATERAL` subquery per parent row, its rows
    /// aggregated into JSON (PostgreSQL only; [`Error::Unsupported`](crate::Error::Unsupported)
    /// elsewhere, as Prisma rejects it there). Saves a round trip per relation level, so it
    /// wins for one or a few parents (a `findUnique` with includes); over many parents the
    /// per-parent subqueries and the JSON cost more than the round trips (`BENCHMARKS.md`).
    Join,
}

/// Arguments of `findMany` (and, with `take: 1`, `findFirst`; also every included to-many
/// relation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindManyArgs {
    /// `where`.
    pub filter: Filter,
    /// `orderBy`, in priority order.
    pub order_by: Vec<OrderBy>,
    /// `cursor`: a unique filter (`{ id: 5 }`) naming the record the page starts at (or ends
    /// at, with a negative `take`). A cursor on a missing record gives no records.
    pub cursor: Option<Filter>,
    /// `skip`.
    pub skip: Option<i64>,
    /// `take`; negative takes from the end, the records still coming back in `orderBy` order.
    pub take: Option<i64>,
    /// `distinct`: keep the first record of each combination of these scalar fields, in
    /// `orderBy` order.
    pub distinct: Vec<FieldId>,
    /// What to read.
    pub selection: Selection,
    /// How to load included relations.
    pub strategy: RelationLoadStrategy,
}

/// Arguments of `findUnique` / `findUniqueOrThrow`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindUniqueArgs {
    /// The unique filter: equality on an id or a unique field (or compound), possibly with
    /// further conditions.
    pub filter: Filter,
    /// What to read.
    pub selection: Selection,
    /// How to load included relations.
    pub strategy: RelationLoadStrategy,
}

impl FindUniqueArgs {
    /// The same read as `findMany` arguments: the filter, the selection and `take: 1`.
    pub fn into_find_many(self) -> FindManyArgs {
        FindManyArgs {
            filter: self.filter,
            take: Some(1),
            selection: self.selection,
            strategy: self.strategy,
            ..FindManyArgs::default()
        }
    }
}

/// Which read [`Client::read_rows_as`](crate::client::Client::read_rows_as) performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadOperation {
    /// `findMany`.
    FindMany,
    /// `findFirst`.
    FindFirst,
    /// `findFirstOrThrow`.
    FindFirstOrThrow,
    /// `findUnique`.
    FindUnique,
    /// `findUniqueOrThrow`.
    FindUniqueOrThrow,
}

impl ReadOperation {
    /// Prisma's name of the operation (`"findUniqueOrThrow"`).
    pub fn name(self) -> &'static str {
        match self {
            ReadOperation::FindMany => "findMany",
            ReadOperation::FindFirst => "findFirst",
            ReadOperation::FindFirstOrThrow => "findFirstOrThrow",
            ReadOperation::FindUnique => "findUnique",
            ReadOperation::FindUniqueOrThrow => "findUniqueOrThrow",
        }
    }

    /// Whether finding no record is an error.
    pub fn throws(self) -> bool {
        matches!(
            self,
            ReadOperation::FindFirstOrThrow | ReadOperation::FindUniqueOrThrow
        )
    }
}

/// The data of a `create`: Prisma's `UserCreateInput` / `UserUncheckedCreateInput`.
///
/// Scalars not given get their default (`@default`, `@updatedAt`, database default); a
/// missing required scalar without one is an [`InvalidQuery`](crate::Error::InvalidQuery).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateData {
    /// Scalar fields and their values (foreign keys included, for unchecked input).
    pub scalars: Vec<(FieldId, Value)>,
    /// Nested writes through relation fields: `Create`, `CreateMany`, `Connect`,
    /// `ConnectOrCreate`.
    pub relations: Vec<(FieldId, NestedWrite)>,
}

/// The data of an `update`: Prisma's `UserUpdateInput`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateData {
    /// Scalar fields and how they change.
    pub scalars: Vec<(FieldId, UpdateOp)>,
    /// Nested writes through relation fields (any [`NestedWrite`]).
    pub relations: Vec<(FieldId, NestedWrite)>,
}

impl UpdateData {
    /// Whether the update carries no data (`data: {}`): such an update does not bump
    /// `@updatedAt`.
    pub fn is_empty(&self) -> bool {
        self.scalars.is_empty() && self.relations.is_empty()
    }
}

/// How an update changes a scalar field.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateOp {
    /// `set: v` (or `field: v`). On a nullable `Json` field, `Value::Json(null)` stores JSON
    /// null and `Value::Null` database NULL.
    Set(Value),
    /// `increment: n` (a null value stays null).
    Increment(Value),
    /// `decrement: n`.
    Decrement(Value),
    /// `multiply: n`.
    Multiply(Value),
    /// `divide: n` (integer division truncates on `Int`/`BigInt`).
    Divide(Value),
    /// Scalar lists: `push: v` or `push: [...]`.
    Push(Value),
}

impl UpdateOp {
    /// The operation's value.
    pub fn into_value(self) -> Value {
        match self {
            UpdateOp::Set(v)
            | UpdateOp::Increment(v)
            | UpdateOp::Decrement(v)
            | UpdateOp::Multiply(v)
            | UpdateOp::Divide(v)
            | UpdateOp::Push(v) => v,
        }
    }
}

/// A write through a relation field, inside a `create` or an `update`.
///
/// Which variants a position allows is what Prisma allows: under `create`, only `Create`,
/// `CreateMany`, `Connect` and `ConnectOrCreate`; `Set`, `Disconnect` on to-many relations and
/// the `*Many` variants only on to-many relations; `Disconnect`/`Delete` of a to-one relation
/// take the filter [`Filter::Empty`] for `true`. A nested write is atomic: the whole
/// operation runs in a transaction (a savepoint inside an open one).
#[derive(Debug, Clone, PartialEq)]
pub enum NestedWrite {
    /// Create related records and connect them.
    Create(Vec<CreateData>),
    /// Create related records in one statement (to-many; foreign keys to the parent are set).
    CreateMany {
        /// The records.
        data: Vec<CreateData>,
        /// `skipDuplicates`.
        skip_duplicates: bool,
    },
    /// Connect existing records, each named by a unique filter; a missing one is
    /// [`Error::NotFound`](crate::Error::NotFound) and nothing is written.
    Connect(Vec<Filter>),
    /// Connect the record the unique filter finds, or create it.
    ConnectOrCreate(Vec<(Filter, CreateData)>),
    /// Disconnect records (to-many: unique filters; to-one: `[Filter::Empty]` for `true`).
    Disconnect(Vec<Filter>),
    /// Replace every connected record by these (to-many).
    Set(Vec<Filter>),
    /// Update connected records named by unique filters (to-one: `Filter::Empty`).
    Update(Vec<(Filter, UpdateData)>),
    /// Update every connected record matching each filter (to-many).
    UpdateMany(Vec<(Filter, UpdateData)>),
    /// Update the connected record if there is one, else create and connect it.
    Upsert {
        /// Which record (to-many: a unique filter; to-one: `Filter::Empty`).
        filter: Filter,
        /// Data to create with.
        create: Box<CreateData>,
        /// Data to update with.
        update: Box<UpdateData>,
    },
    /// Delete connected records named by unique filters (to-one: `[Filter::Empty]`).
    Delete(Vec<Filter>),
    /// Delete every connected record matching each filter (to-many).
    DeleteMany(Vec<Filter>),
}

/// Arguments of `create`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateArgs {
    /// The data.
    pub data: CreateData,
    /// What to read back.
    pub selection: Selection,
}

/// Arguments of `createMany` / `createManyAndReturn`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateManyArgs {
    /// The records (scalars only).
    pub data: Vec<CreateData>,
    /// `skipDuplicates`: rows that conflict with a unique constraint are skipped
    /// (`ON CONFLICT DO NOTHING`; Prisma rejects it on SQLite, here it works there too).
    pub skip_duplicates: bool,
    /// What to read back (`createManyAndReturn` only; scalars).
    pub selection: Selection,
}

/// Arguments of `update`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateArgs {
    /// The unique filter.
    pub filter: Filter,
    /// The data.
    pub data: UpdateData,
    /// What to read back.
    pub selection: Selection,
}

/// Arguments of `updateMany`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateManyArgs {
    /// Which records.
    pub filter: Filter,
    /// The data (scalars only).
    pub data: UpdateData,
}

/// Arguments of `upsert`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpsertArgs {
    /// The unique filter.
    pub filter: Filter,
    /// Data to create with when no record matches.
    pub create: CreateData,
    /// Data to update with when one does.
    pub update: UpdateData,
    /// What to read back.
    pub selection: Selection,
}

/// Arguments of `delete`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeleteArgs {
    /// The unique filter.
    pub filter: Filter,
    /// What to read back (the deleted record).
    pub selection: Selection,
}

/// Arguments of `count`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CountArgs {
    /// `where`.
    pub filter: Filter,
    /// `orderBy` (matters with a cursor).
    pub order_by: Vec<OrderBy>,
    /// `cursor`.
    pub cursor: Option<Filter>,
    /// `skip`.
    pub skip: Option<i64>,
    /// `take`.
    pub take: Option<i64>,
    /// `select: { _all: true, field: true }`: `None` stands for `_all` (every record), a field
    /// counts its non-null values. Empty counts every record.
    pub fields: Vec<Option<FieldId>>,
}

/// One aggregate of `aggregate` and `groupBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// `_count: { _all: true }`: the number of records.
    CountAll,
    /// `_count: { field: true }`: the number of non-null values.
    Count(FieldId),
    /// `_sum`: an `Int` sum comes back as `BigInt` (it cannot overflow), other types keep
    /// their type.
    Sum(FieldId),
    /// `_avg`: `Float` for `Int`/`BigInt`/`Float`, `Decimal` for `Decimal`.
    Avg(FieldId),
    /// `_min`.
    Min(FieldId),
    /// `_max`.
    Max(FieldId),
}

/// Arguments of `aggregate`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AggregateArgs {
    /// `where`.
    pub filter: Filter,
    /// `orderBy` (matters with a cursor or `take`).
    pub order_by: Vec<OrderBy>,
    /// `cursor`.
    pub cursor: Option<Filter>,
    /// `skip`.
    pub skip: Option<i64>,
    /// `take`.
    pub take: Option<i64>,
    /// The aggregates, in the order of the result's columns.
    pub aggregates: Vec<Aggregate>,
}

/// A condition on a group in `groupBy`'s `having`.
#[derive(Debug, Clone, PartialEq)]
pub enum Having {
    /// Every condition holds (empty: absent).
    And(Vec<Having>),
    /// Some condition holds.
    Or(Vec<Having>),
    /// No condition holds.
    Not(Vec<Having>),
    /// A condition on an aggregate of the group (`having: { total: { _sum: { gt: 100 } } }`).
    Aggregate {
        /// The aggregate.
        aggregate: Aggregate,
        /// The condition on its value (`Equals`, `Lt`, `In`, …).
        op: ScalarOp,
    },
    /// A condition on a grouping field's value (`having: { status: "open" }`).
    Field(ScalarFilter),
}

/// Arguments of `groupBy`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupByArgs {
    /// The grouping fields (`by`); the result's first columns.
    pub by: Vec<FieldId>,
    /// `where`, applied before grouping.
    pub filter: Filter,
    /// `having`, applied to groups.
    pub having: Option<Having>,
    /// `orderBy`: grouping fields or aggregates.
    pub order_by: Vec<GroupOrderBy>,
    /// `skip`.
    pub skip: Option<i64>,
    /// `take` (requires `orderBy`, as in Prisma).
    pub take: Option<i64>,
    /// The aggregates, the result's columns after `by`.
    pub aggregates: Vec<Aggregate>,
}

/// One `orderBy` term of `groupBy`.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupOrderBy {
    /// A grouping field.
    Field {
        /// The field.
        field: FieldId,
        /// The direction.
        direction: Direction,
        /// Where nulls go.
        nulls: Option<Nulls>,
    },
    /// An aggregate (`{ _count: { id: "desc" } }`).
    Aggregate {
        /// The aggregate.
        aggregate: Aggregate,
        /// The direction.
        direction: Direction,
    },
}
