//! One requirement (PEP 508, "Dependency specifiers"), read as the
//! `packaging` library 24.1 that pip 24.2 vendors reads it (its hand-written
//! parser `packaging/_parser.py` and tokenizer rules): a name, extras, then a
//! URL (`name @ url`) or a version specifier (with or without parentheses);
//! and an environment marker, checked for syntax only (never evaluated).
//! Every step moves forward through the text, so reading is linear.

use super::version::{py_space, scan_version, VersionForm};
use crate::flight::{Error, ErrorKind};

/// The parts of a requirement, as written (the specifier without whitespace).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub name: String,
    pub extras: Vec<String>,
    /// The version clauses, each `op` + version without spaces, joined by `,`.
    pub specifier: String,
    /// The clauses as (operator, version).
    pub clauses: Vec<(String, String)>,
    pub url: Option<String>,
}

/// Python's `\w` (for `\b`): letters, digits and `_`.
fn word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn prev(&self, at: usize) -> Option<char> {
        self.s[..at].chars().next_back()
    }

    fn ws(&mut self) {
        self.pos += self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
    }

    fn eat(&mut self, c: char) -> bool {
        let ok = self.rest().starts_with(c);
        if ok {
            self.pos += 1;
        }
        ok
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }

    fn err<T>(&self, what: &str) -> Result<T, Error> {
        let column = self.s[..self.pos].chars().count() + 1;
        Err(Error::new(ErrorKind::InvalidRequirement, format!("expected {what} at column {column}")))
    }

    /// `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b` at the cursor.
    fn identifier(&mut self) -> Option<&'a str> {
        let b = self.rest().as_bytes();
        if !b.first().is_some_and(u8::is_ascii_alphanumeric) || word_char(self.prev(self.pos)) {
            return None;
        }
        let max = b.iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-')).count();
        let start = self.pos;
        (1..=max).rev().find(|&n| word_char(self.prev(start + n)) != word_char(self.s[start + n..].chars().next())).map(
            |n| {
                self.pos += n;
                &self.s[start..start + n]
            },
        )
    }

    /// A keyword (`and`, `or`, `in`, `not`, a marker variable) between word boundaries.
    fn keyword(&mut self, words: &[&str]) -> Option<&'a str> {
        if word_char(self.prev(self.pos)) {
            return None;
        }
        let rest = self.rest();
        let found = words
            .iter()
            .filter(|w| rest.starts_with(**w) && !word_char(rest[w.len()..].chars().next()))
            .max_by_key(|w| w.len())?;
        self.pos += found.len();
        Some(&rest[..found.len()])
    }
}

const OPERATORS: &[&str] = &["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// The marker variables packaging's tokenizer knows (`.` and `_` both allowed where it allows them).
const VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "os.name",
    "os_name",
    "sys.platform",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform.version",
    "platform_version",
    "platform.machine",
    "platform_machine",
    "platform.python_implementation",
    "platform_python_implementation",
    "python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
];

/// Reads `name [extras] (@ url | specifier)` (no marker: pip splits it off first).
pub fn parse_requirement(text: &str) -> Result<Parsed, Error> {
    let mut c = Cursor { s: text, pos: 0 };
    c.ws();
    let Some(name) = c.identifier() else { return c.err("a package name") };
    let mut parsed = Parsed { name: name.to_owned(), ..Parsed::default() };
    c.ws();
    if c.eat('[') {
        c.ws();
        parsed.extras = extras(&mut c)?;
        c.ws();
        if !c.eat(']') {
            return c.err("']' closing the extras");
        }
    }
    c.ws();
    if c.eat('@') {
        c.ws();
        let url_len = c.rest().find([' ', '\t']).unwrap_or(c.rest().len());
        if url_len == 0 {
            return c.err("a URL after '@'");
        }
        parsed.url = Some(c.rest()[..url_len].to_owned());
        c.pos += url_len;
        c.ws();
    } else {
        let paren = c.eat('(');
        c.ws();
        parsed.clauses = clauses(&mut c)?;
        c.ws();
        if paren && !c.eat(')') {
            return c.err("')' closing the version specifier");
        }
        c.ws();
        parsed.specifier = parsed.clauses.iter().map(|(op, v)| format!("{op}{v}")).collect::<Vec<_>>().join(",");
    }
    if !c.at_end() {
        return c.err(if parsed.url.is_some() { "the end after the URL" } else { "a version operator or the end" });
    }
    Ok(parsed)
}

fn extras(c: &mut Cursor) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let Some(first) = c.identifier() else { return Ok(out) };
    out.push(first.to_owned());
    loop {
        c.ws();
        if c.identifier().is_some() {
            return c.err("a comma between extra names");
        }
        if !c.eat(',') {
            return Ok(out);
        }
        c.ws();
        match c.identifier() {
            Some(extra) => out.push(extra.to_owned()),
            None => return c.err("an extra name after ','"),
        }
    }
}

fn clauses(c: &mut Cursor) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    while let Some(op) = OPERATORS.iter().find(|op| c.rest().starts_with(**op)) {
        let form = match *op {
            "===" => VersionForm::Arbitrary,
            "==" | "!=" => VersionForm::Equality,
            "~=" => VersionForm::Compatible,
            _ => VersionForm::Ordered,
        };
        let start = c.pos + op.len();
        let Some(end) = scan_version(c.s, start, form) else { break };
        let version = c.s[start..end].trim_start_matches(py_space);
        out.push(((*op).to_owned(), version.to_owned()));
        c.pos = end;
        if c.rest().starts_with(".*") {
            return c.err(&format!("no '.*' after '{op}' (only '==' and '!=' take a wildcard)"));
        }
        if c.rest().starts_with('+')
            && c.rest()[1..].starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
        {
            return c.err(&format!("no local version label after '{op}' (only '==' and '!=' take one)"));
        }
        c.ws();
        if !c.eat(',') {
            break;
        }
        c.ws();
    }
    Ok(out)
}

/// Checks an environment marker's syntax (`python_version < "3.12" and os_name == 'posix'`).
pub fn check_marker(text: &str) -> Result<(), Error> {
    let mut c = Cursor { s: text, pos: 0 };
    marker(&mut c, 0)?;
    if !c.at_end() {
        return c.err("'and', 'or' or the end of the marker");
    }
    Ok(())
}

/// Nesting deeper than this is refused (no stack overflow on hostile input).
const MAX_DEPTH: usize = 64;

fn marker(c: &mut Cursor, depth: usize) -> Result<(), Error> {
    marker_atom(c, depth)?;
    while c.keyword(&["and", "or"]).is_some() {
        marker_atom(c, depth)?;
    }
    Ok(())
}

fn marker_atom(c: &mut Cursor, depth: usize) -> Result<(), Error> {
    c.ws();
    if c.eat('(') {
        if depth >= MAX_DEPTH {
            return c.err(&format!("at most {MAX_DEPTH} nested parentheses"));
        }
        c.ws();
        marker(c, depth + 1)?;
        c.ws();
        if !c.eat(')') {
            return c.err("')' closing the marker expression");
        }
    } else {
        marker_var(c)?;
        c.ws();
        if c.keyword(&["in"]).is_none() {
            if c.keyword(&["not"]).is_some() {
                let before = c.pos;
                c.ws();
                if c.pos == before || c.keyword(&["in"]).is_none() {
                    return c.err("'in' after 'not'");
                }
            } else if let Some(op) = OPERATORS.iter().find(|op| c.rest().starts_with(**op)) {
                c.pos += op.len();
            } else {
                return c.err("a marker operator (one of <=, <, !=, ==, >=, >, ~=, ===, in, not in)");
            }
        }
        c.ws();
        marker_var(c)?;
    }
    c.ws();
    Ok(())
}

fn marker_var(c: &mut Cursor) -> Result<(), Error> {
    if c.keyword(VARIABLES).is_some() {
        return Ok(());
    }
    let quote = c.rest().chars().next().filter(|q| *q == '"' || *q == '\'');
    if let Some(q) = quote {
        if let Some(len) = c.rest()[1..].find(q) {
            c.pos += len + 2;
            return Ok(());
        }
    }
    c.err("a marker variable or a quoted string")
}
