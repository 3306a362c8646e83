//! The typed client: the generic half of what [`prisma_schema!`](crate::prisma_schema) generates.
//!
//! `prisma_schema!("prisma/schema.prisma")` writes, per model, a module (`user`) with the
//! model's struct (`User`), one module per field (`user::email`) whose functions build
//! filters, orderings and writes, and the create types; plus one Rust enum per schema enum and
//! a `PrismaClient`. The query builders those functions feed are written once, here, generic
//! over the model struct: `client.user()` is an [`Actions<'_, User>`](Actions) and
//! `find_many` returns a [`FindMany<'_, User>`](FindMany). Generated code stays small
//! (linear in the schema), and the builders are documented in one place.
//!
//! Every builder is a plain value: nothing is sent until `.exec().await`. It can also run on
//! another handle of the same client ([`Operation::run`](crate::client::Operation::run)), which is how batches of queries run
//! in one transaction.
//!
//! # Reading like Prisma
//!
//! ```text
//! prisma.user.findMany({                     prisma.user().find_many(vec![
//!   where: {                                     user::email::contains("@b.co"),
//!     email: { contains: "@b.co" },              user::orders::some(vec![order::total::gt(100)]),
//!     orders: { some: { total: { gt: 100 } } },  ])
//!   },                                       .order_by(user::created_at::desc())
//!   orderBy: { createdAt: "desc" },          .take(10)
//!   take: 10,                                .include(UserWithOrders::args())
//!   include: { orders: true },               .exec()
//! })                                         .await?
//! ```
//!
//! # What the types check
//!
//! - A filter exists only where Prisma has it: `contains` only on strings, `lt` only on
//!   ordered types, null checks only on optional fields, `has` only on scalar lists, and a
//!   field of another model does not fit (`Where<User>` is not `Where<Order>`).
//! - `find_unique`, `update`, `upsert`, `delete` and `cursor` take a [`UniqueWhere`], which only
//!   the `equals` of an `@id`/`@unique` field and the `equals` of an `@@id`/`@@unique`
//!   produce (`user::email::equals(e).and([…])` adds conditions). Both are names of one
//!   [`Condition`] type, so a mismatch reads "expected `Condition<User, Unique>`, found
//!   `Condition<User>`".
//! - A create takes the model's generated `Create` struct, whose fields are exactly the
//!   required fields without a default: leaving one out does not compile.
//! - What a query returns is the model struct or a payload type derived from the schema by
//!   the generated `include!`/`select!`/`omit!` macros ([`Payload`]).
//!
//! What the types do not check (the engine answers [`Error::InvalidQuery`] instead): an
//! `increment` inside a create, a nested write the relation does not allow (`disconnect` on a
//! required relation), and `nulls_first` on a required field.
//!
//! [`Error::InvalidQuery`]: crate::Error::InvalidQuery

// A struct around engine data, typed by the model it is about (a phantom `M`).
macro_rules! model_wrapper {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        pub struct $name<M> {
            pub(crate) inner: $inner,
            pub(crate) _model: ::std::marker::PhantomData<fn() -> M>,
        }

        impl<M> Clone for $name<M> {
            fn clone(&self) -> Self {
                $name { inner: self.inner.clone(), _model: ::std::marker::PhantomData }
            }
        }

        impl<M> PartialEq for $name<M> {
            fn eq(&self, other: &Self) -> bool {
                self.inner == other.inner
            }
        }

        impl<M> ::std::fmt::Debug for $name<M> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }
    };
}

mod aggregate;
mod data;
mod filter;
mod read;
#[doc(hidden)]
pub mod support;
mod write;

pub use aggregate::{Aggregate, Aggregates, Field, Fields, GroupBy, GroupOrder, Having};
pub use data::{Creation, Data, PayloadArgs, RelationArgs};
pub use filter::{
    Condition, FieldValue, JsonPathFilter, Nullable, OrderBy, TextFilter, UniqueWhere, Where,
    condition,
};
pub use read::{Count, FindFirst, FindFirstOrThrow, FindMany, FindUnique, FindUniqueOrThrow};
pub use write::{
    Create, CreateMany, CreateManyAndReturn, Delete, DeleteMany, Update, UpdateMany, Upsert,
};

use std::marker::PhantomData;

use crate::FromRow;
use crate::client::Client;
use crate::engine::{FieldId, FromRecords, ModelId, Selection};
use crate::error::Result;

pub use crate::engine::{QueryMode, RelationLoadStrategy};
pub use crate::query::{Direction, Nulls};

/// A model of the schema: implemented by the generated model struct (`User`), which is also
/// what a query returns when it neither selects nor includes.
pub trait Model: FromRow + Send + 'static {
    /// The model's id in the schema.
    const ID: ModelId;
    /// The model's name in the schema.
    const NAME: &'static str;
    /// Every scalar field, in schema order: the struct's fields.
    const SCALARS: &'static [FieldId];
}

/// A type a query of [`Payload::Model`] can return: the model struct itself, or a struct
/// defined by the generated `include!`, `select!` and `omit!` macros
/// (Prisma's `UserGetPayload<{ include: { orders: true } }>`), which decodes the scalars it
/// names and the relations it includes.
pub trait Payload: FromRecords + Send + 'static {
    /// The model queried.
    type Model: Model;

    /// What to read for this type: its scalars, relation counts and included relations
    /// (with their default arguments).
    fn selection() -> Selection;
}

/// The operations on one model: what `client.user()` returns.
///
/// Each method starts a builder; nothing runs until its `exec().await`.
#[derive(Debug)]
pub struct Actions<'a, M> {
    client: &'a Client,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Actions<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Actions<'_, M> {}

impl<'a, M: Model> Actions<'a, M> {
    /// The operations of model `M` on `client`.
    pub fn new(client: &'a Client) -> Self {
        Actions {
            client,
            _model: PhantomData,
        }
    }

    /// The client the operations run on.
    pub fn client(&self) -> &'a Client {
        self.client
    }
}

/// Fails with [`Error::InvalidQuery`](crate::Error::InvalidQuery) naming the model when a
/// builder recorded a problem the types could not rule out.
pub(crate) fn check<M: Model>(problem: Option<&'static str>) -> Result<()> {
    match problem {
        None => Ok(()),
        Some(message) => Err(crate::Error::InvalidQuery {
            model: M::NAME.to_owned(),
            field: None,
            message: message.to_owned(),
        }),
    }
}

/// Keeps the first problem seen.
pub(crate) fn note(slot: &mut Option<&'static str>, problem: Option<&'static str>) {
    if slot.is_none() {
        *slot = problem;
    }
}
