use super::*;
use serde_json::Value;

/// Every log of `test/fixtures/runs/` (real CPython 3.10 to 3.13 runs): (script, python, log text).
fn fixtures() -> Vec<(String, String, String)> {
    let root = format!("{}/test/fixtures/runs", env!("CARGO_MANIFEST_DIR"));
    let index: Value = serde_json::from_str(&std::fs::read_to_string(format!("{root}/index.json")).unwrap()).unwrap();
    index
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let log = std::fs::read_to_string(format!("{root}/logs/{}", entry["log"].as_str().unwrap())).unwrap();
            (entry["script"].as_str().unwrap().to_owned(), entry["python"].as_str().unwrap().to_owned(), log)
        })
        .collect()
}

/// (short type, the Flight's innermost frame: line and function, chained, missing module, key error).
type Expected =
    (&'static str, (u32, &'static str), Option<Chained>, Option<&'static str>, Option<(&'static str, bool)>);

fn expected(script: &str, python: &str) -> Option<Expected> {
    let old = python == "3.10";
    Some(match script {
        "chained_cause" => ("LoadError", (12, "load"), Some(Chained::Cause), None, None),
        "chained_context" => ("RuntimeError", (5, "parse_port"), Some(Chained::Context), None, None),
        "exception_group" if old => ("RuntimeError", (17, "main"), None, None, None),
        "exception_group" => ("ExceptionGroup", (18, "main"), None, None, None),
        "import_name_error" => ("ImportError", (1, "<module>"), None, None, None),
        "key_error_dict" => ("KeyError", (3, "main"), None, None, Some(("table", false))),
        "key_error_environ" => ("KeyError", (5, "connect"), None, None, Some(("API_KEY", true))),
        "key_error_environ_alias" => ("KeyError", (8, "main"), None, None, Some(("TARGET_REGION", true))),
        "library_error" => ("JSONDecodeError", (6, "main"), None, None, None),
        "long_output" => ("KeyError", (8, "main"), None, None, Some(("TARGET_SCHEMA", true))),
        "module_not_found" => ("ModuleNotFoundError", (4, "<module>"), None, Some("snowflake"), None),
        "multiline_message" => ("ValueError", (3, "main"), None, None, None),
        "submodule_not_found" => ("ModuleNotFoundError", (1, "<module>"), None, Some("json.nope"), None),
        "syntax_error" => ("SyntaxError", (2, ""), None, None, None),
        "succeeded" | "leaky_success" | "sys_exit" => return None,
        other => panic!("no expectation for the fixture script {other}"),
    })
}

#[test]
fn every_fixture_on_every_python() {
    let all = fixtures();
    assert!(all.len() >= 60, "{}", all.len());
    for (script, python, log) in all {
        let facts = read_log(&log);
        let what = format!("{script} on {python}");
        let Some((short, (line, function), chained, module, key)) = expected(&script, &python) else {
            assert_eq!(facts, LogFacts::default(), "{what}");
            continue;
        };
        assert!(facts.traceback, "{what}");
        let exception = facts.exception.as_ref().unwrap_or_else(|| panic!("{what}: no exception"));
        assert_eq!(exception.short_type(), short, "{what}");
        let frame = exception.flight_frame().unwrap_or_else(|| panic!("{what}: no frame"));
        assert_eq!(
            (frame.file.as_str(), frame.line, frame.function.as_str()),
            ("/tmp/flight_run/main.py", line, function),
            "{what}"
        );
        assert_eq!(exception.chained, chained, "{what}");
        assert_eq!(facts.missing_module.as_deref(), module, "{what}");
        assert_eq!(facts.key_error.as_ref().map(|k| (k.key.as_str(), k.reads_environ)), key, "{what}");
        // Nothing of a message is kept: the canaries in them never show.
        assert!(!format!("{facts:?}").contains("CANARY"), "{what}");
        assert!(!format!("{facts:?}").contains("NOT_A_REAL_KEY"), "{what}");
    }
}

#[test]
fn frames_groups_and_types() {
    let log = |script: &str, python: &str| {
        fixtures().into_iter().find(|(s, p, _)| s == script && p == python).map(|(_, _, l)| l).unwrap()
    };
    let group = read_log(&log("exception_group", "3.13")).exception.unwrap();
    assert_eq!(group.group_members, vec!["ValueError", "ValueError"]);
    assert_eq!(group.frames.len(), 2);
    let library = read_log(&log("library_error", "3.11")).exception.unwrap();
    assert_eq!(library.type_name, "json.decoder.JSONDecodeError");
    assert!(library.frames.last().unwrap().is_library());
    assert_eq!(library.frames.len(), 5);
    // CPython 3.10 names a __main__ class with its module.
    assert_eq!(read_log(&log("chained_cause", "3.10")).exception.unwrap().type_name, "__main__.LoadError");
    let environ = read_log(&log("key_error_environ", "3.12")).exception.unwrap();
    assert_eq!(environ.frames.last().unwrap().file, "<frozen os>");
}

#[test]
fn logs_without_a_traceback_and_odd_ones() {
    assert_eq!(read_log(""), LogFacts::default());
    assert_eq!(read_log("all good\n"), LogFacts::default());
    // A header with nothing readable after it: a traceback, no exception.
    let cut = read_log("Traceback (most recent call last):\n  File \"/x.py\", line 3, in f\n");
    assert!(cut.traceback && cut.exception.is_none());
    // A key that is not a plain string repr is not kept.
    let numeric =
        read_log("Traceback (most recent call last):\n  File \"/x.py\", line 3, in f\n    d[3]\nKeyError: 3\n");
    assert_eq!((numeric.exception.unwrap().type_name.as_str(), numeric.key_error), ("KeyError", None));
    let escaped = read_log("Traceback (most recent call last):\nKeyError: 'a\\'b'\n");
    assert_eq!(escaped.key_error, None);
    // A getenv read on the Flight's line, without os.py's frame.
    let getenv = read_log(
        "Traceback (most recent call last):\n  File \"/app/main.py\", line 9, in main\n    k = env_map()[os.getenv(\"K\")]\nKeyError: 'K'\n",
    );
    assert_eq!(getenv.key_error, Some(KeyErrorFact { key: "K".into(), reads_environ: true }));
    // ImportError with the older wording; a module name that is not a name is dropped.
    let old = read_log("Traceback (most recent call last):\n  File \"/a.py\", line 1, in <module>\nImportError: No module named 'yaml'\n");
    assert_eq!(old.missing_module.as_deref(), Some("yaml"));
    let odd = read_log("Traceback (most recent call last):\nModuleNotFoundError: No module named 'a b; rm -rf'\n");
    assert_eq!(odd.missing_module, None);
    // A handled traceback printed earlier, then the final one: the last block counts.
    let two = format!(
        "{}\nretrying\n{}",
        "Traceback (most recent call last):\n  File \"/a.py\", line 1, in <module>\nValueError: x",
        "Traceback (most recent call last):\n  File \"/a.py\", line 2, in <module>\nTypeError: y"
    );
    let last = read_log(&two).exception.unwrap();
    assert_eq!((last.type_name.as_str(), last.frames[0].line, last.chained), ("TypeError", 2, None));
}

fn fixture_log(script: &str, python: &str) -> String {
    fixtures().into_iter().find(|(s, p, _)| s == script && p == python).map(|(_, _, l)| l).unwrap()
}

fn script_source(script: &str) -> String {
    let path = format!("{}/test/fixtures/runs/scripts/{script}.py", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn failed(script: &str, python: &str) -> RunRecord {
    RunRecord {
        status: Some("FAILED".into()),
        exit_code: Some(1),
        logs: Some(fixture_log(script, python)),
        ..RunRecord::default()
    }
}

fn flight_of(script: &str) -> crate::flight::FlightSpec {
    crate::flight::FlightSpec { source_code: Some(script_source(script)), ..Default::default() }
}

fn one(findings: Vec<crate::flight::Finding>) -> crate::flight::Finding {
    assert_eq!(findings.len(), 1, "{findings:?}");
    findings.into_iter().next().unwrap()
}

#[test]
fn a_missing_module_names_the_requirement() {
    let mut flight = flight_of("module_not_found");
    flight.requirements_txt = Some("duckdb==1.5.2\n".into());
    let f = one(run_findings(&failed("module_not_found", "3.12"), &flight, None, None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_module_not_found", "snowflake"));
    assert!(f.message.contains("add 'snowflake-connector-python' to requirements_txt"), "{}", f.message);
    flight.requirements_txt = Some("duckdb==1.5.2\nsnowflake-connector-python==3.12.0\n".into());
    let f = one(run_findings(&failed("module_not_found", "3.10"), &flight, None, None));
    assert!(
        f.message.contains("lists 'snowflake-connector-python' (line 2)") && f.message.contains("==3.12.0"),
        "{}",
        f.message
    );
    let f = one(run_findings(&failed("submodule_not_found", "3.13"), &flight_of("submodule_not_found"), None, None));
    assert_eq!(f.subject, "json.nope");
    assert!(f.message.contains("standard library"), "{}", f.message);
}

#[test]
fn a_key_error_says_why_the_variable_was_missing() {
    use crate::flight::{ParamValue, SecretDef, SecretParam};
    let run = failed("key_error_environ", "3.13");
    // An attached secret whose params are unknown: the variable it would make.
    let mut flight = flight_of("key_error_environ");
    flight.flight_secret_names = Some(vec![Some("my_api_secret".into())]);
    let f = one(run_findings(&run, &flight, None, None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_key_error", "API_KEY"));
    assert!(f.message.contains("'MY_API_SECRET_API_KEY'"), "{}", f.message);
    // Its params known: the bare param, named prefixed.
    let param = SecretParam { key: "API_KEY".into(), value: ParamValue::KeyOnly };
    flight.secrets = Some(vec![SecretDef { name: "my_api_secret".into(), params: vec![param.clone()] }]);
    let f = one(run_findings(&run, &flight, None, None));
    assert!(f.message.contains("provides it only as 'MY_API_SECRET_API_KEY'"), "{}", f.message);
    // A described secret that is not attached.
    flight.flight_secret_names = Some(vec![]);
    let f = one(run_findings(&run, &flight, None, None));
    assert!(f.message.contains("secret 'my_api_secret' has a param 'API_KEY' but is not attached"), "{}", f.message);
    // A config key the stored config has and the run's recorded config lacks.
    let mut flight = flight_of("key_error_environ");
    flight.config = Some(vec![("API_KEY".into(), Some("x".into()))]);
    let run_config = RunRecord { config: Some(vec![("REGION".into(), Some("us".into()))]), ..run.clone() };
    let f = one(run_findings(&run_config, &flight, None, None));
    assert!(f.message.contains("an update dropped it"), "{}", f.message);
    // Without the run's config: this version provides it, so the run used another.
    let f = one(run_findings(&RunRecord { flight_version: Some(2), ..run.clone() }, &flight, None, None));
    assert!(f.message.contains("flight_version is 2"), "{}", f.message);
    // Nothing provides it.
    let f = one(run_findings(&run, &flight_of("key_error_environ"), None, None));
    assert!(f.message.contains("the run has no 'API_KEY'") && f.message.contains("config"), "{}", f.message);
    // A KeyError of a plain dict is an exception, unless the source reads that name from the environment.
    let f = one(run_findings(&failed("key_error_dict", "3.11"), &flight_of("key_error_dict"), None, None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_exception", "KeyError"));
    let scan = crate::flight::source::scan_source("import os\nt = os.environ['table']\n");
    let f = one(run_findings(&failed("key_error_dict", "3.11"), &flight_of("key_error_dict"), Some(&scan), None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_key_error", "table"));
}

#[test]
fn killed_and_exit_codes() {
    let quiet = |code: Option<i64>| RunRecord {
        status: Some("RUN_STATUS_FAILED".into()),
        exit_code: code,
        logs: Some(fixture_log("sys_exit", "3.11")),
        ..RunRecord::default()
    };
    let mut flight = crate::flight::FlightSpec { instance_type: Some("F16".into()), ..Default::default() };
    for code in [Some(137), Some(-9), None] {
        let f = one(run_findings(&quiet(code), &flight, None, None));
        assert_eq!(f.code.as_str(), "run_killed", "{code:?}");
        assert!(f.message.contains("F16 (16 GB)"), "{}", f.message);
    }
    flight.instance_type = None;
    let f = one(run_findings(&quiet(Some(137)), &flight, None, None));
    assert!(f.message.contains("F4 4 GB, F16 16 GB, F32 32 GB"), "{}", f.message);
    let f = one(run_findings(&quiet(Some(3)), &flight, None, None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_exit_nonzero", "3"));
    assert!(f.message.contains("sys.exit(3)"), "{}", f.message);
    assert!(!f.message.contains("validation"), "no log text: {}", f.message);
}

#[test]
fn exceptions_name_the_source_line_and_nothing_of_the_message() {
    let f = one(run_findings(&failed("chained_context", "3.12"), &flight_of("chained_context"), None, None));
    assert_eq!((f.code.as_str(), f.subject.as_str()), ("run_exception", "RuntimeError"));
    assert!(
        f.message.contains("line 5 (in parse_port) of the Flight's source: raise RuntimeError(\"...\")"),
        "{}",
        f.message
    );
    assert!(f.message.contains("while handling an earlier exception"), "{}", f.message);
    let f = one(run_findings(&failed("exception_group", "3.13"), &flight_of("exception_group"), None, None));
    assert!(f.message.contains("an exception group of ValueError, ValueError"), "{}", f.message);
    let f = one(run_findings(&failed("syntax_error", "3.12"), &flight_of("syntax_error"), None, None));
    assert_eq!(f.subject, "SyntaxError");
    assert!(f.message.contains("line 2 of the Flight's source: rows = [1, 2, 3"), "{}", f.message);
    // Without the source: the line number only.
    let f = one(run_findings(&failed("library_error", "3.11"), &crate::flight::FlightSpec::default(), None, None));
    assert!(f.message.contains("raised at line 6 (in main) of the Flight's source: fix"), "{}", f.message);
    assert_eq!(redact_literals("x = f'{a}' + \"p=\\\"s3\" # token"), "x = f'...' + \"...\"");
}

#[test]
fn statuses_and_the_canary() {
    let flight = crate::flight::FlightSpec::default();
    let run = |status: &str, code| RunRecord {
        status: Some(status.into()),
        exit_code: code,
        logs: Some(fixture_log("succeeded", "3.11")),
        ..RunRecord::default()
    };
    for status in ["SUCCEEDED", "RUN_STATUS_SUCCEEDED", "pending", "RUNNING", "CANCELLED"] {
        assert_eq!(run_findings(&run(status, Some(0)), &flight, None, None), vec![], "{status}");
    }
    let f = one(run_findings(&run("succeeded", Some(0)), &flight, None, Some(false)));
    assert_eq!((f.code.as_str(), f.severity.as_str()), ("run_succeeded_without_work", "warning"));
    assert_eq!(
        one(run_findings(&run("run_status_failed", Some(137)), &flight, None, None)).code.as_str(),
        "run_killed"
    );
    let no_status = RunRecord { status: None, ..run("", Some(2)) };
    assert_eq!(one(run_findings(&no_status, &flight, None, None)).code.as_str(), "run_exit_nonzero");
    for (script, python, log) in fixtures() {
        let record =
            RunRecord { status: Some("FAILED".into()), exit_code: Some(1), logs: Some(log), ..RunRecord::default() };
        let text = format!("{:?}", run_findings(&record, &flight_of(&script), None, None));
        for canary in ["CANARY", "NOT_A_REAL_KEY", "s3cr3t"] {
            assert!(!text.contains(canary), "{script} on {python}: {text}");
        }
    }
}

#[test]
fn a_cause_gone_from_the_current_version_is_stale() {
    use crate::flight::{FindingCode, FlightSpec};
    let ran = FlightSpec {
        source_code: Some(script_source("module_not_found")),
        requirements_txt: Some("duckdb==1.5.2".into()),
        ..Default::default()
    };
    let findings = run_findings(&failed("module_not_found", "3.12"), &ran, None, None);
    let mut current = FlightSpec {
        requirements_txt: Some("duckdb==1.5.2\nsnowflake-connector-python==3.12.0".into()),
        ..ran.clone()
    };
    fn v(number: i64, spec: &FlightSpec) -> Version<'_> {
        Version { number: Some(number), spec }
    }
    let stale = one(stale_findings(&findings, v(1, &ran), v(2, &current)));
    assert_eq!((stale.code, stale.subject.as_str()), (FindingCode::RunStaleVersion, "snowflake"));
    assert!(stale.message.contains("current version (2)") && stale.message.contains("version 1"), "{}", stale.message);
    assert!(stale.message.contains("now lists 'snowflake-connector-python'"), "{}", stale.message);
    // The same version: nothing is stale. Still missing: nothing.
    assert_eq!(stale_findings(&findings, v(2, &current), v(2, &current)), vec![]);
    current.requirements_txt = Some("duckdb==1.5.2".into());
    assert_eq!(stale_findings(&findings, v(1, &ran), v(2, &current)), vec![]);
    // Required now, with the current source importing it no more: the requirement is the reason.
    let required = FlightSpec {
        source_code: Some("print(1)\n".into()),
        requirements_txt: Some("snowflake-connector-python==3.12.0".into()),
        ..Default::default()
    };
    assert!(one(stale_findings(&findings, v(1, &ran), v(2, &required))).message.contains("now lists"));
    let unimported = FlightSpec { source_code: Some("print(1)\n".into()), ..Default::default() };
    let f = one(stale_findings(&findings, v(1, &ran), v(2, &unimported)));
    assert!(f.message.contains("its source no longer imports 'snowflake'"), "{}", f.message);
    // A key now provided, or no longer read.
    let ran = flight_of("key_error_environ");
    let findings = run_findings(&failed("key_error_environ", "3.11"), &ran, None, None);
    let provided = FlightSpec { config: Some(vec![("API_KEY".into(), Some("x".into()))]), ..ran.clone() };
    assert!(one(stale_findings(&findings, v(1, &ran), v(2, &provided))).message.contains("its run now has 'API_KEY'"));
    let rewritten =
        FlightSpec { source_code: Some("import os\nk = os.environ['MY_API_SECRET_API_KEY']\n".into()), ..ran.clone() };
    let f = one(stale_findings(&findings, v(1, &ran), v(2, &rewritten)));
    assert!(f.message.contains("its source no longer reads 'API_KEY'"), "{}", f.message);
    assert_eq!(stale_findings(&findings, v(1, &ran), v(2, &ran)), vec![]);
}
