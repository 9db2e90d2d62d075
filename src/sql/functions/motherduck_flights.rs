//! `motherduck_flights(keywords := NULL)`: every Flight the token's user owns
//! (`list_flights` lists only the caller's own Flights, even for an admin),
//! each with its current definition (`list_flights`, then `get_flight` for
//! each on a small pool of threads).

use super::motherduck_flight::stored_row;
use crate::motherduck::api::fetch_all;
use crate::sql::params::opt_text;
use crate::sql::table::{Args, Cell, ColumnType, RowsFunction};
use crate::sql::types::varchar;
use duckdb::core::LogicalTypeHandle;
use std::error::Error;

pub struct MotherDuckFlights;

impl RowsFunction for MotherDuckFlights {
    const COLUMNS: &'static [(&'static str, ColumnType)] = &[
        ("flight_id", ColumnType::Text),
        ("flight_name", ColumnType::Text),
        ("schedule_cron", ColumnType::Text),
        ("status", ColumnType::Text),
        ("current_version", ColumnType::Int),
        ("access_token_name", ColumnType::Text),
        ("flight_secret_names", ColumnType::TextList),
        ("config", ColumnType::Map),
        ("source_code", ColumnType::Text),
        ("requirements_txt", ColumnType::Text),
        ("created_at", ColumnType::TimestampTz),
        ("updated_at", ColumnType::TimestampTz),
        ("max_runtime_sec", ColumnType::Int),
        ("instance_type", ColumnType::Text),
    ];
    const NETWORK: bool = true;

    fn named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
        vec![("keywords", varchar())]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>> {
        let keywords = opt_text("keywords", args.named("keywords"))?;
        Ok(fetch_all(args.caller("motherduck_flights"), keywords.as_deref())?
            .into_iter()
            .map(|f| stored_row(&f.stored, Self::COLUMNS))
            .collect())
    }
}
