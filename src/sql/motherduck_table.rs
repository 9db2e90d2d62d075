//! What the `motherduck_*` table functions share: the call about one Flight
//! (`name(flight, option := <integer>, ...)`, over the network), the column
//! sets of a stored Flight, and the cells of its rows.

use crate::flight::stored::StoredFlight;
use crate::flight::{field_named, FieldValue, FlightSpec};
use crate::sql::params::{opt_int, opt_text};
use crate::sql::sandbox::Caller;
use crate::sql::table::{Args, Column, RowsFunction};
use crate::sql::types::SqlType;
use crate::sql::value::SqlValue;
use std::error::Error;

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

/// A `motherduck_*` table function about one Flight, `NAME(flight, option := ...)`
/// with integer options; its [`RowsFunction`] (signature, network, the `flight`
/// argument) is this file's.
pub trait OneFlightFunction: Send + Sync + 'static {
    /// The SQL function's name, as errors and the sandbox check name it.
    const NAME: &'static str;
    /// Output columns, in order.
    const COLUMNS: &'static [Column];
    /// The named options and their (integer) types.
    const OPTIONS: &'static [(&'static str, SqlType)];
    /// The whole result of one call.
    fn rows(call: &OneFlight) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>>;
}

/// One call of a [`OneFlightFunction`].
pub struct OneFlight<'a> {
    /// The Flight's id or name.
    pub flight: String,
    name: &'static str,
    args: &'a Args,
}

impl OneFlight<'_> {
    /// The function asking for the network, with the sandbox setting of this call.
    pub fn caller(&self) -> Caller<'static> {
        self.args.caller(self.name)
    }

    /// Option `name` (one of `OPTIONS`); `None` when absent or NULL.
    pub fn option(&self, name: &str) -> Result<Option<i64>, String> {
        opt_int(name, self.args.named(name))
    }

    /// The `limit :=` option (default 100, as MotherDuck's tools).
    pub fn limit(&self) -> Result<i64, String> {
        limit_argument_or(self.args, 100)
    }
}

impl<F: OneFlightFunction> RowsFunction for F {
    const COLUMNS: &'static [Column] = F::COLUMNS;
    const NETWORK: bool = true;

    fn parameters() -> Vec<SqlType> {
        vec![SqlType::Varchar]
    }

    fn named_parameters() -> Vec<(&'static str, SqlType)> {
        F::OPTIONS.to_vec()
    }

    fn rows(args: &Args) -> Result<Vec<Vec<SqlValue>>, Box<dyn Error>> {
        let flight = flight_argument(F::NAME, args)?;
        F::rows(&OneFlight { flight, name: F::NAME, args })
    }
}

/// The `flight` argument of the motherduck_* functions.
pub fn flight_argument(function: &str, args: &Args) -> Result<String, String> {
    opt_text("flight", args.positional(0))?.ok_or_else(|| format!("{function} needs a Flight id or name; got NULL"))
}

/// The `limit :=` argument, `default` when absent or NULL.
pub fn limit_argument_or(args: &Args, default: i64) -> Result<i64, String> {
    Ok(opt_int("limit", args.named("limit"))?.unwrap_or(default))
}

/// The cell of the Flight field named `column` (a field of [`FIELDS`](crate::flight::FIELDS)),
/// in the column types the `motherduck_*` functions declare; `None`: not a field.
pub fn field_cell(flight: &FlightSpec, column: &str) -> Option<SqlValue> {
    let def = field_named(column, |a| a.stored)?;
    Some(match flight.value(def.field) {
        None => SqlValue::Null,
        Some(FieldValue::Text(t)) => SqlValue::Text(t),
        Some(FieldValue::Integer(i)) => SqlValue::int(Some(i)),
        Some(FieldValue::Bool(b)) => SqlValue::Bool(b),
        Some(FieldValue::TextList(items)) => SqlValue::text_list(items.into_iter().flatten()),
        Some(FieldValue::ConfigMap(map)) => SqlValue::config_map(map),
        Some(FieldValue::Secrets(_)) => SqlValue::Null,
    })
}

/// The row of `columns` about `flight`: each column the cell `fact` gives,
/// else the Flight field of that name, else NULL.
pub fn flight_row(columns: &[Column], flight: &FlightSpec, fact: impl Fn(&str) -> Option<SqlValue>) -> Vec<SqlValue> {
    columns
        .iter()
        .map(|(column, _)| fact(column).or_else(|| field_cell(flight, column)).unwrap_or(SqlValue::Null))
        .collect()
}

/// The row of a stored Flight with the columns `columns`: its facts, and its fields.
pub fn stored_row(f: &StoredFlight, columns: &[Column]) -> Vec<SqlValue> {
    flight_row(columns, &f.flight, |column| {
        Some(match column {
            "flight_id" => f.id.as_str().into(),
            "flight_name" => f.name.as_deref().into(),
            "version" => SqlValue::int(f.version),
            "status" => f.status.as_deref().into(),
            "current_version" => SqlValue::int(f.current_version),
            "created_at" => SqlValue::timestamp(f.created_at),
            "updated_at" => SqlValue::timestamp(f.updated_at),
            _ => return None,
        })
    })
}
