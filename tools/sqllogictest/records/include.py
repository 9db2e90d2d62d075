"""``include PATH``: read the records of another file here."""
from ..errors import Malformed


def parse(reading, header):
    if len(header.params) != 1:
        raise Malformed(header.line, "expected include <path>")
    reading.parser.open_include(header.params[0], header.line)
