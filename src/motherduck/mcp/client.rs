//! The MCP client's state: one [`Client`] per SQL call, its legacy session,
//! and the outcomes a request in one era leads to. Its behaviour is spread by
//! concern: [`super::request`] (which era; a tool call), [`super::modern`],
//! [`super::legacy`] (sessions), [`super::response`] (reading a response,
//! resuming a stream) and [`super::refusal`] (the wording of refusals).

use super::eras::Pin;
use super::jsonrpc::{body_error, RpcError};
use crate::motherduck::http::param_headers::Mirrored;
use crate::motherduck::http::transport::{Refused, Transport};
use crate::motherduck::settings::{origin_of, Settings};
use crate::motherduck::Error;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

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
    /// Anything else.
    Error(Error),
}

/// What a request in one era led to.
pub(super) enum Step {
    Done(Value),
    /// The cached era no longer holds: probe again (the text says why, if not).
    Reprobe(Error),
    Fail(Error),
}

/// An answer that is not a 2xx (nor a redirect): what the client needs to decide.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    /// The JSON-RPC error of the body, if it holds one.
    pub error: Option<RpcError>,
    pub www_authenticate: Option<String>,
}

impl Refusal {
    /// Reads the JSON-RPC error of the body.
    pub fn of(refused: Refused) -> Refusal {
        Refusal { status: refused.status, error: body_error(&refused.body), www_authenticate: refused.www_authenticate }
    }
}

/// The state of one legacy session.
#[derive(Debug, Default)]
pub struct Session {
    pub id: Option<String>,
    pub protocol: Option<&'static str>,
}

impl Client {
    /// A client for `settings`; nothing is sent until the first request.
    pub fn connect(settings: Settings) -> Result<Client, Error> {
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

    /// The endpoint's origin (`scheme://host:port`): the key of what this process remembers of it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The endpoint as shown in messages.
    pub fn url(&self) -> &str {
        &self.transport.url
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
