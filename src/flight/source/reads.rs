//! Recognising each kind of environment read: `os.environ[...]`,
//! `os.environ.get/pop/setdefault(...)`, `os.getenv(...)`, `in os.environ`,
//! and `duckdb.connect("md:...")` (which reads MOTHERDUCK_TOKEN).

use super::scanner::{Args, Binding, Candidate, Method, Scanner};
use super::{Access, EnvRead};
use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare, ExprSubscript};
use ruff_text_size::Ranged;

/// A read and where its node starts and ends (reads are put in source order by these).
pub(super) type Placed = (u32, u32, EnvRead);

impl Scanner<'_> {
    /// The reads of one candidate node, once every alias is known.
    pub(super) fn candidate(&self, candidate: Candidate, reads: &mut Vec<Placed>) {
        match candidate {
            Candidate::Subscript(subscript) => self.subscript(subscript, reads),
            Candidate::Call(call) => self.call(call, reads),
            Candidate::Membership(compare) => self.membership(compare, reads),
        }
    }

    fn read(
        &self,
        reads: &mut Vec<Placed>,
        node: &impl Ranged,
        name: Option<String>,
        access: Access,
        form: &'static str,
    ) {
        let line = self.line(node);
        reads.push((node.start().into(), node.end().into(), EnvRead { name, line, access, form }));
    }

    /// `os.environ["X"] = ...`: the name the source sets (`None`: computed) and its line.
    pub(super) fn env_write(&self, subscript: &ExprSubscript) -> Option<(Option<String>, u32)> {
        self.is_environ(&subscript.value).then(|| (self.literal(&subscript.slice), self.line(subscript)))
    }

    /// `os.environ["X"]` (the walk passes only subscripts that are read).
    fn subscript(&self, subscript: &ExprSubscript, reads: &mut Vec<Placed>) {
        if !self.is_environ(&subscript.value) {
            return;
        }
        let name = self.literal(&subscript.slice);
        self.read(reads, subscript, name, Access::Required, "os.environ[...]");
    }

    /// `os.environ.get/setdefault/pop(...)`, `os.getenv(...)`, `duckdb.connect("md:...")`.
    fn call(&self, call: &ExprCall, reads: &mut Vec<Placed>) {
        let function = &*call.func;
        // The arguments are gathered only for a call that reads.
        let method = match self.binding(function) {
            Some(Binding::Getenv) => Some(None),
            Some(Binding::EnvironMethod(method)) => Some(Some(method)),
            Some(Binding::Connect) => return self.connect(call, &Args::of(&call.arguments), reads),
            _ if self.is_attribute_of(function, Binding::Os, "getenv") => Some(None),
            _ if self.is_attribute_of(function, Binding::Duckdb, "connect") => {
                return self.connect(call, &Args::of(&call.arguments), reads)
            }
            _ => match function {
                Expr::Attribute(attribute) if self.is_environ(&attribute.value) => {
                    match Method::from_name(attribute.attr.id.as_str()) {
                        Some(method) => Some(Some(method)),
                        None => return,
                    }
                }
                _ => None,
            },
        };
        let Some(method) = method else { return };
        let args = Args::of(&call.arguments);
        // A call without any argument reads nothing (it raises TypeError).
        let Some(key) = args.first_or_keyword("key") else {
            if args.count > 0 {
                // `os.getenv(*args)`, `os.environ.get(**kw)`: computed.
                let access = if method == Some(Method::GetItem) { Access::Required } else { Access::Optional };
                self.read(reads, call, None, access, "os.environ.get(...)");
            }
            return;
        };
        let name = self.literal(key);
        let has_default = args.positional > 1 || args.keyword("default").is_some();
        let (access, form) = match method {
            None => (Access::Optional, "os.getenv(...)"),
            Some(Method::Get) => (Access::Optional, "os.environ.get(...)"),
            Some(Method::SetDefault) => (Access::Optional, "os.environ.setdefault(...)"),
            Some(Method::Contains) => (Access::Optional, "os.environ.__contains__(...)"),
            Some(Method::Pop) if has_default => (Access::Optional, "os.environ.pop(..., default)"),
            Some(Method::Pop) => (Access::Required, "os.environ.pop(...)"),
            Some(Method::GetItem) => (Access::Required, "os.environ.__getitem__(...)"),
        };
        self.read(reads, call, name, access, form);
    }

    /// `duckdb.connect("md:...")` reads MOTHERDUCK_TOKEN, unless the token is
    /// passed in the connection string or the `config` argument.
    fn connect(&self, call: &ExprCall, args: &Args, reads: &mut Vec<Placed>) {
        let Some(database) = args.first_or_keyword("database") else { return };
        let target = self.literal_prefix(database).to_ascii_lowercase();
        if !(target.starts_with("md:") || target.starts_with("motherduck:")) || target.contains("token=") {
            return;
        }
        if args.keyword("config").is_some_and(|config| self.mentions_token(config)) {
            return;
        }
        self.read(reads, call, Some("MOTHERDUCK_TOKEN".into()), Access::Required, "duckdb.connect(\"md:...\")");
    }

    /// `"X" in os.environ`, `"X" not in os.environ`, `"X" in os.environ.keys()`.
    fn membership(&self, compare: &ExprCompare, reads: &mut Vec<Placed>) {
        let mut left = &*compare.left;
        for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
            if matches!(op, CmpOp::In | CmpOp::NotIn) && (self.is_environ(right) || self.is_environ_keys(right)) {
                let form = if *op == CmpOp::In { "... in os.environ" } else { "... not in os.environ" };
                self.read(reads, compare, self.literal(left), Access::Optional, form);
            }
            left = right;
        }
    }
}
