//! `motherduck_flight_versions(flight, limit := 100)`: one row per stored
//! version, newest first (`list_flight_versions`).

use crate::motherduck::api::fetch_versions;
use crate::sql::motherduck_table::{flight_row, OneFlight, OneFlightFunction, RUNTIME_FIELDS, VERSION_FIELDS};
use crate::sql::table::{columns, Column};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlightVersions;

impl OneFlightFunction for MotherDuckFlightVersions {
    const NAME: &'static str = "motherduck_flight_versions";
    const COLUMNS: &'static [Column] = &columns::<9>(&[
        &[("version", &SqlType::INTEGER)],
        &VERSION_FIELDS,
        &[("created_at", &SqlType::TimestampTz)],
        &RUNTIME_FIELDS,
    ]);
    const OPTIONS: &'static [(&'static str, SqlType)] = &[("limit", SqlType::INTEGER)];

    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let versions = fetch_versions(call.caller(), &call.flight, call.limit()?)?;
        Ok(versions
            .iter()
            .map(|v| {
                flight_row(Self::COLUMNS, &v.flight, |column| match column {
                    "version" => Some(SqlValue::int(Some(v.version))),
                    "created_at" => Some(SqlValue::timestamp(v.created_at)),
                    _ => None,
                })
            })
            .collect())
    }
}
