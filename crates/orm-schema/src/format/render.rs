//! Writing one parsed file back in canonical form.
//!
//! The tree holds every item with its span; the source gives what the tree does not keep:
//! where the blank lines are, the comments between items, literals exactly as written. Items
//! and comments are laid out in source order, the way `prisma format` walks its syntax tree.

use super::table::Table;
use crate::ast::{
    ArgumentsList, Attribute, Comment, CommentKind, ConfigBlock, Enum, Expression, Field,
    FieldType, SchemaAst, Top,
};
use crate::diagnostics::LineIndex;
use crate::span::Span;

const INDENT: &str = "  ";

/// Formats the file `source`, parsed without errors into `ast`.
pub(super) fn file(source: &str, ast: &SchemaAst) -> String {
    let mut comments: Vec<&Comment> = ast.comments.iter().collect();
    comments.sort_by_key(|c| c.span.start);
    let writer = Writer {
        source,
        lines: LineIndex::new(source),
        comments,
    };
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    writer.top_level(&mut out, ast);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Something at top level or in a block body, with where it starts and ends.
struct Event<'a> {
    start: usize,
    end: usize,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Block(&'a Top),
    /// Comment lines without blank lines between them (Prisma's `comment_block`).
    Comments(Vec<&'a Comment>),
    /// A field, enum value or `key = value` line: cells and a trailing comment.
    Row(Vec<String>, Option<&'a Comment>),
    /// A block attribute (`@@…`).
    Attribute(&'a Attribute),
    /// A line kept as written.
    Raw(&'a str),
}

struct Writer<'a> {
    source: &'a str,
    lines: LineIndex<'a>,
    /// Every comment of the file, by start offset.
    comments: Vec<&'a Comment>,
}

impl<'a> Writer<'a> {
    fn line(&self, offset: usize) -> usize {
        self.lines.line_col(offset).0
    }

    /// Whether a blank line separates two consecutive events.
    fn blank_between(&self, before: &Event<'_>, after: &Event<'_>) -> bool {
        let last_line = self.line(before.end.saturating_sub(1).max(before.start));
        self.line(after.start) > last_line + 1
    }

    /// The comments starting in `start..end`.
    fn comments_in(&self, start: usize, end: usize) -> &[&'a Comment] {
        let from = self
            .comments
            .partition_point(|c| c.span.start_usize() < start);
        let to = self
            .comments
            .partition_point(|c| c.span.start_usize() < end);
        &self.comments[from..to.max(from)]
    }

    /// Merges `comments` (skipping those inside `items`, which are trailing comments) into
    /// the events, in source order, grouping comment lines that follow each other.
    fn merge_comments(
        &self,
        mut items: Vec<Event<'a>>,
        comments: &[&'a Comment],
    ) -> Vec<Event<'a>> {
        items.sort_by_key(|e| e.start);
        let covered = |pos: usize| {
            let i = items.partition_point(|e| e.start <= pos);
            i > 0 && items[i - 1].end > pos
        };
        let free: Vec<&'a Comment> = comments
            .iter()
            .copied()
            .filter(|c| !covered(c.span.start_usize()))
            .collect();
        let mut events: Vec<Event<'a>> = Vec::with_capacity(items.len() + free.len());
        let mut items = items.into_iter().peekable();
        for comment in free {
            let (start, end) = (comment.span.start_usize(), comment.span.end_usize());
            while let Some(item) = items.next_if(|e| e.start < start) {
                events.push(item);
            }
            if let Some(Event {
                end: group_end,
                kind: Kind::Comments(group),
                ..
            }) = events.last_mut()
                && self.line(start) <= self.line(group_end.saturating_sub(1)) + 1
            {
                group.push(comment);
                *group_end = end;
                continue;
            }
            events.push(Event {
                start,
                end,
                kind: Kind::Comments(vec![comment]),
            });
        }
        events.extend(items);
        events
    }

    // ---------------------------------------------------------------- top level

    fn top_level(&self, out: &mut String, ast: &'a SchemaAst) {
        let blocks: Vec<Event<'a>> = ast
            .tops
            .iter()
            .map(|top| Event {
                start: top.span().start_usize(),
                end: top.span().end_usize(),
                kind: Kind::Block(top),
            })
            .collect();
        let events = self.merge_comments(blocks, &self.comments);
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                let before = &events[i - 1];
                // A block's closing line ending counts as an empty line (Prisma's grammar), so
                // a block is always followed by a blank line; comment lines keep theirs.
                let blank = match before.kind {
                    Kind::Block(_) => self.line(event.start) > self.line(before.end - 1),
                    _ => self.blank_between(before, event),
                };
                if blank {
                    out.push('\n');
                }
            }
            match &event.kind {
                Kind::Block(top) => self.block(out, top),
                Kind::Comments(group) => {
                    let mut table = Table::default();
                    comment_rows(&mut table, group);
                    table.flush(out, "");
                }
                Kind::Row(..) | Kind::Attribute(_) | Kind::Raw(_) => {}
            }
        }
    }

    // ---------------------------------------------------------------- blocks

    fn block(&self, out: &mut String, top: &'a Top) {
        let span = top.span();
        let name = top.name();
        out.push_str(top.keyword());
        out.push(' ');
        out.push_str(&name.name);
        out.push_str(" {");
        // The rest of the opening line is not part of the body; the parser ignores it, so it
        // is kept as written (usually a comment).
        let after_name = name.span.end_usize();
        let open = self.source[after_name..]
            .find('{')
            .map_or(after_name, |i| after_name + i + 1);
        let open_line_end = self.source[open..]
            .find(['\n', '\r'])
            .map_or(self.source.len(), |i| open + i);
        let rest = self.source[open..open_line_end].trim();
        if !rest.is_empty() {
            out.push(' ');
            out.push_str(rest);
        }
        out.push('\n');

        let items = match top {
            Top::Model(model) => self.field_events(&model.fields, &model.attributes),
            Top::CompositeType(ty) => self.field_events(&ty.fields, &[]),
            Top::Enum(e) => self.enum_events(e),
            Top::Datasource(block) | Top::Generator(block) => self.property_events(block),
        };
        let comments = self.comments_in(open_line_end, span.end_usize());
        let events = self.merge_comments(items, comments);
        self.body(out, &events);
        out.push_str("}\n");
    }

    /// Lays out a block body as Prisma does: rows aligned in tables that a blank line ends;
    /// block attributes last, sorted, after one blank line, each taking along the comment
    /// lines right above it.
    fn body(&self, out: &mut String, events: &[Event<'a>]) {
        let mut table = Table::default();
        let mut attributes: Vec<(&[&'a Comment], &'a Attribute)> = Vec::new();
        let mut pending: &[&'a Comment] = &[];
        for (i, event) in events.iter().enumerate() {
            let after_blank = i > 0 && self.blank_between(&events[i - 1], event);
            match &event.kind {
                Kind::Comments(group)
                    if events.get(i + 1).is_some_and(|next| {
                        matches!(next.kind, Kind::Attribute(_)) && !self.blank_between(event, next)
                    }) =>
                {
                    pending = group;
                }
                Kind::Attribute(attribute) => {
                    attributes.push((std::mem::take(&mut pending), attribute));
                }
                kind => {
                    if after_blank {
                        table.flush(out, INDENT);
                        table.blank();
                    }
                    match kind {
                        Kind::Comments(group) => comment_rows(&mut table, group),
                        Kind::Row(cells, trailing) => {
                            table.cells(cells.clone(), trailing.map_or("", |c| self.text(c.span)));
                        }
                        Kind::Raw(text) => table.raw(text),
                        Kind::Block(_) | Kind::Attribute(_) => {}
                    }
                }
            }
        }
        table.flush(out, INDENT);
        if !attributes.is_empty() {
            table.blank();
        }
        attributes.sort_by_key(|(_, a)| attribute_rank(&a.name.name));
        for (comments, attribute) in attributes {
            comment_rows(&mut table, comments);
            let trailing = self
                .comments_in(attribute.span.start_usize(), attribute.span.end_usize())
                .first()
                .map_or("", |c| self.text(c.span));
            table.cells(vec![self.attribute("@@", attribute)], trailing);
        }
        table.flush(out, INDENT);
    }

    fn field_events(&self, fields: &'a [Field], attributes: &'a [Attribute]) -> Vec<Event<'a>> {
        let rows = fields.iter().map(|field| Event {
            start: field.span.start_usize(),
            end: field.span.end_usize(),
            kind: Kind::Row(
                vec![
                    field.name.name.clone(),
                    self.field_type(field),
                    self.field_attributes(&field.attributes),
                ],
                field.trailing_comment.as_ref(),
            ),
        });
        rows.chain(attribute_events(attributes)).collect()
    }

    fn enum_events(&self, e: &'a Enum) -> Vec<Event<'a>> {
        let rows = e.values.iter().map(|value| Event {
            start: value.span.start_usize(),
            end: value.span.end_usize(),
            kind: Kind::Row(
                vec![
                    value.name.name.clone(),
                    self.field_attributes(&value.attributes),
                ],
                value.trailing_comment.as_ref(),
            ),
        });
        rows.chain(attribute_events(&e.attributes)).collect()
    }

    fn property_events(&self, block: &'a ConfigBlock) -> Vec<Event<'a>> {
        block
            .properties
            .iter()
            .map(|property| {
                let kind = match &property.value {
                    Some(value) => {
                        let mut text = String::from("= ");
                        self.expression(&mut text, value);
                        Kind::Row(
                            vec![property.name.name.clone(), text],
                            property.trailing_comment.as_ref(),
                        )
                    }
                    // `key =` without a value: not something to lay out; kept as written.
                    None => Kind::Raw(self.text(property.span).trim_end()),
                };
                Event {
                    start: property.span.start_usize(),
                    end: property.span.end_usize(),
                    kind,
                }
            })
            .collect()
    }

    // ---------------------------------------------------------------- pieces

    fn text(&self, span: Span) -> &'a str {
        span.text(self.source)
    }

    fn field_type(&self, field: &Field) -> String {
        let base = match &field.field_type {
            FieldType::Named(name) => name.name.clone(),
            FieldType::Unsupported(_, span) => {
                let written = self.text(*span);
                match written
                    .strip_prefix("Unsupported(")
                    .and_then(|rest| rest.strip_suffix(')'))
                {
                    Some(literal) => format!("Unsupported({})", literal.trim()),
                    None => written.to_owned(),
                }
            }
        };
        base + field.arity.suffix()
    }

    /// Field (or enum value) attributes in Prisma's order, separated by one space.
    fn field_attributes(&self, attributes: &[Attribute]) -> String {
        let mut sorted: Vec<&Attribute> = attributes.iter().collect();
        sorted.sort_by_key(|a| attribute_rank(&a.name.name));
        let mut out = String::new();
        for (i, attribute) in sorted.into_iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&self.attribute("@", attribute));
        }
        out
    }

    fn attribute(&self, at: &str, attribute: &Attribute) -> String {
        let mut out = format!("{at}{}", attribute.name.name);
        let args = &attribute.arguments;
        let has_parentheses = !args.arguments.is_empty()
            || !args.empty_arguments.is_empty()
            || self
                .source
                .get(attribute.name.span.end_usize()..)
                .is_some_and(|rest| rest.trim_start_matches(is_blank).starts_with('('));
        if has_parentheses {
            out.push('(');
            self.arguments(&mut out, args);
            out.push(')');
        }
        out
    }

    /// `a, b: c` in source order; a trailing comma is dropped; `name:` without a value is
    /// written `name: ` as Prisma writes it.
    fn arguments(&self, out: &mut String, args: &ArgumentsList) {
        let mut parts: Vec<(u32, String)> = Vec::new();
        for argument in &args.arguments {
            let mut text = String::new();
            if let Some(name) = &argument.name {
                text.push_str(&name.name);
                text.push_str(": ");
            }
            self.expression(&mut text, &argument.value);
            parts.push((argument.span.start, text));
        }
        for empty in &args.empty_arguments {
            parts.push((empty.name.span.start, format!("{}: ", empty.name.name)));
        }
        parts.sort_by_key(|(start, _)| *start);
        for (i, (_, text)) in parts.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(text);
        }
    }

    /// A value with literals exactly as written (escapes untouched) and spacing normalised.
    fn expression(&self, out: &mut String, expression: &Expression) {
        match expression {
            Expression::Numeric(_, span) | Expression::String(_, span) => {
                out.push_str(self.text(*span));
            }
            Expression::Constant(name, _) => out.push_str(name),
            Expression::Function(name, args, _) => {
                out.push_str(name);
                out.push('(');
                self.arguments(out, args);
                out.push(')');
            }
            Expression::Array(items, _) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.expression(out, item);
                }
                out.push(']');
            }
        }
    }
}

fn attribute_events(attributes: &[Attribute]) -> impl Iterator<Item = Event<'_>> {
    attributes.iter().map(|attribute| Event {
        start: attribute.span.start_usize(),
        end: attribute.span.end_usize(),
        kind: Kind::Attribute(attribute),
    })
}

/// Comment lines: `//` and `///` as written; `/* … */` in the canonical form Prisma gives it
/// (`/**`, one ` * ` line per non-empty line, ` */`).
fn comment_rows(table: &mut Table, comments: &[&Comment]) {
    for comment in comments {
        match comment.kind {
            CommentKind::Regular => table.text(format!("//{}", comment.text)),
            CommentKind::Doc => table.text(format!("///{}", comment.text)),
            CommentKind::Block => {
                table.text("/**".to_owned());
                for line in comment.text.lines() {
                    let line = line.trim();
                    let line = line.strip_prefix('*').map_or(line, str::trim_start);
                    if !line.is_empty() {
                        table.text(format!(" * {line}"));
                    }
                }
                table.text(" */".to_owned());
            }
        }
    }
}

/// Prisma's attribute order; attributes not listed keep their order after these.
fn attribute_rank(name: &str) -> usize {
    const ORDER: [&str; 9] = [
        "id",
        "unique",
        "default",
        "updatedAt",
        "index",
        "fulltext",
        "map",
        "relation",
        "ignore",
    ];
    ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len())
}

/// The blanks the parser skips between tokens.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}
