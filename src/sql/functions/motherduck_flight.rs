//! `motherduck_flight(flight, version :=)`: a Flight's stored definition,
//! fetched from MotherDuck's MCP server. Client: [`crate::motherduck`].

use crate::sql::params::{fetched_flight, opt_text};
use crate::sql::table::{Args, Cell, ColumnType, RowsFunction};
use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use std::error::Error;

pub struct MotherDuckFlight;

impl RowsFunction for MotherDuckFlight {
    const COLUMNS: &'static [(&'static str, ColumnType)] = &[
        ("flight_id", ColumnType::Text),
        ("flight_name", ColumnType::Text),
        ("version", ColumnType::Int),
        ("access_token_name", ColumnType::Text),
        ("flight_secret_names", ColumnType::TextList),
        ("config", ColumnType::Map),
        ("source_code", ColumnType::Text),
        ("requirements_txt", ColumnType::Text),
    ];

    fn parameters() -> Vec<LogicalTypeHandle> {
        vec![LogicalTypeHandle::from(LogicalTypeId::Varchar)]
    }

    fn named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
        vec![("version", LogicalTypeHandle::from(LogicalTypeId::Integer))]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>> {
        let flight =
            opt_text("flight", args.positional(0))?.ok_or("motherduck_flight needs a Flight id or name; got NULL")?;
        let call = Args::new(
            vec![],
            vec![("flight", crate::sql::value::SqlValue::Text(flight)), ("version", args.named("version").clone())],
        );
        let Some(f) = fetched_flight(&call)? else { return Ok(vec![]) };
        Ok(vec![vec![
            f.id.into(),
            f.name.into(),
            f.version.and_then(|v| i32::try_from(v).ok()).map_or(Cell::Null, Cell::Int),
            f.access_token_name.into(),
            f.flight_secret_names.map_or(Cell::Null, Cell::TextList),
            f.config.map_or(Cell::Null, Cell::Map),
            f.source_code.into(),
            f.requirements_txt.into(),
        ]])
    }
}
