#!/usr/bin/env python3
"""A mock of MotherDuck's remote MCP server, for the extension's SQL tests and benchmark.

Loopback only. Answers ONLY in the shapes MotherDuck documents: the fixtures in
test/fixtures/mcp/*.json (each names the docs page it follows) are the templates. It
ENFORCES what the MCP spec pages require of a client, per era (--era), and fails the
request otherwise (spec pages: modelcontextprotocol/modelcontextprotocol, docs/specification/):

Every era (2025-06-18 and later basic/transports "Sending Messages"; authorization "Error Handling"):
  - every POST has `Accept` listing both application/json and text/event-stream (else 406)
  - `Authorization: Bearer <MOCK_MCP_TOKEN>` (else 401 with WWW-Authenticate: Bearer error="invalid_token")

--era 2025-06-18 (default) and --era 2025-11-25: legacy, `initialize` and sessions
(<rev>/basic/transports.mdx "Session Management", "Protocol Version Header"; basic/lifecycle.mdx):
  - initialize echoes the offered version when the era supports it (2025-06-18: 2025-06-18,
    2025-03-26; 2025-11-25: those and 2025-11-25), else answers its newest; mints Mcp-Session-Id
  - later requests: `Mcp-Session-Id` of a live session (missing: 400 with a JSON-RPC error
    that is not a modern one, which is also what a modern probe gets; unknown/expired: 404)
    and `MCP-Protocol-Version` equal to the version negotiated (else 400)
  - 2025-11-25 only, SSE polling (2025-11-25 basic/transports.mdx "Sending Messages to the
    Server" 6, "Resumability and Redelivery"): every tools/call is answered with an event
    stream holding a priming event (an id, empty data) and `retry: 100`, closed before the
    response; the response comes on a GET with `Accept: text/event-stream`, the session id,
    `MCP-Protocol-Version` and `Last-Event-ID` of that stream, sent no sooner than `retry`
    ms after the close (else 400; a GET without Last-Event-ID: 405, no standalone stream)
--era 2026-07-28: modern only (2026-07-28 basic/versioning.mdx, basic/index.mdx "_meta",
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
  - results carry resultType "complete" and _meta io.modelcontextprotocol/serverInfo
--era dual: modern requests (params._meta with a protocol version) as in 2026-07-28, and
  `initialize` opens a legacy session (2025-11-25, 2025-06-18, 2025-03-26) as in 2025-06-18.

Flights (list_flights honours keywords: every word, case-insensitive, in the name; and
limit: default 100, max 500):
  filler_000 .. filler_149  ordinary Flights; nightly_ingest is listed after filler_119,
                            past the first 100 (get_flight.json, its versions and runs)
  weekly_report             the newer field names (get_flight_new_names.json); its runs in the
                            older list_flight_runs page's shape (list_flight_runs_older.json)
  sized_export              the newer max_runtime_sec / instance_type (get_flight_runtime.json,
                            list_flight_versions_runtime.json)
  twin (x2)                 two Flights with one name
  sse_flight                replies as an event stream: legacy: a `ping` request first, then the
                            answer; modern: a comment, then the answer; the stream then stays
                            open (HOLD_SECONDS)
  failing                   success: false with an error, no isError
  bad_request               HTTP 400 with a JSON-RPC error body (-32602)
  no_id_error               HTTP 200 with a JSON-RPC error that has no id (a request the server
                            could not read: JSON-RPC 2.0 section 5)
  scope_403                 HTTP 403, WWW-Authenticate: Bearer error="insufficient_scope",
                            scope="flights:read" (authorization "Runtime Insufficient Scope Errors")
  token_refused             HTTP 401, WWW-Authenticate: Bearer error="invalid_token"
  forbidden                 HTTP 403 without WWW-Authenticate, a JSON-RPC error without id
                            (streamable-http "Security Warning": a rejected Origin)
  redirect                  HTTP 307 to another loopback origin (second listener, 127.0.0.2);
                            that origin counts the requests that carried the token
  expire_once               legacy: the session expires (404) on every other get_flight of it
  slow                      answers after SLOW_SECONDS (past the client's timeout)
  stream_breaks_once        modern: every other get_flight stream closes before the response; the
                            client must send the request again with a new id (2026-07-28
                            changelog.mdx, major change 9)
  future_only               modern: requests naming it get -32022 with supported ["2027-01-01"]
  prefers_legacy            dual: modern requests naming it get -32022 with supported
                            ["2025-11-25", "2025-06-18"]: the client opens a legacy session
  no_resume                 2025-11-25: the GET resuming its stream is answered 405
  slow_retry                2025-11-25: its stream asks for `retry: 5000` (past the client's timeout)
get_flight of these (unlisted) ids changes or reports the mock instead:
  00000000-0000-0000-0000-0000000a2024  the next initialize answers protocol 2024-11-05
  00000000-0000-0000-0000-0000000a2025  the next initialize answers protocol 2025-03-26
  00000000-0000-0000-0000-0000000c0de0  answers success:false with what the other origin
                                        saw and how many sessions are live (every earlier client
                                        ended its session with DELETE, so only the asking one):
                                        "other origin: N requests, M with the token; K live session(s);
                                        P ping(s) answered"
  00000000-0000-0000-0000-00000000057a  a Flight in get_flight's shape whose name counts the requests
                                        since the previous count (this one excluded):
                                        "requests=N initialize=I get=G delete=D sessions=S"
The logs tool (get_flight_run_logs: https://motherduck.com/docs/sql-reference/mcp/get-flight-run-logs/ (older
page) and https://motherduck.com/docs/sql-reference/mcp/flights/get-flight-run-logs/ (newer); agent-skills and
the newer view_flight_run page call it get_flight_logs), served under the names --logs-tools lists
(comma-separated; default both; "none": neither). A name it does not serve is an unknown tool: JSON-RPC
-32602 "Unknown tool: NAME" (MCP server/tools.mdx "Error Handling"). Input: id, run_number, max_bytes
(an integer >= 1024, else -32602 Invalid params); a log longer than max_bytes keeps its tail and sets
truncated. The logs are real CPython runs (test/fixtures/runs/logs/, made by tools/run_logs/make_fixtures.py):
  nightly_ingest            the newer page's shape (get_flight_run_logs_newer.json), the runs of
                            list_flight_runs.json, statuses bare: 4 succeeded-3.11, 3 module_not_found-3.13,
                            2 leaky_success-3.12 (prints a DSN holding CANARY-s3cr3t-log), 1 PENDING (empty)
  weekly_report             the older page's shape (get_flight_run_logs.json), the runs of
                            list_flight_runs_older.json, statuses with the RUN_STATUS_ prefix:
                            2 succeeded-3.10, 1 long_output-3.10 (2339 bytes)
  diagnosed_export          two versions (get_flight with version) and two failed runs, the newer shape:
                            2 (version 2) key_error_environ-3.13, 1 (version 1) module_not_found-3.12
  any other Flight          no runs: "Run N not found for Flight ID"
  run_number 7777           of any Flight: an error quoting the request's Authorization header
get_flight of these (unlisted) ids changes which names the logs tool answers to (answer: success:false):
  00000000-0000-0000-0000-0000000100a0  none    00000000-0000-0000-0000-0000000100a1  get_flight_run_logs
  00000000-0000-0000-0000-0000000100a2  get_flight_logs    00000000-0000-0000-0000-0000000100a3  both
Bench mode: --flights N (N generated Flights, nothing else) --delay-ms D (each request).
Fleet mode: --fleet (three Flights for the fleet audit of README and make demo: nightly_ingest and
weekly_report as in the fixtures, and hourly_export, the fixture's get_flight shape with mistakes in
its content: scheduled on the default token, a cloud credential in config, a bare secret read).
Usage: mock_mcp_server.py --port-file FILE [--era E] [--logs-tools NAMES] [--flights N --delay-ms D] [--fleet]
"""
import argparse
import base64
import copy
import itertools
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "test", "fixtures", "mcp")
TOKEN = os.environ.get("MOCK_MCP_TOKEN", "test-token-0123456789")
SLOW_SECONDS = 4
HOLD_SECONDS = 6
RETRY_MS = 100
ERAS = ("2025-06-18", "2025-11-25", "2026-07-28", "dual")
LEGACY_SUPPORTED = {"2025-06-18": ("2025-06-18", "2025-03-26"),
                    "2025-11-25": ("2025-11-25", "2025-06-18", "2025-03-26"),
                    "dual": ("2025-11-25", "2025-06-18", "2025-03-26")}
MODERN_SUPPORTED = ("2026-07-28",)
META = "io.modelcontextprotocol/"
STATS_ID = "00000000-0000-0000-0000-00000000057a"
SERVER_INFO = {"name": "mock-motherduck", "version": "0"}


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)["result"]


GET = fixture("get_flight.json")
GET_NEW = fixture("get_flight_new_names.json")
GET_RUNTIME = fixture("get_flight_runtime.json")
VERSIONS = fixture("list_flight_versions.json")
VERSIONS_RUNTIME = fixture("list_flight_versions_runtime.json")
RUNS = fixture("list_flight_runs.json")
RUNS_OLDER = fixture("list_flight_runs_older.json")
FAILURE = fixture("tool_failure.json")
LOGS_OLDER = fixture("get_flight_run_logs.json")
LOGS_NEWER = fixture("get_flight_run_logs_newer.json")
LOGS_TOOLS = ("get_flight_run_logs", "get_flight_logs")
RUN_LOGS_DIR = os.path.join(HERE, "..", "test", "fixtures", "runs")
# The logs of each Flight's runs: (shape, RUN_STATUS_ prefix, {run_number: log file or None}).
RUN_LOGS = {
    "nightly_ingest": ("newer", False, {4: "succeeded-3.11.log", 3: "module_not_found-3.13.log",
                                        2: "leaky_success-3.12.log", 1: None}),
    "weekly_report": ("older", True, {2: "succeeded-3.10.log", 1: "long_output-3.10.log"}),
}


def script(name):
    with open(os.path.join(RUN_LOGS_DIR, "scripts", name)) as f:
        return f.read()


def diagnosed_export():
    """A Flight of two versions whose runs failed (motherduck_flight_diagnosis): version 1 imports
    snowflake.connector without requiring it (run 1: ModuleNotFoundError); version 2 requires it and
    reads API_KEY, which its attached secret gives only as MY_API_SECRET_API_KEY (run 2: KeyError).
    Each version's source is the script its run's log came from (test/fixtures/runs/scripts/)."""
    flight = make_flight(22, "diagnosed_export")
    base = {"config": {"REGION": "us"}, "md_token_name": "svc-export"}
    versions = {
        1: dict(base, version=1, source_code=script("module_not_found.py"), requirements_txt="duckdb==1.5.2",
                md_secret_names=[]),
        2: dict(base, version=2, source_code=script("key_error_environ.py"),
                requirements_txt="duckdb==1.5.2\nsnowflake-connector-python==3.12.0", md_secret_names=["my_api_secret"]),
    }
    flight["current_version"], flight["version"] = 2, copy.deepcopy(versions[2])
    template = RUNS["runs"][1]  # a failed run of list_flight_runs.json
    runs = [dict(copy.deepcopy(template), run_id=f"90000000-0000-0000-0000-0000000022{n:02d}", flight_id=flight["id"],
                 flight_name="diagnosed_export", flight_version=n, run_number=n, config={"REGION": "us"})
            for n in (2, 1)]
    return flight, versions, {"runs": runs}


LOGS_TOOLS_PROBES = {"00000000-0000-0000-0000-0000000100a0": (),
                     "00000000-0000-0000-0000-0000000100a1": ("get_flight_run_logs",),
                     "00000000-0000-0000-0000-0000000100a2": ("get_flight_logs",),
                     "00000000-0000-0000-0000-0000000100a3": LOGS_TOOLS}


def run_log(name):
    if name is None:
        return ""
    with open(os.path.join(RUN_LOGS_DIR, "logs", name)) as f:
        return f.read()


def tail_bytes(text, max_bytes):
    """The last max_bytes bytes of text (UTF-8), starting at a whole character; and whether it was cut."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text, False
    return data[-max_bytes:].decode("utf-8", errors="ignore"), True


def uuid(n):
    return f"80000000-0000-0000-0000-{n:012d}"


def make_flight(n, name, template=GET):
    flight = copy.deepcopy(template["flight"])
    flight["id"], flight["name"] = uuid(n), name
    return flight


DIAGNOSED, DIAGNOSED_VERSIONS, DIAGNOSED_RUNS = diagnosed_export()
RUN_LOGS["diagnosed_export"] = ("newer", False, {2: "key_error_environ-3.13.log", 1: "module_not_found-3.12.log"})


def hourly_export():
    """A Flight in get_flight's documented shape whose content has mistakes in it."""
    flight = make_flight(11, "hourly_export")
    flight["schedule_cron"] = "0 * * * *"
    content = flight["version"]
    content.update({
        "md_token_name": None,
        "md_secret_names": ["my_api_secret", "old_secret"],
        "config": {"REGION": "us-east-1", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        "source_code": 'import os\napi_key = os.environ["API_KEY"]\nregion = os.environ.get("REGION", "us")\n',
    })
    return flight


def summary(flight):
    return {k: flight[k] for k in ("id", "name", "schedule_cron", "status", "current_version", "created_at", "updated_at")}


def decode_header(value):
    """A header value as the server reads it: the Base64 sentinel decoded (streamable-http "Value Encoding")."""
    if value is not None and value.startswith("=?base64?") and value.endswith("?="):
        try:
            return base64.b64decode(value[len("=?base64?"):-2], validate=True).decode("utf-8")
        except ValueError:
            return None
    return value


# The tools as tools/list shows them (server/tools.mdx); list_flight_runs mirrors `id` into a header.
def tool_definitions(era):
    def tool(name, properties, required):
        return {"name": name, "inputSchema": {"type": "object", "properties": properties, "required": required}}
    flight_id = {"type": "string", "description": "The Flight UUID."}
    limit = {"type": "integer", "description": "Default 100, max 500."}
    runs_id = dict(flight_id, **({"x-mcp-header": "Flight-Id"} if era == "2026-07-28" else {}))
    logs = {"id": flight_id, "run_number": {"type": "integer"}, "max_bytes": {"type": "integer", "minimum": 1024}}
    return [
        tool("list_flights", {"keywords": {"type": "string"}, "limit": limit}, []),
        tool("get_flight", {"id": flight_id, "version": {"type": "integer"}}, ["id"]),
        tool("list_flight_versions", {"id": flight_id, "limit": limit}, ["id"]),
        tool("list_flight_runs", {"id": runs_id, "limit": limit}, ["id"]),
    ] + [tool(name, logs, ["id", "run_number"]) for name in (STATE.logs_tools if STATE else LOGS_TOOLS)]


class State:
    def __init__(self, era="2025-06-18", bench_flights=None, delay_ms=0, fleet=False, logs_tools=LOGS_TOOLS):
        self.era = era
        self.logs_tools = tuple(logs_tools)
        self.lock = threading.Lock()
        self.sessions = {}  # id -> protocol version
        self.streams = {}  # stream id -> {"session", "answer", "closed", "retry_ms", "resumes_left", "name"}
        self.expire_calls = 0
        self.break_calls = 0
        self.broken_ids = set()
        self.next_protocol = None
        self.counter = itertools.count(1)
        self.other_origin = {"requests": 0, "with_token": 0}
        self.pings_answered = 0
        self.counts = {"requests": 0, "initialize": 0, "get": 0, "delete": 0, "sessions": 0}
        self.delay = delay_ms / 1000.0
        self.flights = {}  # id -> get_flight "flight" object
        self.order = []
        if bench_flights:
            for i in range(bench_flights):
                self.add(make_flight(1000 + i, f"bench_{i:04d}"))
            return
        if fleet:
            self.add(copy.deepcopy(GET["flight"]))
            self.add(copy.deepcopy(GET_NEW["flight"]))
            self.add(hourly_export())
            return
        special = {"sse_flight": 3, "failing": 4, "bad_request": 5, "redirect": 6, "expire_once": 7, "slow": 8,
                   "twin": 9, "no_id_error": 13, "scope_403": 14, "token_refused": 15, "forbidden": 16,
                   "stream_breaks_once": 17, "future_only": 18, "prefers_legacy": 19, "no_resume": 20,
                   "slow_retry": 21}
        for i in range(150):
            self.add(make_flight(100 + i, f"filler_{i:03d}"))
            if i == 119:
                self.add(copy.deepcopy(GET["flight"]))  # nightly_ingest, past the first 100
        self.add(copy.deepcopy(GET_NEW["flight"]))
        self.add(copy.deepcopy(GET_RUNTIME["flight"]))
        self.add(copy.deepcopy(DIAGNOSED))
        for name, n in special.items():
            self.add(make_flight(n, name))
        self.add(make_flight(10, "twin"))

    def add(self, flight):
        self.flights[flight["id"]] = flight
        self.order.append(flight["id"])

    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def names_in(self, message):
        """The mock Flights a request names (by keywords or id): scenarios decided per request."""
        args = (message.get("params") or {}).get("arguments") or {}
        named = set()
        if isinstance(args.get("keywords"), str):
            named.update(args["keywords"].lower().split())
        flight = self.flights.get(args.get("id"))
        if flight:
            named.add(flight["name"])
        return named


STATE = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    modern = False  # set per request: the reply follows the modern era
    flight_name = None  # set per request: the Flight a tools/call is about

    def log_message(self, *args):
        pass

    # ---- replies -------------------------------------------------------------------------------
    def reply(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the slow Flight): expected

    def rpc_error(self, status, message_id, code, text, data=None):
        error = {"code": code, "message": text}
        if data is not None:
            error["data"] = data
        body = {"jsonrpc": "2.0", "error": error}
        if message_id is not None:
            body["id"] = message_id
        self.reply(status, body)

    def result_of(self, result):
        if self.modern:  # 2026-07-28: resultType on every result (changelog major change 8), serverInfo in _meta
            result = dict(result, resultType="complete", _meta={META + "serverInfo": SERVER_INFO})
        return result

    def rpc_result(self, message_id, result, headers=None):
        self.reply(200, {"jsonrpc": "2.0", "id": message_id, "result": self.result_of(result)}, headers=headers)

    def tool_result(self, message_id, payload):
        # Documented: structuredContent and/or a JSON text item; the mock sends both.
        result = {"structuredContent": payload, "content": [{"type": "text", "text": json.dumps(payload)}]}
        if STATE.era == "2025-11-25" and not self.modern:
            return self.polled(message_id, result)
        self.rpc_result(message_id, result)

    def open_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Accel-Buffering", "no")
        self.send_header("Connection", "close")
        self.end_headers()

    def event(self, data, event_id=None, retry=None):
        text = ""
        if event_id is not None:
            text += f"id: {event_id}\n"
        if retry is not None:
            text += f"retry: {retry}\n"
        text += f"data: {data}\n\n"
        self.wfile.write(text.encode())
        self.wfile.flush()

    # ---- POST ----------------------------------------------------------------------------------
    def do_POST(self):
        self.modern, self.flight_name = False, None  # one handler serves every request of a connection
        if STATE.delay:
            time.sleep(STATE.delay)
        STATE.count("requests")
        length = int(self.headers.get("Content-Length", "0"))
        try:
            message = json.loads(self.rfile.read(length))
        except ValueError:
            return self.rpc_error(400, None, -32700, "Parse error")
        accept = self.headers.get("Accept", "")
        if "application/json" not in accept or "text/event-stream" not in accept:
            return self.rpc_error(406, message.get("id"), -32000,
                                  "Not Acceptable: Accept must list application/json and text/event-stream")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"error": "invalid token"}, headers={
                "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token is invalid"'})
        params = message.get("params") if isinstance(message.get("params"), dict) else {}
        carries_meta = isinstance(params.get("_meta"), dict) and META + "protocolVersion" in params["_meta"]
        if STATE.era == "2026-07-28" or (STATE.era == "dual" and carries_meta):
            self.modern = True
            return self.modern_post(message, params)
        return self.legacy_post(message, params)

    def legacy_post(self, message, params):
        method = message.get("method")
        if method == "initialize":
            STATE.count("initialize")
            supported = LEGACY_SUPPORTED.get(STATE.era, LEGACY_SUPPORTED["2025-06-18"])
            offered = params.get("protocolVersion")
            with STATE.lock:
                version = STATE.next_protocol or (offered if offered in supported else supported[0])
                STATE.next_protocol = None
                session = f"mock-session-{next(STATE.counter)}"
                STATE.sessions[session] = version
                STATE.counts["sessions"] += 1
            return self.rpc_result(message["id"], {"protocolVersion": version, "capabilities": {"tools": {}},
                                                   "serverInfo": SERVER_INFO},
                                   headers={"Mcp-Session-Id": session})
        session = self.headers.get("Mcp-Session-Id")
        if not session:
            return self.rpc_error(400, message.get("id"), -32000, "Bad Request: Mcp-Session-Id header is required")
        with STATE.lock:
            version = STATE.sessions.get(session)
        if version is None:
            return self.rpc_error(404, message.get("id"), -32001, "Session not found")
        if self.headers.get("MCP-Protocol-Version") != version:
            return self.rpc_error(400, message.get("id"), -32000, f"Bad Request: MCP-Protocol-Version must be {version}")
        if method == "notifications/initialized":
            return self.reply(202)
        if method is None and "id" in message and ("result" in message or "error" in message):
            with STATE.lock:  # a client's answer to our ping
                STATE.pings_answered += int(message.get("id") == "srv-1" and message.get("result") == {})
            return self.reply(202)
        if method != "tools/call":
            return self.rpc_error(200, message.get("id"), -32601, f"Method not found: {method}")
        return self.call_tool(message, params, session)

    def modern_post(self, message, params):
        """A request of the modern era: validated as streamable-http "Server Validation" says."""
        method, message_id = message.get("method"), message.get("id")
        if method == "initialize":
            STATE.count("initialize")
            return self.rpc_error(400, message_id, -32022,
                                  f"Unsupported protocol version: this server speaks {', '.join(MODERN_SUPPORTED)} only",
                                  {"supported": list(MODERN_SUPPORTED), "requested": params.get("protocolVersion")})
        if message_id is None:
            return self.reply(202)
        header_version = self.headers.get("MCP-Protocol-Version")
        if header_version is None:
            return self.rpc_error(400, message_id, -32020, "Header mismatch: MCP-Protocol-Version header is required")
        if self.headers.get("Mcp-Method") != method:
            return self.rpc_error(400, message_id, -32020,
                                  f"Header mismatch: Mcp-Method header {self.headers.get('Mcp-Method')!r} does not match body value {method!r}")
        if method in ("tools/call", "resources/read", "prompts/get"):
            body_name = params.get("name", params.get("uri"))
            if decode_header(self.headers.get("Mcp-Name")) != body_name:
                return self.rpc_error(400, message_id, -32020,
                                      f"Header mismatch: Mcp-Name header {self.headers.get('Mcp-Name')!r} does not match body value {body_name!r}")
        meta = params.get("_meta") if isinstance(params.get("_meta"), dict) else {}
        if META + "protocolVersion" not in meta or not isinstance(meta.get(META + "clientCapabilities"), dict):
            return self.rpc_error(400, message_id, -32602,
                                  "Invalid params: _meta needs io.modelcontextprotocol/protocolVersion and clientCapabilities")
        info = meta.get(META + "clientInfo")
        if info is not None and not (isinstance(info, dict) and isinstance(info.get("name"), str)
                                     and isinstance(info.get("version"), str)):
            return self.rpc_error(400, message_id, -32602, "Invalid params: clientInfo needs name and version")
        if meta[META + "protocolVersion"] != header_version:
            return self.rpc_error(400, message_id, -32020,
                                  "Header mismatch: MCP-Protocol-Version does not match _meta protocolVersion")
        if header_version not in MODERN_SUPPORTED:
            return self.rpc_error(400, message_id, -32022, "Unsupported protocol version",
                                  {"supported": list(MODERN_SUPPORTED), "requested": header_version})
        named = STATE.names_in(message)
        if "future_only" in named:
            return self.rpc_error(400, message_id, -32022, "Unsupported protocol version",
                                  {"supported": ["2027-01-01"], "requested": header_version})
        if "prefers_legacy" in named and STATE.era == "dual":
            return self.rpc_error(400, message_id, -32022, "Unsupported protocol version",
                                  {"supported": ["2025-11-25", "2025-06-18"], "requested": header_version})
        if method == "server/discover":
            return self.rpc_result(message_id, {"supportedVersions": list(MODERN_SUPPORTED), "capabilities": {"tools": {}},
                                                "ttlMs": 0, "cacheScope": "private"})
        if method == "tools/list":
            return self.rpc_result(message_id, {"tools": tool_definitions(STATE.era), "ttlMs": 0, "cacheScope": "private"})
        if method != "tools/call":
            return self.rpc_error(404, message_id, -32601, f"Method not found: {method}")
        for definition in tool_definitions(STATE.era):  # x-mcp-header (streamable-http "Server Behavior for Custom Headers")
            if definition["name"] != params.get("name"):
                continue
            for prop, schema in definition["inputSchema"]["properties"].items():
                value = (params.get("arguments") or {}).get(prop)
                if "x-mcp-header" in schema and value is not None:
                    header = decode_header(self.headers.get(f"Mcp-Param-{schema['x-mcp-header']}"))
                    if header != str(value):
                        return self.rpc_error(400, message_id, -32020,
                                              f"Header mismatch: Mcp-Param-{schema['x-mcp-header']} must carry {prop}")
        return self.call_tool(message, params, None)

    def call_tool(self, message, params, session):
        tool, args = params.get("name"), params.get("arguments", {})
        if tool in LOGS_TOOLS:
            handler = self.tool_logs if tool in STATE.logs_tools else None
        else:
            handler = getattr(self, f"tool_{tool}", None)
        if handler is None:
            return self.rpc_error(200, message["id"], -32602, f"Unknown tool: {tool}")
        return handler(message["id"], args, session)

    # ---- GET and DELETE ------------------------------------------------------------------------
    def do_DELETE(self):
        STATE.count("delete")
        if STATE.era == "2026-07-28":
            return self.reply(405, headers={"Allow": "POST"})
        with STATE.lock:
            STATE.sessions.pop(self.headers.get("Mcp-Session-Id"), None)
        self.reply(200)

    def do_GET(self):
        """Resuming a polled stream (2025-11-25 basic/transports "Resumability and Redelivery")."""
        STATE.count("get")
        if STATE.era in ("2026-07-28", "dual", "2025-06-18"):
            return self.reply(405, headers={"Allow": "POST"})
        if "text/event-stream" not in self.headers.get("Accept", ""):
            return self.rpc_error(406, None, -32000, "Not Acceptable: Accept must list text/event-stream")
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"error": "invalid token"})
        last = self.headers.get("Last-Event-ID")
        if last is None:
            return self.reply(405, headers={"Allow": "POST"})  # no standalone stream
        session = self.headers.get("Mcp-Session-Id")
        with STATE.lock:
            version = STATE.sessions.get(session)
            stream = STATE.streams.get(last.rsplit("-", 1)[0])
        if not session:
            return self.rpc_error(400, None, -32000, "Bad Request: Mcp-Session-Id header is required")
        if version is None:
            return self.rpc_error(404, None, -32001, "Session not found")
        if self.headers.get("MCP-Protocol-Version") != version:
            return self.rpc_error(400, None, -32000, f"Bad Request: MCP-Protocol-Version must be {version}")
        if stream is None or stream["session"] != session:
            return self.rpc_error(400, None, -32000, f"Bad Request: unknown Last-Event-ID {last}")
        if stream["name"] == "no_resume":
            return self.reply(405, headers={"Allow": "POST"})
        if time.monotonic() - stream["closed"] < stream["retry_ms"] / 1000.0 * 0.9:
            return self.rpc_error(400, None, -32000, "Bad Request: reconnected before the retry time")
        stream_id = last.rsplit("-", 1)[0]
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

    # ---- the tools -----------------------------------------------------------------------------
    def polled(self, message_id, result):
        """2025-11-25 polling: a priming event and a retry hint, then the connection closes before the response."""
        name = self.flight_name
        stream_id = f"s{next(STATE.counter)}"
        retry = 5000 if name == "slow_retry" else RETRY_MS
        with STATE.lock:
            STATE.streams[stream_id] = {"session": self.headers.get("Mcp-Session-Id"), "closed": time.monotonic(),
                                        "answer": {"jsonrpc": "2.0", "id": message_id, "result": result},
                                        "retry_ms": retry, "name": name,
                                        "resumes_left": 2 if name == "nightly_ingest" else 1}
        try:
            self.open_stream()
            self.event("", event_id=f"{stream_id}-0", retry=retry)
        except (BrokenPipeError, ConnectionResetError):
            pass
        with STATE.lock:
            STATE.streams[stream_id]["closed"] = time.monotonic()
        self.close_connection = True

    def failure(self, message_id, error):
        payload = copy.deepcopy(FAILURE)
        payload["error"] = error
        self.tool_result(message_id, payload)

    def limit(self, message_id, args):
        limit = args.get("limit", 100)
        if not isinstance(limit, int) or not 1 <= limit <= 500:
            self.failure(message_id, f"limit must be between 1 and 500, got {limit}")
            return None
        return limit

    def tool_list_flights(self, message_id, args, session):
        limit = self.limit(message_id, args)
        if limit is None:
            return
        words = (args.get("keywords") or "").lower().split()
        found = [summary(STATE.flights[i]) for i in STATE.order
                 if all(w in STATE.flights[i]["name"].lower() for w in words)][:limit]
        self.tool_result(message_id, {"success": True, "flights": found, "count": len(found), "error": None})

    def probe(self, message_id, flight_id):
        """The unlisted ids that change or report the mock; True when one was handled."""
        if flight_id == "00000000-0000-0000-0000-0000000a2024":
            STATE.next_protocol = "2024-11-05"
            self.failure(message_id, "armed: the next session answers protocol 2024-11-05")
        elif flight_id == "00000000-0000-0000-0000-0000000a2025":
            STATE.next_protocol = "2025-03-26"
            self.failure(message_id, "armed: the next session answers protocol 2025-03-26")
        elif flight_id == "00000000-0000-0000-0000-0000000c0de0":
            seen = STATE.other_origin
            with STATE.lock:
                live = len(STATE.sessions)
            self.failure(message_id, f"other origin: {seen['requests']} requests, {seen['with_token']} with the token; "
                                     f"{live} live session(s); {STATE.pings_answered} ping(s) answered")
        elif flight_id in LOGS_TOOLS_PROBES:
            STATE.logs_tools = LOGS_TOOLS_PROBES[flight_id]
            self.failure(message_id, f"armed: the logs tool answers to {', '.join(STATE.logs_tools) or 'no name'}")
        elif flight_id == STATS_ID:
            with STATE.lock:
                counts = dict(STATE.counts, requests=STATE.counts["requests"] - 1)  # this request excluded
                STATE.counts = dict.fromkeys(STATE.counts, 0)
            flight = make_flight(57, " ".join(f"{k}={v}" for k, v in counts.items()))
            flight["id"] = STATS_ID
            self.tool_result(message_id, {"success": True, "flight": flight, "error": None})
        else:
            return False
        return True

    def scenario(self, message_id, name, session):
        """The Flights whose get_flight is answered in an unusual way; True when one was handled."""
        if name == "failing":
            self.failure(message_id, "Flight is being deleted; try again later")
        elif name == "bad_request":
            self.rpc_error(400, message_id, -32602, "Invalid params: version must be a positive integer")
        elif name == "no_id_error":
            self.rpc_error(200, None, -32600, "Invalid Request: the server could not read this request")
        elif name == "scope_403":
            self.reply(403, {"jsonrpc": "2.0", "error": {"code": -32000, "message": "Forbidden"}}, headers={
                "WWW-Authenticate": 'Bearer error="insufficient_scope", scope="flights:read", '
                                    'resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource", '
                                    'error_description="Reading Flights requires flights:read"'})
        elif name == "token_refused":
            self.reply(401, b"", headers={"WWW-Authenticate": 'Bearer error="invalid_token", error_description="token revoked"'})
        elif name == "forbidden":
            self.rpc_error(403, None, -32000, "Forbidden: Origin not allowed")
        elif name == "redirect":
            self.reply(307, b"", headers={"Location": f"http://127.0.0.2:{OTHER_PORT}/mcp"})
        elif name == "expire_once" and session is not None:
            with STATE.lock:
                STATE.expire_calls += 1
                expire = STATE.expire_calls % 2 == 1  # every other call: each fetch sees one expiry
                if expire:
                    STATE.sessions.pop(session, None)
            if not expire:
                return False
            self.rpc_error(404, message_id, -32001, "Session not found")
        elif name == "stream_breaks_once" and self.modern:
            with STATE.lock:
                if message_id in STATE.broken_ids:  # the retry must carry a new id
                    return self.rpc_error(400, message_id, -32600, "Invalid Request: request id reused") or True
                STATE.break_calls += 1
                broken = STATE.break_calls % 2 == 1
                if broken:
                    STATE.broken_ids.add(message_id)
            if not broken:
                return False
            self.open_stream()
            self.wfile.write(b": the stream breaks before the response\n\n")
            self.close_connection = True
        else:
            return False
        return True

    def tool_get_flight(self, message_id, args, session):
        flight_id = args.get("id")
        if self.probe(message_id, flight_id):
            return
        flight = STATE.flights.get(flight_id)
        if flight is None:
            return self.failure(message_id, f"Flight not found: {flight_id}")
        name = self.flight_name = flight["name"]
        if self.scenario(message_id, name, session):
            return
        if name == "slow":
            time.sleep(SLOW_SECONDS)
        flight = copy.deepcopy(flight)
        version = args.get("version")
        if version is not None:
            if not isinstance(version, int) or not 1 <= version <= flight["current_version"]:
                return self.failure(message_id, f"Version {version} not found for Flight {flight_id}")
            content = next((v for v in VERSIONS["versions"] if v["version"] == version), None)
            if name == "diagnosed_export":
                flight["version"] = copy.deepcopy(DIAGNOSED_VERSIONS[version])
            elif content is not None and name == "nightly_ingest":
                flight["version"] = {k: content[k] for k in ("version", "source_code", "requirements_txt", "config",
                                                             "md_token_name", "md_secret_names")}
            else:
                flight["version"]["version"] = version
        payload = {"success": True, "flight": flight, "error": None}
        if name == "sse_flight":
            return self.stream(message_id, payload)
        self.tool_result(message_id, payload)

    def stream(self, message_id, payload):
        """An event stream: legacy: a ping request first; modern: a comment. The answer, then the stream stays open."""
        answer = {"jsonrpc": "2.0", "id": message_id,
                  "result": self.result_of({"content": [{"type": "text", "text": json.dumps(payload)}]})}
        try:
            self.open_stream()
            if self.modern:  # 2026-07-28: no server-to-client requests on a response stream
                self.wfile.write(b":\n\n")
            else:
                self.event(json.dumps({"jsonrpc": "2.0", "id": "srv-1", "method": "ping"}))
            self.event(json.dumps(answer), event_id="2")
            time.sleep(HOLD_SECONDS)  # the stream stays open: the client must not wait for it
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def listed(self, message_id, args, key):
        limit = self.limit(message_id, args)
        if limit is None:
            return
        flight = STATE.flights.get(args.get("id"))
        if flight is None:
            return self.failure(message_id, f"Flight not found: {args.get('id')}")
        self.flight_name = flight["name"]
        template = VERSIONS if key == "versions" else RUNS
        if key == "runs" and flight["name"] == "weekly_report":
            template = RUNS_OLDER  # the older page's run shape
        if key == "versions" and flight["name"] == "sized_export":
            template = VERSIONS_RUNTIME
        if key == "runs" and flight["name"] == "diagnosed_export":
            template = dict(RUNS, **DIAGNOSED_RUNS)
        payload = copy.deepcopy(template)
        if flight["name"] not in ("nightly_ingest", "weekly_report", "sized_export", "diagnosed_export") or (
                key == "versions" and flight["name"] == "diagnosed_export"):
            payload[key] = []
        payload[key] = payload[key][:limit]
        payload["count"] = len(payload[key])
        if key == "runs" and "flight_id" in payload:
            payload["flight_id"] = flight["id"]
        self.tool_result(message_id, payload)

    def tool_logs(self, message_id, args, session):
        """get_flight_run_logs / get_flight_logs: one run's log, in the shape RUN_LOGS gives its Flight."""
        max_bytes = args.get("max_bytes")
        if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes < 1024):
            return self.rpc_error(200, message_id, -32602, f"Invalid params: max_bytes must be an integer >= 1024")
        flight = STATE.flights.get(args.get("id"))
        if flight is None:
            return self.failure(message_id, f"Flight not found: {args.get('id')}")
        self.flight_name = flight["name"]
        shape, prefixed, logs = RUN_LOGS.get(flight["name"], ("newer", False, {}))
        number = args.get("run_number")
        template = RUNS_OLDER if shape == "older" else DIAGNOSED_RUNS if flight["name"] == "diagnosed_export" else RUNS
        run = next((r for r in template["runs"] if r["run_number"] == number), None)
        if number == 7777:  # a server that quotes the request's credentials in its error (the client must scrub them)
            return self.failure(message_id, f"Run {number} not found (Authorization: {self.headers.get('Authorization')})")
        if run is None or number not in logs:
            return self.failure(message_id, f"Run {number} not found for Flight {flight['id']}")
        text, truncated = run_log(logs[number]), False
        if max_bytes is not None:
            text, truncated = tail_bytes(text, max_bytes)
        status = ("RUN_STATUS_" if prefixed else "") + run["status"]
        if shape == "older":
            payload = copy.deepcopy(LOGS_OLDER)
            exit_code = 0 if run["status"] == "SUCCEEDED" else 1 if run["status"] == "FAILED" else None
            payload["run"] = {"flight_id": flight["id"], "run_number": number, "flight_version": run["flight_version"],
                              "status": status, "exit_code": exit_code, "created_at": run["created_at"],
                              "started_at": run["created_at"], "completed_at": run["created_at"]}
        else:
            payload = copy.deepcopy(LOGS_NEWER)
            payload.update(flight_id=flight["id"], run_number=number)
            payload["run"] = dict(copy.deepcopy(run), status=status, flight_id=flight["id"], flight_name=flight["name"])
        payload.update(logs=text, truncated=truncated)
        self.tool_result(message_id, payload)

    def tool_list_flight_versions(self, message_id, args, session):
        self.listed(message_id, args, "versions")

    def tool_list_flight_runs(self, message_id, args, session):
        self.listed(message_id, args, "runs")


class OtherOrigin(BaseHTTPRequestHandler):
    """The origin a redirect points to: counts what reaches it, answers nothing useful."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        with STATE.lock:
            STATE.other_origin["requests"] += 1
            if "Authorization" in self.headers:
                STATE.other_origin["with_token"] += 1
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_DELETE = do_POST


OTHER_PORT = 0


class Server(ThreadingHTTPServer):
    # The listen backlog is set when the server is created (socketserver's default is 5): with
    # a pool of clients connecting at once, a full backlog drops SYNs and the client waits a
    # second to retry, which would show up as noise in the benchmark.
    request_queue_size = 64
    daemon_threads = True


def main():
    global STATE, OTHER_PORT
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--era", choices=ERAS, default="2025-06-18", help="the MCP era the mock speaks")
    parser.add_argument("--flights", type=int, default=None, help="bench mode: this many generated Flights")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="delay before answering each POST")
    parser.add_argument("--fleet", action="store_true", help="fleet mode: three Flights for the fleet audit")
    parser.add_argument("--logs-tools", default=",".join(LOGS_TOOLS),
                        help="the names the logs tool answers to, comma-separated, or none")
    args = parser.parse_args()
    names = () if args.logs_tools == "none" else tuple(n for n in args.logs_tools.split(",") if n)
    if any(n not in LOGS_TOOLS for n in names):
        parser.error(f"--logs-tools: each name must be one of {', '.join(LOGS_TOOLS)} (or none)")
    STATE = State(args.era, args.flights, args.delay_ms, args.fleet, names)
    try:
        other = ThreadingHTTPServer(("127.0.0.2", 0), OtherOrigin)
    except OSError:
        other = ThreadingHTTPServer(("127.0.0.1", 0), OtherOrigin)
    other.daemon_threads = True
    OTHER_PORT = other.server_address[1]
    threading.Thread(target=other.serve_forever, daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
