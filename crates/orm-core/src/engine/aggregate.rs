//! `count`, `aggregate` and `groupBy`.

use super::args::{
    Aggregate, AggregateArgs, CountArgs, Filter, GroupByArgs, GroupOrderBy, Having, QueryMode,
};
use super::build::{Builder, check_nulls, check_skip};
use super::decode::normalize_one;
use super::ids::ModelId;
use super::meta::{DefaultMeta, ModelMeta, ScalarMeta, ScalarType, position};
use super::read::Rows;
use crate::client::Client;
use crate::error::Result;
use crate::query::{Cast, Expr, Function, Name, OrderTerm, Select, SelectItem, Source};
use crate::row::ResultSet;
use crate::sql::Dialect;
use crate::value::{Kind, Value};

impl Client {
    /// `count`: the number of records matching the filter (after cursor, skip and take);
    /// one number per entry of `fields` (`None` counts records, a field its non-null
    /// values), or a single number when `fields` is empty.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`](crate::Error::InvalidQuery) for fields the model lacks, or the
    /// database's error.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "count")
    )]
    pub async fn count(&self, model: ModelId, args: CountArgs) -> Result<Vec<i64>> {
        let meta = self.schema().model(model)?;
        let fields = if args.fields.is_empty() {
            vec![None]
        } else {
            args.fields
        };
        let aggregates = fields
            .into_iter()
            .map(|f| f.map_or(Aggregate::CountAll, Aggregate::Count))
            .collect();
        let result = self
            .aggregate_in(
                meta,
                AggregateArgs {
                    filter: args.filter,
                    order_by: args.order_by,
                    cursor: args.cursor,
                    skip: args.skip,
                    take: args.take,
                    aggregates,
                },
            )
            .await?;
        let counts = result
            .rows()
            .next()
            .map(|row| {
                row.values()
                    .iter()
                    .map(|v| match v {
                        Value::BigInt(n) => *n,
                        Value::Int(n) => i64::from(*n),
                        _ => 0,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(counts)
    }

    /// `aggregate`: one row with a column per aggregate, in order. On no records `_count`
    /// is 0 and every other aggregate null. `_avg` is a `Float` (a `Decimal` for `Decimal`
    /// fields), an `Int` `_sum` a `BigInt`.
    ///
    /// # Errors
    ///
    /// As [`Client::count`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "aggregate")
    )]
    pub async fn aggregate(&self, model: ModelId, args: AggregateArgs) -> Result<ResultSet> {
        let meta = self.schema().model(model)?;
        self.aggregate_in(meta, args).await
    }

    async fn aggregate_in(&self, model: &ModelMeta, args: AggregateArgs) -> Result<ResultSet> {
        let mut b = Builder::new(self.schema(), self.dialect());
        let inner_alias = b.alias();
        let mut inner = Select::new(Source::Table(model.table(Some(inner_alias.clone()))));
        // The records to aggregate, with the columns the aggregates read.
        let mut needed: Vec<u32> = Vec::new();
        for a in &args.aggregates {
            if let Some(field) = aggregate_field(*a) {
                model.scalar(field)?;
                if !needed.contains(&position(field)) {
                    needed.push(position(field));
                }
            }
        }
        for f in &needed {
            let column = model.column(&inner_alias, *f)?;
            inner.columns.push(column.into());
        }
        if inner.columns.is_empty() {
            inner.columns.push(Expr::True.into());
        }
        check_skip(model, args.skip)?;
        if let Some(c) = b.filter(model, &inner_alias, args.filter)? {
            inner.and_filter(c);
        }
        let backwards = args.take.is_some_and(|t| t < 0);
        let mut order = b.order_by(model, &inner_alias, &mut inner, args.order_by)?;
        if args.cursor.is_some() || backwards {
            b.make_total(model, &inner_alias, &mut order)?;
        }
        if let Some(cursor) = args.cursor {
            let c = b.cursor(model, cursor, &order, backwards)?;
            inner.and_filter(c);
        }
        let paginated = args.take.is_some() || args.skip.is_some_and(|s| s > 0);
        if paginated {
            inner.order_by = order
                .into_iter()
                .map(|o| {
                    let mut term = o.term;
                    if backwards {
                        term.direction = term.direction.reverse();
                        term.nulls = term.nulls.map(crate::query::Nulls::reverse);
                    }
                    term
                })
                .collect();
            inner.limit = args.take.map(super::read::limit_of);
            inner.offset = args.skip.filter(|s| *s > 0);
        }
        let outer_alias: Name = Name::Borrowed("sub");
        let mut outer = Select::new(Source::Subquery(Box::new(inner), outer_alias.clone()));
        let mut kinds = Vec::with_capacity(args.aggregates.len());
        for a in &args.aggregates {
            let (expr, kind) = aggregate_expr(&b, model, &outer_alias, *a, false)?;
            outer.columns.push(SelectItem { expr, alias: None });
            kinds.push(kind);
        }
        let sql = self.render(outer)?;
        let result = self.query(&sql).await?;
        Ok(normalize_result(result, &kinds))
    }

    /// `groupBy`: one row per group, the `by` fields then the aggregates.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`](crate::Error::InvalidQuery) for `take`/`skip` without
    /// `orderBy` (Prisma's P2019) or fields the model lacks, or the database's error.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "groupBy")
    )]
    pub async fn group_by(&self, model: ModelId, args: GroupByArgs) -> Result<ResultSet> {
        let model = self.schema().model(model)?;
        if (args.take.is_some() || args.skip.is_some()) && args.order_by.is_empty() {
            return Err(model.invalid(None, "`take` and `skip` in groupBy need an `orderBy`"));
        }
        check_skip(model, args.skip)?;
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let mut select = Select::new(Source::Table(model.table(Some(alias.clone()))));
        let mut kinds = Vec::new();
        for field in &args.by {
            let scalar = model.scalar(*field)?;
            select.columns.push(b.read_column(&alias, scalar).into());
            select
                .group_by
                .push(Expr::column(alias.clone(), scalar.column));
            kinds.push(Some(scalar.clone()));
        }
        for a in &args.aggregates {
            let (expr, kind) = aggregate_expr(&b, model, &alias, *a, false)?;
            select.columns.push(expr.into());
            kinds.push(kind);
        }
        if let Some(c) = b.filter(model, &alias, args.filter)? {
            select.and_filter(c);
        }
        if let Some(having) = args.having {
            select.having = having_condition(&mut b, model, &alias, having)?;
        }
        // A negative `take` counts from the end, as in findMany: the order is reversed in SQL
        // and the rows are put back in the requested order afterwards.
        let backwards = args.take.is_some_and(|t| t < 0);
        for term in args.order_by {
            select.order_by.push(match term {
                GroupOrderBy::Field {
                    field,
                    direction,
                    nulls,
                } => {
                    let scalar = model.scalar(field)?;
                    check_nulls(model, scalar, nulls)?;
                    OrderTerm {
                        expr: Expr::column(alias.clone(), scalar.column),
                        direction,
                        nulls,
                    }
                }
                GroupOrderBy::Aggregate {
                    aggregate,
                    direction,
                } => OrderTerm {
                    expr: aggregate_expr(&b, model, &alias, aggregate, true)?.0,
                    direction,
                    nulls: None,
                },
            });
        }
        if backwards {
            for term in &mut select.order_by {
                term.direction = term.direction.reverse();
                term.nulls = term.nulls.map(crate::query::Nulls::reverse);
            }
        }
        select.limit = args.take.map(super::read::limit_of);
        select.offset = args.skip.filter(|s| *s > 0);
        let sql = self.render(select)?;
        let result = normalize_result(self.query(&sql).await?, &kinds);
        if !backwards {
            return Ok(result);
        }
        let mut rows = Rows::new(result);
        rows.reverse();
        Ok(rows.into_result_set())
    }
}

fn aggregate_field(a: Aggregate) -> Option<super::ids::FieldId> {
    match a {
        Aggregate::CountAll => None,
        Aggregate::Count(f)
        | Aggregate::Sum(f)
        | Aggregate::Avg(f)
        | Aggregate::Min(f)
        | Aggregate::Max(f) => Some(f),
    }
}

fn synthetic(kind: Kind) -> ScalarMeta {
    ScalarMeta {
        name: "",
        column: "",
        ty: ScalarType::of(kind),
        optional: true,
        list: false,
        default: DefaultMeta::None,
        updated_at: false,
        hidden: false,
        native_type: None,
    }
}

/// The SQL of an aggregate over `alias`, and the type of its result. `raw` leaves out the
/// read-side cast (for `ORDER BY`, where an enum keeps its declaration order).
fn aggregate_expr(
    b: &Builder<'_>,
    model: &ModelMeta,
    alias: &Name,
    aggregate: Aggregate,
    raw: bool,
) -> Result<(Expr, Option<ScalarMeta>)> {
    let column = |f: super::ids::FieldId| -> Result<(Expr, &ScalarMeta)> {
        let scalar = model.scalar(f)?;
        Ok((Expr::column(alias.clone(), scalar.column), scalar))
    };
    let numeric = |scalar: &ScalarMeta, what: &str| -> Result<()> {
        if matches!(
            scalar.ty.kind,
            Kind::Int | Kind::BigInt | Kind::Float | Kind::Decimal
        ) && !scalar.list
        {
            Ok(())
        } else {
            Err(model.invalid(Some(scalar.name), format!("`{what}` needs a number field")))
        }
    };
    Ok(match aggregate {
        Aggregate::CountAll => (Expr::CountAll, Some(synthetic(Kind::BigInt))),
        Aggregate::Count(f) => {
            let (c, _) = column(f)?;
            (
                Expr::function(Function::Count, vec![c]),
                Some(synthetic(Kind::BigInt)),
            )
        }
        Aggregate::Sum(f) => {
            let (c, scalar) = column(f)?;
            numeric(scalar, "_sum")?;
            let kind = match scalar.ty.kind {
                Kind::Int => Kind::BigInt,
                k => k,
            };
            (
                Expr::function(Function::Sum, vec![c]),
                Some(synthetic(kind)),
            )
        }
        Aggregate::Avg(f) => {
            let (c, scalar) = column(f)?;
            numeric(scalar, "_avg")?;
            let kind = if scalar.ty.kind == Kind::Decimal {
                Kind::Decimal
            } else {
                Kind::Float
            };
            (
                Expr::function(Function::Avg, vec![c]),
                Some(synthetic(kind)),
            )
        }
        Aggregate::Min(f) | Aggregate::Max(f) => {
            let (c, scalar) = column(f)?;
            let function = if matches!(aggregate, Aggregate::Min(_)) {
                Function::Min
            } else {
                Function::Max
            };
            let mut expr = Expr::function(function, vec![c]);
            if !raw && scalar.ty.enum_db_name.is_some() && b.dialect == Dialect::Postgres {
                expr = expr.cast(Cast::Text);
            }
            (expr, Some(scalar.clone()))
        }
    })
}

fn having_condition(
    b: &mut Builder<'_>,
    model: &ModelMeta,
    alias: &Name,
    having: Having,
) -> Result<Option<Expr>> {
    let many = |b: &mut Builder<'_>, items: Vec<Having>| -> Result<Vec<Expr>> {
        let mut out = Vec::new();
        for item in items {
            if let Some(c) = having_condition(b, model, alias, item)? {
                out.push(c);
            }
        }
        Ok(out)
    };
    Ok(match having {
        Having::And(items) => {
            let parts = many(b, items)?;
            (!parts.is_empty()).then(|| Expr::and(parts))
        }
        Having::Or(items) => Some(Expr::or(many(b, items)?)),
        // As `Filter::Not`: no condition holds.
        Having::Not(items) => {
            let parts = many(b, items)?;
            (!parts.is_empty()).then(|| Expr::and(parts.into_iter().map(Expr::not)))
        }
        Having::Field(filter) => b.filter(model, alias, Filter::Scalar(filter))?,
        Having::Aggregate { aggregate, op } => {
            let (mut expr, kind) = aggregate_expr(b, model, alias, aggregate, true)?;
            let scalar = kind.unwrap_or_else(|| synthetic(Kind::BigInt));
            // A Decimal binds as text on SQLite, and an aggregate has no column affinity to
            // turn it into a number there: compare the aggregate as a Decimal.
            if scalar.ty.kind == Kind::Decimal {
                expr = expr.cast(Cast::Decimal);
            }
            Some(b.scalar_op(model, &scalar, expr, op, QueryMode::Default)?)
        }
    })
}

fn normalize_result(result: ResultSet, kinds: &[Option<ScalarMeta>]) -> ResultSet {
    let (columns, mut values) = result.into_parts();
    let width = columns.len().max(1);
    for (i, value) in values.iter_mut().enumerate() {
        if let Some(Some(scalar)) = kinds.get(i % width) {
            let v = std::mem::take(value);
            *value = if scalar.name.is_empty() {
                normalize_one(scalar.ty.kind, v)
            } else {
                super::decode::normalize(scalar, v)
            };
        }
    }
    ResultSet::from_parts(columns, values)
}
