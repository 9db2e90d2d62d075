#!/usr/bin/env bash
# Prints the path of the native DuckDB CLI from the duckdb-cli wheel (run setup_venv.sh first).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
found=("$root"/.venv/duckdb-cli/lib/python3*/site-packages/duckdb_cli/duckdb)
[[ -x "${found[0]}" ]] || { echo "DuckDB CLI not found: run extension-ci-tools/setup_venv.sh" >&2; exit 1; }
echo "${found[0]}"
