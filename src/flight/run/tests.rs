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
