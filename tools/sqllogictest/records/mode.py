"""``mode skip [REASON]`` / ``mode unskip`` (read even while skipping), and
``mode output_hash|output_result|no_output|debug`` (run by FileRun.other)."""
from ..errors import Malformed
from ..parsing import Record


def parse(reading, header):
    params = header.params
    if not params:
        raise Malformed(header.line, "mode requires at least one parameter")
    if params[0] == "skip":
        reading.skip(" ".join(params[1:]) or "unspecified")
    elif params[0] == "unskip":
        reading.unskip()
    else:
        reading.run.dispatch(Record("mode", header.line, mode=params[0]))
