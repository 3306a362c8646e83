//! What the generated client contains, decided once for the main expansion and the payload
//! macros alike: which models, fields and enums appear, their Rust names and Rust types.

use orm_schema::Schema;
use orm_schema::ir::ProviderKind;
use orm_schema::ir::{
    Arity, EnumRef, FieldRef, ModelRef, RelationFieldRef, ScalarFieldRef, ScalarFieldType,
    ScalarType,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::names::{accessors, dedupe, ident, pascal_case, snake_case};

/// The client's view of a schema.
pub(crate) struct Plan<'a> {
    /// Indexed by model id; `None` for models left out (`@@ignore`).
    pub models: Vec<Option<ModelPlan<'a>>>,
    /// Indexed by enum id.
    pub enums: Vec<EnumPlan<'a>>,
    /// The datasource's provider (`None` without a datasource): some filters take a
    /// provider's form, as in Prisma's generated types (a Json `path`).
    pub provider: Option<ProviderKind>,
}

/// A model in the client.
pub(crate) struct ModelPlan<'a> {
    pub model: ModelRef<'a>,
    /// `user`.
    pub module: Ident,
    /// `User`.
    pub name: Ident,
    /// The client's accessor: `user`, or `transaction_` for a model `Transaction` (see
    /// [`crate::names::accessors`]).
    pub accessor: Ident,
    /// Indexed by field position; `None` for fields left out.
    pub fields: Vec<Option<FieldPlan<'a>>>,
}

/// A field in the client.
pub(crate) struct FieldPlan<'a> {
    pub field: FieldRef<'a>,
    /// The struct field and field module name: `created_at`.
    pub rust: Ident,
    pub kind: FieldKind<'a>,
}

pub(crate) enum FieldKind<'a> {
    Scalar(ScalarFieldRef<'a>, Ty),
    Relation(RelationFieldRef<'a>),
}

/// An enum in the client.
pub(crate) struct EnumPlan<'a> {
    pub enum_: EnumRef<'a>,
    pub name: Ident,
    /// One per value, in order.
    pub variants: Vec<Ident>,
}

/// The Rust side of a scalar field's type.
#[derive(Clone)]
pub(crate) struct Ty {
    /// What the type supports.
    pub class: Class,
    /// The element type (`String`, `i32`, `Role`): relative to the schema module through
    /// the `root` prefix given to [`Ty::base`].
    base: Base,
    pub arity: Arity,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    String,
    Boolean,
    Int,
    BigInt,
    Float,
    Decimal,
    DateTime,
    Json,
    Bytes,
    Enum,
}

#[derive(Clone)]
enum Base {
    Builtin(ScalarType),
    Enum(Ident),
}

impl Class {
    /// Ordered types: `lt`/`gt`, `min`/`max`.
    pub fn is_ordered(self) -> bool {
        matches!(
            self,
            Class::String
                | Class::Int
                | Class::BigInt
                | Class::Float
                | Class::Decimal
                | Class::DateTime
        )
    }

    /// Numbers: arithmetic updates, `sum`, `avg`.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Class::Int | Class::BigInt | Class::Float | Class::Decimal
        )
    }

    /// `in`/`notIn` (not on `Boolean` and `Json`, as in Prisma).
    pub fn has_in(self) -> bool {
        !matches!(self, Class::Boolean | Class::Json)
    }

    /// `orderBy` (not on `Json`, as in Prisma).
    pub fn is_sortable(self) -> bool {
        self != Class::Json
    }
}

/// How generated code spells standard types: absolute (`::std::string::String`) where the
/// caller's names are in scope (payload structs), short (`String`) inside the generated
/// modules, whose scope holds nothing of the caller's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paths {
    Absolute,
    Short,
}

impl Ty {
    /// The element type, naming enums through `root` (`super::`, `crate::db::`).
    pub fn base(&self, root: &TokenStream, paths: Paths) -> TokenStream {
        let short = paths == Paths::Short;
        match &self.base {
            Base::Enum(name) => quote!(#root #name),
            Base::Builtin(s) => match s {
                ScalarType::String if short => quote!(String),
                ScalarType::String => quote!(::std::string::String),
                ScalarType::Boolean => quote!(bool),
                ScalarType::Int => quote!(i32),
                ScalarType::BigInt => quote!(i64),
                ScalarType::Float => quote!(f64),
                ScalarType::Decimal => quote!(::orm_core::__private::Decimal),
                ScalarType::DateTime => {
                    quote!(::orm_core::__private::DateTime<::orm_core::__private::Utc>)
                }
                ScalarType::Json => quote!(::orm_core::__private::Json),
                ScalarType::Bytes if short => quote!(Vec<u8>),
                ScalarType::Bytes => quote!(::std::vec::Vec<u8>),
            },
        }
    }

    /// The struct field's type: `T`, `Option<T>` or `Vec<T>`.
    pub fn full(&self, root: &TokenStream, paths: Paths) -> TokenStream {
        let base = self.base(root, paths);
        match (self.arity, paths) {
            (Arity::Required, _) => base,
            (Arity::Optional, Paths::Short) => quote!(Option<#base>),
            (Arity::Optional, Paths::Absolute) => quote!(::core::option::Option<#base>),
            (Arity::List, Paths::Short) => quote!(Vec<#base>),
            (Arity::List, Paths::Absolute) => quote!(::std::vec::Vec<#base>),
        }
    }

    /// A parameter type taking one element value: `impl Into<String>` for owned types,
    /// the type itself for small `Copy` ones (inside generated modules).
    pub fn input(&self, root: &TokenStream) -> TokenStream {
        let base = self.base(root, Paths::Short);
        match self.class {
            Class::Boolean | Class::Int | Class::Float | Class::DateTime | Class::Enum => base,
            _ => quote!(impl FieldValue<#base>),
        }
    }

    /// An expression turning `value` (of [`Ty::input`]) into a `Value` (inside generated
    /// modules).
    pub fn to_value(&self, root: &TokenStream, value: &TokenStream) -> TokenStream {
        let base = self.base(root, Paths::Short);
        quote!(__value::<#base>(#value))
    }

    /// The `orm_core::Kind` of the elements.
    pub fn kind(&self) -> TokenStream {
        let kind = format_ident!(
            "{}",
            match self.class {
                Class::String => "String",
                Class::Boolean => "Boolean",
                Class::Int => "Int",
                Class::BigInt => "BigInt",
                Class::Float => "Float",
                Class::Decimal => "Decimal",
                Class::DateTime => "DateTime",
                Class::Json => "Json",
                Class::Bytes => "Bytes",
                Class::Enum => "Enum",
            }
        );
        quote!(::orm_core::Kind::#kind)
    }

    /// An expression turning a value of the full type ([`Ty::full`]) into a `Value`.
    pub fn full_to_value(&self, root: &TokenStream, value: &TokenStream) -> TokenStream {
        let base = self.base(root, Paths::Short);
        match self.arity {
            Arity::Required => quote!(::orm_core::__private::value::<#base>(#value)),
            Arity::Optional => quote!(::orm_core::__private::nullable::<#base>(#value)),
            Arity::List => {
                let kind = self.kind();
                quote!(::orm_core::__private::list::<#base>(#kind, #value))
            }
        }
    }

    /// An expression reading column `index` of `row` as the full type.
    pub fn take(&self, index: usize) -> TokenStream {
        let index = number(index);
        match self.arity {
            Arity::List => quote!(::orm_core::__private::take_list(row, #index)?),
            _ => quote!(row.take(#index)?),
        }
    }

    /// The value type of `sum` (`None` when the type has no sum).
    pub fn sum(&self, root: &TokenStream) -> Option<TokenStream> {
        Some(match self.class {
            Class::Int | Class::BigInt => quote!(i64),
            Class::Float | Class::Decimal => self.base(root, Paths::Short),
            _ => return None,
        })
    }

    /// The value type of `avg`.
    pub fn avg(&self, root: &TokenStream) -> Option<TokenStream> {
        Some(match self.class {
            Class::Int | Class::BigInt | Class::Float => quote!(f64),
            Class::Decimal => self.base(root, Paths::Short),
            _ => return None,
        })
    }
}

impl<'a> Plan<'a> {
    pub fn new(schema: &'a Schema) -> Plan<'a> {
        let enums: Vec<EnumPlan<'a>> = schema
            .enums()
            .map(|e| {
                let mut variants: Vec<String> =
                    e.values.iter().map(|v| pascal_case(&v.name)).collect();
                dedupe(&mut variants);
                EnumPlan {
                    enum_: e,
                    name: ident(&e.name),
                    variants: variants.iter().map(|v| ident(v)).collect(),
                }
            })
            .collect();
        let included = |m: ModelRef<'_>| !m.is_ignored;
        let mut modules: Vec<String> = schema.models().map(|m| snake_case(&m.name)).collect();
        dedupe(&mut modules);
        let accessors = accessors(&modules);
        let models = schema
            .models()
            .zip(modules)
            .zip(accessors)
            .map(|((model, module), accessor)| {
                if !included(model) {
                    return None;
                }
                let mut names = Vec::new();
                let fields: Vec<Option<FieldPlan<'a>>> = model
                    .fields()
                    .map(|field| {
                        if field.is_ignored {
                            return None;
                        }
                        let kind = match field.as_scalar() {
                            Some(scalar) => FieldKind::Scalar(scalar, Self::ty(&enums, scalar)?),
                            None => {
                                let relation = field.as_relation()?;
                                if !included(relation.target()) {
                                    return None;
                                }
                                FieldKind::Relation(relation)
                            }
                        };
                        let mut name = snake_case(&field.name);
                        while names.contains(&name) {
                            name.push('_');
                        }
                        names.push(name.clone());
                        Some(FieldPlan {
                            field,
                            rust: ident(&name),
                            kind,
                        })
                    })
                    .collect();
                Some(ModelPlan {
                    model,
                    module: ident(&module),
                    name: ident(&model.name),
                    accessor: ident(&accessor),
                    fields,
                })
            })
            .collect();
        Plan {
            models,
            enums,
            provider: schema.datasource().map(|d| d.provider_kind),
        }
    }

    fn ty(enums: &[EnumPlan<'_>], scalar: ScalarFieldRef<'_>) -> Option<Ty> {
        let (class, base) = match &scalar.field_type {
            ScalarFieldType::Scalar(s) => (
                match s {
                    ScalarType::String => Class::String,
                    ScalarType::Boolean => Class::Boolean,
                    ScalarType::Int => Class::Int,
                    ScalarType::BigInt => Class::BigInt,
                    ScalarType::Float => Class::Float,
                    ScalarType::Decimal => Class::Decimal,
                    ScalarType::DateTime => Class::DateTime,
                    ScalarType::Json => Class::Json,
                    ScalarType::Bytes => Class::Bytes,
                },
                Base::Builtin(*s),
            ),
            ScalarFieldType::Enum(e) => (Class::Enum, Base::Enum(enums[e.index()].name.clone())),
            // `Unsupported("…")` fields are not part of the client, as in Prisma.
            ScalarFieldType::Unsupported(_) => return None,
        };
        Some(Ty {
            class,
            base,
            arity: scalar.arity(),
        })
    }

    /// The models in the client, in schema order.
    pub fn models(&self) -> impl Iterator<Item = &ModelPlan<'a>> {
        self.models.iter().flatten()
    }

    /// A model by id (`None` when left out).
    pub fn model(&self, id: orm_schema::ir::ModelId) -> Option<&ModelPlan<'a>> {
        self.models.get(id.index()).and_then(Option::as_ref)
    }
}

impl<'a> ModelPlan<'a> {
    /// The fields in the client, in schema order.
    pub fn fields(&self) -> impl Iterator<Item = &FieldPlan<'a>> {
        self.fields.iter().flatten()
    }

    /// The scalar fields in the client, in schema order, with their types.
    pub fn scalars(&self) -> impl Iterator<Item = (&FieldPlan<'a>, ScalarFieldRef<'a>, &Ty)> {
        self.fields().filter_map(|f| match &f.kind {
            FieldKind::Scalar(s, ty) => Some((f, *s, ty)),
            FieldKind::Relation(_) => None,
        })
    }

    /// A field by its schema name.
    pub fn field_named(&self, name: &str) -> Option<&FieldPlan<'a>> {
        self.fields().find(|f| f.field.name == name)
    }
}

/// The field id as a constant expression.
pub(crate) fn field_id(field: orm_schema::ir::FieldId) -> TokenStream {
    let model = number(field.model.index());
    let index = number(field.index());
    quote!(::orm_core::__private::field(#model, #index))
}

/// The field id as a constant expression inside a field module (which imports the prelude).
pub(crate) fn field_id_short(field: orm_schema::ir::FieldId) -> TokenStream {
    let model = number(field.model.index());
    let index = number(field.index());
    quote!(__field(#model, #index))
}

/// An unsuffixed integer literal.
pub(crate) fn number(n: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(n)
}

/// Whether a create must be given this scalar field: required, not a list, no default, not
/// `@updatedAt`.
pub(crate) fn required_in_create(scalar: ScalarFieldRef<'_>) -> bool {
    scalar.arity() == Arity::Required && scalar.default.is_none() && !scalar.is_updated_at
}
