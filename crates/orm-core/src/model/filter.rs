//! Typed filters and orderings: [`Where`], [`UniqueWhere`], [`OrderBy`], [`TextFilter`],
//! [`JsonPathFilter`].

use std::fmt;
use std::marker::PhantomData;

use crate::engine::{
    self, FieldId, Filter, JsonFilter, JsonOp, JsonPath, QueryMode, RelationFilter, ScalarOp,
};
use crate::query::{Direction, Nulls};
use crate::value::Value;

/// A condition on the records of model `M`: one entry of Prisma's `where`. Built by the
/// generated field modules (`user::email::contains("@b.co")`) and combined with the model
/// module's `and`, `or` and `not` (or [`Where::and`], …). A `Vec<Where<M>>` means all of them
/// (`AND`); an empty one matches every record.
pub type Where<M> = Condition<M, condition::Plain>;

/// A condition that names at most one record of model `M`: Prisma's `WhereUniqueInput`.
/// Only the `equals` of an `@id` or `@unique` field (`user::email::equals(..)`) and of an
/// `@@id` or `@@unique` (`post::author_id_slug::equals(..)`) produce one; it converts into
/// a [`Where`]. More conditions can be added with [`UniqueWhere::and`]:
/// `user::email::equals(x).and([user::active::equals(true)])`.
pub type UniqueWhere<M> = Condition<M, condition::Unique>;

/// A condition on the records of model `M`; `K` says whether it names at most one record
/// ([`UniqueWhere`], `K` = [`condition::Unique`]) or any number ([`Where`], `K` =
/// [`condition::Plain`]). Use it through those two names.
///
/// One type with a marker rather than two types, so that the `equals` of a unique field can
/// return `Condition<M, K>` for either `K`: its type is then known up to the marker, and
/// both `vec![user::email::equals(x), user::name::contains(y)]` (a [`Where`]) and
/// `user::email::equals(x).and([…])` (a [`UniqueWhere`], the only one with that method)
/// compile without an annotation. A function generic over its whole return type, as `equals`
/// was, cannot take a method call without one. (This rests on `Where`'s `and` being an
/// associated function, not a method: a method `and` on both kinds would be ambiguous.)
pub struct Condition<M, K = condition::Plain> {
    pub(crate) inner: Filter,
    pub(crate) _model: PhantomData<fn() -> (M, K)>,
}

/// The markers of [`Condition`]: whether a condition names at most one record.
pub mod condition {
    /// Any number of records: a [`Where`](super::Where).
    #[derive(Debug)]
    pub enum Plain {}

    /// At most one record: a [`UniqueWhere`](super::UniqueWhere).
    #[derive(Debug)]
    pub enum Unique {}

    /// [`Plain`] or [`Unique`] (sealed).
    pub trait Kind: sealed::Sealed {}
    impl Kind for Plain {}
    impl Kind for Unique {}

    mod sealed {
        pub trait Sealed {}
        impl Sealed for super::Plain {}
        impl Sealed for super::Unique {}
    }
}

impl<M, K> Clone for Condition<M, K> {
    fn clone(&self) -> Self {
        Condition {
            inner: self.inner.clone(),
            _model: PhantomData,
        }
    }
}

impl<M, K> PartialEq for Condition<M, K> {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl<M, K> fmt::Debug for Condition<M, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl<M, K: condition::Kind> Condition<M, K> {
    /// `field = value` on a unique field, as either kind of condition (generated code: the
    /// `equals` of an `@id` or `@unique` field).
    #[doc(hidden)]
    pub fn unique_equals(field: FieldId, value: Value) -> Self {
        Condition {
            inner: Filter::scalar(field, ScalarOp::Equals(value)),
            _model: PhantomData,
        }
    }
}

model_wrapper!(
    /// One term of `orderBy` for model `M`: `user::email::asc()`,
    /// `user::orders::count(Direction::Desc)`, or through a to-one relation
    /// `order::user::order_by(user::email::asc())`.
    OrderBy(Result<engine::OrderBy, &'static str>)
);

impl<M> Where<M> {
    /// Wraps an engine filter, trusting that it is about model `M` (generated code and an
    /// escape hatch for conditions built dynamically).
    pub fn from_filter(filter: Filter) -> Self {
        Condition {
            inner: filter,
            _model: PhantomData,
        }
    }

    /// The engine filter.
    pub fn into_filter(self) -> Filter {
        self.inner
    }

    /// Every condition holds (`AND: [...]`); none is Prisma's `AND: []` (every record).
    pub fn and(filters: impl IntoIterator<Item = Where<M>>) -> Self {
        Self::from_filter(Filter::And(unwrap_all(filters)))
    }

    /// Some condition holds (`OR: [...]`); none is Prisma's `OR: []` (no record).
    pub fn or(filters: impl IntoIterator<Item = Where<M>>) -> Self {
        Self::from_filter(Filter::Or(unwrap_all(filters)))
    }

    /// No condition holds (`NOT: [...]`).
    pub fn not(filters: impl IntoIterator<Item = Where<M>>) -> Self {
        Self::from_filter(Filter::Not(unwrap_all(filters)))
    }

    /// A condition on scalar field `field` (generated code).
    #[doc(hidden)]
    pub fn scalar(field: FieldId, op: ScalarOp) -> Self {
        Self::from_filter(Filter::scalar(field, op))
    }

    /// A condition on relation field `field` (generated code).
    #[doc(hidden)]
    pub fn relation(field: FieldId, filter: RelationFilter) -> Self {
        Self::from_filter(Filter::relation(field, filter))
    }
}

fn unwrap_all<M>(filters: impl IntoIterator<Item = Where<M>>) -> Vec<Filter> {
    filters.into_iter().map(Where::into_filter).collect()
}

/// The conjunction of `filters` as one engine filter: the filter itself when there is one,
/// absent when there is none.
pub(crate) fn all<M>(filters: Vec<Where<M>>) -> Filter {
    let mut filters = unwrap_all(filters);
    if filters.len() == 1 {
        filters.pop().unwrap_or_default()
    } else {
        Filter::And(filters)
    }
}

impl<M> UniqueWhere<M> {
    /// Wraps an engine filter, trusting that it names at most one record of model `M`.
    pub fn from_filter(filter: Filter) -> Self {
        Condition {
            inner: filter,
            _model: PhantomData,
        }
    }

    /// The engine filter.
    pub fn into_filter(self) -> Filter {
        self.inner
    }

    /// `field = value` on a unique field (generated code).
    #[doc(hidden)]
    pub fn equals(field: FieldId, value: Value) -> Self {
        Self::from_filter(Filter::scalar(field, ScalarOp::Equals(value)))
    }

    /// Equality on every field of a compound unique (generated code).
    #[doc(hidden)]
    pub fn compound(fields: impl IntoIterator<Item = (FieldId, Value)>) -> Self {
        Self::from_filter(Filter::And(
            fields
                .into_iter()
                .map(|(f, v)| Filter::scalar(f, ScalarOp::Equals(v)))
                .collect(),
        ))
    }

    /// Adds conditions the record must also meet (Prisma accepts other fields beside the
    /// unique ones in `where`); a record that does not meet them counts as not found.
    #[must_use]
    pub fn and(self, filters: impl IntoIterator<Item = Where<M>>) -> Self {
        let mut all = vec![self.inner];
        all.extend(unwrap_all(filters));
        Self::from_filter(Filter::And(all))
    }
}

impl<M> From<UniqueWhere<M>> for Where<M> {
    fn from(unique: UniqueWhere<M>) -> Self {
        Where::from_filter(unique.inner)
    }
}

impl<M> OrderBy<M> {
    /// Wraps an engine ordering, trusting that it is about model `M`.
    pub fn from_order(order: engine::OrderBy) -> Self {
        OrderBy {
            inner: Ok(order),
            _model: PhantomData,
        }
    }

    /// Ordering by scalar field `field` (generated code).
    #[doc(hidden)]
    pub fn field(field: FieldId, direction: Direction) -> Self {
        Self::from_order(engine::OrderBy::field(field, direction))
    }

    /// Ordering by the number of records of to-many relation `field` (generated code).
    #[doc(hidden)]
    pub fn relation_count(field: FieldId, direction: Direction) -> Self {
        Self::from_order(engine::OrderBy::RelationCount { field, direction })
    }

    /// This ordering of a related model, reached from model `P` through the to-one relation
    /// `field` (generated code).
    #[doc(hidden)]
    pub fn through<P>(self, field: FieldId) -> OrderBy<P> {
        let inner = match self.inner {
            Ok(engine::OrderBy::Field {
                mut path,
                field: scalar,
                direction,
                nulls,
            }) => {
                path.insert(0, field);
                Ok(engine::OrderBy::Field {
                    path,
                    field: scalar,
                    direction,
                    nulls,
                })
            }
            Ok(engine::OrderBy::RelationCount { .. }) => {
                Err("ordering by a relation count through a to-one relation is not supported")
            }
            Err(e) => Err(e),
        };
        OrderBy {
            inner,
            _model: PhantomData,
        }
    }

    /// Puts nulls first (Prisma's `{ sort, nulls: "first" }`; optional fields only).
    #[must_use]
    pub fn nulls_first(self) -> Self {
        self.nulls(Nulls::First)
    }

    /// Puts nulls last (Prisma's `{ sort, nulls: "last" }`; optional fields only).
    #[must_use]
    pub fn nulls_last(self) -> Self {
        self.nulls(Nulls::Last)
    }

    fn nulls(mut self, placement: Nulls) -> Self {
        self.inner = match self.inner {
            Ok(engine::OrderBy::Field {
                path,
                field,
                direction,
                ..
            }) => Ok(engine::OrderBy::Field {
                path,
                field,
                direction,
                nulls: Some(placement),
            }),
            Ok(engine::OrderBy::RelationCount { .. }) => {
                Err("`nulls` applies to scalar fields, not to relation counts")
            }
            Err(e) => Err(e),
        };
        self
    }

    /// The engine ordering, or the reason it cannot be one.
    pub(crate) fn into_order(self) -> Result<engine::OrderBy, &'static str> {
        self.inner
    }
}

/// A string condition with a matching mode: `user::email::mode(QueryMode::Insensitive)`
/// followed by the condition (`.contains("@B.CO")`). Only string fields have `mode`.
///
/// `QueryMode::Insensitive` is `ILIKE`/`LOWER` on PostgreSQL (Unicode-aware). Prisma rejects
/// `mode` on SQLite; here it is accepted and folds ASCII case there.
pub struct TextFilter<M> {
    field: FieldId,
    mode: QueryMode,
    _model: PhantomData<fn() -> M>,
}

impl<M> fmt::Debug for TextFilter<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextFilter")
            .field("field", &self.field)
            .field("mode", &self.mode)
            .finish()
    }
}

impl<M> TextFilter<M> {
    /// The string field `field` compared in `mode` (generated code).
    #[doc(hidden)]
    pub fn new(field: FieldId, mode: QueryMode) -> Self {
        TextFilter {
            field,
            mode,
            _model: PhantomData,
        }
    }

    fn op(self, op: ScalarOp) -> Where<M> {
        Where::from_filter(Filter::scalar_with_mode(self.field, op, self.mode))
    }

    /// The value equals `value`.
    pub fn equals(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Equals(Value::String(value.into_field_value())))
    }

    /// The value is not `value` (null values do not match).
    pub fn not(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::NotEquals(Value::String(value.into_field_value())))
    }

    /// The value is one of `values`.
    pub fn in_(self, values: impl IntoIterator<Item = impl FieldValue<String>>) -> Where<M> {
        self.op(ScalarOp::In(strings(values)))
    }

    /// The value is none of `values` (null values do not match).
    pub fn not_in(self, values: impl IntoIterator<Item = impl FieldValue<String>>) -> Where<M> {
        self.op(ScalarOp::NotIn(strings(values)))
    }

    /// The value sorts before `value`.
    pub fn lt(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Lt(Value::String(value.into_field_value())))
    }

    /// The value sorts before or equals `value`.
    pub fn lte(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Lte(Value::String(value.into_field_value())))
    }

    /// The value sorts after `value`.
    pub fn gt(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Gt(Value::String(value.into_field_value())))
    }

    /// The value sorts after or equals `value`.
    pub fn gte(self, value: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Gte(Value::String(value.into_field_value())))
    }

    /// The value contains `text` (literally: `%` and `_` are not wildcards).
    pub fn contains(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::Contains(text.into_field_value()))
    }

    /// The value starts with `text` (literally).
    pub fn starts_with(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::StartsWith(text.into_field_value()))
    }

    /// The value ends with `text` (literally).
    pub fn ends_with(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(ScalarOp::EndsWith(text.into_field_value()))
    }
}

/// The filters of the value at a path inside a `Json` field: Prisma's
/// `{ path, string_contains, array_contains, gt, … }`. Made by the field module's `path`:
/// `account::settings::path(["flags", "beta"]).equals(json!(true))` on PostgreSQL (keys, as
/// Prisma's `path: string[]`), `account::settings::path("$.flags.beta")` on SQLite (a JSON
/// path, as Prisma's `path: string`).
///
/// Every condition needs a value at the path: records without one (and JSON `null` or
/// database `NULL` fields) match neither a condition nor its `not`. `array_contains` exists on
/// PostgreSQL only (the query fails with `Error::Unsupported` on SQLite, as in Prisma).
pub struct JsonPathFilter<M> {
    field: FieldId,
    path: JsonPath,
    mode: QueryMode,
    _model: PhantomData<fn() -> M>,
}

impl<M> fmt::Debug for JsonPathFilter<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonPathFilter")
            .field("field", &self.field)
            .field("path", &self.path)
            .field("mode", &self.mode)
            .finish()
    }
}

impl<M> JsonPathFilter<M> {
    /// The value at `path` in Json field `field` (generated code).
    #[doc(hidden)]
    pub fn new(field: FieldId, path: JsonPath) -> Self {
        JsonPathFilter {
            field,
            path,
            mode: QueryMode::Default,
            _model: PhantomData,
        }
    }

    /// Matches the `string_*` conditions in `mode` (`QueryMode::Insensitive` folds case).
    #[must_use]
    pub fn mode(mut self, mode: QueryMode) -> Self {
        self.mode = mode;
        self
    }

    fn op(self, op: JsonOp) -> Where<M> {
        let filter = JsonFilter {
            path: self.path,
            op,
        };
        Where::from_filter(Filter::scalar_with_mode(
            self.field,
            ScalarOp::Json(Box::new(filter)),
            self.mode,
        ))
    }

    /// The value equals `value` (`json!(null)` matches a JSON null there).
    pub fn equals(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::Equals(value.into_field_value()))
    }

    /// The value is not `value`.
    pub fn not(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::NotEquals(value.into_field_value()))
    }

    /// The value is a string containing `text` (literally).
    pub fn string_contains(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(JsonOp::StringContains(text.into_field_value()))
    }

    /// The value is a string starting with `text` (literally).
    pub fn string_starts_with(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(JsonOp::StringStartsWith(text.into_field_value()))
    }

    /// The value is a string ending with `text` (literally).
    pub fn string_ends_with(self, text: impl FieldValue<String>) -> Where<M> {
        self.op(JsonOp::StringEndsWith(text.into_field_value()))
    }

    /// The value is an array containing `value`'s elements (an array) or `value` itself
    /// (PostgreSQL only).
    pub fn array_contains(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::ArrayContains(value.into_field_value()))
    }

    /// The value is an array whose first element is `value`.
    pub fn array_starts_with(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::ArrayStartsWith(value.into_field_value()))
    }

    /// The value is an array whose last element is `value`.
    pub fn array_ends_with(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::ArrayEndsWith(value.into_field_value()))
    }

    /// The value is a number (or string) less than `value`.
    pub fn lt(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::Lt(value.into_field_value()))
    }

    /// The value is a number (or string) at most `value`.
    pub fn lte(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::Lte(value.into_field_value()))
    }

    /// The value is a number (or string) greater than `value`.
    pub fn gt(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::Gt(value.into_field_value()))
    }

    /// The value is a number (or string) at least `value`.
    pub fn gte(self, value: impl FieldValue<serde_json::Value>) -> Where<M> {
        self.op(JsonOp::Gte(value.into_field_value()))
    }
}

fn strings(values: impl IntoIterator<Item = impl FieldValue<String>>) -> Vec<Value> {
    values
        .into_iter()
        .map(|v| Value::String(v.into_field_value()))
        .collect()
}

/// A value for a field of Rust type `T`: a `T`, or anything that converts into one (`&str`
/// for a `String` field). The generated filters and writes take it, so a value of the wrong
/// type is reported as such, rather than as a missing `From` implementation.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value for a field of type `{T}`",
    label = "expected `{T}`, or a type that converts into it",
    note = "a field's filters and writes take the type of that field in the model's struct"
)]
pub trait FieldValue<T> {
    /// The value as the field's type.
    fn into_field_value(self) -> T;
}

// Not recommended in diagnostics, so that a wrong value is reported against `FieldValue`
// (with its message) rather than as a missing `From` with every `From` the type has.
#[diagnostic::do_not_recommend]
impl<T, U: Into<T>> FieldValue<T> for U {
    fn into_field_value(self) -> T {
        self.into()
    }
}

/// A value for an optional field: the value itself, `Some(value)`, or `None` for null.
///
/// `user::name::set("Ann")`, `user::name::set(Some(name))` and `user::name::set(None)` all
/// work; a string field also takes `&str`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value for an optional field of type `{T}`",
    label = "expected `{T}`, `Some({T})` or `None`",
    note = "a field's filters and writes take the type of that field in the model's struct"
)]
pub trait Nullable<T> {
    /// The value, or `None` for null.
    fn into_option(self) -> Option<T>;
}

impl<T> Nullable<T> for T {
    fn into_option(self) -> Option<T> {
        Some(self)
    }
}

impl<T> Nullable<T> for Option<T> {
    fn into_option(self) -> Option<T> {
        self
    }
}

impl Nullable<String> for &str {
    fn into_option(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl Nullable<String> for &String {
    fn into_option(self) -> Option<String> {
        Some(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ModelId;

    struct User;
    const EMAIL: FieldId = FieldId::new(ModelId::new(0), 1);
    const ORDERS: FieldId = FieldId::new(ModelId::new(0), 3);

    #[test]
    fn a_single_condition_is_not_wrapped_and_none_is_absent() {
        let one = Where::<User>::scalar(EMAIL, ScalarOp::Contains("@b.co".into()));
        assert_eq!(all(vec![one.clone()]), one.into_filter());
        assert_eq!(all::<User>(vec![]), Filter::And(vec![]));
    }

    #[test]
    fn unique_filters_widen_to_filters_and_take_more_conditions() {
        let unique = UniqueWhere::<User>::equals(EMAIL, Value::from("a@b.co"));
        let extra = Where::<User>::scalar(EMAIL, ScalarOp::EndsWith(".co".into()));
        let both = unique.clone().and([extra.clone()]);
        assert_eq!(
            both.into_filter(),
            Filter::And(vec![unique.clone().into_filter(), extra.into_filter()])
        );
        assert_eq!(
            Where::from(unique.clone()).into_filter(),
            unique.into_filter()
        );
    }

    #[test]
    fn ordering_through_a_relation_prefixes_the_path() {
        let order = OrderBy::<User>::field(EMAIL, Direction::Asc).nulls_last();
        let through: OrderBy<()> = order.through(ORDERS);
        assert_eq!(
            through.into_order(),
            Ok(engine::OrderBy::Field {
                path: vec![ORDERS],
                field: EMAIL,
                direction: Direction::Asc,
                nulls: Some(Nulls::Last),
            })
        );
        let count: OrderBy<()> =
            OrderBy::<User>::relation_count(ORDERS, Direction::Desc).through(ORDERS);
        assert!(count.into_order().is_err());
    }

    #[test]
    fn json_path_filters_carry_the_path_the_condition_and_the_mode() {
        let keys = JsonPath::Keys(vec!["flags".into(), "beta".into()]);
        let beta = JsonPathFilter::<User>::new(EMAIL, keys.clone()).equals(true);
        let expected = JsonFilter {
            path: keys,
            op: JsonOp::Equals(serde_json::Value::Bool(true)),
        };
        assert_eq!(
            beta.into_filter(),
            Filter::scalar(EMAIL, ScalarOp::Json(Box::new(expected)))
        );
        let path = JsonPath::Expression("$.theme".into());
        let folded = JsonPathFilter::<User>::new(EMAIL, path.clone())
            .mode(QueryMode::Insensitive)
            .string_contains("DAR");
        let expected = JsonFilter {
            path,
            op: JsonOp::StringContains("DAR".into()),
        };
        assert_eq!(
            folded.into_filter(),
            Filter::scalar_with_mode(
                EMAIL,
                ScalarOp::Json(Box::new(expected)),
                QueryMode::Insensitive
            )
        );
    }

    #[test]
    fn optional_values_accept_plain_values_options_and_str() {
        fn take(v: impl Nullable<String>) -> Option<String> {
            v.into_option()
        }
        assert_eq!(take("a"), Some("a".to_owned()));
        assert_eq!(take(None), None);
        assert_eq!(take(Some("b".to_owned())), Some("b".to_owned()));
    }
}
