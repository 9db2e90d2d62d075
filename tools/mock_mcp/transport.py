"""HTTP for the mock: replies, JSON-RPC errors, event streams, header decoding, the listeners."""
import base64
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def decode_header(value):
    """A header value as the server reads it: the Base64 sentinel decoded (streamable-http "Value Encoding")."""
    if value is not None and value.startswith("=?base64?") and value.endswith("?="):
        try:
            return base64.b64decode(value[len("=?base64?"):-2], validate=True).decode("utf-8")
        except ValueError:
            return None
    return value


class Replies:
    """Writing answers (a mixin of server.Handler)."""

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

    def rpc_result(self, message_id, result, headers=None):
        self.reply(200, {"jsonrpc": "2.0", "id": message_id, "result": self.result_of(result)}, headers=headers)

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

    def read_json(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            return json.loads(self.rfile.read(length))
        except ValueError:
            return None

    def authorized(self):
        return self.headers.get("Authorization") == f"Bearer {self.state.token}"


class OtherOrigin(BaseHTTPRequestHandler):
    """The origin a redirect points to: counts what reaches it, answers nothing useful."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        state = self.server.state
        with state.lock:
            state.other_origin["requests"] += 1
            if "Authorization" in self.headers:
                state.other_origin["with_token"] += 1
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_DELETE = do_POST


class Server(ThreadingHTTPServer):
    # The listen backlog is set when the server is created (socketserver's default is 5): with
    # a pool of clients connecting at once, a full backlog drops SYNs and the client waits a
    # second to retry, which would show up as noise in the benchmark.
    request_queue_size = 64
    daemon_threads = True

    def __init__(self, address, handler, state):
        super().__init__(address, handler)
        self.state = state


def other_origin(state):
    """The second listener (127.0.0.2 where it can bind, else 127.0.0.1), its port kept in state."""
    try:
        other = Server(("127.0.0.2", 0), OtherOrigin, state)
    except OSError:
        other = Server(("127.0.0.1", 0), OtherOrigin, state)
    state.other_port = other.server_address[1]
    return other
