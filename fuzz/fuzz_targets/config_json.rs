//! `config_from_json` on arbitrary text: no panic, errors on one line, a
//! round trip through `config_to_json` for every accepted config, and
//! agreement with serde_json's own reading. The same text, when it is JSON,
//! also goes through the MCP result readers (`parse_get_flight`, `parse_flight_list`).

#![no_main]

use flights_helper::flight::config::{config_from_json, config_to_json, pairs};
use flights_helper::flight::ErrorKind;
use flights_helper::flight::stored::fill_spec;
use flights_helper::motherduck::tools::flights::{parse_flight_list, parse_get_flight, resolve_name};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = config_from_json(text);
    let reference = serde_json::from_str::<Value>(text);
    match &parsed {
        Ok(map) => {
            // Keys unique, every value a string.
            let mut seen = std::collections::HashSet::new();
            assert!(map.iter().all(|(k, _)| seen.insert(k.as_str())), "duplicate key in {map:?}");
            assert!(map.iter().all(|(_, v)| v.is_some()), "NULL value in {map:?}");
            // Round trip, order kept.
            let json = config_to_json(&pairs(map));
            assert_eq!(config_from_json(&json).as_ref(), Ok(map), "round trip through {json:?}");
            // serde_json reads the same object, in the same order.
            let Ok(Value::Object(object)) = &reference else {
                panic!("config_from_json accepted what serde_json reads as {reference:?}")
            };
            let expected: Vec<(&str, Option<&str>)> = object.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(pairs(map), expected);
        }
        Err(error) => {
            assert_eq!(error.kind, ErrorKind::InvalidJson, "{error}");
            let message = &error.message;
            assert!(!message.is_empty());
            assert!(!message.contains('\n') && !message.contains('\r'), "multi-line error: {message:?}");
            // An object of strings that serde_json reads is only refused for a repeated key
            // (serde_json keeps the last; a non-string value may hide behind a repeat).
            if let Ok(Value::Object(object)) = &reference {
                if object.values().all(Value::is_string) {
                    assert!(!message.starts_with("invalid JSON"), "{message} for a valid object: {text:?}");
                }
            }
        }
    }
    if let Ok(value) = &reference {
        if let Ok(fetched) = parse_get_flight(value) {
            let mut spec = Default::default();
            fill_spec(&mut spec, &fetched.stored);
            let _ = flights_helper::flight::env::resolve(&spec);
        }
        if let Ok(list) = parse_flight_list(value) {
            let wanted = list.first().map(|f| f.name.clone()).unwrap_or_default();
            if let Ok(id) = resolve_name(&wanted, &list) {
                assert!(list.iter().any(|f| f.id == id));
            }
        }
    }
});
