"""``halt``: the rest of the file is not run (its statements and queries count as skipped)."""
from ..errors import StopFile


def parse(reading, header):
    raise StopFile()
