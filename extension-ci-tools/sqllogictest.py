#!/usr/bin/env python3
"""A sqllogictest runner for DuckDB's `.test` dialect, over the `duckdb` Python package.

Usage (with the python of a venv that has duckdb installed)::

    python sqllogictest.py [--extension build/release/flights_helper.duckdb_extension]
                           [--extension-name flights_helper] [--verbose] FILE_OR_DIR...

Directories are searched recursively for ``*.test`` files; all files run in
sorted order, each in a fresh in-memory database that allows unsigned
extensions. Records (separated by blank lines):

``# ...``
    A comment (``# name:``, ``# group:`` and so on).
``require NAME``
    NAME is the extension under test (``--extension-name``): LOAD the
    ``--extension`` file, and fail the file if that fails. Any other NAME:
    ``LOAD NAME``, and skip the rest of the file if that fails.
``require-env NAME [VALUE]``
    Skip the rest of the file unless the environment variable NAME is set
    (and equals VALUE when given).
``statement ok`` / ``statement error`` / ``statement maybe``
    SQL on the following lines. ``error`` passes when the SQL raises; an
    expected message may follow a ``----`` line: a substring of the error
    message, or a Python regex searched in it when it starts with
    ``<REGEX>:``. ``maybe`` passes when the SQL succeeds or fails as expected.
``query <column letters> [nosort|rowsort|valuesort]``
    SQL, ``----``, then the expected rows, one per line, values separated by
    tabs. Each value is compared as DuckDB's own VARCHAR cast renders it
    (lists ``[a, b]``, maps ``{k=v}``, structs ``{'k': v}``, ``true``), NULL
    as ``NULL`` and the empty string as ``(empty)``. The number of columns
    must match the number of letters. ``rowsort`` sorts the rows and
    ``valuesort`` all the values before comparing.
``mode skip`` / ``mode unskip``
    Records in between are counted as skipped.
``halt``
    Stop the file here; the records after it are counted as skipped.

In SQL, expected rows and expected error messages, ``__TEST_DIR__`` becomes a
temporary folder (one per file), ``__WORKING_DIRECTORY__`` the current
directory and ``${NAME}`` the value of the environment variable NAME (names
that are not set are left as they are).

Known limits: ``loop``/``foreach``, ``onlyif``/``skipif``, query labels and
other records are not supported (reported as a malformed file at their
line). Values are compared as exact text, floating-point ones too. A value
containing a newline spans several lines of the expected rows; that
compares correctly with ``nosort`` only. For INSERT/UPDATE/DELETE/MERGE
without RETURNING a query's result is the changed-row count, as in DuckDB
2.x (DuckDB 1.x's Python API drops it; the runner recovers it).

Prints the DuckDB version, one line per file, each failure with file:line,
the SQL, expected and actual, and ends with the line ``N passed, N failed``
(``, N skipped`` appended when some were), counting statements and queries.
Exits 1 when any record failed or none ran.
"""
import argparse
import os
import re
import sys
import tempfile
import traceback

import duckdb

SORT_MODES = ("nosort", "rowsort", "valuesort")
STATEMENT_KINDS = ("ok", "error", "maybe")
EXTENSION_SUFFIX = ".duckdb_extension"
REGEX_PREFIX = "<REGEX>:"
# Statements whose result, without RETURNING, is the number of changed rows.
COUNTING_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "MERGE_INTO")
RETURNING = re.compile(r"\breturning\b", re.IGNORECASE)
UNSUPPORTED = ("loop", "foreach", "endloop", "concurrentloop", "concurrentforeach", "onlyif", "skipif",
               "load", "restart", "reconnect", "sleep", "unzip", "hash-threshold", "set", "reset", "tags",
               "test-env", "continue")


class Malformed(Exception):
    """The .test file itself is wrong (or uses an unsupported feature) at a line."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


class Record:
    """One record of a .test file.

    kind is "statement", "query", "require", "require-env", "mode" or "halt";
    line is the 1-based line of its header, header the header's tokens, sql
    the SQL text (statements and queries) and expected the lines after
    ``----`` (None when there is no ``----`` line).
    """

    def __init__(self, kind, line, header, sql="", expected=None):
        self.kind = kind
        self.line = line
        self.header = header
        self.sql = sql
        self.expected = expected

    @property
    def counted(self):
        """Whether the record counts towards passed/failed/skipped."""
        return self.kind in ("statement", "query")


def parse(text):
    """Split the text of a .test file into Records; raises Malformed with a line number."""
    lines = text.replace("\r\n", "\n").split("\n")
    records = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        tokens = stripped.split()
        head, start = tokens[0], i + 1
        i += 1
        if head in ("statement", "query"):
            check_header(head, tokens, start)
            sql_lines = []
            while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
                sql_lines.append(lines[i])
                i += 1
            if not sql_lines:
                raise Malformed(start, f"'{stripped}' has no SQL on the following lines")
            expected = None
            if i < len(lines) and lines[i].strip() == "----":
                if head == "statement" and tokens[1] == "ok":
                    raise Malformed(i + 1, "'statement ok' takes no '----' section (use 'query' to check results)")
                i += 1
                expected = []
                while i < len(lines) and lines[i] != "":
                    expected.append(lines[i])
                    i += 1
            elif head == "query":
                raise Malformed(start, "a query needs a '----' line followed by the expected rows")
            records.append(Record(head, start, tokens, "\n".join(sql_lines), expected))
        elif head in ("require", "require-env"):
            if len(tokens) < 2 or (head == "require-env" and len(tokens) > 3):
                usage = "require NAME" if head == "require" else "require-env NAME [VALUE]"
                raise Malformed(start, f"expected '{usage}', got {stripped!r}")
            records.append(Record(head, start, tokens))
        elif head == "mode":
            if len(tokens) != 2 or tokens[1] not in ("skip", "unskip"):
                raise Malformed(start, f"unsupported {stripped!r}: only 'mode skip' and 'mode unskip' are supported")
            records.append(Record(head, start, tokens))
        elif head == "halt":
            records.append(Record(head, start, tokens))
        elif head in UNSUPPORTED:
            raise Malformed(start, f"'{head}' is not supported by this runner")
        else:
            raise Malformed(start, f"unknown record type {head!r} (expected statement, query, require, "
                                   "require-env, mode or halt)")
    return records


def check_header(head, tokens, line):
    """Validate a ``statement``/``query`` header line; raises Malformed."""
    text = " ".join(tokens)
    if head == "statement":
        if len(tokens) != 2 or tokens[1] not in STATEMENT_KINDS:
            raise Malformed(line, f"expected 'statement ok', 'statement error' or 'statement maybe', got {text!r}")
        return
    if len(tokens) < 2 or not re.fullmatch(r"[A-Za-z]+", tokens[1]):
        raise Malformed(line, f"'query' must be followed by column letters such as 'ITT', got {text!r}")
    if len(tokens) > 2 and tokens[2] not in SORT_MODES:
        raise Malformed(line, f"unknown sort mode {tokens[2]!r} (expected one of {', '.join(SORT_MODES)})")
    if len(tokens) > 3:
        raise Malformed(line, f"query labels are not supported: {text!r}")


def render(value):
    """Render one value (already cast to VARCHAR by DuckDB) as DuckDB's runner prints it."""
    if value is None:
        return "NULL"
    if value == "":
        return "(empty)"
    return str(value)


def run_sql(con, sql):
    """Run every statement of ``sql``; return (column count, rows) of the last one.

    Rows are lists of rendered strings. The column count is None when the
    last statement has no result set (DuckDB 1.x returns no relation for
    DDL and the like; DuckDB 2.x returns a relation with a Count column).
    Results are computed by DuckDB: each column is cast to VARCHAR with a
    positional reference (``#1``), which also holds for duplicate or quoted
    column names, so values read exactly as DuckDB renders them.
    Raises duckdb.Error when any statement fails.
    """
    statements = con.extract_statements(sql)
    result = (None, [])
    for statement in statements:
        result = run_statement(con, statement)
    return result


def run_statement(con, statement):
    """Run one parsed statement; see run_sql."""
    query = statement.query
    if statement.type.name in COUNTING_STATEMENTS and not RETURNING.search(query):
        # DuckDB 1.x's con.sql() runs these but drops their row count.
        con.execute(query)
        return 1, [[render(None if v is None else str(v)) for v in row] for row in con.fetchall()]
    rel = con.sql(query)
    if rel is None:
        return None, []
    count = len(rel.columns)
    casts = ", ".join(f"CAST(#{i + 1} AS VARCHAR)" for i in range(count))
    return count, [[render(v) for v in row] for row in rel.project(casts).fetchall()]


def indent(text):
    """Indent every line of ``text`` by four spaces."""
    return "\n".join("    " + line for line in str(text).split("\n"))


def show_rows(lines):
    """Format result lines for a failure report."""
    return indent("\n".join(lines)) if lines else "    (no rows)"


class FileRun:
    """Runs one .test file and counts its records."""

    def __init__(self, path, extension, extension_name, verbose, out):
        self.path = path
        self.extension = extension
        self.extension_name = extension_name
        self.verbose = verbose
        self.out = out
        self.passed = self.failed = self.skipped = 0
        self.temp_dir = None  # made on first use of __TEST_DIR__, removed after the file

    def fail(self, line, message):
        """Count and report one failure at ``line`` of the file."""
        self.failed += 1
        self.out.write(f"FAIL {self.path}:{line}: {message}\n")

    def note(self, line, message):
        """Report something that is not a failure (a skip)."""
        self.out.write(f"skip {self.path}:{line}: {message}\n")

    def substitute(self, text):
        """Replace __TEST_DIR__, __WORKING_DIRECTORY__ and ${NAME} in ``text``."""
        if "__TEST_DIR__" in text:
            if self.temp_dir is None:
                self.temp_dir = tempfile.TemporaryDirectory(prefix="sqllogictest_")
            text = text.replace("__TEST_DIR__", self.temp_dir.name)
        text = text.replace("__WORKING_DIRECTORY__", os.getcwd())
        return re.sub(r"\$\{(\w+)\}", lambda m: os.environ.get(m.group(1), m.group(0)), text)

    def run(self):
        """Parse and run the whole file, reporting instead of raising."""
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            self.fail(0, f"cannot read the test file: {e}")
            return
        try:
            records = parse(text)
        except Malformed as e:
            self.fail(e.line, f"malformed test file: {e}")
            return
        con = duckdb.connect(":memory:", config={"allow_unsigned_extensions": "true"})
        try:
            self.run_records(con, records)
        finally:
            con.close()
            if self.temp_dir is not None:
                self.temp_dir.cleanup()

    def skip_rest(self, records, index):
        """Count every statement and query after records[index] as skipped."""
        self.skipped += sum(1 for r in records[index + 1:] if r.counted)

    def run_records(self, con, records):
        """Run the parsed records in order."""
        skipping = False
        for index, record in enumerate(records):
            if record.kind == "mode":
                skipping = record.header[1] == "skip"
            elif record.kind == "halt":
                self.skip_rest(records, index)
                return
            elif skipping:
                if record.counted:
                    self.skipped += 1
            elif record.kind == "require":
                if not self.require(con, record):
                    self.skip_rest(records, index)
                    return
            elif record.kind == "require-env":
                if not self.require_env(record):
                    self.skip_rest(records, index)
                    return
            else:
                if self.verbose:
                    self.out.write(f"{self.path}:{record.line}: {' '.join(record.header)}\n{indent(record.sql)}\n")
                try:
                    if record.kind == "statement":
                        ok = self.statement(con, record)
                    else:
                        ok = self.query(con, record)
                except Exception:  # a runner bug must not hide the other records
                    self.fail(record.line, "runner error:\n" + indent(traceback.format_exc().rstrip()))
                    continue
                if ok:
                    self.passed += 1

    def require(self, con, record):
        """Handle ``require NAME``; returns whether the file goes on."""
        name = record.header[1]
        if name == self.extension_name:
            if not self.extension:
                self.fail(record.line, f"'require {name}' but no --extension was given")
                return False
            path = os.path.abspath(self.extension).replace("'", "''")
            try:
                con.execute(f"LOAD '{path}'")
                return True
            except duckdb.Error as e:
                self.fail(record.line, f"cannot load {self.extension}:\n{indent(e)}")
                return False
        try:
            con.execute(f"LOAD {name}")
            return True
        except duckdb.Error:
            self.note(record.line, f"extension {name} is not available")
            return False

    def require_env(self, record):
        """Handle ``require-env NAME [VALUE]``; returns whether the file goes on."""
        name = record.header[1]
        wanted = record.header[2] if len(record.header) > 2 else None
        if name not in os.environ:
            self.note(record.line, f"environment variable {name} is not set")
            return False
        if wanted is not None and os.environ[name] != wanted:
            self.note(record.line, f"environment variable {name} is not {wanted!r}")
            return False
        return True

    def statement(self, con, record):
        """Run a ``statement ok|error|maybe`` record; returns whether it passed."""
        sql = self.substitute(record.sql)
        expect = record.header[1]
        try:
            run_sql(con, sql)
            error = None
        except duckdb.Error as e:
            error = str(e)
        if error is None:
            if expect == "error":
                self.fail(record.line, f"statement should have failed but succeeded:\n{indent(sql)}")
                return False
            return True
        if expect == "ok":
            self.fail(record.line, f"statement failed:\n{indent(sql)}\nerror:\n{indent(error)}")
            return False
        wanted = self.substitute("\n".join(record.expected or [])).strip()
        if not wanted:
            return True
        if wanted.startswith(REGEX_PREFIX):
            pattern = wanted[len(REGEX_PREFIX):]
            try:
                matched = re.search(pattern, error, re.DOTALL) is not None
            except re.error as e:
                self.fail(record.line, f"invalid <REGEX>: {pattern!r}: {e}")
                return False
        else:
            matched = wanted in error
        if not matched:
            self.fail(record.line, f"wrong error for:\n{indent(sql)}\nexpected to find:\n{indent(wanted)}\n"
                                   f"actual error:\n{indent(error)}")
            return False
        return True

    def query(self, con, record):
        """Run a ``query`` record and compare its rows; returns whether it passed."""
        sql = self.substitute(record.sql)
        letters = record.header[1]
        mode = record.header[2] if len(record.header) > 2 else "nosort"
        try:
            count, rows = run_sql(con, sql)
        except duckdb.Error as e:
            self.fail(record.line, f"query failed:\n{indent(sql)}\nerror:\n{indent(e)}")
            return False
        if count != len(letters):
            got = "no result set" if count is None else f"{count} column(s)"
            self.fail(record.line, f"wrong column count: the query returns {got} but the header "
                                   f"'{letters}' declares {len(letters)}:\n{indent(sql)}")
            return False
        actual_lines = ["\t".join(row) for row in rows]
        expected_lines = [self.substitute(line) for line in record.expected]
        if mode == "rowsort":
            same = sorted(actual_lines) == sorted(expected_lines)
        elif mode == "valuesort":
            same = (sorted(v for row in rows for v in row)
                    == sorted(v for line in expected_lines for v in line.split("\t")))
        else:  # compared as text, so values that contain newlines work too
            same = "\n".join(actual_lines) == "\n".join(expected_lines)
        if same:
            return True
        hints = []
        if not any("\n" in v for row in rows for v in row):
            for n, line in enumerate(expected_lines, 1):
                if len(line.split("\t")) != count:
                    hints.append(f"expected row {n} has {len(line.split(chr(9)))} tab-separated value(s), "
                                 f"the header declares {count}")
                    break
        elif mode != "nosort":
            hints.append(f"values containing newlines compare correctly only with nosort, not {mode}")
        self.fail(record.line, f"wrong result ({mode}) for:\n{indent(sql)}\n"
                               f"expected ({len(expected_lines)} line(s)):\n{show_rows(expected_lines)}\n"
                               f"actual ({len(rows)} row(s)):\n{show_rows(actual_lines)}"
                               + "".join(f"\nhint: {h}" for h in hints))
        return False


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
    parser.add_argument("--verbose", action="store_true", help="print every statement and query as it runs")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help=".test files or directories")
    args = parser.parse_args(argv)
    extension_name = args.extension_name or default_extension_name(args.extension)

    out = sys.stdout
    files = collect(args.paths)
    out.write(f"DuckDB {duckdb.__version__} (python package), {len(files)} test file(s)\n")
    if args.extension and not os.path.isfile(args.extension):
        out.write(f"warning: --extension {args.extension} does not exist\n")
    out.flush()
    passed = failed = skipped = 0
    for n, path in enumerate(files, 1):
        run = FileRun(path, args.extension, extension_name, args.verbose, out)
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
