//! `motherduck_flight(flight, version :=)`: a Flight's stored definition,
//! fetched from MotherDuck's MCP server (`get_flight`). Client: [`crate::motherduck`].

use crate::flight::stored::StoredFlight;
use crate::flight::{field_named, FieldValue, FlightSpec};
use crate::motherduck::api::fetch_flight;
use crate::sql::params::{opt_int, opt_text};
use crate::sql::table::{columns, Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

pub struct MotherDuckFlight;

/// The stored fields of a version, as every `motherduck_*` function that shows them shows them.
pub const VERSION_FIELDS: [Column; 5] = [
    ("access_token_name", &SqlType::Varchar),
    ("flight_secret_names", &SqlType::TEXT_LIST),
    ("config", &SqlType::CONFIG_MAP),
    ("source_code", &SqlType::Varchar),
    ("requirements_txt", &SqlType::Varchar),
];

/// The runtime fields of a version (NULL in replies of the older shapes).
pub const RUNTIME_FIELDS: [Column; 2] = [("max_runtime_sec", &SqlType::INTEGER), ("instance_type", &SqlType::Varchar)];

/// A Flight's own facts after its schedule: status, current version, when it was made and changed.
pub const FLIGHT_FACTS: [Column; 4] = [
    ("status", &SqlType::Varchar),
    ("current_version", &SqlType::INTEGER),
    ("created_at", &SqlType::TimestampTz),
    ("updated_at", &SqlType::TimestampTz),
];

/// An INTEGER cell (NULL when absent or out of range).
pub fn int_cell(value: Option<i64>) -> SqlValue {
    value.and_then(|v| i32::try_from(v).ok()).map_or(SqlValue::Null, SqlValue::Int)
}

/// A TIMESTAMP WITH TIME ZONE cell.
pub fn time_cell(value: Option<i64>) -> SqlValue {
    value.map_or(SqlValue::Null, SqlValue::Timestamp)
}

/// The `flight` argument of the motherduck_* functions.
pub fn flight_argument(function: &str, args: &Args) -> Result<String, String> {
    opt_text("flight", args.positional(0))?.ok_or_else(|| format!("{function} needs a Flight id or name; got NULL"))
}

/// The `limit :=` argument (default 100, as MotherDuck's tools).
pub fn limit_argument(args: &Args) -> Result<i64, String> {
    limit_argument_or(args, 100)
}

/// The `limit :=` argument, `default` when absent or NULL.
pub fn limit_argument_or(args: &Args, default: i64) -> Result<i64, String> {
    Ok(opt_int("limit", args.named("limit"))?.unwrap_or(default))
}

impl RowsFunction for MotherDuckFlight {
    const COLUMNS: &'static [Column] = &columns::<15>(&[
        &[("flight_id", &SqlType::Varchar), ("flight_name", &SqlType::Varchar), ("version", &SqlType::INTEGER)],
        &VERSION_FIELDS,
        &[("schedule_cron", &SqlType::Varchar)],
        &FLIGHT_FACTS,
        &RUNTIME_FIELDS,
    ]);
    const NETWORK: bool = true;

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        vec![("version", SqlType::INTEGER)]
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = flight_argument("motherduck_flight", args)?;
        let version = opt_int("version", args.named("version"))?;
        let f = fetch_flight(args.caller("motherduck_flight"), &flight, version)?;
        Ok(vec![stored_row(&f.stored, Self::COLUMNS)])
    }
}

/// The cell of the Flight field named `column` (a field of [`FIELDS`](crate::flight::FIELDS)),
/// in the column types the `motherduck_*` functions declare; `None`: not a field.
pub fn field_cell(flight: &FlightSpec, column: &str) -> Option<SqlValue> {
    let def = field_named(column, |a| a.stored)?;
    Some(match flight.value(def.field) {
        None => SqlValue::Null,
        Some(FieldValue::Text(t)) => SqlValue::Text(t),
        Some(FieldValue::Integer(i)) => int_cell(Some(i)),
        Some(FieldValue::Bool(b)) => SqlValue::Bool(b),
        Some(FieldValue::TextList(items)) => SqlValue::text_list(items.into_iter().flatten()),
        Some(FieldValue::ConfigMap(map)) => SqlValue::config_map(map),
        Some(FieldValue::Secrets(_)) => SqlValue::Null,
    })
}

/// The cell of column `column` of a stored Flight: its facts, or one of its fields.
pub fn stored_cell(f: &StoredFlight, column: &str) -> SqlValue {
    match column {
        "flight_id" => f.id.as_str().into(),
        "flight_name" => f.name.as_deref().into(),
        "version" => int_cell(f.version),
        "status" => f.status.as_deref().into(),
        "current_version" => int_cell(f.current_version),
        "created_at" => time_cell(f.created_at),
        "updated_at" => time_cell(f.updated_at),
        field => field_cell(&f.flight, field).unwrap_or(SqlValue::Null),
    }
}

/// The row of a stored Flight with the columns `columns`.
pub fn stored_row(f: &StoredFlight, columns: &[Column]) -> Vec<SqlValue> {
    columns.iter().map(|(name, _)| stored_cell(f, name)).collect()
}
