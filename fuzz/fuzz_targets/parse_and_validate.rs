//! Any bytes through the schema front end: parse, validate, render. Nothing may panic, and
//! every diagnostic must point inside the source on character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let diagnostics = match orm_schema::validate(&source, "schema.prisma") {
        Ok(validated) => validated.warnings,
        Err(diagnostics) => diagnostics,
    };
    for d in &diagnostics {
        let (start, end) = (d.span.start_usize(), d.span.end_usize());
        assert!(start <= end && end <= source.len());
        assert!(source.is_char_boundary(start) && source.is_char_boundary(end));
    }
    let _ = diagnostics.render(&source, "schema.prisma");
});
