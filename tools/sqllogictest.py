#!/usr/bin/env python3
"""A sqllogictest runner for DuckDB's `.test` dialect, over the `duckdb` Python package.

It judges a file the way DuckDB's own runner (``test/sqlite`` in duckdb/duckdb)
does, so a file that passes here passes there and the other way round.

Usage (with the python of a venv that has duckdb, pyarrow and google-re2)::

    python sqllogictest.py [--extension build/release/flights_helper.duckdb_extension]
                           [--extension-name flights_helper] [--no-unsigned]
                           [--verbose] FILE_OR_DIR...

Directories are searched recursively for ``*.test`` files; all files run in
sorted order, each in a fresh in-memory database opened as DuckDB's runner
opens it: ``allow_unsigned_extensions`` (unless ``--no-unsigned``),
``allow_unredacted_secrets``, no extension autoloading or autoinstalling, and
``secret_directory`` inside the file's ``{TEST_DIR}``.

Settings at open: a comment line ``# runner-config: NAME=VALUE [NAME=VALUE...]``
before the first statement or query is added to the configuration the database
is opened with (also on ``restart``/``load``), e.g.
``# runner-config: allow_unsigned_extensions=false``. DuckDB's runner reads it
as a comment. ``--no-unsigned`` opens every file without
allow_unsigned_extensions (a file's runner-config can still set it).

The format, as DuckDB's runner reads it (records are separated by empty lines;
a line is empty only when it has no characters at all; ``#`` starts a comment
line only in the first column; ``\\r`` is dropped):

``statement ok|error|maybe [CONNECTION]``
    SQL on the following lines, up to an empty line, a comment line or ``----``.
    ``error`` needs ``----`` and an expected message (it may be empty: any
    error); the statement passes when it fails with an error that contains the
    message, or whose text plus a newline matches it in full when it starts
    with ``<REGEX>:`` (``<!REGEX>:``: does not match), with RE2 and ``.``
    matching newlines. An error containing ``INTERNAL`` never passes
    (``set always_fail_error_messages`` changes the list). ``maybe`` passes
    on success or on a matching error. ``ok`` takes no ``----``.
``query <T|I|R letters> [nosort|rowsort|sort|valuesort|CONNECTION] [LABEL]``
    SQL, ``----``, then the expected values: one row per line with values
    separated by tabs, or one value per line (rows x columns lines). Each
    result value is DuckDB's own VARCHAR cast of it, a top-level BOOLEAN as
    ``1``/``0``, NULL as ``NULL``, the empty string as ``(empty)`` and a NUL
    character as ``\\0``. An expected value matches when it is the same text
    (also after keyword replacement), when it is ``<REGEX>:``/``<!REGEX>:``
    (a full RE2 match as above), when the column is numeric and both cast to
    the column's type are equal (FLOAT/DOUBLE: within 1% + 1e-8), or when the
    column is BOOLEAN and both read as the same truth value (``true``,
    ``false`` in any case, ``1``, ``0``). ``rowsort``/``sort`` sort the
    result rows and ``valuesort`` all result values before comparing; the
    expected values are never sorted. ``N values hashing to <md5>`` compares
    the MD5 of every result value followed by a newline; a LABEL compares the
    hash with the earlier queries of the same label. The number of letters
    must be the number of columns.
``require NAME``
    The extension under test (``--extension-name``): LOAD the ``--extension``
    file; failing that fails the file. DuckDB's own requirements
    (``vector_size N``, ``notwindows``, ``64bit``, ``ram 8gb``, ...) are
    evaluated; any other NAME is ``LOAD NAME``, and the rest of the file is
    skipped when that fails (unknown extension names fail the file).
``require-env NAME [VALUE]`` / ``test-env NAME DEFAULT``
    Skip the rest of the file unless the environment variable is set (and
    equal); ``{NAME}`` then stands for its value.
``mode skip [REASON]`` / ``mode unskip``; ``mode output_hash|output_result|no_output|debug``
    Records in between are counted as skipped, with the reason.
``skipif|onlyif SYSTEM`` or ``skipif|onlyif VAR=VALUE[&&...]`` (before a record)
    ``skipif duckdb``/``onlyif OTHER`` skip the record; loop variables may be
    compared with ``= <> < > <= >=``.
``loop VAR START END`` / ``foreach VAR A B ...`` / ``concurrentloop`` /
``concurrentforeach`` ... ``endloop``
    Repeat the records with ``{VAR}`` replaced in their SQL (foreach knows
    ``<integral>``, ``<numeric>``, ``<alltypes>``, ``<compression>``, ...).
    Concurrent loops run their iterations one after another, each on its own
    connection (one valid interleaving).
``halt``, ``hash-threshold N``, ``set variable|seed|ignore_error_messages|always_fail_error_messages ...``,
``reset label L``, ``load PATH [readonly|readwrite] [VERSION]``, ``restart``, ``reconnect``,
``sleep N UNIT``, ``unzip IN [OUT]``, ``tags ...``, ``continue``, ``include PATH``
    As in DuckDB's runner. ``restart`` reopens the database and loads the
    required extensions again, without carrying session settings over.

Replaced in SQL and compared expected values: ``{TEST_DIR}``/``__TEST_DIR__``
and ``{TEMP_DIR}`` (a temporary folder per file), ``{WORKING_DIRECTORY}``/
``__WORKING_DIRECTORY__``, ``{UUID}`` (a new one each time), ``{TEST_NAME}``,
``{BASE_TEST_NAME}``, ``{DATA_DIR}`` and the ``{NAME}`` of require-env,
test-env and ``set variable`` (legacy ``${NAME}`` too).

Each record runs with ``con.execute`` exactly as written (multi-statement
text runs whole; its result is the last statement's). The result is read as
Arrow (``arrow_lossless_conversion``) and DuckDB casts each value to VARCHAR
on the same connection. The connection has ``python_enable_replacements``
off, so a missing table is an error, never a Python variable.

Deliberate differences from DuckDB's runner: a failing record does not stop
the file (every failure is reported; the file's verdict is the same);
errors with ``HTTP`` or ``Unable to connect`` are failures, not skips (DuckDB's
default ``skip_error_messages``; ``set ignore_error_messages`` still works);
``<FILE>:`` results and the original-sqlite float rules are not supported.
On DuckDB 1.x the result of anything but a SELECT/EXPLAIN (materialized, e.g.
``INSERT ... RETURNING``, ``CALL``, ``PRAGMA``) is read as Python values and
cast back to text in a helper database, because 1.x's Arrow export of such a
result fails under ``PRAGMA enable_verification`` (a TIMESTAMPTZ there needs
pytz, an INTERVAL loses its months).

Prints the DuckDB version, one line per file, each failure with file:line,
the SQL, expected and actual side by side, and ends with the line
``N passed, N failed`` (``, N skipped`` appended when some were), counting
statements and queries. Exits 1 when any record failed or none ran.
"""
import argparse
import gzip
import hashlib
import os
import re
import shutil
import struct
import sys
import tempfile
import time
import traceback
import uuid
import warnings

import duckdb

try:  # both are pinned in requirements-duckdb-*.txt; a clear message beats a traceback
    import pyarrow  # noqa: F401  (DuckDB's Arrow export needs it)
    import re2
except ImportError as _missing:  # pragma: no cover
    sys.stderr.write(f"sqllogictest.py needs pyarrow and google-re2 ({_missing}); run tools/setup_venv.sh\n")
    sys.exit(2)

EXTENSION_SUFFIX = ".duckdb_extension"
SPACES = " \t\n\v\f\r"
SORT_STYLES = {"nosort": "nosort", "none": "nosort", "rowsort": "rowsort", "sort": "rowsort",
               "valuesort": "valuesort"}
NUMERIC_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "UTINYINT",
                 "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
HASH_RE = re.compile(r"[0-9]+ values hashing to [0-9a-z]{32}")
CONFIG_LINE = re.compile(r"^# runner-config:(.*)$")
# Record types that must stand alone on their line (DuckDB: IsSingleLineStatement).
SINGLE_LINE = {"hash-threshold", "halt", "mode", "set", "reset", "loop", "foreach", "concurrentloop",
               "concurrentforeach", "endloop", "require", "require-env", "test-env", "load", "restart",
               "reconnect", "sleep", "unzip", "tags", "continue", "include"}
COMMANDS = SINGLE_LINE | {"skipif", "onlyif", "statement", "query"}
STATEMENT_KINDS = ("ok", "error", "maybe", "debug", "debug_skip")
# `require X` answered by the runner itself (name -> present?).
PLATFORM_REQUIRES = {"notmusl": True, "notmingw": True, "mingw": False, "notwindows": True, "windows": False,
                     "longdouble": True, "64bit": struct.calcsize("P") == 8, "noforcestorage": True,
                     "no_force_storage": True, "nothreadsan": True, "strinline": True, "skip_reload": True,
                     "no_alternative_verify": True, "no_latest_storage": True, "no_vector_verification": True,
                     "vacuum_rebuild_indexes": False}
VECTOR_SIZE = 2048
DEFAULT_BLOCK_SIZE = 262144
FOREACH_SETS = {
    "<signed>": ["tinyint", "smallint", "integer", "bigint", "hugeint"],
    "<unsigned>": ["utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"],
    "<compression>": ["none", "uncompressed", "rle", "bitpacking", "dictionary", "fsst", "dict_fsst", "alp", "alprd"],
    "<all_types_columns>": [
        "bool", "tinyint", "smallint", "int", "bigint", "hugeint", "uhugeint", "utinyint", "usmallint", "uint",
        "ubigint", "date", "time", "timestamp", "timestamp_s", "timestamp_ms", "timestamp_ns", "time_tz",
        "timestamp_tz", "float", "double", "dec_4_1", "dec_9_4", "dec_18_6", "dec38_10", "uuid", "interval",
        "varchar", "blob", "bit", "small_enum", "medium_enum", "large_enum", "int_array", "double_array",
        "date_array", "timestamp_array", "timestamptz_array", "varchar_array", "nested_int_array", "struct",
        "struct_of_arrays", "array_of_structs", "map", "union", "fixed_int_array", "fixed_varchar_array",
        "fixed_nested_int_array", "fixed_nested_varchar_array", "fixed_struct_array", "struct_of_fixed_array",
        "fixed_array_of_int_list", "list_of_fixed_int_array"],
}


class Malformed(Exception):
    """The .test file itself is wrong at a line (DuckDB's runner fails the file there)."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


class SkipFile(Exception):
    """The rest of the file is skipped (a requirement is missing)."""

    def __init__(self, line, reason):
        super().__init__(reason)
        self.line = line


class StopFile(Exception):
    """The file stops here without a failure of its own (halt, or an error DuckDB ignores)."""


class Record:
    """One statement or query (or a loop, or a loop-level `continue`) of a .test file."""

    def __init__(self, kind, line, **fields):
        self.kind = kind          # "statement", "query", "loop", "continue", "mode", "reset", "restart", ...
        self.line = line          # 1-based line of the header
        self.sql = ""
        self.expected = None      # statement: expected error text ("" = any); query: expected value lines
        self.conditions = []      # (name, operator, value, skip_if) on loop variables
        self.connection = None
        self.__dict__.update(fields)


def split_tokens(line):
    """Split a header line on DuckDB's space characters."""
    return [t for t in re.split("[" + re.escape(SPACES) + "]", line) if t]


def duck_split(text, sep):
    """DuckDB's StringUtil::Split: empty pieces are dropped; nothing left gives [text]."""
    pieces = [p for p in text.split(sep) if p]
    return pieces or [text]


def empty_or_comment(line):
    return line == "" or line.startswith("#")


class Parser:
    """Reads records the way DuckDB's SQLLogicParser does, one at a time."""

    def __init__(self, text, path):
        self.path = path
        self.lines = [line.replace("\r", "") for line in text.split("\n")]
        if self.lines and self.lines[-1] == "":
            self.lines.pop()  # getline() yields no line after the final newline
        self.current = 0
        self.seen = False
        self.include = None

    def has(self, index):
        return 0 <= index < len(self.lines)

    def line(self, index):
        if not self.has(index):
            raise Malformed(index + 1, "unexpected end of file")
        return self.lines[index]

    def next_record(self):
        """Move to the next record's first line; False at the end of the file."""
        if self.include is not None:
            if self.include.next_record():
                return True
            self.include = None
        if self.seen:
            while self.has(self.current) and not empty_or_comment(self.lines[self.current]):
                self.current += 1
        self.seen = True
        while self.has(self.current) and empty_or_comment(self.lines[self.current]):
            self.current += 1
        return self.has(self.current)

    def active(self):
        return self.include.active() if self.include is not None else self

    def tokenize(self):
        p = self.active()
        line = p.line(p.current)
        tokens = split_tokens(line)
        if not tokens:
            raise Malformed(p.current + 1, "a line with only spaces is neither empty nor a record (Empty line!?)")
        if tokens[0] not in COMMANDS:
            raise Malformed(p.current + 1, f"unrecognized record type {tokens[0]!r}")
        return tokens[0], tokens[1:]

    def next_line_empty_or_comment(self):
        p = self.active()
        return not p.has(p.current + 1) or empty_or_comment(p.lines[p.current + 1])

    def advance(self):
        p = self.active()
        p.current += 1

    def header_line(self):
        p = self.active()
        return p.current + 1

    def where(self):
        p = self.active()
        return p.path

    def extract_statement(self):
        p = self.active()
        out = []
        while p.has(p.current) and not empty_or_comment(p.lines[p.current]):
            if p.lines[p.current] == "----":
                break
            out.append(p.lines[p.current])
            p.current += 1
        return "\n".join(out)

    def extract_expected_result(self):
        p = self.active()
        if p.has(p.current) and p.lines[p.current] == "----":
            p.current += 1
        out = []
        while p.has(p.current) and p.lines[p.current] != "":
            out.append(p.lines[p.current])
            p.current += 1
        return out

    def extract_expected_error(self, kind, line):
        p = self.active()
        wants_message = kind in ("error", "maybe")
        if not p.has(p.current) or p.lines[p.current] != "----":
            if wants_message:
                raise Malformed(line, f"'statement {kind}' needs a '----' line and the expected error "
                                               "message (DuckDB's runner refuses the file otherwise)")
            return ""
        if not wants_message:
            raise Malformed(line, f"only 'statement error' or 'statement maybe' take a '----' section, "
                                           f"not 'statement {kind}' (use 'query' to check results)")
        p.current += 1
        out = []
        while p.has(p.current) and p.lines[p.current] != "":
            out.append(p.lines[p.current])
            p.current += 1
        return "\n".join(out)

    def open_include(self, path, line):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise Malformed(line, f"cannot open include file {path}: {e}")
        target = self
        while target.include is not None:
            target = target.include
        target.include = Parser(text, path)


def parse_conditions(text, skip_if, line):
    """Loop-variable conditions of skipif/onlyif; None when ``text`` is a system name."""
    if not any(c in text for c in "=<>"):
        return None
    conditions = []
    for part in duck_split(text, "&&"):
        for op in ("<>", ">=", ">", "<=", "<", "="):
            if op in part:
                pieces = duck_split(part, op)
                break
        if len(pieces) != 2:
            raise Malformed(line, "skipif/onlyif must be in the form of x=y or x>y, potentially separated by &&")
        conditions.append((pieces[0].strip(SPACES), op, pieces[1].strip(SPACES), skip_if))
    return conditions


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


def indent(text):
    return "\n".join("    " + line for line in str(text).split("\n"))


def side_by_side(expected, actual, bad_row=None):
    """Expected and actual lines next to each other; '!' marks differing lines."""
    width = max([len("expected")] + [len(e.expandtabs(4)) for e in expected])
    width = min(width, 60)
    out = ["    " + "expected".ljust(width) + " | actual"]
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else "(none)"
        a = actual[i] if i < len(actual) else "(none)"
        mark = "!" if (e != a if bad_row is None else i == bad_row) else " "
        out.append(f"  {mark} " + e.expandtabs(4).ljust(width) + " | " + a.expandtabs(4))
    if not expected and not actual:
        out.append("    (no rows)")
    return "\n".join(out)


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


class FileRun:
    """Runs one .test file and counts its statements and queries."""

    def __init__(self, path, args, out):
        self.path = path
        self.extension = args.extension
        self.extension_name = args.extension_name
        self.unsigned = not args.no_unsigned
        self.verbose = args.verbose
        self.out = out
        self.passed = self.failed = self.skipped = 0
        self.temp_dir = None
        self.env = {}              # {NAME} replacements (require-env, test-env, set variable)
        self.db = None             # the database's first connection (owns it)
        self.con = None            # the main connection
        self.named = {}            # named connections
        self.named_dbs = {}
        self.db_path = ":memory:"
        self.db_options = {}
        self.file_config = {}
        self.extensions = []       # LOADed again on restart/load
        self.hash_threshold = 0
        self.hash_labels = {}
        self.output_hash = False
        self.ignore_errors = set()
        self.always_fail = {"INTERNAL"}
        self.helper = None         # a private database for casts of expected values
        self.loop_stack = []       # loops being read: Record("loop") with .body
        self.statements_seen = False
        self.session_log = []      # SET/RESET/PRAGMA run on the main connection, repeated after restart

    # ---- reporting ----
    def fail(self, line, message):
        self.failed += 1
        self.out.write(f"FAIL {self.path}:{line}: {message}\n")

    def note(self, line, message):
        self.out.write(f"skip {self.path}:{line}: {message}\n")

    # ---- keywords ----
    def replace_keywords(self, text):
        for name, value in self.env.items():
            text = text.replace("${" + name + "}", value).replace("{" + name + "}", value)
        test_dir = self.temp_dir
        text = text.replace("{TEST_DIR}", test_dir).replace("{WORKING_DIRECTORY}", os.getcwd())
        while "{UUID}" in text:
            text = text.replace("{UUID}", str(uuid.uuid4()), 1)
        text = text.replace("{TEST_NAME}", self.path).replace("{BASE_TEST_NAME}", self.path.replace("/", "_"))
        text = text.replace("__TEST_DIR__", test_dir).replace("__WORKING_DIRECTORY__", os.getcwd())
        return text

    # ---- databases ----
    def config(self):
        cfg = {"allow_unsigned_extensions": "true" if self.unsigned else "false",
               "allow_unredacted_secrets": "true",
               "autoload_known_extensions": "false",
               "autoinstall_known_extensions": "false"}
        cfg.update(self.db_options)
        cfg.update(self.file_config)
        return cfg

    def setup_connection(self, con):
        con.execute("SET python_enable_replacements = false")
        con.execute("SET arrow_lossless_conversion = true")
        return con

    def open_database(self, load_extensions=True):
        self.close_database()
        self.db = duckdb.connect(self.db_path, config=self.config())
        self.con = self.setup_connection(self.db)
        secret_dir = os.path.join(self.temp_dir, "test_secret_dir").replace("'", "''")
        self.con.execute(f"SET secret_directory = '{secret_dir}'")
        if load_extensions:
            for sql in self.extensions:
                self.con.execute(sql)

    def close_database(self):
        for con in list(self.named.values()):
            try:
                con.close()
            except duckdb.Error:
                pass
        self.named = {}
        for db in list(self.named_dbs.values()):
            db.close()
        self.named_dbs = {}
        if self.con is not None and self.con is not self.db:
            self.con.close()
        if self.db is not None:
            self.db.close()
        self.db = self.con = None

    def connection(self, name):
        if not name:
            return self.con
        if name in self.named:
            return self.named[name]
        if ":" in name:
            db_name, con_name = (name.split(":") + [""])[:2]
            if db_name not in self.named_dbs:
                self.named_dbs[db_name] = duckdb.connect(":memory:", config=self.config())
                self.setup_connection(self.named_dbs[db_name])
            con = self.setup_connection(self.named_dbs[db_name].cursor())
            self.named[con_name] = con
            return con
        con = self.setup_connection(self.con.cursor())
        self.named[name] = con
        return con

    def helper_con(self):
        if self.helper is None:
            self.helper = duckdb.connect(":memory:")
        return self.helper

    # ---- the file ----
    def run(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            self.fail(0, f"cannot read the test file: {e}")
            return
        for line in text.replace("\r", "").split("\n"):
            if re.match(r"^(statement|query)\b", line):
                break
            m = CONFIG_LINE.match(line)
            if m:
                for item in m.group(1).split():
                    key, _, value = item.partition("=")
                    self.file_config[key] = value
        self.temp_dir = tempfile.mkdtemp(prefix="sqllogictest_")
        self.preset_env = {"TEST_NAME", "TEMP_DIR", "TEST_NAME__NO_SLASH", "WORKING_DIR", "DATA_DIR", "TEST_UUID"}
        self.env.update({"TEST_NAME": self.path, "TEMP_DIR": self.temp_dir, "TEST_NAME__NO_SLASH":
                         self.path.replace("/", "_"), "WORKING_DIR": os.getcwd(),
                         "DATA_DIR": os.path.join(os.getcwd(), "data"), "TEST_UUID": str(uuid.uuid4())})
        parser = Parser(text, self.path)
        try:
            self.open_database()
            self.run_parser(parser)
        except Malformed as e:
            self.fail(e.line, f"malformed test file: {e}")
            self.count_rest(parser)
        except SkipFile as e:
            self.note(e.line, str(e))
            self.count_rest(parser)
        except StopFile:
            self.count_rest(parser)
        finally:
            self.close_database()
            if self.helper is not None:
                self.helper.close()
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    def count_rest(self, parser):
        """Count the statements and queries the file did not get to as skipped."""
        try:
            while parser.next_record():
                p = parser.active()
                tokens = split_tokens(p.lines[p.current])
                if tokens and tokens[0] in ("statement", "query"):
                    self.skipped += 1
        except Malformed:
            pass

    def run_parser(self, parser):
        skip_level = 0
        skip_reason = None
        while parser.next_record():
            head, params = parser.tokenize()
            line = parser.header_line()
            if head in SINGLE_LINE and not parser.next_line_empty_or_comment():
                raise Malformed(line, "all test statements need to be separated by an empty line")
            conditions = []
            skip = False
            while head in ("skipif", "onlyif"):
                skip_if = head == "skipif"
                if not params:
                    raise Malformed(line, "skipif/onlyif requires a single parameter (e.g. skipif duckdb)")
                system = params[0].lower()
                parsed = parse_conditions(system, skip_if, line)
                if parsed is None:
                    if (system == "duckdb") == skip_if:
                        skip = True
                        break
                else:
                    conditions.extend(parsed)
                parser.advance()
                head, params = parser.tokenize()
                line = parser.header_line()
            if skip:
                continue
            if skip_level > 0 and head != "mode":
                if head in ("statement", "query"):
                    self.skipped += 1
                    if self.verbose:
                        self.note(line, f"mode skip {skip_reason}")
                continue
            if head == "statement":
                self.statements_seen = True
                if not params:
                    raise Malformed(line, "statement requires at least one parameter (statement ok/error)")
                kind = params[0]
                if kind not in STATEMENT_KINDS:
                    raise Malformed(line, f"statement argument should be 'ok', 'error' or 'maybe', got {kind!r}")
                parser.advance()
                sql = parser.extract_statement()
                if not sql:
                    raise Malformed(line, "unexpected empty statement text")
                expected = parser.extract_expected_error(kind, line)
                if kind == "debug_skip":
                    skip_level += 1
                    skip_reason = "statement debug_skip"
                self.dispatch(Record("statement", line, expect=kind, sql=self.replace_keywords(sql),
                                     expected=expected, connection=params[1] if len(params) > 1 else None,
                                     conditions=conditions, path=parser.where()))
            elif head == "query":
                self.statements_seen = True
                if not params:
                    raise Malformed(line, "query requires at least one parameter (query III)")
                letters = params[0]
                bad = [c for c in letters if c not in "TIR"]
                if bad:
                    raise Malformed(line, f"unknown type character {bad[0]!r} in {letters!r}, expected T, I or R only")
                parser.advance()
                sql = parser.extract_statement()
                if not sql:
                    raise Malformed(line, "unexpected empty statement text")
                values = parser.extract_expected_result()
                sort, connection = "nosort", None
                if len(params) > 1:
                    if params[1] in SORT_STYLES:
                        sort = SORT_STYLES[params[1]]
                    else:
                        connection = params[1]
                self.dispatch(Record("query", line, columns=len(letters), sql=self.replace_keywords(sql),
                                     expected=values, sort=sort, connection=connection,
                                     label=params[2] if len(params) > 2 else None, conditions=conditions,
                                     path=parser.where()))
            elif head == "hash-threshold":
                if len(params) != 1 or not re.fullmatch(r"-?[0-9]+", params[0]):
                    raise Malformed(line, "hash-threshold requires a number")
                self.hash_threshold = int(params[0])
            elif head == "halt":
                raise StopFile()
            elif head == "mode":
                if not params:
                    raise Malformed(line, "mode requires at least one parameter")
                if params[0] == "skip":
                    skip_level += 1
                    skip_reason = " ".join(params[1:]) or "unspecified"
                elif params[0] == "unskip":
                    skip_level -= 1
                else:
                    self.dispatch(Record("mode", line, mode=params[0]))
            elif head == "set":
                self.set_command(params, line)
            elif head == "reset":
                if len(params) != 2 or params[0].lower() != "label":
                    raise Malformed(line, "expected reset label NAME")
                self.dispatch(Record("reset", line, label=params[1]))
            elif head in ("loop", "concurrentloop"):
                if len(params) != 3 or not all(re.fullmatch(r"\s*[-+]?[0-9]+.*", p) for p in params[1:]):
                    raise Malformed(line, "expected loop [iterator_name] [start] [end] (e.g. loop i 1 300)")
                start, end = (int(re.match(r"\s*([-+]?[0-9]+)", p).group(1)) for p in params[1:])
                self.start_loop(Record("loop", line, name=params[0], start=start, end=end, tokens=None,
                                       concurrent=head == "concurrentloop", body=[]))
            elif head in ("foreach", "concurrentforeach"):
                if len(params) < 2:
                    raise Malformed(line, "expected foreach [iterator_name] [m1] [m2] [etc...]")
                self.start_loop(Record("loop", line, name=params[0], start=0, end=0, tokens=params[1:],
                                       concurrent=head == "concurrentforeach", body=[]))
            elif head == "endloop":
                if not self.loop_stack:
                    raise Malformed(line, "endloop without active loop")
                loop = self.loop_stack.pop()
                if not self.loop_stack:
                    self.execute(loop, [])
            elif head == "require":
                self.require(params, line)
            elif head == "require-env":
                if self.loop_stack:
                    raise Malformed(line, "require-env cannot be called in a loop")
                if len(params) not in (1, 2):
                    raise Malformed(line, "require-env requires 1 argument: <env name> [optional: <expected env val>]")
                value = os.environ.get(params[0])
                if value is None:
                    raise SkipFile(line, f"require-env {params[0]}: environment variable {params[0]} is not set")
                if len(params) == 2 and value != params[1]:
                    raise SkipFile(line, f"require-env {params[0]} {params[1]}: it is {value!r}")
                if params[0] in self.env and params[0] not in self.preset_env:
                    raise Malformed(line, f"environment variable {params[0]!r} has already been defined")
                self.env[params[0]] = value
            elif head == "test-env":
                if self.loop_stack:
                    raise Malformed(line, "test-env cannot be called in a loop")
                if len(params) != 2:
                    raise Malformed(line, "test-env requires 2 arguments: <env name> <default env val>")
                self.env[params[0]] = os.environ.get(params[0], params[1])
            elif head == "load":
                readonly = False
                if len(params) > 1:
                    if params[1].lower() not in ("readonly", "readwrite"):
                        raise Malformed(line, f"parameter to 'load' is invalid, received {params[1]!r}")
                    readonly = params[1].lower() == "readonly"
                path = self.replace_keywords(params[0]) if params else ""
                self.dispatch(Record("load", line, db=path, readonly=readonly,
                                     version=params[2] if len(params) > 2 else None))
            elif head == "restart":
                self.dispatch(Record("restart", line, load=not (params == ["no_extension_load"])))
            elif head == "reconnect":
                self.dispatch(Record("reconnect", line))
            elif head == "sleep":
                units = {"second": 1, "seconds": 1, "sec": 1, "millisecond": 1e-3, "milliseconds": 1e-3,
                         "milli": 1e-3, "microsecond": 1e-6, "microseconds": 1e-6, "micro": 1e-6,
                         "nanosecond": 1e-9, "nanoseconds": 1e-9, "nano": 1e-9}
                if len(params) != 2 or not params[0].isdigit() or params[1] not in units:
                    raise Malformed(line, "sleep requires two parameters (e.g. sleep 1 second)")
                self.dispatch(Record("sleep", line, seconds=int(params[0]) * units[params[1]]))
            elif head == "unzip":
                if len(params) not in (1, 2) or not params[0].endswith(".gz"):
                    raise Malformed(line, "unzip requires <path/to/file.gz> [output path]")
                source = self.replace_keywords(params[0])
                default = self.replace_keywords("{TEST_DIR}/" + os.path.basename(source)[:-3])
                target = self.replace_keywords(params[1]) if len(params) == 2 else default
                self.dispatch(Record("unzip", line, source=source, target=default if target == "NULL" else target))
            elif head == "tags":
                if self.statements_seen:
                    raise Malformed(line, "tags expression must precede test commands")
            elif head == "continue":
                if not self.loop_stack:
                    raise Malformed(line, "continue cannot be called outside of a loop")
                self.dispatch(Record("continue", line, conditions=conditions))
            elif head == "include":
                if len(params) != 1:
                    raise Malformed(line, "expected include <path>")
                parser.open_include(params[0], line)
        if self.loop_stack:
            raise Malformed(len(parser.lines), "missing endloop")
        if skip_level > 0 and self.verbose:
            self.note(len(parser.lines), f"mode skip {skip_reason} until the end of the file")

    def set_command(self, params, line):
        if not params:
            raise Malformed(line, "set requires at least 1 parameter")
        what = params[0]
        if what in ("ignore_error_messages", "always_fail_error_messages"):
            items = set(s.strip(SPACES) for s in " ".join(params[1:]).split(","))
            items.discard("")
            if what == "ignore_error_messages":
                self.ignore_errors = items
            else:
                self.always_fail = items
        elif what == "seed":
            if len(params) != 2:
                raise Malformed(line, "set seed requires a single seed value")
            try:
                seed = float(params[1])
            except ValueError:
                raise Malformed(line, "set seed requires a floating point parameter")
            self.con.execute(f"SELECT setseed({seed!r})").fetchall()
        elif what == "variable":
            if len(params) != 3:
                raise Malformed(line, "set variable requires two parameters (name value)")
            value = params[2]
            if value.startswith("<variable:"):
                value = self.variable(value, line)
            self.env[params[1]] = value
        else:
            raise Malformed(line, f"unrecognized set parameter: {what}")

    def variable(self, token, line):
        """The VARCHAR value of ``<variable:NAME>`` (a DuckDB variable of the main connection)."""
        name = token[len("<variable:"):-1]
        con = self.con
        if ":" in name:
            con_name, name = name.split(":", 1)
            if con_name not in self.named:
                raise Malformed(line, f"no connection {con_name!r} for {token}")
            con = self.named[con_name]
        value = con.execute("SELECT CAST(getvariable($1) AS VARCHAR)", [name]).fetchall()[0][0]
        if value is None:
            raise Malformed(line, f"variable {name!r} is not defined (or NULL)")
        return value

    def start_loop(self, loop):
        if self.loop_stack:
            self.loop_stack[-1].body.append(loop)
        self.loop_stack.append(loop)

    def dispatch(self, record):
        if self.loop_stack:
            self.loop_stack[-1].body.append(record)
        else:
            self.execute(record, [])

    def require(self, params, line):
        if not params:
            raise Malformed(line, "require requires a single parameter")
        name = params[0].lower()
        if name == self.extension_name:
            if not self.extension:
                self.fail(line, f"'require {params[0]}' but no --extension was given")
                raise StopFile()
            path = os.path.abspath(self.extension).replace("'", "''")
            sql = f"LOAD '{path}'"
            try:
                self.con.execute(sql)
            except duckdb.Error as e:
                self.fail(line, f"cannot load {self.extension}:\n{indent(e)}")
                raise StopFile()
            self.extensions.append(sql)
            return
        if name in PLATFORM_REQUIRES:
            present = PLATFORM_REQUIRES[name]
        elif name in ("vector_size", "exact_vector_size", "block_size", "ram", "disk_space"):
            if len(params) != 2:
                raise Malformed(line, f"require {name} requires a parameter")
            present = self.require_size(name, params[1], line)
        elif name == "no_extension_autoloading":
            if len(params) < 2 or not params[1].startswith('"'):
                raise Malformed(line, "require no_extension_autoloading needs an explanation string")
            explanation = " ".join(params[1:]).strip('"')
            if not explanation.startswith(("EXPECTED", "FIXME")):
                raise Malformed(line, "require no_extension_autoloading explanation should begin with EXPECTED or FIXME")
            present = self.config()["autoload_known_extensions"] == "false"
        elif name == "allow_unsigned_extensions":
            present = self.config()["allow_unsigned_extensions"] == "true"
        else:
            known = {r[0] for r in self.con.execute("SELECT extension_name FROM duckdb_extensions()").fetchall()}
            known |= {a for r in self.con.execute("SELECT aliases FROM duckdb_extensions()").fetchall()
                      for a in (r[0] or [])}
            if name not in known:
                raise Malformed(line, f"unknown extension type: {params[0]}")
            try:
                self.con.execute(f"LOAD {name}")
                self.extensions.append(f"LOAD {name}")
                present = True
            except duckdb.Error:
                present = False
        if not present:
            raise SkipFile(line, f"require {' '.join(params)}: not available here")

    def require_size(self, name, value, line):
        if name in ("ram", "disk_space"):
            m = re.fullmatch(r"([0-9.]+)\s*([kmgt]?i?b?)", value.lower())
            if not m:
                raise Malformed(line, f"require {name}: cannot read {value!r}")
            scale = {"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 2 ** 10, "mib": 2 ** 20,
                     "gib": 2 ** 30, "tib": 2 ** 40, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}.get(m.group(2), 1)
            needed = float(m.group(1)) * scale
            if name == "disk_space":
                return shutil.disk_usage(".").free >= needed
            try:
                return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >= needed
            except (ValueError, OSError):
                return False
        if not value.isdigit():
            raise Malformed(line, f"require {name} requires a number")
        number = int(value)
        if name == "vector_size":
            return VECTOR_SIZE >= number
        if name == "exact_vector_size":
            return VECTOR_SIZE == number
        return DEFAULT_BLOCK_SIZE == number

    # ---- executing records ----
    def execute(self, record, loops):
        """Run one record; ``loops`` holds (name, value) of the loops around it."""
        if record.kind in ("statement", "query", "continue") and not self.conditions_hold(record, loops):
            if record.kind != "continue":
                self.skipped += 1
            return True
        if record.kind == "loop":
            return self.run_loop(record, loops)
        if record.kind == "continue":
            return False
        if record.kind in ("statement", "query"):
            sql = record.sql
            for name, value in loops:
                sql = replace_loop_variable(sql, name, self.replace_keywords(value))
            if self.verbose:
                self.out.write(f"{self.path}:{record.line}: {record.kind}\n{indent(sql)}\n")
            try:
                ok = self.statement(record, sql) if record.kind == "statement" else self.query(record, sql)
            except StopFile:
                raise
            except Exception:  # a runner bug must not hide the other records
                self.fail(record.line, "runner error:\n" + indent(traceback.format_exc().rstrip()))
                return True
            if ok:
                self.passed += 1
            return True
        return self.other(record)

    def conditions_hold(self, record, loops):
        if not record.conditions:
            return True
        values = dict(loops)
        for name, op, value, skip_if in record.conditions:
            if name not in values:
                raise Malformed(record.line, f"condition in onlyif/skipif not found: {name} must be a loop "
                                             "iterator name")
            actual = values[name]
            if op in ("=", "<>"):
                holds = (actual == value) == (op == "=")
            else:
                a, b = int(actual), int(value)
                holds = {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
            if holds == skip_if:
                return False
        return True

    def loop_values(self, loop):
        if loop.tokens is None:
            return [str(i) for i in range(loop.start, loop.end)] or [str(loop.start)]
        values = []
        for token in loop.tokens:
            key = token.strip(SPACES).lower()
            expanded = None
            if key.startswith("!"):
                if token[1:] in values:
                    values.remove(token[1:])
                    continue
                expanded = None
            elif key.startswith("<variable:"):
                expanded = [v for v in self.variable_list(token, loop.line)]
            elif key in ("<integral>", "<numeric>", "<alltypes>", "<signed>", "<unsigned>"):
                expanded = []
                if key in ("<integral>", "<numeric>", "<alltypes>", "<signed>"):
                    expanded += FOREACH_SETS["<signed>"]
                if key in ("<integral>", "<numeric>", "<alltypes>", "<unsigned>"):
                    expanded += FOREACH_SETS["<unsigned>"]
                if key in ("<numeric>", "<alltypes>"):
                    expanded += ["float", "double"]
                if key == "<alltypes>":
                    expanded += ["bool", "interval", "varchar"]
            elif key in FOREACH_SETS:
                expanded = FOREACH_SETS[key]
            values.extend(expanded if expanded is not None else [token])
        return values

    def variable_list(self, token, line):
        name = token[len("<variable:"):-1]
        rows = self.con.execute("SELECT CAST(getvariable($1) AS VARCHAR[])", [name]).fetchall()
        if not rows or rows[0][0] is None:
            raise Malformed(line, f"variable {name!r} is NULL - cannot iterate over it")
        return rows[0][0]

    def run_loop(self, loop, loops):
        if loop.tokens is None and loop.end <= loop.start:
            values = [str(loop.start)]  # DuckDB runs the body once before checking the end
        else:
            values = self.loop_values(loop)
        main = self.con
        for value in values:
            if "," in loop.name:
                names, parts = loop.name.split(","), value.split(",")
                if len(names) != len(parts):
                    raise Malformed(loop.line, f"foreach: {loop.name} does not match {value}")
                inner = loops + list(zip(names, parts))
            else:
                inner = loops + [(loop.name, value)]
            if loop.concurrent:  # one iteration after another, each on its own connection
                self.con = self.setup_connection(main.cursor())
            try:
                for record in loop.body:
                    if not self.execute(record, inner):
                        break
            finally:
                if loop.concurrent:
                    self.con.close()
                    self.con = main
        return True

    def other(self, record):
        kind = record.kind
        if kind == "mode":
            if record.mode == "output_hash":
                self.output_hash = True
            elif record.mode in ("output_result", "debug"):
                pass
            elif record.mode == "no_output":
                self.output_hash = False
            else:
                self.fail(record.line, f"unrecognized mode: {record.mode}")
                raise StopFile()
        elif kind == "reset":
            if record.label not in self.hash_labels:
                self.fail(record.line, f"reset label {record.label}: no such label")
                raise StopFile()
            del self.hash_labels[record.label]
        elif kind == "restart":
            before = settings(self.con)
            self.reopen(record, record.load)
            after = settings(self.con)
            for name, value in before.items():  # DuckDB's restart keeps the configuration and session
                if after.get(name, value) != value:
                    try:
                        literal = value.replace("'", "''")
                        self.con.execute(f"SET \"{name}\" = '{literal}'")
                    except duckdb.Error:
                        pass  # e.g. a setting that can only be given at start
            for sql in self.session_log:  # settings duckdb_settings() does not list (e.g. lambda_syntax)
                try:
                    execute(self.con, self.con, sql, render=False)
                except duckdb.Error:
                    pass
        elif kind == "reconnect":
            self.con = self.setup_connection(self.db.cursor())
        elif kind == "load":
            if not record.readonly and record.db:
                for suffix in ("", ".wal"):
                    if os.path.exists(record.db + suffix):
                        os.remove(record.db + suffix)
            self.session_log = []
            self.db_path = record.db or ":memory:"
            self.db_options = {"access_mode": "READ_ONLY"} if record.readonly else {}
            if record.version:
                self.db_options["storage_compatibility_version"] = record.version
            self.reopen(record, True)
        elif kind == "sleep":
            time.sleep(record.seconds)
        elif kind == "unzip":
            try:
                with gzip.open(record.source, "rb") as src, open(record.target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            except OSError as e:
                self.fail(record.line, f"unzip {record.source}: {e}")
                raise StopFile()
        return True

    def reopen(self, record, load_extensions):
        """(Re)open the database for load/restart; a database that does not open fails the file there."""
        try:
            self.open_database(load_extensions)
        except duckdb.Error as e:
            self.fail(record.line, f"cannot open the database {self.db_path}:\n{indent(e)}")
            raise StopFile()

    def log_session(self, record, sql, result):
        """Remember the session settings a successful record made on the main connection."""
        if result.error is not None or record.connection or not re.match(r"\s*(set|reset|pragma)\b", sql, re.I):
            return
        try:
            statements = self.con.extract_statements(sql)
        except duckdb.Error:
            return
        self.session_log.extend(st.query for st in statements
                                if re.match(r"\s*(set|reset|pragma)\b", st.query, re.I))

    def skip_error(self, error):
        for message in self.ignore_errors:
            if message in error:
                self.note(0, f"error contains {message!r} (set ignore_error_messages): the rest of the file is skipped")
                return True
        return False

    def statement(self, record, sql):
        """DuckDB's CheckStatementResult; returns whether the statement passed."""
        result = execute(self.connection(record.connection), self.con, sql, render=False)
        self.log_session(record, sql, result)
        expect = record.expect
        error = result.error
        if expect != "ok":
            if error is not None and any(m in error for m in self.always_fail):
                self.fail(record.line, f"statement {expect} got an error that never passes (it contains one of "
                                       f"{sorted(self.always_fail)}):\n{indent(sql)}\nactual error:\n{indent(error)}")
                return False
            failing = False if expect in ("maybe", "debug", "debug_skip") else error is None
            wanted = record.expected
            if error is not None and wanted:
                if wanted not in error and self.replace_keywords(wanted) not in error:
                    matched, problem = False, None
                    if wanted.startswith(("<REGEX>:", "<!REGEX>:")):
                        matched, problem = regex_matches(error + "\n", wanted)
                    if not matched:
                        if self.skip_error(error):
                            raise StopFile()
                        how = "match in full (RE2, . matches newline)" if wanted.startswith("<") else "find"
                        self.fail(record.line, f"wrong error for:\n{indent(sql)}\n"
                                               + (f"{problem}\n" if problem else "")
                                               + f"expected to {how}:\n{indent(wanted)}\n"
                                               f"actual error:\n{indent(error)}")
                        return False
                return True
        else:
            failing = error is not None
        if failing:
            if expect == "ok" and self.skip_error(error):
                raise StopFile()
            if expect == "ok":
                self.fail(record.line, f"statement failed:\n{indent(sql)}\nerror:\n{indent(error)}")
            else:
                self.fail(record.line, f"statement should have failed but succeeded:\n{indent(sql)}")
            return False
        return True

    def query(self, record, sql):
        """DuckDB's CheckQueryResult; returns whether the query passed."""
        result = execute(self.connection(record.connection), self.con, sql, helper=self.helper_con())
        self.log_session(record, sql, result)
        if result.error is not None:
            if self.skip_error(result.error):
                raise StopFile()
            self.fail(record.line, f"query failed:\n{indent(sql)}\nerror:\n{indent(result.error)}")
            return False
        ncols = len(result.types)
        total = result.rows * ncols
        values = record.expected
        compare_hash = record.label is not None or (0 < self.hash_threshold < total)
        result_is_hash = len(values) == 1 and HASH_RE.fullmatch(values[0]) is not None
        compare_hash = compare_hash or result_is_hash
        actual = sort_values(result.values, record.sort, ncols)
        digest = hashlib.md5()
        for value in actual:
            digest.update(value.encode("utf-8", "surrogatepass") + b"\n")
        hash_value = f"{total} values hashing to {digest.hexdigest()}"
        if self.output_hash:
            self.out.write(f"{self.path}:{record.line}: {hash_value}\n")
            return True
        actual_rows = ["\t".join(actual[r * ncols:(r + 1) * ncols]) for r in range(result.rows)] if ncols else []
        header = f"for:\n{indent(sql)}\n"
        if compare_hash:
            wrong = False
            if record.label is not None:
                if record.label in self.hash_labels:
                    wrong = self.hash_labels[record.label] != hash_value
                else:
                    self.hash_labels[record.label] = hash_value
            if result_is_hash:
                wrong = values[0] != hash_value
            if wrong:
                wanted = values[0] if result_is_hash else f"the hash of label {record.label!r}: " \
                                                          f"{self.hash_labels[record.label]}"
                self.fail(record.line, f"wrong result hash {header}expected: {wanted}\nactual:   {hash_value}\n"
                                       f"actual rows ({record.sort}):\n{side_by_side([], actual_rows)}")
                return False
            return True
        expected_columns = record.columns
        mismatch = expected_columns != ncols
        if mismatch:
            expected_columns = ncols
        if expected_columns == 0:
            self.fail(record.line, f"the query returns no result set but the header declares {record.columns} "
                                   f"column(s) {header}".rstrip())
            return False
        comparison = list(values)
        expected_rows = len(comparison) // expected_columns
        row_wise = expected_columns > 1 and len(comparison) == result.rows
        if not row_wise:
            row_wise = all("\t" in v for v in comparison)
        shown = side_by_side(comparison, actual_rows)
        count_note = (f"the query returns {ncols} column(s) but the header declares {record.columns}\n"
                      if mismatch else "")
        if row_wise:
            expected_rows = len(comparison)
        elif len(comparison) % expected_columns != 0:
            self.fail(record.line, f"wrong result {header}{count_note}{len(comparison)} expected value line(s) do "
                                   f"not divide into rows of {expected_columns} value(s) (neither one row per line "
                                   f"with tabs nor one value per line)\n{shown}")
            return False
        if expected_rows != result.rows:
            self.fail(record.line, f"wrong result {header}{count_note}expected {expected_rows} row(s), the query "
                                   f"returned {result.rows} ({record.sort})\n{shown}")
            return False
        if row_wise:
            split = []
            for n, line in enumerate(comparison[:total], 1):
                pieces = duck_split(line, "\t")
                if len(pieces) != expected_columns:
                    self.fail(record.line, f"wrong result {header}{count_note}expected row {n} has {len(pieces)} "
                                           f"tab-separated value(s), the result has {expected_columns} column(s)\n"
                                           f"{shown}")
                    return False
                split.extend(pieces)
            comparison = split
        else:
            comparison_rows = ["\t".join(comparison[r * expected_columns:(r + 1) * expected_columns])
                               for r in range(expected_rows)]
            shown = side_by_side(comparison_rows, actual_rows)
        for i in range(min(total, len(comparison))):
            row, column = divmod(i, expected_columns)
            ok, problem = self.compare_value(actual[i], comparison[i], result.types[column])
            if not ok:
                self.fail(record.line, f"wrong result ({record.sort}) {header}{count_note}"
                                       + (f"{problem}\n" if problem else "")
                                       + f"mismatch on row {row + 1}, column {result.names[column]} (index "
                                       f"{column + 1}, {result.types[column]}): actual {actual[i]!r} <> "
                                       f"expected {comparison[i]!r}\n" + mark_row(shown, row))
                return False
        if mismatch:
            self.fail(record.line, f"wrong column count {header}{count_note}(the values themselves match)\n{shown}")
            return False
        return True

    def compare_value(self, actual, expected, type_name):
        """DuckDB's CompareValues: (equal?, a problem to report or None)."""
        if actual == expected or actual == self.replace_keywords(expected):
            return True, None
        if expected.startswith(("<REGEX>:", "<!REGEX>:")):
            matched, problem = regex_matches(actual, expected)
            if matched:
                return True, None
            if problem:
                return False, problem
        if type_name in NUMERIC_TYPES or type_name.startswith("DECIMAL("):
            cast = []
            for text in (actual, expected):
                if text == "NULL":
                    cast.append((True, None))
                    continue
                value = self.helper_con().execute(f"SELECT TRY_CAST($1 AS {type_name})", [text]).fetchall()[0][0]
                cast.append((value is not None, value))
            (ok_a, a), (ok_e, e) = cast
            if not (ok_a and ok_e):
                return False, None
            if a is None or e is None:
                return a is None and e is None, None
            if type_name in ("FLOAT", "DOUBLE"):
                return approx_equal(float(e), float(a), type_name == "FLOAT"), None
            return a == e, None
        if type_name == "BOOLEAN":
            def truth(text):
                if text.lower() == "true" or text == "1":
                    return 1
                if text.lower() == "false" or text == "0":
                    return 0
                return None
            return truth(actual) == truth(expected), None
        return False, None


def mark_row(shown, row):
    """Mark line ``row`` (0-based) of a side_by_side listing with '!' and unmark the others."""
    lines = shown.split("\n")
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        if line.startswith("  ") and len(line) > 3:
            line = "  " + ("!" if i == row else " ") + line[3:]
        out.append(line)
    return "\n".join(out)


def sort_values(values, style, ncols):
    """DuckDB's SortQueryResult (on the actual values only)."""
    if style == "valuesort":
        return sorted(values, key=lambda v: v.encode("utf-8", "surrogatepass"))
    if style == "rowsort" and ncols:
        rows = [values[i:i + ncols] for i in range(0, len(values), ncols)]
        rows.sort(key=lambda r: [v.encode("utf-8", "surrogatepass") for v in r])
        return [v for row in rows for v in row]
    return list(values)


def replace_loop_variable(text, names, value):
    """DuckDB's loop replacement of {NAME} (and legacy ${NAME})."""
    return text.replace("${" + names + "}", value).replace("{" + names + "}", value)


def collect(paths):
    """Return the .test files named by ``paths`` (directories searched recursively), sorted."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                files.extend(os.path.join(root, n) for n in names if n.endswith(".test"))
        else:
            files.append(path)
    return sorted(set(files))


def default_extension_name(extension):
    """The extension name DuckDB derives from the file name, else flights_helper."""
    base = os.path.basename(extension or "")
    if base.endswith(EXTENSION_SUFFIX) and len(base) > len(EXTENSION_SUFFIX):
        return base[: -len(EXTENSION_SUFFIX)]
    return "flights_helper"


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description="Run DuckDB .test files, optionally against a built extension.")
    parser.add_argument("--extension", help="the .duckdb_extension file that 'require <extension name>' loads")
    parser.add_argument("--extension-name",
                        help="the name 'require' uses for it (default: from the file name, else flights_helper)")
    parser.add_argument("--no-unsigned", action="store_true",
                        help="open the databases without allow_unsigned_extensions")
    parser.add_argument("--verbose", action="store_true", help="print every statement and query as it runs")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help=".test files or directories")
    args = parser.parse_args(argv)
    args.extension_name = (args.extension_name or default_extension_name(args.extension)).lower()

    out = sys.stdout
    files = collect(args.paths)
    out.write(f"DuckDB {duckdb.__version__} (python package), {len(files)} test file(s)\n")
    if args.extension and not os.path.isfile(args.extension):
        out.write(f"warning: --extension {args.extension} does not exist\n")
    out.flush()
    passed = failed = skipped = 0
    for n, path in enumerate(files, 1):
        run = FileRun(path, args, out)
        try:
            run.run()
        except Exception:  # e.g. the database could not be opened: fail this file, go on
            run.fail(0, "runner error:\n" + indent(traceback.format_exc().rstrip()))
        passed, failed, skipped = passed + run.passed, failed + run.failed, skipped + run.skipped
        status = "ok" if run.failed == 0 else "FAILED"
        out.write(f"[{n}/{len(files)}] {path}: {status} ({run.passed} passed, {run.failed} failed"
                  f"{f', {run.skipped} skipped' if run.skipped else ''})\n")
        out.flush()
    if passed + failed == 0:
        out.write("error: no statement or query ran\n")
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    out.write(summary + "\n")
    out.flush()
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
