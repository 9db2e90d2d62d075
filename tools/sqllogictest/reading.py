"""Reading a .test file record by record, the way DuckDB's SQLLogicParser does.

RecordReader is a part of FileRun (running.py): its loop takes each record's
header from the parser, applies DuckDB's rules common to every record (known
first word, single-line records, skipif/onlyif prefixes, ``mode skip``) and
hands the record to its kind's parse function, found in records.TABLE by the
first word (one module per kind under records/). The parse functions rely on
FileRun for the state and for fail/note/dispatch/execute/start_loop/
replace_keywords/config.
"""
from .errors import Malformed
from .records import TABLE, WORDS, conditions


class Header:
    """A record's first line: its first word, the other words, its 1-based line number, and the
    loop-variable conditions of the skipif/onlyif lines before it."""

    def __init__(self, word, params, line):
        self.word = word
        self.params = params
        self.line = line
        self.conditions = []


class Reading:
    """One file being read: the FileRun it feeds, its parser, and the ``mode skip`` nesting."""

    def __init__(self, run, parser):
        self.run = run
        self.parser = parser
        self.skip_level = 0
        self.skip_reason = None

    def header(self):
        """The header at the parser's line; an unknown first word is a malformed file."""
        word, params = self.parser.tokenize()
        line = self.parser.header_line()
        if word not in WORDS:
            raise Malformed(line, f"unrecognized record type {word!r}")
        return Header(word, params, line)

    def skip(self, reason):
        self.skip_level += 1
        self.skip_reason = reason

    def unskip(self):
        self.skip_level -= 1


class RecordReader:
    """Reads the records of a file and runs them (a part of FileRun)."""

    def run_parser(self, parser):
        reading = Reading(self, parser)
        while parser.next_record():
            header = reading.header()
            first = TABLE.get(header.word)  # None for a skipif/onlyif prefix
            if first is not None and first.single_line and not parser.next_line_empty_or_comment():
                raise Malformed(header.line, "all test statements need to be separated by an empty line")
            header = conditions.read(reading, header)
            if header is None:
                continue
            kind = TABLE[header.word]
            if reading.skip_level > 0 and not kind.read_when_skipped:
                if kind.counted:
                    self.skipped += 1
                    if self.verbose:
                        self.note(header.line, f"mode skip {reading.skip_reason}")
                continue
            kind.parse(reading, header)
        if self.loop_stack:
            raise Malformed(len(parser.lines), "missing endloop")
        if reading.skip_level > 0 and self.verbose:
            self.note(len(parser.lines), f"mode skip {reading.skip_reason} until the end of the file")
