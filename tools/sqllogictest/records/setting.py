"""``set variable NAME VALUE|<variable:[CONNECTION:]NAME>``, ``set seed X``,
``set ignore_error_messages|always_fail_error_messages A, B, ...``."""
from ..errors import Malformed
from ..parsing import SPACES


def parse(reading, header):
    run, params, line = reading.run, header.params, header.line
    if not params:
        raise Malformed(line, "set requires at least 1 parameter")
    what = params[0]
    if what in ("ignore_error_messages", "always_fail_error_messages"):
        items = set(s.strip(SPACES) for s in " ".join(params[1:]).split(","))
        items.discard("")
        if what == "ignore_error_messages":
            run.ignore_errors = items
        else:
            run.always_fail = items
    elif what == "seed":
        if len(params) != 2:
            raise Malformed(line, "set seed requires a single seed value")
        try:
            seed = float(params[1])
        except ValueError:
            raise Malformed(line, "set seed requires a floating point parameter")
        run.con.execute(f"SELECT setseed({seed!r})").fetchall()
    elif what == "variable":
        if len(params) != 3:
            raise Malformed(line, "set variable requires two parameters (name value)")
        value = params[2]
        if value.startswith("<variable:"):
            value = variable(run, value, line)
        run.env[params[1]] = value
    else:
        raise Malformed(line, f"unrecognized set parameter: {what}")


def variable(run, token, line):
    """The VARCHAR value of ``<variable:NAME>`` (a DuckDB variable of the main connection, or of the
    named connection in ``<variable:CONNECTION:NAME>``)."""
    name = token[len("<variable:"):-1]
    con = run.con
    if ":" in name:
        con_name, name = name.split(":", 1)
        if con_name not in run.named:
            raise Malformed(line, f"no connection {con_name!r} for {token}")
        con = run.named[con_name]
    value = con.execute("SELECT CAST(getvariable($1) AS VARCHAR)", [name]).fetchall()[0][0]
    if value is None:
        raise Malformed(line, f"variable {name!r} is not defined (or NULL)")
    return value
