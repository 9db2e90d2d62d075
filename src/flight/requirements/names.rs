//! Which requirement provides an imported module: the standard library, PEP
//! 503 name matches, the shipped table of import names (`table_imports.rs`)
//! and namespace packages' dotted paths. An error only where it is certain:
//! see [`provides`].

use super::read::{normalize, Requirement, Requirements};
use super::table_imports::IMPORT_NAMES;
use super::table_stdlib::STDLIB_MODULES;
use std::sync::OnceLock;

/// Whether the top-level name of `module` is in the standard library of any of CPython 3.10-3.13.
pub fn is_stdlib(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    STDLIB_MODULES.binary_search(&top).is_ok()
}

/// The table's rows for exactly this import path: (distribution as published, its PEP 503 name).
pub fn table_rows(path: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    let start = IMPORT_NAMES.partition_point(|row| row.0 < path);
    let end = start + IMPORT_NAMES[start..].partition_point(|row| row.0 == path);
    &IMPORT_NAMES[start..end]
}

/// Whether the table lists `normalized` (a PEP 503 name) as a distribution: a binary search of the
/// table's distinct PEP 503 names, sorted once (the table is sorted by import path, not by name; a
/// linear scan of its 1,163 rows for each requirement of each Flight row took about 6% of
/// `flight_findings` over `make bench`'s fleet).
pub fn table_knows_distribution(normalized: &str) -> bool {
    static DISTRIBUTIONS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let names = DISTRIBUTIONS.get_or_init(|| {
        let mut names: Vec<&'static str> = IMPORT_NAMES.iter().map(|row| row.2).collect();
        names.sort_unstable();
        names.dedup();
        names
    });
    names.binary_search(&normalized).is_ok()
}

/// Whether another row of the table is under `path` (`google` for `google.cloud.bigquery`):
/// then `path` is a namespace several distributions share.
fn is_namespace(path: &str) -> bool {
    let start = IMPORT_NAMES.partition_point(|row| row.0 <= path);
    IMPORT_NAMES[start..]
        .iter()
        .take_while(|row| row.0.starts_with(path))
        .any(|row| row.0.as_bytes().get(path.len()) == Some(&b'.'))
}

/// Where an imported module comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provided {
    /// Python's standard library.
    Stdlib,
    /// The requirement at this index of `Requirements::entries`.
    By(usize),
    /// No requirement is known to provide it, but the one at this index (or
    /// an install the reader cannot see into) plausibly does: never an error.
    Unverified { candidates: Vec<usize> },
    /// No requirement provides it; `suggest` is the distribution the table names.
    Missing { suggest: Option<&'static str> },
}

/// The import paths an import may bring in: `module`, and `module.name` for each name
/// (`from google.cloud import bigquery` imports `google.cloud.bigquery`).
pub fn import_paths(module: &str, names: &[String]) -> Vec<String> {
    let mut paths = vec![module.to_owned()];
    paths.extend(names.iter().filter(|n| n.as_str() != "*" && !n.is_empty()).map(|n| format!("{module}.{n}")));
    paths
}

/// The most components of an import path looked at (the table's longest key has 3):
/// a hostile thousand-part path costs no more than a short one.
const MAX_PARTS: usize = 4;

/// Prefixes of a dotted path, longest first (`a.b.c`, `a.b`, `a`), from its first [`MAX_PARTS`] parts.
fn prefixes(path: &str) -> impl Iterator<Item = &str> {
    let head = match path.match_indices('.').nth(MAX_PARTS - 1) {
        Some((i, _)) => &path[..i],
        None => path,
    };
    std::iter::once(head).chain(head.char_indices().rev().filter(|(_, c)| *c == '.').map(move |(i, _)| &head[..i]))
}

/// A requirement that installs something by a name: valid, not an option line.
fn named(entry: &Requirement) -> Option<&str> {
    if matches!(entry.problem, Some(super::read::Problem::Invalid(_))) {
        return None;
    }
    entry.normalized.as_deref()
}

/// The requirement providing one import path, by name or by the table (longest prefix first).
fn provider(path: &str, reqs: &Requirements) -> Option<usize> {
    for prefix in prefixes(path) {
        let wanted = normalize(prefix);
        let by_table = table_rows(prefix);
        let found = reqs
            .entries
            .iter()
            .position(|e| named(e).is_some_and(|n| n == wanted || by_table.iter().any(|row| row.2 == n)));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The requirement that provides an import by name or by the table, if any.
pub fn provided_by(module: &str, names: &[String], reqs: &Requirements) -> Option<usize> {
    import_paths(module, names).iter().find_map(|p| provider(p, reqs))
}

/// Which requirement provides the module an import brings in.
///
/// - [`Provided::By`]: a requirement's PEP 503 name is the module's (or a
///   prefix's: `google.cloud.bigquery` matches `google-cloud-bigquery`), or
///   the table maps the module (or a prefix) to it.
/// - [`Provided::Unverified`]: a requirement's name extends the module's
///   (`foo-binary` for `foo`), or, when the table does not know the module,
///   a requirement the table does not know that no import of the source is
///   known to need (`unaccounted`, computed by the caller), or an option line
///   or bare URL/path installs something unseen.
/// - [`Provided::Missing`] otherwise; `suggest` when the table names one
///   distribution for the module (or for a prefix that is not a namespace).
pub fn provides(module: &str, names: &[String], reqs: &Requirements, unaccounted: &[usize]) -> Provided {
    if is_stdlib(module) {
        return Provided::Stdlib;
    }
    if let Some(i) = provided_by(module, names, reqs) {
        return Provided::By(i);
    }
    let paths = import_paths(module, names);
    let stems: Vec<String> = paths.iter().flat_map(|p| prefixes(p)).map(normalize).collect();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, entry) in reqs.entries.iter().enumerate() {
        // A name extending the module's (`foo-binary` for `foo`), unless the table knows what it installs.
        let extends = named(entry).is_some_and(|n| {
            !table_knows_distribution(n)
                && stems.iter().any(|stem| n.strip_prefix(stem.as_str()).is_some_and(|rest| rest.starts_with('-')))
        });
        let unseen = entry.unseen_install;
        if extends || unseen {
            candidates.push(i);
        }
    }
    let suggest = suggestion(&paths);
    if suggest.is_none() && !paths.iter().flat_map(|p| prefixes(p)).any(|p| !table_rows(p).is_empty()) {
        for &i in unaccounted {
            if !candidates.contains(&i) {
                candidates.push(i);
            }
        }
    }
    if candidates.is_empty() {
        Provided::Missing { suggest }
    } else {
        candidates.sort_unstable();
        Provided::Unverified { candidates }
    }
}

/// The one distribution the table names for the longest known prefix of a path,
/// unless that prefix is a shared namespace (`google`) shorter than the path.
fn suggestion(paths: &[String]) -> Option<&'static str> {
    paths.iter().rev().find_map(|path| {
        let (prefix, rows) = prefixes(path).map(|p| (p, table_rows(p))).find(|(_, rows)| !rows.is_empty())?;
        let certain = rows.len() == 1 && (prefix == path || !is_namespace(prefix));
        certain.then(|| rows[0].1)
    })
}
