//! `motherduck_fleet_diagnosis(keywords := NULL, "limit" := 20)`: the fleet
//! view of failed runs: for every Flight the token's user owns
//! (`motherduck_flights`), its newest failed run among its newest `limit`
//! runs (`motherduck_flight_runs`), diagnosed as `motherduck_flight_diagnosis`
//! diagnoses it.
//!
//! A table function of its own because DuckDB's table functions take constant
//! arguments only: `motherduck_flight_diagnosis(f.flight_id)` over the rows of
//! `motherduck_flights() f` is refused ("does not support lateral join column
//! parameters"), and DuckDB's C API has no in-out table functions.

use super::motherduck_flight_diagnosis::{diagnosis, DIAGNOSIS_COLUMNS};
use crate::motherduck::api::{fetch_all, fetch_runs};
use crate::sql::motherduck_table::limit_argument_or;
use crate::sql::params::opt_text;
use crate::sql::table::{columns, Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

const NAME: &str = "motherduck_fleet_diagnosis";

pub struct MotherDuckFleetDiagnosis;

impl RowsFunction for MotherDuckFleetDiagnosis {
    const COLUMNS: &'static [Column] =
        &columns::<8>(&[&[("flight_id", &SqlType::Varchar), ("flight_name", &SqlType::Varchar)], &DIAGNOSIS_COLUMNS]);

    const NETWORK: bool = true;

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("keywords", SqlType::Varchar), ("limit", SqlType::INTEGER)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let keywords = opt_text("keywords", args.named("keywords"))?;
        let limit = limit_argument_or(args, 20)?;
        let mut rows = Vec::new();
        for fetched in fetch_all(args.caller(NAME), keywords.as_deref())? {
            let flight = fetched.stored;
            let runs = fetch_runs(args.caller(NAME), &flight.id, limit)?;
            // Newest first: the first failed one.
            let Some(failed) = runs.iter().find(|run| is_failed(run.status.as_deref())) else { continue };
            let found = diagnosis(args.caller(NAME), &flight.id, failed.run_number)?;
            for cells in found.cells() {
                let mut row: Vec<SqlValue> = vec![flight.id.as_str().into(), flight.name.as_deref().into()];
                row.extend(cells);
                rows.push(row);
            }
        }
        Ok(rows)
    }
}

/// Whether a run's status is FAILED (with or without MotherDuck's `RUN_STATUS_` prefix).
fn is_failed(status: Option<&str>) -> bool {
    status.is_some_and(|s| {
        let s = s.trim();
        let bare = s.get(..11).filter(|p| p.eq_ignore_ascii_case("RUN_STATUS_")).map_or(s, |_| &s[11..]);
        bare.eq_ignore_ascii_case("FAILED")
    })
}

#[cfg(test)]
mod tests {
    use super::is_failed;

    #[test]
    fn failed_with_or_without_the_prefix() {
        assert!(is_failed(Some("RUN_STATUS_FAILED")) && is_failed(Some("FAILED")) && is_failed(Some("failed")));
        assert!(!is_failed(Some("RUN_STATUS_SUCCEEDED")) && !is_failed(None) && !is_failed(Some("RUN_STATUS_")));
    }
}
