"""``require NAME``: the extension under test (LOAD the --extension file, or fail the file), one of DuckDB's
own requirements (answered here), or any other extension (LOAD NAME); the rest of the file is skipped
when a requirement is not met."""
import os
import re
import shutil
import struct
import sys

import duckdb

from ..errors import Malformed, SkipFile, StopFile
from ..report import indent

WINDOWS = sys.platform == "win32"
# `require X` answered by the runner itself (name -> present?).
PLATFORM_REQUIRES = {"notmusl": True, "notmingw": True, "mingw": False, "notwindows": not WINDOWS,
                     "windows": WINDOWS, "longdouble": True, "64bit": struct.calcsize("P") == 8, "noforcestorage": True,
                     "no_force_storage": True, "nothreadsan": True, "strinline": True, "skip_reload": True,
                     "no_alternative_verify": True, "no_latest_storage": True, "no_vector_verification": True,
                     "vacuum_rebuild_indexes": False}
SIZES = ("vector_size", "exact_vector_size", "block_size", "ram", "disk_space")
VECTOR_SIZE = 2048
DEFAULT_BLOCK_SIZE = 262144


def parse(reading, header):
    run, params, line = reading.run, header.params, header.line
    if not params:
        raise Malformed(line, "require requires a single parameter")
    name = params[0].lower()
    if name == run.extension_name:
        load_extension_under_test(run, params, line)
        return
    if name in PLATFORM_REQUIRES:
        present = PLATFORM_REQUIRES[name]
    elif name in SIZES:
        if len(params) != 2:
            raise Malformed(line, f"require {name} requires a parameter")
        present = size_available(name, params[1], line)
    elif name == "no_extension_autoloading":
        if len(params) < 2 or not params[1].startswith('"'):
            raise Malformed(line, "require no_extension_autoloading needs an explanation string")
        explanation = " ".join(params[1:]).strip('"')
        if not explanation.startswith(("EXPECTED", "FIXME")):
            raise Malformed(line, "require no_extension_autoloading explanation should begin with EXPECTED or FIXME")
        present = run.config()["autoload_known_extensions"] == "false"
    elif name == "allow_unsigned_extensions":
        present = run.config()["allow_unsigned_extensions"] == "true"
    else:
        present = load_known_extension(run, name, params, line)
    if not present:
        raise SkipFile(line, f"require {' '.join(params)}: not available here")


def load_extension_under_test(run, params, line):
    """LOAD the --extension file (again after each restart); failing that fails the file."""
    if not run.extension:
        run.fail(line, f"'require {params[0]}' but no --extension was given")
        raise StopFile()
    path = os.path.abspath(run.extension).replace("'", "''")
    sql = f"LOAD '{path}'"
    try:
        run.con.execute(sql)
    except duckdb.Error as e:
        run.fail(line, f"cannot load {run.extension}:\n{indent(e)}")
        raise StopFile()
    run.extensions.append(sql)


def load_known_extension(run, name, params, line):
    """LOAD one of DuckDB's extensions by name (or alias); an unknown name is a malformed file."""
    known = {r[0] for r in run.con.execute("SELECT extension_name FROM duckdb_extensions()").fetchall()}
    known |= {a for r in run.con.execute("SELECT aliases FROM duckdb_extensions()").fetchall()
              for a in (r[0] or [])}
    if name not in known:
        raise Malformed(line, f"unknown extension type: {params[0]}")
    try:
        run.con.execute(f"LOAD {name}")
        run.extensions.append(f"LOAD {name}")
        return True
    except duckdb.Error:
        return False


def size_available(name, value, line):
    """``require vector_size|exact_vector_size|block_size N`` and ``require ram|disk_space SIZE``."""
    if name in ("ram", "disk_space"):
        m = re.fullmatch(r"([0-9.]+)\s*([kmgt]?i?b?)", value.lower())
        if not m:
            raise Malformed(line, f"require {name}: cannot read {value!r}")
        scale = {"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 2 ** 10, "mib": 2 ** 20,
                 "gib": 2 ** 30, "tib": 2 ** 40, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}.get(m.group(2), 1)
        needed = float(m.group(1)) * scale
        if name == "disk_space":
            return shutil.disk_usage(".").free >= needed
        try:
            return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >= needed
        except (ValueError, OSError, AttributeError):  # no sysconf on Windows
            return False
    if not value.isdigit():
        raise Malformed(line, f"require {name} requires a number")
    number = int(value)
    if name == "vector_size":
        return VECTOR_SIZE >= number
    if name == "exact_vector_size":
        return VECTOR_SIZE == number
    return DEFAULT_BLOCK_SIZE == number
