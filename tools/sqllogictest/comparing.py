"""DuckDB's rules for comparing values: full-match regexes, numbers, sort orders."""
import re
import struct

import re2  # google-re2: DuckDB's runner matches with RE2 (cli.py says what to install when it is missing)

NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "UTINYINT",
                 "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
HASH_RE = re.compile(r"[0-9]+ values hashing to [0-9a-z]{32}")


def regex_matches(text, spec):
    """DuckDB's MatchesRegex: (matched as wanted, error message or None)."""
    want = spec.startswith("<REGEX>:")
    pattern = spec.replace("<REGEX>:", "").replace("<!REGEX>:", "")
    options = re2.Options()
    options.dot_nl = True
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as e:
        message = e.args[0] if e.args else e
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return False, f"failed to parse the RE2 regex {pattern!r}: {message}"
    return (compiled.fullmatch(text) is not None) == want, None


def f32(x):
    """Round a Python float to single precision."""
    return struct.unpack("f", struct.pack("f", x))[0]


def approx_equal(expected, actual, single):
    """DuckDB's ApproxEqual(expected, actual) for FLOAT (single) or DOUBLE."""
    if expected != expected and actual != actual:
        return True
    if expected in (float("inf"), float("-inf")) or actual in (float("inf"), float("-inf")) \
            or expected != expected or actual != actual:
        return expected == actual
    if single:
        epsilon = f32(abs(actual) * 0.01 + 0.00000001)
        return abs(f32(expected - actual)) <= epsilon
    return abs(expected - actual) <= abs(actual) * 0.01 + 0.00000001


def sort_values(values, style, ncols):
    """DuckDB's SortQueryResult (on the actual values only)."""
    if style == "valuesort":
        return sorted(values, key=lambda v: v.encode("utf-8", "surrogatepass"))
    if style == "rowsort" and ncols:
        rows = [values[i:i + ncols] for i in range(0, len(values), ncols)]
        rows.sort(key=lambda r: [v.encode("utf-8", "surrogatepass") for v in r])
        return [v for row in rows for v in row]
    return list(values)


