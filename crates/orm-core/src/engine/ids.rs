//! Model and field ids: the schema IR's own ([`orm_schema::ir`]), re-exported so that the
//! engine's arguments and the generated code name the same types. Generated code names them
//! in constants with their `const fn` constructors ([`ModelId::new`], [`FieldId::new`]): a
//! model's position in the schema, and a field's position in its model, in source order.

pub use orm_schema::ir::{FieldId, ModelId};
