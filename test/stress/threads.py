#!/usr/bin/env python3
"""Every scalar function over STRESS_ROWS rows (default 10,000,000) gives identical
results at `SET threads = 1` and at the machine's maximum.

Each function's results are folded into one order-independent checksum per
thread setting (sum of DuckDB's hash of every result, with the row id), so
10 million rows need no storage. Run with `make stress`.
"""
import os
import sys
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.path.join(ROOT, "build", "release", "flights_helper.duckdb_extension")
ROWS = int(os.environ.get("STRESS_ROWS", "10000000"))

FLIGHT_FINDINGS = ("flight_findings({'config': stored, 'source_code': source, "
                   "'access_token_name': CASE WHEN i % 2 = 0 THEN 'svc' END, 'schedule_cron': '*/5 * * * *', "
                   "'max_runtime_sec': i % 600, 'requirements_txt': 'duckdb==1.5.' || (i % 8)})")

CALLS = {
    "flight_validate_override": "flight_validate_override(stored, ov)",
    "flight_override_is_valid": "flight_override_is_valid(stored, ov)",
    "flight_effective_config": "CASE WHEN flight_override_is_valid(stored, ov) THEN flight_effective_config(stored, ov) END",
    "flight_config_changes": "flight_config_changes(stored, ov)",
    "flight_config_to_json": "flight_config_to_json(stored)",
    "flight_config_from_json": "flight_config_from_json(json)",
    "flight_secret_env_name": "flight_secret_env_name(secret, param, naming)",
    "flight_source_env_reads": "flight_source_env_reads(source)",
    "flights_helper_version": "flights_helper_version()",
    "flight_findings": FLIGHT_FINDINGS,
    "flight_env": "flight_env({'config': stored, 'access_token_name': CASE WHEN i % 2 = 0 THEN 'svc' END})",
}

# A table of Flights fits in one row group (122,880 rows), which DuckDB scans on one thread: there
# flight_findings shares each chunk among the threads left idle (src/sql/parallel.rs), here checked too.
ONE_ROW_GROUP = {"flight_findings (one row group)": (FLIGHT_FINDINGS, "rows WHERE i < 120000")}


def main():
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{EXTENSION}'")
    max_threads = os.cpu_count() or 2
    start = time.perf_counter()
    con.execute(f"""
        CREATE TABLE rows AS
        SELECT i,
               CASE WHEN i % 101 = 0 THEN NULL ELSE MAP {{'REGION': 'us', 'BATCH_SIZE': CAST(i % 1000 AS VARCHAR), 'K' || (i % 7): 'v'}} END AS stored,
               CASE WHEN i % 103 = 0 THEN NULL WHEN i % 10 = 0 THEN MAP {{'REGON': 'eu'}} WHEN i % 10 = 1 THEN MAP {{'REGION': NULL}}
                    ELSE MAP {{'REGION': 'eu-' || (i % 13)}} END AS ov,
               CASE WHEN i % 97 = 0 THEN NULL ELSE '{{"A": "' || (i % 100) || '", "B": "x"}}' END AS json,
               'secret_' || (i % 50) AS secret, CASE WHEN i % 3 = 0 THEN 'api_key' ELSE 'API_KEY' END AS param,
               CASE WHEN i % 2 = 0 THEN 'upper' ELSE 'lower' END AS naming,
               CASE WHEN i % 89 = 0 THEN NULL ELSE 'import os' || chr(10) || 'x = os.environ["KEY_' || (i % 100) || '"]' END AS source
        FROM range({ROWS}) t(i)""")
    print(f"{ROWS:,} rows built in {time.perf_counter() - start:.1f} s; threads 1 vs {max_threads}", flush=True)
    failures = 0
    checks = {name: (call, "rows") for name, call in CALLS.items()} | ONE_ROW_GROUP
    for name, (call, table) in checks.items():
        sums = {}
        for threads in (1, max_threads):
            con.execute(f"SET threads = {threads}")
            t = time.perf_counter()
            sums[threads] = con.execute(f"SELECT sum(hash(i, {call})), count({call}) FROM {table}").fetchone()
            print(f"  {name:28} threads={threads}: checksum {sums[threads][0]} over {sums[threads][1]:,} non-NULL results "
                  f"({time.perf_counter() - t:.1f} s)", flush=True)
        same = sums[1] == sums[max_threads]
        failures += not same
        print(f"{'ok  ' if same else 'DIFF'} {name}", flush=True)
    print(f"threads: {len(checks) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
