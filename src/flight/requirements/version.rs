//! PEP 440 versions and version specifiers, as the `packaging` library (24.1,
//! the one pip 24.2 vendors) reads them: the scanner of a specifier's version
//! (used by the requirement reader), a parsed [`Version`] with PEP 440's
//! ordering, and a [`Specifiers`] set that tells whether a version is in it
//! (the DuckDB client window).

use crate::flight::{Error, ErrorKind};
use std::cmp::Ordering;

/// Python's `str.isspace` (Unicode White_Space plus U+001C..U+001F), which `\s` matches.
pub fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// What a specifier's version may carry after its operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionForm {
    /// `===`: anything but whitespace, `;` and `)`.
    Arbitrary,
    /// `==` and `!=`: a release with `.*`, or with pre/post/dev and a local label.
    Equality,
    /// `~=`: at least two release numbers, no local label, no `.*`.
    Compatible,
    /// `<`, `<=`, `>`, `>=`: no local label, no `.*`.
    Ordered,
}

fn skip_while(s: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while i < s.len() && f(s[i]) {
        i += 1;
    }
    i
}

fn digits(s: &[u8], i: usize) -> usize {
    skip_while(s, i, |b| b.is_ascii_digit())
}

fn sep(s: &[u8], i: usize) -> usize {
    if matches!(s.get(i), Some(b'-' | b'_' | b'.')) {
        i + 1
    } else {
        i
    }
}

/// The first of `words` that `s[i..]` starts with (ASCII case-insensitive): its end.
fn word(s: &[u8], i: usize, words: &[&str]) -> Option<usize> {
    words
        .iter()
        .find(|w| s.len() >= i + w.len() && s[i..i + w.len()].eq_ignore_ascii_case(w.as_bytes()))
        .map(|w| i + w.len())
}

/// `[-_.]? (one of words) [-_.]? [0-9]*`: the end, or `i` when it does not match.
fn labelled(s: &[u8], i: usize, words: &[&str]) -> usize {
    match word(s, sep(s, i), words) {
        Some(end) => digits(s, sep(s, end)),
        None => i,
    }
}

/// The end of a specifier's version starting at byte `i` (after the operator),
/// as packaging's `Specifier` regex matches it; `None` when nothing matches.
pub fn scan_version(s: &str, i: usize, form: VersionForm) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = i + s[i..].chars().take_while(|c| py_space(*c)).map(char::len_utf8).sum::<usize>();
    if form == VersionForm::Arbitrary {
        return Some(
            i + s[i..]
                .chars()
                .take_while(|c| !py_space(*c) && *c != ';' && *c != ')')
                .map(char::len_utf8)
                .sum::<usize>(),
        );
    }
    if matches!(b.get(i), Some(b'v' | b'V')) {
        i += 1;
    }
    // Epoch.
    let e = digits(b, i);
    if e > i && b.get(e) == Some(&b'!') {
        i = e + 1;
    }
    let mut end = digits(b, i);
    if end == i {
        return None;
    }
    let mut parts = 1;
    while b.get(end) == Some(&b'.') && digits(b, end + 1) > end + 1 {
        end = digits(b, end + 1);
        parts += 1;
    }
    if form == VersionForm::Compatible && parts < 2 {
        return None;
    }
    if form == VersionForm::Equality && b.get(end) == Some(&b'.') && b.get(end + 1) == Some(&b'*') {
        return Some(end + 2);
    }
    end = labelled(b, end, &["alpha", "beta", "preview", "pre", "a", "b", "c", "rc"]);
    end = if b.get(end) == Some(&b'-') && digits(b, end + 1) > end + 1 {
        digits(b, end + 1)
    } else {
        labelled(b, end, &["post", "rev", "r"])
    };
    end = labelled(b, end, &["dev"]);
    if form == VersionForm::Equality && b.get(end) == Some(&b'+') {
        end = local_label(b, end + 1).unwrap_or(end);
    }
    Some(end)
}

/// `[a-z0-9]+([-_.][a-z0-9]+)*` from `i` (case-insensitive): its end.
fn local_label(b: &[u8], i: usize) -> Option<usize> {
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    let mut end = skip_while(b, i, alnum);
    if end == i {
        return None;
    }
    while matches!(b.get(end), Some(b'-' | b'_' | b'.')) && skip_while(b, end + 1, alnum) > end + 1 {
        end = skip_while(b, end + 1, alnum);
    }
    Some(end)
}

/// PEP 440's sort key of a public version: epoch, release, pre, post, dev.
type PublicKey<'a> = (u64, &'a [u64], (i8, u8, u64), (i8, u64), (i8, u64));

/// A PEP 440 version, normalized for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub epoch: u64,
    /// Release numbers, trailing zeros kept (compared without them).
    pub release: Vec<u64>,
    /// (0 = a, 1 = b, 2 = rc, number).
    pub pre: Option<(u8, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
    /// The local label's parts, lower case.
    pub local: Vec<String>,
}

fn number(s: &[u8], i: usize, end: usize) -> Option<u64> {
    // Numbers too large for u64 are refused rather than wrapped.
    std::str::from_utf8(&s[i..end]).ok()?.parse().ok()
}

impl Version {
    /// A whole string as a version (`None` when it is not one; `.*` is not).
    pub fn parse(text: &str) -> Option<Version> {
        let t = text.trim_matches(py_space);
        let b = t.as_bytes();
        let mut i = usize::from(matches!(b.first(), Some(b'v' | b'V')));
        let mut epoch = 0;
        let e = digits(b, i);
        if e > i && b.get(e) == Some(&b'!') {
            epoch = number(b, i, e)?;
            i = e + 1;
        }
        let mut release = Vec::new();
        loop {
            let end = digits(b, i);
            if end == i {
                return None;
            }
            release.push(number(b, i, end)?);
            i = end;
            if b.get(i) == Some(&b'.') && digits(b, i + 1) > i + 1 {
                i += 1;
            } else {
                break;
            }
        }
        let (pre, i) = Self::label(
            b,
            i,
            &[("alpha", 0), ("a", 0), ("beta", 1), ("b", 1), ("preview", 2), ("pre", 2), ("c", 2), ("rc", 2)],
        )?;
        let (post, i) = if b.get(i) == Some(&b'-') && digits(b, i + 1) > i + 1 {
            (Some(number(b, i + 1, digits(b, i + 1))?), digits(b, i + 1))
        } else {
            let (post, i) = Self::label(b, i, &[("post", 0), ("rev", 0), ("r", 0)])?;
            (post.map(|p| p.1), i)
        };
        let (dev, mut i) = Self::label(b, i, &[("dev", 0)])?;
        let mut local = Vec::new();
        if b.get(i) == Some(&b'+') {
            let end = local_label(b, i + 1)?;
            local = t[i + 1..end].split(['-', '_', '.']).map(str::to_ascii_lowercase).collect();
            i = end;
        }
        (i == b.len()).then_some(Version { epoch, release, pre, post, dev: dev.map(|d| d.1), local })
    }

    /// An optional `[-_.]? label [-_.]? number?`: (kind, number) and the end.
    #[allow(clippy::type_complexity)]
    fn label(b: &[u8], i: usize, words: &[(&str, u8)]) -> Option<(Option<(u8, u64)>, usize)> {
        let start = sep(b, i);
        for (w, kind) in words {
            if let Some(end) = word(b, start, &[w]) {
                let n_start = sep(b, end);
                let n_end = digits(b, n_start);
                let n = if n_end > n_start { number(b, n_start, n_end)? } else { 0 };
                let end = if n_end > n_start { n_end } else { end };
                return Some((Some((*kind, n)), end));
            }
        }
        Some((None, i))
    }

    /// The release without trailing zeros (PEP 440 compares `1.0` equal to `1`).
    fn trimmed(&self) -> &[u64] {
        let n = self.release.iter().rposition(|&n| n != 0).map_or(0, |p| p + 1);
        &self.release[..n]
    }

    /// PEP 440's order of the public version (the local label is compared last).
    fn public_key(&self) -> PublicKey<'_> {
        let pre = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (-1, 0, 0),
            (None, _, _) => (1, 0, 0),
            (Some((k, n)), _, _) => (0, k, n),
        };
        let post = self.post.map_or((-1, 0), |n| (0, n));
        let dev = self.dev.map_or((1, 0), |n| (0, n));
        (self.epoch, self.trimmed(), pre, post, dev)
    }

    fn cmp_public(&self, other: &Version) -> Ordering {
        self.public_key().cmp(&other.public_key())
    }

    fn is_pre(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }
}

/// One clause of a specifier set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    op: &'static str,
    version: String,
}

/// A PEP 440 specifier set such as `>=1.4.0,<=1.5.6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Specifiers(Vec<Clause>);

const OPERATORS: &[&str] = &["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

impl Specifiers {
    /// Reads a comma-separated specifier set; `Err` says which clause is wrong.
    pub fn parse(text: &str) -> Result<Specifiers, Error> {
        let mut clauses = Vec::new();
        for part in text.split(',') {
            let part = part.trim_matches(py_space);
            let op = OPERATORS.iter().find(|op| part.starts_with(**op)).ok_or_else(|| {
                let message =
                    format!("'{part}' does not start with a version operator (one of {})", OPERATORS.join(" "));
                Error::new(ErrorKind::InvalidSpecifier, message)
            })?;
            let version = part[op.len()..].trim_matches(py_space);
            let form = match *op {
                "===" => VersionForm::Arbitrary,
                "==" | "!=" => VersionForm::Equality,
                "~=" => VersionForm::Compatible,
                _ => VersionForm::Ordered,
            };
            let whole = scan_version(version, 0, form) == Some(version.len()) && !version.is_empty();
            if !whole {
                return Err(Error::new(
                    ErrorKind::InvalidSpecifier,
                    format!("'{part}' is not a PEP 440 version clause"),
                ));
            }
            clauses.push(Clause { op, version: version.to_owned() });
        }
        Ok(Specifiers(clauses))
    }

    /// Whether `version` satisfies every clause (pre-releases are not treated specially).
    pub fn contains(&self, version: &Version, text: &str) -> bool {
        self.0.iter().all(|c| c.contains(version, text))
    }
}

impl Clause {
    fn contains(&self, v: &Version, text: &str) -> bool {
        if self.op == "===" {
            return self.version.eq_ignore_ascii_case(text.trim_matches(py_space));
        }
        if let Some(prefix) = self.version.strip_suffix(".*") {
            let matched = Version::parse(prefix).is_some_and(|p| {
                let n = p.release.len();
                let mut release = v.release.clone();
                release.resize(release.len().max(n), 0);
                p.epoch == v.epoch && release[..n] == p.release[..]
            });
            return matched == (self.op == "==");
        }
        let Some(spec) = Version::parse(&self.version) else { return false };
        let ord = v.cmp_public(&spec);
        let same_local = spec.local.is_empty() || spec.local == v.local;
        match self.op {
            "==" => ord == Ordering::Equal && same_local,
            "!=" => !(ord == Ordering::Equal && same_local),
            "<=" => ord != Ordering::Greater,
            ">=" => ord != Ordering::Less,
            "<" => ord == Ordering::Less && (spec.is_pre() || !v.is_pre() || v.trimmed() != spec.trimmed()),
            ">" => {
                ord == Ordering::Greater && (spec.post.is_some() || v.post.is_none() || v.trimmed() != spec.trimmed())
            }
            _ => {
                // ~=: >= V and == V's release less its last number, .*
                let prefix = &spec.release[..spec.release.len().saturating_sub(1)];
                let mut release = v.release.clone();
                release.resize(release.len().max(prefix.len()), 0);
                ord != Ordering::Less && v.epoch == spec.epoch && release[..prefix.len()] == *prefix
            }
        }
    }
}
