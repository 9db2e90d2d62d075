"""What a user writes instead of flight_findings: the same checks of a Flight row in plain Python
with the standard tools (`ast` for the source's imports, environment reads, entry point and swallowed
failures; `packaging` for the requirements; `croniter` for the schedule and its overlap with
max_runtime_sec), pinned in tools/requirements-bench.txt. bench.py times `check_flight` over the
same rows as flight_findings and checks that both find the same codes on the same rows.

Not a strawman: every source is parsed with ast.parse and walked once, every requirement line is
parsed with packaging's Requirement (names compared by PEP 503's canonical form), every schedule is
parsed by croniter, whose next runs are walked over 8 days (a whole week and its wrap into the next)
for two runs closer than max_runtime_sec, stopping at the first. What it leaves out makes it faster,
not slower: our scan looks for an overlap over the 400-year calendar cycle, and words a message with
advice for each finding, where this one gives the code and subject only.
"""
import ast
import datetime
import functools
import re
import sys

from croniter import croniter, CroniterBadCronError
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

DUCKDB_WINDOW = SpecifierSet(">=1.4.0,<=1.5.6")
RESERVED = {"MOTHERDUCK_TOKEN", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_FLIGHT_ID", "MOTHERDUCK_FLIGHT_RUN_ID"}
CREDENTIAL_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|CREDENTIAL", re.I)
CREDENTIAL_VALUE = re.compile(r"^(sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}"
                              r"|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|-----BEGIN [A-Z ]*PRIVATE KEY-----)")
SHELL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Import names that differ from the distribution's (a few of the shipped table's rows).
IMPORT_NAMES = {"yaml": "pyyaml", "sklearn": "scikit-learn", "PIL": "pillow", "cv2": "opencv-python",
                "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "google.cloud.bigquery": "google-cloud-bigquery"}
STDLIB = sys.stdlib_module_names
START = datetime.datetime(2026, 1, 1)
HORIZON = datetime.timedelta(days=8)
SWALLOWING = {None, "Exception", "BaseException"}


def check_flight(flight, schedule=None):
    """[(code, subject)] for one Flight row (a dict of the row's fields); `schedule` is the schedule
    rules' function (schedule_findings, or schedule_findings_memoized)."""
    found = []
    env = check_config(flight, found)
    requirements = check_requirements(flight.get("requirements_txt"), found)
    found.extend((schedule or schedule_findings)(flight.get("schedule_cron"), flight.get("max_runtime_sec")))
    if flight.get("source_code") is not None:
        check_source(flight["source_code"], env, requirements, found)
    return found


def check_config(flight, found):
    """The config and secrets rules; returns (the variables the run gets, each attached param's bare name)."""
    config = flight.get("config") or {}
    names = set()
    for key, value in config.items():
        if key in RESERVED:
            found.append(("reserved_config_key", key))
        if not SHELL_NAME.match(key):
            found.append(("shell_unfriendly_key", key))
        if CREDENTIAL_NAME.search(key) or (value and CREDENTIAL_VALUE.match(value)):
            found.append(("credential_in_config", key))
        if value == "":
            found.append(("empty_config_value", key))
        names.add(key)
    secrets = flight.get("secrets") or {}
    bare = {}
    for secret in flight.get("flight_secret_names") or []:
        if secret not in secrets:
            found.append(("secret_not_defined", secret))
            continue
        for param in secrets[secret]:
            var = f"{secret}_{param}".upper()
            if var in names:
                found.append(("secret_shadows_config", var))
            names.add(var)
            bare[param] = var
    if not flight.get("access_token_name"):
        found.append(("scheduled_default_token" if flight.get("schedule_cron") else "default_token", ""))
    return names, bare


def check_requirements(text, found):
    """The requirements rules; returns {canonical name: exactly pinned}."""
    required = {}
    for line in (text or "").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            found.append(("requirement_option", line.split()[0]))
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement:
            found.append(("requirement_invalid", line))
            continue
        name = canonicalize_name(req.name)
        specs = list(req.specifier)
        pinned = len(specs) == 1 and (specs[0].operator == "===" or
                                      (specs[0].operator == "==" and not specs[0].version.endswith(".*")))
        required[name] = pinned
        if name == "duckdb":
            if pinned and Version(specs[0].version) not in DUCKDB_WINDOW:
                found.append(("duckdb_unsupported", name))
        elif not pinned:
            found.append(("requirement_unpinned", name))
    return required


def schedule_findings(cron, limit):
    """The schedule rules for one (schedule_cron, max_runtime_sec): a tuple of (code, subject)."""
    if not cron:
        return ()
    try:
        runs = croniter(cron, START)
    except (CroniterBadCronError, ValueError):
        return (("schedule_invalid", cron),)
    found = (("no_runtime_limit", "0"),) if limit == 0 else ()
    if not limit:
        return found
    previous = runs.get_next(datetime.datetime)
    while previous < START + HORIZON:
        run = runs.get_next(datetime.datetime)
        if (run - previous).total_seconds() < limit:
            return found + (("schedule_overlap", cron),)
        previous = run
    return found


# The same, remembered per distinct (schedule_cron, max_runtime_sec), as a user checking a fleet may write it.
schedule_findings_memoized = functools.lru_cache(maxsize=None)(schedule_findings)


def environ_read(node):
    """The name a node reads from the environment (None: not a read; '' computed at run time), and
    whether the read is required (os.environ[...]) or has a default (.get, getenv)."""
    if isinstance(node, ast.Subscript) and is_environ(node.value) and isinstance(node.ctx, ast.Load):
        return literal(node.slice), True
    if isinstance(node, ast.Call) and node.args:
        f = node.func
        if isinstance(f, ast.Attribute) and ((f.attr == "get" and is_environ(f.value)) or
                                             (f.attr == "getenv" and isinstance(f.value, ast.Name) and f.value.id == "os")):
            return literal(node.args[0]), False
    return None, False


def is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"


def literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def check_source(source, env, required, found):
    """The source rules: syntax, environment reads, imports held against the requirements, the entry
    point, swallowed failures, credentials in literals."""
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        found.append(("syntax_error", str(e.lineno)))
        return
    names, bare = env
    imports, optional = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(is_import_error(h.type) for h in node.handlers):
            optional.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        elif isinstance(node, ast.Import) and id(node) not in optional:
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and id(node) not in optional:
            imports.add(node.module)
        elif isinstance(node, ast.ExceptHandler):
            caught = node.type.id if isinstance(node.type, ast.Name) else None if node.type is None else ""
            if caught in SWALLOWING and not any(isinstance(n, ast.Raise) for s in node.body for n in ast.walk(s)):
                found.append(("failure_swallowed", caught or "except"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and CREDENTIAL_VALUE.match(node.value):
            found.append(("credential_in_source", str(node.lineno)))
        else:
            name, required_read = environ_read(node)
            if name is None:
                continue
            if name == "":
                found.append(("dynamic", str(node.lineno)))
            elif required_read and name not in names:
                found.append(("bare_secret_param", name) if name in bare else ("missing", name))
    check_imports(imports, required, found)
    check_entry_point(tree, found)


def is_import_error(node):
    if isinstance(node, ast.Tuple):
        return any(is_import_error(e) for e in node.elts)
    return isinstance(node, ast.Name) and node.id in ("ImportError", "ModuleNotFoundError")


def check_imports(imports, required, found):
    for module in sorted(imports):
        top = module.split(".")[0]
        if top in STDLIB:
            continue
        if top == "duckdb":
            if not required.get("duckdb"):
                found.append(("duckdb_unpinned", "duckdb"))
            continue
        dist = IMPORT_NAMES.get(module) or IMPORT_NAMES.get(top) or top
        if canonicalize_name(dist) not in required:
            found.append(("import_not_in_requirements", top))


def check_entry_point(tree, found):
    """entry_point_missing: functions defined, none called at module level, and no other work there."""
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not defined:
        return
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined:
                return
    found.append(("entry_point_missing", ""))
