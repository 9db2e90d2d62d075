"""How failures are shown: indented text, expected and actual side by side."""


def indent(text):
    return "\n".join("    " + line for line in str(text).split("\n"))


def side_by_side(expected, actual, bad_row=None):
    """Expected and actual lines next to each other; '!' marks differing lines."""
    width = max([len("expected")] + [len(e.expandtabs(4)) for e in expected])
    width = min(width, 60)
    out = ["    " + "expected".ljust(width) + " | actual"]
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else "(none)"
        a = actual[i] if i < len(actual) else "(none)"
        mark = "!" if (e != a if bad_row is None else i == bad_row) else " "
        out.append(f"  {mark} " + e.expandtabs(4).ljust(width) + " | " + a.expandtabs(4))
    if not expected and not actual:
        out.append("    (no rows)")
    return "\n".join(out)



def mark_row(shown, row):
    """Mark line ``row`` (0-based) of a side_by_side listing with '!' and unmark the others."""
    lines = shown.split("\n")
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        if line.startswith("  ") and len(line) > 3:
            line = "  " + ("!" if i == row else " ") + line[3:]
        out.append(line)
    return "\n".join(out)

