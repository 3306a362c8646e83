//! Typed field handles ([`Field`]), aggregates ([`Aggregate`]) and the `aggregate` and
//! `groupBy` builders.

use std::marker::PhantomData;

use super::filter::{OrderBy, UniqueWhere, Where, all};
use super::{Actions, Model, check, note};
use crate::client::{Client, Operation};
use crate::engine::{self, AggregateArgs, FieldId, Filter, GroupByArgs, GroupOrderBy, ScalarOp};
use crate::error::{Error, Result};
use crate::query::Direction;
use crate::row::{ResultSet, RowCursor};
use crate::value::{FromValue, Value};

/// A scalar field of model `M` whose values are `T`: `user::email::field()`. Names the field
/// in `distinct` and in `group_by`'s `by`, where the group's value comes back as a `T`.
pub struct Field<M, T> {
    id: FieldId,
    _types: PhantomData<fn() -> (M, T)>,
}

impl<M, T> std::fmt::Debug for Field<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Field").field(&self.id).finish()
    }
}

impl<M, T> Clone for Field<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Field<M, T> {}

impl<M, T> Field<M, T> {
    /// The handle of field `id` (generated code).
    #[doc(hidden)]
    pub const fn new(id: FieldId) -> Self {
        Field {
            id,
            _types: PhantomData,
        }
    }

    /// The field's id.
    pub fn id(self) -> FieldId {
        self.id
    }
}

/// One or more [`Field`]s of model `M`: a single handle or a tuple of up to eight.
pub trait Fields<M> {
    /// The values of the fields of one record (or group): `T`, or a tuple of them.
    type Output: Send;

    /// Appends the fields' ids.
    fn field_ids(&self, out: &mut Vec<FieldId>);

    /// Reads the fields' values from the row, starting at column `*next`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when a value does not convert.
    fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<Self::Output>;
}

impl<M, T: FromValue + Send> Fields<M> for Field<M, T> {
    type Output = T;

    fn field_ids(&self, out: &mut Vec<FieldId>) {
        out.push(self.id);
    }

    fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<T> {
        let value = row.take(*next)?;
        *next += 1;
        Ok(value)
    }
}

/// An aggregate of model `M` whose value is `T`: `post::count_all()`,
/// `post::rating::sum()`, `post::created_at::max()`. Used by `aggregate` and `group_by`; its
/// comparisons (`.gt(10)`) make `having` conditions and `.asc()`/`.desc()` group orderings.
///
/// The value types follow Prisma: `_count` is an `i64`; `_sum` of an `Int` or `BigInt` an
/// `Option<i64>`, of a `Float` an `Option<f64>`, of a `Decimal` an `Option<Decimal>`; `_avg`
/// an `Option<f64>` (`Option<Decimal>` for a `Decimal`); `_min`/`_max` the field's type as an
/// option. Every aggregate but `_count` is `None` on no records.
pub struct Aggregate<M, T> {
    aggregate: engine::Aggregate,
    _types: PhantomData<fn() -> (M, T)>,
}

impl<M, T> std::fmt::Debug for Aggregate<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Aggregate").field(&self.aggregate).finish()
    }
}

impl<M, T> Clone for Aggregate<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Aggregate<M, T> {}

impl<M, T> Aggregate<M, T> {
    /// The handle of `aggregate` (generated code).
    #[doc(hidden)]
    pub const fn new(aggregate: engine::Aggregate) -> Self {
        Aggregate {
            aggregate,
            _types: PhantomData,
        }
    }

    fn having(self, op: ScalarOp) -> Having<M> {
        Having::from_having(engine::Having::Aggregate {
            aggregate: self.aggregate,
            op,
        })
    }

    /// `having`: the aggregate equals `value`.
    pub fn equals(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::Equals(value.into()))
    }

    /// `having`: the aggregate is not `value`.
    pub fn not(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::NotEquals(value.into()))
    }

    /// `having`: the aggregate is one of `values`.
    pub fn in_(self, values: impl IntoIterator<Item = impl Into<Value>>) -> Having<M> {
        self.having(ScalarOp::In(values.into_iter().map(Into::into).collect()))
    }

    /// `having`: the aggregate is none of `values`.
    pub fn not_in(self, values: impl IntoIterator<Item = impl Into<Value>>) -> Having<M> {
        self.having(ScalarOp::NotIn(
            values.into_iter().map(Into::into).collect(),
        ))
    }

    /// `having`: the aggregate is less than `value`.
    pub fn lt(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::Lt(value.into()))
    }

    /// `having`: the aggregate is at most `value`.
    pub fn lte(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::Lte(value.into()))
    }

    /// `having`: the aggregate is greater than `value`.
    pub fn gt(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::Gt(value.into()))
    }

    /// `having`: the aggregate is at least `value`.
    pub fn gte(self, value: impl Into<Value>) -> Having<M> {
        self.having(ScalarOp::Gte(value.into()))
    }

    /// Orders groups by the aggregate, ascending.
    pub fn asc(self) -> GroupOrder<M> {
        self.order(Direction::Asc)
    }

    /// Orders groups by the aggregate, descending.
    pub fn desc(self) -> GroupOrder<M> {
        self.order(Direction::Desc)
    }

    /// Orders groups by the aggregate.
    pub fn order(self, direction: Direction) -> GroupOrder<M> {
        GroupOrder {
            inner: Ok(GroupOrderBy::Aggregate {
                aggregate: self.aggregate,
                direction,
            }),
            _model: PhantomData,
        }
    }
}

/// One or more [`Aggregate`]s of model `M`: a single handle or a tuple of up to eight.
pub trait Aggregates<M> {
    /// The aggregates' values: `T`, or a tuple of them.
    type Output: Send;

    /// Appends the engine's aggregates.
    fn aggregates(&self, out: &mut Vec<engine::Aggregate>);

    /// Reads the values from the row, starting at column `*next`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when a value does not convert.
    fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<Self::Output>;
}

impl<M, T: FromValue + Send> Aggregates<M> for Aggregate<M, T> {
    type Output = T;

    fn aggregates(&self, out: &mut Vec<engine::Aggregate>) {
        out.push(self.aggregate);
    }

    fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<T> {
        let value = row.take(*next)?;
        *next += 1;
        Ok(value)
    }
}

macro_rules! tuples {
    ($($name:ident)+) => {
        impl<M, $($name: Fields<M>),+> Fields<M> for ($($name,)+) {
            type Output = ($($name::Output,)+);

            #[allow(non_snake_case)]
            fn field_ids(&self, out: &mut Vec<FieldId>) {
                let ($($name,)+) = self;
                $($name.field_ids(out);)+
            }

            fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<Self::Output> {
                Ok(($($name::decode(row, next)?,)+))
            }
        }

        impl<M, $($name: Aggregates<M>),+> Aggregates<M> for ($($name,)+) {
            type Output = ($($name::Output,)+);

            #[allow(non_snake_case)]
            fn aggregates(&self, out: &mut Vec<engine::Aggregate>) {
                let ($($name,)+) = self;
                $($name.aggregates(out);)+
            }

            fn decode(row: &mut RowCursor<'_>, next: &mut usize) -> Result<Self::Output> {
                Ok(($($name::decode(row, next)?,)+))
            }
        }
    };
}

tuples!(A);
tuples!(A B);
tuples!(A B C);
tuples!(A B C D);
tuples!(A B C D E);
tuples!(A B C D E F);
tuples!(A B C D E F G);
tuples!(A B C D E F G H);

model_wrapper!(
    /// A condition on the groups of a `group_by` of model `M` (Prisma's `having`): an
    /// aggregate's comparison (`post::rating::sum().gt(100)`), a condition on a grouping
    /// field (a [`Where`] converts), or [`Having::and`], [`Having::or`], [`Having::not`] of
    /// them.
    Having(Result<engine::Having, &'static str>)
);

impl<M> Having<M> {
    fn from_having(having: engine::Having) -> Self {
        Having {
            inner: Ok(having),
            _model: PhantomData,
        }
    }

    fn combine(
        conditions: impl IntoIterator<Item = Having<M>>,
        make: fn(Vec<engine::Having>) -> engine::Having,
    ) -> Self {
        let inner: Result<Vec<_>, _> = conditions.into_iter().map(|h| h.inner).collect();
        Having {
            inner: inner.map(make),
            _model: PhantomData,
        }
    }

    /// Every condition holds.
    pub fn and(conditions: impl IntoIterator<Item = Having<M>>) -> Self {
        Self::combine(conditions, engine::Having::And)
    }

    /// Some condition holds.
    pub fn or(conditions: impl IntoIterator<Item = Having<M>>) -> Self {
        Self::combine(conditions, engine::Having::Or)
    }

    /// No condition holds.
    pub fn not(conditions: impl IntoIterator<Item = Having<M>>) -> Self {
        Self::combine(conditions, engine::Having::Not)
    }
}

impl<M> From<Where<M>> for Having<M> {
    fn from(filter: Where<M>) -> Self {
        Having {
            inner: having_of(filter.into_filter()),
            _model: PhantomData,
        }
    }
}

fn having_of(filter: Filter) -> Result<engine::Having, &'static str> {
    let list = |filters: Vec<Filter>| -> Result<Vec<_>, &'static str> {
        filters.into_iter().map(having_of).collect()
    };
    Ok(match filter {
        Filter::Scalar(f) => engine::Having::Field(f),
        Filter::And(fs) => engine::Having::And(list(fs)?),
        Filter::Or(fs) => engine::Having::Or(list(fs)?),
        Filter::Not(fs) => engine::Having::Not(list(fs)?),
        Filter::Empty => engine::Having::And(Vec::new()),
        Filter::Relation { .. } => return Err("`having` cannot filter on a relation"),
    })
}

model_wrapper!(
    /// One `orderBy` term of a `group_by` of model `M`: a grouping field (an [`OrderBy`]
    /// converts: `post::author_id::asc()`) or an aggregate (`post::rating::sum().desc()`).
    GroupOrder(Result<GroupOrderBy, &'static str>)
);

impl<M> From<OrderBy<M>> for GroupOrder<M> {
    fn from(order: OrderBy<M>) -> Self {
        let inner = match order.into_order() {
            Ok(engine::OrderBy::Field {
                path,
                field,
                direction,
                nulls,
            }) if path.is_empty() => Ok(GroupOrderBy::Field {
                field,
                direction,
                nulls,
            }),
            Ok(_) => Err("`group_by` orders by grouping fields and aggregates only"),
            Err(p) => Err(p),
        };
        GroupOrder {
            inner,
            _model: PhantomData,
        }
    }
}

/// The first row of an aggregate's result, decoded.
fn decode_first<M, A: Aggregates<M>>(result: ResultSet) -> Result<A::Output> {
    result
        .decode_with(|row| A::decode(row, &mut 0))?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Decode {
            column: "(aggregate)".to_owned(),
            expected: "one row".to_owned(),
            actual: "no row".to_owned(),
        })
}

/// `aggregate`: built by [`Actions::aggregate`]; `exec().await` gives the aggregates' values.
#[must_use = "a query does nothing until it is executed"]
pub struct AggregateQuery<'a, M, A> {
    client: &'a Client,
    args: AggregateArgs,
    problem: Option<&'static str>,
    _types: PhantomData<fn() -> (M, A)>,
}

impl<M, A> std::fmt::Debug for AggregateQuery<'_, M, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.args, f)
    }
}

impl<'a, M: Model> Actions<'a, M> {
    /// `aggregate`: the `aggregates` (one handle or a tuple) over the records matching every
    /// filter.
    ///
    /// ```no_run,standalone_crate
    /// # orm_core::prisma_schema!("prisma/schema.prisma", module = crate);
    /// # async fn demo(prisma: &PrismaClient) -> orm_core::Result<()> {
    /// let (count, total, average) = prisma.order()
    ///     .aggregate(vec![order::sku::is_not_null()], (order::count_all(), order::total::sum(), order::total::avg()))
    ///     .exec().await?;   // (i64, Option<i64>, Option<f64>)
    /// # Ok(()) }
    /// # fn main() {}
    /// ```
    pub fn aggregate<A: Aggregates<M>>(
        self,
        filters: Vec<Where<M>>,
        aggregates: A,
    ) -> AggregateQuery<'a, M, A> {
        let mut list = Vec::new();
        aggregates.aggregates(&mut list);
        AggregateQuery {
            client: self.client,
            args: AggregateArgs {
                filter: all(filters),
                aggregates: list,
                ..AggregateArgs::default()
            },
            problem: None,
            _types: PhantomData,
        }
    }

    /// `groupBy`: one row per combination of the `by` fields (one handle or a tuple), with
    /// the `aggregates` of each group.
    ///
    /// ```no_run,standalone_crate
    /// # orm_core::prisma_schema!("prisma/schema.prisma", module = crate);
    /// # async fn demo(prisma: &PrismaClient) -> orm_core::Result<()> {
    /// let per_user: Vec<(String, (i64, Option<i64>))> = prisma.order()
    ///     .group_by(order::user_id::field(), (order::count_all(), order::total::sum()))
    ///     .having(order::total::sum().gt(100))
    ///     .order_by(order::user_id::asc())
    ///     .exec().await?;
    /// # Ok(()) }
    /// # fn main() {}
    /// ```
    pub fn group_by<K: Fields<M>, A: Aggregates<M>>(
        self,
        by: K,
        aggregates: A,
    ) -> GroupBy<'a, M, K, A> {
        let mut fields = Vec::new();
        by.field_ids(&mut fields);
        let mut list = Vec::new();
        aggregates.aggregates(&mut list);
        GroupBy {
            client: self.client,
            args: GroupByArgs {
                by: fields,
                aggregates: list,
                ..GroupByArgs::default()
            },
            problem: None,
            _types: PhantomData,
        }
    }
}

impl<'a, M: Model, A: Aggregates<M>> AggregateQuery<'a, M, A> {
    /// Orders the records (matters with `cursor`, `skip` and `take`).
    pub fn order_by(mut self, order: OrderBy<M>) -> Self {
        match order.into_order() {
            Ok(o) => self.args.order_by.push(o),
            Err(p) => note(&mut self.problem, Some(p)),
        }
        self
    }

    /// Starts at this record.
    pub fn cursor(mut self, cursor: UniqueWhere<M>) -> Self {
        self.args.cursor = Some(cursor.into_filter());
        self
    }

    /// Skips `n` records.
    pub fn skip(mut self, n: i64) -> Self {
        self.args.skip = Some(n);
        self
    }

    /// Aggregates over `n` records only (negative: from the end).
    pub fn take(mut self, n: i64) -> Self {
        self.args.take = Some(n);
        self
    }

    /// Runs the query.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for arguments the model does not accept, or the database's
    /// error.
    pub async fn exec(self) -> Result<A::Output> {
        let client = self.client;
        self.run(client).await
    }
}

impl<M: Model, A: Aggregates<M>> Operation for AggregateQuery<'_, M, A> {
    type Output = A::Output;

    async fn run(self, client: &Client) -> Result<A::Output> {
        check::<M>(self.problem)?;
        let result = client.aggregate(M::ID, self.args).await?;
        decode_first::<M, A>(result)
    }
}

/// The types a `groupBy` builder carries: the model, the grouping fields, the aggregates.
type GroupTypes<M, K, A> = PhantomData<fn() -> (M, K, A)>;

/// `groupBy`: built by [`Actions::group_by`]; `exec().await` gives one
/// `(group values, aggregates)` pair per group.
#[must_use = "a query does nothing until it is executed"]
pub struct GroupBy<'a, M, K, A> {
    client: &'a Client,
    args: GroupByArgs,
    problem: Option<&'static str>,
    _types: GroupTypes<M, K, A>,
}

impl<M, K, A> std::fmt::Debug for GroupBy<'_, M, K, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.args, f)
    }
}

impl<'a, M: Model, K: Fields<M>, A: Aggregates<M>> GroupBy<'a, M, K, A> {
    /// Only records matching every filter are grouped (`where`).
    pub fn where_(mut self, filters: Vec<Where<M>>) -> Self {
        self.args.filter = all(filters);
        self
    }

    /// Only groups meeting `condition` are returned (`having`).
    pub fn having(mut self, condition: impl Into<Having<M>>) -> Self {
        match condition.into().inner {
            Ok(h) => self.args.having = Some(h),
            Err(p) => note(&mut self.problem, Some(p)),
        }
        self
    }

    /// Orders the groups (one term per call, in priority order).
    pub fn order_by(mut self, order: impl Into<GroupOrder<M>>) -> Self {
        match order.into().inner {
            Ok(o) => self.args.order_by.push(o),
            Err(p) => note(&mut self.problem, Some(p)),
        }
        self
    }

    /// Skips `n` groups (needs `order_by`, as in Prisma).
    pub fn skip(mut self, n: i64) -> Self {
        self.args.skip = Some(n);
        self
    }

    /// Returns `n` groups at most (needs `order_by`, as in Prisma).
    pub fn take(mut self, n: i64) -> Self {
        self.args.take = Some(n);
        self
    }

    /// Runs the query.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for `skip`/`take` without `order_by` or arguments the model
    /// does not accept, or the database's error.
    pub async fn exec(self) -> Result<Vec<(K::Output, A::Output)>> {
        let client = self.client;
        self.run(client).await
    }
}

impl<M: Model, K: Fields<M>, A: Aggregates<M>> Operation for GroupBy<'_, M, K, A> {
    type Output = Vec<(K::Output, A::Output)>;

    async fn run(self, client: &Client) -> Result<Self::Output> {
        check::<M>(self.problem)?;
        let result = client.group_by(M::ID, self.args).await?;
        result.decode_with(|row| {
            let mut next = 0;
            let key = K::decode(row, &mut next)?;
            Ok((key, A::decode(row, &mut next)?))
        })
    }
}
