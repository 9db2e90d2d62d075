#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each, one after another.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (default: 60 seconds, every target)
#
# Seeds (fuzz/seeds/<target>/, committed) are copied into the working corpus
# (fuzz/corpus/<target>/, ignored by git) first; the reproducers of fixed bugs
# (fuzz/regressions/<target>/, committed) are read too, so each run replays
# them before it fuzzes. SECONDS=0 only replays seeds, corpus and regressions.
# A target that crashes does not stop the others; the script then exits 1.
# The crashing input is in fuzz/artifacts/<target>/, the log in fuzz/logs/<target>.log.
#
# Installs cargo-fuzz when it is missing. A stable toolchain works:
# RUSTC_BOOTSTRAP=1 lets it take the -Z flags cargo-fuzz passes.
# FUZZ_SANITIZER=none builds without AddressSanitizer (faster; still
# coverage-guided). FUZZ_NICE (default 10) is the niceness of the runs.
# Each run is one libFuzzer process on one core (no -jobs/-fork: -jobs=1
# would only move the output into a worker's fuzz-0.log).
set -euo pipefail

cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(config_json env_resolve config_diff python_source requirements cron run_log)
fi
sanitizer="${FUZZ_SANITIZER:-address}"
niceness="${FUZZ_NICE:-10}"
export RUSTC_BOOTSTRAP=1
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

mkdir -p logs
status=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
    dirs=("corpus/$target")
    if [ -d "regressions/$target" ]; then
        dirs+=("regressions/$target")
    fi
    if [ "$seconds" -gt 0 ]; then
        limit=(-max_total_time="$seconds")
    else
        limit=(-runs=0)
    fi
    echo "== $target: ${seconds}s (sanitizer: $sanitizer)"
    if nice -n "$niceness" cargo fuzz run -O -a --sanitizer "$sanitizer" "$target" "${dirs[@]}" -- \
        "${limit[@]}" -timeout=10 -print_final_stats=1 >"logs/$target.log" 2>&1; then
        grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
            "logs/$target.log" || true
    else
        status=1
        echo "!! $target failed: see fuzz/logs/$target.log and fuzz/artifacts/$target/" >&2
        grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "logs/$target.log" >&2 || true
    fi
done
exit "$status"
