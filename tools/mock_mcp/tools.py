"""The MotherDuck tools the mock serves (MCP server/tools.mdx for tools/list and "Error Handling"):
list_flights, get_flight, list_flight_versions, list_flight_runs, and the logs tool under the names
the scenario gives (get_flight_run_logs: https://motherduck.com/docs/sql-reference/mcp/get-flight-run-logs/
(older page) and https://motherduck.com/docs/sql-reference/mcp/flights/get-flight-run-logs/ (newer);
agent-skills and the newer view_flight_run page call it get_flight_logs). A name it does not serve is an
unknown tool: JSON-RPC -32602 "Unknown tool: NAME".

list_flights honours keywords (every word, case-insensitive, in the name) and limit (default 100, max
500). The logs tool takes id, run_number, max_bytes (an integer >= 1024, else -32602 Invalid params); a
log longer than max_bytes keeps its tail and sets truncated; a Flight without that run's log:
"Run N not found for Flight ID" (quoting the Authorization header in the quote_authorization scenario).
What each Flight answers comes from its fixture (fixtures.py); whether its get_flight misbehaves, and
how, from the scenario in force (scenarios.py: the Flight behaviours chosen through the control endpoint).
"""
import copy
import json
import time

from . import fixtures, scenarios
from .eras import polls
from .fixtures import FAILURE, LOGS_NEWER, LOGS_OLDER, RUNS, RUNS_OLDER, VERSIONS

LOGS_TOOLS = scenarios.LOGS_TOOLS


def tool_definitions(era, logs_tools):
    """The tools as tools/list shows them (server/tools.mdx); 2026-07-28: list_flight_runs mirrors `id` into a header."""
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
    ] + [tool(name, logs, ["id", "run_number"]) for name in logs_tools]


class Tools:
    """A mixin of server.Handler."""

    def call_tool(self, message, params, session):
        tool, args = params.get("name"), params.get("arguments", {})
        if tool in LOGS_TOOLS:
            handler = self.tool_logs if tool in self.state.scenario.logs_tools else None
        else:
            handler = getattr(self, f"tool_{tool}", None)
        if handler is None:
            return self.rpc_error(200, message["id"], -32602, f"Unknown tool: {tool}")
        return handler(message["id"], args, session)

    def tool_result(self, message_id, payload):
        # Documented: structuredContent and/or a JSON text item; the mock sends both.
        result = {"structuredContent": payload, "content": [{"type": "text", "text": json.dumps(payload)}]}
        if polls(self.state.era, self.modern):
            return self.polled(message_id, result)
        self.rpc_result(message_id, result)

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

    def find(self, message_id, flight_id):
        """The fixture of a Flight id (also kept as self.flight for the era's stream), or a failure answered."""
        self.flight = self.state.flights.get(flight_id)
        if self.flight is None:
            self.failure(message_id, f"Flight not found: {flight_id}")
        return self.flight

    def tool_list_flights(self, message_id, args, session):
        limit = self.limit(message_id, args)
        if limit is None:
            return
        words = (args.get("keywords") or "").lower().split()
        state = self.state
        found = [fixtures.summary(state.flights[i].flight) for i in state.order
                 if all(w in state.flights[i].name.lower() for w in words)][:limit]
        self.tool_result(message_id, {"success": True, "flights": found, "count": len(found), "error": None})

    def report(self, message_id, flight_id):
        """The reports SQL tests read through get_flight (scenarios.py); True when one was answered."""
        state = self.state
        if flight_id == scenarios.REPORT_ORIGIN_ID:
            report = state.report()
            seen = report["other_origin"]
            self.failure(message_id, f"other origin: {seen['requests']} requests, {seen['with_token']} with the token; "
                                     f"{report['live_sessions']} live session(s); {report['pings_answered']} ping(s) answered")
        elif flight_id == scenarios.REPORT_STATS_ID:
            counts = state.take_counts()
            flight = fixtures.make_flight(57, " ".join(f"{k}={v}" for k, v in counts.items()))
            flight["id"] = scenarios.REPORT_STATS_ID
            self.tool_result(message_id, {"success": True, "flight": flight, "error": None})
        else:
            return False
        return True

    def tool_get_flight(self, message_id, args, session):
        flight_id = args.get("id")
        if self.report(message_id, flight_id) or self.find(message_id, flight_id) is None:
            return
        fixture = self.flight
        behaviour = self.state.scenario.behaviour(fixture.id)
        if behaviour and scenarios.FLIGHT_BEHAVIOURS[behaviour](self, message_id, session):
            return
        flight = copy.deepcopy(fixture.flight)
        version = args.get("version")
        if version is not None:
            if not isinstance(version, int) or not 1 <= version <= flight["current_version"]:
                return self.failure(message_id, f"Version {version} not found for Flight {flight_id}")
            content = (fixture.version_contents or {}).get(version)
            if content is not None:
                flight["version"] = copy.deepcopy(content)
            else:
                flight["version"]["version"] = version
        payload = {"success": True, "flight": flight, "error": None}
        if behaviour == "event_stream":
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
            time.sleep(scenarios.HOLD_SECONDS)  # the stream stays open: the client must not wait for it
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def listed(self, message_id, args, key, answer, empty):
        """list_flight_versions / list_flight_runs: the fixture's answer, or the page's shape with no rows."""
        limit = self.limit(message_id, args)
        if limit is None or self.find(message_id, args.get("id")) is None:
            return
        payload = copy.deepcopy(answer if answer is not None else empty)
        if answer is None:
            payload[key] = []
        payload[key] = payload[key][:limit]
        payload["count"] = len(payload[key])
        if key == "runs" and "flight_id" in payload:
            payload["flight_id"] = self.flight.id
        self.tool_result(message_id, payload)

    def tool_list_flight_versions(self, message_id, args, session):
        fixture = self.state.flights.get(args.get("id"))
        self.listed(message_id, args, "versions", fixture and fixture.versions, VERSIONS)

    def tool_list_flight_runs(self, message_id, args, session):
        fixture = self.state.flights.get(args.get("id"))
        self.listed(message_id, args, "runs", fixture and fixture.runs, RUNS)

    def tool_logs(self, message_id, args, session):
        """get_flight_run_logs / get_flight_logs: one run's log, in the shape its fixture's Logs gives."""
        max_bytes = args.get("max_bytes")
        if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes < 1024):
            return self.rpc_error(200, message_id, -32602, "Invalid params: max_bytes must be an integer >= 1024")
        if self.find(message_id, args.get("id")) is None:
            return
        fixture, scenario = self.flight, self.state.scenario
        logs, number = fixture.logs, args.get("run_number")
        runs = fixture.runs or (RUNS_OLDER if logs.shape == "older" else RUNS)
        run = next((r for r in runs["runs"] if r["run_number"] == number), None)
        if run is None or number not in logs.files:
            if scenario.quote_authorization:  # a server that quotes the request's credentials (the client must scrub them)
                return self.failure(message_id, f"Run {number} not found (Authorization: {self.headers.get('Authorization')})")
            return self.failure(message_id, f"Run {number} not found for Flight {fixture.id}")
        text, truncated = fixtures.run_log(logs.files[number]), False
        if max_bytes is not None:
            text, truncated = fixtures.tail_bytes(text, max_bytes)
        status = ("RUN_STATUS_" if logs.prefixed else "") + run["status"]
        if logs.shape == "older":
            payload = copy.deepcopy(LOGS_OLDER)
            exit_code = 0 if run["status"] == "SUCCEEDED" else 1 if run["status"] == "FAILED" else None
            payload["run"] = {"flight_id": fixture.id, "run_number": number, "flight_version": run["flight_version"],
                              "status": status, "exit_code": exit_code, "created_at": run["created_at"],
                              "started_at": run["created_at"], "completed_at": run["created_at"]}
        else:
            payload = copy.deepcopy(LOGS_NEWER)
            payload.update(flight_id=fixture.id, run_number=number)
            payload["run"] = dict(copy.deepcopy(run), status=status, flight_id=fixture.id, flight_name=fixture.name)
        payload.update(logs=text, truncated=truncated)
        scenario.logs_tool_answered()
        self.tool_result(message_id, payload)
