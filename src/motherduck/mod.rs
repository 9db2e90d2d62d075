//! MotherDuck's remote MCP server: a Flight's stored definition, its versions,
//! runs and logs, every Flight. By the questions a reader asks:
//!
//! - [`api`]: what the SQL functions ask of MotherDuck (one client per call,
//!   behind the glue's [`api::Gate`], the sandbox check).
//! - [`tools`]: the Flights tools' answers in MotherDuck's documented shapes
//!   (pure): stored Flights, versions, runs ([`tools::flights`]) and a run's
//!   log ([`tools::logs`]).
//! - [`mcp`]: one MCP client, knowing nothing of Flights: which era a server
//!   speaks and its cache, the modern requests, legacy sessions, JSON-RPC
//!   messages, the wording of refusals.
//! - [`http`]: the transport under it (`ureq`, deadlines), event streams, the
//!   encoding of headers.
//! - [`settings`]: the environment (URL, token, timeout, protocol pin).
//! - [`Error`]: the one error of this layer, with its [`ErrorKind`].
//!
//! The token is read from the environment, sent only as an `Authorization`
//! header to the configured origin, and never appears in a result or error.

pub mod api;
mod error;
pub mod http;
pub mod mcp;
pub mod settings;
pub mod tools;

pub use error::{malformed, Error, ErrorKind};
