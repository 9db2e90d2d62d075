//! The options of a requirements line, read as pip reads them: split as
//! `shlex.split` (POSIX) splits, then matched against the options pip allows
//! in a requirements file (`SUPPORTED_OPTIONS` and `SUPPORTED_OPTIONS_REQ` of
//! pip 24.2's `req_file.py`, by `optparse`'s rules: `--name=value` or
//! `--name value`, `-xvalue` or `-x value`, a long name by any unambiguous
//! prefix). An unknown option, or one without its value, is an error pip
//! reports; a known one is only named (what Flights do with it is undocumented).

use crate::flight::{Error, ErrorKind};

/// pip's requirements-file options: (names, takes a value).
const OPTIONS: &[(&[&str], bool)] = &[
    (&["-i", "--index-url", "--pypi-url"], true),
    (&["--extra-index-url"], true),
    (&["--no-index"], false),
    (&["-c", "--constraint"], true),
    (&["-r", "--requirement"], true),
    (&["-e", "--editable"], true),
    (&["-f", "--find-links"], true),
    (&["--no-binary"], true),
    (&["--only-binary"], true),
    (&["--prefer-binary"], false),
    (&["--require-hashes"], false),
    (&["--pre"], false),
    (&["--trusted-host"], true),
    (&["--use-feature"], true),
    (&["--global-option"], true),
    (&["--hash"], true),
    (&["-C", "--config-settings"], true),
];

/// The options of one line, by the name pip documents (its long form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options(Vec<&'static str>);

impl Options {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether they install something the reader cannot see (`-r`, `-e`).
    pub fn installs(&self) -> bool {
        self.0.iter().any(|n| matches!(*n, "--requirement" | "--editable"))
    }

    /// `--index-url`, `--hash`: the distinct option names, in order.
    pub fn describe(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for name in &self.0 {
            if !names.contains(name) {
                names.push(name);
            }
        }
        format!("the pip option {}", names.join(", "))
    }
}

/// `shlex.split` in POSIX mode: words, quotes and backslash escapes; `Err` on an open quote.
fn shlex_split(text: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                words.extend(word.take());
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => w.push(ch),
                        None => return Err("no closing quotation"),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('\\' | '"' | '$' | '`' | '\n')) => w.push(ch),
                            Some(ch) => w.extend(['\\', ch]),
                            None => return Err("no closing quotation"),
                        },
                        Some(ch) => w.push(ch),
                        None => return Err("no closing quotation"),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(ch) => word.get_or_insert_with(String::new).push(ch),
                None => return Err("no escaped character"),
            },
            ch => word.get_or_insert_with(String::new).push(ch),
        }
    }
    words.extend(word);
    Ok(words)
}

/// The option a word names: (its long name, takes a value, an attached value).
fn lookup(word: &str) -> Result<(&'static str, bool, Option<String>), Error> {
    let long_name = |names: &[&'static str]| *names.iter().find(|n| n.starts_with("--")).unwrap_or(&"");
    if let Some(long) = word.strip_prefix("--") {
        let (name, value) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (long, None),
        };
        let exact = OPTIONS.iter().find(|(names, _)| names.iter().any(|n| n.strip_prefix("--") == Some(name)));
        let prefixed: Vec<_> = OPTIONS
            .iter()
            .filter(|(names, _)| names.iter().any(|n| n.starts_with("--") && n[2..].starts_with(name)))
            .collect();
        let found = exact.or(match prefixed.as_slice() {
            [one] if !name.is_empty() => Some(*one),
            _ => None,
        });
        return match found {
            Some((names, takes)) => Ok((long_name(names), *takes, value)),
            None if prefixed.len() > 1 && !name.is_empty() => {
                Err(invalid(format!("'--{name}' is ambiguous among pip's options")))
            }
            None => Err(invalid(format!("'--{name}' is not an option pip reads in a requirements file"))),
        };
    }
    let mut chars = word.chars();
    chars.next();
    let short = chars.next().map(|c| format!("-{c}")).unwrap_or_default();
    let rest: String = chars.collect();
    match OPTIONS.iter().find(|(names, _)| names.contains(&short.as_str())) {
        Some((names, takes)) => Ok((long_name(names), *takes, (!rest.is_empty()).then_some(rest))),
        None => Err(invalid(format!("'{short}' is not an option pip reads in a requirements file"))),
    }
}

/// Reads the options part of a line (from the first word starting with `-`).
pub fn read_options(text: &str) -> Result<Options, Error> {
    let words = shlex_split(text).map_err(|e| invalid(format!("pip cannot split the options '{text}': {e}")))?;
    let mut options = Options::default();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if !word.starts_with('-') || word == "-" {
            // optparse leaves positional words; pip ignores them.
            continue;
        }
        let (name, takes_value, attached) = lookup(&word)?;
        if takes_value && attached.is_none() && words.next().is_none() {
            return Err(invalid(format!("the pip option {name} needs a value")));
        }
        if !takes_value && attached.is_some() && word.starts_with("--") {
            return Err(invalid(format!("the pip option {name} takes no value")));
        }
        options.0.push(name);
    }
    Ok(options)
}

/// A line pip refuses for its options.
fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidRequirement, message)
}
