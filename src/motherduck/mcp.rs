//! A small MCP client for MotherDuck's remote server, on the MCP 2025-06-18
//! Streamable HTTP transport
//! (<https://modelcontextprotocol.io/specification/2025-06-18/basic/transports>).
//!
//! JSON-RPC 2.0 over POST with `Accept: application/json, text/event-stream`:
//! `initialize` (the protocol version the server answers must be 2025-06-18 or
//! 2025-03-26), `notifications/initialized`, then `tools/call`, each later
//! request carrying `MCP-Protocol-Version` and the `Mcp-Session-Id` the server
//! handed out. A 404 on a request that carried a session id means the session
//! expired: the client initializes again, once. An event-stream reply is read
//! only until the response with our request id arrives; a server-to-client
//! `ping` before it is answered, other requests and notifications are skipped. Redirects are
//! never followed (the token must not leave the configured origin). The
//! session ends with `DELETE` (a 405 is fine).
//!
//! Settings come from the environment: `MOTHERDUCK_MCP_URL` (default
//! `https://api.motherduck.com/mcp`; plain `http://` only for loopback hosts),
//! `MOTHERDUCK_TOKEN` or `motherduck_token` (sent as a bearer token, never
//! shown), `MOTHERDUCK_MCP_TIMEOUT` (overall seconds per request, default 30;
//! connecting is bounded by 10 s or less).

use super::definition::{check_success, ToolFailure};
use serde_json::{json, Value};
use std::io::BufRead;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub const DEFAULT_URL: &str = "https://api.motherduck.com/mcp";
const PROTOCOL_VERSION: &str = "2025-06-18";
/// The protocol versions this client speaks.
pub const SUPPORTED_VERSIONS: [&str; 2] = ["2025-06-18", "2025-03-26"];
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
    pub fn scrub(&self, text: &str) -> String {
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
pub fn shown_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
            let host = authority.rsplit('@').next().unwrap_or(authority);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// The state of one MCP session.
#[derive(Default)]
struct Session {
    id: Option<String>,
    protocol: Option<&'static str>,
}

/// One MCP session; `&self` methods may be called from several threads at once.
pub struct Client {
    settings: Settings,
    agent: ureq::Agent,
    session: Mutex<Session>,
    next_id: AtomicU64,
}

/// What came back for one POST.
enum Reply {
    /// The JSON-RPC response to our request.
    Message(Value),
    /// 202 Accepted (a notification).
    Accepted,
    /// 404 on a request that carried a session id.
    SessionExpired,
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
        let client = Client { settings, agent, session: Mutex::new(Session::default()), next_id: AtomicU64::new(1) };
        client.initialize()?;
        Ok(client)
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn initialize(&self) -> Result<(), String> {
        *self.session() = Session::default();
        let params = json!({
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "flights_helper", "version": crate::VERSION}
        });
        let result = match self.send_request("initialize", "initialize", params)? {
            Reply::Message(result) => result,
            _ => return Err(self.malformed("the server gave no answer to initialize")),
        };
        let answered = result.get("protocolVersion").and_then(Value::as_str).unwrap_or("");
        let Some(version) = SUPPORTED_VERSIONS.iter().find(|v| **v == answered) else {
            return Err(format!(
                "MotherDuck's MCP server at {} answered protocol version '{}', which this client does not speak \
                 (it speaks {}): update flights_helper",
                shown_url(&self.settings.url),
                self.settings.scrub(answered),
                SUPPORTED_VERSIONS.join(" and ")
            ));
        };
        self.session().protocol = Some(version);
        match self.post(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}), None, "initialize")? {
            Reply::SessionExpired => Err(self.malformed("the session expired right after initialize")),
            _ => Ok(()),
        }
    }

    /// Ends the session (`DELETE`); a server that does not allow it (405) is fine.
    pub fn close(&self) {
        let (id, protocol) = {
            let session = self.session();
            (session.id.clone(), session.protocol)
        };
        if let (Some(id), Some(protocol)) = (id, protocol) {
            let _ = self
                .agent
                .delete(&self.settings.url)
                .header("Authorization", &format!("Bearer {}", self.settings.token))
                .header("Mcp-Session-Id", &id)
                .header("MCP-Protocol-Version", protocol)
                .call();
        }
    }

    /// Calls a tool and returns its result object (`structuredContent`, or the
    /// JSON in its text content), after checking its `success`.
    pub fn call_tool(&self, tool: &str, arguments: Value) -> Result<Value, String> {
        let params = json!({"name": tool, "arguments": arguments});
        let mut result = match self.send_request("tools/call", tool, params.clone())? {
            Reply::SessionExpired => {
                self.initialize()?;
                match self.send_request("tools/call", tool, params)? {
                    Reply::SessionExpired => {
                        return Err(format!(
                            "MotherDuck's MCP server at {} answered HTTP 404 again after a new session: check MOTHERDUCK_MCP_URL",
                            shown_url(&self.settings.url)
                        ))
                    }
                    Reply::Message(result) => result,
                    Reply::Accepted => return Err(self.malformed(&format!("no answer to {tool}"))),
                }
            }
            Reply::Message(result) => result,
            Reply::Accepted => return Err(self.malformed(&format!("no answer to {tool}"))),
        };
        let text_content = |result: &Value| {
            result.get("content").and_then(Value::as_array).and_then(|items| {
                items.iter().find_map(|item| item.get("text").and_then(Value::as_str).map(str::to_owned))
            })
        };
        let is_error = result.get("isError").and_then(Value::as_bool) == Some(true);
        let object = match result.get_mut("structuredContent").map(Value::take).filter(|v| !v.is_null()) {
            Some(structured) => Some(structured),
            None => text_content(&result).and_then(|text| serde_json::from_str::<Value>(&text).ok()),
        };
        let Some(object) = object else {
            if is_error {
                let detail = text_content(&result).unwrap_or_else(|| "no detail given".into());
                return Err(format!("MotherDuck's {tool} tool failed: {}", self.settings.scrub(&detail)));
            }
            return Err(
                self.malformed(&format!("the {tool} result has neither structuredContent nor JSON text content"))
            );
        };
        match check_success(tool, &object) {
            Ok(()) => Ok(object),
            Err(ToolFailure::Failed(error)) => {
                Err(format!("MotherDuck's {tool} tool failed: {}", self.settings.scrub(&error)))
            }
            Err(ToolFailure::Malformed(what)) => Err(self.malformed(&what)),
        }
    }

    /// Sends request `method` (`what` names it in messages: the tool for `tools/call`).
    fn send_request(&self, method: &str, what: &str, params: Value) -> Result<Reply, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let reply =
            self.post(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}), Some(id), what)?;
        let Reply::Message(message) = reply else { return Ok(reply) };
        if message.get("id").and_then(Value::as_u64) != Some(id) {
            return Err(self.malformed(&format!("the reply to {what} carries another request id")));
        }
        if let Some(error) = message.get("error") {
            return Err(self.rpc_error(what, error));
        }
        message
            .get("result")
            .cloned()
            .map(Reply::Message)
            .ok_or_else(|| self.malformed(&format!("the reply to {what} has no result")))
    }

    /// POSTs one JSON-RPC message; for a request (`id`), returns the response
    /// with that id, read from a JSON body or from an event stream.
    fn post(&self, message: &Value, id: Option<u64>, what: &str) -> Result<Reply, String> {
        let url = shown_url(&self.settings.url);
        let (session, protocol) = {
            let session = self.session();
            (session.id.clone(), session.protocol)
        };
        let mut request = self
            .agent
            .post(&self.settings.url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", &format!("Bearer {}", self.settings.token));
        if let Some(protocol) = protocol {
            request = request.header("MCP-Protocol-Version", protocol);
        }
        if let Some(session) = &session {
            request = request.header("Mcp-Session-Id", session);
        }
        let mut response = request.send(message.to_string()).map_err(|e| self.transport_error(&e, &url))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            if let Some(new) = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()) {
                self.session().id = Some(new.to_owned());
            }
        }
        if let Some(reply) = self.unsuccessful(&mut response, status, session.is_some(), what, &url)? {
            return Ok(reply);
        }
        let Some(id) = id else { return Ok(Reply::Accepted) };
        if status == 202 {
            return Err(self.malformed(&format!("the server accepted {what} without answering it")));
        }
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        if content_type.starts_with("text/event-stream") {
            return self.read_event_stream(&mut response, id, what, &url);
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_REPLY_BYTES)
            .read_to_string()
            .map_err(|e| self.transport_error(&e, &url))?;
        serde_json::from_str::<Value>(&body)
            .map(Reply::Message)
            .map_err(|_| self.malformed(&format!("the reply to {what} is not JSON")))
    }
}

/// The transport's details: statuses, event streams, and the wording of errors
/// (every text the server sends is scrubbed of the token).
impl Client {
    /// The outcome of a non-2xx status: an error, or `Some(SessionExpired)` for a
    /// 404 on a request that carried a session id; `None` for a success.
    fn unsuccessful(
        &self,
        response: &mut ureq::http::Response<ureq::Body>,
        status: u16,
        had_session: bool,
        what: &str,
        url: &str,
    ) -> Result<Option<Reply>, String> {
        match status {
            200..=299 => Ok(None),
            300..=399 => Err(format!(
                "MotherDuck's MCP server at {url} answered {what} with a redirect (HTTP {status}); \
                     redirects are not followed, so the token never leaves the configured origin: \
                     set MOTHERDUCK_MCP_URL to the endpoint itself"
            )),
            400 => {
                let body = response.body_mut().with_config().limit(1 << 20).read_to_string().unwrap_or_default();
                let error = serde_json::from_str::<Value>(&body).ok().and_then(|v| v.get("error").cloned());
                Err(match error {
                    Some(error) if error.is_object() => self.rpc_error(what, &error),
                    _ => format!("MotherDuck's MCP server at {url} refused {what} as a bad request (HTTP 400)"),
                })
            }
            401 | 403 => Err(format!(
                "MotherDuck rejected the token (HTTP {status}) at {url}: check that MOTHERDUCK_TOKEN holds a valid, \
                     unexpired access token"
            )),
            404 if had_session => Ok(Some(Reply::SessionExpired)),
            404 => Err(format!("no MCP endpoint at {url} (HTTP 404): check MOTHERDUCK_MCP_URL")),
            500..=599 => Err(format!(
                "MotherDuck's MCP server failed (HTTP {status}) at {url} while answering {what}; try again later"
            )),
            _ => Err(format!("unexpected HTTP {status} from {url} while sending {what}")),
        }
    }

    /// Reads an event stream up to the response with our request id `id`,
    /// answering a server-to-client `ping` that comes first.
    fn read_event_stream(
        &self,
        response: &mut ureq::http::Response<ureq::Body>,
        id: u64,
        what: &str,
        url: &str,
    ) -> Result<Reply, String> {
        let mut reader = std::io::BufReader::new(response.body_mut().with_config().limit(MAX_REPLY_BYTES).reader());
        loop {
            let event = next_event(&mut reader).map_err(|e| self.io_error(&e, url))?;
            let Some(data) = event else {
                return Err(self.malformed(&format!("the event stream ended without the reply to {what}")));
            };
            let Ok(message) = serde_json::from_str::<Value>(&data) else { continue };
            // A server-to-client `ping` gets its empty answer (posted on its
            // own connection); other requests and notifications are skipped.
            if let Some(method) = message.get("method") {
                if let (Some("ping"), Some(ping_id)) = (method.as_str(), message.get("id")) {
                    let answer = json!({"jsonrpc": "2.0", "id": ping_id, "result": {}});
                    let _ = self.post(&answer, None, "the answer to ping");
                }
                continue;
            }
            if message.get("id").and_then(Value::as_u64) == Some(id) {
                // Stop reading here: a stream left open must not hold us.
                return Ok(Reply::Message(message));
            }
        }
    }

    pub fn malformed(&self, what: &str) -> String {
        format!(
            "malformed reply from MotherDuck's MCP server at {}: {}",
            shown_url(&self.settings.url),
            self.settings.scrub(what)
        )
    }

    fn rpc_error(&self, what: &str, error: &Value) -> String {
        let text = error.get("message").and_then(Value::as_str).unwrap_or("no message");
        let code =
            error.get("code").and_then(Value::as_i64).map(|c| format!(" (JSON-RPC error {c})")).unwrap_or_default();
        format!("MotherDuck's MCP server refused {what}: {}{code}", self.settings.scrub(text))
    }

    fn io_error(&self, error: &std::io::Error, url: &str) -> String {
        if error.kind() == std::io::ErrorKind::TimedOut {
            let seconds = self.settings.timeout.as_secs_f64();
            format!("no answer from {url} within {seconds} s (MOTHERDUCK_MCP_TIMEOUT)")
        } else {
            format!("cannot read the reply from {url}: {}", self.settings.scrub(&error.to_string()))
        }
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
            ureq::Error::Io(io) => self.io_error(io, url),
            other => format!("cannot reach {url}: {}", self.settings.scrub(&other.to_string())),
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.close();
    }
}

/// The `data` of the next event of a `text/event-stream`; `None` at the end.
pub fn next_event(reader: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut data: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok((!data.is_empty()).then(|| data.join("\n")));
        }
        let text = line.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            if !data.is_empty() {
                return Ok(Some(data.join("\n")));
            }
        } else if let Some(rest) = text.strip_prefix("data:") {
            data.push(rest.strip_prefix(' ').unwrap_or(rest).to_owned());
        }
    }
}

/// The `data` of each event in a whole `text/event-stream` body.
pub fn sse_messages(body: &str) -> Vec<String> {
    let mut reader = std::io::Cursor::new(body.as_bytes());
    std::iter::from_fn(|| next_event(&mut reader).ok().flatten()).collect()
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
