#!/usr/bin/env bash
# Self-test of the build and test tooling: proves that the sqllogictest runner
# (tools/sqllogictest/, run as `python tools/sqllogictest`) passes
# what must pass and fails what must fail, and that append_metadata.py writes
# DuckDB's footer byte for byte, and that the Makefile keeps the contract with
# DuckDB's community-extensions pipeline.
#
# Usage: tools/test/run_selftest.sh <python with duckdb installed>
#   e.g. tools/test/run_selftest.sh .venv/duckdb-2.0/bin/python
#
# Each fixture *.test here states what the runner must do with it:
#   # expect-exit: 0|1                   the runner's exit code
#   # expect-summary: N passed, N failed[, N skipped]   its exact last line
#   # expect-failure-at: LINE            a failure is reported at FILE:LINE (repeatable)
# On top of the fixtures: the whole folder in one run (the run goes on past
# failing files and the counts add up), --verbose, an unreadable file, a
# missing file, an empty folder, an extension that does not load, and the
# unit tests test_*.py. The fixtures use built-in SQL only.
#
# Prints one line per failed check and ends with
#   self-test: N passed, N failed
# exiting non-zero when any check failed.
set -uo pipefail
python="${1:?usage: run_selftest.sh <python with duckdb installed>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
runner="$here/../sqllogictest"
summary_re='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'
passed=0 failed=0

# Environment the fixtures rely on (see good.test).
export SELFTEST_GREETING=hello
export SELFTEST_CWD="$PWD"
unset SELFTEST_NOT_SET_ANYWHERE

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# check NAME WANT_EXIT WANT_SUMMARY WANT_TEXT... -- RUNNER_ARGS...
#   Runs the runner with RUNNER_ARGS and checks its exit code (0, or 1 for
#   "must fail"), that its last line is a summary line (equal to WANT_SUMMARY
#   unless that is empty), that it printed no traceback and that each
#   WANT_TEXT appears in its output.
check() {
  local name="$1" want_exit="$2" want_summary="$3" output status last problem="" text
  shift 3
  local texts=()
  while [[ $# -gt 0 && "$1" != -- ]]; do texts+=("$1"); shift; done
  shift
  output="$("$python" "$runner" "$@" 2>&1)"
  status=$?
  last="$(printf '%s\n' "$output" | tail -n 1)"
  if [[ "$status" != "$want_exit" ]]; then
    problem="exited $status, expected $want_exit"
  elif ! [[ "$last" =~ $summary_re ]]; then
    problem="last line is not 'N passed, N failed[, N skipped]': $last"
  elif [[ -n "$want_summary" && "$last" != "$want_summary" ]]; then
    problem="last line is '$last', expected '$want_summary'"
  elif grep -q "Traceback" <<<"$output"; then
    problem="printed a Python traceback"
  else
    for text in ${texts[@]+"${texts[@]}"}; do
      if ! grep -qF -- "$text" <<<"$output"; then
        problem="output lacks: $text"
        break
      fi
    done
  fi
  if [[ -n "$problem" ]]; then
    echo "FAIL $name: $problem; the runner printed:"
    printf '%s\n' "$output" | sed 's/^/    /'
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

# header FILE KEY: the values of '# KEY: value' lines in FILE, one per line.
header() {
  sed -n "s/^# $2: *//p" "$1"
}

# The fixtures, one by one; their expected summaries also add up to the
# expected summary of the whole folder.
total_passed=0 total_failed=0 total_skipped=0 files=0
for file in "$here"/*.test; do
  name="$(basename "$file")"
  want_exit="$(header "$file" expect-exit)"
  want_summary="$(header "$file" expect-summary)"
  if [[ -z "$want_exit" || -z "$want_summary" ]]; then
    echo "FAIL $name: the fixture lacks '# expect-exit:' or '# expect-summary:'"
    failed=$((failed + 1))
    continue
  fi
  texts=("[1/1] $file: ")
  while read -r line; do
    [[ -n "$line" ]] && texts+=("FAIL $file:$line: ")
  done < <(header "$file" expect-failure-at)
  check "$name" "$want_exit" "$want_summary" "${texts[@]}" -- "$file"
  read -r p f s < <(sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$/\1 \2 \4/' <<<"$want_summary")
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f)) total_skipped=$((total_skipped + ${s:-0}))
  files=$((files + 1))
done

# The whole folder in one run: every file is reported and the counts add up.
total="$total_passed passed, $total_failed failed"
[[ $total_skipped -gt 0 ]] && total+=", $total_skipped skipped"
check "whole folder" 1 "$total" "$files test file(s)" "[$files/$files] " -- "$here"

# --verbose prints each record and still passes.
check "good.test --verbose" 0 "$(header "$here/good.test" expect-summary)" "good.test:7: statement" \
  -- --verbose "$here/good.test"

# --no-unsigned opens the database without allow_unsigned_extensions: the
# fixture that fails without a runner-config line then passes.
check "bad_runner_config.test --no-unsigned" 0 "1 passed, 0 failed" -- --no-unsigned "$here/bad_runner_config.test"

# A file that is not UTF-8 and a file that does not exist fail without a traceback.
printf 'query I\nSELECT 1;\n----\n\xff\xfe\n' > "$scratch/not_utf8.test"
check "unreadable file" 1 "0 passed, 1 failed" "FAIL $scratch/not_utf8.test:0: cannot read" -- "$scratch/not_utf8.test"
check "missing file" 1 "0 passed, 1 failed" "FAIL $scratch/missing.test:0: cannot read" -- "$scratch/missing.test"

# No test file at all is a failed run.
mkdir "$scratch/empty"
check "empty folder" 1 "0 passed, 0 failed" "0 test file(s)" -- "$scratch/empty"

# 'require flights_helper' with an --extension that DuckDB refuses fails the file.
printf 'not a shared library' > "$scratch/flights_helper.duckdb_extension"
check "extension that does not load" 1 "0 passed, 1 failed, 1 skipped" "cannot load" \
  -- --extension "$scratch/flights_helper.duckdb_extension" "$here/bad_require.test"

# Unit tests: test_append_metadata.py (the footer byte for byte, its input
# checks, the platform mapping), test_sqllogictest.py (runner bugs stay per
# record or per file, parser corner cases, substitutions), test_make_repository.py,
# test_mock_mcp.py and test_pipeline_contract.py (the make targets DuckDB's
# community pipeline calls, dry-run, and the submission files' pins agree).
for unit in "$here"/test_*.py; do
  if output="$("$python" -m unittest discover -s "$here" -p "$(basename "$unit")" 2>&1)"; then
    passed=$((passed + 1))
  else
    echo "FAIL $(basename "$unit"):"
    printf '%s\n' "$output" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done

echo "self-test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
