//! `flight_run_findings(run, flight)`: why a run failed, from its status,
//! exit code and log, held against the Flight version it ran (a row read as
//! `flight_findings` reads one). Needs no network. Rule:
//! [`crate::flight::run::run_findings`]. A NULL run (or Flight row) gives NULL.
//!
//! Sources are scanned once per distinct text, in the function's own
//! [`ScanCache`] (as `flight_findings` does).

use crate::flight::run::run_findings;
use crate::flight::source::ScanCache;
use crate::sql::findings::{write_findings, FINDING_FIELDS};
use crate::sql::row::FlightColumn;
use crate::sql::run_row::RunColumn;
use crate::sql::types::{signature, SqlType};
use crate::sql::vector::ListOutput;
use duckdb::core::DataChunkHandle;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

const NAME: &str = "flight_run_findings";

/// `flight_run_findings(run, flight)`: `STRUCT(severity, code, subject, message)[]`.
pub struct FlightRunFindings;

impl VScalar for FlightRunFindings {
    type State = ScanCache;

    fn invoke(
        scans: &ScanCache,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let rows = input.len();
        let mut out = ListOutput::with_rows(rows);
        let runs = RunColumn::of_chunk_column(NAME, input, 0)?;
        let flights = FlightColumn::of_chunk_column(NAME, input, 1)?;
        for row in 0..rows {
            let run = runs.as_ref().and_then(|r| r.get(row));
            let Some(run) = run.filter(|_| !flights.is_null(row)) else {
                out.push_null();
                continue;
            };
            let scan = flights.source_code(row).map(|code| scans.scan(code));
            // The entry-point rule: whether the source's module level runs one of its functions.
            let called = scan.as_deref().map(|scan| scan.entry_point_missing().is_none());
            out.push_row(run_findings(&run, &flights.spec(row)?, scan.as_deref(), called));
        }
        write_findings(&out, output);
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let fields = FINDING_FIELDS.map(|name| (name, SqlType::Varchar));
        let finding = SqlType::struct_of(&fields);
        vec![signature(vec![SqlType::Any, SqlType::Any], SqlType::list(finding))]
    }
}
