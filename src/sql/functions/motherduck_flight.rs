//! `motherduck_flight(flight, version :=)`: a Flight's stored definition,
//! fetched from MotherDuck's MCP server (`get_flight`). Client: [`crate::motherduck`].

use crate::motherduck::api::fetch_flight;
use crate::motherduck::definition::{FetchedFlight, Runtime};
use crate::sql::params::{opt_int, opt_text};
use crate::sql::table::{Args, Cell, ColumnType, RowsFunction};
use crate::sql::types::{integer, varchar};
use duckdb::core::LogicalTypeHandle;
use std::error::Error;

pub struct MotherDuckFlight;

/// An INTEGER cell (NULL when absent or out of range).
pub fn int_cell(value: Option<i64>) -> Cell {
    value.and_then(|v| i32::try_from(v).ok()).map_or(Cell::Null, Cell::Int)
}

/// A TIMESTAMP WITH TIME ZONE cell.
pub fn time_cell(value: Option<i64>) -> Cell {
    value.map_or(Cell::Null, Cell::Timestamp)
}

/// The `flight` argument of the motherduck_* functions.
pub fn flight_argument(function: &str, args: &Args) -> Result<String, String> {
    opt_text("flight", args.positional(0))?.ok_or_else(|| format!("{function} needs a Flight id or name; got NULL"))
}

/// The `limit :=` argument (default 100, as MotherDuck's tools).
pub fn limit_argument(args: &Args) -> Result<i64, String> {
    Ok(opt_int("limit", args.named("limit"))?.unwrap_or(100))
}

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
        ("schedule_cron", ColumnType::Text),
        ("status", ColumnType::Text),
        ("current_version", ColumnType::Int),
        ("created_at", ColumnType::TimestampTz),
        ("updated_at", ColumnType::TimestampTz),
        ("max_runtime_sec", ColumnType::Int),
        ("instance_type", ColumnType::Text),
    ];
    const NETWORK: bool = true;

    fn parameters() -> Vec<LogicalTypeHandle> {
        vec![varchar()]
    }

    fn named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
        vec![("version", integer())]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<Cell>>, Box<dyn Error>> {
        let flight = flight_argument("motherduck_flight", args)?;
        let version = opt_int("version", args.named("version"))?;
        let f = fetch_flight(args.caller("motherduck_flight"), &flight, version)?;
        Ok(vec![flight_row(f)])
    }
}

/// The `max_runtime_sec` and `instance_type` cells (NULL when the reply lacks them).
pub fn runtime_cells(runtime: Runtime) -> [Cell; 2] {
    [int_cell(runtime.max_runtime_sec), runtime.instance_type.into()]
}

fn flight_row(FetchedFlight { stored: f, runtime }: FetchedFlight) -> Vec<Cell> {
    let mut row = vec![
        f.id.into(),
        f.name.into(),
        int_cell(f.version),
        f.access_token_name.into(),
        f.flight_secret_names.map_or(Cell::Null, Cell::TextList),
        f.config.map_or(Cell::Null, Cell::Map),
        f.source_code.into(),
        f.requirements_txt.into(),
        f.schedule_cron.into(),
        f.status.into(),
        int_cell(f.current_version),
        time_cell(f.created_at),
        time_cell(f.updated_at),
    ];
    row.extend(runtime_cells(runtime));
    row
}
