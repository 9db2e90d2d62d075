"""``statement ok|error|maybe|debug|debug_skip [CONNECTION]``: SQL run for its success or its error."""
from ..errors import Malformed
from ..parsing import Record

EXPECTS = ("ok", "error", "maybe", "debug", "debug_skip")


def parse(reading, header):
    run, parser, params, line = reading.run, reading.parser, header.params, header.line
    run.statements_seen = True
    if not params:
        raise Malformed(line, "statement requires at least one parameter (statement ok/error)")
    expect = params[0]
    if expect not in EXPECTS:
        raise Malformed(line, f"statement argument should be 'ok', 'error' or 'maybe', got {expect!r}")
    parser.advance()
    sql = parser.extract_statement()
    if not sql:
        raise Malformed(line, "unexpected empty statement text")
    expected = parser.extract_expected_error(expect, line)
    if expect == "debug_skip":
        reading.skip("statement debug_skip")
    run.dispatch(Record("statement", line, expect=expect, sql=run.replace_keywords(sql), expected=expected,
                        connection=params[1] if len(params) > 1 else None, conditions=header.conditions,
                        path=parser.where()))
