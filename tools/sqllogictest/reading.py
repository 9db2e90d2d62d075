"""The record headers of a .test file, read the way DuckDB's runner reads them.

RecordReader is a part of FileRun (running.py): it turns each header into a
Record for FileRun.dispatch, or acts on it at once (require, require-env,
test-env, set, mode skip, loop nesting). It relies on FileRun for the state
and for fail/note/dispatch/execute/start_loop/replace_keywords/config.
"""
import os
import re
import shutil
import struct
import sys

import duckdb

from .errors import Malformed, SkipFile, StopFile
from .parsing import SINGLE_LINE, SORT_STYLES, SPACES, STATEMENT_KINDS, Record, parse_conditions
from .report import indent

WINDOWS = sys.platform == "win32"
# `require X` answered by the runner itself (name -> present?).
PLATFORM_REQUIRES = {"notmusl": True, "notmingw": True, "mingw": False, "notwindows": not WINDOWS,
                     "windows": WINDOWS, "longdouble": True, "64bit": struct.calcsize("P") == 8, "noforcestorage": True,
                     "no_force_storage": True, "nothreadsan": True, "strinline": True, "skip_reload": True,
                     "no_alternative_verify": True, "no_latest_storage": True, "no_vector_verification": True,
                     "vacuum_rebuild_indexes": False}
VECTOR_SIZE = 2048
DEFAULT_BLOCK_SIZE = 262144


class RecordReader:
    """Reads the headers of a file into records (a part of FileRun)."""

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
            except (ValueError, OSError, AttributeError):  # no sysconf on Windows
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
