#!/usr/bin/env python3
"""A mock of MotherDuck's remote MCP server, for the extension's SQL tests and benchmark.

Loopback only. Answers ONLY in the shapes MotherDuck documents: the fixtures in
test/fixtures/mcp/*.json (each names the docs page it follows) are the templates.
It ENFORCES what the MCP 2025-06-18 Streamable HTTP transport requires of a client
(https://modelcontextprotocol.io/specification/2025-06-18/basic/transports) and fails
the request otherwise:
  - every POST has `Accept` listing both application/json and text/event-stream (else 406)
  - `Authorization: Bearer <MOCK_MCP_TOKEN>` (else 401)
  - after initialize: `Mcp-Session-Id` of a live session (missing: 400, unknown/expired: 404)
    and `MCP-Protocol-Version` equal to the version negotiated (else 400)

Flights (list_flights honours keywords: every word, case-insensitive, in the name; and
limit: default 100, max 500):
  filler_000 .. filler_149  ordinary Flights; nightly_ingest is listed after filler_119,
                            past the first 100 (get_flight.json, its versions and runs)
  weekly_report             the newer field names (get_flight_new_names.json); its runs in the
                            older list_flight_runs page's shape (list_flight_runs_older.json)
  twin (x2)                 two Flights with one name
  sse_flight                replies as an event stream: a `ping` request first, then the
                            answer, then the stream stays open (HOLD_SECONDS)
  failing                   success: false with an error, no isError
  bad_request               HTTP 400 with a JSON-RPC error body
  redirect                  HTTP 307 to another loopback origin (second listener, 127.0.0.2);
                            that origin counts the requests that carried the token
  expire_once               the session expires (404) on every other get_flight of it (so each
                            fetch sees one expiry, then succeeds on a new session)
  slow                      answers after SLOW_SECONDS (past the client's timeout)
get_flight of these (unlisted) ids changes the mock instead:
  00000000-0000-0000-0000-0000000a2024  the next initialize answers protocol 2024-11-05
  00000000-0000-0000-0000-0000000a2025  the next initialize answers protocol 2025-03-26
  00000000-0000-0000-0000-0000000c0de0  answers success:false with what the other origin
                                        saw and how many sessions are live (every earlier client
                                        ended its session with DELETE, so only the asking one):
                                        "other origin: N requests, M with the token; K live session(s);
                                        P ping(s) answered"
Bench mode: --flights N (N generated Flights, nothing else) --delay-ms D (each request).
Fleet mode: --fleet (three Flights for the fleet audit of README and make demo: nightly_ingest and
weekly_report as in the fixtures, and hourly_export, the fixture's get_flight shape with mistakes in
its content: scheduled on the default token, a cloud credential in config, a bare secret read).
Usage: mock_mcp_server.py --port-file FILE [--flights N --delay-ms D]
"""
import argparse
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
SUPPORTED = ("2025-06-18", "2025-03-26")


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)["result"]


GET = fixture("get_flight.json")
GET_NEW = fixture("get_flight_new_names.json")
VERSIONS = fixture("list_flight_versions.json")
RUNS = fixture("list_flight_runs.json")
RUNS_OLDER = fixture("list_flight_runs_older.json")
FAILURE = fixture("tool_failure.json")


def uuid(n):
    return f"80000000-0000-0000-0000-{n:012d}"


def make_flight(n, name, template=GET):
    flight = copy.deepcopy(template["flight"])
    flight["id"], flight["name"] = uuid(n), name
    return flight


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


class State:
    def __init__(self, bench_flights=None, delay_ms=0, fleet=False):
        self.lock = threading.Lock()
        self.sessions = {}  # id -> protocol version
        self.expire_calls = 0
        self.next_protocol = None
        self.counter = itertools.count(1)
        self.other_origin = {"requests": 0, "with_token": 0}
        self.deletes = 0
        self.pings_answered = 0
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
                   "twin": 9}
        for i in range(150):
            self.add(make_flight(100 + i, f"filler_{i:03d}"))
            if i == 119:
                self.add(copy.deepcopy(GET["flight"]))  # nightly_ingest, past the first 100
        self.add(copy.deepcopy(GET_NEW["flight"]))
        for name, n in special.items():
            self.add(make_flight(n, name))
        self.add(make_flight(10, "twin"))

    def add(self, flight):
        self.flights[flight["id"]] = flight
        self.order.append(flight["id"])


STATE = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls

    def log_message(self, *args):
        pass

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

    def rpc_result(self, message_id, result, headers=None):
        self.reply(200, {"jsonrpc": "2.0", "id": message_id, "result": result}, headers=headers)

    def tool_result(self, message_id, payload):
        # Documented: structuredContent and/or a JSON text item; the mock sends both.
        self.rpc_result(message_id, {"structuredContent": payload,
                                     "content": [{"type": "text", "text": json.dumps(payload)}]})

    def do_DELETE(self):
        with STATE.lock:
            STATE.sessions.pop(self.headers.get("Mcp-Session-Id"), None)
            STATE.deletes += 1
        self.reply(200)

    def do_POST(self):
        if STATE.delay:
            time.sleep(STATE.delay)
        length = int(self.headers.get("Content-Length", "0"))
        try:
            message = json.loads(self.rfile.read(length))
        except ValueError:
            return self.reply(400, {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
        accept = self.headers.get("Accept", "")
        if "application/json" not in accept or "text/event-stream" not in accept:
            return self.reply(406, {"jsonrpc": "2.0", "id": message.get("id"), "error": {"code": -32000,
                              "message": "Not Acceptable: Accept must list application/json and text/event-stream"}})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"error": "invalid token"})
        method = message.get("method")
        if method == "initialize":
            with STATE.lock:
                version = STATE.next_protocol or "2025-06-18"
                STATE.next_protocol = None
                session = f"mock-session-{next(STATE.counter)}"
                STATE.sessions[session] = version
            return self.rpc_result(message["id"], {"protocolVersion": version, "capabilities": {"tools": {}},
                                                   "serverInfo": {"name": "mock-motherduck", "version": "0"}},
                                   headers={"Mcp-Session-Id": session})
        session = self.headers.get("Mcp-Session-Id")
        if not session:
            return self.reply(400, {"jsonrpc": "2.0", "id": message.get("id"),
                                    "error": {"code": -32000, "message": "Bad Request: Mcp-Session-Id header is required"}})
        with STATE.lock:
            version = STATE.sessions.get(session)
        if version is None:
            return self.reply(404, {"jsonrpc": "2.0", "id": message.get("id"),
                                    "error": {"code": -32001, "message": "Session not found"}})
        if self.headers.get("MCP-Protocol-Version") != version:
            return self.reply(400, {"jsonrpc": "2.0", "id": message.get("id"), "error": {"code": -32000,
                              "message": f"Bad Request: MCP-Protocol-Version must be {version}"}})
        if method == "notifications/initialized":
            return self.reply(202)
        if method is None and "id" in message and ("result" in message or "error" in message):
            with STATE.lock:  # a client's answer to our ping
                STATE.pings_answered += int(message.get("id") == "srv-1" and message.get("result") == {})
            return self.reply(202)
        if method != "tools/call":
            return self.reply(200, {"jsonrpc": "2.0", "id": message.get("id"),
                                    "error": {"code": -32601, "message": f"Method not found: {method}"}})
        params = message.get("params", {})
        tool, args = params.get("name"), params.get("arguments", {})
        handler = getattr(self, f"tool_{tool}", None)
        if handler is None:
            return self.reply(200, {"jsonrpc": "2.0", "id": message["id"],
                                    "error": {"code": -32602, "message": f"Unknown tool: {tool}"}})
        return handler(message["id"], args, session)

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

    def tool_get_flight(self, message_id, args, session):
        flight_id = args.get("id")
        if flight_id == "00000000-0000-0000-0000-0000000a2024":
            STATE.next_protocol = "2024-11-05"
            return self.failure(message_id, "armed: the next session answers protocol 2024-11-05")
        if flight_id == "00000000-0000-0000-0000-0000000a2025":
            STATE.next_protocol = "2025-03-26"
            return self.failure(message_id, "armed: the next session answers protocol 2025-03-26")
        if flight_id == "00000000-0000-0000-0000-0000000c0de0":
            seen = STATE.other_origin
            with STATE.lock:
                live = len(STATE.sessions)
            return self.failure(message_id, f"other origin: {seen['requests']} requests, {seen['with_token']} with the token; "
                                            f"{live} live session(s); {STATE.pings_answered} ping(s) answered")
        flight = STATE.flights.get(flight_id)
        if flight is None:
            return self.failure(message_id, f"Flight not found: {flight_id}")
        name = flight["name"]
        if name == "failing":
            return self.failure(message_id, "Flight is being deleted; try again later")
        if name == "bad_request":
            return self.reply(400, {"jsonrpc": "2.0", "id": message_id,
                                    "error": {"code": -32602, "message": "Invalid params: version must be a positive integer"}})
        if name == "redirect":
            return self.reply(307, b"", headers={"Location": f"http://127.0.0.2:{OTHER_PORT}/mcp"})
        if name == "expire_once":
            with STATE.lock:
                STATE.expire_calls += 1
                if STATE.expire_calls % 2 == 1:  # every other call: each fetch sees one expiry
                    STATE.sessions.pop(session, None)
                    return self.reply(404, {"jsonrpc": "2.0", "id": message_id,
                                            "error": {"code": -32001, "message": "Session not found"}})
        if name == "slow":
            time.sleep(SLOW_SECONDS)
        flight = copy.deepcopy(flight)
        version = args.get("version")
        if version is not None:
            if not isinstance(version, int) or not 1 <= version <= flight["current_version"]:
                return self.failure(message_id, f"Version {version} not found for Flight {flight_id}")
            content = next((v for v in VERSIONS["versions"] if v["version"] == version), None)
            if content is not None and name == "nightly_ingest":
                flight["version"] = {k: content[k] for k in ("version", "source_code", "requirements_txt", "config",
                                                             "md_token_name", "md_secret_names")}
            else:
                flight["version"]["version"] = version
        payload = {"success": True, "flight": flight, "error": None}
        if name == "sse_flight":
            return self.stream(message_id, payload)
        self.tool_result(message_id, payload)

    def stream(self, message_id, payload):
        """An event stream: a server-to-client ping request, the answer, then the stream stays open."""
        ping = {"jsonrpc": "2.0", "id": "srv-1", "method": "ping"}
        answer = {"jsonrpc": "2.0", "id": message_id,
                  "result": {"content": [{"type": "text", "text": json.dumps(payload)}]}}
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(f"event: message\ndata: {json.dumps(ping)}\n\n".encode())
            self.wfile.flush()
            self.wfile.write(f"event: message\nid: 2\ndata: {json.dumps(answer)}\n\n".encode())
            self.wfile.flush()
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
        template = VERSIONS if key == "versions" else RUNS
        if key == "runs" and flight["name"] == "weekly_report":
            template = RUNS_OLDER  # the older page's run shape
        payload = copy.deepcopy(template)
        if flight["name"] not in ("nightly_ingest", "weekly_report"):
            payload[key] = []
        payload[key] = payload[key][:limit]
        payload["count"] = len(payload[key])
        if key == "runs" and template is RUNS:
            payload["flight_id"] = flight["id"]
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
    parser.add_argument("--flights", type=int, default=None, help="bench mode: this many generated Flights")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="delay before answering each POST")
    parser.add_argument("--fleet", action="store_true", help="fleet mode: three Flights for the fleet audit")
    args = parser.parse_args()
    STATE = State(args.flights, args.delay_ms, args.fleet)
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
