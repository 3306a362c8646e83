//! Turning the dynamic query description into statement-tree parts: filters, orderings,
//! cursors, value binding and reading.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::args::{
    Filter, JsonFilter, JsonOp, JsonPath, OrderBy, QueryMode, RelationFilter, ScalarFilter,
    ScalarOp,
};
use super::ids::FieldId;
use super::meta::{Link, ModelMeta, RelationMeta, ScalarMeta, SchemaMeta, position};
use crate::error::Result;
use crate::query::{
    BinaryOp, Cast, Direction, Expr, Function, Join, JoinKind, JsonType, ListOp, Name, OrderTerm,
    Select, Source,
};
use crate::sql::Dialect;
use crate::value::{Kind, Value};

/// Builds the parts of one operation's statements; hands out table aliases.
pub(crate) struct Builder<'s> {
    pub schema: &'s SchemaMeta,
    pub dialect: Dialect,
    aliases: usize,
}

/// One `ORDER BY` term with what a cursor needs to know about it.
pub(crate) struct Ordering {
    pub term: OrderTerm,
    /// The scalar field sorted on, when it is a plain field of the queried model (cursors
    /// compare against it).
    pub field: Option<u32>,
}

impl<'s> Builder<'s> {
    pub fn new(schema: &'s SchemaMeta, dialect: Dialect) -> Self {
        Builder {
            schema,
            dialect,
            aliases: 0,
        }
    }

    /// A fresh table alias: `t0`, `t1`, …
    pub fn alias(&mut self) -> Name {
        const ALIASES: [&str; 12] = [
            "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11",
        ];
        let n = self.aliases;
        self.aliases += 1;
        match ALIASES.get(n) {
            Some(a) => Cow::Borrowed(a),
            None => Cow::Owned(format!("t{n}")),
        }
    }

    // ----- values ------------------------------------------------------------------------

    /// A value as a bound parameter for `scalar`'s column: checked against the field's type,
    /// converted where Prisma converts (an `Int` for a `Float` field), cast to the native enum
    /// type on PostgreSQL.
    pub fn bind(&self, model: &ModelMeta, scalar: &ScalarMeta, value: Value) -> Result<Expr> {
        let value = coerce(model, scalar, value)?;
        Ok(self.bind_coerced(scalar, value))
    }

    /// Whether a value bound for `scalar` needs a cast (enums on PostgreSQL).
    pub fn needs_cast(&self, scalar: &ScalarMeta) -> bool {
        scalar.ty.enum_db_name.is_some() && self.dialect == Dialect::Postgres
    }

    /// A value already of the field's type as a bound parameter.
    pub fn bind_coerced(&self, scalar: &ScalarMeta, value: Value) -> Expr {
        match (scalar.ty.enum_db_name, &value) {
            (_, Value::Null) => Expr::Value(value),
            (Some(name), Value::List(..)) if self.dialect == Dialect::Postgres => {
                Expr::Value(value).cast(Cast::EnumArray(Cow::Borrowed(name)))
            }
            (Some(name), _) if self.dialect == Dialect::Postgres => {
                Expr::Value(value).cast(Cast::Enum(Cow::Borrowed(name)))
            }
            _ => Expr::Value(value),
        }
    }

    /// A column as read into a result: enums as text on PostgreSQL.
    pub fn read_column(&self, alias: &Name, scalar: &ScalarMeta) -> Expr {
        let column = Expr::column(alias.clone(), scalar.column);
        if scalar.ty.enum_db_name.is_some() && self.dialect == Dialect::Postgres {
            if scalar.list {
                column.cast(Cast::EnumArray(Cow::Borrowed("text")))
            } else {
                column.cast(Cast::Text)
            }
        } else {
            column
        }
    }

    // ----- filters -----------------------------------------------------------------------

    /// The condition of `filter` on `model` under `alias`; `None` when it is absent (Prisma's
    /// `{}`), which callers treat as "every row".
    pub fn filter(
        &mut self,
        model: &ModelMeta,
        alias: &Name,
        filter: Filter,
    ) -> Result<Option<Expr>> {
        Ok(match filter {
            Filter::Empty => None,
            Filter::And(items) => {
                let parts = self.filters(model, alias, items)?;
                if parts.is_empty() {
                    None
                } else {
                    Some(Expr::and(parts))
                }
            }
            Filter::Or(items) => Some(Expr::or(self.filters(model, alias, items)?)),
            // Prisma's `NOT: [a, b]` holds when no condition does: `NOT a AND NOT b`.
            Filter::Not(items) => {
                let parts = self.filters(model, alias, items)?;
                if parts.is_empty() {
                    None
                } else {
                    Some(Expr::and(parts.into_iter().map(Expr::not)))
                }
            }
            Filter::Scalar(filter) => Some(self.scalar_filter(model, alias, filter)?),
            Filter::Relation { field, filter } => {
                Some(self.relation_filter(model, alias, field, *filter)?)
            }
        })
    }

    fn filters(
        &mut self,
        model: &ModelMeta,
        alias: &Name,
        items: Vec<Filter>,
    ) -> Result<Vec<Expr>> {
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            if let Some(part) = self.filter(model, alias, item)? {
                parts.push(part);
            }
        }
        Ok(parts)
    }

    /// The condition of `filter`, `TRUE` when absent.
    pub fn condition(&mut self, model: &ModelMeta, alias: &Name, filter: Filter) -> Result<Expr> {
        Ok(self.filter(model, alias, filter)?.unwrap_or(Expr::True))
    }

    fn scalar_filter(
        &mut self,
        model: &ModelMeta,
        alias: &Name,
        filter: ScalarFilter,
    ) -> Result<Expr> {
        let scalar = model.scalar(filter.field)?;
        let column = Expr::column(alias.clone(), scalar.column);
        self.scalar_op(model, scalar, column, filter.op, filter.mode)
    }

    /// The condition `op` on `column` (of field `scalar`).
    pub fn scalar_op(
        &mut self,
        model: &ModelMeta,
        scalar: &ScalarMeta,
        column: Expr,
        op: ScalarOp,
        mode: QueryMode,
    ) -> Result<Expr> {
        let insensitive = mode == QueryMode::Insensitive && scalar.ty.kind == Kind::String;
        let fold = |e: Expr| {
            if insensitive {
                Expr::function(Function::Lower, vec![e])
            } else {
                e
            }
        };
        let like = |pattern: String| -> Result<Expr> {
            if scalar.ty.kind != Kind::String || scalar.list {
                return Err(model.invalid(Some(scalar.name), "text matching needs a String field"));
            }
            Ok(Expr::Like {
                expr: Box::new(column.clone()),
                pattern: Box::new(Expr::Value(Value::String(pattern))),
                insensitive: mode == QueryMode::Insensitive,
            })
        };
        Ok(match op {
            ScalarOp::Equals(Value::Null) => column.is_null(),
            ScalarOp::NotEquals(Value::Null) => column.is_not_null(),
            ScalarOp::Equals(v) => fold(column).eq(fold(self.bind(model, scalar, v)?)),
            ScalarOp::NotEquals(v) => fold(column).not_eq(fold(self.bind(model, scalar, v)?)),
            ScalarOp::In(values) => {
                self.membership(model, scalar, fold(column), values, false, insensitive)?
            }
            ScalarOp::NotIn(values) => {
                self.membership(model, scalar, fold(column), values, true, insensitive)?
            }
            ScalarOp::Lt(v) => fold(column).lt(fold(self.comparable(model, scalar, v)?)),
            ScalarOp::Lte(v) => fold(column).lte(fold(self.comparable(model, scalar, v)?)),
            ScalarOp::Gt(v) => fold(column).gt(fold(self.comparable(model, scalar, v)?)),
            ScalarOp::Gte(v) => fold(column).gte(fold(self.comparable(model, scalar, v)?)),
            ScalarOp::Contains(s) => like(format!("%{}%", escape_like(&s)))?,
            ScalarOp::StartsWith(s) => like(format!("{}%", escape_like(&s)))?,
            ScalarOp::EndsWith(s) => like(format!("%{}", escape_like(&s)))?,
            ScalarOp::Not(inner) => self.scalar_op(model, scalar, column, *inner, mode)?.not(),
            ScalarOp::Has(v) => {
                let element = self.list_element(model, scalar, v)?;
                self.list_op(model, scalar, column, ListOp::Has, element)?
            }
            ScalarOp::HasSome(values) => {
                let list = self.list_value(model, scalar, values)?;
                self.list_op(model, scalar, column, ListOp::HasSome, list)?
            }
            ScalarOp::HasEvery(values) => {
                let list = self.list_value(model, scalar, values)?;
                self.list_op(model, scalar, column, ListOp::HasEvery, list)?
            }
            ScalarOp::Json(filter) => self.json_filter(model, scalar, column, *filter, mode)?,
            ScalarOp::IsEmpty(empty) => {
                let test = self.list_op(model, scalar, column, ListOp::IsEmpty, Expr::Null)?;
                if empty { test } else { test.not() }
            }
        })
    }

    /// A condition on the JSON value of `column` at a path ([`JsonFilter`]): the path's form
    /// must be the dialect's (keys on PostgreSQL, a JSON path on SQLite); the value there must
    /// exist, and for string, array and ordering conditions be of that JSON type.
    fn json_filter(
        &self,
        model: &ModelMeta,
        scalar: &ScalarMeta,
        column: Expr,
        filter: JsonFilter,
        mode: QueryMode,
    ) -> Result<Expr> {
        if scalar.ty.kind != Kind::Json || scalar.list {
            return Err(model.invalid(Some(scalar.name), "Json filters need a Json field"));
        }
        let path = match (self.dialect, filter.path) {
            (Dialect::Postgres, JsonPath::Root) => Value::List(Kind::String, Vec::new()),
            (Dialect::Postgres, JsonPath::Keys(keys)) => {
                Value::List(Kind::String, keys.into_iter().map(Value::String).collect())
            }
            (Dialect::Sqlite, JsonPath::Root) => Value::String("$".to_owned()),
            (Dialect::Sqlite, JsonPath::Expression(path)) => Value::String(path),
            (dialect, _) => {
                return Err(model.invalid(
                    Some(scalar.name),
                    format!(
                        "a Json path on {dialect} is {}",
                        if dialect == Dialect::Postgres {
                            "a list of keys"
                        } else {
                            "a JSON path string (`$.a.b`)"
                        }
                    ),
                ));
            }
        };
        let at = |text: bool| Expr::JsonAt {
            expr: Box::new(column.clone()),
            path: Box::new(Expr::Value(path.clone())),
            text,
        };
        let json =
            |value: serde_json::Value| Expr::JsonValue(Box::new(Expr::Value(Value::Json(value))));
        let is = |ty: JsonType| Expr::JsonTypeIs(Box::new(at(false)), ty);
        let text = |pattern: String| -> Expr {
            Expr::and([
                is(JsonType::String),
                Expr::Like {
                    expr: Box::new(at(true)),
                    pattern: Box::new(Expr::Value(Value::String(pattern))),
                    insensitive: mode == QueryMode::Insensitive,
                },
            ])
        };
        let element = |last: bool, value: serde_json::Value| {
            Expr::and([
                is(JsonType::Array),
                Expr::JsonElement {
                    expr: Box::new(at(false)),
                    last,
                }
                .eq(json(value)),
            ])
        };
        let ordered = |op: BinaryOp, value: serde_json::Value| -> Result<Expr> {
            // Numbers compare as numbers, strings as text; on SQLite the plain value is
            // compared with a plain bound value.
            let (ty, bound) = match &value {
                serde_json::Value::Number(n) => (
                    JsonType::Number,
                    match (n.as_i64(), n.as_f64()) {
                        (Some(i), _) => Value::BigInt(i),
                        (None, Some(f)) => Value::Float(f),
                        (None, None) => Value::String(n.to_string()),
                    },
                ),
                serde_json::Value::String(s) => (JsonType::String, Value::String(s.clone())),
                _ => {
                    return Err(model.invalid(
                        Some(scalar.name),
                        "lt/lte/gt/gte on a Json path need a number or a string",
                    ));
                }
            };
            let (left, right) = match self.dialect {
                Dialect::Postgres => (at(false), json(value)),
                _ => (at(true), Expr::Value(bound)),
            };
            Ok(Expr::and([
                is(ty),
                Expr::Binary(Box::new(left), op, Box::new(right)),
            ]))
        };
        Ok(match filter.op {
            JsonOp::Equals(value) => at(false).eq(json(value)),
            JsonOp::NotEquals(value) => at(false).eq(json(value)).not(),
            JsonOp::StringContains(s) => text(format!("%{}%", escape_like(&s))),
            JsonOp::StringStartsWith(s) => text(format!("{}%", escape_like(&s))),
            JsonOp::StringEndsWith(s) => text(format!("%{}", escape_like(&s))),
            JsonOp::ArrayContains(value) => Expr::and([
                is(JsonType::Array),
                Expr::JsonContains(Box::new(at(false)), Box::new(json(value))),
            ]),
            JsonOp::ArrayStartsWith(value) => element(false, value),
            JsonOp::ArrayEndsWith(value) => element(true, value),
            JsonOp::Lt(value) => ordered(BinaryOp::Lt, value)?,
            JsonOp::Lte(value) => ordered(BinaryOp::Lte, value)?,
            JsonOp::Gt(value) => ordered(BinaryOp::Gt, value)?,
            JsonOp::Gte(value) => ordered(BinaryOp::Gte, value)?,
        })
    }

    fn comparable(&self, model: &ModelMeta, scalar: &ScalarMeta, value: Value) -> Result<Expr> {
        if value.is_null() {
            return Err(model.invalid(Some(scalar.name), "cannot compare with null"));
        }
        if matches!(scalar.ty.kind, Kind::Json | Kind::Boolean) || scalar.list {
            return Err(model.invalid(
                Some(scalar.name),
                format!("lt/lte/gt/gte do not apply to a {} field", scalar.ty.kind),
            ));
        }
        self.bind(model, scalar, value)
    }

    fn membership(
        &self,
        model: &ModelMeta,
        scalar: &ScalarMeta,
        column: Expr,
        values: Vec<Value>,
        negated: bool,
        insensitive: bool,
    ) -> Result<Expr> {
        if values.iter().any(Value::is_null) {
            return Err(model.invalid(
                Some(scalar.name),
                if negated {
                    "`notIn` cannot contain null"
                } else {
                    "`in` cannot contain null"
                },
            ));
        }
        if values.is_empty() {
            return Ok(if negated { Expr::True } else { Expr::False });
        }
        let mut coerced = Vec::with_capacity(values.len());
        for v in values {
            coerced.push(coerce(model, scalar, v)?);
        }
        // One array parameter where the dialect binds arrays (a stable statement text);
        // single parameters for enums (they need a cast each) and case folding.
        if scalar.ty.enum_db_name.is_none() && !insensitive && !scalar.list {
            return Ok(Expr::InArray {
                expr: Box::new(column),
                array: Box::new(Expr::Value(Value::List(scalar.ty.kind, coerced))),
                negated,
            });
        }
        let list = coerced
            .into_iter()
            .map(|v| {
                let e = self.bind_coerced(scalar, v);
                if insensitive {
                    Expr::function(Function::Lower, vec![e])
                } else {
                    e
                }
            })
            .collect();
        Ok(Expr::InList {
            expr: Box::new(column),
            list,
            negated,
        })
    }

    fn list_element(&self, model: &ModelMeta, scalar: &ScalarMeta, value: Value) -> Result<Expr> {
        if !scalar.list {
            return Err(model.invalid(Some(scalar.name), "list filters need a list field"));
        }
        if value.is_null() {
            return Err(model.invalid(Some(scalar.name), "`has` cannot take null"));
        }
        let element = ScalarMeta {
            list: false,
            ..scalar.clone()
        };
        self.bind(model, &element, value)
    }

    fn list_value(
        &self,
        model: &ModelMeta,
        scalar: &ScalarMeta,
        values: Vec<Value>,
    ) -> Result<Expr> {
        if !scalar.list {
            return Err(model.invalid(Some(scalar.name), "list filters need a list field"));
        }
        self.bind(model, scalar, Value::List(scalar.ty.kind, values))
    }

    fn list_op(
        &self,
        model: &ModelMeta,
        scalar: &ScalarMeta,
        column: Expr,
        op: ListOp,
        value: Expr,
    ) -> Result<Expr> {
        if !scalar.list {
            return Err(model.invalid(Some(scalar.name), "list filters need a list field"));
        }
        Ok(Expr::List {
            list: Box::new(column),
            op,
            value: Box::new(value),
        })
    }

    fn relation_filter(
        &mut self,
        model: &ModelMeta,
        alias: &Name,
        field: FieldId,
        filter: RelationFilter,
    ) -> Result<Expr> {
        let relation = model.relation(field)?;
        let target = self.schema.model(relation.target)?;
        let to_many = relation.list;
        let check = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(model.invalid(
                    Some(relation.name),
                    format!("`{what}` does not apply to this relation"),
                ))
            }
        };
        match filter {
            RelationFilter::IsNull | RelationFilter::IsNotNull => {
                check(!to_many, "is: null")?;
                let is_null = matches!(filter, RelationFilter::IsNull);
                if let Link::Forward { fields, .. } = &relation.link {
                    let mut tests = Vec::with_capacity(fields.len());
                    for f in fields {
                        let column = model.column(alias, *f)?;
                        tests.push(if is_null {
                            column.is_null()
                        } else {
                            column.is_not_null()
                        });
                    }
                    return Ok(if is_null {
                        Expr::or(tests)
                    } else {
                        Expr::and(tests)
                    });
                }
                let (select, _) = self.related(model, relation, alias)?;
                Ok(if is_null {
                    Expr::not_exists(select)
                } else {
                    Expr::exists(select)
                })
            }
            RelationFilter::Some(f) => {
                check(to_many, "some")?;
                self.related_exists(model, relation, alias, f, true)
            }
            RelationFilter::None(f) => {
                check(to_many, "none")?;
                self.related_exists(model, relation, alias, f, false)
            }
            RelationFilter::Is(f) => {
                check(!to_many, "is")?;
                self.related_exists(model, relation, alias, f, true)
            }
            RelationFilter::IsNot(f) => {
                check(!to_many, "isNot")?;
                self.related_exists(model, relation, alias, f, false)
            }
            RelationFilter::Every(f) => {
                check(to_many, "every")?;
                let (mut select, child) = self.related(model, relation, alias)?;
                match self.filter(target, &child, f)? {
                    None => Ok(Expr::True),
                    Some(c) => {
                        select.and_filter(c.not());
                        Ok(Expr::not_exists(select))
                    }
                }
            }
        }
    }

    /// `EXISTS` (or `NOT EXISTS`) a related record matching `filter`.
    fn related_exists(
        &mut self,
        model: &ModelMeta,
        relation: &RelationMeta,
        alias: &Name,
        filter: Filter,
        exists: bool,
    ) -> Result<Expr> {
        let target = self.schema.model(relation.target)?;
        let (mut select, child) = self.related(model, relation, alias)?;
        if let Some(c) = self.filter(target, &child, filter)? {
            select.and_filter(c);
        }
        Ok(if exists {
            Expr::exists(select)
        } else {
            Expr::not_exists(select)
        })
    }

    /// A select over the records related to the row `parent_alias` of `model` through
    /// `relation` (no columns yet), and the alias of the related table in it.
    pub fn related(
        &mut self,
        model: &ModelMeta,
        relation: &RelationMeta,
        parent_alias: &Name,
    ) -> Result<(Select, Name)> {
        let target = self.schema.model(relation.target)?;
        let child = self.alias();
        match &relation.link {
            Link::Forward { .. } | Link::Back { .. } => {
                let condition = self.link_condition(model, relation, parent_alias, &child)?;
                let select =
                    Select::new(Source::Table(target.table(Some(child.clone())))).filter(condition);
                Ok((select, child))
            }
            Link::Join {
                table,
                db_schema,
                this_column,
                other_column,
                this_key,
                target_key,
            } => {
                let join_alias = self.alias();
                let join_table = crate::query::Table {
                    schema: db_schema.map(Cow::Borrowed),
                    name: Cow::Borrowed(table),
                    alias: Some(join_alias.clone()),
                };
                let select = Select::new(Source::Table(join_table))
                    .join(Join {
                        kind: JoinKind::Inner,
                        lateral: false,
                        source: Source::Table(target.table(Some(child.clone()))),
                        on: target
                            .column(&child, *target_key)?
                            .eq(Expr::column(join_alias.clone(), *other_column)),
                    })
                    .filter(
                        Expr::column(join_alias, *this_column)
                            .eq(model.column(parent_alias, *this_key)?),
                    );
                Ok((select, child))
            }
        }
    }

    /// `parent.k1 = child.k1' AND …` for a foreign-key relation.
    pub fn link_condition(
        &self,
        model: &ModelMeta,
        relation: &RelationMeta,
        parent: &Name,
        child: &Name,
    ) -> Result<Expr> {
        let target = self.schema.model(relation.target)?;
        let pair = relation
            .key_pair()
            .ok_or_else(|| model.invalid(Some(relation.name), "expected a foreign-key relation"))?;
        let mut parts = Vec::with_capacity(pair.parent.len());
        for (p, c) in pair.parent.iter().zip(pair.child) {
            parts.push(model.column(parent, *p)?.eq(target.column(child, *c)?));
        }
        Ok(Expr::and(parts))
    }

    // ----- ordering and cursors ----------------------------------------------------------

    /// The `ORDER BY` terms of `order_by` on `model` under `alias`; joins needed to sort by a
    /// to-one relation's field are added to `select`.
    pub fn order_by(
        &mut self,
        model: &ModelMeta,
        alias: &Name,
        select: &mut Select,
        order_by: Vec<OrderBy>,
    ) -> Result<Vec<Ordering>> {
        let mut out = Vec::with_capacity(order_by.len());
        for term in order_by {
            match term {
                OrderBy::Field {
                    path,
                    field,
                    direction,
                    nulls,
                } => {
                    let mut current = model;
                    let mut current_alias = alias.clone();
                    for hop in &path {
                        let relation = current.relation(*hop)?;
                        if relation.list || matches!(relation.link, Link::Join { .. }) {
                            return Err(current.invalid(
                                Some(relation.name),
                                "only to-one relations can be ordered by",
                            ));
                        }
                        let target = self.schema.model(relation.target)?;
                        let next = self.alias();
                        let on = self.link_condition(current, relation, &current_alias, &next)?;
                        select.joins.push(Join {
                            kind: JoinKind::Left,
                            lateral: false,
                            source: Source::Table(target.table(Some(next.clone()))),
                            on,
                        });
                        current = target;
                        current_alias = next;
                    }
                    let scalar = current.scalar(field)?;
                    check_nulls(current, scalar, nulls)?;
                    out.push(Ordering {
                        term: OrderTerm {
                            expr: Expr::column(current_alias, scalar.column),
                            direction,
                            nulls,
                        },
                        field: path.is_empty().then_some(position(field)),
                    });
                }
                OrderBy::RelationCount { field, direction } => {
                    let relation = model.relation(field)?;
                    if !relation.list {
                        return Err(model.invalid(
                            Some(relation.name),
                            "`_count` ordering needs a to-many relation",
                        ));
                    }
                    let (mut count, _) = self.related(model, relation, alias)?;
                    count.columns.push(Expr::CountAll.into());
                    out.push(Ordering {
                        term: OrderTerm {
                            expr: Expr::Subquery(Box::new(count)),
                            direction,
                            nulls: None,
                        },
                        field: None,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Appends the model's identifier to `order` where it is not already sorted on, so that
    /// the order is total (needed by cursors and by taking from the end).
    pub fn make_total(
        &self,
        model: &ModelMeta,
        alias: &Name,
        order: &mut Vec<Ordering>,
    ) -> Result<()> {
        for field in model.identifier()? {
            if !order.iter().any(|o| o.field == Some(*field)) {
                order.push(Ordering {
                    term: OrderTerm {
                        expr: model.column(alias, *field)?,
                        direction: Direction::Asc,
                        nulls: None,
                    },
                    field: Some(*field),
                });
            }
        }
        Ok(())
    }

    /// The condition "at or after the cursor row in `order`" (or "at or before" when
    /// `backwards`): the cursor row's values are read by subqueries, so a cursor naming no
    /// row matches nothing.
    pub fn cursor(
        &mut self,
        model: &ModelMeta,
        cursor: Filter,
        order: &[Ordering],
        backwards: bool,
    ) -> Result<Expr> {
        let cursor_alias = self.alias();
        let cursor_filter = self.condition(model, &cursor_alias, cursor)?;
        let value_of = |field: u32| -> Result<Expr> {
            let select = Select::new(Source::Table(model.table(Some(cursor_alias.clone()))))
                .column(model.column(&cursor_alias, field)?)
                .filter(cursor_filter.clone())
                .limit(1);
            Ok(Expr::Subquery(Box::new(select)))
        };
        let mut alternatives = Vec::with_capacity(order.len() + 1);
        let mut equal_so_far: Vec<Expr> = Vec::new();
        for o in order {
            let field = o.field.ok_or_else(|| {
                model.invalid(
                    None,
                    "a cursor needs an orderBy on fields of the model itself",
                )
            })?;
            let column = &o.term.expr;
            // The direction the rows are read in from the cursor on.
            let forward = matches!(o.term.direction, Direction::Asc) != backwards;
            let op = if forward { BinaryOp::Gt } else { BinaryOp::Lt };
            let value = value_of(field)?;
            let greater = Expr::Binary(Box::new(column.clone()), op, Box::new(value.clone()));
            let optional = model.scalar_at(field)?.optional;
            let mut alternative = equal_so_far.clone();
            alternative.push(if optional {
                // Strictly after the cursor's value in reading order, where nulls sit first
                // or last (as stated, else the dialect's default for the direction).
                let nulls_first = self.nulls_first(o.term.direction, o.term.nulls) != backwards;
                if nulls_first {
                    Expr::or([
                        Expr::and([value.clone().is_null(), column.clone().is_not_null()]),
                        greater,
                    ])
                } else {
                    Expr::and([
                        value.clone().is_not_null(),
                        Expr::or([greater, column.clone().is_null()]),
                    ])
                }
            } else {
                greater
            });
            alternatives.push(Expr::and(alternative));
            equal_so_far.push(if optional {
                Expr::or([
                    column.clone().eq(value.clone()),
                    Expr::and([column.clone().is_null(), value.is_null()]),
                ])
            } else {
                column.clone().eq(value)
            });
        }
        alternatives.push(Expr::and(equal_so_far));
        Ok(Expr::or(alternatives))
    }
}

impl Builder<'_> {
    /// Whether nulls sort first under `direction` and `nulls`: as stated, else the dialect's
    /// default (PostgreSQL: nulls are larger than any value; SQLite: smaller).
    fn nulls_first(&self, direction: Direction, nulls: Option<crate::query::Nulls>) -> bool {
        match nulls {
            Some(n) => n == crate::query::Nulls::First,
            None => {
                let larger = self.dialect == Dialect::Postgres;
                (direction == Direction::Desc) == larger
            }
        }
    }
}

/// Escapes `%`, `_` and `\` so that a `LIKE … ESCAPE '\'` pattern matches them literally.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Checks `value` against the field's type and converts it where Prisma accepts another type
/// (an `Int` for a `BigInt`, `Float` or `Decimal` field, a `String` for an enum).
pub(crate) fn coerce(model: &ModelMeta, scalar: &ScalarMeta, value: Value) -> Result<Value> {
    let kind = scalar.ty.kind;
    let mismatch = |value: &Value| {
        model.invalid(
            Some(scalar.name),
            format!(
                "expected {}{}, got {}",
                if scalar.list { "a list of " } else { "" },
                kind,
                value.type_name()
            ),
        )
    };
    if scalar.list {
        return match value {
            Value::Null => Ok(Value::Null),
            Value::List(_, items) => {
                let element = ScalarMeta {
                    list: false,
                    ..scalar.clone()
                };
                let items = items
                    .into_iter()
                    .map(|v| coerce(model, &element, v))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Value::List(kind, items))
            }
            other => Err(mismatch(&other)),
        };
    }
    Ok(match (kind, value) {
        (_, Value::Null) => Value::Null,
        (Kind::Boolean, v @ Value::Boolean(_))
        | (Kind::Int, v @ Value::Int(_))
        | (Kind::BigInt, v @ Value::BigInt(_))
        | (Kind::Float, v @ Value::Float(_))
        | (Kind::Decimal, v @ Value::Decimal(_))
        | (Kind::String, v @ Value::String(_))
        | (Kind::DateTime, v @ Value::DateTime(_))
        | (Kind::Json, v @ Value::Json(_))
        | (Kind::Bytes, v @ Value::Bytes(_)) => v,
        (Kind::Enum, Value::Enum(s)) => enum_value(model, scalar, s)?,
        (Kind::Enum, Value::String(s)) => enum_value(model, scalar, Cow::Owned(s))?,
        (Kind::Int, Value::BigInt(i)) => match i32::try_from(i) {
            Ok(i) => Value::Int(i),
            Err(_) => {
                return Err(model.invalid(Some(scalar.name), format!("{i} does not fit an Int")));
            }
        },
        (Kind::BigInt, Value::Int(i)) => Value::BigInt(i64::from(i)),
        (Kind::Float, Value::Int(i)) => Value::Float(f64::from(i)),
        (Kind::Decimal, Value::Int(i)) => Value::Decimal(Decimal::from(i)),
        (Kind::Decimal, Value::BigInt(i)) => Value::Decimal(Decimal::from(i)),
        (Kind::Decimal, Value::Float(f)) => match decimal_from_f64(f) {
            Some(d) => Value::Decimal(d),
            None => {
                return Err(
                    model.invalid(Some(scalar.name), format!("{f} is not a decimal number"))
                );
            }
        },
        (_, other) => return Err(mismatch(&other)),
    })
}

/// An enum value (its database name, as [`Value::Enum`] carries it), checked against the
/// enum's values.
fn enum_value(model: &ModelMeta, scalar: &ScalarMeta, name: Cow<'static, str>) -> Result<Value> {
    let values = scalar.ty.enum_values;
    if values.is_empty() || values.iter().any(|v| v.db_name == name) {
        Ok(Value::Enum(name))
    } else {
        Err(model.invalid(
            Some(scalar.name),
            format!(
                "`{name}` is not a value of enum `{}`",
                scalar.ty.enum_db_name.unwrap_or("")
            ),
        ))
    }
}

/// Fails on a negative `skip`, as Prisma does ("can only be positive"), rather than reading
/// it as no skip.
pub(crate) fn check_skip(model: &ModelMeta, skip: Option<i64>) -> Result<()> {
    match skip {
        Some(n) if n < 0 => Err(model.invalid(None, format!("`skip` cannot be negative ({n})"))),
        _ => Ok(()),
    }
}

/// Fails unless `nulls` is absent or `scalar` is optional: Prisma offers `{ sort, nulls }`
/// only on nullable fields, where there are nulls to place.
pub(crate) fn check_nulls(
    model: &ModelMeta,
    scalar: &ScalarMeta,
    nulls: Option<crate::query::Nulls>,
) -> Result<()> {
    if nulls.is_some() && !scalar.optional {
        return Err(model.invalid(
            Some(scalar.name),
            "`nulls` first/last applies to optional fields only",
        ));
    }
    Ok(())
}

/// The decimal a float prints as (its shortest round-trip form), so `0.1` stays `0.1`.
pub(crate) fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    f.to_string()
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_f64_retain(f))
        .map(|d| d.normalize())
}
