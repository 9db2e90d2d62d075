"""The command line: which .test files run, one line per file, the summary line."""
import argparse
import os
import sys
import traceback

try:  # both are pinned in tools/requirements-*.txt; a clear message beats a traceback
    import duckdb
    import pyarrow  # noqa: F401  (DuckDB's Arrow export needs it)
    import re2  # noqa: F401  (comparing.py's <REGEX>: matching)
except ImportError as _missing:  # pragma: no cover
    sys.stderr.write(f"tools/sqllogictest needs duckdb, pyarrow and google-re2 ({_missing}); "
                     "run tools/setup_venv.sh or make configure\n")
    sys.exit(2)

from .report import indent  # noqa: E402
from .running import FileRun  # noqa: E402

EXTENSION_SUFFIX = ".duckdb_extension"
def collect(paths):
    """Return the .test files named by ``paths`` (directories searched recursively), sorted."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                files.extend(os.path.join(root, n) for n in names if n.endswith(".test"))
        else:
            files.append(path)
    return sorted(set(files))


def default_extension_name(extension):
    """The extension name DuckDB derives from the file name, else flights_helper."""
    base = os.path.basename(extension or "")
    if base.endswith(EXTENSION_SUFFIX) and len(base) > len(EXTENSION_SUFFIX):
        return base[: -len(EXTENSION_SUFFIX)]
    return "flights_helper"


def main(argv=None):
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description="Run DuckDB .test files, optionally against a built extension.")
    parser.add_argument("--extension", help="the .duckdb_extension file that 'require <extension name>' loads")
    parser.add_argument("--extension-name",
                        help="the name 'require' uses for it (default: from the file name, else flights_helper)")
    parser.add_argument("--no-unsigned", action="store_true",
                        help="open the databases without allow_unsigned_extensions")
    parser.add_argument("--verbose", action="store_true", help="print every statement and query as it runs")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help=".test files or directories")
    args = parser.parse_args(argv)
    args.extension_name = (args.extension_name or default_extension_name(args.extension)).lower()

    out = sys.stdout
    files = collect(args.paths)
    out.write(f"DuckDB {duckdb.__version__} (python package), {len(files)} test file(s)\n")
    if args.extension and not os.path.isfile(args.extension):
        out.write(f"warning: --extension {args.extension} does not exist\n")
    out.flush()
    passed = failed = skipped = 0
    for n, path in enumerate(files, 1):
        run = FileRun(path, args, out)
        try:
            run.run()
        except Exception:  # e.g. the database could not be opened: fail this file, go on
            run.fail(0, "runner error:\n" + indent(traceback.format_exc().rstrip()))
        passed, failed, skipped = passed + run.passed, failed + run.failed, skipped + run.skipped
        status = "ok" if run.failed == 0 else "FAILED"
        out.write(f"[{n}/{len(files)}] {path}: {status} ({run.passed} passed, {run.failed} failed"
                  f"{f', {run.skipped} skipped' if run.skipped else ''})\n")
        out.flush()
    if passed + failed == 0:
        out.write("error: no statement or query ran\n")
    summary = f"{passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    out.write(summary + "\n")
    out.flush()
    return 1 if failed or passed == 0 else 0


def run():
    """Run main() as a program: its exit code, quietly when the output pipe closes."""
    # A console or pipe whose encoding cannot show a character (Windows' cp1252) gets an escape, not a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
