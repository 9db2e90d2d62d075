#!/usr/bin/env python3
"""Write the function docs from their one source: the built extension's flights_helper_functions().

The rows live once, in src/sql/docs.rs. This script loads the built
extension, reads ``flights_helper_functions()`` and writes

* ``docs/function_descriptions.csv``: the columns DuckDB's community
  extensions docs read, ``function,description,comment,example`` (their
  generate_md.sh joins it on ``function`` with what ``duckdb_functions()``
  lists after LOAD, and shows description, comment and example);
* the README's function reference table, between the markers
  ``<!-- function-reference:begin -->`` and ``<!-- function-reference:end -->``;
* README's picture of the fleet audit, docs/fleet_audit.svg (fleet_chart.py; writing it needs
  matplotlib, which ``make docs`` has in .venv/notebooks; ``--check`` compares its rows only).

With ``--check`` it writes nothing: it exits 1 when either file differs from
what it would write (run ``make docs``), when DuckDB's ``read_csv`` does not
read the CSV back as those four columns with a description and an example for
every function the extension adds to ``duckdb_functions()``, or when an
example fails: every function's, and description.yml's ``docs.hello_world``
(the community page's first example), which must run offline (it runs with
the MotherDuck variables unset). Examples of functions that call
MotherDuck (``needs_motherduck``) run only against a mock MCP server on
loopback (``MOTHERDUCK_MCP_URL=http://127.0.0.1:...``, as
``with_mock_mcp.sh`` sets it); otherwise they are skipped, never sent to
MotherDuck.

Usage (with a python that has duckdb)::

    python make_docs.py --extension build/release/flights_helper.duckdb_extension [--check]
"""
import argparse
import csv
import io
import os
import sys

import duckdb

import fleet_chart
import description_yml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CSV_PATH = os.path.join("docs", "function_descriptions.csv")
README_PATH = "README.md"
CSV_COLUMNS = ("function", "description", "comment", "example")
DESCRIPTION_PATH = "description.yml"
MOTHERDUCK_VARIABLES = ("MOTHERDUCK_MCP_URL", "MOTHERDUCK_TOKEN", "motherduck_token")
BEGIN = "<!-- function-reference:begin (make docs writes this table from src/sql/docs.rs; do not edit) -->"
END = "<!-- function-reference:end -->"
LOOPBACK_MCP = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")


def connect(extension):
    """Return a fresh in-memory connection with ``extension`` loaded."""
    con = duckdb.connect(":memory:", config={"allow_unsigned_extensions": "true"})
    path = os.path.abspath(extension).replace("'", "''")
    con.execute(f"LOAD '{path}'")
    return con


def read_rows(extension):
    """Return the rows of flights_helper_functions() as dicts, in their order."""
    con = connect(extension)
    try:
        cursor = con.execute("SELECT * FROM flights_helper_functions()")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def render_csv(rows):
    """Return docs/function_descriptions.csv for ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def render_table(rows):
    """Return the README's function reference table (markers included) for ``rows``."""
    lines = [BEGIN, "", "| Function | Kind | Returns | Description |", "|---|---|---|---|"]
    for row in rows:
        lines.append(f"| `{row['signature']}` | {row['fun_type']} | `{row['returns']}` | {row['description']} |")
    lines += ["", END]
    return "\n".join(lines)


def render_readme(readme, rows):
    """Return ``readme`` with the table between the markers replaced; raises ValueError without them."""
    begin = readme.find(BEGIN)
    end = readme.find(END)
    if begin < 0 or end < begin:
        raise ValueError(f"{README_PATH} lacks the markers {BEGIN!r} ... {END!r} around the function table")
    return readme[:begin] + render_table(rows) + readme[end + len(END):]


def run_examples(extension, rows):
    """Run each example in a fresh connection; return a list of failure messages."""
    failures = []
    mock = os.environ.get("MOTHERDUCK_MCP_URL", "").startswith(LOOPBACK_MCP)
    for row in rows:
        if row["needs_motherduck"] and not mock:
            print(f"make_docs: not running the example of {row['function']}: it needs MotherDuck "
                  "(run under tools/with_mock_mcp.sh)", file=sys.stderr)
            continue
        con = connect(extension)
        try:
            con.execute(row["example"]).fetchall()
        except duckdb.Error as e:
            failures.append(f"the example of {row['function']} fails: {row['example']}\n    {e}")
        finally:
            con.close()
    return failures


def check_community_csv(extension):
    """Read the CSV as the community docs do; return a list of problems (see the module docstring)."""
    csv_path = os.path.abspath(CSV_PATH).replace("'", "''")
    con = duckdb.connect(":memory:")
    try:
        before = {r[0] for r in con.execute("SELECT function_name FROM duckdb_functions()").fetchall()}
    finally:
        con.close()
    con = connect(extension)
    try:
        added = sorted({r[0] for r in con.execute("SELECT function_name FROM duckdb_functions()").fetchall()} - before)
        read = con.execute(f"SELECT * FROM read_csv('{csv_path}')")
        columns = tuple(d[0] for d in read.description)
        if columns != CSV_COLUMNS:
            return [f"read_csv reads {CSV_PATH} as the columns {columns}, not {CSV_COLUMNS}"]
        documented = {r[0]: r for r in read.fetchall()}
    finally:
        con.close()
    return [f"{CSV_PATH} has no description and example for {name}, which the extension adds to duckdb_functions()"
            for name in added
            if name not in documented or not documented[name][1] or not documented[name][3]]


def run_hello_world(extension):
    """Run description.yml's docs.hello_world offline, in a fresh connection; return a list of problems."""
    try:
        hello = description_yml.read(DESCRIPTION_PATH)["docs.hello_world"]
    except (OSError, ValueError, KeyError) as e:
        return [f"cannot read docs.hello_world of {DESCRIPTION_PATH}: {e!r}"]
    saved = {name: os.environ.pop(name) for name in MOTHERDUCK_VARIABLES if name in os.environ}
    con = connect(extension)
    try:
        for statement in con.extract_statements(hello):
            con.execute(statement.query).fetchall()
    except duckdb.Error as e:
        return [f"docs.hello_world of {DESCRIPTION_PATH} fails offline: {e}"]
    finally:
        con.close()
        os.environ.update(saved)
    return []


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extension", required=True, help="the built flights_helper.duckdb_extension")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    try:
        rows = read_rows(args.extension)
        with open(README_PATH, encoding="utf-8") as f:
            readme = f.read()
        wanted = {CSV_PATH: render_csv(rows), README_PATH: render_readme(readme, rows)}
    except (OSError, ValueError, duckdb.Error) as e:
        print(f"make_docs: error: {e}", file=sys.stderr)
        return 1
    if not args.check:
        os.makedirs(os.path.dirname(CSV_PATH), exist_ok=True)
        for path, text in wanted.items():
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        print(f"wrote {CSV_PATH} and the function table of {README_PATH} ({len(rows)} functions)")
        print(fleet_chart.write(args.extension))
        return 0
    problems = []
    for path, text in wanted.items():
        try:
            with open(path, encoding="utf-8", newline="") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            problems.append(f"{path} is stale: it does not match flights_helper_functions() "
                            "(src/sql/docs.rs); run make docs")
    problems += check_community_csv(args.extension)
    problems += run_examples(args.extension, rows)
    problems += fleet_chart.check_data(args.extension)
    problems += run_hello_world(args.extension)
    for problem in problems:
        print(f"make_docs: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"docs are current ({len(rows)} functions; read_csv reads the CSV as the community docs do; "
          f"the examples and description.yml's hello_world run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
