//! PEP 723 inline script metadata: a `# /// script` comment block that tools
//! such as `uv run` and `pipx run` read for a script's dependencies. Flights
//! install `requirements_txt` only (`shared/reference/flights-runtime.md`,
//! section 4), so such a block's dependencies are never installed: the
//! `inline_script_metadata` rule. THE one place the block is detected; the
//! scan keeps its line ([`SourceScan::inline_metadata`](super::SourceScan)).
//! Grammar: PEP 723's reference regex,
//! `(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$`, with type `script`.

/// The line of a PEP 723 `# /// script` block, as PEP 723's reference regex
/// finds one: `# /// script`, one or more lines `#` or `# ...`, then `# ///`.
pub fn inline_script_metadata(source: &str) -> Option<u32> {
    // Most sources hold no block at all: one substring search says so.
    memchr::memmem::find(source.as_bytes(), b"# /// script")?;
    let lines: Vec<&str> = source.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "# /// script" {
            let body = lines[i + 1..].iter().take_while(|l| **l == "#" || l.starts_with("# ")).count();
            // The block closes at a `# ///` after at least one content line.
            if lines[i + 1..i + 1 + body].iter().skip(1).any(|l| *l == "# ///") {
                return u32::try_from(i + 1).ok();
            }
            i += 1 + body;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::inline_script_metadata;

    #[test]
    fn finds_pep_723_blocks_as_its_regex_does() {
        assert_eq!(
            inline_script_metadata("import os\n# /// script\n# requires-python = '>=3.11'\n#\n# ///\n"),
            Some(2)
        );
        assert_eq!(inline_script_metadata("# /// script\r\n# x\r\n# ///"), Some(1));
        assert_eq!(inline_script_metadata("# /// script\n# ///\n"), None);
        assert_eq!(inline_script_metadata("# /// script\n# x\nimport os\n# ///\n"), None);
        assert_eq!(inline_script_metadata("# /// pyproject\n# x\n# ///\n"), None);
        let hostile = "# /// script\n".repeat(20_000);
        assert_eq!(inline_script_metadata(&hostile), None);
    }
}
