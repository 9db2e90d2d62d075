//! `flight_env_preview(...)` and `flight_check(...)`: the environment a
//! Flight run gets, and every finding about the described Flight.
//! Rules: [`crate::flight::env`].

use crate::flight::{env, row};
use crate::sql::functions::motherduck_stored::described_flight;
use crate::sql::params::flight_named_parameters;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

/// `flight_env_preview`: one row per environment variable, ordered by name.
/// Raises one error listing every problem that would make the run fail.
pub struct FlightEnvPreview;

impl RowsFunction for FlightEnvPreview {
    const COLUMNS: &'static [Column] = &[
        ("name", &SqlType::Varchar),
        ("value", &SqlType::Varchar),
        ("source", &SqlType::Varchar),
        ("origin", &SqlType::Varchar),
        ("sensitive", &SqlType::Boolean),
        ("note", &SqlType::Varchar),
    ];

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        flight_named_parameters()
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = described_flight(args)?.0;
        let resolution = env::resolve(&flight);
        if let Some(report) = env::error_report(&resolution.findings) {
            return Err(report.into());
        }
        Ok(resolution
            .vars
            .into_iter()
            .map(|var| {
                vec![
                    var.name.into_owned().into(),
                    var.value.map(|v| v.into_owned()).into(),
                    var.source.as_str().into(),
                    var.origin.to_string().into(),
                    SqlValue::Bool(var.sensitive),
                    var.note.into(),
                ]
            })
            .collect())
    }
}

/// `flight_check`: every finding (errors, warnings, info) about the described
/// Flight (rules: [`crate::flight::row`]); never raises for its problems.
pub struct FlightCheck;

impl RowsFunction for FlightCheck {
    const COLUMNS: &'static [Column] = &[
        ("severity", &SqlType::Varchar),
        ("code", &SqlType::Varchar),
        ("subject", &SqlType::Varchar),
        ("message", &SqlType::Varchar),
    ];

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        flight_named_parameters()
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        Ok(row::findings(&described_flight(args)?.0)?
            .into_iter()
            .map(|f| vec![f.severity.as_str().into(), f.code.as_str().into(), f.subject.into(), f.message.into()])
            .collect())
    }
}
