//! `motherduck_flight_logs(flight, run_number := NULL, max_bytes := NULL)`: one run's
//! log, one row per line (MotherDuck's logs tool; client: [`crate::motherduck::tools::logs`]).

use crate::motherduck::api::fetch_run_log;
use crate::sql::motherduck_table::{OneFlight, OneFlightFunction};
use crate::sql::table::Column;
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightLogs;

impl OneFlightFunction for MotherDuckFlightLogs {
    const NAME: &'static str = "motherduck_flight_logs";
    const COLUMNS: &'static [Column] = &[
        ("run_number", &SqlType::BIGINT),
        ("status", &SqlType::Varchar),
        ("exit_code", &SqlType::INTEGER),
        ("flight_version", &SqlType::INTEGER),
        ("truncated", &SqlType::Boolean),
        ("line_number", &SqlType::BIGINT),
        ("line", &SqlType::Varchar),
    ];
    const OPTIONS: &'static [(&'static str, SqlType)] =
        &[("run_number", SqlType::BIGINT), ("max_bytes", SqlType::BIGINT)];

    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let (run_number, max_bytes) = (call.option("run_number")?, call.option("max_bytes")?);
        let log = fetch_run_log(call.caller(), &call.flight, run_number, max_bytes)?;
        let run = [
            SqlValue::bigint(log.run_number),
            log.status.clone().into(),
            SqlValue::int(log.exit_code),
            SqlValue::int(log.flight_version),
            log.truncated.into(),
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
