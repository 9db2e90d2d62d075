//! The Python source scanner (ruff's parser, the stack guard, the walk) on
//! arbitrary text: no panic, the reads of `env_reads` and `scan_source`
//! agree, lines stay in bounds (reads, imports, functions,
//! swallowed failures),
//! and `check_source` holds the reads against no variables and against a
//! typical run environment.

#![no_main]

use flights_helper::flight::env::resolve;
use flights_helper::flight::source::{check_source, env_reads, scan_source};
use flights_helper::flight::{EnvVar, FlightSpec, ParamValue, SecretDef, SecretParam};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Config, an override, secrets (one with a dot in its name), aliases and a placeholder.
fn typical_vars() -> &'static [EnvVar<'static>] {
    static VARS: OnceLock<Vec<EnvVar<'static>>> = OnceLock::new();
    VARS.get_or_init(|| {
        let key = |k: &str| SecretParam { key: k.into(), value: ParamValue::KeyOnly };
        let spec = FlightSpec {
            config: Some(vec![("REGION".into(), Some("us".into())), ("BATCH_SIZE".into(), Some("1000".into()))]),
            override_config: Some(vec![("REGION".into(), Some("eu".into()))]),
            flight_secret_names: Some(vec![Some("my_api_secret".into()), Some("a.b".into())]),
            secrets: Some(vec![
                SecretDef { name: "my_api_secret".into(), params: vec![key("API_KEY"), key("ENDPOINT")] },
                SecretDef { name: "a.b".into(), params: vec![key("API_KEY"), key("c")] },
            ]),
            bare_aliases: Some(true),
            ..Default::default()
        };
        let mut vars = resolve(&spec).into_owned().vars;
        let unknown = FlightSpec { flight_secret_names: Some(vec![Some("other".into())]), ..Default::default() };
        vars.extend(resolve(&unknown).into_owned().vars.into_iter().filter(|v| v.name.ends_with('*')));
        vars
    })
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let scan = scan_source(&source);
    assert_eq!(env_reads(&source), scan.reads);

    let lines = u32::try_from(source.split('\n').count()).unwrap_or(u32::MAX);
    assert!(scan.syntax_errors.len() <= 20);
    for &(line, column) in &scan.syntax_errors {
        assert!(line >= 1 && line <= lines && column >= 1, "syntax error at {line}:{column} of {lines} lines");
    }
    for &(line, _) in &scan.credential_literals {
        assert!(line >= 1 && line <= lines);
    }
    // The facts of the source findings: lines in range, an entry point only when nothing runs.
    for import in &scan.imports {
        assert!(import.line >= 1 && import.line <= lines && !import.module.is_empty(), "{import:?}");
    }
    for function in &scan.functions {
        assert!(function.line >= 1 && function.line <= lines, "{function:?}");
    }
    if let Some(function) = scan.entry_point_missing() {
        assert!(!function.runs && !scan.module_does_work && scan.syntax_errors.is_empty(), "{function:?}");
    }
    for failure in scan.swallowed_failures() {
        assert!(failure.line >= 1 && failure.line <= lines, "{failure:?}");
    }
    for read in &scan.reads {
        assert!(read.line >= 1 && read.line <= lines, "{read:?} of {lines} lines");
    }

    for vars in [&[][..], typical_vars()] {
        let rows = check_source(&scan, vars);
        // Ordered by line (rows without a line last), then name.
        assert!(rows
            .windows(2)
            .all(|w| (w[0].line.is_none(), w[0].line, &w[0].name) <= (w[1].line.is_none(), w[1].line, &w[1].name)));
        let with_line = rows.iter().filter(|r| r.line.is_some()).count();
        assert_eq!(with_line, scan.reads.len() + scan.credential_literals.len() + scan.syntax_errors.len());
    }
});
