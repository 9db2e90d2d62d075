"""The .test file format as DuckDB's SQLLogicParser reads it: lines, records, headers."""
import re

from .errors import Malformed

SPACES = " \t\n\v\f\r"
CONFIG_LINE = re.compile(r"^# runner-config:(.*)$")


class Record:
    """One statement or query (or a loop, or a loop-level `continue`) of a .test file."""

    def __init__(self, kind, line, **fields):
        self.kind = kind          # "statement", "query", "loop", "continue", "mode", "reset", "restart", ...
        self.line = line          # 1-based line of the header
        self.sql = ""
        self.expected = None      # statement: expected error text ("" = any); query: expected value lines
        self.conditions = []      # (name, operator, value, skip_if) on loop variables
        self.connection = None
        self.__dict__.update(fields)


def split_tokens(line):
    """Split a header line on DuckDB's space characters."""
    return [t for t in re.split("[" + re.escape(SPACES) + "]", line) if t]


def duck_split(text, sep):
    """DuckDB's StringUtil::Split: empty pieces are dropped; nothing left gives [text]."""
    pieces = [p for p in text.split(sep) if p]
    return pieces or [text]


def empty_or_comment(line):
    return line == "" or line.startswith("#")


class Parser:
    """Reads records the way DuckDB's SQLLogicParser does, one at a time."""

    def __init__(self, text, path):
        self.path = path
        self.lines = [line.replace("\r", "") for line in text.split("\n")]
        if self.lines and self.lines[-1] == "":
            self.lines.pop()  # getline() yields no line after the final newline
        self.current = 0
        self.seen = False
        self.include = None

    def has(self, index):
        return 0 <= index < len(self.lines)

    def line(self, index):
        if not self.has(index):
            raise Malformed(index + 1, "unexpected end of file")
        return self.lines[index]

    def next_record(self):
        """Move to the next record's first line; False at the end of the file."""
        if self.include is not None:
            if self.include.next_record():
                return True
            self.include = None
        if self.seen:
            while self.has(self.current) and not empty_or_comment(self.lines[self.current]):
                self.current += 1
        self.seen = True
        while self.has(self.current) and empty_or_comment(self.lines[self.current]):
            self.current += 1
        return self.has(self.current)

    def active(self):
        return self.include.active() if self.include is not None else self

    def tokenize(self):
        p = self.active()
        line = p.line(p.current)
        tokens = split_tokens(line)
        if not tokens:
            raise Malformed(p.current + 1, "a line with only spaces is neither empty nor a record (Empty line!?)")
        return tokens[0], tokens[1:]

    def next_line_empty_or_comment(self):
        p = self.active()
        return not p.has(p.current + 1) or empty_or_comment(p.lines[p.current + 1])

    def advance(self):
        p = self.active()
        p.current += 1

    def header_line(self):
        p = self.active()
        return p.current + 1

    def where(self):
        p = self.active()
        return p.path

    def extract_statement(self):
        p = self.active()
        out = []
        while p.has(p.current) and not empty_or_comment(p.lines[p.current]):
            if p.lines[p.current] == "----":
                break
            out.append(p.lines[p.current])
            p.current += 1
        return "\n".join(out)

    def extract_expected_result(self):
        p = self.active()
        if p.has(p.current) and p.lines[p.current] == "----":
            p.current += 1
        out = []
        while p.has(p.current) and p.lines[p.current] != "":
            out.append(p.lines[p.current])
            p.current += 1
        return out

    def extract_expected_error(self, kind, line):
        p = self.active()
        wants_message = kind in ("error", "maybe")
        if not p.has(p.current) or p.lines[p.current] != "----":
            if wants_message:
                raise Malformed(line, f"'statement {kind}' needs a '----' line and the expected error "
                                               "message (DuckDB's runner refuses the file otherwise)")
            return ""
        if not wants_message:
            raise Malformed(line, f"only 'statement error' or 'statement maybe' take a '----' section, "
                                           f"not 'statement {kind}' (use 'query' to check results)")
        p.current += 1
        out = []
        while p.has(p.current) and p.lines[p.current] != "":
            out.append(p.lines[p.current])
            p.current += 1
        return "\n".join(out)

    def open_include(self, path, line):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise Malformed(line, f"cannot open include file {path}: {e}")
        target = self
        while target.include is not None:
            target = target.include
        target.include = Parser(text, path)


def parse_conditions(text, skip_if, line):
    """Loop-variable conditions of skipif/onlyif; None when ``text`` is a system name."""
    if not any(c in text for c in "=<>"):
        return None
    conditions = []
    for part in duck_split(text, "&&"):
        for op in ("<>", ">=", ">", "<=", "<", "="):
            if op in part:
                pieces = duck_split(part, op)
                break
        if len(pieces) != 2:
            raise Malformed(line, "skipif/onlyif must be in the form of x=y or x>y, potentially separated by &&")
        conditions.append((pieces[0].strip(SPACES), op, pieces[1].strip(SPACES), skip_if))
    return conditions

