"""``loop VAR START END`` / ``foreach VAR A B ...`` (and their ``concurrent`` forms), ``endloop``, ``continue``.

A loop collects the records up to its ``endloop`` in its body (FileRun.start_loop
and dispatch), and the outermost one runs when it ends.
"""
import re

from ..errors import Malformed
from ..parsing import Record


def parse_loop(reading, header):
    params = header.params
    if len(params) != 3 or not all(re.fullmatch(r"\s*[-+]?[0-9]+.*", p) for p in params[1:]):
        raise Malformed(header.line, "expected loop [iterator_name] [start] [end] (e.g. loop i 1 300)")
    start, end = (int(re.match(r"\s*([-+]?[0-9]+)", p).group(1)) for p in params[1:])
    reading.run.start_loop(Record("loop", header.line, name=params[0], start=start, end=end, tokens=None,
                                  concurrent=header.word == "concurrentloop", body=[]))


def parse_foreach(reading, header):
    params = header.params
    if len(params) < 2:
        raise Malformed(header.line, "expected foreach [iterator_name] [m1] [m2] [etc...]")
    reading.run.start_loop(Record("loop", header.line, name=params[0], start=0, end=0, tokens=params[1:],
                                  concurrent=header.word == "concurrentforeach", body=[]))


def parse_endloop(reading, header):
    run = reading.run
    if not run.loop_stack:
        raise Malformed(header.line, "endloop without active loop")
    loop = run.loop_stack.pop()
    if not run.loop_stack:
        run.execute(loop, [])


def parse_continue(reading, header):
    if not reading.run.loop_stack:
        raise Malformed(header.line, "continue cannot be called outside of a loop")
    reading.run.dispatch(Record("continue", header.line, conditions=header.conditions))
