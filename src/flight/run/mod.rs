//! What a run left behind: its log, read for the facts of its failure
//! ([`traceback`]). Pure; no DuckDB types.

pub mod traceback;

pub use traceback::{read_log, Chained, Exception, Frame, KeyErrorFact, LogFacts};

#[cfg(test)]
mod tests;
