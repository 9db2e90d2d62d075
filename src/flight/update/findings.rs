//! The findings of an update: the reads it breaks (`update_breaks_read`), the
//! config keys it drops (`update_drops_config_key`), the secrets it detaches
//! (`update_detaches_secret`), then every finding the updated Flight has that
//! the current one does not, with its usual code. Names and lines only: no
//! value ever appears in a message.

use crate::flight::env::Resolution;
use crate::flight::row::{findings_of, Reads};
use crate::flight::source::{check_source_where, Access, SourceScan, Status};
use crate::flight::wording::quoted;
use crate::flight::{
    attached_secrets, is_attached, same_secret, EnvVar, Error, Finding, FindingCode, FlightSpec, FlightUpdate, Origin,
};
use std::collections::{HashMap, HashSet};

/// Both sides of one update.
pub(super) struct Sides<'a, 's> {
    pub(super) flight: &'a FlightSpec,
    pub(super) updated: &'a FlightSpec,
    pub(super) update: &'a FlightUpdate,
    pub(super) before: &'a Resolution<'a>,
    pub(super) after: &'a Resolution<'a>,
    pub(super) before_scan: Option<&'a SourceScan>,
    pub(super) after_scan: Option<&'s SourceScan>,
}

/// A variable the updated source requires, which the current run has and the updated run lacks.
struct BrokenRead<'a> {
    name: String,
    lines: Vec<u32>,
    /// The variable as the current run has it, or the placeholder of the
    /// attached secret (params unknown) the read would come from.
    var: &'a EnvVar<'a>,
}

/// What the update introduces, errors first; `Err` only for the Flight's
/// `duckdb_window` that is not a PEP 440 specifier (the caller's mistake).
pub(super) fn update_findings(sides: &Sides) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    let broken = broken_reads(sides);
    for read in &broken {
        out.push(breaks_finding(read, sides));
    }
    dropped_keys(sides, &mut out);
    detached_secrets(sides, &mut out);
    let broken: HashSet<&str> = broken.iter().map(|b| b.name.as_str()).collect();
    out.extend(new_findings(sides, &broken)?);
    // Stable: each severity keeps the update's own findings first.
    out.sort_by_key(|f| f.severity);
    Ok(out)
}

/// The required reads of the updated source that hold against the current
/// run (`ok`, or `unverified`: from an attached secret whose params are
/// unknown) and fail against the updated one (`missing`, `bare_secret_param`),
/// one per variable, with every line that reads it.
fn broken_reads<'a>(sides: &Sides<'a, '_>) -> Vec<BrokenRead<'a>> {
    let Some(scan) = sides.after_scan else { return Vec::new() };
    let held = |status| matches!(status, Status::Ok | Status::Unverified);
    let had: HashSet<(u32, String)> = check_source_where(scan, &sides.before.vars, held)
        .into_iter()
        .filter(|row| row.access.is_some())
        .filter_map(|row| Some((row.line?, row.name)))
        .collect();
    let by_name: HashMap<&str, &EnvVar> = sides.before.vars.iter().map(|v| (&*v.name, v)).collect();
    let placeholder = |name: &str| {
        sides
            .before
            .vars
            .iter()
            .find(|v| matches!(&v.origin, Origin::UnknownParams { prefix, .. } if name.starts_with(&**prefix)))
    };
    let mut broken: Vec<BrokenRead> = Vec::new();
    let lacking = |status| matches!(status, Status::Missing | Status::BareSecretParam);
    for row in check_source_where(scan, &sides.after.vars, lacking) {
        let (Some(line), Some(Access::Required)) = (row.line, row.access) else { continue };
        if !had.contains(&(line, row.name.clone())) {
            continue;
        }
        let Some(var) = by_name.get(row.name.as_str()).copied().or_else(|| placeholder(&row.name)) else { continue };
        match broken.iter_mut().find(|b| b.name == row.name) {
            Some(read) if !read.lines.contains(&line) => read.lines.push(line),
            Some(_) => {}
            None => broken.push(BrokenRead { name: row.name, lines: vec![line], var }),
        }
    }
    broken
}

/// Why the updated run lacks a variable the current run has, and the fix.
fn why_gone(var: &EnvVar, sides: &Sides) -> (String, String) {
    match &var.origin {
        Origin::Config { key } | Origin::Override { key } if sides.update.config.is_some() => (
            format!("the update's config replaces the stored map and leaves out {} (replace, not merge)", quoted(key)),
            "send the full config map with the one change applied".to_owned(),
        ),
        Origin::Secret { secret, .. } | Origin::Alias { secret, .. } | Origin::UnknownParams { secret, .. }
            if !is_attached(sides.updated, secret) =>
        {
            (
                format!(
                    "the update's flight_secret_names leaves out secret {} (the list is replaced, not merged)",
                    quoted(secret)
                ),
                format!("keep {} in flight_secret_names", quoted(secret)),
            )
        }
        Origin::Secret { secret, param } | Origin::Alias { secret, param } => (
            format!("secret {} has no param {} in the secrets the update describes", quoted(secret), quoted(param)),
            format!("give secret {} that param again (CREATE OR REPLACE SECRET)", quoted(secret)),
        ),
        _ => ("the updated Flight no longer provides it".to_owned(), "keep what provides it in the update".to_owned()),
    }
}

/// Where the current run's variable comes from, in words (no value).
fn provided_by(var: &EnvVar) -> String {
    match &var.origin {
        Origin::Config { key } | Origin::Override { key } => format!("config key {}", quoted(key)),
        Origin::Secret { .. } | Origin::Alias { .. } => format!("secret param {}", quoted(&var.origin.to_string())),
        Origin::UnknownParams { secret, .. } => format!("from secret {}, whose params are unknown", quoted(secret)),
        origin => format!("{} {}", var.source.as_str().replace('_', " "), quoted(&origin.to_string())),
    }
}

fn breaks_finding(read: &BrokenRead, sides: &Sides) -> Finding {
    let lines: Vec<String> = read.lines.iter().map(u32::to_string).collect();
    let (lines, verb) = if lines.len() == 1 {
        (format!("line {}", lines[0]), "requires")
    } else {
        (format!("lines {}", lines.join(", ")), "require")
    };
    let (why, fix) = why_gone(read.var, sides);
    Finding::new(
        FindingCode::UpdateBreaksRead,
        &read.name,
        format!(
            "{lines} of the updated source {verb} {}, which the current run has ({}) and the updated run lacks: {why}, \
             so the run would raise KeyError; {fix}, or stop reading {}",
            quoted(&read.name),
            provided_by(read.var),
            quoted(&read.name)
        ),
    )
}

/// A warning per stored config key the update's `config` leaves out.
fn dropped_keys(sides: &Sides, out: &mut Vec<Finding>) {
    let (Some(stored), Some(new)) = (&sides.flight.config, &sides.update.config) else { return };
    let kept: HashSet<&str> = new.iter().map(|(k, _)| k.as_str()).collect();
    let mut seen = HashSet::new();
    for (key, _) in stored {
        if kept.contains(key.as_str()) || !seen.insert(key.as_str()) {
            continue;
        }
        out.push(Finding::new(
            FindingCode::UpdateDropsConfigKey,
            key.as_str(),
            format!(
                "the update's config replaces the whole stored map and does not hold {}, so the key is dropped \
                 (replace, not merge): to change one entry, send the full map with the one change applied \
                 (flight_config_diff(stored, new) lists every key that goes)",
                quoted(key)
            ),
        ));
    }
}

/// A warning per attached secret the update's `flight_secret_names` leaves out.
fn detached_secrets(sides: &Sides, out: &mut Vec<Finding>) {
    if sides.update.flight_secret_names.is_none() {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for name in attached_secrets(sides.flight) {
        if is_attached(sides.updated, name) || seen.iter().any(|s| same_secret(s, name)) {
            continue;
        }
        seen.push(name);
        let vars: Vec<String> =
            sides.before.vars.iter().filter(|v| v.origin.secret() == Some(name)).map(|v| quoted(&v.name)).collect();
        let vars = if vars.is_empty() { "none known".to_owned() } else { vars.join(", ") };
        out.push(Finding::new(
            FindingCode::UpdateDetachesSecret,
            name,
            format!(
                "the update's flight_secret_names replaces the attached list and leaves out secret {}, so its \
                 variables go with it ({vars}): list every secret the Flight keeps (replace, not merge)",
                quoted(name)
            ),
        ));
    }
}

/// How two findings are matched across the update: a finding tied to a
/// source line (`line 12`) by its code alone, since an edit moves lines.
fn match_key(f: &Finding) -> (crate::flight::FindingCode, &str) {
    let subject = if f.subject.starts_with("line ") { "" } else { f.subject.as_str() };
    (f.code, subject)
}

/// The updated Flight's findings the current Flight does not have (as many
/// times as it has them fewer), leaving out what a broken read already says
/// and an unknown secret that stays unknown.
fn new_findings(sides: &Sides, broken: &HashSet<&str>) -> Result<Vec<Finding>, Error> {
    let reads = |scan| Reads { scan, ..Reads::default() };
    let before = findings_of(sides.flight, sides.before, reads(sides.before_scan))?;
    let after = findings_of(sides.updated, sides.after, reads(sides.after_scan))?;
    let mut had: HashMap<(FindingCode, &str), usize> = HashMap::new();
    for f in &before {
        *had.entry(match_key(f)).or_default() += 1;
    }
    let unknown_before: HashSet<&str> =
        before.iter().filter(|f| f.code == FindingCode::SecretParamsUnknown).map(|f| f.subject.as_str()).collect();
    let mut out = Vec::new();
    for f in &after {
        if let Some(count) = had.get_mut(&match_key(f)).filter(|c| **c > 0) {
            *count -= 1;
            continue;
        }
        let said = match f.code {
            FindingCode::SourceMissing | FindingCode::SourceBareSecretParam => broken.contains(f.subject.as_str()),
            // Its params were unknown before and still are: not a new problem.
            FindingCode::SecretNotDefined => unknown_before.contains(f.subject.as_str()),
            _ => false,
        };
        if !said {
            out.push(f.clone());
        }
    }
    Ok(out)
}
