"""FileRun: one .test file, from its first line to its summary counts.

It owns the databases and connections of the file (opened as DuckDB's runner
opens them), the keyword replacements, loops, restarts and loads; reading the
records (reading.py, and records/ for each kind) and judging results
(checking.py) are its two halves.
"""
import gzip
import os
import re
import shutil
import tempfile
import time
import traceback
import uuid

import duckdb

from . import rendering
from .checking import Checks
from .errors import Malformed, SkipFile, StopFile
from .mock_mcp import MockFlights
from .parsing import CONFIG_LINE, SPACES, Parser, split_tokens
from .reading import RecordReader
from .records import TABLE
from .report import indent

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


class FileRun(RecordReader, Checks):
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
        self.mock_flights = MockFlights()  # the mock MCP server's Flight behaviours this file chose

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
            try:
                self.mock_flights.restore()
            except ValueError as e:
                self.fail(0, f"could not restore the mock MCP server's scenario after the file: {e}")

    def count_rest(self, parser):
        """Count the statements and queries the file did not get to as skipped."""
        try:
            while parser.next_record():
                p = parser.active()
                tokens = split_tokens(p.lines[p.current])
                if tokens and tokens[0] in TABLE and TABLE[tokens[0]].counted:
                    self.skipped += 1
        except Malformed:
            pass

    def start_loop(self, loop):
        if self.loop_stack:
            self.loop_stack[-1].body.append(loop)
        self.loop_stack.append(loop)

    def dispatch(self, record):
        if self.loop_stack:
            self.loop_stack[-1].body.append(record)
        else:
            self.execute(record, [])

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
            before = rendering.settings(self.con)
            self.reopen(record, record.load)
            after = rendering.settings(self.con)
            for name, value in before.items():  # DuckDB's restart keeps the configuration and session
                if after.get(name, value) != value:
                    try:
                        literal = value.replace("'", "''")
                        self.con.execute(f"SET \"{name}\" = '{literal}'")
                    except duckdb.Error:
                        pass  # e.g. a setting that can only be given at start
            for sql in self.session_log:  # settings duckdb_settings() does not list (e.g. lambda_syntax)
                try:
                    rendering.execute(self.con, self.con, sql, render=False)
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


def replace_loop_variable(text, names, value):
    """DuckDB's loop replacement of {NAME} (and legacy ${NAME})."""
    return text.replace("${" + names + "}", value).replace("{" + names + "}", value)
