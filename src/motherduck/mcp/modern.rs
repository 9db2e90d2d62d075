//! The modern era of the client (2026-07-28): every request a POST carrying
//! its version, no session; a refused version retried with one both speak;
//! HeaderMismatch answered by learning the tool's `Mcp-Param-*` headers.

use super::client::{Client, Failure, Refusal, Step};
use super::eras::{self, after_unsupported, modern_error, request_meta, Era, ModernError, Next, ERAS};
use crate::motherduck::http::param_headers::{mirrored_parameters, param_headers};
use crate::motherduck::{Error, ErrorKind};
use serde_json::{json, Value};
use std::time::Instant;

impl Client {
    /// A modern request (`probing`: the era is not known yet).
    pub(super) fn modern(
        &self,
        version: &'static str,
        method: &str,
        what: &str,
        params: &Value,
        probing: bool,
    ) -> Step {
        let mut extra = self.known_param_headers(method, params);
        let mut listed = false;
        loop {
            let refusal = match self.modern_exchange(version, method, what, params, &extra) {
                Ok(result) => {
                    ERAS.remember(&self.origin, Era::Modern(version));
                    return Step::Done(result);
                }
                Err(Failure::Refused(refusal)) => *refusal,
                Err(Failure::Error(e)) => return Step::Fail(e),
                Err(Failure::SessionExpired | Failure::StreamEnded) => {
                    return Step::Fail(
                        self.malformed(&format!("the response stream for {what} ended twice before the response")),
                    )
                }
            };
            match modern_error(refusal.status, refusal.error.as_ref()) {
                Some(ModernError::UnsupportedVersion { supported }) => {
                    return match after_unsupported(&supported, version, self.pin()) {
                        Next::Modern(other) => self.modern(other, method, what, params, probing),
                        Next::Legacy(offer) => self.legacy(method, what, params, offer, Some(&refusal)),
                        Next::Fail(why) => Step::Fail(Error::new(
                            ErrorKind::Protocol,
                            format!(
                                "MotherDuck's MCP server at {} refused protocol version {version} for {what}: {}",
                                self.transport.url,
                                self.scrub(&why)
                            ),
                        )),
                    }
                }
                Some(ModernError::HeaderMismatch) if method == "tools/call" && !listed => {
                    listed = true;
                    match self.learn_param_headers(version, what, params) {
                        Ok(headers) => extra = headers,
                        Err(e) => return Step::Fail(e),
                    }
                }
                Some(found) => return Step::Fail(self.modern_refusal(&found, &refusal, method, what)),
                None => return self.not_modern(refusal, method, what, params, probing),
            }
        }
    }

    /// A 4xx without a recognized modern error (or any other status) to a modern request.
    fn not_modern(&self, refusal: Refusal, method: &str, what: &str, params: &Value, probing: bool) -> Step {
        let fallback = (400..500).contains(&refusal.status) && !matches!(refusal.status, 401 | 403);
        // A standard JSON-RPC error (-32700, -32600 to -32603) from a server
        // known to be modern is its answer to this request, not a sign of another era.
        let standard = refusal.error.as_ref().and_then(|e| e.code).is_some_and(|c| (-32700..=-32600).contains(&c));
        match (fallback, probing) {
            (true, true) if self.pin().allows_legacy() => {
                self.legacy(method, what, params, self.pin().legacy_offer(), Some(&refusal))
            }
            (true, false) if !standard => Step::Reprobe(self.refused(&refusal, what)),
            (true, true) => Step::Fail(Error::new(
                ErrorKind::Protocol,
                format!(
                    "MotherDuck's MCP server at {} answered a modern {what} request with HTTP {} and no modern error: it \
                     does not look like a modern server{}",
                    self.transport.url,
                    refusal.status,
                    self.pin().note()
                ),
            )),
            _ => Step::Fail(self.refused(&refusal, what)),
        }
    }

    /// Sends one modern request and reads its response; a broken stream
    /// sends it once more with a new id.
    fn modern_exchange(
        &self,
        version: &str,
        method: &str,
        what: &str,
        params: &Value,
        extra: &[(String, String)],
    ) -> Result<Value, Failure> {
        let deadline = Instant::now() + self.transport.settings.timeout;
        let mut params = params.clone();
        params["_meta"] = request_meta(version);
        let mut headers: Vec<(&str, String)> = eras::modern_headers(version, method, &params);
        headers.extend(extra.iter().map(|(n, v)| (n.as_str(), v.clone())));
        let mut attempt = 0;
        loop {
            let id = self.next_id();
            let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
            let posted = self.transport.post(&message, &headers, deadline, what).map_err(Failure::Error)?;
            match self.response(posted.http, id, what, None, deadline) {
                Err(Failure::StreamEnded) if attempt == 0 => attempt += 1,
                other => return other,
            }
        }
    }

    /// The `Mcp-Param-*` headers already learned for this tool.
    fn known_param_headers(&self, method: &str, params: &Value) -> Vec<(String, String)> {
        let tool = params.get("name").and_then(Value::as_str).unwrap_or("");
        let known = self.mirrored.lock().unwrap_or_else(|p| p.into_inner());
        match known.iter().find(|(t, _)| method == "tools/call" && t == tool) {
            Some((_, mirrored)) => param_headers(mirrored, &params["arguments"]).unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// Reads `tools/list` (every page) for the tool of `params` and returns
    /// the `Mcp-Param-*` headers its schema asks for.
    fn learn_param_headers(&self, version: &str, what: &str, params: &Value) -> Result<Vec<(String, String)>, Error> {
        let tool = params.get("name").and_then(Value::as_str).unwrap_or("");
        let mut cursor: Option<String> = None;
        for _ in 0..100 {
            let list_params = cursor.as_ref().map_or_else(|| json!({}), |c| json!({"cursor": c}));
            let listed =
                self.modern_exchange(version, "tools/list", "tools/list", &list_params, &[]).map_err(|f| match f {
                    Failure::Refused(r) => self.refused(&r, "tools/list"),
                    Failure::Error(e) => e,
                    _ => self.malformed("the tools/list response stream ended before the response"),
                })?;
            let tools = listed.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
            if let Some(definition) = tools.iter().find(|t| t.get("name").and_then(Value::as_str) == Some(tool)) {
                let mirrored = mirrored_parameters(definition).map_err(|Error { message: e, .. }| {
                    self.malformed(&format!(
                        "the definition of {tool} in tools/list is invalid ({e}), so {what} cannot be sent"
                    ))
                })?;
                let headers = param_headers(&mirrored, &params["arguments"]).map_err(|e| self.malformed(&e.message))?;
                self.mirrored.lock().unwrap_or_else(|p| p.into_inner()).push((tool.to_owned(), mirrored));
                return Ok(headers);
            }
            cursor = listed.get("nextCursor").and_then(Value::as_str).map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        Err(Error::new(
            ErrorKind::Refused,
            format!(
                "MotherDuck's MCP server at {} refused the headers of {what}, and tools/list has no tool {tool}",
                self.transport.url
            ),
        ))
    }

    fn modern_refusal(&self, found: &ModernError, refusal: &Refusal, method: &str, what: &str) -> Error {
        let said = refusal.error.as_ref().map(|e| self.scrub(&e.describe())).unwrap_or_default();
        let url = &self.transport.url;
        let kind = match found {
            ModernError::MissingCapability { .. } | ModernError::MethodNotFound => ErrorKind::Protocol,
            _ => ErrorKind::Refused,
        };
        let message = match found {
            ModernError::MissingCapability { required } => format!(
                "MotherDuck's MCP server at {url} refused {what}: it requires client capabilities this client does not have \
                 ({}): {said}",
                required.join(", ")
            ),
            ModernError::MethodNotFound => format!("MotherDuck's MCP server at {url} does not implement {method}: {said}"),
            _ => format!("MotherDuck's MCP server at {url} refused {what}: {said}"),
        };
        Error::new(kind, message)
    }
}
