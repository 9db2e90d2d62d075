#!/usr/bin/env python3
"""Checks the size targets of src/ (issue 13), run by `make test`:

- no file over 500 lines of non-test code,
- no `impl` block over 200 lines,
- no function over 80 lines.

Test code does not count: `#[cfg(test)]` items (a `mod tests { ... }` block,
or a `mod x;` whose file then counts as test code) and files named tests.rs.
Long tables of constants are exempt: a `const`/`static` item is never a
function or an impl. Usage: `python3 tools/check_sizes.py [--report] [src]`;
prints the largest file, impl block and function, and exits 1 past a limit.
"""

import pathlib
import re
import sys

MAX_FILE, MAX_IMPL, MAX_FN = 500, 200, 80

FN_RE = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+\"C\"\s+)?fn\s+(\w+)")
IMPL_RE = re.compile(r"^\s*(unsafe\s+)?impl\b")
TEST_MOD_RE = re.compile(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+(\w+)\s*;")


def code_mask(text):
    """`text` with comments, strings and char literals blanked (newlines kept),
    so braces can be counted."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r"r#*\"", text[i:i + 130]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r"r(#*)\"", text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^\\'])'", text[i:i + 16], re.S)
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def block_end(lines, start):
    """The index of the line closing the block opened at or after `start`
    (`None` for an item without a body, ended by `;`)."""
    depth, opened = 0, False
    for k in range(start, len(lines)):
        for ch in lines[k]:
            if ch == "{":
                depth, opened = depth + 1, True
            elif ch == "}":
                depth -= 1
                if opened and depth == 0:
                    return k
            elif ch == ";" and not opened and depth == 0:
                return None
    return None


def test_files(root):
    tests = set()
    for path in root.rglob("*.rs"):
        for m in TEST_MOD_RE.finditer(path.read_text()):
            base = path.parent if path.name in ("mod.rs", "lib.rs") else path.with_suffix("")
            tests.add(base / f"{m.group(3)}.rs")
            tests.add(base / m.group(3) / "mod.rs")
    return tests


def measure(path):
    """(non-test lines, [(impl lines, line no)], [(fn lines, name, line no)])."""
    lines = code_mask(path.read_text()).split("\n")
    raw = path.read_text().split("\n")
    skip = set()
    for k, line in enumerate(lines):
        if raw[k].strip() == "#[cfg(test)]":
            end = block_end(lines, k + 1)
            skip.update(range(k, (end if end is not None else k + 1) + 1))
    code = sum(1 for k, line in enumerate(lines) if k not in skip and line.strip())
    impls, fns = [], []
    for k, line in enumerate(lines):
        if k in skip:
            continue
        if IMPL_RE.match(line):
            end = block_end(lines, k)
            if end is not None:
                impls.append((end - k + 1, k + 1))
        m = FN_RE.match(line)
        if m:
            end = block_end(lines, k)
            if end is not None:
                fns.append((end - k + 1, m.group(7), k + 1))
    return code, impls, fns


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = pathlib.Path(args[0] if args else "src")
    tests = test_files(root)
    files, impls, fns, bad = [], [], [], []
    for path in sorted(root.rglob("*.rs")):
        if path.name == "tests.rs" or path in tests:
            continue
        code, file_impls, file_fns = measure(path)
        files.append((code, str(path)))
        impls += [(n, f"{path}:{line}") for n, line in file_impls]
        fns += [(n, f"{path}:{line} {name}") for n, name, line in file_fns]
        if code > MAX_FILE:
            bad.append(f"{path}: {code} lines of non-test code (limit {MAX_FILE})")
    bad += [f"{where}: impl block of {n} lines (limit {MAX_IMPL})" for n, where in impls if n > MAX_IMPL]
    bad += [f"{where}: function of {n} lines (limit {MAX_FN})" for n, where in fns if n > MAX_FN]
    largest = lambda items: max(items) if items else (0, "-")
    print("largest file:     %d lines  %s" % largest(files))
    print("largest impl:     %d lines  %s" % largest(impls))
    print("largest function: %d lines  %s" % largest(fns))
    if "--report" in sys.argv:
        for n, where in sorted(files, reverse=True)[:8]:
            print(f"  file {n:5d} {where}")
        for n, where in sorted(fns, reverse=True)[:12]:
            print(f"  fn   {n:5d} {where}")
        for n, where in sorted(impls, reverse=True)[:6]:
            print(f"  impl {n:5d} {where}")
    for line in bad:
        print("TOO BIG:", line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
