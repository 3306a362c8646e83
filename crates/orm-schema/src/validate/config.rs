//! The `datasource` and `generator` blocks (Prisma's `psl-core/src/configuration`).
//!
//! Both datasource forms load: Prisma 7's (no `url`; the URL lives in `prisma.config.ts` and,
//! for this project, in `DATABASE_URL`) and Prisma 5/6's (`url = env("…")`). The old form gets
//! a project advisory (not one of Prisma's diagnostics) explaining the move.

use super::args;
use crate::ast::{self, ConfigBlock, Expression, SchemaAst};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{ConfigValue, RelationMode};
use crate::provider::{Provider, ProviderKind};
use crate::span::Span;
use crate::validate::hash::FastSet as HashSet;

pub(crate) struct Config<'a> {
    pub datasource: Option<DatasourceConfig<'a>>,
    pub generators: Vec<GeneratorConfig<'a>>,
    pub preview_features: HashSet<&'a str>,
}

impl Config<'_> {
    /// The provider the rules run with: the datasource's, or a permissive one without a
    /// datasource (Prisma's empty connector).
    pub fn provider(&self) -> &'static Provider {
        self.datasource
            .as_ref()
            .map_or(&UNSPECIFIED, |d| d.provider)
    }

    pub fn has_preview(&self, feature: &str) -> bool {
        self.preview_features.contains(feature)
    }
}

/// Without a datasource Prisma validates with a connector that allows everything.
static UNSPECIFIED: Provider = Provider {
    kind: ProviderKind::Postgres,
    name: "unspecified",
    aliases: &[],
    max_identifier_length: 10_000,
    native_types: &[],
    constraint_scopes: &[],
    supports_composite_types: true,
    supports_extensions: false,
    supports_index_length: true,
    supports_clustering: true,
    supports_named_defaults: true,
    ..crate::provider::POSTGRES_CAPABILITIES
};

pub(crate) struct DatasourceConfig<'a> {
    pub block: &'a ConfigBlock,
    pub provider: &'static Provider,
    pub provider_name: &'a str,
    pub url: Option<ConfigValue>,
    pub direct_url: Option<ConfigValue>,
    pub shadow_database_url: Option<ConfigValue>,
    pub relation_mode: RelationMode,
    pub schemas: Vec<(&'a str, Span)>,
    pub schemas_span: Option<Span>,
}

pub(crate) struct GeneratorConfig<'a> {
    pub block: &'a ConfigBlock,
    pub provider: ConfigValue,
    pub output: Option<ConfigValue>,
    pub preview_features: Vec<&'a str>,
    pub config: Vec<(String, String)>,
}

/// Preview features Prisma 6/7 know, active or not (an unknown one is an error).
const PREVIEW_FEATURES: &[&str] = &[
    "driverAdapters",
    "fullTextIndex",
    "fullTextSearchPostgres",
    "metrics",
    "multiSchema",
    "nativeDistinct",
    "postgresqlExtensions",
    "queryCompiler",
    "relationJoins",
    "schemaEngineDriverAdapters",
    "shardKeys",
    "strictUndefinedChecks",
    "views",
    "typedSql",
    "prismaSchemaFolder",
    "omitApi",
    "partialIndexes",
];

/// Preview features that have become part of Prisma (accepted without effect).
const STABILIZED_FEATURES: &[&str] = &[
    "fullTextSearch",
    "aggregateApi",
    "atomicNumberOperations",
    "connectOrCreate",
    "createMany",
    "dataProxy",
    "deno",
    "distinct",
    "extendedIndexes",
    "extendedWhereUnique",
    "fieldReference",
    "filteredRelationCount",
    "filterJson",
    "findUniqueOrThrow",
    "fullTextIndex",
    "groupBy",
    "improvedQueryRaw",
    "interactiveTransactions",
    "jsonProtocol",
    "microsoftSqlServer",
    "middlewares",
    "mongoDb",
    "namedConstraints",
    "napi",
    "nApi",
    "nativeTypes",
    "orderByAggregateGroup",
    "orderByNulls",
    "orderByRelation",
    "referentialActions",
    "referentialIntegrity",
    "selectRelationCount",
    "tracing",
    "transactionApi",
    "uncheckedScalarInputs",
    "cockroachdb",
    "clientExtensions",
    "improvedQueryRaw",
    "postgresqlExtensions",
];

const DATASOURCE_PROPERTIES: &[&str] = &[
    "provider",
    "url",
    "directUrl",
    "shadowDatabaseUrl",
    "relationMode",
    "referentialIntegrity",
    "schemas",
    "extensions",
];

pub(crate) fn load<'a>(ast: &'a SchemaAst, diags: &mut Diagnostics) -> Config<'a> {
    let mut generators = Vec::new();
    let mut preview_features = HashSet::default();
    for block in ast.generators() {
        if let Some(g) = generator(block, diags) {
            preview_features.extend(g.preview_features.iter().copied());
            generators.push(g);
        }
    }

    let blocks: Vec<&ConfigBlock> = ast.datasources().collect();
    if blocks.len() > 1 {
        for block in &blocks {
            diags.push(Diagnostic::datasource_validation(
                "You defined more than one datasource. This is not allowed yet because support for multiple databases has not been implemented yet.",
                &block.name.name,
                block.span,
            ));
        }
    }
    let datasource = blocks
        .first()
        .and_then(|block| datasource(block, &preview_features, diags));

    Config {
        datasource,
        generators,
        preview_features,
    }
}

/// Properties written as `key =` with no value.
fn missing_values(block: &ConfigBlock, kind: &str, diags: &mut Diagnostics) {
    for prop in &block.properties {
        if prop.value.is_none() {
            diags.push(Diagnostic::config_property_missing_value(
                &prop.name.name,
                &block.name.name,
                kind,
                block.span,
            ));
        }
    }
}

fn value_of<'a>(block: &'a ConfigBlock, key: &str) -> Option<&'a Expression> {
    block.property(key).and_then(|p| p.value.as_ref())
}

fn datasource<'a>(
    block: &'a ConfigBlock,
    preview: &HashSet<&str>,
    diags: &mut Diagnostics,
) -> Option<DatasourceConfig<'a>> {
    missing_values(block, "datasource", diags);
    let name = &block.name.name;

    let provider_expr = match value_of(block, "provider") {
        Some(expr) => expr,
        None => {
            if block.property("provider").is_none() {
                diags.push(Diagnostic::source_argument_not_found(
                    "provider", name, block.span,
                ));
            }
            return None;
        }
    };
    let provider_name = match provider_expr {
        Expression::String(s, _) => s.as_str(),
        Expression::Function(f, ..) if f == "env" => {
            diags.push(Diagnostic::datasource_validation(
                "A datasource must not use the env() function in the provider argument.",
                name,
                block.span,
            ));
            return None;
        }
        other => {
            args::string(other, diags);
            return None;
        }
    };
    let Some(provider) = Provider::from_name(provider_name) else {
        diags.push(Diagnostic::unsupported_provider(
            provider_name,
            provider_expr.span(),
        ));
        return None;
    };

    let url = url_property(block, "url", diags);
    let direct_url = url_property(block, "directUrl", diags);
    let shadow_database_url = url_property(block, "shadowDatabaseUrl", diags);
    if let (Some((shadow, _)), Some((direct, direct_span))) = (&shadow_database_url, &direct_url)
        && shadow == direct
        && matches!(shadow, ConfigValue::Literal(s) if !s.is_empty())
    {
        diags.push(Diagnostic::shadow_database_same_as_direct_url(
            name,
            *direct_span,
        ));
    }
    if let (Some((shadow, _)), Some((url, url_span))) = (&shadow_database_url, &url)
        && shadow == url
        && matches!(shadow, ConfigValue::Literal(s) if !s.is_empty())
    {
        diags.push(Diagnostic::shadow_database_same_as_url(name, *url_span));
    }
    if let Some(prop) = block.property("url") {
        diags.push(Diagnostic::datasource_url_is_prisma6(prop_span(prop)));
    }

    let relation_mode = relation_mode(block, diags);

    let mut schemas = Vec::new();
    let mut schemas_span = None;
    if let Some(expr) = value_of(block, "schemas") {
        schemas_span = Some(expr.span());
        if !provider.supports_multi_schema {
            diags.push(Diagnostic::error(
                "The `schemas` property is not supported on the current connector.",
                expr.span(),
            ));
        }
        let items: &[Expression] = match expr {
            Expression::Array(items, _) => items,
            single => std::slice::from_ref(single),
        };
        for item in items {
            if let Some(s) = args::string(item, diags) {
                schemas.push((s, item.span()));
            }
        }
        // Reported on the first occurrence of each repeated name, last name first (the order
        // Prisma's lint output shows).
        let mut duplicates = Vec::new();
        for (i, (s, span)) in schemas.iter().enumerate() {
            let first = schemas[..i].iter().all(|(t, _)| t != s);
            if first && schemas[i + 1..].iter().any(|(t, _)| t == s) {
                duplicates.push(*span);
            }
        }
        for span in duplicates.into_iter().rev() {
            diags.push(Diagnostic::error(
                "Duplicated schema names are not allowed",
                span,
            ));
        }
        if schemas.is_empty() && items.is_empty() {
            diags.push(Diagnostic::error(
                "If provided, the schemas array can not be empty.",
                expr.span(),
            ));
        }
    }

    if let Some(prop) = block.property("extensions") {
        if !provider.supports_extensions {
            diags.push(Diagnostic::property_not_known(
                "extensions",
                prop_span(prop),
            ));
        } else if !preview.contains("postgresqlExtensions") {
            diags.push(Diagnostic::error(
                "The `extensions` property is only available with the `postgresqlExtensions` preview feature.",
                prop_span(prop),
            ));
        } else if let Some(expr) = &prop.value {
            extensions(expr, diags);
        }
    }

    for prop in &block.properties {
        if !DATASOURCE_PROPERTIES.contains(&prop.name.name.as_str()) {
            diags.push(Diagnostic::property_not_known(
                &prop.name.name,
                prop_span(prop),
            ));
        }
    }

    Some(DatasourceConfig {
        block,
        provider,
        provider_name,
        url: url.map(|(v, _)| v),
        direct_url: direct_url.map(|(v, _)| v),
        shadow_database_url: shadow_database_url.map(|(v, _)| v),
        relation_mode,
        schemas,
        schemas_span,
    })
}

/// A property's span without its line ending.
fn prop_span(prop: &ast::ConfigProperty) -> Span {
    match &prop.value {
        Some(v) => prop.name.span.to(v.span()),
        None => prop.name.span,
    }
}

fn url_property(
    block: &ConfigBlock,
    key: &str,
    diags: &mut Diagnostics,
) -> Option<(ConfigValue, Span)> {
    let expr = value_of(block, key)?;
    let value = string_or_env(expr, diags)?;
    Some((value, expr.span()))
}

/// `"…"` or `env("NAME")`.
fn string_or_env(expr: &Expression, diags: &mut Diagnostics) -> Option<ConfigValue> {
    match expr {
        Expression::String(s, _) => Some(ConfigValue::Literal(s.clone())),
        Expression::Function(name, args, span) if name == "env" => {
            let named: Vec<&ast::Argument> =
                args.arguments.iter().filter(|a| a.name.is_some()).collect();
            if !args.empty_arguments.is_empty() || args.arguments.len() != 1 {
                diags.push(Diagnostic::named_env_value(*span));
                return None;
            }
            if let Some(arg) = named.first() {
                diags.push(Diagnostic::warning(
                    "The env function doesn't expect named arguments",
                    arg.span,
                ));
            }
            match &args.arguments[0].value {
                Expression::String(var, _) => Some(ConfigValue::Env(var.clone())),
                _ => {
                    diags.push(Diagnostic::named_env_value(*span));
                    None
                }
            }
        }
        other => {
            diags.push(Diagnostic::type_mismatch(
                "String",
                other.describe(),
                &other.to_string(),
                other.span(),
            ));
            None
        }
    }
}

fn relation_mode(block: &ConfigBlock, diags: &mut Diagnostics) -> RelationMode {
    let mode = block.property("relationMode");
    let integrity = block.property("referentialIntegrity");
    if let Some(prop) = integrity {
        diags.push(Diagnostic::warning(
            "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. Learn more at https://pris.ly/d/relation-mode",
            prop_span(prop),
        ));
    }
    if let (Some(_), Some(prop)) = (mode, integrity) {
        diags.push(Diagnostic::error(
            "The `referentialIntegrity` and `relationMode` attributes cannot be used together. Please use only `relationMode` instead.",
            prop_span(prop),
        ));
        return RelationMode::default();
    }
    let Some(prop) = mode.or(integrity) else {
        return RelationMode::default();
    };
    let Some(expr) = &prop.value else {
        return RelationMode::default();
    };
    match expr {
        Expression::String(s, _) if s == "prisma" => RelationMode::Prisma,
        Expression::String(s, _) if s == "foreignKeys" => RelationMode::ForeignKeys,
        Expression::String(s, span) => {
            diags.push(Diagnostic::datasource_validation(
                &format!(
                    "Invalid relation mode setting: \"{s}\". Supported values: \"prisma\", \"foreignKeys\""
                ),
                &block.name.name,
                *span,
            ));
            RelationMode::default()
        }
        other => {
            args::string(other, diags);
            RelationMode::default()
        }
    }
}

/// `extensions = [postgis, pg_trgm(schema: "x", version: "1", map: "y")]`.
fn extensions(expr: &Expression, diags: &mut Diagnostics) {
    let items: &[Expression] = match expr {
        Expression::Array(items, _) => items,
        single => std::slice::from_ref(single),
    };
    for item in items {
        let (name, args, span) = match item {
            Expression::Constant(name, span) => (name.as_str(), None, *span),
            Expression::Function(name, args, span) => (name.as_str(), Some(args), *span),
            other => {
                diags.push(Diagnostic::type_mismatch(
                    "constant or function",
                    other.describe(),
                    &other.to_string(),
                    other.span(),
                ));
                continue;
            }
        };
        if name.contains('-') {
            diags.push(Diagnostic::validation(
                "The character `-` is not allowed in extension names.",
                span,
            ));
        }
        let Some(args) = args else { continue };
        let mut seen = HashSet::default();
        for arg in &args.arguments {
            let Some(arg_name) = &arg.name else {
                diags.push(Diagnostic::validation(
                    "The argument must have a name",
                    arg.span,
                ));
                continue;
            };
            if !seen.insert(arg_name.name.as_str()) {
                diags.push(Diagnostic::validation(
                    &format!("The argument `{}` can only be defined once", arg_name.name),
                    arg.span,
                ));
                continue;
            }
            match arg_name.name.as_str() {
                key @ ("schema" | "version" | "map") => {
                    if args::string(&arg.value, diags).is_none() {
                        diags.push(Diagnostic::validation(
                            &format!("The `{key}` argument must be a string literal"),
                            arg.span,
                        ));
                    }
                }
                other => diags.push(Diagnostic::argument_not_known(other, arg.span)),
            }
        }
    }
}

fn generator<'a>(block: &'a ConfigBlock, diags: &mut Diagnostics) -> Option<GeneratorConfig<'a>> {
    missing_values(block, "generator", diags);
    let name = &block.name.name;
    let provider = match value_of(block, "provider") {
        Some(expr) => string_or_env(expr, diags)?,
        None => {
            if block.property("provider").is_none() {
                diags.push(Diagnostic::generator_argument_not_found(
                    "provider", name, block.span,
                ));
            }
            return None;
        }
    };
    let output = value_of(block, "output").and_then(|e| string_or_env(e, diags));

    let mut preview_features = Vec::new();
    if let Some(expr) = value_of(block, "previewFeatures") {
        let items: &[Expression] = match expr {
            Expression::Array(items, _) => items,
            single => std::slice::from_ref(single),
        };
        for item in items {
            if let Some(feature) = args::string(item, diags) {
                preview_feature(feature, expr.span(), diags);
                preview_features.push(feature);
            }
        }
    }

    let config = block
        .properties
        .iter()
        .filter(|p| {
            !matches!(
                p.name.name.as_str(),
                "provider" | "output" | "previewFeatures"
            )
        })
        .filter_map(|p| {
            let value = p.value.as_ref()?;
            let text = match value {
                Expression::String(s, _) => s.clone(),
                other => other.to_string(),
            };
            Some((p.name.name.clone(), text))
        })
        .collect();

    Some(GeneratorConfig {
        block,
        provider,
        output,
        preview_features,
        config,
    })
}

fn preview_feature(feature: &str, span: Span, diags: &mut Diagnostics) {
    match feature {
        "metrics" => diags.push(Diagnostic::warning(
            format!("Preview feature \"{feature}\" is deprecated. It will be removed in a future version of Prisma."),
            span,
        )),
        "fullTextSearch" => diags.push(Diagnostic::warning(
            "On `provider = \"postgresql\"`, preview feature \"fullTextSearch\" has been renamed to \"fullTextSearchPostgres\". Learn more at https://pris.ly/d/fts-postgres.",
            span,
        )),
        f if PREVIEW_FEATURES.contains(&f) || STABILIZED_FEATURES.contains(&f) => {}
        f => diags.push(Diagnostic::preview_feature_not_known(
            f,
            &PREVIEW_FEATURES.join(", "),
            span,
        )),
    }
}
