//! The MCP client's state and what both eras share: reading a response
//! (a JSON body, or an event stream read up to the response), and the
//! wording of refusals (every server text scrubbed of the token). The eras:
//! [`super::mcp`] (dispatch, modern) and [`super::legacy`].
//!
//! Legacy streams (MCP 2025-11-25 `basic/transports.mdx`): a server-to-client
//! `ping` is answered (`basic/utilities/ping.mdx`); a stream that ends before
//! the response is resumed after the `retry` time with a GET carrying
//! `Accept: text/event-stream`, `Last-Event-ID`, the session id and
//! `MCP-Protocol-Version`; a 405 there means the stream cannot be resumed
//! ("Sending Messages to the Server" 6, "Resumability and Redelivery",
//! "Listening for Messages from the Server" 3). A modern stream is never
//! resumed (2026-07-28 `streamable-http.mdx`: "Resumable SSE streams via
//! `Last-Event-ID` are not supported").

use super::auth::refusal_message;
use super::eras::Pin;
use super::jsonrpc::{classify, is_ours, is_unknown_tool, Incoming, RpcError};
use super::param_headers::Mirrored;
use super::settings::{origin_of, Settings};
use super::sse::{resume_wait, Cursor, NoResume, Parser, MAX_RESUMES};
use super::transport::{Events, Http, Refusal, Transport};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

thread_local! {
    /// The JSON-RPC error the last refused request of this thread was answered with: requests are
    /// synchronous on the calling thread, so [`Client::take_refusal`] right after a call reads the
    /// answer to that call (the words of the error are already in the call's message).
    static LAST_REFUSAL: RefCell<Option<RpcError>> = const { RefCell::new(None) };
}

/// One client; `&self` methods may be called from several threads at once.
pub struct Client {
    pub(super) transport: Transport,
    pub(super) origin: String,
    pub(super) session: Mutex<Session>,
    pub(super) init_lock: Mutex<()>,
    next_id: AtomicU64,
    pub(super) mirrored: Mutex<Vec<(String, Vec<Mirrored>)>>,
}

/// Why a request gave no result.
pub(super) enum Failure {
    /// A non-2xx answer (other than a redirect).
    Refused(Box<Refusal>),
    /// 404 on a request that carried a legacy session id.
    SessionExpired,
    /// A modern response stream that ended before the response.
    StreamEnded,
    /// Anything else, worded.
    Error(String),
}

/// What a request in one era led to.
pub(super) enum Step {
    Done(Value),
    /// The cached era no longer holds: probe again (the text says why, if not).
    Reprobe(String),
    Fail(String),
}

/// The state of one legacy session.
#[derive(Debug, Default)]
pub struct Session {
    pub id: Option<String>,
    pub protocol: Option<&'static str>,
}

impl Client {
    /// A client for `settings`; nothing is sent until the first request.
    pub fn connect(settings: Settings) -> Result<Client, String> {
        let origin = origin_of(&settings.url);
        Ok(Client {
            transport: Transport::new(settings),
            origin,
            session: Mutex::new(Session::default()),
            init_lock: Mutex::new(()),
            next_id: AtomicU64::new(1),
            mirrored: Mutex::new(Vec::new()),
        })
    }

    pub(super) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    pub(super) fn pin(&self) -> Pin {
        self.transport.settings.protocol
    }

    pub(super) fn session_state(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The headers of a request in the session.
    pub(super) fn session_headers(&self) -> Vec<(&'static str, String)> {
        let session = self.session_state();
        let mut headers = Vec::new();
        if let Some(protocol) = session.protocol {
            headers.push(("MCP-Protocol-Version", protocol.to_owned()));
        }
        if let Some(id) = &session.id {
            headers.push(("Mcp-Session-Id", id.clone()));
        }
        headers
    }
}

/// Reading responses, and the wording of refusals (every server text scrubbed of the token).
impl Client {
    /// Reads the response to request `id` from a reply: a JSON body, or an
    /// event stream (legacy: with `session` headers, answering `ping` and
    /// resuming a stream the server closes early).
    pub(super) fn response(
        &self,
        http: Http,
        id: u64,
        what: &str,
        session: Option<&[(&'static str, String)]>,
        deadline: Instant,
    ) -> Result<Value, Failure> {
        let mut events = match http {
            Http::Json(message) => {
                return match classify(&message) {
                    Incoming::Error { error, .. } => Err(Failure::Error(self.rpc_refusal(what, &error))),
                    Incoming::Result { id: theirs, result } if is_ours(&theirs, id) => Ok(result),
                    Incoming::Result { .. } => {
                        Err(Failure::Error(self.malformed(&format!("the reply to {what} carries another request id"))))
                    }
                    _ => Err(Failure::Error(self.malformed(&format!("the reply to {what} is not a response")))),
                }
            }
            Http::Stream(events) => events,
            Http::Accepted => {
                return Err(Failure::Error(self.malformed(&format!("the server accepted {what} without answering it"))))
            }
            Http::Refused(refusal) if refusal.status == 404 && session.is_some() => {
                return Err(Failure::SessionExpired)
            }
            Http::Refused(refusal) => return Err(Failure::Refused(Box::new(refusal))),
        };
        let mut parser = Parser::default();
        let mut resumes = 0;
        loop {
            let data = events.next(&mut parser).map_err(|e| Failure::Error(self.transport.io_error(&e)))?;
            let Some(data) = data else {
                let Some(session) = session else { return Err(Failure::StreamEnded) };
                events = self.resume(&parser.cursor, session, resumes, what, deadline)?;
                resumes += 1;
                continue;
            };
            let Ok(message) = serde_json::from_str::<Value>(&data) else { continue };
            match classify(&message) {
                Incoming::Error { id: theirs, error } if theirs.as_ref().is_none_or(|t| is_ours(t, id)) => {
                    return Err(Failure::Error(self.rpc_refusal(what, &error)))
                }
                // Stop reading here: a stream left open must not hold us.
                Incoming::Result { id: theirs, result } if is_ours(&theirs, id) => return Ok(result),
                Incoming::Request { id: ping, method } if method == "ping" && session.is_some() => {
                    self.answer_ping(ping, session.unwrap_or_default(), deadline)
                }
                _ => {}
            }
        }
    }

    /// The message for a refusal that is not an era question.
    pub(super) fn refused(&self, refusal: &Refusal, what: &str) -> String {
        let url = &self.transport.url;
        let status = refusal.status;
        match (status, &refusal.error) {
            (401 | 403, error) => self.scrub(&refusal_message(
                status,
                refusal.www_authenticate.as_deref(),
                error.as_ref().map(|e| e.message.as_str()),
                what,
                url,
            )),
            (404, None) => format!("no MCP endpoint at {url} (HTTP 404): check MOTHERDUCK_MCP_URL"),
            (400..=499, Some(error)) => self.rpc_refusal(what, error),
            (400, None) => format!("MotherDuck's MCP server at {url} refused {what} as a bad request (HTTP 400)"),
            (500..=599, _) => format!(
                "MotherDuck's MCP server failed (HTTP {status}) at {url} while answering {what}; try again later"
            ),
            _ => format!("unexpected HTTP {status} from {url} while sending {what}"),
        }
    }

    pub(super) fn rpc_refusal(&self, what: &str, error: &RpcError) -> String {
        LAST_REFUSAL.with(|last| *last.borrow_mut() = Some(error.clone()));
        format!("MotherDuck's MCP server refused {what}: {}", self.scrub(&error.describe()))
    }

    /// The JSON-RPC error of the last refused request on this thread (taken: cleared).
    pub fn take_refusal(&self) -> Option<RpcError> {
        LAST_REFUSAL.with(|last| last.borrow_mut().take())
    }

    pub fn malformed(&self, what: &str) -> String {
        self.transport.malformed(what)
    }

    pub(super) fn scrub(&self, text: &str) -> String {
        self.transport.settings.scrub(text)
    }
}

/// Tools a server may know under another name.
impl Client {
    /// Calls a tool that a server may not know by this name: `Ok(None)` when
    /// it answers that it has no such tool ([`is_unknown_tool`]).
    pub fn call_tool_if_known(&self, tool: &str, arguments: Value) -> Result<Option<Value>, String> {
        self.take_refusal();
        match self.call_tool(tool, arguments) {
            Ok(answer) => Ok(Some(answer)),
            Err(_) if self.take_refusal().is_some_and(|refusal| is_unknown_tool(&refusal)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Streams the server closes early, and pings (legacy).
impl Client {
    /// Waits the `retry` time and resumes the stream with a GET.
    pub(super) fn resume(
        &self,
        cursor: &Cursor,
        session: &[(&'static str, String)],
        resumes: u32,
        what: &str,
        deadline: Instant,
    ) -> Result<Events, Failure> {
        let url = &self.transport.url;
        let remaining = self.transport.remaining(deadline).map_err(Failure::Error)?;
        let wait = resume_wait(cursor, remaining, resumes).map_err(|why| {
            Failure::Error(match why {
                NoResume::NoEventId => self.malformed(&format!("the event stream ended without the reply to {what}")),
                NoResume::OutOfTime(wait) => format!(
                    "MotherDuck's MCP server at {url} closed the event stream of {what} before answering and asks to wait \
                     {} ms before resuming, past the time left (MOTHERDUCK_MCP_TIMEOUT)",
                    wait.as_millis()
                ),
                NoResume::TooManyResumes => {
                    self.malformed(&format!("the event stream of {what} closed before the response {MAX_RESUMES} times"))
                }
            })
        })?;
        std::thread::sleep(wait);
        let mut headers: Vec<(&str, String)> = session.to_vec();
        headers.push(("Last-Event-ID", cursor.last_event_id.clone().unwrap_or_default()));
        match self.transport.get_stream(&headers, deadline, what).map_err(Failure::Error)? {
            Http::Stream(events) => Ok(events),
            Http::Refused(r) if r.status == 405 => Err(Failure::Error(format!(
                "MotherDuck's MCP server at {url} closed the event stream of {what} before answering and does not let it be \
                 resumed (HTTP 405 to GET with Last-Event-ID)"
            ))),
            Http::Refused(r) if r.status == 404 => Err(Failure::SessionExpired),
            Http::Refused(r) => Err(Failure::Error(self.refused(&r, &format!("the GET resuming {what}")))),
            Http::Json(_) | Http::Accepted => {
                Err(Failure::Error(self.malformed(&format!("the GET resuming {what} was not answered with an event stream"))))
            }
        }
    }

    /// Answers a server-to-client `ping` (posted on its own connection).
    pub(super) fn answer_ping(&self, ping: Value, session: &[(&'static str, String)], deadline: Instant) {
        let answer = json!({"jsonrpc": "2.0", "id": ping, "result": {}});
        let _ = self.transport.post(&answer, session, deadline, "the answer to ping");
    }
}
