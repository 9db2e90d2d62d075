"""The runner's one tie to the project's mock MCP server (tools/mock_mcp/): a test file's Flight behaviours.

``require-env MOCK_MCP_FLIGHT_<flight name> BEHAVIOUR`` says that the file needs that Flight of the mock
to misbehave so (tools/mock_mcp/scenarios.py, FLIGHT_BEHAVIOURS). DuckDB's runner runs the rest of the
file only in a run started with that variable, where tools/with_mock_mcp.sh has chosen it through the
mock's control endpoint. This runner, when the environment does not hold it but has MOCK_MCP_CONTROL
(the control endpoint's URL, exported by with_mock_mcp.sh), chooses it for this file: it reads the
scenario in force (GET), puts it back with the file's Flight behaviours added (POST), and puts the scenario
it read back when the file ends. Either way the file runs only with the mock doing what it says.
Any other variable, or no MOCK_MCP_CONTROL: require-env as DuckDB's runner reads it.
"""
import json
import os
import urllib.error
import urllib.request

PREFIX = "MOCK_MCP_FLIGHT_"
CONTROL = "MOCK_MCP_CONTROL"


class MockFlights:
    """The Flight behaviours one file chose, and the scenario to restore after it."""

    def __init__(self):
        self.saved = None   # the scenario in force before the file chose any: {"name", "flights"}
        self.chosen = {}    # {Flight name: behaviour} this file asked for

    def meet(self, name, value):
        """Choose ``require-env NAME VALUE`` through the control endpoint when this runner can; True when it
        did. ValueError with the mock's own words when the mock refuses it (an unknown Flight or behaviour)."""
        url = os.environ.get(CONTROL)
        if not url or not name.startswith(PREFIX) or value is None:
            return False
        saved = self.saved
        if saved is None:
            scenario = request(url, "GET")
            saved = {"name": scenario["name"], "flights": scenario["flights"]}
        chosen = dict(self.chosen, **{name[len(PREFIX):]: value})
        request(url, "POST", {"name": saved["name"], "flights": dict(saved["flights"], **chosen)})
        self.saved, self.chosen = saved, chosen  # refused: the mock changed nothing, nothing to restore
        return True

    def restore(self):
        """Put back the scenario in force before the file; ValueError when the mock refuses it."""
        if self.saved is not None:
            saved, self.saved, self.chosen = self.saved, None, {}
            request(os.environ[CONTROL], "POST", saved)


def request(url, method, body=None):
    data = None if body is None else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, method=method), timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as e:
        try:
            error = json.loads(e.read()).get("error")
        except ValueError:
            error = None
        raise ValueError(f"the mock MCP server at {url} answered HTTP {e.code}: {error}") from None
    except (OSError, ValueError) as e:
        raise ValueError(f"the mock MCP server at {url} could not be reached: {e}") from None
