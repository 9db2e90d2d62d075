#!/usr/bin/env python3
"""Calls each function 10,000 times in one process and reports the growth of the
process's resident memory (target: no growth beyond noise, under 10 MB).

A warm-up of 1,000 calls comes first, so allocator pools and DuckDB's caches
are in place before the baseline is read. Run with `make stress`.
"""
import gc
import os
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.path.join(ROOT, "build", "release", "flights_helper.duckdb_extension")
CALLS = int(os.environ.get("MEMORY_CALLS", "10000"))
LIMIT_MB = 10.0

SECRETS = "MAP {'my_api_secret': MAP {'API_KEY': 'k', 'ENDPOINT': 'e'}, 'other': ['TOKEN']}"
CONFIG = "MAP {'REGION': 'us', 'BATCH_SIZE': '1000', 'OPENAI_API_KEY': 'sk-abcdefghijklmnopqrstuvwxyz'}"
QUERIES = {
    "flight_env_preview": f"SELECT count(*) FROM flight_env_preview(config := {CONFIG}, override := MAP {{'REGION': 'eu'}}, secrets := {SECRETS}, bare_aliases := true)",
    "flight_check": f"SELECT count(*) FROM flight_check(config := {CONFIG}, override := MAP {{'REGON': 'eu'}}, secrets := {SECRETS}, flight_secret_names := ['my_api_secret', 'gone'])",
    "flight_env_preview (error)": "SELECT count(*) FROM flight_env_preview(config := MAP {'A': NULL})",
    "flight_source_check": f"SELECT count(*) FROM flight_source_check('import os' || chr(10) || 'x = os.environ[\"API_KEY\"]' || chr(10) || 'y = os.getenv(\"REGION\")', config := {CONFIG}, secrets := {SECRETS})",
    "flight_config_diff": "SELECT count(*) FROM flight_config_diff(MAP {'A': '1', 'B': '2'}, MAP {'A': '3', 'C': '4'}, mode := 'run', include_unchanged := true)",
    "flight_config_changes": "SELECT len(flight_config_changes(MAP {'A': '1', 'B': '2'}, MAP {'A': '3', 'C': '4'}))",
    "flight_validate_override": "SELECT len(flight_validate_override(MAP {'REGION': 'us'}, MAP {'REGON': 'eu', 'REGION': NULL}))",
    "flight_override_is_valid": "SELECT flight_override_is_valid(MAP {'REGION': 'us'}, MAP {'REGION': 'eu'})",
    "flight_effective_config": "SELECT cardinality(flight_effective_config(MAP {'REGION': 'us', 'B': '1'}, MAP {'REGION': 'eu'}))",
    "flight_effective_config (error)": "SELECT flight_effective_config(MAP {'REGION': 'us'}, MAP {'X': 'eu'})",
    "flight_config_from_json": "SELECT cardinality(flight_config_from_json('{\"A\": \"1\", \"B\": \"2\"}'))",
    "flight_config_from_json (error)": "SELECT flight_config_from_json('{\"A\": 1}')",
    "flight_config_to_json": "SELECT flight_config_to_json(MAP {'A': '1', 'B': NULL})",
    "flight_secret_env_name": "SELECT flight_secret_env_name('my_api_secret', 'API_KEY', 'lower')",
    "flight_source_env_reads": "SELECT len(flight_source_env_reads('import os' || chr(10) || 'x = os.environ[\"A\"]'))",
    "flights_helper_version": "SELECT flights_helper_version()",
}


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(con, sql, times):
    for _ in range(times):
        try:
            con.execute(sql).fetchall()
        except duckdb.Error:
            pass


def main():
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{EXTENSION}'")
    failures = 0
    print(f"{'function':34} {'before MB':>10} {'after MB':>10} {'growth MB':>10}  ({CALLS:,} calls each)")
    for name, sql in QUERIES.items():
        run(con, sql, 1000)
        gc.collect()
        before = rss_mb()
        run(con, sql, CALLS)
        gc.collect()
        after = rss_mb()
        growth = after - before
        failures += growth >= LIMIT_MB
        print(f"{name:34} {before:10.1f} {after:10.1f} {growth:10.2f}  {'ok' if growth < LIMIT_MB else 'GROWS'}", flush=True)
    print(f"memory: {len(QUERIES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
