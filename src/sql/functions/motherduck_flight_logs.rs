//! `motherduck_flight_logs(flight, run_number := NULL, max_bytes := NULL)`: one run's
//! log, one row per line (MotherDuck's logs tool; client: [`crate::motherduck::tools::logs`]).

use super::motherduck_flight::{flight_argument, int_cell};
use crate::motherduck::api::fetch_run_log;
use crate::sql::params::opt_int;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightLogs;

impl RowsFunction for MotherDuckFlightLogs {
    const COLUMNS: &'static [Column] = &[
        ("run_number", &SqlType::BIGINT),
        ("status", &SqlType::Varchar),
        ("exit_code", &SqlType::INTEGER),
        ("flight_version", &SqlType::INTEGER),
        ("truncated", &SqlType::Boolean),
        ("line_number", &SqlType::BIGINT),
        ("line", &SqlType::Varchar),
    ];

    const NETWORK: bool = true;

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("run_number", SqlType::BIGINT), ("max_bytes", SqlType::BIGINT)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = flight_argument("motherduck_flight_logs", args)?;
        let run_number = opt_int("run_number", args.named("run_number"))?;
        let max_bytes = opt_int("max_bytes", args.named("max_bytes"))?;
        let log = fetch_run_log(args.caller("motherduck_flight_logs"), &flight, run_number, max_bytes)?;
        let run = [
            SqlValue::bigint(log.run_number),
            log.status.clone().into(),
            int_cell(log.exit_code),
            int_cell(log.flight_version),
            SqlValue::from(log.truncated),
        ];
        Ok(log
            .lines()
            .map(|(n, line)| {
                let mut row = run.to_vec();
                row.extend([SqlValue::BigInt(n), line.into()]);
                row
            })
            .collect())
    }
}
