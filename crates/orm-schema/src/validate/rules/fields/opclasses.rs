//! PostgreSQL index methods and operator classes: which field types and native types each
//! method and `ops:` class accepts (Prisma's PostgreSQL connector,
//! `generalized_index_validations` and `spgist_indexed_column_count`), kept as tables.

use super::Ctx;
use crate::ast::FieldArity;
use crate::diagnostics::Diagnostic;
use crate::ir::{IndexAlgorithm, OperatorClass, ScalarType};
use crate::provider::ProviderKind;
use crate::validate::{FieldTy, IndexKind, ModelData};

/// Operator classes and the index method each belongs to (`InetOps` fits GiST and SP-GiST).
const CLASSES: &[(&str, IndexAlgorithm)] = {
    use IndexAlgorithm::*;
    &[
        ("InetOps", Gist),
        ("InetOps", SpGist),
        ("JsonbOps", Gin),
        ("JsonbPathOps", Gin),
        ("ArrayOps", Gin),
        ("TextOps", SpGist),
        ("BitMinMaxOps", Brin),
        ("VarBitMinMaxOps", Brin),
        ("BpcharBloomOps", Brin),
        ("BpcharMinMaxOps", Brin),
        ("ByteaBloomOps", Brin),
        ("ByteaMinMaxOps", Brin),
        ("DateBloomOps", Brin),
        ("DateMinMaxOps", Brin),
        ("DateMinMaxMultiOps", Brin),
        ("Float4BloomOps", Brin),
        ("Float4MinMaxOps", Brin),
        ("Float4MinMaxMultiOps", Brin),
        ("Float8BloomOps", Brin),
        ("Float8MinMaxOps", Brin),
        ("Float8MinMaxMultiOps", Brin),
        ("InetInclusionOps", Brin),
        ("InetBloomOps", Brin),
        ("InetMinMaxOps", Brin),
        ("InetMinMaxMultiOps", Brin),
        ("Int2BloomOps", Brin),
        ("Int2MinMaxOps", Brin),
        ("Int2MinMaxMultiOps", Brin),
        ("Int4BloomOps", Brin),
        ("Int4MinMaxOps", Brin),
        ("Int4MinMaxMultiOps", Brin),
        ("Int8BloomOps", Brin),
        ("Int8MinMaxOps", Brin),
        ("Int8MinMaxMultiOps", Brin),
        ("NumericBloomOps", Brin),
        ("NumericMinMaxOps", Brin),
        ("NumericMinMaxMultiOps", Brin),
        ("OidBloomOps", Brin),
        ("OidMinMaxOps", Brin),
        ("OidMinMaxMultiOps", Brin),
        ("TextBloomOps", Brin),
        ("TextMinMaxOps", Brin),
        ("TimestampBloomOps", Brin),
        ("TimestampMinMaxOps", Brin),
        ("TimestampMinMaxMultiOps", Brin),
        ("TimestampTzBloomOps", Brin),
        ("TimestampTzMinMaxOps", Brin),
        ("TimestampTzMinMaxMultiOps", Brin),
        ("TimeBloomOps", Brin),
        ("TimeMinMaxOps", Brin),
        ("TimeMinMaxMultiOps", Brin),
        ("TimeTzBloomOps", Brin),
        ("TimeTzMinMaxOps", Brin),
        ("TimeTzMinMaxMultiOps", Brin),
        ("UuidBloomOps", Brin),
        ("UuidMinMaxOps", Brin),
        ("UuidMinMaxMultiOps", Brin),
    ]
};

/// BRIN: the classes each native type accepts (with no class, the type's default class).
const BRIN_NATIVE: &[(&str, &[&str])] = &[
    ("Bit", &["BitMinMaxOps"]),
    ("VarBit", &["VarBitMinMaxOps"]),
    ("Char", &["BpcharBloomOps", "BpcharMinMaxOps"]),
    (
        "Date",
        &["DateBloomOps", "DateMinMaxOps", "DateMinMaxMultiOps"],
    ),
    (
        "Real",
        &["Float4BloomOps", "Float4MinMaxOps", "Float4MinMaxMultiOps"],
    ),
    (
        "DoublePrecision",
        &["Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"],
    ),
    (
        "Inet",
        &[
            "InetInclusionOps",
            "InetBloomOps",
            "InetMinMaxOps",
            "InetMinMaxMultiOps",
        ],
    ),
    (
        "SmallInt",
        &["Int2BloomOps", "Int2MinMaxOps", "Int2MinMaxMultiOps"],
    ),
    (
        "Integer",
        &["Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"],
    ),
    (
        "BigInt",
        &["Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"],
    ),
    (
        "Decimal",
        &[
            "NumericBloomOps",
            "NumericMinMaxOps",
            "NumericMinMaxMultiOps",
        ],
    ),
    ("Oid", &["OidBloomOps", "OidMinMaxOps", "OidMinMaxMultiOps"]),
    ("ByteA", &["ByteaBloomOps", "ByteaMinMaxOps"]),
    ("Text", &["TextBloomOps", "TextMinMaxOps"]),
    ("VarChar", &["TextBloomOps", "TextMinMaxOps"]),
    (
        "Timestamp",
        &[
            "TimestampBloomOps",
            "TimestampMinMaxOps",
            "TimestampMinMaxMultiOps",
        ],
    ),
    (
        "Timestamptz",
        &[
            "TimestampTzBloomOps",
            "TimestampTzMinMaxOps",
            "TimestampTzMinMaxMultiOps",
        ],
    ),
    (
        "Time",
        &["TimeBloomOps", "TimeMinMaxOps", "TimeMinMaxMultiOps"],
    ),
    (
        "Timetz",
        &["TimeTzBloomOps", "TimeTzMinMaxOps", "TimeTzMinMaxMultiOps"],
    ),
    (
        "Uuid",
        &["UuidBloomOps", "UuidMinMaxOps", "UuidMinMaxMultiOps"],
    ),
];

/// BRIN without a native type: the classes that fit each scalar type's default column type.
const BRIN_SCALAR: &[(ScalarType, &[&str])] = &[
    (
        ScalarType::Float,
        &["Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"],
    ),
    (
        ScalarType::Int,
        &["Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"],
    ),
    (
        ScalarType::BigInt,
        &["Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"],
    ),
    (
        ScalarType::Decimal,
        &[
            "NumericBloomOps",
            "NumericMinMaxOps",
            "NumericMinMaxMultiOps",
        ],
    ),
    (ScalarType::Bytes, &["ByteaBloomOps", "ByteaMinMaxOps"]),
    (ScalarType::String, &["TextBloomOps", "TextMinMaxOps"]),
    (
        ScalarType::DateTime,
        &[
            "TimestampBloomOps",
            "TimestampMinMaxOps",
            "TimestampMinMaxMultiOps",
        ],
    ),
];

/// How Prisma prints a class name (it prints `UuidMinMaxMultiOps` as `BitMinMaxOps`).
fn display(class: &str) -> &str {
    if class == "UuidMinMaxMultiOps" {
        "BitMinMaxOps"
    } else {
        class
    }
}

pub(super) fn validate(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>) {
    if ctx.provider.kind != ProviderKind::Postgres || ctx.config.datasource.is_none() {
        return;
    }
    for index in &model.indexes {
        if index.kind != IndexKind::Normal {
            continue;
        }
        let algo = index.algorithm.unwrap_or_default();
        let span = index.attribute.span;
        let error = |message: String| Diagnostic::attribute_validation(&message, "@@index", span);
        if algo == IndexAlgorithm::SpGist && index.fields.len() > 1 {
            ctx.diags.push(error(
                "SpGist does not support multi-column indices.".to_owned(),
            ));
        }
        for index_field in &index.fields {
            let class = match &index_field.ops {
                Some(OperatorClass::Raw(_)) => continue,
                Some(OperatorClass::Named(name)) => CLASSES
                    .iter()
                    .filter(|(c, _)| c == name)
                    .find(|(_, a)| *a == algo)
                    .or_else(|| CLASSES.iter().find(|(c, _)| c == name))
                    .copied(),
                None => None,
            };
            let field = &model.fields[index_field.field];
            let name = field.name();
            let native = field.native_type.as_ref().map(|n| n.name);
            let scalar = match field.ty {
                FieldTy::Scalar(s) => Some(s),
                _ => None,
            };
            let is_list = field.arity() == FieldArity::List;
            let algo_name = algo.as_str();

            if let Some((class, class_algo)) = class
                && class_algo != algo
            {
                ctx.diags.push(error(format!(
                    "The given operator class `{}` is not supported with the `{algo_name}` index type.",
                    display(class)
                )));
                continue;
            }
            let class = class.map(|(c, _)| c);
            let supports_type = || {
                if field.ty == FieldTy::Unsupported {
                    return true;
                }
                match algo {
                    IndexAlgorithm::BTree | IndexAlgorithm::Hash => true,
                    IndexAlgorithm::Gist | IndexAlgorithm::SpGist => {
                        scalar == Some(ScalarType::String)
                    }
                    IndexAlgorithm::Gin => scalar == Some(ScalarType::Json) || is_list,
                    IndexAlgorithm::Brin => matches!(
                        scalar,
                        Some(
                            ScalarType::String
                                | ScalarType::Bytes
                                | ScalarType::DateTime
                                | ScalarType::Float
                                | ScalarType::Int
                                | ScalarType::BigInt
                                | ScalarType::Decimal
                        )
                    ),
                }
            };
            let mismatch = || -> Option<String> {
                match (native, class) {
                    (Some(nt), Some(c)) => Some(format!(
                        "The given operator class `{}` does not support native type `{nt}` of field `{name}`.",
                        display(c)
                    )),
                    (Some(nt), None) => Some(format!(
                        "The {algo_name} index field type `{nt}` has no default operator class."
                    )),
                    (None, Some(c)) => Some(format!(
                        "The given operator class `{}` expects the field `{name}` to define a valid native type.",
                        display(c)
                    )),
                    (None, None) => (!supports_type()).then(|| {
                        format!("The {algo_name} index type does not support the type of the field `{name}`.")
                    }),
                }
            };
            let wrong_scalar = |c: &str, expected: &str| {
                format!(
                    "The given operator class `{}` points to the field `{name}` that is not of {expected} type.",
                    display(c)
                )
            };

            let message = match algo {
                IndexAlgorithm::BTree | IndexAlgorithm::Hash => None,
                IndexAlgorithm::Gist => match (native, class) {
                    (Some("Inet"), Some("InetOps")) => None,
                    _ => mismatch(),
                },
                IndexAlgorithm::Gin => match (native, class) {
                    (None, None) if scalar == Some(ScalarType::Json) => None,
                    (_, None) if is_list => None,
                    (Some("JsonB"), Some("JsonbOps" | "JsonbPathOps") | None) => None,
                    (None, Some(c @ ("JsonbOps" | "JsonbPathOps"))) => {
                        (scalar != Some(ScalarType::Json)).then(|| wrong_scalar(c, "Json"))
                    }
                    (_, Some("ArrayOps")) => (!is_list).then(|| {
                        format!("The given operator class `ArrayOps` expects the type of field `{name}` to be an array.")
                    }),
                    _ => mismatch(),
                },
                IndexAlgorithm::SpGist => match (native, class) {
                    (Some("Inet"), Some("InetOps") | None) => None,
                    (None, None) if scalar == Some(ScalarType::String) => None,
                    (None, Some(c @ "TextOps")) => {
                        (scalar != Some(ScalarType::String)).then(|| wrong_scalar(c, "String"))
                    }
                    (Some("Text" | "VarChar" | "Char"), Some("TextOps") | None) => None,
                    _ => mismatch(),
                },
                IndexAlgorithm::Brin => {
                    let native_ok = native.and_then(|nt| BRIN_NATIVE.iter().find(|(t, _)| *t == nt)).is_some_and(
                        |(_, classes)| class.is_none_or(|c| classes.contains(&c)),
                    );
                    let by_scalar = BRIN_SCALAR.iter().find(|(_, classes)| class.is_some_and(|c| classes.contains(&c)));
                    if native_ok || (native.is_none() && class.is_none() && supports_type()) {
                        None
                    } else if let (None, Some(c), Some((expected, _))) = (native, class, by_scalar) {
                        (scalar != Some(*expected)).then(|| wrong_scalar(c, expected.as_str()))
                    } else {
                        mismatch()
                    }
                }
            };
            if let Some(message) = message {
                ctx.diags.push(error(message));
            }
        }
    }
}
