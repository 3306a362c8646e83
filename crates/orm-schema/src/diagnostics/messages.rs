//! One constructor per situation. The wording follows Prisma's diagnostics
//! (`psl/diagnostics/src/error.rs` and the validations that build on it).

use super::{Advisory, Diagnostic};
use crate::span::Span;

impl Diagnostic {
    // ----- generic shapes used by Prisma -----

    /// `Error validating: {message}`.
    pub fn validation(message: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Error validating: {message}"), span)
    }

    /// `Error parsing attribute "@name": {message}`; `attribute` includes the `@`/`@@`.
    pub fn attribute_validation(message: &str, attribute: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Error parsing attribute \"{attribute}\": {message}"),
            span,
        )
    }

    /// `Error validating model "X": {message}` (`container` is `model` or `view`).
    pub fn model_validation(message: &str, container: &str, model: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Error validating {container} \"{model}\": {message}"),
            span,
        )
    }

    /// ``Error validating field `f` in model `M`: {message}``.
    pub fn field_validation(
        message: &str,
        container: &str,
        model: &str,
        field: &str,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!("Error validating field `{field}` in {container} `{model}`: {message}"),
            span,
        )
    }

    /// ``Error validating enum `E`: {message}``.
    pub fn enum_validation(message: &str, enum_name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Error validating enum `{enum_name}`: {message}"),
            span,
        )
    }

    /// ``Error validating datasource `db`: {message}``.
    pub fn datasource_validation(message: &str, source: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Error validating datasource `{source}`: {message}"),
            span,
        )
    }

    // ----- parser -----

    /// A top-level line that starts no known block.
    pub fn invalid_top_level_line(span: Span) -> Diagnostic {
        Diagnostic::validation(
            "This line is invalid. It does not start with any known Prisma schema keyword.",
            span,
        )
    }

    /// A `name { … }` block whose keyword is not known.
    pub fn invalid_block(span: Span) -> Diagnostic {
        Diagnostic::validation(
            "This block is invalid. It does not start with any known Prisma schema keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.",
            span,
        )
    }

    /// A line inside a model, view or composite type that is neither a field nor an attribute.
    pub fn invalid_model_line(span: Span) -> Diagnostic {
        Diagnostic::validation(
            "This line is not a valid field or attribute definition.",
            span,
        )
    }

    /// A line inside an enum that is not a value.
    pub fn invalid_enum_line(span: Span) -> Diagnostic {
        Diagnostic::validation("This line is not an enum value definition.", span)
    }

    /// A line inside a datasource or generator that is not `key = value`.
    pub fn invalid_config_line(keyword: &str, span: Span) -> Diagnostic {
        Diagnostic::validation(
            &format!("This line is not a valid definition within a {keyword}."),
            span,
        )
    }

    /// A field line missing its name or type.
    pub fn invalid_field_declaration(container: &str, model: &str, span: Span) -> Diagnostic {
        Diagnostic::model_validation(
            "This field declaration is invalid. It is either missing a name or a type.",
            container,
            model,
            span,
        )
    }

    /// `name: Type` (the colon of old Prisma versions).
    pub fn legacy_colon(span: Span) -> Diagnostic {
        Diagnostic::error("Field declarations don't require a `:`.", span)
    }

    /// `Type!`.
    pub fn legacy_required(span: Span) -> Diagnostic {
        Diagnostic::error(
            "Fields are required by default, `!` is no longer required.",
            span,
        )
    }

    /// `[Type]`.
    pub fn legacy_list(span: Span) -> Diagnostic {
        Diagnostic::error(
            "To specify a list, please use `Type[]` instead of `[Type]`.",
            span,
        )
    }

    /// `Type[]?`.
    pub fn optional_list(span: Span) -> Diagnostic {
        Diagnostic::error(
            "Optional lists are not supported. Use either `Type[]` or `Type?`.",
            span,
        )
    }

    /// `type Alias = …`.
    pub fn type_alias(span: Span) -> Diagnostic {
        Diagnostic::validation(
            "Invalid type definition. Please check the documentation in https://pris.ly/d/composite-types",
            span,
        )
    }

    /// A backslash escape that JSON does not know.
    pub fn unknown_escape_sequence(span: Span) -> Diagnostic {
        Diagnostic::error(
            r"Unknown escape sequence. If the value is a windows-style path, `\` must be escaped as `\\`.",
            span,
        )
    }

    /// A malformed `\uXXXX` escape.
    pub fn invalid_unicode_escape(span: Span) -> Diagnostic {
        Diagnostic::error("Invalid unicode escape sequence.", span)
    }

    // ----- names -----

    /// Two top-level items with the same name.
    pub fn duplicate_top(name: &str, kind: &str, existing_kind: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "The {kind} \"{name}\" cannot be defined because a {existing_kind} with that name already exists."
            ),
            span,
        )
    }

    /// A model or enum named like a built-in scalar type.
    pub fn reserved_scalar_type(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("\"{name}\" is a reserved scalar type name and cannot be used."),
            span,
        )
    }

    /// Two fields with the same name in one block.
    pub fn duplicate_field(container: &str, model: &str, field: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Field \"{field}\" is already defined on {container} \"{model}\"."),
            span,
        )
    }

    /// Two values with the same name in one enum.
    pub fn duplicate_enum_value(enum_name: &str, value: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Value \"{value}\" is already defined on enum \"{enum_name}\"."),
            span,
        )
    }

    /// Two properties with the same key in a datasource or generator.
    pub fn duplicate_config_key(block: &str, key: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Key \"{key}\" is already defined in {block}."),
            span,
        )
    }

    /// Two models or views mapped to the same table.
    pub fn duplicate_model_database_name(
        is_view: bool,
        db_name: &str,
        existing: &str,
        span: Span,
    ) -> Diagnostic {
        let kind = if is_view { "view" } else { "model" };
        Diagnostic::error(
            format!(
                "The {kind} with database name \"{db_name}\" could not be defined because another model or view with this name exists: \"{existing}\""
            ),
            span,
        )
    }

    /// Two enums mapped to the same database type.
    pub fn duplicate_enum_database_name(span: Span) -> Diagnostic {
        Diagnostic::error(
            "An enum with the same database name is already defined.",
            span,
        )
    }

    // ----- types -----

    /// A field type that is not a scalar, model, enum or composite type.
    pub fn type_not_found(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Type \"{name}\" is neither a built-in type, nor refers to another model, composite type, or enum."
            ),
            span,
        )
    }

    /// A field type that only differs in case from a built-in one.
    pub fn type_for_case_not_found(name: &str, suggestion: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Type \"{name}\" is neither a built-in type, nor refers to another model, composite type, or enum. Did you mean \"{suggestion}\"?"
            ),
            span,
        )
    }

    // ----- attributes and arguments -----

    /// An attribute that does not exist (or not in this position).
    pub fn attribute_not_known(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Attribute not known: \"@{name}\"."), span)
    }

    /// An attribute given twice; `name` without `@`, e.g. `id` or `@map`.
    pub fn duplicate_attribute(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Attribute \"@{name}\" can only be defined once."),
            span,
        )
    }

    /// A required argument that is missing.
    pub fn argument_not_found(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Argument \"{name}\" is missing."), span)
    }

    /// A required argument of an attribute that is missing.
    pub fn attribute_argument_not_found(argument: &str, attribute: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Argument \"{argument}\" is missing in attribute \"@{attribute}\"."),
            span,
        )
    }

    /// An argument given twice.
    pub fn duplicate_argument(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Argument \"{name}\" is already specified."), span)
    }

    /// A named argument that also came positionally.
    pub fn duplicate_default_argument(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Argument \"{name}\" is already specified as unnamed argument."),
            span,
        )
    }

    /// An argument the attribute does not take.
    pub fn unused_argument(span: Span) -> Diagnostic {
        Diagnostic::error("No such argument.", span)
    }

    /// An unknown named argument of a function.
    pub fn argument_not_known(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Argument not known: \"{name}\"."), span)
    }

    /// `Expected a {expected} value, but received {received} value `{raw}`.`
    pub fn type_mismatch(expected: &str, received: &str, raw: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Expected a {expected} value, but received {received} value `{raw}`."),
            span,
        )
    }

    /// `Expected {expected}, but found {raw}.`
    pub fn value_parser(expected: &str, raw: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Expected {expected}, but found {raw}."), span)
    }

    /// An unknown function inside `@default(…)`.
    pub fn default_unknown_function(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Unknown function in @default(): `{name}` is not known. You can read about the available functions here: https://pris.ly/d/attribute-functions"
            ),
            span,
        )
    }

    /// A literal that does not parse as the field's type.
    pub fn literal_parser(literal_type: &str, raw: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("\"{raw}\" is not a valid value for {literal_type}."),
            span,
        )
    }

    // ----- native types -----

    /// A native type of another datasource prefix.
    pub fn invalid_native_type_prefix(
        given: &str,
        expected: &str,
        suggestion: &str,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!(
                "The prefix {given} is invalid. It must be equal to the name of an existing datasource e.g. {expected}. Did you mean to use {suggestion}?"
            ),
            span,
        )
    }

    /// A native type the connector does not know.
    pub fn native_type_name_unknown(connector: &str, native_type: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Native type {native_type} is not supported for {connector} connector."),
            span,
        )
    }

    /// A native type used with a field type it does not fit.
    pub fn incompatible_native_type(
        native_type: &str,
        field_type: &str,
        expected: &str,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Native type {native_type} is not compatible with declared field type {field_type}, expected field type {expected}."
            ),
            span,
        )
    }

    /// A native type with the wrong number of arguments.
    pub fn native_type_argument_count(
        native_type: &str,
        required: usize,
        given: usize,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!("Native type {native_type} takes {required} arguments, but received {given}."),
            span,
        )
    }

    /// A native type with too many optional arguments.
    pub fn native_type_optional_argument_count(
        native_type: &str,
        optional: usize,
        given: usize,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Native type {native_type} takes {optional} optional arguments, but received {given}."
            ),
            span,
        )
    }

    /// A native type argument out of range.
    pub fn invalid_native_type_argument(
        native_type: &str,
        got: &str,
        expected: &str,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!("Invalid argument for type {native_type}: {got}. Allowed values: {expected}."),
            span,
        )
    }

    /// Native types without a datasource that supports them.
    pub fn native_types_not_supported(connector: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Native types are not supported with {connector} connector"),
            span,
        )
    }

    // ----- datasource and generators -----

    /// A datasource property that is required but missing.
    pub fn source_argument_not_found(argument: &str, source: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Argument \"{argument}\" is missing in data source block \"{source}\"."),
            span,
        )
    }

    /// A generator property that is required but missing.
    pub fn generator_argument_not_found(argument: &str, generator: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Argument \"{argument}\" is missing in generator block \"{generator}\"."),
            span,
        )
    }

    /// A provider string this project does not support.
    pub fn datasource_provider_not_known(provider: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("Datasource provider not known: \"{provider}\"."),
            span,
        )
    }

    /// A provider Prisma knows but this project does not support.
    pub fn unsupported_provider(provider: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "Datasource provider not known: \"{provider}\". This project supports \"postgresql\" (or \"postgres\") and \"sqlite\"."
            ),
            span,
        )
    }

    /// A datasource property that is not known.
    pub fn property_not_known(name: &str, span: Span) -> Diagnostic {
        Diagnostic::error(format!("Property not known: \"{name}\"."), span)
    }

    /// A configuration property written without a value.
    pub fn config_property_missing_value(
        property: &str,
        block: &str,
        kind: &str,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::error(
            format!("Property {property} in {kind} {block} needs to be assigned a value"),
            span,
        )
    }

    /// `env()` called with something else than one unnamed string.
    pub fn named_env_value(span: Span) -> Diagnostic {
        Diagnostic::error(
            "The env function expects a singular, unnamed, string argument.",
            span,
        )
    }

    /// `shadowDatabaseUrl` equal to `url`.
    pub fn shadow_database_same_as_url(source: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "shadowDatabaseUrl is the same as url for datasource \"{source}\". Please specify a different database as shadow database to avoid data loss."
            ),
            span,
        )
    }

    /// `shadowDatabaseUrl` equal to `directUrl`.
    pub fn shadow_database_same_as_direct_url(source: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!(
                "shadowDatabaseUrl is the same as directUrl for datasource \"{source}\". Please specify a different database as shadow database to avoid data loss."
            ),
            span,
        )
    }

    /// A preview feature name that is not known.
    pub fn preview_feature_not_known(feature: &str, expected: &str, span: Span) -> Diagnostic {
        Diagnostic::error(
            format!("The preview feature \"{feature}\" is not known. Expected one of: {expected}"),
            span,
        )
    }

    /// Project advisory: the datasource still carries `url` (Prisma 5/6 form).
    pub fn datasource_url_is_prisma6(span: Span) -> Diagnostic {
        Diagnostic {
            advisory: Some(Advisory::DatasourceUrl),
            ..Diagnostic::warning(
                "The datasource property `url` is no longer read from the schema in Prisma 7: keep the connection URL in `prisma.config.ts` for Prisma and in `DATABASE_URL` (or `--url`) for this tool, and remove `url` (and `directUrl`, `shadowDatabaseUrl`) from the datasource block.",
                span,
            )
        }
    }
}
