use super::*;
use serde_json::json;

fn fixture(name: &str) -> Value {
    let path = format!("{}/test/fixtures/mcp/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(value["_doc"].as_str().is_some_and(|d| d.starts_with("https://motherduck.com/docs/")), "{name}");
    value["result"].take()
}

#[test]
fn the_older_shape() {
    let log = parse_run_log(&fixture("get_flight_run_logs.json")).unwrap();
    assert_eq!((log.run_number, log.flight_version, log.exit_code), (Some(1), Some(1), Some(1)));
    assert_eq!((log.status.as_deref(), log.truncated, log.config.as_ref()), (Some("FAILED"), Some(false), None));
    let lines: Vec<_> = log.lines().collect();
    assert_eq!(lines.len(), 11, "a trailing newline makes no empty line");
    assert_eq!(lines[0], (1, "starting the sync"));
    assert_eq!(lines[10], (11, "KeyError: 'API_KEY'"));
    // Every documented field of the older shape must be there.
    let mut missing = fixture("get_flight_run_logs.json");
    missing.as_object_mut().unwrap().remove("truncated");
    assert_eq!(parse_run_log(&missing).unwrap_err().message, "field 'truncated' is missing");
    let mut wrong = fixture("get_flight_run_logs.json");
    wrong["logs"] = json!(["a"]);
    assert_eq!(parse_run_log(&wrong).unwrap_err().message, "field 'logs' is a list, not a string");
}

#[test]
fn the_newer_shape() {
    let log = parse_run_log(&fixture("get_flight_run_logs_newer.json")).unwrap();
    assert_eq!((log.run_number, log.status.as_deref(), log.exit_code), (Some(3), Some("FAILED"), Some(1)));
    assert_eq!(log.config, Some(vec![("REGION".into(), Some("us-west-2".into()))]));
    assert_eq!(log.lines().last(), Some((6, "ModuleNotFoundError: No module named 'snowflake'")));
    // Past the copy's cut: absent reads as NULL.
    let mut cut = fixture("get_flight_run_logs_newer.json");
    cut["run"].as_object_mut().unwrap().remove("status");
    cut["run"].as_object_mut().unwrap().remove("exit_code");
    cut.as_object_mut().unwrap().remove("truncated");
    let log = parse_run_log(&cut).unwrap();
    assert_eq!((log.status, log.exit_code, log.truncated), (None, None, None));
    let mut null_logs = fixture("get_flight_run_logs_newer.json");
    null_logs["logs"] = Value::Null;
    assert_eq!(parse_run_log(&null_logs).unwrap().lines().count(), 0);
}

#[test]
fn statuses_with_and_without_the_prefix() {
    for (given, bare) in [
        ("RUN_STATUS_FAILED", "FAILED"),
        ("FAILED", "FAILED"),
        ("run_status_succeeded", "succeeded"),
        ("RUN_STATUS_", ""),
        ("RUN", "RUN"),
        ("É", "É"),
    ] {
        assert_eq!(bare_run_status(given), bare, "{given}");
    }
    let mut prefixed = fixture("get_flight_run_logs.json");
    prefixed["run"]["status"] = json!("RUN_STATUS_CANCELLED");
    assert_eq!(parse_run_log(&prefixed).unwrap().status.as_deref(), Some("CANCELLED"));
}

#[test]
fn max_bytes_and_names() {
    assert_eq!(check_max_bytes(1024), Ok(1024));
    let err = check_max_bytes(1023).unwrap_err();
    assert!(
        err.kind == crate::motherduck::ErrorKind::BadArgument
            && err.message.starts_with("max_bytes must be at least 1024")
    );
    assert!(check_max_bytes(-1).is_err());
    let origin = "http://logs-test.invalid:1";
    assert_eq!(names_to_try(origin), ["get_flight_run_logs", "get_flight_logs"]);
    remember(origin, "get_flight_logs");
    assert_eq!(names_to_try(origin), ["get_flight_logs", "get_flight_run_logs"]);
    assert_eq!(names_to_try("http://other.invalid:1"), LOGS_TOOLS);
    remember(origin, "get_flight_run_logs");
    assert_eq!(names_to_try(origin), LOGS_TOOLS);
}
