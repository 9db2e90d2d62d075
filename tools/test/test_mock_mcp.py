"""The mock MCP server refuses what each MCP era's spec pages forbid, so a non-conformant
client cannot pass the SQL tests (run by run_selftest.sh). One mock per era:
  2025-06-18 (default)  2025-06-18 basic/transports.mdx: Accept, session id, MCP-Protocol-Version
  2025-11-25            2025-11-25 basic/transports.mdx: polled streams resumed by GET with Last-Event-ID
  2026-07-28            2026-07-28 basic/versioning.mdx, basic/index.mdx (_meta),
                        basic/transports/streamable-http.mdx (Request Metadata, Server Validation,
                        Backward Compatibility), server/tools.mdx (x-mcp-header)
  dual                  both: modern requests statelessly, initialize opens a session
and the logs tool under the names the scenario gives (server/tools.mdx "Error Handling": an unknown
tool is JSON-RPC -32602), in MotherDuck's two documented output shapes. Scenarios are chosen through
the control endpoint (POST /_control/scenario), never by a Flight's name or id.
"""
import base64
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
sys.path.insert(0, os.path.join(HERE, ".."))
TOKEN = "test-token-0123456789"
GOOD = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        "Authorization": f"Bearer {TOKEN}"}
MODERN = "2026-07-28"
META = {"io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "0"},
        "io.modelcontextprotocol/clientCapabilities": {}}
NIGHTLY = "80000000-0000-0000-0000-000000000001"


class Mock(unittest.TestCase):
    ARGS = []
    SCENARIO = None  # chosen through POST /_control/scenario once the mock is up

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.dir.name, "port")
        env = dict(os.environ, MOCK_MCP_TOKEN=TOKEN)
        cls.server = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "mock_mcp_server.py"),
                                       "--port-file", port_file, *cls.ARGS], env=env)
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            cls.base = f"http://127.0.0.1:{f.read().strip()}"
        cls.url = cls.base + "/mcp"
        if cls.SCENARIO:
            cls.control("POST", "scenario", {"name": cls.SCENARIO})

    @classmethod
    def control(cls, method, what, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{cls.base}/_control/{what}", data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()
        cls.dir.cleanup()

    def send(self, method, message, headers):
        data = None if message is None else json.dumps(message).encode()
        request = urllib.request.Request(self.url, data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def post(self, message, headers):
        return self.send("POST", message, headers)

    def initialize(self, version="2025-06-18"):
        status, headers, body = self.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}, GOOD)
        self.assertEqual(status, 200)
        return headers["Mcp-Session-Id"], json.loads(body)["result"]["protocolVersion"]

    def call_tool(self, name, arguments):
        """tools/call of `name` in a fresh legacy session: the JSON-RPC reply."""
        session, version = self.initialize()
        status, _, body = self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": name, "arguments": arguments}}, dict(GOOD, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": version}))
        self.assertEqual(status, 200)
        return json.loads(body)

    def error_code(self, body):
        return json.loads(body)["error"]["code"]


class Legacy20250618(Mock):
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
        status, headers, _ = self.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
                                       dict(GOOD, Authorization="Bearer wrong"))
        self.assertEqual(status, 401)
        self.assertIn('error="invalid_token"', headers["WWW-Authenticate"])

    def test_a_modern_request_gets_a_legacy_refusal(self):
        status, _, body = self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "list_flights", "arguments": {}, "_meta": META}},
            dict(GOOD, **{"MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": "list_flights"}))
        self.assertEqual((status, self.error_code(body)), (400, -32000))  # not a modern error: fall back

    def test_initialize_echoes_a_supported_offer_else_its_own(self):
        self.assertEqual(self.initialize("2025-03-26")[1], "2025-03-26")
        self.assertEqual(self.initialize("2025-11-25")[1], "2025-06-18")


class Modern(Mock):
    ARGS = ["--era", MODERN]

    def modern(self, name="list_flights", arguments=None, meta=META, method="tools/call", **headers):
        params = {"name": name, "arguments": arguments or {}}
        if meta is not None:
            params["_meta"] = meta
        base = {"MCP-Protocol-Version": MODERN, "Mcp-Method": method, "Mcp-Name": name}
        base.update({k.replace("_", "-"): v for k, v in headers.items()})
        return self.post({"jsonrpc": "2.0", "id": 7, "method": method, "params": params},
                         dict(GOOD, **{k: v for k, v in base.items() if v is not None}))

    def test_a_conformant_request_passes_without_a_session(self):
        status, headers, body = self.modern(arguments={"keywords": "report"})
        self.assertEqual(status, 200)
        self.assertNotIn("Mcp-Session-Id", headers)
        result = json.loads(body)["result"]
        self.assertEqual(result["resultType"], "complete")
        self.assertEqual(result["structuredContent"]["flights"][0]["name"], "weekly_report")
        # A session id sent anyway is ignored.
        self.assertEqual(self.modern(**{"Mcp_Session_Id": "whatever"})[0], 200)

    def test_headers_must_be_present_and_match_the_body(self):
        for headers in ({"MCP_Protocol_Version": None}, {"Mcp_Method": None}, {"Mcp_Method": "tools/list"},
                        {"Mcp_Name": None}, {"Mcp_Name": "get_flight"}):
            status, _, body = self.modern(**headers)
            self.assertEqual((status, self.error_code(body)), (400, -32020), headers)

    def test_mcp_name_in_the_base64_sentinel(self):
        encoded = "=?base64?" + base64.b64encode(b"list_flights").decode() + "?="
        self.assertEqual(self.modern(Mcp_Name=encoded)[0], 200)
        wrong = "=?base64?" + base64.b64encode(b"get_flight").decode() + "?="
        self.assertEqual(self.modern(Mcp_Name=wrong)[0], 400)

    def test_meta_is_required(self):
        status, _, body = self.modern(meta=None)
        self.assertEqual((status, self.error_code(body)), (400, -32602))
        no_caps = {k: v for k, v in META.items() if not k.endswith("clientCapabilities")}
        self.assertEqual(self.error_code(self.modern(meta=no_caps)[2]), -32602)
        bad_info = dict(META, **{"io.modelcontextprotocol/clientInfo": {"name": "t"}})
        self.assertEqual(self.error_code(self.modern(meta=bad_info)[2]), -32602)
        other = dict(META, **{"io.modelcontextprotocol/protocolVersion": "2025-11-25"})
        self.assertEqual(self.error_code(self.modern(meta=other)[2]), -32020)

    def test_an_unsupported_version_lists_the_supported_ones(self):
        meta = dict(META, **{"io.modelcontextprotocol/protocolVersion": "1900-01-01"})
        status, _, body = self.modern(meta=meta, MCP_Protocol_Version="1900-01-01")
        error = json.loads(body)["error"]
        self.assertEqual((status, error["code"], error["data"]), (400, -32022, {"supported": [MODERN], "requested": "1900-01-01"}))

    def test_initialize_gets_the_modern_error_naming_versions(self):
        status, headers, body = self.post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}}, GOOD)
        error = json.loads(body)["error"]
        self.assertEqual((status, error["code"], error["data"]["supported"]), (400, -32022, [MODERN]))
        self.assertIn(MODERN, error["message"])
        self.assertNotIn("Mcp-Session-Id", headers)

    def test_get_and_delete_are_not_allowed(self):
        self.assertEqual(self.send("GET", None, {"Accept": "text/event-stream", "Authorization": f"Bearer {TOKEN}"})[0], 405)
        self.assertEqual(self.send("DELETE", None, {"Authorization": f"Bearer {TOKEN}", "Mcp-Session-Id": "x"})[0], 405)

    def test_x_mcp_header_is_enforced(self):
        status, _, body = self.modern(method="tools/list", name=None, Mcp_Name=None)
        runs = next(t for t in json.loads(body)["result"]["tools"] if t["name"] == "list_flight_runs")
        self.assertEqual(runs["inputSchema"]["properties"]["id"]["x-mcp-header"], "Flight-Id")
        args = {"id": NIGHTLY}
        status, _, body = self.modern("list_flight_runs", args)
        self.assertEqual((status, self.error_code(body)), (400, -32020))
        self.assertEqual(self.modern("list_flight_runs", args, Mcp_Param_Flight_Id="other")[0], 400)
        self.assertEqual(self.modern("list_flight_runs", args, Mcp_Param_Flight_Id=NIGHTLY)[0], 200)

    def test_an_unknown_method_is_a_404_with_method_not_found(self):
        status, _, body = self.modern(method="nope/nope", name=None, Mcp_Name=None)
        self.assertEqual((status, self.error_code(body)), (404, -32601))


class Polling(Mock):
    ARGS = ["--era", "2025-11-25"]

    def session(self):
        session, version = self.initialize("2025-11-25")
        self.assertEqual(version, "2025-11-25")
        return {"Mcp-Session-Id": session, "MCP-Protocol-Version": version}

    def polled_call(self, headers):
        status, response_headers, body = self.post({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "get_flight", "arguments": {"id": "80000000-0000-0000-0000-000000000002"}}}, dict(GOOD, **headers))
        self.assertEqual((status, response_headers["Content-Type"]), (200, "text/event-stream"))
        text = body.decode()
        self.assertNotIn('"result"', text)  # closed before the response
        self.assertIn("retry: 100", text)
        return text.split("id: ")[1].split("\n")[0]

    def resume(self, headers, last, accept="text/event-stream"):
        request_headers = dict(headers, Accept=accept, Authorization=f"Bearer {TOKEN}")
        if last is not None:
            request_headers["Last-Event-ID"] = last
        return self.send("GET", None, request_headers)

    def test_a_polled_stream_resumes_after_retry_with_last_event_id(self):
        headers = self.session()
        last = self.polled_call(headers)
        self.assertEqual(self.resume(headers, last)[0], 400)  # sooner than retry
        time.sleep(0.12)
        status, _, body = self.resume(headers, last)
        self.assertEqual(status, 200)
        message = json.loads(body.decode().split("data: ")[1])
        self.assertEqual((message["id"], message["result"]["structuredContent"]["flight"]["name"]), (3, "weekly_report"))

    def test_the_get_needs_its_headers(self):
        headers = self.session()
        last = self.polled_call(headers)
        time.sleep(0.12)
        self.assertEqual(self.resume(headers, last, accept="application/json")[0], 406)
        self.assertEqual(self.resume({"MCP-Protocol-Version": "2025-11-25"}, last)[0], 400)
        self.assertEqual(self.resume(dict(headers, **{"MCP-Protocol-Version": "2025-06-18"}), last)[0], 400)
        self.assertEqual(self.resume(headers, "s999-0")[0], 400)
        self.assertEqual(self.resume(headers, None)[0], 405)
        self.assertEqual(self.resume(self.session(), last)[0], 400)  # another session's stream


class Dual(Mock):
    ARGS = ["--era", "dual"]

    def test_modern_and_legacy_side_by_side(self):
        status, headers, _ = self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "list_flights", "arguments": {}, "_meta": META}},
            dict(GOOD, **{"MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": "list_flights"}))
        self.assertEqual(status, 200)
        self.assertNotIn("Mcp-Session-Id", headers)
        session, version = self.initialize("2025-11-25")
        self.assertEqual(version, "2025-11-25")
        status, _, body = self.post({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {
            "name": "list_flights", "arguments": {}}}, dict(GOOD, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": version}))
        self.assertEqual(status, 200)
        self.assertNotIn("resultType", json.loads(body)["result"])

    def test_a_modern_request_still_needs_its_headers(self):
        status, _, body = self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "list_flights", "arguments": {}, "_meta": META}}, GOOD)
        self.assertEqual((status, self.error_code(body)), (400, -32020))


class Logs(Mock):
    SCENARIO = "logs_tools_get_flight_logs"
    WEEKLY = "80000000-0000-0000-0000-000000000002"

    def test_an_unserved_name_is_an_unknown_tool(self):
        body = self.call_tool("get_flight_run_logs", {"id": NIGHTLY, "run_number": 3})
        self.assertEqual(body["error"], {"code": -32602, "message": "Unknown tool: get_flight_run_logs"})

    def test_both_shapes_and_the_prefix(self):
        newer = self.call_tool("get_flight_logs", {"id": NIGHTLY, "run_number": 3})["result"]["structuredContent"]
        self.assertEqual((newer["run_number"], newer["run"]["status"], newer["run"]["run_id"] is not None),
                         (3, "FAILED", True))
        self.assertTrue(newer["logs"].endswith("ModuleNotFoundError: No module named 'snowflake'\n"))
        older = self.call_tool("get_flight_logs", {"id": self.WEEKLY, "run_number": 1})["result"]["structuredContent"]
        self.assertEqual(set(older["run"]), {"flight_id", "run_number", "flight_version", "status", "exit_code",
                                             "created_at", "started_at", "completed_at"})
        self.assertEqual((older["run"]["status"], older["truncated"]), ("RUN_STATUS_FAILED", False))

    def test_max_bytes_keeps_the_tail(self):
        full = self.call_tool("get_flight_logs", {"id": self.WEEKLY, "run_number": 1})["result"]["structuredContent"]["logs"]
        cut = self.call_tool("get_flight_logs", {"id": self.WEEKLY, "run_number": 1, "max_bytes": 1024})
        cut = cut["result"]["structuredContent"]
        self.assertEqual((cut["truncated"], cut["logs"]), (True, full[-1024:]))
        self.assertEqual(self.call_tool("get_flight_logs", {"id": self.WEEKLY, "run_number": 1, "max_bytes": 1023})
                         ["error"]["code"], -32602)


class Control(Mock):
    """The control endpoint: the mock-wide scenario, named; the Flights that misbehave; the report."""

    def tearDown(self):
        self.assertEqual(self.control("POST", "scenario", {"name": "default"})[0], 200)

    def test_an_unknown_scenario_is_refused_by_name(self):
        status, body = self.control("POST", "scenario", {"name": "nope"})
        self.assertEqual(status, 400)
        self.assertIn("unknown scenario 'nope'", body["error"])
        self.assertEqual(self.control("GET", "scenario")[1]["name"], "default")

    def test_the_renamed_logs_tool(self):
        self.assertEqual(self.control("POST", "scenario", {"name": "logs_tool_renamed"})[0], 200)
        self.assertEqual(self.call_tool("get_flight_run_logs", {"id": NIGHTLY, "run_number": 3})["error"]["code"], -32602)
        self.assertIn("result", self.call_tool("get_flight_logs", {"id": NIGHTLY, "run_number": 3}))
        self.assertEqual(self.call_tool("get_flight_logs", {"id": NIGHTLY, "run_number": 3})["error"]["code"], -32602)
        self.assertIn("result", self.call_tool("get_flight_run_logs", {"id": NIGHTLY, "run_number": 3}))

    def test_no_logs_tool(self):
        self.control("POST", "scenario", {"name": "logs_tools_none"})
        for name in ("get_flight_run_logs", "get_flight_logs"):
            self.assertEqual(self.call_tool(name, {"id": NIGHTLY, "run_number": 3})["error"]["code"], -32602)

    def test_the_session_protocol(self):
        self.assertEqual(self.initialize("2025-06-18")[1], "2025-06-18")
        self.control("POST", "scenario", {"name": "session_protocol_2024_11_05"})
        self.assertEqual(self.initialize("2025-06-18")[1], "2024-11-05")
        self.assertEqual(self.initialize("2025-06-18")[1], "2024-11-05")  # every session, not only the next

    def test_quote_authorization(self):
        plain = self.call_tool("get_flight_run_logs", {"id": NIGHTLY, "run_number": 9})["result"]["structuredContent"]
        self.assertEqual(plain["error"], f"Run 9 not found for Flight {NIGHTLY}")
        self.control("POST", "scenario", {"name": "quote_authorization"})
        quoted = self.call_tool("get_flight_run_logs", {"id": NIGHTLY, "run_number": 9})["result"]["structuredContent"]
        self.assertEqual(quoted["error"], f"Run 9 not found (Authorization: Bearer {TOKEN})")

    def test_the_report_counts_requests(self):
        before = self.control("GET", "report")[1]["counts"]["requests"]
        self.initialize()
        self.assertEqual(self.control("GET", "report")[1]["counts"]["requests"], before + 1)

    def get_flight(self, flight_id):
        return self.call_tool("get_flight", {"id": flight_id})

    def test_a_flight_behaviour_is_chosen_for_that_flight_only(self):
        billing, crm = "80000000-0000-0000-0000-000000000004", "80000000-0000-0000-0000-000000000005"
        self.assertEqual(self.get_flight(billing)["result"]["structuredContent"]["flight"]["name"], "billing_rollup")
        status, body = self.control("POST", "scenario", {"flights": {"billing_rollup": "tool_failure", crm: "bad_request"}})
        self.assertEqual((status, body["name"], body["flights"]), (200, "default", {billing: "tool_failure", crm: "bad_request"}))
        self.assertEqual(self.control("GET", "scenario")[1]["flights"], {billing: "tool_failure", crm: "bad_request"})
        failure = self.get_flight(billing)["result"]["structuredContent"]
        self.assertEqual((failure["success"], failure["error"]), (False, "Flight is being deleted; try again later"))
        session, version = self.initialize()
        status, _, body = self.post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "get_flight", "arguments": {"id": crm}}}, dict(GOOD, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": version}))
        self.assertEqual((status, self.error_code(body)), (400, -32602))
        self.assertTrue(self.get_flight(NIGHTLY)["result"]["structuredContent"]["success"])  # the others as usual
        self.control("POST", "scenario", {"name": "default"})  # replaced whole: no Flight misbehaves
        self.assertTrue(self.get_flight(billing)["result"]["structuredContent"]["success"])

    def test_a_wrong_flight_or_behaviour_is_refused_and_changes_nothing(self):
        self.control("POST", "scenario", {"flights": {"billing_rollup": "tool_failure"}})
        for flights, words in (({"billing_rollup": "nope"}, "unknown Flight behaviour 'nope'"),
                               ({"no_such_flight": "slow"}, "no Flight is named 'no_such_flight'"),
                               ({"twin": "slow"}, "2 Flights are named 'twin'"),
                               ("billing_rollup", '"flights" must be an object')):
            status, body = self.control("POST", "scenario", {"flights": flights})
            self.assertEqual(status, 400)
            self.assertIn(words, body["error"])
        self.assertEqual(self.control("POST", "scenario", {"name": "default", "other": 1})[0], 400)
        self.assertEqual(self.control("GET", "scenario")[1]["flights"],
                         {"80000000-0000-0000-0000-000000000004": "tool_failure"})

    def test_no_flight_misbehaves_by_its_name(self):
        from mock_mcp.scenarios import FLIGHT_BEHAVIOURS
        listed = self.call_tool("list_flights", {"limit": 500})["result"]["structuredContent"]["flights"]
        self.assertEqual([f["name"] for f in listed if f["name"] in FLIGHT_BEHAVIOURS], [])
        for flight in listed:  # with no behaviour chosen, every listed Flight is fetched as usual
            self.assertTrue(self.get_flight(flight["id"])["result"]["structuredContent"]["success"], flight["name"])

    def test_no_magic_ids_left(self):
        # get_flight of the ids that once armed the mock is an ordinary "not found" now
        for flight_id in ("00000000-0000-0000-0000-0000000a2024", "00000000-0000-0000-0000-0000000100a0"):
            answer = self.call_tool("get_flight", {"id": flight_id})["result"]["structuredContent"]
            self.assertEqual(answer["error"], f"Flight not found: {flight_id}")
        self.assertEqual(self.control("GET", "scenario")[1]["name"], "default")


if __name__ == "__main__":
    unittest.main()
