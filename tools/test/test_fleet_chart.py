"""Unit tests for fleet_chart.py's data check (what make test-docs runs; duckdb, no matplotlib).

The drawing itself is checked by make test-notebooks (fleet_chart.py --check redraws it with the
pinned matplotlib and compares bytes).

Run: python3 -m unittest discover -s tools/test -p 'test_fleet_chart.py'
"""
import json
import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fleet_chart  # noqa: E402

ROWS = [["hourly_export", 1, 2, 4], ["adhoc_backfill", 0, 0, 1]]


def svg_with(description):
    """A minimal SVG whose metadata description is ``description`` (escaped as matplotlib writes it)."""
    escaped = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f"<svg><metadata><dc:description>{escaped}</dc:description></metadata></svg>"


class RowsInSvgTest(unittest.TestCase):
    def test_reads_the_rows_back(self):
        svg = svg_with(fleet_chart.DATA_PREFIX + json.dumps(ROWS))
        self.assertEqual(fleet_chart.rows_in_svg(svg), ROWS)

    def test_a_description_of_another_kind_is_no_rows(self):
        self.assertIsNone(fleet_chart.rows_in_svg(svg_with("drawn by hand")))
        self.assertIsNone(fleet_chart.rows_in_svg("<svg></svg>"))


class CheckDataTest(unittest.TestCase):
    def check(self, svg, now):
        with mock.patch.object(fleet_chart, "read_svg", return_value=svg), \
                mock.patch.object(fleet_chart, "query_rows", return_value=now):
            return fleet_chart.check_data("unused.duckdb_extension")

    def test_current(self):
        self.assertEqual(self.check(svg_with(fleet_chart.DATA_PREFIX + json.dumps(ROWS)), ROWS), [])

    def test_stale_when_a_count_changed(self):
        now = [["hourly_export", 1, 2, 5], ["adhoc_backfill", 0, 0, 1]]
        problems = self.check(svg_with(fleet_chart.DATA_PREFIX + json.dumps(ROWS)), now)
        self.assertEqual(len(problems), 1)
        self.assertIn("is stale", problems[0])
        self.assertIn("run make docs", problems[0])

    def test_stale_when_the_order_changed(self):
        self.assertEqual(len(self.check(svg_with(fleet_chart.DATA_PREFIX + json.dumps(ROWS)), ROWS[::-1])), 1)

    def test_missing(self):
        problems = self.check(None, ROWS)
        self.assertEqual(len(problems), 1)
        self.assertIn("is missing", problems[0])

    def test_without_rows(self):
        self.assertEqual(len(self.check(svg_with("drawn by hand"), ROWS)), 1)


class QueryTest(unittest.TestCase):
    def test_the_query_counts_each_severity_of_a_flight_row(self):
        # The query over a one-Flight table, with flight_findings stubbed by a macro of fixed findings.
        import duckdb

        con = duckdb.connect()
        con.execute("CREATE TABLE my_flight_versions AS SELECT 'f' AS flight_name")
        con.execute("CREATE MACRO flight_findings(v) AS "
                    "[{'severity': 'error'}, {'severity': 'info'}, {'severity': 'info'}]")
        self.assertEqual(con.execute(fleet_chart.FINDINGS_PER_FLIGHT).fetchall(), [("f", 1, 0, 2)])


if __name__ == "__main__":
    unittest.main()
