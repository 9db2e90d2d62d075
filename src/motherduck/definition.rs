//! A Flight's stored definition as MotherDuck's MCP tools return it.
//!
//! Field names are accepted in MCP's spelling (`md_token_name`,
//! `md_secret_names`) and in SQL's (`access_token_name`,
//! `flight_secret_names`); `config` may be an object or a JSON string.

use crate::flight::config::config_from_json;
use crate::flight::{ConfigMap, FlightSpec};
use serde_json::Value;

/// What `get_flight` tells about one version of a Flight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightDefinition {
    pub id: String,
    pub name: Option<String>,
    pub version: Option<i64>,
    pub access_token_name: Option<String>,
    pub flight_secret_names: Option<Vec<String>>,
    pub config: Option<ConfigMap>,
    pub source_code: Option<String>,
    pub requirements_txt: Option<String>,
}

/// The first present field among `names`.
fn field<'v>(object: &'v serde_json::Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|n| object.get(*n)).filter(|v| !v.is_null())
}

fn text_field(object: &serde_json::Map<String, Value>, names: &[&str]) -> Result<Option<String>, String> {
    match field(object, names) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(format!("field '{}' is not a string", names[0])),
    }
}

/// The object holding the Flight: the result itself, or its `flight` member.
fn flight_object(result: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    let object = result.as_object().ok_or("the get_flight result is not a JSON object")?;
    match object.get("flight") {
        Some(Value::Object(inner)) => Ok(inner),
        _ => Ok(object),
    }
}

/// Reads a `get_flight` result.
pub fn parse_flight(result: &Value) -> Result<FlightDefinition, String> {
    let object = flight_object(result)?;
    let id = text_field(object, &["id", "flight_id"])?.ok_or("the get_flight result has no 'id'")?;
    let version = match field(object, &["version", "flight_version", "version_number"]) {
        None => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        Some(_) => return Err("field 'version' is not a number".into()),
    };
    let flight_secret_names = match field(object, &["md_secret_names", "flight_secret_names", "secret_names"]) {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or("a secret name is not a string"))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("field 'md_secret_names' is not a list".into()),
    };
    let config = match field(object, &["config"]) {
        None => None,
        Some(Value::String(json)) if json.trim().is_empty() => Some(ConfigMap::new()),
        Some(Value::String(json)) => Some(config_from_json(json).map_err(|e| format!("field 'config': {e}"))?),
        Some(value @ Value::Object(_)) => {
            Some(config_from_json(&value.to_string()).map_err(|e| format!("field 'config': {e}"))?)
        }
        Some(_) => return Err("field 'config' is neither an object nor a JSON string".into()),
    };
    Ok(FlightDefinition {
        id,
        name: text_field(object, &["name", "flight_name"])?,
        version,
        access_token_name: text_field(object, &["md_token_name", "access_token_name", "token_name"])?,
        flight_secret_names,
        config,
        source_code: text_field(object, &["source_code", "source"])?,
        requirements_txt: text_field(object, &["requirements_txt", "requirements"])?,
    })
}

/// Reads a `list_flights` result: `(id, name)` of every Flight.
pub fn parse_flight_list(result: &Value) -> Result<Vec<(String, String)>, String> {
    let items = match result {
        Value::Array(items) => items,
        Value::Object(object) => match object.get("flights").or_else(|| object.get("items")) {
            Some(Value::Array(items)) => items,
            _ => return Err("the list_flights result has no 'flights' list".into()),
        },
        _ => return Err("the list_flights result is not a JSON object".into()),
    };
    items
        .iter()
        .map(|item| {
            let object = item.as_object().ok_or("a list_flights entry is not an object")?;
            let id = text_field(object, &["id", "flight_id"])?.ok_or("a list_flights entry has no 'id'")?;
            let name = text_field(object, &["name", "flight_name"])?.unwrap_or_default();
            Ok((id, name))
        })
        .collect()
}

/// Picks the Flight `wanted` names: an id, or a unique name.
pub fn resolve_flight(wanted: &str, flights: &[(String, String)]) -> Result<Option<String>, String> {
    if let Some((id, _)) = flights.iter().find(|(id, _)| id == wanted) {
        return Ok(Some(id.clone()));
    }
    let named: Vec<&(String, String)> = flights.iter().filter(|(_, name)| name == wanted).collect();
    match named.as_slice() {
        [] => Ok(None),
        [(id, _)] => Ok(Some(id.clone())),
        several => Err(format!(
            "more than one Flight is named '{wanted}': {}; pass the id instead",
            several.iter().map(|(id, name)| format!("{id} ({name})")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Fills the parts of `spec` the call did not give from the stored definition:
/// given parameters win, so a call can preview "what if" changes.
pub fn fill_spec(spec: &mut FlightSpec, definition: &FlightDefinition) {
    if spec.config.is_none() {
        spec.config = definition.config.clone();
    }
    if spec.flight_secret_names.is_none() {
        spec.flight_secret_names =
            definition.flight_secret_names.as_ref().map(|names| names.iter().cloned().map(Some).collect());
    }
    if spec.access_token_name.is_none() {
        spec.access_token_name = definition.access_token_name.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mcp_and_sql_field_names() {
        let mcp = json!({"id": "f1", "name": "ingest", "version": 3, "md_token_name": "svc",
            "md_secret_names": ["my_api_secret"], "config": {"REGION": "us"}, "source_code": "import os",
            "requirements_txt": "requests"});
        let sql = json!({"flight": {"flight_id": "f1", "flight_name": "ingest", "flight_version": "3",
            "access_token_name": "svc", "flight_secret_names": ["my_api_secret"], "config": "{\"REGION\": \"us\"}",
            "source": "import os", "requirements": "requests"}});
        let a = parse_flight(&mcp).unwrap();
        assert_eq!(a, parse_flight(&sql).unwrap());
        assert_eq!(a.config, Some(vec![("REGION".into(), Some("us".into()))]));
        assert_eq!(a.version, Some(3));
    }

    #[test]
    fn malformed_results_are_errors() {
        assert!(parse_flight(&json!([1])).is_err());
        assert!(parse_flight(&json!({"name": "x"})).unwrap_err().contains("'id'"));
        assert!(parse_flight(&json!({"id": "x", "config": {"A": 1}})).unwrap_err().contains("config"));
        assert!(parse_flight(&json!({"id": "x", "md_secret_names": "s"})).is_err());
        assert_eq!(parse_flight(&json!({"id": "x", "config": ""})).unwrap().config, Some(vec![]));
    }

    #[test]
    fn names_resolve_to_ids() {
        let flights =
            parse_flight_list(&json!({"flights": [{"id": "a", "name": "ingest"}, {"id": "b", "name": "twin"},
            {"id": "c", "name": "twin"}]}))
            .unwrap();
        assert_eq!(resolve_flight("a", &flights), Ok(Some("a".into())));
        assert_eq!(resolve_flight("ingest", &flights), Ok(Some("a".into())));
        assert_eq!(resolve_flight("nope", &flights), Ok(None));
        let err = resolve_flight("twin", &flights).unwrap_err();
        assert!(err.contains("b (twin)") && err.contains("c (twin)"), "{err}");
    }

    #[test]
    fn given_parameters_win() {
        let definition = FlightDefinition {
            id: "f".into(),
            config: Some(vec![("A".into(), Some("stored".into()))]),
            flight_secret_names: Some(vec!["s".into()]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        };
        let mut spec = FlightSpec { config: Some(vec![("A".into(), Some("mine".into()))]), ..Default::default() };
        fill_spec(&mut spec, &definition);
        assert_eq!(spec.config, Some(vec![("A".into(), Some("mine".into()))]));
        assert_eq!(spec.flight_secret_names, Some(vec![Some("s".into())]));
        assert_eq!(spec.access_token_name.as_deref(), Some("svc"));
    }
}
