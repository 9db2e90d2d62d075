# flights_helper: build, test and demo. Everything runs from a fresh clone:
# the pinned DuckDB releases are installed on demand into .venv/.

EXT_NAME    := flights_helper
EXT_VERSION := v$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
PYTHON      ?= python3
VENV        := .venv
PY_DUCKDB20 := $(VENV)/duckdb-2.0/bin/python
PY_DUCKDB15 := $(VENV)/duckdb-1.5/bin/python
TOOLS       := tools
RELEASE_EXT := build/release/$(EXT_NAME).duckdb_extension
DEBUG_EXT   := build/debug/$(EXT_NAME).duckdb_extension
SQL_TESTS   ?= test/sql
REPOSITORY  := build/repository
INSTALL_FIXTURES := build/install-test
DEMO_EXT_DIR := build/demo-extensions

.PHONY: all release debug test test-live test-debug bench stress fuzz lint sizes test-rust test-sql test-runner test-install \
	test-docs repository docs demo venv clean

all: release

# The platform (as DuckDB's PRAGMA platform names it) and the library file
# cargo writes there come from append_metadata.py, from the host:
# linux_amd64/linux_arm64 (.so), osx_arm64/osx_amd64 (.dylib), windows_amd64 (.dll).
# Cross-build with CARGO_TARGET=<Rust target> (its target must be installed:
# rustup target add ...); PLATFORM=<name> overrides the platform string.
CARGO_TARGET ?=
ifeq ($(strip $(PLATFORM)),)
PLATFORM := $(shell $(PYTHON) $(TOOLS)/append_metadata.py --print platform $(if $(CARGO_TARGET),--cargo-target $(CARGO_TARGET)))
endif
LIB_FILE    := $(shell $(PYTHON) $(TOOLS)/append_metadata.py --print library-file --platform $(PLATFORM))
CARGO_OUT   := target$(if $(CARGO_TARGET),/$(CARGO_TARGET))
CARGO_FLAGS := $(if $(CARGO_TARGET),--target $(CARGO_TARGET))

## release: the optimised, loadable extension in build/release/
release:
	@test -n "$(PLATFORM)" -a -n "$(LIB_FILE)" || { echo "no platform for this host: pass PLATFORM=<as PRAGMA platform names it>"; exit 1; }
	cargo build --release $(CARGO_FLAGS)
	$(PYTHON) $(TOOLS)/append_metadata.py --library $(CARGO_OUT)/release/$(LIB_FILE) \
		--output $(RELEASE_EXT) --extension-version $(EXT_VERSION) --platform $(PLATFORM)

## debug: the debug build in build/debug/
debug:
	@test -n "$(PLATFORM)" -a -n "$(LIB_FILE)" || { echo "no platform for this host: pass PLATFORM=<as PRAGMA platform names it>"; exit 1; }
	cargo build $(CARGO_FLAGS)
	$(PYTHON) $(TOOLS)/append_metadata.py --library $(CARGO_OUT)/debug/$(LIB_FILE) \
		--output $(DEBUG_EXT) --extension-version $(EXT_VERSION) --platform $(PLATFORM)

## venv: the pinned DuckDB Python packages and CLI (created once, reused)
venv:
	$(TOOLS)/setup_venv.sh

## test: lints and size targets, Rust unit tests, then every test/sql/*.test against DuckDB 2.0.x and 1.5.x,
## install by name from build/repository (test/install/), and the docs are current
test: lint sizes test-rust test-runner test-sql test-debug test-install test-docs

lint:
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings

## sizes: no src/ file over 500 lines of non-test code, no impl over 200, no function over 80
sizes:
	$(PYTHON) $(TOOLS)/check_sizes.py

test-rust:
	cargo test --quiet

test-runner: venv
	$(TOOLS)/test/run_selftest.sh $(PY_DUCKDB20)

# The MotherDuck tests talk to a mock MCP server on loopback (with_mock_mcp.sh);
# the no-token test runs once more with every token variable unset.
test-sql: venv release
	$(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB20) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) $(SQL_TESTS)
	env -u MOTHERDUCK_TOKEN -u motherduck_token FLIGHTS_HELPER_NO_TOKEN_TEST=1 \
		$(PY_DUCKDB20) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) test/sql/motherduck_no_token.test
	$(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB15) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) $(SQL_TESTS)
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB20) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) test/fleet
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB15) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) test/fleet

## test-live: read-only smoke test against the real MotherDuck MCP endpoint (needs MOTHERDUCK_TOKEN;
## says that it skipped otherwise). Not part of make test.
test-live: venv release
	$(PY_DUCKDB20) test/live/smoke.py

# Panic containment, with the debug build's deliberately panicking functions.
test-debug: venv debug
	RUST_BACKTRACE=0 $(PY_DUCKDB20) $(TOOLS)/sqllogictest --extension $(DEBUG_EXT) test/debug
	RUST_BACKTRACE=0 $(PY_DUCKDB15) $(TOOLS)/sqllogictest --extension $(DEBUG_EXT) test/debug

## repository: a DuckDB extension repository in build/repository/ (v<duckdb>/<platform>/flights_helper.duckdb_extension.gz
## for every version in tools/duckdb_versions.txt); SIGNING_KEY=<private.pem> signs it
SIGNING_KEY ?=
repository: release
	$(PYTHON) $(TOOLS)/make_repository.py --extension $(RELEASE_EXT) --output $(REPOSITORY) \
		$(if $(SIGNING_KEY),--signing-key "$(SIGNING_KEY)")

# INSTALL flights_helper FROM build/repository and LOAD it by name, on both DuckDB lines, each
# into a private extension directory; plus the fixtures: an "older" build (footer version
# v0.0.1) and a repository without this DuckDB's version. test_repository.py adds FORCE INSTALL
# over a repository rebuilt in place and, on DuckDB 2.0, signed repositories (needs openssl).
test-install: venv repository
	rm -rf $(INSTALL_FIXTURES)
	$(PYTHON) $(TOOLS)/make_repository.py --extension $(RELEASE_EXT) --output $(INSTALL_FIXTURES)/older \
		--extension-version v0.0.1
	$(PYTHON) $(TOOLS)/make_repository.py --extension $(RELEASE_EXT) --output $(INSTALL_FIXTURES)/v1.4.4-only \
		--duckdb-version v1.4.4
	$(PY_DUCKDB20) $(TOOLS)/sqllogictest test/install
	$(PY_DUCKDB15) $(TOOLS)/sqllogictest test/install
	$(PY_DUCKDB20) test/install/test_repository.py
	$(PY_DUCKDB15) test/install/test_repository.py

## docs: docs/function_descriptions.csv and the README function table, from src/sql/docs.rs
docs: venv release
	$(PY_DUCKDB20) $(TOOLS)/make_docs.py --extension $(RELEASE_EXT)

# Fails when docs/function_descriptions.csv or the README table is stale, or an example fails
# (the MotherDuck ones against the mock MCP server on loopback).
test-docs: venv release
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB20) $(TOOLS)/make_docs.py --extension $(RELEASE_EXT) --check

## demo: the DuckDB 1.5 CLI installs flights_helper from build/repository (into a private
## extension directory), loads it by name and runs an example Flight
demo: venv repository
	rm -rf $(DEMO_EXT_DIR)
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh "$$($(TOOLS)/duckdb_cli_path.sh)" -unsigned \
		-cmd "SET extension_directory = '$(DEMO_EXT_DIR)'" \
		-cmd "INSTALL flights_helper FROM '$(REPOSITORY)'" \
		-cmd "LOAD flights_helper" \
		-cmd ".print '-- Installed from $(REPOSITORY) and loaded by name:'" \
		-cmd "SELECT extension_name, extension_version, installed_from FROM duckdb_extensions() WHERE extension_name = 'flights_helper'" \
		< demo/demo.sql

## bench: benchmarks against built-in SQL and Python UDFs; writes bench/results.md
bench: release
	$(TOOLS)/setup_venv.sh bench
	$(VENV)/bench/bin/python bench/bench.py

## stress: every scalar over 10,000,000 rows at 1 and all threads; RSS after 10,000 calls of each function;
## the 1,000,000-key hostile maps on both DuckDB lines
stress: venv release
	$(PY_DUCKDB20) test/stress/threads.py
	$(PY_DUCKDB20) test/stress/memory.py
	$(PY_DUCKDB20) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) test/stress/hostile_million.test
	$(PY_DUCKDB15) $(TOOLS)/sqllogictest --extension $(RELEASE_EXT) test/stress/hostile_million.test

## fuzz: each cargo-fuzz target for FUZZ_SECONDS seconds (see fuzz/README.md)
FUZZ_SECONDS ?= 60
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)

clean:
	cargo clean
	rm -rf build
