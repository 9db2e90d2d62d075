"""Read description.yml, the file a DuckDB community-extensions submission consists of.

Only the YAML its format uses (as duckdb/community-extensions' extensions/*/description.yml write it):
top-level sections holding ``key: value`` scalars (plain or quoted), ``key: |`` literal blocks and
``- item`` lists; ``#`` comment lines. Standard library only, so that make_docs.py and the pipeline
contract test need no YAML package.

    read(path) -> {"extension.name": "flights_helper", "extension.maintainers": [...],
                   "docs.hello_world": "...", ...}
"""
import re

KEY = re.compile(r"^( *)([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$")


def scalar(text):
    """A plain or quoted YAML scalar, without a trailing comment."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return re.sub(r"\s+#.*$", "", text)


def parse(text):
    """Return the dotted keys of ``text`` (see the module docstring); raises ValueError on anything else."""
    lines = text.split("\n")
    out, section, i = {}, None, 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = KEY.match(line)
        if not m:
            raise ValueError(f"description.yml line {i}: cannot read {line!r}")
        indent, key, value = len(m.group(1)), m.group(2), m.group(3)
        if indent == 0:
            if value:
                raise ValueError(f"description.yml line {i}: a top-level key holds a section, not {value!r}")
            section = key
            continue
        if section is None:
            raise ValueError(f"description.yml line {i}: {key!r} is outside a section")
        name = f"{section}.{key}"
        if value and value.strip() == "|":
            block = []
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            margin = min(len(b) - len(b.lstrip()) for b in block if b.strip()) if block else 0
            out[name] = "\n".join(b[margin:] for b in block) + "\n"
        elif value:
            out[name] = scalar(value)
        else:
            items = []
            while i < len(lines) and lines[i].strip().startswith("- "):
                items.append(scalar(lines[i].strip()[2:]))
                i += 1
            out[name] = items
    return out


def read(path):
    """Return parse() of the file at ``path``."""
    with open(path, encoding="utf-8") as f:
        return parse(f.read())
