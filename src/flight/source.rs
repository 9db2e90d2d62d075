//! Reading a Flight's Python source for the environment variables it reads,
//! and holding each read against the environment its run gets.
//!
//! The source is parsed for real with tree-sitter's Python grammar, so reads
//! inside comments and strings do not count, aliases do (`import os as o`,
//! `from os import environ as env`, `from os import getenv`, `env = os.environ`),
//! and a source with syntax errors still yields what can be read.

use super::config::suggest_key;
use super::credentials::credential_kind;
use super::{quoted, EnvSource, EnvVar};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Parser, Tree};

/// Whether the run fails when the variable is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `os.environ["X"]`, `os.environ.pop("X")`: a missing variable raises KeyError.
    Required,
    /// A default is given or absence is tested: `os.environ.get`, `os.getenv`, `in`.
    Optional,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Required => "required",
            Access::Optional => "optional",
        }
    }
}

/// One read of an environment variable in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    /// The variable's name; `None` when it is computed at run time.
    pub name: Option<String>,
    /// 1-based line of the read.
    pub line: u32,
    pub access: Access,
    /// What the read looks like, for messages (`os.environ[...]`, `duckdb.connect("md:")`).
    pub form: &'static str,
}

/// Everything the source tells about its environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceScan {
    /// Reads in source order.
    pub reads: Vec<EnvRead>,
    /// String literals shaped like credentials: line and kind, never the literal.
    pub credential_literals: Vec<(u32, &'static str)>,
    /// Where the parser found syntax errors: 1-based line and column.
    pub syntax_errors: Vec<(u32, u32)>,
}

/// At most this many syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 20;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn parse(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&tree_sitter_python::LANGUAGE.into()).ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(source, None)
    })
}

/// The environment reads of `source` alone.
pub fn env_reads(source: &str) -> Vec<EnvRead> {
    scan_source(source).reads
}

/// Reads, credential-shaped literals and syntax errors of `source`.
pub fn scan_source(source: &str) -> SourceScan {
    let Some(tree) = parse(source) else { return SourceScan::default() };
    let nodes = all_nodes(tree.root_node());
    let mut scanner = Scanner { src: source.as_bytes(), names: Names::default() };
    scanner.collect_names(&nodes);
    let mut scan = SourceScan::default();
    let mut seen_errors = HashSet::new();
    for &node in &nodes {
        if (node.is_error() || node.is_missing()) && scan.syntax_errors.len() < MAX_SYNTAX_ERRORS {
            let at = (node.start_position().row as u32 + 1, node.start_position().column as u32 + 1);
            if seen_errors.insert(at.0) {
                scan.syntax_errors.push(at);
            }
        }
        match node.kind() {
            "string" => {
                if let Some(kind) = scanner.literal(node).as_deref().and_then(credential_kind) {
                    scan.credential_literals.push((line(node), kind));
                }
            }
            "subscript" => scanner.subscript(node, &mut scan.reads),
            "call" => scanner.call(node, &mut scan.reads),
            "comparison_operator" => scanner.membership(node, &mut scan.reads),
            _ => {}
        }
    }
    scan
}

/// Every node of the tree, parents before children, without recursion
/// (a deeply nested source must not exhaust the stack).
fn all_nodes(root: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    loop {
        out.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn line(node: Node) -> u32 {
    node.start_position().row as u32 + 1
}

/// The names the source binds to `os`, `os.environ`, `os.getenv`, `duckdb` and `duckdb.connect`.
#[derive(Default)]
struct Names {
    os: HashSet<String>,
    environ: HashSet<String>,
    getenv: HashSet<String>,
    duckdb: HashSet<String>,
    connect: HashSet<String>,
}

struct Scanner<'s> {
    src: &'s [u8],
    names: Names,
}

impl<'s> Scanner<'s> {
    fn text(&self, node: Node) -> &'s str {
        self.src.get(node.byte_range()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
    }

    /// Finds imports first, then simple assignments of environ/getenv (twice, for chains).
    fn collect_names(&mut self, nodes: &[Node]) {
        for &node in nodes {
            match node.kind() {
                "import_statement" => {
                    let mut cursor = node.walk();
                    for name in node.children_by_field_name("name", &mut cursor) {
                        let (module, alias) = self.import_parts(name);
                        let first = module.split('.').next().unwrap_or("");
                        match (first, alias) {
                            ("os", Some(alias)) if module == "os" => _ = self.names.os.insert(alias),
                            ("os", None) => _ = self.names.os.insert("os".into()),
                            ("duckdb", Some(alias)) if module == "duckdb" => _ = self.names.duckdb.insert(alias),
                            ("duckdb", None) => _ = self.names.duckdb.insert("duckdb".into()),
                            _ => {}
                        }
                    }
                }
                "import_from_statement" => {
                    let module = node.child_by_field_name("module_name").map(|m| self.text(m)).unwrap_or("");
                    let mut cursor = node.walk();
                    for name in node.children_by_field_name("name", &mut cursor) {
                        let (imported, alias) = self.import_parts(name);
                        let bound = alias.unwrap_or_else(|| imported.clone());
                        match (module, imported.as_str()) {
                            ("os", "environ") => _ = self.names.environ.insert(bound),
                            ("os", "getenv") => _ = self.names.getenv.insert(bound),
                            ("duckdb", "connect") => _ = self.names.connect.insert(bound),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        for _ in 0..2 {
            for &node in nodes {
                if node.kind() != "assignment" {
                    continue;
                }
                let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right"))
                else {
                    continue;
                };
                if left.kind() != "identifier" {
                    continue;
                }
                let name = self.text(left).to_owned();
                if self.is_environ(right) {
                    self.names.environ.insert(name);
                } else if self.is_getenv(right) {
                    self.names.getenv.insert(name);
                }
            }
        }
    }

    /// `(module or name, alias)` of an import's `name` field.
    fn import_parts(&self, node: Node) -> (String, Option<String>) {
        if node.kind() == "aliased_import" {
            let name = node.child_by_field_name("name").map(|n| self.text(n)).unwrap_or("");
            let alias = node.child_by_field_name("alias").map(|a| self.text(a).to_owned());
            (name.to_owned(), alias)
        } else {
            (self.text(node).to_owned(), None)
        }
    }

    fn is_attribute_of(&self, node: Node, objects: &HashSet<String>, attribute: &str) -> bool {
        node.kind() == "attribute"
            && node.child_by_field_name("attribute").is_some_and(|a| self.text(a) == attribute)
            && node
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && objects.contains(self.text(o)))
    }

    /// `os.environ` (any alias of os) or a name bound to it.
    fn is_environ(&self, node: Node) -> bool {
        (node.kind() == "identifier" && self.names.environ.contains(self.text(node)))
            || self.is_attribute_of(node, &self.names.os, "environ")
    }

    /// `os.getenv` (any alias of os) or a name bound to it.
    fn is_getenv(&self, node: Node) -> bool {
        (node.kind() == "identifier" && self.names.getenv.contains(self.text(node)))
            || self.is_attribute_of(node, &self.names.os, "getenv")
    }

    /// The value of a plain string literal (or an implicit concatenation of
    /// them, or an f-string without interpolation); `None` for anything else.
    fn literal(&self, node: Node) -> Option<String> {
        match node.kind() {
            "concatenated_string" => {
                let mut cursor = node.walk();
                let parts: Option<Vec<String>> = node.named_children(&mut cursor).map(|c| self.literal(c)).collect();
                parts.map(|p| p.concat())
            }
            "string" => {
                let mut value = String::new();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind() {
                        "string_content" => value.push_str(self.text(child)),
                        "interpolation" => return None,
                        _ => {}
                    }
                }
                Some(value)
            }
            "parenthesized_expression" => node.named_child(0).and_then(|c| self.literal(c)),
            _ => None,
        }
    }

    fn read(&self, reads: &mut Vec<EnvRead>, node: Node, name_node: Option<Node>, access: Access, form: &'static str) {
        let name = name_node.and_then(|n| self.literal(n));
        reads.push(EnvRead { name, line: line(node), access, form });
    }

    /// `os.environ["X"]`, unless it is written or deleted.
    fn subscript(&self, node: Node, reads: &mut Vec<EnvRead>) {
        if !node.child_by_field_name("value").is_some_and(|v| self.is_environ(v)) {
            return;
        }
        if let Some(parent) = node.parent() {
            let is_target = |field| parent.child_by_field_name(field).is_some_and(|n| n.id() == node.id());
            if (parent.kind() == "assignment" || parent.kind() == "augmented_assignment") && is_target("left")
                || parent.kind() == "delete_statement"
            {
                return;
            }
        }
        self.read(reads, node, node.child_by_field_name("subscript"), Access::Required, "os.environ[...]");
    }

    /// `os.environ.get/setdefault/pop(...)`, `os.getenv(...)`, `duckdb.connect("md:...")`.
    fn call(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let (Some(function), Some(arguments)) =
            (node.child_by_field_name("function"), node.child_by_field_name("arguments"))
        else {
            return;
        };
        let mut cursor = arguments.walk();
        let args: Vec<Node> = arguments.named_children(&mut cursor).filter(|a| a.kind() != "comment").collect();
        let positional: Vec<Node> = args.iter().copied().filter(|a| a.kind() != "keyword_argument").collect();
        let keyword = |name: &str| {
            args.iter().copied().filter(|a| a.kind() == "keyword_argument").find_map(|a| {
                (a.child_by_field_name("name").map(|n| self.text(n)) == Some(name))
                    .then(|| a.child_by_field_name("value"))
                    .flatten()
            })
        };
        if self.is_getenv(function) {
            let name = positional.first().copied().or_else(|| keyword("key"));
            self.read(reads, node, name, Access::Optional, "os.getenv(...)");
            return;
        }
        if function.kind() == "attribute" && function.child_by_field_name("object").is_some_and(|o| self.is_environ(o))
        {
            let method = function.child_by_field_name("attribute").map(|a| self.text(a)).unwrap_or("");
            let name = positional.first().copied().or_else(|| keyword("key"));
            let has_default = positional.len() > 1 || keyword("default").is_some();
            let (access, form) = match method {
                "get" => (Access::Optional, "os.environ.get(...)"),
                "setdefault" => (Access::Optional, "os.environ.setdefault(...)"),
                "pop" if has_default => (Access::Optional, "os.environ.pop(..., default)"),
                "pop" => (Access::Required, "os.environ.pop(...)"),
                "__getitem__" => (Access::Required, "os.environ.__getitem__(...)"),
                _ => return,
            };
            self.read(reads, node, name, access, form);
            return;
        }
        let is_connect = (function.kind() == "identifier" && self.names.connect.contains(self.text(function)))
            || self.is_attribute_of(function, &self.names.duckdb, "connect");
        if is_connect {
            let database = positional.first().copied().or_else(|| keyword("database"));
            let target = database.and_then(|d| self.literal(d)).unwrap_or_default();
            if target.starts_with("md:") || target.starts_with("motherduck:") {
                reads.push(EnvRead {
                    name: Some("MOTHERDUCK_TOKEN".into()),
                    line: line(node),
                    access: Access::Required,
                    form: "duckdb.connect(\"md:...\")",
                });
            }
        }
    }

    /// `"X" in os.environ`, `"X" not in os.environ`.
    fn membership(&self, node: Node, reads: &mut Vec<EnvRead>) {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        for (i, child) in children.iter().enumerate() {
            if !matches!(child.kind(), "in" | "not in") {
                continue;
            }
            let (Some(left), Some(right)) = (i.checked_sub(1).and_then(|j| children.get(j)), children.get(i + 1))
            else {
                continue;
            };
            if self.is_environ(*right) {
                self.read(reads, node, Some(*left), Access::Optional, "... in os.environ");
            }
        }
    }
}

/// One row of `flight_source_check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub name: String,
    pub line: Option<u32>,
    pub access: Option<Access>,
    pub provided_by: Option<EnvSource>,
    pub status: &'static str,
    pub message: String,
}

/// Holds every read of `scan` against the run's variables `vars` (from
/// `env::resolve`). Rows ordered by line (reads without a line last), then name.
pub fn check_source(scan: &SourceScan, vars: &[EnvVar]) -> Vec<SourceRow> {
    let by_name: HashMap<&str, &EnvVar> = vars.iter().map(|v| (v.name.as_str(), v)).collect();
    // Param key -> the prefixed variables that carry it.
    let mut params: HashMap<&str, Vec<&EnvVar>> = HashMap::new();
    let mut placeholders: Vec<(&str, &EnvVar)> = Vec::new();
    for var in vars {
        if var.source != EnvSource::Secret {
            continue;
        }
        match var.name.strip_suffix('*') {
            Some(prefix) if var.value.is_none() => placeholders.push((prefix, var)),
            _ => {
                if let Some((_, key)) = var.origin.split_once('.') {
                    params.entry(key).or_default().push(var);
                }
            }
        }
    }
    let has_dynamic = scan.reads.iter().any(|r| r.name.is_none());
    let mut read_names: HashSet<&str> = HashSet::new();
    let mut rows = Vec::new();
    for read in &scan.reads {
        let Some(name) = read.name.as_deref() else {
            rows.push(SourceRow {
                name: "(dynamic)".into(),
                line: Some(read.line),
                access: Some(read.access),
                provided_by: None,
                status: "dynamic",
                message: format!(
                    "line {} reads an environment variable whose name is computed at run time ({}): it cannot be checked; \
                     read a fixed name where you can",
                    read.line, read.form
                ),
            });
            continue;
        };
        read_names.insert(name);
        rows.push(check_read(read, name, &by_name, &params, &placeholders, vars));
    }
    for var in vars {
        let unused_kind = match var.source {
            EnvSource::Config | EnvSource::Override => "config key",
            EnvSource::Secret if var.value.is_some() => "secret variable",
            _ => continue,
        };
        if read_names.contains(var.name.as_str()) {
            continue;
        }
        let maybe =
            if has_dynamic { " (the source also reads names computed at run time, which may include it)" } else { "" };
        rows.push(SourceRow {
            name: var.name.clone(),
            line: None,
            access: None,
            provided_by: Some(var.source),
            status: "unused",
            message: format!("{unused_kind} {} is never read by the source{maybe}", quoted(&var.name)),
        });
    }
    for &(line, kind) in &scan.credential_literals {
        rows.push(SourceRow {
            name: "(literal)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: "credential_in_source",
            message: format!(
                "line {line} holds a string shaped like a credential ({kind}): anyone who can read the Flight reads it; move it into a \
                 Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})), attach it with \
                 flight_secret_names and read it from os.environ"
            ),
        });
    }
    for &(line, column) in &scan.syntax_errors {
        rows.push(SourceRow {
            name: "(syntax)".into(),
            line: Some(line),
            access: None,
            provided_by: None,
            status: "syntax_error",
            message: format!(
                "Python syntax error near line {line}, column {column}: the reads around it may be missing from this check, \
                 and the run would fail; fix the source"
            ),
        });
    }
    rows.sort_by(|a, b| (a.line.is_none(), a.line, &a.name).cmp(&(b.line.is_none(), b.line, &b.name)));
    rows
}

fn check_read(
    read: &EnvRead,
    name: &str,
    by_name: &HashMap<&str, &EnvVar>,
    params: &HashMap<&str, Vec<&EnvVar>>,
    placeholders: &[(&str, &EnvVar)],
    vars: &[EnvVar],
) -> SourceRow {
    let row = |provided_by, status, message| SourceRow {
        name: name.to_owned(),
        line: Some(read.line),
        access: Some(read.access),
        provided_by,
        status,
        message,
    };
    if let Some(var) = by_name.get(name) {
        let what = match var.source {
            EnvSource::Token => format!("the token {}", quoted(&var.origin)),
            EnvSource::Config => "the config".to_owned(),
            EnvSource::Override => "the per-run override".to_owned(),
            EnvSource::Secret | EnvSource::SecretAlias => format!("secret param {}", quoted(&var.origin)),
        };
        let message = if read.form.starts_with("duckdb.connect") {
            format!("the md: connection needs MOTHERDUCK_TOKEN, provided by {what}")
        } else {
            format!("provided by {what}")
        };
        return row(Some(var.source), "ok", message);
    }
    if let Some(carriers) = params.get(name) {
        let names: Vec<String> = carriers.iter().map(|v| quoted(&v.name)).collect();
        let secrets: Vec<String> = carriers.iter().map(|v| quoted(v.origin.split('.').next().unwrap_or(""))).collect();
        return row(
            None,
            "bare_secret_param",
            format!(
                "the run has no {}: secret {} provides it only as {}; read os.environ[{}] instead \
                 (or preview with bare_aliases := true if your runs get bare names)",
                quoted(name),
                secrets.join(", "),
                names.join(", "),
                names.last().map(String::as_str).unwrap_or("''")
            ),
        );
    }
    if let Some((_, placeholder)) = placeholders.iter().find(|(prefix, _)| name.starts_with(prefix)) {
        let secret = placeholder.origin.trim_end_matches(".*");
        return row(
            Some(EnvSource::Secret),
            "unverified",
            format!(
                "{} may come from secret {}, whose params are unknown: pass secrets := MAP {{'{secret}': [...]}} to verify",
                quoted(name),
                quoted(secret)
            ),
        );
    }
    let hint = suggest_key(name, vars.iter().map(|v| v.name.as_str()))
        .map(|m| format!(" (did you mean {}?)", quoted(m)))
        .unwrap_or_default();
    match read.access {
        Access::Required => row(
            None,
            "missing",
            format!(
                "the run has no {}{hint}: {} raises KeyError; add the key to the Flight's config (MD_UPDATE_FLIGHT with the \
                 full config map) or attach a secret that provides it",
                quoted(name),
                read.form
            ),
        ),
        Access::Optional => row(
            None,
            "missing_optional",
            format!("the run has no {}{hint}: {} falls back to its default", quoted(name), read.form),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::env::resolve;
    use crate::flight::{FlightSpec, ParamValue, SecretDef, SecretParam};

    fn reads(source: &str) -> Vec<(Option<String>, u32, Access)> {
        env_reads(source).into_iter().map(|r| (r.name, r.line, r.access)).collect()
    }

    fn named(name: &str, line: u32, access: Access) -> (Option<String>, u32, Access) {
        (Some(name.into()), line, access)
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
"#;
        assert_eq!(
            reads(src),
            vec![
                named("REQ", 2, Access::Required),
                named("GET", 3, Access::Optional),
                named("GET_DEFAULT", 4, Access::Optional),
                named("GETENV", 5, Access::Optional),
                named("GETENV_DEFAULT", 6, Access::Optional),
                named("SETDEFAULT", 7, Access::Optional),
                named("IN_TEST", 8, Access::Optional),
                named("NOT_IN", 9, Access::Optional),
                named("POP_DEFAULT", 10, Access::Optional),
                named("POP", 11, Access::Required),
            ]
        );
    }

    #[test]
    fn aliases_count() {
        let src = r#"import os as o
from os import environ as env, getenv
from os import getenv as ge
import os.path
e2 = env
a = o.environ["A"]
b = env["B"]
c = getenv("C")
d = ge("D")
x = e2.get("E")
y = os.environ["F"]
"#;
        let names: Vec<String> = env_reads(src).into_iter().filter_map(|r| r.name).collect();
        assert_eq!(names, ["A", "B", "C", "D", "E", "F"]);
    }

    #[test]
    fn comments_strings_and_writes_do_not_count() {
        let src = r#"import os
# os.environ["IN_COMMENT"]
s = 'os.environ["IN_STRING"]'
"""os.getenv("IN_DOCSTRING")"""
os.environ["WRITTEN"] = "x"
os.environ["AUG"] += "x"
del os.environ["DELETED"]
environ = {}
z = environ["NOT_OS"]
"#;
        assert!(reads(src).is_empty(), "{:?}", reads(src));
    }

    #[test]
    fn modern_syntax_parses() {
        let src = r#"import os
type Alias = list[int]
def first[T](xs: list[T]) -> T:
    return xs[0]
match os.environ.get("MODE", "a"):
    case "a":
        value = f"{os.environ['INSIDE_FSTRING']}-x"
    case _:
        pass
token = os.getenv(
    "MULTI_LINE",
    "default",
)
"#;
        let names: Vec<(Option<String>, u32, Access)> = reads(src);
        assert!(names.contains(&named("MODE", 5, Access::Optional)));
        assert!(names.contains(&named("INSIDE_FSTRING", 7, Access::Required)));
        assert!(names.contains(&named("MULTI_LINE", 10, Access::Optional)));
        assert!(scan_source(src).syntax_errors.is_empty());
    }

    #[test]
    fn dynamic_names() {
        let src = r#"import os
p = "X"
a = os.environ[p]
b = os.getenv(f"{p}_KEY")
c = os.environ["A" + p]
d = os.environ["PLAIN" "CONCAT"]
e = os.environ[f"NO_INTERPOLATION"]
"#;
        assert_eq!(
            reads(src),
            vec![
                (None, 3, Access::Required),
                (None, 4, Access::Optional),
                (None, 5, Access::Required),
                named("PLAINCONCAT", 6, Access::Required),
                named("NO_INTERPOLATION", 7, Access::Required)
            ]
        );
    }

    #[test]
    fn motherduck_connections_need_the_token() {
        let src = r#"import duckdb
import duckdb as ddb
from duckdb import connect
a = duckdb.connect("md:")
b = ddb.connect("md:my_db")
c = connect(database="motherduck:x")
d = duckdb.connect("local.duckdb")
e = duckdb.connect()
"#;
        assert_eq!(
            reads(src),
            vec![
                named("MOTHERDUCK_TOKEN", 4, Access::Required),
                named("MOTHERDUCK_TOKEN", 5, Access::Required),
                named("MOTHERDUCK_TOKEN", 6, Access::Required)
            ]
        );
    }

    #[test]
    fn credentials_are_found_but_never_echoed() {
        let src = "API = 'sk-abcdefghijklmnopqrstuvwxyz012345'\n# 'sk-not-in-a-comment-abcdefghijklmnop'\nKEY = \"AKIAIOSFODNN7EXAMPLE\"\n";
        let scan = scan_source(src);
        assert_eq!(scan.credential_literals.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 3]);
        let rows = check_source(&scan, &[]);
        assert!(rows.iter().all(|r| !r.message.contains("sk-abc") && !r.message.contains("AKIAIOSF")));
        assert_eq!(rows.iter().filter(|r| r.status == "credential_in_source").count(), 2);
    }

    #[test]
    fn syntax_errors_still_yield_reads() {
        let src = "import os\ndef broken(:\n    pass\nx = os.environ['STILL_READ']\n";
        let scan = scan_source(src);
        assert!(!scan.syntax_errors.is_empty());
        assert_eq!(scan.syntax_errors[0].0, 2);
        assert!(scan.reads.iter().any(|r| r.name.as_deref() == Some("STILL_READ")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = format!("import os\nx = {}os.environ['DEEP']{}\n", "(".repeat(10_000), ")".repeat(10_000));
        let scan = scan_source(&src);
        assert!(scan.reads.len() <= 1);
        assert!(scan_source(&"[".repeat(50_000)).reads.is_empty());
        assert!(scan_source("").reads.is_empty());
    }

    #[test]
    fn statuses_against_the_docs_example() {
        let spec = FlightSpec {
            config: Some(vec![("REGION".into(), Some("us".into())), ("UNUSED".into(), Some("x".into()))]),
            flight_secret_names: Some(vec![Some("my_api_secret".into()), Some("other".into())]),
            secrets: Some(vec![SecretDef {
                name: "my_api_secret".into(),
                params: vec![SecretParam { key: "API_KEY".into(), value: ParamValue::KeyOnly }],
            }]),
            ..Default::default()
        };
        let mut spec_unknown = spec.clone();
        spec_unknown.secrets = None;
        let vars = resolve(&spec).vars;
        let src = r#"import os, duckdb
key = os.environ["API_KEY"]
region = os.environ["REGION"]
batch = os.environ.get("BATCH_SIZE", "1000")
missing = os.environ["REGOIN"]
good = os.environ["MY_API_SECRET_API_KEY"]
con = duckdb.connect("md:")
"#;
        let rows = check_source(&scan_source(src), &vars);
        let status: Vec<(&str, Option<u32>, &str)> = rows.iter().map(|r| (r.name.as_str(), r.line, r.status)).collect();
        assert_eq!(
            status,
            vec![
                ("API_KEY", Some(2), "bare_secret_param"),
                ("REGION", Some(3), "ok"),
                ("BATCH_SIZE", Some(4), "missing_optional"),
                ("REGOIN", Some(5), "missing"),
                ("MY_API_SECRET_API_KEY", Some(6), "ok"),
                ("MOTHERDUCK_TOKEN", Some(7), "ok"),
                ("UNUSED", None, "unused"),
            ]
        );
        assert!(rows[0].message.contains("'MY_API_SECRET_API_KEY'"), "{}", rows[0].message);
        assert!(rows[3].message.contains("did you mean 'REGION'?"), "{}", rows[3].message);
        assert_eq!(rows[5].provided_by, Some(EnvSource::Token));
        // With unknown params, a prefixed read cannot be verified.
        let rows =
            check_source(&scan_source("import os\nx = os.environ['OTHER_TOKEN']\n"), &resolve(&spec_unknown).vars);
        assert_eq!(rows[0].status, "unverified");
    }
}
