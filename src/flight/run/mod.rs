//! What a run left behind: its log, read for the facts of its failure
//! ([`traceback`]), the findings about why it failed ([`findings`]), and whether
//! the Flight's current version no longer has the cause ([`stale`]).
//! Pure; no DuckDB types.

pub mod findings;
pub mod stale;
pub mod traceback;

use super::FindingCode;

/// The codes about a run (not a described Flight): [`run_findings`]'s and [`stale_findings`]'.
pub const RUN_CODES: [FindingCode; 7] = [
    FindingCode::RunModuleNotFound,
    FindingCode::RunKeyError,
    FindingCode::RunKilled,
    FindingCode::RunExitNonzero,
    FindingCode::RunException,
    FindingCode::RunSucceededWithoutWork,
    FindingCode::RunStaleVersion,
];

pub use findings::{bare_run_status, redact_literals, run_findings, RunRecord};
pub use stale::{stale_findings, Version};
pub use traceback::{read_log, Chained, Exception, Frame, KeyErrorFact, LogFacts};

#[cfg(test)]
mod tests;
