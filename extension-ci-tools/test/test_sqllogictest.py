"""Unit tests for sqllogictest.py that fixtures cannot express: runner bugs
and broken databases must be reported per file while the run goes on, and
parser corner cases. Needs the duckdb package (run with a venv's python).

Run: .venv/duckdb-2.0/bin/python -m unittest discover -s extension-ci-tools/test -p 'test_*.py'
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sqllogictest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VALUE = os.path.join(HERE, "bad_value.test")    # 1 passing query, then 1 wrong value
GOOD = os.path.join(HERE, "good_require_other.test")  # 2 passed, 1 skipped


def run_main(*args):
    """Run sqllogictest.main; return (exit code, printed text)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = sqllogictest.main(list(args))
    return code, out.getvalue()


class RunnerRobustnessTest(unittest.TestCase):
    """An exception inside the runner fails one record or file, not the run."""

    def test_runner_error_in_a_record(self):
        real = sqllogictest.run_sql
        calls = []

        def first_call_breaks(con, sql):
            calls.append(sql)
            if len(calls) == 1:
                raise TypeError("simulated runner bug")
            return real(con, sql)

        with mock.patch.object(sqllogictest, "run_sql", first_call_breaks):
            code, out = run_main(VALUE, GOOD)
        self.assertEqual(code, 1)
        self.assertIn(f"FAIL {VALUE}:7: runner error:", out)
        self.assertIn("TypeError: simulated runner bug", out)
        self.assertIn(f"FAIL {VALUE}:12: wrong result", out)  # the file went on
        self.assertEqual(out.splitlines()[-1], "2 passed, 2 failed, 1 skipped")

    def test_runner_error_for_a_file(self):
        with mock.patch.object(sqllogictest.duckdb, "connect", side_effect=RuntimeError("simulated")):
            code, out = run_main(VALUE, GOOD)
        self.assertEqual(code, 1)
        self.assertIn(f"FAIL {VALUE}:0: runner error:", out)
        self.assertIn(f"[2/2] {GOOD}: FAILED", out)  # the run went on
        self.assertEqual(out.splitlines()[-1], "0 passed, 2 failed")


class ParserTest(unittest.TestCase):
    """Corner cases of the .test format."""

    def parse_error(self, text):
        with self.assertRaises(sqllogictest.Malformed) as caught:
            sqllogictest.parse(text)
        return caught.exception.line, str(caught.exception)

    def test_crlf_line_endings(self):
        records = sqllogictest.parse("query I\r\nSELECT 1;\r\n----\r\n1\r\n")
        self.assertEqual((records[0].sql, records[0].expected), ("SELECT 1;", ["1"]))

    def test_multiline_records(self):
        records = sqllogictest.parse("# c\n\nstatement error\nSELECT\n  x;\n----\nfirst\nsecond\n\nhalt\n")
        self.assertEqual([r.kind for r in records], ["statement", "halt"])
        self.assertEqual((records[0].line, records[0].sql), (3, "SELECT\n  x;"))
        self.assertEqual(records[0].expected, ["first", "second"])

    def test_malformed(self):
        self.assertEqual(self.parse_error("\nstatement ok\nSELECT 1;\n----\n1\n")[0], 4)
        self.assertEqual(self.parse_error("query I nosort label\nSELECT 1;\n----\n1\n")[0], 1)
        self.assertEqual(self.parse_error("query I wrongsort\nSELECT 1;\n----\n1\n")[0], 1)
        self.assertEqual(self.parse_error("query 3\nSELECT 1;\n----\n1\n")[0], 1)
        self.assertEqual(self.parse_error("statement\nSELECT 1;\n")[0], 1)
        self.assertEqual(self.parse_error("statement ok\n\nSELECT 1;\n")[0], 1)
        self.assertEqual(self.parse_error("mode output_result\n")[0], 1)
        self.assertEqual(self.parse_error("\n\nforeach x 1 2\n")[0], 3)
        self.assertIn("unknown record type", self.parse_error("statment ok\nSELECT 1;\n")[1])


class SubstitutionTest(unittest.TestCase):
    """__TEST_DIR__, __WORKING_DIRECTORY__ and ${NAME}."""

    def test_substitute(self):
        run = sqllogictest.FileRun("x.test", None, "flights_helper", False, io.StringIO())
        with mock.patch.dict(os.environ, {"SLT_SET": "v"}, clear=False):
            os.environ.pop("SLT_UNSET", None)
            text = run.substitute("${SLT_SET} ${SLT_UNSET} __WORKING_DIRECTORY__ __TEST_DIR__/f __TEST_DIR__")
        folder = run.temp_dir.name
        self.assertEqual(text, f"v ${{SLT_UNSET}} {os.getcwd()} {folder}/f {folder}")
        self.assertTrue(os.path.isdir(folder))
        run.temp_dir.cleanup()
        self.assertTrue(folder.startswith(tempfile.gettempdir()))


if __name__ == "__main__":
    unittest.main()
