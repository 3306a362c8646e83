//! Statements kept by shape: point reads and one-record creates and updates skip planning and
//! rendering once their shape has run.
//!
//! A service's most frequent queries are a read by equality (`findUnique` by id or another
//! unique field, `findFirst` on a few fields, scalars only), and a `create` or an `update` of
//! one record. Their SQL depends on the query's *shape* (model, the fields compared or
//! written, the selection, the ordering and `take`), never on the values. The first statement
//! of a shape is planned and rendered as usual; its text and column kinds are kept, keyed by
//! the shape. A later statement of the same shape binds its values into that text directly,
//! which skips building, rendering and dropping the statement tree: about a fifth of a point
//! read's instructions on either backend.
//!
//! Only shapes whose statement is known to be value-independent qualify:
//!
//! - reads: conjunctions of `equals` on non-null values of the types whose binding passes them
//!   through unchanged (not enums, which are checked against the schema, nor JSON, lists or
//!   nulls, which render differently), no `cursor`, `skip`, `distinct`, relation ordering or
//!   included relations, and a positive `take`;
//! - creates: scalars only, no relation counts or included relations; which fields are
//!   written, and which of them are null, are the shape (a value's binding depends on its field
//!   and on whether it is null, both checked when the values were made);
//! - updates of one record: `set` and the arithmetic operations with values as a point read
//!   compares (or a null `set`), no nested writes, a point read's filter.
//!
//! A first statement also checks that the rendered parameters are exactly the values, in
//! order, followed by values fixed by the shape (a read's `LIMIT`); if not, the shape is not
//! kept.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, PoisonError, RwLock};

use super::args::{FindManyArgs, OrderBy, QueryMode, ScalarFilter, ScalarOp, UpdateOp};
use super::decode::FastHash;
use super::read::ColumnKind;
use crate::engine::{FieldId, Filter, ModelId};
use crate::query::{Direction, Nulls};
use crate::sql::Sql;
use crate::value::Value;

/// How many shapes a client keeps; later shapes are planned every time. A program has about as
/// many shapes as it has call sites, so this bound is for programs that build queries
/// dynamically.
const CAPACITY: usize = 1024;

/// The longest shape kept, in tokens: about one per selected field, two per compared field,
/// three per update operation, one per sixteen fields of a create (a read or create of a
/// 100-field model fits).
const MAX_TOKENS: usize = 128;

/// The statements of the shapes one client has run.
#[derive(Default)]
pub(crate) struct Shapes {
    plans: RwLock<HashMap<u64, Arc<KnownStatement>, FastHash>>,
    hasher: FastHash,
}

/// What a shape's first statement produced: everything a later one of the shape needs.
pub(crate) struct KnownStatement {
    shape: Box<[u32]>,
    text: String,
    /// Parameters after the values, fixed by the shape (a read's `LIMIT`).
    tail: Vec<Value>,
    /// What each column holds, for normalising the rows.
    pub(crate) kinds: Vec<ColumnKind>,
}

impl KnownStatement {
    /// The statement for `values` (in the order the shape's first statement had them).
    pub(crate) fn sql(&self, mut values: Vec<Value>) -> Sql {
        values.extend(self.tail.iter().cloned());
        Sql {
            text: self.text.clone(),
            params: values,
        }
    }
}

/// A statement's shape, before its statement is known.
pub(crate) struct Shape {
    tokens: [u32; MAX_TOKENS],
    len: usize,
    hash: u64,
}

impl Shape {
    fn tokens(&self) -> &[u32] {
        &self.tokens[..self.len]
    }
}

impl Shapes {
    /// The shape of read `args` on `model`, if it is a point read.
    pub(crate) fn read(&self, model: ModelId, args: &FindManyArgs) -> Option<Shape> {
        let mut w = Tokens::new(READ, model)?;
        if args.cursor.is_some()
            || args.skip.is_some()
            || !args.distinct.is_empty()
            || !args.selection.counts.is_empty()
            || !args.selection.relations.is_empty()
        {
            return None;
        }
        match args.take {
            None => w.push(0)?,
            Some(take) if take > 0 => {
                w.push(1)?;
                w.push_i64(take)?;
            }
            Some(_) => return None,
        }
        w.push(u32::try_from(args.selection.scalars.len()).ok()?)?;
        for field in &args.selection.scalars {
            w.field(*field)?;
        }
        for order in &args.order_by {
            let OrderBy::Field {
                path,
                field,
                direction,
                nulls,
            } = order
            else {
                return None;
            };
            if !path.is_empty() {
                return None;
            }
            w.push(2)?;
            w.field(*field)?;
            w.push(match direction {
                Direction::Asc => 0,
                Direction::Desc => 1,
            })?;
            w.push(match nulls {
                None => 0,
                Some(Nulls::First) => 1,
                Some(Nulls::Last) => 2,
            })?;
        }
        w.filter(&args.filter)?;
        Some(w.finish(&self.hasher))
    }

    /// The shape of a one-row create on `model` writing `values` (one per field, `None` where
    /// the field is not written) and returning the scalars `selection`.
    pub(crate) fn create(
        &self,
        model: ModelId,
        values: &[Option<Value>],
        selection: &[FieldId],
    ) -> Option<Shape> {
        let mut w = Tokens::new(CREATE, model)?;
        w.push(u32::try_from(values.len()).ok()?)?;
        // Two bits per field (not written, null, a value), sixteen fields a token.
        for fields in values.chunks(16) {
            let token = fields.iter().enumerate().fold(0, |token, (i, value)| {
                let state = match value {
                    None => 0,
                    Some(Value::Null) => 1,
                    Some(_) => 2,
                };
                token | state << (2 * i)
            });
            w.push(token)?;
        }
        w.push(u32::try_from(selection.len()).ok()?)?;
        for field in selection {
            w.field(*field)?;
        }
        Some(w.finish(&self.hasher))
    }

    /// The shape of a one-record update on `model` (no nested writes, at least one change):
    /// the operations with their fields and the types of their values, the unique filter (as
    /// a point read's) and the returned scalars `selection`. Which `@updatedAt` fields are
    /// bumped follows from the model and the operations.
    pub(crate) fn update(
        &self,
        model: ModelId,
        ops: &[(FieldId, UpdateOp)],
        filter: &Filter,
        selection: &[FieldId],
    ) -> Option<Shape> {
        let mut w = Tokens::new(UPDATE, model)?;
        w.push(u32::try_from(ops.len()).ok()?)?;
        for (field, op) in ops {
            let (tag, value) = match op {
                UpdateOp::Set(v) => (1, v),
                UpdateOp::Increment(v) => (2, v),
                UpdateOp::Decrement(v) => (3, v),
                UpdateOp::Multiply(v) => (4, v),
                UpdateOp::Divide(v) => (5, v),
                UpdateOp::Push(_) => return None,
            };
            w.push(tag)?;
            w.field(*field)?;
            w.push(match value {
                Value::Null => 9,
                value => value_tag(value)?,
            })?;
        }
        w.filter(filter)?;
        w.push(u32::try_from(selection.len()).ok()?)?;
        for field in selection {
            w.field(*field)?;
        }
        Some(w.finish(&self.hasher))
    }

    /// The statement of `shape`, when one of that shape has run before.
    pub(crate) fn get(&self, shape: &Shape) -> Option<Arc<KnownStatement>> {
        let plans = self.plans.read().unwrap_or_else(PoisonError::into_inner);
        let plan = plans.get(&shape.hash)?;
        (*plan.shape == *shape.tokens()).then(|| Arc::clone(plan))
    }

    /// Keeps what the first statement of `shape` rendered, if its parameters are `values` (in
    /// order) followed by values that the shape fixes. `ordered` says the values are in the
    /// statement's order by construction (an insert's `VALUES` list); otherwise (a filter)
    /// equal values could have changed places unnoticed, so a statement with repeated values
    /// is no evidence for its shape.
    pub(crate) fn remember(
        &self,
        shape: &Shape,
        sql: &Sql,
        values: &[Value],
        kinds: &[ColumnKind],
        ordered: bool,
    ) {
        let Some(tail) = sql.params.strip_prefix(values) else {
            return;
        };
        // A tail parameter equal to a value might be a copy of it, whose place a later
        // statement with other values would get wrong. The next statement will be evidence.
        let repeated =
            |i: usize, v: &Value| tail.contains(v) || (!ordered && values[..i].contains(v));
        if values.iter().enumerate().any(|(i, v)| repeated(i, v)) {
            return;
        }
        let mut plans = self.plans.write().unwrap_or_else(PoisonError::into_inner);
        if plans.len() >= CAPACITY {
            return;
        }
        plans.insert(
            shape.hash,
            Arc::new(KnownStatement {
                shape: shape.tokens().into(),
                text: sql.text.clone(),
                tail: tail.to_vec(),
                kinds: kinds.to_vec(),
            }),
        );
    }
}

/// The compared values of a point-read filter, cloned, in order.
pub(crate) fn filter_values(filter: &Filter) -> Vec<Value> {
    let mut out = Vec::new();
    visit(filter, &mut |v| out.push(v.clone()));
    out
}

/// The compared values of a point-read filter, moved out, in order.
pub(crate) fn take_filter_values(filter: Filter) -> Vec<Value> {
    fn take(filter: Filter, out: &mut Vec<Value>) {
        match filter {
            Filter::And(items) => items.into_iter().for_each(|f| take(f, out)),
            Filter::Scalar(ScalarFilter {
                op: ScalarOp::Equals(v),
                ..
            }) => out.push(v),
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(2);
    take(filter, &mut out);
    out
}

fn visit(filter: &Filter, f: &mut impl FnMut(&Value)) {
    match filter {
        Filter::And(items) => items.iter().for_each(|i| visit(i, f)),
        Filter::Scalar(ScalarFilter {
            op: ScalarOp::Equals(v),
            ..
        }) => f(v),
        _ => {}
    }
}

/// A shape being written.
struct Tokens {
    tokens: [u32; MAX_TOKENS],
    len: usize,
}

/// The first token of a shape: which kind of statement it is.
const READ: u32 = 1;
const CREATE: u32 = 2;
const UPDATE: u32 = 3;

impl Tokens {
    fn new(kind: u32, model: ModelId) -> Option<Tokens> {
        let mut w = Tokens {
            tokens: [0; MAX_TOKENS],
            len: 0,
        };
        w.push(kind)?;
        w.push(u32::try_from(model.index()).ok()?)?;
        Some(w)
    }

    fn finish(self, hasher: &FastHash) -> Shape {
        Shape {
            hash: hasher.hash_one(&self.tokens[..self.len]),
            tokens: self.tokens,
            len: self.len,
        }
    }

    fn push(&mut self, token: u32) -> Option<()> {
        *self.tokens.get_mut(self.len)? = token;
        self.len += 1;
        Some(())
    }

    fn push_i64(&mut self, n: i64) -> Option<()> {
        let bits = n.cast_unsigned();
        #[allow(clippy::cast_possible_truncation)]
        self.push(bits as u32)?;
        self.push(u32::try_from(bits >> 32).ok()?)
    }

    /// One token per field: the model's and the field's positions, 16 bits each.
    fn field(&mut self, field: FieldId) -> Option<()> {
        let model = u16::try_from(field.model.index()).ok()?;
        let index = u16::try_from(field.index()).ok()?;
        self.push(u32::from(model) << 16 | u32::from(index))
    }

    /// Conjunctions of `equals` on values whose binding is value-independent.
    fn filter(&mut self, filter: &Filter) -> Option<()> {
        match filter {
            Filter::Empty => self.push(3),
            Filter::And(items) => {
                self.push(4)?;
                for item in items {
                    self.filter(item)?;
                }
                self.push(5)
            }
            Filter::Scalar(ScalarFilter {
                field,
                op: ScalarOp::Equals(value),
                mode: QueryMode::Default,
            }) => {
                self.push(value_tag(value)?)?;
                self.field(*field)
            }
            _ => None,
        }
    }
}

/// The type of a value whose binding is value-independent; `None` for the others (null,
/// enums, JSON, lists).
fn value_tag(value: &Value) -> Option<u32> {
    Some(match value {
        Value::Boolean(_) => 10,
        Value::Int(_) => 11,
        Value::BigInt(_) => 12,
        Value::Float(_) => 13,
        Value::Decimal(_) => 14,
        Value::String(_) => 15,
        Value::DateTime(_) => 16,
        Value::Bytes(_) => 17,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Selection;

    const USER: ModelId = ModelId::new(0);
    const ID: FieldId = FieldId::new(USER, 0);
    const EMAIL: FieldId = FieldId::new(USER, 1);

    fn by(filter: Filter) -> FindManyArgs {
        FindManyArgs {
            filter,
            take: Some(1),
            selection: Selection::scalars(vec![ID, EMAIL]),
            ..FindManyArgs::default()
        }
    }

    fn sql(text: &str, params: Vec<Value>) -> Sql {
        Sql {
            text: text.to_owned(),
            params,
        }
    }

    #[test]
    fn a_shape_is_its_fields_not_its_values() {
        let reads = Shapes::default();
        let one = reads.read(USER, &by(Filter::equals(ID, 1))).unwrap();
        let two = reads.read(USER, &by(Filter::equals(ID, 2))).unwrap();
        assert_eq!((one.tokens(), one.hash), (two.tokens(), two.hash));
        let email = reads.read(USER, &by(Filter::equals(EMAIL, "a"))).unwrap();
        assert_ne!(one.tokens(), email.tokens());
        // The value's type is part of the shape: binding an `Int` to a `BigInt` field converts it.
        let big = reads.read(USER, &by(Filter::equals(ID, 1_i64))).unwrap();
        assert_ne!(one.tokens(), big.tokens());
        let mut ten = by(Filter::equals(ID, 1));
        ten.take = Some(10);
        assert_ne!(one.tokens(), reads.read(USER, &ten).unwrap().tokens());
    }

    #[test]
    fn only_value_independent_reads_have_a_shape() {
        let reads = Shapes::default();
        let ineligible = [
            by(Filter::equals(ID, Value::Null)),
            by(Filter::equals(ID, Value::Enum("ADMIN".into()))),
            by(Filter::scalar(ID, ScalarOp::Lt(Value::Int(3)))),
            by(Filter::scalar_with_mode(
                EMAIL,
                ScalarOp::Equals("a".into()),
                QueryMode::Insensitive,
            )),
            by(Filter::or([Filter::equals(ID, 1)])),
            FindManyArgs {
                take: Some(-1),
                ..by(Filter::equals(ID, 1))
            },
            FindManyArgs {
                skip: Some(1),
                ..by(Filter::equals(ID, 1))
            },
            FindManyArgs {
                cursor: Some(Filter::equals(ID, 1)),
                ..by(Filter::Empty)
            },
        ];
        for args in &ineligible {
            assert!(reads.read(USER, args).is_none(), "{args:?}");
        }
        let compound = by(Filter::and([
            Filter::equals(ID, 1),
            Filter::equals(EMAIL, "a"),
        ]));
        assert!(reads.read(USER, &compound).is_some());
    }

    #[test]
    fn a_remembered_shape_binds_the_next_values_in_order() {
        let reads = Shapes::default();
        let first = by(Filter::and([
            Filter::equals(ID, 1),
            Filter::equals(EMAIL, "a"),
        ]));
        let shape = reads.read(USER, &first).unwrap();
        assert!(reads.get(&shape).is_none());
        let values = filter_values(&first.filter);
        let rendered = sql("SELECT … WHERE id = ?1 AND email = ?2 LIMIT ?3", {
            let mut p = values.clone();
            p.push(Value::BigInt(1));
            p
        });
        reads.remember(&shape, &rendered, &values, &[], false);
        let plan = reads.get(&shape).expect("remembered");
        let next = by(Filter::and([
            Filter::equals(ID, 7),
            Filter::equals(EMAIL, "b"),
        ]));
        let bound = plan.sql(take_filter_values(next.filter));
        assert_eq!(bound.text, rendered.text);
        assert_eq!(
            bound.params,
            [Value::Int(7), Value::from("b"), Value::BigInt(1)]
        );
    }

    #[test]
    fn reads_that_prove_nothing_are_not_remembered() {
        let reads = Shapes::default();
        let args = by(Filter::and([
            Filter::equals(ID, 1),
            Filter::equals(EMAIL, "a"),
        ]));
        let shape = reads.read(USER, &args).unwrap();
        let values = filter_values(&args.filter);
        // The engine converted a value: the parameters are not the values.
        reads.remember(
            &shape,
            &sql("…", vec![Value::BigInt(1), "a".into()]),
            &values,
            &[],
            false,
        );
        // A tail parameter equal to a value.
        reads.remember(
            &shape,
            &sql("…", vec![Value::Int(1), "a".into(), Value::Int(1)]),
            &values,
            &[],
            false,
        );
        assert!(reads.get(&shape).is_none());
        // Equal values could be in each other's places.
        let same = by(Filter::and([Filter::equals(ID, 1), Filter::equals(ID, 1)]));
        let shape = reads.read(USER, &same).unwrap();
        let values = filter_values(&same.filter);
        reads.remember(&shape, &sql("…", values.clone()), &values, &[], false);
        assert!(reads.get(&shape).is_none());
    }

    #[test]
    fn a_create_shape_is_which_fields_are_written_and_which_are_null() {
        let shapes = Shapes::default();
        let written = [Some(Value::Int(1)), Some(Value::from("a")), None];
        let shape = shapes.create(USER, &written, &[ID, EMAIL]).unwrap();
        let other = [Some(Value::Int(2)), Some(Value::from("b")), None];
        assert_eq!(
            shape.tokens(),
            shapes.create(USER, &other, &[ID, EMAIL]).unwrap().tokens()
        );
        let null = [Some(Value::Int(2)), Some(Value::Null), None];
        let absent = [Some(Value::Int(2)), None, None];
        for different in [&null, &absent] {
            let s = shapes.create(USER, different, &[ID, EMAIL]).unwrap();
            assert_ne!(shape.tokens(), s.tokens());
        }
        assert_ne!(
            shape.tokens(),
            shapes.create(USER, &written, &[ID]).unwrap().tokens()
        );
        // A read and a create never share a shape.
        assert_ne!(
            shape.tokens(),
            shapes.read(USER, &by(Filter::Empty)).unwrap().tokens()
        );
    }

    #[test]
    fn equal_values_in_a_create_are_evidence() {
        let shapes = Shapes::default();
        let at = Value::DateTime(chrono::DateTime::UNIX_EPOCH);
        let written = [Some(at.clone()), Some(at.clone())];
        let shape = shapes.create(USER, &written, &[]).unwrap();
        let values = [at.clone(), at];
        shapes.remember(
            &shape,
            &sql("INSERT …", values.to_vec()),
            &values,
            &[],
            false,
        );
        assert!(
            shapes.get(&shape).is_none(),
            "a filter's equal values prove nothing"
        );
        shapes.remember(
            &shape,
            &sql("INSERT …", values.to_vec()),
            &values,
            &[],
            true,
        );
        assert!(
            shapes.get(&shape).is_some(),
            "an insert's values are in order"
        );
    }

    #[test]
    fn an_update_shape_is_its_operations_filter_and_selection() {
        let shapes = Shapes::default();
        let ops = |v: Value| {
            vec![
                (EMAIL, UpdateOp::Set(v)),
                (ID, UpdateOp::Increment(1.into())),
            ]
        };
        let by_id = |id: i32| Filter::equals(ID, id);
        let shape = shapes
            .update(USER, &ops("a".into()), &by_id(1), &[ID])
            .unwrap();
        let same = shapes
            .update(USER, &ops("b".into()), &by_id(2), &[ID])
            .unwrap();
        assert_eq!(shape.tokens(), same.tokens());
        let null = shapes
            .update(USER, &ops(Value::Null), &by_id(2), &[ID])
            .unwrap();
        assert_ne!(shape.tokens(), null.tokens());
        let by_email = shapes.update(USER, &ops("b".into()), &Filter::equals(EMAIL, "a"), &[ID]);
        assert_ne!(shape.tokens(), by_email.unwrap().tokens());
        let push = [(EMAIL, UpdateOp::Push("a".into()))];
        assert!(shapes.update(USER, &push, &by_id(1), &[ID]).is_none());
        let json = ops(Value::Json(serde_json::json!({})));
        assert!(shapes.update(USER, &json, &by_id(1), &[ID]).is_none());
    }

    #[test]
    fn wide_models_have_shapes() {
        let shapes = Shapes::default();
        let fields: Vec<FieldId> = (0..100).map(|i| FieldId::new(USER, i)).collect();
        let key = Filter::and((0..4).map(|i| Filter::equals(fields[i], 1)));
        let read = FindManyArgs {
            filter: key,
            take: Some(1),
            selection: Selection::scalars(fields.clone()),
            ..FindManyArgs::default()
        };
        assert!(shapes.read(USER, &read).is_some());
        let values: Vec<Option<Value>> = (0..100)
            .map(|i| (i % 3 > 0).then_some(Value::Int(i)))
            .collect();
        let shape = shapes.create(USER, &values, &fields).unwrap();
        // The seventeenth field's state is in the second token of field states.
        let mut other = values.clone();
        other[16] = Some(Value::Null);
        assert_ne!(
            shape.tokens(),
            shapes.create(USER, &other, &fields).unwrap().tokens()
        );
    }
}
