"""``reset label NAME``: forget the hash a query LABEL remembered."""
from ..errors import Malformed
from ..parsing import Record


def parse(reading, header):
    params = header.params
    if len(params) != 2 or params[0].lower() != "label":
        raise Malformed(header.line, "expected reset label NAME")
    reading.run.dispatch(Record("reset", header.line, label=params[1]))
