//! The database shape a Prisma schema describes: the [`SqlSchema`] Prisma 7's migration engine
//! would create for it, names, types and defaults included.
//!
//! - Tables in model order (views are not tables), then the implicit many-to-many tables.
//! - Columns in field order; relation fields have none. Types follow Prisma's mapping per
//!   provider, or the field's `@db.*` native type.
//! - Defaults that live in the database: constants, `now()` (`CURRENT_TIMESTAMP`),
//!   `autoincrement()` (a sequence), `dbgenerated("…")`. `cuid()`, `uuid()`, `nanoid()`,
//!   `ulid()` and `@updatedAt` are filled in by the client and have no database default.
//! - Unique constraints and indexes in source order (field attributes first), with Prisma's
//!   constraint names; foreign keys in field order; none with `relationMode = "prisma"`.
//!
//! Deliberate differences from Prisma on SQLite, where Prisma's output is broken: a
//! `BigInt @id @default(autoincrement())` column is `INTEGER … PRIMARY KEY AUTOINCREMENT` (a
//! rowid alias, so inserts get ids) instead of `BIGINT NOT NULL PRIMARY KEY`; a `Json`
//! default is a quoted string literal instead of bare text; a `Bytes` default is a blob
//! literal.

use orm_schema::ir::{
    self, Arity, DefaultKind, DefaultLiteral, FieldId, IndexAlgorithm, ProviderKind, RelationMode,
    ScalarFieldType, ScalarType,
};

use super::model::{
    Column, ColumnType, DefaultValue, Enum, ForeignKey, Index, IndexColumn, PrimaryKey,
    ReferentialAction, SortOrder, SqlSchema, Table,
};
use crate::sql::Dialect;

/// The dialect of a schema's datasource (`None` without a datasource).
pub fn schema_dialect(schema: &ir::Schema) -> Option<Dialect> {
    Some(match schema.provider()?.kind {
        ProviderKind::Sqlite => Dialect::Sqlite,
        _ => Dialect::Postgres,
    })
}

/// The database shape Prisma creates for `schema` on `dialect`.
pub fn from_schema(schema: &ir::Schema, dialect: Dialect) -> SqlSchema {
    let mut out = SqlSchema::default();
    if dialect == Dialect::Postgres {
        for e in schema.enums() {
            out.enums.push(Enum {
                name: e.db_name.clone(),
                values: e.values.iter().map(|v| v.db_name.clone()).collect(),
            });
        }
    }
    let foreign_keys = schema
        .datasource()
        .is_none_or(|d| d.relation_mode == RelationMode::ForeignKeys);

    for model in schema.models().filter(|m| !m.is_view) {
        let mut table = Table::new(model.db_name.clone());
        for field in model.scalar_fields() {
            table.columns.push(column(schema, field, dialect));
        }
        if let Some(pk) = model.primary_key() {
            table.primary_key = Some(PrimaryKey {
                name: (dialect == Dialect::Postgres).then(|| pk.constraint_name.clone()),
                columns: pk
                    .fields
                    .iter()
                    .map(|f| column_name(schema, f.field))
                    .collect(),
            });
        }
        // Unique constraints and indexes in source order: field attributes come first since
        // fields precede block attributes.
        let mut indexes: Vec<(u32, Index)> = Vec::new();
        for unique in &model.unique_constraints {
            indexes.push((
                unique.span.start,
                Index {
                    name: unique.constraint_name.clone(),
                    columns: index_columns(schema, &unique.fields),
                    unique: true,
                    algorithm: None,
                },
            ));
        }
        for index in &model.indexes {
            let algorithm = (dialect == Dialect::Postgres
                && index.algorithm != IndexAlgorithm::BTree)
                .then(|| index.algorithm.as_sql().to_ascii_uppercase());
            indexes.push((
                index.span.start,
                Index {
                    name: index.constraint_name.clone(),
                    columns: index_columns(schema, &index.fields),
                    unique: false,
                    algorithm,
                },
            ));
        }
        indexes.sort_by_key(|(start, _)| *start);
        table.indexes = indexes.into_iter().map(|(_, i)| i).collect();

        if foreign_keys {
            let mut fks: Vec<(usize, ForeignKey)> = model
                .foreign_keys()
                .map(|(_, fk)| {
                    let position = model
                        .fields
                        .iter()
                        .position(|f| schema.field(fk.relation_field).name == f.name)
                        .unwrap_or(usize::MAX);
                    (
                        position,
                        ForeignKey {
                            name: Some(fk.constraint_name.clone()),
                            columns: fk.fields.iter().map(|f| column_name(schema, *f)).collect(),
                            referenced_table: schema.model(fk.referenced_model).db_name.clone(),
                            referenced_columns: fk
                                .references
                                .iter()
                                .map(|f| column_name(schema, *f))
                                .collect(),
                            on_delete: action(fk.on_delete),
                            on_update: action(fk.on_update),
                        },
                    )
                })
                .collect();
            fks.sort_by_key(|(position, _)| *position);
            table.foreign_keys = fks.into_iter().map(|(_, fk)| fk).collect();
        }
        out.tables.push(table);
    }

    for (_, join) in schema.join_tables() {
        let mut table = Table::new(join.name.clone());
        for side in [&join.column_a, &join.column_b] {
            let referenced = schema.field(side.references);
            let mut column = match referenced.as_scalar() {
                Some(scalar) => self::column(schema, scalar, dialect),
                None => Column::new("", ColumnType::builtin("TEXT")),
            };
            column.name = side.name.clone();
            column.nullable = false;
            column.list = false;
            column.default = None;
            column.auto_increment = false;
            table.columns.push(column);
            if foreign_keys {
                table.foreign_keys.push(ForeignKey {
                    name: Some(side.foreign_key_name.clone()),
                    columns: vec![side.name.clone()],
                    referenced_table: schema.model(side.model).db_name.clone(),
                    referenced_columns: vec![column_name(schema, side.references)],
                    on_delete: ReferentialAction::Cascade,
                    on_update: ReferentialAction::Cascade,
                });
            }
        }
        let ab = vec![join.column_a.name.clone(), join.column_b.name.clone()];
        if join.ab_is_primary_key {
            table.primary_key = Some(PrimaryKey {
                name: (dialect == Dialect::Postgres).then(|| join.ab_constraint_name.clone()),
                columns: ab,
            });
        } else {
            table.indexes.push(Index {
                name: join.ab_constraint_name.clone(),
                columns: ab.into_iter().map(IndexColumn::new).collect(),
                unique: true,
                algorithm: None,
            });
        }
        table.indexes.push(Index {
            name: join.b_index_name.clone(),
            columns: vec![IndexColumn::new(join.column_b.name.clone())],
            unique: false,
            algorithm: None,
        });
        out.tables.push(table);
    }
    out
}

fn column_name(schema: &ir::Schema, field: FieldId) -> String {
    let field = schema.field(field);
    match field.as_scalar() {
        Some(scalar) => scalar.db_name.clone(),
        None => field.name.clone(),
    }
}

fn index_columns(schema: &ir::Schema, fields: &[ir::IndexField]) -> Vec<IndexColumn> {
    fields
        .iter()
        .map(|f| IndexColumn {
            name: column_name(schema, f.field),
            sort: match f.sort {
                Some(ir::SortOrder::Desc) => Some(SortOrder::Desc),
                _ => None,
            },
        })
        .collect()
}

fn action(action: ir::ReferentialAction) -> ReferentialAction {
    match action {
        ir::ReferentialAction::Cascade => ReferentialAction::Cascade,
        ir::ReferentialAction::Restrict => ReferentialAction::Restrict,
        ir::ReferentialAction::NoAction => ReferentialAction::NoAction,
        ir::ReferentialAction::SetNull => ReferentialAction::SetNull,
        ir::ReferentialAction::SetDefault => ReferentialAction::SetDefault,
    }
}

fn column(schema: &ir::Schema, field: ir::ScalarFieldRef<'_>, dialect: Dialect) -> Column {
    let model = field.model();
    let single_pk = model
        .primary_key()
        .is_some_and(|pk| pk.fields.len() == 1 && pk.fields[0].field == field.id());
    let mut auto_increment = field.is_autoincrement();
    let mut ty = column_type(schema, &field, dialect);
    if dialect == Dialect::Sqlite && single_pk {
        // Only an INTEGER primary key is a rowid alias that generates values.
        if auto_increment {
            ty = ColumnType::builtin("INTEGER");
        }
        // Prisma writes AUTOINCREMENT on every single-column INTEGER primary key.
        auto_increment = ty == ColumnType::builtin("INTEGER");
    }
    let arity = field.arity();
    let mut column = Column::new(field.db_name.clone(), ty);
    column.list = arity == Arity::List;
    column.nullable = arity != Arity::Required;
    column.auto_increment = auto_increment;
    column.default = field
        .default
        .as_ref()
        .and_then(|d| default(&field, &d.kind, dialect));
    column
}

fn column_type(
    schema: &ir::Schema,
    field: &ir::ScalarFieldRef<'_>,
    dialect: Dialect,
) -> ColumnType {
    let scalar = match &field.field_type {
        ScalarFieldType::Enum(id) => {
            return match dialect {
                Dialect::Postgres => ColumnType::Enum(schema.enum_(*id).db_name.clone()),
                _ => ColumnType::builtin("TEXT"),
            };
        }
        ScalarFieldType::Unsupported(text) => return ColumnType::Builtin(text.clone()),
        ScalarFieldType::Scalar(scalar) => *scalar,
    };
    if dialect == Dialect::Postgres
        && let Some(native) = &field.native_type
    {
        return ColumnType::Builtin(postgres_native_type(&native.name, &native.args));
    }
    let spelling = match (dialect, scalar) {
        (Dialect::Sqlite, ScalarType::String) => "TEXT",
        (Dialect::Sqlite, ScalarType::Boolean) => "BOOLEAN",
        (Dialect::Sqlite, ScalarType::Int) => "INTEGER",
        (Dialect::Sqlite, ScalarType::BigInt) => "BIGINT",
        (Dialect::Sqlite, ScalarType::Float) => "REAL",
        (Dialect::Sqlite, ScalarType::Decimal) => "DECIMAL",
        (Dialect::Sqlite, ScalarType::DateTime) => "DATETIME",
        (Dialect::Sqlite, ScalarType::Json) => "JSONB",
        (Dialect::Sqlite, ScalarType::Bytes) => "BLOB",
        (_, ScalarType::String) => "TEXT",
        (_, ScalarType::Boolean) => "BOOLEAN",
        (_, ScalarType::Int) => "INTEGER",
        (_, ScalarType::BigInt) => "BIGINT",
        (_, ScalarType::Float) => "DOUBLE PRECISION",
        (_, ScalarType::Decimal) => "DECIMAL(65,30)",
        (_, ScalarType::DateTime) => "TIMESTAMP(3)",
        (_, ScalarType::Json) => "JSONB",
        (_, ScalarType::Bytes) => "BYTEA",
    };
    ColumnType::builtin(spelling)
}

/// `@db.VarChar(200)` → `VARCHAR(200)`, as Prisma's PostgreSQL renderer spells native types.
fn postgres_native_type(name: &str, args: &[String]) -> String {
    let args = args.iter().map(|a| a.trim()).collect::<Vec<_>>();
    let optional = |base: &str| match args.first() {
        Some(arg) => format!("{base}({arg})"),
        None => base.to_owned(),
    };
    match name {
        "Text" => "TEXT".to_owned(),
        "VarChar" => optional("VARCHAR"),
        "Char" => optional("CHAR"),
        "Uuid" => "UUID".to_owned(),
        "Xml" => "XML".to_owned(),
        "Inet" => "INET".to_owned(),
        "Citext" => "CITEXT".to_owned(),
        "Bit" => optional("BIT"),
        "VarBit" => optional("VARBIT"),
        "SmallInt" => "SMALLINT".to_owned(),
        "Integer" => "INTEGER".to_owned(),
        "BigInt" => "BIGINT".to_owned(),
        "Oid" => "OID".to_owned(),
        "Decimal" => match args.as_slice() {
            [p, s] => format!("DECIMAL({p},{s})"),
            [p] => format!("DECIMAL({p},0)"),
            _ => "DECIMAL".to_owned(),
        },
        "Money" => "MONEY".to_owned(),
        "Real" => "REAL".to_owned(),
        "DoublePrecision" => "DOUBLE PRECISION".to_owned(),
        "Timestamp" => optional("TIMESTAMP"),
        "Timestamptz" => optional("TIMESTAMPTZ"),
        "Date" => "DATE".to_owned(),
        "Time" => optional("TIME"),
        "Timetz" => optional("TIMETZ"),
        "Json" => "JSON".to_owned(),
        "JsonB" => "JSONB".to_owned(),
        "ByteA" => "BYTEA".to_owned(),
        "Boolean" => "BOOLEAN".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

fn default(
    field: &ir::ScalarFieldRef<'_>,
    kind: &DefaultKind,
    dialect: Dialect,
) -> Option<DefaultValue> {
    match kind {
        DefaultKind::Value(literal) => Some(literal_default(field, literal, dialect)),
        DefaultKind::Now => Some(DefaultValue::Now),
        DefaultKind::DbGenerated(Some(expr)) => Some(DefaultValue::Expression(match dialect {
            Dialect::Sqlite => super::render::sqlite::unparenthesized(expr).to_owned(),
            _ => expr.clone(),
        })),
        _ => None,
    }
}

fn literal_default(
    field: &ir::ScalarFieldRef<'_>,
    literal: &DefaultLiteral,
    dialect: Dialect,
) -> DefaultValue {
    match literal {
        DefaultLiteral::String(s) | DefaultLiteral::Json(s) | DefaultLiteral::DateTime(s) => {
            DefaultValue::String(s.clone())
        }
        DefaultLiteral::Boolean(b) => DefaultValue::Boolean(*b),
        DefaultLiteral::Int(n) | DefaultLiteral::BigInt(n) => DefaultValue::Number(n.to_string()),
        DefaultLiteral::Float(f) => DefaultValue::Number(f.to_string()),
        DefaultLiteral::Decimal(d) => DefaultValue::Number(d.clone()),
        DefaultLiteral::Bytes(b64) => DefaultValue::Bytes(decode_base64(b64).unwrap_or_default()),
        DefaultLiteral::Enum(name) => {
            let db_name = field
                .enum_type()
                .and_then(|e| e.value(name).map(|v| v.db_name.clone()))
                .unwrap_or_else(|| name.clone());
            DefaultValue::String(db_name)
        }
        DefaultLiteral::List(items) => {
            let rendered: Vec<String> = items
                .iter()
                .map(|item| {
                    let value = literal_default(field, item, dialect);
                    super::render::default_sql(&value, dialect)
                })
                .collect();
            DefaultValue::Expression(format!("ARRAY[{}]", rendered.join(", ")))
        }
    }
}

/// Decodes standard base64 (with or without padding).
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
