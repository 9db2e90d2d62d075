"""The mock's data: Flights, versions, runs and logs, each in the shape a MotherDuck docs page shows.

The templates are test/fixtures/mcp/*.json; each file names the page it follows:
  get_flight.json                    https://motherduck.com/docs/sql-reference/mcp/get-flight/
  get_flight_new_names.json          the newer get_flight page's field names (flight_secret_names, ...)
  get_flight_runtime.json            the newer page's max_runtime_sec / instance_type
  list_flight_versions(_runtime).json https://motherduck.com/docs/sql-reference/mcp/list-flight-versions/
  list_flight_runs(_older).json      https://motherduck.com/docs/sql-reference/mcp/list-flight-runs/ (newer, older)
  tool_failure.json                  a tool's documented failure (success: false, error)
  get_flight_run_logs(_newer).json   https://motherduck.com/docs/sql-reference/mcp/get-flight-run-logs/ (older page)
                                     https://motherduck.com/docs/sql-reference/mcp/flights/get-flight-run-logs/ (newer)
The logs are real CPython runs (test/fixtures/runs/logs/, made by tools/run_logs/make_fixtures.py).

A Flight fixture is the get_flight "flight" object plus what the other tools answer about it
(FlightFixture): its versions, its runs, its logs. Nothing here misbehaves: a scenario chosen through
the control endpoint (scenarios.py) makes a Flight misbehave, whatever its name. The tools (tools.py)
read these fields and never test a Flight's name.
"""
import copy
import json
import os
from dataclasses import dataclass, field

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(ROOT, "test", "fixtures", "mcp")
RUN_LOGS_DIR = os.path.join(ROOT, "test", "fixtures", "runs")


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
VERSION_FIELDS = ("version", "source_code", "requirements_txt", "config", "md_token_name", "md_secret_names")


@dataclass
class Logs:
    """A Flight's run logs: the page's shape ("newer" or "older"), whether statuses carry the
    RUN_STATUS_ prefix (the older page), and {run_number: log file under test/fixtures/runs/logs, or None}."""
    shape: str = "newer"
    prefixed: bool = False
    files: dict = field(default_factory=dict)


@dataclass
class FlightFixture:
    flight: dict                       # get_flight's "flight" object
    versions: dict = None              # list_flight_versions' answer (None: no versions listed)
    version_contents: dict = None      # {version: get_flight's "version" object for that version}
    runs: dict = None                  # list_flight_runs' answer (None: no runs listed)
    logs: Logs = field(default_factory=Logs)
    resumes: int = 1                   # 2025-11-25 polling: how many GETs resume its stream before the answer

    @property
    def id(self):
        return self.flight["id"]

    @property
    def name(self):
        return self.flight["name"]


def uuid(n):
    return f"80000000-0000-0000-0000-{n:012d}"


def make_flight(n, name, template=GET):
    flight = copy.deepcopy(template["flight"])
    flight["id"], flight["name"] = uuid(n), name
    return flight


def summary(flight):
    return {k: flight[k] for k in ("id", "name", "schedule_cron", "status", "current_version", "created_at", "updated_at")}


def script(name):
    with open(os.path.join(RUN_LOGS_DIR, "scripts", name)) as f:
        return f.read()


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


def nightly_ingest():
    """get_flight.json's Flight, its versions (list_flight_versions.json) and runs (list_flight_runs.json);
    logs in the newer page's shape, statuses bare. Its 2025-11-25 stream is resumed twice."""
    contents = {v["version"]: {k: v[k] for k in VERSION_FIELDS} for v in VERSIONS["versions"]}
    return FlightFixture(copy.deepcopy(GET["flight"]), versions=VERSIONS, version_contents=contents, runs=RUNS,
                         logs=Logs("newer", False, {4: "succeeded-3.11.log", 3: "module_not_found-3.13.log",
                                                    2: "leaky_success-3.12.log", 1: None}), resumes=2)


def weekly_report():
    """The newer field names (get_flight_new_names.json); runs and logs in the older pages' shapes
    (list_flight_runs_older.json, get_flight_run_logs.json), statuses with the RUN_STATUS_ prefix."""
    return FlightFixture(copy.deepcopy(GET_NEW["flight"]), versions=VERSIONS, runs=RUNS_OLDER,
                         logs=Logs("older", True, {2: "succeeded-3.10.log", 1: "long_output-3.10.log"}))


def sized_export():
    """The newer max_runtime_sec / instance_type (get_flight_runtime.json, list_flight_versions_runtime.json)."""
    return FlightFixture(copy.deepcopy(GET_RUNTIME["flight"]), versions=VERSIONS_RUNTIME, runs=RUNS)


def diagnosed_export():
    """A Flight of two versions whose runs failed (motherduck_flight_diagnosis): version 1 imports
    snowflake.connector without requiring it (run 1: ModuleNotFoundError); version 2 requires it and
    reads API_KEY, which its attached secret gives only as MY_API_SECRET_API_KEY (run 2: KeyError).
    Each version's source is the script its run's log came from (test/fixtures/runs/scripts/); the runs
    follow list_flight_runs.json's failed run, the logs the newer page. list_flight_versions lists none."""
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
    return FlightFixture(flight, versions=dict(VERSIONS, versions=[]), version_contents=versions,
                         runs=dict(RUNS, runs=runs),
                         logs=Logs("newer", False, {2: "key_error_environ-3.13.log", 1: "module_not_found-3.12.log"}))


def hourly_export():
    """A Flight in get_flight's documented shape whose content has mistakes in it (fleet mode)."""
    flight = make_flight(11, "hourly_export")
    flight["schedule_cron"] = "0 * * * *"
    flight["version"].update({
        "md_token_name": None,
        "md_secret_names": ["my_api_secret", "old_secret"],
        "config": {"REGION": "us-east-1", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        "source_code": 'import os\napi_key = os.environ["API_KEY"]\nregion = os.environ.get("REGION", "us")\n',
    })
    return FlightFixture(flight)


# Plain Flights in get_flight.json's shape, named as a team's Flights would be, with their uuid numbers
# (those of the Flights that once misbehaved by their names: SQL tests name some ids in expected errors),
# in list_flights' order; two are named twin (one name, two ids). Any of them misbehaves only when a
# scenario says so (scenarios.py), e.g. a test file's `require-env MOCK_MCP_FLIGHT_billing_rollup tool_failure`.
PLAIN_FLIGHTS = [("orders_sync", 3), ("billing_rollup", 4), ("crm_import", 5), ("ledger_close", 6),
                 ("events_compact", 7), ("geo_enrich", 8), ("twin", 9), ("fx_rates", 13), ("churn_model", 14),
                 ("invoice_mailer", 15), ("audit_trail", 16), ("clickstream_load", 17), ("inventory_sync", 18),
                 ("sales_digest", 19), ("payroll_sync", 20), ("web_vitals", 21), ("twin", 10)]


def catalogue(bench_flights=None, fleet=False):
    """The Flights of a mode, in list_flights' order.
    default: filler_000 .. filler_149 (nightly_ingest after filler_119, past the first 100), weekly_report,
             sized_export, diagnosed_export and the plain Flights (PLAIN_FLIGHTS);
    bench:   N generated Flights, nothing else;
    fleet:   nightly_ingest, weekly_report and hourly_export (the fleet audit of README and make demo)."""
    if bench_flights:
        return [FlightFixture(make_flight(1000 + i, f"bench_{i:04d}")) for i in range(bench_flights)]
    if fleet:
        return [nightly_ingest(), weekly_report(), hourly_export()]
    flights = []
    for i in range(150):
        flights.append(FlightFixture(make_flight(100 + i, f"filler_{i:03d}")))
        if i == 119:
            flights.append(nightly_ingest())
    flights += [weekly_report(), sized_export(), diagnosed_export()]
    flights += [FlightFixture(make_flight(n, name)) for name, n in PLAIN_FLIGHTS]
    return flights
