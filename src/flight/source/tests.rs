use super::parse::MAX_SYNTAX_ERRORS;
use super::*;
use crate::flight::env::Resolution;
use crate::flight::EnvSource;
use crate::flight::{FlightSpec, ParamValue, SecretDef, SecretParam};

/// The resolution of `spec`, owning its text (a test's Flight is often a temporary).
fn resolve(spec: &FlightSpec) -> Resolution<'static> {
    crate::flight::env::resolve(spec).into_owned()
}

type Read = (Option<String>, u32, Access);

fn reads(source: &str) -> Vec<Read> {
    env_reads(source).into_iter().map(|r| (r.name, r.line, r.access)).collect()
}

fn names(source: &str) -> Vec<String> {
    env_reads(source).into_iter().map(|r| r.name.unwrap_or_else(|| "?".into())).collect()
}

fn req(name: &str, line: u32) -> Read {
    (Some(name.into()), line, Access::Required)
}

fn opt(name: &str, line: u32) -> Read {
    (Some(name.into()), line, Access::Optional)
}

#[test]
fn every_access_form() {
    let src = r#"import os
a = os.environ["REQ"]
b = os.environ.get("GET")
c = os.environ.get("GET_DEFAULT", "x")
d = os.getenv("GETENV")
e = os.getenv("GETENV_DEFAULT", "x")
os.environ.setdefault("SETDEFAULT", "x")
if "IN_TEST" in os.environ: pass
if "NOT_IN" not in os.environ: pass
f = os.environ.pop("POP_DEFAULT", None)
g = os.environ.pop("POP")
h = os.getenv(key="KW_KEY", default="d")
i = os.environ.pop("POP_KW", default=None)
j = os.environ.__getitem__("DUNDER")
k = "IN_KEYS" in os.environ.keys()
os.environ["AUGMENTED"] += ":/x"
"#;
    assert_eq!(
        reads(src),
        vec![
            req("REQ", 2),
            opt("GET", 3),
            opt("GET_DEFAULT", 4),
            opt("GETENV", 5),
            opt("GETENV_DEFAULT", 6),
            opt("SETDEFAULT", 7),
            opt("IN_TEST", 8),
            opt("NOT_IN", 9),
            opt("POP_DEFAULT", 10),
            req("POP", 11),
            opt("KW_KEY", 12),
            opt("POP_KW", 13),
            req("DUNDER", 14),
            opt("IN_KEYS", 15),
            req("AUGMENTED", 16),
        ]
    );
}

#[test]
fn aliases_count() {
    let src = r#"import os as o
from os import environ as env, getenv
from os import getenv as ge
import os.path
a = o.environ["A"]
b = env["B"]
c = getenv("C")
d = ge("D")
x = e2.get("E")
e2 = env
y = os.environ["F"]
def f():
    local = o.environ
    return local["G"]
if (w := os.environ):
    w.get("H")
get = os.environ.get
get("I")
copy = os.environ.copy()
copy["J"]
dict(os.environ)["K"]
o2 = os
o2.getenv("L")
"#;
    assert_eq!(names(src), ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"]);
    let star = "from os import *\nfrom duckdb import *\nenviron['A']\ngetenv('B')\nconnect('md:')\n";
    assert_eq!(names(star), ["A", "B", "MOTHERDUCK_TOKEN"]);
    // os.path is not os; a local dict named environ is not os.environ.
    let not_env = "import os.path as p\np.environ['A']\nenviron = {}\nenviron['B']\ngetenv('C')\nenv = {}\nenv['D']\n";
    assert!(reads(not_env).is_empty(), "{:?}", reads(not_env));
}

#[test]
fn comments_strings_and_writes_do_not_count() {
    let src = r#"import os
# os.environ["IN_COMMENT"]
s = 'os.environ["IN_STRING"]'
"""os.getenv("IN_DOCSTRING")"""
os.environ["WRITTEN"] = "x"
a, os.environ["TUPLE_TARGET"] = 1, 2
[os.environ["LIST_TARGET"]] = ["x"]
os.environ["CHAINED"] = os.environ["ALSO_CHAINED"] = "x"
os.environ["ANNOTATED"]: str = "x"
del os.environ["DELETED"]
del x, os.environ["DELETED_TOO"]
for os.environ["LOOP"] in ["a"]: pass
os.putenv("PUT", "x")
os.environ.update({"UPDATED": "x"})
environ = {}
z = environ["NOT_OS"]
"#;
    assert!(reads(src).is_empty(), "{:?}", reads(src));
}

#[test]
fn modern_syntax_parses() {
    let src = r#"import os
type Alias = list[int]
type Pair[T] = tuple[T, T]
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: (int, str)]:
    def get(self) -> T: ...
match os.environ.get("MODE", "a"):
    case "a" | "b" if os.getenv("GUARD"):
        value = f"{os.environ['INSIDE_FSTRING']}-x"
    case {"k": v}:
        pass
    case _:
        pass
token = os.getenv(
    "MULTI_LINE",
    "default",
)
nested = f"{f'{os.environ["PEP701"]}'}"
async def run():
    async with lock:
        await go(os.environ.get("ASYNC"))
try:
    pass
except* ValueError:
    pass
@decorator(os.getenv("DECORATOR"))
def g(): pass
x = [os.environ[k] for k in ("A",)]
lam = lambda: os.environ["LAMBDA"]
"#;
    let scan = scan_source(src);
    assert!(scan.syntax_errors.is_empty(), "{:?}", scan.syntax_errors);
    let got = reads(src);
    for want in [
        opt("MODE", 8),
        opt("GUARD", 9),
        req("INSIDE_FSTRING", 10),
        opt("MULTI_LINE", 15),
        req("PEP701", 19),
        opt("ASYNC", 22),
        opt("DECORATOR", 27),
        (None, 29, Access::Required),
        req("LAMBDA", 30),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(got.len(), 9, "{got:?}");
}

#[test]
fn names_must_be_literals() {
    let src = r#"import os
p = "X"
a = os.environ[p]
b = os.getenv(f"{p}_KEY")
c = os.environ["A" + p]
d = os.environ["PLAIN" "CONCAT"]
e = os.environ[f"NO_INTERPOLATION"]
f = os.environ["PLUS_" + "LITERALS"]
g = os.environ[("PAREN")]
h = os.environ["ESC\x41PED"]
i = os.environ[r"RAW\n"]
j = os.environ["%s_KEY" % p]
k = os.environ["{}_KEY".format(p)]
l = os.environ[b"BYTES"]
m = os.getenv(*args)
n = os.environ[f"{{BRACES}}"]
o = os.environ.get(name, "sk-abcdefghijklmnopqrstuvwxyz0123")
"#;
    assert_eq!(
        names(src),
        [
            "?",
            "?",
            "?",
            "PLAINCONCAT",
            "NO_INTERPOLATION",
            "PLUS_LITERALS",
            "PAREN",
            "ESCAPED",
            "RAW\\n",
            "?",
            "?",
            "?",
            "?",
            "{BRACES}",
            "?"
        ]
    );
    let all = env_reads(src);
    let dynamic: Vec<u32> = all.iter().filter(|r| r.name.is_none()).map(|r| r.line).collect();
    assert_eq!(dynamic[..3], [3, 4, 5]);
    // A literal's contents never reach a read: it may be a secret.
    assert!(!format!("{all:?}").contains("sk-abc"), "{all:?}");
}

#[test]
fn motherduck_connections_need_the_token() {
    let src = r#"import duckdb
import duckdb as ddb
from duckdb import connect
from duckdb import connect as c2
a = duckdb.connect("md:")
b = ddb.connect("md:my_db")
c = connect(database="motherduck:x")
d = c2(f"md:{db}")
e = duckdb.connect("MD:" + db, read_only=True)
f = duckdb.connect(
    "md:multi",
)
g = duckdb.connect("local.duckdb")
h = duckdb.connect()
i = duckdb.connect(":memory:")
j = duckdb.connect("md:?motherduck_token=abc")
k = duckdb.connect("md:", config={"motherduck_token": t})
l = duckdb.connect(path)
"#;
    let got = env_reads(src);
    assert_eq!(got.iter().map(|r| r.line).collect::<Vec<_>>(), [5, 6, 7, 8, 9, 10]);
    assert!(got.iter().all(|r| r.name.as_deref() == Some("MOTHERDUCK_TOKEN") && r.access == Access::Required));
}

const SECRET_LITERALS: [&str; 8] = [
    "sk-abcdefghijklmnopqrstuvwxyz0123",
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    "xoxb-1234567890-abcdefghijkl",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk",
    "-----BEGIN RSA PRIVATE KEY-----\\nMIIabc\\n-----END RSA PRIVATE KEY-----",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJtZCI6InRva2VuIn0.c2lnbmF0dXJlX2hlcmU",
];

#[test]
fn credentials_are_found_but_never_echoed() {
    let mut src = String::from("import os\n");
    for (i, literal) in SECRET_LITERALS.iter().enumerate() {
        src.push_str(&format!("v{i} = \"{literal}\"\n"));
    }
    src.push_str("# 'sk-not-in-a-comment-abcdefghijklmnop'\n");
    src.push_str("h = {\"Authorization\": f\"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk {x}\"}\n");
    src.push_str("doc = \"\"\"first line\n  token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n\"\"\"\n");
    src.push_str("pem = '''-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----'''\n");
    src.push_str("plain = ['us-east-1', 'sk-short', 'https://example.com/a.b.c', 'AKIA']\n");
    src.push_str("x = os.environ.get('K', 'sk-abcdefghijklmnopqrstuvwxyz0123')\n");
    let scan = scan_source(&src);
    let lines: Vec<u32> = scan.credential_literals.iter().map(|c| c.0).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 15, 19], "{:?}", scan.credential_literals);
    let rows = check_source(&scan, &[]);
    assert_eq!(rows.iter().filter(|r| r.status.as_str() == "credential_in_source").count(), 12);
    for row in &rows {
        let shown = format!("{row:?}");
        for secret in ["abcdefghijklmnop", "AKIAIOSF", "eyJ", "MIIabc", "xoxb", "github_pat"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    for read in &scan.reads {
        assert!(!format!("{read:?}").contains("abcdefghijklmnop"), "{read:?}");
    }
}

#[test]
fn syntax_errors_still_yield_reads() {
    let src = "import os\ndef broken(:\n    pass\nx = os.environ['STILL_READ']\ny = (\n";
    let scan = scan_source(src);
    assert_eq!(scan.syntax_errors.first(), Some(&(2, 12)), "{:?}", scan.syntax_errors);
    assert!(scan.reads.iter().any(|r| r.name.as_deref() == Some("STILL_READ")));
    let rows = check_source(&scan, &[]);
    let syntax = rows.iter().find(|r| r.status.as_str() == "syntax_error").unwrap();
    assert!(syntax.message.starts_with("Python syntax error near line 2, column 12"), "{}", syntax.message);
    // Columns count characters, not bytes.
    let scan = scan_source("é = 'ü' ) os.environ['A']\n");
    assert_eq!(scan.syntax_errors.first().map(|e| e.1), Some(9), "{:?}", scan.syntax_errors);
    // Many errors are capped, and each line counts once.
    let garbage: String = (0..100).map(|i| format!("def f{i}(:\n    pass\n")).collect();
    let scan = scan_source(&garbage);
    assert_eq!(scan.syntax_errors.len(), MAX_SYNTAX_ERRORS);
    assert!(scan.syntax_errors.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn deep_nesting_does_not_overflow() {
    let src = format!("import os\nx = {}os.environ['DEEP']{}\n", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(names(&src), ["DEEP"]);
    let key = format!("import os\nx = os.environ[{}'K'{}]\n", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(reads(&key).len(), 1);
    let calls = format!("import os\nx = {}os.getenv('C'){}\n", "f(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(names(&calls), ["C"]);
    let plus = format!("import os\nx = os.environ[{}'A']\n", "'A' + ".repeat(10_000));
    assert_eq!(names(&plus), ["?"]);
    let lists = format!("import os\nx = {}os.environ['L']{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(names(&lists), ["L"]);
    let indent: String = (0..500).map(|i| format!("{}if x:\n", " ".repeat(i))).collect::<String>()
        + &" ".repeat(500)
        + "os.environ['I']\n";
    assert_eq!(names(&format!("import os\n{indent}")), ["I"]);
    for unclosed in ["[".repeat(50_000), "(".repeat(50_000), "{".repeat(50_000), "f(".repeat(20_000)] {
        let scan = scan_source(&unclosed);
        assert!(scan.reads.is_empty());
        let _ = check_source(&scan, &[]);
    }
    // The same on a thread with a small stack.
    let small = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || (names(&src), scan_source(&"(".repeat(50_000)).reads.len()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(small, (vec!["DEEP".to_owned()], 0));
}

#[test]
fn odd_inputs_never_panic() {
    assert!(scan_source("").reads.is_empty());
    assert_eq!(scan_source(""), SourceScan::default());
    assert!(env_reads("   \n\n\t").is_empty());
    assert!(env_reads("\0\0import os\0os.environ['A']\0").len() <= 1);
    assert!(env_reads("\u{feff}import os\nos.environ['BOM']\n").len() <= 1);
    // A pseudo-random mix of Python fragments.
    let pieces = [
        "os.environ[",
        "]",
        "(",
        ")",
        "'A'",
        "\"B\"",
        "f\"{",
        "}\"",
        "getenv(",
        "import os as o\n",
        "\n",
        "    ",
        "=",
        "del ",
        "in ",
        "md:",
        "duckdb.connect(",
        ",",
        "\\",
        "'''",
        "#",
        "é",
        "\u{0}",
        "+",
        "e = os.environ\n",
        "e[",
        "sk-abcdefghijklmnopqrstuvwxyz",
        "lambda:",
        "match x:\n",
        "case ",
        "\t",
        "\r\n",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..1500 {
        let mut src = String::new();
        for _ in 0..(seed % 60) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            src.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let scan = scan_source(&src);
        let rows = check_source(&scan, &[]);
        assert!(rows.iter().all(|r| !r.message.contains("abcdefghijklmnop")));
        assert_eq!(env_reads(&src), scan.reads);
    }
}

fn docs_spec() -> FlightSpec {
    FlightSpec {
        config: Some(vec![("REGION".into(), Some("us".into())), ("UNUSED".into(), Some("x".into()))]),
        flight_secret_names: Some(vec![Some("my_api_secret".into()), Some("other".into())]),
        secrets: Some(vec![SecretDef {
            name: "my_api_secret".into(),
            params: vec![SecretParam { key: "API_KEY".into(), value: ParamValue::KeyOnly }],
        }]),
        ..Default::default()
    }
}

fn statuses(rows: &[SourceRow]) -> Vec<(&str, Option<u32>, &str)> {
    rows.iter().map(|r| (r.name.as_str(), r.line, r.status.as_str())).collect()
}

#[test]
fn statuses_against_the_docs_example() {
    let vars = resolve(&docs_spec()).vars;
    let src = r#"import os, duckdb
key = os.environ["API_KEY"]
region = os.environ["REGION"]
batch = os.environ.get("BATCH_SIZE", "1000")
missing = os.environ["REGOIN"]
good = os.environ["MY_API_SECRET_API_KEY"]
con = duckdb.connect("md:")
unverified = os.getenv("OTHER_TOKEN")
region_again = os.environ["REGION"]
flight = os.environ["MOTHERDUCK_FLIGHT_ID"]
case = os.environ["region"]
"#;
    let rows = check_source(&scan_source(src), &vars);
    assert_eq!(
        statuses(&rows),
        vec![
            ("API_KEY", Some(2), "bare_secret_param"),
            ("REGION", Some(3), "ok"),
            ("BATCH_SIZE", Some(4), "missing_optional"),
            ("REGOIN", Some(5), "missing"),
            ("MY_API_SECRET_API_KEY", Some(6), "ok"),
            ("MOTHERDUCK_TOKEN", Some(7), "ok"),
            ("OTHER_TOKEN", Some(8), "missing_optional"),
            ("REGION", Some(9), "ok"),
            ("MOTHERDUCK_FLIGHT_ID", Some(10), "ok"),
            ("region", Some(11), "missing"),
            ("UNUSED", None, "unused"),
        ]
    );
    assert_eq!(
            rows[0].message,
            "the run has no 'API_KEY': secret 'my_api_secret' provides it only as 'MY_API_SECRET_API_KEY'; read \
             os.environ['MY_API_SECRET_API_KEY'] instead (or preview with bare_aliases := true if your runs get bare names)"
        );
    assert_eq!(rows[0].provided_by, None);
    assert!(rows[3].message.contains("did you mean 'REGION'?"), "{}", rows[3].message);
    assert!(rows[3].message.contains("raises KeyError"), "{}", rows[3].message);
    assert!(rows[9].message.contains("did you mean 'REGION'?"), "{}", rows[9].message);
    assert_eq!((rows[4].provided_by, rows[5].provided_by), (Some(EnvSource::Secret), Some(EnvSource::Token)));
    assert!(rows[5].message.starts_with("the md: connection needs MOTHERDUCK_TOKEN"), "{}", rows[5].message);
    assert!(rows[6].message.contains("falls back to its default"), "{}", rows[6].message);
    assert!(rows[8].message.contains("MotherDuck sets"), "{}", rows[8].message);
    assert!(rows.iter().all(|r| r.access.is_some() == r.line.is_some()));
    // With the secrets' params unknown, a prefixed read cannot be verified.
    let mut unknown = docs_spec();
    unknown.secrets = None;
    let rows = check_source(&scan_source("import os\nx = os.environ['OTHER_TOKEN']\n"), &resolve(&unknown).vars);
    assert_eq!((rows[0].status.as_str(), rows[0].provided_by), ("unverified", Some(EnvSource::Secret)));
    assert!(rows[0].message.contains("secrets := MAP {'other': [...]}"), "{}", rows[0].message);
}

#[test]
fn bare_aliases_provide_the_bare_name() {
    let mut spec = docs_spec();
    spec.bare_aliases = Some(true);
    let rows = check_source(&scan_source("import os\nkey = os.environ['API_KEY']\n"), &resolve(&spec).vars);
    assert_eq!(rows[0].status.as_str(), "ok");
    assert_eq!(rows[0].provided_by, Some(EnvSource::SecretAlias));
    // A config key with the bare name wins over the alias: it provides the read.
    spec.config = Some(vec![("API_KEY".into(), Some("x".into()))]);
    let rows = check_source(&scan_source("import os\nkey = os.environ['API_KEY']\n"), &resolve(&spec).vars);
    assert_eq!((rows[0].status.as_str(), rows[0].provided_by), ("ok", Some(EnvSource::Config)));
}

#[test]
fn unused_and_dynamic() {
    let vars = resolve(&docs_spec()).vars;
    let rows = check_source(&scan_source("import os\nx = os.environ[name]\ny = os.getenv(f'{p}_X')\n"), &vars);
    assert_eq!(
        statuses(&rows),
        vec![
            ("(dynamic)", Some(2), "dynamic"),
            ("(dynamic)", Some(3), "dynamic"),
            ("MY_API_SECRET_API_KEY", None, "unused"),
            ("REGION", None, "unused"),
            ("UNUSED", None, "unused"),
        ]
    );
    assert_eq!((rows[0].access, rows[1].access), (Some(Access::Required), Some(Access::Optional)));
    assert!(rows[0].message.contains("computed at run time"), "{}", rows[0].message);
    assert!(rows[2..].iter().all(|r| r.message.contains("may include it") && r.access.is_none()));
    assert_eq!(rows[2].provided_by, Some(EnvSource::Secret));
    // The token and the placeholder of a secret with unknown params are never unused.
    assert!(rows.iter().all(|r| r.name != "MOTHERDUCK_TOKEN" && !r.name.ends_with('*')));
    // An empty source reads nothing: every config key and secret variable is unused.
    let rows = check_source(&scan_source(""), &vars);
    assert_eq!(rows.iter().filter(|r| r.status.as_str() == "unused").count(), 3);
}

#[test]
fn secret_names_with_dots_and_lower_naming() {
    let spec = FlightSpec {
        secrets: Some(vec![SecretDef {
            name: "team.api".into(),
            params: vec![SecretParam { key: "KEY".into(), value: ParamValue::Given("v".into()) }],
        }]),
        secret_naming: Some("lower".into()),
        ..Default::default()
    };
    let vars = resolve(&spec).vars;
    let rows = check_source(&scan_source("import os\nos.environ['KEY']\nos.environ['TEAM.API_KEY']\n"), &vars);
    assert_eq!(rows[0].status.as_str(), "bare_secret_param", "{rows:?}");
    assert!(rows[0].message.contains("secret 'team.api'"), "{}", rows[0].message);
    assert!(rows[1].message.contains("did you mean 'team.api_KEY'?"), "{}", rows[1].message);
    // The value is never shown.
    assert!(rows.iter().all(|r| !r.message.contains("'v'")));
}

/// The thread-local parser is reused across many sources with the same answers
/// (speed is measured by `make bench` and `make stress`, never asserted in a test).
#[test]
fn the_parser_is_reused_across_sources() {
    let source = "import os\nv = os.environ['KEY_1']\nw = os.getenv('OPT')\n".repeat(20);
    for _ in 0..200 {
        assert_eq!(env_reads(&source).len(), 40);
    }
}

#[test]
fn reads_across_lines_comments_and_fstrings() {
    let source = "import os\n\
        a = os.environ.get(f\"{os.environ['X']}\"  # note\n    , 'd')\n\
        b = os.environ[rb'K' 'L'\n    \"M\"]\n\
        c = os.getenv(  'K'   +   f'''{ {'a': 1}['a'] }'''  )\n\
        d = 'X' not in os.environ\n\
        e = os.environ.get('a_very_long_name_' + 'that_goes_on' + 'and_on_and_on' + 'past_eighty_characters', 'default')\n";
    let scan = scan_source(source);
    assert_eq!(scan.reads.len(), 6, "{:?}", scan.reads);
}

#[test]
fn check_source_where_keeps_the_rows_check_source_would() {
    let src = "import os, duckdb\nkey = os.environ['API_KEY']\nr = os.environ['REGION']\nb = os.environ.get('BATCH')\n\
               m = os.environ['REGOIN']\nc = duckdb.connect('md:')\nu = os.getenv('OTHER_TOKEN')\nd = os.environ[name]\n\
               t = 'sk-abcdefghijklmnopqrstuvwxyz'\nf = os.environ['MOTHERDUCK_FLIGHT_ID']\nbroken = (\n";
    let mut unknown = docs_spec();
    unknown.secrets = None;
    let scan = scan_source(src);
    for spec in [docs_spec(), unknown, FlightSpec::default()] {
        let vars = resolve(&spec).vars;
        let filters: [fn(Status) -> bool; 3] = [
            |s| !matches!(s, Status::Ok | Status::MissingOptional | Status::Unused),
            |s| s != Status::Unused,
            |s| s != Status::Ok,
        ];
        for keep in filters {
            let all: Vec<SourceRow> = check_source(&scan, &vars).into_iter().filter(|r| keep(r.status)).collect();
            assert_eq!(check_source_where(&scan, &vars, keep), all);
        }
    }
}

/// Where ruff's parser and tree-sitter's grammar (the scan's parser before it)
/// disagree on real sources; each answer here is CPython's.
#[test]
fn where_the_parsers_disagree() {
    // Writes through `with ... as` and a comprehension's target are not reads (tree-sitter read them).
    assert!(reads("import os\nwith open('x') as os.environ['W']:\n    pass\n").is_empty());
    assert!(reads("import os\n[1 for os.environ['C'] in ['a']]\n").is_empty());
    // `\N{...}` escapes are decoded (tree-sitter's scan could not: the read was dynamic).
    assert_eq!(names("import os\nos.environ['\\N{LATIN SMALL LETTER A}B']\n"), ["aB"]);
    // Python 3 refuses these; tree-sitter accepted them.
    for source in ["print 'x'\n", "f(**k, *a)\n", "x := 1\n", "import os\nif x:\nos.environ['I']\n"] {
        assert!(!scan_source(source).syntax_errors.is_empty(), "{source:?}");
    }
    // A lone `\r` ends a line for Python (tree-sitter called it a syntax error); lines count `\n`.
    let scan = scan_source("import os\rx = os.environ['CR']\rprint(1)\n");
    assert!(scan.syntax_errors.is_empty(), "{:?}", scan.syntax_errors);
    assert_eq!(scan.reads.iter().map(|r| (r.name.as_deref(), r.line)).collect::<Vec<_>>(), [(Some("CR"), 1)]);
    // An unterminated string: a syntax error, and its text never reaches a read.
    let scan = scan_source("import os\nx = os.environ['sk-abcdefghijklmnopqrstuvwxyz0123\n");
    assert_eq!(scan.syntax_errors.first().map(|e| e.0), Some(2));
    assert!(!format!("{:?}", scan.reads).contains("abcdefghijklmnop"), "{:?}", scan.reads);
    // Nesting past the scan's bound (Python stops at 200 brackets): a syntax error, no parse.
    let deep = format!("import os\nx = {}1\n", "(".repeat(super::depth::MAX_LEVELS + 1));
    let scan = scan_source(&deep);
    assert_eq!((scan.syntax_errors.len(), scan.syntax_errors[0].0), (1, 2));
}

/// Past 16 bound names the scanner's name table becomes a hash map: the same answers.
#[test]
fn many_aliases() {
    let mut src = String::from("import os\ne0 = os.environ\n");
    for i in 1..40 {
        src.push_str(&format!("e{i} = e{}\n", i - 1));
    }
    src.push_str("x = e39['DEEP_ALIAS']\ny = e7.get('SHORT')\nimport os as o\nz = o.getenv('O')\n");
    assert_eq!(names(&src), ["DEEP_ALIAS", "SHORT", "O"]);
}
