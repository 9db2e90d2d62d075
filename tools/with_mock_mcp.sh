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
#   MOCK_MCP_FLIGHT_<name>  kept as given: each one (a Flight's name, and a behaviour of scenarios.py's
#                           FLIGHT_BEHAVIOURS) is chosen with the scenario, so that Flight misbehaves
#                           so for the whole run (a test file says it needs one with require-env
#                           MOCK_MCP_FLIGHT_<name> BEHAVIOUR; our runner also chooses a file's own)
#   MOCK_MCP_CONTROL        the control endpoint's URL (http://127.0.0.1:<port>/_control/scenario),
#                           where tools/sqllogictest chooses a test file's Flight behaviours
# Usage: [MOCK_MCP_ARGS="--era 2026-07-28"] [MOCK_MCP_SCENARIO=NAME] [MOCK_MCP_FLIGHT_<name>=BEHAVIOUR...]
#        with_mock_mcp.sh COMMAND [ARGS...]
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
export MOCK_MCP_CONTROL="$base/_control/scenario"
python3 - "$MOCK_MCP_CONTROL" "$MOCK_MCP_SCENARIO" <<'PY' || exit 1
import json, os, sys, urllib.error, urllib.request
prefix = "MOCK_MCP_FLIGHT_"
flights = {k[len(prefix):]: v for k, v in os.environ.items() if k.startswith(prefix)}
body = json.dumps({"name": sys.argv[2], "flights": flights}).encode()
request = urllib.request.Request(sys.argv[1], body, method="POST")
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
