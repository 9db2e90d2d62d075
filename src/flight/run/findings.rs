//! `flight_run_findings`: why a run failed, from its status, exit code and log
//! ([`super::traceback`]) held against the Flight version it ran (pure).
//!
//! One finding at most per run, the most specific that holds:
//! `run_module_not_found`, `run_key_error`, `run_exception` (a traceback);
//! `run_killed`, `run_exit_nonzero` (none); `run_succeeded_without_work`
//! (a success). Messages never repeat the exception's message or any other
//! log text (logs can hold secrets; findings are shared more widely): they
//! name the type, the module or key read from the log, and the Flight's own
//! source line (its string literals' contents shown as `...`).

use super::traceback::{read_log, Exception, LogFacts};
use crate::flight::naming::{parse_naming, secret_env_name};
use crate::flight::requirements::{provides, read_requirements, Provided};
use crate::flight::sizes::{flight_size, FLIGHT_SIZES, FLIGHT_SIZES_SOURCE};
use crate::flight::source::{check_source, Access, EnvRead, SourceScan, Status};
use crate::flight::wording::quoted;
use crate::flight::{env, ConfigMap, Finding, FindingCode, FlightSpec, Origin};

/// A run as MotherDuck records it (`MD_GET_FLIGHT_RUN`, `motherduck_flight_runs`, the logs tool).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunRecord {
    /// `FAILED` or `RUN_STATUS_FAILED`, any case.
    pub status: Option<String>,
    pub exit_code: Option<i64>,
    /// stdout and stderr, as the logs tool gives them (or the lines joined with newlines).
    pub logs: Option<String>,
    /// The effective config the run recorded (stored merged with its per-run override).
    pub config: Option<ConfigMap>,
    pub flight_version: Option<i64>,
}

/// A run status without the `RUN_STATUS_` prefix MotherDuck's SQL functions put on it (any case).
pub fn bare_run_status(status: &str) -> &str {
    match status.get(..11) {
        Some(prefix) if prefix.eq_ignore_ascii_case("RUN_STATUS_") => &status[11..],
        _ => status,
    }
}

/// The findings about `run` of `flight` (the Flight version it ran), errors first.
///
/// `scan`: the scan of `flight.source_code`, if any. `entry_point_called`: whether the source
/// calls its entry point (the source scan's `entry_point_missing` rule), `None` when unknown:
/// `run_succeeded_without_work` is raised only on `Some(false)`.
pub fn run_findings(
    run: &RunRecord,
    flight: &FlightSpec,
    scan: Option<&SourceScan>,
    entry_point_called: Option<bool>,
) -> Vec<Finding> {
    let status = run.status.as_deref().map(|s| bare_run_status(s.trim()).to_ascii_uppercase());
    let failed = match status.as_deref() {
        Some("FAILED") => true,
        Some(_) => false,
        None => run.exit_code.is_some_and(|code| code != 0),
    };
    let succeeded = status.as_deref() == Some("SUCCEEDED") || (status.is_none() && run.exit_code == Some(0));
    if succeeded && entry_point_called == Some(false) {
        return vec![Finding::new(
            FindingCode::RunSucceededWithoutWork,
            "entry point",
            "the run succeeded, but the Flight's source never calls its entry point: MotherDuck runs the file as a \
             script (python main.py), so define main() and end the file with if __name__ == \"__main__\": main()",
        )];
    }
    if !failed {
        return Vec::new();
    }
    let facts = read_log(run.logs.as_deref().unwrap_or(""));
    failure(run, flight, scan, &facts).into_iter().collect()
}

fn failure(run: &RunRecord, flight: &FlightSpec, scan: Option<&SourceScan>, facts: &LogFacts) -> Option<Finding> {
    if !facts.traceback {
        return Some(no_traceback(run.exit_code, flight));
    }
    if let Some(module) = &facts.missing_module {
        let path = facts.exception.as_ref().and_then(|e| import_path_at(e, flight, module));
        let message = module_message(module, path.as_deref().unwrap_or(module), flight);
        return Some(Finding::new(FindingCode::RunModuleNotFound, module.clone(), message));
    }
    if let Some(key) = &facts.key_error {
        let read_by_source = scan.is_some_and(|s| s.reads.iter().any(|r| r.name.as_deref() == Some(key.key.as_str())));
        if key.reads_environ || read_by_source {
            return Some(Finding::new(FindingCode::RunKeyError, key.key.clone(), key_message(&key.key, run, flight)));
        }
    }
    Some(match &facts.exception {
        Some(exception) => {
            Finding::new(FindingCode::RunException, exception.type_name.clone(), exception_message(exception, flight))
        }
        None => Finding::new(
            FindingCode::RunException,
            "(unreadable traceback)",
            "the run failed with a Python traceback this reader could not read: see the end of the run's log \
             (motherduck_flight_logs)",
        ),
    })
}

/// A failed run without a traceback: killed (137, -9, no code) or an exit status of its own.
fn no_traceback(exit_code: Option<i64>, flight: &FlightSpec) -> Finding {
    match exit_code {
        None | Some(137) | Some(-9) => {
            let code = exit_code.map_or("no exit code".to_owned(), |c| format!("exit code {c}"));
            let size = match flight.instance_type.as_deref().and_then(flight_size) {
                Some(size) => format!("its Flight size, {} ({} GB)", size.name, size.memory_gb),
                None => format!(
                    "its Flight size ({}; instance_type unknown here)",
                    FLIGHT_SIZES.iter().map(|s| format!("{} {} GB", s.name, s.memory_gb)).collect::<Vec<_>>().join(", ")
                ),
            };
            Finding::new(
                FindingCode::RunKilled,
                exit_code.map_or("killed".to_owned(), |c| c.to_string()),
                format!(
                    "the run failed without a Python traceback and with {code}: most likely it was killed for using more \
                     than the memory of {size}; load less at once (stream or batch the data, spill to disk under /tmp) or \
                     choose a larger size with instance_type ({FLIGHT_SIZES_SOURCE})"
                ),
            )
        }
        Some(code) => Finding::new(
            FindingCode::RunExitNonzero,
            code.to_string(),
            format!(
                "the run exited with status {code} without a Python traceback: the script ended itself (sys.exit({code}), \
                 os._exit, or a failed subprocess); its last lines in the log say why (motherduck_flight_logs)"
            ),
        ),
    }
}

/// The Flight's source line an exception was raised at.
fn source_line<'a>(exception: &Exception, flight: &'a FlightSpec) -> Option<(u32, &'a str)> {
    let frame = exception.flight_frame()?;
    let text = flight.source_code.as_deref()?.lines().nth((frame.line as usize).checked_sub(1)?)?;
    Some((frame.line, text.trim()))
}

/// The full import path of the import statement that raised, when it starts with `module`
/// (`import snowflake.connector` for `No module named 'snowflake'`): the table of import names
/// knows the distribution of the path where the top-level name is a namespace.
fn import_path_at(exception: &Exception, flight: &FlightSpec, module: &str) -> Option<String> {
    let (_, text) = source_line(exception, flight)?;
    let rest = text.strip_prefix("import ").or_else(|| text.strip_prefix("from "))?;
    let path = rest.split([' ', ',', '#']).next()?.trim();
    (path == module || path.strip_prefix(module).is_some_and(|r| r.starts_with('.'))).then(|| path.to_owned())
}

/// What to change for a missing module (`path`: the import that raised, when known): the
/// requirement to add, or what is wrong with the one listed.
fn module_message(module: &str, path: &str, flight: &FlightSpec) -> String {
    let reqs = read_requirements(flight.requirements_txt.as_deref().unwrap_or(""));
    let top = module.split('.').next().unwrap_or(module);
    let missing = format!("the run raised ModuleNotFoundError for {}", quoted(module));
    match provides(path, &[], &reqs, &[]) {
        Provided::Stdlib => format!(
            "{missing}, which is (or is under) Python's standard library in some versions: check the import's spelling; \
             the Python version of MotherDuck's runtime is not documented"
        ),
        Provided::By(i) => {
            let entry = &reqs.entries[i];
            format!(
                "{missing}, yet requirements_txt lists {} (line {}), which provides it: check that requirement's version \
                 ({}) and extras; the module may need another version or an extra",
                quoted(entry.name.as_deref().unwrap_or("?")),
                entry.line,
                entry.specifier.as_deref().unwrap_or("not pinned")
            )
        }
        Provided::Unverified { candidates } => format!(
            "{missing}: requirements_txt may provide it ({}), but the run shows it did not; add the distribution that \
             provides {} to requirements_txt, pinned",
            candidates.iter().filter_map(|&i| reqs.entries.get(i)?.name.as_deref().map(quoted)).collect::<Vec<_>>().join(", "),
            quoted(top)
        ),
        Provided::Missing { suggest: Some(dist) } => format!(
            "{missing}: add {} to requirements_txt, pinned ({dist}==<version>), then update the Flight",
            quoted(dist)
        ),
        Provided::Missing { suggest: None } => format!(
            "{missing}: no requirement provides it; add the distribution that provides {} to requirements_txt, \
             pinned, then update the Flight",
            quoted(top)
        ),
    }
}

/// Why the run had no variable `key`, with what `flight_env_preview` knows of the run's environment.
fn key_message(key: &str, run: &RunRecord, flight: &FlightSpec) -> String {
    let mut spec = flight.clone();
    if let Some(config) = &run.config {
        // The run's effective config already holds its override.
        spec.config = Some(config.clone());
        spec.override_config = None;
    }
    let vars = env::resolve(&spec).vars;
    let read = EnvRead { name: Some(key.to_owned()), line: 0, access: Access::Required, form: "os.environ[...]" };
    let probe = SourceScan { reads: vec![read], ..SourceScan::default() };
    let row = check_source(&probe, &vars).into_iter().find(|r| r.name == key);
    let said = row.as_ref().map(|r| r.message.as_str()).unwrap_or("");
    let stored_has = flight.config.iter().flatten().any(|(k, _)| k == key);
    let run_lacks = run.config.as_ref().is_some_and(|c| !c.iter().any(|(k, _)| k == key));
    let lead = format!("the run raised KeyError reading the environment variable {}", quoted(key));
    match row.as_ref().map(|r| r.status) {
        Some(Status::Ok) => format!(
            "{lead}, which this Flight version provides ({said}): the run used another version or config (its \
             flight_version{}); run it again",
            run.flight_version.map(|v| format!(" is {v}")).unwrap_or_default()
        ),
        _ if stored_has && run_lacks => format!(
            "{lead}: the config the run recorded has no key {} although the stored config does: it was added after the \
             run started, or an update dropped it (an update's config replaces the whole map); run it again",
            quoted(key)
        ),
        Some(Status::BareSecretParam) => format!("{lead}: {said}"),
        _ => {
            let prefixed = unknown_secret_names(key, &spec, &vars);
            let unattached = unattached_secrets(key, &spec);
            let mut message = format!("{lead}: {said}");
            if !prefixed.is_empty() {
                message.push_str(&format!(
                    "; if {} is a param of an attached secret, the run has it as {}: read that name",
                    quoted(key),
                    prefixed.join(" or ")
                ));
            }
            if !unattached.is_empty() {
                message.push_str(&format!(
                    "; secret {} has a param {} but is not attached: add it to flight_secret_names",
                    unattached.join(", "),
                    quoted(key)
                ));
            }
            message
        }
    }
}

/// Whether a run of `spec` has the variable `key` (config, secrets, token, or set by MotherDuck).
pub fn key_provided(key: &str, spec: &FlightSpec) -> bool {
    let vars = env::resolve(spec).vars;
    let read = EnvRead { name: Some(key.to_owned()), line: 0, access: Access::Required, form: "" };
    let probe = SourceScan { reads: vec![read], ..SourceScan::default() };
    check_source(&probe, &vars).iter().any(|r| r.name == key && r.status == Status::Ok)
}

/// The variable each attached secret whose params are unknown would make of `key`.
fn unknown_secret_names(key: &str, spec: &FlightSpec, vars: &[crate::flight::EnvVar]) -> Vec<String> {
    let naming = parse_naming(spec.secret_naming.as_deref()).unwrap_or_default();
    vars.iter()
        .filter_map(|v| match &v.origin {
            Origin::UnknownParams { secret, .. } => Some(quoted(&secret_env_name(secret, key, naming))),
            _ => None,
        })
        .collect()
}

/// Described secrets that have a param `key` and are not attached.
fn unattached_secrets(key: &str, spec: &FlightSpec) -> Vec<String> {
    let attached: Vec<&str> = spec.flight_secret_names.iter().flatten().flatten().map(String::as_str).collect();
    if spec.flight_secret_names.is_none() {
        return Vec::new(); // without flight_secret_names, every described secret counts as attached
    }
    spec.secrets
        .iter()
        .flatten()
        .filter(|s| !attached.iter().any(|a| a.eq_ignore_ascii_case(&s.name)) && s.params.iter().any(|p| p.key == key))
        .map(|s| quoted(&s.name))
        .collect()
}

/// Where the exception was raised in the Flight's source, and that line's text.
fn exception_message(exception: &Exception, flight: &FlightSpec) -> String {
    let mut message = format!("the run failed with an uncaught {}", exception.type_name);
    if !exception.group_members.is_empty() {
        message.push_str(&format!(" (an exception group of {})", exception.group_members.join(", ")));
    }
    match exception.flight_frame() {
        Some(frame) => {
            let place = if frame.function.is_empty() || frame.function == "<module>" {
                format!("line {}", frame.line)
            } else {
                format!("line {} (in {})", frame.line, frame.function)
            };
            message.push_str(&format!(" raised at {place} of the Flight's source"));
            if let Some((_, text)) = source_line(exception, flight).filter(|(_, t)| !t.is_empty()) {
                message.push_str(&format!(": {}", redact_literals(text)));
            }
        }
        None => message.push_str(" in library code (no frame of the Flight's own file)"),
    }
    match exception.chained {
        Some(super::Chained::Cause) => message.push_str("; it was raised from an earlier exception"),
        Some(super::Chained::Context) => message.push_str("; it was raised while handling an earlier exception"),
        None => {}
    }
    message.push_str(": fix the code there (the exception's message is in the run's log, motherduck_flight_logs)");
    message
}

/// A line of Python with every string literal's contents shown as `...` (a literal may hold a secret).
pub fn redact_literals(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' {
            break; // a comment may hold anything
        }
        out.push(c);
        if c == '\'' || c == '"' {
            out.push_str("...");
            while let Some(inner) = chars.next() {
                if inner == '\\' {
                    chars.next();
                } else if inner == c {
                    break;
                }
            }
            out.push(c);
        }
    }
    out.trim_end().to_owned()
}
