//! `x-mcp-header`: tool parameters a modern server wants mirrored into
//! `Mcp-Param-{Name}` headers (pure).
//!
//! MCP 2026-07-28 `basic/transports/streamable-http.mdx`, "Custom Headers from
//! Tool Parameters", and `server/tools.mdx`, "x-mcp-header": the annotation
//! sits in the JSON Schema of a property statically reachable from the
//! `inputSchema` root through `properties` keys only; its value is a
//! non-empty HTTP token, unique case-insensitively; the property is a string,
//! integer (within +-(2^53-1)) or boolean. A tool breaking a rule is
//! rejected. Values: a string as is, an integer in decimal, a boolean as
//! `true`/`false`, each through the Value Encoding of [`header_value`]; a
//! missing or null value omits the header. The client learns the
//! annotations from `tools/list` when the server answers HeaderMismatch
//! (-32020): "the client SHOULD call tools/list ... then retry".

use super::header::{header_value, is_field_name};
use crate::motherduck::{malformed, Error};
use serde_json::Value;

/// One mirrored parameter: its path of `properties` keys and its header name part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirrored {
    pub path: Vec<String>,
    pub name: String,
}

const SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The mirrored parameters of one tool definition (an element of
/// `tools/list`'s `tools`), or why the definition is invalid.
pub fn mirrored_parameters(tool: &Value) -> Result<Vec<Mirrored>, Error> {
    let mut found = Vec::new();
    if let Some(schema) = tool.get("inputSchema") {
        walk(schema, Some(&mut Vec::new()), &mut found)?;
    }
    for (i, a) in found.iter().enumerate() {
        if found[..i].iter().any(|b| b.name.eq_ignore_ascii_case(&a.name)) {
            return Err(malformed(format!("x-mcp-header '{}' is used twice", a.name)));
        }
    }
    Ok(found)
}

/// Walks a schema; `path` is `Some` while the chain from the root is made of `properties` keys only.
fn walk(schema: &Value, path: Option<&mut Vec<String>>, found: &mut Vec<Mirrored>) -> Result<(), Error> {
    let Value::Object(map) = schema else {
        if let Value::Array(items) = schema {
            for item in items {
                walk(item, None, found)?;
            }
        }
        return Ok(());
    };
    let mut path = path;
    if let Some(name) = map.get("x-mcp-header") {
        let Some(path) = path.as_deref() else {
            return Err(malformed(format!("x-mcp-header {name} is not reachable through properties alone")));
        };
        let name = name
            .as_str()
            .filter(|n| is_field_name(n))
            .ok_or_else(|| malformed(format!("x-mcp-header {name} is not an HTTP token")))?;
        if !matches!(map.get("type").and_then(Value::as_str), Some("string" | "integer" | "boolean")) {
            return Err(malformed(format!(
                "x-mcp-header '{name}' is on a parameter that is not a string, integer or boolean"
            )));
        }
        found.push(Mirrored { path: path.clone(), name: name.to_owned() });
    }
    for (key, child) in map {
        if key == "properties" {
            if let Value::Object(properties) = child {
                for (property, schema) in properties {
                    match path.as_deref_mut() {
                        Some(path) => {
                            path.push(property.clone());
                            let walked = walk(schema, Some(path), found);
                            path.pop();
                            walked?;
                        }
                        None => walk(schema, None, found)?,
                    }
                }
            }
        } else if key != "x-mcp-header" {
            walk(child, None, found)?;
        }
    }
    Ok(())
}

/// The `Mcp-Param-{Name}` headers for `arguments`.
pub fn param_headers(mirrored: &[Mirrored], arguments: &Value) -> Result<Vec<(String, String)>, Error> {
    let mut headers = Vec::new();
    for m in mirrored {
        let value = m.path.iter().try_fold(arguments, |v, key| v.get(key));
        let text = match value {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) if n.as_i64().is_some_and(|i| i.abs() <= SAFE_INTEGER) => n.to_string(),
            Some(other) => {
                return Err(malformed(format!(
                    "argument '{}' ({other}) cannot go into header Mcp-Param-{}",
                    m.path.join("."),
                    m.name
                )))
            }
        };
        headers.push((format!("Mcp-Param-{}", m.name), header_value(&text)));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The example of "Custom Headers from Tool Parameters".
    #[test]
    fn the_pages_example() {
        let tool = json!({"name": "execute_sql", "inputSchema": {"type": "object", "properties": {
            "region": {"type": "string", "x-mcp-header": "Region"},
            "query": {"type": "string"}}, "required": ["region", "query"]}});
        let mirrored = mirrored_parameters(&tool).unwrap();
        assert_eq!(mirrored, vec![Mirrored { path: vec!["region".into()], name: "Region".into() }]);
        let args = json!({"region": "us-west1", "query": "SELECT * FROM users"});
        assert_eq!(
            param_headers(&mirrored, &args).unwrap(),
            vec![("Mcp-Param-Region".to_owned(), "us-west1".to_owned())]
        );
        assert_eq!(param_headers(&mirrored, &json!({"query": "x"})).unwrap(), vec![]);
        assert_eq!(param_headers(&mirrored, &json!({"region": null})).unwrap(), vec![]);
    }

    #[test]
    fn values_and_nesting() {
        let tool = json!({"inputSchema": {"properties": {
            "id": {"type": "string", "x-mcp-header": "Flight-Id"},
            "limit": {"type": "integer", "x-mcp-header": "Limit"},
            "opts": {"type": "object", "properties": {"dry": {"type": "boolean", "x-mcp-header": "Dry"}}}}}});
        let mirrored = mirrored_parameters(&tool).unwrap();
        let headers =
            param_headers(&mirrored, &json!({"id": "caf\u{e9}", "limit": 500, "opts": {"dry": true}})).unwrap();
        assert_eq!(
            headers,
            vec![
                ("Mcp-Param-Flight-Id".to_owned(), "=?base64?Y2Fmw6k=?=".to_owned()),
                ("Mcp-Param-Limit".to_owned(), "500".to_owned()),
                ("Mcp-Param-Dry".to_owned(), "true".to_owned()),
            ]
        );
        assert!(param_headers(&mirrored, &json!({"limit": 1.5})).is_err());
        assert!(param_headers(&mirrored, &json!({"limit": 9_007_199_254_740_992_i64})).is_err());
    }

    #[test]
    fn invalid_definitions_are_refused() {
        let bad = [
            json!({"inputSchema": {"properties": {"a": {"type": "number", "x-mcp-header": "A"}}}}),
            json!({"inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": ""}}}}),
            json!({"inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": "A B"}}}}),
            json!({"inputSchema": {"properties": {"a": {"type": "string", "x-mcp-header": "X"},
                                                  "b": {"type": "string", "x-mcp-header": "x"}}}}),
            json!({"inputSchema": {"properties": {"a": {"type": "array", "items": {"type": "string", "x-mcp-header": "A"}}}}}),
            json!({"inputSchema": {"oneOf": [{"properties": {"a": {"type": "string", "x-mcp-header": "A"}}}]}}),
        ];
        for tool in bad {
            assert!(mirrored_parameters(&tool).is_err(), "{tool}");
        }
        assert_eq!(mirrored_parameters(&json!({"name": "t"})), Ok(vec![]));
    }
}
