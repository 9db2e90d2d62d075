//! Config in the JSON form MCP tools take: strict reading, compact writing.

use super::view::{ConfigView, SCAN_UP_TO};
use crate::flight::wording::quoted;
use crate::flight::{ConfigMap, Error, ErrorKind};
use serde::de::{self, Deserialize, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::HashSet;
use std::fmt;

/// How a config must look in JSON; ends the messages about a JSON document.
const JSON_SHAPE: &str = "config must be a JSON object of string values, e.g. {\"REGION\": \"us\"}";

/// Reads config from a JSON object of string values, the form MCP tools take,
/// keeping key order.
///
/// Strict, and every error says how to fix it: malformed JSON (with serde_json's
/// line and column; nesting deeper than its recursion limit is malformed too),
/// a top level that is not an object, a key given twice (serde_json's `Value`
/// would silently keep the last) and a value that is not a string.
pub fn config_from_json(json: &str) -> Result<ConfigMap, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let parsed = deserializer.deserialize_any(TopLevel).and_then(|config| deserializer.end().map(|()| config));
    parsed.unwrap_or_else(|error| Err(invalid_json(&error)))
}

fn invalid_json(error: &serde_json::Error) -> Error {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is given up front instead.
    let reason = message.rsplit_once(" at line ").map_or(message.as_str(), |(reason, _)| reason);
    invalid(format!("invalid JSON at line {}, column {}: {reason}; {JSON_SHAPE}", error.line(), error.column()))
}

/// JSON that is no config.
fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidJson, message)
}

/// A well-formed document whose top level is `got`, not an object.
fn not_an_object(got: &str) -> Result<ConfigMap, Error> {
    Err(invalid(format!("{JSON_SHAPE}; got {got}")))
}

/// Reads the top-level JSON value. Its value is `Err` ([`ErrorKind::InvalidJson`]) for a
/// well-formed document that is no config; syntax errors stay serde errors,
/// so they win over a config problem found earlier in the document.
struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Result<ConfigMap, Error>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of string values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut config = ConfigMap::new();
        let mut seen = SeenKeys::default();
        let mut problem = None;
        while let Some(key) = map.next_key::<String>()? {
            if problem.is_some() {
                // Read on: a syntax error later in the document wins.
                map.next_value::<Skip>()?;
                continue;
            }
            let value = map.next_value::<JsonValue>()?;
            if !seen.first_time(&config, &key) {
                problem = Some(format!("config JSON has the key {} twice: each key may appear once", quoted(&key)));
                continue;
            }
            match value {
                JsonValue::Text(text) => config.push((key, Some(text))),
                other => problem = Some(not_a_string(&key, &other)),
            }
        }
        Ok(problem.map_or(Ok(config), |message| Err(invalid(message))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(not_an_object("an array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(not_an_object("a string"))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(not_an_object(if value { "true" } else { "false" }))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(not_an_object("null"))
    }
}

/// The keys of a JSON object read so far: scanned while few, hashed once many.
#[derive(Default)]
struct SeenKeys {
    hashed: Option<HashSet<String>>,
}

impl SeenKeys {
    /// Whether `key` is new, given that `config` holds every key read before it.
    fn first_time(&mut self, config: &ConfigMap, key: &str) -> bool {
        if self.hashed.is_none() && config.len() <= SCAN_UP_TO {
            return config.iter().all(|(seen, _)| seen != key);
        }
        let hashed = self.hashed.get_or_insert_with(|| config.iter().map(|(seen, _)| seen.clone()).collect());
        hashed.insert(key.to_owned())
    }
}

/// A config value as read from JSON: the string, or what it is instead.
enum JsonValue {
    Text(String),
    /// The number as serde_json writes it.
    Number(String),
    Bool(bool),
    Null,
    Object,
    List,
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<JsonValue, E> {
        Ok(JsonValue::Text(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<JsonValue, E> {
        let text = serde_json::Number::from_f64(value).map_or_else(|| value.to_string(), |n| n.to_string());
        Ok(JsonValue::Number(text))
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
        SkipVisitor.visit_map(map).map(|()| JsonValue::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<JsonValue, A::Error> {
        SkipVisitor.visit_seq(seq).map(|()| JsonValue::List)
    }
}

/// Reads a JSON value and keeps nothing. Unlike serde's `IgnoredAny` (which
/// serde_json skips without a depth limit), it nests through `deserialize_any`,
/// so serde_json's recursion limit guards it: too deep is malformed JSON.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor).map(|()| Skip)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(())
    }
}

/// The message for a config value that is not a JSON string.
fn not_a_string(key: &str, value: &JsonValue) -> String {
    let key = quoted(key);
    match value {
        JsonValue::Number(n) => {
            format!("config value for {key} is a number ({n}): config is a flat string map, quote it: \"{n}\"")
        }
        JsonValue::Bool(b) => {
            format!("config value for {key} is a boolean ({b}): config is a flat string map, quote it: \"{b}\"")
        }
        JsonValue::Null => {
            format!("config value for {key} is null: give a string (\"\" for an empty one) or leave the key out")
        }
        JsonValue::Object => format!(
            "config value for {key} is a nested object: config is a flat string map, JSON-encode it into one \
             string, e.g. \"{{\\\"a\\\":1}}\""
        ),
        JsonValue::List => format!(
            "config value for {key} is a nested list: config is a flat string map, JSON-encode it into one \
             string, e.g. \"[1,2]\""
        ),
        // Not reached: strings are values, not problems.
        JsonValue::Text(_) => format!("config value for {key} is a string"),
    }
}

/// The compact JSON object for MCP tools: keys in map order, NULL values as
/// `null`, strings escaped by serde_json.
pub fn config_to_json<'a>(config: impl ConfigView<'a>) -> String {
    // Writing string keys and values to memory cannot fail; the fallback is never taken.
    serde_json::to_string(&JsonObject(config)).unwrap_or_else(|_| String::from("{}"))
}

/// Serializes a config as a JSON object.
struct JsonObject<V>(V);

impl<'a, V: ConfigView<'a>> Serialize for JsonObject<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = self.0.entries();
        let mut object = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in entries {
            object.serialize_entry(key, &value)?;
        }
        object.end()
    }
}
