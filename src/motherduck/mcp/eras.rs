//! Which MCP era a server speaks, and what to do about it (pure).
//!
//! Pages followed (modelcontextprotocol/modelcontextprotocol, `docs/specification/`):
//! - 2026-07-28 `basic/versioning.mdx`, "Protocol Version Negotiation": a
//!   modern request carries its version; a server that does not implement it
//!   answers `UnsupportedProtocolVersionError` (-32022) with `data.supported`,
//!   and the client retries with a mutually supported version or surfaces an
//!   error. "Backward Compatibility with Initialization-Based Versions": a
//!   recognized modern error identifies a modern server, anything else a
//!   legacy one; the era is cached per origin and re-probed only when the
//!   cached assumption fails.
//! - 2026-07-28 `basic/transports/streamable-http.mdx`, "Backward
//!   Compatibility": try a modern request first; on a 4xx, a body holding a
//!   recognized modern JSON-RPC error means modern (retry or correct the
//!   request), an empty body or any other error means legacy (`initialize`).
//!   "Protocol Version Header": 404 with -32601 is a modern server's unknown
//!   method. `basic/index.mdx`, "Error Codes": -32020 HeaderMismatch, -32021
//!   MissingRequiredClientCapability, -32022 UnsupportedProtocolVersion;
//!   "Per-request protocol fields": `_meta` carries
//!   `io.modelcontextprotocol/protocolVersion` and
//!   `io.modelcontextprotocol/clientCapabilities` (required) and
//!   `io.modelcontextprotocol/clientInfo` (SHOULD).
//! - 2025-11-25 `basic/lifecycle.mdx`, "Version Negotiation": `initialize`
//!   offers the client's latest version; the server echoes it or offers its
//!   own, which the client uses if it supports it, else disconnects.

use super::jsonrpc::RpcError;
use crate::motherduck::http::header::header_value;
use crate::motherduck::{Error, ErrorKind};
use serde_json::{json, Value};
use std::sync::Mutex;

pub use crate::motherduck::settings::{spoken_versions, Pin, LEGACY_VERSIONS, MODERN_VERSIONS};

/// How a server is spoken to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// Every request carries this version; no handshake, no session.
    Modern(&'static str),
    /// `initialize` first, then requests in the session it opens.
    Legacy,
}

/// What a pin means for eras.
impl Pin {
    /// Whether a cached era may be used under this pin.
    pub fn allows_era(self, era: Era) -> bool {
        match era {
            Era::Modern(v) => self.allows(v),
            Era::Legacy => self.allows_legacy(),
        }
    }

    /// The era to start with, when no era is cached.
    pub fn first_era(self) -> Option<Era> {
        match self {
            Pin::Auto => None,
            Pin::Modern => Some(Era::Modern(MODERN_VERSIONS[0])),
            Pin::Legacy => Some(Era::Legacy),
            Pin::Version(v) if MODERN_VERSIONS.contains(&v) => Some(Era::Modern(v)),
            Pin::Version(_) => Some(Era::Legacy),
        }
    }

    /// Whether the client may fall back from modern to legacy.
    pub fn allows_legacy(self) -> bool {
        LEGACY_VERSIONS.iter().any(|v| self.allows(v))
    }

    /// Whether the client may try modern requests.
    pub fn allows_modern(self) -> bool {
        MODERN_VERSIONS.iter().any(|v| self.allows(v))
    }

    /// The version `initialize` offers: the newest legacy version allowed.
    pub fn legacy_offer(self) -> &'static str {
        LEGACY_VERSIONS.iter().find(|v| self.allows(v)).copied().unwrap_or(LEGACY_VERSIONS[0])
    }
}

/// A recognized modern JSON-RPC error: the server is modern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModernError {
    /// -32022 with `data.supported`.
    UnsupportedVersion { supported: Vec<String> },
    /// -32020: a header missing or not matching the body.
    HeaderMismatch,
    /// -32021 with `data.requiredCapabilities`.
    MissingCapability { required: Vec<String> },
    /// 404 with -32601: the server does not implement the method.
    MethodNotFound,
}

fn strings(data: Option<&Value>, field: &str) -> Vec<String> {
    data.and_then(|d| d.get(field)).and_then(Value::as_array).map_or_else(Vec::new, |items| {
        items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect()
    })
}

/// The era decision for a 4xx answer to a modern request: `Some` when its
/// body holds a recognized modern error (the server is modern), `None` when
/// it is empty or anything else (the server is legacy).
pub fn modern_error(status: u16, error: Option<&RpcError>) -> Option<ModernError> {
    let error = error.filter(|_| (400..500).contains(&status))?;
    match error.code? {
        -32022 => Some(ModernError::UnsupportedVersion { supported: strings(error.data.as_ref(), "supported") }),
        -32020 => Some(ModernError::HeaderMismatch),
        -32021 => {
            let data = error.data.as_ref();
            let mut required = strings(data, "requiredCapabilities");
            if required.is_empty() {
                if let Some(Value::Object(map)) = data.and_then(|d| d.get("requiredCapabilities")) {
                    required = map.keys().cloned().collect();
                }
            }
            Some(ModernError::MissingCapability { required })
        }
        -32601 if status == 404 => Some(ModernError::MethodNotFound),
        _ => None,
    }
}

/// What to do after a server refused `requested` with -32022.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Retry the request with this modern version.
    Modern(&'static str),
    /// Open a legacy session offering this version.
    Legacy(&'static str),
    /// No version in common (the text says which the server and the client speak).
    Fail(String),
}

/// Picks a version from the server's `supported` list that this client
/// speaks (and the pin allows): a modern one first, else a legacy one.
pub fn after_unsupported(supported: &[String], requested: &str, pin: Pin) -> Next {
    let listed = |v: &&'static str| supported.iter().any(|s| s == v) && pin.allows(v);
    if let Some(v) = MODERN_VERSIONS.iter().copied().filter(|v| *v != requested).find(listed) {
        return Next::Modern(v);
    }
    if let Some(v) = LEGACY_VERSIONS.iter().copied().find(listed) {
        return Next::Legacy(v);
    }
    Next::Fail(no_common_version(supported, pin))
}

/// The message for a server whose versions this client does not speak.
pub fn no_common_version(server: &[String], pin: Pin) -> String {
    let theirs = if server.is_empty() {
        "no protocol version".to_owned()
    } else {
        format!("protocol versions {}", server.join(", "))
    };
    format!(
        "it speaks {theirs}; this client speaks {}{}: update flights_helper, or set MOTHERDUCK_MCP_PROTOCOL to a version both speak",
        spoken_versions(),
        pin.note()
    )
}

/// The version a legacy `initialize` answer names, if this client takes it.
pub fn legacy_answer(answered: &str, pin: Pin) -> Result<&'static str, Error> {
    LEGACY_VERSIONS.iter().find(|v| **v == answered && pin.allows(v)).copied().ok_or_else(|| {
        let accepted: Vec<&str> = LEGACY_VERSIONS.iter().filter(|v| pin.allows(v)).copied().collect();
        Error::new(
            ErrorKind::Protocol,
            format!(
                "answered protocol version '{answered}', which this client does not speak in a session (it speaks {}{})",
                accepted.join(", "),
                pin.note()
            ),
        )
    })
}

/// The `_meta` of a modern request (basic/index.mdx, "Per-request protocol fields").
pub fn request_meta(version: &str) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": version,
        "io.modelcontextprotocol/clientInfo": {"name": "flights_helper", "version": crate::VERSION},
        "io.modelcontextprotocol/clientCapabilities": {}
    })
}

/// The request metadata headers of a modern POST (streamable-http.mdx,
/// "Request Metadata"): `MCP-Protocol-Version`, `Mcp-Method`, and `Mcp-Name`
/// (`params.name` or `params.uri`, Base64 sentinel when needed).
pub fn modern_headers(version: &str, method: &str, params: &Value) -> Vec<(&'static str, String)> {
    let mut headers = vec![("MCP-Protocol-Version", version.to_owned()), ("Mcp-Method", method.to_owned())];
    if matches!(method, "tools/call" | "resources/read" | "prompts/get") {
        let name = params.get("name").or_else(|| params.get("uri")).and_then(Value::as_str).unwrap_or("");
        headers.push(("Mcp-Name", header_value(name)));
    }
    headers
}

/// The era of each origin this process has spoken to.
pub struct EraCache(Mutex<Vec<(String, Era)>>);

impl EraCache {
    pub const fn new() -> EraCache {
        EraCache(Mutex::new(Vec::new()))
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<(String, Era)>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self, origin: &str) -> Option<Era> {
        self.entries().iter().find(|(o, _)| o == origin).map(|(_, era)| *era)
    }

    pub fn remember(&self, origin: &str, era: Era) {
        let mut entries = self.entries();
        entries.retain(|(o, _)| o != origin);
        entries.push((origin.to_owned(), era));
    }

    pub fn forget(&self, origin: &str) {
        self.entries().retain(|(o, _)| o != origin);
    }
}

impl Default for EraCache {
    fn default() -> Self {
        EraCache::new()
    }
}

/// The process-wide cache (versioning.mdx: "for the lifetime of the ... origin").
pub static ERAS: EraCache = EraCache::new();

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: i64, data: Value) -> RpcError {
        RpcError { code: Some(code), message: "m".into(), data: Some(data) }
    }

    /// Which 4xx bodies mean a modern server.
    #[test]
    fn the_era_decision() {
        let unsupported = error(-32022, json!({"supported": ["2026-07-28", "2025-11-25"], "requested": "1900-01-01"}));
        assert_eq!(
            modern_error(400, Some(&unsupported)),
            Some(ModernError::UnsupportedVersion { supported: vec!["2026-07-28".into(), "2025-11-25".into()] })
        );
        assert_eq!(modern_error(400, Some(&error(-32020, Value::Null))), Some(ModernError::HeaderMismatch));
        let caps = error(-32021, json!({"requiredCapabilities": ["sampling"]}));
        assert_eq!(
            modern_error(400, Some(&caps)),
            Some(ModernError::MissingCapability { required: vec!["sampling".into()] })
        );
        assert_eq!(modern_error(404, Some(&error(-32601, Value::Null))), Some(ModernError::MethodNotFound));
        // Legacy: an empty body, a legacy server's session error, -32601 on a 400, a 2xx or 5xx.
        assert_eq!(modern_error(400, None), None);
        assert_eq!(modern_error(400, Some(&error(-32000, json!("Bad Request: No valid session ID provided")))), None);
        assert_eq!(modern_error(404, Some(&error(-32001, Value::Null))), None);
        assert_eq!(modern_error(400, Some(&error(-32601, Value::Null))), None);
        assert_eq!(modern_error(405, Some(&RpcError { code: None, message: "x".into(), data: None })), None);
        assert_eq!(modern_error(500, Some(&unsupported)), None);
        assert_eq!(modern_error(200, Some(&unsupported)), None);
    }

    #[test]
    fn a_supported_version_is_picked() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            after_unsupported(&s(&["2025-11-25", "2025-06-18"]), "2026-07-28", Pin::Auto),
            Next::Legacy("2025-11-25")
        );
        assert_eq!(after_unsupported(&s(&["2025-06-18"]), "2026-07-28", Pin::Auto), Next::Legacy("2025-06-18"));
        assert_eq!(after_unsupported(&s(&["2026-07-28"]), "2027-01-01", Pin::Auto), Next::Modern("2026-07-28"));
        // The version just refused is not retried.
        assert!(matches!(after_unsupported(&s(&["2026-07-28"]), "2026-07-28", Pin::Auto), Next::Fail(_)));
        let Next::Fail(message) = after_unsupported(&s(&["2027-01-01", "2028-01-01"]), "2026-07-28", Pin::Auto) else {
            panic!("expected a failure")
        };
        assert!(message.contains("protocol versions 2027-01-01, 2028-01-01"), "{message}");
        assert!(message.contains("2026-07-28, 2025-11-25, 2025-06-18 and 2025-03-26"), "{message}");
        // A pin narrows the choice and is named.
        let pinned = after_unsupported(&s(&["2025-11-25"]), "2026-07-28", Pin::Modern);
        assert!(matches!(&pinned, Next::Fail(m) if m.contains("MOTHERDUCK_MCP_PROTOCOL=modern")), "{pinned:?}");
    }

    #[test]
    fn pins() {
        assert_eq!(Pin::parse(None), Ok(Pin::Auto));
        assert_eq!(Pin::parse(Some(" Legacy ")), Ok(Pin::Legacy));
        assert_eq!(Pin::parse(Some("2025-06-18")), Ok(Pin::Version("2025-06-18")));
        assert!(Pin::parse(Some("2024-11-05")).unwrap_err().message.contains("auto, modern, legacy"));
        assert_eq!(Pin::Version("2025-06-18").legacy_offer(), "2025-06-18");
        assert_eq!(Pin::Auto.legacy_offer(), "2025-11-25");
        assert_eq!(Pin::Version("2026-07-28").first_era(), Some(Era::Modern("2026-07-28")));
        assert!(!Pin::Modern.allows_legacy() && !Pin::Legacy.allows_modern() && Pin::Auto.allows_legacy());
        assert_eq!(legacy_answer("2025-06-18", Pin::Auto), Ok("2025-06-18"));
        assert!(legacy_answer("2024-11-05", Pin::Auto)
            .unwrap_err()
            .message
            .contains("2025-11-25, 2025-06-18, 2025-03-26"));
        assert!(legacy_answer("2025-06-18", Pin::Version("2025-11-25")).is_err());
    }

    #[test]
    fn modern_request_metadata() {
        let params = json!({"name": "get_flight", "arguments": {}});
        let headers = modern_headers("2026-07-28", "tools/call", &params);
        assert_eq!(
            headers,
            vec![
                ("MCP-Protocol-Version", "2026-07-28".to_owned()),
                ("Mcp-Method", "tools/call".to_owned()),
                ("Mcp-Name", "get_flight".to_owned())
            ]
        );
        assert_eq!(modern_headers("2026-07-28", "tools/call", &json!({"name": "h\u{e9}"}))[2].1, "=?base64?aMOp?=");
        assert_eq!(modern_headers("2026-07-28", "tools/list", &json!({})).len(), 2);
        let meta = request_meta("2026-07-28");
        assert_eq!(meta["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
        assert_eq!(meta["io.modelcontextprotocol/clientCapabilities"], json!({}));
        assert_eq!(meta["io.modelcontextprotocol/clientInfo"]["name"], "flights_helper");
    }

    #[test]
    fn the_cache_is_per_origin() {
        let cache = EraCache::new();
        cache.remember("https://a", Era::Legacy);
        cache.remember("https://b", Era::Modern("2026-07-28"));
        cache.remember("https://a", Era::Modern("2026-07-28"));
        assert_eq!(cache.get("https://a"), Some(Era::Modern("2026-07-28")));
        cache.forget("https://a");
        assert_eq!((cache.get("https://a"), cache.get("https://b")), (None, Some(Era::Modern("2026-07-28"))));
    }
}
