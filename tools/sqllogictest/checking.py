"""DuckDB's CheckStatementResult and CheckQueryResult: did a record get what its file expects?

Checks is a part of FileRun (running.py); it relies on FileRun for the
connections, fail/note and replace_keywords.
"""
import hashlib

from . import rendering
from .comparing import HASH_RE, NUMERIC_TYPES, approx_equal, regex_matches, sort_values
from .errors import StopFile
from .parsing import duck_split
from .report import indent, mark_row, side_by_side


class Checks:
    """Judges the result of one statement or query (a part of FileRun)."""

    def skip_error(self, error):
        for message in self.ignore_errors:
            if message in error:
                self.note(0, f"error contains {message!r} (set ignore_error_messages): the rest of the file is skipped")
                return True
        return False


    def statement(self, record, sql):
        """DuckDB's CheckStatementResult; returns whether the statement passed."""
        result = rendering.execute(self.connection(record.connection), self.con, sql, render=False)
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
        result = rendering.execute(self.connection(record.connection), self.con, sql, helper=self.helper_con())
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
