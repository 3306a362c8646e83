//! `@db.X(args)`: the prefix names the datasource, the type exists for the provider, fits the
//! field's scalar type and gets valid arguments (Prisma's `validate_native_type_arguments` and
//! the PostgreSQL connector's argument checks).

use super::Ctx;
use crate::diagnostics::Diagnostic;
use crate::provider::ProviderKind;
use crate::validate::{FieldTy, ModelData};

pub(super) fn validate(ctx: &mut Ctx<'_, '_>, model: &ModelData<'_>, f: usize) {
    let field = &model.fields[f];
    let Some(native) = &field.native_type else {
        return;
    };
    let FieldTy::Scalar(scalar) = field.ty else {
        return;
    };
    let Some(ds) = &ctx.config.datasource else {
        return;
    };
    let span = native.attribute.span;
    let ds_name = ds.block.name.name.as_str();

    if native.prefix != ds_name {
        ctx.diags.push(Diagnostic::invalid_native_type_prefix(
            native.prefix,
            ds_name,
            &format!("@{ds_name}.{}", native.name),
            span,
        ));
        return;
    }
    let provider = ds.provider;
    let Some(spec) = provider.native_type(native.name) else {
        ctx.diags.push(Diagnostic::native_type_name_unknown(
            provider.name,
            native.name,
            span,
        ));
        return;
    };

    let mut numbers = Vec::with_capacity(native.args.len());
    for arg in &native.args {
        match arg.parse::<u32>() {
            Ok(n) => numbers.push(n),
            Err(_) => {
                ctx.diags.push(Diagnostic::value_parser(
                    "a nonnegative integer",
                    &format!("({arg})"),
                    span,
                ));
                return;
            }
        }
    }
    let given = numbers.len();
    if spec.optional_args == 0 && given != spec.required_args {
        ctx.diags.push(Diagnostic::native_type_argument_count(
            native.name,
            spec.required_args,
            given,
            span,
        ));
        return;
    }
    if given > spec.required_args + spec.optional_args {
        ctx.diags
            .push(Diagnostic::native_type_optional_argument_count(
                native.name,
                spec.optional_args,
                given,
                span,
            ));
        return;
    }
    if !spec.scalar_types.contains(&scalar) {
        let expected: Vec<&str> = spec.scalar_types.iter().map(|t| t.as_str()).collect();
        ctx.diags.push(Diagnostic::incompatible_native_type(
            native.name,
            scalar.as_str(),
            &expected.join(" or "),
            span,
        ));
        return;
    }

    if provider.kind == ProviderKind::Postgres {
        let rendered = if native.args.is_empty() {
            native.name.to_owned()
        } else {
            format!("{}({})", native.name, native.args.join(","))
        };
        let out_of_range = |message: &str| {
            Diagnostic::error(
                format!(
                    "Argument M is out of range for native type `{rendered}` of Postgres: {message}"
                ),
                span,
            )
        };
        match (native.name, numbers.as_slice()) {
            ("Decimal", [precision, scale]) if scale > precision => ctx.diags.push(Diagnostic::error(
                format!("The scale must not be larger than the precision for the {rendered} native type in Postgres."),
                span,
            )),
            ("Decimal", [precision, ..]) if *precision == 0 || *precision > 1000 => ctx.diags.push(out_of_range(
                "Precision must be positive with a maximum value of 1000.",
            )),
            ("Bit" | "VarBit", [0]) => ctx.diags.push(out_of_range("M must be a positive integer.")),
            ("Timestamp" | "Timestamptz" | "Time" | "Timetz", [p]) if *p > 6 => {
                ctx.diags.push(out_of_range("M can range from 0 to 6."))
            }
            _ => {}
        }
    }
}
