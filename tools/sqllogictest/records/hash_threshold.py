"""``hash-threshold N``: queries with more values than N compare their hash."""
import re

from ..errors import Malformed


def parse(reading, header):
    params = header.params
    if len(params) != 1 or not re.fullmatch(r"-?[0-9]+", params[0]):
        raise Malformed(header.line, "hash-threshold requires a number")
    reading.run.hash_threshold = int(params[0])
