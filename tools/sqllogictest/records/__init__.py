"""The record kinds of a .test file: one module per kind (or per family of close kinds), each with
the parse function(s) that read its header, and TABLE, which registers them by their first word.

A parse function is called as ``parse(reading, header)``: ``header`` is the record's first line
(``word``, ``params``, ``line`` and the ``conditions`` of its skipif/onlyif prefixes), ``reading``
the file being read (``run``: the FileRun it feeds, ``parser``: positioned at that line,
``header()``: the next header, ``skip(reason)``/``unskip()``: ``mode skip`` nesting). It reads the
rest of its record from the parser, raises Malformed for a wrong record, and then either hands a
Record to ``run.dispatch`` (run now, or collected in the loop being read) or acts at once
(require, require-env, test-env, set, hash-threshold, loops, include). The skipif/onlyif prefixes
are read by ``conditions.read`` before the record they apply to.

To add a kind: a module here with its parse function, and one row in TABLE.
"""
from . import (conditions, database, env, halt, hash_threshold, include, loops, mode, query, require, reset,
               setting, sleep, statement, tags, unzip)


class Kind:
    """How the reader treats the records of one first word.

    single_line: the header must be followed by an empty or comment line (DuckDB: IsSingleLineStatement).
    counted: a statement or query, counted as skipped when not run.
    read_when_skipped: read even between ``mode skip`` and ``mode unskip``.
    """

    def __init__(self, parse, single_line=True, counted=False, read_when_skipped=False):
        self.parse = parse
        self.single_line = single_line
        self.counted = counted
        self.read_when_skipped = read_when_skipped


# Every record kind, by its first word.
TABLE = {
    "statement": Kind(statement.parse, single_line=False, counted=True),
    "query": Kind(query.parse, single_line=False, counted=True),
    "mode": Kind(mode.parse, read_when_skipped=True),
    "hash-threshold": Kind(hash_threshold.parse),
    "reset": Kind(reset.parse),
    "halt": Kind(halt.parse),
    "tags": Kind(tags.parse),
    "set": Kind(setting.parse),
    "require": Kind(require.parse),
    "require-env": Kind(env.parse_require_env),
    "test-env": Kind(env.parse_test_env),
    "loop": Kind(loops.parse_loop),
    "concurrentloop": Kind(loops.parse_loop),
    "foreach": Kind(loops.parse_foreach),
    "concurrentforeach": Kind(loops.parse_foreach),
    "endloop": Kind(loops.parse_endloop),
    "continue": Kind(loops.parse_continue),
    "load": Kind(database.parse_load),
    "restart": Kind(database.parse_restart),
    "reconnect": Kind(database.parse_reconnect),
    "sleep": Kind(sleep.parse),
    "unzip": Kind(unzip.parse),
    "include": Kind(include.parse),
}
# The first words a file may use: the record kinds and the prefixes.
WORDS = set(TABLE) | set(conditions.WORDS)
