//! One run's log: MotherDuck's logs tool, its two names and its two
//! documented output shapes (pure, unit-tested against the fixtures
//! `test/fixtures/mcp/get_flight_run_logs*.json`).
//!
//! Pages followed:
//! - older: <https://motherduck.com/docs/sql-reference/mcp/get-flight-run-logs/> (read in full):
//!   `run{flight_id, run_number, flight_version, status, exit_code, created_at, started_at,
//!   completed_at}`, `logs`, `truncated`, `success`, `error`;
//! - newer: <https://motherduck.com/docs/sql-reference/mcp/flights/get-flight-run-logs/>: adds
//!   `flight_id` and `run_number` at the top and a fuller `run` (`run_id`, `flight_name`,
//!   `config`, `is_scheduled`, ...). The copy read is cut after `is_scheduled`: `status` and
//!   `exit_code` inside that `run`, and `truncated` at the top, are NOT documented for this shape;
//!   they are read when present and NULL when absent.
//!
//! The tool's name: the docs title it `get_flight_run_logs`; MotherDuck's agent-skills guide and
//! the newer `view_flight_run` page call it `get_flight_logs`. The client tries the name that
//! last worked for the endpoint (first `get_flight_run_logs`) and, when the server answers that it
//! has no tool of that name (JSON-RPC -32602, [`crate::motherduck::mcp::jsonrpc::is_unknown_tool`]), the other once.

use super::flights::Obj;
pub use crate::flight::run::bare_run_status;
use crate::flight::ConfigMap;
use crate::motherduck::{Error, ErrorKind};
use serde_json::Value;
use std::sync::Mutex;

/// The names of the logs tool, in the order tried when nothing worked yet.
pub const LOGS_TOOLS: [&str; 2] = ["get_flight_run_logs", "get_flight_logs"];

/// MotherDuck's minimum `max_bytes` (both pages).
pub const MIN_MAX_BYTES: i64 = 1024;

/// One run's log and what the tool says of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLog {
    pub run_number: Option<i64>,
    pub flight_version: Option<i64>,
    /// As the tool gives it, without a `RUN_STATUS_` prefix: `FAILED`, ...
    pub status: Option<String>,
    pub exit_code: Option<i64>,
    /// The run's effective config (the newer shape only).
    pub config: Option<ConfigMap>,
    /// stdout and stderr, interleaved; empty when the tool gave none.
    pub logs: String,
    /// Whether `max_bytes` cut the head (NULL when the reply does not say).
    pub truncated: Option<bool>,
}

impl RunLog {
    /// The log's lines, numbered from 1; a trailing newline ends the last line and makes no empty line.
    pub fn lines(&self) -> impl Iterator<Item = (i64, &str)> {
        self.logs.lines().zip(1..).map(|(line, n)| (n, line))
    }
}

/// Checks a `max_bytes :=` argument against MotherDuck's minimum.
pub fn check_max_bytes(max_bytes: i64) -> Result<i64, Error> {
    if max_bytes >= MIN_MAX_BYTES {
        Ok(max_bytes)
    } else {
        Err(Error::new(
            ErrorKind::BadArgument,
            format!(
                "max_bytes must be at least {MIN_MAX_BYTES} (MotherDuck's minimum for a run's log); got {max_bytes}: \
                 pass NULL for the whole log"
            ),
        ))
    }
}

/// Reads a logs tool result in either documented shape (after `check_success`).
pub fn parse_run_log(result: &Value) -> Result<RunLog, Error> {
    let top = Obj::of(result, "")?;
    let run = Obj::of(top.get("run")?, "run")?;
    // The newer page's top-level fields, or its fuller run record, mark the newer shape.
    let newer = ["flight_id", "run_number"].iter().any(|f| top.map.contains_key(*f)) || run.map.contains_key("run_id");
    let (status, exit_code, truncated) = if newer {
        (run.newer_text("status")?, run.newer_int("exit_code")?, top.newer_bool("truncated")?)
    } else {
        (run.text("status")?, run.int("exit_code")?, top.bool("truncated")?)
    };
    let logs = match top.get("logs")? {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => return Err(top.wrong("logs", other, "a string")),
    };
    Ok(RunLog {
        run_number: run.int("run_number")?,
        flight_version: run.int("flight_version")?,
        status: status.map(|s| bare_run_status(&s).to_owned()),
        exit_code,
        config: if newer && run.map.contains_key("config") { run.config("config")? } else { None },
        logs,
        truncated,
    })
}

/// The logs tool's name that last worked, per endpoint origin, for this process.
static WORKED: Mutex<Vec<(String, &'static str)>> = Mutex::new(Vec::new());

/// The names to try for `origin`, the one that last worked first.
pub fn names_to_try(origin: &str) -> [&'static str; 2] {
    let worked = WORKED.lock().unwrap_or_else(|p| p.into_inner());
    match worked.iter().find(|(o, _)| o == origin) {
        Some((_, name)) if *name == LOGS_TOOLS[1] => [LOGS_TOOLS[1], LOGS_TOOLS[0]],
        _ => LOGS_TOOLS,
    }
}

/// Remembers that `name` worked for `origin`.
pub fn remember(origin: &str, name: &'static str) {
    let mut worked = WORKED.lock().unwrap_or_else(|p| p.into_inner());
    worked.retain(|(o, _)| o != origin);
    worked.push((origin.to_owned(), name));
}

#[cfg(test)]
mod tests;
