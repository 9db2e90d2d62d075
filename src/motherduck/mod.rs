//! Fetching a Flight's stored definition from MotherDuck's remote MCP server.
//!
//! [`definition`] turns the server's `get_flight` / `list_flights` results into
//! plain structs (pure, unit-tested); [`mcp`] is the HTTP client (MCP
//! Streamable HTTP over `ureq`). The token is read from the environment, sent
//! only as an `Authorization` header, and never appears in a result or error.

pub mod definition;
pub mod mcp;
