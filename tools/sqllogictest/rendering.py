"""Running SQL on a connection and rendering each result value as DuckDB's runner prints it."""
import warnings

import duckdb


class Result:
    """What one record's SQL gave: an error message, or column names/types and rendered values."""

    def __init__(self, error=None, names=(), types=(), values=(), rows=0):
        self.error = error
        self.names = list(names)
        self.types = list(types)
        self.values = list(values)
        self.rows = rows


def fetch_arrow(con):
    fetch = getattr(con, "to_arrow_table", None) or con.fetch_arrow_table
    with warnings.catch_warnings():  # DuckDB 2.x: "Arrow output on a DB-API result makes an extra copy"
        warnings.simplefilter("ignore")
        return fetch()


def render_value(text, type_name):
    """DuckDB's SQLLogicTestConvertValue, from the value's VARCHAR cast."""
    if text is None:
        return "NULL"
    if type_name == "BOOLEAN":
        return "1" if text == "true" else "0"
    if text == "":
        return "(empty)"
    return text.replace("\0", "\\0")


# DuckDB 1.x's DB-API Arrow export of a materialized result (anything but a streaming SELECT/EXPLAIN)
# runs an internal query that PRAGMA enable_verification rejects; such results are read as Python
# values instead (they are materialized, so every error has already been raised).
ARROW_SAFE_ON_1X = ("SELECT", "EXPLAIN", "EXECUTE")


def execute(con, render_con, sql, render=True, helper=None):
    """Run ``sql`` on ``con`` as written; return a Result (the error, or the rendered rows)."""
    python_values = False
    if duckdb.__version__.startswith("1."):
        try:
            statements = con.extract_statements(sql)
            last_type = statements[-1].type.name if statements else "SELECT"
        except duckdb.Error:
            last_type = "SELECT"  # the parse error is raised by execute below
        python_values = last_type not in ARROW_SAFE_ON_1X
    try:
        con.execute(sql)
        description = con.description
        if description is not None and duckdb.__version__.startswith("1.") \
                and any("VARIANT" in str(d[1]) for d in description):
            python_values = True  # DuckDB 1.x cannot export VARIANT to Arrow
        if description is None or (python_values and not render):
            table = None
        elif python_values:
            table = con.fetchall()
        else:
            table = fetch_arrow(con)
    except duckdb.Error as e:
        return Result(error=str(e))
    if description is None:
        return Result()
    names = [d[0] for d in description]
    types = [str(d[1]) for d in description]
    if python_values:
        if not render:
            return Result(names=names, types=types)
        return Result(names=names, types=types, rows=len(table),
                      values=[render_value(render_python(helper or render_con, v, types[c]), types[c])
                              for row in table for c, v in enumerate(row)])
    if not render or table.num_columns == 0:
        return Result(names=names, types=types, rows=table.num_rows)
    table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])  # duplicate names
    rel = render_con.from_arrow(table)
    imported = [str(t) for t in rel.types]
    casts = []
    for i, (want, got) in enumerate(zip(types, imported)):
        if want == "TUPLE":  # the empty unnamed STRUCT has no Arrow form: DuckDB renders it ()
            casts.append(f"CASE WHEN #{i + 1} IS NOT NULL THEN '()' END")
            continue
        if want != got:  # e.g. an ENUM or unnamed STRUCT comes back from Arrow as VARCHAR/named STRUCT
            try:
                render_con.from_arrow(table).project(f"CAST(CAST(#{i + 1} AS {want}) AS VARCHAR)").limit(1).fetchall()
                casts.append(f"CAST(CAST(#{i + 1} AS {want}) AS VARCHAR)")
                continue
            except duckdb.Error:
                pass
        casts.append(f"CAST(#{i + 1} AS VARCHAR)")
    rows = rel.project(", ".join(casts)).fetchall()
    values = [render_value(v, types[c]) for row in rows for c, v in enumerate(row)]
    return Result(names=names, types=types, values=values, rows=len(rows))


def settings(con):
    """Every setting of the connection and its current value."""
    return {name: value for name, value in con.execute("SELECT name, value FROM duckdb_settings()").fetchall()
            if value is not None}


def render_python(con, value, type_name):
    """DuckDB's VARCHAR cast of a Python value read from a column of ``type_name``."""
    if value is None:
        return None
    try:
        return con.execute(f"SELECT CAST(CAST($1 AS {type_name}) AS VARCHAR)", [value]).fetchall()[0][0]
    except duckdb.Error:  # e.g. a user-defined ENUM the helper database does not know
        return str(value).lower() if isinstance(value, bool) else str(value)


