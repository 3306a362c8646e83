//! Typed write data ([`Data`], [`Creation`]) and the arguments of included relations
//! ([`PayloadArgs`], [`RelationArgs`]).

use std::marker::PhantomData;

use super::aggregate::Fields;
use super::filter::{OrderBy, UniqueWhere, Where, all};
use super::{Payload, note};
use crate::engine::{
    self, CreateData, FieldId, Filter, NestedWrite, Selection, UpdateData, UpdateOp,
};
use crate::value::Value;

/// One write of field data, as Prisma's `data: { … }` entries:
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Entry {
    /// A scalar field changes (`set`, `increment`, …).
    Scalar(FieldId, UpdateOp),
    /// A nested write through a relation field.
    Relation(FieldId, NestedWrite),
}

model_wrapper!(
    /// One entry of the data of a write on model `M`: `user::name::set("Ann")`,
    /// `user::age::increment(1)`, `user::orders::create(..)`, `user::orders::connect(..)`.
    ///
    /// `update` and `update_many` take a `Vec<Data<M>>`; a create takes them one by one
    /// after its required fields (`user::Create { .. }.with(user::name::set("Ann"))`), where
    /// only `set` and the nested `create`, `create_many`, `connect` and `connect_or_create`
    /// make sense (anything else fails the query with `Error::InvalidQuery`).
    Data(Result<Entry, &'static str>)
);

impl<M> Data<M> {
    fn new(entry: Result<Entry, &'static str>) -> Self {
        Data {
            inner: entry,
            _model: PhantomData,
        }
    }

    /// Changes scalar field `field` (generated code).
    #[doc(hidden)]
    pub fn scalar(field: FieldId, op: UpdateOp) -> Self {
        Self::new(Ok(Entry::Scalar(field, op)))
    }

    /// A nested write through relation field `field` (generated code).
    #[doc(hidden)]
    pub fn relation(field: FieldId, write: NestedWrite) -> Self {
        Self::new(Ok(Entry::Relation(field, write)))
    }

    /// A nested write whose data could not be built.
    fn problem(problem: &'static str) -> Self {
        Self::new(Err(problem))
    }

    /// Nested `create` of related `T` records (generated code).
    #[doc(hidden)]
    pub fn create<T>(field: FieldId, items: impl IntoIterator<Item = Creation<T>>) -> Self {
        match creations(items) {
            Ok(data) => Self::relation(field, NestedWrite::Create(data)),
            Err(p) => Self::problem(p),
        }
    }

    /// Nested `createMany` (generated code).
    #[doc(hidden)]
    pub fn create_many<T>(
        field: FieldId,
        items: impl IntoIterator<Item = Creation<T>>,
        skip_duplicates: bool,
    ) -> Self {
        match creations(items) {
            Ok(data) => Self::relation(
                field,
                NestedWrite::CreateMany {
                    data,
                    skip_duplicates,
                },
            ),
            Err(p) => Self::problem(p),
        }
    }

    /// Skips the related records that conflict with a unique constraint: Prisma's
    /// `skipDuplicates` of a nested `createMany`
    /// (`user::orders::create_many([..]).skip_duplicates()`). On any other entry the write
    /// fails with `Error::InvalidQuery`.
    #[must_use]
    pub fn skip_duplicates(self) -> Self {
        match self.inner {
            Ok(Entry::Relation(
                field,
                NestedWrite::CreateMany {
                    data,
                    skip_duplicates: _,
                },
            )) => Self::relation(
                field,
                NestedWrite::CreateMany {
                    data,
                    skip_duplicates: true,
                },
            ),
            Ok(_) => Self::problem("`skip_duplicates` applies to a nested `create_many` only"),
            Err(p) => Self::problem(p),
        }
    }

    /// Nested `connectOrCreate` (generated code).
    #[doc(hidden)]
    pub fn connect_or_create<T>(
        field: FieldId,
        items: impl IntoIterator<Item = (UniqueWhere<T>, Creation<T>)>,
    ) -> Self {
        let items: Result<Vec<_>, _> = items
            .into_iter()
            .map(|(w, c)| c.into_data().map(|c| (w.into_filter(), c)))
            .collect();
        match items {
            Ok(items) => Self::relation(field, NestedWrite::ConnectOrCreate(items)),
            Err(p) => Self::problem(p),
        }
    }

    /// Nested `connect`, `disconnect`, `set` or `delete` of records named by unique filters
    /// (generated code).
    #[doc(hidden)]
    pub fn unique<T>(
        field: FieldId,
        write: fn(Vec<Filter>) -> NestedWrite,
        items: impl IntoIterator<Item = UniqueWhere<T>>,
    ) -> Self {
        Self::relation(
            field,
            write(items.into_iter().map(UniqueWhere::into_filter).collect()),
        )
    }

    /// Nested `deleteMany` with one filter per entry (generated code).
    #[doc(hidden)]
    pub fn delete_many<T>(field: FieldId, filters: Vec<Where<T>>) -> Self {
        Self::relation(field, NestedWrite::DeleteMany(vec![all(filters)]))
    }

    /// Nested `update` of records named by unique filters, or of the to-one record when the
    /// filter is absent (generated code).
    #[doc(hidden)]
    pub fn update<T>(field: FieldId, items: Vec<(Filter, Vec<Data<T>>)>) -> Self {
        let items: Result<Vec<_>, _> = items
            .into_iter()
            .map(|(f, d)| update_data(d).map(|d| (f, d)))
            .collect();
        match items {
            Ok(items) => Self::relation(field, NestedWrite::Update(items)),
            Err(p) => Self::problem(p),
        }
    }

    /// Nested `updateMany` (generated code).
    #[doc(hidden)]
    pub fn update_many<T>(field: FieldId, filters: Vec<Where<T>>, data: Vec<Data<T>>) -> Self {
        match update_data(data) {
            Ok(data) => Self::relation(field, NestedWrite::UpdateMany(vec![(all(filters), data)])),
            Err(p) => Self::problem(p),
        }
    }

    /// Nested `upsert` (generated code); `filter` is absent for a to-one relation.
    #[doc(hidden)]
    pub fn upsert<T>(
        field: FieldId,
        filter: Filter,
        create: Creation<T>,
        update: Vec<Data<T>>,
    ) -> Self {
        match (create.into_data(), update_data(update)) {
            (Ok(create), Ok(update)) => Self::relation(
                field,
                NestedWrite::Upsert {
                    filter,
                    create: Box::new(create),
                    update: Box::new(update),
                },
            ),
            (Err(p), _) | (_, Err(p)) => Self::problem(p),
        }
    }
}

fn creations<T>(
    items: impl IntoIterator<Item = Creation<T>>,
) -> Result<Vec<CreateData>, &'static str> {
    items.into_iter().map(Creation::into_data).collect()
}

/// The engine's update data for a list of entries.
pub(crate) fn update_data<M>(data: Vec<Data<M>>) -> Result<UpdateData, &'static str> {
    let mut out = UpdateData::default();
    for entry in data {
        match entry.inner? {
            Entry::Scalar(field, op) => out.scalars.push((field, op)),
            Entry::Relation(field, write) => out.relations.push((field, write)),
        }
    }
    Ok(out)
}

/// The data of a new record of model `M`: the generated `Create` struct's required fields
/// (`user::Create { email: .. }.into()`) plus any optional ones and nested writes added with
/// [`Creation::with`] (or the generated `Create::with`).
pub struct Creation<M> {
    data: CreateData,
    problem: Option<&'static str>,
    _model: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Creation<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Creation")
            .field("data", &self.data)
            .field("problem", &self.problem)
            .finish()
    }
}

impl<M> Clone for Creation<M> {
    fn clone(&self) -> Self {
        Creation {
            data: self.data.clone(),
            problem: self.problem,
            _model: PhantomData,
        }
    }
}

impl<M> Creation<M> {
    /// A record with these scalar values (generated code: the `Create` struct's fields).
    #[doc(hidden)]
    pub fn new(scalars: Vec<(FieldId, Value)>) -> Self {
        Creation {
            data: CreateData {
                scalars,
                relations: Vec::new(),
            },
            problem: None,
            _model: PhantomData,
        }
    }

    /// Wraps the engine's create data, trusting that it is about model `M`.
    pub fn from_data(data: CreateData) -> Self {
        Creation {
            data,
            problem: None,
            _model: PhantomData,
        }
    }

    /// Adds an optional field's value (`user::name::set("Ann")`; a later value for the same
    /// field wins) or a nested write (`user::orders::create(..)`).
    #[must_use]
    pub fn with(mut self, data: Data<M>) -> Self {
        match data.inner {
            Ok(Entry::Scalar(field, UpdateOp::Set(value))) => {
                match self.data.scalars.iter_mut().find(|(f, _)| *f == field) {
                    Some(slot) => slot.1 = value,
                    None => self.data.scalars.push((field, value)),
                }
            }
            Ok(Entry::Scalar(..)) => note(
                &mut self.problem,
                Some("a create only sets fields; `increment` and the like need an existing record"),
            ),
            Ok(Entry::Relation(field, write)) => self.data.relations.push((field, write)),
            Err(problem) => note(&mut self.problem, Some(problem)),
        }
        self
    }

    /// The engine's create data, or the first problem met while building it.
    pub(crate) fn into_data(self) -> Result<CreateData, &'static str> {
        match self.problem {
            None => Ok(self.data),
            Some(p) => Err(p),
        }
    }
}

/// Per-relation arguments of an included relation, untyped.
#[derive(Debug, Clone, PartialEq, Default)]
struct Override {
    field: Option<FieldId>,
    filter: Option<Filter>,
    order_by: Vec<engine::OrderBy>,
    cursor: Option<Filter>,
    skip: Option<i64>,
    take: Option<i64>,
    distinct: Option<Vec<FieldId>>,
    nested: Vec<Override>,
}

impl Override {
    /// Applies to the relation of `selection` it names.
    fn apply(self, selection: &mut Selection) -> Result<(), &'static str> {
        let field = self.field.ok_or("relation arguments without a relation")?;
        if let Some(relation) = selection.relations.iter_mut().find(|r| r.field == field) {
            let args = &mut relation.args;
            if let Some(filter) = self.filter {
                args.filter = filter;
            }
            if !self.order_by.is_empty() {
                args.order_by = self.order_by;
            }
            if self.cursor.is_some() {
                args.cursor = self.cursor;
            }
            if self.skip.is_some() {
                args.skip = self.skip;
            }
            if self.take.is_some() {
                args.take = self.take;
            }
            if let Some(distinct) = self.distinct {
                args.distinct = distinct;
            }
            for nested in self.nested {
                nested.apply(&mut args.selection)?;
            }
            return Ok(());
        }
        if let Some(count) = selection.counts.iter_mut().find(|c| c.field == field) {
            if self.order_by.is_empty()
                && self.cursor.is_none()
                && self.skip.is_none()
                && self.take.is_none()
                && self.distinct.is_none()
                && self.nested.is_empty()
            {
                if let Some(filter) = self.filter {
                    count.filter = filter;
                }
                return Ok(());
            }
            return Err("a relation count only takes a filter (`where_`)");
        }
        Err("relation arguments for a relation the payload does not include")
    }
}

/// Arguments of an included relation, given where the query is written:
/// `user::orders::args().where_(vec![..]).order_by(..).take(3)`, handed to
/// [`PayloadArgs::with`]. `P` is the model holding the relation field, `T` the related model.
///
/// On a relation the payload only counts (`_count { orders }`), only [`RelationArgs::where_`]
/// applies (Prisma's `_count: { select: { orders: { where } } }`).
pub struct RelationArgs<P, T> {
    inner: Override,
    problem: Option<&'static str>,
    _models: PhantomData<fn() -> (P, T)>,
}

impl<P, T> std::fmt::Debug for RelationArgs<P, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

impl<P, T> Clone for RelationArgs<P, T> {
    fn clone(&self) -> Self {
        RelationArgs {
            inner: self.inner.clone(),
            problem: self.problem,
            _models: PhantomData,
        }
    }
}

impl<P, T> RelationArgs<P, T> {
    /// Arguments for relation field `field` (generated code).
    #[doc(hidden)]
    pub fn new(field: FieldId) -> Self {
        RelationArgs {
            inner: Override {
                field: Some(field),
                ..Override::default()
            },
            problem: None,
            _models: PhantomData,
        }
    }

    /// Only related records matching every filter (`where`).
    #[must_use]
    pub fn where_(mut self, filters: Vec<Where<T>>) -> Self {
        self.inner.filter = Some(all(filters));
        self
    }

    /// Orders the related records (one term per call, in priority order).
    #[must_use]
    pub fn order_by(mut self, order: OrderBy<T>) -> Self {
        match order.into_order() {
            Ok(o) => self.inner.order_by.push(o),
            Err(p) => note(&mut self.problem, Some(p)),
        }
        self
    }

    /// Starts the related records at this one (per parent).
    #[must_use]
    pub fn cursor(mut self, cursor: UniqueWhere<T>) -> Self {
        self.inner.cursor = Some(cursor.into_filter());
        self
    }

    /// Skips `n` related records (per parent).
    #[must_use]
    pub fn skip(mut self, n: i64) -> Self {
        self.inner.skip = Some(n);
        self
    }

    /// Takes `n` related records per parent; negative takes from the end.
    #[must_use]
    pub fn take(mut self, n: i64) -> Self {
        self.inner.take = Some(n);
        self
    }

    /// Keeps the first related record of each combination of these fields.
    #[must_use]
    pub fn distinct(mut self, fields: impl Fields<T>) -> Self {
        let mut ids = Vec::new();
        fields.field_ids(&mut ids);
        self.inner.distinct = Some(ids);
        self
    }

    /// Arguments for a relation included inside this one.
    #[must_use]
    pub fn with<X>(mut self, nested: RelationArgs<T, X>) -> Self {
        note(&mut self.problem, nested.problem);
        self.inner.nested.push(nested.inner);
        self
    }
}

/// The selection of payload type `P` with the per-relation arguments given at the call site:
/// `UserWithOrders::args()` (the defaults) or
/// `UserWithOrders::args().with(user::orders::args().take(3))`. Handed to `include`, `select`
/// or `omit` of a query builder, it makes the query return `P`.
pub struct PayloadArgs<P> {
    selection: Selection,
    problem: Option<&'static str>,
    _payload: PhantomData<fn() -> P>,
}

impl<P> std::fmt::Debug for PayloadArgs<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.selection, f)
    }
}

impl<P> Clone for PayloadArgs<P> {
    fn clone(&self) -> Self {
        PayloadArgs {
            selection: self.selection.clone(),
            problem: self.problem,
            _payload: PhantomData,
        }
    }
}

impl<P: Payload> Default for PayloadArgs<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Payload> PayloadArgs<P> {
    /// `P`'s selection with default arguments on every relation.
    pub fn new() -> Self {
        PayloadArgs {
            selection: P::selection(),
            problem: None,
            _payload: PhantomData,
        }
    }

    /// Arguments for one of the included (or counted) relations; nested relations through
    /// [`RelationArgs::with`]. Arguments for a relation `P` does not include make the query
    /// fail with `Error::InvalidQuery`.
    #[must_use]
    pub fn with<X>(mut self, relation: RelationArgs<P::Model, X>) -> Self {
        note(&mut self.problem, relation.problem);
        if let Err(p) = relation.inner.apply(&mut self.selection) {
            note(&mut self.problem, Some(p));
        }
        self
    }

    /// The selection, or the first problem met while building it.
    pub(crate) fn into_selection(self) -> Result<Selection, &'static str> {
        match self.problem {
            None => Ok(self.selection),
            Some(p) => Err(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ModelId;

    const POSTS: FieldId = FieldId::new(ModelId::new(0), 3);

    fn nested(data: Data<()>) -> Result<NestedWrite, &'static str> {
        let mut update = update_data(vec![data])?;
        Ok(update.relations.remove(0).1)
    }

    #[test]
    fn skip_duplicates_marks_a_nested_create_many() {
        let items = [Creation::<()>::new(vec![]), Creation::new(vec![])];
        let plain = nested(Data::create_many(POSTS, items.clone(), false)).unwrap();
        assert!(
            matches!(plain, NestedWrite::CreateMany { skip_duplicates: false, ref data } if data.len() == 2)
        );
        let skipping = nested(Data::create_many(POSTS, items, false).skip_duplicates()).unwrap();
        assert!(
            matches!(skipping, NestedWrite::CreateMany { skip_duplicates: true, ref data } if data.len() == 2)
        );
    }

    #[test]
    fn skip_duplicates_on_another_write_is_a_problem() {
        let create = Data::<()>::create(POSTS, [Creation::<()>::new(vec![])]).skip_duplicates();
        assert_eq!(
            nested(create).unwrap_err(),
            "`skip_duplicates` applies to a nested `create_many` only"
        );
        let scalar = Data::<()>::scalar(POSTS, UpdateOp::Set(Value::Null)).skip_duplicates();
        assert!(nested(scalar).is_err());
    }
}
