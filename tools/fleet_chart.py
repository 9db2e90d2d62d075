#!/usr/bin/env python3
"""README's picture of the fleet audit: docs/fleet_audit.svg.

The picture is drawn from SQL results, as in the notebooks: the built extension loads into a fresh
DuckDB, ``examples/fleet.sql`` creates the fleet table, ``FINDINGS_PER_FLIGHT`` (the query both
notebooks show) counts each Flight's findings per severity, and ``examples/findings_chart.py`` (the
notebooks' drawing) draws them.

The SVG is deterministic: no date, text kept as text, ids salted with a fixed string, matplotlib
pinned (tools/requirements-notebooks.txt); its metadata carries the rows it was drawn from
(``<dc:description>``) and the matplotlib version (``<dc:creator>``).

Modes:

* write (``make docs``, needs matplotlib: .venv/notebooks): writes docs/fleet_audit.svg;
* ``--check-data`` (``make test-docs``, needs only duckdb): exits 1 when the rows in the SVG differ
  from what the query gives now (a rule, the fleet or the query changed: run make docs);
* ``--check`` (``make test-notebooks``, needs matplotlib): redraws and exits 1 unless the SVG is
  byte for byte what the drawing code gives (the drawing changed: run make docs).

Usage::

    python fleet_chart.py --extension build/release/flights_helper.duckdb_extension [--check-data | --check]
"""
import argparse
import html
import io
import json
import os
import re
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SVG_PATH = os.path.join("docs", "fleet_audit.svg")
FLEET_SQL = os.path.join("examples", "fleet.sql")
DATA_PREFIX = "fleet audit rows (flight_name, error, warning, info): "

# The query both notebooks show (tools/run_notebooks.py checks they hold it, whitespace aside).
FINDINGS_PER_FLIGHT = """
WITH audit AS (
    SELECT flight_name, flight_findings(v) AS findings FROM my_flight_versions v
)
SELECT flight_name,
       len(list_filter(findings, lambda f: f.severity = 'error'))   AS error,
       len(list_filter(findings, lambda f: f.severity = 'warning')) AS warning,
       len(list_filter(findings, lambda f: f.severity = 'info'))    AS info
FROM audit
ORDER BY error DESC, warning DESC, info DESC, flight_name
"""


def query_rows(extension):
    """Return FINDINGS_PER_FLIGHT's rows over examples/fleet.sql, as lists."""
    con = duckdb.connect(":memory:", config={"allow_unsigned_extensions": "true"})
    try:
        path = os.path.abspath(extension).replace("'", "''")
        con.execute(f"LOAD '{path}'")
        with open(os.path.join(ROOT, FLEET_SQL), encoding="utf-8") as f:
            con.execute(f.read())
        return [list(row) for row in con.execute(FINDINGS_PER_FLIGHT).fetchall()]
    finally:
        con.close()


def render_svg(rows):
    """Return the SVG text of the chart of ``rows`` (needs matplotlib)."""
    import matplotlib

    sys.path.insert(0, os.path.join(ROOT, "examples"))
    from findings_chart import TITLE, plot_findings

    settings = {"svg.hashsalt": "flights_helper", "svg.fonttype": "none", "font.family": "sans-serif",
                "font.sans-serif": ["DejaVu Sans"]}
    with matplotlib.rc_context(settings):
        fig = plot_findings(rows)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={
            "Date": None, "Title": TITLE, "Description": DATA_PREFIX + json.dumps(rows)})
    return out.getvalue()


def rows_in_svg(svg):
    """Return the rows recorded in an SVG written by render_svg, or None."""
    match = re.search(r"<dc:description>(.*?)</dc:description>", svg, re.S)
    if not match or not html.unescape(match.group(1)).startswith(DATA_PREFIX):
        return None
    return json.loads(html.unescape(match.group(1))[len(DATA_PREFIX):])


def read_svg():
    """Return the committed SVG's text, or None when it is missing."""
    try:
        with open(os.path.join(ROOT, SVG_PATH), encoding="utf-8", newline="") as f:
            return f.read()
    except OSError:
        return None


def write(extension):
    """Write docs/fleet_audit.svg; return a line saying so."""
    rows = query_rows(extension)
    with open(os.path.join(ROOT, SVG_PATH), "w", encoding="utf-8", newline="") as f:
        f.write(render_svg(rows))
    return f"wrote {SVG_PATH} ({len(rows)} Flights)"


def check_data(extension):
    """Return a list of problems: empty when the SVG's rows are what the query gives now."""
    svg = read_svg()
    if svg is None:
        return [f"{SVG_PATH} is missing; run make docs"]
    try:
        now = query_rows(extension)
    except (OSError, duckdb.Error) as e:
        return [f"the fleet audit of {FLEET_SQL} fails: {e}"]
    drawn = rows_in_svg(svg)
    if drawn != now:
        return [f"{SVG_PATH} is stale: it shows {drawn}, the fleet audit gives {now}; run make docs"]
    return []


def check(extension):
    """Return a list of problems: empty when the SVG is exactly what the drawing code writes now."""
    problems = check_data(extension)
    if not problems and read_svg() != render_svg(query_rows(extension)):
        problems.append(f"{SVG_PATH} differs from what examples/findings_chart.py draws now; run make docs")
    return problems


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extension", required=True, help="the built flights_helper.duckdb_extension")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check-data", action="store_true", help="exit 1 when the SVG's rows are stale")
    mode.add_argument("--check", action="store_true", help="exit 1 unless the SVG is exactly what it would write")
    args = parser.parse_args(argv)
    if not (args.check or args.check_data):
        print(write(args.extension))
        return 0
    problems = check(args.extension) if args.check else check_data(args.extension)
    for problem in problems:
        print(f"fleet_chart: {problem}", file=sys.stderr)
    if not problems:
        print(f"{SVG_PATH} is current")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
