//! `motherduck_flight(flight, version :=)`: a Flight's stored definition,
//! fetched from MotherDuck's MCP server (`get_flight`). Client: [`crate::motherduck`].
//! Shared with the other `motherduck_*` functions: [`crate::sql::motherduck_table`].

use crate::motherduck::api::fetch_flight;
use crate::sql::motherduck_table::{
    stored_row, OneFlight, OneFlightFunction, FLIGHT_FACTS, RUNTIME_FIELDS, VERSION_FIELDS,
};
use crate::sql::table::{columns, Column};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlight;

impl OneFlightFunction for MotherDuckFlight {
    const NAME: &'static str = "motherduck_flight";
    const COLUMNS: &'static [Column] = &columns::<15>(&[
        &[("flight_id", &SqlType::Varchar), ("flight_name", &SqlType::Varchar), ("version", &SqlType::INTEGER)],
        &VERSION_FIELDS,
        &[("schedule_cron", &SqlType::Varchar)],
        &FLIGHT_FACTS,
        &RUNTIME_FIELDS,
    ]);
    const OPTIONS: &'static [(&'static str, SqlType)] = &[("version", SqlType::INTEGER)];

    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let f = fetch_flight(call.caller(), &call.flight, call.option("version")?)?;
        Ok(vec![stored_row(&f.stored, Self::COLUMNS)])
    }
}
