"""A mock of MotherDuck's remote MCP server, for the extension's SQL tests, benchmark and demo.

Loopback only. Answers ONLY in the shapes MotherDuck documents (fixtures.py: each template names the
docs page it follows) and ENFORCES what the MCP spec pages require of a client, per era (eras/).
  transport.py  HTTP: replies, JSON-RPC errors, event streams, header decoding, the listeners (and the
                second origin a redirect points to)
  eras/         one module per era's rules: legacy.py (sessions), polling.py (2025-11-25 streams),
                modern.py (2026-07-28 headers and _meta); __init__.py says which era serves a request
  fixtures.py   the Flights, versions, runs and logs, each naming the docs page it follows (none misbehaves)
  tools.py      the MotherDuck tools (list_flights, get_flight, versions, runs, the logs tool)
  scenarios.py  what is chosen through POST /_control/scenario: the mock-wide scenarios and the Flight
                behaviours (a Flight misbehaves only when chosen so, never by its name or id); the
                reports SQL reads
  state.py      everything the mock remembers, one object per server
  server.py     the handler, the control endpoint, main()
tools/mock_mcp_server.py is the entry point scripts call.
"""
