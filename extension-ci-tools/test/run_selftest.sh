#!/usr/bin/env bash
# Proves the sqllogictest runner fails when it should: good.test must pass,
# every bad_*.test must make the runner exit non-zero with its summary line.
# Usage: run_selftest.sh <python with duckdb installed>
set -uo pipefail
python="${1:?usage: run_selftest.sh <python>}"
here="$(cd "$(dirname "$0")" && pwd)"
runner="$here/../sqllogictest.py"
passed=0 failed=0

check() {
  local file="$1" want="$2" output status last
  output="$("$python" "$runner" "$file" 2>&1)"
  status=$?
  last="$(printf '%s\n' "$output" | tail -n 1)"
  if [[ "$want" == pass && $status -ne 0 ]] || [[ "$want" == fail && $status -eq 0 ]]; then
    echo "runner self-test: $(basename "$file") should $want but exited $status:"
    printf '%s\n' "$output" | sed 's/^/    /'
    failed=$((failed + 1))
  elif ! grep -Eq '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' <<<"$last" \
       && [[ "$last" != "no test record ran" ]]; then
    echo "runner self-test: $(basename "$file") did not end with the summary line: $last"
    failed=$((failed + 1))
  elif grep -q "Traceback" <<<"$output"; then
    echo "runner self-test: $(basename "$file") printed a traceback"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

check "$here/good.test" pass
for bad in "$here"/bad_*.test; do
  check "$bad" fail
done
echo "runner self-test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
