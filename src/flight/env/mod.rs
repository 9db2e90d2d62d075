//! The environment a Flight run gets, and every finding about the Flight.
//!
//! A run reads `MOTHERDUCK_TOKEN` (from the token labelled `access_token_name`,
//! or the default `MotherDuck Flights` token), every config key under its own
//! name (with a per-run override's values), and every param of each attached
//! Flight secret under `<SECRET NAME>_<PARAM>`. [`resolve`] computes those
//! variables and the findings; `flight_env_preview` raises on the errors,
//! `flight_check` lists them all.
//!
//! One file per job: this file (naming, the resolution and its report),
//! `checks` (config entries and the per-run override, whose rule lives in
//! `config::overrides`), `secrets` (attached secrets and their params), `placing`
//! (the prefixed variables and bare aliases), `vars` (the variable table). A new
//! finding: add a [`FindingCode`] variant (README's table follows it) and
//! raise it from the file whose concern it is.
//!
//! Findings never hold a secret param value: `ParamValue::Given` is read only
//! for checks. Names inside messages and notes are escaped to stay on one line.

mod checks;
mod placing;
mod secrets;
#[cfg(test)]
mod tests;
mod vars;

pub use super::naming::{parse_naming, secret_env_name};
use super::{
    EnvSource, EnvVar, Finding, FindingCode, FlightSpec, Origin, SecretNaming, Severity, DEFAULT_TOKEN_NAME, REDACTED,
};
use std::borrow::Cow;
use vars::Vars;

/// The variables of a run, ordered by name (names unique), and the findings,
/// errors first, then warnings, then info.
#[derive(Debug, Clone, Default)]
pub struct Resolution<'s> {
    pub vars: Vec<EnvVar<'s>>,
    pub findings: Vec<Finding>,
}

impl Resolution<'_> {
    /// The resolution, owning its text (to outlive the Flight it was resolved from).
    pub fn into_owned(self) -> Resolution<'static> {
        Resolution { vars: self.vars.into_iter().map(EnvVar::into_owned).collect(), findings: self.findings }
    }
}

/// The error of `flight_env_preview`: `None` without an error finding, else a
/// header line counting the errors, then `- <message>` per error, in order.
pub fn error_report(findings: &[Finding]) -> Option<String> {
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if errors.is_empty() {
        return None;
    }
    let mut report = format!(
        "the described Flight has {} problem{} that MotherDuck would reject or that would fail the run \
         (flight_check lists every finding):",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors {
        report.push_str("\n- ");
        report.push_str(&error.message);
    }
    Some(report)
}

/// Computes the run's environment and every finding. Never fails: problems
/// are findings, and the variables are still computed around them (an
/// unknown `secret_naming` resolves with `upper`). Hash lookups throughout and
/// one sort of the variables by name; the did-you-mean suggestion for an
/// unknown override key costs what `config::suggest_key` costs.
pub fn resolve(spec: &FlightSpec) -> Resolution<'_> {
    resolver(spec).finish(true)
}

/// [`resolve`] with the variables left in the order they were placed, for a
/// caller that does not read them at all (`flight_findings` of a row without
/// source): the same variables and findings, without the sort.
pub fn resolve_unsorted(spec: &FlightSpec) -> Resolution<'_> {
    resolver(spec).finish(false)
}

/// Every variable of `spec` placed, every finding about them made.
fn resolver(spec: &FlightSpec) -> Resolver<'_> {
    let mut r = Resolver::default();
    // One allocation for every variable: the token, the config keys, a secret's params (or its placeholder).
    let params: usize = spec.secrets.iter().flatten().map(|d| d.params.len().max(1)).sum();
    r.vars.reserve(1 + spec.config.as_ref().map_or(0, Vec::len) + params);
    let naming = match parse_naming(spec.secret_naming.as_deref()) {
        Ok(naming) => naming,
        Err(message) => {
            r.finding(FindingCode::UnknownSecretNaming, spec.secret_naming.clone().unwrap_or_default(), message);
            SecretNaming::Upper
        }
    };
    r.token(spec.access_token_name.as_deref());
    r.config(spec);
    r.secrets(spec, naming);
    r.findings.extend(crate::flight::advice::findings(spec));
    r
}

#[derive(Default)]
/// Builds a [`Resolution`]: the variables placed so far and the findings.
struct Resolver<'s> {
    vars: Vars<'s>,
    findings: Vec<Finding>,
}

impl<'s> Resolver<'s> {
    fn finding(&mut self, code: FindingCode, subject: impl Into<String>, message: impl Into<String>) {
        self.findings.push(Finding::new(code, subject, message));
    }

    fn token(&mut self, label: Option<&'s str>) {
        let note = match label {
            Some(_) => None,
            None => {
                self.finding(
                    FindingCode::DefaultToken,
                    "MOTHERDUCK_TOKEN",
                    "no access_token_name: the run uses the default 'MotherDuck Flights' token and acts as the \
                     Flight owner; scheduled Flights should run as a service account's token \
                     (access_token_name := '<label from md_access_tokens()>')",
                );
                Some("the default 'MotherDuck Flights' token: the run acts as the Flight owner".to_owned())
            }
        };
        let origin = Origin::Token { label: Cow::Borrowed(label.unwrap_or(DEFAULT_TOKEN_NAME)) };
        self.vars.put(EnvVar {
            name: Cow::Borrowed("MOTHERDUCK_TOKEN"),
            value: Some(Cow::Borrowed(REDACTED)),
            source: EnvSource::Token,
            origin,
            sensitive: true,
            note,
        });
    }

    /// The resolution, its variables sorted by name when `sorted`.
    fn finish(self, sorted: bool) -> Resolution<'s> {
        let vars = if sorted { self.vars.into_sorted() } else { self.vars.into_rows() };
        let mut findings = self.findings;
        findings.sort_by_key(|f| f.severity);
        Resolution { vars, findings }
    }
}
