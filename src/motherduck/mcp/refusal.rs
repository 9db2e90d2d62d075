//! The wording of refusals: every server text scrubbed of the token.

use super::auth::refusal_message;
use super::client::{Client, Refusal, LAST_REFUSAL};
use super::jsonrpc::{RpcError, ToolError};

impl Client {
    /// The message for a refusal that is not an era question.
    pub(super) fn refused(&self, refusal: &Refusal, what: &str) -> String {
        let url = &self.transport.url;
        let status = refusal.status;
        match (status, &refusal.error) {
            (401 | 403, error) => self.scrub(&refusal_message(
                status,
                refusal.www_authenticate.as_deref(),
                error.as_ref().map(|e| e.message.as_str()),
                what,
                url,
            )),
            (404, None) => format!("no MCP endpoint at {url} (HTTP 404): check MOTHERDUCK_MCP_URL"),
            (400..=499, Some(error)) => self.rpc_refusal(what, error),
            (400, None) => format!("MotherDuck's MCP server at {url} refused {what} as a bad request (HTTP 400)"),
            (500..=599, _) => format!(
                "MotherDuck's MCP server failed (HTTP {status}) at {url} while answering {what}; try again later"
            ),
            _ => format!("unexpected HTTP {status} from {url} while sending {what}"),
        }
    }

    pub(super) fn rpc_refusal(&self, what: &str, error: &RpcError) -> String {
        LAST_REFUSAL.with(|last| *last.borrow_mut() = Some(error.clone()));
        format!("MotherDuck's MCP server refused {what}: {}", self.scrub(&error.describe()))
    }

    /// The JSON-RPC error of the last refused request on this thread (taken: cleared).
    pub fn take_refusal(&self) -> Option<RpcError> {
        LAST_REFUSAL.with(|last| last.borrow_mut().take())
    }

    pub fn malformed(&self, what: &str) -> String {
        self.transport.malformed(what)
    }

    pub(super) fn scrub(&self, text: &str) -> String {
        self.transport.settings.scrub(text)
    }

    /// The message for a tool result that is not the tool's answer.
    pub fn tool_error(&self, tool: &str, error: ToolError) -> String {
        match error {
            ToolError::Failed(error) => format!("MotherDuck's {tool} tool failed: {}", self.scrub(&error)),
            ToolError::Malformed(what) => self.malformed(&what),
            ToolError::InputRequired => self.malformed(&format!(
                "the {tool} result asks for more input (resultType input_required), which this client cannot give"
            )),
        }
    }
}
