#!/usr/bin/env python3
"""Run the example notebooks headless and fail on any error output (make test-notebooks).

Runs with the python of .venv/notebooks (tools/requirements-notebooks.txt), from the repository
root, after ``make repository``:

* examples/flights_helper.ipynb (Jupyter): executed by nbclient on a kernel of this very python
  (the ``python3`` kernel spec of the venv; a last cell added in memory checks the kernel's
  sys.executable), written executed to <out>/flights_helper.ipynb;
* examples/fleet_audit.py (marimo): ``marimo export html`` to <out>/fleet_audit.html, whose
  exit status and embedded session (each cell's outputs and console) are checked.

A failure is: an ``error`` output, anything on stderr inside the notebook (JupySQL prints some
database errors there), a non-zero export, or a missing sign of the two things both notebooks must
show: the documented example's environment (``MY_API_SECRET_API_KEY``) and the chart (an image).
Besides: the committed .ipynb carries no outputs, and both notebooks hold the fleet table of
examples/fleet.sql and the query of README's picture (tools/fleet_chart.py) word for word.

Each notebook runs as a fresh user: HOME is a new folder under <out>, so INSTALL puts the
extension in <out>/.../.duckdb and nothing of the machine's own Jupyter, marimo or DuckDB
settings is read; PYTHONPYCACHEPREFIX keeps marimo's __marimo__/ session files out of examples/.

Usage::

    .venv/notebooks/bin/python tools/run_notebooks.py [--out build/notebooks]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from fleet_chart import FINDINGS_PER_FLIGHT  # noqa: E402  (needs tools/ on the path)

JUPYTER = os.path.join("examples", "flights_helper.ipynb")
MARIMO = os.path.join("examples", "fleet_audit.py")
FLEET_SQL = os.path.join("examples", "fleet.sql")
DOCUMENTED_VAR = "MY_API_SECRET_API_KEY"
KERNEL_PROBE = "import sys; print('kernel python:', sys.executable)"
CELL_TIMEOUT = 120
EXPORT_TIMEOUT = 300


def normalized(text):
    """``text`` with SQL comments dropped and runs of whitespace made one space."""
    text = re.sub(r"--[^\n]*", "", text)
    return " ".join(text.split())


def fleet_statement():
    """The CREATE statement of examples/fleet.sql, normalized."""
    with open(os.path.join(ROOT, FLEET_SQL), encoding="utf-8") as f:
        return normalized(f.read()).rstrip(" ;")


def fresh_env(out, name):
    """The environment of a notebook run: a new HOME, no Jupyter paths of the machine, no update checks."""
    home = os.path.join(out, f"{name}-home")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "IPYTHON", "MPL"))}
    env.update(HOME=home, PYTHONPYCACHEPREFIX=os.path.join(out, "pycache"), MARIMO_SKIP_UPDATE_CHECK="1",
               MPLCONFIGDIR=os.path.join(out, "matplotlib"),  # its font cache, kept between runs
               PLOOMBER_STATS_ENABLED="false", PLOOMBER_VERSION_CHECK_DISABLED="1")
    return env


def check_sources():
    """Problems of the committed notebooks themselves (no run needed)."""
    problems = []
    nb = nbformat.read(os.path.join(ROOT, JUPYTER), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            problems.append(f"{JUPYTER}: cell {cell.get('id')} carries outputs; commit it cleared "
                            "(jupyter nbconvert --clear-output --inplace, or Edit > Clear Outputs of All Cells)")
    jupyter_source = "\n".join(cell.source for cell in nb.cells)
    jupyter_text = normalized(jupyter_source)
    with open(os.path.join(ROOT, MARIMO), encoding="utf-8") as f:
        marimo_text = normalized(f.read().replace("{{", "{").replace("}}", "}"))
    query = normalized(FINDINGS_PER_FLIGHT)
    for path, text in ((JUPYTER, jupyter_text), (MARIMO, marimo_text)):
        if query not in text:
            problems.append(f"{path} lacks the query README's picture is drawn from "
                            "(FINDINGS_PER_FLIGHT in tools/fleet_chart.py): keep the two the same")
    if f"%sql --file {FLEET_SQL}" not in jupyter_source:
        problems.append(f"{JUPYTER} no longer reads {FLEET_SQL} (%sql --file {FLEET_SQL})")
    if fleet_statement() not in marimo_text:
        problems.append(f"{MARIMO}'s fleet table differs from {FLEET_SQL}: keep the copy the same")
    return problems


def output_problems(where, outputs):
    """Problems of one cell's outputs (nbformat output dicts)."""
    problems = []
    for output in outputs:
        kind = output.get("output_type") or output.get("type")
        if kind == "error":
            problems.append(f"{where}: {output.get('ename')}: {output.get('evalue')}")
        elif kind == "stream" and output.get("name") == "stderr":
            problems.append(f"{where}: printed on stderr: {output.get('text', '').strip()[:2000]}")
    return problems


def run_jupyter(path, out):
    """Execute the Jupyter notebook ``path`` (from the root); return (problems, seconds)."""
    started = time.monotonic()
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(os.path.join(ROOT, path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(KERNEL_PROBE, id="kernel-probe"))
    env = fresh_env(out, name)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits it; jupyter_client's paths follow HOME too
    try:
        client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT, allow_errors=True,
                                resources={"metadata": {"path": ROOT}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    problems, text, images = [], [], 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        problems += output_problems(f"{path} cell {cell.get('id')}", cell.outputs)
        for output in cell.outputs:
            data = output.get("data", {})
            text.append(output.get("text", "") + data.get("text/plain", "") + data.get("text/html", ""))
            images += any(k.startswith("image/") for k in data)
    probe = nb.cells.pop()
    ran_on = "".join(o.get("text", "") for o in probe.outputs).strip()
    if ran_on != f"kernel python: {sys.executable}":
        problems.append(f"{path} ran on another python ({ran_on!r}), not {sys.executable}: "
                        "a kernel spec outside .venv/notebooks won")
    if DOCUMENTED_VAR not in "".join(text):
        problems.append(f"{path}: no output shows {DOCUMENTED_VAR} (the documented example's environment)")
    if images == 0:
        problems.append(f"{path}: no output is an image (the chart)")
    nbformat.write(nb, os.path.join(out, f"{name}.ipynb"))
    return problems, time.monotonic() - started


def marimo_session(html_text):
    """The session (cells with outputs and console) embedded in marimo's exported HTML, or None."""
    for line in html_text.splitlines():
        line = line.strip()
        if line.startswith('"session":'):
            return json.loads(line[len('"session":'):].rstrip(","))
    return None


def run_marimo(path, out):
    """Export the marimo notebook ``path`` (from the root) to HTML; return (problems, seconds)."""
    started = time.monotonic()
    name = os.path.splitext(os.path.basename(path))[0]
    html_path = os.path.join(out, f"{name}.html")
    marimo = os.path.join(os.path.dirname(sys.executable), "marimo")
    command = [marimo, "export", "html", os.path.join(ROOT, path), "-o", html_path, "-f"]
    result = subprocess.run(command, cwd=ROOT, env=fresh_env(out, name), capture_output=True,
                            text=True, timeout=EXPORT_TIMEOUT, check=False)
    problems = []
    if result.returncode != 0:
        problems.append(f"marimo export html {path} exited {result.returncode}:\n"
                        f"{result.stdout.strip()}\n{result.stderr.strip()}")
    try:
        with open(html_path, encoding="utf-8") as f:
            session = marimo_session(f.read())
    except OSError:
        session = None
    if session is None:
        return problems + [f"{html_path} holds no session (marimo's export format changed?)"], 0.0
    text, images = [], 0
    for cell in session["cells"]:
        where = f"{path} cell {cell.get('id')}"
        problems += output_problems(where, cell.get("outputs", []) + cell.get("console", []))
        for output in cell.get("outputs", []):
            blob = json.dumps(output.get("data", {}))
            text.append(blob)
            images += "image/png" in blob or "image/svg+xml" in blob
    if DOCUMENTED_VAR not in "".join(text):
        problems.append(f"{path}: no output shows {DOCUMENTED_VAR} (the documented example's environment)")
    if images == 0:
        problems.append(f"{path}: no output is an image (the chart)")
    return problems, time.monotonic() - started


# Notebooks the checks must fail, and what each failure must be reported as (the self-test).
BROKEN_JUPYTER = [
    "import duckdb\ncon = duckdb.connect()",
    "%load_ext sql\n%sql con",
    "%sql SELECT * FROM no_such_table",
    "raise ValueError('a failing cell')",
]
BROKEN_MARIMO = """import marimo

app = marimo.App()


@app.cell
def _():
    1 / 0
    return


if __name__ == "__main__":
    app.run()
"""
BROKEN_REPORTS = [
    ("jupyter", "printed on stderr"),  # JupySQL prints a missing table on stderr, not as an error
    ("jupyter", "ValueError: a failing cell"),
    ("jupyter", f"no output shows {DOCUMENTED_VAR}"),
    ("jupyter", "no output is an image"),
    ("marimo", "exited 1"),
    ("marimo", "division by zero"),
    ("marimo", "no output is an image"),
]


def selftest(out):
    """Run broken notebooks through the same checks; return the failures they were not reported for."""
    folder = os.path.join(out, "selftest")
    os.makedirs(folder, exist_ok=True)
    jupyter_path = os.path.join(folder, "broken.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in BROKEN_JUPYTER]),
                   jupyter_path)
    marimo_path = os.path.join(folder, "broken_marimo.py")
    with open(marimo_path, "w", encoding="utf-8") as f:
        f.write(BROKEN_MARIMO)
    reported = {"jupyter": run_jupyter(jupyter_path, folder)[0], "marimo": run_marimo(marimo_path, folder)[0]}
    return [f"self-test: a broken {kind} notebook was not reported for {want!r} (reported: {reported[kind]})"
            for kind, want in BROKEN_REPORTS if not any(want in problem for problem in reported[kind])]


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("build", "notebooks"),
                        help="where the executed notebook, the HTML and the fresh HOMEs go")
    args = parser.parse_args(argv)
    out = os.path.abspath(os.path.join(ROOT, args.out))
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    results = [("the committed notebooks", check_sources(), time.monotonic() - started)]
    started = time.monotonic()
    results.append(("the checks fail broken notebooks", selftest(out), time.monotonic() - started))
    results.append((JUPYTER, *run_jupyter(JUPYTER, out)))
    results.append((MARIMO, *run_marimo(MARIMO, out)))
    for name, problems, seconds in results:
        for problem in problems:
            print(f"run_notebooks: {problem}", file=sys.stderr)
        print(f"{'FAIL' if problems else 'ok'}: {name} ({seconds:.1f} s)")
    print(f"outputs in {os.path.relpath(out, ROOT)}/: flights_helper.ipynb (executed), fleet_audit.html")
    failed = sum(1 for _, problems, _ in results if problems)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
