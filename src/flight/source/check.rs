//! Holding each read against the environment a run gets: one [`SourceRow`]
//! per read, unused variable, credential literal and syntax error.

use super::{Access, EnvRead, SourceScan};
use crate::flight::suggest::{did_you_mean, suggest_key};
use crate::flight::wording::{quoted, MOVE_TO_SECRET};
use crate::flight::{EnvSource, EnvVar, Origin, RESERVED_NAMES};
use std::collections::{HashMap, HashSet};

/// What a row of `flight_source_check` says (the `status` column). A new
/// status is a new variant here, produced by [`check_source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The run provides the variable (or MotherDuck sets it).
    Ok,
    /// A required read of a variable the run lacks: KeyError.
    Missing,
    /// An optional read of a variable the run lacks: it falls back to its default.
    MissingOptional,
    /// The bare param name of a secret, which the run only has prefixed.
    BareSecretParam,
    /// Possibly from a secret whose params are unknown.
    Unverified,
    /// A read whose name is computed at run time.
    Dynamic,
    /// A config key or secret variable the source never reads.
    Unused,
    /// A string literal shaped like a credential.
    CredentialInSource,
    /// A Python syntax error.
    SyntaxError,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::MissingOptional => "missing_optional",
            Status::BareSecretParam => "bare_secret_param",
            Status::Unverified => "unverified",
            Status::Dynamic => "dynamic",
            Status::Unused => "unused",
            Status::CredentialInSource => "credential_in_source",
            Status::SyntaxError => "syntax_error",
        }
    }
}

/// One row of `flight_source_check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub name: String,
    pub line: Option<u32>,
    pub access: Option<Access>,
    pub provided_by: Option<EnvSource>,
    pub status: Status,
    pub message: String,
}

/// A secret param as the run gets it: the variable and the param's secret.
struct Param<'v> {
    var: &'v EnvVar<'v>,
    secret: &'v str,
}

/// What [`check_read`] looks a name up in, built once per check.
struct Context<'v> {
    by_name: HashMap<&'v str, &'v EnvVar<'v>>,
    /// Param key -> the prefixed variables that carry it.
    params: HashMap<&'v str, Vec<Param<'v>>>,
    /// Secrets whose params are unknown: the prefix of their variables, and the secret.
    placeholders: Vec<(&'v str, &'v str)>,
    vars: &'v [EnvVar<'v>],
    aliases_on: bool,
    /// What the source sets itself: `os.environ["X"] = ...` (`None`: a computed name).
    writes: &'v [(Option<String>, u32)],
}

impl<'v> Context<'v> {
    fn new(vars: &'v [EnvVar], writes: &'v [(Option<String>, u32)]) -> Self {
        let mut params: HashMap<&str, Vec<Param>> = HashMap::new();
        let mut placeholders = Vec::new();
        for var in vars {
            match &var.origin {
                Origin::Secret { secret, param } => params.entry(param).or_default().push(Param { var, secret }),
                Origin::UnknownParams { secret, prefix } => placeholders.push((&**prefix, &**secret)),
                _ => {}
            }
        }
        Context {
            by_name: vars.iter().map(|v| (&*v.name, v)).collect(),
            params,
            placeholders,
            vars,
            aliases_on: vars.iter().any(|v| v.source == EnvSource::SecretAlias),
            writes,
        }
    }
}

/// Holds every read of `scan` against the run's variables `vars` (from
/// `env::resolve`). Rows ordered by line (rows without a line last), then name.
pub fn check_source(scan: &SourceScan, vars: &[EnvVar]) -> Vec<SourceRow> {
    check_source_where(scan, vars, |_| true)
}

/// The rows of [`check_source`] whose status `keep` takes, in the same order.
/// A row it leaves out costs little: an `ok` read or an `unused` variable
/// makes no message at all (`flight_findings` keeps only the troubles).
pub fn check_source_where(scan: &SourceScan, vars: &[EnvVar], keep: impl Fn(Status) -> bool) -> Vec<SourceRow> {
    let context = Context::new(vars, &scan.env_writes);
    let mut read_names: HashSet<&str> = HashSet::new();
    let mut rows = Vec::new();
    let (keep_ok, keep_unused) = (keep(Status::Ok), keep(Status::Unused));
    for read in &scan.reads {
        let Some(name) = read.name.as_deref() else {
            rows.push(SourceRow {
                name: "(dynamic)".into(),
                line: Some(read.line),
                access: Some(read.access),
                provided_by: None,
                status: Status::Dynamic,
                message: format!(
                    "line {} reads an environment variable whose name is computed at run time ({}): it cannot be checked; \
                     read a fixed name where you can",
                    read.line, read.form
                ),
            });
            continue;
        };
        if keep_unused {
            read_names.insert(name);
        }
        // What check_read answers first: an ok read.
        if !keep_ok && (context.by_name.contains_key(name) || RESERVED_NAMES.contains(&name)) {
            continue;
        }
        rows.push(check_read(read, name, &context));
    }
    if keep_unused {
        let has_dynamic = scan.reads.iter().any(|r| r.name.is_none());
        unused_rows(vars, &read_names, has_dynamic, &mut rows);
    }
    scan_rows(scan, &mut rows);
    rows.retain(|row| keep(row.status));
    // Stable: rows `keep` leaves out change no other row's place.
    rows.sort_by(|a, b| (a.line.is_none(), a.line, &a.name).cmp(&(b.line.is_none(), b.line, &b.name)));
    rows
}

/// A row per config key and secret variable the source never reads.
fn unused_rows(vars: &[EnvVar], read_names: &HashSet<&str>, has_dynamic: bool, rows: &mut Vec<SourceRow>) {
    for var in vars {
        let unused_kind = match var.origin {
            Origin::Config { .. } | Origin::Override { .. } => "config key",
            Origin::Secret { .. } => "secret variable",
            _ => continue,
        };
        if read_names.contains(&*var.name) {
            continue;
        }
        let maybe =
            if has_dynamic { " (the source also reads names computed at run time, which may include it)" } else { "" };
        rows.push(SourceRow {
            name: var.name.to_string(),
            line: None,
            access: None,
            provided_by: Some(var.source),
            status: Status::Unused,
            message: format!("{unused_kind} {} is never read by the source{maybe}", quoted(&var.name)),
        });
    }
}

/// A row per credential-shaped literal and per syntax error of the source.
fn scan_rows(scan: &SourceScan, rows: &mut Vec<SourceRow>) {
    for &(line, kind) in &scan.credential_literals {
        rows.push(SourceRow {
            name: "(literal)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: Status::CredentialInSource,
            message: format!(
                "line {line} holds a string shaped like a credential ({kind}): anyone who can read the Flight reads it; \
                 {MOVE_TO_SECRET}, attach it with flight_secret_names and read it from os.environ"
            ),
        });
    }
    for &(line, column) in &scan.syntax_errors {
        rows.push(SourceRow {
            name: "(syntax)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: Status::SyntaxError,
            message: format!(
                "Python syntax error near line {line}, column {column}: the reads around it may be missing from this check, \
                 and the run would fail; fix the source"
            ),
        });
    }
}

/// Where a variable the run has comes from, in words.
fn provided_by(read: &EnvRead, var: &EnvVar) -> String {
    let what = match var.source {
        EnvSource::Token => format!("the token {}", quoted(&var.origin.to_string())),
        EnvSource::Config => "the config".to_owned(),
        EnvSource::Override => "the per-run override".to_owned(),
        EnvSource::Secret | EnvSource::SecretAlias => format!("secret param {}", quoted(&var.origin.to_string())),
    };
    if read.form.starts_with("duckdb.connect") {
        format!("the md: connection needs MOTHERDUCK_TOKEN, provided by {what}")
    } else {
        format!("provided by {what}")
    }
}

/// The row of one read of a fixed name.
fn check_read(read: &EnvRead, name: &str, context: &Context) -> SourceRow {
    let row = |provided_by, status, message| SourceRow {
        name: name.to_owned(),
        line: Some(read.line),
        access: Some(read.access),
        provided_by,
        status,
        message,
    };
    if let Some(var) = context.by_name.get(name) {
        return row(Some(var.source), Status::Ok, provided_by(read, var));
    }
    if RESERVED_NAMES.contains(&name) {
        return row(None, Status::Ok, format!("MotherDuck sets {} itself on every run", quoted(name)));
    }
    if let Some(carriers) = context.params.get(name) {
        let names: Vec<String> = carriers.iter().map(|p| quoted(&p.var.name)).collect();
        let secrets: Vec<String> = carriers.iter().map(|p| quoted(p.secret)).collect();
        let or_aliases = if context.aliases_on {
            "(bare_aliases is on, but this bare name is not emitted: flight_check's bare_alias_skipped says why)"
        } else {
            "(or preview with bare_aliases := true if your runs get bare names)"
        };
        return row(
            None,
            Status::BareSecretParam,
            format!(
                "the run has no {}: secret {} provides it only as {}; read os.environ[{}] instead {or_aliases}",
                quoted(name),
                secrets.join(", "),
                names.join(", "),
                names.last().map(String::as_str).unwrap_or("''")
            ),
        );
    }
    if let Some(&(_, secret)) = context.placeholders.iter().find(|(prefix, _)| name.starts_with(prefix)) {
        return row(
            Some(EnvSource::Secret),
            Status::Unverified,
            format!(
                "{} may come from secret {}, whose params are unknown: pass secrets := MAP {{{}: [...]}} to verify",
                quoted(name),
                quoted(secret),
                quoted(secret)
            ),
        );
    }
    if let Some((status, message)) = set_by_source(read, name, context.writes) {
        return row(None, status, message);
    }
    let known = context.vars.iter().filter(|v| !matches!(v.origin, Origin::UnknownParams { .. })).map(|v| &*v.name);
    let hint = did_you_mean(suggest_key(name, known));
    match read.access {
        Access::Required => row(
            None,
            Status::Missing,
            format!(
                "the run has no {}{hint}: {} raises KeyError; add the key to the Flight's config (MD_UPDATE_FLIGHT with the \
                 full config map) or attach a secret that provides it",
                quoted(name),
                read.form
            ),
        ),
        Access::Optional => row(
            None,
            Status::MissingOptional,
            format!("the run has no {}{hint}: {} falls back to its default", quoted(name), read.form),
        ),
    }
}

/// A read the run does not provide, of a variable the source sets itself
/// (`os.environ["X"] = ...`, e.g. a secret param copied to the name a library
/// reads): not missing. Under a computed name it may be: a required read cannot
/// be checked (an optional one has its default). `None`: the source does not set it.
fn set_by_source(read: &EnvRead, name: &str, writes: &[(Option<String>, u32)]) -> Option<(Status, String)> {
    if let Some((_, line)) = writes.iter().find(|(written, _)| written.as_deref() == Some(name)) {
        return Some((Status::Ok, format!("the source sets {} itself (line {line})", quoted(name))));
    }
    let (_, line) = writes.iter().find(|(written, _)| written.is_none())?;
    (read.access == Access::Required).then(|| {
        (
            Status::Unverified,
            format!(
                "the run has no {}, but the source sets variables under names computed at run time (line {line}), \
                 which may include it: it cannot be checked",
                quoted(name)
            ),
        )
    })
}
