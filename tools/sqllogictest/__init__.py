"""A sqllogictest runner for DuckDB's `.test` dialect, over the `duckdb` Python package.

It judges a file the way DuckDB's own runner (``test/sqlite`` in duckdb/duckdb)
does, so a file that passes here passes there and the other way round.

Usage (with the python of a venv that has duckdb, pyarrow and google-re2)::

    python tools/sqllogictest [--extension build/release/flights_helper.duckdb_extension]
                           [--extension-name flights_helper] [--no-unsigned]
                           [--verbose] FILE_OR_DIR...

Directories are searched recursively for ``*.test`` files; all files run in
sorted order, each in a fresh in-memory database opened as DuckDB's runner
opens it: ``allow_unsigned_extensions`` (unless ``--no-unsigned``),
``allow_unredacted_secrets``, no extension autoloading or autoinstalling, and
``secret_directory`` inside the file's ``{TEST_DIR}``.

Settings at open: a comment line ``# runner-config: NAME=VALUE [NAME=VALUE...]``
before the first statement or query is added to the configuration the database
is opened with (also on ``restart``/``load``), e.g.
``# runner-config: allow_unsigned_extensions=false``. DuckDB's runner reads it
as a comment. ``--no-unsigned`` opens every file without
allow_unsigned_extensions (a file's runner-config can still set it).

The format, as DuckDB's runner reads it (records are separated by empty lines;
a line is empty only when it has no characters at all; ``#`` starts a comment
line only in the first column; ``\\r`` is dropped):

``statement ok|error|maybe [CONNECTION]``
    SQL on the following lines, up to an empty line, a comment line or ``----``.
    ``error`` needs ``----`` and an expected message (it may be empty: any
    error); the statement passes when it fails with an error that contains the
    message, or whose text plus a newline matches it in full when it starts
    with ``<REGEX>:`` (``<!REGEX>:``: does not match), with RE2 and ``.``
    matching newlines. An error containing ``INTERNAL`` never passes
    (``set always_fail_error_messages`` changes the list). ``maybe`` passes
    on success or on a matching error. ``ok`` takes no ``----``.
``query <T|I|R letters> [nosort|rowsort|sort|valuesort|CONNECTION] [LABEL]``
    SQL, ``----``, then the expected values: one row per line with values
    separated by tabs, or one value per line (rows x columns lines). Each
    result value is DuckDB's own VARCHAR cast of it, a top-level BOOLEAN as
    ``1``/``0``, NULL as ``NULL``, the empty string as ``(empty)`` and a NUL
    character as ``\\0``. An expected value matches when it is the same text
    (also after keyword replacement), when it is ``<REGEX>:``/``<!REGEX>:``
    (a full RE2 match as above), when the column is numeric and both cast to
    the column's type are equal (FLOAT/DOUBLE: within 1% + 1e-8), or when the
    column is BOOLEAN and both read as the same truth value (``true``,
    ``false`` in any case, ``1``, ``0``). ``rowsort``/``sort`` sort the
    result rows and ``valuesort`` all result values before comparing; the
    expected values are never sorted. ``N values hashing to <md5>`` compares
    the MD5 of every result value followed by a newline; a LABEL compares the
    hash with the earlier queries of the same label. The number of letters
    must be the number of columns.
``require NAME``
    The extension under test (``--extension-name``): LOAD the ``--extension``
    file; failing that fails the file. DuckDB's own requirements
    (``vector_size N``, ``notwindows``, ``64bit``, ``ram 8gb``, ...) are
    evaluated; any other NAME is ``LOAD NAME``, and the rest of the file is
    skipped when that fails (unknown extension names fail the file).
``require-env NAME [VALUE]`` / ``test-env NAME DEFAULT``
    Skip the rest of the file unless the environment variable is set (and
    equal); ``{NAME}`` then stands for its value. The one addition, for the
    project's mock MCP server (mock_mcp.py): ``require-env
    MOCK_MCP_FLIGHT_<flight> BEHAVIOUR`` that the environment does not hold
    is chosen for this file through the mock's control endpoint when the
    environment has MOCK_MCP_CONTROL (tools/with_mock_mcp.sh sets it), and
    the mock's scenario is put back when the file ends; DuckDB's runner skips
    such a file unless the run was started with that variable (which
    with_mock_mcp.sh chooses for the whole run), so the file means the same.
``mode skip [REASON]`` / ``mode unskip``; ``mode output_hash|output_result|no_output|debug``
    Records in between are counted as skipped, with the reason.
``skipif|onlyif SYSTEM`` or ``skipif|onlyif VAR=VALUE[&&...]`` (before a record)
    ``skipif duckdb``/``onlyif OTHER`` skip the record; loop variables may be
    compared with ``= <> < > <= >=``.
``loop VAR START END`` / ``foreach VAR A B ...`` / ``concurrentloop`` /
``concurrentforeach`` ... ``endloop``
    Repeat the records with ``{VAR}`` replaced in their SQL (foreach knows
    ``<integral>``, ``<numeric>``, ``<alltypes>``, ``<compression>``, ...).
    Concurrent loops run their iterations one after another, each on its own
    connection (one valid interleaving).
``halt``, ``hash-threshold N``, ``set variable|seed|ignore_error_messages|always_fail_error_messages ...``,
``reset label L``, ``load PATH [readonly|readwrite] [VERSION]``, ``restart``, ``reconnect``,
``sleep N UNIT``, ``unzip IN [OUT]``, ``tags ...``, ``continue``, ``include PATH``
    As in DuckDB's runner. ``restart`` reopens the database and loads the
    required extensions again, without carrying session settings over.

Replaced in SQL and compared expected values: ``{TEST_DIR}``/``__TEST_DIR__``
and ``{TEMP_DIR}`` (a temporary folder per file), ``{WORKING_DIRECTORY}``/
``__WORKING_DIRECTORY__``, ``{UUID}`` (a new one each time), ``{TEST_NAME}``,
``{BASE_TEST_NAME}``, ``{DATA_DIR}`` and the ``{NAME}`` of require-env,
test-env and ``set variable`` (legacy ``${NAME}`` too).

Each record runs with ``con.execute`` exactly as written (multi-statement
text runs whole; its result is the last statement's). The result is read as
Arrow (``arrow_lossless_conversion``) and DuckDB casts each value to VARCHAR
on the same connection. The connection has ``python_enable_replacements``
off, so a missing table is an error, never a Python variable.

Deliberate differences from DuckDB's runner: a failing record does not stop
the file (every failure is reported; the file's verdict is the same);
errors with ``HTTP`` or ``Unable to connect`` are failures, not skips (DuckDB's
default ``skip_error_messages``; ``set ignore_error_messages`` still works);
``<FILE>:`` results and the original-sqlite float rules are not supported.
On DuckDB 1.x the result of anything but a SELECT/EXPLAIN (materialized, e.g.
``INSERT ... RETURNING``, ``CALL``, ``PRAGMA``) is read as Python values and
cast back to text in a helper database, because 1.x's Arrow export of such a
result fails under ``PRAGMA enable_verification`` (a TIMESTAMPTZ there needs
pytz, an INTERVAL loses its months).

Prints the DuckDB version, one line per file, each failure with file:line,
the SQL, expected and actual side by side, and ends with the line
``N passed, N failed`` (``, N skipped`` appended when some were), counting
statements and queries. Exits 1 when any record failed or none ran.
"""

# The modules, by concern; each imports only modules below it in this list:
#   cli.py        the command line: which files, the summary line
#   running.py    FileRun: one file's databases, records, loops and restarts
#   reading.py    the loop over a file's records: prefixes, mode skip, each kind's parse function
#   records/      one module per record kind (statement.py, query.py, loops.py, require.py, ...),
#                 registered by first word in records/__init__.py's TABLE
#   checking.py   DuckDB's CheckStatementResult and CheckQueryResult
#   parsing.py    lines and records as DuckDB's SQLLogicParser reads them
#   rendering.py  running SQL and rendering each value as DuckDB's runner prints it
#   comparing.py  regexes, numbers and sort orders as DuckDB compares them
#   report.py     how a failure is shown
#   mock_mcp.py   a file's Flight behaviours of the mock MCP server, chosen through its control endpoint
#   errors.py     what stops a file early
