"""What stops a .test file early: a malformed file, a skipped rest, a halt."""


class Malformed(Exception):
    """The .test file itself is wrong at a line (DuckDB's runner fails the file there)."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


class SkipFile(Exception):
    """The rest of the file is skipped (a requirement is missing)."""

    def __init__(self, line, reason):
        super().__init__(reason)
        self.line = line


class StopFile(Exception):
    """The file stops here without a failure of its own (halt, or an error DuckDB ignores)."""

