#!/usr/bin/env python3
"""make test-live: a read-only smoke test of the MotherDuck functions against the
real MCP endpoint (MOTHERDUCK_MCP_URL, default https://api.motherduck.com/mcp).

Runs only when MOTHERDUCK_TOKEN (or motherduck_token) is set; otherwise says that it
skipped and exits 0. Read-only: list_flights, get_flight, list_flight_versions and
list_flight_runs (through motherduck_flights, motherduck_flight,
motherduck_flight_versions, motherduck_flight_runs) on the first Flight listed.
Not part of make test.
"""
import os
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXTENSION = os.path.join(ROOT, "build", "release", "flights_helper.duckdb_extension")


def main():
    token = os.environ.get("MOTHERDUCK_TOKEN") or os.environ.get("motherduck_token")
    if not token:
        print("test-live: SKIPPED: MOTHERDUCK_TOKEN is not set; set it to a MotherDuck access token to run "
              "the read-only smoke test against the real MCP endpoint")
        return 0
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"LOAD '{EXTENSION}'")
    shown = []

    def run(label, sql, params=()):
        rel = con.execute(sql, params)
        columns = [d[0] for d in rel.description]
        rows = rel.fetchall()
        text = repr(rows)
        assert token not in text, f"{label}: the token appears in the result"
        print(f"ok   {label}: {len(rows)} row(s), columns {', '.join(columns)}")
        shown.append(text)
        return rows

    flights = run("list + get (motherduck_flights)",
                  "SELECT flight_id, flight_name, current_version, created_at FROM motherduck_flights()")
    if not flights:
        print("test-live: the token's user has no Flights; list_flights answered, nothing more to read")
        return 0
    first = flights[0][0]
    print(f"     first Flight: {flights[0][1]} ({first})")
    run("get (motherduck_flight)", "SELECT * FROM motherduck_flight(?)", [first])
    run("versions (motherduck_flight_versions)", 'SELECT * FROM motherduck_flight_versions(?, "limit" := 5)', [first])
    run("runs (motherduck_flight_runs)", 'SELECT * FROM motherduck_flight_runs(?, "limit" := 5)', [first])
    print("test-live: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
