//! Byte offsets to 1-based lines and character columns: ruff's tree and
//! errors give byte offsets, and the scan reports lines (and, for syntax
//! errors, columns). The [`LineIndex`] is built once per source (one pass
//! over its bytes) and answers each offset by a binary search.
//!
//! Lines are counted at `\n` alone, as the scan always has: `\r\n` ends one
//! line, and a lone `\r` (which Python also reads as a line end) does not,
//! so a read's line is the line an editor splitting at `\n` shows.

/// The byte offset at which each line starts.
pub(super) struct LineIndex<'s> {
    src: &'s str,
    starts: Vec<u32>,
}

impl<'s> LineIndex<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 24 + 1);
        starts.push(0);
        // The scan refuses sources of 4 GiB and more (ruff's offsets are u32).
        starts.extend(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| (i + 1) as u32));
        LineIndex { src, starts }
    }

    /// The byte offset at which each line starts.
    pub(super) fn starts(&self) -> &[u32] {
        &self.starts
    }

    /// The 0-based line holding byte `offset` (an offset past the end is on the last line).
    fn line_index(&self, offset: u32) -> usize {
        self.starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// The 1-based line holding byte `offset`.
    pub(super) fn line(&self, offset: u32) -> u32 {
        u32::try_from(self.line_index(offset) + 1).unwrap_or(u32::MAX)
    }

    /// The 1-based line and character column of byte `offset` (an offset
    /// inside a character counts that character).
    pub(super) fn line_column(&self, offset: u32) -> (u32, u32) {
        let index = self.line_index(offset);
        let start = self.starts.get(index).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(self.src.len());
        let prefix = self.src.as_bytes().get(start..end).unwrap_or(&[]);
        // Characters: every byte that does not continue a UTF-8 sequence.
        let chars = prefix.iter().filter(|&&b| (b as i8) >= -0x40).count();
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        (line, u32::try_from(chars + 1).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_and_columns() {
        let index = LineIndex::new("ab\né = 'ü' )\r\n\nlast");
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(2), 1);
        assert_eq!(index.line(3), 2);
        // `)` is the 9th character of line 2, its 11th byte.
        let paren = "ab\né = 'ü' ".len() as u32;
        assert_eq!(index.line_column(paren), (2, 9));
        assert_eq!(index.line(paren + 3), 3);
        assert_eq!(index.line_column(1000), (4, 5));
        assert_eq!(LineIndex::new("").line_column(0), (1, 1));
    }
}
