//! The SQL schema model: what a database holds, independent of how it got there.
//!
//! The same model is built from a Prisma schema ([`from_schema`](super::from_schema)) and by
//! introspecting a live database ([`introspect`](super::introspect())); the differ compares two
//! of them. Names are database names (after `@map`/`@@map`), types are spelled as the DDL
//! spells them (`TIMESTAMP(3)`), so two models compare with `==` exactly when the databases
//! they describe have the same shape.

/// A database schema: enums (PostgreSQL) and tables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqlSchema {
    /// Enum types, in schema order. Always empty on SQLite.
    pub enums: Vec<Enum>,
    /// Tables, in schema order (models first, then implicit many-to-many tables).
    pub tables: Vec<Table>,
}

impl SqlSchema {
    /// The table named `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The enum named `name`.
    pub fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// Whether the schema holds nothing.
    pub fn is_empty(&self) -> bool {
        self.enums.is_empty() && self.tables.is_empty()
    }

    /// Puts tables, enums and their parts in name order, so that two models of the same
    /// database compare equal whatever order they were read in. Column order is kept: it is
    /// part of a table's shape.
    pub fn normalized(mut self) -> SqlSchema {
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        for table in &mut self.tables {
            table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            table.foreign_keys.sort_by(|a, b| {
                (&a.columns, &a.referenced_table).cmp(&(&b.columns, &b.referenced_table))
            });
        }
        self
    }
}

/// A PostgreSQL enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    /// The type's name (after `@@map`).
    pub name: String,
    /// The values, in declaration order (after `@map`).
    pub values: Vec<String>,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The table's name (after `@@map`).
    pub name: String,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The primary key, if the table has one.
    pub primary_key: Option<PrimaryKey>,
    /// Unique and non-unique indexes (not the primary key).
    pub indexes: Vec<Index>,
    /// Foreign keys held by this table.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    /// A table with no columns yet.
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        }
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Whether `column` is the table's only primary-key column.
    pub fn is_single_primary_key(&self, column: &str) -> bool {
        self.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0] == column)
    }
}

/// A column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's name (after `@map`).
    pub name: String,
    /// Its type.
    pub ty: ColumnType,
    /// Whether it is an array of `ty` (a PostgreSQL scalar list). Lists are always nullable.
    pub list: bool,
    /// Whether it accepts `NULL`.
    pub nullable: bool,
    /// Its default, if any. An auto-increment column has none here.
    pub default: Option<DefaultValue>,
    /// Whether values come from a sequence (`SERIAL` on PostgreSQL, `AUTOINCREMENT` on SQLite).
    pub auto_increment: bool,
}

impl Column {
    /// A required column without default.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Column {
        Column {
            name: name.into(),
            ty,
            list: false,
            nullable: false,
            default: None,
            auto_increment: false,
        }
    }
}

/// A column type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// A built-in type spelled as Prisma's DDL spells it, upper case with its arguments:
    /// `TEXT`, `INTEGER`, `TIMESTAMP(3)`, `DECIMAL(65,30)`, `VARCHAR(200)`, `DOUBLE PRECISION`.
    Builtin(String),
    /// A PostgreSQL enum type, by name.
    Enum(String),
}

impl ColumnType {
    /// A built-in type.
    pub fn builtin(spelling: impl Into<String>) -> ColumnType {
        ColumnType::Builtin(spelling.into())
    }

    /// What kind of values the type holds, for cast safety and default rendering.
    pub fn family(&self) -> TypeFamily {
        let spelling = match self {
            ColumnType::Enum(_) => return TypeFamily::Enum,
            ColumnType::Builtin(spelling) => spelling,
        };
        let base = spelling.split('(').next().unwrap_or(spelling).trim();
        match base {
            "SMALLINT" | "INTEGER" | "INT" | "INT2" | "INT4" | "SERIAL" | "SMALLSERIAL" => {
                TypeFamily::Int
            }
            "BIGINT" | "INT8" | "BIGSERIAL" => TypeFamily::BigInt,
            "REAL" | "DOUBLE PRECISION" | "FLOAT" | "DOUBLE" => TypeFamily::Float,
            "DECIMAL" | "NUMERIC" | "MONEY" => TypeFamily::Decimal,
            "BOOLEAN" | "BOOL" => TypeFamily::Boolean,
            "TEXT" | "VARCHAR" | "CHAR" | "CITEXT" | "XML" | "INET" | "BIT" | "VARBIT" => {
                TypeFamily::String
            }
            "UUID" => TypeFamily::Uuid,
            "TIMESTAMP" | "TIMESTAMPTZ" | "DATE" | "TIME" | "TIMETZ" | "DATETIME" => {
                TypeFamily::DateTime
            }
            "JSON" | "JSONB" => TypeFamily::Json,
            "BYTEA" | "BLOB" => TypeFamily::Bytes,
            _ => TypeFamily::Other,
        }
    }
}

impl std::fmt::Display for ColumnType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ColumnType::Builtin(spelling) => f.write_str(spelling),
            ColumnType::Enum(name) => write!(f, "\"{}\"", name.replace('"', "\"\"")),
        }
    }
}

/// The kind of values a [`ColumnType`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeFamily {
    /// 16- or 32-bit integers.
    Int,
    /// 64-bit integers.
    BigInt,
    /// Floating point.
    Float,
    /// Exact decimals.
    Decimal,
    /// Booleans.
    Boolean,
    /// Text of any kind.
    String,
    /// UUIDs.
    Uuid,
    /// Dates, times and timestamps.
    DateTime,
    /// JSON.
    Json,
    /// Binary.
    Bytes,
    /// A PostgreSQL enum.
    Enum,
    /// Anything else.
    Other,
}

/// A column default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultValue {
    /// A string (also an enum value or a JSON document): rendered as a quoted literal.
    String(String),
    /// A number, spelled as in SQL (`0`, `1.5`, `9007199254740993`).
    Number(String),
    /// `true` or `false`.
    Boolean(bool),
    /// Binary, rendered `'\x…'` on PostgreSQL and as a hex string on SQLite, as Prisma does.
    Bytes(Vec<u8>),
    /// `CURRENT_TIMESTAMP`.
    Now,
    /// Any other SQL expression, kept verbatim (`dbgenerated("…")`).
    Expression(String),
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKey {
    /// The constraint's name (`User_pkey`); SQLite primary keys have none.
    pub name: Option<String>,
    /// The key's columns, in order.
    pub columns: Vec<String>,
}

/// An index, unique or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The index's name (`User_email_key`, `User_createdAt_idx`).
    pub name: String,
    /// The indexed columns, in order.
    pub columns: Vec<IndexColumn>,
    /// Whether it is unique.
    pub unique: bool,
    /// The PostgreSQL access method when it is not the default B-tree (`HASH`, `GIN`, `GIST`,
    /// `SPGIST`, `BRIN`).
    pub algorithm: Option<String>,
}

impl Index {
    /// An index on `columns` in their default order.
    pub fn new(name: impl Into<String>, columns: &[&str], unique: bool) -> Index {
        Index {
            name: name.into(),
            columns: columns.iter().map(|c| IndexColumn::new(*c)).collect(),
            unique,
            algorithm: None,
        }
    }

    /// The indexed column names.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Whether two indexes have the same definition, whatever their names.
    pub fn same_definition(&self, other: &Index) -> bool {
        self.columns == other.columns
            && self.unique == other.unique
            && self.algorithm == other.algorithm
    }
}

/// One column of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexColumn {
    /// The column's name.
    pub name: String,
    /// An explicit sort order; `None` is ascending.
    pub sort: Option<SortOrder>,
}

impl IndexColumn {
    /// A column in the default (ascending) order.
    pub fn new(name: impl Into<String>) -> IndexColumn {
        IndexColumn {
            name: name.into(),
            sort: None,
        }
    }
}

/// An index column's sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
}

impl SortOrder {
    /// `"ASC"` or `"DESC"`.
    pub fn as_sql(self) -> &'static str {
        match self {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint's name (`Order_userId_fkey`). SQLite reports no names when introspected
    /// from its pragmas; they are read from the table's SQL when present.
    pub name: Option<String>,
    /// The referencing columns, in order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub referenced_table: String,
    /// The referenced columns, in order.
    pub referenced_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: ReferentialAction,
    /// `ON UPDATE`.
    pub on_update: ReferentialAction,
}

impl ForeignKey {
    /// Whether two foreign keys constrain the same columns the same way, whatever their names.
    pub fn same_definition(&self, other: &ForeignKey) -> bool {
        self.columns == other.columns
            && self.referenced_table == other.referenced_table
            && self.referenced_columns == other.referenced_columns
            && self.on_delete == other.on_delete
            && self.on_update == other.on_update
    }
}

/// What a foreign key does when the referenced row is deleted or its key updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferentialAction {
    /// `CASCADE`.
    Cascade,
    /// `RESTRICT`.
    Restrict,
    /// `NO ACTION`.
    NoAction,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL spelling (`"SET NULL"`).
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Parses the SQL spelling, in any case.
    pub fn from_sql(text: &str) -> Option<ReferentialAction> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "CASCADE" => ReferentialAction::Cascade,
            "RESTRICT" => ReferentialAction::Restrict,
            "NO ACTION" => ReferentialAction::NoAction,
            "SET NULL" => ReferentialAction::SetNull,
            "SET DEFAULT" => ReferentialAction::SetDefault,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_families_follow_the_base_type() {
        assert_eq!(
            ColumnType::builtin("TIMESTAMP(3)").family(),
            TypeFamily::DateTime
        );
        assert_eq!(
            ColumnType::builtin("DECIMAL(65,30)").family(),
            TypeFamily::Decimal
        );
        assert_eq!(
            ColumnType::builtin("DOUBLE PRECISION").family(),
            TypeFamily::Float
        );
        assert_eq!(ColumnType::Enum("Role".into()).family(), TypeFamily::Enum);
        assert_eq!(ColumnType::builtin("POINT").family(), TypeFamily::Other);
    }

    #[test]
    fn normalized_orders_tables_and_indexes_by_name() {
        let mut b = Table::new("B");
        b.indexes.push(Index::new("z", &["x"], false));
        b.indexes.push(Index::new("a", &["x"], true));
        let schema = SqlSchema {
            enums: vec![],
            tables: vec![b, Table::new("A")],
        }
        .normalized();
        assert_eq!(schema.tables[0].name, "A");
        assert_eq!(schema.tables[1].indexes[0].name, "a");
    }
}
