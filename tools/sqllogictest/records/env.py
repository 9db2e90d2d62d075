"""``require-env NAME [VALUE]`` (skip the rest of the file unless set) and ``test-env NAME DEFAULT``:
``{NAME}`` then stands for the variable's value. One addition: a Flight behaviour of the mock MCP server
(``require-env MOCK_MCP_FLIGHT_<flight> BEHAVIOUR``) is chosen for the file when the run can (../mock_mcp.py)."""
import os

from ..errors import Malformed, SkipFile


def parse_require_env(reading, header):
    run, params, line = reading.run, header.params, header.line
    if run.loop_stack:
        raise Malformed(line, "require-env cannot be called in a loop")
    if len(params) not in (1, 2):
        raise Malformed(line, "require-env requires 1 argument: <env name> [optional: <expected env val>]")
    value = os.environ.get(params[0])
    if len(params) == 2 and value != params[1] and chosen_for_the_file(run, params, line):
        value = params[1]
    if value is None:
        raise SkipFile(line, f"require-env {params[0]}: environment variable {params[0]} is not set")
    if len(params) == 2 and value != params[1]:
        raise SkipFile(line, f"require-env {params[0]} {params[1]}: it is {value!r}")
    if params[0] in run.env and params[0] not in run.preset_env:
        raise Malformed(line, f"environment variable {params[0]!r} has already been defined")
    run.env[params[0]] = value


def parse_test_env(reading, header):
    run, params, line = reading.run, header.params, header.line
    if run.loop_stack:
        raise Malformed(line, "test-env cannot be called in a loop")
    if len(params) != 2:
        raise Malformed(line, "test-env requires 2 arguments: <env name> <default env val>")
    run.env[params[0]] = os.environ.get(params[0], params[1])


def chosen_for_the_file(run, params, line):
    """True when the mock MCP server was told to do what ``require-env NAME VALUE`` asks, for this file."""
    try:
        return run.mock_flights.meet(params[0], params[1])
    except ValueError as e:
        raise Malformed(line, f"require-env {params[0]} {params[1]}: {e}") from None
