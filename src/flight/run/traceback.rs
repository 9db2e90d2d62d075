//! Reading a run's log for the facts of its failure (pure): whether a Python
//! traceback is there, and the final uncaught exception: its type, its frames,
//! whether it was chained, the module a `ModuleNotFoundError` names, the key of a
//! `KeyError` and whether an environment read raised it.
//!
//! The formats read are CPython's own (`traceback.py`, 3.10 to 3.13; the
//! fixtures in `test/fixtures/runs/logs/` are real runs): a block starts with
//! `Traceback (most recent call last):` (or `  + Exception Group Traceback
//! (most recent call last):`, whose lines carry a `  | ` margin), then frames
//! `  File "PATH", line N, in FUNCTION` each followed by its source line and,
//! from 3.11, a line of `^`/`~` markers (indented by 4), then the exception
//! line at the margin (`Type: message` or `Type`) and the rest of the message.
//! Chained exceptions print the earlier ones first, each block separated by
//! "The above exception was the direct cause of the following exception:"
//! or "During handling of the above exception, another exception occurred:";
//! the final exception is the last block. A `SyntaxError` in the main script
//! has no header: `  File "PATH", line N`, the source, a caret, then
//! `SyntaxError: ...`.
//!
//! Nothing of the exception's message is kept (logs can hold secrets: a DSN
//! with a password) except the module name of a missing module and the key of a
//! `KeyError`, and only when they read as a name.

/// One frame of a traceback, outermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub file: String,
    pub line: u32,
    /// `<module>`, a function's name; empty for a `SyntaxError`'s location.
    pub function: String,
}

impl Frame {
    /// Whether the frame is in Python's own library or an installed package
    /// (not the Flight's own code): `<frozen os>`, `.../lib/python3.11/...`,
    /// `.../site-packages/...`.
    pub fn is_library(&self) -> bool {
        let f = &self.file;
        f.starts_with('<')
            || f.contains("/site-packages/")
            || f.contains("/dist-packages/")
            || f.contains("/lib/python3")
            || f.contains("\\Lib\\")
    }
}

/// How the final exception was chained to the one printed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chained {
    /// `raise ... from e`: "The above exception was the direct cause of the following exception".
    Cause,
    /// Raised while handling another: "During handling of the above exception, another exception occurred".
    Context,
}

/// The final uncaught exception of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// As printed: `KeyError`, `json.decoder.JSONDecodeError`, `__main__.LoadError`, `ExceptionGroup`.
    pub type_name: String,
    pub frames: Vec<Frame>,
    pub chained: Option<Chained>,
    /// An exception group's sub-exceptions (their types, in order).
    pub group_members: Vec<String>,
}

impl Exception {
    /// The type's own name, without its module (`JSONDecodeError`).
    pub fn short_type(&self) -> &str {
        self.type_name.rsplit('.').next().unwrap_or(&self.type_name)
    }

    /// The innermost frame of the Flight's own code (not the library's).
    pub fn flight_frame(&self) -> Option<&Frame> {
        self.frames.iter().rev().find(|f| !f.is_library())
    }
}

/// A `KeyError`'s key and whether an environment read raised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyErrorFact {
    pub key: String,
    /// The innermost frame is `os.environ`'s `__getitem__` (`<frozen os>` or `.../os.py`), or the
    /// Flight's line reads `environ[` / `getenv(`.
    pub reads_environ: bool,
}

/// What a run's log says about how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFacts {
    /// A traceback (or a syntax error's location) is in the log.
    pub traceback: bool,
    pub exception: Option<Exception>,
    /// `ModuleNotFoundError: No module named 'x'` (or `ImportError: No module named 'x'`): `x`.
    pub missing_module: Option<String>,
    pub key_error: Option<KeyErrorFact>,
}

const HEADER: &str = "Traceback (most recent call last):";
const GROUP_HEADER: &str = "+ Exception Group Traceback (most recent call last):";
const CAUSE: &str = "The above exception was the direct cause of the following exception:";
const CONTEXT: &str = "During handling of the above exception, another exception occurred:";

/// Reads a run's log.
pub fn read_log(log: &str) -> LogFacts {
    let lines: Vec<&str> = log.lines().collect();
    let Some(start) =
        lines.iter().rposition(|l| *l == HEADER || l.trim_start() == GROUP_HEADER && l.starts_with("  +"))
    else {
        return syntax_error(&lines).map_or_else(LogFacts::default, facts_of);
    };
    let chained = match start.checked_sub(2).map(|i| lines[i]) {
        Some(CAUSE) => Some(Chained::Cause),
        Some(CONTEXT) => Some(Chained::Context),
        _ => None,
    };
    let mut block =
        if lines[start] == HEADER { parse_block(&lines[start + 1..]) } else { parse_group(&lines[start + 1..]) };
    if let Some(parsed) = &mut block {
        parsed.0.chained = chained;
    }
    match block {
        Some(parsed) => facts_of(parsed),
        None => LogFacts { traceback: true, ..LogFacts::default() },
    }
}

/// An exception, and the first line of its message and the Flight's source line of its innermost frame
/// (both dropped once the facts are read).
type Parsed<'a> = (Exception, Option<&'a str>, Option<&'a str>);

fn facts_of((exception, message, innermost_source): Parsed) -> LogFacts {
    let short = exception.short_type();
    let missing_module = match short {
        "ModuleNotFoundError" | "ImportError" => message.and_then(|m| quoted_after(m, "No module named ")),
        _ => None,
    };
    let key_error = match (short, message) {
        ("KeyError", Some(m)) => python_str_repr(m).map(|key| KeyErrorFact {
            key,
            reads_environ: exception.frames.last().is_some_and(is_environ_getitem)
                || innermost_source.is_some_and(|s| s.contains("environ[") || s.contains("getenv(")),
        }),
        _ => None,
    };
    LogFacts { traceback: true, exception: Some(exception), missing_module, key_error }
}

fn is_environ_getitem(frame: &Frame) -> bool {
    frame.function == "__getitem__" && (frame.file == "<frozen os>" || frame.file.ends_with("/os.py"))
}

/// `  File "PATH", line N, in FUNCTION` (or, for a syntax error, without `, in FUNCTION`).
fn frame_line(line: &str) -> Option<Frame> {
    let rest = line.strip_prefix("  File \"")?;
    let (file, rest) = rest.rsplit_once("\", line ")?;
    let (number, function) = match rest.split_once(", in ") {
        Some((n, f)) => (n, f),
        None => (rest, ""),
    };
    Some(Frame { file: file.to_owned(), line: number.parse().ok()?, function: function.to_owned() })
}

/// The exception line's type: a dotted Python name before `: ` (or the whole line).
fn exception_type(line: &str) -> Option<(&str, Option<&str>)> {
    let (name, message) = match line.split_once(": ") {
        Some((n, m)) => (n, Some(m)),
        None => (line.strip_suffix(':').unwrap_or(line), None),
    };
    let is_name = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    (!name.is_empty() && name.split('.').all(is_name)).then_some((name, message))
}

/// Frames, then the exception line (lines after a header, margin removed).
fn parse_block<'a>(lines: &[&'a str]) -> Option<Parsed<'a>> {
    let mut frames = Vec::new();
    let mut innermost_source = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(frame) = frame_line(line) {
            frames.push(frame);
            innermost_source = lines.get(i + 1).filter(|l| l.starts_with("    ")).copied();
        } else if line.starts_with("  ") {
            continue; // a source line, markers, "[Previous line repeated N more times]"
        } else {
            let (type_name, message) = exception_type(line)?;
            let exception =
                Exception { type_name: type_name.to_owned(), frames, chained: None, group_members: Vec::new() };
            return Some((exception, message, innermost_source));
        }
    }
    None
}

/// An exception group: its own lines carry `  | `; its members follow `  +-+---- 1 ----`, with `    | `.
fn parse_group<'a>(lines: &[&'a str]) -> Option<Parsed<'a>> {
    let own: Vec<&str> =
        lines.iter().map_while(|l| l.strip_prefix("  | ").or_else(|| (*l == "  |").then_some(""))).collect();
    let (mut exception, message, source) = parse_block(&own)?;
    let mut member: Vec<&str> = Vec::new();
    let flush = |member: &mut Vec<&str>, exception: &mut Exception| {
        let start = member.iter().rposition(|l| *l == HEADER);
        let parsed = match start {
            Some(s) => parse_block(&member[s + 1..]),
            None => {
                member.iter().position(|l| l.trim_start() == GROUP_HEADER).and_then(|s| parse_group(&member[s + 1..]))
            }
        };
        if let Some((m, _, _)) = parsed {
            exception.group_members.push(m.type_name);
        }
        member.clear();
    };
    for line in &lines[own.len()..] {
        if line.trim_start().starts_with("+-") {
            flush(&mut member, &mut exception);
        } else if let Some(text) = line.strip_prefix("    | ").or_else(|| (*line == "    |").then_some("")) {
            member.push(text);
        } else if !line.starts_with("    ") {
            break;
        } else {
            member.push(line.get(4..).unwrap_or(""));
        }
    }
    flush(&mut member, &mut exception);
    Some((exception, message, source))
}

/// A syntax error in the main script: its location line, then (after the source and caret) the error.
fn syntax_error<'a>(lines: &[&'a str]) -> Option<Parsed<'a>> {
    let at = lines.iter().rposition(|l| frame_line(l).is_some_and(|f| f.function.is_empty()))?;
    let frame = frame_line(lines[at])?;
    let error = lines[at + 1..].iter().find(|l| !l.starts_with("    "))?;
    let (type_name, _) = exception_type(error)?;
    matches!(type_name, "SyntaxError" | "IndentationError" | "TabError").then(|| {
        let exception = Exception {
            type_name: type_name.to_owned(),
            frames: vec![frame],
            chained: None,
            group_members: Vec::new(),
        };
        (exception, None, None)
    })
}

/// The name in `PREFIX'x'` (or `PREFIX"x"`), when it reads as a dotted Python name.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let name = python_str_repr(message.strip_prefix(prefix)?.split(';').next()?.trim_end())?;
    exception_type(&name).is_some_and(|(n, m)| n == name && m.is_none()).then_some(name)
}

/// The text of a Python `repr` of a plain string (`'API_KEY'`, `"it's"`) without escapes; else None.
fn python_str_repr(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote) && !inner.contains('\\')).then(|| inner.to_owned())
}
