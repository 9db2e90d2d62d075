//! The requirement rules: what pip cannot read, options Flights do not
//! document, unpinned requirements, the DuckDB pin against the client
//! versions MotherDuck accepts, and imports no requirement provides (PEP 723
//! inline metadata is the source scan's: `source::inline_metadata`). Facts and sources:
//! `shared/reference/flights-runtime.md` sections 4 and 5.

use super::names::{provided_by, provides, table_knows_distribution, Provided};
use super::read::{read_requirements, Problem, Requirements};
use super::version::{Specifiers, Version};
use crate::flight::{Error, Finding, FindingCode};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The DuckDB client versions MotherDuck accepts: THE one place this window lives.
/// From MotherDuck's "version lifecycle schedules" page (the `.md` copy,
/// https://motherduck.com/docs/troubleshooting/version-lifecycle-schedules.md,
/// read 2026-12): us-east-1 accepts 1.4.0 to 1.5.6; the other regions 1.4.1 to
/// 1.5.6. It is newer than the copy of https://motherduck.com/docs/duckdb-versions.json
/// read the same month (1.4.0 to 1.5.3). A caller gives another window for a region.
pub const DUCKDB_WINDOW: &str = ">=1.4.0,<=1.5.6";
/// Where [`DUCKDB_WINDOW`] comes from, as messages cite it.
pub const DUCKDB_WINDOW_SOURCE: &str = "MotherDuck's version lifecycle page, read 2026-12";

/// One import of the source (the shape of the source scan's `Import`).
#[derive(Debug, Clone, Copy)]
pub struct ImportedName<'a> {
    /// `a.b` for `import a.b` and `from a.b import c`.
    pub module: &'a str,
    /// `["c"]` for `from a.b import c`; empty for `import a.b`.
    pub names: &'a [String],
    pub line: u32,
    /// Guarded by `try: ... except ImportError` (or `ModuleNotFoundError`).
    pub optional: bool,
}

/// The DuckDB window: the caller's PEP 440 specifier, or [`DUCKDB_WINDOW`]
/// (parsed once: every Flight row without a window of its own asks for it).
pub fn duckdb_window(given: Option<&str>) -> Result<Cow<'static, Specifiers>, Error> {
    static DEFAULT: OnceLock<Result<Specifiers, Error>> = OnceLock::new();
    match given {
        None => DEFAULT.get_or_init(|| parse_window(DUCKDB_WINDOW)).as_ref().map(Cow::Borrowed).map_err(Clone::clone),
        Some(text) => parse_window(text).map(Cow::Owned),
    }
}

fn parse_window(text: &str) -> Result<Specifiers, Error> {
    Specifiers::parse(text).map_err(|e| {
        e.map_message(|e| {
            format!("duckdb_window '{text}' is not a PEP 440 version specifier ({e}); write one like '>=1.4.1,<=1.5.6'")
        })
    })
}

/// The window as messages show it, with where it comes from.
pub fn window_shown(given: Option<&str>) -> Cow<'static, str> {
    static DEFAULT: OnceLock<String> = OnceLock::new();
    match given {
        None => Cow::Borrowed(DEFAULT.get_or_init(|| format!("{DUCKDB_WINDOW} ({DUCKDB_WINDOW_SOURCE})"))),
        Some(w) => Cow::Owned(format!("{w} (the window given)")),
    }
}

/// Every requirement finding of a Flight. `Err` only for a bad `duckdb_window` (the caller's mistake).
pub fn requirement_findings(
    requirements_txt: Option<&str>,
    imports: &[ImportedName],
    duckdb_window_text: Option<&str>,
) -> Result<Vec<Finding>, Error> {
    let window = duckdb_window(duckdb_window_text)?;
    let reqs = read_requirements(requirements_txt.unwrap_or(""));
    let shown = window_shown(duckdb_window_text);
    Ok(findings(&reqs, imports, &window, &shown))
}

impl Requirements {
    /// [`findings`] for a Flight whose source is not known (no imports), against
    /// the default DuckDB window: the same for every such Flight, so made once
    /// per read (a cached read serves every row with its text).
    pub fn sourceless_findings(&self) -> &[Finding] {
        self.sourceless.get_or_init(|| match duckdb_window(None) {
            Ok(window) => findings(self, &[], &window, &window_shown(None)),
            // The default window parses (a unit test holds it); were it not to, no memo.
            Err(_) => Vec::new(),
        })
    }
}

/// The findings over an already read requirements text (the cached form).
pub fn findings(reqs: &Requirements, imports: &[ImportedName], window: &Specifiers, shown: &str) -> Vec<Finding> {
    let duckdb_imported = imports.iter().any(|i| top(i.module) == "duckdb");
    let mut out: Vec<Finding> = line_findings(reqs, duckdb_imported).into_iter().map(|(_, f)| f).collect();
    out.extend(duckdb_findings(reqs, duckdb_imported, window, shown).into_iter().map(|(_, f)| f));
    out.extend(import_findings(reqs, imports));
    out
}

fn top(module: &str) -> &str {
    module.split('.').next().unwrap_or(module)
}

/// The findings about single entries (invalid, option, unpinned), with the entry's index.
fn line_findings(reqs: &Requirements, duckdb_imported: bool) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    for (i, e) in reqs.entries.iter().enumerate() {
        let subject = e.name.clone().unwrap_or_else(|| format!("line {}", e.line));
        match &e.problem {
            Some(Problem::Invalid(reason)) => out.push((
                i,
                Finding::new(
                    FindingCode::RequirementInvalid,
                    subject,
                    format!(
                        "requirements_txt line {}: {reason}; pip stops there, so the run fails before main() starts",
                        e.line
                    ),
                ),
            )),
            Some(Problem::Option(what)) => out.push((
                i,
                Finding::new(
                    FindingCode::RequirementOption,
                    subject.clone(),
                    format!(
                    "requirements_txt line {} uses {what}: pip reads it, but whether Flights honour it is undocumented \
                     (MotherDuck documents one pinned package per line)",
                    e.line
                ),
                ),
            )),
            None => {}
        }
        let Some(name) = &e.name else { continue };
        let duckdb = e.normalized.as_deref() == Some("duckdb");
        if e.pinned_version.is_none() && !(duckdb && duckdb_imported) && !matches!(e.problem, Some(Problem::Invalid(_)))
        {
            let how = match (&e.url, &e.specifier) {
                (Some(_), _) => "comes from a URL, not a pinned version".to_owned(),
                (None, Some(spec)) => format!("allows any version in '{spec}'"),
                (None, None) => "has no version".to_owned(),
            };
            out.push((
                i,
                Finding::new(
                    FindingCode::RequirementUnpinned,
                    name.clone(),
                    format!(
                        "requirements_txt line {}: '{name}' {how}; pin it exactly ({name}==<version>): MotherDuck's \
                     production checklist says to pin every dependency",
                        e.line
                    ),
                ),
            ));
        }
    }
    out
}

/// `duckdb_unsupported` (with the entry's index) and `duckdb_unpinned` (with
/// the first duckdb entry's, `None` when no requirement names duckdb).
fn duckdb_findings(
    reqs: &Requirements,
    duckdb_imported: bool,
    window: &Specifiers,
    shown: &str,
) -> Vec<(Option<usize>, Finding)> {
    let mut out = Vec::new();
    let pins: Vec<_> = (reqs.entries.iter().enumerate())
        .filter(|(_, e)| e.normalized.as_deref() == Some("duckdb") && e.problem.is_none())
        .filter_map(|(i, e)| e.pinned_version.as_deref().map(|v| (i, e.line, v)))
        .collect();
    for &(i, line, version) in &pins {
        // A pin that is no PEP 440 version (`===anything`) cannot be placed in the window: nothing is said.
        let Some(parsed) = Version::parse(version) else { continue };
        if !window.contains(&parsed, version) {
            out.push((
                Some(i),
                Finding::new(
                    FindingCode::DuckdbUnsupported,
                    "duckdb",
                    format!(
                    "requirements_txt line {line} pins duckdb {version}, outside the DuckDB client versions MotherDuck \
                     accepts: {shown}; the run fails at duckdb.connect(\"md:\"): pin a version inside it"
                ),
                ),
            ));
        }
    }
    if duckdb_imported && pins.is_empty() {
        // The entry it is about (for flight_requirements): the first duckdb requirement, if any.
        let entry = reqs.entries.iter().position(|e| e.normalized.as_deref() == Some("duckdb") && e.problem.is_none());
        out.push((entry, Finding::new(
            FindingCode::DuckdbUnpinned,
            "duckdb",
            format!(
                "the source imports duckdb and no requirement pins it exactly: pip would install the newest duckdb, which \
                 may be newer than MotherDuck accepts ({shown}), and whether the runtime has one preinstalled is \
                 undocumented; add duckdb==<version> inside that window"
            ),
        )));
    }
    out
}

/// Requirements the table does not know that no import of the source is known to need.
fn unaccounted(reqs: &Requirements, imports: &[ImportedName]) -> Vec<usize> {
    let mut used = vec![false; reqs.entries.len()];
    for import in imports {
        if let Some(i) = provided_by(import.module, import.names, reqs) {
            used[i] = true;
        }
    }
    (0..reqs.entries.len())
        .filter(|&i| {
            let e = &reqs.entries[i];
            !used[i] && e.problem.is_none() && e.normalized.as_deref().is_some_and(|n| !table_knows_distribution(n))
        })
        .collect()
}

fn import_findings(reqs: &Requirements, imports: &[ImportedName]) -> Vec<Finding> {
    if imports.is_empty() {
        // No source, or one that imports nothing: no import to hold against the requirements.
        return Vec::new();
    }
    let unaccounted = unaccounted(reqs, imports);
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for import in imports.iter().filter(|i| !i.optional && !i.module.is_empty() && !i.module.starts_with('.')) {
        if top(import.module) == "duckdb" || seen.contains(&import.module) {
            continue;
        }
        seen.push(import.module);
        let (module, line) = (import.module, import.line);
        match provides(module, import.names, reqs, &unaccounted) {
            Provided::Stdlib | Provided::By(_) => {}
            Provided::Missing { suggest } => {
                let add = suggest.map_or_else(
                    || "add the distribution that provides it (pinned) to requirements_txt".to_owned(),
                    |dist| format!("add {dist}==<version> to requirements_txt"),
                );
                out.push(Finding::new(
                    FindingCode::ImportNotInRequirements,
                    module,
                    format!(
                        "line {line} imports '{module}', which is not in Python's standard library and no requirement \
                         provides: the run fails with ModuleNotFoundError; {add}"
                    ),
                ));
            }
            Provided::Unverified { candidates } => {
                let which: Vec<String> = candidates.iter().map(|&i| describe(reqs, i)).collect();
                out.push(Finding::new(
                    FindingCode::ImportUnverified,
                    module,
                    format!(
                        "line {line} imports '{module}': no requirement is known to provide it, but {} may (the table \
                         of import names cannot confirm it)",
                        which.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

fn describe(reqs: &Requirements, i: usize) -> String {
    let e = &reqs.entries[i];
    match &e.name {
        Some(name) => format!("'{name}' (line {})", e.line),
        None => format!("the install on line {}", e.line),
    }
}

/// For `flight_requirements`: each entry's most severe finding (invalid,
/// duckdb_unsupported, option, unpinned, duckdb_unpinned when the source
/// imports duckdb), `None` when it has none.
pub fn entry_problems(
    reqs: &Requirements,
    imports: &[ImportedName],
    duckdb_window_text: Option<&str>,
) -> Result<Vec<Option<Finding>>, Error> {
    let window = duckdb_window(duckdb_window_text)?;
    let shown = window_shown(duckdb_window_text);
    let duckdb_imported = imports.iter().any(|i| top(i.module) == "duckdb");
    let mut out: Vec<Option<Finding>> = vec![None; reqs.entries.len()];
    let all = line_findings(reqs, duckdb_imported)
        .into_iter()
        .chain(duckdb_findings(reqs, duckdb_imported, &window, &shown).into_iter().filter_map(|(i, f)| Some((i?, f))));
    for (i, finding) in all {
        let slot = &mut out[i];
        if slot.as_ref().is_none_or(|old| finding.severity < old.severity) {
            *slot = Some(finding);
        }
    }
    Ok(out)
}

/// For `flight_requirements`: the modules of the source each requirement provides.
pub fn imported_as(reqs: &Requirements, imports: &[ImportedName]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); reqs.entries.len()];
    for import in imports {
        if let Some(i) = provided_by(import.module, import.names, reqs) {
            if !out[i].iter().any(|m: &String| m == import.module) {
                out[i].push(import.module.to_owned());
            }
        }
    }
    out
}
