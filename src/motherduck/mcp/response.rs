//! What both eras share: reading a response (a JSON body, or an event
//! stream read up to the response), resuming a stream the server closes
//! early, answering a ping.
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

use super::client::{Client, Failure, Refusal};
use super::jsonrpc::{classify, is_ours, Incoming};
use crate::motherduck::http::sse::{resume_wait, Cursor, NoResume, Parser, MAX_RESUMES};
use crate::motherduck::http::transport::{Events, Http};
use crate::motherduck::{Error, ErrorKind};
use serde_json::{json, Value};
use std::time::Instant;

/// Reading responses.
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
            Http::Refused(refused) => return Err(Failure::Refused(Box::new(Refusal::of(refused)))),
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
                NoResume::OutOfTime(wait) => Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "MotherDuck's MCP server at {url} closed the event stream of {what} before answering and asks to \
                         wait {} ms before resuming, past the time left (MOTHERDUCK_MCP_TIMEOUT)",
                        wait.as_millis()
                    ),
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
            Http::Refused(r) if r.status == 405 => Err(Failure::Error(Error::new(
                ErrorKind::Protocol,
                format!(
                    "MotherDuck's MCP server at {url} closed the event stream of {what} before answering and does not let \
                     it be resumed (HTTP 405 to GET with Last-Event-ID)"
                ),
            ))),
            Http::Refused(r) if r.status == 404 => Err(Failure::SessionExpired),
            Http::Refused(r) => Err(Failure::Error(self.refused(&Refusal::of(r), &format!("the GET resuming {what}")))),
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
