//! `run_stale_version`: the cause of a run's failure is gone from the Flight's
//! current version (pure). A run uses the version current when it was created
//! (`shared/reference/flights-runtime.md`, section 1), so a later version that
//! now requires the missing module, or now provides (or no longer reads) the
//! missing variable, is picked up by the next run.

use super::findings::key_provided;
use crate::flight::requirements::{provides, read_requirements, Provided};
use crate::flight::source::scan_source;
use crate::flight::wording::quoted;
use crate::flight::{Finding, FindingCode, FlightSpec};

/// A Flight version: its number and its fields.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub number: Option<i64>,
    pub spec: &'a FlightSpec,
}

/// One `run_stale_version` finding per finding of `findings` (about a run of `ran`) whose
/// cause `current` no longer has; none when `current` is the version the run used.
pub fn stale_findings(findings: &[Finding], ran: Version, current: Version) -> Vec<Finding> {
    if ran.number.is_some() && ran.number == current.number {
        return Vec::new();
    }
    findings
        .iter()
        .filter_map(|f| {
            let why = match f.code {
                FindingCode::RunModuleNotFound => module_now_required(&f.subject, ran.spec, current.spec),
                FindingCode::RunKeyError => key_now_fine(&f.subject, current.spec),
                _ => None,
            }?;
            let numbered = |v: Version| v.number.map_or("another".to_owned(), |n| n.to_string());
            Some(Finding::new(
                FindingCode::RunStaleVersion,
                f.subject.clone(),
                format!(
                    "the Flight's current version ({}) no longer has the cause of {} ({why}); the run used version {}: \
                     run it again (a run uses the version current when it was created)",
                    numbered(current),
                    f.code,
                    numbered(ran)
                ),
            ))
        })
        .collect()
}

/// Why `module` is no longer missing in `spec`: a requirement now provides it (the module as
/// the log names it, or an import path under it of either version's source), or the source no
/// longer imports it.
fn module_now_required(module: &str, ran: &FlightSpec, spec: &FlightSpec) -> Option<String> {
    let reqs = read_requirements(spec.requirements_txt.as_deref().unwrap_or(""));
    let source = spec.source_code.as_deref();
    let mut paths = vec![module.to_owned()];
    for text in [ran.source_code.as_deref(), source].into_iter().flatten() {
        paths.extend(imports_under(text, module));
    }
    let provided = paths.iter().find_map(|path| match provides(path, &[], &reqs, &[]) {
        Provided::By(i) => Some(format!(
            "requirements_txt now lists {}, which provides {}",
            quoted(reqs.entries[i].name.as_deref().unwrap_or("?")),
            quoted(module)
        )),
        _ => None,
    });
    provided.or_else(|| {
        let imports = source.map(|text| imports_under(text, module));
        imports.filter(|paths| paths.is_empty()).map(|_| format!("its source no longer imports {}", quoted(module)))
    })
}

/// Why `key` no longer raises in `spec`: the run now has it, or the source no longer reads it.
fn key_now_fine(key: &str, spec: &FlightSpec) -> Option<String> {
    if key_provided(key, spec) {
        return Some(format!("its run now has {}", quoted(key)));
    }
    let source = spec.source_code.as_deref()?;
    let reads = scan_source(source).reads;
    (!reads.iter().any(|r| r.name.as_deref() == Some(key)))
        .then(|| format!("its source no longer reads {}", quoted(key)))
}

/// The dotted paths of `import a.b` / `from a.b import c` lines of `source` that are `module`
/// or under it (a textual look at each line; `import a, b` reads its first name only).
fn imports_under(source: &str, module: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("import ").or_else(|| line.strip_prefix("from "))?;
            let path = rest.split([' ', ',', '#']).next()?;
            path.strip_prefix(module).is_some_and(|r| r.is_empty() || r.starts_with('.')).then(|| path.to_owned())
        })
        .collect()
}
