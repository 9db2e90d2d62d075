"""Entry point: ``python tools/sqllogictest [options] FILE_OR_DIR...`` (or ``python -m sqllogictest``
with tools/ on the path). See the package docstring in __init__.py for the format and options."""
import os
import sys

if __package__ in (None, ""):  # run as a folder: make the package importable by its name
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqllogictest.cli import run  # noqa: E402

run()
