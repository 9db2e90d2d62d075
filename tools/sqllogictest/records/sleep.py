"""``sleep N UNIT``: pause the file."""
from ..errors import Malformed
from ..parsing import Record

UNITS = {"second": 1, "seconds": 1, "sec": 1, "millisecond": 1e-3, "milliseconds": 1e-3, "milli": 1e-3,
         "microsecond": 1e-6, "microseconds": 1e-6, "micro": 1e-6, "nanosecond": 1e-9, "nanoseconds": 1e-9,
         "nano": 1e-9}


def parse(reading, header):
    params = header.params
    if len(params) != 2 or not params[0].isdigit() or params[1] not in UNITS:
        raise Malformed(header.line, "sleep requires two parameters (e.g. sleep 1 second)")
    reading.run.dispatch(Record("sleep", header.line, seconds=int(params[0]) * UNITS[params[1]]))
