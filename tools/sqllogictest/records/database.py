"""``load PATH [readonly|readwrite] [VERSION]``, ``restart [no_extension_load]``, ``reconnect``:
the file's database and main connection (opened again by FileRun.other)."""
from ..errors import Malformed
from ..parsing import Record


def parse_load(reading, header):
    run, params, line = reading.run, header.params, header.line
    readonly = False
    if len(params) > 1:
        if params[1].lower() not in ("readonly", "readwrite"):
            raise Malformed(line, f"parameter to 'load' is invalid, received {params[1]!r}")
        readonly = params[1].lower() == "readonly"
    path = run.replace_keywords(params[0]) if params else ""
    run.dispatch(Record("load", line, db=path, readonly=readonly, version=params[2] if len(params) > 2 else None))


def parse_restart(reading, header):
    reading.run.dispatch(Record("restart", header.line, load=not (header.params == ["no_extension_load"])))


def parse_reconnect(reading, header):
    reading.run.dispatch(Record("reconnect", header.line))
