"""The mock MCP server refuses what the MCP 2025-06-18 transport forbids, so a
non-conformant client cannot pass the SQL tests (run by run_selftest.sh)."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "test-token-0123456789"
GOOD = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "Authorization": f"Bearer {TOKEN}"}


class MockEnforces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.dir.name, "port")
        env = dict(os.environ, MOCK_MCP_TOKEN=TOKEN)
        cls.server = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "mock_mcp_server.py"),
                                       "--port-file", port_file], env=env)
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            cls.url = f"http://127.0.0.1:{f.read().strip()}/mcp"

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()
        cls.dir.cleanup()

    def post(self, message, headers):
        request = urllib.request.Request(self.url, json.dumps(message).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def initialize(self):
        status, headers, body = self.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}, GOOD)
        self.assertEqual(status, 200)
        return headers["Mcp-Session-Id"], json.loads(body)["result"]["protocolVersion"]

    def call(self, headers):
        return self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                          "params": {"name": "list_flights", "arguments": {"keywords": "report"}}}, headers)[0]

    def test_a_conformant_request_passes(self):
        session, version = self.initialize()
        self.assertEqual(self.call(dict(GOOD, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": version})), 200)

    def test_accept_must_list_both_types(self):
        session, version = self.initialize()
        for accept in ("application/json", "text/event-stream", "*/*"):
            headers = dict(GOOD, Accept=accept, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": version})
            self.assertEqual(self.call(headers), 406, accept)

    def test_protocol_version_header_is_required_after_initialize(self):
        session, _ = self.initialize()
        self.assertEqual(self.call(dict(GOOD, **{"Mcp-Session-Id": session})), 400)
        self.assertEqual(self.call(dict(GOOD, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-03-26"})), 400)

    def test_session_id_is_required_and_checked(self):
        _, version = self.initialize()
        self.assertEqual(self.call(dict(GOOD, **{"MCP-Protocol-Version": version})), 400)
        self.assertEqual(self.call(dict(GOOD, **{"Mcp-Session-Id": "nope", "MCP-Protocol-Version": version})), 404)

    def test_the_token_is_required(self):
        self.assertEqual(self.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
                                   dict(GOOD, Authorization="Bearer wrong"))[0], 401)


if __name__ == "__main__":
    unittest.main()
