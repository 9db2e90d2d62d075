//! What a run left behind: its log, read for the facts of its failure
//! ([`traceback`]), and the findings about why it failed ([`findings`]).
//! Pure; no DuckDB types.

pub mod findings;
pub mod traceback;

use super::FindingCode;

/// The codes [`run_findings`] raises (about a run, not a described Flight).
pub const RUN_CODES: [FindingCode; 6] = [
    FindingCode::RunModuleNotFound,
    FindingCode::RunKeyError,
    FindingCode::RunKilled,
    FindingCode::RunExitNonzero,
    FindingCode::RunException,
    FindingCode::RunSucceededWithoutWork,
];

pub use findings::{bare_run_status, redact_literals, run_findings, RunRecord};
pub use traceback::{read_log, Chained, Exception, Frame, KeyErrorFact, LogFacts};

#[cfg(test)]
mod tests;
