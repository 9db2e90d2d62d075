"""Everything the mock remembers, in one object per server (handlers reach it as self.state)."""
import itertools
import threading

from . import fixtures
from .scenarios import Scenario


class MockState:
    def __init__(self, era="2025-06-18", bench_flights=None, delay_ms=0, fleet=False, token="test-token-0123456789"):
        self.era = era
        self.token = token
        self.scenario = Scenario()
        self.lock = threading.Lock()
        self.sessions = {}  # id -> protocol version
        self.streams = {}  # stream id -> {"session", "answer", "closed", "retry_ms", "resumes_left", "behaviour"}
        self.counter = itertools.count(1)
        self.other_origin = {"requests": 0, "with_token": 0}
        self.other_port = 0
        self.pings_answered = 0
        self.counts = {"requests": 0, "initialize": 0, "get": 0, "delete": 0, "sessions": 0}
        self.delay = delay_ms / 1000.0
        self.flights = {}  # id -> fixtures.FlightFixture
        self.order = []
        for flight in fixtures.catalogue(bench_flights, fleet):
            self.flights[flight.id] = flight
            self.order.append(flight.id)

    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def take_counts(self):
        """The counts since the last take (this request excluded), reset."""
        with self.lock:
            counts = dict(self.counts, requests=self.counts["requests"] - 1)
            self.counts = dict.fromkeys(self.counts, 0)
        return counts

    def report(self):
        with self.lock:
            return {"counts": dict(self.counts), "other_origin": dict(self.other_origin),
                    "live_sessions": len(self.sessions), "pings_answered": self.pings_answered,
                    "scenario": self.scenario.describe()}

    def choose(self, body):
        """The scenario a control request's body names ({"name": ..., "flights": {FLIGHT: BEHAVIOUR}}),
        put in force; ValueError naming what is wrong (nothing changes then)."""
        if not isinstance(body, dict) or set(body) - {"name", "flights"}:
            raise ValueError('the body must be a JSON object with "name" and/or "flights"')
        flights = body.get("flights") or {}
        if not isinstance(flights, dict):
            raise ValueError('"flights" must be an object {FLIGHT name or id: BEHAVIOUR}')
        scenario = Scenario(body.get("name"), {self.flight_id(flight): b for flight, b in flights.items()})
        with self.lock:
            self.scenario = scenario
        return scenario

    def flight_id(self, flight):
        """The id of a Flight of the catalogue, given its id or its (unique) name."""
        if not isinstance(flight, str):
            raise ValueError(f"a Flight is named by its name or id, not {flight!r}")
        if flight in self.flights:
            return flight
        ids = [i for i in self.order if self.flights[i].name == flight]
        if len(ids) != 1:
            many = f"{len(ids)} Flights are" if ids else "no Flight is"
            raise ValueError(f"{many} named {flight!r} in the mock's catalogue: name one Flight by its name or id")
        return ids[0]

    def behaviours_in(self, message):
        """The behaviours of the Flights a request names (by id, or by name among list_flights' keywords)."""
        args = (message.get("params") or {}).get("arguments") or {}
        scenario, named = self.scenario, set()
        if isinstance(args.get("keywords"), str):
            words = set(args["keywords"].lower().split())
            named.update(b for i, b in scenario.flights.items() if self.flights[i].name in words)
        behaviour = scenario.behaviour(args.get("id"))
        if behaviour:
            named.add(behaviour)
        return named
