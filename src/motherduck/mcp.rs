//! A small MCP client for MotherDuck's remote server (Streamable HTTP).
//!
//! JSON-RPC 2.0 over POST: `initialize`, `notifications/initialized`, then
//! `tools/call`. Replies may be `application/json` or a `text/event-stream`;
//! an `Mcp-Session-Id` handed out by the server is sent back on later calls.
//!
//! Settings come from the environment: `MOTHERDUCK_MCP_URL` (default
//! `https://api.motherduck.com/mcp`; plain `http://` only for loopback hosts),
//! `MOTHERDUCK_TOKEN` or `motherduck_token` (sent as a bearer token, never
//! shown), `MOTHERDUCK_MCP_TIMEOUT` (overall seconds per request, default 30;
//! connecting is bounded by 10 s or less).

use super::definition::{parse_flight, parse_flight_list, resolve_flight, FlightDefinition};
use serde_json::{json, Value};
use std::time::Duration;

pub const DEFAULT_URL: &str = "https://api.motherduck.com/mcp";
const PROTOCOL_VERSION: &str = "2025-06-18";
const MAX_REPLY_BYTES: u64 = 64 << 20;

/// Where to connect and how. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    pub url: String,
    token: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("url", &shown_url(&self.url))
            .field("token", &"redacted")
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Settings {
    /// Reads the settings through `lookup` (the process environment in production).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let url = lookup("MOTHERDUCK_MCP_URL").filter(|u| !u.trim().is_empty()).unwrap_or_else(|| DEFAULT_URL.into());
        check_url(&url)?;
        let token = lookup("MOTHERDUCK_TOKEN")
            .or_else(|| lookup("motherduck_token"))
            .filter(|t| !t.trim().is_empty())
            .ok_or("no MotherDuck token: set the environment variable MOTHERDUCK_TOKEN (or motherduck_token) \
                    to an access token before starting DuckDB; flight := fetches the Flight over MotherDuck's MCP server")?;
        let seconds = match lookup("MOTHERDUCK_MCP_TIMEOUT") {
            None => 30.0,
            Some(text) => {
                text.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0).ok_or_else(
                    || format!("MOTHERDUCK_MCP_TIMEOUT must be a number of seconds between 0 and 3600; got '{text}'"),
                )?
            }
        };
        Ok(Settings { url, token: token.trim().to_owned(), timeout: Duration::from_secs_f64(seconds) })
    }

    pub fn from_env() -> Result<Settings, String> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Removes the token from any text that may be shown (server messages included).
    fn scrub(&self, text: &str) -> String {
        if self.token.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.token, "redacted")
        }
    }
}

/// Refuses anything but https, or plain http to a loopback host.
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err(format!("MOTHERDUCK_MCP_URL must start with https:// (got '{}')", shown_url(url)));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let loopback =
        host == "localhost" || host == "::1" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(format!(
            "MOTHERDUCK_MCP_URL '{}' uses plain http:// to a host that is not loopback: use https:// (the token would travel in clear)",
            shown_url(url)
        ))
    }
}

/// A URL as shown in messages: without any user:password part.
fn shown_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// One MCP session.
pub struct Client {
    settings: Settings,
    agent: ureq::Agent,
    session: Option<String>,
    next_id: u64,
}

impl Client {
    /// Opens a session: `initialize`, then `notifications/initialized`.
    pub fn connect(settings: Settings) -> Result<Client, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.timeout.min(Duration::from_secs(10))))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut client = Client { settings, agent, session: None, next_id: 1 };
        client.request(
            "initialize",
            "initialize",
            json!({
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "flights_helper", "version": crate::VERSION}
            }),
        )?;
        client.notify("notifications/initialized")?;
        Ok(client)
    }

    /// Calls a tool and returns its result: `structuredContent` when present,
    /// else the JSON in its text content.
    pub fn call_tool(&mut self, tool: &str, arguments: Value) -> Result<Value, String> {
        let result = self.request("tools/call", tool, json!({"name": tool, "arguments": arguments}))?;
        let text_content = || {
            result.get("content").and_then(Value::as_array).and_then(|items| {
                items.iter().find_map(|item| item.get("text").and_then(Value::as_str).map(str::to_owned))
            })
        };
        if result.get("isError").and_then(Value::as_bool) == Some(true) {
            let detail = text_content().unwrap_or_else(|| "no detail given".into());
            return Err(format!("MotherDuck's {tool} tool failed: {}", self.settings.scrub(&detail)));
        }
        if let Some(structured) = result.get("structuredContent").filter(|v| !v.is_null()) {
            return Ok(structured.clone());
        }
        let text = text_content().ok_or_else(|| self.malformed(&format!("the {tool} result has no content")))?;
        serde_json::from_str(&text)
            .map_err(|_| self.malformed(&format!("the {tool} result's text content is not JSON")))
    }

    fn malformed(&self, what: &str) -> String {
        format!("malformed reply from MotherDuck's MCP server at {}: {what}", shown_url(&self.settings.url))
    }

    fn notify(&mut self, method: &str) -> Result<(), String> {
        self.post(&json!({"jsonrpc": "2.0", "method": method}), method).map(|_| ())
    }

    /// Sends request `method` (`what` names it in messages: the tool for `tools/call`).
    fn request(&mut self, method: &str, what: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        let (content_type, body) =
            self.post(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}), what)?;
        let method = what;
        let message = if content_type.starts_with("text/event-stream") {
            sse_messages(&body)
                .into_iter()
                .filter_map(|data| serde_json::from_str::<Value>(&data).ok())
                .find(|m| m.get("id").and_then(Value::as_u64) == Some(id))
                .ok_or_else(|| self.malformed(&format!("the event stream holds no reply to {method}")))?
        } else {
            serde_json::from_str::<Value>(&body)
                .map_err(|_| self.malformed(&format!("the reply to {method} is not JSON")))?
        };
        if let Some(error) = message.get("error") {
            let text = error.get("message").and_then(Value::as_str).unwrap_or("no message");
            let code =
                error.get("code").and_then(Value::as_i64).map(|c| format!(" (JSON-RPC error {c})")).unwrap_or_default();
            return Err(format!("MotherDuck's MCP server refused {method}: {}{code}", self.settings.scrub(text)));
        }
        message.get("result").cloned().ok_or_else(|| self.malformed(&format!("the reply to {method} has no result")))
    }

    /// POSTs one JSON-RPC message; returns the reply's content type and body.
    fn post(&mut self, message: &Value, method: &str) -> Result<(String, String), String> {
        let url = shown_url(&self.settings.url);
        let mut request = self
            .agent
            .post(&self.settings.url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", PROTOCOL_VERSION)
            .header("Authorization", &format!("Bearer {}", self.settings.token));
        if let Some(session) = &self.session {
            request = request.header("Mcp-Session-Id", session);
        }
        let mut response = request.send(message.to_string()).map_err(|e| self.transport_error(&e, &url))?;
        if let Some(session) = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()) {
            self.session = Some(session.to_owned());
        }
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            401 | 403 => {
                return Err(format!(
                "MotherDuck rejected the token (HTTP {status}) at {url}: check that MOTHERDUCK_TOKEN holds a valid, \
                     unexpired access token"
            ))
            }
            404 => return Err(format!("no MCP endpoint at {url} (HTTP 404): check MOTHERDUCK_MCP_URL")),
            500..=599 => {
                return Err(format!(
                    "MotherDuck's MCP server failed (HTTP {status}) at {url} while answering {method}; try again later"
                ))
            }
            _ => return Err(format!("unexpected HTTP {status} from {url} while sending {method}")),
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_ascii_lowercase();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_REPLY_BYTES)
            .read_to_string()
            .map_err(|e| self.transport_error(&e, &url))?;
        Ok((content_type, body))
    }

    fn transport_error(&self, error: &ureq::Error, url: &str) -> String {
        let seconds = self.settings.timeout.as_secs_f64();
        match error {
            ureq::Error::Timeout(_) => format!(
                "no answer from {url} within {seconds} s (MOTHERDUCK_MCP_TIMEOUT): the MCP server is slow or unreachable"
            ),
            ureq::Error::HostNotFound => format!("cannot reach {url}: host not found"),
            ureq::Error::ConnectionFailed => format!("cannot reach {url}: connection failed"),
            ureq::Error::BodyExceedsLimit(limit) => format!("the reply from {url} is larger than {limit} bytes"),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                format!("no answer from {url} within {seconds} s (MOTHERDUCK_MCP_TIMEOUT)")
            }
            other => format!("cannot reach {url}: {}", self.settings.scrub(&other.to_string())),
        }
    }
}

/// The `data` of each event in a `text/event-stream` body.
pub fn sse_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut data: Vec<&str> = Vec::new();
    for line in body.lines().chain(std::iter::once("")) {
        if line.is_empty() {
            if !data.is_empty() {
                messages.push(data.join("\n"));
                data.clear();
            }
        } else if let Some(rest) = line.strip_prefix("data:") {
            data.push(rest.strip_prefix(' ').unwrap_or(rest));
        }
    }
    messages
}

/// Fetches a Flight's stored definition by id or by name (`version`: a past version).
pub fn fetch_flight(flight: &str, version: Option<i64>) -> Result<FlightDefinition, String> {
    let mut client = Client::connect(Settings::from_env()?)?;
    let looks_like_id = flight.len() == 36 && flight.chars().filter(|c| *c == '-').count() == 4;
    let id = if looks_like_id {
        flight.to_owned()
    } else {
        let flights =
            parse_flight_list(&client.call_tool("list_flights", json!({}))?).map_err(|e| client.malformed(&e))?;
        resolve_flight(flight, &flights)?.ok_or_else(|| {
            format!(
                "no Flight named or with id '{flight}' is visible to the token's user (list_flights found {})",
                flights.len()
            )
        })?
    };
    let mut arguments = json!({"id": id});
    if let Some(version) = version {
        arguments["version"] = json!(version);
    }
    let result = client.call_tool("get_flight", arguments)?;
    parse_flight(&result).map_err(|e| client.malformed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn settings_from_the_environment() {
        let s = Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "tok")])).unwrap();
        assert_eq!((s.url.as_str(), s.timeout), (DEFAULT_URL, Duration::from_secs(30)));
        let s =
            Settings::from_lookup(lookup(&[("motherduck_token", "tok"), ("MOTHERDUCK_MCP_TIMEOUT", "2.5")])).unwrap();
        assert_eq!(s.timeout, Duration::from_millis(2500));
        let err = Settings::from_lookup(lookup(&[])).unwrap_err();
        assert!(err.contains("MOTHERDUCK_TOKEN"), "{err}");
        assert!(Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "t"), ("MOTHERDUCK_MCP_TIMEOUT", "-1")])).is_err());
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in
            ["https://api.motherduck.com/mcp", "http://127.0.0.1:8080/mcp", "http://localhost/mcp", "http://[::1]:9/x"]
        {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/mcp",
            "http://10.0.0.1/mcp",
            "ftp://x",
            "http://127.0.0.1.evil.com/x",
            "http://user:pw@example.com/",
        ] {
            let err = check_url(bad).unwrap_err();
            assert!(!err.contains("pw@"), "{err}");
        }
    }

    #[test]
    fn event_streams() {
        let body = "event: message\ndata: {\"a\":1}\n\n: comment\ndata: {\"b\":\ndata: 2}\n\ndata: last";
        assert_eq!(sse_messages(body), vec!["{\"a\":1}", "{\"b\":\n2}", "last"]);
        assert!(sse_messages("").is_empty());
    }

    #[test]
    fn the_token_is_scrubbed() {
        let s = Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "secret-token-123")])).unwrap();
        assert_eq!(s.scrub("bad token secret-token-123!"), "bad token redacted!");
        assert!(!format!("{s:?}").contains("secret-token-123"));
    }
}
