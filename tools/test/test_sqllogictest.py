"""Unit tests for the sqllogictest runner (tools/sqllogictest/) that fixtures cannot express: runner bugs
and broken databases must be reported per file while the run goes on, the
INTERNAL rule, DuckDB's comparison helpers and parser corner cases. Needs the
duckdb, pyarrow and google-re2 packages (run with a venv's python).

Run: .venv/duckdb-2.0/bin/python -m unittest discover -s tools/test -p 'test_*.py'
"""
import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import duckdb  # noqa: E402
from sqllogictest import cli, comparing, errors, parsing, rendering, running  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VALUE = os.path.join(HERE, "bad_value.test")    # 1 passing query, then 1 wrong value
GOOD = os.path.join(HERE, "good_require_other.test")  # 2 passed, 1 skipped


def run_main(*args):
    """Run the runner's main; return (exit code, printed text)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(args))
    return code, out.getvalue()


class RunnerRobustnessTest(unittest.TestCase):
    """An exception inside the runner fails one record or file, not the run."""

    def test_runner_error_in_a_record(self):
        real = rendering.execute
        calls = []

        def first_call_breaks(con, render_con, sql, render=True, helper=None):
            calls.append(sql)
            if len(calls) == 1:
                raise TypeError("simulated runner bug")
            return real(con, render_con, sql, render, helper)

        with mock.patch.object(rendering, "execute", first_call_breaks):
            code, out = run_main(VALUE, GOOD)
        self.assertEqual(code, 1)
        self.assertIn(f"FAIL {VALUE}:7: runner error:", out)
        self.assertIn("TypeError: simulated runner bug", out)
        self.assertIn(f"FAIL {VALUE}:12: wrong result", out)  # the file went on
        self.assertEqual(out.splitlines()[-1], "2 passed, 2 failed, 1 skipped")

    def test_runner_error_for_a_file(self):
        with mock.patch.object(duckdb, "connect", side_effect=RuntimeError("simulated")):
            code, out = run_main(VALUE, GOOD)
        self.assertEqual(code, 1)
        self.assertIn(f"FAIL {VALUE}:0: runner error:", out)
        self.assertIn(f"[2/2] {GOOD}: FAILED", out)  # the run went on
        self.assertEqual(out.splitlines()[-1], "0 passed, 2 failed")


def temp_folder(case):
    """A new folder, removed when the test case ends."""
    folder = tempfile.mkdtemp()
    case.addCleanup(shutil.rmtree, folder, True)
    return folder


def file_run(case):
    args = mock.Mock(extension=None, extension_name="flights_helper", no_unsigned=False, verbose=False)
    run = running.FileRun("x.test", args, io.StringIO())
    run.temp_dir = temp_folder(case)
    return run


class StatementRuleTest(unittest.TestCase):
    """DuckDB's CheckStatementResult on results no fixture can produce."""

    def check(self, expect, expected, error):
        run = file_run(self)
        record = parsing.Record("statement", 3, expect=expect, expected=expected, sql="SELECT 1")
        with mock.patch.object(rendering, "execute", return_value=rendering.Result(error=error)):
            ok = run.statement(record, "SELECT 1")
        return ok, run.out.getvalue()

    def test_internal_error_never_passes(self):
        ok, out = self.check("error", "", "INTERNAL Error: Attempted to access index 3 within vector of size 3")
        self.assertFalse(ok)
        self.assertIn("never passes", out)
        self.assertFalse(self.check("maybe", "", "INTERNAL Error: x")[0])
        self.assertTrue(self.check("error", "", "Binder Error: x")[0])

    def test_message_then_regex(self):
        self.assertTrue(self.check("error", "<REGEX>:Binder.*", "Binder Error: x")[0])
        self.assertFalse(self.check("error", "<REGEX>:Binder", "Binder Error: x")[0])
        self.assertTrue(self.check("error", "<!REGEX>:.*secret.*", "Binder Error: x")[0])


class HelperTest(unittest.TestCase):
    """Comparison helpers that follow DuckDB's C++ code."""

    def test_regex_is_a_full_re2_match(self):
        self.assertEqual(comparing.regex_matches("abc", "<REGEX>:a.c"), (True, None))
        self.assertEqual(comparing.regex_matches("abcd", "<REGEX>:a.c")[0], False)
        self.assertEqual(comparing.regex_matches("a" + chr(10) + "c", "<REGEX>:a.c")[0], True)
        self.assertEqual(comparing.regex_matches("abc", "<!REGEX>:a.c")[0], False)
        matched, problem = comparing.regex_matches("abc", "<REGEX>:(?=a)abc")
        self.assertFalse(matched)
        self.assertIn("RE2", problem)

    def test_approx_equal(self):
        self.assertTrue(comparing.approx_equal(100.9, 100.0, False))
        self.assertFalse(comparing.approx_equal(101.1, 100.0, False))
        self.assertTrue(comparing.approx_equal(float("nan"), float("nan"), False))
        self.assertFalse(comparing.approx_equal(float("inf"), 1e308, True))

    def test_split_and_sort(self):
        self.assertEqual(parsing.duck_split("a\t\tb".replace("\\t", "\t"), "\t"), ["a", "b"])
        self.assertEqual(parsing.duck_split("\t", "\t"), ["\t"])
        self.assertEqual(comparing.sort_values(["2", "b", "10", "a"], "rowsort", 2), ["10", "a", "2", "b"])
        self.assertEqual(comparing.sort_values(["b", "a", "é"], "valuesort", 1), ["a", "b", "é"])

    def test_render(self):
        self.assertEqual(rendering.render_value("true", "BOOLEAN"), "1")
        self.assertEqual(rendering.render_value("", "VARCHAR"), "(empty)")
        self.assertEqual(rendering.render_value(None, "VARCHAR"), "NULL")
        self.assertEqual(rendering.render_value("a\0b".replace("\\0", chr(0)), "VARCHAR"), "a\\0b")


class ParserTest(unittest.TestCase):
    """Corner cases of DuckDB's line rules."""

    def records(self, text):
        parser = parsing.Parser(text, "x.test")
        out = []
        while parser.next_record():
            head, params = parser.tokenize()
            line = parser.header_line()
            parser.advance()
            sql = parser.extract_statement()
            rest = parser.extract_expected_result()
            out.append((head, line, sql, rest))
        return out

    def test_crlf_line_endings(self):
        self.assertEqual(self.records("query I\r\nSELECT 1;\r\n----\r\n1\r\n"),
                         [("query", 1, "SELECT 1;", ["1"])])

    def test_multiline_records(self):
        got = self.records("# c\n\nquery I\nSELECT\n  x;\n----\nfirst\nsecond\n\nquery I\nSELECT 2\n")
        self.assertEqual(got, [("query", 3, "SELECT\n  x;", ["first", "second"]), ("query", 10, "SELECT 2", [])])

    def test_space_only_line(self):
        parser = parsing.Parser("query I\nSELECT 1\n\n   \n", "x.test")
        parser.next_record()
        parser.tokenize()
        parser.next_record()
        with self.assertRaises(errors.Malformed) as caught:
            parser.tokenize()
        self.assertEqual(caught.exception.line, 4)

    def test_conditions(self):
        self.assertEqual(parsing.parse_conditions("i>=2&&t=x", True, 1),
                         [("i", ">=", "2", True), ("t", "=", "x", True)])
        self.assertIsNone(parsing.parse_conditions("duckdb", True, 1))


class SubstitutionTest(unittest.TestCase):
    """{TEST_DIR}, __TEST_DIR__, {UUID}, {NAME} of registered variables only."""

    def test_replace_keywords(self):
        run = file_run(self)
        run.env["SLT_SET"] = "v"
        text = run.replace_keywords("{SLT_SET} ${SLT_SET} {SLT_UNSET} {WORKING_DIRECTORY} __TEST_DIR__/f {TEST_DIR}")
        folder = run.temp_dir
        self.assertEqual(text, f"v v {{SLT_UNSET}} {os.getcwd()} {folder}/f {folder}")
        a, b = run.replace_keywords("{UUID} {UUID}").split()
        self.assertNotEqual(a, b)
        os.rmdir(folder)


class MockFlightsTest(unittest.TestCase):
    """require-env MOCK_MCP_FLIGHT_<flight> BEHAVIOUR (sqllogictest/mock_mcp.py): chosen for the file through
    MOCK_MCP_CONTROL when the run can, restored after it; without MOCK_MCP_CONTROL, skipped as DuckDB does."""
    FILE = ("query I\nSELECT 1;\n----\n1\n\nrequire-env MOCK_MCP_FLIGHT_billing_rollup tool_failure\n\n"
            "query T\nSELECT '{MOCK_MCP_FLIGHT_billing_rollup}';\n----\ntool_failure\n")

    def setUp(self):
        import http.server
        import json
        import threading
        seen = self.seen = []
        refuse = self.refuse = []

        class Control(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                seen.append(("GET", None))
                self.answer(200, {"name": "default", "flights": {"some-id": "slow"}, "logs_tools": []})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen.append(("POST", body))
                self.answer(400, {"error": "unknown Flight behaviour"}) if refuse else self.answer(200, body)

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Control)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        folder = temp_folder(self)
        self.path = os.path.join(folder, "mock.test")
        with open(self.path, "w") as f:
            f.write(self.FILE)

    def run_file(self, control):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCK_MCP_")}
        if control:
            env["MOCK_MCP_CONTROL"] = f"http://127.0.0.1:{self.server.server_address[1]}/_control/scenario"
        with mock.patch.dict(os.environ, env, clear=True):
            return run_main(self.path)

    def test_without_the_control_endpoint_the_rest_is_skipped(self):
        code, out = self.run_file(control=False)
        self.assertEqual((code, out.splitlines()[-1], self.seen), (0, "1 passed, 0 failed, 1 skipped", []))

    def test_chosen_for_the_file_and_restored_after_it(self):
        code, out = self.run_file(control=True)
        self.assertEqual((code, out.splitlines()[-1]), (0, "2 passed, 0 failed"), out)
        chosen = {"name": "default", "flights": {"some-id": "slow", "billing_rollup": "tool_failure"}}
        restored = {"name": "default", "flights": {"some-id": "slow"}}
        self.assertEqual(self.seen, [("GET", None), ("POST", chosen), ("POST", restored)])

    def test_a_refusal_fails_the_file_with_the_mocks_words(self):
        self.refuse.append(True)
        code, out = self.run_file(control=True)
        self.assertEqual(code, 1)
        self.assertIn("require-env MOCK_MCP_FLIGHT_billing_rollup tool_failure: the mock MCP server at", out)
        self.assertIn("HTTP 400: unknown Flight behaviour", out)
        self.assertEqual([method for method, _ in self.seen], ["GET", "POST"])  # refused: nothing to restore


if __name__ == "__main__":
    unittest.main()
