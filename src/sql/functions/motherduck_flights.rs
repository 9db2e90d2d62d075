//! `motherduck_flights(keywords := NULL)`: every Flight the token's user owns
//! (`list_flights` lists only the caller's own Flights, even for an admin),
//! each with its current definition (`list_flights`, then `get_flight` for
//! each on a small pool of threads).

use crate::motherduck::api::fetch_all;
use crate::sql::motherduck_table::{stored_row, FLIGHT_FACTS, RUNTIME_FIELDS, VERSION_FIELDS};
use crate::sql::params::opt_text;
use crate::sql::table::{columns, Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlights;

impl RowsFunction for MotherDuckFlights {
    const COLUMNS: &'static [Column] = &columns::<14>(&[
        &[("flight_id", &SqlType::Varchar), ("flight_name", &SqlType::Varchar), ("schedule_cron", &SqlType::Varchar)],
        &[FLIGHT_FACTS[0], FLIGHT_FACTS[1]],
        &VERSION_FIELDS,
        &[FLIGHT_FACTS[2], FLIGHT_FACTS[3]],
        &RUNTIME_FIELDS,
    ]);
    const NETWORK: bool = true;

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("keywords", SqlType::Varchar)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let keywords = opt_text("keywords", args.named("keywords"))?;
        Ok(fetch_all(args.caller("motherduck_flights"), keywords.as_deref())?
            .into_iter()
            .map(|f| stored_row(&f.stored, Self::COLUMNS))
            .collect())
    }
}
