#!/usr/bin/env python3
"""A mock of MotherDuck's remote MCP server, for the extension's SQL tests.

Loopback only. Speaks MCP Streamable HTTP (JSON-RPC 2.0 over POST): requires
`Authorization: Bearer <MOCK_MCP_TOKEN>`, hands out an `Mcp-Session-Id` on
`initialize` and requires it on every later call. `get_flight` behaves by id:

  flight-json   / name "ingest"   a JSON reply with structuredContent (MCP field names)
  flight-sse    / name "sse"      a text/event-stream reply (a notification, then the result)
  flight-text   / name "text"     no structuredContent: JSON in the text content, SQL field names, config as a string
  tool-error                      a result with isError
  rpc-error                       a JSON-RPC error
  slow                            answers after SLOW_SECONDS (past the client's timeout)
  malformed                       a body that is not JSON
  token-rejected                  HTTP 401
  server-error                    HTTP 503
  http-404                        HTTP 404

`list_flights` lists them, with two Flights both named "twin".
Usage: mock_mcp_server.py --port-file FILE (binds 127.0.0.1 on a free port).
"""
import argparse
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = os.environ.get("MOCK_MCP_TOKEN", "test-token-0123456789")
SESSION = "mock-session-42"
SLOW_SECONDS = 4

SOURCE = 'import os\nimport duckdb\nkey = os.environ["MY_API_SECRET_API_KEY"]\nregion = os.environ.get("REGION", "us")\ncon = duckdb.connect("md:")\n'

FLIGHTS = {
    "flight-json": {"id": "flight-json", "name": "ingest", "version": 7, "md_token_name": "flights-prod",
                    "md_secret_names": ["my_api_secret"], "config": {"REGION": "us", "BATCH_SIZE": "1000"},
                    "source_code": SOURCE, "requirements_txt": "requests==2.32.3"},
    "flight-sse": {"id": "flight-sse", "name": "sse", "version": 1, "md_token_name": None,
                   "md_secret_names": [], "config": {"MODE": "stream"}, "source_code": "print(1)", "requirements_txt": ""},
    "flight-text": {"flight_id": "flight-text", "flight_name": "text", "flight_version": 2,
                    "access_token_name": "svc", "flight_secret_names": ["a", "b"],
                    "config": "{\"A\": \"1\"}", "source": "import os", "requirements": None},
}
LISTED = [{"id": f["id"] if "id" in f else f["flight_id"], "name": f.get("name") or f.get("flight_name")} for f in FLIGHTS.values()]
LISTED += [{"id": i, "name": i} for i in ("tool-error", "rpc-error", "slow", "malformed", "token-rejected", "server-error", "http-404")]
LISTED += [{"id": "twin-1", "name": "twin"}, {"id": "twin-2", "name": "twin"}]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/json", headers=None):
        try:
            self.send_response(status)
        except (BrokenPipeError, ConnectionResetError):
            return
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the slow Flight): expected

    def rpc(self, message_id, result=None, error=None, sse=False, headers=None):
        message = {"jsonrpc": "2.0", "id": message_id}
        message.update({"error": error} if error else {"result": result})
        if sse:
            note = {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progress": 1}}
            body = f"event: message\ndata: {json.dumps(note)}\n\nevent: message\ndata: {json.dumps(message)}\n\n"
            self.reply(200, body.encode(), "text/event-stream", headers)
        else:
            self.reply(200, json.dumps(message).encode(), "application/json", headers)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            message = json.loads(self.rfile.read(length))
        except ValueError:
            return self.reply(400, b'{"error": "not JSON"}')
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, b'{"error": "invalid token"}')
        method = message.get("method")
        if method == "initialize":
            return self.rpc(message["id"], {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                            "serverInfo": {"name": "mock-motherduck", "version": "0"}},
                            headers={"Mcp-Session-Id": SESSION})
        if self.headers.get("Mcp-Session-Id") != SESSION:
            return self.reply(400, b'{"error": "missing or unknown Mcp-Session-Id"}')
        if method == "notifications/initialized":
            return self.reply(202)
        if method != "tools/call":
            return self.rpc(message.get("id"), error={"code": -32601, "message": f"unknown method {method}"})
        params = message.get("params", {})
        tool, args = params.get("name"), params.get("arguments", {})
        if tool == "list_flights":
            return self.rpc(message["id"], {"structuredContent": {"flights": LISTED},
                                            "content": [{"type": "text", "text": json.dumps({"flights": LISTED})}]})
        if tool != "get_flight":
            return self.rpc(message["id"], error={"code": -32602, "message": f"unknown tool {tool}"})
        flight_id = args.get("id")
        if flight_id == "tool-error":
            return self.rpc(message["id"], {"isError": True, "content": [{"type": "text", "text": "Flight not found: tool-error"}]})
        if flight_id == "rpc-error":
            return self.rpc(message["id"], error={"code": -32602, "message": "Invalid params: id"})
        if flight_id == "slow":
            time.sleep(SLOW_SECONDS)
            return self.rpc(message["id"], {"structuredContent": FLIGHTS["flight-json"]})
        if flight_id == "malformed":
            return self.reply(200, b"this is not json {", "application/json")
        if flight_id == "token-rejected":
            return self.reply(401, b'{"error": "token revoked"}')
        if flight_id == "server-error":
            return self.reply(503, b'{"error": "unavailable"}')
        if flight_id == "http-404":
            return self.reply(404, b'{"error": "not found"}')
        flight = FLIGHTS.get(flight_id)
        if flight is None:
            return self.rpc(message["id"], {"isError": True, "content": [{"type": "text", "text": f"Flight not found: {flight_id}"}]})
        flight = dict(flight)
        if "version" in args:
            flight["version" if "version" in flight else "flight_version"] = args["version"]
        if flight_id == "flight-sse":
            return self.rpc(message["id"], {"structuredContent": flight}, sse=True)
        if flight_id == "flight-text":
            return self.rpc(message["id"], {"content": [{"type": "text", "text": json.dumps(flight)}]})
        return self.rpc(message["id"], {"structuredContent": flight})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
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
