//! The column layout of a block body: rows of cells aligned column by column, as `prisma
//! format` lays out fields (name, type, attributes) and `key = value` lines.

/// One line of a block body.
enum Row {
    /// Aligned cells, then a suffix (a trailing comment) that does not take part in the
    /// layout. An empty row is a blank line; a row with only a suffix is a comment line.
    Cells(Vec<String>, String),
    /// A line written as it is, outside the layout.
    Raw(String),
}

/// Rows collected until the layout is flushed; a blank line in the source starts a new layout.
#[derive(Default)]
pub(super) struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A row of cells with an optional trailing comment.
    pub(super) fn cells(&mut self, cells: Vec<String>, suffix: &str) {
        self.rows.push(Row::Cells(cells, suffix.to_owned()));
    }

    /// A line holding only `text` (a comment line), outside the layout.
    pub(super) fn text(&mut self, text: String) {
        self.rows.push(Row::Cells(Vec::new(), text));
    }

    /// A blank line.
    pub(super) fn blank(&mut self) {
        self.rows.push(Row::Cells(Vec::new(), String::new()));
    }

    /// A line written as it is.
    pub(super) fn raw(&mut self, text: &str) {
        self.rows.push(Row::Raw(text.to_owned()));
    }

    /// Writes the rows with `indent` before every non-blank line and empties the table.
    ///
    /// Every column is as wide as its widest cell plus one space; the last cell of a row is
    /// not padded. Widths count bytes, as Prisma's formatter does, so files formatted by
    /// either tool stay byte-identical (non-ASCII names align by bytes).
    pub(super) fn flush(&mut self, out: &mut String, indent: &str) {
        let mut widths: Vec<usize> = Vec::new();
        for row in &mut self.rows {
            if let Row::Cells(cells, _) = row {
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                if widths.len() < cells.len() {
                    widths.resize(cells.len(), 0);
                }
                for (width, cell) in widths.iter_mut().zip(cells.iter()) {
                    *width = (*width).max(cell.len());
                }
            }
        }
        for row in self.rows.drain(..) {
            let start = out.len();
            out.push_str(indent);
            let written = out.len();
            match row {
                Row::Cells(cells, suffix) => {
                    let last = cells.len().saturating_sub(1);
                    for (i, cell) in cells.iter().enumerate() {
                        out.push_str(cell);
                        if i < last {
                            let pad = widths[i] - cell.len() + 1;
                            out.extend(std::iter::repeat_n(' ', pad));
                        }
                    }
                    if !suffix.is_empty() {
                        if !cells.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(&suffix);
                    }
                }
                Row::Raw(text) => out.push_str(&text),
            }
            if out.len() == written {
                out.truncate(start);
            }
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn aligns_columns_and_leaves_the_last_cell_unpadded() {
        let mut table = Table::default();
        table.cells(cells(&["id", "Int", "@id"]), "");
        table.cells(cells(&["name", "String"]), "// the name");
        table.cells(cells(&["tags", "String[]", ""]), "");
        let mut out = String::new();
        table.flush(&mut out, "  ");
        assert_eq!(
            out,
            "  id   Int      @id\n  name String // the name\n  tags String[]\n"
        );
    }

    #[test]
    fn blank_rows_have_no_indent_and_text_rows_do_not_affect_widths() {
        let mut table = Table::default();
        table.cells(cells(&["a", "Int"]), "");
        table.blank();
        table.text("// a rather long comment line".to_owned());
        table.raw("this is not valid");
        table.cells(cells(&["bb", "Int"]), "");
        let mut out = String::new();
        table.flush(&mut out, "  ");
        assert_eq!(
            out,
            "  a  Int\n\n  // a rather long comment line\n  this is not valid\n  bb Int\n"
        );
        assert!(table.rows.is_empty());
    }
}
