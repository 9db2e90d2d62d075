//! The HTTP under the MCP client (`ureq`): one POST, one resuming GET, one
//! DELETE, each bounded by the request's deadline; what came back, sorted.
//!
//! Every request carries `Authorization: Bearer <token>` and goes to
//! `MOTHERDUCK_MCP_URL` only: redirects are never followed, so the token never
//! leaves the configured origin. Every server text that may be shown is
//! scrubbed of the token.

use super::sse::{next_event, Parser};
use crate::motherduck::settings::{shown_url, Settings};
use crate::motherduck::{Error, ErrorKind};
use serde_json::Value;
use std::io::BufReader;
use std::time::{Duration, Instant};

const MAX_REPLY_BYTES: u64 = 64 << 20;
const MAX_ERROR_BYTES: u64 = 1 << 20;

/// An answer that is not a 2xx (nor a redirect), as it came: the client reads its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub status: u16,
    /// The body (at most 1 MiB), empty when it could not be read.
    pub body: String,
    pub www_authenticate: Option<String>,
}

/// What came back for one request.
pub enum Http {
    /// A 2xx with a JSON body.
    Json(Value),
    /// A 2xx event stream.
    Stream(Events),
    /// 202 Accepted, or a 2xx without a body.
    Accepted,
    /// Any other status.
    Refused(Refused),
}

/// An event stream being read.
pub struct Events(BufReader<ureq::BodyReader<'static>>);

impl Events {
    /// The data of the next event; `None` when the connection ends.
    pub fn next(&mut self, parser: &mut Parser) -> std::io::Result<Option<String>> {
        next_event(&mut self.0, parser)
    }
}

/// A POST's outcome, with the `Mcp-Session-Id` a 2xx carried.
pub struct Posted {
    pub http: Http,
    pub session_id: Option<String>,
}

pub struct Transport {
    pub settings: Settings,
    agent: ureq::Agent,
    /// The endpoint as shown in messages.
    pub url: String,
}

impl Transport {
    pub fn new(settings: Settings) -> Transport {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.timeout.min(Duration::from_secs(10))))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let url = shown_url(&settings.url);
        Transport { settings, agent, url }
    }

    /// The time left before `deadline`, or the timeout error.
    pub fn remaining(&self, deadline: Instant) -> Result<Duration, Error> {
        deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or_else(|| self.timed_out())
    }

    /// POSTs one JSON-RPC message with `headers` (beyond Content-Type, Accept and Authorization).
    pub fn post(
        &self,
        message: &Value,
        headers: &[(&str, String)],
        deadline: Instant,
        what: &str,
    ) -> Result<Posted, Error> {
        let mut request = self
            .agent
            .post(&self.settings.url)
            .config()
            .timeout_global(Some(self.remaining(deadline)?))
            .build()
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", &self.settings.bearer());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send(message.to_string()).map_err(|e| self.transport_error(&e))?;
        let session_id = response
            .status()
            .is_success()
            .then(|| response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(str::to_owned))
            .flatten();
        Ok(Posted { http: self.sort(response, what)?, session_id })
    }

    /// GET on the endpoint with `Accept: text/event-stream` (resuming a stream).
    pub fn get_stream(&self, headers: &[(&str, String)], deadline: Instant, what: &str) -> Result<Http, Error> {
        let mut request = self
            .agent
            .get(&self.settings.url)
            .config()
            .timeout_global(Some(self.remaining(deadline)?))
            .build()
            .header("Accept", "text/event-stream")
            .header("Authorization", &self.settings.bearer());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.call().map_err(|e| self.transport_error(&e))?;
        self.sort(response, what)
    }

    /// DELETE on the endpoint (ending a legacy session); the outcome is not needed.
    pub fn delete(&self, headers: &[(&str, String)]) {
        let mut request = self.agent.delete(&self.settings.url).header("Authorization", &self.settings.bearer());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let _ = request.call();
    }

    fn sort(&self, response: ureq::http::Response<ureq::Body>, what: &str) -> Result<Http, Error> {
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let content_type = header("content-type").unwrap_or_default().to_ascii_lowercase();
        match status {
            202 | 204 => Ok(Http::Accepted),
            200..=299 if content_type.starts_with("text/event-stream") => {
                let reader = response.into_body().into_with_config().limit(MAX_REPLY_BYTES).reader();
                Ok(Http::Stream(Events(BufReader::new(reader))))
            }
            200..=299 => {
                let body = response
                    .into_body()
                    .into_with_config()
                    .limit(MAX_REPLY_BYTES)
                    .read_to_string()
                    .map_err(|e| self.transport_error(&e))?;
                if body.trim().is_empty() {
                    return Ok(Http::Accepted);
                }
                serde_json::from_str(&body).map(Http::Json).map_err(|_| self.malformed(&format!("the reply to {what} is not JSON")))
            }
            300..=399 => Err(Error::new(
                ErrorKind::Protocol,
                format!(
                    "MotherDuck's MCP server at {} answered {what} with a redirect (HTTP {status}); redirects are not \
                     followed, so the token never leaves the configured origin: set MOTHERDUCK_MCP_URL to the endpoint itself",
                    self.url
                ),
            )),
            _ => {
                let www_authenticate = header("www-authenticate");
                let body = response.into_body().into_with_config().limit(MAX_ERROR_BYTES).read_to_string().unwrap_or_default();
                Ok(Http::Refused(Refused { status, body, www_authenticate }))
            }
        }
    }

    pub fn malformed(&self, what: &str) -> Error {
        Error::new(
            ErrorKind::Malformed,
            format!("malformed reply from MotherDuck's MCP server at {}: {}", self.url, self.settings.scrub(what)),
        )
    }

    fn timed_out(&self) -> Error {
        let seconds = self.settings.timeout.as_secs_f64();
        Error::new(
            ErrorKind::Timeout,
            format!(
                "no answer from {} within {seconds} s (MOTHERDUCK_MCP_TIMEOUT): the MCP server is slow or unreachable",
                self.url
            ),
        )
    }

    pub fn io_error(&self, error: &std::io::Error) -> Error {
        if error.kind() == std::io::ErrorKind::TimedOut {
            self.timed_out()
        } else {
            let said = self.settings.scrub(&error.to_string());
            Error::new(ErrorKind::Network, format!("cannot read the reply from {}: {said}", self.url))
        }
    }

    fn transport_error(&self, error: &ureq::Error) -> Error {
        let url = &self.url;
        let network = |message: String| Error::new(ErrorKind::Network, message);
        match error {
            ureq::Error::Timeout(_) => self.timed_out(),
            ureq::Error::HostNotFound => network(format!("cannot reach {url}: host not found")),
            ureq::Error::ConnectionFailed => network(format!("cannot reach {url}: connection failed")),
            ureq::Error::BodyExceedsLimit(limit) => {
                network(format!("the reply from {url} is larger than {limit} bytes"))
            }
            ureq::Error::Io(io) => self.io_error(io),
            other => network(format!("cannot reach {url}: {}", self.settings.scrub(&other.to_string()))),
        }
    }
}
