"""--era 2025-11-25 only, SSE polling (2025-11-25 basic/transports.mdx "Sending Messages to the Server" 6,
"Resumability and Redelivery"): every tools/call is answered with an event stream holding a priming
event (an id, empty data) and `retry: 100`, closed before the response; the response comes on a GET
with `Accept: text/event-stream`, the session id, `MCP-Protocol-Version` and `Last-Event-ID` of that
stream, sent no sooner than `retry` ms after the close (else 400; a GET without Last-Event-ID: 405,
no standalone stream). A Flight fixture's `resumes` says how many GETs it takes (nightly_ingest: 2);
the Flight behaviours (scenarios.py) no_resume (the GET is answered 405) and slow_retry (retry: 5000)
act here.
"""
import json
import time

from ..scenarios import SLOW_RETRY_MS

RETRY_MS = 100


class Polling:
    """A mixin of server.Handler."""

    def polled(self, message_id, result):
        """A priming event and a retry hint, then the connection closes before the response."""
        state, flight = self.state, self.flight
        behaviour = state.scenario.behaviour(flight.id) if flight else None
        stream_id = f"s{next(state.counter)}"
        retry = SLOW_RETRY_MS if behaviour == "slow_retry" else RETRY_MS
        with state.lock:
            state.streams[stream_id] = {"session": self.headers.get("Mcp-Session-Id"), "closed": time.monotonic(),
                                        "answer": {"jsonrpc": "2.0", "id": message_id, "result": result},
                                        "retry_ms": retry, "behaviour": behaviour,
                                        "resumes_left": flight.resumes if flight else 1}
        try:
            self.open_stream()
            self.event("", event_id=f"{stream_id}-0", retry=retry)
        except (BrokenPipeError, ConnectionResetError):
            pass
        with state.lock:
            state.streams[stream_id]["closed"] = time.monotonic()
        self.close_connection = True

    def resume(self):
        """A GET resuming a polled stream."""
        state = self.state
        if "text/event-stream" not in self.headers.get("Accept", ""):
            return self.rpc_error(406, None, -32000, "Not Acceptable: Accept must list text/event-stream")
        if not self.authorized():
            return self.reply(401, {"error": "invalid token"})
        last = self.headers.get("Last-Event-ID")
        if last is None:
            return self.reply(405, headers={"Allow": "POST"})  # no standalone stream
        session = self.headers.get("Mcp-Session-Id")
        stream_id = last.rsplit("-", 1)[0]
        with state.lock:
            version = state.sessions.get(session)
            stream = state.streams.get(stream_id)
        if not session:
            return self.rpc_error(400, None, -32000, "Bad Request: Mcp-Session-Id header is required")
        if version is None:
            return self.rpc_error(404, None, -32001, "Session not found")
        if self.headers.get("MCP-Protocol-Version") != version:
            return self.rpc_error(400, None, -32000, f"Bad Request: MCP-Protocol-Version must be {version}")
        if stream is None or stream["session"] != session:
            return self.rpc_error(400, None, -32000, f"Bad Request: unknown Last-Event-ID {last}")
        if stream["behaviour"] == "no_resume":
            return self.reply(405, headers={"Allow": "POST"})
        if time.monotonic() - stream["closed"] < stream["retry_ms"] / 1000.0 * 0.9:
            return self.rpc_error(400, None, -32000, "Bad Request: reconnected before the retry time")
        try:
            self.open_stream()
            if stream["resumes_left"] > 1:  # close again: the client polls once more
                stream["resumes_left"] -= 1
                self.event("", event_id=f"{stream_id}-{9 - stream['resumes_left']}", retry=stream["retry_ms"])
                stream["closed"] = time.monotonic()
            else:
                self.event(json.dumps(stream["answer"]), event_id=f"{stream_id}-9")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True
