"""``unzip IN.gz [OUT|NULL]``: gunzip a file (by default into ``{TEST_DIR}``)."""
import os

from ..errors import Malformed
from ..parsing import Record


def parse(reading, header):
    run, params = reading.run, header.params
    if len(params) not in (1, 2) or not params[0].endswith(".gz"):
        raise Malformed(header.line, "unzip requires <path/to/file.gz> [output path]")
    source = run.replace_keywords(params[0])
    default = run.replace_keywords("{TEST_DIR}/" + os.path.basename(source)[:-3])
    target = run.replace_keywords(params[1]) if len(params) == 2 else default
    run.dispatch(Record("unzip", header.line, source=source, target=default if target == "NULL" else target))
