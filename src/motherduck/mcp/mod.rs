//! One MCP client (Streamable HTTP, every era), knowing nothing of Flights.
//!
//! [`client`] is its state; [`request`] sends a request in the right era
//! (cached per origin in [`eras`], which also decides from a refusal which era
//! a server speaks); [`modern`] and [`legacy`] are the two eras;
//! [`response`] reads a response (a JSON body or an event stream) and
//! resumes a stream; [`jsonrpc`] reads messages and tool results (pure);
//! [`refusal`] words a refusal, from [`auth`] for a 401 or 403 (pure).

pub mod auth;
pub mod client;
pub mod eras;
pub mod jsonrpc;
pub mod legacy;
pub mod modern;
pub mod refusal;
pub mod request;
pub mod response;

pub use client::Client;
