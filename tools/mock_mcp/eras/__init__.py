"""The MCP eras the mock speaks (--era), one module per era's rules
(spec pages: modelcontextprotocol/modelcontextprotocol, docs/specification/):

Every era (2025-06-18 and later basic/transports "Sending Messages"; authorization "Error Handling"),
checked in server.py: every POST has `Accept` listing both application/json and text/event-stream
(else 406) and `Authorization: Bearer <MOCK_MCP_TOKEN>` (else 401 with WWW-Authenticate: Bearer
error="invalid_token").

  2025-06-18 (default)  legacy.py: initialize and sessions
  2025-11-25            legacy.py, and polling.py: every tools/call answered through a polled event stream
  2026-07-28            modern.py: stateless requests with headers and _meta
  dual                  modern requests (params._meta with a protocol version) as in 2026-07-28, and
                        `initialize` opens a legacy session (2025-11-25, 2025-06-18, 2025-03-26)
"""
ERAS = ("2025-06-18", "2025-11-25", "2026-07-28", "dual")
META = "io.modelcontextprotocol/"
SERVER_INFO = {"name": "mock-motherduck", "version": "0"}


def is_modern(era, params):
    """Whether a POST is served by the modern era's rules."""
    carries_meta = isinstance(params.get("_meta"), dict) and META + "protocolVersion" in params["_meta"]
    return era == "2026-07-28" or (era == "dual" and carries_meta)


def polls(era, modern):
    """Whether tools/call answers go through a polled stream (2025-11-25 legacy requests)."""
    return era == "2025-11-25" and not modern
