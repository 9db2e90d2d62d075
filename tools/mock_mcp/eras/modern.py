"""--era 2026-07-28: modern only (2026-07-28 basic/versioning.mdx, basic/index.mdx "_meta",
basic/transports/streamable-http.mdx "Request Metadata", "Server Validation", "Backward Compatibility"):
  - `MCP-Protocol-Version`, `Mcp-Method` (= method) and, for tools/call, `Mcp-Name` (= params.name,
    after decoding the Base64 sentinel) are required and must match the body (else 400 -32020)
  - params._meta: io.modelcontextprotocol/protocolVersion (= the header; missing: 400 -32602,
    different: 400 -32020), io.modelcontextprotocol/clientCapabilities (object; else 400 -32602),
    io.modelcontextprotocol/clientInfo (if given: name and version; else 400 -32602)
  - a version it does not support: 400 -32022 with data.supported and data.requested; so is
    `initialize` (its error names the supported versions)
  - GET and DELETE: 405; Mcp-Session-Id and Last-Event-ID are ignored, no session is minted
  - tools/list marks list_flight_runs' `id` with x-mcp-header "Flight-Id" (server/tools.mdx):
    a call with an id but no matching `Mcp-Param-Flight-Id` is refused (400 -32020)
  - results carry resultType "complete" (changelog major change 8) and _meta io.modelcontextprotocol/serverInfo
The Flight behaviours (scenarios.py) future_protocol_only (-32022 with supported ["2027-01-01"]) and
prefers_legacy (dual: -32022 with supported ["2025-11-25", "2025-06-18"]) act here, on any request
naming a Flight given that behaviour.
"""
from . import META, SERVER_INFO
from ..transport import decode_header
from ..tools import tool_definitions

MODERN_SUPPORTED = ("2026-07-28",)


class Modern:
    """A mixin of server.Handler."""

    def result_of(self, result):
        if self.modern:
            result = dict(result, resultType="complete", _meta={META + "serverInfo": SERVER_INFO})
        return result

    def modern_post(self, message, params):
        """A request of the modern era: validated as streamable-http "Server Validation" says."""
        state = self.state
        method, message_id = message.get("method"), message.get("id")
        if method == "initialize":
            state.count("initialize")
            return self.rpc_error(400, message_id, -32022,
                                  f"Unsupported protocol version: this server speaks {', '.join(MODERN_SUPPORTED)} only",
                                  {"supported": list(MODERN_SUPPORTED), "requested": params.get("protocolVersion")})
        if message_id is None:
            return self.reply(202)
        refusal = self.header_refusal(method, params)
        if refusal:
            return self.rpc_error(400, message_id, *refusal)
        header_version = self.headers.get("MCP-Protocol-Version")
        named = state.behaviours_in(message)
        if "future_protocol_only" in named:
            return self.rpc_error(400, message_id, -32022, "Unsupported protocol version",
                                  {"supported": ["2027-01-01"], "requested": header_version})
        if "prefers_legacy" in named and state.era == "dual":
            return self.rpc_error(400, message_id, -32022, "Unsupported protocol version",
                                  {"supported": ["2025-11-25", "2025-06-18"], "requested": header_version})
        if method == "server/discover":
            return self.rpc_result(message_id, {"supportedVersions": list(MODERN_SUPPORTED), "capabilities": {"tools": {}},
                                                "ttlMs": 0, "cacheScope": "private"})
        if method == "tools/list":
            return self.rpc_result(message_id, {"tools": tool_definitions(state.era, state.scenario.logs_tools),
                                                "ttlMs": 0, "cacheScope": "private"})
        if method != "tools/call":
            return self.rpc_error(404, message_id, -32601, f"Method not found: {method}")
        refusal = self.param_header_refusal(params)
        if refusal:
            return self.rpc_error(400, message_id, *refusal)
        return self.call_tool(message, params, None)

    def header_refusal(self, method, params):
        """(code, message[, data]) when the headers or _meta break the era's rules, else None."""
        header_version = self.headers.get("MCP-Protocol-Version")
        if header_version is None:
            return -32020, "Header mismatch: MCP-Protocol-Version header is required"
        if self.headers.get("Mcp-Method") != method:
            return -32020, f"Header mismatch: Mcp-Method header {self.headers.get('Mcp-Method')!r} does not match body value {method!r}"
        if method in ("tools/call", "resources/read", "prompts/get"):
            body_name = params.get("name", params.get("uri"))
            if decode_header(self.headers.get("Mcp-Name")) != body_name:
                return -32020, f"Header mismatch: Mcp-Name header {self.headers.get('Mcp-Name')!r} does not match body value {body_name!r}"
        meta = params.get("_meta") if isinstance(params.get("_meta"), dict) else {}
        if META + "protocolVersion" not in meta or not isinstance(meta.get(META + "clientCapabilities"), dict):
            return -32602, "Invalid params: _meta needs io.modelcontextprotocol/protocolVersion and clientCapabilities"
        info = meta.get(META + "clientInfo")
        if info is not None and not (isinstance(info, dict) and isinstance(info.get("name"), str)
                                     and isinstance(info.get("version"), str)):
            return -32602, "Invalid params: clientInfo needs name and version"
        if meta[META + "protocolVersion"] != header_version:
            return -32020, "Header mismatch: MCP-Protocol-Version does not match _meta protocolVersion"
        if header_version not in MODERN_SUPPORTED:
            return -32022, "Unsupported protocol version", {"supported": list(MODERN_SUPPORTED), "requested": header_version}
        return None

    def param_header_refusal(self, params):
        """x-mcp-header (streamable-http "Server Behavior for Custom Headers"): a marked argument's header."""
        for definition in tool_definitions(self.state.era, self.state.scenario.logs_tools):
            if definition["name"] != params.get("name"):
                continue
            for prop, schema in definition["inputSchema"]["properties"].items():
                value = (params.get("arguments") or {}).get(prop)
                if "x-mcp-header" in schema and value is not None:
                    header = decode_header(self.headers.get(f"Mcp-Param-{schema['x-mcp-header']}"))
                    if header != str(value):
                        return -32020, f"Header mismatch: Mcp-Param-{schema['x-mcp-header']} must carry {prop}"
        return None
