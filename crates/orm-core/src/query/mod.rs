//! A dialect-free statement tree: what the engine builds and [`crate::sql`] renders.
//!
//! The tree owns no SQL text. Identifiers ([`Name`]) come from the schema IR (database names,
//! after `@map`/`@@map`) or are aliases the engine chose; the renderer always quotes them.
//! Values ([`Expr::Value`]) always become bind parameters. Building a statement never fails;
//! rendering a construct that a dialect cannot express returns
//! [`Error::Unsupported`](crate::Error::Unsupported).
//!
//! ```
//! use orm_core::query::{Expr, Select};
//! use orm_core::sql::render;
//! use orm_core::{Dialect, Value};
//!
//! let select = Select::from_table("User", "t0")
//!     .column(Expr::column("t0", "id"))
//!     .column(Expr::column("t0", "email"))
//!     .filter(Expr::column("t0", "email").eq(Expr::value("a@b.co")))
//!     .limit(1);
//! let sql = render(select, Dialect::Postgres).unwrap();
//! assert_eq!(
//!     sql.text,
//!     r#"SELECT "t0"."id", "t0"."email" FROM "User" AS "t0" WHERE "t0"."email" = $1 LIMIT $2"#
//! );
//! assert_eq!(sql.params, vec![Value::from("a@b.co"), Value::BigInt(1)]);
//! ```

use std::borrow::Cow;

use crate::value::Value;

/// An identifier: a table or column name from the schema IR, or an alias the engine chose.
pub type Name = Cow<'static, str>;

/// Any statement the renderer writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `SELECT`.
    Select(Box<Select>),
    /// `INSERT`.
    Insert(Box<Insert>),
    /// `UPDATE`.
    Update(Box<Update>),
    /// `DELETE`.
    Delete(Box<Delete>),
}

impl From<Select> for Statement {
    fn from(s: Select) -> Self {
        Statement::Select(Box::new(s))
    }
}

impl From<Insert> for Statement {
    fn from(s: Insert) -> Self {
        Statement::Insert(Box::new(s))
    }
}

impl From<Update> for Statement {
    fn from(s: Update) -> Self {
        Statement::Update(Box::new(s))
    }
}

impl From<Delete> for Statement {
    fn from(s: Delete) -> Self {
        Statement::Delete(Box::new(s))
    }
}

/// A table of the schema, optionally in a named database schema (`@@schema`), under an alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The database schema (PostgreSQL `@@schema`); `None` uses the connection's search path.
    pub schema: Option<Name>,
    /// The table's database name.
    pub name: Name,
    /// The alias the statement refers to it by; `None` refers to it by its name.
    pub alias: Option<Name>,
}

impl Table {
    /// The table `name`, without schema or alias.
    pub fn new(name: impl Into<Name>) -> Self {
        Table {
            schema: None,
            name: name.into(),
            alias: None,
        }
    }

    /// The same table under `alias`.
    pub fn with_alias(mut self, alias: impl Into<Name>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// The same table in database schema `schema`.
    pub fn with_schema(mut self, schema: impl Into<Name>) -> Self {
        self.schema = Some(schema.into());
        self
    }
}

/// A column, qualified by the table alias (or table name) it belongs to when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The table alias or name that qualifies the column; `None` writes the bare column.
    pub table: Option<Name>,
    /// The column's database name.
    pub name: Name,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `=`
    Eq,
    /// `<>`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (integer division truncates, as Prisma's `divide` on `Int`)
    Div,
    /// `||`: array (or text) concatenation.
    Concat,
}

/// An SQL function or aggregate the renderer knows how to spell on each dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// `COUNT(x)`: the number of non-null values.
    Count,
    /// `SUM(x)`.
    Sum,
    /// `AVG(x)`.
    Avg,
    /// `MIN(x)`.
    Min,
    /// `MAX(x)`.
    Max,
    /// `COALESCE(a, b, …)`.
    Coalesce,
    /// `LOWER(x)`.
    Lower,
}

/// A scalar-list predicate (PostgreSQL arrays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListOp {
    /// The list contains the value: `$1 = ANY(col)`.
    Has,
    /// The list shares an element with the value: `col && $1`.
    HasSome,
    /// The list contains every element of the value: `col @> $1`.
    HasEvery,
    /// The list is empty: `cardinality(col) = 0`.
    IsEmpty,
}

/// A type an expression is cast to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cast {
    /// Text: how enum columns are read on PostgreSQL (`"role"::text`).
    Text,
    /// A database enum type (PostgreSQL): how enum values are bound,
    /// `CAST($1::text AS "Role")`. A no-op on dialects without native enums.
    Enum(Name),
    /// An array of a database enum type (PostgreSQL): `CAST($1::text[] AS "Role"[])`.
    EnumArray(Name),
    /// Numeric: makes `AVG`/division exact where a dialect would otherwise round.
    Decimal,
    /// Double precision.
    Float,
    /// A checked 32-bit integer (Prisma's `Int`): the value unchanged when it fits, else the
    /// statement fails with [`Error::OutOfRange`](crate::Error::OutOfRange) and writes
    /// nothing. Arithmetic updates of `Int` columns go through it. PostgreSQL's `integer`
    /// arithmetic checks by itself (SQLSTATE `22003`), so nothing is written there; SQLite
    /// computes in 64 bits and its `CAST` never fails, so it calls `orm_int4(x)`, a function
    /// every SQLite adapter registers (see the [adapter contract](crate::adapter)).
    Int,
    /// A checked 64-bit integer (Prisma's `BigInt`), as [`Cast::Int`]: SQLite turns an
    /// integer overflow into a REAL instead of failing, so it calls `orm_int8(x)`.
    BigInt,
}

/// An expression: a value, a column, an operator applied to expressions, a subquery.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column.
    Column(Column),
    /// A value; always written as a bind parameter.
    Value(Value),
    /// The literal `NULL` (an absent value in a multi-row insert, as Prisma writes it).
    Null,
    /// The keyword `DEFAULT` in an insert's `VALUES`: the column's database default.
    Default,
    /// A condition that always holds (`1=1`).
    True,
    /// A condition that never holds (`1=0`).
    False,
    /// `left op right`.
    Binary(Box<Expr>, BinaryOp, Box<Expr>),
    /// Every condition holds; an empty list holds.
    And(Vec<Expr>),
    /// Some condition holds; an empty list does not hold.
    Or(Vec<Expr>),
    /// `NOT (x)`.
    Not(Box<Expr>),
    /// `x IS NULL`, or `x IS NOT NULL` when `negated`.
    IsNull {
        /// The tested expression.
        expr: Box<Expr>,
        /// `IS NOT NULL` instead.
        negated: bool,
    },
    /// `x IN (a, b, …)`, or `NOT IN` when `negated`. An empty list never holds (always holds
    /// when negated); the renderer writes that without an empty `IN ()`.
    InList {
        /// The tested expression (a [`Expr::Row`] for compound keys).
        expr: Box<Expr>,
        /// The candidates.
        list: Vec<Expr>,
        /// `NOT IN` instead.
        negated: bool,
    },
    /// `x = ANY(array)` with the candidates in one bound list ([`Value::List`]), or
    /// `x <> ALL(array)` when `negated`: one parameter whatever the number of candidates, so
    /// the statement text (and its prepared statement) stays the same. Dialects without
    /// array parameters (SQLite) expand it into `IN (…)`.
    InArray {
        /// The tested expression.
        expr: Box<Expr>,
        /// The candidates: an [`Expr::Value`] holding a [`Value::List`].
        array: Box<Expr>,
        /// `<> ALL` instead.
        negated: bool,
    },
    /// `x IN (SELECT …)`, or `NOT IN` when `negated`.
    InSelect {
        /// The tested expression (a [`Expr::Row`] for compound keys).
        expr: Box<Expr>,
        /// The subquery.
        select: Box<Select>,
        /// `NOT IN` instead.
        negated: bool,
    },
    /// `EXISTS (SELECT …)`, or `NOT EXISTS` when `negated`.
    Exists {
        /// The subquery.
        select: Box<Select>,
        /// `NOT EXISTS` instead.
        negated: bool,
    },
    /// `x LIKE pattern ESCAPE '\'`. The pattern is written as it is: the engine escapes
    /// `%`, `_` and `\` in user text. `insensitive` asks for case-insensitive matching
    /// (`ILIKE` on PostgreSQL; SQLite's `LIKE` is already ASCII-case-insensitive).
    Like {
        /// The matched expression.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// Case-insensitive matching.
        insensitive: bool,
    },
    /// A scalar-list predicate on a list column.
    List {
        /// The list column.
        list: Box<Expr>,
        /// The predicate.
        op: ListOp,
        /// The element (`Has`) or list (`HasSome`, `HasEvery`); ignored for `IsEmpty`.
        value: Box<Expr>,
    },
    /// A function call.
    Function(Function, Vec<Expr>),
    /// `COUNT(*)`.
    CountAll,
    /// `CAST(x AS type)`, spelled as each dialect needs.
    Cast(Box<Expr>, Cast),
    /// A row value `(a, b)`, for compound keys.
    Row(Vec<Expr>),
    /// A scalar subquery `(SELECT …)`.
    Subquery(Box<Select>),
    /// In an upsert's `DO UPDATE`: the value proposed for insertion, `EXCLUDED."col"`.
    Excluded(Name),
    /// A JSON object built from named expressions (PostgreSQL `JSON_BUILD_OBJECT`).
    JsonObject(Vec<(Name, Expr)>),
    /// A JSON array of the expressions' values, in order (the `join` relation strategy's
    /// rows; PostgreSQL `JSON_BUILD_ARRAY`, which takes at most 100 arguments: nest arrays
    /// for more).
    JsonArray(Vec<Expr>),
    /// The JSON value inside a JSON expression at a path, as JSON (`text: false`: PostgreSQL
    /// `x #> $path`, SQLite `x -> ?path`) or as a plain value (`text: true`: `x #>> $path`,
    /// `x ->> ?path`). The path is bound: a list of keys on PostgreSQL, a JSON path on SQLite.
    JsonAt {
        /// The JSON expression.
        expr: Box<Expr>,
        /// The bound path.
        path: Box<Expr>,
        /// Extract a plain value (a string's text) rather than JSON.
        text: bool,
    },
    /// The first or last element of a JSON array (SQL NULL when it is none).
    JsonElement {
        /// The JSON expression.
        expr: Box<Expr>,
        /// The last element rather than the first.
        last: bool,
    },
    /// Whether a JSON expression is of a JSON type (each dialect names the types its way).
    JsonTypeIs(Box<Expr>, JsonType),
    /// A bound value as JSON to compare with a JSON expression (PostgreSQL infers `jsonb`;
    /// SQLite minifies the text, `json(?)`).
    JsonValue(Box<Expr>),
    /// JSON containment: the left array or object contains the right one (PostgreSQL `@>`).
    JsonContains(Box<Expr>, Box<Expr>),
    /// The JSON array of an expression over the group's rows, `[]` when there are none
    /// (PostgreSQL `COALESCE(JSON_AGG(x), '[]')`), in the order the rows come in.
    JsonAgg(Box<Expr>),
}

impl Expr {
    /// The column `name` of the table aliased `table`.
    pub fn column(table: impl Into<Name>, name: impl Into<Name>) -> Expr {
        Expr::Column(Column {
            table: Some(table.into()),
            name: name.into(),
        })
    }

    /// An unqualified column.
    pub fn bare_column(name: impl Into<Name>) -> Expr {
        Expr::Column(Column {
            table: None,
            name: name.into(),
        })
    }

    /// A bound value.
    pub fn value(value: impl Into<Value>) -> Expr {
        Expr::Value(value.into())
    }

    fn binary(self, op: BinaryOp, other: Expr) -> Expr {
        Expr::Binary(Box::new(self), op, Box::new(other))
    }

    /// `self = other`.
    pub fn eq(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Eq, other)
    }

    /// `self <> other`.
    pub fn not_eq(self, other: Expr) -> Expr {
        self.binary(BinaryOp::NotEq, other)
    }

    /// `self < other`.
    pub fn lt(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Lt, other)
    }

    /// `self <= other`.
    pub fn lte(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Lte, other)
    }

    /// `self > other`.
    pub fn gt(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Gt, other)
    }

    /// `self >= other`.
    pub fn gte(self, other: Expr) -> Expr {
        self.binary(BinaryOp::Gte, other)
    }

    /// `self + other`, `self - other`, … for an arithmetic operator.
    pub fn arithmetic(self, op: BinaryOp, other: Expr) -> Expr {
        self.binary(op, other)
    }

    /// `self IS NULL`.
    pub fn is_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self),
            negated: false,
        }
    }

    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr {
        Expr::IsNull {
            expr: Box::new(self),
            negated: true,
        }
    }

    /// `self IN (list…)`.
    pub fn in_list(self, list: Vec<Expr>) -> Expr {
        Expr::InList {
            expr: Box::new(self),
            list,
            negated: false,
        }
    }

    /// `self NOT IN (list…)`.
    pub fn not_in_list(self, list: Vec<Expr>) -> Expr {
        Expr::InList {
            expr: Box::new(self),
            list,
            negated: true,
        }
    }

    /// `self IN (SELECT …)`.
    pub fn in_select(self, select: Select) -> Expr {
        Expr::InSelect {
            expr: Box::new(self),
            select: Box::new(select),
            negated: false,
        }
    }

    /// `NOT (self)`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }

    /// `EXISTS (SELECT …)`.
    pub fn exists(select: Select) -> Expr {
        Expr::Exists {
            select: Box::new(select),
            negated: false,
        }
    }

    /// `NOT EXISTS (SELECT …)`.
    pub fn not_exists(select: Select) -> Expr {
        Expr::Exists {
            select: Box::new(select),
            negated: true,
        }
    }

    /// A function call.
    pub fn function(function: Function, args: Vec<Expr>) -> Expr {
        Expr::Function(function, args)
    }

    /// `CAST(self AS to)`.
    pub fn cast(self, to: Cast) -> Expr {
        Expr::Cast(Box::new(self), to)
    }

    /// Conjunction of `conditions`, flattening nested `AND`s and dropping `TRUE`s; `TRUE` when
    /// nothing is left, `FALSE` as soon as one is `FALSE`.
    pub fn and(conditions: impl IntoIterator<Item = Expr>) -> Expr {
        let mut out = Vec::new();
        for c in conditions {
            match c {
                Expr::True => {}
                Expr::False => return Expr::False,
                Expr::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Expr::True,
            1 => out.pop().unwrap_or(Expr::True),
            _ => Expr::And(out),
        }
    }

    /// Disjunction of `conditions`, flattening nested `OR`s and dropping `FALSE`s; `FALSE`
    /// when nothing is left, `TRUE` as soon as one is `TRUE`.
    pub fn or(conditions: impl IntoIterator<Item = Expr>) -> Expr {
        let mut out = Vec::new();
        for c in conditions {
            match c {
                Expr::False => {}
                Expr::True => return Expr::True,
                Expr::Or(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Expr::False,
            1 => out.pop().unwrap_or(Expr::False),
            _ => Expr::Or(out),
        }
    }
}

/// A JSON value's type, for [`Expr::JsonTypeIs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A string.
    String,
    /// A number.
    Number,
    /// An array.
    Array,
}

/// One item of a select list: an expression and the column name it is returned under.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectItem {
    /// The expression.
    pub expr: Expr,
    /// `AS alias`; `None` keeps the database's name for it.
    pub alias: Option<Name>,
}

impl From<Expr> for SelectItem {
    fn from(expr: Expr) -> Self {
        SelectItem { expr, alias: None }
    }
}

/// What a select reads from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A table.
    Table(Table),
    /// A derived table `(SELECT …) AS alias`.
    Subquery(Box<Select>, Name),
}

/// How a join keeps rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    /// `INNER JOIN`.
    Inner,
    /// `LEFT JOIN`.
    Left,
}

/// A join of a table or a subquery.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Inner or left.
    pub kind: JoinKind,
    /// `LATERAL`: the joined subquery may refer to earlier tables (PostgreSQL).
    pub lateral: bool,
    /// What is joined.
    pub source: Source,
    /// The join condition.
    pub on: Expr,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl Direction {
    /// The other direction.
    pub fn reverse(self) -> Direction {
        match self {
            Direction::Asc => Direction::Desc,
            Direction::Desc => Direction::Asc,
        }
    }
}

/// Where nulls sort, when stated; otherwise the database's default applies (PostgreSQL: last
/// ascending, first descending; SQLite: the opposite), as in Prisma.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nulls {
    /// `NULLS FIRST`.
    First,
    /// `NULLS LAST`.
    Last,
}

impl Nulls {
    /// The other placement.
    pub fn reverse(self) -> Nulls {
        match self {
            Nulls::First => Nulls::Last,
            Nulls::Last => Nulls::First,
        }
    }
}

/// One term of `ORDER BY`.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderTerm {
    /// The sorted expression.
    pub expr: Expr,
    /// The direction.
    pub direction: Direction,
    /// Where nulls go, when stated.
    pub nulls: Option<Nulls>,
}

/// `SELECT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Select {
    /// The select list; empty writes `SELECT 1` (for `EXISTS`).
    pub columns: Vec<SelectItem>,
    /// `FROM`.
    pub from: Source,
    /// Joins after the source.
    pub joins: Vec<Join>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `GROUP BY`.
    pub group_by: Vec<Expr>,
    /// `HAVING`.
    pub having: Option<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<OrderTerm>,
    /// `LIMIT` (bound).
    pub limit: Option<i64>,
    /// `OFFSET` (bound).
    pub offset: Option<i64>,
}

impl Select {
    /// `SELECT … FROM source` with nothing else yet.
    pub fn new(from: Source) -> Self {
        Select {
            columns: Vec::new(),
            from,
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }
    }

    /// `SELECT … FROM "table" AS "alias"`.
    pub fn from_table(table: impl Into<Name>, alias: impl Into<Name>) -> Self {
        Select::new(Source::Table(Table::new(table).with_alias(alias)))
    }

    /// Adds a select-list item.
    pub fn column(mut self, item: impl Into<SelectItem>) -> Self {
        self.columns.push(item.into());
        self
    }

    /// Adds a select-list item returned under `alias`.
    pub fn column_as(mut self, expr: Expr, alias: impl Into<Name>) -> Self {
        self.columns.push(SelectItem {
            expr,
            alias: Some(alias.into()),
        });
        self
    }

    /// Adds a condition to `WHERE` (conjunction with any existing one).
    pub fn filter(mut self, condition: Expr) -> Self {
        self.and_filter(condition);
        self
    }

    /// Adds a condition to `WHERE` in place.
    pub fn and_filter(&mut self, condition: Expr) {
        self.filter = Some(match self.filter.take() {
            None => condition,
            Some(existing) => Expr::and([existing, condition]),
        });
    }

    /// Adds an `ORDER BY` term.
    pub fn order_by(mut self, expr: Expr, direction: Direction, nulls: Option<Nulls>) -> Self {
        self.order_by.push(OrderTerm {
            expr,
            direction,
            nulls,
        });
        self
    }

    /// Sets `LIMIT`.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets `OFFSET`.
    pub fn offset(mut self, offset: i64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Adds a join.
    pub fn join(mut self, join: Join) -> Self {
        self.joins.push(join);
        self
    }
}

/// What an insert does when a row conflicts with a unique constraint.
#[derive(Debug, Clone, PartialEq)]
pub enum OnConflict {
    /// `ON CONFLICT [(target)] DO NOTHING`; an empty target matches any constraint.
    DoNothing {
        /// The conflict target columns.
        target: Vec<Name>,
    },
    /// `ON CONFLICT (target) DO UPDATE SET … [WHERE …]`.
    DoUpdate {
        /// The conflict target columns (a unique constraint's columns).
        target: Vec<Name>,
        /// The assignments; [`Expr::Excluded`] reads the proposed row.
        set: Vec<(Name, Expr)>,
        /// Only update rows for which this holds.
        filter: Option<Expr>,
    },
}

/// `INSERT INTO table (columns) VALUES (…), (…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// The table (its alias is not written).
    pub table: Table,
    /// The inserted columns; empty with one empty row writes `DEFAULT VALUES`.
    pub columns: Vec<Name>,
    /// The rows, each with one expression per column ([`Expr::Value`], [`Expr::Null`] or
    /// [`Expr::Default`]).
    pub rows: Vec<Vec<Expr>>,
    /// Conflict handling.
    pub on_conflict: Option<OnConflict>,
    /// `RETURNING`.
    pub returning: Vec<SelectItem>,
}

impl Insert {
    /// An insert of `columns` into `table` with no rows yet.
    pub fn new(table: impl Into<Name>, columns: Vec<Name>) -> Self {
        Insert {
            table: Table::new(table),
            columns,
            rows: Vec::new(),
            on_conflict: None,
            returning: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(mut self, row: Vec<Expr>) -> Self {
        self.rows.push(row);
        self
    }

    /// Sets conflict handling.
    pub fn on_conflict(mut self, on_conflict: OnConflict) -> Self {
        self.on_conflict = Some(on_conflict);
        self
    }

    /// Adds a `RETURNING` item.
    pub fn returning(mut self, item: impl Into<SelectItem>) -> Self {
        self.returning.push(item.into());
        self
    }

    /// The number of bind parameters a row takes.
    pub fn row_params(row: &[Expr]) -> usize {
        row.iter().map(Expr::param_count).sum()
    }
}

/// `UPDATE table SET … WHERE …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// The table; columns in `set` and `filter` may refer to it by its alias.
    pub table: Table,
    /// The assignments (column, new value); the value may read the old one
    /// (`"stock" - $1`).
    pub set: Vec<(Name, Expr)>,
    /// `WHERE`; `None` updates every row.
    pub filter: Option<Expr>,
    /// `RETURNING`.
    pub returning: Vec<SelectItem>,
}

/// `DELETE FROM table WHERE …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    /// The table; `filter` may refer to it by its alias.
    pub table: Table,
    /// `WHERE`; `None` deletes every row.
    pub filter: Option<Expr>,
    /// `RETURNING`.
    pub returning: Vec<SelectItem>,
}

impl Expr {
    /// The number of bind parameters this expression writes (subqueries included).
    pub fn param_count(&self) -> usize {
        match self {
            Expr::Value(_) => 1,
            Expr::Column(_)
            | Expr::Null
            | Expr::Default
            | Expr::True
            | Expr::False
            | Expr::CountAll
            | Expr::Excluded(_) => 0,
            Expr::Binary(l, _, r) => l.param_count() + r.param_count(),
            Expr::And(xs)
            | Expr::Or(xs)
            | Expr::Row(xs)
            | Expr::Function(_, xs)
            | Expr::JsonArray(xs) => xs.iter().map(Expr::param_count).sum(),
            Expr::Not(x)
            | Expr::Cast(x, _)
            | Expr::JsonAgg(x)
            | Expr::JsonTypeIs(x, _)
            | Expr::JsonValue(x)
            | Expr::JsonElement { expr: x, .. } => x.param_count(),
            Expr::JsonAt { expr, path, .. } => expr.param_count() + path.param_count(),
            Expr::JsonContains(a, b) => a.param_count() + b.param_count(),
            Expr::IsNull { expr, .. } => expr.param_count(),
            Expr::InList { expr, list, .. } => {
                expr.param_count() + list.iter().map(Expr::param_count).sum::<usize>()
            }
            Expr::InArray { expr, array, .. } => expr.param_count() + array.param_count(),
            Expr::InSelect { expr, select, .. } => expr.param_count() + select.param_count(),
            Expr::Exists { select, .. } | Expr::Subquery(select) => select.param_count(),
            Expr::Like { expr, pattern, .. } => expr.param_count() + pattern.param_count(),
            Expr::List { list, value, .. } => list.param_count() + value.param_count(),
            Expr::JsonObject(fields) => fields.iter().map(|(_, e)| e.param_count()).sum(),
        }
    }
}

impl Select {
    /// The number of bind parameters this select writes.
    pub fn param_count(&self) -> usize {
        let items = self.columns.iter().map(|c| c.expr.param_count());
        let source = match &self.from {
            Source::Table(_) => 0,
            Source::Subquery(s, _) => s.param_count(),
        };
        let joins = self.joins.iter().map(|j| {
            j.on.param_count()
                + match &j.source {
                    Source::Table(_) => 0,
                    Source::Subquery(s, _) => s.param_count(),
                }
        });
        items.sum::<usize>()
            + source
            + joins.sum::<usize>()
            + self.filter.as_ref().map_or(0, Expr::param_count)
            + self.group_by.iter().map(Expr::param_count).sum::<usize>()
            + self.having.as_ref().map_or(0, Expr::param_count)
            + self
                .order_by
                .iter()
                .map(|o| o.expr.param_count())
                .sum::<usize>()
            + usize::from(self.limit.is_some())
            + usize::from(self.offset.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_flattens_and_drops_true() {
        let a = Expr::bare_column("a").is_null();
        let b = Expr::bare_column("b").is_null();
        assert_eq!(Expr::and([]), Expr::True);
        assert_eq!(Expr::and([Expr::True, a.clone()]), a);
        assert_eq!(
            Expr::and([Expr::and([a.clone(), b.clone()]), Expr::True]),
            Expr::And(vec![a.clone(), b])
        );
        assert_eq!(Expr::and([a, Expr::False]), Expr::False);
    }

    #[test]
    fn or_flattens_and_drops_false() {
        let a = Expr::bare_column("a").is_null();
        assert_eq!(Expr::or([]), Expr::False);
        assert_eq!(Expr::or([Expr::False, a.clone()]), a);
        assert_eq!(Expr::or([a, Expr::True]), Expr::True);
    }

    #[test]
    fn counts_parameters_of_a_select_with_subquery() {
        let inner = Select::from_table("Order", "t1")
            .filter(Expr::column("t1", "total").gt(Expr::value(3)))
            .limit(1);
        let select = Select::from_table("User", "t0")
            .column(Expr::column("t0", "id"))
            .filter(Expr::exists(inner))
            .offset(0);
        assert_eq!(select.param_count(), 3);
    }
}
