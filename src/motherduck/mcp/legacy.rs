//! The legacy era of the client: `initialize` and a session (MCP 2025-03-26
//! to 2025-11-25).
//!
//! Pages followed: 2025-11-25 `basic/lifecycle.mdx` ("Initialization",
//! "Version Negotiation") and `basic/transports.mdx` ("Streamable HTTP"):
//! - `initialize` offers 2025-11-25 (or the version `MOTHERDUCK_MCP_PROTOCOL`
//!   pins, or the one a modern server's `data.supported` names); the answer
//!   must be 2025-11-25, 2025-06-18 or 2025-03-26; then
//!   `notifications/initialized`. Later requests carry `MCP-Protocol-Version`
//!   and the `Mcp-Session-Id` the server handed out ("Session Management"
//!   2; "Protocol Version Header").
//! - A 404 to a request with a session id: the session expired; initialize
//!   again, once ("Session Management" 3-4).
//! - A server-to-client `ping` on a response stream is answered, and a
//!   stream the server closes before the response is resumed: see
//!   [`super::client`].
//! - The session ends with DELETE; a 405 is fine ("Session Management" 5).

use super::client::{Client, Failure, Refusal, Session, Step};
use super::eras::{legacy_answer, modern_error, no_common_version, Era, ModernError, ERAS};
use crate::motherduck::http::transport::Http;
use crate::motherduck::{Error, ErrorKind};
use serde_json::{json, Value};
use std::time::Instant;

impl Client {
    /// A request in a legacy session (`offer`: the version `initialize`
    /// offers; `after`: the refusal of the modern request that led here).
    pub(super) fn legacy(
        &self,
        method: &str,
        what: &str,
        params: &Value,
        offer: &'static str,
        after: Option<&Refusal>,
    ) -> Step {
        if let Err(step) = self.ensure_session(offer, after, None) {
            return step;
        }
        ERAS.remember(&self.origin, Era::Legacy);
        let mut renewed = false;
        loop {
            let expired = self.session_state().id.clone();
            match self.legacy_exchange(method, what, params) {
                Ok(result) => return Step::Done(result),
                Err(Failure::SessionExpired) if expired.is_none() => {
                    return Step::Fail(Error::new(
                        ErrorKind::Protocol,
                        format!("no MCP endpoint at {} (HTTP 404): check MOTHERDUCK_MCP_URL", self.transport.url),
                    ))
                }
                Err(Failure::SessionExpired) if !renewed => {
                    renewed = true;
                    if let Err(step) = self.ensure_session(offer, None, expired) {
                        return step;
                    }
                }
                Err(Failure::SessionExpired) => {
                    return Step::Fail(Error::new(
                        ErrorKind::Protocol,
                        format!(
                            "MotherDuck's MCP server at {} answered HTTP 404 again after a new session: check \
                             MOTHERDUCK_MCP_URL",
                            self.transport.url
                        ),
                    ))
                }
                Err(Failure::Refused(refusal)) => return Step::Fail(self.refused(&refusal, what)),
                Err(Failure::Error(e)) => return Step::Fail(e),
                Err(Failure::StreamEnded) => {
                    return Step::Fail(self.malformed(&format!("the stream of {what} ended early")))
                }
            }
        }
    }

    /// Opens a session unless one is open (`expired`: the id of a session
    /// that expired, which is replaced unless another thread did so already).
    fn ensure_session(
        &self,
        offer: &'static str,
        after: Option<&Refusal>,
        expired: Option<String>,
    ) -> Result<(), Step> {
        let _one_at_a_time = self.init_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        {
            let session = self.session_state();
            if session.protocol.is_some() && (expired.is_none() || session.id != expired) {
                return Ok(());
            }
        }
        self.initialize(offer, after)
    }

    fn initialize(&self, offer: &'static str, after: Option<&Refusal>) -> Result<(), Step> {
        *self.session_state() = Session::default();
        let deadline = Instant::now() + self.transport.settings.timeout;
        let id = self.next_id();
        let params = json!({
            "protocolVersion": offer,
            "capabilities": {},
            "clientInfo": {"name": "flights_helper", "version": crate::VERSION}
        });
        let message = json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": params});
        let posted = self.transport.post(&message, &[], deadline, "initialize").map_err(Step::Fail)?;
        let result = match self.response(posted.http, id, "initialize", None, deadline) {
            Ok(result) => result,
            Err(Failure::Refused(refusal)) => return Err(self.initialize_refused(&refusal, after)),
            Err(Failure::Error(e)) => return Err(Step::Fail(e)),
            Err(_) => return Err(Step::Fail(self.malformed("the server gave no answer to initialize"))),
        };
        let answered = result.get("protocolVersion").and_then(Value::as_str).unwrap_or("");
        let version = legacy_answer(answered, self.pin()).map_err(|e| {
            Step::Fail(e.map_message(|said| {
                format!("MotherDuck's MCP server at {} {}: update flights_helper", self.transport.url, self.scrub(said))
            }))
        })?;
        *self.session_state() = Session { id: posted.session_id, protocol: Some(version) };
        let headers = self.session_headers();
        let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        match self.transport.post(&initialized, &headers, deadline, "initialize").map_err(Step::Fail)?.http {
            Http::Refused(r) if r.status == 404 && headers.iter().any(|(n, _)| *n == "Mcp-Session-Id") => {
                Err(Step::Fail(self.malformed("the session expired right after initialize")))
            }
            _ => Ok(()),
        }
    }

    /// `initialize` refused: a modern error means a modern server.
    fn initialize_refused(&self, refusal: &Refusal, after: Option<&Refusal>) -> Step {
        let url = &self.transport.url;
        let Some(found) = modern_error(refusal.status, refusal.error.as_ref()) else {
            return Step::Fail(self.refused(refusal, "initialize"));
        };
        if let Some(modern) = after {
            // The modern request was refused without a modern error, and initialize with one:
            // a modern server that read the request and refused its content.
            return Step::Fail(match &modern.error {
                Some(error) => self.rpc_refusal("the request", error),
                None => self.refused(modern, "the request"),
            });
        }
        let said = refusal.error.as_ref().map(|e| self.scrub(&e.describe())).unwrap_or_default();
        if self.pin().allows_modern() {
            return Step::Reprobe(Error::new(
                ErrorKind::Refused,
                format!("MotherDuck's MCP server at {url} refused initialize: {said}"),
            ));
        }
        let supported = match found {
            ModernError::UnsupportedVersion { supported } => supported,
            _ => Vec::new(),
        };
        Step::Fail(Error::new(
            ErrorKind::Protocol,
            format!(
                "MotherDuck's MCP server at {url} refused initialize ({said}): {}",
                self.scrub(&no_common_version(&supported, self.pin()))
            ),
        ))
    }

    /// Sends one request in the session and reads its response.
    fn legacy_exchange(&self, method: &str, what: &str, params: &Value) -> Result<Value, Failure> {
        let deadline = Instant::now() + self.transport.settings.timeout;
        let headers = self.session_headers();
        let id = self.next_id();
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let posted = self.transport.post(&message, &headers, deadline, what).map_err(Failure::Error)?;
        self.response(posted.http, id, what, Some(&headers), deadline)
    }
}

/// The end of the session.
impl Client {
    /// Ends the session (`DELETE`); a server that does not allow it (405) is fine.
    pub fn close(&self) {
        let headers = self.session_headers();
        if headers.iter().any(|(name, _)| *name == "Mcp-Session-Id") {
            self.transport.delete(&headers);
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.close();
    }
}
