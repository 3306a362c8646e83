//! The read builders: `find_unique`, `find_first`, `find_many` (and their `*_or_throw`),
//! `count`.

use std::marker::PhantomData;

use super::aggregate::Fields;
use super::filter::{OrderBy, UniqueWhere, Where, all};
use super::{Actions, Model, Payload, check, note};
use crate::client::{Client, Operation};
use crate::engine::{
    CountArgs, FindManyArgs, FindUniqueArgs, ReadOperation, Records, RelationLoadStrategy,
    Selection,
};
use crate::error::{Error, Result};

/// The selection of model `M`'s struct: every scalar field.
pub(crate) fn model_selection<M: Model>() -> Selection {
    Selection::scalars(M::SCALARS.to_vec())
}

/// Defines a builder struct over engine arguments `$args`, with `Debug`.
macro_rules! builder {
    ($(#[$doc:meta])* $name:ident($args:ty)) => {
        $(#[$doc])*
        #[must_use = "a query does nothing until it is executed"]
        pub struct $name<'a, M, T = M> {
            pub(crate) client: &'a $crate::client::Client,
            pub(crate) args: $args,
            pub(crate) problem: Option<&'static str>,
            pub(crate) _types: ::std::marker::PhantomData<fn() -> (M, T)>,
        }

        impl<M, T> std::fmt::Debug for $name<'_, M, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("args", &self.args)
                    .field("problem", &self.problem)
                    .finish()
            }
        }

        impl<'a, M: $crate::model::Model, T> $name<'a, M, T> {
            pub(crate) fn with_args(client: &'a $crate::client::Client, args: $args) -> Self {
                $name { client, args, problem: None, _types: ::std::marker::PhantomData }
            }

            /// Returns `P` instead: a payload type defined with the model's `include!` macro,
            /// with its relations' arguments (`UserWithOrders::args()`).
            pub fn include<P: $crate::model::Payload<Model = M>>(self, payload: $crate::model::PayloadArgs<P>) -> $name<'a, M, P> {
                let mut problem = self.problem;
                let mut args = self.args;
                match payload.into_selection() {
                    Ok(selection) => args.selection = selection,
                    Err(p) => $crate::model::note(&mut problem, Some(p)),
                }
                $name { client: self.client, args, problem, _types: ::std::marker::PhantomData }
            }

            /// Returns `P` instead: a payload type defined with the model's `select!` macro.
            /// (The same as [`include`](Self::include): what is read is decided by `P`.)
            pub fn select<P: $crate::model::Payload<Model = M>>(self, payload: $crate::model::PayloadArgs<P>) -> $name<'a, M, P> {
                self.include(payload)
            }

            /// Returns `P` instead: a payload type defined with the model's `omit!` macro.
            /// (The same as [`include`](Self::include): what is read is decided by `P`.)
            pub fn omit<P: $crate::model::Payload<Model = M>>(self, payload: $crate::model::PayloadArgs<P>) -> $name<'a, M, P> {
                self.include(payload)
            }
        }
    };
}
pub(crate) use builder;

/// Adds `exec` and [`Operation`] to a builder: `$run` turns (client, args) into the output.
macro_rules! runs {
    ($name:ident, $output:ty, |$client:ident, $args:ident| $run:expr) => {
        impl<'a, M: $crate::model::Model, T: $crate::model::Payload<Model = M>> $name<'a, M, T> {
            /// Runs the query on the client the builder was made from.
            ///
            /// # Errors
            ///
            /// See [`Operation::run`].
            pub async fn exec(self) -> $crate::error::Result<$output> {
                let client = self.client;
                $crate::client::Operation::run(self, client).await
            }
        }

        impl<M: $crate::model::Model, T: $crate::model::Payload<Model = M>>
            $crate::client::Operation for $name<'_, M, T>
        {
            type Output = $output;

            async fn run(self, $client: &$crate::client::Client) -> $crate::error::Result<$output> {
                $crate::model::check::<M>(self.problem)?;
                let $args = self.args;
                $run
            }
        }
    };
}
pub(crate) use runs;

/// Adds `relation_load_strategy` to a read builder.
macro_rules! strategy {
    ($name:ident) => {
        impl<M, T> $name<'_, M, T> {
            /// How included relations load: [`RelationLoadStrategy::Query`] (one statement per
            /// relation level, the default) or [`RelationLoadStrategy::Join`] (one statement,
            /// PostgreSQL only).
            pub fn relation_load_strategy(mut self, strategy: RelationLoadStrategy) -> Self {
                self.args.strategy = strategy;
                self
            }
        }
    };
}

/// Adds ordering and pagination to a builder whose arguments have `order_by`, `cursor`,
/// `skip` and `take`.
macro_rules! paginated {
    ($name:ident) => {
        impl<M, T> $name<'_, M, T> {
            /// Orders the records by one more term (terms apply in call order).
            pub fn order_by(mut self, order: OrderBy<M>) -> Self {
                match order.into_order() {
                    Ok(o) => self.args.order_by.push(o),
                    Err(p) => note(&mut self.problem, Some(p)),
                }
                self
            }

            /// Starts at the record `cursor` names (included; with a negative `take`, ends at
            /// it). A cursor on a missing record gives no records.
            pub fn cursor(mut self, cursor: UniqueWhere<M>) -> Self {
                self.args.cursor = Some(cursor.into_filter());
                self
            }

            /// Skips `n` records.
            pub fn skip(mut self, n: i64) -> Self {
                self.args.skip = Some(n);
                self
            }

            /// Takes `n` records; negative takes `-n` from the end, still returned in
            /// `order_by` order.
            pub fn take(mut self, n: i64) -> Self {
                self.args.take = Some(n);
                self
            }
        }
    };
}

/// Adds `distinct` to a builder over [`FindManyArgs`].
macro_rules! distinct {
    ($name:ident) => {
        impl<M, T> $name<'_, M, T> {
            /// Keeps the first record (in `order_by` order) of each combination of `fields`
            /// (one handle, `user::email::field()`, or a tuple of them).
            pub fn distinct(mut self, fields: impl Fields<M>) -> Self {
                self.args.distinct.clear();
                fields.field_ids(&mut self.args.distinct);
                self
            }
        }
    };
}

builder!(
    /// `findMany`: built by [`Actions::find_many`]; `exec().await` gives every matching record
    /// as a `T` (the model struct unless a payload was chosen).
    FindMany(FindManyArgs)
);
paginated!(FindMany);
distinct!(FindMany);
strategy!(FindMany);
runs!(FindMany, Vec<T>, |client, args| {
    read_as::<M, T>(client, ReadOperation::FindMany, args).await
});

builder!(
    /// `findFirst`: built by [`Actions::find_first`]; `exec().await` gives the first matching
    /// record in `order_by` order, if any.
    FindFirst(FindManyArgs)
);
paginated!(FindFirst);
distinct!(FindFirst);
strategy!(FindFirst);
runs!(FindFirst, Option<T>, |client, args| {
    Ok(read_as::<M, T>(client, ReadOperation::FindFirst, args)
        .await?
        .into_iter()
        .next())
});

builder!(
    /// `findFirstOrThrow`: as [`FindFirst`], failing with
    /// [`Error::NotFound`] naming the model when no record matches.
    FindFirstOrThrow(FindManyArgs)
);
paginated!(FindFirstOrThrow);
distinct!(FindFirstOrThrow);
strategy!(FindFirstOrThrow);
runs!(FindFirstOrThrow, T, |client, args| {
    one::<M, _>(read_as::<M, T>(client, ReadOperation::FindFirstOrThrow, args).await?)
});

builder!(
    /// `findUnique`: built by [`Actions::find_unique`]; `exec().await` gives the record the
    /// unique filter names, if it exists.
    FindUnique(FindUniqueArgs)
);
strategy!(FindUnique);
runs!(FindUnique, Option<T>, |client, args| {
    let args = args.into_find_many();
    Ok(read_as::<M, T>(client, ReadOperation::FindUnique, args)
        .await?
        .into_iter()
        .next())
});

builder!(
    /// `findUniqueOrThrow`: as [`FindUnique`], failing with [`Error::NotFound`] naming the
    /// model when the record does not exist.
    FindUniqueOrThrow(FindUniqueArgs)
);
strategy!(FindUniqueOrThrow);
runs!(FindUniqueOrThrow, T, |client, args| {
    let args = args.into_find_many();
    one::<M, _>(read_as::<M, T>(client, ReadOperation::FindUniqueOrThrow, args).await?)
});

/// `count`: built by [`Actions::count`]; `exec().await` gives the number of matching records
/// (after `cursor`, `skip` and `take`).
#[must_use = "a query does nothing until it is executed"]
pub struct Count<'a, M> {
    client: &'a Client,
    args: CountArgs,
    problem: Option<&'static str>,
    _types: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Count<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Count").field("args", &self.args).finish()
    }
}

impl<M: Model> Count<'_, M> {
    /// Orders the records (matters with `cursor`).
    pub fn order_by(mut self, order: OrderBy<M>) -> Self {
        match order.into_order() {
            Ok(o) => self.args.order_by.push(o),
            Err(p) => note(&mut self.problem, Some(p)),
        }
        self
    }

    /// Counts from the record `cursor` names.
    pub fn cursor(mut self, cursor: UniqueWhere<M>) -> Self {
        self.args.cursor = Some(cursor.into_filter());
        self
    }

    /// Skips `n` records.
    pub fn skip(mut self, n: i64) -> Self {
        self.args.skip = Some(n);
        self
    }

    /// Counts `n` records at most.
    pub fn take(mut self, n: i64) -> Self {
        self.args.take = Some(n);
        self
    }

    /// Runs the query on the client the builder was made from.
    ///
    /// # Errors
    ///
    /// See [`Operation::run`].
    pub async fn exec(self) -> Result<i64> {
        let client = self.client;
        self.run(client).await
    }
}

impl<M: Model> Operation for Count<'_, M> {
    type Output = i64;

    async fn run(self, client: &Client) -> Result<i64> {
        check::<M>(self.problem)?;
        let counts = client.count(M::ID, self.args).await?;
        Ok(counts.first().copied().unwrap_or(0))
    }
}

impl<'a, M: Model> Actions<'a, M> {
    fn many_args(filters: Vec<Where<M>>) -> FindManyArgs {
        FindManyArgs {
            filter: all(filters),
            selection: model_selection::<M>(),
            ..FindManyArgs::default()
        }
    }

    fn unique_args(filter: UniqueWhere<M>) -> FindUniqueArgs {
        FindUniqueArgs {
            filter: filter.into_filter(),
            selection: model_selection::<M>(),
            ..FindUniqueArgs::default()
        }
    }

    /// `findMany`: the records matching every filter (`vec![]`: all of them).
    pub fn find_many(self, filters: Vec<Where<M>>) -> FindMany<'a, M> {
        FindMany::with_args(self.client, Self::many_args(filters))
    }

    /// `findFirst`: the first record matching every filter.
    pub fn find_first(self, filters: Vec<Where<M>>) -> FindFirst<'a, M> {
        FindFirst::with_args(self.client, Self::many_args(filters))
    }

    /// `findFirstOrThrow`: the first record matching every filter, or
    /// [`Error::NotFound`].
    pub fn find_first_or_throw(self, filters: Vec<Where<M>>) -> FindFirstOrThrow<'a, M> {
        FindFirstOrThrow::with_args(self.client, Self::many_args(filters))
    }

    /// `findUnique`: the record a unique filter names (`user::email::equals("a@b.co")`).
    pub fn find_unique(self, filter: UniqueWhere<M>) -> FindUnique<'a, M> {
        FindUnique::with_args(self.client, Self::unique_args(filter))
    }

    /// `findUniqueOrThrow`: the record a unique filter names, or
    /// [`Error::NotFound`].
    pub fn find_unique_or_throw(self, filter: UniqueWhere<M>) -> FindUniqueOrThrow<'a, M> {
        FindUniqueOrThrow::with_args(self.client, Self::unique_args(filter))
    }

    /// `count`: the number of records matching every filter.
    pub fn count(self, filters: Vec<Where<M>>) -> Count<'a, M> {
        Count {
            client: self.client,
            args: CountArgs {
                filter: all(filters),
                ..CountArgs::default()
            },
            problem: None,
            _types: PhantomData,
        }
    }
}

/// Runs a read of `operation` and decodes its records as `T`: row by row as the adapter reads
/// them when `T` decodes from single rows (model structs, payloads without relations),
/// otherwise from the whole [`Records`].
async fn read_as<M: Model, T: Payload<Model = M>>(
    client: &Client,
    operation: ReadOperation,
    args: FindManyArgs,
) -> Result<Vec<T>> {
    if let Some(decode) = T::row_decoder() {
        return client.read_rows_as(operation, M::ID, args, decode).await;
    }
    let records = client.read_records(operation, M::ID, args).await?;
    if operation == ReadOperation::FindMany {
        records.decode()
    } else {
        Ok(records.decode_first()?.into_iter().collect())
    }
}

/// The record of an `OrThrow` read of model `M` (which fails rather than return none).
fn one<M: Model, T>(records: Vec<T>) -> Result<T> {
    records.into_iter().next().ok_or_else(|| Error::NotFound {
        model: M::NAME.to_owned(),
        operation: "a query".to_owned(),
    })
}

/// Decodes the records of a write that must have returned one.
pub(crate) fn decode_one<T: crate::engine::FromRecords>(
    records: Records,
    model: &'static str,
    operation: &str,
) -> Result<T> {
    records.decode_first()?.ok_or_else(|| Error::NotFound {
        model: model.to_owned(),
        operation: operation.to_owned(),
    })
}
