//! Pass 1, names: every top-level item, field and enum value gets a unique, well-formed name
//! (Prisma's `parser-database/src/names.rs`).

use super::{Db, TopRef};
use crate::ast::{self, Identifier, Top};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::ScalarType;
use crate::validate::hash::{FastMap as HashMap, FastSet as HashSet};
use std::collections::hash_map::Entry;

/// Names that Prisma Client reserves (JavaScript keywords and `PrismaClient`).
const RESERVED_NAMES: &[&str] = &[
    "PrismaClient",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "in",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

pub(crate) fn resolve(db: &mut Db<'_>, diags: &mut Diagnostics) {
    let mut generators: HashMap<&str, &Top> = HashMap::default();
    let mut datasources: HashMap<&str, &Top> = HashMap::default();
    let mut tops: HashMap<&str, &Top> = HashMap::default();
    let (mut model_i, mut enum_i, mut composite_i) = (0, 0, 0);

    let ast = db.ast;
    for top in &ast.tops {
        let name = top.name();
        if ScalarType::from_name(&name.name).is_some() {
            diags.push(Diagnostic::reserved_scalar_type(&name.name, name.span));
        }
        let namespace = match top {
            Top::Enum(e) => {
                identifier(&e.name, "Enum", diags);
                if RESERVED_NAMES.contains(&e.name.name.as_str()) {
                    diags.push(Diagnostic::enum_validation(
                        &format!(
                            "The enum name `{}` is invalid. It is a reserved name. Please change it. Read more at https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-schema/data-model#naming-enums",
                            e.name.name
                        ),
                        &e.name.name,
                        e.span,
                    ));
                }
                attribute_identifiers(&e.attributes, diags);
                let mut seen = HashSet::default();
                for value in &e.values {
                    identifier(&value.name, "Enum Value", diags);
                    attribute_identifiers(&value.attributes, diags);
                    if !seen.insert(value.name.name.as_str()) {
                        diags.push(Diagnostic::duplicate_enum_value(
                            &e.name.name,
                            &value.name.name,
                            value.span,
                        ));
                    }
                }
                db.tops.entry(&e.name.name).or_insert(TopRef::Enum(enum_i));
                enum_i += 1;
                &mut tops
            }
            Top::Model(m) => {
                let (kind, field_kind, container) = if m.is_view {
                    ("view", "field", "view")
                } else {
                    ("Model", "Field", "model")
                };
                identifier(&m.name, kind, diags);
                if RESERVED_NAMES.contains(&m.name.name.as_str()) {
                    diags.push(Diagnostic::model_validation(
                        &format!(
                            "The {container} name `{}` is invalid. It is a reserved name. Please change it. Read more at https://pris.ly/d/naming-models",
                            m.name.name
                        ),
                        "model",
                        &m.name.name,
                        m.span,
                    ));
                }
                attribute_identifiers(&m.attributes, diags);
                let data = &mut db.models[model_i];
                for (i, field) in m.fields.iter().enumerate() {
                    identifier(&field.name, field_kind, diags);
                    attribute_identifiers(&field.attributes, diags);
                    match data.field_names.entry(&field.name.name) {
                        Entry::Occupied(_) => diags.push(Diagnostic::duplicate_field(
                            container,
                            &m.name.name,
                            &field.name.name,
                            field.name.span,
                        )),
                        Entry::Vacant(slot) => {
                            slot.insert(i);
                        }
                    }
                }
                db.tops
                    .entry(&m.name.name)
                    .or_insert(TopRef::Model(model_i));
                model_i += 1;
                &mut tops
            }
            Top::CompositeType(c) => {
                identifier(&c.name, "Composite type", diags);
                let mut seen = HashSet::default();
                for field in &c.fields {
                    if !seen.insert(field.name.name.as_str()) {
                        diags.push(Diagnostic::duplicate_field(
                            "composite type",
                            &c.name.name,
                            &field.name.name,
                            field.name.span,
                        ));
                    }
                }
                db.tops
                    .entry(&c.name.name)
                    .or_insert(TopRef::CompositeType(composite_i));
                composite_i += 1;
                &mut tops
            }
            Top::Datasource(block) => {
                duplicate_properties(top, block, diags);
                &mut datasources
            }
            Top::Generator(block) => {
                duplicate_properties(top, block, diags);
                &mut generators
            }
        };
        if let Some(existing) = namespace.insert(&name.name, top) {
            diags.push(Diagnostic::duplicate_top(
                &name.name,
                top_kind(top),
                top_kind(existing),
                name.span,
            ));
        }
    }
}

/// How Prisma names the kind of a top-level item in messages.
pub(crate) fn top_kind(top: &Top) -> &'static str {
    match top {
        Top::Model(m) if m.is_view => "view",
        Top::Model(_) => "model",
        Top::Enum(_) => "enum",
        Top::CompositeType(_) => "composite type",
        Top::Datasource(_) => "datasource",
        Top::Generator(_) => "generator",
    }
}

fn duplicate_properties(top: &Top, block: &ast::ConfigBlock, diags: &mut Diagnostics) {
    let mut seen = HashSet::default();
    for prop in &block.properties {
        if !seen.insert(prop.name.name.as_str()) {
            diags.push(Diagnostic::duplicate_config_key(
                &format!("{} \"{}\"", top_kind(top), block.name.name),
                &prop.name.name,
                prop.name.span,
            ));
        }
    }
}

fn attribute_identifiers(attributes: &[ast::Attribute], diags: &mut Diagnostics) {
    for attr in attributes {
        identifier(&attr.name, "Attribute", diags);
    }
}

/// Prisma's `validate_identifier`: not empty, not starting with a digit, no `-`.
fn identifier(ident: &Identifier, item: &str, diags: &mut Diagnostics) {
    let message = match ident.name.chars().next() {
        None => format!("The name of a {item} must not be empty."),
        Some(c) if c.is_numeric() => format!("The name of a {item} must not start with a number."),
        Some(_) if ident.name.contains('-') => {
            format!("The character `-` is not allowed in {item} names.")
        }
        Some(_) => return,
    };
    diags.push(Diagnostic::validation(&message, ident.span));
}
