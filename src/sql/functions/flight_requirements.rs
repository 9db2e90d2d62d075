//! `flight_requirements(requirements_txt [, duckdb_window := ...])`: one row
//! per requirement of a Flight's `requirements_txt`, as pip reads it, with the
//! most severe problem of each. Rules: [`crate::flight::requirements`].
//!
//! `imported_as` (the source's modules each requirement provides) is NULL in
//! this form: it needs the source's imports (`requirements::imported_as`),
//! which the two-argument form will pass from the source scan.

use crate::flight::requirements::{entry_problems, read_requirements};
use crate::sql::params::opt_text;
use crate::sql::table::{Args, Cell, ColumnType, RowsFunction};
use crate::sql::types;
use duckdb::core::LogicalTypeHandle;
use std::error::Error;

/// `flight_requirements`: one row per logical line that is not blank or a comment.
pub struct FlightRequirements;

impl RowsFunction for FlightRequirements {
    const COLUMNS: &'static [(&'static str, ColumnType)] = &[
        ("line", ColumnType::Int),
        ("name", ColumnType::Text),
        ("extras", ColumnType::TextList),
        ("specifier", ColumnType::Text),
        ("url", ColumnType::Text),
        ("marker", ColumnType::Text),
        ("pinned_version", ColumnType::Text),
        ("problem", ColumnType::Text),
        ("message", ColumnType::Text),
        ("imported_as", ColumnType::TextList),
    ];

    fn parameters() -> Vec<LogicalTypeHandle> {
        vec![types::varchar()]
    }

    fn named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
        vec![("duckdb_window", types::varchar())]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>> {
        let window = opt_text("duckdb_window", args.named("duckdb_window"))?;
        // NULL requirements: no rows (a Flight without requirements_txt), after the window is checked.
        let text = opt_text("requirements_txt", args.positional(0))?;
        let reqs = read_requirements(text.as_deref().unwrap_or(""));
        let problems = entry_problems(&reqs, &[], window.as_deref())?;
        Ok(reqs
            .entries
            .into_iter()
            .zip(problems)
            .map(|(e, problem)| {
                vec![
                    Cell::Int(i32::try_from(e.line).unwrap_or(i32::MAX)),
                    e.name.into(),
                    Cell::TextList(e.extras),
                    e.specifier.into(),
                    e.url.into(),
                    e.marker.into(),
                    e.pinned_version.into(),
                    problem.as_ref().map(|f| f.code.as_str()).into(),
                    problem.map(|f| f.message).into(),
                    Cell::Null,
                ]
            })
            .collect())
    }
}
