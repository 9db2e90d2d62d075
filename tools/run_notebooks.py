#!/usr/bin/env python3
"""Run the example notebooks headless and fail on any error output (make test-notebooks).

Runs with the python of .venv/notebooks, from the repository root, after ``make repository`` and
``setup_venv.sh notebooks notebooks-1.5``. Each notebook runs in each environment of
``ENVIRONMENTS``: .venv/notebooks (tools/requirements-notebooks.txt, DuckDB 2.0.1) and
.venv/notebooks-1.5 (tools/requirements-notebooks-1.5.txt, the same but DuckDB 1.5.6):

* examples/flights_helper.ipynb (Jupyter): executed by nbclient on a kernel of that environment's
  python (the ``python3`` kernel spec of the venv; a last cell added in memory checks the kernel's
  sys.executable), written executed to <out>/<run>/flights_helper.ipynb;
* examples/fleet_audit.py (marimo): ``marimo export html`` to <out>/<run>/fleet_audit.html, whose
  exit status and embedded session (each cell's outputs and console) are checked.

Runs (each notebook in each): ``duckdb-2.0`` and ``duckdb-1.5``, a fresh user whom the notebook
installs flights_helper for; ``elsewhere`` (DuckDB 2.0.1), a user who already has it, installed
before the run from another repository (<out>/elsewhere-repository, footer version
``ELSEWHERE_VERSION``), whom the notebook must load that build for, installing nothing (an INSTALL
from build/repository would be refused: "the origin is different"). Every run must print the line
saying which build was loaded (``LOADED``) with the expected extension version, origin and DuckDB.

A failure is: an ``error`` output, anything on stderr inside the notebook (JupySQL prints some
database errors there), a non-zero export, a missing or wrong ``LOADED`` line, or a missing sign of
the two things both notebooks must show: the documented example's environment
(``MY_API_SECRET_API_KEY``) and the chart (an image). Besides: the committed .ipynb carries no
outputs, both notebooks hold the fleet table of examples/fleet.sql and the query of README's picture
(tools/fleet_chart.py) word for word, and the two requirements files differ in the duckdb pin only.
Broken notebooks go through the same checks first, which must fail them (the self-test).

Each run is a fresh user: HOME is a new folder under <out>, so INSTALL puts the extension in
<out>/<run>/<jupyter|marimo>-home/.duckdb and nothing of the machine's own Jupyter, marimo or DuckDB
settings is read; PYTHONPYCACHEPREFIX keeps marimo's __marimo__/ session files out of examples/.
Each run is this script again (``--worker``) under the environment's python, ``--jobs`` at a time.

Usage::

    .venv/notebooks/bin/python tools/run_notebooks.py --extension build/release/flights_helper.duckdb_extension \\
        [--out build/notebooks] [--jobs 2]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import nbformat
from nbclient import NotebookClient

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # real: as Path.resolve() says it
sys.path.insert(0, os.path.join(ROOT, "tools"))
from append_metadata import read_footer  # noqa: E402  (needs tools/ on the path)
from fleet_chart import FINDINGS_PER_FLIGHT  # noqa: E402
from make_repository import build_repository  # noqa: E402

JUPYTER = os.path.join("examples", "flights_helper.ipynb")
MARIMO = os.path.join("examples", "fleet_audit.py")
FLEET_SQL = os.path.join("examples", "fleet.sql")
REPOSITORY = os.path.join(ROOT, "build", "repository")
# (run name, DuckDB version, venv under .venv/, requirements file); the first is also the self-test's.
ENVIRONMENTS = (("duckdb-2.0", "2.0.1", "notebooks", "tools/requirements-notebooks.txt"),
                ("duckdb-1.5", "1.5.6", "notebooks-1.5", "tools/requirements-notebooks-1.5.txt"))
ELSEWHERE_VERSION = "v0.0.1-elsewhere"  # the prior install's footer version, unlike any build of ours
DOCUMENTED_VAR = "MY_API_SECRET_API_KEY"
# The line both notebooks print after loading: the build (footer version), its origin, the DuckDB.
LOADED = re.compile(r"^flights_helper (\S+) \(installed from (.*)\) loaded on DuckDB (\S+)$", re.MULTILINE)
KERNEL_PROBE = "import sys; print('kernel python:', sys.executable)"
CELL_TIMEOUT = 120
EXPORT_TIMEOUT = 300
RUN_TIMEOUT = 600
RESULT_PREFIX = "run_notebooks result: "


def normalized(text):
    """``text`` with SQL comments dropped and runs of whitespace made one space."""
    text = re.sub(r"--[^\n]*", "", text)
    return " ".join(text.split())


def fleet_statement():
    """The CREATE statement of examples/fleet.sql, normalized."""
    with open(os.path.join(ROOT, FLEET_SQL), encoding="utf-8") as f:
        return normalized(f.read()).rstrip(" ;")


def fresh_env(out, home):
    """The environment of a notebook run: HOME a new folder, no Jupyter paths of the machine, no update checks."""
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "IPYTHON", "MPL"))}
    env.update(HOME=home, PYTHONPYCACHEPREFIX=os.path.join(out, "pycache"), MARIMO_SKIP_UPDATE_CHECK="1",
               MPLCONFIGDIR=os.path.join(out, "matplotlib"),  # its font cache, kept between runs
               PLOOMBER_STATS_ENABLED="false", PLOOMBER_VERSION_CHECK_DISABLED="1")
    return env


def requirements_pins(path):
    """The pins of a requirements file (its non-comment lines), but duckdb's, and duckdb's pin."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    duckdb_pins = [line for line in lines if line.startswith("duckdb==")]
    return [line for line in lines if not line.startswith("duckdb==")], duckdb_pins


def check_requirements():
    """Problems of the environments' requirements files: the same pins but DuckDB's, each its version."""
    problems = []
    first_pins = None
    for _, version, _, path in ENVIRONMENTS:
        pins, duckdb_pins = requirements_pins(path)
        if duckdb_pins != [f"duckdb=={version}"]:
            problems.append(f"{path} pins {duckdb_pins or 'no duckdb'}, not duckdb=={version} "
                            "(ENVIRONMENTS in tools/run_notebooks.py)")
        if first_pins is None:
            first_pins, first_path = pins, path
        elif pins != first_pins:
            differ = sorted(set(pins) ^ set(first_pins))
            problems.append(f"{path} and {first_path} differ in more than the duckdb pin ({', '.join(differ)}): "
                            "keep the two the same")
    return problems


def check_sources():
    """Problems of the committed notebooks and requirements files themselves (no run needed)."""
    problems = check_requirements()
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
    """Problems of one cell's outputs (nbformat output dicts, or marimo's outputs and console)."""
    problems = []
    for output in outputs:
        kind = output.get("output_type") or output.get("type")
        if kind == "error":
            problems.append(f"{where}: {output.get('ename')}: {output.get('evalue')}")
        elif kind == "stream" and output.get("name") == "stderr":
            problems.append(f"{where}: printed on stderr: {output.get('text', '').strip()[:2000]}")
    return problems


def shown_problems(path, text, images, expect):
    """Problems of what a notebook showed: ``text`` (all its text), ``images`` (how many), ``expect``."""
    problems = []
    if DOCUMENTED_VAR not in text:
        problems.append(f"{path}: no output shows {DOCUMENTED_VAR} (the documented example's environment)")
    if images == 0:
        problems.append(f"{path}: no output is an image (the chart)")
    loaded = LOADED.findall(text)
    want = (expect["extension_version"], expect["origin"], f"v{expect['duckdb']}")
    if not loaded:
        problems.append(f"{path}: no output says which build was loaded "
                        "('flights_helper <version> (installed from <origin>) loaded on DuckDB <version>')")
    elif loaded != [want]:
        problems.append(f"{path}: loaded {loaded}, not {[want]} (extension version, installed from, DuckDB)")
    return problems


def run_jupyter(path, out, expect):
    """Execute the Jupyter notebook ``path`` (from the root) on a kernel of this python; return its problems."""
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(os.path.join(ROOT, path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(KERNEL_PROBE, id="kernel-probe"))
    client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT, allow_errors=True,
                            resources={"metadata": {"path": ROOT}})
    client.execute()  # the kernel inherits this worker's environment (its fresh HOME)
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
                        "a kernel spec outside the environment's venv won")
    nbformat.write(nb, os.path.join(out, f"{name}.ipynb"))
    return problems + shown_problems(path, "\n".join(text), images, expect)


def marimo_session(html_text):
    """The session (cells with outputs and console) embedded in marimo's exported HTML, or None."""
    for line in html_text.splitlines():
        line = line.strip()
        if line.startswith('"session":'):
            return json.loads(line[len('"session":'):].rstrip(","))
    return None


def run_marimo(path, out, expect):
    """Export the marimo notebook ``path`` (from the root) to HTML with this python's marimo; return its problems."""
    name = os.path.splitext(os.path.basename(path))[0]
    html_path = os.path.join(out, f"{name}.html")
    marimo = os.path.join(os.path.dirname(sys.executable), "marimo")
    command = [marimo, "export", "html", os.path.join(ROOT, path), "-o", html_path, "-f"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=EXPORT_TIMEOUT,
                            check=False)
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
        return problems + [f"{html_path} holds no session (marimo's export format changed?)"]
    text, images = [], 0
    for cell in session["cells"]:
        where = f"{path} cell {cell.get('id')}"
        problems += output_problems(where, cell.get("outputs", []) + cell.get("console", []))
        for output in cell.get("outputs", []):
            blob = json.dumps(output.get("data", {}))
            text.append(blob)
            images += "image/png" in blob or "image/svg+xml" in blob
        text += [item.get("text", "") for item in cell.get("console", []) if item.get("name") == "stdout"]
    return problems + shown_problems(path, "\n".join(text), images, expect)


def install_elsewhere(repository):
    """Install flights_helper from ``repository`` for this user (HOME) and tell what DuckDB then says."""
    con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
    con.execute(f"INSTALL flights_helper FROM '{repository}'")
    return con.execute("SELECT extension_version, installed_from FROM duckdb_extensions() "
                       "WHERE extension_name = 'flights_helper'").fetchone()


def worker(spec):
    """One run (``--worker``), in the environment's python with its fresh HOME; return its problems."""
    problems = []
    if duckdb.__version__ != spec["expect"]["duckdb"]:
        problems.append(f"{sys.executable} has DuckDB {duckdb.__version__}, not {spec['expect']['duckdb']}: "
                        "run tools/setup_venv.sh for its environment")
    if spec.get("prior"):
        installed = install_elsewhere(spec["prior"])
        if list(installed) != [ELSEWHERE_VERSION, spec["prior"]]:
            problems.append(f"the prior install is {installed}, not {ELSEWHERE_VERSION} from {spec['prior']}")
    run = run_jupyter if spec["kind"] == "jupyter" else run_marimo
    return problems + run(spec["path"], spec["out"], spec["expect"])


def run_worker(spec):
    """Run ``spec`` as a worker process; return (problems, seconds)."""
    started = time.monotonic()
    if not os.path.exists(spec["python"]):
        venv = os.path.basename(os.path.dirname(os.path.dirname(spec["python"])))
        return [f"no {spec['python']}: run tools/setup_venv.sh {venv} (make test-notebooks does)"], 0.0
    os.makedirs(spec["out"], exist_ok=True)
    env = fresh_env(os.path.dirname(spec["out"]), os.path.join(spec["out"], f"{spec['kind']}-home"))
    command = [spec["python"], os.path.abspath(__file__), "--worker", json.dumps(spec)]
    try:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=RUN_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return [f"{spec['path']}: no result within {RUN_TIMEOUT} s"], time.monotonic() - started
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if result.returncode != 0 or len(lines) != 1:
        problems = [f"{spec['path']}: the run exited {result.returncode} without a result:\n"
                    f"{result.stdout.strip()}\n{result.stderr.strip()[-4000:]}"]
    else:
        problems = json.loads(lines[0][len(RESULT_PREFIX):])
    return problems, time.monotonic() - started


# Notebooks the checks must fail, and what each failure must be reported as (the self-test).
BROKEN_JUPYTER = [
    "import duckdb\ncon = duckdb.connect()",
    "%load_ext sql\n%sql con",
    "%sql SELECT * FROM no_such_table",
    "raise ValueError('a failing cell')",
    "print('flights_helper v0.0.0 (installed from /nowhere) loaded on DuckDB v0.0.0')",
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
    ("jupyter", "loaded [('v0.0.0', '/nowhere', 'v0.0.0')], not"),
    ("marimo", "exited 1"),
    ("marimo", "division by zero"),
    ("marimo", "no output is an image"),
    ("marimo", "no output says which build was loaded"),
]


def selftest_specs(out, expect):
    """The runs of the broken notebooks (written under <out>/selftest), in the first environment."""
    folder = os.path.join(out, "selftest")
    os.makedirs(folder, exist_ok=True)
    jupyter_path = os.path.join(folder, "broken.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in BROKEN_JUPYTER]),
                   jupyter_path)
    marimo_path = os.path.join(folder, "broken_marimo.py")
    with open(marimo_path, "w", encoding="utf-8") as f:
        f.write(BROKEN_MARIMO)
    name, version, venv, _ = ENVIRONMENTS[0]
    python = os.path.join(ROOT, ".venv", venv, "bin", "python")
    return {kind: {"kind": kind, "path": path, "python": python, "out": os.path.join(folder, kind),
                   "expect": dict(expect, duckdb=version)}
            for kind, path in (("jupyter", jupyter_path), ("marimo", marimo_path))}


def selftest_problems(reported):
    """The broken notebooks' failures that were not reported; ``reported``: kind -> problems."""
    return [f"self-test: a broken {kind} notebook was not reported for {want!r} (reported: {reported[kind]})"
            for kind, want in BROKEN_REPORTS if not any(want in problem for problem in reported[kind])]


def notebook_specs(out, extension_version, elsewhere):
    """(label, spec) of every run of the two notebooks: each in each environment, then with a prior install."""
    specs = []
    runs = [(name, version, venv, None) for name, version, venv, _ in ENVIRONMENTS]
    runs.append(("elsewhere", ENVIRONMENTS[0][1], ENVIRONMENTS[0][2], elsewhere))
    for name, version, venv, prior in runs:
        expect = {"duckdb": version, "extension_version": ELSEWHERE_VERSION if prior else extension_version,
                  "origin": prior or REPOSITORY}
        for kind, path in (("jupyter", JUPYTER), ("marimo", MARIMO)):
            spec = {"kind": kind, "path": path, "python": os.path.join(ROOT, ".venv", venv, "bin", "python"),
                    "out": os.path.join(out, name), "expect": expect, "prior": prior}
            before = f", installed before from {os.path.relpath(prior, ROOT)}" if prior else ""
            specs.append((f"{path} on DuckDB {version}{before}", spec))
    return specs


def prepare(out, extension):
    """The built extension's footer version, and the repository of the prior installs (written under <out>)."""
    with open(extension, "rb") as f:
        extension_version = read_footer(f.read())["extension_version"]
    elsewhere = os.path.join(out, "elsewhere-repository")
    shutil.rmtree(elsewhere, ignore_errors=True)
    build_repository(extension, elsewhere, [f"v{version}" for _, version, _, _ in ENVIRONMENTS],
                     extension_version=ELSEWHERE_VERSION)
    return extension_version, elsewhere


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extension", help="the built extension (make repository's), for the prior installs")
    parser.add_argument("--out", default=os.path.join("build", "notebooks"),
                        help="where the executed notebooks, the HTML and the fresh HOMEs go")
    parser.add_argument("--jobs", type=int, default=2, help="runs at a time")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # one run: a JSON spec (run_worker's)
    args = parser.parse_args(argv)
    if args.worker:
        print(RESULT_PREFIX + json.dumps(worker(json.loads(args.worker))), flush=True)
        return 0
    if not args.extension:
        parser.error("--extension is required")
    out = os.path.abspath(os.path.join(ROOT, args.out))
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    extension_version, elsewhere = prepare(out, os.path.join(ROOT, args.extension))
    results = [("the committed notebooks", check_sources(), time.monotonic() - started)]
    selftest = selftest_specs(out, {"extension_version": extension_version, "origin": REPOSITORY})
    runs = notebook_specs(out, extension_version, elsewhere)
    specs = list(selftest.values()) + [spec for _, spec in runs]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        ran = list(pool.map(run_worker, specs))  # (problems, seconds) of each spec, in order
    reported = {kind: problems for kind, (problems, _) in zip(selftest, ran)}
    selftest_seconds = sum(seconds for _, seconds in ran[:len(selftest)])
    results.append(("the checks fail broken notebooks", selftest_problems(reported), selftest_seconds))
    results += [(label, *outcome) for (label, _), outcome in zip(runs, ran[len(selftest):])]
    for name, problems, seconds in results:
        for problem in problems:
            print(f"run_notebooks: {name}: {problem}", file=sys.stderr)
        print(f"{'FAIL' if problems else 'ok'}: {name} ({seconds:.1f} s)")
    print(f"outputs in {os.path.relpath(out, ROOT)}/<run>/: flights_helper.ipynb (executed), fleet_audit.html")
    failed = sum(1 for _, problems, _ in results if problems)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed "
          f"({time.monotonic() - started:.0f} s, {args.jobs} at a time)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
