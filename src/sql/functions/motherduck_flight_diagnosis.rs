//! `motherduck_flight_diagnosis(flight, run_number := NULL)`: why a run failed,
//! over MotherDuck: the run's log (the logs tool), the version it ran
//! (`get_flight` with `version`) and the current version. The run's findings
//! ([`crate::flight::run::run_findings`]) against the version it ran, plus
//! `run_stale_version` where the current version no longer has the cause.

use crate::flight::run::{run_findings, stale_findings, RunRecord, Version};
use crate::flight::source::scan_source;
use crate::flight::Finding;
use crate::motherduck::api::fetch_run_and_versions;
use crate::sql::motherduck_table::{OneFlight, OneFlightFunction};
use crate::sql::sandbox::Caller;
use crate::sql::table::Column;
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightDiagnosis;

/// A diagnosis's columns: the run, then one finding a row.
pub const DIAGNOSIS_COLUMNS: [Column; 6] = [
    ("run_number", &SqlType::BIGINT),
    ("flight_version", &SqlType::INTEGER),
    ("severity", &SqlType::Varchar),
    ("code", &SqlType::Varchar),
    ("subject", &SqlType::Varchar),
    ("message", &SqlType::Varchar),
];

impl OneFlightFunction for MotherDuckFlightDiagnosis {
    const NAME: &'static str = "motherduck_flight_diagnosis";
    const COLUMNS: &'static [Column] = &DIAGNOSIS_COLUMNS;
    const OPTIONS: &'static [(&'static str, SqlType)] = &[("run_number", SqlType::BIGINT)];

    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let d = diagnosis(call.caller(), &call.flight, call.option("run_number")?)?;
        Ok(d.cells().collect())
    }
}

/// The findings of one run, with the run they are about.
pub struct Diagnosis {
    pub run_number: Option<i64>,
    pub flight_version: Option<i64>,
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// `run_number, flight_version, severity, code, subject, message`, one row per finding.
    pub fn cells(self) -> impl Iterator<Item = Vec<SqlValue>> {
        let (run, version) = (self.run_number, self.flight_version);
        self.findings.into_iter().map(move |f| {
            vec![
                SqlValue::bigint(run),
                SqlValue::int(version),
                f.severity.as_str().into(),
                f.code.as_str().into(),
                f.subject.into(),
                f.message.into(),
            ]
        })
    }
}

/// Why run `run_number` (the newest when None) of `flight` failed: the run's findings against
/// the version it ran, plus `run_stale_version` where the current version no longer has the cause.
pub fn diagnosis(caller: Caller, flight: &str, run_number: Option<i64>) -> Result<Diagnosis, String> {
    let fetched = fetch_run_and_versions(caller, flight, run_number)?;
    let log = fetched.log;
    let run = RunRecord {
        status: log.status.clone(),
        exit_code: log.exit_code,
        logs: Some(log.logs.clone()),
        config: log.config.clone(),
        flight_version: log.flight_version,
    };
    let current = fetched.current.stored;
    // Without the version the run used, the current one stands in for it.
    let ran = fetched.ran.map_or_else(|| current.clone(), |f| f.stored);
    let scan = ran.flight.source_code.as_deref().map(scan_source);
    let called = scan.as_ref().map(|scan| scan.entry_point_missing().is_none());
    let mut findings = run_findings(&run, &ran.flight, scan.as_ref(), called);
    let stale = stale_findings(
        &findings,
        Version { number: ran.version, spec: &ran.flight },
        Version { number: current.version, spec: &current.flight },
    );
    findings.extend(stale);
    Ok(Diagnosis { run_number: log.run_number, flight_version: log.flight_version, findings })
}
