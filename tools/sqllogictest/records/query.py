"""``query <T|I|R letters> [SORT|CONNECTION] [LABEL]``: SQL, ``----``, then the expected values."""
from ..errors import Malformed
from ..parsing import Record

SORT_STYLES = {"nosort": "nosort", "none": "nosort", "rowsort": "rowsort", "sort": "rowsort",
               "valuesort": "valuesort"}


def parse(reading, header):
    run, parser, params, line = reading.run, reading.parser, header.params, header.line
    run.statements_seen = True
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
    run.dispatch(Record("query", line, columns=len(letters), sql=run.replace_keywords(sql), expected=values,
                        sort=sort, connection=connection, label=params[2] if len(params) > 2 else None,
                        conditions=header.conditions, path=parser.where()))
