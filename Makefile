# flights_helper: build, test and demo. Everything runs from a fresh clone:
# the pinned DuckDB releases are installed on demand into .venv/.

EXT_NAME    := flights_helper
EXT_VERSION := v$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
PYTHON      ?= python3
VENV        := .venv
PY_DUCKDB20 := $(VENV)/duckdb-2.0/bin/python
PY_DUCKDB15 := $(VENV)/duckdb-1.5/bin/python
TOOLS       := extension-ci-tools
RELEASE_EXT := build/release/$(EXT_NAME).duckdb_extension
DEBUG_EXT   := build/debug/$(EXT_NAME).duckdb_extension
SQL_TESTS   ?= test/sql

.PHONY: all release debug test test-live test-debug bench stress fuzz lint test-rust test-sql test-runner demo venv clean

all: release

## release: the optimised, loadable extension in build/release/
release:
	cargo build --release
	$(PYTHON) $(TOOLS)/append_metadata.py --library target/release/lib$(EXT_NAME).so \
		--output $(RELEASE_EXT) --extension-version $(EXT_VERSION)

## debug: the debug build in build/debug/
debug:
	cargo build
	$(PYTHON) $(TOOLS)/append_metadata.py --library target/debug/lib$(EXT_NAME).so \
		--output $(DEBUG_EXT) --extension-version $(EXT_VERSION)

## venv: the pinned DuckDB Python packages and CLI (created once, reused)
venv:
	$(TOOLS)/setup_venv.sh

## test: lints, Rust unit tests, then every test/sql/*.test against DuckDB 2.0.x and 1.5.x
test: lint test-rust test-runner test-sql test-debug

lint:
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings

test-rust:
	cargo test --quiet

test-runner: venv
	$(TOOLS)/test/run_selftest.sh $(PY_DUCKDB20)

# The MotherDuck tests talk to a mock MCP server on loopback (with_mock_mcp.sh);
# the no-token test runs once more with every token variable unset.
test-sql: venv release
	$(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB20) $(TOOLS)/sqllogictest.py --extension $(RELEASE_EXT) $(SQL_TESTS)
	env -u MOTHERDUCK_TOKEN -u motherduck_token FLIGHTS_HELPER_NO_TOKEN_TEST=1 \
		$(PY_DUCKDB20) $(TOOLS)/sqllogictest.py --extension $(RELEASE_EXT) test/sql/motherduck_no_token.test
	$(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB15) $(TOOLS)/sqllogictest.py --extension $(RELEASE_EXT) $(SQL_TESTS)

## test-live: read-only smoke test against the real MotherDuck MCP endpoint (needs MOTHERDUCK_TOKEN;
## says that it skipped otherwise). Not part of make test.
test-live: venv release
	$(PY_DUCKDB20) test/live/smoke.py

# Panic containment, with the debug build's deliberately panicking functions.
test-debug: venv debug
	RUST_BACKTRACE=0 $(PY_DUCKDB20) $(TOOLS)/sqllogictest.py --extension $(DEBUG_EXT) test/debug
	RUST_BACKTRACE=0 $(PY_DUCKDB15) $(TOOLS)/sqllogictest.py --extension $(DEBUG_EXT) test/debug

## demo: the DuckDB 1.5 CLI with the extension loaded, on an example Flight
demo: venv release
	"$$($(TOOLS)/duckdb_cli_path.sh)" -unsigned -cmd "LOAD '$(RELEASE_EXT)'" < demo/demo.sql

## bench: benchmarks against built-in SQL and Python UDFs; writes bench/results.md
bench: release
	$(TOOLS)/setup_venv.sh bench
	$(VENV)/bench/bin/python bench/bench.py

## stress: every scalar over 10,000,000 rows at 1 and all threads; RSS after 10,000 calls of each function
stress: venv release
	$(PY_DUCKDB20) test/stress/threads.py
	$(PY_DUCKDB20) test/stress/memory.py

## fuzz: each cargo-fuzz target for FUZZ_SECONDS seconds (see fuzz/README.md)
FUZZ_SECONDS ?= 60
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)

clean:
	cargo clean
	rm -rf build
