//! The `join` relation load strategy (PostgreSQL): one statement for a read and all its
//! included relations, to any depth.
//!
//! Each included relation becomes a `LEFT JOIN LATERAL` subquery that reads the related rows
//! of the current parent row with their own filter, order and pagination, turns each into a
//! JSON array of its columns (`JSON_BUILD_ARRAY`, nested relations included as further
//! elements) and aggregates them into one JSON array per parent (`JSON_AGG`, to-many) or
//! returns the one row (to-one):
//!
//! ```text
//! SELECT t0.id, t0.email, t1.__data
//! FROM "User" t0
//! LEFT JOIN LATERAL (
//!   SELECT COALESCE(JSON_AGG(t3.__d), '[]') AS __data
//!   FROM (SELECT JSON_BUILD_ARRAY(t2.id, t2.total) AS __d FROM "Order" t2
//!         WHERE t2."userId" = t0.id ORDER BY t2.total DESC LIMIT $1) t3
//! ) t1 ON true
//! ```
//!
//! The JSON comes back decoded per field type into the same [`Records`] shape the `query`
//! strategy produces, so generated decoders do not know which strategy ran. Values JSON
//! cannot carry exactly are read as text: `Decimal` and `Json` columns (so a JSON null stays
//! apart from a database NULL), enums; `Bytes` arrive as PostgreSQL's hex text.
//!
//! One statement saves a round trip per relation level, but PostgreSQL builds and the client
//! parses a JSON text per related row: for many parents with many related rows the `query`
//! strategy (one `= ANY($1)` statement per level) is usually faster. `BENCHMARKS.md` has the
//! figures.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

use super::args::{FindManyArgs, RelationSelection};
use super::build::Builder;
use super::decode::{FastHash, KeyValue, parse_datetime};
use super::meta::{Link, ModelMeta, RelationMeta};
use super::read::{ColumnKind, Rows, distinct_rows, normalize_rows, paginate, plan};
use super::result::{Records, RelationRecords};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::query::{Cast, Expr, Join, JoinKind, Name, Select, SelectItem, Source, Table};
use crate::row::ResultSet;
use crate::sql::Dialect;
use crate::value::{Kind, Value};

/// PostgreSQL functions take at most 100 arguments: wider rows nest their JSON arrays.
const MAX_JSON_ARRAY: usize = 100;

/// The name of the JSON column of a relation's lateral subquery.
const DATA: &str = "__data";

/// How to read back one level of a joined read: its columns, the in-memory work left, and
/// its included relations.
struct Level<'s> {
    model: &'s ModelMeta,
    /// What each plain column holds (the level's JSON rows hold these, then one element per
    /// included relation).
    kinds: Vec<ColumnKind>,
    /// The column names of the level's result set.
    names: Arc<[String]>,
    /// Columns of `distinct`.
    distinct: Vec<usize>,
    /// Pagination left to do in memory (with `distinct`).
    memory: Option<(Option<i64>, Option<i64>)>,
    /// Rows come back reversed (a negative `take`).
    reverse: bool,
    /// Whether the relation leading here is to-many (a JSON array of rows per parent).
    to_many: bool,
    /// Whether each JSON row is split in nested arrays of at most [`MAX_JSON_ARRAY`].
    chunked: bool,
    relations: Vec<Level<'s>>,
}

impl Client {
    /// `findMany` with the `join` strategy: one statement.
    pub(crate) async fn find_many_joined(
        &self,
        model: &ModelMeta,
        args: FindManyArgs,
    ) -> Result<Records> {
        if self.dialect() != Dialect::Postgres {
            return Err(Error::Unsupported {
                feature: "the join relation load strategy".to_owned(),
                dialect: self.dialect(),
            });
        }
        let mut b = Builder::new(self.schema(), self.dialect());
        let (select, level) = build_level(&mut b, model, args)?;
        let sql = self.render(select)?;
        let mut rows = Rows::new(self.query(&sql).await?);
        normalize_rows(model, &level.kinds, &mut rows);
        if let Some((skip, take)) = level.memory {
            let keep = distinct_rows(&rows, &level.distinct, (0..rows.len()).collect());
            rows = rows.select(&paginate(keep, skip, take));
        }
        if level.reverse {
            rows.reverse();
        }
        let width = level.kinds.len();
        let mut relations = Vec::with_capacity(level.relations.len());
        for (k, child) in level.relations.iter().enumerate() {
            let groups = (0..rows.len())
                .map(
                    |i| match rows.row_mut(i).get_mut(width + k).map(std::mem::take) {
                        Some(Value::Json(json)) => Ok(json),
                        Some(Value::Null) | None => Ok(serde_json::Value::Null),
                        Some(other) => Err(decode_error(DATA, "JSON", &other)),
                    },
                )
                .collect::<Result<Vec<_>>>()?;
            relations.push(decode_relation(child, groups)?);
        }
        Ok(Records {
            rows: rows.into_result_set(),
            relations,
        })
    }
}

/// The select of one level (`plan`'s, relations stripped) with a lateral join and a trailing
/// JSON column per included relation.
fn build_level<'s>(
    b: &mut Builder<'s>,
    model: &'s ModelMeta,
    mut args: FindManyArgs,
) -> Result<(Select, Level<'s>)> {
    let relations = std::mem::take(&mut args.selection.relations);
    let (mut select, plan) = plan(b, model, args, None)?;
    let alias = from_alias(&select)?;
    let names = plan
        .kinds
        .iter()
        .map(|k| match k {
            ColumnKind::Scalar(f) => model.scalar_at(*f).map(|s| s.column.to_owned()),
            ColumnKind::Count | ColumnKind::Key => Ok("count".to_owned()),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut level = Level {
        model,
        kinds: plan.kinds,
        names: names.into(),
        distinct: plan.distinct,
        memory: plan.memory,
        reverse: plan.reverse,
        to_many: true,
        chunked: false,
        relations: Vec::with_capacity(relations.len()),
    };
    for RelationSelection { field, args } in relations {
        let relation = model.relation(field)?;
        let target = b.schema.model(relation.target)?;
        let (mut child, mut child_level) = build_level(b, target, args)?;
        child_level.to_many = relation.list;
        let child_alias = from_alias(&child)?;
        link(b, model, relation, &alias, target, &child_alias, &mut child)?;

        // The child's row as one JSON array: its columns, read so that JSON carries them
        // exactly, then its relations' JSON.
        let mut items: Vec<Expr> = Vec::with_capacity(child.columns.len());
        for (i, item) in std::mem::take(&mut child.columns).into_iter().enumerate() {
            items.push(match child_level.kinds.get(i) {
                Some(ColumnKind::Scalar(f)) => json_read(target.scalar_at(*f)?, item.expr),
                _ => item.expr,
            });
        }
        let row = if items.len() > MAX_JSON_ARRAY {
            child_level.chunked = true;
            let mut chunks = Vec::new();
            let mut rest = items.into_iter().peekable();
            while rest.peek().is_some() {
                chunks.push(Expr::JsonArray(
                    rest.by_ref().take(MAX_JSON_ARRAY).collect(),
                ));
            }
            Expr::JsonArray(chunks)
        } else {
            Expr::JsonArray(items)
        };
        let lateral = if relation.list {
            child.columns = vec![SelectItem {
                expr: row,
                alias: Some(Name::Borrowed("__d")),
            }];
            let rows = b.alias();
            Select::new(Source::Subquery(Box::new(child), rows.clone())).column_as(
                Expr::JsonAgg(Box::new(Expr::column(rows, "__d"))),
                Name::Borrowed(DATA),
            )
        } else {
            child.columns = vec![SelectItem {
                expr: row,
                alias: Some(Name::Borrowed(DATA)),
            }];
            child
        };
        let lateral_alias = b.alias();
        select.joins.push(Join {
            kind: JoinKind::Left,
            lateral: true,
            source: Source::Subquery(Box::new(lateral), lateral_alias.clone()),
            on: Expr::True,
        });
        select
            .columns
            .push(Expr::column(lateral_alias, Name::Borrowed(DATA)).into());
        level.relations.push(child_level);
    }
    Ok((select, level))
}

/// The alias of the table a level's select reads.
fn from_alias(select: &Select) -> Result<Name> {
    match &select.from {
        Source::Table(Table {
            alias: Some(alias), ..
        }) => Ok(alias.clone()),
        _ => Err(Error::InvalidQuery {
            model: String::new(),
            field: None,
            message: "a joined read needs an aliased table".to_owned(),
        }),
    }
}

/// Restricts `child` (rows of `target` under `child_alias`) to the records related to the
/// parent row `parent_alias` of `model` through `relation`.
fn link(
    b: &mut Builder<'_>,
    model: &ModelMeta,
    relation: &RelationMeta,
    parent_alias: &Name,
    target: &ModelMeta,
    child_alias: &Name,
    child: &mut Select,
) -> Result<()> {
    match &relation.link {
        Link::Forward { .. } | Link::Back { .. } => {
            let condition = b.link_condition(model, relation, parent_alias, child_alias)?;
            child.and_filter(condition);
        }
        Link::Join {
            table,
            db_schema,
            this_column,
            other_column,
            this_key,
            target_key,
        } => {
            let join_alias = b.alias();
            child.joins.push(Join {
                kind: JoinKind::Inner,
                lateral: false,
                source: Source::Table(Table {
                    schema: db_schema.map(Cow::Borrowed),
                    name: Cow::Borrowed(table),
                    alias: Some(join_alias.clone()),
                }),
                on: Expr::column(join_alias.clone(), *other_column)
                    .eq(target.column(child_alias, *target_key)?),
            });
            child.and_filter(
                Expr::column(join_alias, *this_column).eq(model.column(parent_alias, *this_key)?),
            );
        }
    }
    Ok(())
}

/// A column as it goes into JSON: as text where JSON would lose something.
fn json_read(scalar: &super::meta::ScalarMeta, expr: Expr) -> Expr {
    match scalar.ty.kind {
        // Enums are read as text already.
        Kind::Decimal | Kind::Json if scalar.list => {
            expr.cast(Cast::EnumArray(Cow::Borrowed("text")))
        }
        Kind::Decimal | Kind::Json => expr.cast(Cast::Text),
        _ => expr,
    }
}

/// The records of one relation from its JSON, one value per parent row (in parent order):
/// an array of rows (to-many), a row or null (to-one).
fn decode_relation(level: &Level<'_>, groups: Vec<serde_json::Value>) -> Result<RelationRecords> {
    let width = level.kinds.len();
    let nested_count = level.relations.len();
    let mut values: Vec<Value> = Vec::new();
    let mut nested: Vec<Vec<serde_json::Value>> = vec![Vec::new(); nested_count];
    let mut offsets = Vec::with_capacity(groups.len() + 1);
    offsets.push(0);
    let mut count = 0;
    for group in groups {
        let json_rows = match group {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(rows) if level.to_many => rows,
            row @ serde_json::Value::Array(_) => vec![row],
            other => return Err(json_error(DATA, "an array", &other)),
        };
        let mut rows = Vec::with_capacity(json_rows.len());
        for json in json_rows {
            rows.push(split_row(level, json, width, nested_count)?);
        }
        if let Some((skip, take)) = level.memory {
            let mut seen: HashSet<Vec<KeyValue<'_>>, FastHash> = HashSet::default();
            let keep: Vec<usize> = (0..rows.len())
                .filter(|&i| {
                    level.distinct.is_empty()
                        || seen.insert(
                            level
                                .distinct
                                .iter()
                                .map(|c| KeyValue(&rows[i].0[*c]))
                                .collect(),
                        )
                })
                .collect();
            let keep = paginate(keep, skip, take);
            drop(seen);
            let mut slots: Vec<Option<_>> = rows.into_iter().map(Some).collect();
            rows = keep.into_iter().filter_map(|i| slots[i].take()).collect();
        }
        if level.reverse {
            rows.reverse();
        }
        for (row, relations) in rows {
            values.extend(row);
            for (k, json) in relations.into_iter().enumerate() {
                nested[k].push(json);
            }
            count += 1;
        }
        offsets.push(count);
    }
    let mut relations = Vec::with_capacity(nested_count);
    for (child, groups) in level.relations.iter().zip(nested) {
        relations.push(decode_relation(child, groups)?);
    }
    Ok(RelationRecords {
        records: Records {
            rows: ResultSet::from_parts(Arc::clone(&level.names), values),
            relations,
        },
        offsets,
    })
}

type SplitRow = (Vec<Value>, Vec<serde_json::Value>);

/// One JSON row: its column values, decoded, and its relations' JSON.
fn split_row(
    level: &Level<'_>,
    json: serde_json::Value,
    width: usize,
    nested: usize,
) -> Result<SplitRow> {
    let serde_json::Value::Array(items) = json else {
        return Err(json_error(DATA, "an array", &json));
    };
    let items: Vec<serde_json::Value> = if level.chunked {
        let mut flat = Vec::with_capacity(width + nested);
        for chunk in items {
            match chunk {
                serde_json::Value::Array(part) => flat.extend(part),
                other => return Err(json_error(DATA, "an array", &other)),
            }
        }
        flat
    } else {
        items
    };
    if items.len() != width + nested {
        return Err(Error::Decode {
            column: DATA.to_owned(),
            expected: format!("{} values", width + nested),
            actual: format!("{} values", items.len()),
        });
    }
    let mut items = items.into_iter();
    let mut row = Vec::with_capacity(width);
    for (i, kind) in level.kinds.iter().enumerate() {
        let json = items.next().unwrap_or(serde_json::Value::Null);
        row.push(match kind {
            ColumnKind::Scalar(f) => {
                let scalar = level.model.scalar_at(*f)?;
                json_value(scalar.column, scalar.ty.kind, scalar.list, json)?
            }
            ColumnKind::Count | ColumnKind::Key => {
                json_value(&level.names[i], Kind::BigInt, false, json)?
            }
        });
    }
    Ok((row, items.collect()))
}

/// A JSON value read for a column of type `kind` as the value the `query` strategy reads.
fn json_value(column: &str, kind: Kind, list: bool, json: serde_json::Value) -> Result<Value> {
    use serde_json::Value as J;
    if list {
        return match json {
            J::Null => Ok(Value::Null),
            J::Array(items) => Ok(Value::List(
                kind,
                items
                    .into_iter()
                    .map(|j| json_value(column, kind, false, j))
                    .collect::<Result<_>>()?,
            )),
            other => Err(json_error(column, "an array", &other)),
        };
    }
    let mismatch = |j: &J| json_error(column, kind.as_str(), j);
    Ok(match (kind, json) {
        (_, J::Null) => Value::Null,
        (Kind::String, J::String(s)) => Value::String(s),
        (Kind::Enum, J::String(s)) => Value::Enum(Cow::Owned(s)),
        (Kind::Boolean, J::Bool(v)) => Value::Boolean(v),
        (Kind::Int, J::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(Value::Int)
            .ok_or_else(|| mismatch(&J::Number(n)))?,
        (Kind::BigInt, J::Number(n)) => n
            .as_i64()
            .map(Value::BigInt)
            .ok_or_else(|| mismatch(&J::Number(n)))?,
        (Kind::Float, J::Number(n)) => n
            .as_f64()
            .map(Value::Float)
            .ok_or_else(|| mismatch(&J::Number(n)))?,
        (Kind::Float, J::String(s)) => match s.as_str() {
            "NaN" => Value::Float(f64::NAN),
            "Infinity" => Value::Float(f64::INFINITY),
            "-Infinity" => Value::Float(f64::NEG_INFINITY),
            _ => return Err(mismatch(&J::String(s))),
        },
        (Kind::Decimal, J::String(s)) => match s.parse::<Decimal>() {
            Ok(d) => Value::Decimal(d.normalize()),
            Err(_) => return Err(mismatch(&J::String(s))),
        },
        (Kind::DateTime, J::String(s)) => match parse_json_datetime(&s) {
            Some(d) => Value::DateTime(d),
            None => return Err(mismatch(&J::String(s))),
        },
        (Kind::Json, J::String(s)) => match serde_json::from_str(&s) {
            Ok(j) => Value::Json(j),
            Err(_) => return Err(mismatch(&J::String(s))),
        },
        (Kind::Bytes, J::String(s)) => match decode_hex_bytea(&s) {
            Some(bytes) => Value::Bytes(bytes),
            None => return Err(mismatch(&J::String(s))),
        },
        (_, other) => return Err(mismatch(&other)),
    })
}

/// A date-time as PostgreSQL writes it into JSON: a timestamp (with or without offset), or,
/// for `@db.Date` and `@db.Time` columns, a date (midnight UTC) or a time (on 1970-01-01).
fn parse_json_datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    parse_datetime(s)
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        })
        .or_else(|| {
            NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
                .ok()
                .map(|t| NaiveDate::default().and_time(t).and_utc())
        })
}

/// `bytea` in PostgreSQL's hex output format (`\x0a0b`), as `to_json` writes it.
fn decode_hex_bytea(s: &str) -> Option<Vec<u8>> {
    let hex = s.strip_prefix("\\x")?.as_bytes();
    if hex.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
    hex.chunks(2)
        .map(|pair| Some(digit(pair[0])? * 16 + digit(pair[1])?))
        .collect()
}

fn json_error(column: &str, expected: &str, actual: &serde_json::Value) -> Error {
    let actual = match actual {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    };
    Error::Decode {
        column: column.to_owned(),
        expected: expected.to_owned(),
        actual: actual.to_owned(),
    }
}

fn decode_error(column: &str, expected: &str, actual: &Value) -> Error {
    Error::Decode {
        column: column.to_owned(),
        expected: expected.to_owned(),
        actual: actual.type_name().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_decode_per_field_type() {
        let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        let v = |kind, s: &str| json_value("c", kind, false, j(s)).unwrap();
        assert_eq!(v(Kind::Int, "7"), Value::Int(7));
        assert_eq!(
            v(Kind::BigInt, "9007199254740993"),
            Value::BigInt(9_007_199_254_740_993)
        );
        assert_eq!(
            v(Kind::Decimal, r#""15.00""#),
            Value::Decimal(Decimal::from(15))
        );
        assert_eq!(
            v(Kind::Json, r#""null""#),
            Value::Json(serde_json::Value::Null)
        );
        assert_eq!(v(Kind::Json, "null"), Value::Null);
        assert_eq!(v(Kind::Bytes, r#""\\x0aff""#), Value::Bytes(vec![10, 255]));
        assert!(matches!(v(Kind::Float, r#""NaN""#), Value::Float(f) if f.is_nan()));
        assert_eq!(
            v(Kind::DateTime, r#""2026-01-02T03:04:05.678""#),
            v(Kind::DateTime, r#""2026-01-02T03:04:05.678+00:00""#)
        );
        assert_eq!(
            v(Kind::DateTime, r#""2026-01-02""#),
            v(Kind::DateTime, r#""2026-01-02T00:00:00Z""#)
        );
        assert_eq!(
            json_value("c", Kind::String, true, j(r#"["a","b"]"#)).unwrap(),
            Value::List(Kind::String, vec!["a".into(), "b".into()])
        );
        let err = json_value("c", Kind::Int, false, j(r#""x""#)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot decode column `c`: expected Int, found a string"
        );
        assert!(decode_hex_bytea("\\x0").is_none());
        assert!(decode_hex_bytea("0a").is_none());
    }
}
