//! Every finding about one Flight, the whole run checked before it runs:
//! the environment's ([`env::resolve`]), the run config's
//! ([`super::runtime`]), the schedule's ([`super::schedule`]), the
//! requirements' ([`super::requirements`], when the Flight gives
//! `requirements_txt`) and, when it carries its Python source, the rows of
//! `flight_source_check` whose status means trouble, as findings whose code
//! is that status. `flight_check` and `flight_findings` both ask [`findings_with`].
//!
//! | `flight_source_check` status | finding severity |
//! |---|---|
//! | `missing`, `bare_secret_param`, `syntax_error` | error (the run raises or does not start) |
//! | `credential_in_source` | warning |
//! | `unverified`, `dynamic` | info (the read cannot be checked) |
//!
//! `ok`, `missing_optional` and `unused` are not findings.
//!
//! Three more source findings come from the scan's facts, not from a status:
//! `entry_point_missing` (error), `failure_swallowed` (warning) and
//! `inline_script_metadata` (warning: a PEP 723 block, which Flights ignore). MotherDuck
//! runs the source as a plain script (`python main.py`), so it "must end with
//! `if __name__ == \"__main__\": main()`", and its production checklist asks for
//! a non-zero exit on failure so that the run reads FAILED (the Flights guide
//! and the agent guide's checklist and run sequence:
//! `shared/reference/flights-runtime.md`, section 3).

use super::requirements::rules::{duckdb_window, window_shown};
use super::requirements::{self, read_requirements, ImportedName, Requirements};
use super::runtime::runtime_findings;
use super::schedule::{schedule_findings, ScheduleRead};
use super::source::{check_source_where, scan_source, SourceRow, SourceScan, Status};
#[cfg(test)]
use super::Severity;
use super::{env, EnvVar, Error, Finding, FindingCode, FlightSpec};

/// The finding code of a `flight_source_check` status (spelled the same); `None`: not a finding.
pub fn source_status_code(status: Status) -> Option<FindingCode> {
    match status {
        Status::Missing => Some(FindingCode::SourceMissing),
        Status::BareSecretParam => Some(FindingCode::SourceBareSecretParam),
        Status::SyntaxError => Some(FindingCode::SourceSyntaxError),
        Status::CredentialInSource => Some(FindingCode::SourceCredential),
        Status::Unverified => Some(FindingCode::SourceUnverified),
        Status::Dynamic => Some(FindingCode::SourceDynamic),
        Status::Ok | Status::MissingOptional | Status::Unused => None,
    }
}

/// Whether `code` is one of the source codes [`source_status_code`] gives.
pub fn is_source_code(code: FindingCode) -> bool {
    matches!(
        code,
        FindingCode::SourceMissing
            | FindingCode::SourceBareSecretParam
            | FindingCode::SourceSyntaxError
            | FindingCode::SourceCredential
            | FindingCode::SourceUnverified
            | FindingCode::SourceDynamic
            | FindingCode::EntryPointMissing
            | FindingCode::FailureSwallowed
            | FindingCode::InlineScriptMetadata
    )
}

/// The findings of the scan's facts: a source whose functions never run,
/// handlers that swallow a failure (subject: the function, or `line N`), and
/// a PEP 723 block Flights ignore (subject: `line N`; with or without `requirements_txt`).
pub fn entry_findings(scan: &SourceScan) -> impl Iterator<Item = Finding> + '_ {
    let missing = scan.entry_point_missing().map(|function| {
        let name = &function.name;
        Finding::new(
            FindingCode::EntryPointMissing,
            name.clone(),
            format!(
                "the source defines {name}() (line {}) but no module-level statement runs it or any other function it \
                 defines: MotherDuck runs the source as a plain script, so the run exits 0 having done nothing; end the \
                 source with `if __name__ == \"__main__\": {name}()`",
                function.line
            ),
        )
    });
    let swallowed = scan.swallowed_failures().iter().map(|failure| {
        let (subject, place) = match &failure.function {
            Some(function) => (function.clone(), format!("in {function}()")),
            None => (format!("line {}", failure.line), "at module level".to_owned()),
        };
        Finding::new(
            FindingCode::FailureSwallowed,
            subject,
            format!(
                "the except at line {} {place} catches {} and nothing after it raises or exits non-zero: a failed run \
                 reports SUCCEEDED; re-raise (`raise`) or call `sys.exit(1)` once the failure is recorded",
                failure.line, failure.catches
            ),
        )
    });
    let inline = scan.inline_metadata.map(|line| {
        Finding::new(
            FindingCode::InlineScriptMetadata,
            format!("line {line}"),
            format!(
                "line {line} starts a PEP 723 '# /// script' block: Flights install requirements_txt only and ignore \
                 inline script metadata, so move its dependencies to requirements_txt (pinned)"
            ),
        )
    });
    missing.into_iter().chain(swallowed).chain(inline)
}

/// The source rows that mean trouble, as findings (in the rows' order).
pub fn source_findings(rows: Vec<SourceRow>) -> impl Iterator<Item = Finding> {
    rows.into_iter().filter_map(|row| {
        let code = source_status_code(row.status)?;
        let subject = match (row.name.as_str(), row.line) {
            ("" | "(literal)", Some(line)) => format!("line {line}"),
            (name, _) => name.to_owned(),
        };
        Some(Finding::new(code, subject, row.message))
    })
}

/// What a Flight's texts tell, each read once per distinct text by a caller
/// that caches ([`ContentCache`](crate::flight::cache::ContentCache)); a text
/// not read here is read by [`findings_with`] itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reads<'a> {
    /// The scan of `source_code`.
    pub scan: Option<&'a SourceScan>,
    /// The read of `requirements_txt`.
    pub requirements: Option<&'a Requirements>,
    /// The read of `schedule_cron`.
    pub schedule: Option<&'a ScheduleRead>,
}

/// Every finding about a Flight: the environment's, the run config's, the
/// schedule's, the requirements' and the source's (errors, then warnings,
/// then info; each severity keeps the environment's first). `Err` only for a
/// `duckdb_window` that is not a PEP 440 specifier (the caller's mistake).
pub fn findings(spec: &FlightSpec) -> Result<Vec<Finding>, Error> {
    findings_with(spec, Reads::default())
}

/// [`findings`] with texts already read (`scan_source`, `read_requirements`,
/// or a cache's), so that rows sharing one text (the versions of a Flight) read it once.
pub fn findings_with(spec: &FlightSpec, reads: Reads) -> Result<Vec<Finding>, Error> {
    // Only the source's rules read the variables (in order).
    let resolution = if spec.source_code.is_some() || reads.scan.is_some() {
        env::resolve(spec)
    } else {
        env::resolve_unsorted(spec)
    };
    // The findings are moved out of the resolution, not copied.
    with_other_findings(resolution.findings, spec, &resolution.vars, reads)
}

/// [`findings`] of a Flight already resolved (`env::resolve`).
pub fn findings_of(spec: &FlightSpec, resolution: &env::Resolution, reads: Reads) -> Result<Vec<Finding>, Error> {
    with_other_findings(resolution.findings.clone(), spec, &resolution.vars, reads)
}

/// `findings` (a resolution's) followed by every other rule's, the source's held against `vars`.
fn with_other_findings(
    mut findings: Vec<Finding>,
    spec: &FlightSpec,
    vars: &[EnvVar],
    reads: Reads,
) -> Result<Vec<Finding>, Error> {
    let before = findings.len();
    findings.extend(runtime_findings(spec));
    let cron = spec.schedule_cron.as_deref();
    match (reads.schedule, cron) {
        (Some(read), Some(text)) => findings.extend(read.findings(text, spec.max_runtime_sec)),
        _ => findings.extend(schedule_findings(cron, spec.max_runtime_sec)),
    }
    let scanned;
    let scan = match (reads.scan, &spec.source_code) {
        (Some(scan), _) => Some(scan),
        (None, Some(code)) => {
            scanned = scan_source(code);
            Some(&scanned)
        }
        (None, None) => None,
    };
    findings.extend(requirement_rules(spec, reads.requirements, scan)?);
    if let Some(scan) = scan {
        // Only the rows that become findings are made.
        let rows = check_source_where(scan, vars, |status| source_status_code(status).is_some());
        findings.extend(source_findings(rows));
        findings.extend(entry_findings(scan));
    }
    if findings.len() > before {
        // Stable: each severity keeps the environment's findings first.
        findings.sort_by_key(|f| f.severity);
    }
    Ok(findings)
}

/// The requirement rules, when the Flight gives `requirements_txt` (an absent
/// one is unknown, not empty: the imports are not held against it).
fn requirement_rules(
    spec: &FlightSpec,
    read: Option<&Requirements>,
    scan: Option<&SourceScan>,
) -> Result<Vec<Finding>, Error> {
    let Some(text) = &spec.requirements_txt else { return Ok(Vec::new()) };
    let owned;
    let reqs = match read {
        Some(reqs) => reqs,
        None => {
            owned = read_requirements(text);
            &owned
        }
    };
    let window_text = spec.duckdb_window.as_deref();
    if scan.is_none() && window_text.is_none() {
        return Ok(reqs.sourceless_findings().to_vec());
    }
    let window = duckdb_window(window_text)?;
    let imports = imported_names(scan);
    Ok(requirements::rules::findings(reqs, &imports, &window, &window_shown(window_text)))
}

/// The source's imports, as the requirement rules take them (no scan: none).
pub fn imported_names(scan: Option<&SourceScan>) -> Vec<ImportedName<'_>> {
    scan.map_or(&[][..], |scan| &scan.imports)
        .iter()
        .map(|i| ImportedName { module: &i.module, names: &i.names, line: i.line, optional: i.optional })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::{ParamValue, SecretDef, SecretParam};

    #[test]
    fn without_source_the_findings_are_flight_checks() {
        let spec = FlightSpec {
            config: Some(vec![("GITHUB_TOKEN".into(), Some("x".into()))]),
            flight_secret_names: Some(vec![Some("gone".into())]),
            ..Default::default()
        };
        assert_eq!(findings(&spec).unwrap(), env::resolve(&spec).findings);
    }

    #[test]
    fn source_troubles_become_findings() {
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("my_api_secret".into())]),
            secrets: Some(vec![SecretDef {
                name: "my_api_secret".into(),
                params: vec![SecretParam { key: "API_KEY".into(), value: ParamValue::KeyOnly }],
            }]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        };
        let code = "import os\nk = os.environ['API_KEY']\nr = os.environ['REGION']\nt = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'\n\
                    o = os.environ.get('OPT')\ndef f(:\n";
        let found = findings(&FlightSpec { source_code: Some(code.into()), ..spec }).unwrap();
        let got: Vec<_> = found.iter().map(|f| (f.severity, f.code.as_str(), f.subject.as_str())).collect();
        assert!(got.contains(&(Severity::Error, "bare_secret_param", "API_KEY")), "{got:?}");
        assert!(got.contains(&(Severity::Error, "missing", "REGION")), "{got:?}");
        assert!(got.contains(&(Severity::Warning, "credential_in_source", "line 4")), "{got:?}");
        assert!(got.iter().any(|g| g.1 == "syntax_error"), "{got:?}");
        assert!(!got.iter().any(|g| g.2 == "OPT" || g.1 == "unused" || g.1 == "ok"), "{got:?}");
        assert!(found.windows(2).all(|w| w[0].severity <= w[1].severity));
        assert!(!format!("{found:?}").contains("ghp_abc"));
    }

    #[test]
    fn inline_metadata_is_raised_with_or_without_requirements() {
        let code = "# /// script\n# dependencies = ['requests']\n# ///\nimport os\nprint(os.getcwd())\n";
        for requirements in [None, Some("requests==2.32.3\n")] {
            let spec = FlightSpec {
                source_code: Some(code.into()),
                requirements_txt: requirements.map(str::to_owned),
                ..Default::default()
            };
            let found = findings(&spec).unwrap();
            let inline: Vec<_> = found.iter().filter(|f| f.code == FindingCode::InlineScriptMetadata).collect();
            assert_eq!(inline.len(), 1, "{requirements:?}: {found:?}");
            assert_eq!((inline[0].severity, inline[0].subject.as_str()), (Severity::Warning, "line 1"));
            assert_eq!(scan_source(code).inline_metadata, Some(1));
        }
        let plain = FlightSpec { source_code: Some("import os\nprint(1)\n".into()), ..Default::default() };
        assert!(findings(&plain).unwrap().iter().all(|f| f.code != FindingCode::InlineScriptMetadata));
    }

    #[test]
    fn statuses_that_are_not_trouble() {
        for status in [Status::Ok, Status::MissingOptional, Status::Unused] {
            assert_eq!(source_status_code(status), None);
        }
        for status in [Status::Missing, Status::BareSecretParam, Status::SyntaxError, Status::CredentialInSource] {
            let code = source_status_code(status).expect("a trouble status");
            assert_eq!(code.as_str(), status.as_str(), "the code is spelled as the status");
            assert!(is_source_code(code));
        }
    }

    /// Property: over random Flights and sources, a row's findings are
    /// flight_check's findings (same order) plus only source findings, sorted by
    /// severity, never holding a secret value.
    #[test]
    fn findings_are_flight_checks_plus_the_sources() {
        use crate::flight::properties::Rng;
        const KEYS: &[&str] =
            &["REGION", "API_KEY", "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "", "A=B", "MOTHERDUCK_TOKEN"];
        const NAMES: &[&str] = &["s", "aws", "gone", "S"];
        const SOURCES: &[&str] = &[
            "import os\nx = os.environ['REGION']\n",
            "import os\nk = os.environ['API_KEY']\nt = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'\n",
            "import os\ndef f(:\n",
            "import os\nv = os.environ[name]\nw = os.environ.get('S_API_KEY')\n",
            "",
        ];
        let mut rng = Rng(0x5eed_1234_abcd);
        for round in 0..2000 {
            let pick_map = |rng: &mut Rng| -> crate::flight::ConfigMap {
                (0..rng.below(4)).map(|i| (rng.pick(KEYS).to_owned(), (i % 3 != 0).then(|| "v".to_owned()))).collect()
            };
            let config = pick_map(&mut rng);
            let override_config = pick_map(&mut rng);
            let spec = FlightSpec {
                config: (rng.below(3) > 0).then_some(config),
                override_config: (rng.below(3) == 0).then_some(override_config),
                flight_secret_names: (rng.below(2) == 0)
                    .then(|| (0..rng.below(3)).map(|_| Some(rng.pick(NAMES).to_owned())).collect()),
                secrets: (rng.below(2) == 0).then(|| {
                    vec![SecretDef {
                        name: rng.pick(NAMES).to_owned(),
                        params: vec![SecretParam {
                            key: rng.pick(KEYS).to_owned(),
                            value: ParamValue::Given(format!("CANARY-{round}")),
                        }],
                    }]
                }),
                access_token_name: (rng.below(2) == 0).then(|| "svc".to_owned()),
                secret_naming: [None, Some("lower"), Some("x")][rng.below(3)].map(str::to_owned),
                bare_aliases: Some(rng.below(2) == 0),
                schedule_cron: (rng.below(2) == 0).then(|| "0 6 * * *".to_owned()),
                ..Default::default()
            };
            let source = (rng.below(2) == 0).then(|| rng.pick(SOURCES));
            let check = env::resolve(&spec).findings;
            let found = findings(&FlightSpec { source_code: source.map(str::to_owned), ..spec.clone() }).unwrap();
            assert!(found.windows(2).all(|w| w[0].severity <= w[1].severity), "{spec:?}");
            assert!(!format!("{found:?}").contains("CANARY"), "{spec:?}");
            let (from_check, from_source): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| !is_source_code(f.code));
            assert_eq!(from_check, check, "{spec:?}");
            assert!(source.is_some() || from_source.is_empty());
        }
    }
}
