#!/usr/bin/env python3
"""flights_helper benchmarks: each function against what a user would write
instead, measured side by side in one process, reported as ratios.

Run with `make bench` (release build, pinned DuckDB 2.0.1). Prints a table and
writes it to bench/results.md. Every figure is the median of several runs.
"""
import os
import platform
import statistics
import subprocess
import sys
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTENSION = os.path.join(ROOT, "build", "release", "flights_helper.duckdb_extension")
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def connect():
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{EXTENSION}'")
    return con


def timed(con, sql, runs=RUNS):
    """Median wall time of `sql` over `runs` runs (after one warm-up)."""
    con.execute(sql).fetchall()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_rows(con):
    """ROWS Flights: stored maps of 20 keys, overrides of 1-3 keys, 10% invalid."""
    con.execute(f"""
        CREATE OR REPLACE TABLE runs AS
        SELECT i,
               map_from_entries([{{'key': 'KEY_' || k, 'value': 'value_' || (i + k) % 1000}} for k in range(20)]) AS stored,
               map_from_entries([{{'key': CASE WHEN i % 10 = 0 AND k = 0 THEN 'KEY_TYPO_' || k ELSE 'KEY_' || ((i + k * 7) % 20) END,
                                   'value': 'override_' || k}} for k in range(1 + i % 3)]) AS ov
        FROM range({ROWS}) t(i)""")


def py_validate(stored, ov):
    keys = set(stored)
    return [f"override key '{k}' is not in the stored config" for k, v in ov.items() if k not in keys or v is None]


def bench_validate(con, report):
    floor = timed(con, "SELECT sum(cardinality(stored) + cardinality(ov)) FROM runs")
    ours = timed(con, "SELECT sum(len(flight_validate_override(stored, ov))) FROM runs")
    valid = timed(con, "SELECT count(*) FILTER (WHERE flight_override_is_valid(stored, ov)) FROM runs")
    sql = timed(con, "SELECT sum(len(list_filter(map_keys(ov), lambda k: NOT list_contains(map_keys(stored), k)))) FROM runs")
    con.create_function("py_validate", py_validate,
                        ["MAP(VARCHAR, VARCHAR)", "MAP(VARCHAR, VARCHAR)"], "VARCHAR[]")
    udf = timed(con, "SELECT sum(len(py_validate(stored, ov))) FROM runs", runs=max(1, RUNS // 2))
    check = con.execute("""SELECT count(*) FROM runs WHERE len(flight_validate_override(stored, ov))
                           <> len(list_filter(map_keys(ov), lambda k: NOT list_contains(map_keys(stored), k)))""").fetchone()[0]
    assert check == 0, f"flight_validate_override disagrees with the SQL expression on {check} rows"
    report.section("1. flight_validate_override over %s rows (stored 20 keys, override 1-3 keys, 10%% invalid)" % f"{ROWS:,}")
    report.row("scan floor: sum(cardinality(stored) + cardinality(override))", floor, floor)
    report.row("flight_validate_override", ours, floor)
    report.row("flight_override_is_valid", valid, floor)
    report.row("built-in SQL: list_filter(map_keys(ov), lambda k: NOT list_contains(map_keys(stored), k))", sql, floor)
    report.row("Python UDF (same rule)", udf, floor)
    report.note(f"flight_validate_override is {sql / ours:.2f}x the speed of the SQL expression, "
                f"{udf / ours:.1f}x the Python UDF, at {ours / floor:.2f}x the scan floor.")
    return floor, ours


def bench_effective(con, report, floor):
    ours = timed(con, "SELECT sum(cardinality(flight_effective_config(stored, ov))) FROM runs WHERE flight_override_is_valid(stored, ov)")
    concat = timed(con, "SELECT sum(cardinality(map_concat(stored, ov))) FROM runs WHERE flight_override_is_valid(stored, ov)")
    report.section("2. flight_effective_config against map_concat (valid rows; ours also validates)")
    report.row("scan floor", floor, floor)
    report.row("flight_effective_config", ours, floor)
    report.row("map_concat(stored, override)", concat, floor)
    report.note(f"flight_effective_config is {concat / ours:.2f}x the speed of map_concat.")


def bench_changes(con, report, floor):
    ours = timed(con, "SELECT sum(len(flight_config_changes(stored, ov))) FROM runs")
    sql = timed(con, """SELECT sum(len(list_filter(map_keys(stored), lambda k: NOT list_contains(map_keys(ov), k) OR ov[k] IS DISTINCT FROM stored[k]))
                             + len(list_filter(map_keys(ov), lambda k: NOT list_contains(map_keys(stored), k)))) FROM runs""")
    report.section("3. flight_config_changes against a built-in SQL formulation, %s pairs" % f"{ROWS:,}")
    report.row("scan floor", floor, floor)
    report.row("flight_config_changes", ours, floor)
    report.row("built-in SQL (removed + changed + added keys)", sql, floor)
    report.note(f"flight_config_changes is {sql / ours:.2f}x the speed of the SQL formulation (which only counts).")


def bench_preview(con, report):
    report.section("4. flight_env_preview on one Flight: N config keys + 100 secrets of 10 params")
    secrets = "MAP {" + ", ".join(f"'secret_{s}': [{', '.join(repr(f'P{p}') for p in range(10))}]" for s in range(100)) + "}"
    previous = None
    for keys in (1_000, 10_000, 100_000):
        con.execute(f"SET VARIABLE cfg = map_from_entries([{{'key': 'KEY_' || i, 'value': 'v' || i}} for i in range({keys})])")
        t = timed(con, f"SELECT count(*) FROM flight_env_preview(config := getvariable('cfg'), secrets := {secrets}, access_token_name := 'svc')")
        growth = f"{t / previous:.1f}x for 10x the keys" if previous else ""
        report.line(f"| {keys:,} keys | {t * 1000:.1f} ms per call | {growth} |")
        previous = t


def bench_load(report):
    def once(load):
        code = ("import duckdb,time;t=time.perf_counter();"
                "c=duckdb.connect(config={'allow_unsigned_extensions':'true'});"
                + (f"c.execute(\"LOAD '{EXTENSION}'\");" if load else "")
                + "c.execute('SELECT 1').fetchall();print(time.perf_counter()-t)")
        return float(subprocess.check_output([sys.executable, "-c", code]).decode())
    base = statistics.median(once(False) for _ in range(RUNS))
    loaded = statistics.median(once(True) for _ in range(RUNS))
    report.section("5. LOAD flights_helper (fresh process each run)")
    report.row("start DuckDB, SELECT 1", base, base)
    report.row("start DuckDB, LOAD flights_helper, SELECT 1", loaded, base)


def bench_threads(con, report, floor):
    report.section("6. flight_validate_override at 1 and 2 threads")
    results = {}
    for threads in (1, 2):
        con.execute(f"SET threads = {threads}")
        results[threads] = timed(con, "SELECT sum(len(flight_validate_override(stored, ov))) FROM runs")
        report.row(f"threads = {threads}", results[threads], floor)
    report.note(f"2 threads: {results[1] / results[2]:.2f}x the speed of 1 thread.")


def bench_motherduck_flights(report, flights=200, delay_ms=20):
    """motherduck_flights() over `flights` Flights behind the mock MCP server answering
    each request after `delay_ms`: the default pool of fetching threads against
    one thread (sequential fetching, MOTHERDUCK_MCP_FETCH_THREADS=1), in one run."""
    import tempfile
    mock = os.path.join(ROOT, "extension-ci-tools", "mock_mcp_server.py")
    with tempfile.TemporaryDirectory() as tmp:
        port_file = os.path.join(tmp, "port")
        token = "bench-token-0123456789"
        server = subprocess.Popen([sys.executable, mock, "--port-file", port_file, "--flights", str(flights),
                                   "--delay-ms", str(delay_ms)], env=dict(os.environ, MOCK_MCP_TOKEN=token))
        try:
            for _ in range(100):
                if os.path.exists(port_file):
                    break
                time.sleep(0.05)
            with open(port_file) as f:
                os.environ["MOTHERDUCK_MCP_URL"] = f"http://127.0.0.1:{f.read().strip()}/mcp"
            os.environ["MOTHERDUCK_TOKEN"] = token
            con = connect()
            sql = "SELECT count(*) FROM motherduck_flights()"
            os.environ["MOTHERDUCK_MCP_FETCH_THREADS"] = "1"
            assert con.execute(sql).fetchone()[0] == flights
            sequential = timed(con, sql, runs=3)
            os.environ.pop("MOTHERDUCK_MCP_FETCH_THREADS")
            pooled = timed(con, sql, runs=3)
        finally:
            server.kill()
            server.wait()
            for name in ("MOTHERDUCK_MCP_URL", "MOTHERDUCK_TOKEN", "MOTHERDUCK_MCP_FETCH_THREADS"):
                os.environ.pop(name, None)
    report.section(f"7. motherduck_flights() over {flights} Flights, mock MCP server answering each request after {delay_ms} ms")
    report.line(f"| sequential fetching (MOTHERDUCK_MCP_FETCH_THREADS=1) | {sequential * 1000:.0f} ms | 1.00x | |")
    report.line(f"| default pool of fetching threads | {pooled * 1000:.0f} ms | {pooled / sequential:.2f}x | |")
    report.note(f"motherduck_flights() takes {pooled / sequential:.2f} of the sequential time (goal: at most 0.25).")


class Report:
    def __init__(self):
        self.lines = []

    def line(self, text):
        print(text, flush=True)
        self.lines.append(text)

    def section(self, title):
        self.line("")
        self.line(f"### {title}")
        self.line("")
        self.line("| what | median | vs baseline | rows/s |")
        self.line("|---|---|---|---|")

    def row(self, what, seconds, baseline):
        self.line(f"| {what} | {seconds * 1000:.1f} ms | {seconds / baseline:.2f}x | {ROWS / seconds:,.0f} |")

    def note(self, text):
        self.line("")
        self.line(text)


def main():
    if not os.path.exists(EXTENSION):
        sys.exit(f"{EXTENSION} is missing: run make release")
    report = Report()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    report.line(f"# flights_helper benchmarks")
    report.line("")
    report.line(f"DuckDB {duckdb.__version__} (Python), {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.machine()}; "
                f"median of {RUNS} runs; ratios against the baseline measured in the same run.")
    con = connect()
    make_rows(con)
    floor, _ = bench_validate(con, report)
    bench_effective(con, report, floor)
    bench_changes(con, report, floor)
    bench_threads(con, report, floor)
    con.execute(f"SET threads = {os.cpu_count()}")
    bench_preview(con, report)
    bench_load(report)
    bench_motherduck_flights(report)
    with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
        f.write("\n".join(report.lines) + "\n")


if __name__ == "__main__":
    main()
