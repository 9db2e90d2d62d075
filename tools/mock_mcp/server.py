"""The mock MCP server: one handler made of the concerns' mixins, the control endpoint, main().

Usage: python -m tools.mock_mcp.server (or tools/mock_mcp_server.py) --port-file FILE [--era E]
       [--flights N --delay-ms D] [--fleet]
Bench mode: --flights N (N generated Flights, nothing else) --delay-ms D (each request).
Fleet mode: --fleet (three Flights for the fleet audit: fixtures.catalogue).
Control (loopback, no token; the extension never calls it; scenarios.py):
  POST /_control/scenario {"name": NAME, "flights": {FLIGHT: BEHAVIOUR}}
                                           the scenario, replaced whole: a mock-wide one (default `default`)
                                           and Flights (names or ids) that misbehave (default none); 400
                                           naming the known ones if a name or behaviour is unknown
  GET  /_control/scenario                  the scenario in force ("flights" by Flight id)
  GET  /_control/report                    counts, what the other origin saw, live sessions, pings answered
"""
import argparse
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

from .eras import ERAS, is_modern
from .eras.legacy import Legacy
from .eras.modern import Modern
from .eras.polling import Polling
from .transport import Replies, Server, other_origin
from .state import MockState
from .tools import Tools

CONTROL = "/_control/"


class Handler(Replies, Legacy, Polling, Modern, Tools, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    modern = False  # set per request: the reply follows the modern era
    flight = None  # set per request: the Flight fixture a tools/call is about

    @property
    def state(self):
        return self.server.state

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.modern, self.flight = False, None  # one handler serves every request of a connection
        if self.path.startswith(CONTROL):
            return self.control()
        state = self.state
        if state.delay:
            time.sleep(state.delay)
        state.count("requests")
        message = self.read_json()
        if not isinstance(message, dict):
            return self.rpc_error(400, None, -32700, "Parse error")
        accept = self.headers.get("Accept", "")
        if "application/json" not in accept or "text/event-stream" not in accept:
            return self.rpc_error(406, message.get("id"), -32000,
                                  "Not Acceptable: Accept must list application/json and text/event-stream")
        if not self.authorized():
            return self.reply(401, {"error": "invalid token"}, headers={
                "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token is invalid"'})
        params = message.get("params") if isinstance(message.get("params"), dict) else {}
        if is_modern(state.era, params):
            self.modern = True
            return self.modern_post(message, params)
        return self.legacy_post(message, params)

    def do_DELETE(self):
        self.state.count("delete")
        if self.state.era == "2026-07-28":
            return self.reply(405, headers={"Allow": "POST"})
        self.legacy_delete()

    def do_GET(self):
        self.modern, self.flight = False, None
        if self.path.startswith(CONTROL):
            return self.control()
        self.state.count("get")
        if self.state.era != "2025-11-25":
            return self.reply(405, headers={"Allow": "POST"})
        self.resume()

    def control(self):
        state = self.state
        if self.command == "GET" and self.path == CONTROL + "report":
            return self.reply(200, state.report())
        if self.command == "GET" and self.path == CONTROL + "scenario":
            return self.reply(200, state.scenario.describe())
        if self.command == "POST" and self.path == CONTROL + "scenario":
            try:
                scenario = state.choose(self.read_json())
            except ValueError as e:
                return self.reply(400, {"error": str(e)})
            return self.reply(200, scenario.describe())
        self.reply(404, {"error": f"no control endpoint {self.command} {self.path}"})


def main(argv=None):
    parser = argparse.ArgumentParser(description="A mock of MotherDuck's remote MCP server (tools/mock_mcp/).")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--era", choices=ERAS, default="2025-06-18", help="the MCP era the mock speaks")
    parser.add_argument("--flights", type=int, default=None, help="bench mode: this many generated Flights")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="delay before answering each POST")
    parser.add_argument("--fleet", action="store_true", help="fleet mode: three Flights for the fleet audit")
    args = parser.parse_args(argv)
    state = MockState(args.era, args.flights, args.delay_ms, args.fleet,
                      token=os.environ.get("MOCK_MCP_TOKEN", "test-token-0123456789"))
    other = other_origin(state)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler, state)
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
