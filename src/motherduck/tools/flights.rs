//! Reading the results of MotherDuck's Flights tools in the shapes MotherDuck
//! documents (pure, unit-tested against the fixtures in `test/fixtures/mcp/`).
//!
//! Pages followed (MotherDuck docs, "MCP server" reference, Flights tools):
//! - `get_flight`: <https://motherduck.com/docs/sql-reference/mcp/flights/get-flight/>
//! - `list_flights`: <https://motherduck.com/docs/sql-reference/mcp/flights/list-flights/>
//! - `list_flight_versions`: <https://motherduck.com/docs/sql-reference/mcp/flights/list-flight-versions/>
//! - `list_flight_runs`: <https://motherduck.com/docs/sql-reference/mcp/flights/list-flight-runs/>, and the
//!   older page <https://motherduck.com/docs/sql-reference/mcp/list-flight-runs/>, whose runs lack
//!   `run_id`, `config`, `started_at`, `ended_at` and `exit_code` (fixture `list_flight_runs_older.json`)
//!
//! Every tool answers with a JSON object carrying `success` and, on failure,
//! `error`. Every documented field must be present (JSON `null` reads as SQL
//! NULL); a missing field or one of the wrong type is an error that names it.
//! The alternatives accepted: inside a version, `access_token_name` /
//! `flight_secret_names` in place of `md_token_name` / `md_secret_names`
//! (newer create/update pages use those names; see the fixture
//! `get_flight_new_names.json`); and runs in the older page's shape.
//!
//! Fields the newer pages add to a version (`update_flight`:
//! <https://motherduck.com/docs/sql-reference/mcp/flights/update-flight/>;
//! `MD_GET_FLIGHT_VERSION`:
//! <https://motherduck.com/docs/sql-reference/motherduck-sql-reference/flights/md-get-flight-version/>):
//! `max_runtime_sec` (integer seconds, 0: no timeout) and `instance_type`
//! (`F4` ...), read inside a version (`get_flight`'s `flight.version`, an entry
//! of `list_flight_versions`) and NULL when absent, as in replies in the older
//! shapes (fixture `get_flight_runtime.json`). No page shows `get_flight`
//! spelling the Flight's id `flight_id`: only `id` is read.

use crate::flight::config::config_from_json;
use crate::flight::stored::StoredFlight;
use crate::flight::{fields_where, set_spelled, ConfigMap, Field, FieldKind, FieldValue, FlightSpec};
use crate::motherduck::mcp::jsonrpc::ToolError;
use crate::motherduck::{malformed, Error, ErrorKind};
use serde_json::{Map, Value};

/// A tool result's JSON object, with the path used in messages.
pub(super) struct Obj<'v> {
    pub(super) map: &'v Map<String, Value>,
    path: String,
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<'v> Obj<'v> {
    pub(super) fn of(value: &'v Value, path: impl Into<String>) -> Result<Obj<'v>, Error> {
        let path = path.into();
        match value {
            Value::Object(map) => Ok(Obj { map, path }),
            other => Err(malformed(format!("'{path}' is {}, not an object", type_name(other)))),
        }
    }

    fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_owned()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// A documented field: present, possibly null.
    pub(super) fn get(&self, field: &str) -> Result<&'v Value, Error> {
        self.map.get(field).ok_or_else(|| malformed(format!("field '{}' is missing", self.name(field))))
    }

    pub(super) fn wrong(&self, field: &str, value: &Value, expected: &str) -> Error {
        malformed(format!("field '{}' is {}, not {expected}", self.name(field), type_name(value)))
    }

    pub(super) fn text(&self, field: &str) -> Result<Option<String>, Error> {
        match self.get(field)? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            other => Err(self.wrong(field, other, "a string")),
        }
    }

    fn required_text(&self, field: &str) -> Result<String, Error> {
        self.text(field)?.ok_or_else(|| malformed(format!("field '{}' is null", self.name(field))))
    }

    /// A field the older pages lack: absent reads as NULL, like null.
    fn newer<T>(&self, field: &str, read: fn(&Self, &str) -> Result<Option<T>, Error>) -> Result<Option<T>, Error> {
        if self.map.contains_key(field) {
            read(self, field)
        } else {
            Ok(None)
        }
    }

    pub(super) fn newer_int(&self, field: &str) -> Result<Option<i64>, Error> {
        self.newer(field, Self::int)
    }

    pub(super) fn newer_bool(&self, field: &str) -> Result<Option<bool>, Error> {
        self.newer(field, Self::bool)
    }

    pub(super) fn newer_text(&self, field: &str) -> Result<Option<String>, Error> {
        self.newer(field, Self::text)
    }

    pub(super) fn int(&self, field: &str) -> Result<Option<i64>, Error> {
        match self.get(field)? {
            Value::Null => Ok(None),
            Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| self.wrong(field, &Value::Null, "an integer")),
            other => Err(self.wrong(field, other, "an integer")),
        }
    }

    fn required_int(&self, field: &str) -> Result<i64, Error> {
        self.int(field)?.ok_or_else(|| malformed(format!("field '{}' is null", self.name(field))))
    }

    pub(super) fn bool(&self, field: &str) -> Result<Option<bool>, Error> {
        match self.get(field)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            other => Err(self.wrong(field, other, "a boolean")),
        }
    }

    fn timestamp(&self, field: &str) -> Result<Option<i64>, Error> {
        self.text(field)?
            .map(|text| timestamp_micros(&text).map_err(|e| malformed(format!("field '{}': {e}", self.name(field)))))
            .transpose()
    }

    pub(super) fn config(&self, field: &str) -> Result<Option<ConfigMap>, Error> {
        match self.get(field)? {
            Value::Null => Ok(None),
            value @ Value::Object(_) => config_from_json(&value.to_string())
                .map(Some)
                .map_err(|e| malformed(format!("field '{}': {e}", self.name(field)))),
            other => Err(self.wrong(field, other, "an object of strings")),
        }
    }

    /// `field`'s value as a field of `kind`.
    fn field_value(&self, kind: FieldKind, field: &str) -> Result<Option<FieldValue>, Error> {
        Ok(match kind {
            FieldKind::Text => self.text(field)?.map(FieldValue::Text),
            FieldKind::Integer => self.int(field)?.map(FieldValue::Integer),
            FieldKind::Bool => self.bool(field)?.map(FieldValue::Bool),
            FieldKind::ConfigMap => self.config(field)?.map(FieldValue::ConfigMap),
            FieldKind::TextList => self.texts(field)?.map(FieldValue::TextList),
            // No tool answers with what a secret holds.
            FieldKind::Secrets => None,
        })
    }

    fn texts(&self, field: &str) -> Result<Option<Vec<Option<String>>>, Error> {
        match self.get(field)? {
            Value::Null => Ok(None),
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str().map(|s| Some(s.to_owned())).ok_or_else(|| {
                        malformed(format!("an element of '{}' is {}, not a string", self.name(field), type_name(v)))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            other => Err(self.wrong(field, other, "a list of strings")),
        }
    }
}

/// The stored fields ([`FIELDS`](crate::flight::FIELDS) that appear as stored)
/// of a version object, and `schedule_cron` of the Flight object when given.
/// Every documented field must be there under one of its spellings (both
/// spellings with different values: an error naming both); the newer pages'
/// `max_runtime_sec` and `instance_type` read as NULL when absent.
fn stored_fields(flight: Option<&Obj>, version: &Obj) -> Result<FlightSpec, Error> {
    let mut spec = FlightSpec::default();
    for def in fields_where(|a| a.stored) {
        let obj = match def.field {
            // Metadata of the Flight, not of a version (no version entry carries it).
            Field::ScheduleCron => match flight {
                Some(flight) => flight,
                None => continue,
            },
            _ => version,
        };
        let newer = matches!(def.field, Field::MaxRuntimeSec | Field::InstanceType);
        let mut found = false;
        // MotherDuck's tools spell it the older way first (md_token_name), the newer pages the SQL way.
        for name in def.alias.into_iter().chain([def.sql]) {
            if obj.map.contains_key(name) {
                found = true;
                if let Some(value) = obj.field_value(def.kind, name)? {
                    set_spelled(&mut spec, def, name, value).map_err(|e| malformed(format!("'{}': {e}", obj.path)))?;
                }
            }
        }
        if !found && !newer {
            let mut names = def.alias.into_iter().chain([def.sql]);
            let first = names.next().unwrap_or(def.sql);
            return Err(malformed(match names.next() {
                Some(second) => format!("field '{}' is missing (nor is '{second}' there)", obj.name(first)),
                None => format!("field '{}' is missing", obj.name(first)),
            }));
        }
    }
    Ok(spec)
}

/// Reads `success` / `error`, which every Flights tool result carries: the
/// server's own `error` text when `success` is false ([`ToolError::Failed`]).
pub fn check_success(tool: &str, result: &Value) -> Result<(), ToolError> {
    let object =
        Obj::of(result, "").map_err(|_| ToolError::Malformed(format!("the {tool} result is not a JSON object")))?;
    match object.get("success").map_err(|e| ToolError::Malformed(e.message))? {
        Value::Bool(true) => Ok(()),
        Value::Bool(false) => Err(ToolError::Failed(match object.map.get("error") {
            Some(Value::String(text)) if !text.trim().is_empty() => text.clone(),
            _ => "no error text given".into(),
        })),
        other => Err(ToolError::Malformed(object.wrong("success", other, "a boolean").message)),
    }
}

/// A `get_flight` result: the stored definition (its version's runtime fields among its fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedFlight {
    pub stored: StoredFlight,
}

/// Reads a `get_flight` result (after [`check_success`]).
pub fn parse_get_flight(result: &Value) -> Result<FetchedFlight, Error> {
    let top = Obj::of(result, "")?;
    let flight = Obj::of(top.get("flight")?, "flight")?;
    let version = Obj::of(flight.get("version")?, "flight.version")?;
    let stored = StoredFlight {
        id: flight.required_text("id")?,
        name: flight.text("name")?,
        status: flight.text("status")?,
        current_version: flight.int("current_version")?,
        version: Some(version.required_int("version")?),
        created_at: flight.timestamp("created_at")?,
        updated_at: flight.timestamp("updated_at")?,
        flight: stored_fields(Some(&flight), &version)?,
    };
    Ok(FetchedFlight { stored })
}

/// One entry of `list_flights`: summary metadata, no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlightSummary {
    pub id: String,
    pub name: String,
    pub schedule_cron: Option<String>,
    pub status: Option<String>,
    pub current_version: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

fn list<'v>(result: &'v Value, field: &str) -> Result<&'v Vec<Value>, Error> {
    let top = Obj::of(result, "")?;
    match top.get(field)? {
        Value::Array(items) => Ok(items),
        other => Err(top.wrong(field, other, "a list")),
    }
}

/// Reads a `list_flights` result (after [`check_success`]).
pub fn parse_flight_list(result: &Value) -> Result<Vec<FlightSummary>, Error> {
    list(result, "flights")?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let f = Obj::of(item, format!("flights[{i}]"))?;
            Ok(FlightSummary {
                id: f.required_text("id")?,
                name: f.required_text("name")?,
                schedule_cron: f.text("schedule_cron")?,
                status: f.text("status")?,
                current_version: f.int("current_version")?,
                created_at: f.timestamp("created_at")?,
                updated_at: f.timestamp("updated_at")?,
            })
        })
        .collect()
}

/// One entry of `list_flight_versions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub created_at: Option<i64>,
    /// The version's stored fields (no `schedule_cron`: a Flight's, not a version's).
    pub flight: FlightSpec,
}

/// Reads a `list_flight_versions` result (after [`check_success`]).
pub fn parse_versions(result: &Value) -> Result<Vec<VersionRow>, Error> {
    list(result, "versions")?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let v = Obj::of(item, format!("versions[{i}]"))?;
            Ok(VersionRow {
                version: v.required_int("version")?,
                created_at: v.timestamp("created_at")?,
                flight: stored_fields(None, &v)?,
            })
        })
        .collect()
}

/// One entry of `list_flight_runs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// NULL only for a run in the older page's shape (as are config, started_at, ended_at, exit_code).
    pub run_id: Option<String>,
    pub run_number: Option<i64>,
    pub flight_version: Option<i64>,
    /// As MotherDuck's SQL functions spell it: `RUN_STATUS_SUCCEEDED`, ...
    pub status: Option<String>,
    pub is_scheduled: Option<bool>,
    /// The effective config of the run: stored merged with the per-run override.
    pub config: Option<ConfigMap>,
    pub created_at: Option<i64>,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub exit_code: Option<i64>,
}

/// A run status as `MD_LIST_FLIGHT_RUNS` spells it (`SUCCEEDED` -> `RUN_STATUS_SUCCEEDED`).
pub fn sql_run_status(status: &str) -> String {
    if status.starts_with("RUN_STATUS_") {
        status.to_owned()
    } else {
        format!("RUN_STATUS_{}", status.to_ascii_uppercase())
    }
}

/// The run fields the older `list_flight_runs` page does not document.
const OLDER_RUN_LACKS: [&str; 5] = ["run_id", "config", "started_at", "ended_at", "exit_code"];

/// Reads a `list_flight_runs` result (after [`check_success`]).
pub fn parse_runs(result: &Value) -> Result<Vec<RunRow>, Error> {
    list(result, "runs")?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let r = Obj::of(item, format!("runs[{i}]"))?;
            // The older page documents runs without these fields: all absent is
            // that shape; some absent is a reply in no documented shape.
            let older = OLDER_RUN_LACKS.iter().all(|f| !r.map.contains_key(*f));
            let newer = |read: &dyn Fn() -> Result<Option<i64>, Error>| if older { Ok(None) } else { read() };
            Ok(RunRow {
                run_id: if older { None } else { Some(r.required_text("run_id")?) },
                run_number: r.int("run_number")?,
                flight_version: r.int("flight_version")?,
                status: r.text("status")?.map(|s| sql_run_status(&s)),
                is_scheduled: r.bool("is_scheduled")?,
                config: if older { None } else { r.config("config")? },
                created_at: r.timestamp("created_at")?,
                started_at: newer(&|| r.timestamp("started_at"))?,
                ended_at: newer(&|| r.timestamp("ended_at"))?,
                exit_code: newer(&|| r.int("exit_code"))?,
            })
        })
        .collect()
}

/// Whether `text` looks like a UUID (8-4-4-4-12 hex digits): such a Flight
/// reference goes straight to `get_flight`.
pub fn looks_like_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Picks the Flight named exactly `wanted` among `flights` (what
/// `list_flights` returned for `keywords := wanted`).
pub fn resolve_name(wanted: &str, flights: &[FlightSummary]) -> Result<String, Error> {
    let named: Vec<&FlightSummary> = flights.iter().filter(|f| f.name == wanted).collect();
    match named.as_slice() {
        [] => Err(Error::new(
            ErrorKind::NotFound,
            format!(
            "no Flight named '{wanted}' is visible to the token's user (list_flights searched {} Flight{} whose names \
             contain those words); pass the Flight's id, or check the name",
            flights.len(),
                if flights.len() == 1 { "" } else { "s" }
            ),
        )),
        [one] => Ok(one.id.clone()),
        several => Err(Error::new(
            ErrorKind::Ambiguous,
            format!(
                "more than one Flight is named '{wanted}': {}; pass the id instead",
                several.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// An ISO 8601 timestamp with a UTC offset (`2026-10-01T06:00:00Z`,
/// `2026-10-01T08:00:00.5+02:00`) as microseconds since the Unix epoch.
pub fn timestamp_micros(text: &str) -> Result<i64, Error> {
    let bad = || malformed(format!("'{text}' is not an ISO 8601 timestamp with an offset (e.g. 2026-10-01T06:00:00Z)"));
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Result<i64, Error> {
        let part = text.get(range).ok_or_else(bad)?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse::<i64>().map_err(|_| bad())
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(bad());
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    let mut micros = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let kept = &frac[..digits.min(6)];
        micros = kept.parse::<i64>().map_err(|_| bad())? * 10i64.pow(6 - kept.len() as u32);
        rest = &frac[digits..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) && &rest[3..4] == ":" => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let h: i64 = rest[1..3].parse().map_err(|_| bad())?;
            let m: i64 = rest[4..6].parse().map_err(|_| bad())?;
            sign * (h * 3600 + m * 60)
        }
        _ => return Err(bad()),
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return Err(bad());
    }
    // Days from the civil date (proleptic Gregorian).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Ok(seconds * 1_000_000 + micros)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/test/fixtures/mcp/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut value: Value = serde_json::from_str(&text).unwrap();
        // Each fixture names its docs page in "_doc"; the result is "result".
        assert!(value.get("_doc").and_then(Value::as_str).is_some_and(|d| d.starts_with("https://")), "{name}");
        value["result"].take()
    }

    #[test]
    fn get_flight_as_documented() {
        let result = fixture("get_flight.json");
        check_success("get_flight", &result).unwrap();
        let fetched = parse_get_flight(&result).unwrap();
        let f = fetched.stored;
        assert_eq!((f.flight.max_runtime_sec, f.flight.instance_type.as_deref()), (None, None));
        assert_eq!(f.id, "80000000-0000-0000-0000-000000000001");
        assert_eq!(f.name.as_deref(), Some("nightly_ingest"));
        assert_eq!(f.flight.schedule_cron.as_deref(), Some("0 6 * * *"));
        assert_eq!(f.status.as_deref(), Some("JOB_STATUS_ACTIVE"));
        assert_eq!((f.current_version, f.version), (Some(3), Some(3)));
        assert_eq!(f.flight.access_token_name.as_deref(), Some("flights-prod-ingest"));
        assert_eq!(f.flight.flight_secret_names, Some(vec![Some("my_api_secret".to_string())]));
        assert_eq!(f.flight.config, Some(vec![("REGION".into(), Some("eu-central-1".into()))]));
        assert_eq!(f.flight.requirements_txt.as_deref(), Some("duckdb==1.5.2"));
        assert_eq!(f.created_at, Some(timestamp_micros("2026-10-01T06:00:00Z").unwrap()));
    }

    #[test]
    fn newer_field_names_inside_version() {
        let f = parse_get_flight(&fixture("get_flight_new_names.json")).unwrap().stored;
        assert_eq!(f.flight.access_token_name.as_deref(), Some("svc-reporting"));
        assert_eq!(f.flight.flight_secret_names, Some(vec![Some("warehouse".to_string())]));
    }

    #[test]
    fn both_spellings_of_a_field_agree_or_are_refused() {
        let mut both = fixture("get_flight.json");
        both["flight"]["version"]["access_token_name"] = json!("flights-prod-ingest");
        let f = parse_get_flight(&both).unwrap().stored;
        assert_eq!(f.flight.access_token_name.as_deref(), Some("flights-prod-ingest"), "the same value twice");
        both["flight"]["version"]["access_token_name"] = json!("other");
        let err = parse_get_flight(&both).unwrap_err().message;
        assert!(err.starts_with("'flight.version': md_token_name and access_token_name are two spellings"), "{err}");
        let mut neither = fixture("get_flight.json");
        neither["flight"]["version"].as_object_mut().unwrap().remove("md_token_name");
        assert_eq!(
            parse_get_flight(&neither).unwrap_err().message,
            "field 'flight.version.md_token_name' is missing (nor is 'access_token_name' there)"
        );
    }

    #[test]
    fn the_newer_runtime_fields_where_present() {
        let f = parse_get_flight(&fixture("get_flight_runtime.json")).unwrap().stored.flight;
        assert_eq!((f.max_runtime_sec, f.instance_type.as_deref()), (Some(3600), Some("F16")));
        assert_eq!(f.access_token_name.as_deref(), Some("svc-export"));
        let versions = parse_versions(&fixture("list_flight_versions_runtime.json")).unwrap();
        assert_eq!(versions[0].flight.max_runtime_sec, Some(3600));
        assert_eq!((versions[1].flight.max_runtime_sec, versions[1].flight.instance_type.as_deref()), (None, None));
        let older = parse_versions(&fixture("list_flight_versions.json")).unwrap();
        assert_eq!((older[0].flight.max_runtime_sec, older[0].flight.schedule_cron.as_deref()), (None, None));
        let mut wrong = fixture("get_flight_runtime.json");
        wrong["flight"]["version"]["max_runtime_sec"] = json!("1h");
        assert_eq!(
            parse_get_flight(&wrong).unwrap_err().message,
            "field 'flight.version.max_runtime_sec' is a string, not an integer"
        );
        // The id is read from `id` only (no page shows `flight_id` there).
        let mut renamed = fixture("get_flight.json");
        let id = renamed["flight"].as_object_mut().unwrap().remove("id").unwrap();
        renamed["flight"]["flight_id"] = id;
        assert_eq!(parse_get_flight(&renamed).unwrap_err().message, "field 'flight.id' is missing");
    }

    #[test]
    fn lists_as_documented() {
        let flights = parse_flight_list(&fixture("list_flights.json")).unwrap();
        assert_eq!(flights.len(), 2);
        assert_eq!(flights[1].schedule_cron, None);
        let versions = parse_versions(&fixture("list_flight_versions.json")).unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![3, 2, 1]);
        let runs = parse_runs(&fixture("list_flight_runs.json")).unwrap();
        assert_eq!(runs[0].status.as_deref(), Some("RUN_STATUS_SUCCEEDED"));
        assert_eq!(runs[0].is_scheduled, Some(true));
        assert_eq!(runs[0].run_id.as_deref(), Some("90000000-0000-0000-0000-000000000004"));
        let older = parse_runs(&fixture("list_flight_runs_older.json")).unwrap();
        assert_eq!((older[0].run_id.as_deref(), older[0].config.as_ref(), older[0].run_number), (None, None, Some(2)));
        assert_eq!(older[1].status.as_deref(), Some("RUN_STATUS_FAILED"));
        let mut partial = fixture("list_flight_runs.json");
        partial["runs"][0].as_object_mut().unwrap().remove("exit_code");
        assert_eq!(parse_runs(&partial).unwrap_err().message, "field 'runs[0].exit_code' is missing");
    }

    #[test]
    fn success_false_reports_the_servers_words() {
        let result = fixture("tool_failure.json");
        assert_eq!(check_success("get_flight", &result), Err(ToolError::Failed("Flight not found".into())));
        assert!(
            matches!(check_success("x", &json!({"flight": {}})), Err(ToolError::Malformed(m)) if m.contains("'success'"))
        );
    }

    #[test]
    fn the_old_guess_is_refused_with_the_field_named() {
        // The shape the client used to expect: version a number, content at the top.
        let guess = json!({"success": true, "flight": {"id": "x", "name": "n", "version": 3, "config": {}}});
        let err = parse_get_flight(&guess).unwrap_err().message;
        assert_eq!(err, "'flight.version' is a number, not an object");
        let mut missing = fixture("get_flight.json");
        missing["flight"]["version"].as_object_mut().unwrap().remove("config");
        assert_eq!(parse_get_flight(&missing).unwrap_err().message, "field 'flight.version.config' is missing");
        let mut wrong = fixture("get_flight.json");
        wrong["flight"]["current_version"] = json!("3");
        assert_eq!(
            parse_get_flight(&wrong).unwrap_err().message,
            "field 'flight.current_version' is a string, not an integer"
        );
    }

    #[test]
    fn names_resolve_exactly() {
        let f = |id: &str, name: &str| FlightSummary {
            id: id.into(),
            name: name.into(),
            schedule_cron: None,
            status: None,
            current_version: None,
            created_at: None,
            updated_at: None,
        };
        let flights = [f("a", "ingest"), f("b", "ingest_v2"), f("c", "twin"), f("d", "twin")];
        assert_eq!(resolve_name("ingest", &flights), Ok("a".into()));
        let (none, twins) = (resolve_name("nope", &flights).unwrap_err(), resolve_name("twin", &flights).unwrap_err());
        assert!(none.kind == ErrorKind::NotFound && none.message.contains("searched 4 Flights"), "{none}");
        assert!(twins.kind == ErrorKind::Ambiguous && twins.message.contains("c, d"), "{twins}");
        assert!(looks_like_uuid("80000000-0000-0000-0000-000000000001"));
        assert!(!looks_like_uuid("80000000-0000-0000-0000-00000000000g"));
        assert!(!looks_like_uuid("ingest"));
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp_micros("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(timestamp_micros("1970-01-01T01:00:00.5+01:00"), Ok(500_000));
        assert_eq!(timestamp_micros("2026-10-01T06:00:00Z"), Ok(1_790_834_400_000_000));
        for bad in [
            "2026-10-01",
            "2026-10-01T06:00:00",
            "2026-13-01T06:00:00Z",
            "x026-10-01T06:00:00Z",
            "2026-10-01T06:00:00.Z",
        ] {
            assert!(timestamp_micros(bad).is_err(), "{bad}");
        }
    }
}
