//! The HTTP under the MCP client: [`transport`] (`ureq`: one POST, one
//! resuming GET, one DELETE, each bounded by a deadline; redirects never
//! followed), [`sse`] (event streams, when to resume one), [`header`] (header
//! values, the Base64 sentinel) and [`param_headers`] (the `Mcp-Param-*`
//! headers a tool's schema asks for). Pure but [`transport`].

pub mod header;
pub mod param_headers;
pub mod sse;
pub mod transport;
