//! A dual-era MCP client for MotherDuck's remote server (Streamable HTTP).
//!
//! Modern (2026-07-28: `basic/versioning.mdx`, `basic/transports/streamable-http.mdx`):
//! every request is a POST carrying its version in `params._meta` and in the
//! `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers ([`super::eras`]); no
//! handshake, no session, no GET, no DELETE. A broken response stream loses
//! the request, which is sent again once with a new id (`changelog.mdx`, major
//! change 9). HeaderMismatch (-32020) on `tools/call`: the client reads
//! `tools/list` and sends the call again with the `Mcp-Param-*` headers the
//! tool's schema asks for ([`crate::motherduck::http::param_headers`]).
//!
//! Legacy (2025-03-26 to 2025-11-25, [`super::legacy`]): `initialize` and a
//! session. What both eras share (reading responses): [`super::response`].
//!
//! Which era: the one cached for the endpoint's origin in this process
//! ([`ERAS`]), else the one `MOTHERDUCK_MCP_PROTOCOL` pins, else a probe:
//! the request itself is sent modern first; a 4xx holding a recognized modern
//! error means modern (retry with a version from `data.supported`, or fail
//! naming both sides' versions), any other 4xx means legacy. A cached era is
//! probed again only when a request in it fails that way.

use super::client::{Client, Step};
use super::eras::{self, Era, Pin, ERAS};
use super::jsonrpc::tool_answer;
use crate::motherduck::{Error, ErrorKind};
use serde_json::{json, Value};

impl Client {
    /// Calls a tool and returns its answer object (`structuredContent`, or
    /// the JSON in its text content).
    pub fn call_tool(&self, tool: &str, arguments: Value) -> Result<Value, Error> {
        let result = self.request("tools/call", tool, json!({"name": tool, "arguments": arguments}))?;
        tool_answer(tool, result).map_err(|e| self.tool_error(tool, e))
    }

    /// Sends request `method` in the right era (`what` names it in messages).
    fn request(&self, method: &str, what: &str, params: Value) -> Result<Value, Error> {
        let pin = self.pin();
        let mut reprobed = false;
        loop {
            let cached = ERAS.get(&self.origin).filter(|era| pin.allows_era(*era));
            let step = match cached.or_else(|| pin.first_era()) {
                Some(Era::Modern(version)) => self.modern(version, method, what, &params, false),
                Some(Era::Legacy) => self.legacy(method, what, &params, pin.legacy_offer(), None),
                None => self.modern(eras::MODERN_VERSIONS[0], method, what, &params, true),
            };
            match step {
                Step::Done(result) => return Ok(result),
                Step::Reprobe(_) if !reprobed && cached.is_some() && pin == Pin::Auto => {
                    ERAS.forget(&self.origin);
                    reprobed = true;
                }
                Step::Reprobe(why) | Step::Fail(why) => return Err(why),
            }
        }
    }
}

/// Tools a server may know under another name.
impl Client {
    /// Calls a tool that a server may not know by this name: `Ok(None)` when
    /// it answers that it has no such tool ([`super::jsonrpc::is_unknown_tool`]).
    pub fn call_tool_if_known(&self, tool: &str, arguments: Value) -> Result<Option<Value>, Error> {
        match self.call_tool(tool, arguments) {
            Ok(answer) => Ok(Some(answer)),
            Err(e) if e.kind == ErrorKind::UnknownTool => Ok(None),
            Err(e) => Err(e),
        }
    }
}
