//! `motherduck_flight_runs(flight, limit := 100)`: one row per run, newest
//! first (`list_flight_runs`), status spelled as `MD_LIST_FLIGHT_RUNS` does.

use super::motherduck_flight::{flight_argument, int_cell, limit_argument, time_cell};
use crate::motherduck::api::fetch_runs;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightRuns;

impl RowsFunction for MotherDuckFlightRuns {
    const COLUMNS: &'static [Column] = &[
        ("run_id", &SqlType::Varchar),
        ("run_number", &SqlType::BIGINT),
        ("flight_version", &SqlType::INTEGER),
        ("status", &SqlType::Varchar),
        ("is_scheduled", &SqlType::Boolean),
        ("config", &SqlType::CONFIG_MAP),
        ("created_at", &SqlType::TimestampTz),
        ("started_at", &SqlType::TimestampTz),
        ("ended_at", &SqlType::TimestampTz),
        ("exit_code", &SqlType::INTEGER),
    ];

    const NETWORK: bool = true;

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("limit", SqlType::INTEGER)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = flight_argument("motherduck_flight_runs", args)?;
        let runs = fetch_runs(args.caller("motherduck_flight_runs"), &flight, limit_argument(args)?)?;
        Ok(runs
            .into_iter()
            .map(|r| {
                vec![
                    r.run_id.into(),
                    SqlValue::bigint(r.run_number),
                    int_cell(r.flight_version),
                    r.status.into(),
                    SqlValue::from(r.is_scheduled),
                    r.config.map_or(SqlValue::Null, SqlValue::config_map),
                    time_cell(r.created_at),
                    time_cell(r.started_at),
                    time_cell(r.ended_at),
                    int_cell(r.exit_code),
                ]
            })
            .collect())
    }
}
