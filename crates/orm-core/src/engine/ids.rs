//! Model and field ids, as the schema IR (`orm_schema::ir`) defines them.
//!
//! Interim: these mirror the IR's `ModelId` and `FieldId` (a model, and a field's position in
//! it, in source order) until the IR lands on main; then they become re-exports of the IR's
//! own types, with `const fn` constructors so generated code can name them in constants.

/// Identifies a model: its position in the schema (source order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModelId(pub u32);

/// Identifies a field: the model and the field's position in it (source order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId {
    /// The model the field belongs to.
    pub model: ModelId,
    /// The field's position in its model.
    pub index: u32,
}
