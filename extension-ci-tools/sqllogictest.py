#!/usr/bin/env python3
"""A sqllogictest runner for DuckDB's `.test` dialect, over the `duckdb` Python package.

Supports what extension tests use: `#` comments (`# name:`, `# group:`),
`require <extension>`, `require-env NAME [VALUE]`, `statement ok`,
`statement error` (expected message after `----`: a substring, or a regex
after `<REGEX>:`), `query <column letters> [nosort|rowsort|valuesort]`
(tab-separated expected rows after `----`; `NULL` and `(empty)`),
multi-line statements, `mode skip` / `mode unskip`, `halt`, and `${NAME}`
environment substitution. Each file runs in a fresh in-memory database that
allows unsigned extensions. Values are compared as DuckDB's own VARCHAR cast
renders them, so lists, maps and structs read as they do in DuckDB's runner.

Ends with the line `N passed, N failed` (`, N skipped` when some were) and
exits non-zero when any record failed or none ran.
"""
import argparse
import os
import re
import sys
import tempfile
import traceback

import duckdb

SORT_MODES = ("nosort", "rowsort", "valuesort")


class Malformed(Exception):
    """The .test file itself is wrong at a given line."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


class Record:
    def __init__(self, kind, line, header, sql="", expected=None):
        self.kind = kind          # "statement", "query", "require", "require-env", "mode", "halt"
        self.line = line          # 1-based line of the record header
        self.header = header      # header tokens
        self.sql = sql
        self.expected = expected  # list of lines after ----, or None


def parse(text):
    """Splits a .test file into records; raises Malformed with a line number."""
    lines = text.split("\n")
    records = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        tokens = stripped.split()
        head, start = tokens[0], i + 1
        i += 1
        if head in ("statement", "query"):
            if head == "statement" and (len(tokens) < 2 or tokens[1] not in ("ok", "error", "maybe")):
                raise Malformed(start, f"'statement' must be followed by 'ok' or 'error', got {stripped!r}")
            if head == "query" and (len(tokens) < 2 or not re.fullmatch(r"[A-Za-z]+", tokens[1])):
                raise Malformed(start, f"'query' must be followed by column letters such as 'III', got {stripped!r}")
            if head == "query" and len(tokens) > 2 and tokens[2] not in SORT_MODES:
                raise Malformed(start, f"unknown sort mode {tokens[2]!r}: use one of {', '.join(SORT_MODES)}")
            sql_lines = []
            while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
                sql_lines.append(lines[i])
                i += 1
            if not sql_lines:
                raise Malformed(start, f"'{stripped}' has no SQL on the following lines")
            expected = None
            if i < len(lines) and lines[i].strip() == "----":
                i += 1
                expected = []
                while i < len(lines) and lines[i] != "":
                    expected.append(lines[i])
                    i += 1
            elif head == "query":
                raise Malformed(start, "a query needs a '----' line followed by the expected rows")
            records.append(Record(head, start, tokens, "\n".join(sql_lines), expected))
        elif head in ("require", "require-env"):
            if len(tokens) < 2:
                raise Malformed(start, f"'{head}' needs a name")
            records.append(Record(head, start, tokens))
        elif head == "mode":
            if len(tokens) != 2 or tokens[1] not in ("skip", "unskip"):
                raise Malformed(start, f"unsupported mode line {stripped!r}: use 'mode skip' or 'mode unskip'")
            records.append(Record(head, start, tokens))
        elif head == "halt":
            records.append(Record(head, start, tokens))
        else:
            raise Malformed(start, f"unsupported record {head!r} (supported: statement, query, require, "
                                   "require-env, mode skip/unskip, halt)")
    return records


def render(value):
    if value is None:
        return "NULL"
    if value == "":
        return "(empty)"
    return str(value)


def run_query(con, sql):
    """Runs `sql` and returns (column count, rows of rendered strings)."""
    rel = con.sql(sql)
    if rel is None:
        return 0, []
    count = len(rel.columns)
    casts = ", ".join(f"CAST(#{i + 1} AS VARCHAR)" for i in range(count))
    rows = rel.project(casts).fetchall()
    return count, [[render(v) for v in row] for row in rows]


class FileRun:
    def __init__(self, path, extension, extension_name, verbose, out):
        self.path = path
        self.extension = extension
        self.extension_name = extension_name
        self.verbose = verbose
        self.out = out
        self.passed = self.failed = self.skipped = 0
        self.temp_dir = None  # made on first use of __TEST_DIR__, removed after the file

    def fail(self, line, message):
        self.failed += 1
        self.out.write(f"FAIL {self.path}:{line}: {message}\n")

    def substitute(self, sql):
        if "__TEST_DIR__" in sql:
            if self.temp_dir is None:
                self.temp_dir = tempfile.TemporaryDirectory(prefix="sqllogictest_")
            sql = sql.replace("__TEST_DIR__", self.temp_dir.name)
        sql = sql.replace("__WORKING_DIRECTORY__", os.getcwd())
        return re.sub(r"\$\{(\w+)\}", lambda m: os.environ.get(m.group(1), m.group(0)), sql)

    def run(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                records = parse(f.read())
        except Malformed as e:
            self.fail(e.line, f"malformed test file: {e}")
            return
        except (OSError, UnicodeDecodeError) as e:
            self.fail(0, f"cannot read the test file: {e}")
            return
        con = duckdb.connect(":memory:", config={"allow_unsigned_extensions": "true"})
        try:
            self.run_records(con, records)
        finally:
            con.close()
            if self.temp_dir is not None:
                self.temp_dir.cleanup()

    def run_records(self, con, records):
        skipping = False
        for index, record in enumerate(records):
            if record.kind == "mode":
                skipping = record.header[1] == "skip"
                continue
            if record.kind == "halt":
                self.skipped += sum(1 for r in records[index + 1:] if r.kind in ("statement", "query"))
                return
            if skipping:
                if record.kind in ("statement", "query"):
                    self.skipped += 1
                continue
            if record.kind == "require":
                if not self.require(con, record):
                    self.skipped += sum(1 for r in records[index + 1:] if r.kind in ("statement", "query"))
                    return
                continue
            if record.kind == "require-env":
                name = record.header[1]
                wanted = record.header[2] if len(record.header) > 2 else None
                if name not in os.environ or (wanted is not None and os.environ[name] != wanted):
                    self.skipped += sum(1 for r in records[index + 1:] if r.kind in ("statement", "query"))
                    self.out.write(f"skip {self.path}:{record.line}: environment variable {name} is not set\n")
                    return
                continue
            if self.verbose:
                self.out.write(f"{self.path}:{record.line}: {record.sql}\n")
            try:
                ok = self.statement(con, record) if record.kind == "statement" else self.query(con, record)
            except Exception:  # a runner bug must not hide the other records
                self.fail(record.line, "runner error:\n" + traceback.format_exc())
                continue
            if ok:
                self.passed += 1

    def require(self, con, record):
        name = record.header[1]
        if name == self.extension_name:
            if not self.extension:
                self.fail(record.line, f"'require {name}' but no --extension was given")
                return False
            try:
                con.execute(f"LOAD '{os.path.abspath(self.extension)}'")
                return True
            except duckdb.Error as e:
                self.fail(record.line, f"cannot load {self.extension}: {e}")
                return False
        try:
            con.execute(f"LOAD {name}")
            return True
        except duckdb.Error:
            self.out.write(f"skip {self.path}:{record.line}: extension {name} is not available\n")
            return False

    def statement(self, con, record):
        sql = self.substitute(record.sql)
        expect = record.header[1]
        try:
            con.execute(sql)
            con.fetchall() if con.description else None
            error = None
        except duckdb.Error as e:
            error = str(e)
        if expect == "ok":
            if error is not None:
                self.fail(record.line, f"statement failed:\n{indent(sql)}\nerror:\n{indent(error)}")
                return False
            return True
        if expect == "maybe":
            return True
        if error is None:
            self.fail(record.line, f"statement should have failed but succeeded:\n{indent(sql)}")
            return False
        if record.expected is None or not "\n".join(record.expected).strip():
            return True
        wanted = "\n".join(record.expected)
        if wanted.startswith("<REGEX>:"):
            matched = re.search(wanted[len("<REGEX>:"):], error, re.DOTALL) is not None
        else:
            matched = wanted in error
        if not matched:
            self.fail(record.line, f"wrong error for:\n{indent(sql)}\nexpected to find:\n{indent(wanted)}\n"
                                   f"actual error:\n{indent(error)}")
            return False
        return True

    def query(self, con, record):
        sql = self.substitute(record.sql)
        letters = record.header[1]
        mode = record.header[2] if len(record.header) > 2 else "nosort"
        try:
            count, rows = run_query(con, sql)
        except duckdb.Error as e:
            self.fail(record.line, f"query failed:\n{indent(sql)}\nerror:\n{indent(str(e))}")
            return False
        if count != len(letters):
            self.fail(record.line, f"query returns {count} column(s) but the header '{letters}' "
                                   f"declares {len(letters)}:\n{indent(sql)}")
            return False
        actual_lines = ["\t".join(row) for row in rows]
        expected_lines = list(record.expected)
        if mode == "rowsort":
            actual_cmp, expected_cmp = sorted(actual_lines), sorted(expected_lines)
        elif mode == "valuesort":
            actual_cmp = sorted(v for row in rows for v in row)
            expected_cmp = sorted(v for line in expected_lines for v in line.split("\t"))
        else:
            actual_cmp, expected_cmp = actual_lines, expected_lines
        if "\n".join(actual_cmp) != "\n".join(expected_cmp):
            self.fail(record.line, f"wrong result ({mode}) for:\n{indent(sql)}\nexpected:\n"
                                   f"{indent(chr(10).join(expected_lines) or '(no rows)')}\nactual:\n"
                                   f"{indent(chr(10).join(actual_lines) or '(no rows)')}")
            return False
        return True


def indent(text):
    return "\n".join("    " + line for line in str(text).split("\n"))


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                files.extend(os.path.join(root, n) for n in names if n.endswith(".test"))
        else:
            files.append(path)
    return sorted(files)


def main():
    parser = argparse.ArgumentParser(description="Run DuckDB .test files against a built extension.")
    parser.add_argument("--extension", help="path of the .duckdb_extension that 'require' loads")
    parser.add_argument("--extension-name", default="flights_helper")
    parser.add_argument("--verbose", action="store_true", help="print every record as it runs")
    parser.add_argument("paths", nargs="+", help=".test files or directories")
    args = parser.parse_args()

    out = sys.stdout
    files = collect(args.paths)
    out.write(f"DuckDB {duckdb.__version__} (python package), {len(files)} test file(s)\n")
    passed = failed = skipped = 0
    for n, path in enumerate(files, 1):
        run = FileRun(path, args.extension, args.extension_name, args.verbose, out)
        try:
            run.run()
        except Exception:
            run.fail(0, "runner error:\n" + traceback.format_exc())
        passed, failed, skipped = passed + run.passed, failed + run.failed, skipped + run.skipped
        status = "ok" if run.failed == 0 else "FAILED"
        out.write(f"[{n}/{len(files)}] {path}: {status} ({run.passed} passed, {run.failed} failed"
                  f"{f', {run.skipped} skipped' if run.skipped else ''})\n")
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    out.write(summary + "\n")
    if passed + failed == 0:
        out.write("no test record ran\n")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
