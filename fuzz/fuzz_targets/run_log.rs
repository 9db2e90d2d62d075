//! The run log reader and the run findings on arbitrary text: no panic; what
//! the reader keeps of the log (the module of a missing module, the key of a
//! KeyError) is text of the log; an exception's type is a dotted name; a
//! frame's file and function are text of the log; every finding has its
//! code's severity and at most one failure finding is raised per run.

#![no_main]

use flights_helper::flight::run::{read_log, run_findings, stale_findings, RunRecord, Version};
use flights_helper::flight::{FlightSpec, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = read_log(&text);
    if let Some(module) = &facts.missing_module {
        assert!(text.contains(module.as_str()), "module {module:?} is not in the log");
    }
    if let Some(key) = &facts.key_error {
        assert!(text.contains(key.key.as_str()), "key {:?} is not in the log", key.key);
    }
    if facts.exception.is_some() || facts.missing_module.is_some() || facts.key_error.is_some() {
        assert!(facts.traceback);
    }
    if let Some(exception) = &facts.exception {
        assert!(exception.type_name.split('.').all(|p| !p.is_empty()), "{:?}", exception.type_name);
        for frame in &exception.frames {
            assert!(text.contains(frame.file.as_str()) && text.contains(frame.function.as_str()));
        }
    }
    // The log's own text as the Flight's source, so that frame lines find a line.
    let flight = FlightSpec {
        source_code: Some(text.to_string()),
        requirements_txt: Some(text.lines().take(3).collect::<Vec<_>>().join("\n")),
        instance_type: Some("F16".into()),
        ..Default::default()
    };
    for (status, code) in [("FAILED", Some(1)), ("RUN_STATUS_FAILED", None), ("SUCCEEDED", Some(0))] {
        let run = RunRecord { status: Some(status.into()), exit_code: code, logs: Some(text.to_string()), ..Default::default() };
        let found = run_findings(&run, &flight, None, Some(false));
        assert!(found.len() <= 1, "{found:?}");
        assert!(found.iter().all(|f| f.severity == f.code.severity()));
        if status.ends_with("FAILED") {
            assert!(found.iter().all(|f| f.severity == Severity::Error));
        }
        let ran = Version { number: Some(1), spec: &flight };
        let _ = stale_findings(&found, ran, Version { number: Some(2), spec: &FlightSpec::default() });
    }
});
