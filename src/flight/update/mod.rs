//! What an update (`MD_UPDATE_FLIGHT`) does to a Flight's runs, before it is
//! sent: which reads of the source it breaks, which config keys and secrets it
//! drops, which new problems it brings (`flight_update_findings`), and which
//! variables of the run it adds, removes or changes (`flight_update_preview`).
//!
//! The Flight after the update is [`FlightUpdate::apply`]'s (the one replace
//! rule, in `model`); both sides are resolved with [`env::resolve`] and held
//! against the source with `source::check_source`, so an update finding means
//! exactly what `flight_findings` would say of the updated Flight, minus what
//! the current Flight already has.
//!
//! One file per job: this file (the check, both sides resolved once),
//! `findings` (the update's findings), `preview` (the changed variables).
//! Pure: no DuckDB types; a finding never holds a secret value.

mod findings;
mod preview;
#[cfg(test)]
mod tests;

pub use preview::{VarChange, VarChangeKind};

use super::env::{self, Resolution};
use super::source::{scan_source, SourceScan};
use super::{Error, Finding, FlightSpec, FlightUpdate};

/// One Flight and one update, both sides resolved.
#[derive(Debug)]
pub struct UpdateCheck<'s> {
    /// The run of the Flight as it is.
    pub before: Resolution<'static>,
    /// The run of the Flight after the update.
    pub after: Resolution<'static>,
    /// What the update introduces, errors first (empty for an empty update).
    pub findings: Vec<Finding>,
    /// The scan of the source the updated Flight runs.
    after_scan: Option<&'s SourceScan>,
}

/// Checks `update` against `flight`. `before_scan` is the scan of the
/// Flight's source, `after_scan` the scan of the source after the update
/// (the same scan when the update leaves `source_code` out); the caller scans
/// (`source::scan_source`, or a cache), so that shared sources are scanned once.
/// `Err` only for the Flight's `duckdb_window` that is not a PEP 440 specifier.
pub fn check_update<'s>(
    flight: &FlightSpec,
    before_scan: Option<&SourceScan>,
    update: &FlightUpdate,
    after_scan: Option<&'s SourceScan>,
) -> Result<UpdateCheck<'s>, Error> {
    let updated = update.apply(flight);
    let before = env::resolve(flight).into_owned();
    let after = env::resolve(&updated).into_owned();
    let findings = if update.is_empty() {
        Vec::new()
    } else {
        findings::update_findings(&findings::Sides {
            flight,
            updated: &updated,
            update,
            before: &before,
            after: &after,
            before_scan,
            after_scan,
        })?
    };
    Ok(UpdateCheck { before, after, findings, after_scan })
}

/// The scans of both sides, by `scan` (`source::scan_source`, or a cache's):
/// the Flight's `source`, and the source after `update` (the same scan when
/// the update leaves `source_code` out, not scanned twice).
pub fn scan_sides<S: Clone>(
    source: Option<&str>,
    update: &FlightUpdate,
    scan: impl Fn(&str) -> S,
) -> (Option<S>, Option<S>) {
    let before = source.map(&scan);
    let after = match &update.source_code {
        Some(code) => Some(scan(code)),
        None => before.clone(),
    };
    (before, after)
}

/// The findings of `update` on `flight` whose source is `source` (scanned here).
pub fn update_findings(
    flight: &FlightSpec,
    source: Option<&str>,
    update: &FlightUpdate,
) -> Result<Vec<Finding>, Error> {
    let (before_scan, after_scan) = scan_sides(source, update, scan_source);
    check_update(flight, before_scan.as_ref(), update, after_scan.as_ref()).map(|check| check.findings)
}
