"""``skipif|onlyif SYSTEM`` and ``skipif|onlyif VAR=VALUE[&&...]``: prefixes of the record that follows.

They are not records of their own: the reader hands each header to ``read``, which
consumes any prefixes and returns the header of the record they apply to (with its
loop-variable conditions), or None when a system name skips that record.
"""
from ..errors import Malformed
from ..parsing import parse_conditions

WORDS = ("skipif", "onlyif")


def read(reading, header):
    conditions = []
    while header.word in WORDS:
        skip_if = header.word == "skipif"
        if not header.params:
            raise Malformed(header.line, "skipif/onlyif requires a single parameter (e.g. skipif duckdb)")
        system = header.params[0].lower()
        parsed = parse_conditions(system, skip_if, header.line)
        if parsed is None:
            if (system == "duckdb") == skip_if:
                return None
        else:
            conditions.extend(parsed)
        reading.parser.advance()
        header = reading.header()
    header.conditions = conditions
    return header
