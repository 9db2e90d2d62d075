//! `flight_source_check(source_code, ...)` and `flight_source_env_reads(source_code)`:
//! a Flight's Python source held against the environment its run gets.
//! Rules: [`crate::flight::source`] and [`crate::flight::env`].

use crate::flight::{env, source};
use crate::sql::functions::motherduck_stored::described_flight;
use crate::sql::params::{flight_named_parameters, opt_text};
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::{signature, SqlType};
use crate::sql::value::SqlValue;
use crate::sql::vector::{write_int, write_opt_text, ListOutput, TextColumn};
use duckdb::core::{DataChunkHandle, Inserter};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;

/// `flight_source_check`: one row per read, unused variable, credential literal
/// and syntax error, ordered by line then name.
pub struct FlightSourceCheck;

impl RowsFunction for FlightSourceCheck {
    const COLUMNS: &'static [Column] = &[
        ("name", &SqlType::Varchar),
        ("line", &SqlType::INTEGER),
        ("access", &SqlType::Varchar),
        ("provided_by", &SqlType::Varchar),
        ("status", &SqlType::Varchar),
        ("message", &SqlType::Varchar),
    ];

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    /// The Flight's parameters but `source_code`: the source is the first argument here.
    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        flight_named_parameters().into_iter().filter(|(name, _)| *name != "source_code").collect()
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let (spec, fetched) = described_flight(args)?;
        let code =
            opt_text("source_code", args.positional(0))?.or_else(|| fetched.and_then(|f| f.flight.source_code)).ok_or(
                "flight_source_check needs the Flight's Python source as its first argument; got NULL \
                 (pass the source_code column of MD_GET_FLIGHT_VERSION, or flight := to fetch it)",
            )?;
        // A bad option is the call's mistake, not the Flight's: refuse it.
        env::parse_naming(spec.secret_naming.as_deref())?;
        let resolution = env::resolve(&spec);
        let rows = source::check_source(&source::scan_source(&code), &resolution.vars);
        Ok(rows
            .into_iter()
            .map(|row| {
                vec![
                    row.name.into(),
                    row.line.map_or(SqlValue::Null, |l| SqlValue::Int(i32::try_from(l).unwrap_or(i32::MAX))),
                    row.access.map(source::Access::as_str).into(),
                    row.provided_by.map(|s| s.as_str()).into(),
                    row.status.as_str().into(),
                    row.message.into(),
                ]
            })
            .collect())
    }
}

/// `flight_source_env_reads(source_code)`: `STRUCT(name, line, access)[]`; NULL in, NULL out.
pub struct FlightSourceEnvReads;

impl VScalar for FlightSourceEnvReads {
    type State = ();

    fn invoke(_: &(), input: &mut DataChunkHandle, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>> {
        let sources = TextColumn::new(input, 0);
        let mut out = ListOutput::with_rows(input.len());
        for row in 0..input.len() {
            match sources.get(row) {
                Some(code) => out.push_row(source::env_reads(code)),
                None => out.push_null(),
            }
        }
        out.write_struct_list(output, |fields, reads| {
            let n = reads.len();
            let (mut names, mut lines, accesses) = (fields.child(0, n), fields.child(1, n), fields.child(2, n));
            for (i, read) in reads.iter().enumerate() {
                write_opt_text(&mut names, i, read.name.as_deref());
                write_int(&mut lines, i, i32::try_from(read.line).unwrap_or(i32::MAX));
                accesses.insert(i, read.access.as_str());
            }
        });
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let read = SqlType::struct_list(&[
            ("name", SqlType::Varchar),
            ("line", SqlType::INTEGER),
            ("access", SqlType::Varchar),
        ]);
        vec![signature(vec![SqlType::Varchar], read)]
    }
}
