#!/usr/bin/env bash
# Creates the pinned Python environments under <repo>/.venv/ on demand.
#
# Usage: tools/setup_venv.sh [NAME...]
#
# Each NAME is built from tools/requirements-NAME.txt (exact ==
# pins) into .venv/NAME. Without arguments: duckdb-2.0, duckdb-1.5 and duckdb-1.4.
#   .venv/duckdb-2.0  duckdb==2.0.1 and duckdb-cli==1.5.6 (the CLI wheel)
#   .venv/duckdb-1.5  duckdb==1.5.6
#   .venv/duckdb-1.4  duckdb==1.4.4 (the oldest line MotherDuck accepts and this binary claims)
#   .venv/bench       (setup_venv.sh bench) duckdb==2.0.1, numpy, and packaging and croniter for the Python
#                     comparison (bench/python_checker.py), for make bench
#   .venv/notebooks   (setup_venv.sh notebooks) duckdb==2.0.1, nbclient, ipykernel, JupySQL, marimo,
#                     polars, matplotlib: make test-notebooks and make docs
#   .venv/notebooks-1.5 (setup_venv.sh notebooks-1.5) the same with duckdb==1.5.6: make test-notebooks
#
# Idempotent and fast once done: an environment is rebuilt only when its stamp
# (the requirements file's sha256 and the Python version) no longer matches or
# its python no longer runs. Set PYTHON to choose the interpreter (python3).
# Concurrent runs (make -j) wait for each other through a lock file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venvs="$root/.venv"
python="${PYTHON:-python3}"

if [[ $# -eq 0 ]]; then
  set -- duckdb-2.0 duckdb-1.5 duckdb-1.4
fi

mkdir -p "$venvs"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$venvs/.setup.lock"
  flock 9
fi

py_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"

# make_venv NAME: (re)creates .venv/NAME from requirements-NAME.txt unless its stamp is current.
make_venv() {
  local name="$1"
  local requirements="$here/requirements-$name.txt"
  local dir="$venvs/$name"
  local stamp="$dir/.setup_venv.stamp"
  local want
  if [[ ! -f "$requirements" ]]; then
    echo "setup_venv: no requirements file for '$name' ($requirements)" >&2
    return 1
  fi
  want="requirements-sha256=$(sha256sum "$requirements" | cut -d' ' -f1) python=$py_version"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && "$dir/bin/python" -c '' 2>/dev/null; then
    return 0
  fi
  echo "setup_venv: creating .venv/$name from $(basename "$requirements")"
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-cache-dir -r "$requirements"
  echo "$want" > "$stamp"
}

for name in "$@"; do
  make_venv "$name"
done
