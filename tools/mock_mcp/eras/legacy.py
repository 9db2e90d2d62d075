"""--era 2025-06-18 (default), 2025-11-25 and dual's initialize: `initialize` and sessions
(<rev>/basic/transports.mdx "Session Management", "Protocol Version Header"; basic/lifecycle.mdx):
  - initialize echoes the offered version when the era supports it (2025-06-18: 2025-06-18,
    2025-03-26; 2025-11-25 and dual: those and 2025-11-25), else answers its newest (the
    session_protocol scenarios override it); mints Mcp-Session-Id
  - later requests: `Mcp-Session-Id` of a live session (missing: 400 with a JSON-RPC error that is
    not a modern one, which is also what a modern probe gets; unknown/expired: 404) and
    `MCP-Protocol-Version` equal to the version negotiated (else 400)
  - DELETE ends the session
"""
from . import SERVER_INFO

LEGACY_SUPPORTED = {"2025-06-18": ("2025-06-18", "2025-03-26"),
                    "2025-11-25": ("2025-11-25", "2025-06-18", "2025-03-26"),
                    "dual": ("2025-11-25", "2025-06-18", "2025-03-26")}


class Legacy:
    """A mixin of server.Handler."""

    def legacy_post(self, message, params):
        state = self.state
        method = message.get("method")
        if method == "initialize":
            state.count("initialize")
            supported = LEGACY_SUPPORTED.get(state.era, LEGACY_SUPPORTED["2025-06-18"])
            offered = params.get("protocolVersion")
            with state.lock:
                version = state.scenario.session_protocol or (offered if offered in supported else supported[0])
                session = f"mock-session-{next(state.counter)}"
                state.sessions[session] = version
                state.counts["sessions"] += 1
            return self.rpc_result(message["id"], {"protocolVersion": version, "capabilities": {"tools": {}},
                                                   "serverInfo": SERVER_INFO},
                                   headers={"Mcp-Session-Id": session})
        session = self.headers.get("Mcp-Session-Id")
        if not session:
            return self.rpc_error(400, message.get("id"), -32000, "Bad Request: Mcp-Session-Id header is required")
        with state.lock:
            version = state.sessions.get(session)
        if version is None:
            return self.rpc_error(404, message.get("id"), -32001, "Session not found")
        if self.headers.get("MCP-Protocol-Version") != version:
            return self.rpc_error(400, message.get("id"), -32000, f"Bad Request: MCP-Protocol-Version must be {version}")
        if method == "notifications/initialized":
            return self.reply(202)
        if method is None and "id" in message and ("result" in message or "error" in message):
            with state.lock:  # a client's answer to our ping
                state.pings_answered += int(message.get("id") == "srv-1" and message.get("result") == {})
            return self.reply(202)
        if method != "tools/call":
            return self.rpc_error(200, message.get("id"), -32601, f"Method not found: {method}")
        return self.call_tool(message, params, session)

    def legacy_delete(self):
        with self.state.lock:
            self.state.sessions.pop(self.headers.get("Mcp-Session-Id"), None)
        self.reply(200)
