"""``tags ...``: labels for selecting tests; only checked to come before the first statement or query."""
from ..errors import Malformed


def parse(reading, header):
    if reading.run.statements_seen:
        raise Malformed(header.line, "tags expression must precede test commands")
