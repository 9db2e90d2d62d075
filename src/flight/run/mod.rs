//! What a run left behind: its log, read for the facts of its failure
//! ([`traceback`]), and the findings about why it failed ([`findings`]).
//! Pure; no DuckDB types.

pub mod findings;
pub mod traceback;

pub use findings::{bare_run_status, redact_literals, run_findings, RunRecord};
pub use traceback::{read_log, Chained, Exception, Frame, KeyErrorFact, LogFacts};

#[cfg(test)]
mod tests;
