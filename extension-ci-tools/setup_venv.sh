#!/usr/bin/env bash
# Creates the pinned DuckDB environments under .venv/ (once; reused while the
# requirements files are unchanged):
#   .venv/duckdb-2.0  duckdb==2.0.1 (Python)
#   .venv/duckdb-1.5  duckdb==1.5.6 (Python)
#   .venv/duckdb-cli  duckdb-cli==1.5.6 (the DuckDB CLI as a wheel)
# and, with the argument `bench`, only:
#   .venv/bench       duckdb==2.0.1 and numpy (Python UDFs need it), for make bench
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"

make_venv() {
  local name="$1" requirements="$2"
  local dir="$root/.venv/$name"
  local stamp="$dir/.requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "setting up $dir from $(basename "$requirements")"
  rm -rf "$dir"
  "$python" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
}

if [[ "${1:-}" == bench ]]; then
  make_venv bench "$here/requirements-bench.txt"
  exit 0
fi
make_venv duckdb-2.0 "$here/requirements-duckdb-2.0.txt"
make_venv duckdb-1.5 "$here/requirements-duckdb-1.5.txt"
make_venv duckdb-cli "$here/requirements-duckdb-cli.txt"
