//! A `requirements_txt` read as pip reads a requirements file (pip's
//! "Requirements File Format" page, and pip 24.2's `req_file.py`): lines split
//! as Python's `str.splitlines` splits them; a line ending in `\` joined with
//! the next (a comment line ends the joining); comments removed (`#` at the
//! start of a line or after whitespace, to the end); blank lines skipped; the
//! rest cut at the first space-separated word starting with `-` into the
//! requirement and its options. Options are recognized by pip's option names
//! and never followed (Flights' support of them is undocumented).
//! `${VAR}` is left as written (pip would expand it from the environment).

use super::pep508::{check_marker, parse_requirement};
use crate::flight::Finding;
use std::sync::OnceLock;

/// What is wrong with a line, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// pip cannot read it: the install fails. The reason, in words.
    Invalid(String),
    /// A pip option or an install form (a bare URL, a local path, `-e`)
    /// that Flights do not document: which one.
    Option(String),
}

/// One logical line that is not blank or a comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    /// 1-based number of its first physical line.
    pub line: u32,
    /// The name as written (`None` for option lines, bare URLs and paths, unreadable lines).
    pub name: Option<String>,
    /// PEP 503 normal form of `name`.
    pub normalized: Option<String>,
    pub extras: Vec<String>,
    /// The version clauses without spaces, comma-separated (`None` when there are none).
    pub specifier: Option<String>,
    /// The URL of `name @ url`, or of a bare URL line.
    pub url: Option<String>,
    /// The environment marker, as written (after `;`, trimmed).
    pub marker: Option<String>,
    /// The version of an exact pin: one `==` clause without `.*`, or one `===`.
    pub pinned_version: Option<String>,
    pub problem: Option<Problem>,
    /// It installs something unnamed the reader cannot see into (`-r`, `-e`, a bare URL or path).
    pub unseen_install: bool,
}

/// Every logical line of a requirements text, in order. Cheap to share:
/// the lead caches one per distinct text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    pub entries: Vec<Requirement>,
    /// Its findings for a Flight whose source is not known, against the
    /// default DuckDB window: made on the first ask
    /// ([`Requirements::sourceless_findings`]), then shared.
    pub(super) sourceless: OnceLock<Vec<Finding>>,
}

/// PEP 503: lower case, each run of `-`, `_` and `.` one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// The line breaks of Python's `str.splitlines`.
fn line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Physical lines as `str.splitlines` gives them (`\r\n` is one break).
fn physical_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if line_break(c) {
            lines.push(&text[start..i]);
            start = i + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                chars.next();
                start += 1;
            }
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// pip's `COMMENT_RE.match`: the line starts with `#`, or with whitespace then `#`.
fn is_comment_line(line: &str) -> bool {
    line.trim_start_matches(super::version::py_space).starts_with('#')
}

/// pip's `COMMENT_RE.sub("", line)`: removes from the first `#` that starts
/// the line or follows whitespace (with that whitespace), to the end.
fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return line[..i].trim_end_matches(super::version::py_space);
        }
        prev_space = super::version::py_space(c);
    }
    line
}

/// Logical lines: (first physical line number, joined text), comments and blanks gone.
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    let push = |out: &mut Vec<(u32, String)>, number: u32, line: &str| {
        let line = strip_comment(line).trim_matches(super::version::py_space);
        if !line.is_empty() {
            out.push((number, line.to_owned()));
        }
    };
    for (i, line) in physical_lines(text).into_iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let comment = is_comment_line(line);
        if !line.ends_with('\\') || comment {
            match pending.take() {
                Some((first, mut joined)) => {
                    // pip puts a space before a comment line so that it is removed as one.
                    if comment {
                        joined.push(' ');
                    }
                    joined.push_str(line);
                    push(&mut out, first, &joined);
                }
                None => push(&mut out, number, line),
            }
        } else {
            let part = line.trim_matches('\\');
            match &mut pending {
                Some((_, joined)) => joined.push_str(part),
                None => pending = Some((number, part.to_owned())),
            }
        }
    }
    if let Some((first, joined)) = pending {
        push(&mut out, first, &joined);
    }
    out
}

/// Reads a requirements text. Never fails: a line pip cannot read is an entry
/// with [`Problem::Invalid`].
pub fn read_requirements(text: &str) -> Requirements {
    Requirements {
        entries: logical_lines(text).into_iter().map(|(line, text)| read_line(line, &text)).collect(),
        sourceless: OnceLock::new(),
    }
}

/// pip's `break_args_options`: words (split on spaces) up to the first one starting with `-`.
fn split_options(line: &str) -> (&str, &str) {
    let mut offset = 0;
    for word in line.split(' ') {
        if word.starts_with('-') {
            return (line[..offset].trim_end_matches(' '), &line[offset..]);
        }
        offset += word.len() + 1;
    }
    (line, "")
}

fn read_line(line: u32, text: &str) -> Requirement {
    let mut entry = Requirement { line, ..Requirement::default() };
    let (args, options) = split_options(text);
    let options = match super::options::read_options(options) {
        Ok(options) => options,
        Err(reason) => {
            entry.problem = Some(Problem::Invalid(reason.message));
            return entry;
        }
    };
    entry.unseen_install = options.installs();
    if args.is_empty() {
        entry.problem = Some(Problem::Option(options.describe()));
        return entry;
    }
    read_args(&mut entry, args);
    if entry.problem.is_none() && !options.is_empty() {
        entry.problem = Some(Problem::Option(options.describe()));
    }
    entry
}

/// pip's `is_url`: a scheme of http, https, file, ftp or a version-control system.
fn is_url(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else { return false };
    let scheme = scheme.to_ascii_lowercase();
    let vcs = |s: &str| ["git", "hg", "svn", "bzr"].iter().any(|v| s == *v || s.starts_with(&format!("{v}+")));
    matches!(scheme.as_str(), "http" | "https" | "file" | "ftp") || vcs(&scheme)
}

/// pip's `_looks_like_path` (either separator, or a leading `.`), or an archive's file name.
fn looks_like_path(text: &str) -> bool {
    let archive = [
        ".whl",
        ".zip",
        ".tar.gz",
        ".tgz",
        ".tar",
        ".tar.bz2",
        ".tbz",
        ".tar.xz",
        ".txz",
        ".tlz",
        ".tar.lz",
        ".tar.lzma",
    ];
    text.contains(['/', '\\'])
        || text.starts_with('.')
        || archive.iter().any(|a| text.to_ascii_lowercase().ends_with(a))
}

fn read_args(entry: &mut Requirement, args: &str) {
    let url = is_url(args);
    let (spec, marker) = match args.split_once(if url { "; " } else { ";" }) {
        Some((spec, marker)) => {
            (spec.trim_matches(super::version::py_space), Some(marker.trim_matches(super::version::py_space)))
        }
        None => (args, None),
    };
    if let Some(marker) = marker.filter(|m| !m.is_empty()) {
        if let Err(reason) = check_marker(marker) {
            entry.problem = Some(Problem::Invalid(format!("the environment marker '{marker}' is not valid: {reason}")));
            return;
        }
        entry.marker = Some(marker.to_owned());
    }
    if url {
        entry.url = Some(spec.to_owned());
        entry.unseen_install = true;
        entry.problem = Some(Problem::Option("a bare URL (a direct or version-control install)".to_owned()));
        return;
    }
    match parse_requirement(spec) {
        Ok(parsed) => {
            entry.normalized = Some(normalize(&parsed.name));
            entry.pinned_version = match parsed.clauses.as_slice() {
                [(op, v)] if op == "===" || (op == "==" && !v.ends_with(".*")) => Some(v.clone()),
                _ => None,
            };
            entry.name = Some(parsed.name);
            entry.extras = parsed.extras;
            entry.specifier = Some(parsed.specifier).filter(|s| !s.is_empty());
            entry.url = parsed.url;
        }
        Err(_) if looks_like_path(spec) => {
            entry.unseen_install = true;
            entry.problem = Some(Problem::Option("a local path or archive".to_owned()));
        }
        Err(reason) => {
            let hint =
                if spec.contains('=') && !["==", "!=", "<=", ">=", "~=", "==="].iter().any(|op| spec.contains(op)) {
                    " ('=' is not a version operator: did you mean '=='?)"
                } else {
                    ""
                };
            entry.problem = Some(Problem::Invalid(format!("'{spec}' is not a requirement: {reason}{hint}")));
        }
    }
}

/// A requirements text is read once per distinct text ([`ContentCache`](crate::flight::cache::ContentCache)).
impl crate::flight::cache::Kept for Requirements {
    fn make(text: &str) -> Self {
        read_requirements(text)
    }

    fn heap_bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        let entries: usize = self
            .entries
            .iter()
            .map(|r| {
                text(&r.name)
                    + text(&r.normalized)
                    + text(&r.specifier)
                    + text(&r.url)
                    + text(&r.marker)
                    + text(&r.pinned_version)
                    + r.extras.iter().map(String::capacity).sum::<usize>()
                    + match &r.problem {
                        Some(Problem::Invalid(s) | Problem::Option(s)) => s.capacity(),
                        None => 0,
                    }
            })
            .sum();
        std::mem::size_of::<Requirements>() + self.entries.capacity() * std::mem::size_of::<Requirement>() + entries
    }
}
