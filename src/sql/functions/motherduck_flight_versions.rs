//! `motherduck_flight_versions(flight, limit := 100)`: one row per stored
//! version, newest first (`list_flight_versions`).

use super::motherduck_flight::{
    field_cell, flight_argument, int_cell, limit_argument, time_cell, RUNTIME_FIELDS, VERSION_FIELDS,
};
use crate::motherduck::api::fetch_versions;
use crate::sql::table::{columns, Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightVersions;

impl RowsFunction for MotherDuckFlightVersions {
    const COLUMNS: &'static [Column] = &columns::<9>(&[
        &[("version", &SqlType::INTEGER)],
        &VERSION_FIELDS,
        &[("created_at", &SqlType::TimestampTz)],
        &RUNTIME_FIELDS,
    ]);
    const NETWORK: bool = true;

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("limit", SqlType::INTEGER)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = flight_argument("motherduck_flight_versions", args)?;
        let versions = fetch_versions(args.caller("motherduck_flight_versions"), &flight, limit_argument(args)?)?;
        Ok(versions
            .into_iter()
            .map(|v| {
                Self::COLUMNS
                    .iter()
                    .map(|(column, _)| match *column {
                        "version" => int_cell(Some(v.version)),
                        "created_at" => time_cell(v.created_at),
                        field => field_cell(&v.flight, field).unwrap_or(SqlValue::Null),
                    })
                    .collect()
            })
            .collect())
    }
}
