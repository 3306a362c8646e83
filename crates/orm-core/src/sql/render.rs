//! The walker shared by every dialect: statement tree in, [`Sql`] out.
//!
//! It writes the parts all dialects spell alike and asks the dialect ([`SqlDialect`]) about the
//! rest. Values are moved out of the tree into the parameter list as they are met, so the
//! placeholder numbers always match the parameter order.

use crate::error::{Error, Result};
use crate::query::{
    BinaryOp, Cast, Delete, Direction, Expr, Function, Insert, Join, JoinKind, JsonType, ListOp,
    Name, Nulls, OnConflict, OrderTerm, Select, SelectItem, Source, Statement, Table, Update,
};
use crate::sql::{Dialect, Sql};
use crate::value::{Kind, Value};

/// What the walker asks a dialect. One implementation per backend, in `postgres.rs` and
/// `sqlite.rs`; everything else is shared.
pub(crate) trait SqlDialect: Sync {
    /// Which dialect this is (for [`Error::Unsupported`]).
    fn dialect(&self) -> Dialect;

    /// Writes placeholder number `n` (1-based).
    fn placeholder(&self, out: &mut String, n: usize);

    /// The most bind parameters one statement may carry.
    fn max_bind_parameters(&self) -> usize;

    /// Whether `DEFAULT` may stand for a value in an insert's `VALUES`.
    fn supports_default_in_values(&self) -> bool;

    /// The pattern-matching operator.
    fn like_operator(&self, insensitive: bool) -> &'static str;

    /// What to write as `LIMIT` when only `OFFSET` is wanted, if the dialect needs one.
    fn unbounded_limit(&self) -> Option<&'static str>;

    /// Writes the bound value of `LIMIT` or `OFFSET`.
    fn write_limit_value(&self, w: &mut Writer<'_>, n: i64) {
        w.param(Value::BigInt(n));
    }

    /// Writes `CAST(expr AS …)`.
    fn write_cast(&self, w: &mut Writer<'_>, expr: Expr, cast: &Cast) -> Result<()>;

    /// Writes a scalar-list predicate.
    fn write_list_op(&self, w: &mut Writer<'_>, list: Expr, op: ListOp, value: Expr) -> Result<()>;

    /// Writes membership in a bound list.
    fn write_in_array(
        &self,
        w: &mut Writer<'_>,
        expr: Expr,
        array: Expr,
        negated: bool,
    ) -> Result<()>;

    /// Writes a JSON object from named expressions.
    fn write_json_object(&self, w: &mut Writer<'_>, fields: Vec<(Name, Expr)>) -> Result<()>;

    /// Writes the JSON value at a bound path ([`Expr::JsonAt`]).
    fn write_json_at(&self, w: &mut Writer<'_>, expr: Expr, path: Expr, text: bool) -> Result<()>;

    /// Writes the first or last element of a JSON array.
    fn write_json_element(&self, w: &mut Writer<'_>, expr: Expr, last: bool) -> Result<()>;

    /// Writes a test of a JSON value's type.
    fn write_json_type_is(&self, w: &mut Writer<'_>, expr: Expr, ty: JsonType) -> Result<()>;

    /// Writes a bound value as JSON.
    fn write_json_value(&self, w: &mut Writer<'_>, value: Expr) -> Result<()>;

    /// Writes JSON containment.
    fn write_json_contains(&self, w: &mut Writer<'_>, left: Expr, right: Expr) -> Result<()>;

    /// Writes a JSON array of expressions.
    fn write_json_array(&self, w: &mut Writer<'_>, items: Vec<Expr>) -> Result<()>;

    /// Writes the JSON array aggregate of an expression (`[]` for no rows).
    fn write_json_agg(&self, w: &mut Writer<'_>, expr: Expr) -> Result<()>;

    /// Whether `JOIN LATERAL` exists.
    fn supports_lateral(&self) -> bool;

    /// The array type that carries a column of `kind` (native type `native`, `None` for the
    /// default) in a multi-row insert from one bound array per column
    /// ([`Writer::insert_unnest`]); `None` where the dialect has no array parameters or the
    /// column's values would not reach it unchanged through that array type.
    fn unnest_array_type(&self, kind: Kind, native: Option<&str>) -> Option<&'static str> {
        let _ = (kind, native);
        None
    }

    /// Whether `RETURNING` may qualify columns with the written table's alias (SQLite's
    /// `RETURNING` sees only bare column names).
    fn qualified_returning(&self) -> bool;
}

/// The dialect implementation for `dialect`.
pub(crate) fn dialect_impl(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Postgres => &super::postgres::Postgres,
        Dialect::Sqlite => &super::sqlite::Sqlite,
    }
}

/// Writes a quoted identifier: `"name"`, with `"` doubled (the same in every dialect).
pub(crate) fn write_identifier(out: &mut String, name: &str) {
    out.reserve(name.len() + 2);
    out.push('"');
    if name.bytes().any(|b| b == b'"') {
        for c in name.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
    } else {
        out.push_str(name);
    }
    out.push('"');
}

/// SQL text and parameters being written for one statement.
pub(crate) struct Writer<'d> {
    dialect: &'d dyn SqlDialect,
    text: String,
    params: Vec<Value>,
    /// While writing `RETURNING` on a dialect that wants bare columns: the alias to drop.
    bare_alias: Option<Name>,
}

impl<'d> Writer<'d> {
    pub(crate) fn new(dialect: &'d dyn SqlDialect) -> Self {
        Writer {
            dialect,
            text: String::with_capacity(256),
            params: Vec::new(),
            bare_alias: None,
        }
    }

    pub(crate) fn finish(self) -> Sql {
        Sql {
            text: self.text,
            params: self.params,
        }
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Writes a quoted identifier: `"name"`, with `"` doubled.
    pub(crate) fn ident(&mut self, name: &str) {
        write_identifier(&mut self.text, name);
    }

    /// Writes a string literal from the schema (a JSON key): `'name'`, with `'` doubled.
    pub(crate) fn string_literal(&mut self, s: &str) {
        self.text.push('\'');
        for c in s.chars() {
            if c == '\'' {
                self.text.push('\'');
            }
            self.text.push(c);
        }
        self.text.push('\'');
    }

    /// Binds `value` and writes its placeholder.
    pub(crate) fn param(&mut self, value: Value) {
        self.params.push(value);
        let n = self.params.len();
        self.dialect.placeholder(&mut self.text, n);
    }

    fn unsupported(&self, feature: &str) -> Error {
        Error::Unsupported {
            feature: feature.to_owned(),
            dialect: self.dialect.dialect(),
        }
    }

    fn table(&mut self, table: &Table) {
        if let Some(schema) = &table.schema {
            self.ident(schema);
            self.push(".");
        }
        self.ident(&table.name);
        if let Some(alias) = &table.alias {
            self.push(" AS ");
            self.ident(alias);
        }
    }

    fn comma_separated<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Self, T) -> Result<()>,
    ) -> Result<()> {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            each(self, item)?;
        }
        Ok(())
    }

    /// Writes an expression where an operand of an operator goes: compound expressions get
    /// parentheses.
    pub(crate) fn operand(&mut self, expr: Expr) -> Result<()> {
        let wrap = matches!(
            expr,
            Expr::Binary(_, op, _) if !is_arithmetic(op)
        ) || matches!(
            expr,
            Expr::Not(_)
                | Expr::IsNull { .. }
                | Expr::InList { .. }
                | Expr::InArray { .. }
                | Expr::InSelect { .. }
                | Expr::Like { .. }
                | Expr::List { .. }
        );
        if wrap {
            self.push("(");
            self.expr(expr)?;
            self.push(")");
            Ok(())
        } else {
            self.expr(expr)
        }
    }

    /// Writes an expression.
    pub(crate) fn expr(&mut self, expr: Expr) -> Result<()> {
        match expr {
            Expr::Column(column) => {
                if let Some(table) = &column.table
                    && self.bare_alias.as_ref() != Some(table)
                {
                    self.ident(table);
                    self.push(".");
                }
                self.ident(&column.name);
            }
            Expr::Value(value) => self.param(value),
            Expr::Null => self.push("NULL"),
            Expr::Default => {
                if !self.dialect.supports_default_in_values() {
                    return Err(self.unsupported("DEFAULT in a multi-row insert"));
                }
                self.push("DEFAULT");
            }
            Expr::True => self.push("1=1"),
            Expr::False => self.push("1=0"),
            Expr::Binary(left, op, right) => {
                let arithmetic = is_arithmetic(op);
                if arithmetic {
                    self.push("(");
                }
                self.operand(*left)?;
                self.push(binary_op(op));
                self.operand(*right)?;
                if arithmetic {
                    self.push(")");
                }
            }
            Expr::And(items) => self.logical(items, " AND ", "1=1")?,
            Expr::Or(items) => self.logical(items, " OR ", "1=0")?,
            Expr::Not(inner) => {
                self.push("NOT (");
                self.expr(*inner)?;
                self.push(")");
            }
            Expr::IsNull { expr, negated } => {
                self.operand(*expr)?;
                self.push(if negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                if list.is_empty() {
                    self.push(if negated { "1=1" } else { "1=0" });
                } else {
                    self.operand(*expr)?;
                    self.push(if negated { " NOT IN (" } else { " IN (" });
                    self.comma_separated(list, Self::expr)?;
                    self.push(")");
                }
            }
            Expr::InArray {
                expr,
                array,
                negated,
            } => {
                let dialect = self.dialect;
                dialect.write_in_array(self, *expr, *array, negated)?;
            }
            Expr::InSelect {
                expr,
                select,
                negated,
            } => {
                self.operand(*expr)?;
                self.push(if negated { " NOT IN (" } else { " IN (" });
                self.select(*select)?;
                self.push(")");
            }
            Expr::Exists { select, negated } => {
                self.push(if negated { "NOT EXISTS (" } else { "EXISTS (" });
                self.select(*select)?;
                self.push(")");
            }
            Expr::Like {
                expr,
                pattern,
                insensitive,
            } => {
                self.operand(*expr)?;
                self.push(" ");
                self.push(self.dialect.like_operator(insensitive));
                self.push(" ");
                self.operand(*pattern)?;
                self.push(" ESCAPE '\\'");
            }
            Expr::List { list, op, value } => {
                let dialect = self.dialect;
                dialect.write_list_op(self, *list, op, *value)?;
            }
            Expr::Function(function, args) => {
                self.push(function_name(function));
                self.push("(");
                self.comma_separated(args, Self::expr)?;
                self.push(")");
            }
            Expr::CountAll => self.push("COUNT(*)"),
            Expr::Cast(expr, cast) => {
                let dialect = self.dialect;
                dialect.write_cast(self, *expr, &cast)?;
            }
            Expr::Row(items) => {
                self.push("(");
                self.comma_separated(items, Self::expr)?;
                self.push(")");
            }
            Expr::Subquery(select) => {
                self.push("(");
                self.select(*select)?;
                self.push(")");
            }
            Expr::Excluded(name) => {
                self.push("EXCLUDED.");
                self.ident(&name);
            }
            Expr::JsonObject(fields) => {
                let dialect = self.dialect;
                dialect.write_json_object(self, fields)?;
            }
            Expr::JsonAt { expr, path, text } => {
                let dialect = self.dialect;
                dialect.write_json_at(self, *expr, *path, text)?;
            }
            Expr::JsonElement { expr, last } => {
                let dialect = self.dialect;
                dialect.write_json_element(self, *expr, last)?;
            }
            Expr::JsonTypeIs(expr, ty) => {
                let dialect = self.dialect;
                dialect.write_json_type_is(self, *expr, ty)?;
            }
            Expr::JsonValue(value) => {
                let dialect = self.dialect;
                dialect.write_json_value(self, *value)?;
            }
            Expr::JsonContains(left, right) => {
                let dialect = self.dialect;
                dialect.write_json_contains(self, *left, *right)?;
            }
            Expr::JsonArray(items) => {
                let dialect = self.dialect;
                dialect.write_json_array(self, items)?;
            }
            Expr::JsonAgg(inner) => {
                let dialect = self.dialect;
                dialect.write_json_agg(self, *inner)?;
            }
        }
        Ok(())
    }

    fn logical(&mut self, items: Vec<Expr>, separator: &str, empty: &str) -> Result<()> {
        match items.len() {
            0 => self.push(empty),
            1 => {
                for item in items {
                    self.expr(item)?;
                }
            }
            _ => {
                self.push("(");
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        self.push(separator);
                    }
                    self.expr(item)?;
                }
                self.push(")");
            }
        }
        Ok(())
    }

    fn select_item(&mut self, item: SelectItem) -> Result<()> {
        self.expr(item.expr)?;
        if let Some(alias) = item.alias {
            self.push(" AS ");
            self.ident(&alias);
        }
        Ok(())
    }

    fn source(&mut self, source: Source) -> Result<()> {
        match source {
            Source::Table(table) => self.table(&table),
            Source::Subquery(select, alias) => {
                self.push("(");
                self.select(*select)?;
                self.push(") AS ");
                self.ident(&alias);
            }
        }
        Ok(())
    }

    fn join(&mut self, join: Join) -> Result<()> {
        self.push(match join.kind {
            JoinKind::Inner => " INNER JOIN ",
            JoinKind::Left => " LEFT JOIN ",
        });
        if join.lateral {
            if !self.dialect.supports_lateral() {
                return Err(self.unsupported("LATERAL joins"));
            }
            self.push("LATERAL ");
        }
        self.source(join.source)?;
        self.push(" ON ");
        match join.on {
            Expr::True => self.push("true"),
            on => self.expr(on)?,
        }
        Ok(())
    }

    fn order_term(&mut self, term: OrderTerm) -> Result<()> {
        self.expr(term.expr)?;
        self.push(match term.direction {
            Direction::Asc => " ASC",
            Direction::Desc => " DESC",
        });
        match term.nulls {
            None => {}
            Some(Nulls::First) => self.push(" NULLS FIRST"),
            Some(Nulls::Last) => self.push(" NULLS LAST"),
        }
        Ok(())
    }

    pub(crate) fn select(&mut self, select: Select) -> Result<()> {
        self.push("SELECT ");
        if select.columns.is_empty() {
            self.push("1");
        } else {
            self.comma_separated(select.columns, Self::select_item)?;
        }
        self.push(" FROM ");
        self.source(select.from)?;
        for join in select.joins {
            self.join(join)?;
        }
        if let Some(filter) = select.filter {
            self.push(" WHERE ");
            self.expr(filter)?;
        }
        if !select.group_by.is_empty() {
            self.push(" GROUP BY ");
            self.comma_separated(select.group_by, Self::expr)?;
        }
        if let Some(having) = select.having {
            self.push(" HAVING ");
            self.expr(having)?;
        }
        if !select.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.comma_separated(select.order_by, Self::order_term)?;
        }
        let dialect = self.dialect;
        match (select.limit, select.offset) {
            (Some(limit), offset) => {
                self.push(" LIMIT ");
                dialect.write_limit_value(self, limit);
                if let Some(offset) = offset {
                    self.push(" OFFSET ");
                    dialect.write_limit_value(self, offset);
                }
            }
            (None, Some(offset)) => {
                if let Some(unbounded) = dialect.unbounded_limit() {
                    self.push(" LIMIT ");
                    self.push(unbounded);
                }
                self.push(" OFFSET ");
                dialect.write_limit_value(self, offset);
            }
            (None, None) => {}
        }
        Ok(())
    }

    fn returning(&mut self, table: &Table, items: Vec<SelectItem>) -> Result<()> {
        if !items.is_empty() {
            self.push(" RETURNING ");
            if !self.dialect.qualified_returning() {
                self.bare_alias = Some(table.alias.clone().unwrap_or_else(|| table.name.clone()));
            }
            let written = self.comma_separated(items, Self::select_item);
            self.bare_alias = None;
            written?;
        }
        Ok(())
    }

    fn assignments(&mut self, set: Vec<(Name, Expr)>) -> Result<()> {
        self.comma_separated(set, |w, (column, value)| {
            w.ident(&column);
            w.push(" = ");
            w.expr(value)
        })
    }

    fn insert(&mut self, insert: Insert) -> Result<()> {
        self.push("INSERT INTO ");
        self.table(&insert.table);
        if insert.columns.is_empty() {
            if insert.rows.len() > 1 {
                return Err(self.unsupported("a multi-row insert without columns"));
            }
            self.push(" DEFAULT VALUES");
        } else {
            self.insert_columns(insert.columns);
            self.comma_separated(insert.rows, |w, row| {
                w.push("(");
                w.comma_separated(row, Self::expr)?;
                w.push(")");
                Ok(())
            })?;
        }
        self.insert_tail(&insert.table, insert.on_conflict, insert.returning)
    }

    /// ` ("a", "b") VALUES `
    fn insert_columns(&mut self, columns: Vec<Name>) {
        self.push(" (");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(c);
        }
        self.push(") VALUES ");
    }

    /// An insert of `template`'s table and columns (its rows ignored) whose rows are `rows`
    /// runs of `width` plain values: every value a parameter, no expression tree.
    pub(crate) fn insert_values(
        &mut self,
        template: &Insert,
        values: &mut impl Iterator<Item = Value>,
        rows: usize,
        width: usize,
    ) -> Result<()> {
        self.push("INSERT INTO ");
        self.table(&template.table);
        self.insert_columns(template.columns.clone());
        let first = self.params.len() + 1;
        self.params.extend(values.take(rows * width));
        let missing = (rows * width).saturating_sub(self.params.len() + 1 - first);
        self.params
            .extend(std::iter::repeat_n(Value::Null, missing));
        let body = values_body(self.dialect, first, rows, width);
        self.text.push_str(&body);
        self.insert_tail(
            &template.table,
            template.on_conflict.clone(),
            template.returning.clone(),
        )
    }

    /// `INSERT INTO t ("a", "b") SELECT * FROM UNNEST($1::type[], $2::type[])`: the rows of
    /// an insert of `template`'s table and columns (its rows ignored) as one bound array per
    /// column, of the array types `types` (from [`SqlDialect::unnest_array_type`], never from
    /// user input). The text is the same whatever the number of rows.
    pub(crate) fn insert_unnest(
        &mut self,
        template: &Insert,
        arrays: Vec<Value>,
        types: &[&'static str],
    ) -> Result<()> {
        if arrays.len() != template.columns.len() || types.len() != arrays.len() {
            return Err(self.unsupported("an insert from arrays not one per column"));
        }
        self.push("INSERT INTO ");
        self.table(&template.table);
        self.push(" (");
        for (i, c) in template.columns.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(c);
        }
        self.push(") SELECT * FROM UNNEST(");
        for (i, (array, ty)) in arrays.into_iter().zip(types).enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.param(array);
            self.push("::");
            self.push(ty);
        }
        self.push(")");
        self.insert_tail(
            &template.table,
            template.on_conflict.clone(),
            template.returning.clone(),
        )
    }

    fn insert_tail(
        &mut self,
        table: &Table,
        on_conflict: Option<OnConflict>,
        returning: Vec<SelectItem>,
    ) -> Result<()> {
        match on_conflict {
            None => {}
            Some(OnConflict::DoNothing { target }) => {
                self.push(" ON CONFLICT ");
                if !target.is_empty() {
                    self.conflict_target(target);
                    self.push(" ");
                }
                self.push("DO NOTHING");
            }
            Some(OnConflict::DoUpdate {
                target,
                set,
                filter,
            }) => {
                self.push(" ON CONFLICT ");
                self.conflict_target(target);
                self.push(" DO UPDATE SET ");
                self.assignments(set)?;
                if let Some(filter) = filter {
                    self.push(" WHERE ");
                    self.expr(filter)?;
                }
            }
        }
        self.returning(table, returning)
    }

    fn conflict_target(&mut self, target: Vec<Name>) {
        self.push("(");
        for (i, c) in target.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(c);
        }
        self.push(")");
    }

    fn update(&mut self, update: Update) -> Result<()> {
        self.push("UPDATE ");
        self.table(&update.table);
        self.push(" SET ");
        self.assignments(update.set)?;
        if let Some(filter) = update.filter {
            self.push(" WHERE ");
            self.expr(filter)?;
        }
        self.returning(&update.table, update.returning)
    }

    fn delete(&mut self, delete: Delete) -> Result<()> {
        self.push("DELETE FROM ");
        self.table(&delete.table);
        if let Some(filter) = delete.filter {
            self.push(" WHERE ");
            self.expr(filter)?;
        }
        self.returning(&delete.table, delete.returning)
    }

    pub(crate) fn statement(&mut self, statement: Statement) -> Result<()> {
        match statement {
            Statement::Select(s) => self.select(*s),
            Statement::Insert(s) => self.insert(*s),
            Statement::Update(s) => self.update(*s),
            Statement::Delete(s) => self.delete(*s),
        }
    }
}

/// `($1, $2), ($3, $4), …`: the `VALUES` list of `rows` rows of `width` parameters numbered
/// from `first`. Cached by shape (a `createMany` of thousands of rows writes the same list
/// every time, and formatting tens of thousands of placeholder numbers costs more than
/// everything else the client does for it); a few entries, at most 4 MiB.
fn values_body(
    dialect: &dyn SqlDialect,
    first: usize,
    rows: usize,
    width: usize,
) -> std::sync::Arc<str> {
    use std::sync::{Arc, Mutex};
    type Key = (Dialect, usize, usize, usize);
    static CACHE: Mutex<Vec<(Key, Arc<str>)>> = Mutex::new(Vec::new());
    const ENTRIES: usize = 8;
    const BYTES: usize = 4 << 20;

    let key = (dialect.dialect(), first, rows, width);
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(i) = cache.iter().position(|(k, _)| *k == key) {
        let entry = cache.remove(i);
        let body = Arc::clone(&entry.1);
        cache.insert(0, entry);
        return body;
    }
    drop(cache);
    let mut text = String::with_capacity(rows * width * 8);
    let mut n = first;
    for row in 0..rows {
        text.push_str(if row == 0 { "(" } else { ", (" });
        for i in 0..width {
            if i > 0 {
                text.push_str(", ");
            }
            dialect.placeholder(&mut text, n);
            n += 1;
        }
        text.push(')');
    }
    let body: Arc<str> = text.into();
    if body.len() <= BYTES / ENTRIES {
        let mut cache = CACHE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.insert(0, (key, Arc::clone(&body)));
        cache.truncate(ENTRIES);
    }
    body
}

fn is_arithmetic(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Concat
    )
}

fn binary_op(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Eq => " = ",
        BinaryOp::NotEq => " <> ",
        BinaryOp::Lt => " < ",
        BinaryOp::Lte => " <= ",
        BinaryOp::Gt => " > ",
        BinaryOp::Gte => " >= ",
        BinaryOp::Add => " + ",
        BinaryOp::Sub => " - ",
        BinaryOp::Mul => " * ",
        BinaryOp::Div => " / ",
        BinaryOp::Concat => " || ",
    }
}

fn function_name(function: Function) -> &'static str {
    match function {
        Function::Count => "COUNT",
        Function::Sum => "SUM",
        Function::Avg => "AVG",
        Function::Min => "MIN",
        Function::Max => "MAX",
        Function::Coalesce => "COALESCE",
        Function::Lower => "LOWER",
    }
}
