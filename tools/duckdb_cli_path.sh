#!/usr/bin/env bash
# Prints the path of the native DuckDB CLI binary (duckdb-cli==1.5.6, installed
# into .venv/duckdb-2.0 by setup_venv.sh), so that a Makefile can run
#   $(shell tools/duckdb_cli_path.sh) -unsigned -c "..."
# With --setup, runs setup_venv.sh first (quiet and fast once set up).
# Exits 1 with a message on stderr when the CLI is not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$root/.venv/duckdb-2.0"
if [[ "${1:-}" == --setup ]]; then
  "$here/setup_venv.sh" duckdb-2.0 >&2
fi
for cli in "$venv"/lib/python3*/site-packages/duckdb_cli/duckdb; do
  if [[ -x "$cli" ]]; then
    echo "$cli"
    exit 0
  fi
done
echo "duckdb_cli_path: the DuckDB CLI is not installed: run tools/setup_venv.sh" >&2
exit 1
