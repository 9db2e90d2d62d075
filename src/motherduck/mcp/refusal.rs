//! The wording of refusals: every server text scrubbed of the token.

use super::auth::refusal_message;
use super::client::{Client, Refusal};
use super::jsonrpc::{is_unknown_tool, RpcError, ToolError};
use crate::motherduck::{Error, ErrorKind};

impl Client {
    /// The message for a refusal that is not an era question.
    pub(super) fn refused(&self, refusal: &Refusal, what: &str) -> Error {
        let url = &self.transport.url;
        let status = refusal.status;
        let refused = |message: String| Error::new(ErrorKind::Refused, message);
        match (status, &refusal.error) {
            (401 | 403, error) => Error::new(
                ErrorKind::Unauthorized,
                self.scrub(&refusal_message(
                    status,
                    refusal.www_authenticate.as_deref(),
                    error.as_ref().map(|e| e.message.as_str()),
                    what,
                    url,
                )),
            ),
            (404, None) => Error::new(
                ErrorKind::Protocol,
                format!("no MCP endpoint at {url} (HTTP 404): check MOTHERDUCK_MCP_URL"),
            ),
            (400..=499, Some(error)) => self.rpc_refusal(what, error),
            (400, None) => {
                refused(format!("MotherDuck's MCP server at {url} refused {what} as a bad request (HTTP 400)"))
            }
            (500..=599, _) => refused(format!(
                "MotherDuck's MCP server failed (HTTP {status}) at {url} while answering {what}; try again later"
            )),
            _ => Error::new(ErrorKind::Protocol, format!("unexpected HTTP {status} from {url} while sending {what}")),
        }
    }

    /// A JSON-RPC error answering `what`: [`ErrorKind::UnknownTool`] when it says the server has
    /// no tool of that name, else [`ErrorKind::Refused`].
    pub(super) fn rpc_refusal(&self, what: &str, error: &RpcError) -> Error {
        let kind = if is_unknown_tool(error) { ErrorKind::UnknownTool } else { ErrorKind::Refused };
        Error::new(kind, format!("MotherDuck's MCP server refused {what}: {}", self.scrub(&error.describe())))
    }

    pub fn malformed(&self, what: &str) -> Error {
        self.transport.malformed(what)
    }

    pub(super) fn scrub(&self, text: &str) -> String {
        self.transport.settings.scrub(text)
    }

    /// The message for a tool result that is not the tool's answer.
    pub fn tool_error(&self, tool: &str, error: ToolError) -> Error {
        match error {
            ToolError::Failed(error) => {
                Error::new(ErrorKind::ToolFailed, format!("MotherDuck's {tool} tool failed: {}", self.scrub(&error)))
            }
            ToolError::Malformed(what) => self.malformed(&what),
            ToolError::InputRequired => self.malformed(&format!(
                "the {tool} result asks for more input (resultType input_required), which this client cannot give"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::motherduck::settings::Settings;

    #[test]
    fn an_unknown_tool_is_its_own_kind() {
        let settings =
            Settings::from_lookup(|name| (name == "MOTHERDUCK_TOKEN").then(|| "tok-123".to_owned())).unwrap();
        let client = Client::connect(settings).unwrap();
        let error = |code, message: &str| RpcError { code: Some(code), message: message.into(), data: None };
        let unknown = client.rpc_refusal("get_flight_logs", &error(-32602, "Unknown tool: get_flight_logs tok-123"));
        assert_eq!(unknown.kind, ErrorKind::UnknownTool);
        assert_eq!(
            unknown.message,
            "MotherDuck's MCP server refused get_flight_logs: Unknown tool: get_flight_logs redacted (JSON-RPC error -32602)"
        );
        let invalid = client.rpc_refusal("x", &error(-32602, "Invalid params: max_bytes must be >= 1024"));
        assert_eq!(invalid.kind, ErrorKind::Refused);
        let refusal = Refusal { status: 401, error: None, www_authenticate: None };
        assert_eq!(client.refused(&refusal, "x").kind, ErrorKind::Unauthorized);
    }
}
