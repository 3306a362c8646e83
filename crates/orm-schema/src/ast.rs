//! The syntax tree: a faithful picture of the schema text, every node with its [`Span`].
//!
//! The parser ([`parse`]) never stops at the first error and never panics: lines it cannot read
//! become diagnostics and are left out of the tree. Nothing here is resolved; names are plain
//! strings. The validator reads this tree to build the [`crate::ir::Schema`]; the formatter and
//! diagnostics read it directly.
//!
//! Comments are kept in two ways: every comment of the file is listed in source order in
//! [`SchemaAst::comments`] (so a formatter can put each one back), and `///` doc comments are
//! also attached, as [`Documentation`], to the model, view, enum, composite type, field or enum
//! value they describe (Prisma's rules: the doc lines right before a block, or before a field
//! even across blank lines and block attributes, plus a trailing `///` on the field's line).

mod parser;

pub use parser::parse;

use crate::span::Span;

/// A parsed schema file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaAst {
    /// The top-level blocks, in source order.
    pub tops: Vec<Top>,
    /// Every `//` and `///` comment of the file, in source order.
    pub comments: Vec<Comment>,
}

impl SchemaAst {
    /// The models and views.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.tops.iter().filter_map(|t| match t {
            Top::Model(m) => Some(m),
            _ => None,
        })
    }

    /// The enums.
    pub fn enums(&self) -> impl Iterator<Item = &Enum> {
        self.tops.iter().filter_map(|t| match t {
            Top::Enum(e) => Some(e),
            _ => None,
        })
    }

    /// The composite types.
    pub fn composite_types(&self) -> impl Iterator<Item = &CompositeType> {
        self.tops.iter().filter_map(|t| match t {
            Top::CompositeType(c) => Some(c),
            _ => None,
        })
    }

    /// The datasource blocks.
    pub fn datasources(&self) -> impl Iterator<Item = &ConfigBlock> {
        self.tops.iter().filter_map(|t| match t {
            Top::Datasource(c) => Some(c),
            _ => None,
        })
    }

    /// The generator blocks.
    pub fn generators(&self) -> impl Iterator<Item = &ConfigBlock> {
        self.tops.iter().filter_map(|t| match t {
            Top::Generator(c) => Some(c),
            _ => None,
        })
    }
}

/// A top-level block.
#[derive(Debug, Clone, PartialEq)]
pub enum Top {
    /// `model X { … }` or `view X { … }`.
    Model(Model),
    /// `enum X { … }`.
    Enum(Enum),
    /// `type X { … }` (a MongoDB composite type).
    CompositeType(CompositeType),
    /// `datasource x { … }`.
    Datasource(ConfigBlock),
    /// `generator x { … }`.
    Generator(ConfigBlock),
}

impl Top {
    /// The block's name.
    pub fn name(&self) -> &Identifier {
        match self {
            Top::Model(m) => &m.name,
            Top::Enum(e) => &e.name,
            Top::CompositeType(c) => &c.name,
            Top::Datasource(c) | Top::Generator(c) => &c.name,
        }
    }

    /// The whole block, keyword to closing brace.
    pub fn span(&self) -> Span {
        match self {
            Top::Model(m) => m.span,
            Top::Enum(e) => e.span,
            Top::CompositeType(c) => c.span,
            Top::Datasource(c) | Top::Generator(c) => c.span,
        }
    }

    /// The keyword that opens the block: `model`, `view`, `enum`, `type`, `datasource` or
    /// `generator`.
    pub fn keyword(&self) -> &'static str {
        match self {
            Top::Model(m) if m.is_view => "view",
            Top::Model(_) => "model",
            Top::Enum(_) => "enum",
            Top::CompositeType(_) => "type",
            Top::Datasource(_) => "datasource",
            Top::Generator(_) => "generator",
        }
    }
}

/// A name as written, with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    /// The text (for attributes, the path without `@`: `id`, `db.VarChar`).
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// Whether a comment is a `///` doc comment or a plain `//` comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …`
    Regular,
    /// `/// …`
    Doc,
    /// `/* … */`, possibly over several lines (Prisma counts it as documentation).
    Block,
}

/// One comment, from its slashes to the end of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// `//` or `///`.
    pub kind: CommentKind,
    /// The text after the slashes (or between `/*` and `*/`), as written.
    pub text: String,
    /// From the first slash to the end of the line (line ending excluded), or to the end of
    /// `*/`.
    pub span: Span,
}

/// The `///` doc lines attached to an item, joined with `\n`, each with its leading
/// whitespace removed (as Prisma does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documentation {
    /// The text.
    pub text: String,
    /// From the first doc comment to the end of the last one.
    pub span: Span,
}

/// `model` or `view` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The model's name.
    pub name: Identifier,
    /// `true` for `view`.
    pub is_view: bool,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// The `@@` attributes, in source order.
    pub attributes: Vec<Attribute>,
    /// Attached doc comment.
    pub documentation: Option<Documentation>,
    /// Keyword to closing brace.
    pub span: Span,
}

/// A `type` block (composite type, MongoDB only).
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeType {
    /// The type's name.
    pub name: Identifier,
    /// The fields, in source order.
    pub fields: Vec<Field>,
    /// Attached doc comment.
    pub documentation: Option<Documentation>,
    /// Keyword to closing brace.
    pub span: Span,
}

/// A field of a model, view or composite type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's name.
    pub name: Identifier,
    /// Required, optional (`?`) or list (`[]`).
    pub arity: FieldArity,
    /// The type as written.
    pub field_type: FieldType,
    /// The `@` attributes, in source order.
    pub attributes: Vec<Attribute>,
    /// Attached doc comment (preceding `///` lines and a trailing `///`).
    pub documentation: Option<Documentation>,
    /// A trailing `//` or `///` comment on the field's line.
    pub trailing_comment: Option<Comment>,
    /// From the name to the end of the line, line ending included (as in Prisma).
    pub span: Span,
}

impl Field {
    /// The first attribute with this name (`"id"`, `"db.VarChar"`).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name.name == name)
    }
}

/// How many values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldArity {
    /// Exactly one.
    Required,
    /// Zero or one (`?`).
    Optional,
    /// Any number (`[]`).
    List,
}

impl FieldArity {
    /// `?`, `[]` or nothing.
    pub fn suffix(self) -> &'static str {
        match self {
            FieldArity::Required => "",
            FieldArity::Optional => "?",
            FieldArity::List => "[]",
        }
    }
}

/// A field type as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A name: a scalar type, model, enum or composite type.
    Named(Identifier),
    /// `Unsupported("…")`: the string and the span of the whole `Unsupported(…)`.
    Unsupported(String, Span),
}

impl FieldType {
    /// The span of the type name or of `Unsupported(…)`.
    pub fn span(&self) -> Span {
        match self {
            FieldType::Named(i) => i.span,
            FieldType::Unsupported(_, s) => *s,
        }
    }

    /// The database type of `Unsupported("…")`.
    pub fn unsupported_name(&self) -> Option<&str> {
        match self {
            FieldType::Unsupported(name, _) => Some(name),
            FieldType::Named(_) => None,
        }
    }

    /// The name, or `Unsupported`.
    pub fn name(&self) -> &str {
        match self {
            FieldType::Named(i) => &i.name,
            FieldType::Unsupported(..) => "Unsupported",
        }
    }
}

/// An attribute: `@id`, `@default(now())`, `@db.VarChar(200)`, `@@index([a, b])`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The name without `@`/`@@`.
    pub name: Identifier,
    /// The arguments (empty when there are no parentheses).
    pub arguments: ArgumentsList,
    /// From the `@` to the closing parenthesis (for block attributes, a trailing comment on
    /// the same line is included, as in Prisma).
    pub span: Span,
}

/// The arguments of an attribute or function call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArgumentsList {
    /// Positional and named arguments, in order.
    pub arguments: Vec<Argument>,
    /// `name:` without a value (not valid; kept for diagnostics).
    pub empty_arguments: Vec<EmptyArgument>,
    /// The span of a trailing comma.
    pub trailing_comma: Option<Span>,
}

/// One argument: `expr` or `name: expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    /// The name of a named argument.
    pub name: Option<Identifier>,
    /// The value.
    pub value: Expression,
    /// The whole argument.
    pub span: Span,
}

impl Argument {
    /// Whether the argument is positional.
    pub fn is_unnamed(&self) -> bool {
        self.name.is_none()
    }
}

/// `name:` with nothing after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptyArgument {
    /// The name.
    pub name: Identifier,
}

/// A value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    /// A number as written: `1`, `-2.5`.
    Numeric(String, Span),
    /// A string literal, unescaped.
    String(String, Span),
    /// A bare name or path: `Cascade`, `true`, `ADMIN`, `a.b`.
    Constant(String, Span),
    /// A function call: `now()`, `cuid(2)`, `env("X")`, `sort(a, Desc)`.
    Function(String, ArgumentsList, Span),
    /// A list: `[a, b]`.
    Array(Vec<Expression>, Span),
}

impl Expression {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            Expression::Numeric(_, s)
            | Expression::String(_, s)
            | Expression::Constant(_, s)
            | Expression::Function(_, _, s)
            | Expression::Array(_, s) => *s,
        }
    }

    /// How Prisma names the kind of value in messages: `numeric`, `string`, `literal`,
    /// `functional`, `array`.
    pub fn describe(&self) -> &'static str {
        match self {
            Expression::Numeric(..) => "numeric",
            Expression::String(..) => "string",
            Expression::Constant(..) => "literal",
            Expression::Function(..) => "functional",
            Expression::Array(..) => "array",
        }
    }

    /// The string value, if this is a string literal.
    pub fn as_string(&self) -> Option<&str> {
        match self {
            Expression::String(s, _) => Some(s),
            _ => None,
        }
    }

    /// The constant name, if this is a bare name.
    pub fn as_constant(&self) -> Option<&str> {
        match self {
            Expression::Constant(s, _) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_array(&self) -> Option<&[Expression]> {
        match self {
            Expression::Array(items, _) => Some(items),
            _ => None,
        }
    }

    /// The function name and arguments, if this is a call.
    pub fn as_function(&self) -> Option<(&str, &ArgumentsList)> {
        match self {
            Expression::Function(name, args, _) => Some((name, args)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Expression {
    /// Writes the value back as schema text (strings re-escaped).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expression::Numeric(n, _) | Expression::Constant(n, _) => f.write_str(n),
            Expression::String(s, _) => write_string_literal(f, s),
            Expression::Function(name, args, _) => {
                write!(f, "{name}(")?;
                write_arguments(f, args)?;
                f.write_str(")")
            }
            Expression::Array(items, _) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Writes `a, b: c` for an argument list (without parentheses).
pub fn write_arguments(f: &mut impl std::fmt::Write, args: &ArgumentsList) -> std::fmt::Result {
    let mut first = true;
    for arg in &args.arguments {
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        if let Some(name) = &arg.name {
            write!(f, "{}: ", name.name)?;
        }
        write!(f, "{}", arg.value)?;
    }
    for empty in &args.empty_arguments {
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        write!(f, "{}:", empty.name.name)?;
    }
    Ok(())
}

/// Writes a string literal with quotes, escaping as the parser unescapes.
pub fn write_string_literal(f: &mut impl std::fmt::Write, s: &str) -> std::fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// An `enum` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The enum's name.
    pub name: Identifier,
    /// The values, in source order.
    pub values: Vec<EnumValue>,
    /// The `@@` attributes.
    pub attributes: Vec<Attribute>,
    /// Attached doc comment.
    pub documentation: Option<Documentation>,
    /// Keyword to closing brace.
    pub span: Span,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value's name.
    pub name: Identifier,
    /// Its `@` attributes (`@map`).
    pub attributes: Vec<Attribute>,
    /// Attached doc comment.
    pub documentation: Option<Documentation>,
    /// A trailing comment on the value's line.
    pub trailing_comment: Option<Comment>,
    /// From the name to the end of the line, line ending included.
    pub span: Span,
}

/// A `datasource` or `generator` block.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigBlock {
    /// The block's name (`db`, `client`).
    pub name: Identifier,
    /// The `key = value` lines, in source order.
    pub properties: Vec<ConfigProperty>,
    /// Attached doc comment.
    pub documentation: Option<Documentation>,
    /// Keyword to closing brace.
    pub span: Span,
}

impl ConfigBlock {
    /// The first property with this key.
    pub fn property(&self, key: &str) -> Option<&ConfigProperty> {
        self.properties.iter().find(|p| p.name.name == key)
    }
}

/// `key = value` in a datasource or generator.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProperty {
    /// The key.
    pub name: Identifier,
    /// The value; `None` for `key =` with nothing after it (an error).
    pub value: Option<Expression>,
    /// A trailing comment on the line.
    pub trailing_comment: Option<Comment>,
    /// From the key to the end of the line, line ending included.
    pub span: Span,
}
