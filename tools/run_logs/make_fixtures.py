#!/usr/bin/env python3
"""Writes test/fixtures/runs/: the logs of real CPython runs of the scripts in
test/fixtures/runs/scripts/, for the log reader's unit tests and the mock MCP server.

Each script runs as a Flight's source runs (`python main.py`, no arguments; the run sequence in
shared/reference/flights-runtime.md section 3) at SCRIPT_PATH, with stdout and stderr in one
stream (MotherDuck captures both, interleaved: section 2). Where MotherDuck's runtime puts the
file is not documented: SCRIPT_PATH is our choice.

Interpreters:
- 3.11: this machine's python3.11 (Debian bookworm), run as a process.
- 3.10, 3.12, 3.13: Pyodide (CPython compiled to WebAssembly) from npm, run under node by
  run_pyodide.js (Debian bookworm packages only 3.11). The traceback text is CPython's own
  (sys.excepthook); the frames of the standard library name Pyodide's paths (/lib/python3.10/...)
  or `<frozen ...>` modules, as CPython does for frozen modules.
  Install once: for v in 0.22.1 0.27.7 0.28.3; do (mkdir -p /tmp/pyodide-$v && cd /tmp/pyodide-$v &&
  npm install pyodide@$v); done  (pinned: 0.22.1 is CPython 3.10.2, 0.27.7 is 3.12.7, 0.28.3 is 3.13.2)

Writes logs/<script>-<python>.log and index.json ([{script, python, exit_code, log}], sorted).
Usage: tools/run_logs/make_fixtures.py [--pyodide-root /tmp]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = os.path.join(HERE, "..", "..", "test", "fixtures", "runs")
SCRIPT_PATH = "/tmp/flight_run/main.py"
PYODIDE = {"3.10": "0.22.1", "3.12": "0.27.7", "3.13": "0.28.3"}


def run_native(script):
    os.makedirs(os.path.dirname(SCRIPT_PATH), exist_ok=True)
    shutil.copyfile(script, SCRIPT_PATH)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
           "MY_API_SECRET_API_KEY": "not-shown"}
    done = subprocess.run(["python3.11", "main.py"], cwd=os.path.dirname(SCRIPT_PATH), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    return done.returncode, done.stdout


def run_pyodide(script, version, root):
    directory = os.path.join(root, f"pyodide-{version}", "node_modules", "pyodide")
    done = subprocess.run(["node", os.path.join(HERE, "run_pyodide.js"), directory, SCRIPT_PATH, script],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return done.returncode, done.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pyodide-root", default="/tmp")
    args = parser.parse_args()
    scripts = sorted(f for f in os.listdir(os.path.join(RUNS, "scripts")) if f.endswith(".py"))
    os.makedirs(os.path.join(RUNS, "logs"), exist_ok=True)
    index = []
    for name in scripts:
        script = os.path.join(RUNS, "scripts", name)
        for python in ("3.10", "3.11", "3.12", "3.13"):
            if python == "3.11":
                code, log = run_native(script)
            else:
                code, log = run_pyodide(script, PYODIDE[python], args.pyodide_root)
            log_name = f"{name[:-3]}-{python}.log"
            with open(os.path.join(RUNS, "logs", log_name), "w") as f:
                f.write(log)
            index.append({"script": name[:-3], "python": python, "exit_code": code, "log": log_name})
            print(f"{log_name}: exit {code}", file=sys.stderr)
    with open(os.path.join(RUNS, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
