# flights_helper: build, test and demo. Everything runs from a fresh clone:
# the pinned DuckDB releases are installed on demand into .venv/.
#
#   1. The build: what is built, for which platform (release, debug)
#   2. DuckDB's community-extensions pipeline: the targets it calls
#   3. Our own targets: tests, docs, repository, demo, bench, ...
#
# Nothing here reads extension-ci-tools/ (the duckdb/extension-ci-tools submodule):
# it is empty in our clones and CI, and DuckDB's pipeline fills it; both work alike.

EXT_NAME    := flights_helper
TOOLS       := tools
SQLLOGICTEST := $(TOOLS)/sqllogictest
VENV        := .venv
PY_DUCKDB20 := $(VENV)/duckdb-2.0/bin/python
PY_DUCKDB15 := $(VENV)/duckdb-1.5/bin/python
# DuckDB 1.4.4: the oldest line MotherDuck accepts and the oldest this binary claims (tools/duckdb_versions.txt).
PY_DUCKDB14 := $(VENV)/duckdb-1.4/bin/python
SQL_TESTS   ?= test/sql
REPOSITORY  := build/repository
INSTALL_FIXTURES := build/install-test
DEMO_EXT_DIR := build/demo-extensions

# Python 3 runs our build scripts (append_metadata.py needs 3.6+ and nothing outside the standard library).
# On Windows the interpreter is `python` (a python.org or actions/setup-python install has no python3).
ifeq ($(OS),Windows_NT)
PYTHON      ?= python
else
PYTHON      ?= python3
endif

.PHONY: all release debug build-settings \
	set_duckdb_version set_duckdb_tag configure configure_ci test_release test_debug clean clean_all \
	venv test lint sizes fuzz-check test-rust test-runner test-sql test-live test-debug test-install test-docs \
	repository docs demo bench stress fuzz

all: release

# ---------------------------------------------------------------------------------------------------
# 1. The build
# ---------------------------------------------------------------------------------------------------
# DUCKDB_PLATFORM=<name>  the platform, as DuckDB's PRAGMA platform names it (default: this machine's).
#                         Where its Rust target is not rustc's host, cargo builds for that target:
#                         osx_amd64 on an arm64 Mac is --target x86_64-apple-darwin, linux_arm64 on
#                         x86_64 Linux is --target aarch64-unknown-linux-gnu (rustup target add ...).
# CARGO_TARGET=<triple>   build for this Rust target whatever the platform (e.g. a musl build).
# EXTENSION_VERSION=vX    the version DuckDB reports (default: v + Cargo.toml's version).
# The mapping platform <-> Rust target <-> library file is append_metadata.py's (unit-tested); it
# prints them (and Cargo.toml's version) in one line, read here without any shell syntax (cmd too).
#
# The binary targets DuckDB's STABLE C API v1.2.0 (footer C_STRUCT, v1.2.0; src/lib.rs asks for
# v1.2.0 at load): one file loads in DuckDB 1.4 to 2.0. The unstable API is refused on purpose.

CARGO_TARGET ?=
BUILD_SETTINGS := $(shell $(PYTHON) $(TOOLS)/append_metadata.py --print build \
	$(if $(DUCKDB_PLATFORM),--platform $(DUCKDB_PLATFORM)) $(if $(CARGO_TARGET),--cargo-target $(CARGO_TARGET)))
BUILD_PLATFORM := $(word 1,$(BUILD_SETTINGS))
LIB_FILE       := $(word 2,$(BUILD_SETTINGS))
BUILD_TARGET   := $(filter-out -,$(word 3,$(BUILD_SETTINGS)))
CARGO_FLAGS    := $(if $(BUILD_TARGET),--target $(BUILD_TARGET))
CARGO_OUT      := $(or $(CARGO_TARGET_DIR),target)$(if $(BUILD_TARGET),/$(BUILD_TARGET))

EXT_VERSION    := $(or $(EXTENSION_VERSION),$(word 4,$(BUILD_SETTINGS)))

RELEASE_EXT := build/release/$(EXT_NAME).duckdb_extension
DEBUG_EXT   := build/debug/$(EXT_NAME).duckdb_extension
# Where DuckDB's pipeline collects the build (its upload step); written together with the above.
RELEASE_ARTIFACT := build/release/extension/$(EXT_NAME)/$(EXT_NAME).duckdb_extension
DEBUG_ARTIFACT   := build/debug/extension/$(EXT_NAME)/$(EXT_NAME).duckdb_extension

# Stops a build that could not be right, saying why (evaluated only when a build runs).
build-settings:
	$(if $(filter 1,$(USE_UNSTABLE_C_API)),$(error USE_UNSTABLE_C_API=1: flights_helper stays on the stable C API v1.2.0 (one binary for DuckDB 1.4 to 2.0); unset it))
	$(if $(LIB_FILE),,$(error no build settings for DUCKDB_PLATFORM='$(DUCKDB_PLATFORM)' CARGO_TARGET='$(CARGO_TARGET)': see the append_metadata error above))
	@echo "building $(EXT_NAME) $(EXT_VERSION) for $(BUILD_PLATFORM) ($(if $(BUILD_TARGET),cargo --target $(BUILD_TARGET),the host target)), C API v1.2.0"

## release: the optimised, loadable extension in build/release/ (and build/release/extension/flights_helper/)
release: build-settings
	cargo build --release $(CARGO_FLAGS)
	$(PYTHON) $(TOOLS)/append_metadata.py --library $(CARGO_OUT)/release/$(LIB_FILE) --output $(RELEASE_EXT) \
		--copy-to $(RELEASE_ARTIFACT) --extension-version $(EXT_VERSION) --platform $(BUILD_PLATFORM)

## debug: the debug build in build/debug/ (and build/debug/extension/flights_helper/)
debug: build-settings
	cargo build $(CARGO_FLAGS)
	$(PYTHON) $(TOOLS)/append_metadata.py --library $(CARGO_OUT)/debug/$(LIB_FILE) --output $(DEBUG_EXT) \
		--copy-to $(DEBUG_ARTIFACT) --extension-version $(EXT_VERSION) --platform $(BUILD_PLATFORM)

# ---------------------------------------------------------------------------------------------------
# 2. DuckDB's community-extensions pipeline (duckdb/extension-ci-tools, _extension_distribution.yml)
# ---------------------------------------------------------------------------------------------------
# Each job calls, in order: set_duckdb_version, set_duckdb_tag, configure_ci, release (or debug),
# test_release (or test_debug), and uploads build/release/extension/flights_helper/flights_helper.duckdb_extension.
# Linux builds inside DuckDB's manylinux container (LINUX_CI_IN_DOCKER=1: no venv there, its python3
# may be 3.6) and tests outside it; macOS and Windows (make from cmd, through Git's sh) build and test
# on the runner. Inputs it sets: DUCKDB_PLATFORM, DUCKDB_GIT_VERSION, LINUX_CI_IN_DOCKER; optional:
# EXTENSION_VERSION, DUCKDB_TEST_VERSION, SKIP_TESTS=1.

# A C API extension needs no DuckDB source tree: nothing to check out or tag.
set_duckdb_version set_duckdb_tag:
	@echo "$@: nothing to do: flights_helper builds on DuckDB's stable C API v1.2.0, one binary for DuckDB 1.4 to 2.0 (DUCKDB_GIT_VERSION=$(DUCKDB_GIT_VERSION))"

# configure: configure/venv with the test runner's pinned packages (tools/requirements-runner.txt) from
# PyPI; DUCKDB_TEST_VERSION=X.Y.Z (or main: the latest pre-release) tests with another DuckDB.
ifeq ($(OS),Windows_NT)
CONFIGURE_PY := configure/venv/Scripts/python.exe
else
CONFIGURE_PY := configure/venv/bin/python3
endif
# The stamp names what was installed: a changed requirements file or DUCKDB_TEST_VERSION installs again.
CONFIGURE_STAMP := configure/venv/.requirements$(if $(DUCKDB_TEST_VERSION),-duckdb-$(DUCKDB_TEST_VERSION))
DUCKDB_TEST_PIP = $(if $(filter main,$(DUCKDB_TEST_VERSION)),--pre duckdb,duckdb==$(DUCKDB_TEST_VERSION))
PIP_INSTALL = $(CONFIGURE_PY) -m pip install --quiet --disable-pip-version-check

configure: $(CONFIGURE_STAMP)

$(CONFIGURE_STAMP): $(TOOLS)/requirements-runner.txt
	$(PYTHON) -m venv configure/venv
	$(PIP_INSTALL) -r $(TOOLS)/requirements-runner.txt
	$(if $(DUCKDB_TEST_VERSION),$(PIP_INSTALL) $(DUCKDB_TEST_PIP))
	$(CONFIGURE_PY) -c "import shutil; shutil.copyfile('$(TOOLS)/requirements-runner.txt', '$@')"

# Inside the Linux build container configure is left to the step outside it (as extension-ci-tools does).
ifeq ($(LINUX_CI_IN_DOCKER),1)
configure_ci:
	@echo "configure_ci: nothing to do inside the build container (configure runs outside it)"
else
configure_ci: configure
endif

# test_release / test_debug: every test/sql/*.test against the build, with our runner (tools/sqllogictest,
# DuckDB's runner's rules) and DuckDB from PyPI. MotherDuck files skip (require-env MOTHERDUCK_MCP_URL):
# make test-sql runs them against the mock MCP server. Skipped where the build cannot be loaded here:
# inside the Linux build container, musl and MinGW builds, cross builds (osx_amd64 on arm64).
TEST_SKIP :=
ifeq ($(SKIP_TESTS),1)
TEST_SKIP := SKIP_TESTS=1
else ifeq ($(LINUX_CI_IN_DOCKER),1)
TEST_SKIP := inside the Linux build container; the pipeline runs test_release again outside it
else ifneq ($(filter %_musl %_mingw %_rtools,$(DUCKDB_PLATFORM)),)
TEST_SKIP := no DuckDB from PyPI loads a $(DUCKDB_PLATFORM) build
else ifneq ($(BUILD_TARGET),)
TEST_SKIP := a cross build ($(BUILD_TARGET)) does not load on this machine
endif

ifneq ($(TEST_SKIP),)
test_release test_debug:
	@echo "$@: skipped: $(TEST_SKIP)"
else
test_release: configure
	$(call require_file,$(RELEASE_EXT),make release)
	$(CONFIGURE_PY) $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/sql
test_debug: configure
	$(call require_file,$(DEBUG_EXT),make debug)
	$(CONFIGURE_PY) $(SQLLOGICTEST) --extension $(DEBUG_EXT) test/sql
# require_file FILE,COMMAND: stop with "FILE is missing: run COMMAND first" (it tests what was built, never builds).
require_file = @$(CONFIGURE_PY) -c "import os, sys; os.path.isfile('$(1)') or sys.exit('$(1) is missing: run $(2) first')"
endif

## clean: cargo's target/ and build/; clean_all: configure/ and .venv/ too
clean:
	cargo clean
	rm -rf build

clean_all: clean
	rm -rf configure $(VENV)

# ---------------------------------------------------------------------------------------------------
# 3. Our own targets (Linux and macOS, bash)
# ---------------------------------------------------------------------------------------------------

## venv: the pinned DuckDB Python packages (2.0.1, 1.5.6, 1.4.4) and CLI (created once, reused)
venv:
	$(TOOLS)/setup_venv.sh

## test: lints and size targets, Rust unit tests, then every test/sql/*.test against DuckDB 2.0.1, 1.5.6 and 1.4.4,
## install by name from build/repository (test/install/), and the docs are current
test: lint sizes fuzz-check test-rust test-runner test-sql test-debug test-install test-docs

lint:
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings

## fuzz-check: every fuzz target still compiles against the crate (cargo check; running them: make fuzz)
fuzz-check:
	cargo check --quiet --manifest-path fuzz/Cargo.toml --bins

## sizes: no src/ file over 500 lines of non-test code, no impl over 200, no function over 80
sizes:
	$(PYTHON) $(TOOLS)/check_sizes.py

test-rust:
	cargo test --quiet

# The tooling's self-test: the runner's fixtures, the footer, the repository, the mock, the pipeline contract.
test-runner: venv
	$(TOOLS)/test/run_selftest.sh $(PY_DUCKDB20)

# The MotherDuck tests talk to a mock MCP server on loopback (with_mock_mcp.sh);
# the no-token test runs once more with every token variable unset. Each DuckDB line runs them all:
# 2.0.1, 1.5.6 and 1.4.4 (sql_line below).
test-sql: venv release
	$(call sql_line,$(PY_DUCKDB20),FLIGHTS_HELPER_SEES_SANDBOX=1)
	$(call sql_line,$(PY_DUCKDB15),FLIGHTS_HELPER_SEES_SANDBOX=1)
	$(call sql_line,$(PY_DUCKDB14),FLIGHTS_HELPER_SEES_SANDBOX=0)

# FLIGHTS_HELPER_SEES_SANDBOX: the sandbox tests (motherduck_sandbox.test, the end of motherduck_no_token.test)
# start with require-env FLIGHTS_HELPER_SEES_SANDBOX 1, which holds for a DuckDB whose C API lets an extension
# read enable_external_access at query time: 1.5.6 and later (src/sql/external_access.rs). On 1.4.4 the setting
# is not seen and those functions reach the network as before (README, "DuckDB's sandbox"): they skip.

# sql_line PYTHON,ENV: test/sql against the mock, the no-token test, the fleet test and (MCP_ERA_RUN)
# the other MCP eras and the mock's scenarios, with DuckDB from PYTHON and ENV (VAR=VALUE) in the environment.
define sql_line
$(2) $(TOOLS)/with_mock_mcp.sh $(1) $(SQLLOGICTEST) --extension $(RELEASE_EXT) $(SQL_TESTS)
	env -u MOTHERDUCK_TOKEN -u motherduck_token FLIGHTS_HELPER_NO_TOKEN_TEST=1 $(2) \
		$(1) $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/sql/motherduck_no_token.test
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh $(1) $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/fleet
	$(if $(MCP_ERA_RUN),$(call mcp_eras,$(1),$(2)))
endef

# The mock in each other MCP era (tools/mock_mcp/eras/, --era), with the test files of that era
# (each starts with require-env MOCK_MCP_ERA <era>, so the default run skips them); run unless
# SQL_TESTS names files none of which is a MotherDuck one.
MCP_ERA_RUN = $(if $(filter test/sql test/sql/ %motherduck_era_2026-07-28.test %motherduck_era_dual.test \
	%motherduck_era_2025-11-25.test %motherduck_sandbox.test %motherduck_protocol_pin.test \
	%motherduck_flight_logs.test %motherduck_transport.test \
	$(foreach s,$(MOCK_SCENARIOS_ANY_ERA) $(MOCK_SCENARIOS_LEGACY),%motherduck_scenario_$(s).test),$(SQL_TESTS)),yes)
# The mock-wide scenarios (tools/mock_mcp/scenarios.py), each with its file test/sql/motherduck_scenario_<name>.test
# (which starts with require-env MOCK_MCP_SCENARIO <name>): with_mock_mcp.sh chooses MOCK_MCP_SCENARIO through the
# mock's control endpoint. Those of the logs tool run in the default era and in 2026-07-28; the session ones in the default.
MOCK_SCENARIOS_ANY_ERA = logs_tools_get_flight_logs logs_tools_none logs_tool_renamed quote_authorization
MOCK_SCENARIOS_LEGACY = session_protocol_2025_03_26 session_protocol_2024_11_05
MCP_SQL = $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/sql
define mcp_eras
MOCK_MCP_ARGS="--era 2026-07-28" $(2) $(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_era_2026-07-28.test \
		test/sql/motherduck_sandbox.test test/sql/motherduck_flight_logs.test
	MOCK_MCP_ARGS="--era 2026-07-28" MOCK_MCP_PROTOCOL=legacy $(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_protocol_pin.test
	MOCK_MCP_ARGS="--era dual" $(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_era_dual.test
	MOCK_MCP_ARGS="--era 2025-11-25" $(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_era_2025-11-25.test
	for s in $(MOCK_SCENARIOS_ANY_ERA) $(MOCK_SCENARIOS_LEGACY); do MOCK_MCP_SCENARIO=$$s $(2) \
		$(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_scenario_$$s.test || exit 1; done
	for s in $(MOCK_SCENARIOS_ANY_ERA); do MOCK_MCP_ARGS="--era 2026-07-28" MOCK_MCP_SCENARIO=$$s $(2) \
		$(TOOLS)/with_mock_mcp.sh $(1) $(MCP_SQL)/motherduck_scenario_$$s.test || exit 1; done
endef

## test-live: read-only smoke test against the real MotherDuck MCP endpoint (needs MOTHERDUCK_TOKEN;
## says that it skipped otherwise). Not part of make test.
test-live: venv release
	$(PY_DUCKDB20) test/live/smoke.py

# Panic containment, with the debug build's deliberately panicking functions
# (not the pipeline's test_debug, which runs test/sql against the debug build).
test-debug: venv debug
	RUST_BACKTRACE=0 $(PY_DUCKDB20) $(SQLLOGICTEST) --extension $(DEBUG_EXT) test/debug
	RUST_BACKTRACE=0 $(PY_DUCKDB15) $(SQLLOGICTEST) --extension $(DEBUG_EXT) test/debug
	RUST_BACKTRACE=0 $(PY_DUCKDB14) $(SQLLOGICTEST) --extension $(DEBUG_EXT) test/debug

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
	$(PY_DUCKDB20) $(SQLLOGICTEST) test/install
	$(PY_DUCKDB15) $(SQLLOGICTEST) test/install
	$(PY_DUCKDB20) test/install/test_repository.py
	$(PY_DUCKDB15) test/install/test_repository.py

## docs: docs/function_descriptions.csv and the README function table, from src/sql/docs.rs;
## docs/fleet_audit.svg (README's picture of the fleet audit, drawn with matplotlib: .venv/notebooks)
docs: venv release notebooks-venv
	$(PY_NOTEBOOKS) $(TOOLS)/make_docs.py --extension $(RELEASE_EXT)
	$(PYTHON) $(TOOLS)/check_docs.py

# Fails when docs/function_descriptions.csv or the README table is stale, or an example fails
# (the MotherDuck ones against the mock MCP server on loopback).
test-docs: venv release
	MOCK_MCP_ARGS=--fleet $(TOOLS)/with_mock_mcp.sh $(PY_DUCKDB20) $(TOOLS)/make_docs.py --extension $(RELEASE_EXT) --check
	$(PYTHON) $(TOOLS)/check_docs.py

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
	$(PY_DUCKDB20) $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/stress/hostile_million.test
	$(PY_DUCKDB15) $(SQLLOGICTEST) --extension $(RELEASE_EXT) test/stress/hostile_million.test

## fuzz: each cargo-fuzz target for FUZZ_SECONDS seconds (see fuzz/README.md)
FUZZ_SECONDS ?= 60
fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)

# ---------------------------------------------------------------------------------------------
# Notebooks: examples/ in Jupyter and marimo, run headless in .venv/notebooks (DuckDB 2.0.1,
# tools/requirements-notebooks.txt) and .venv/notebooks-1.5 (DuckDB 1.5.6, the same packages:
# tools/requirements-notebooks-1.5.txt), both built on demand. Not part of make test; .ci/run runs it after.

PY_NOTEBOOKS := $(VENV)/notebooks/bin/python

.PHONY: test-notebooks notebooks-venv notebooks-1.5-venv

notebooks-venv:
	$(TOOLS)/setup_venv.sh notebooks

notebooks-1.5-venv:
	$(TOOLS)/setup_venv.sh notebooks-1.5

## test-notebooks: examples/flights_helper.ipynb executed by nbclient and examples/fleet_audit.py exported by
## marimo, each on DuckDB 2.0.1 and 1.5.6 installing from build/repository and once loading a build installed
## before from elsewhere, failing on any error output; docs/fleet_audit.svg is what the drawing gives
test-notebooks: notebooks-venv notebooks-1.5-venv repository
	$(PY_NOTEBOOKS) $(TOOLS)/run_notebooks.py --extension $(RELEASE_EXT) --out build/notebooks
	$(PY_NOTEBOOKS) $(TOOLS)/fleet_chart.py --extension $(RELEASE_EXT) --check
