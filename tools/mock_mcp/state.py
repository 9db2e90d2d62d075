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
        self.streams = {}  # stream id -> {"session", "answer", "closed", "retry_ms", "resumes_left", "scenario"}
        self.expire_calls = 0
        self.break_calls = 0
        self.broken_ids = set()
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

    def flight_scenarios_in(self, message):
        """The Flight scenarios a request names (by keywords or id): decided per request."""
        args = (message.get("params") or {}).get("arguments") or {}
        named = set()
        if isinstance(args.get("keywords"), str):
            words = set(args["keywords"].lower().split())
            named.update(f.scenario for f in self.flights.values() if f.scenario and f.name in words)
        flight = self.flights.get(args.get("id"))
        if flight and flight.scenario:
            named.add(flight.scenario)
        return named
