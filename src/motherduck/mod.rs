//! MotherDuck's remote MCP server: a Flight's stored definition, its versions
//! and runs, every Flight.
//!
//! [`definition`] turns the tools' results into plain structs (pure,
//! unit-tested against the documented shapes); [`mcp`] is the HTTP client
//! (MCP Streamable HTTP over `ureq`); [`api`] is what the SQL functions call.
//! The token is read from the environment, sent only as an `Authorization`
//! header to the configured origin, and never appears in a result or error.

pub mod api;
pub mod definition;
pub mod mcp;
