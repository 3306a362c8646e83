//! A hand-written reader for the Prisma Schema Language.
//!
//! It follows the shape of Prisma's PEG grammar (`datamodel.pest`): the language is line
//! based (a field, an attribute line, an enum value or a `key = value` ends at the line end);
//! a block opens with `{` (the rest of that line is ignored) and closes at the first later line
//! whose first non-blank character is `}`. A line that cannot be read becomes a diagnostic and
//! reading goes on with the next line; a block that never closes turns into one diagnostic per
//! line, as in Prisma.
//!
//! Every function here takes a byte position and returns the position after what it read, or
//! `None` without side effects when the input does not match, so alternatives can be tried in
//! order like the grammar's ordered choices. Nothing indexes past the end of the input, and no
//! path panics on any input.

use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::span::FileId;
use std::cell::Cell;

/// Parses a schema file. Problems are pushed into `diagnostics`; the returned tree holds every
/// block and line that could be read.
pub fn parse(source: &str, file: FileId, diagnostics: &mut Diagnostics) -> SchemaAst {
    let mut parser = Parser {
        src: source,
        bytes: source.as_bytes(),
        file,
        diags: diagnostics,
        comments: Vec::new(),
        close_lines: Vec::new(),
        depth: Cell::new(0),
    };
    parser.close_lines = parser.find_close_lines();
    let tops = parser.schema();
    SchemaAst {
        tops,
        comments: parser.comments,
    }
}

struct Parser<'a, 'd> {
    src: &'a str,
    bytes: &'a [u8],
    file: FileId,
    diags: &'d mut Diagnostics,
    comments: Vec<Comment>,
    /// Starts of the lines whose first non-blank character is `}` (outside `/* */` comments),
    /// in order: where blocks can close.
    close_lines: Vec<usize>,
    /// Current nesting of function calls and lists, bounded by [`MAX_NESTING`].
    depth: Cell<usize>,
}

/// Deepest nesting of calls and lists in a value. Real schemas nest two or three levels; the
/// bound keeps the reader (and everything that walks the tree) off the end of the stack.
const MAX_NESTING: usize = 64;

/// The three kinds of block bodies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Model { is_view: bool },
    CompositeType,
    Enum,
    Config { generator: bool },
}

impl<'a> Parser<'a, '_> {
    // ------------------------------------------------------------------ low level

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.src.get(pos..).and_then(|s| s.chars().next())
    }

    fn starts_with(&self, pos: usize, s: &str) -> bool {
        self.bytes
            .get(pos..)
            .is_some_and(|rest| rest.starts_with(s.as_bytes()))
    }

    fn eat(&self, pos: usize, s: &str) -> Option<usize> {
        self.starts_with(pos, s).then_some(pos + s.len())
    }

    /// Skips spaces, tabs and other Unicode space separators (not line endings).
    fn ws(&self, mut pos: usize) -> usize {
        loop {
            match self.bytes.get(pos) {
                Some(b' ' | b'\t') => pos += 1,
                Some(&b) if b < 0x80 => return pos,
                None => return pos,
                Some(_) => match self.char_at(pos) {
                    Some(c) if is_blank(c) => pos += c.len_utf8(),
                    _ => return pos,
                },
            }
        }
    }

    /// The length of a line ending at `pos`, if there is one.
    fn newline(&self, pos: usize) -> Option<usize> {
        match self.bytes.get(pos) {
            Some(b'\n') => Some(pos + 1),
            Some(b'\r') if self.bytes.get(pos + 1) == Some(&b'\n') => Some(pos + 2),
            Some(b'\r') => Some(pos + 1),
            _ => None,
        }
    }

    /// Where the line containing `pos` ends (before its line ending).
    fn line_end(&self, pos: usize) -> usize {
        let mut p = pos;
        while let Some(&b) = self.bytes.get(p) {
            if b == b'\n' || b == b'\r' {
                break;
            }
            p += 1;
        }
        p
    }

    /// The start of the next line after `pos` (or the end of input).
    fn next_line(&self, pos: usize) -> usize {
        let end = self.line_end(pos);
        self.newline(end).unwrap_or(end)
    }

    fn at_eof(&self, pos: usize) -> bool {
        pos >= self.bytes.len()
    }

    /// Every line whose first non-blank character is `}`, skipping lines inside `/* */`.
    fn find_close_lines(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut in_block_comment = false;
        let mut line = 0;
        while !self.at_eof(line) {
            let end = self.line_end(line);
            if !in_block_comment && self.bytes.get(self.ws(line)) == Some(&b'}') {
                out.push(line);
            }
            in_block_comment = self.block_comment_state(line, end, in_block_comment);
            line = self.newline(end).unwrap_or(end);
        }
        out
    }

    /// Whether a `/* */` comment is still open at the end of `start..end`, given whether one
    /// was open at its start. `//` comments and string literals are skipped.
    fn block_comment_state(&self, start: usize, end: usize, mut open: bool) -> bool {
        let line = &self.bytes[start..end];
        let mut i = 0;
        while let Some(rest) = line.get(i..) {
            if rest.is_empty() {
                break;
            }
            if open {
                match rest.windows(2).position(|w| w == b"*/") {
                    Some(k) => {
                        open = false;
                        i += k + 2;
                    }
                    None => return true,
                }
                continue;
            }
            let Some(k) = rest.iter().position(|&b| b == b'/' || b == b'"') else {
                return false;
            };
            i += k;
            if line[i] == b'"' {
                // Skip the string literal (a `\` escapes the next byte).
                i += 1;
                loop {
                    let Some(k) = line
                        .get(i..)
                        .and_then(|r| r.iter().position(|&b| b == b'"' || b == b'\\'))
                    else {
                        return false;
                    };
                    i += k;
                    if line[i] == b'"' {
                        i += 1;
                        break;
                    }
                    i += 2;
                }
            } else {
                match line.get(i + 1) {
                    Some(b'/') => return false,
                    Some(b'*') => {
                        open = true;
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
        }
        open
    }

    /// The start of the first line after the one containing `pos` whose first non-blank
    /// character is `}`.
    fn find_close_line(&self, pos: usize) -> Option<usize> {
        let after = self.next_line(pos);
        let i = self.close_lines.partition_point(|&l| l < after);
        self.close_lines.get(i).copied()
    }

    /// An identifier: a letter or digit, then letters, digits, `_` and `-`.
    fn ident(&self, pos: usize) -> Option<usize> {
        let first = self.char_at(pos)?;
        if !first.is_alphanumeric() {
            return None;
        }
        let mut p = pos + first.len_utf8();
        loop {
            match self.bytes.get(p) {
                Some(b) if b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-' => p += 1,
                Some(&b) if b >= 0x80 => match self.char_at(p) {
                    Some(c) if c.is_alphanumeric() => p += c.len_utf8(),
                    _ => return Some(p),
                },
                _ => return Some(p),
            }
        }
    }

    fn identifier(&self, pos: usize) -> Option<(Identifier, usize)> {
        let end = self.ident(pos)?;
        Some((
            Identifier {
                name: self.src[pos..end].to_owned(),
                span: self.span(pos, end),
            },
            end,
        ))
    }

    /// A dotted path: `id`, `db.VarChar`.
    fn path(&self, pos: usize) -> Option<usize> {
        let mut p = self.ident(pos)?;
        while self.starts_with(p, ".") {
            p += 1;
            if let Some(next) = self.ident(p) {
                p = next;
            }
        }
        Some(p)
    }

    /// A keyword followed by at least one blank.
    fn keyword(&self, pos: usize, kw: &str) -> Option<usize> {
        let end = self.eat(pos, kw)?;
        let after = self.ws(end);
        (after > end).then_some(after)
    }

    // ------------------------------------------------------------------ comments

    /// A `//` or `///` comment at `pos` (blanks already skipped), up to the line end, or a
    /// `/* … */` comment up to its end.
    fn comment(&self, pos: usize) -> Option<(Comment, usize)> {
        if self.starts_with(pos, "/*") {
            let close = self.src.get(pos + 2..)?.find("*/")?;
            let end = pos + 2 + close + 2;
            return Some((
                Comment {
                    kind: CommentKind::Block,
                    text: self.src[pos + 2..end - 2].to_owned(),
                    span: self.span(pos, end),
                },
                end,
            ));
        }
        if !self.starts_with(pos, "//") {
            return None;
        }
        let end = self.line_end(pos);
        let (kind, text_start) = if self.starts_with(pos, "///") {
            (CommentKind::Doc, pos + 3)
        } else {
            (CommentKind::Regular, pos + 2)
        };
        Some((
            Comment {
                kind,
                text: self.src[text_start..end].to_owned(),
                span: self.span(pos, end),
            },
            end,
        ))
    }

    /// Consecutive comment lines starting at the line of `pos` (blanks skipped). Records every
    /// comment and returns the documentation made of its `///` lines, and the position after
    /// the block's last line ending.
    fn comment_block(&mut self, pos: usize) -> Option<(Option<Documentation>, usize)> {
        let mut p = self.ws(pos);
        let (first, _) = self.comment(p)?;
        let mut doc_lines: Vec<String> = Vec::new();
        let mut doc_span: Option<Span> = None;
        let mut current = Some(first);
        while let Some(comment) = current.take() {
            let end = comment.span.end_usize();
            if comment.kind != CommentKind::Regular {
                let text = match comment.kind {
                    CommentKind::Block => comment.text.trim(),
                    _ => comment.text.trim_start(),
                };
                doc_lines.push(text.to_owned());
                doc_span = Some(doc_span.map_or(comment.span, |s| s.to(comment.span)));
            }
            self.comments.push(comment);
            p = self.newline(end).unwrap_or(end);
            let next = self.ws(p);
            if let Some((c, _)) = self.comment(next) {
                current = Some(c);
            }
        }
        let doc = doc_span.map(|span| Documentation {
            text: doc_lines.join("\n"),
            span,
        });
        Some((doc, p))
    }

    /// A trailing comment at `pos` (blanks skipped), if any; returns it and the position after.
    fn trailing_comment(&self, pos: usize) -> (Option<Comment>, usize) {
        let p = self.ws(pos);
        match self.comment(p) {
            Some((c, end)) => (Some(c), end),
            None => (None, pos),
        }
    }

    // ------------------------------------------------------------------ top level

    fn schema(&mut self) -> Vec<Top> {
        let mut tops = Vec::new();
        let mut pending_doc: Option<Documentation> = None;
        let mut pos = 0;
        loop {
            pos = self.ws(pos);
            if self.at_eof(pos) {
                break;
            }
            if let Some(next) = self.newline(pos) {
                pending_doc = None;
                pos = next;
                continue;
            }
            if (self.starts_with(pos, "//") || self.starts_with(pos, "/*"))
                && let Some((doc, next)) = self.comment_block(pos)
            {
                pending_doc = doc;
                pos = next;
                continue;
            }
            let doc = pending_doc.take();
            if let Some((top, next)) = self.top_block(pos, doc) {
                tops.push(top);
                pos = next;
                continue;
            }
            if let Some(next) = self.type_alias(pos) {
                pos = next;
                continue;
            }
            if let Some(next) = self.arbitrary_block(pos) {
                pos = next;
                continue;
            }
            // Catch-all: the rest of the line, line ending included.
            let end = self.line_end(pos);
            let next = self.newline(end).unwrap_or(end);
            self.diags
                .push(Diagnostic::invalid_top_level_line(self.span(pos, next)));
            pos = next;
        }
        tops
    }

    fn top_block(&mut self, pos: usize, doc: Option<Documentation>) -> Option<(Top, usize)> {
        let (kind, after_kw) = if let Some(p) = self.keyword(pos, "model") {
            (BodyKind::Model { is_view: false }, p)
        } else if let Some(p) = self.keyword(pos, "view") {
            (BodyKind::Model { is_view: true }, p)
        } else if let Some(p) = self.keyword(pos, "type") {
            (BodyKind::CompositeType, p)
        } else if let Some(p) = self.keyword(pos, "enum") {
            (BodyKind::Enum, p)
        } else if let Some(p) = self.keyword(pos, "datasource") {
            (BodyKind::Config { generator: false }, p)
        } else if let Some(p) = self.keyword(pos, "generator") {
            (BodyKind::Config { generator: true }, p)
        } else {
            return None;
        };
        let (name, after_name) = self.identifier(after_kw)?;
        let body_start = self.block_open(after_name)?;
        let close_line = self.find_close_line(after_name)?;
        let close = self.ws(close_line);
        let end = close + 1;
        let span = self.span(pos, end);
        let top = self.block_body(kind, name, doc, span, body_start, close_line);
        Some((top, end))
    }

    /// `{` and the rest of its line (ignored except for a comment, which is recorded).
    /// Returns the start of the first body line.
    fn block_open(&mut self, pos: usize) -> Option<usize> {
        let brace = self.ws(pos);
        let after = self.eat(brace, "{")?;
        let end = self.line_end(after);
        let next = self.newline(end)?;
        if let (Some(c), _) = self.trailing_comment(after) {
            self.comments.push(c);
        }
        Some(next)
    }

    /// `type Name = Base @attrs…`: not supported by Prisma; reported and skipped.
    fn type_alias(&mut self, pos: usize) -> Option<usize> {
        let p = self.keyword(pos, "type")?;
        let (_, p) = self.identifier(p)?;
        let p = self.ws(p);
        self.eat(p, "=")?;
        let end = self.line_end(p);
        self.diags.push(Diagnostic::type_alias(self.span(pos, end)));
        Some(end)
    }

    /// `name { … }` with an unknown keyword: one diagnostic over the whole block.
    fn arbitrary_block(&mut self, pos: usize) -> Option<usize> {
        let (_, p) = self.identifier(pos)?;
        let brace = self.ws(p);
        let after = self.eat(brace, "{")?;
        let body = self.newline(self.line_end(after))?;
        let close = body + self.bytes.get(body..)?.iter().position(|&b| b == b'}')?;
        self.diags
            .push(Diagnostic::invalid_block(self.span(pos, close + 1)));
        Some(close + 1)
    }

    // ------------------------------------------------------------------ block bodies

    fn block_body(
        &mut self,
        kind: BodyKind,
        name: Identifier,
        documentation: Option<Documentation>,
        span: Span,
        body_start: usize,
        body_end: usize,
    ) -> Top {
        let mut fields = Vec::new();
        let mut attributes = Vec::new();
        let mut values = Vec::new();
        let mut properties = Vec::new();
        let mut pending_doc: Option<Documentation> = None;
        let mut pos = body_start;
        while pos < body_end {
            let start = self.ws(pos);
            if let Some(next) = self.newline(start) {
                pos = next;
                continue;
            }
            if (self.starts_with(start, "//") || self.starts_with(start, "/*"))
                && let Some((doc, next)) = self.comment_block(start)
            {
                pending_doc = doc;
                pos = next;
                continue;
            }
            let line_next = self.next_line(start);
            let handled = match kind {
                BodyKind::Model { .. } | BodyKind::CompositeType => {
                    if let Some(attr) = self.block_attribute_line(start) {
                        if kind == BodyKind::CompositeType {
                            self.composite_type_block_attribute(&attr);
                        } else {
                            attributes.push(attr);
                        }
                        true
                    } else if let Some(result) = self.field_line(start) {
                        let (container, model) = match kind {
                            BodyKind::Model { is_view: true } => ("view", &name.name),
                            BodyKind::Model { is_view: false } => ("model", &name.name),
                            _ => ("type", &name.name),
                        };
                        match result {
                            FieldLine::Field(mut field) => {
                                field.documentation =
                                    merge_docs(pending_doc.take(), field.documentation);
                                if kind == BodyKind::CompositeType {
                                    self.composite_type_field_attributes(&field, start, line_next);
                                }
                                fields.push(field);
                            }
                            FieldLine::MissingType(field_span) => {
                                pending_doc = None;
                                self.diags.push(Diagnostic::invalid_field_declaration(
                                    container, model, field_span,
                                ));
                            }
                            FieldLine::Legacy(d) => {
                                pending_doc = None;
                                self.diags.push(d);
                            }
                        }
                        true
                    } else {
                        false
                    }
                }
                BodyKind::Enum => {
                    if let Some(mut value) = self.enum_value_line(start) {
                        value.documentation = merge_docs(pending_doc.take(), value.documentation);
                        values.push(value);
                        true
                    } else if let Some(attr) = self.block_attribute_line(start) {
                        attributes.push(attr);
                        true
                    } else {
                        false
                    }
                }
                BodyKind::Config { .. } => {
                    if let Some(prop) = self.key_value_line(start) {
                        properties.push(prop);
                        true
                    } else {
                        false
                    }
                }
            };
            if !handled {
                let line_span = self.span(start, line_next);
                let d = match kind {
                    BodyKind::Model { .. } | BodyKind::CompositeType => {
                        Diagnostic::invalid_model_line(line_span)
                    }
                    BodyKind::Enum => Diagnostic::invalid_enum_line(line_span),
                    BodyKind::Config { generator } => Diagnostic::invalid_config_line(
                        if generator { "generator" } else { "datasource" },
                        line_span,
                    ),
                };
                self.diags.push(d);
            }
            pos = line_next;
        }

        match kind {
            BodyKind::Model { is_view } => Top::Model(Model {
                name,
                is_view,
                fields,
                attributes,
                documentation,
                span,
            }),
            BodyKind::CompositeType => Top::CompositeType(CompositeType {
                name,
                fields,
                documentation,
                span,
            }),
            BodyKind::Enum => Top::Enum(Enum {
                name,
                values,
                attributes,
                documentation,
                span,
            }),
            BodyKind::Config { generator } => {
                let block = ConfigBlock {
                    name,
                    properties,
                    documentation,
                    span,
                };
                if generator {
                    Top::Generator(block)
                } else {
                    Top::Datasource(block)
                }
            }
        }
    }

    /// Prisma rejects block attributes in composite types while parsing.
    fn composite_type_block_attribute(&mut self, attr: &Attribute) {
        let message = match attr.name.name.as_str() {
            "map" => {
                "The name of a composite type is not persisted in the database, therefore it does not need a mapped database name."
            }
            "unique" => "A unique constraint should be defined in the model containing the embed.",
            "index" => "An index should be defined in the model containing the embed.",
            "fulltext" => "A fulltext index should be defined in the model containing the embed.",
            "id" => "A composite type cannot define an id.",
            _ => "A composite type cannot have block-level attributes.",
        };
        self.diags.push(Diagnostic::validation(message, attr.span));
    }

    /// Prisma rejects `@relation`, `@unique` and `@id` on composite type fields while parsing.
    fn composite_type_field_attributes(&mut self, field: &Field, start: usize, end: usize) {
        for attr in &field.attributes {
            if matches!(attr.name.name.as_str(), "relation" | "unique" | "id") {
                let message = format!(
                    "Defining `@{}` attribute for a field in a composite type is not allowed.",
                    attr.name.name
                );
                self.diags
                    .push(Diagnostic::validation(&message, self.span(start, end)));
            }
        }
    }

    /// `@@name(args) // comment` then the line end.
    fn block_attribute_line(&mut self, pos: usize) -> Option<Attribute> {
        let at = self.eat(pos, "@@")?;
        let mut scratch = Diagnostics::new();
        let (mut attr, p) = self.attribute_after_at(pos, at, &mut scratch)?;
        let (comment, p) = self.trailing_comment(p);
        let end = self.ws(p);
        self.newline(end)?;
        // The span covers a trailing comment, or else the trailing blanks (as in Prisma).
        match comment {
            Some(c) => {
                attr.span = attr.span.to(c.span);
                self.comments.push(c);
            }
            None => attr.span.end = crate::span::Span::new(self.file, 0, end).end,
        }
        self.diags.extend(scratch);
        Some(attr)
    }

    /// `@name(args)` after the `@` (or `@@`) at `at`; `start` is where the `@` is.
    fn attribute_after_at(
        &self,
        start: usize,
        at: usize,
        diags: &mut Diagnostics,
    ) -> Option<(Attribute, usize)> {
        let name_start = self.ws(at);
        let name_end = self.path(name_start)?;
        let name = Identifier {
            name: self.src[name_start..name_end].to_owned(),
            span: self.span(name_start, name_end),
        };
        // Without arguments the span runs over the blanks that follow, as in Prisma (its
        // grammar skips whitespace before trying the optional argument list).
        let mut p = self.ws(name_end);
        let mut arguments = ArgumentsList::default();
        if self.starts_with(p, "(") {
            let (args, after) = self.arguments_list(p, diags)?;
            arguments = args;
            p = after;
        }
        Some((
            Attribute {
                name,
                arguments,
                span: self.span(start, p),
            },
            p,
        ))
    }

    /// Field attributes: `@a @b(…)`, as many as there are.
    fn field_attributes(&self, mut pos: usize, diags: &mut Diagnostics) -> (Vec<Attribute>, usize) {
        let mut attributes = Vec::new();
        loop {
            let p = self.ws(pos);
            if !self.starts_with(p, "@") || self.starts_with(p, "@@") {
                break;
            }
            match self.attribute_after_at(p, p + 1, diags) {
                Some((attr, next)) => {
                    attributes.push(attr);
                    pos = next;
                }
                None => break,
            }
        }
        (attributes, pos)
    }

    fn field_line(&mut self, pos: usize) -> Option<FieldLine> {
        let (name, mut p) = self.identifier(pos)?;
        let mut scratch = Diagnostics::new();
        let colon = self.ws(p);
        let mut legacy: Option<Diagnostic> = None;
        if self.starts_with(colon, ":") {
            legacy = Some(Diagnostic::legacy_colon(self.span(colon, colon + 1)));
            p = colon + 1;
        }
        let mut field_type = None;
        if let Some((ty, after)) = self.field_type(self.ws(p), &mut scratch) {
            field_type = Some(ty);
            p = after;
        }
        let (attributes, p) = self.field_attributes(p, &mut scratch);
        let (comment, p) = self.trailing_comment(p);
        let end = self.ws(p);
        let next = self.newline(end)?;
        self.diags.extend(scratch);
        if let Some(c) = &comment {
            self.comments.push(c.clone());
        }
        let span = self.span(pos, next);
        if let Some(d) = legacy {
            return Some(FieldLine::Legacy(d));
        }
        match field_type {
            None => Some(FieldLine::MissingType(span)),
            Some(TypeResult::Legacy(d)) => Some(FieldLine::Legacy(d)),
            Some(TypeResult::Ok(arity, field_type)) => {
                let documentation = comment.as_ref().and_then(|c| {
                    (c.kind == CommentKind::Doc).then(|| Documentation {
                        text: c.text.trim_start().to_owned(),
                        span: c.span,
                    })
                });
                Some(FieldLine::Field(Field {
                    name,
                    arity,
                    field_type,
                    attributes,
                    documentation,
                    trailing_comment: comment,
                    span,
                }))
            }
        }
    }

    /// A field type with its arity suffix, in the grammar's order of alternatives.
    fn field_type(&self, pos: usize, diags: &mut Diagnostics) -> Option<(TypeResult, usize)> {
        if let Some((base, after)) = self.base_type(pos, diags) {
            let p = self.ws(after);
            if let Some(list_end) = self.eat(p, "[]") {
                let q = self.ws(list_end);
                if let Some(end) = self.eat(q, "?") {
                    let d = Diagnostic::optional_list(self.span(pos, end));
                    return Some((TypeResult::Legacy(d), end));
                }
                return Some((TypeResult::Ok(FieldArity::List, base), list_end));
            }
            if let Some(end) = self.eat(p, "?") {
                return Some((TypeResult::Ok(FieldArity::Optional, base), end));
            }
            if let Some(end) = self.eat(p, "!") {
                let d = Diagnostic::legacy_required(self.span(pos, end));
                return Some((TypeResult::Legacy(d), end));
            }
            return Some((TypeResult::Ok(FieldArity::Required, base), after));
        }
        let inner = self.ws(self.eat(pos, "[")?);
        let (_, after) = self.base_type(inner, diags)?;
        let end = self.eat(self.ws(after), "]")?;
        let d = Diagnostic::legacy_list(self.span(pos, end));
        Some((TypeResult::Legacy(d), end))
    }

    fn base_type(&self, pos: usize, diags: &mut Diagnostics) -> Option<(FieldType, usize)> {
        if let Some(p) = self.eat(pos, "Unsupported(") {
            let mut inner = Diagnostics::new();
            if let Some((value, after)) = self.string_literal(self.ws(p), &mut inner)
                && let Some(end) = self.eat(self.ws(after), ")")
            {
                diags.extend(inner);
                return Some((FieldType::Unsupported(value, self.span(pos, end)), end));
            }
        }
        let (ident, end) = self.identifier(pos)?;
        Some((FieldType::Named(ident), end))
    }

    fn enum_value_line(&mut self, pos: usize) -> Option<EnumValue> {
        let (name, p) = self.identifier(pos)?;
        let mut scratch = Diagnostics::new();
        let (attributes, p) = self.field_attributes(p, &mut scratch);
        let (comment, p) = self.trailing_comment(p);
        let end = self.ws(p);
        let next = self.newline(end)?;
        self.diags.extend(scratch);
        if let Some(c) = &comment {
            self.comments.push(c.clone());
        }
        let documentation = comment.as_ref().and_then(|c| {
            (c.kind == CommentKind::Doc).then(|| Documentation {
                text: c.text.trim_start().to_owned(),
                span: c.span,
            })
        });
        Some(EnumValue {
            name,
            attributes,
            documentation,
            trailing_comment: comment,
            span: self.span(pos, next),
        })
    }

    fn key_value_line(&mut self, pos: usize) -> Option<ConfigProperty> {
        let (name, p) = self.identifier(pos)?;
        let p = self.eat(self.ws(p), "=")?;
        let mut scratch = Diagnostics::new();
        let (value, p) = match self.expression(self.ws(p), &mut scratch) {
            Some((v, after)) => (Some(v), after),
            None => (None, p),
        };
        let (comment, p) = self.trailing_comment(p);
        let end = self.ws(p);
        let next = self.newline(end)?;
        self.diags.extend(scratch);
        if let Some(c) = &comment {
            self.comments.push(c.clone());
        }
        Some(ConfigProperty {
            name,
            value,
            trailing_comment: comment,
            span: self.span(pos, next),
        })
    }

    // ------------------------------------------------------------------ expressions

    /// `( args )` at `pos`, which must be `(`.
    fn arguments_list(
        &self,
        pos: usize,
        diags: &mut Diagnostics,
    ) -> Option<(ArgumentsList, usize)> {
        let mut p = self.ws(self.eat(pos, "(")?);
        let mut list = ArgumentsList::default();
        if let Some(end) = self.eat(p, ")") {
            return Some((list, end));
        }
        loop {
            p = self.argument(p, &mut list, diags)?;
            p = self.ws(p);
            if let Some(end) = self.eat(p, ")") {
                return Some((list, end));
            }
            let comma = self.eat(p, ",")?;
            let after = self.ws(comma);
            if let Some(end) = self.eat(after, ")") {
                list.trailing_comma = Some(self.span(p, comma));
                return Some((list, end));
            }
            p = after;
        }
    }

    /// One argument: `name: expr`, `name:` or `expr`.
    fn argument(
        &self,
        pos: usize,
        list: &mut ArgumentsList,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        if let Some((name, after_name)) = self.identifier(pos)
            && let Some(after_colon) = self.eat(self.ws(after_name), ":")
        {
            let value_start = self.ws(after_colon);
            let mut inner = Diagnostics::new();
            if let Some((value, end)) = self.expression(value_start, &mut inner) {
                diags.extend(inner);
                list.arguments.push(Argument {
                    name: Some(name),
                    value,
                    span: self.span(pos, end),
                });
                return Some(end);
            }
            list.empty_arguments.push(EmptyArgument { name });
            return Some(after_colon);
        }
        let (value, end) = self.expression(pos, diags)?;
        list.arguments.push(Argument {
            name: None,
            value,
            span: self.span(pos, end),
        });
        Some(end)
    }

    /// function call | array | number | string | path, in that order. Values nested deeper
    /// than [`MAX_NESTING`] do not parse (the line is reported as invalid).
    fn expression(&self, pos: usize, diags: &mut Diagnostics) -> Option<(Expression, usize)> {
        if self.depth.get() >= MAX_NESTING {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let result = self.expression_inner(pos, diags);
        self.depth.set(self.depth.get() - 1);
        result
    }

    fn expression_inner(&self, pos: usize, diags: &mut Diagnostics) -> Option<(Expression, usize)> {
        if let Some(path_end) = self.path(pos) {
            let open = self.ws(path_end);
            if self.starts_with(open, "(") {
                let mut inner = Diagnostics::new();
                if let Some((args, end)) = self.arguments_list(open, &mut inner) {
                    diags.extend(inner);
                    let name = self.src[pos..path_end].to_owned();
                    return Some((Expression::Function(name, args, self.span(pos, end)), end));
                }
            }
        }
        if self.starts_with(pos, "[") {
            let mut inner = Diagnostics::new();
            if let Some(result) = self.array(pos, &mut inner) {
                diags.extend(inner);
                return Some(result);
            }
        }
        if let Some(end) = self.number(pos) {
            let text = self.src[pos..end].to_owned();
            return Some((Expression::Numeric(text, self.span(pos, end)), end));
        }
        if self.starts_with(pos, "\"") {
            let mut inner = Diagnostics::new();
            if let Some((value, end)) = self.string_literal(pos, &mut inner) {
                diags.extend(inner);
                return Some((Expression::String(value, self.span(pos, end)), end));
            }
        }
        let end = self.path(pos)?;
        let text = self.src[pos..end].to_owned();
        Some((Expression::Constant(text, self.span(pos, end)), end))
    }

    fn array(&self, pos: usize, diags: &mut Diagnostics) -> Option<(Expression, usize)> {
        let mut p = self.ws(self.eat(pos, "[")?);
        let mut items = Vec::new();
        if let Some(end) = self.eat(p, "]") {
            return Some((Expression::Array(items, self.span(pos, end)), end));
        }
        loop {
            let (item, after) = self.expression(p, diags)?;
            items.push(item);
            p = self.ws(after);
            if let Some(end) = self.eat(p, "]") {
                return Some((Expression::Array(items, self.span(pos, end)), end));
            }
            p = self.ws(self.eat(p, ",")?);
        }
    }

    /// `-?\d+(\.\d+)?`
    fn number(&self, pos: usize) -> Option<usize> {
        let mut p = pos;
        if self.starts_with(p, "-") {
            p += 1;
        }
        let digits = |mut q: usize| {
            let start = q;
            while self.bytes.get(q).is_some_and(u8::is_ascii_digit) {
                q += 1;
            }
            (q > start).then_some(q)
        };
        p = digits(p)?;
        if self.starts_with(p, ".")
            && let Some(end) = digits(p + 1)
        {
            p = end;
        }
        Some(p)
    }

    /// A JSON-style string literal at `pos` (which must be `"`). Returns the unescaped value.
    /// Raw control characters end the match; a backslash escapes any character but a line
    /// ending; unknown escapes are reported and dropped.
    fn string_literal(&self, pos: usize, diags: &mut Diagnostics) -> Option<(String, usize)> {
        let mut p = self.eat(pos, "\"")?;
        let mut out = String::new();
        loop {
            let c = self.char_at(p)?;
            match c {
                '"' => return Some((out, p + 1)),
                '\\' => {
                    let e = self.char_at(p + 1)?;
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let (consumed, ch) = self.unicode_escape(p, diags);
                            if let Some(ch) = ch {
                                out.push(ch);
                            }
                            p += consumed.max(2);
                            continue;
                        }
                        '\n' | '\r' => return None,
                        other => {
                            diags.push(Diagnostic::unknown_escape_sequence(
                                self.span(p, p + 1 + other.len_utf8()),
                            ));
                        }
                    }
                    p += 1 + e.len_utf8();
                }
                c if u32::from(c) < 0x20 => return None,
                c => {
                    out.push(c);
                    p += c.len_utf8();
                }
            }
        }
    }

    /// `\uXXXX` (or a UTF-16 surrogate pair `\uXXXX\uXXXX`) at `pos`. Returns how many bytes
    /// were consumed and the character.
    fn unicode_escape(&self, pos: usize, diags: &mut Diagnostics) -> (usize, Option<char>) {
        let error = |consumed: usize, diags: &mut Diagnostics| {
            diags.push(Diagnostic::invalid_unicode_escape(
                self.span(pos, pos + consumed),
            ));
        };
        match self.codepoint(pos) {
            (consumed, None) => {
                error(consumed.max(2), diags);
                (consumed.max(2), None)
            }
            (_, Some(first)) => {
                if let Some(c) = char::from_u32(u32::from(first)) {
                    return (6, Some(c));
                }
                match self.codepoint(pos + 6) {
                    (_, None) => {
                        error(6, diags);
                        (6, None)
                    }
                    (_, Some(second)) => match char::decode_utf16([first, second]).next() {
                        Some(Ok(c)) => (12, Some(c)),
                        _ => {
                            error(12, diags);
                            (12, None)
                        }
                    },
                }
            }
        }
    }

    fn codepoint(&self, pos: usize) -> (usize, Option<u16>) {
        if !self.starts_with(pos, "\\u") {
            return (0, None);
        }
        let mut value: u16 = 0;
        for i in 0..4 {
            match self
                .bytes
                .get(pos + 2 + i)
                .and_then(|&b| char::from(b).to_digit(16))
            {
                Some(nibble) => value = (value << 4) | u16::try_from(nibble).unwrap_or(0),
                None => return (2 + i, None),
            }
        }
        (6, Some(value))
    }
}

enum FieldLine {
    Field(Field),
    MissingType(Span),
    Legacy(Diagnostic),
}

enum TypeResult {
    Ok(FieldArity, FieldType),
    Legacy(Diagnostic),
}

fn merge_docs(
    before: Option<Documentation>,
    trailing: Option<Documentation>,
) -> Option<Documentation> {
    match (before, trailing) {
        (Some(a), Some(b)) => Some(Documentation {
            text: format!("{}\n{}", a.text, b.text),
            span: a.span.to(b.span),
        }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Blanks: space, tab and the Unicode space separators (category Zs).
fn is_blank(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> SchemaAst {
        let mut d = Diagnostics::new();
        let ast = parse(src, FileId::ZERO, &mut d);
        assert!(d.is_empty(), "unexpected diagnostics: {d:?}");
        ast
    }

    fn parse_err(src: &str) -> (SchemaAst, Vec<String>) {
        let mut d = Diagnostics::new();
        let ast = parse(src, FileId::ZERO, &mut d);
        (ast, d.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn parses_model_fields_types_and_attributes() {
        let src = "model User {\n  id Int @id @default(autoincrement())\n  name String? @db.VarChar(200)\n  tags String[]\n  x Unsupported(\"circle\")?\n\n  @@index([name(sort: Desc), id], map: \"idx\")\n}\n";
        let ast = parse_ok(src);
        let model = ast.models().next().unwrap();
        assert_eq!(model.name.name, "User");
        assert_eq!(model.fields.len(), 4);
        let id = &model.fields[0];
        assert_eq!(id.attributes.len(), 2);
        assert_eq!(id.attributes[1].name.name, "default");
        assert_eq!(id.attributes[1].span.text(src), "@default(autoincrement())");
        assert_eq!(model.fields[1].arity, FieldArity::Optional);
        assert_eq!(model.fields[1].attributes[0].name.name, "db.VarChar");
        assert_eq!(model.fields[2].arity, FieldArity::List);
        assert_eq!(
            model.fields[3].field_type,
            FieldType::Unsupported("circle".into(), model.fields[3].field_type.span())
        );
        let index = &model.attributes[0];
        assert_eq!(index.name.name, "index");
        assert_eq!(index.arguments.arguments.len(), 2);
        assert_eq!(
            index.arguments.arguments[0].value.to_string(),
            "[name(sort: Desc), id]"
        );
        assert_eq!(model.span.text(src), src.trim_end());
    }

    #[test]
    fn attaches_doc_comments_and_keeps_all_comments() {
        let src = "/// A user.\n/// Second line.\nmodel User {\n  /// The id.\n\n  id Int @id /// trailing\n  // plain\n  name String // not a doc\n}\n";
        let ast = parse_ok(src);
        let model = ast.models().next().unwrap();
        assert_eq!(
            model.documentation.as_ref().unwrap().text,
            "A user.\nSecond line."
        );
        assert_eq!(
            model.fields[0].documentation.as_ref().unwrap().text,
            "The id.\ntrailing"
        );
        assert!(model.fields[1].documentation.is_none());
        assert_eq!(
            model.fields[1].trailing_comment.as_ref().unwrap().text,
            " not a doc"
        );
        assert_eq!(ast.comments.len(), 6);
    }

    #[test]
    fn free_floating_comment_is_not_documentation() {
        let ast = parse_ok("/// floating\n\nmodel A {\n  id Int @id\n}\n");
        assert!(ast.models().next().unwrap().documentation.is_none());
    }

    #[test]
    fn bad_lines_become_diagnostics_and_parsing_goes_on() {
        let src =
            "model A {\n  id Int @id\n  garbage !!\n  val\n}\nfoo bar\nenum E {\n  A\n  ?\n}\n";
        let (ast, messages) = parse_err(src);
        assert_eq!(ast.tops.len(), 2);
        assert_eq!(
            messages,
            vec![
                "Error validating: This line is not a valid field or attribute definition.",
                "Error validating model \"A\": This field declaration is invalid. It is either missing a name or a type.",
                "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.",
                "Error validating: This line is not an enum value definition.",
            ]
        );
    }

    #[test]
    fn unclosed_block_reports_every_line() {
        let (ast, messages) = parse_err("model A {\n  id Int\n");
        assert!(ast.tops.is_empty());
        assert_eq!(messages.len(), 2);
    }

    #[test]
    fn config_blocks_and_expressions() {
        let src = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n  schemas = [\"a\", \"b\"]\n}\n";
        let ast = parse_ok(src);
        let ds = ast.datasources().next().unwrap();
        assert_eq!(ds.properties.len(), 3);
        assert_eq!(
            ds.property("url")
                .unwrap()
                .value
                .as_ref()
                .unwrap()
                .to_string(),
            "env(\"DATABASE_URL\")"
        );
    }

    #[test]
    fn legacy_syntax_is_reported() {
        let (_, messages) = parse_err("model A {\n  a: Int\n  b Int!\n  c [Int]\n  d Int[]?\n}\n");
        assert_eq!(
            messages,
            vec![
                "Field declarations don't require a `:`.",
                "Fields are required by default, `!` is no longer required.",
                "To specify a list, please use `Type[]` instead of `[Type]`.",
                "Optional lists are not supported. Use either `Type[]` or `Type?`.",
            ]
        );
    }

    #[test]
    fn string_escapes() {
        let src = "model A {\n  a String @default(\"q\\\"\\n\\u00e9\\ud83d\\ude00\")\n  b String @default(\"\\x\")\n}\n";
        let (ast, messages) = parse_err(src);
        let model = ast.models().next().unwrap();
        let value = &model.fields[0].attributes[0].arguments.arguments[0].value;
        assert_eq!(value.as_string(), Some("q\"\né😀"));
        assert_eq!(messages.len(), 1);
        assert!(messages[0].starts_with("Unknown escape sequence"));
    }

    #[test]
    fn non_ascii_identifiers() {
        let ast = parse_ok("model Lööp {\n  lööps Int @id\n}\n");
        assert_eq!(ast.models().next().unwrap().fields[0].name.name, "lööps");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for src in [
            "",
            "{",
            "}",
            "model",
            "model A {",
            "model A {\n",
            "\"\\u",
            "@@",
            "model A {\n  a Int @default(\"\\u12\n}\n",
            "enum E {\n  A @map(\n}\n",
            "datasource d {\n  x = [1, \n}\n",
            "\r\r\n\u{3000}model\u{a0}A {\r}",
        ] {
            let mut d = Diagnostics::new();
            let _ = parse(src, FileId::ZERO, &mut d);
        }
    }
}
