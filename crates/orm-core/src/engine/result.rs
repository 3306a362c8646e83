//! What a read returns: rows of one model plus, per included relation, the related rows
//! grouped by parent row, ready for typed decoding without a lookup or a per-row allocation.
//!
//! Both relation load strategies produce the same shape, so generated decoders do not care
//! which one ran:
//!
//! ```text
//! Records (User)                 rows: [u1, u2, u3]
//! └─ RelationRecords (orders)    offsets: [0, 2, 2, 5]   → u1: rows 0..2, u2: none, u3: 2..5
//!    └─ Records (Order)          rows: [o1, o2, o7, o8, o9]
//!       └─ RelationRecords …     (grouped by the Order rows, to any depth)
//! ```
//!
//! A generated payload type decodes its relations first (one `Vec` per parent, in parent
//! order), then walks its own rows and moves each relation's group into the struct:
//!
//! ```
//! use orm_core::engine::{FromRecords, Records};
//! use orm_core::{FromRow, Result, RowCursor};
//!
//! struct Order { id: i32 }
//! impl FromRow for Order {
//!     fn from_row(row: &mut RowCursor<'_>) -> Result<Self> {
//!         Ok(Order { id: row.take(0)? })
//!     }
//! }
//!
//! struct UserWithOrders { id: i32, orders: Vec<Order> }
//! impl FromRecords for UserWithOrders {
//!     fn from_records(records: Records) -> Result<Vec<Self>> {
//!         let (rows, mut relations) = records.into_parts();
//!         let mut orders = relations.next_many::<Order>()?.into_iter();
//!         rows.decode_with(|row| {
//!             Ok(UserWithOrders { id: row.take(0)?, orders: orders.next().unwrap_or_default() })
//!         })
//!     }
//! }
//! ```

use crate::error::{Error, Result};
use crate::row::{FromRow, ResultSet, RowDecoder};

/// The rows of one model read by a query, with the records of each included relation.
///
/// Row layout: the selection's scalars in order, then one `BigInt` per relation count, then
/// possibly hidden columns the engine needed (keys); decoders read by position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    /// The rows.
    pub rows: ResultSet,
    /// One entry per included relation of the selection, in selection order.
    pub relations: Vec<RelationRecords>,
}

/// The records of one included relation, for all parent rows at once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelationRecords {
    /// The related rows, grouped: the rows of parent `i` are `offsets[i]..offsets[i + 1]`, in
    /// the relation's `orderBy` order. A record related to two parents appears twice.
    pub records: Records,
    /// Group boundaries; `parents + 1` entries, starting at 0.
    pub offsets: Vec<usize>,
}

impl Records {
    /// Records without relations.
    pub fn new(rows: ResultSet) -> Self {
        Records {
            rows,
            relations: Vec::new(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Splits into the rows and an iterator over the relations (in selection order).
    pub fn into_parts(self) -> (ResultSet, Relations) {
        (
            self.rows,
            Relations {
                inner: self.relations.into_iter(),
            },
        )
    }

    /// Decodes into `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    pub fn decode<T: FromRecords>(self) -> Result<Vec<T>> {
        T::from_records(self)
    }

    /// Decodes the first record, if any.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    pub fn decode_first<T: FromRecords>(self) -> Result<Option<T>> {
        T::first_from_records(self)
    }
}

impl RelationRecords {
    /// The number of parent rows.
    pub fn parents(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Decodes into one `Vec` per parent row (to-many relations).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    pub fn decode_many<T: FromRecords>(self) -> Result<Vec<Vec<T>>> {
        let parents = self.parents();
        let mut all = T::from_records(self.records)?.into_iter();
        let mut out = Vec::with_capacity(parents);
        for pair in self.offsets.windows(2) {
            let n = pair[1].saturating_sub(pair[0]);
            out.push(all.by_ref().take(n).collect());
        }
        Ok(out)
    }

    /// Decodes into one `Option` per parent row (to-one relations).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    pub fn decode_one<T: FromRecords>(self) -> Result<Vec<Option<T>>> {
        let parents = self.parents();
        let mut all = T::from_records(self.records)?.into_iter();
        let mut out = Vec::with_capacity(parents);
        for pair in self.offsets.windows(2) {
            let mut group = all.by_ref().take(pair[1].saturating_sub(pair[0]));
            out.push(group.next());
            group.for_each(drop);
        }
        Ok(out)
    }
}

/// The relations of a [`Records`], taken in selection order by a decoder.
#[derive(Debug)]
pub struct Relations {
    inner: std::vec::IntoIter<RelationRecords>,
}

impl Relations {
    /// The next relation's raw records.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the selection had fewer relations than the decoder reads.
    pub fn next_records(&mut self) -> Result<RelationRecords> {
        self.inner.next().ok_or_else(|| Error::Decode {
            column: "(relation)".to_owned(),
            expected: "an included relation".to_owned(),
            actual: "no more relations in the result".to_owned(),
        })
    }

    /// Decodes the next relation as to-many: one `Vec` per parent row.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when there is no next relation or a value does not convert.
    pub fn next_many<T: FromRecords>(&mut self) -> Result<Vec<Vec<T>>> {
        self.next_records()?.decode_many()
    }

    /// Decodes the next relation as to-one: one `Option` per parent row.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when there is no next relation or a value does not convert.
    pub fn next_one<T: FromRecords>(&mut self) -> Result<Vec<Option<T>>> {
        self.next_records()?.decode_one()
    }
}

/// Decoding of a query's [`Records`] (rows and included relations) into Rust values.
///
/// Every [`FromRow`] type decodes this way, ignoring relations; generated payload types with
/// includes implement it to decode their relations too.
pub trait FromRecords: Sized {
    /// Decodes every record.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    fn from_records(records: Records) -> Result<Vec<Self>>;

    /// Decodes the first record only (`findUnique`, `findFirst`). The default decodes every
    /// record and keeps the first; a type decoded row by row ([`FromRow`]) decodes just that
    /// row, without collecting a `Vec`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the column that does not convert.
    fn first_from_records(records: Records) -> Result<Option<Self>> {
        Ok(Self::from_records(records)?.into_iter().next())
    }

    /// The decoder of a type decoded from single rows, with no relations ([`FromRow`] types):
    /// reads of such a type decode each row as the adapter reads it
    /// ([`Client::read_rows_as`](crate::client::Client::read_rows_as)). `None` (the default)
    /// for types that need the whole [`Records`].
    fn row_decoder() -> Option<RowDecoder<Self>> {
        None
    }
}

impl<T: FromRow> FromRecords for T {
    fn from_records(records: Records) -> Result<Vec<Self>> {
        records.rows.decode()
    }

    fn first_from_records(records: Records) -> Result<Option<Self>> {
        records.rows.decode_first()
    }

    fn row_decoder() -> Option<RowDecoder<Self>> {
        Some(T::from_row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn rows(ids: &[i32]) -> ResultSet {
        let mut rs = ResultSet::new(vec!["id".into()]);
        for id in ids {
            rs.push(Value::Int(*id));
        }
        rs
    }

    #[test]
    fn groups_follow_offsets() {
        let relation = RelationRecords {
            records: Records::new(rows(&[10, 11, 30])),
            offsets: vec![0, 2, 2, 3],
        };
        let groups: Vec<Vec<(i32,)>> = relation.decode_many().unwrap();
        assert_eq!(groups, vec![vec![(10,), (11,)], vec![], vec![(30,)]]);
    }

    #[test]
    fn to_one_groups_become_options() {
        let relation = RelationRecords {
            records: Records::new(rows(&[7, 9])),
            offsets: vec![0, 1, 1, 2],
        };
        let one: Vec<Option<(i32,)>> = relation.decode_one().unwrap();
        assert_eq!(one, vec![Some((7,)), None, Some((9,))]);
    }
}
