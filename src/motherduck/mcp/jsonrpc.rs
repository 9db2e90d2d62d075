//! Reading the JSON-RPC messages an MCP server sends, and a `tools/call`
//! result (pure).
//!
//! - An error response is read before ids are matched: a server answers a
//!   request it could not read with an error that has no `id` (JSON-RPC 2.0,
//!   section 5; MCP 2025-11-25 `basic/transports.mdx`: "The HTTP response body
//!   MAY comprise a JSON-RPC error response that has no id"; 2026-07-28
//!   `schema.mdx`: `JSONRPCErrorResponse.id` is optional).
//! - A result of a modern server carries `resultType`: `"complete"`, or
//!   `"input_required"` for a multi round-trip request this client cannot
//!   answer; a result without it is complete (2026-07-28 `changelog.mdx`,
//!   major change 8).
//! - A tool's answer is `structuredContent`, or the JSON in its text content
//!   (2025-06-18 and later `server/tools.mdx`). What the answer holds is the
//!   tool's own business (MotherDuck's `success` / `error`:
//!   `crate::motherduck::tools::flights::check_success`).

use serde_json::Value;

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: Option<i64>,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    fn of(error: &Value) -> RpcError {
        RpcError {
            code: error.get("code").and_then(Value::as_i64),
            message: error.get("message").and_then(Value::as_str).unwrap_or("no message").to_owned(),
            data: error.get("data").filter(|d| !d.is_null()).cloned(),
        }
    }

    /// `message (JSON-RPC error CODE)`.
    pub fn describe(&self) -> String {
        match self.code {
            Some(code) => format!("{} (JSON-RPC error {code})", self.message),
            None => self.message.clone(),
        }
    }
}

/// Whether `error` is a server's answer that it has no tool of the name called: JSON-RPC
/// -32602 whose message says so (MCP `server/tools.mdx`, "Error Handling": `{"code": -32602,
/// "message": "Unknown tool: invalid_tool_name"}`). Other -32602 answers (invalid
/// arguments) are not: the same code covers both.
pub fn is_unknown_tool(error: &RpcError) -> bool {
    let message = error.message.to_ascii_lowercase();
    error.code == Some(-32602)
        && (message.contains("unknown tool") || (message.contains("tool") && message.contains("not found")))
}

/// One message from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// An error response (with the id it names, if any).
    Error { id: Option<Value>, error: RpcError },
    /// A success response.
    Result { id: Value, result: Value },
    /// A server-to-client request (legacy servers may send `ping`).
    Request { id: Value, method: String },
    /// A notification, or anything else: skipped.
    Other,
}

/// Classifies `message`, looking at `error` before anything else.
pub fn classify(message: &Value) -> Incoming {
    let id = message.get("id").filter(|id| !id.is_null()).cloned();
    if let Some(error) = message.get("error").filter(|e| e.is_object()) {
        return Incoming::Error { id, error: RpcError::of(error) };
    }
    match (id, message.get("method").and_then(Value::as_str), message.get("result")) {
        (Some(id), Some(method), _) => Incoming::Request { id, method: method.to_owned() },
        (Some(id), None, Some(result)) => Incoming::Result { id, result: result.clone() },
        _ => Incoming::Other,
    }
}

/// The JSON-RPC error of an HTTP error body, if it holds one.
pub fn body_error(body: &str) -> Option<RpcError> {
    let value: Value = serde_json::from_str(body).ok()?;
    value.get("error").filter(|e| e.is_object()).map(RpcError::of)
}

/// Whether `id` is the id `ours` (a number we sent).
pub fn is_ours(id: &Value, ours: u64) -> bool {
    id.as_u64() == Some(ours)
}

/// Why a `tools/call` result is not the tool's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolError {
    /// The tool failed; the server's own words.
    Failed(String),
    /// Not in the documented shape.
    Malformed(String),
    /// `resultType: "input_required"`.
    InputRequired,
}

/// The answer object of a `tools/call` result.
pub fn tool_answer(tool: &str, mut result: Value) -> Result<Value, ToolError> {
    match result.get("resultType").and_then(Value::as_str) {
        None | Some("complete") => {}
        Some("input_required") => return Err(ToolError::InputRequired),
        Some(other) => return Err(ToolError::Malformed(format!("the {tool} result has resultType '{other}'"))),
    }
    let text_content = |result: &Value| {
        result
            .get("content")
            .and_then(Value::as_array)
            .and_then(|items| items.iter().find_map(|item| item.get("text").and_then(Value::as_str).map(str::to_owned)))
    };
    let is_error = result.get("isError").and_then(Value::as_bool) == Some(true);
    let object = match result.get_mut("structuredContent").map(Value::take).filter(|v| !v.is_null()) {
        Some(structured) => Some(structured),
        None => text_content(&result).and_then(|text| serde_json::from_str::<Value>(&text).ok()),
    };
    let Some(object) = object else {
        if is_error {
            return Err(ToolError::Failed(text_content(&result).unwrap_or_else(|| "no detail given".into())));
        }
        return Err(ToolError::Malformed(format!(
            "the {tool} result has neither structuredContent nor JSON text content"
        )));
    };
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_error_is_read_before_the_id() {
        let no_id = json!({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}});
        assert_eq!(
            classify(&no_id),
            Incoming::Error {
                id: None,
                error: RpcError { code: Some(-32700), message: "Parse error".into(), data: None }
            }
        );
        let null_id = json!({"jsonrpc": "2.0", "id": null, "error": {"message": "x"}});
        assert!(matches!(classify(&null_id), Incoming::Error { id: None, .. }));
        let other_id = json!({"jsonrpc": "2.0", "id": 9, "result": {}, "error": {"code": 1, "message": "both"}});
        assert!(matches!(classify(&other_id), Incoming::Error { id: Some(_), .. }));
        assert!(matches!(classify(&json!({"id": "s-1", "method": "ping"})), Incoming::Request { .. }));
        assert_eq!(classify(&json!({"method": "notifications/progress"})), Incoming::Other);
        assert!(matches!(classify(&json!({"id": 3, "result": {"a": 1}})), Incoming::Result { .. }));
        let e =
            body_error("{\"error\": {\"code\": -32022, \"message\": \"m\", \"data\": {\"supported\": []}}}").unwrap();
        assert_eq!((e.code, e.describe()), (Some(-32022), "m (JSON-RPC error -32022)".into()));
        assert_eq!(body_error("not json"), None);
        assert_eq!(body_error("{\"error\": \"invalid token\"}"), None);
    }

    #[test]
    fn unknown_tools() {
        let error = |code, message: &str| RpcError { code: Some(code), message: message.into(), data: None };
        assert!(is_unknown_tool(&error(-32602, "Unknown tool: get_flight_run_logs")));
        assert!(is_unknown_tool(&error(-32602, "Tool get_flight_logs not found")));
        assert!(!is_unknown_tool(&error(-32602, "Invalid params: max_bytes must be >= 1024")));
        assert!(!is_unknown_tool(&error(-32601, "Unknown tool: x")));
    }

    #[test]
    fn tool_answers() {
        let payload = json!({"success": true, "flights": []});
        let structured = json!({"structuredContent": payload, "resultType": "complete"});
        assert_eq!(tool_answer("list_flights", structured), Ok(payload.clone()));
        let text = json!({"content": [{"type": "text", "text": payload.to_string()}]});
        assert_eq!(tool_answer("list_flights", text), Ok(payload));
        assert_eq!(
            tool_answer("t", json!({"resultType": "input_required", "inputRequests": {}})),
            Err(ToolError::InputRequired)
        );
        let failed = json!({"isError": true, "content": [{"type": "text", "text": "bad id"}]});
        assert_eq!(tool_answer("t", failed), Err(ToolError::Failed("bad id".into())));
        // `success: false` is the tool's answer: read by the tool's reader, not here.
        let unsuccessful = json!({"structuredContent": {"success": false, "error": "Flight not found"}});
        assert_eq!(tool_answer("t", unsuccessful), Ok(json!({"success": false, "error": "Flight not found"})));
        assert!(matches!(tool_answer("t", json!({})), Err(ToolError::Malformed(_))));
    }
}
