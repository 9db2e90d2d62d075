//! `flight_requirements(requirements_txt [, source_code := ...] [, duckdb_window := ...])`:
//! one row per requirement of a Flight's `requirements_txt`, as pip reads it,
//! with the most severe problem of each. Rules: [`crate::flight::requirements`].
//!
//! With a source (`source_code :=`, not NULL), `imported_as` lists the
//! source's modules each requirement provides (`requirements::imported_as`
//! over the source scan's imports), and the duckdb rule knows whether the
//! source imports duckdb; without one (absent or NULL), `imported_as` is NULL.
//! The source is a named parameter, not a second positional one: DuckDB's C
//! API registers one signature per table function name (a second registration
//! of `flight_requirements` with two VARCHARs was silently ignored, tried on
//! 1.5 and 2.0), so an optional positional argument cannot be declared.

use crate::flight::requirements::{entry_problems, imported_as, read_requirements};
use crate::flight::row::imported_names;
use crate::flight::source::scan_source;
use crate::sql::params::opt_text;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

/// `flight_requirements`: one row per logical line that is not blank or a comment.
pub struct FlightRequirements;

impl RowsFunction for FlightRequirements {
    const COLUMNS: &'static [Column] = &[
        ("line", &SqlType::INTEGER),
        ("name", &SqlType::Varchar),
        ("extras", &SqlType::TEXT_LIST),
        ("specifier", &SqlType::Varchar),
        ("url", &SqlType::Varchar),
        ("marker", &SqlType::Varchar),
        ("pinned_version", &SqlType::Varchar),
        ("problem", &SqlType::Varchar),
        ("message", &SqlType::Varchar),
        ("imported_as", &SqlType::TEXT_LIST),
    ];

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("source_code", SqlType::Varchar), ("duckdb_window", SqlType::Varchar)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let window = opt_text("duckdb_window", args.named("duckdb_window"))?;
        // NULL requirements: no rows (a Flight without requirements_txt), after the window is checked.
        let text = opt_text("requirements_txt", args.positional(0))?;
        let source = opt_text("source_code", args.named("source_code"))?;
        let scan = source.as_deref().map(scan_source);
        let imports = imported_names(scan.as_ref());
        let reqs = read_requirements(text.as_deref().unwrap_or(""));
        let problems = entry_problems(&reqs, &imports, window.as_deref())?;
        let mut provided = scan.is_some().then(|| imported_as(&reqs, &imports).into_iter());
        Ok(reqs
            .entries
            .into_iter()
            .zip(problems)
            .map(|(e, problem)| {
                let modules = provided.as_mut().and_then(Iterator::next).map_or(SqlValue::Null, SqlValue::text_list);
                vec![
                    SqlValue::Int(i32::try_from(e.line).unwrap_or(i32::MAX)),
                    e.name.into(),
                    SqlValue::text_list(e.extras),
                    e.specifier.into(),
                    e.url.into(),
                    e.marker.into(),
                    e.pinned_version.into(),
                    problem.as_ref().map(|f| f.code.as_str()).into(),
                    problem.map(|f| f.message).into(),
                    modules,
                ]
            })
            .collect())
    }
}
