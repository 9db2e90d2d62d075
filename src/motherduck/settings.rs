//! The client's settings, from the environment (pure: read through a lookup).
//!
//! `MOTHERDUCK_MCP_URL` (default `https://api.motherduck.com/mcp`; plain
//! `http://` only for loopback hosts), `MOTHERDUCK_TOKEN` or
//! `motherduck_token` (sent as a bearer token, never shown),
//! `MOTHERDUCK_MCP_TIMEOUT` (seconds per request, default 30; connecting is
//! bounded by 10 s or less), `MOTHERDUCK_MCP_PROTOCOL` (`auto`, `modern`,
//! `legacy` or one version of those this client speaks: see [`Pin`]; what a
//! pin means for eras is in [`crate::motherduck::mcp::eras`]).

use super::{Error, ErrorKind};
use std::time::Duration;

pub const DEFAULT_URL: &str = "https://api.motherduck.com/mcp";

/// Where to connect and how. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    pub url: String,
    token: String,
    pub timeout: Duration,
    pub protocol: Pin,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("url", &shown_url(&self.url))
            .field("token", &"redacted")
            .field("timeout", &self.timeout)
            .field("protocol", &self.protocol)
            .finish()
    }
}

impl Settings {
    /// Reads the settings through `lookup` (the process environment in production).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, Error> {
        let url = lookup("MOTHERDUCK_MCP_URL").filter(|u| !u.trim().is_empty()).unwrap_or_else(|| DEFAULT_URL.into());
        check_url(&url)?;
        let protocol = Pin::parse(lookup("MOTHERDUCK_MCP_PROTOCOL").as_deref())?;
        let token = lookup("MOTHERDUCK_TOKEN")
            .or_else(|| lookup("motherduck_token"))
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| setting("no MotherDuck token: set the environment variable MOTHERDUCK_TOKEN (or motherduck_token) \
                    to an access token before starting DuckDB; flight := fetches the Flight over MotherDuck's MCP server"))?;
        let seconds = match lookup("MOTHERDUCK_MCP_TIMEOUT") {
            None => 30.0,
            Some(text) => {
                text.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0).ok_or_else(
                    || {
                        setting(format!(
                            "MOTHERDUCK_MCP_TIMEOUT must be a number of seconds between 0 and 3600; got '{text}'"
                        ))
                    },
                )?
            }
        };
        Ok(Settings { url, token: token.trim().to_owned(), timeout: Duration::from_secs_f64(seconds), protocol })
    }

    pub fn from_env() -> Result<Settings, Error> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// The `Authorization` header value.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
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

/// The modern versions this client speaks (per-request metadata, no sessions).
pub const MODERN_VERSIONS: [&str; 1] = ["2026-07-28"];
/// The legacy versions this client speaks (`initialize`, sessions), newest first.
pub const LEGACY_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];

/// `MOTHERDUCK_MCP_PROTOCOL`: which era or version the client may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// Unset or `auto`: modern first, legacy when the server is not modern.
    Auto,
    /// `modern`: only modern versions.
    Modern,
    /// `legacy`: only `initialize` (offering 2025-11-25, accepting any legacy version above).
    Legacy,
    /// One version exactly.
    Version(&'static str),
}

impl Pin {
    /// Reads `MOTHERDUCK_MCP_PROTOCOL` (`None`: unset).
    pub fn parse(text: Option<&str>) -> Result<Pin, Error> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(Pin::Auto) };
        match text.to_ascii_lowercase().as_str() {
            "auto" => Ok(Pin::Auto),
            "modern" => Ok(Pin::Modern),
            "legacy" => Ok(Pin::Legacy),
            _ => MODERN_VERSIONS
                .iter()
                .chain(&LEGACY_VERSIONS)
                .find(|v| **v == text)
                .map(|v| Pin::Version(v))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Setting,
                        format!(
                            "MOTHERDUCK_MCP_PROTOCOL must be auto, modern, legacy or one of the versions {}; got '{text}'",
                            spoken_versions()
                        ),
                    )
                }),
        }
    }

    /// Whether this pin allows `version`.
    pub fn allows(self, version: &str) -> bool {
        match self {
            Pin::Auto => true,
            Pin::Modern => MODERN_VERSIONS.contains(&version),
            Pin::Legacy => LEGACY_VERSIONS.contains(&version),
            Pin::Version(v) => v == version,
        }
    }

    /// What the message adds when a pin is set.
    pub fn note(self) -> String {
        match self {
            Pin::Auto => String::new(),
            Pin::Modern => " (MOTHERDUCK_MCP_PROTOCOL=modern)".into(),
            Pin::Legacy => " (MOTHERDUCK_MCP_PROTOCOL=legacy)".into(),
            Pin::Version(v) => format!(" (MOTHERDUCK_MCP_PROTOCOL={v})"),
        }
    }
}

/// Every version this client speaks, for messages.
pub fn spoken_versions() -> String {
    let all: Vec<&str> = MODERN_VERSIONS.iter().chain(&LEGACY_VERSIONS).copied().collect();
    format!("{} and {}", all[..all.len() - 1].join(", "), all[all.len() - 1])
}

/// A setting that is missing or wrong.
fn setting(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Setting, message)
}

/// The host part of an http(s) URL: `(scheme, host, port)`, lower-cased,
/// without user information (`[..]` kept off an IPv6 host).
fn authority(url: &str) -> Option<(String, String, Option<String>)> {
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) = v6.split_once(']').unwrap_or((v6, ""));
        (host, after.strip_prefix(':'))
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    Some((scheme.to_owned(), host.to_owned(), port.filter(|p| !p.is_empty()).map(str::to_owned)))
}

/// The origin of `url` (`scheme://host:port`, default port filled in): the
/// key of the era cache.
pub fn origin_of(url: &str) -> String {
    match authority(url) {
        Some((scheme, host, port)) => {
            let port = port.unwrap_or_else(|| if scheme == "https" { "443".into() } else { "80".into() });
            let host = if host.contains(':') { format!("[{host}]") } else { host };
            format!("{scheme}://{host}:{port}")
        }
        None => url.to_ascii_lowercase(),
    }
}

/// Refuses anything but https, or plain http to a loopback host.
fn check_url(url: &str) -> Result<(), Error> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if !lower.starts_with("http://") {
        return Err(setting(format!("MOTHERDUCK_MCP_URL must start with https:// (got '{}')", shown_url(url))));
    }
    let host = authority(url).map(|(_, host, _)| host).unwrap_or_default();
    let loopback =
        host == "localhost" || host == "::1" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(setting(format!(
            "MOTHERDUCK_MCP_URL '{}' uses plain http:// to a host that is not loopback: use https:// (the token would travel in clear)",
            shown_url(url)
        )))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn settings_from_the_environment() {
        let s = Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "tok")])).unwrap();
        assert_eq!((s.url.as_str(), s.timeout, s.protocol), (DEFAULT_URL, Duration::from_secs(30), Pin::Auto));
        let s = Settings::from_lookup(lookup(&[
            ("motherduck_token", "tok"),
            ("MOTHERDUCK_MCP_TIMEOUT", "2.5"),
            ("MOTHERDUCK_MCP_PROTOCOL", "2025-06-18"),
        ]))
        .unwrap();
        assert_eq!((s.timeout, s.protocol), (Duration::from_millis(2500), Pin::Version("2025-06-18")));
        let err = Settings::from_lookup(lookup(&[])).unwrap_err().message;
        assert!(err.contains("MOTHERDUCK_TOKEN"), "{err}");
        assert!(Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "t"), ("MOTHERDUCK_MCP_TIMEOUT", "-1")])).is_err());
        let err = Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "t"), ("MOTHERDUCK_MCP_PROTOCOL", "old")]))
            .unwrap_err()
            .message;
        assert!(err.contains("MOTHERDUCK_MCP_PROTOCOL"), "{err}");
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
            let err = check_url(bad).unwrap_err().message;
            assert!(!err.contains("pw@"), "{err}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://API.motherduck.com/mcp"), "https://api.motherduck.com:443");
        assert_eq!(origin_of("https://api.motherduck.com:443/other"), "https://api.motherduck.com:443");
        assert_eq!(origin_of("http://u:p@127.0.0.1:8080/mcp?x"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://[::1]:9/x"), "http://[::1]:9");
        assert_ne!(origin_of("http://127.0.0.1:8080/mcp"), origin_of("http://127.0.0.1:8081/mcp"));
    }

    #[test]
    fn the_token_is_scrubbed() {
        let s = Settings::from_lookup(lookup(&[("MOTHERDUCK_TOKEN", "secret-token-123")])).unwrap();
        assert_eq!(s.scrub("bad token secret-token-123!"), "bad token redacted!");
        assert!(!format!("{s:?}").contains("secret-token-123"));
    }
}
