//! MotherDuck's remote MCP server: a Flight's stored definition, its versions
//! and runs, every Flight.
//!
//! Pure parts, unit-tested: [`definition`] reads the tools' results in the
//! documented shapes; [`settings`] reads the environment; [`eras`] decides
//! which MCP era a server speaks; [`header`] and [`param_headers`] build the
//! headers of modern requests; [`sse`] parses event streams and decides when
//! to resume one; [`auth`] words a 401 or 403; [`jsonrpc`] reads messages and
//! tool results; [`logs`] reads a run's log in both documented shapes. The I/O is thin: [`transport`] (`ureq`), [`client`] (the client's
//! state, reading responses), [`mcp`] (which era; the modern one) and
//! [`legacy`] (sessions). [`api`] is what the SQL
//! functions call; [`sandbox`] is DuckDB's `enable_external_access`, checked
//! before anything else. The token is read from the environment, sent only as
//! an `Authorization` header to the configured origin, and never appears in a
//! result or error.

pub mod api;
pub mod auth;
pub mod client;
pub mod definition;
pub mod eras;
pub mod header;
pub mod jsonrpc;
pub mod legacy;
pub mod logs;
pub mod mcp;
pub mod param_headers;
pub mod sandbox;
pub mod settings;
pub mod sse;
pub mod transport;
