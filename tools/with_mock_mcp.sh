#!/usr/bin/env bash
# Runs a command with the mock MCP server up on loopback and the environment
# the extension reads pointing at it:
#   MOTHERDUCK_MCP_URL      http://127.0.0.1:<port>/mcp
#   MOTHERDUCK_TOKEN        the mock's test token
#   MOTHERDUCK_MCP_TIMEOUT  2 (seconds; the mock's slow Flight takes longer)
#   MOTHERDUCK_MCP_PROTOCOL $MOCK_MCP_PROTOCOL (unset: empty, the client's default `auto`)
#   MOCK_MCP_ERA            the era the mock speaks (--era in MOCK_MCP_ARGS, default 2025-06-18):
#                           test files for one era skip the others (require-env MOCK_MCP_ERA ...)
#   MOCK_MCP_SCENARIO       the mock-wide scenario (tools/mock_mcp/scenarios.py; default `default`),
#                           chosen through the mock's control endpoint (POST /_control/scenario) before
#                           COMMAND runs: test files for one scenario skip the others
#                           (require-env MOCK_MCP_SCENARIO ...)
# Usage: [MOCK_MCP_ARGS="--era 2026-07-28"] [MOCK_MCP_SCENARIO=NAME] with_mock_mcp.sh COMMAND [ARGS...]
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
base="http://127.0.0.1:$(cat "$dir/port")"
export MOCK_MCP_SCENARIO="${MOCK_MCP_SCENARIO:-default}"
python3 - "$base/_control/scenario" "$MOCK_MCP_SCENARIO" <<'PY' || exit 1
import json, sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], json.dumps({"name": sys.argv[2]}).encode(), method="POST")
try:
    urllib.request.urlopen(request, timeout=5).read()
except urllib.error.HTTPError as e:
    sys.exit(f"mock MCP server: {json.loads(e.read())['error']}")
PY
export MOTHERDUCK_MCP_URL="$base/mcp"
export MOTHERDUCK_TOKEN="${MOCK_MCP_TOKEN:-test-token-0123456789}"
export MOTHERDUCK_MCP_TIMEOUT=2
export MOTHERDUCK_MCP_PROTOCOL="${MOCK_MCP_PROTOCOL:-}"
era=2025-06-18
args=(${MOCK_MCP_ARGS:-})
for i in "${!args[@]}"; do
  [[ "${args[$i]}" == "--era" ]] && era="${args[$((i + 1))]}"
done
export MOCK_MCP_ERA="$era"
unset motherduck_token
"$@"
