//! `motherduck_flight_runs(flight, limit := 100)`: one row per run, newest
//! first (`list_flight_runs`), status spelled as `MD_LIST_FLIGHT_RUNS` does.

use crate::motherduck::api::fetch_runs;
use crate::sql::motherduck_table::{OneFlight, OneFlightFunction};
use crate::sql::table::Column;
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightRuns;

impl OneFlightFunction for MotherDuckFlightRuns {
    const NAME: &'static str = "motherduck_flight_runs";
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
    const OPTIONS: &'static [(&'static str, SqlType)] = &[("limit", SqlType::INTEGER)];

    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let runs = fetch_runs(call.caller(), &call.flight, call.limit()?)?;
        Ok(runs
            .into_iter()
            .map(|r| {
                vec![
                    r.run_id.into(),
                    SqlValue::bigint(r.run_number),
                    SqlValue::int(r.flight_version),
                    r.status.into(),
                    r.is_scheduled.into(),
                    r.config.map_or(SqlValue::Null, SqlValue::config_map),
                    SqlValue::timestamp(r.created_at),
                    SqlValue::timestamp(r.started_at),
                    SqlValue::timestamp(r.ended_at),
                    SqlValue::int(r.exit_code),
                ]
            })
            .collect())
    }
}
