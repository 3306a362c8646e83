//! Byte spans into schema source files.

/// Identifies one schema source file. A single-file schema uses [`FileId::ZERO`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// The id of the first (and usually only) file.
    pub const ZERO: FileId = FileId(0);
}

/// A range of bytes in a source file: `start` inclusive, `end` exclusive.
///
/// Line and column are not stored; they are computed when a diagnostic is rendered
/// (see [`crate::diagnostics::LineIndex`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file the span points into.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` in `file`. Offsets beyond `u32::MAX` saturate.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: saturate(start),
            end: saturate(end),
        }
    }

    /// The empty span at the start of `file`.
    pub fn empty(file: FileId) -> Span {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    /// The start offset as `usize`.
    pub fn start_usize(self) -> usize {
        self.start as usize
    }

    /// The end offset as `usize`.
    pub fn end_usize(self) -> usize {
        self.end as usize
    }

    /// Whether `offset` lies inside the span.
    pub fn contains(self, offset: usize) -> bool {
        self.start_usize() <= offset && offset < self.end_usize()
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The source text under the span, or `""` when the span does not fit `source`.
    pub fn text(self, source: &str) -> &str {
        source
            .get(self.start_usize()..self.end_usize())
            .unwrap_or("")
    }
}

fn saturate(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}
