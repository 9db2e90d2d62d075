#!/usr/bin/env python3
"""Check the docs pages: every page of docs/ is linked from README.md, and every relative link in
README.md and docs/*.md points at a file that exists and, with a #fragment, at a heading of that file
(GitHub's anchors: lower case, punctuation dropped, spaces as hyphens). Exits 1 naming each problem.

Run by ``make docs`` and ``make test-docs``; needs nothing outside the standard library.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def anchors(path):
    """The heading anchors of a markdown file (outside code fences)."""
    found, fence = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fence = not fence
            elif not fence and re.match(r"^#{1,6} ", line):
                text = line.lstrip("#").strip().lower()
                found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return found


def links(path):
    """Every link target of a markdown file (outside code fences), with its line number."""
    fence = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.startswith("```"):
                fence = not fence
            elif not fence:
                for match in LINK.finditer(line):
                    yield number, match.group(1)


def problems():
    pages = ["README.md"] + sorted(
        os.path.join("docs", name) for name in os.listdir(os.path.join(ROOT, "docs")) if name.endswith(".md"))
    found = []
    readme_targets = {target.partition("#")[0] for _, target in links(os.path.join(ROOT, "README.md"))}
    for page in pages[1:]:
        if page not in readme_targets:
            found.append(f"{page} is not linked from README.md")
    for page in pages:
        for number, target in links(os.path.join(ROOT, page)):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, fragment = target.partition("#")
            file = os.path.normpath(os.path.join(ROOT, os.path.dirname(page), path)) if path else os.path.join(ROOT, page)
            if not os.path.exists(file):
                found.append(f"{page}:{number}: {target}: no such file")
            elif fragment and file.endswith(".md") and fragment not in anchors(file):
                found.append(f"{page}:{number}: {target}: no heading #{fragment} in {os.path.relpath(file, ROOT)}")
    return found


def main():
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        sys.exit(1)
    print("docs: every page linked from README.md, every relative link resolves")


if __name__ == "__main__":
    main()
