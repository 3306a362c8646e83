//! Rows returned by a query, and decoding them into Rust types.
//!
//! An adapter returns a [`ResultSet`]: the column names once, and every row's values in one
//! row-major buffer (one allocation for the whole result, not one per row). Decoding with
//! [`ResultSet::decode`] moves each value out of that buffer into the target type, so a decoded
//! row costs no more allocation than the driver's own values did.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::value::{CellRef, FromValue, Value};

/// The rows of one query: column names and values, row by row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultSet {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl ResultSet {
    /// An empty result with the given columns, with room for `rows` rows.
    pub fn with_capacity(columns: Vec<String>, rows: usize) -> Self {
        let values = Vec::with_capacity(columns.len().saturating_mul(rows));
        ResultSet {
            columns: columns.into(),
            values,
        }
    }

    /// An empty result whose column names are shared with other results, with room for
    /// `rows` rows. Adapters that cache a statement's column names use it so that running the
    /// statement again does not copy them.
    pub fn with_shared_columns(columns: Arc<[String]>, rows: usize) -> Self {
        let values = Vec::with_capacity(columns.len().saturating_mul(rows));
        ResultSet { columns, values }
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve_rows(&mut self, rows: usize) {
        self.values.reserve(self.columns.len().saturating_mul(rows));
    }

    /// A result from column names shared with other results and a row-major buffer of
    /// `columns.len()` values per row.
    pub fn from_parts(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        ResultSet { columns, values }
    }

    /// The column names (shared) and the row-major values.
    pub fn into_parts(self) -> (Arc<[String]>, Vec<Value>) {
        (self.columns, self.values)
    }

    /// An empty result with the given columns.
    pub fn new(columns: Vec<String>) -> Self {
        Self::with_capacity(columns, 0)
    }

    /// Appends one value to the row being built. Adapters push exactly
    /// `columns().len()` values per row, in column order.
    #[inline]
    pub fn push(&mut self, value: Value) {
        self.values.push(value);
    }

    /// The column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The position of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.values
            .len()
            .checked_div(self.columns.len())
            .unwrap_or(0)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Borrows the rows one by one.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> {
        let width = self.columns.len().max(1);
        self.values.chunks(width).map(|values| RowRef {
            columns: &self.columns,
            values,
        })
    }

    /// Splits the result into owned rows.
    pub fn into_rows(self) -> Vec<Row> {
        let width = self.columns.len().max(1);
        let mut rows = Vec::with_capacity(self.len());
        let mut values = self.values.into_iter();
        loop {
            let row: Vec<Value> = values.by_ref().take(width).collect();
            if row.is_empty() {
                break;
            }
            rows.push(Row {
                columns: Arc::clone(&self.columns),
                values: row,
            });
        }
        rows
    }

    /// Decodes every row into `T`.
    ///
    /// # Errors
    ///
    /// The first row that does not decode: [`Error::Decode`] naming the column.
    pub fn decode<T: FromRow>(self) -> Result<Vec<T>> {
        self.decode_with(T::from_row)
    }

    /// Decodes the first row into `T`, if there is one; the other rows are dropped undecoded.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column of the first row that does not convert.
    pub fn decode_first<T: FromRow>(mut self) -> Result<Option<T>> {
        let width = self.columns.len().max(1);
        match self.values.get_mut(..width) {
            Some(values) => T::from_row(&mut RowCursor {
                columns: &self.columns,
                values,
                cells: None,
            })
            .map(Some),
            None => Ok(None),
        }
    }

    /// Hands every row to `each` in order ([`Queryable::query_each`](crate::Queryable::query_each)'s
    /// contract over a collected result); returns the number of rows.
    ///
    /// # Errors
    ///
    /// The first error `each` returns.
    pub fn for_each_row(
        mut self,
        each: &mut dyn FnMut(&mut RowCursor<'_>) -> Result<()>,
    ) -> Result<u64> {
        let width = self.columns.len().max(1);
        let mut rows = 0;
        for values in self.values.chunks_mut(width) {
            each(&mut RowCursor {
                columns: &self.columns,
                values,
                cells: None,
            })?;
            rows += 1;
        }
        Ok(rows)
    }

    /// Decodes every row with `f`, which moves values out of the row it is given (generated
    /// decoders of payloads with relations use it).
    ///
    /// # Errors
    ///
    /// The first error `f` returns.
    pub fn decode_with<T>(
        mut self,
        mut f: impl FnMut(&mut RowCursor<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let width = self.columns.len().max(1);
        let mut out = Vec::with_capacity(self.len());
        for values in self.values.chunks_mut(width) {
            out.push(f(&mut RowCursor {
                columns: &self.columns,
                values,
                cells: None,
            })?);
        }
        Ok(out)
    }
}

/// A borrowed row of a [`ResultSet`].
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> RowRef<'a> {
    /// The value of column `name`, if the row has that column.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        let index = self.columns.iter().position(|c| c == name)?;
        self.values.get(index)
    }

    /// The values in column order.
    pub fn values(&self) -> &'a [Value] {
        self.values
    }
}

/// One row with its column names, owned.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    /// The column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The values, in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The value of column `name`, converted to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when there is no such column or the value does not convert.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<T> {
        let index = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| missing_column(name))?;
        T::from_value(self.values[index].clone(), name)
    }

    /// Consumes the row into its values, in column order.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }
}

/// A function decoding one row into `T` ([`FromRow::from_row`], or a payload's decoder).
pub type RowDecoder<T> = fn(&mut RowCursor<'_>) -> Result<T>;

/// Read access to one row while decoding it: values are moved out as they are read, or, over
/// an adapter's [`Cells`], converted straight from the driver's row.
pub struct RowCursor<'a> {
    columns: &'a [String],
    values: &'a mut [Value],
    cells: Option<&'a dyn Cells>,
}

impl std::fmt::Debug for RowCursor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowCursor")
            .field("columns", &self.columns)
            .field("values", &self.values)
            .field("cells", &self.cells.is_some())
            .finish()
    }
}

/// A row as the driver holds it, read cell by cell without building [`Value`]s: what an
/// adapter hands to [`Queryable::query_each`](crate::Queryable::query_each) through
/// [`RowCursor::over_cells`]. Each cell converts straight into the Rust type it is read as
/// ([`FromValue::from_cell`]).
pub trait Cells {
    /// The cell of column `index`, borrowed from the row.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the row has no such column or its text is not UTF-8.
    fn cell(&self, index: usize) -> Result<CellRef<'_>>;
}

impl<'a> RowCursor<'a> {
    /// A cursor over `values`, named by `columns` (same length).
    pub fn new(columns: &'a [String], values: &'a mut [Value]) -> Self {
        RowCursor {
            columns,
            values,
            cells: None,
        }
    }

    /// A cursor over a driver's row, named by `columns`.
    pub fn over_cells(columns: &'a [String], cells: &'a dyn Cells) -> Self {
        RowCursor {
            columns,
            values: &mut [],
            cells: Some(cells),
        }
    }

    /// The column names.
    pub fn columns(&self) -> &'a [String] {
        self.columns
    }

    /// The row's values, to normalise in place before decoding; none over [`Cells`], whose
    /// cells convert to their Rust types themselves.
    pub(crate) fn values_mut(&mut self) -> &mut [Value] {
        self.values
    }

    /// Moves the value at `index` out (leaving null) and converts it to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the index is out of range or the value does not convert.
    pub fn take<T: FromValue>(&mut self, index: usize) -> Result<T> {
        let column = self.columns.get(index).map(String::as_str).unwrap_or("?");
        if let Some(cells) = self.cells {
            return T::from_cell(cells.cell(index)?, column);
        }
        let value = self
            .values
            .get_mut(index)
            .ok_or_else(|| missing_column(&format!("#{index}")))?;
        T::from_value(std::mem::take(value), column)
    }

    /// Moves the value of column `name` out and converts it to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when there is no such column or the value does not convert.
    pub fn take_named<T: FromValue>(&mut self, name: &str) -> Result<T> {
        let index = self
            .columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| missing_column(name))?;
        self.take(index)
    }
}

fn missing_column(name: &str) -> Error {
    Error::Decode {
        column: name.to_owned(),
        expected: "a column of that name".to_owned(),
        actual: "no such column".to_owned(),
    }
}

/// Decoding of one row into a Rust type.
///
/// Generated model structs implement it by position (the client writes the `SELECT` list);
/// `#[derive(FromRow)]` implements it by column name for raw SQL; tuples decode by position.
pub trait FromRow: Sized {
    /// Builds `Self` from the row under `row`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    fn from_row(row: &mut RowCursor<'_>) -> Result<Self>;
}

impl FromRow for Row {
    fn from_row(row: &mut RowCursor<'_>) -> Result<Self> {
        Ok(Row {
            columns: row.columns.to_vec().into(),
            values: row.values.iter_mut().map(std::mem::take).collect(),
        })
    }
}

macro_rules! tuple_from_row {
    ($($name:ident : $index:tt),+) => {
        impl<$($name: FromValue),+> FromRow for ($($name,)+) {
            fn from_row(row: &mut RowCursor<'_>) -> Result<Self> {
                Ok(($(row.take::<$name>($index)?,)+))
            }
        }
    };
}

tuple_from_row!(A: 0);
tuple_from_row!(A: 0, B: 1);
tuple_from_row!(A: 0, B: 1, C: 2);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResultSet {
        let mut rs = ResultSet::new(vec!["id".into(), "email".into()]);
        for (id, email) in [(1, "a@b.co"), (2, "c@d.co")] {
            rs.push(Value::Int(id));
            rs.push(Value::String(email.into()));
        }
        rs
    }

    #[test]
    fn decodes_tuples_by_position() {
        let rows: Vec<(i32, String)> = sample().decode().unwrap();
        assert_eq!(rows, vec![(1, "a@b.co".into()), (2, "c@d.co".into())]);
    }

    #[test]
    fn decode_first_decodes_only_the_first_row() {
        let first: Option<(i32, String)> = sample().decode_first().unwrap();
        assert_eq!(first, Some((1, "a@b.co".into())));
        let none: Option<(i32, String)> = ResultSet::new(vec!["id".into(), "email".into()])
            .decode_first()
            .unwrap();
        assert_eq!(none, None);
        // A conversion error of the first row is reported, naming the column.
        let err = sample().decode_first::<(i32, i32)>().unwrap_err();
        assert!(err.to_string().contains("email"), "{err}");
    }

    #[test]
    fn owned_rows_read_by_name() {
        let rows = sample().into_rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].get::<String>("email").unwrap(), "c@d.co");
        assert!(rows[1].get::<String>("nope").is_err());
    }

    #[test]
    fn counts_rows_and_borrows_them() {
        let rs = sample();
        assert_eq!(rs.len(), 2);
        let ids: Vec<&Value> = rs.rows().filter_map(|r| r.value("id")).collect();
        assert_eq!(ids, vec![&Value::Int(1), &Value::Int(2)]);
    }
}
