//! Reading the shape of a live database into a [`SqlSchema`]: `pg_catalog` on PostgreSQL
//! (the current schema only), `sqlite_master` and the table pragmas on SQLite.
//!
//! Types come back spelled as Prisma's DDL spells them (`int4` is `INTEGER`, `numeric(65,30)`
//! is `DECIMAL(65,30)`) and defaults are parsed into [`DefaultValue`]s (casts stripped, serial
//! sequences recognised), so a database created from a schema introspects to the model built
//! from that schema.

use super::error::{MigrateError, MigrateResult};
use super::model::{
    Column, ColumnType, DefaultValue, Enum, ForeignKey, Index, IndexColumn, PrimaryKey,
    ReferentialAction, SortOrder, SqlSchema, Table, TypeFamily,
};
use crate::adapter::Queryable;
use crate::row::RowRef;
use crate::sql::{Dialect, Sql};
use crate::value::{FromValue, Value};

/// Reads the shape of the database behind `db`.
///
/// # Errors
///
/// The database's error, or [`MigrateError::Unexpected`] when a catalog row has an unexpected
/// shape.
pub async fn introspect(db: &dyn Queryable) -> MigrateResult<SqlSchema> {
    match db.dialect() {
        Dialect::Sqlite => introspect_sqlite(db).await,
        _ => introspect_postgres(db).await,
    }
}

fn get<T: FromValue>(row: &RowRef<'_>, column: &str) -> MigrateResult<T> {
    let value = row.value(column).cloned().unwrap_or(Value::Null);
    T::from_value(value, column).map_err(|e| MigrateError::Unexpected {
        what: "catalog row",
        detail: e.to_string(),
    })
}

fn table_mut<'a>(tables: &'a mut [Table], name: &str) -> Option<&'a mut Table> {
    tables.iter_mut().find(|t| t.name == name)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const PG_ENUMS: &str = "SELECT t.typname::text AS name, e.enumlabel::text AS value
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema()
ORDER BY t.oid, e.enumsortorder";

const PG_COLUMNS: &str = "SELECT c.relname::text AS table_name, a.attname::text AS name,
  t.typname::text AS type_name, t.typtype::text AS type_kind, a.atttypmod::int4 AS typmod,
  et.typname::text AS elem_name, et.typtype::text AS elem_kind,
  a.attnotnull AS not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.oid, a.attnum";

const PG_CONSTRAINTS: &str = "SELECT tc.relname::text AS table_name, con.conname::text AS name,
  con.contype::text AS kind, a.attname::text AS column_name,
  fc.relname::text AS referenced_table, fa.attname::text AS referenced_column,
  con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class tc ON tc.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = tc.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord]
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f')
ORDER BY tc.oid, con.conname, k.ord";

const PG_INDEXES: &str = "SELECT tc.relname::text AS table_name, ic.relname::text AS name,
  i.indisunique AS is_unique, am.amname::text AS method, a.attname::text AS column_name,
  ((i.indoption::int2[])[k.ord - 1] & 1) = 1 AS descending
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = tc.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND NOT i.indisprimary
ORDER BY tc.oid, ic.oid, k.ord";

async fn introspect_postgres(db: &dyn Queryable) -> MigrateResult<SqlSchema> {
    let mut schema = SqlSchema::default();

    for row in db.query(&Sql::new(PG_ENUMS)).await?.rows() {
        let name: String = get(&row, "name")?;
        let value: String = get(&row, "value")?;
        match schema.enums.iter_mut().find(|e| e.name == name) {
            Some(e) => e.values.push(value),
            None => schema.enums.push(Enum {
                name,
                values: vec![value],
            }),
        }
    }

    for row in db.query(&Sql::new(PG_COLUMNS)).await?.rows() {
        let table_name: String = get(&row, "table_name")?;
        let type_name: String = get(&row, "type_name")?;
        let type_kind: String = get(&row, "type_kind")?;
        let typmod: i32 = get(&row, "typmod")?;
        let elem_name: Option<String> = get(&row, "elem_name")?;
        let elem_kind: Option<String> = get(&row, "elem_kind")?;
        let (ty, list) = match (elem_name, elem_kind) {
            (Some(elem), Some(kind)) => (pg_type(&elem, &kind, typmod), true),
            _ => (pg_type(&type_name, &type_kind, typmod), false),
        };
        let not_null: bool = get(&row, "not_null")?;
        let default_expr: Option<String> = get(&row, "default_expr")?;
        let mut column = Column::new(get::<String>(&row, "name")?, ty);
        column.list = list;
        column.nullable = !not_null;
        match default_expr {
            Some(expr) if is_sequence_default(&expr) => column.auto_increment = true,
            Some(expr) => column.default = Some(parse_postgres_default(&expr, &column.ty)),
            None => {}
        }
        if table_mut(&mut schema.tables, &table_name).is_none() {
            schema.tables.push(Table::new(table_name.clone()));
        }
        if let Some(table) = table_mut(&mut schema.tables, &table_name) {
            table.columns.push(column);
        }
    }

    for row in db.query(&Sql::new(PG_CONSTRAINTS)).await?.rows() {
        let table_name: String = get(&row, "table_name")?;
        let name: String = get(&row, "name")?;
        let kind: String = get(&row, "kind")?;
        let column: String = get(&row, "column_name")?;
        let Some(table) = table_mut(&mut schema.tables, &table_name) else {
            continue;
        };
        if kind == "p" {
            let pk = table.primary_key.get_or_insert_with(|| PrimaryKey {
                name: Some(name.clone()),
                columns: Vec::new(),
            });
            pk.columns.push(column);
            continue;
        }
        let referenced_table: String = get(&row, "referenced_table")?;
        let referenced_column: String = get(&row, "referenced_column")?;
        let on_delete = pg_action(&get::<String>(&row, "on_delete")?);
        let on_update = pg_action(&get::<String>(&row, "on_update")?);
        match table
            .foreign_keys
            .iter_mut()
            .find(|fk| fk.name.as_deref() == Some(name.as_str()))
        {
            Some(fk) => {
                fk.columns.push(column);
                fk.referenced_columns.push(referenced_column);
            }
            None => table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns: vec![column],
                referenced_table,
                referenced_columns: vec![referenced_column],
                on_delete,
                on_update,
            }),
        }
    }

    for row in db.query(&Sql::new(PG_INDEXES)).await?.rows() {
        let table_name: String = get(&row, "table_name")?;
        let name: String = get(&row, "name")?;
        // Expression columns have no name; the model cannot describe them.
        let Some(column) = get::<Option<String>>(&row, "column_name")? else {
            continue;
        };
        let descending: bool = get(&row, "descending")?;
        let unique: bool = get(&row, "is_unique")?;
        let method: String = get(&row, "method")?;
        let Some(table) = table_mut(&mut schema.tables, &table_name) else {
            continue;
        };
        let index_column = IndexColumn {
            name: column,
            sort: descending.then_some(SortOrder::Desc),
        };
        match table.indexes.iter_mut().find(|i| i.name == name) {
            Some(index) => index.columns.push(index_column),
            None => table.indexes.push(Index {
                name,
                columns: vec![index_column],
                unique,
                algorithm: (method != "btree").then(|| method.to_ascii_uppercase()),
            }),
        }
    }
    Ok(schema)
}

/// A PostgreSQL type by catalog name and type modifier, spelled as Prisma's DDL spells it.
fn pg_type(name: &str, kind: &str, typmod: i32) -> ColumnType {
    if kind == "e" {
        return ColumnType::Enum(name.to_owned());
    }
    let arg = |n: i32| {
        if n >= 0 {
            format!("({n})")
        } else {
            String::new()
        }
    };
    let spelling = match name {
        "int2" => "SMALLINT".to_owned(),
        "int4" => "INTEGER".to_owned(),
        "int8" => "BIGINT".to_owned(),
        "float4" => "REAL".to_owned(),
        "float8" => "DOUBLE PRECISION".to_owned(),
        "bool" => "BOOLEAN".to_owned(),
        "numeric" if typmod >= 4 => {
            let m = typmod - 4;
            format!("DECIMAL({},{})", (m >> 16) & 0xffff, m & 0xffff)
        }
        "numeric" => "DECIMAL".to_owned(),
        "varchar" => format!("VARCHAR{}", arg(if typmod >= 4 { typmod - 4 } else { -1 })),
        "bpchar" => format!("CHAR{}", arg(if typmod >= 4 { typmod - 4 } else { -1 })),
        "timestamp" => format!("TIMESTAMP{}", arg(typmod)),
        "timestamptz" => format!("TIMESTAMPTZ{}", arg(typmod)),
        "time" => format!("TIME{}", arg(typmod)),
        "timetz" => format!("TIMETZ{}", arg(typmod)),
        "bit" => format!("BIT{}", arg(typmod)),
        "varbit" => format!("VARBIT{}", arg(typmod)),
        other => other.to_ascii_uppercase(),
    };
    ColumnType::Builtin(spelling)
}

fn pg_action(code: &str) -> ReferentialAction {
    match code {
        "r" => ReferentialAction::Restrict,
        "c" => ReferentialAction::Cascade,
        "n" => ReferentialAction::SetNull,
        "d" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

fn is_sequence_default(expr: &str) -> bool {
    expr.starts_with("nextval(")
}

/// Removes trailing `::type` casts (outside quotes) from a default expression.
fn strip_casts(mut expr: &str) -> &str {
    loop {
        let trimmed = expr.trim();
        let Some(pos) = last_cast(trimmed) else {
            return trimmed;
        };
        expr = &trimmed[..pos];
    }
}

/// The position of the last top-level `::` of `expr` if everything after it is a type name.
fn last_cast(expr: &str) -> Option<usize> {
    let pos = expr.rfind("::")?;
    let ty = &expr[pos + 2..];
    let is_type = !ty.is_empty()
        && !ty.contains('\'')
        && ty
            .chars()
            .all(|c| c.is_alphanumeric() || " _\"[](),.".contains(c));
    // The cast must not sit inside a string literal: an even number of quotes before it.
    let quotes_before = expr[..pos].matches('\'').count();
    (is_type && quotes_before.is_multiple_of(2)).then_some(pos)
}

fn unquote(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'"))
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix('-').unwrap_or(text);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
        && t.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

fn is_numeric_family(ty: &ColumnType) -> bool {
    matches!(
        ty.family(),
        TypeFamily::Int | TypeFamily::BigInt | TypeFamily::Float | TypeFamily::Decimal
    )
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Parses a PostgreSQL default expression (`'USER'::"Role"`, `'-1'::integer`, `now()`).
pub(crate) fn parse_postgres_default(expr: &str, ty: &ColumnType) -> DefaultValue {
    let bare = strip_casts(expr);
    let bare = bare
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .map(strip_casts)
        .unwrap_or(bare);
    if let Some(text) = unquote(bare) {
        if ty.family() == TypeFamily::Bytes
            && let Some(bytes) = text.strip_prefix("\\x").and_then(decode_hex)
        {
            return DefaultValue::Bytes(bytes);
        }
        if is_numeric_family(ty) && is_number(&text) {
            return DefaultValue::Number(text);
        }
        if ty.family() == TypeFamily::Boolean && matches!(text.as_str(), "true" | "false") {
            return DefaultValue::Boolean(text == "true");
        }
        return DefaultValue::String(text);
    }
    match bare.to_ascii_lowercase().as_str() {
        "true" => return DefaultValue::Boolean(true),
        "false" => return DefaultValue::Boolean(false),
        "current_timestamp" | "now()" | "current_timestamp(3)" => return DefaultValue::Now,
        _ => {}
    }
    if is_number(bare) {
        return DefaultValue::Number(bare.to_owned());
    }
    DefaultValue::Expression(expr.to_owned())
}

// ---------------------------------------------------------------------------------------------
// SQLite

async fn introspect_sqlite(db: &dyn Queryable) -> MigrateResult<SqlSchema> {
    let mut schema = SqlSchema::default();
    let tables = db
        .query(&Sql::new(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        ))
        .await?;
    for row in tables.rows() {
        let name: String = get(&row, "name")?;
        let sql: String = get::<Option<String>>(&row, "sql")?.unwrap_or_default();
        let param = vec![Value::String(name.clone())];
        let mut table = Table::new(name.clone());

        let info = db
            .query(&Sql::with_params(
                "SELECT name, type, \"notnull\" AS not_null, dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
                param.clone(),
            ))
            .await?;
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in info.rows() {
            let declared: String = get::<Option<String>>(&c, "type")?.unwrap_or_default();
            let mut column = Column::new(
                get::<String>(&c, "name")?,
                ColumnType::Builtin(declared.trim().to_owned()),
            );
            column.nullable = get::<i64>(&c, "not_null")? == 0;
            if let Some(d) = get::<Option<String>>(&c, "dflt_value")? {
                column.default = Some(parse_sqlite_default(&d, &column.ty));
            }
            let position: i64 = get(&c, "pk")?;
            if position > 0 {
                pk.push((position, column.name.clone()));
            }
            table.columns.push(column);
        }
        pk.sort();
        if !pk.is_empty() {
            table.primary_key = Some(PrimaryKey {
                name: None,
                columns: pk.into_iter().map(|(_, c)| c).collect(),
            });
        }
        if sql.to_ascii_uppercase().contains("AUTOINCREMENT")
            && let Some(pk) = &table.primary_key
            && pk.columns.len() == 1
        {
            let pk_column = pk.columns[0].clone();
            if let Some(c) = table.columns.iter_mut().find(|c| c.name == pk_column) {
                c.auto_increment = true;
            }
        }

        let indexes = db
            .query(&Sql::with_params(
                "SELECT il.name AS name, il.\"unique\" AS is_unique, il.origin AS origin FROM pragma_index_list(?1) AS il LEFT JOIN sqlite_master AS m ON m.type = 'index' AND m.name = il.name ORDER BY m.rowid, il.name",
                param.clone(),
            ))
            .await?;
        for i in indexes.rows() {
            let origin: String = get(&i, "origin")?;
            if origin == "pk" {
                continue;
            }
            let index_name: String = get(&i, "name")?;
            let columns = db
                .query(&Sql::with_params(
                    "SELECT name, \"desc\" AS descending FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
                    vec![Value::String(index_name.clone())],
                ))
                .await?;
            let mut index = Index {
                name: index_name,
                columns: Vec::new(),
                unique: get::<i64>(&i, "is_unique")? != 0,
                algorithm: None,
            };
            for c in columns.rows() {
                let Some(name) = get::<Option<String>>(&c, "name")? else {
                    continue;
                };
                index.columns.push(IndexColumn {
                    name,
                    sort: (get::<i64>(&c, "descending")? != 0).then_some(SortOrder::Desc),
                });
            }
            table.indexes.push(index);
        }

        let fks = db
            .query(&Sql::with_params(
                "SELECT id, \"table\" AS referenced_table, \"from\" AS column_name, \"to\" AS referenced_column, on_update, on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                param,
            ))
            .await?;
        let mut by_id: Vec<(i64, ForeignKey)> = Vec::new();
        for f in fks.rows() {
            let id: i64 = get(&f, "id")?;
            let column: String = get(&f, "column_name")?;
            let referenced: Option<String> = get(&f, "referenced_column")?;
            let position = by_id.iter().position(|(i, _)| *i == id);
            let fk = match position {
                Some(p) => &mut by_id[p].1,
                None => {
                    by_id.push((
                        id,
                        ForeignKey {
                            name: None,
                            columns: Vec::new(),
                            referenced_table: get(&f, "referenced_table")?,
                            referenced_columns: Vec::new(),
                            on_delete: ReferentialAction::from_sql(&get::<String>(
                                &f,
                                "on_delete",
                            )?)
                            .unwrap_or(ReferentialAction::NoAction),
                            on_update: ReferentialAction::from_sql(&get::<String>(
                                &f,
                                "on_update",
                            )?)
                            .unwrap_or(ReferentialAction::NoAction),
                        },
                    ));
                    let last = by_id.len() - 1;
                    &mut by_id[last].1
                }
            };
            fk.columns.push(column);
            fk.referenced_columns.extend(referenced);
        }
        // SQLite lists foreign keys last-declared first.
        by_id.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
        for (_, mut fk) in by_id {
            fk.name = sqlite_foreign_key_name(&sql, &fk.columns);
            table.foreign_keys.push(fk);
        }
        schema.tables.push(table);
    }

    // A foreign key without referenced columns points at the referenced table's primary key.
    let primary_keys: Vec<(String, Vec<String>)> = schema
        .tables
        .iter()
        .filter_map(|t| Some((t.name.clone(), t.primary_key.as_ref()?.columns.clone())))
        .collect();
    for table in &mut schema.tables {
        for fk in &mut table.foreign_keys {
            if fk.referenced_columns.is_empty()
                && let Some((_, pk)) = primary_keys.iter().find(|(t, _)| *t == fk.referenced_table)
            {
                fk.referenced_columns = pk.clone();
            }
        }
    }
    Ok(schema)
}

/// The name of the `CONSTRAINT "name" FOREIGN KEY ("a", "b")` clause of `sql` on `columns`.
fn sqlite_foreign_key_name(sql: &str, columns: &[String]) -> Option<String> {
    let wanted: Vec<String> = columns.iter().map(|c| c.to_ascii_lowercase()).collect();
    let upper = sql.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CONSTRAINT") {
        let start = from + at + "CONSTRAINT".len();
        from = start;
        let rest = sql[start..].trim_start();
        let (name, after) = take_identifier(rest)?;
        let after = after.trim_start();
        if !after.to_ascii_uppercase().starts_with("FOREIGN KEY") {
            continue;
        }
        let list = after["FOREIGN KEY".len()..].trim_start();
        let list = list.strip_prefix('(')?;
        let close = list.find(')')?;
        let found: Vec<String> = list[..close]
            .split(',')
            .filter_map(|c| take_identifier(c.trim()).map(|(n, _)| n.to_ascii_lowercase()))
            .collect();
        if found == wanted {
            return Some(name);
        }
    }
    None
}

/// A quoted (`"a""b"`, `` `a` ``, `[a]`) or bare identifier at the start of `text`, and the rest.
fn take_identifier(text: &str) -> Option<(String, &str)> {
    let first = text.chars().next()?;
    let close = match first {
        '"' => '"',
        '`' => '`',
        '[' => ']',
        _ => {
            let end = text
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(text.len());
            return (end > 0).then(|| (text[..end].to_owned(), &text[end..]));
        }
    };
    let mut name = String::new();
    let mut chars = text[1..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == close {
            if close != ']' && chars.peek().map(|(_, n)| *n) == Some(close) {
                name.push(c);
                chars.next();
                continue;
            }
            return Some((name, &text[1 + i + c.len_utf8()..]));
        }
        name.push(c);
    }
    None
}

/// Parses a SQLite `dflt_value` (the default's text as written in `CREATE TABLE`).
pub(crate) fn parse_sqlite_default(text: &str, ty: &ColumnType) -> DefaultValue {
    let mut bare = text.trim();
    while let Some(inner) = bare.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        bare = inner.trim();
    }
    if let Some(hex) = bare
        .strip_prefix("X'")
        .or_else(|| bare.strip_prefix("x'"))
        .and_then(|h| h.strip_suffix('\''))
        && let Some(bytes) = decode_hex(hex)
    {
        return DefaultValue::Bytes(bytes);
    }
    if let Some(s) = unquote(bare) {
        // Prisma writes a Bytes default as its hex digits in a text literal.
        if ty.family() == TypeFamily::Bytes
            && let Some(bytes) = decode_hex(&s)
        {
            return DefaultValue::Bytes(bytes);
        }
        if is_numeric_family(ty) && is_number(&s) {
            return DefaultValue::Number(s);
        }
        return DefaultValue::String(s);
    }
    match bare.to_ascii_lowercase().as_str() {
        "true" => return DefaultValue::Boolean(true),
        "false" => return DefaultValue::Boolean(false),
        "current_timestamp" => return DefaultValue::Now,
        _ => {}
    }
    if is_number(bare) {
        if ty.family() == TypeFamily::Boolean && matches!(bare, "0" | "1") {
            return DefaultValue::Boolean(bare == "1");
        }
        return DefaultValue::Number(bare.to_owned());
    }
    DefaultValue::Expression(super::render::sqlite::unparenthesized(text).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> ColumnType {
        ColumnType::builtin(s)
    }

    #[test]
    fn postgres_defaults_lose_their_casts() {
        assert_eq!(
            parse_postgres_default("'-1'::integer", &ty("INTEGER")),
            DefaultValue::Number("-1".into())
        );
        assert_eq!(
            parse_postgres_default(
                "'USER'::\"account_role\"",
                &ColumnType::Enum("account_role".into())
            ),
            DefaultValue::String("USER".into())
        );
        assert_eq!(
            parse_postgres_default("'a''b'::text", &ty("TEXT")),
            DefaultValue::String("a'b".into())
        );
        assert_eq!(
            parse_postgres_default("'\\x'::bytea", &ty("BYTEA")),
            DefaultValue::Bytes(vec![])
        );
        assert_eq!(
            parse_postgres_default("CURRENT_TIMESTAMP", &ty("TIMESTAMP(3)")),
            DefaultValue::Now
        );
        assert_eq!(
            parse_postgres_default("true", &ty("BOOLEAN")),
            DefaultValue::Boolean(true)
        );
        assert_eq!(
            parse_postgres_default("'{}'::jsonb", &ty("JSONB")),
            DefaultValue::String("{}".into())
        );
        assert_eq!(
            parse_postgres_default("gen_random_uuid()", &ty("UUID")),
            DefaultValue::Expression("gen_random_uuid()".into())
        );
    }

    #[test]
    fn sqlite_defaults_are_parsed_from_their_text() {
        assert_eq!(
            parse_sqlite_default("'USER'", &ty("TEXT")),
            DefaultValue::String("USER".into())
        );
        assert_eq!(
            parse_sqlite_default("0", &ty("DECIMAL")),
            DefaultValue::Number("0".into())
        );
        assert_eq!(
            parse_sqlite_default("true", &ty("BOOLEAN")),
            DefaultValue::Boolean(true)
        );
        assert_eq!(
            parse_sqlite_default("X'6869'", &ty("BLOB")),
            DefaultValue::Bytes(b"hi".to_vec())
        );
        assert_eq!(
            parse_sqlite_default("'6869'", &ty("BLOB")),
            DefaultValue::Bytes(b"hi".to_vec())
        );
        assert_eq!(
            parse_sqlite_default("CURRENT_TIMESTAMP", &ty("DATETIME")),
            DefaultValue::Now
        );
    }

    #[test]
    fn postgres_types_are_spelled_as_prisma_spells_them() {
        assert_eq!(
            pg_type("numeric", "b", (65 << 16 | 30) + 4),
            ty("DECIMAL(65,30)")
        );
        assert_eq!(pg_type("timestamp", "b", 3), ty("TIMESTAMP(3)"));
        assert_eq!(pg_type("varchar", "b", 204), ty("VARCHAR(200)"));
        assert_eq!(pg_type("float8", "b", -1), ty("DOUBLE PRECISION"));
        assert_eq!(pg_type("Role", "e", -1), ColumnType::Enum("Role".into()));
    }

    #[test]
    fn sqlite_foreign_key_names_are_read_from_the_table_sql() {
        let sql = "CREATE TABLE \"Order\" (\n    \"userId\" TEXT NOT NULL,\n    CONSTRAINT \"Order_userId_fkey\" FOREIGN KEY (\"userId\") REFERENCES \"User\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE\n)";
        assert_eq!(
            sqlite_foreign_key_name(sql, &["userId".into()]).as_deref(),
            Some("Order_userId_fkey")
        );
        assert_eq!(sqlite_foreign_key_name(sql, &["other".into()]), None);
    }
}
