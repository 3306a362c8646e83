//! Reads: `findMany`, `findFirst`, `findUnique` (and their `OrThrow` forms), with relation
//! counts and included relations loaded by the `query` strategy: one statement per relation
//! level over all parent rows of that level, stitched by key in memory.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::args::{
    FindManyArgs, FindUniqueArgs, ReadOperation, RelationLoadStrategy, RelationSelection, Selection,
};
use super::build::{Builder, Ordering, check_skip};
use super::decode::{FastHash, Key, KeyValue, normalize};
use super::ids::ModelId;
use super::meta::{Link, ModelMeta, RelationMeta, position};
use super::result::{Records, RelationRecords};
use super::shapes::{self, KnownStatement};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::query::{Expr, Join, JoinKind, Name, Select, SelectItem, Source, Table};
use crate::row::{ResultSet, RowDecoder};
use crate::sql::Sql;
use crate::value::Value;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Rows being worked on: the result's buffer with its width.
pub(crate) struct Rows {
    columns: Arc<[String]>,
    values: Vec<Value>,
    width: usize,
}

impl Rows {
    pub fn new(result: ResultSet) -> Rows {
        let (columns, values) = result.into_parts();
        let width = columns.len().max(1);
        Rows {
            columns,
            values,
            width,
        }
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.width
    }

    pub fn row(&self, i: usize) -> &[Value] {
        &self.values[i * self.width..(i + 1) * self.width]
    }

    pub fn into_result_set(self) -> ResultSet {
        ResultSet::from_parts(self.columns, self.values)
    }

    /// The rows at `order` (indices may repeat: a repeated row is cloned, the last use
    /// moves it).
    pub fn select(mut self, order: &[usize]) -> Rows {
        let n = self.len();
        if order.len() == n && order.iter().enumerate().all(|(i, j)| i == *j) {
            return self;
        }
        let mut uses = vec![0u32; n];
        for &j in order {
            uses[j] += 1;
        }
        let mut values = Vec::with_capacity(order.len() * self.width);
        for &j in order {
            uses[j] -= 1;
            let row = &mut self.values[j * self.width..(j + 1) * self.width];
            if uses[j] == 0 {
                values.extend(row.iter_mut().map(std::mem::take));
            } else {
                values.extend(row.iter().cloned());
            }
        }
        Rows {
            columns: self.columns,
            values,
            width: self.width,
        }
    }

    /// Appends the rows of `other` (same columns).
    pub fn append(&mut self, mut other: Rows) {
        self.values.append(&mut other.values);
    }

    /// The values of row `i`, to move out of.
    pub fn row_mut(&mut self, i: usize) -> &mut [Value] {
        &mut self.values[i * self.width..(i + 1) * self.width]
    }

    pub(super) fn reverse(&mut self) {
        let n = self.len();
        for i in 0..n / 2 {
            let (a, b) = self.values.split_at_mut((n - 1 - i) * self.width);
            a[i * self.width..(i + 1) * self.width].swap_with_slice(&mut b[..self.width]);
        }
    }
}

/// What a column of a read holds, for normalising values.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ColumnKind {
    /// A scalar field (by index).
    Scalar(u32),
    /// A relation count.
    Count,
    /// A key column of a join table.
    Key,
}

/// A planned read of one level.
pub(crate) struct Plan {
    pub(super) kinds: Vec<ColumnKind>,
    /// Per included relation: the columns holding the parent side of its key.
    relation_keys: Vec<Vec<usize>>,
    relations: Vec<RelationSelection>,
    /// Columns of `distinct`.
    pub(super) distinct: Vec<usize>,
    /// Columns of the key to the parent level (nested levels).
    group_key: Vec<usize>,
    /// Pagination left to do in memory (nested levels, `distinct`).
    pub(super) memory: Option<(Option<i64>, Option<i64>)>,
    /// Rows come back reversed (a negative `take` done in SQL).
    pub(super) reverse: bool,
}

/// The keys of the parent rows a nested level is restricted to.
pub(crate) struct ParentKeys<'a> {
    pub model: &'a ModelMeta,
    pub relation: &'a RelationMeta,
    /// Values per key.
    pub width: usize,
    /// The keys' values, row-major.
    pub keys: Vec<Value>,
}

struct ColumnsBuilder<'m> {
    model: &'m ModelMeta,
    alias: Name,
    items: Vec<SelectItem>,
    kinds: Vec<ColumnKind>,
}

impl ColumnsBuilder<'_> {
    fn push(&mut self, expr: Expr, kind: ColumnKind) -> usize {
        self.items.push(SelectItem { expr, alias: None });
        self.kinds.push(kind);
        self.items.len() - 1
    }

    /// The column of scalar field `index`, added as a hidden column if not selected yet.
    fn ensure(&mut self, b: &Builder<'_>, index: u32) -> Result<usize> {
        if let Some(i) = self
            .kinds
            .iter()
            .position(|k| matches!(k, ColumnKind::Scalar(f) if *f == index))
        {
            return Ok(i);
        }
        let scalar = self.model.scalar_at(index)?;
        Ok(self.push(
            b.read_column(&self.alias, scalar),
            ColumnKind::Scalar(index),
        ))
    }
}

impl Client {
    /// `findMany`: the records matching `args`, with their included relations.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for arguments the model does not accept, or the database's
    /// error.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "findMany")
    )]
    pub async fn find_many(&self, model: ModelId, args: FindManyArgs) -> Result<Records> {
        let model = self.schema().model(model)?;
        if args.strategy == RelationLoadStrategy::Join && !args.selection.relations.is_empty() {
            return self.find_many_joined(model, args).await;
        }
        self.read(model, args).await
    }

    /// `findFirst`: the first record matching `args` (`take` defaults to 1; `take: -1` reads
    /// the last one), in a `Records` of at most one row.
    ///
    /// # Errors
    ///
    /// As [`Client::find_many`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "findFirst")
    )]
    pub async fn find_first(&self, model: ModelId, mut args: FindManyArgs) -> Result<Records> {
        args.take = first_take(args.take);
        self.find_many(model, args).await
    }

    /// `findFirstOrThrow`.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when no record matches; otherwise as [`Client::find_many`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "findFirstOrThrow")
    )]
    pub async fn find_first_or_throw(&self, model: ModelId, args: FindManyArgs) -> Result<Records> {
        let records = self.find_first(model, args).await?;
        self.found(model, records, "a query")
    }

    /// `findUnique`: the record the unique filter names, in a `Records` of at most one row.
    ///
    /// # Errors
    ///
    /// As [`Client::find_many`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "findUnique")
    )]
    pub async fn find_unique(&self, model: ModelId, args: FindUniqueArgs) -> Result<Records> {
        self.find_many(model, args.into_find_many()).await
    }

    /// `findMany`, `findFirst`, `findUnique` or their `OrThrow` forms (`operation`), decoding
    /// each record with `decode` as the adapter reads it instead of returning [`Records`]
    /// (types decoded from single rows, such as the generated model structs). `args` are
    /// `findMany`'s; the operation sets `take` as it does (`findUnique` passes
    /// [`FindUniqueArgs::into_find_many`]). At most one record comes back except from
    /// `findMany`.
    ///
    /// # Errors
    ///
    /// As [`Client::find_many`]; [`Error::NotFound`] from the `OrThrow` forms when no record
    /// matches; the first error of `decode`.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = operation.name())
    )]
    pub async fn read_rows_as<T: Send>(
        &self,
        operation: ReadOperation,
        model: ModelId,
        args: FindManyArgs,
        decode: RowDecoder<T>,
    ) -> Result<Vec<T>> {
        let (meta, args) = self.read_operation(operation, model, args)?;
        let records = if args.strategy == RelationLoadStrategy::Join
            && !args.selection.relations.is_empty()
        {
            self.find_many_joined(meta, args)
                .await?
                .rows
                .decode_with(decode)?
        } else {
            self.read_rows(meta, args, decode).await?
        };
        self.read_found(operation, meta, records.is_empty())?;
        Ok(records)
    }

    /// [`Client::read_rows_as`] returning [`Records`], for types that decode relations too.
    ///
    /// # Errors
    ///
    /// As [`Client::read_rows_as`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = operation.name())
    )]
    pub async fn read_records(
        &self,
        operation: ReadOperation,
        model: ModelId,
        args: FindManyArgs,
    ) -> Result<Records> {
        let (meta, args) = self.read_operation(operation, model, args)?;
        let records = if args.strategy == RelationLoadStrategy::Join
            && !args.selection.relations.is_empty()
        {
            self.find_many_joined(meta, args).await?
        } else {
            self.read(meta, args).await?
        };
        self.read_found(operation, meta, records.is_empty())?;
        Ok(records)
    }

    /// The model of a read of `operation`, and its arguments with `take` as the operation
    /// sets it.
    fn read_operation(
        &self,
        operation: ReadOperation,
        model: ModelId,
        mut args: FindManyArgs,
    ) -> Result<(&ModelMeta, FindManyArgs)> {
        if matches!(
            operation,
            ReadOperation::FindFirst | ReadOperation::FindFirstOrThrow
        ) {
            args.take = first_take(args.take);
        }
        Ok((self.schema().model(model)?, args))
    }

    /// [`Error::NotFound`] when an `OrThrow` read found nothing.
    fn read_found(&self, operation: ReadOperation, model: &ModelMeta, empty: bool) -> Result<()> {
        if empty && operation.throws() {
            return Err(Error::NotFound {
                model: model.name.to_owned(),
                operation: "a query".to_owned(),
            });
        }
        Ok(())
    }

    /// `findUniqueOrThrow`.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] (operation "a query") when no record matches; otherwise as
    /// [`Client::find_many`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "findUniqueOrThrow")
    )]
    pub async fn find_unique_or_throw(
        &self,
        model: ModelId,
        args: FindUniqueArgs,
    ) -> Result<Records> {
        let records = self.find_unique(model, args).await?;
        self.found(model, records, "a query")
    }

    pub(crate) fn found(
        &self,
        model: ModelId,
        records: Records,
        operation: &str,
    ) -> Result<Records> {
        if records.is_empty() {
            Err(Error::NotFound {
                model: self.schema().model(model)?.name.to_owned(),
                operation: operation.to_owned(),
            })
        } else {
            Ok(records)
        }
    }

    /// Reads one top-level query with the `query` strategy.
    pub(crate) async fn read(&self, model: &ModelMeta, args: FindManyArgs) -> Result<Records> {
        let (sql, plan) = self.read_statement(model, args)?;
        let rows = Rows::new(self.query(&sql).await?);
        self.finish_read(model, rows, plan).await
    }

    /// Reads one top-level query with the `query` strategy, decoding each row into `T` with
    /// `decode` as the adapter reads it ([`Queryable::query_each`](crate::Queryable::query_each)),
    /// with no [`Records`] in between. Reads that need all rows first (`distinct`, included
    /// relations) are collected, then decoded.
    pub(crate) async fn read_rows<T: Send>(
        &self,
        model: &ModelMeta,
        args: FindManyArgs,
        decode: RowDecoder<T>,
    ) -> Result<Vec<T>> {
        let (sql, plan) = self.read_statement(model, args)?;
        let reverse = match &plan {
            ReadPlan::Known(_) => false,
            ReadPlan::Planned(p) if p.memory.is_none() && p.relations.is_empty() => p.reverse,
            ReadPlan::Planned(_) => {
                let rows = Rows::new(self.query(&sql).await?);
                let records = self.finish_read(model, rows, plan).await?;
                return records.rows.decode_with(decode);
            }
        };
        let normalizer = Normalizer::new(model, plan.kinds());
        let mut out = Vec::new();
        self.query_each(&sql, &mut |row| {
            normalizer.row(row.values_mut());
            out.push(decode(row)?);
            Ok(())
        })
        .await?;
        if reverse {
            out.reverse();
        }
        Ok(out)
    }

    /// The statement of a top-level read and what reading its rows needs: a point read's
    /// known statement ([`shapes`]), or a new plan.
    fn read_statement(&self, model: &ModelMeta, args: FindManyArgs) -> Result<(Sql, ReadPlan)> {
        let shape = self.shapes().read(model.id, &args);
        if let Some(shape) = &shape
            && let Some(known) = self.shapes().get(shape)
        {
            let values = shapes::take_filter_values(args.filter);
            return Ok((known.sql(values), ReadPlan::Known(known)));
        }
        let values = shape.as_ref().map(|_| shapes::filter_values(&args.filter));
        let mut b = Builder::new(self.schema(), self.dialect());
        let (select, plan) = plan(&mut b, model, args, None)?;
        let sql = self.render(select)?;
        if let (Some(shape), Some(values)) = (&shape, &values) {
            self.shapes()
                .remember(shape, &sql, values, &plan.kinds, false);
        }
        Ok((sql, ReadPlan::Planned(plan)))
    }

    /// The records of a top-level read from its rows: normalised, paginated in memory where
    /// the plan says so, with their included relations loaded.
    async fn finish_read(
        &self,
        model: &ModelMeta,
        mut rows: Rows,
        plan: ReadPlan,
    ) -> Result<Records> {
        normalize_rows(model, plan.kinds(), &mut rows);
        let plan = match plan {
            ReadPlan::Known(_) => return Ok(Records::new(rows.into_result_set())),
            ReadPlan::Planned(plan) => plan,
        };
        if let Some((skip, take)) = plan.memory {
            let keep = distinct_rows(&rows, &plan.distinct, (0..rows.len()).collect());
            rows = rows.select(&paginate(keep, skip, take));
        }
        if plan.reverse {
            rows.reverse();
        }
        let relations = if plan.relations.is_empty() {
            Vec::new()
        } else {
            self.load_relations(model, &rows, plan.relation_keys, plan.relations)
                .await?
        };
        Ok(Records {
            rows: rows.into_result_set(),
            relations,
        })
    }

    /// Loads every included relation of `rows` (rows of `model`).
    pub(crate) fn load_relations<'a>(
        &'a self,
        model: &'a ModelMeta,
        rows: &'a Rows,
        keys: Vec<Vec<usize>>,
        relations: Vec<RelationSelection>,
    ) -> BoxFuture<'a, Result<Vec<RelationRecords>>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(relations.len());
            for (selection, key) in relations.into_iter().zip(keys) {
                out.push(self.load_relation(model, rows, &key, selection).await?);
            }
            Ok(out)
        })
    }

    async fn load_relation(
        &self,
        model: &ModelMeta,
        rows: &Rows,
        key_columns: &[usize],
        selection: RelationSelection,
    ) -> Result<RelationRecords> {
        let relation = model.relation(selection.field)?;
        let target = self.schema().model(relation.target)?;

        // The distinct keys of the parents, in order, row-major.
        let width = key_columns.len().max(1);
        let mut seen: HashSet<Key<'_>, FastHash> = HashSet::default();
        let mut keys = Vec::with_capacity(rows.len() * width);
        for i in 0..rows.len() {
            if let Some(key) = Key::of(rows.row(i), key_columns)
                && seen.insert(key.clone())
            {
                key.push_values(&mut keys);
            }
        }
        drop(seen);
        if keys.is_empty() {
            return Ok(empty_relation(&selection.args.selection, rows.len()));
        }

        // One statement for all parents (several only past the bind-parameter limit).
        let array_binds = self.dialect() == crate::sql::Dialect::Postgres && width == 1;
        let per_statement = if array_binds {
            keys.len()
        } else {
            (self.max_bind_parameters().saturating_sub(1000) / width).max(1) * width
        };
        let mut chunks: Vec<Vec<Value>> = Vec::with_capacity(keys.len().div_ceil(per_statement));
        let mut rest = keys.into_iter().peekable();
        while rest.peek().is_some() {
            chunks.push(rest.by_ref().take(per_statement).collect());
        }
        let mut child_rows: Option<Rows> = None;
        let mut plan_info = None;
        let last = chunks.len().saturating_sub(1);
        let mut args = Some(selection.args);
        for (n, keys) in chunks.into_iter().enumerate() {
            let args = if n == last {
                args.take().unwrap_or_default()
            } else {
                args.clone().unwrap_or_default()
            };
            let mut b = Builder::new(self.schema(), self.dialect());
            let (select, plan) = plan(
                &mut b,
                target,
                args,
                Some(ParentKeys {
                    model,
                    relation,
                    width,
                    keys,
                }),
            )?;
            let sql = self.render(select)?;
            let mut part = Rows::new(self.query(&sql).await?);
            normalize_rows(target, &plan.kinds, &mut part);
            child_rows = Some(match child_rows {
                None => part,
                Some(mut all) => {
                    all.append(part);
                    all
                }
            });
            plan_info = Some(plan);
        }
        let (Some(children), Some(plan)) = (child_rows, plan_info) else {
            return Ok(RelationRecords {
                records: Records::default(),
                offsets: vec![0; rows.len() + 1],
            });
        };

        // Group the children by key, then lay them out parent by parent.
        let mut order = Vec::with_capacity(children.len());
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0);
        {
            let mut groups: HashMap<Key<'_>, Vec<usize>, FastHash> = HashMap::default();
            for j in 0..children.len() {
                if let Some(key) = Key::of(children.row(j), &plan.group_key) {
                    groups.entry(key).or_default().push(j);
                }
            }
            for i in 0..rows.len() {
                if let Some(group) = Key::of(rows.row(i), key_columns).and_then(|k| groups.get(&k))
                {
                    match plan.memory {
                        Some((skip, take)) => {
                            let keep = distinct_rows(&children, &plan.distinct, group.clone());
                            order.extend(paginate(keep, skip, take));
                        }
                        None => order.extend_from_slice(group),
                    }
                }
                offsets.push(order.len());
            }
        }
        let children = children.select(&order);
        let relations = if plan.relations.is_empty() {
            Vec::new()
        } else {
            self.load_relations(target, &children, plan.relation_keys, plan.relations)
                .await?
        };
        Ok(RelationRecords {
            records: Records {
                rows: children.into_result_set(),
                relations,
            },
            offsets,
        })
    }
}

/// The `RETURNING` list of a write that returns `selection`, and the plan to finish its rows.
pub(crate) fn returning_plan(
    b: &mut Builder<'_>,
    model: &ModelMeta,
    alias: &Name,
    selection: Selection,
) -> Result<(Vec<SelectItem>, Plan)> {
    let mut columns = ColumnsBuilder {
        model,
        alias: alias.clone(),
        items: Vec::with_capacity(selection.scalars.len() + 1),
        kinds: Vec::with_capacity(selection.scalars.len() + 1),
    };
    for field in &selection.scalars {
        let scalar = model.scalar(*field)?;
        columns.push(
            b.read_column(alias, scalar),
            ColumnKind::Scalar(position(*field)),
        );
    }
    for count in selection.counts {
        let expr = relation_count(b, model, alias, count.field, count.filter)?;
        columns.push(expr, ColumnKind::Count);
    }
    let relation_keys = relation_key_columns(b, model, &mut columns, &selection.relations)?;
    let plan = Plan {
        kinds: columns.kinds,
        relation_keys,
        relations: selection.relations,
        distinct: Vec::new(),
        group_key: Vec::new(),
        memory: None,
        reverse: false,
    };
    Ok((columns.items, plan))
}

fn relation_key_columns(
    b: &Builder<'_>,
    model: &ModelMeta,
    columns: &mut ColumnsBuilder<'_>,
    relations: &[RelationSelection],
) -> Result<Vec<Vec<usize>>> {
    let mut relation_keys = Vec::with_capacity(relations.len());
    for included in relations {
        let relation = model.relation(included.field)?;
        let fields: Vec<u32> = match &relation.link {
            Link::Join { this_key, .. } => vec![*this_key],
            _ => relation
                .key_pair()
                .map(|p| p.parent.to_vec())
                .unwrap_or_default(),
        };
        let mut key = Vec::with_capacity(fields.len());
        for f in fields {
            key.push(columns.ensure(b, f)?);
        }
        relation_keys.push(key);
    }
    Ok(relation_keys)
}

impl Client {
    /// Normalises the rows a statement planned by `plan` returned, and loads their
    /// relations.
    pub(crate) async fn finish_rows(
        &self,
        model: &ModelMeta,
        mut rows: Rows,
        plan: Plan,
    ) -> Result<Records> {
        normalize_rows(model, &plan.kinds, &mut rows);
        let relations = if plan.relations.is_empty() {
            Vec::new()
        } else {
            self.load_relations(model, &rows, plan.relation_keys, plan.relations)
                .await?
        };
        Ok(Records {
            rows: rows.into_result_set(),
            relations,
        })
    }
}

/// Records with no rows for `selection`, with an empty group for each of `parents`.
pub(crate) fn empty_relation(selection: &Selection, parents: usize) -> RelationRecords {
    RelationRecords {
        records: Records {
            rows: ResultSet::default(),
            relations: selection
                .relations
                .iter()
                .map(|r| empty_relation(&r.args.selection, 0))
                .collect(),
        },
        offsets: vec![0; parents + 1],
    }
}

/// `findFirst`'s `take`: the first record, or the last one for a negative `take`.
fn first_take(take: Option<i64>) -> Option<i64> {
    Some(match take {
        Some(t) if t < 0 => -1,
        _ => 1,
    })
}

pub(super) fn normalize_rows(model: &ModelMeta, kinds: &[ColumnKind], rows: &mut Rows) {
    let normalizer = Normalizer::new(model, kinds);
    if normalizer.columns.is_empty() {
        return;
    }
    for row in rows.values.chunks_mut(rows.width) {
        normalizer.row(row);
    }
}

/// Brings the values of a read's rows to their fields' types ([`normalize`]), row by row.
struct Normalizer<'m> {
    /// One entry per column; empty when no column needs anything.
    columns: Vec<NormalizedColumn<'m>>,
}

enum NormalizedColumn<'m> {
    Scalar(&'m super::meta::ScalarMeta),
    Count,
    Raw,
}

impl<'m> Normalizer<'m> {
    fn new(model: &'m ModelMeta, kinds: &[ColumnKind]) -> Self {
        let columns: Vec<NormalizedColumn<'m>> = kinds
            .iter()
            .map(|kind| match kind {
                ColumnKind::Scalar(field) => model
                    .scalar_at(*field)
                    .map_or(NormalizedColumn::Raw, NormalizedColumn::Scalar),
                ColumnKind::Count => NormalizedColumn::Count,
                ColumnKind::Key => NormalizedColumn::Raw,
            })
            .collect();
        let idle = columns.iter().all(|c| matches!(c, NormalizedColumn::Raw));
        Normalizer {
            columns: if idle { Vec::new() } else { columns },
        }
    }

    /// Normalises one row's values in place (columns past the plan's are left alone).
    fn row(&self, row: &mut [Value]) {
        for (value, column) in row.iter_mut().zip(&self.columns) {
            match column {
                // Values the adapter already returned in the field's type stay (but decimals
                // are normalised: `15.00` → `15`).
                NormalizedColumn::Scalar(scalar)
                    if scalar.list
                        || scalar.ty.kind == crate::value::Kind::Decimal
                        || (!value.is_null() && value.kind() != Some(scalar.ty.kind)) =>
                {
                    *value = normalize(scalar, std::mem::take(value));
                }
                NormalizedColumn::Count => {
                    if let Value::Int(n) = value {
                        *value = Value::BigInt(i64::from(*n));
                    }
                }
                NormalizedColumn::Scalar(_) | NormalizedColumn::Raw => {}
            }
        }
    }
}

/// What reading the rows of a top-level read needs.
enum ReadPlan {
    /// A point read's statement run before ([`shapes`]).
    Known(Arc<KnownStatement>),
    /// A statement planned for this read.
    Planned(Plan),
}

impl ReadPlan {
    fn kinds(&self) -> &[ColumnKind] {
        match self {
            ReadPlan::Known(known) => &known.kinds,
            ReadPlan::Planned(plan) => &plan.kinds,
        }
    }
}

/// The rows of `indices` whose `columns` values were not seen before (all of them when
/// `columns` is empty). Null is a value here, as in Prisma's `distinct`.
pub(super) fn distinct_rows(rows: &Rows, columns: &[usize], indices: Vec<usize>) -> Vec<usize> {
    if columns.is_empty() {
        return indices;
    }
    let mut seen: HashSet<Vec<KeyValue<'_>>, FastHash> = HashSet::default();
    indices
        .into_iter()
        .filter(|&i| {
            let row = rows.row(i);
            seen.insert(columns.iter().map(|c| KeyValue(&row[*c])).collect())
        })
        .collect()
}

/// The `LIMIT` of a `take`: its size whichever end it counts from. `i64::MIN` has no `i64`
/// absolute value (`abs` would overflow); `i64::MAX` rows is the same limit in practice.
pub(super) fn limit_of(take: i64) -> i64 {
    take.checked_abs().unwrap_or(i64::MAX)
}

/// `skip`/`take` over `indices` in memory; a negative `take` counts from the end.
pub(super) fn paginate(indices: Vec<usize>, skip: Option<i64>, take: Option<i64>) -> Vec<usize> {
    let len = indices.len();
    let skip = usize::try_from(skip.unwrap_or(0).max(0)).unwrap_or(usize::MAX);
    let (start, end) = match take {
        None => (skip.min(len), len),
        Some(t) if t >= 0 => {
            let t = usize::try_from(t).unwrap_or(usize::MAX);
            (skip.min(len), skip.saturating_add(t).min(len))
        }
        Some(t) => {
            let t = usize::try_from(t.unsigned_abs()).unwrap_or(usize::MAX);
            let end = len.saturating_sub(skip);
            (end.saturating_sub(t), end)
        }
    };
    indices[start..end].to_vec()
}

/// Plans the read of `model` under `args`; for a nested level, restricted to the children of
/// `parent`'s keys.
pub(crate) fn plan(
    b: &mut Builder<'_>,
    model: &ModelMeta,
    args: FindManyArgs,
    parent: Option<ParentKeys<'_>>,
) -> Result<(Select, Plan)> {
    let alias = b.alias();
    let FindManyArgs {
        filter,
        order_by,
        cursor,
        skip,
        take,
        distinct,
        selection,
        strategy: _,
    } = args;
    check_skip(model, skip)?;
    let mut select = Select::new(Source::Table(model.table(Some(alias.clone()))));
    let mut columns = ColumnsBuilder {
        model,
        alias: alias.clone(),
        items: Vec::with_capacity(selection.scalars.len() + 2),
        kinds: Vec::with_capacity(selection.scalars.len() + 2),
    };
    for field in &selection.scalars {
        let scalar = model.scalar(*field)?;
        columns.push(
            b.read_column(&alias, scalar),
            ColumnKind::Scalar(position(*field)),
        );
    }
    for count in selection.counts {
        let expr = relation_count(b, model, &alias, count.field, count.filter)?;
        columns.push(expr, ColumnKind::Count);
    }
    let relation_keys = relation_key_columns(b, model, &mut columns, &selection.relations)?;
    let mut distinct_columns = Vec::with_capacity(distinct.len());
    for field in &distinct {
        model.scalar(*field)?;
        distinct_columns.push(columns.ensure(b, position(*field))?);
    }

    // Restriction to the parents' children.
    let mut group_key = Vec::new();
    if let Some(parent) = &parent {
        let condition = match &parent.relation.link {
            Link::Join {
                table,
                db_schema,
                this_column,
                other_column,
                target_key,
                ..
            } => {
                let join_alias = b.alias();
                select.joins.push(Join {
                    kind: JoinKind::Inner,
                    lateral: false,
                    source: Source::Table(Table {
                        schema: db_schema.map(Name::Borrowed),
                        name: Name::Borrowed(table),
                        alias: Some(join_alias.clone()),
                    }),
                    on: Expr::column(join_alias.clone(), *other_column)
                        .eq(model.column(&alias, *target_key)?),
                });
                let key_column = Expr::column(join_alias, *this_column);
                group_key.push(columns.push(key_column.clone(), ColumnKind::Key));
                let parent_key = match &parent.relation.link {
                    Link::Join { this_key, .. } => *this_key,
                    _ => 0,
                };
                let parent_scalar = parent.model.scalar_at(parent_key)?;
                membership(b, parent_scalar, vec![key_column], parent.keys.clone(), 1)
            }
            _ => {
                let pair = parent
                    .relation
                    .key_pair()
                    .ok_or_else(|| model.invalid(None, "expected a foreign-key relation"))?;
                let mut key_columns = Vec::with_capacity(pair.child.len());
                for f in pair.child {
                    group_key.push(columns.ensure(b, *f)?);
                    key_columns.push(model.column(&alias, *f)?);
                }
                let scalar = model.scalar_at(pair.child[0])?;
                membership(b, scalar, key_columns, parent.keys.clone(), parent.width)
            }
        };
        select.and_filter(condition);
    }

    if let Some(condition) = b.filter(model, &alias, filter)? {
        select.and_filter(condition);
    }

    let backwards = take.is_some_and(|t| t < 0);
    let mut order = b.order_by(model, &alias, &mut select, order_by)?;
    if cursor.is_some() || backwards {
        b.make_total(model, &alias, &mut order)?;
    }
    if let Some(cursor) = cursor {
        let condition = b.cursor(model, cursor, &order, backwards)?;
        select.and_filter(condition);
    }

    let in_memory = parent.is_some() || !distinct.is_empty();
    let mut reverse = false;
    let memory = if in_memory {
        set_order(&mut select, order, false);
        Some((skip, take))
    } else {
        reverse = backwards;
        set_order(&mut select, order, backwards);
        select.limit = take.map(limit_of);
        select.offset = skip.filter(|s| *s > 0);
        None
    };
    select.columns = columns.items;
    let plan = Plan {
        kinds: columns.kinds,
        relation_keys,
        relations: selection.relations,
        distinct: distinct_columns,
        group_key,
        memory,
        reverse,
    };
    Ok((select, plan))
}

fn set_order(select: &mut Select, order: Vec<Ordering>, reverse: bool) {
    select.order_by = order
        .into_iter()
        .map(|o| {
            let mut term = o.term;
            if reverse {
                term.direction = term.direction.reverse();
                term.nulls = term.nulls.map(crate::query::Nulls::reverse);
            }
            term
        })
        .collect();
}

/// `key IN (parent keys)` (`keys` row-major, `width` values each): one array parameter for a
/// single non-enum column on dialects that bind arrays, a row-value list otherwise.
fn membership(
    b: &Builder<'_>,
    scalar: &super::meta::ScalarMeta,
    mut columns: Vec<Expr>,
    keys: Vec<Value>,
    width: usize,
) -> Expr {
    if columns.len() == 1 && scalar.ty.enum_db_name.is_none() {
        let column = columns.pop().unwrap_or(Expr::Null);
        return Expr::InArray {
            expr: Box::new(column),
            array: Box::new(Expr::Value(Value::List(scalar.ty.kind, keys))),
            negated: false,
        };
    }
    let width = width.max(1);
    let mut list = Vec::with_capacity(keys.len() / width);
    let mut values = keys.into_iter().peekable();
    while values.peek().is_some() {
        let mut parts: Vec<Expr> = values
            .by_ref()
            .take(width)
            .map(|v| b.bind_coerced(scalar, v))
            .collect();
        list.push(if parts.len() == 1 {
            parts.pop().unwrap_or(Expr::Null)
        } else {
            Expr::Row(parts)
        });
    }
    let expr = if columns.len() == 1 {
        columns.pop().unwrap_or(Expr::Null)
    } else {
        Expr::Row(columns)
    };
    Expr::InList {
        expr: Box::new(expr),
        list,
        negated: false,
    }
}

/// `(SELECT COUNT(*) FROM related WHERE link AND filter)`.
pub(crate) fn relation_count(
    b: &mut Builder<'_>,
    model: &ModelMeta,
    alias: &Name,
    field: super::ids::FieldId,
    filter: super::args::Filter,
) -> Result<Expr> {
    let relation = model.relation(field)?;
    if !relation.list {
        return Err(model.invalid(Some(relation.name), "`_count` needs a to-many relation"));
    }
    let target = b.schema.model(relation.target)?;
    let (mut select, child) = b.related(model, relation, alias)?;
    if let Some(c) = b.filter(target, &child, filter)? {
        select.and_filter(c);
    }
    select.columns.push(Expr::CountAll.into());
    Ok(Expr::Subquery(Box::new(select)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_take_counts_from_the_end() {
        let all: Vec<usize> = (1..=30).collect();
        assert_eq!(paginate(all.clone(), None, Some(-3)), vec![28, 29, 30]);
        assert_eq!(paginate(all.clone(), Some(2), Some(-3)), vec![26, 27, 28]);
        assert_eq!(paginate(all.clone(), Some(28), Some(5)), vec![29, 30]);
        assert_eq!(paginate(all, Some(40), Some(-5)), Vec::<usize>::new());
    }

    #[test]
    fn selecting_rows_moves_and_clones_repeats() {
        let mut rs = ResultSet::new(vec!["a".into()]);
        for i in 0..3 {
            rs.push(Value::Int(i));
        }
        let rows = Rows::new(rs).select(&[2, 0, 2]);
        let values: Vec<(i32,)> = rows.into_result_set().decode().unwrap();
        assert_eq!(values, vec![(2,), (0,), (2,)]);
    }

    #[test]
    fn reversing_rows_keeps_them_whole() {
        let mut rs = ResultSet::new(vec!["a".into(), "b".into()]);
        for i in 0..5 {
            rs.push(Value::Int(i));
            rs.push(Value::Int(i * 10));
        }
        let mut rows = Rows::new(rs);
        rows.reverse();
        let values: Vec<(i32, i32)> = rows.into_result_set().decode().unwrap();
        assert_eq!(values, vec![(4, 40), (3, 30), (2, 20), (1, 10), (0, 0)]);
    }
}
