#!/usr/bin/env bash
# Runs a command with the mock MCP server up on loopback and the environment
# the extension reads pointing at it:
#   MOTHERDUCK_MCP_URL      http://127.0.0.1:<port>/mcp
#   MOTHERDUCK_TOKEN        the mock's test token
#   MOTHERDUCK_MCP_TIMEOUT  2 (seconds; the mock's slow Flight takes longer)
#   MOTHERDUCK_MCP_PROTOCOL $MOCK_MCP_PROTOCOL (unset: empty, the client's default `auto`)
#   MOCK_MCP_ERA            the era the mock speaks (--era in MOCK_MCP_ARGS, default 2025-06-18):
#                           test files for one era skip the others (require-env MOCK_MCP_ERA ...)
#   MOCK_MCP_LOGS_TOOLS     the names the mock's logs tool answers to (--logs-tools, default
#                           get_flight_run_logs,get_flight_logs)
# Usage: [MOCK_MCP_ARGS="--era 2026-07-28"] with_mock_mcp.sh COMMAND [ARGS...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d)"
python3 "$here/mock_mcp_server.py" --port-file "$dir/port" ${MOCK_MCP_ARGS:-} &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  [[ -s "$dir/port" ]] && break
  sleep 0.1
done
[[ -s "$dir/port" ]] || { echo "mock MCP server did not start" >&2; exit 1; }
export MOTHERDUCK_MCP_URL="http://127.0.0.1:$(cat "$dir/port")/mcp"
export MOTHERDUCK_TOKEN="${MOCK_MCP_TOKEN:-test-token-0123456789}"
export MOTHERDUCK_MCP_TIMEOUT=2
export MOTHERDUCK_MCP_PROTOCOL="${MOCK_MCP_PROTOCOL:-}"
era=2025-06-18
logs_tools=get_flight_run_logs,get_flight_logs
args=(${MOCK_MCP_ARGS:-})
for i in "${!args[@]}"; do
  [[ "${args[$i]}" == "--era" ]] && era="${args[$((i + 1))]}"
  [[ "${args[$i]}" == "--logs-tools" ]] && logs_tools="${args[$((i + 1))]}"
done
export MOCK_MCP_ERA="$era"
export MOCK_MCP_LOGS_TOOLS="$logs_tools"
unset motherduck_token
"$@"
