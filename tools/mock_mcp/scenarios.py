"""How the mock departs from a plain, well-behaved server: all of it is chosen through the control
endpoint, never by a Flight's name or id (a Flight's name is only its name).

The scenario in force (one per mock, replaced whole by POST /_control/scenario, body
{"name": NAME, "flights": {FLIGHT: BEHAVIOUR, ...}}, both optional: "default" and none;
GET /_control/scenario shows it, with "flights" by Flight id) has two parts:

1. A mock-wide scenario NAME. tools/with_mock_mcp.sh chooses $MOCK_MCP_SCENARIO (default `default`)
   once the mock is up and exports it, so a SQL test file that needs one starts with
   `require-env MOCK_MCP_SCENARIO NAME` (skipped in other runs) and the Makefile runs it with that scenario.
     default                       the logs tool answers to both names; sessions echo the offered version
     logs_tools_none               the logs tool answers to neither name (each is JSON-RPC -32602
                                   "Unknown tool: NAME", MCP server/tools.mdx "Error Handling")
     logs_tools_get_flight_logs    only get_flight_logs (agent-skills' and the newer view_flight_run page's name)
     logs_tools_get_flight_run_logs  only get_flight_run_logs (the get-flight-run-logs pages' name)
     logs_tool_renamed             get_flight_logs for the first answer, then get_flight_run_logs only
                                   (a server renamed while a client remembers the old name)
     session_protocol_2025_03_26   every initialize answers protocol 2025-03-26 (supported)
     session_protocol_2024_11_05   every initialize answers protocol 2024-11-05 (not spoken by the client)
     quote_authorization           a logs tool "run not found" failure quotes the request's Authorization
                                   header (the client must scrub it)

2. Flight behaviours: FLIGHT (a name of the catalogue, or an id) misbehaves as BEHAVIOUR
   (FLIGHT_BEHAVIOURS below says what each does), the other Flights answer as usual. A SQL test
   file that needs one says so with `require-env MOCK_MCP_FLIGHT_<flight name> BEHAVIOUR`:
   tools/with_mock_mcp.sh chooses every MOCK_MCP_FLIGHT_* of its environment along with the
   scenario (so DuckDB's own runner runs such a file only in a run started with them), and our
   runner (tools/sqllogictest/mock_mcp.py) chooses a file's own for that file and restores the
   run's when it ends (through MOCK_MCP_CONTROL, this endpoint's URL, which with_mock_mcp.sh exports).
   What a behaviour counts (a session that expires every other time, ...) starts afresh each time
   the scenario is chosen.

And two reports the SQL tests read through get_flight (the only way SQL reaches the mock is the
extension's own requests): REPORT_STATS_ID and REPORT_ORIGIN_ID below, ids no Flight has and
list_flights never shows (they change nothing); GET /_control/report gives both.
"""
import time

LOGS_TOOLS = ("get_flight_run_logs", "get_flight_logs")

CONTROL_SCENARIOS = {
    "default": {},
    "logs_tools_none": {"logs_tools": ()},
    "logs_tools_get_flight_logs": {"logs_tools": ("get_flight_logs",)},
    "logs_tools_get_flight_run_logs": {"logs_tools": ("get_flight_run_logs",)},
    "logs_tool_renamed": {"logs_tools": ("get_flight_logs",), "logs_tools_after_answer": ("get_flight_run_logs",)},
    "session_protocol_2025_03_26": {"session_protocol": "2025-03-26"},
    "session_protocol_2024_11_05": {"session_protocol": "2024-11-05"},
    "quote_authorization": {"quote_authorization": True},
}


class Scenario:
    """The scenario in force (one per mock; replaced whole by the control endpoint).

    flights: {Flight id: FLIGHT_BEHAVIOURS key}, resolved from names by the control endpoint.
    The counters of the behaviours that act every other time live here, so each choice starts afresh."""

    def __init__(self, name="default", flights=None):
        name = "default" if name is None else name
        if not isinstance(name, str) or name not in CONTROL_SCENARIOS:
            raise ValueError(f"unknown scenario {name!r}: one of {', '.join(CONTROL_SCENARIOS)}")
        for behaviour in (flights or {}).values():
            if not isinstance(behaviour, str) or behaviour not in FLIGHT_BEHAVIOURS:
                raise ValueError(f"unknown Flight behaviour {behaviour!r}: one of {', '.join(FLIGHT_BEHAVIOURS)}")
        settings = CONTROL_SCENARIOS[name]
        self.name = name
        self.flights = dict(flights or {})
        self.logs_tools = tuple(settings.get("logs_tools", LOGS_TOOLS))
        self.logs_tools_after_answer = settings.get("logs_tools_after_answer")
        self.session_protocol = settings.get("session_protocol")
        self.quote_authorization = settings.get("quote_authorization", False)
        self.expire_calls = 0        # session_expires_once
        self.break_calls = 0         # stream_breaks_once
        self.broken_ids = set()      # stream_breaks_once: the ids of the requests whose stream broke

    def behaviour(self, flight_id):
        """The behaviour of a Flight (FLIGHT_BEHAVIOURS key), or None: it answers as usual."""
        return self.flights.get(flight_id)

    def logs_tool_answered(self):
        if self.logs_tools_after_answer is not None:
            self.logs_tools, self.logs_tools_after_answer = tuple(self.logs_tools_after_answer), None

    def describe(self):
        return {"name": self.name, "flights": dict(self.flights), "logs_tools": list(self.logs_tools),
                "session_protocol": self.session_protocol, "quote_authorization": self.quote_authorization}


# ---- Flight behaviours ------------------------------------------------------------------------------
# Those that act on get_flight answer it in place of the Flight (handler: the request's server.Handler);
# True when they answered, False to answer as usual. Those that act elsewhere are marked "(elsewhere)"
# and checked where they act; they answer get_flight as usual here.
SLOW_SECONDS = 4       # past the client's timeout (with_mock_mcp.sh sets 2)
HOLD_SECONDS = 6       # how long an event stream stays open after its answer
SLOW_RETRY_MS = 5000   # past the client's timeout


def tool_failure(handler, message_id, session):
    """success: false with an error, no isError (tool_failure.json's shape)."""
    handler.failure(message_id, "Flight is being deleted; try again later")
    return True


def bad_request(handler, message_id, session):
    """HTTP 400 with a JSON-RPC error body (-32602)."""
    handler.rpc_error(400, message_id, -32602, "Invalid params: version must be a positive integer")
    return True


def error_without_id(handler, message_id, session):
    """HTTP 200 with a JSON-RPC error that has no id (a request the server could not read: JSON-RPC 2.0 section 5)."""
    handler.rpc_error(200, None, -32600, "Invalid Request: the server could not read this request")
    return True


def insufficient_scope(handler, message_id, session):
    """HTTP 403, WWW-Authenticate: Bearer error="insufficient_scope" (authorization "Runtime Insufficient Scope Errors")."""
    handler.reply(403, {"jsonrpc": "2.0", "error": {"code": -32000, "message": "Forbidden"}}, headers={
        "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="flights:read", '
                            'resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource", '
                            'error_description="Reading Flights requires flights:read"'})
    return True


def invalid_token(handler, message_id, session):
    """HTTP 401, WWW-Authenticate: Bearer error="invalid_token"."""
    handler.reply(401, b"", headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="token revoked"'})
    return True


def forbidden(handler, message_id, session):
    """HTTP 403 without WWW-Authenticate, a JSON-RPC error without id (streamable-http "Security Warning": a rejected Origin)."""
    handler.rpc_error(403, None, -32000, "Forbidden: Origin not allowed")
    return True


def redirect(handler, message_id, session):
    """HTTP 307 to another loopback origin (transport.OtherOrigin), which counts the requests that carried the token."""
    handler.reply(307, b"", headers={"Location": f"http://127.0.0.2:{handler.state.other_port}/mcp"})
    return True


def session_expires_once(handler, message_id, session):
    """Legacy: the session expires (404) on every other get_flight of the Flight (the first one included)."""
    state = handler.state
    scenario = state.scenario
    if session is None:
        return False
    with state.lock:
        scenario.expire_calls += 1
        expire = scenario.expire_calls % 2 == 1  # every other call: each fetch sees one expiry
        if expire:
            state.sessions.pop(session, None)
    if expire:
        handler.rpc_error(404, message_id, -32001, "Session not found")
    return expire


def stream_breaks_once(handler, message_id, session):
    """Modern: every other get_flight stream closes before the response; the client must send the request
    again with a new id (2026-07-28 changelog.mdx, major change 9)."""
    state = handler.state
    scenario = state.scenario
    if not handler.modern:
        return False
    with state.lock:
        if message_id in scenario.broken_ids:  # the retry must carry a new id
            handler.rpc_error(400, message_id, -32600, "Invalid Request: request id reused")
            return True
        scenario.break_calls += 1
        broken = scenario.break_calls % 2 == 1
        if broken:
            scenario.broken_ids.add(message_id)
    if broken:
        handler.open_stream()
        handler.wfile.write(b": the stream breaks before the response\n\n")
        handler.close_connection = True
    return broken


def slow(handler, message_id, session):
    """Answers after SLOW_SECONDS (past the client's timeout)."""
    time.sleep(SLOW_SECONDS)
    return False


def as_usual(handler, message_id, session):
    return False


FLIGHT_BEHAVIOURS = {
    "tool_failure": tool_failure, "bad_request": bad_request, "error_without_id": error_without_id,
    "insufficient_scope": insufficient_scope, "invalid_token": invalid_token, "forbidden": forbidden,
    "redirect": redirect, "session_expires_once": session_expires_once, "stream_breaks_once": stream_breaks_once,
    "slow": slow,
    "event_stream": as_usual,        # (elsewhere: tools.py) get_flight replies as an event stream: legacy: a
                                     # `ping` request first; modern: a comment; then the answer; the stream
                                     # stays open HOLD_SECONDS
    "future_protocol_only": as_usual,  # (elsewhere: eras/modern.py) modern requests naming the Flight (its id,
                                     # or its name among list_flights' keywords): -32022, supported ["2027-01-01"]
    "prefers_legacy": as_usual,      # (elsewhere: eras/modern.py) dual: modern requests naming the Flight: -32022,
                                     # supported ["2025-11-25", "2025-06-18"]: the client opens a legacy session
    "no_resume": as_usual,           # (elsewhere: eras/polling.py) 2025-11-25: the GET resuming its stream is answered 405
    "slow_retry": as_usual,          # (elsewhere: eras/polling.py) 2025-11-25: its stream asks for retry SLOW_RETRY_MS
}

# ---- reports -----------------------------------------------------------------------------------------
# get_flight of REPORT_STATS_ID: a Flight in get_flight's shape whose name counts the requests since the
# previous count (this one excluded): "requests=N initialize=I get=G delete=D sessions=S".
# get_flight of REPORT_ORIGIN_ID: success:false with what the other origin saw and how many sessions are
# live: "other origin: N requests, M with the token; K live session(s); P ping(s) answered".
REPORT_STATS_ID = "00000000-0000-0000-0000-00000000057a"
REPORT_ORIGIN_ID = "00000000-0000-0000-0000-0000000c0de0"
