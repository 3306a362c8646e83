//! The write builders: `create`, `create_many`, `create_many_and_return`, `update`,
//! `update_many`, `upsert`, `delete`, `delete_many`.

use std::marker::PhantomData;

use super::data::{Creation, Data, update_data};
use super::filter::{UniqueWhere, Where, all};
use super::read::{builder, decode_one, model_selection, runs};
use super::{Actions, Model, check, note};
use crate::client::{Client, Operation};
use crate::engine::{
    CreateArgs, CreateData, CreateManyArgs, DeleteArgs, Filter, UpdateArgs, UpdateData,
    UpdateManyArgs, UpsertArgs,
};
use crate::error::Result;

builder!(
    /// `create`: built by [`Actions::create`]; `exec().await` inserts the record (with its
    /// nested writes, atomically) and gives it back as a `T`.
    Create(CreateArgs)
);
runs!(Create, T, |client, args| {
    decode_one(client.create(M::ID, args).await?, M::NAME, "a create")
});

builder!(
    /// `createManyAndReturn`: built by [`Actions::create_many_and_return`]; `exec().await`
    /// gives the created records (scalars only: `select`/`omit` payloads without relations).
    CreateManyAndReturn(CreateManyArgs)
);
runs!(CreateManyAndReturn, Vec<T>, |client, args| {
    client.create_many_and_return(M::ID, args).await?.decode()
});

impl<M, T> CreateManyAndReturn<'_, M, T> {
    /// Skips records that conflict with a unique constraint (`ON CONFLICT DO NOTHING`; Prisma
    /// rejects it on SQLite, here it works there too).
    pub fn skip_duplicates(mut self) -> Self {
        self.args.skip_duplicates = true;
        self
    }
}

builder!(
    /// `update`: built by [`Actions::update`]; `exec().await` gives the updated record, or
    /// [`Error::NotFound`](crate::Error::NotFound) when the unique filter names none.
    Update(UpdateArgs)
);
runs!(Update, T, |client, args| {
    decode_one(client.update(M::ID, args).await?, M::NAME, "an update")
});

builder!(
    /// `upsert`: built by [`Actions::upsert`]; `exec().await` updates the record the unique
    /// filter names, or creates it, and gives it back.
    Upsert(UpsertArgs)
);
runs!(Upsert, T, |client, args| {
    decode_one(client.upsert(M::ID, args).await?, M::NAME, "an upsert")
});

builder!(
    /// `delete`: built by [`Actions::delete`]; `exec().await` gives the deleted record, or
    /// [`Error::NotFound`](crate::Error::NotFound) when the unique filter names none.
    Delete(DeleteArgs)
);
runs!(Delete, T, |client, args| {
    decode_one(client.delete(M::ID, args).await?, M::NAME, "a delete")
});

/// A write that returns the number of records it touched.
macro_rules! counting {
    ($(#[$doc:meta])* $name:ident($args:ty), |$client:ident, $a:ident| $run:expr) => {
        $(#[$doc])*
        #[must_use = "a query does nothing until it is executed"]
        pub struct $name<'a, M> {
            client: &'a Client,
            args: $args,
            problem: Option<&'static str>,
            _types: PhantomData<fn() -> M>,
        }

        impl<M> std::fmt::Debug for $name<'_, M> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("args", &self.args)
                    .field("problem", &self.problem)
                    .finish()
            }
        }

        impl<M: Model> $name<'_, M> {
            /// Runs the query on the client the builder was made from; gives the number of
            /// records written.
            ///
            /// # Errors
            ///
            /// See [`Operation::run`].
            pub async fn exec(self) -> Result<u64> {
                let client = self.client;
                self.run(client).await
            }
        }

        impl<M: Model> Operation for $name<'_, M> {
            type Output = u64;

            async fn run(self, $client: &Client) -> Result<u64> {
                check::<M>(self.problem)?;
                let $a = self.args;
                $run
            }
        }
    };
}

counting!(
    /// `createMany`: built by [`Actions::create_many`]; inserts the records in as few
    /// statements as the bind-parameter limit allows (in one transaction when there are
    /// several).
    CreateMany(CreateManyArgs),
    |client, args| client.create_many(M::ID, args).await
);

impl<M> CreateMany<'_, M> {
    /// Skips records that conflict with a unique constraint (`ON CONFLICT DO NOTHING`; Prisma
    /// rejects it on SQLite, here it works there too).
    pub fn skip_duplicates(mut self) -> Self {
        self.args.skip_duplicates = true;
        self
    }
}

counting!(
    /// `updateMany`: built by [`Actions::update_many`].
    UpdateMany(UpdateManyArgs),
    |client, args| client.update_many(M::ID, args).await
);

counting!(
    /// `deleteMany`: built by [`Actions::delete_many`].
    DeleteMany(Filter),
    |client, filter| client.delete_many(M::ID, filter).await
);

/// Create data for many records, or the first problem among them.
fn creations<M>(
    data: impl IntoIterator<Item = impl Into<Creation<M>>>,
) -> (Vec<CreateData>, Option<&'static str>) {
    let mut problem = None;
    let data = data
        .into_iter()
        .filter_map(|c| match c.into().into_data() {
            Ok(d) => Some(d),
            Err(p) => {
                note(&mut problem, Some(p));
                None
            }
        })
        .collect();
    (data, problem)
}

fn split<T: Default>(result: Result<T, &'static str>) -> (T, Option<&'static str>) {
    match result {
        Ok(v) => (v, None),
        Err(p) => (T::default(), Some(p)),
    }
}

impl<'a, M: Model> Actions<'a, M> {
    /// `create`: a new record from the model's `Create` struct (the required fields),
    /// with optional fields and nested writes added by its `with`.
    pub fn create(self, data: impl Into<Creation<M>>) -> Create<'a, M> {
        let (data, problem) = split(data.into().into_data());
        let mut builder = Create::with_args(
            self.client,
            CreateArgs {
                data,
                selection: model_selection::<M>(),
            },
        );
        builder.problem = problem;
        builder
    }

    /// `createMany`: new records (scalar fields only), counted.
    pub fn create_many(
        self,
        data: impl IntoIterator<Item = impl Into<Creation<M>>>,
    ) -> CreateMany<'a, M> {
        let (data, problem) = creations(data);
        CreateMany {
            client: self.client,
            args: CreateManyArgs {
                data,
                ..CreateManyArgs::default()
            },
            problem,
            _types: PhantomData,
        }
    }

    /// `createManyAndReturn`: new records (scalar fields only), returned.
    pub fn create_many_and_return(
        self,
        data: impl IntoIterator<Item = impl Into<Creation<M>>>,
    ) -> CreateManyAndReturn<'a, M> {
        let (data, problem) = creations(data);
        let mut builder = CreateManyAndReturn::with_args(
            self.client,
            CreateManyArgs {
                data,
                skip_duplicates: false,
                selection: model_selection::<M>(),
            },
        );
        builder.problem = problem;
        builder
    }

    /// `update`: changes the record the unique filter names.
    pub fn update(self, filter: UniqueWhere<M>, data: Vec<Data<M>>) -> Update<'a, M> {
        let (data, problem) = split(update_data(data));
        let mut builder = Update::with_args(
            self.client,
            UpdateArgs {
                filter: filter.into_filter(),
                data,
                selection: model_selection::<M>(),
            },
        );
        builder.problem = problem;
        builder
    }

    /// `updateMany`: changes every record matching the filters (scalar fields only).
    pub fn update_many(self, filters: Vec<Where<M>>, data: Vec<Data<M>>) -> UpdateMany<'a, M> {
        let (data, problem): (UpdateData, _) = split(update_data(data));
        UpdateMany {
            client: self.client,
            args: UpdateManyArgs {
                filter: all(filters),
                data,
            },
            problem,
            _types: PhantomData,
        }
    }

    /// `upsert`: updates the record the unique filter names with `update`, or creates it
    /// from `create` (one `INSERT … ON CONFLICT … DO UPDATE` where the shape allows).
    pub fn upsert(
        self,
        filter: UniqueWhere<M>,
        create: impl Into<Creation<M>>,
        update: Vec<Data<M>>,
    ) -> Upsert<'a, M> {
        let (create, p1) = split(create.into().into_data());
        let (update, p2) = split(update_data(update));
        let mut builder = Upsert::with_args(
            self.client,
            UpsertArgs {
                filter: filter.into_filter(),
                create,
                update,
                selection: model_selection::<M>(),
            },
        );
        builder.problem = p1.or(p2);
        builder
    }

    /// `delete`: deletes the record the unique filter names and gives it back.
    pub fn delete(self, filter: UniqueWhere<M>) -> Delete<'a, M> {
        Delete::with_args(
            self.client,
            DeleteArgs {
                filter: filter.into_filter(),
                selection: model_selection::<M>(),
            },
        )
    }

    /// `deleteMany`: deletes every record matching the filters.
    pub fn delete_many(self, filters: Vec<Where<M>>) -> DeleteMany<'a, M> {
        DeleteMany {
            client: self.client,
            args: all(filters),
            problem: None,
            _types: PhantomData,
        }
    }
}
