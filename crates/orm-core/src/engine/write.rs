//! Writes: `create`, `createMany`, `createManyAndReturn`, `update`, `updateMany`, `upsert`,
//! `delete`, `deleteMany`, with nested writes through relations.
//!
//! A write without nested writes is one statement (`INSERT`/`UPDATE`/`DELETE … RETURNING`),
//! plus one per included relation level. A write with nested writes runs atomically
//! ([`Client::atomic`]): the parent's row is read or written first, writes through relations
//! whose foreign key is on the parent go before it, the others after it, and the result is
//! read back at the end.

use std::future::Future;
use std::pin::Pin;

use super::args::*;
use super::build::{Builder, coerce};
use super::defaults;
use super::ids::{FieldId, ModelId};
use super::meta::{DefaultMeta, FieldMeta, Link, ModelMeta, RelationMeta, position};
use super::read::{Rows, normalize_rows, returning_plan};
use super::result::Records;
use super::shapes;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::query::{
    BinaryOp, Delete, Expr, Insert, Name, OnConflict, Select, SelectItem, Source, Statement, Update,
};
use crate::sql::{self, Sql};
use crate::value::Value;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A record's scalar values by field index (relation positions hold null).
type RowValues = Vec<Value>;

impl Client {
    /// `create`: inserts one record (with its nested writes) and returns it as `selection`
    /// asks.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for a missing required field or a nested write the relation
    /// does not allow; [`Error::UniqueViolation`] naming the model and fields;
    /// [`Error::NotFound`] for a nested `connect` to a missing record (nothing is written).
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "create")
    )]
    pub async fn create(&self, model: ModelId, args: CreateArgs) -> Result<Records> {
        let meta = self.schema().model(model)?;
        let result = if args.data.relations.is_empty() && args.selection.counts.is_empty() {
            self.create_returning(meta, args).await
        } else {
            let atomic = self.atomic().await?;
            let result = atomic.client().create_nested(meta, args).await;
            atomic.finish(result).await
        };
        result.map_err(|e| self.explain(e, meta))
    }

    /// A create without nested writes: one `INSERT … RETURNING`, its statement kept by shape
    /// ([`shapes`](super::shapes)) when it returns scalars only.
    async fn create_returning(&self, model: &ModelMeta, args: CreateArgs) -> Result<Records> {
        let mut values = Vec::with_capacity(model.fields.len());
        insert_values(model, args.data.scalars, defaults::now(), &mut values)?;
        let shape = if args.selection.relations.is_empty() {
            self.shapes()
                .create(model.id, &values, &args.selection.scalars)
        } else {
            None
        };
        if let Some(shape) = &shape
            && let Some(known) = self.shapes().get(shape)
        {
            let sql = known.sql(values.into_iter().flatten().collect());
            let mut rows = Rows::new(self.query_on(model, &sql).await?);
            normalize_rows(model, &known.kinds, &mut rows);
            return Ok(Records::new(rows.into_result_set()));
        }
        let written: Option<Vec<Value>> = shape
            .as_ref()
            .map(|_| values.iter().flatten().cloned().collect());
        let mut b = Builder::new(self.schema(), self.dialect());
        let (columns, row) = insert_exprs(&b, model, values);
        let alias = b.alias();
        let (items, plan) = returning_plan(&mut b, model, &alias, args.selection)?;
        let mut insert = Insert::new(model.table, columns);
        insert.table = model.table(Some(alias));
        insert.rows.push(row);
        insert.returning = items;
        let sql = self.render(insert)?;
        if let (Some(shape), Some(written)) = (&shape, &written) {
            self.shapes()
                .remember(shape, &sql, written, &plan.kinds, true);
        }
        let rows = Rows::new(self.query_on(model, &sql).await?);
        self.finish_rows(model, rows, plan).await
    }

    async fn create_nested(&self, model: &ModelMeta, args: CreateArgs) -> Result<Records> {
        let row = self.create_record(model, args.data).await?;
        self.read_back(model, &row, args.selection).await
    }

    /// Inserts one record with its nested writes; returns its scalar values.
    fn create_record<'a>(
        &'a self,
        model: &'a ModelMeta,
        data: CreateData,
    ) -> BoxFuture<'a, Result<RowValues>> {
        Box::pin(async move {
            let CreateData {
                mut scalars,
                relations,
            } = data;
            let mut after = Vec::new();
            for (field, write) in relations {
                let relation = model.relation(field)?;
                if matches!(relation.link, Link::Forward { .. }) {
                    let assignments = self.forward_write(model, relation, None, write).await?;
                    scalars.extend(assignments);
                } else {
                    after.push((relation, write));
                }
            }
            let b = Builder::new(self.schema(), self.dialect());
            let (columns, values) = insert_row(&b, model, scalars, defaults::now())?;
            let mut insert = Insert::new(model.table, columns);
            insert.table = model.table(None);
            insert.rows.push(values);
            insert.returning = all_scalars(&b, model, &Name::Borrowed(model.table));
            let row = self
                .write_row(model, insert.into())
                .await?
                .ok_or_else(|| model.invalid(None, "the insert returned no row"))?;
            for (relation, write) in after {
                self.related_write(model, relation, &row, write).await?;
            }
            Ok(row)
        })
    }

    /// `createMany`: inserts every record in as few statements as the bind-parameter limit
    /// allows (in one transaction when there are several); returns the number inserted.
    ///
    /// # Errors
    ///
    /// As [`Client::create`]; with `skip_duplicates`, conflicting rows are skipped instead.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "createMany")
    )]
    pub async fn create_many(&self, model: ModelId, args: CreateManyArgs) -> Result<u64> {
        let meta = self.schema().model(model)?;
        let parts =
            self.create_many_statements(meta, args.data, args.skip_duplicates, Vec::new())?;
        let result = if parts.len() <= 1 {
            self.execute_all(parts).await
        } else {
            let atomic = self.atomic().await?;
            let result = atomic.client().execute_all(parts).await;
            atomic.finish(result).await
        };
        result.map_err(|e| self.explain(e, meta))
    }

    /// `createManyAndReturn`: as [`Client::create_many`], returning the created records.
    ///
    /// # Errors
    ///
    /// As [`Client::create_many`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "createManyAndReturn")
    )]
    pub async fn create_many_and_return(
        &self,
        model: ModelId,
        args: CreateManyArgs,
    ) -> Result<Records> {
        let meta = self.schema().model(model)?;
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = Name::Borrowed(meta.table);
        let (items, plan) = returning_plan(&mut b, meta, &alias, args.selection)?;
        let parts = self.create_many_statements(meta, args.data, args.skip_duplicates, items)?;
        let run = async |client: &Client| -> Result<Records> {
            let mut all: Option<Rows> = None;
            for sql in parts {
                let rows = Rows::new(client.query(&sql).await?);
                all = Some(match all {
                    None => rows,
                    Some(mut acc) => {
                        acc.append(rows);
                        acc
                    }
                });
            }
            let rows = all.unwrap_or_else(|| Rows::new(crate::row::ResultSet::default()));
            client.finish_rows(meta, rows, plan).await
        };
        let result = if self.in_transaction() {
            run(self).await
        } else {
            let atomic = self.atomic().await?;
            let result = run(atomic.client()).await;
            atomic.finish(result).await
        };
        result.map_err(|e| self.explain(e, meta))
    }

    /// The statements of a `createMany`, rendered: one multi-row insert, split at the
    /// bind-parameter limit. Every row writes the union of the columns the rows give; a row
    /// without one writes its database default (or null).
    fn create_many_statements(
        &self,
        model: &ModelMeta,
        data: Vec<CreateData>,
        skip_duplicates: bool,
        returning: Vec<SelectItem>,
    ) -> Result<Vec<Sql>> {
        if data.is_empty() {
            return Ok(Vec::new());
        }
        let b = Builder::new(self.schema(), self.dialect());
        let now = defaults::now();
        // The columns: what any row gives, plus what the client fills in for every row. Rows
        // are uniform when each gives the same columns of the others (that the database
        // would fill): then no row needs `DEFAULT` or `NULL` in place of a value.
        let filled: Vec<bool> = model
            .fields
            .iter()
            .map(|f| {
                matches!(f, FieldMeta::Scalar(s) if !s.hidden
                    && (s.updated_at || defaults::generate_is_client_side(&s.default)))
            })
            .collect();
        let mut written = filled.clone();
        let mut first: Option<Vec<bool>> = None;
        let mut given = vec![false; model.fields.len()];
        let mut uniform = true;
        for record in &data {
            if !record.relations.is_empty() {
                return Err(model.invalid(None, "createMany takes no nested writes"));
            }
            given.fill(false);
            for (field, _) in &record.scalars {
                if let Some(g) = given.get_mut(field.index()) {
                    *g = true;
                }
            }
            for (w, g) in written.iter_mut().zip(&given) {
                *w |= *g;
            }
            match &first {
                None => first = Some(given.clone()),
                Some(first) => {
                    uniform &= (0..given.len()).all(|i| filled[i] || first[i] == given[i]);
                }
            }
        }
        let fields: Vec<usize> = (0..written.len()).filter(|i| written[*i]).collect();
        let scalars = fields
            .iter()
            .map(|i| model.scalar_at(super::meta::position_of(*i)))
            .collect::<Result<Vec<_>>>()?;
        let mut insert = Insert::new(
            model.table,
            scalars.iter().map(|s| Name::Borrowed(s.column)).collect(),
        );
        insert.table = model.table(None);
        if skip_duplicates {
            insert.on_conflict = Some(OnConflict::DoNothing { target: Vec::new() });
        }
        insert.returning = returning;
        let dialect = self.dialect();
        let limit = self.max_bind_parameters();

        let mut row = Vec::with_capacity(model.fields.len());
        // Every row writes every column and each column has an array type: one array per
        // column (PostgreSQL), the rows' count left out of the statement.
        let array_types = if uniform && !scalars.iter().any(|s| b.needs_cast(s) || s.list) {
            scalars
                .iter()
                .map(|s| sql::unnest_type(dialect, s.ty.kind, s.native_type))
                .collect::<Option<Vec<_>>>()
        } else {
            None
        };
        if let Some(types) = array_types {
            let mut columns: Vec<Vec<Value>> = scalars
                .iter()
                .map(|_| Vec::with_capacity(data.len()))
                .collect();
            for record in data {
                insert_values(model, record.scalars, now, &mut row)?;
                for (column, i) in columns.iter_mut().zip(&fields) {
                    match row[*i].take() {
                        Some(value) => column.push(value),
                        None => return Err(model.invalid(None, "rows of createMany differ")),
                    }
                }
            }
            let arrays = columns
                .into_iter()
                .zip(&scalars)
                .map(|(values, s)| Value::List(s.ty.kind, values))
                .collect();
            return Ok(vec![sql::render_insert_unnest(
                &insert, arrays, &types, dialect,
            )?]);
        }
        if uniform && !scalars.iter().any(|s| b.needs_cast(s)) {
            // Every row writes every column and none needs a cast: plain parameters, no
            // expression tree.
            let mut values = Vec::with_capacity(data.len() * fields.len());
            for record in data {
                insert_values(model, record.scalars, now, &mut row)?;
                for i in &fields {
                    match row[*i].take() {
                        Some(value) => values.push(value),
                        None => return Err(model.invalid(None, "rows of createMany differ")),
                    }
                }
            }
            return sql::render_insert_values(&insert, values, fields.len(), dialect, limit);
        }
        for record in data {
            insert_values(model, record.scalars, now, &mut row)?;
            let exprs = fields
                .iter()
                .zip(&scalars)
                .map(|(i, scalar)| match row[*i].take() {
                    Some(value) => b.bind_coerced(scalar, value),
                    None if scalar.default == DefaultMeta::Database => Expr::Default,
                    None => Expr::Null,
                })
                .collect();
            insert.rows.push(exprs);
        }
        sql::split_insert(insert, dialect, limit)
            .into_iter()
            .map(|part| sql::render(part, dialect))
            .collect()
    }

    async fn execute_all(&self, parts: Vec<Sql>) -> Result<u64> {
        let mut total = 0;
        for sql in parts {
            total += self.execute(&sql).await?;
        }
        Ok(total)
    }

    /// `update`: changes the record the unique filter names (with nested writes) and
    /// returns it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] (operation "an update") when no record matches; otherwise as
    /// [`Client::create`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "update")
    )]
    pub async fn update(&self, model: ModelId, args: UpdateArgs) -> Result<Records> {
        let meta = self.schema().model(model)?;
        let result = if args.data.relations.is_empty() && args.selection.counts.is_empty() {
            self.update_returning(meta, args).await
        } else {
            let atomic = self.atomic().await?;
            let result = atomic.client().update_nested(meta, args).await;
            atomic.finish(result).await
        };
        result.map_err(|e| self.explain(e, meta))
    }

    /// An update without nested writes: one `UPDATE … RETURNING`, its statement kept by shape
    /// ([`shapes`](super::shapes)) when it changes something and returns scalars only.
    async fn update_returning(&self, model: &ModelMeta, args: UpdateArgs) -> Result<Records> {
        let now = defaults::now();
        let shape = if args.data.scalars.is_empty() || !args.selection.relations.is_empty() {
            None
        } else {
            self.shapes().update(
                model.id,
                &args.data.scalars,
                &args.filter,
                &args.selection.scalars,
            )
        };
        let bumps = shape
            .as_ref()
            .map(|_| bumped_fields(model, &args.data.scalars));
        if let (Some(shape), Some(bumps)) = (&shape, bumps)
            && let Some(known) = self.shapes().get(shape)
        {
            let ops = args.data.scalars.into_iter().map(|(_, op)| op.into_value());
            let filter = shapes::take_filter_values(args.filter);
            let sql = known.sql(update_params(ops, bumps, now, filter));
            let mut rows = Rows::new(self.query_on(model, &sql).await?);
            normalize_rows(model, &known.kinds, &mut rows);
            return found(model, Records::new(rows.into_result_set()));
        }
        let values = bumps.map(|bumps| {
            let ops = args
                .data
                .scalars
                .iter()
                .map(|(_, op)| op.clone().into_value());
            update_params(ops, bumps, now, shapes::filter_values(&args.filter))
        });
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let bump = !args.data.is_empty();
        let set = set_list(&b, model, &alias, args.data.scalars, bump, now)?;
        let filter = b.condition(model, &alias, args.filter)?;
        let (items, plan) = returning_plan(&mut b, model, &alias, args.selection)?;
        let statement: Statement = if set.is_empty() {
            // `data: {}`: nothing changes; the record is still required.
            let mut select = Select::new(Source::Table(model.table(Some(alias))));
            select.columns = items;
            select.filter = Some(filter);
            select.limit = Some(1);
            select.into()
        } else {
            Update {
                table: model.table(Some(alias)),
                set,
                filter: Some(filter),
                returning: items,
            }
            .into()
        };
        let sql = self.render(statement)?;
        if let (Some(shape), Some(values)) = (&shape, &values) {
            self.shapes()
                .remember(shape, &sql, values, &plan.kinds, false);
        }
        let rows = Rows::new(self.query_on(model, &sql).await?);
        found(model, self.finish_rows(model, rows, plan).await?)
    }

    async fn update_nested(&self, model: &ModelMeta, args: UpdateArgs) -> Result<Records> {
        let row = self
            .update_record(model, args.filter, args.data, "an update")
            .await?;
        self.read_back(model, &row, args.selection).await
    }

    /// Updates the one record `filter` finds, with nested writes; returns its new values.
    fn update_record<'a>(
        &'a self,
        model: &'a ModelMeta,
        filter: Filter,
        data: UpdateData,
        operation: &'a str,
    ) -> BoxFuture<'a, Result<RowValues>> {
        Box::pin(async move {
            let before = self
                .find_row(model, filter)
                .await?
                .ok_or_else(|| not_found(model, operation))?;
            let bump = !data.is_empty();
            let UpdateData {
                mut scalars,
                relations,
            } = data;
            let mut after = Vec::new();
            for (field, write) in relations {
                let relation = model.relation(field)?;
                if matches!(relation.link, Link::Forward { .. }) {
                    let assignments = self
                        .forward_write(model, relation, Some(&before), write)
                        .await?;
                    scalars.extend(assignments.into_iter().map(|(f, v)| (f, UpdateOp::Set(v))));
                } else {
                    after.push((relation, write));
                }
            }
            let b = Builder::new(self.schema(), self.dialect());
            let alias = Name::Borrowed(model.table);
            let set = set_list(&b, model, &alias, scalars, bump, defaults::now())?;
            let row = if set.is_empty() {
                before
            } else {
                let update = Update {
                    table: model.table(None),
                    set,
                    filter: Some(identify(&b, model, &alias, &before)?),
                    returning: all_scalars(&b, model, &alias),
                };
                self.write_row(model, update.into())
                    .await?
                    .ok_or_else(|| not_found(model, operation))?
            };
            for (relation, write) in after {
                self.related_write(model, relation, &row, write).await?;
            }
            Ok(row)
        })
    }

    /// `updateMany`: changes every record matching the filter; returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidQuery`] for nested writes or fields the model lacks, or the database's
    /// error.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "updateMany")
    )]
    pub async fn update_many(&self, model: ModelId, args: UpdateManyArgs) -> Result<u64> {
        let meta = self.schema().model(model)?;
        self.update_many_in(meta, args.filter, args.data)
            .await
            .map_err(|e| self.explain(e, meta))
    }

    async fn update_many_in(
        &self,
        model: &ModelMeta,
        filter: Filter,
        data: UpdateData,
    ) -> Result<u64> {
        if !data.relations.is_empty() {
            return Err(model.invalid(None, "updateMany takes no nested writes"));
        }
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let bump = !data.is_empty();
        let set = set_list(&b, model, &alias, data.scalars, bump, defaults::now())?;
        let filter = b.filter(model, &alias, filter)?;
        if set.is_empty() {
            return Ok(0);
        }
        let update = Update {
            table: model.table(Some(alias)),
            set,
            filter,
            returning: Vec::new(),
        };
        self.execute_on(model, &self.render(update)?).await
    }

    /// `upsert`: updates the record the unique filter names, or creates it.
    ///
    /// One `INSERT … ON CONFLICT … DO UPDATE` when the filter is equality on one unique field
    /// that the create data gives the same value, the update is not empty and there are no
    /// nested writes (as Prisma does); otherwise a read then a write, in a transaction.
    ///
    /// # Errors
    ///
    /// As [`Client::create`] and [`Client::update`].
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "upsert")
    )]
    pub async fn upsert(&self, model: ModelId, args: UpsertArgs) -> Result<Records> {
        let meta = self.schema().model(model)?;
        let result = match native_upsert_target(meta, &args) {
            Some(target) => self.upsert_native(meta, args, target).await,
            None => {
                let atomic = self.atomic().await?;
                let result = atomic.client().upsert_nested(meta, args).await;
                atomic.finish(result).await
            }
        };
        result.map_err(|e| self.explain(e, meta))
    }

    async fn upsert_native(
        &self,
        model: &ModelMeta,
        args: UpsertArgs,
        target: u32,
    ) -> Result<Records> {
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let now = defaults::now();
        let (columns, row) = insert_row(&b, model, args.create.scalars, now)?;
        let set = set_list(&b, model, &alias, args.update.scalars, true, now)?;
        let filter = b.condition(model, &alias, args.filter)?;
        let (items, plan) = returning_plan(&mut b, model, &alias, args.selection)?;
        let mut insert = Insert::new(model.table, columns);
        insert.table = model.table(Some(alias));
        insert.rows.push(row);
        insert.on_conflict = Some(OnConflict::DoUpdate {
            target: vec![Name::Borrowed(model.scalar_at(target)?.column)],
            set,
            filter: Some(filter),
        });
        insert.returning = items;
        self.run_returning(model, insert.into(), plan).await
    }

    async fn upsert_nested(&self, model: &ModelMeta, args: UpsertArgs) -> Result<Records> {
        let existing = self.find_row(model, args.filter.clone()).await?;
        let row = match existing {
            Some(row) => {
                let b = Builder::new(self.schema(), self.dialect());
                let filter = identify_filter(&b, model, &row)?;
                self.update_record(model, filter, args.update, "an upsert")
                    .await?
            }
            None => self.create_record(model, args.create).await?,
        };
        self.read_back(model, &row, args.selection).await
    }

    /// `delete`: deletes the record the unique filter names and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] (operation "a delete") when no record matches;
    /// [`Error::ForeignKeyViolation`] when a `Restrict` relation still points at it.
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "delete")
    )]
    pub async fn delete(&self, model: ModelId, args: DeleteArgs) -> Result<Records> {
        let meta = self.schema().model(model)?;
        self.delete_in(meta, args)
            .await
            .map_err(|e| self.explain(e, meta))
    }

    async fn delete_in(&self, model: &ModelMeta, args: DeleteArgs) -> Result<Records> {
        if args.selection.relations.is_empty() && args.selection.counts.is_empty() {
            let mut b = Builder::new(self.schema(), self.dialect());
            let alias = b.alias();
            let filter = b.condition(model, &alias, args.filter)?;
            let (items, plan) = returning_plan(&mut b, model, &alias, args.selection)?;
            let delete = Delete {
                table: model.table(Some(alias)),
                filter: Some(filter),
                returning: items,
            };
            let records = self.run_returning(model, delete.into(), plan).await?;
            if records.is_empty() {
                return Err(not_found(model, "a delete"));
            }
            return Ok(records);
        }
        // Read what is returned before it is gone (and its relations with it).
        let atomic = self.atomic().await?;
        let result = async {
            let client = atomic.client();
            let records = client
                .read(
                    model,
                    FindManyArgs {
                        filter: args.filter.clone(),
                        take: Some(1),
                        selection: args.selection,
                        ..FindManyArgs::default()
                    },
                )
                .await?;
            if records.is_empty() {
                return Err(not_found(model, "a delete"));
            }
            client.delete_many_in(model, args.filter).await?;
            Ok(records)
        }
        .await;
        atomic.finish(result).await
    }

    /// `deleteMany`: deletes every record matching the filter; returns how many.
    ///
    /// # Errors
    ///
    /// [`Error::ForeignKeyViolation`] when a `Restrict` relation points at one of them
    /// (nothing is deleted).
    #[tracing::instrument(
        name = "orm.operation",
        target = "orm::operation",
        skip_all,
        fields(model = self.model_name(model), operation = "deleteMany")
    )]
    pub async fn delete_many(&self, model: ModelId, filter: Filter) -> Result<u64> {
        let meta = self.schema().model(model)?;
        self.delete_many_in(meta, filter)
            .await
            .map_err(|e| self.explain(e, meta))
    }

    async fn delete_many_in(&self, model: &ModelMeta, filter: Filter) -> Result<u64> {
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let filter = b.filter(model, &alias, filter)?;
        let delete = Delete {
            table: model.table(Some(alias)),
            filter,
            returning: Vec::new(),
        };
        self.execute_on(model, &self.render(delete)?).await
    }

    // ----- helpers -----------------------------------------------------------------------

    /// Runs a statement returning one record's scalars (all of them, by field index).
    async fn write_row(
        &self,
        model: &ModelMeta,
        statement: Statement,
    ) -> Result<Option<RowValues>> {
        let sql = self.render(statement)?;
        let result = self.query_on(model, &sql).await?;
        Ok(result
            .rows()
            .next()
            .map(|row| row_values(model, row.values())))
    }

    /// The scalars of the first record matching `filter`.
    async fn find_row(&self, model: &ModelMeta, filter: Filter) -> Result<Option<RowValues>> {
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let mut select = Select::new(Source::Table(model.table(Some(alias.clone()))));
        select.columns = all_scalars(&b, model, &alias);
        select.filter = b.filter(model, &alias, filter)?;
        select.limit = Some(1);
        self.write_row(model, select.into()).await
    }

    /// Reads a written record back as `selection` asks.
    async fn read_back(
        &self,
        model: &ModelMeta,
        row: &RowValues,
        selection: Selection,
    ) -> Result<Records> {
        let b = Builder::new(self.schema(), self.dialect());
        let filter = identify_filter(&b, model, row)?;
        self.read(
            model,
            FindManyArgs {
                filter,
                take: Some(1),
                selection,
                ..FindManyArgs::default()
            },
        )
        .await
    }

    /// A write through a relation whose foreign key is on `model` (the parent): returns the
    /// parent's foreign-key assignments.
    fn forward_write<'a>(
        &'a self,
        model: &'a ModelMeta,
        relation: &'a RelationMeta,
        parent: Option<&'a RowValues>,
        write: NestedWrite,
    ) -> BoxFuture<'a, Result<Vec<(FieldId, Value)>>> {
        Box::pin(async move {
            let target = self.schema().model(relation.target)?;
            let Link::Forward { fields, references } = &relation.link else {
                return Err(
                    model.invalid(Some(relation.name), "expected the foreign key on this side")
                );
            };
            let assign = |target_row: &RowValues| -> Vec<(FieldId, Value)> {
                fields
                    .iter()
                    .zip(references)
                    .map(|(f, r)| (field_id(model, *f), target_row[*r as usize].clone()))
                    .collect()
            };
            let current = |parent: Option<&RowValues>| -> Option<Filter> {
                let parent = parent?;
                let mut parts = Vec::with_capacity(fields.len());
                for (f, r) in fields.iter().zip(references) {
                    let v = parent[*f as usize].clone();
                    if v.is_null() {
                        return None;
                    }
                    parts.push(Filter::equals(field_id(target, *r), v));
                }
                Some(Filter::And(parts))
            };
            match write {
                NestedWrite::Create(mut items) if items.len() == 1 => {
                    let row = self.create_record(target, items.remove(0)).await?;
                    Ok(assign(&row))
                }
                NestedWrite::Connect(mut filters) if filters.len() == 1 => {
                    let row = self
                        .find_row(target, filters.remove(0))
                        .await?
                        .ok_or_else(|| not_found(target, "a nested connect"))?;
                    Ok(assign(&row))
                }
                NestedWrite::ConnectOrCreate(mut items) if items.len() == 1 => {
                    let (filter, data) = items.remove(0);
                    let row = match self.find_row(target, filter).await? {
                        Some(row) => row,
                        None => self.create_record(target, data).await?,
                    };
                    Ok(assign(&row))
                }
                NestedWrite::Disconnect(_) => {
                    if !relation.optional {
                        return Err(model.invalid(
                            Some(relation.name),
                            "a required relation cannot be disconnected",
                        ));
                    }
                    Ok(fields
                        .iter()
                        .map(|f| (field_id(model, *f), Value::Null))
                        .collect())
                }
                NestedWrite::Update(mut items) if items.len() == 1 => {
                    let (_, data) = items.remove(0);
                    let filter =
                        current(parent).ok_or_else(|| not_found(target, "a nested update"))?;
                    self.update_record(target, filter, data, "a nested update")
                        .await?;
                    Ok(Vec::new())
                }
                NestedWrite::Upsert { create, update, .. } => match current(parent) {
                    Some(filter) if self.find_row(target, filter.clone()).await?.is_some() => {
                        self.update_record(target, filter, *update, "a nested upsert")
                            .await?;
                        Ok(Vec::new())
                    }
                    _ => {
                        let row = self.create_record(target, *create).await?;
                        Ok(assign(&row))
                    }
                },
                NestedWrite::Delete(_) => {
                    let filter =
                        current(parent).ok_or_else(|| not_found(target, "a nested delete"))?;
                    if self.delete_many_in(target, filter).await? == 0 {
                        return Err(not_found(target, "a nested delete"));
                    }
                    Ok(Vec::new())
                }
                other => Err(model.invalid(
                    Some(relation.name),
                    format!("{} does not apply to a to-one relation", write_name(&other)),
                )),
            }
        })
    }

    /// A write through a relation whose foreign key is on the target (or through a join
    /// table), after the parent `row` exists.
    fn related_write<'a>(
        &'a self,
        model: &'a ModelMeta,
        relation: &'a RelationMeta,
        row: &'a RowValues,
        write: NestedWrite,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let target = self.schema().model(relation.target)?;
            let link = Linked::new(model, relation, target, row)?;
            match write {
                NestedWrite::Create(items) => {
                    for data in items {
                        let created = self.create_record(target, link.child_data(data)).await?;
                        self.connect_join(&link, &created).await?;
                    }
                }
                NestedWrite::CreateMany {
                    data,
                    skip_duplicates,
                } => {
                    if link.join.is_some() {
                        for data in data {
                            let created = self.create_record(target, data).await?;
                            self.connect_join(&link, &created).await?;
                        }
                    } else {
                        let data = data.into_iter().map(|d| link.child_data(d)).collect();
                        for sql in
                            self.create_many_statements(target, data, skip_duplicates, Vec::new())?
                        {
                            self.execute_on(target, &sql).await?;
                        }
                    }
                }
                NestedWrite::Connect(filters) => {
                    for filter in filters {
                        self.connect(&link, filter).await?;
                    }
                }
                NestedWrite::ConnectOrCreate(items) => {
                    for (filter, data) in items {
                        match self.find_row(target, filter).await? {
                            Some(existing) => self.attach(&link, &existing).await?,
                            None => {
                                let created =
                                    self.create_record(target, link.child_data(data)).await?;
                                self.connect_join(&link, &created).await?;
                            }
                        }
                    }
                }
                NestedWrite::Disconnect(filters) => {
                    for filter in filters {
                        self.detach(&link, Some(filter)).await?;
                    }
                }
                NestedWrite::Set(filters) => {
                    self.detach(&link, None).await?;
                    for filter in filters {
                        self.connect(&link, filter).await?;
                    }
                }
                NestedWrite::Update(items) => {
                    for (filter, data) in items {
                        let filter = Filter::and([link.owned_filter(), filter]);
                        self.update_record(target, filter, data, "a nested update")
                            .await?;
                    }
                }
                NestedWrite::UpdateMany(items) => {
                    for (filter, data) in items {
                        let filter = Filter::and([link.owned_filter(), filter]);
                        self.update_many_in(target, filter, data).await?;
                    }
                }
                NestedWrite::Upsert {
                    filter,
                    create,
                    update,
                } => {
                    let owned = Filter::and([link.owned_filter(), filter]);
                    if self.find_row(target, owned.clone()).await?.is_some() {
                        self.update_record(target, owned, *update, "a nested upsert")
                            .await?;
                    } else {
                        let created = self.create_record(target, link.child_data(*create)).await?;
                        self.connect_join(&link, &created).await?;
                    }
                }
                NestedWrite::Delete(filters) => {
                    for filter in filters {
                        let owned = Filter::and([link.owned_filter(), filter]);
                        if self.delete_many_in(target, owned).await? == 0 {
                            // A to-many record the parent does not own is "not connected"
                            // (P2017); a missing to-one record is not found (P2025).
                            return Err(if relation.list {
                                Error::RecordsNotConnected {
                                    relation: relation.relation.to_owned(),
                                    parent: model.name.to_owned(),
                                    child: target.name.to_owned(),
                                }
                            } else {
                                not_found(target, "a nested delete")
                            });
                        }
                    }
                }
                NestedWrite::DeleteMany(filters) => {
                    for filter in filters {
                        let owned = Filter::and([link.owned_filter(), filter]);
                        self.delete_many_in(target, owned).await?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Connects the record `filter` names to the parent.
    async fn connect(&self, link: &Linked<'_>, filter: Filter) -> Result<()> {
        let existing = self
            .find_row(link.target, filter)
            .await?
            .ok_or_else(|| not_found(link.target, "a nested connect"))?;
        self.attach(link, &existing).await
    }

    /// Points an existing target record at the parent.
    async fn attach(&self, link: &Linked<'_>, target_row: &RowValues) -> Result<()> {
        if link.join.is_some() {
            return self.connect_join(link, target_row).await;
        }
        let b = Builder::new(self.schema(), self.dialect());
        let alias = Name::Borrowed(link.target.table);
        let set = link
            .child_keys
            .iter()
            .map(|(f, v)| {
                (
                    Name::Borrowed(link.target.scalar_at(*f).map(|s| s.column).unwrap_or("")),
                    v.clone(),
                )
            })
            .map(|(c, v)| (c, Expr::Value(v)))
            .collect();
        let update = Update {
            table: link.target.table(None),
            set,
            filter: Some(identify(&b, link.target, &alias, target_row)?),
            returning: Vec::new(),
        };
        self.execute_on(link.target, &self.render(update)?).await?;
        Ok(())
    }

    /// Inserts the join-table row between the parent and `target_row` (m-n only; a no-op
    /// when already connected).
    async fn connect_join(&self, link: &Linked<'_>, target_row: &RowValues) -> Result<()> {
        let Some(join) = &link.join else {
            return Ok(());
        };
        let mut insert = Insert::new(
            join.table,
            vec![
                Name::Borrowed(join.this_column),
                Name::Borrowed(join.other_column),
            ],
        );
        insert.table.schema = join.db_schema.map(Name::Borrowed);
        insert.rows.push(vec![
            Expr::Value(join.parent_key.clone()),
            Expr::Value(target_row[join.target_key as usize].clone()),
        ]);
        insert.on_conflict = Some(OnConflict::DoNothing { target: Vec::new() });
        self.execute(&self.render(insert)?).await?;
        Ok(())
    }

    /// Disconnects the parent's related records (those `filter` names, or all).
    async fn detach(&self, link: &Linked<'_>, filter: Option<Filter>) -> Result<()> {
        let target = link.target;
        if let Some(join) = &link.join {
            let mut b = Builder::new(self.schema(), self.dialect());
            let jt = b.alias();
            let mut condition = vec![
                Expr::column(jt.clone(), join.this_column).eq(Expr::Value(join.parent_key.clone())),
            ];
            if let Some(filter) = filter {
                let t = b.alias();
                let mut ids = Select::new(Source::Table(target.table(Some(t.clone()))));
                ids.columns.push(target.column(&t, join.target_key)?.into());
                ids.filter = Some(b.condition(target, &t, filter)?);
                condition.push(Expr::column(jt.clone(), join.other_column).in_select(ids));
            }
            let delete = Delete {
                table: crate::query::Table {
                    schema: join.db_schema.map(Name::Borrowed),
                    name: Name::Borrowed(join.table),
                    alias: Some(jt),
                },
                filter: Some(Expr::and(condition)),
                returning: Vec::new(),
            };
            self.execute(&self.render(delete)?).await?;
            return Ok(());
        }
        for (f, _) in &link.child_keys {
            if !target.scalar_at(*f)?.optional {
                return Err(link.parent.invalid(
                    Some(link.relation.name),
                    "a required relation cannot be disconnected",
                ));
            }
        }
        let owned = match filter {
            Some(filter) => Filter::and([link.owned_filter(), filter]),
            None => link.owned_filter(),
        };
        let data = UpdateData {
            scalars: link
                .child_keys
                .iter()
                .map(|(f, _)| (field_id(target, *f), UpdateOp::Set(Value::Null)))
                .collect(),
            relations: Vec::new(),
        };
        let mut b = Builder::new(self.schema(), self.dialect());
        let alias = b.alias();
        let set = set_list(&b, target, &alias, data.scalars, false, defaults::now())?;
        let update = Update {
            table: target.table(Some(alias.clone())),
            set,
            filter: b.filter(target, &alias, owned)?,
            returning: Vec::new(),
        };
        self.execute_on(target, &self.render(update)?).await?;
        Ok(())
    }

    /// Runs a write to `model`'s table; a constraint error names `model`
    /// ([`explain`](Self::explain)), even inside a nested write of another model.
    async fn execute_on(&self, model: &ModelMeta, sql: &Sql) -> Result<u64> {
        self.execute(sql).await.map_err(|e| self.explain(e, model))
    }

    /// [`execute_on`](Self::execute_on) for a statement returning rows.
    async fn query_on(&self, model: &ModelMeta, sql: &Sql) -> Result<crate::row::ResultSet> {
        self.query(sql).await.map_err(|e| self.explain(e, model))
    }

    /// Runs a write with `RETURNING` (or a select) and loads its included relations.
    async fn run_returning(
        &self,
        model: &ModelMeta,
        statement: Statement,
        plan: super::read::Plan,
    ) -> Result<Records> {
        let sql = self.render(statement)?;
        let rows = Rows::new(self.query_on(model, &sql).await?);
        self.finish_rows(model, rows, plan).await
    }

    /// Explains a constraint error in the schema's terms, as Prisma's `meta.modelName` does:
    /// the model is `written`, the one whose table the failing statement wrote (or deleted
    /// from), on both backends, whether or not the database names a table. The fields are
    /// that model's fields of the constraint: resolved from PostgreSQL's constraint name
    /// through the schema, or from the columns SQLite lists. A constraint of another model (a
    /// delete blocked by a `Restrict` foreign key of a referencing model) keeps its name and
    /// lists no fields. An error that already names a model (explained at the statement that
    /// failed, inside a nested write) is left as it is.
    pub(crate) fn explain(&self, error: Error, written: &ModelMeta) -> Error {
        if error.model().is_some() {
            return error;
        }
        let schema = self.schema();
        let model = Some(written.name.to_owned());
        let same_table = |db: &crate::error::DbError| db.table.as_deref() == Some(written.table);
        // The model holding the constraint named `name`, the written model first (names are
        // unique per table, and Prisma's default names per schema), with the constraint.
        let owner = |name: &Option<String>,
                     pick: fn(&ModelMeta) -> &[super::meta::UniqueMeta]|
         -> Option<(&ModelMeta, &super::meta::UniqueMeta)> {
            let name = name.as_deref()?;
            std::iter::once(written)
                .chain(schema.models.iter())
                .find_map(|m| {
                    pick(m)
                        .iter()
                        .find(|u| u.constraint == name)
                        .map(|u| (m, u))
                })
        };
        let field_name = |column: String| -> String {
            written
                .fields
                .iter()
                .find_map(|f| match f {
                    FieldMeta::Scalar(s) if s.column == column => Some(s.name.to_owned()),
                    _ => None,
                })
                .unwrap_or(column)
        };
        let fields = |constraint: &Option<String>,
                      db: &crate::error::DbError,
                      columns: Vec<String>,
                      pick: fn(&ModelMeta) -> &[super::meta::UniqueMeta]|
         -> Vec<String> {
            match owner(constraint, pick) {
                Some((m, u)) if m.name == written.name => u
                    .fields
                    .iter()
                    .filter_map(|f| m.scalar_at(*f).ok().map(|s| s.name.to_owned()))
                    .collect(),
                Some(_) => Vec::new(),
                None if same_table(db) => columns.into_iter().map(field_name).collect(),
                None if db.table.is_none() => columns,
                None => Vec::new(),
            }
        };
        match error {
            Error::UniqueViolation {
                constraint,
                fields: columns,
                db,
                ..
            } => Error::UniqueViolation {
                model,
                fields: fields(&constraint, &db, columns, |m| &m.uniques),
                constraint,
                db,
            },
            Error::ForeignKeyViolation {
                constraint,
                fields: columns,
                db,
                ..
            } => Error::ForeignKeyViolation {
                model,
                fields: fields(&constraint, &db, columns, |m| &m.foreign_keys),
                constraint,
                db,
            },
            Error::NotNullViolation { column, db, .. } => Error::NotNullViolation {
                model,
                column: if same_table(&db) {
                    field_name(column)
                } else {
                    column
                },
                db,
            },
            other => other.with_model(written.name),
        }
    }
}

/// How a parent record links to a relation's target records, with the parent's values.
struct Linked<'a> {
    parent: &'a ModelMeta,
    relation: &'a RelationMeta,
    target: &'a ModelMeta,
    /// Foreign-key fields of the target and the parent's values for them (FK relations).
    child_keys: Vec<(u32, Value)>,
    /// The join table (m-n relations).
    join: Option<JoinLink>,
}

struct JoinLink {
    table: &'static str,
    db_schema: Option<&'static str>,
    this_column: &'static str,
    other_column: &'static str,
    target_key: u32,
    parent_key: Value,
}

impl<'a> Linked<'a> {
    fn new(
        parent: &'a ModelMeta,
        relation: &'a RelationMeta,
        target: &'a ModelMeta,
        row: &RowValues,
    ) -> Result<Self> {
        let mut linked = Linked {
            parent,
            relation,
            target,
            child_keys: Vec::new(),
            join: None,
        };
        match &relation.link {
            Link::Back { fields, references } => {
                linked.child_keys = fields
                    .iter()
                    .zip(references)
                    .map(|(f, r)| (*f, row[*r as usize].clone()))
                    .collect();
            }
            Link::Join {
                table,
                db_schema,
                this_column,
                other_column,
                this_key,
                target_key,
            } => {
                linked.join = Some(JoinLink {
                    table,
                    db_schema: *db_schema,
                    this_column,
                    other_column,
                    target_key: *target_key,
                    parent_key: row[*this_key as usize].clone(),
                });
            }
            Link::Forward { .. } => {
                return Err(parent.invalid(
                    Some(relation.name),
                    "expected the foreign key on the other side",
                ));
            }
        }
        Ok(linked)
    }

    /// The target's create data with the foreign key pointing at the parent.
    fn child_data(&self, mut data: CreateData) -> CreateData {
        for (f, v) in &self.child_keys {
            let id = field_id(self.target, *f);
            data.scalars.retain(|(field, _)| *field != id);
            data.scalars.push((id, v.clone()));
        }
        data
    }

    /// A filter on the target: records related to the parent.
    fn owned_filter(&self) -> Filter {
        match &self.join {
            None => Filter::And(
                self.child_keys
                    .iter()
                    .map(|(f, v)| Filter::equals(field_id(self.target, *f), v.clone()))
                    .collect(),
            ),
            Some(join) => {
                // Related through the join table: the relation field back to the parent.
                let back = self
                    .target
                    .fields
                    .iter()
                    .enumerate()
                    .find_map(|(i, f)| match f {
                        FieldMeta::Relation(r) => match &r.link {
                            Link::Join {
                                table,
                                other_column,
                                ..
                            } if *table == join.table && *other_column == join.this_column => {
                                u32::try_from(i).ok()
                            }
                            _ => None,
                        },
                        FieldMeta::Scalar(_) => None,
                    });
                match back {
                    Some(index) => {
                        let parent_id = field_id_any(self.parent.id, self.relation_key());
                        Filter::relation(
                            field_id(self.target, index),
                            RelationFilter::Some(Filter::equals(
                                parent_id,
                                join.parent_key.clone(),
                            )),
                        )
                    }
                    None => Filter::Or(Vec::new()),
                }
            }
        }
    }

    fn relation_key(&self) -> u32 {
        match &self.relation.link {
            Link::Join { this_key, .. } => *this_key,
            _ => 0,
        }
    }
}

fn field_id(model: &ModelMeta, index: u32) -> FieldId {
    FieldId::new(model.id, index)
}

fn field_id_any(model: ModelId, index: u32) -> FieldId {
    FieldId::new(model, index)
}

fn not_found(model: &ModelMeta, operation: &str) -> Error {
    Error::NotFound {
        model: model.name.to_owned(),
        operation: operation.to_owned(),
    }
}

fn write_name(write: &NestedWrite) -> &'static str {
    match write {
        NestedWrite::Create(_) => "`create` of several records",
        NestedWrite::CreateMany { .. } => "`createMany`",
        NestedWrite::Connect(_) => "`connect` of several records",
        NestedWrite::ConnectOrCreate(_) => "`connectOrCreate` of several records",
        NestedWrite::Disconnect(_) => "`disconnect`",
        NestedWrite::Set(_) => "`set`",
        NestedWrite::Update(_) => "`update` of several records",
        NestedWrite::UpdateMany(_) => "`updateMany`",
        NestedWrite::Upsert { .. } => "`upsert`",
        NestedWrite::Delete(_) => "`delete`",
        NestedWrite::DeleteMany(_) => "`deleteMany`",
    }
}

/// The values an insert of `scalars` writes, by field position, into `out`: checked and
/// converted to the fields' types; defaults filled in: client-side ones generated,
/// `@updatedAt` set to `now`, `None` where the database fills the column (and for relation
/// fields).
fn insert_values(
    model: &ModelMeta,
    scalars: Vec<(FieldId, Value)>,
    now: chrono::DateTime<chrono::Utc>,
    out: &mut Vec<Option<Value>>,
) -> Result<()> {
    out.clear();
    out.resize(model.fields.len(), None);
    for (field, value) in scalars {
        let scalar = model.scalar(field)?;
        out[field.index()] = Some(coerce(model, scalar, value)?);
    }
    for (value, field) in out.iter_mut().zip(&model.fields) {
        let FieldMeta::Scalar(scalar) = field else {
            continue;
        };
        if value.is_some() || scalar.hidden {
            continue;
        }
        *value = if scalar.updated_at {
            Some(Value::DateTime(now))
        } else {
            let generated = defaults::generate(&scalar.default, now);
            if generated.is_none()
                && scalar.default == DefaultMeta::None
                && !scalar.optional
                && !scalar.list
            {
                return Err(model.invalid(Some(scalar.name), "a required field is missing"));
            }
            generated
        };
    }
    Ok(())
}

/// The columns and values of an insert of `scalars` (see [`insert_values`]).
fn insert_row(
    b: &Builder<'_>,
    model: &ModelMeta,
    scalars: Vec<(FieldId, Value)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Vec<Name>, Vec<Expr>)> {
    let mut values = Vec::with_capacity(model.fields.len());
    insert_values(model, scalars, now, &mut values)?;
    Ok(insert_exprs(b, model, values))
}

/// The columns and bound values of an insert of `values` (one per field, from
/// [`insert_values`]).
fn insert_exprs(
    b: &Builder<'_>,
    model: &ModelMeta,
    values: Vec<Option<Value>>,
) -> (Vec<Name>, Vec<Expr>) {
    let mut columns = Vec::with_capacity(values.len());
    let mut exprs = Vec::with_capacity(values.len());
    for (value, field) in values.into_iter().zip(&model.fields) {
        if let (Some(value), FieldMeta::Scalar(scalar)) = (value, field) {
            columns.push(Name::Borrowed(scalar.column));
            exprs.push(b.bind_coerced(scalar, value));
        }
    }
    (columns, exprs)
}

/// The `SET` list of an update; `@updatedAt` fields are bumped when `bump` and not set
/// explicitly.
fn set_list(
    b: &Builder<'_>,
    model: &ModelMeta,
    alias: &Name,
    scalars: Vec<(FieldId, UpdateOp)>,
    bump: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(Name, Expr)>> {
    let mut set: Vec<(Name, Expr)> = Vec::with_capacity(scalars.len() + 1);
    let mut touched = Vec::with_capacity(scalars.len());
    for (field, op) in scalars {
        let scalar = model.scalar(field)?;
        touched.push(position(field));
        let current = Expr::column(alias.clone(), scalar.column);
        let arithmetic = |op: BinaryOp, v: Value| -> Result<Expr> {
            if !matches!(
                scalar.ty.kind,
                crate::value::Kind::Int
                    | crate::value::Kind::BigInt
                    | crate::value::Kind::Float
                    | crate::value::Kind::Decimal
            ) || scalar.list
            {
                return Err(model.invalid(Some(scalar.name), "arithmetic needs a number field"));
            }
            if v.is_null() {
                return Err(model.invalid(Some(scalar.name), "arithmetic needs a number, not null"));
            }
            // A `Decimal` column may hold integers (SQLite's NUMERIC affinity stores `1.0` as
            // `1`), so the arithmetic is decimal, not integer division.
            let current = if scalar.ty.kind == crate::value::Kind::Decimal {
                current.clone().cast(crate::query::Cast::Decimal)
            } else {
                current.clone()
            };
            let result = current.arithmetic(op, b.bind(model, scalar, v)?);
            // The result must fit the column's integer type: an `Int` that overflows 32 bits
            // fails with `OutOfRange` (P2020) and writes nothing, on SQLite as on PostgreSQL.
            Ok(match scalar.ty.kind {
                crate::value::Kind::Int => result.cast(crate::query::Cast::Int),
                crate::value::Kind::BigInt => result.cast(crate::query::Cast::BigInt),
                _ => result,
            })
        };
        let expr = match op {
            UpdateOp::Set(v) => b.bind(model, scalar, v)?,
            UpdateOp::Increment(v) => arithmetic(BinaryOp::Add, v)?,
            UpdateOp::Decrement(v) => arithmetic(BinaryOp::Sub, v)?,
            UpdateOp::Multiply(v) => arithmetic(BinaryOp::Mul, v)?,
            UpdateOp::Divide(v) => arithmetic(BinaryOp::Div, v)?,
            UpdateOp::Push(v) => {
                if !scalar.list {
                    return Err(model.invalid(Some(scalar.name), "`push` needs a list field"));
                }
                let list = match v {
                    Value::List(..) => v,
                    other => Value::List(scalar.ty.kind, vec![other]),
                };
                let list = coerce(model, scalar, list)?;
                Expr::function(
                    crate::query::Function::Coalesce,
                    vec![
                        current.clone(),
                        b.bind_coerced(scalar, Value::List(scalar.ty.kind, Vec::new())),
                    ],
                )
                .arithmetic(BinaryOp::Concat, b.bind_coerced(scalar, list))
            }
        };
        set.push((Name::Borrowed(scalar.column), expr));
    }
    if bump {
        for (index, field) in model.fields.iter().enumerate() {
            if let FieldMeta::Scalar(scalar) = field
                && scalar.updated_at
                && !touched.iter().any(|t| *t as usize == index)
            {
                set.push((
                    Name::Borrowed(scalar.column),
                    b.bind_coerced(scalar, Value::DateTime(now)),
                ));
            }
        }
    }
    Ok(set)
}

/// An update's parameters in statement order: the operations' values, the `@updatedAt`
/// bumps, the filter's values.
fn update_params(
    ops: impl Iterator<Item = Value>,
    bumps: usize,
    now: chrono::DateTime<chrono::Utc>,
    filter: Vec<Value>,
) -> Vec<Value> {
    let mut values: Vec<Value> = ops.collect();
    values.extend(std::iter::repeat_n(Value::DateTime(now), bumps));
    values.extend(filter);
    values
}

/// The records of an update, which must have found its record.
fn found(model: &ModelMeta, records: Records) -> Result<Records> {
    if records.is_empty() {
        return Err(not_found(model, "an update"));
    }
    Ok(records)
}

/// How many `@updatedAt` fields of `model` an update with `ops` bumps (those it does not set
/// itself), as [`set_list`] adds them.
fn bumped_fields(model: &ModelMeta, ops: &[(FieldId, UpdateOp)]) -> usize {
    model
        .fields
        .iter()
        .enumerate()
        .filter(|(index, field)| {
            matches!(field, FieldMeta::Scalar(s) if s.updated_at)
                && !ops.iter().any(|(f, _)| f.index() == *index)
        })
        .count()
}

/// Every scalar column of `model` (read form), in field order.
fn all_scalars(b: &Builder<'_>, model: &ModelMeta, alias: &Name) -> Vec<SelectItem> {
    model
        .fields
        .iter()
        .filter_map(|f| match f {
            FieldMeta::Scalar(s) => Some(b.read_column(alias, s).into()),
            FieldMeta::Relation(_) => None,
        })
        .collect()
}

/// A row from [`all_scalars`], laid out by field index and normalised.
fn row_values(model: &ModelMeta, values: &[Value]) -> RowValues {
    let mut out = vec![Value::Null; model.fields.len()];
    let mut read = values.iter();
    for (index, field) in model.fields.iter().enumerate() {
        if let FieldMeta::Scalar(scalar) = field
            && let Some(v) = read.next()
        {
            out[index] = super::decode::normalize(scalar, v.clone());
        }
    }
    out
}

/// The filter naming the record `row` (by its identifier).
fn identify_filter(_b: &Builder<'_>, model: &ModelMeta, row: &RowValues) -> Result<Filter> {
    Ok(Filter::And(
        model
            .identifier()?
            .iter()
            .map(|f| Filter::equals(field_id(model, *f), row[*f as usize].clone()))
            .collect(),
    ))
}

/// The condition naming the record `row` under `alias`.
fn identify(b: &Builder<'_>, model: &ModelMeta, alias: &Name, row: &RowValues) -> Result<Expr> {
    let mut parts = Vec::new();
    for f in model.identifier()? {
        let scalar = model.scalar_at(*f)?;
        parts.push(
            model
                .column(alias, *f)?
                .eq(b.bind_coerced(scalar, row[*f as usize].clone())),
        );
    }
    Ok(Expr::and(parts))
}

/// The unique field a native `INSERT … ON CONFLICT DO UPDATE` can target, when the upsert
/// allows one: the filter is equality on one single-field unique, the create data gives that
/// field the same value, the update is not empty and nothing is nested.
fn native_upsert_target(model: &ModelMeta, args: &UpsertArgs) -> Option<u32> {
    if !args.create.relations.is_empty()
        || !args.update.relations.is_empty()
        || args.update.scalars.is_empty()
        || !args.selection.relations.is_empty()
        || !args.selection.counts.is_empty()
    {
        return None;
    }
    let filter = match &args.filter {
        Filter::And(items) if items.len() == 1 => &items[0],
        other => other,
    };
    let Filter::Scalar(ScalarFilter {
        field,
        op: ScalarOp::Equals(value),
        mode: QueryMode::Default,
    }) = filter
    else {
        return None;
    };
    let unique = model
        .uniques
        .iter()
        .any(|u| u.fields.len() == 1 && u.fields[0] == position(*field));
    let same = args
        .create
        .scalars
        .iter()
        .any(|(f, v)| f == field && v == value);
    (unique && same).then_some(position(*field))
}
