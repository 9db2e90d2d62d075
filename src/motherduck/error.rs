//! The one error of the MotherDuck layer: what kind of failure it is, and the
//! words a user reads (already scrubbed of the token). The SQL glue turns it
//! into DuckDB's error text, its message as is.

/// What kind of failure: callers decide by this, never by the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument of the SQL call is out of range (`limit`, `run_number`, `max_bytes`).
    BadArgument,
    /// The environment is missing or wrong (token, `MOTHERDUCK_MCP_*`).
    Setting,
    /// DuckDB's sandbox forbids the network (`enable_external_access = false`).
    Sandbox,
    /// The server could not be reached, or its reply could not be read.
    Network,
    /// No answer within `MOTHERDUCK_MCP_TIMEOUT`.
    Timeout,
    /// A 401 or 403: the token, or its scope.
    Unauthorized,
    /// The server refused the request (a JSON-RPC error, an HTTP error status).
    Refused,
    /// The server answered that it has no tool of the name called (JSON-RPC
    /// -32602, [`crate::motherduck::mcp::jsonrpc::is_unknown_tool`]).
    UnknownTool,
    /// No protocol era or version in common, a redirect, no MCP endpoint.
    Protocol,
    /// A reply not in the documented shape.
    Malformed,
    /// The tool ran and failed (the server's own words).
    ToolFailed,
    /// No Flight of that name, or no run yet.
    NotFound,
    /// More than one Flight of that name.
    Ambiguous,
    /// `list_flights` at its maximum: Flights may be missing.
    Incomplete,
}

/// A failure of the MotherDuck layer (its message scrubbed of the token).
pub type Error = crate::layer_error::LayerError<ErrorKind>;

/// A reply not in the documented shape (the detail; the client adds where from).
pub fn malformed(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Malformed, message)
}
