//! `env::resolve` on arbitrary Flight specs: no panic, variable names unique
//! and sorted, findings ordered errors-warnings-info, `error_report` present
//! exactly when there is an error, and no secret value (`ParamValue::Given`)
//! ever shown in a variable or a finding.

#![no_main]

mod common;

use arbitrary::Arbitrary;
use common::{config_map, opt, Text};
use flights_helper::flight::env::{error_report, resolve, Resolution};
use flights_helper::flight::{
    EnvSource, FlightSpec, ParamValue, SecretDef, SecretParam, Severity, REDACTED, RESERVED_NAMES,
};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Value {
    KeyOnly,
    Null,
    Given(Text),
}

#[derive(Debug, Arbitrary)]
struct Secret {
    name: Text,
    params: Vec<(Text, Value)>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    config: Option<Vec<(Text, Option<Text>)>>,
    override_config: Option<Vec<(Text, Option<Text>)>>,
    flight_secret_names: Option<Vec<Option<Text>>>,
    secrets: Option<Vec<Secret>>,
    access_token_name: Option<Text>,
    secret_naming: Option<Text>,
    bare_aliases: bool,
}

impl Input {
    fn spec(self) -> FlightSpec {
        FlightSpec {
            config: self.config.map(config_map),
            override_config: self.override_config.map(config_map),
            flight_secret_names: self.flight_secret_names.map(|names| names.into_iter().map(opt).collect()),
            secrets: self.secrets.map(|secrets| {
                secrets
                    .into_iter()
                    .map(|s| SecretDef {
                        name: s.name.0,
                        params: s
                            .params
                            .into_iter()
                            .map(|(key, value)| SecretParam {
                                key: key.0,
                                value: match value {
                                    Value::KeyOnly => ParamValue::KeyOnly,
                                    Value::Null => ParamValue::Null,
                                    Value::Given(v) => ParamValue::Given(v.0),
                                },
                            })
                            .collect(),
                    })
                    .collect()
            }),
            access_token_name: opt(self.access_token_name),
            secret_naming: opt(self.secret_naming),
            bare_aliases: Some(self.bare_aliases),
            ..Default::default()
        }
    }
}

/// Every text a resolution shows (the origin as its column shows it).
fn shown(r: &Resolution) -> Vec<String> {
    let mut out = Vec::new();
    for var in &r.vars {
        out.extend([var.name.to_string(), var.origin.to_string()]);
        out.extend(var.value.as_deref().map(str::to_owned));
        out.extend(var.note.clone());
    }
    for finding in &r.findings {
        out.extend([finding.subject.clone(), finding.message.clone()]);
    }
    out
}

/// Every text of the spec that is not a secret value (and so may be shown).
fn not_secret(spec: &FlightSpec) -> Vec<&str> {
    let mut out = Vec::new();
    for map in [&spec.config, &spec.override_config].into_iter().flatten() {
        for (k, v) in map {
            out.push(k.as_str());
            out.extend(v.as_deref());
        }
    }
    out.extend(spec.flight_secret_names.iter().flatten().flatten().map(String::as_str));
    for def in spec.secrets.iter().flatten() {
        out.push(def.name.as_str());
        out.extend(def.params.iter().map(|p| p.key.as_str()));
    }
    out.extend(spec.access_token_name.as_deref());
    out.extend(spec.secret_naming.as_deref());
    out
}

/// `FLIGHTS_FUZZ_ALLOW_MULTILINE=1` skips the one-line checks (to fuzz on past a known failure).
fn allow_multiline() -> bool {
    static ALLOW: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ALLOW.get_or_init(|| std::env::var_os("FLIGHTS_FUZZ_ALLOW_MULTILINE").is_some_and(|v| v == "1"))
}

fuzz_target!(|input: Input| {
    let spec = input.spec();
    let r = resolve(&spec);

    // Names unique and sorted.
    assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name), "vars not strictly sorted");
    // The token is always there; sensitive values are never shown.
    assert!(r.vars.iter().any(|v| v.name == "MOTHERDUCK_TOKEN" && v.source == EnvSource::Token));
    for var in &r.vars {
        if var.sensitive {
            assert!(var.value.is_none() || var.value.as_deref() == Some(REDACTED), "{var:?}");
        }
        if var.source != EnvSource::Token {
            assert!(!RESERVED_NAMES.contains(&&*var.name), "reserved name set by {var:?}");
        }
    }
    // Findings: errors first, then warnings, then info.
    assert!(r.findings.windows(2).all(|w| w[0].severity <= w[1].severity), "findings out of order");
    // The report exists exactly when there is an error, and lists each error message.
    let errors: Vec<_> = r.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    let report = error_report(&r.findings);
    assert_eq!(report.is_some(), !errors.is_empty());
    if let Some(report) = &report {
        assert!(errors.iter().all(|e| report.contains(&e.message)));
    }
    // Every message is one line (names are shown with `quoted`), so the report
    // reads as one line per error.
    if !allow_multiline() {
        for f in &r.findings {
            assert!(!f.message.contains(['\n', '\r']), "multi-line {} message: {:?}", f.code, f.message);
        }
        if let Some(report) = &report {
            assert_eq!(report.lines().count(), errors.len() + 1, "report lines: {report:?}");
        }
    }

    // Secret hygiene: a value given for a param never shows, unless the same
    // text is shown anyway (it is also a name or a config value of the spec,
    // or part of the wording the spec gets with its secret values masked).
    let given: Vec<&str> = spec
        .secrets
        .iter()
        .flatten()
        .flat_map(|d| &d.params)
        .filter_map(|p| match &p.value {
            ParamValue::Given(v) if v.len() >= 8 => Some(v.as_str()),
            _ => None,
        })
        .collect();
    if given.is_empty() {
        return;
    }
    let mut masked = spec.clone();
    for param in masked.secrets.iter_mut().flatten().flat_map(|d| &mut d.params) {
        if let ParamValue::Given(v) = &mut param.value {
            if !v.is_empty() {
                *v = "x".into();
            }
        }
    }
    let masked_r = resolve(&masked);
    let masked_shown = shown(&masked_r);
    let masked_report = error_report(&masked_r.findings).unwrap_or_default();
    let allowed = not_secret(&spec);
    let all_shown = shown(&r);
    for secret in given {
        if allowed.iter().any(|t| t.contains(secret))
            || masked_shown.iter().any(|t| t.contains(secret))
            || masked_report.contains(secret)
        {
            continue;
        }
        for text in &all_shown {
            assert!(!text.contains(secret), "secret value {secret:?} shown in {text:?}");
        }
        assert!(!report.as_deref().unwrap_or_default().contains(secret), "secret value {secret:?} in the report");
    }
});
