//! The environment a Flight run gets, and every finding about the Flight.
//!
//! A run reads `MOTHERDUCK_TOKEN` (from the token labelled `access_token_name`,
//! or the default `MotherDuck Flights` token), every config key under its own
//! name (with a per-run override's values), and every param of each attached
//! Flight secret under `<SECRET NAME>_<PARAM>`. [`resolve`] computes those
//! variables and the findings; `flight_env_preview` raises on the errors,
//! `flight_check` lists them all.
//!
//! Finding codes (stable; README.md lists them with examples):
//!
//! | severity | code | meaning |
//! |---|---|---|
//! | error | `override_unknown_key` | a per-run override sets a key the stored config lacks |
//! | error | `override_null_value` | a per-run override gives a key NULL |
//! | error | `secret_not_defined` | an attached secret is not in `secrets` (dropped or never created) |
//! | error | `null_secret_name` | `flight_secret_names` holds a NULL |
//! | error | `empty_config_key` | a config key is the empty string |
//! | error | `config_key_has_equals` | a config key holds `=` |
//! | error | `config_key_has_nul` | a config key holds a NUL byte |
//! | error | `config_value_has_nul` | a config value holds a NUL byte |
//! | error | `reserved_config_key` | a config key is a name MotherDuck sets itself |
//! | error | `null_config_value` | a config value is NULL |
//! | error | `secret_without_params` | an attached secret has no params |
//! | error | `empty_param_key` | a secret param key is empty (or NULL) |
//! | error | `null_param_value` | a secret param value is NULL |
//! | error | `secret_var_reserved` | a secret param becomes a name MotherDuck sets itself |
//! | error | `unknown_secret_naming` | `secret_naming` is neither `upper` nor `lower` |
//! | warning | `secret_var_clash` | two attached secrets set the same variable; the last wins |
//! | warning | `ambiguous_secret_name` | two different secret/param pairs spell the same variable |
//! | warning | `secret_shadows_config` | a secret variable has the name of a config key |
//! | warning | `credential_in_config` | a config entry is named or shaped like a credential |
//! | warning | `shell_unfriendly_key` | a config key is not a valid shell variable name |
//! | warning | `secret_attached_twice` | `flight_secret_names` lists a secret twice |
//! | warning | `empty_param_value` | a secret param value is the empty string |
//! | info | `default_token` | no `access_token_name`: the run uses the default token |
//! | info | `empty_config_value` | a config value is the empty string |
//! | info | `lower_case_param_key` | a secret param key has lower-case letters |
//! | info | `secret_names_from_secrets` | no `flight_secret_names`: every secret in `secrets` is attached |
//! | info | `secret_params_unknown` | an attached secret's params are unknown (no `secrets`) |
//! | info | `bare_alias_skipped` | `bare_aliases`: a param's bare name is not emitted, and why |

use super::config::{null_override_value, pairs, unknown_override_key};
use super::credentials::{credential_kind, key_names_credential};
use super::{
    quoted, EnvSource, EnvVar, Finding, FlightSpec, ParamValue, SecretDef, SecretNaming, Severity, DEFAULT_TOKEN_NAME,
    REDACTED, RESERVED_NAMES,
};
use std::collections::{HashMap, HashSet};

/// The variables of a run, ordered by name (names unique), and the findings,
/// errors first, then warnings, then info.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub vars: Vec<EnvVar>,
    pub findings: Vec<Finding>,
}

/// Reads `secret_naming`: absent means `upper`.
pub fn parse_naming(text: Option<&str>) -> Result<SecretNaming, String> {
    match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
        None | Some("upper") => Ok(SecretNaming::Upper),
        Some("lower") => Ok(SecretNaming::Lower),
        Some(_) => Err(format!(
            "unknown secret_naming {}: use 'upper' (MY_API_SECRET_API_KEY, the docs page's rule) \
             or 'lower' (my_api_secret_API_KEY, the name as DuckDB stores it)",
            quoted(text.unwrap_or_default())
        )),
    }
}

/// The variable a secret's param becomes: the secret name upper-cased (or
/// lower-cased), `_`, then the param key with its case kept.
pub fn secret_env_name(secret_name: &str, param: &str, naming: SecretNaming) -> String {
    let prefix = match naming {
        SecretNaming::Upper => secret_name.to_uppercase(),
        SecretNaming::Lower => secret_name.to_lowercase(),
    };
    format!("{prefix}_{param}")
}

/// The error of `flight_env_preview`: every error finding, one per line.
pub fn error_report(findings: &[Finding]) -> Option<String> {
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    if errors.is_empty() {
        return None;
    }
    let mut report = format!(
        "the described Flight has {} problem{} that MotherDuck would reject or that would fail the run \
         (flight_check lists every finding):",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors {
        report.push_str("\n- ");
        report.push_str(&error.message);
    }
    Some(report)
}

/// Computes the run's environment and every finding. Never fails: problems are findings.
pub fn resolve(spec: &FlightSpec) -> Resolution {
    let mut r = Resolver::default();
    let naming = match parse_naming(spec.secret_naming.as_deref()) {
        Ok(naming) => naming,
        Err(message) => {
            r.finding(
                Severity::Error,
                "unknown_secret_naming",
                spec.secret_naming.clone().unwrap_or_default(),
                message,
            );
            SecretNaming::Upper
        }
    };
    r.token(spec.access_token_name.as_deref());
    r.config(spec);
    r.secrets(spec, naming);
    r.finish()
}

/// One param of an attached secret, on its way to becoming a variable.
struct SecretVar<'s> {
    name: String,
    secret: &'s str,
    key: &'s str,
}

#[derive(Default)]
struct Resolver {
    vars: HashMap<String, EnvVar>,
    findings: Vec<Finding>,
}

impl Resolver {
    fn finding(
        &mut self,
        severity: Severity,
        code: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding::new(severity, code, subject, message));
    }

    fn token(&mut self, label: Option<&str>) {
        let note = match label {
            Some(_) => None,
            None => {
                self.finding(
                    Severity::Info,
                    "default_token",
                    "MOTHERDUCK_TOKEN",
                    "no access_token_name: the run uses the default 'MotherDuck Flights' token and acts as the \
                     Flight owner; scheduled Flights should run as a service account's token \
                     (access_token_name := '<label from md_access_tokens()>')",
                );
                Some("the default 'MotherDuck Flights' token: the run acts as the Flight owner".to_owned())
            }
        };
        let origin = label.unwrap_or(DEFAULT_TOKEN_NAME).to_owned();
        self.vars.insert(
            "MOTHERDUCK_TOKEN".into(),
            EnvVar {
                name: "MOTHERDUCK_TOKEN".into(),
                value: Some(REDACTED.into()),
                source: EnvSource::Token,
                origin,
                sensitive: true,
                note,
            },
        );
    }

    fn config(&mut self, spec: &FlightSpec) {
        let empty = Vec::new();
        let stored = spec.config.as_ref().unwrap_or(&empty);
        for (key, value) in stored {
            self.check_config_entry(key, value.as_deref());
            if key.is_empty() || RESERVED_NAMES.contains(&key.as_str()) {
                continue;
            }
            self.vars.insert(
                key.clone(),
                EnvVar {
                    name: key.clone(),
                    value: value.clone(),
                    source: EnvSource::Config,
                    origin: key.clone(),
                    sensitive: false,
                    note: None,
                },
            );
        }
        let Some(overrides) = &spec.override_config else { return };
        let stored_pairs = pairs(stored);
        let known: HashSet<&str> = stored.iter().map(|(k, _)| k.as_str()).collect();
        for (key, value) in overrides {
            let subject = key.clone();
            if !known.contains(key.as_str()) {
                self.finding(
                    Severity::Error,
                    "override_unknown_key",
                    subject,
                    unknown_override_key(key, &stored_pairs),
                );
                continue;
            }
            let Some(value) = value else {
                self.finding(Severity::Error, "override_null_value", subject, null_override_value(key));
                continue;
            };
            if let Some(var) = self.vars.get_mut(key) {
                var.note = Some(match &var.value {
                    Some(old) if old == value => "per-run override, same as the stored value".to_owned(),
                    Some(old) => format!("per-run override of the stored value {}", quoted(old)),
                    None => "per-run override of a NULL stored value".to_owned(),
                });
                var.value = Some(value.clone());
                var.source = EnvSource::Override;
            }
        }
    }

    fn check_config_entry(&mut self, key: &str, value: Option<&str>) {
        let k = quoted(key);
        if key.is_empty() {
            self.finding(
                Severity::Error,
                "empty_config_key",
                key,
                "config has an empty key: an environment variable needs a name; remove the entry or name it",
            );
            return;
        }
        if key.contains('=') {
            self.finding(
                Severity::Error,
                "config_key_has_equals",
                key,
                format!("config key {k} holds '=': an environment variable name cannot contain '='; rename the key"),
            );
        }
        if key.contains('\0') {
            self.finding(
                Severity::Error,
                "config_key_has_nul",
                key,
                format!("config key {k} holds a NUL byte: an environment variable name cannot; rename the key"),
            );
        }
        if RESERVED_NAMES.contains(&key) {
            self.finding(
                Severity::Error,
                "reserved_config_key",
                key,
                format!(
                    "config key {k} is a name MotherDuck sets itself for every run ({}); rename the key",
                    RESERVED_NAMES.join(", ")
                ),
            );
        }
        match value {
            None => self.finding(Severity::Error, "null_config_value", key, format!("config key {k} has a NULL value: config values are strings; give one ('' for an empty value) or remove the key")),
            Some(v) if v.contains('\0') => self.finding(Severity::Error, "config_value_has_nul", key, format!("the value of config key {k} holds a NUL byte, which an environment variable cannot; remove it")),
            Some("") => self.finding(Severity::Info, "empty_config_value", key, format!("config key {k} is empty: if that is not intended, note that a Flight created before per-run overrides shipped may report empty config values until it is updated once (MD_UPDATE_FLIGHT redeploys it)")),
            Some(_) => {}
        }
        let shaped = value.and_then(credential_kind);
        if key_names_credential(key) || shaped.is_some() {
            let why = match shaped {
                Some(kind) => format!("its value is shaped like a credential: {kind}"),
                None => "its name says it holds a credential".to_owned(),
            };
            self.finding(
                Severity::Warning,
                "credential_in_config",
                key,
                format!(
                "config key {k} looks like a credential ({why}): config is readable by anyone who can read the Flight; \
                 move it into a Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) \
                 and attach it with flight_secret_names"),
            );
        }
        let mut chars = key.chars();
        let shell_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !shell_ok {
            self.finding(Severity::Warning, "shell_unfriendly_key", key, format!(
                "config key {k} is not a valid shell variable name ([A-Za-z_][A-Za-z0-9_]*): Python's os.environ reads it, \
                 but a shell or subprocess cannot; prefer upper-case letters, digits and underscores"));
        }
    }

    fn attached<'s>(&mut self, spec: &'s FlightSpec) -> Vec<&'s str> {
        let mut attached: Vec<&'s str> = Vec::new();
        match (&spec.flight_secret_names, &spec.secrets) {
            (Some(names), _) => {
                for (i, name) in names.iter().enumerate() {
                    match name {
                        None => self.finding(Severity::Error, "null_secret_name", format!("flight_secret_names[{}]", i + 1),
                            format!("flight_secret_names[{}] is NULL: list the names of Flight secrets (CREATE SECRET ... TYPE FLIGHTS), or drop the entry", i + 1)),
                        Some(name) if attached.contains(&name.as_str()) => self.finding(Severity::Warning, "secret_attached_twice", name.as_str(),
                            format!("flight_secret_names lists secret {} more than once; list each secret once", quoted(name))),
                        Some(name) => attached.push(name),
                    }
                }
            }
            (None, Some(defs)) => {
                attached.extend(defs.iter().map(|d| d.name.as_str()));
                if !attached.is_empty() {
                    self.finding(
                        Severity::Info,
                        "secret_names_from_secrets",
                        "flight_secret_names",
                        "no flight_secret_names given: every secret in secrets is treated as attached, in map order \
                         (a Flight only gets the secrets named in its flight_secret_names)",
                    );
                }
            }
            (None, None) => {}
        }
        attached
    }

    fn secrets(&mut self, spec: &FlightSpec, naming: SecretNaming) {
        let attached = self.attached(spec);
        let mut candidates: Vec<SecretVar> = Vec::new();
        for name in attached {
            let Some(defs) = &spec.secrets else {
                self.placeholder(name, naming);
                continue;
            };
            let def: Option<&SecretDef> = defs
                .iter()
                .find(|d| d.name == name)
                .or_else(|| defs.iter().find(|d| d.name.to_lowercase() == name.to_lowercase()));
            let Some(def) = def else {
                self.finding(Severity::Error, "secret_not_defined", name, format!(
                    "attached secret {} is not defined in secrets: the Flight fails until the secret is created \
                     (CREATE SECRET {} IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) or detached \
                     (MD_UPDATE_FLIGHT with flight_secret_names without it); if it exists, describe it in secrets := MAP {{...}}",
                    quoted(name), name));
                continue;
            };
            if def.params.is_empty() {
                self.finding(
                    Severity::Error,
                    "secret_without_params",
                    name,
                    format!("secret {} has no params: a Flight secret needs a non-empty PARAMS map", quoted(name)),
                );
            }
            for param in &def.params {
                let subject = format!("{name}.{}", param.key);
                if param.key.is_empty() {
                    self.finding(
                        Severity::Error,
                        "empty_param_key",
                        subject,
                        format!("secret {} has an empty (or NULL) param key: every param needs a name", quoted(name)),
                    );
                    continue;
                }
                match &param.value {
                    ParamValue::Null => self.finding(Severity::Error, "null_param_value", subject.clone(), format!(
                        "param {} of secret {} is NULL: a Flight secret's params must have values; recreate the secret with CREATE OR REPLACE SECRET",
                        quoted(&param.key), quoted(name))),
                    ParamValue::Given(v) if v.is_empty() => self.finding(Severity::Warning, "empty_param_value", subject.clone(), format!(
                        "param {} of secret {} is the empty string", quoted(&param.key), quoted(name))),
                    _ => {}
                }
                if param.key.chars().any(char::is_lowercase) {
                    self.finding(Severity::Info, "lower_case_param_key", subject.clone(), format!(
                        "param {} of secret {} has lower-case letters: upper-case keys are the convention, and the key keeps its case in the variable name",
                        quoted(&param.key), quoted(name)));
                }
                candidates.push(SecretVar {
                    name: secret_env_name(name, &param.key, naming),
                    secret: name,
                    key: &param.key,
                });
            }
        }
        self.place_secret_vars(&candidates);
        if spec.bare_aliases {
            self.place_aliases(&candidates);
        }
    }

    fn placeholder(&mut self, name: &str, naming: SecretNaming) {
        let var_name = secret_env_name(name, "*", naming);
        self.finding(
            Severity::Info,
            "secret_params_unknown",
            name,
            format!(
            "the params of attached secret {} are unknown, so its variables ({var_name}) cannot be listed or checked; \
             pass secrets := MAP {{'{name}': ['PARAM', ...]}}", quoted(name)),
        );
        self.vars.insert(
            var_name.clone(),
            EnvVar {
                name: var_name,
                value: None,
                source: EnvSource::Secret,
                origin: format!("{name}.*"),
                sensitive: true,
                note: Some(format!("params unknown: pass secrets := MAP {{'{name}': ['PARAM', ...]}} to list them")),
            },
        );
    }

    /// Places the prefixed variables: the last secret wins a clash.
    fn place_secret_vars(&mut self, candidates: &[SecretVar]) {
        let mut by_name: HashMap<&str, Vec<&SecretVar>> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for c in candidates {
            let entry = by_name.entry(&c.name).or_default();
            if entry.is_empty() {
                order.push(&c.name);
            }
            entry.push(c);
        }
        for name in order {
            let all = &by_name[name];
            let Some((winner, losers)) = all.split_last() else { continue };
            if RESERVED_NAMES.contains(&name) {
                self.finding(
                    Severity::Error,
                    "secret_var_reserved",
                    name,
                    format!(
                    "param {} of secret {} becomes {}, a name MotherDuck sets itself; rename the param or the secret",
                    quoted(winner.key), quoted(winner.secret), quoted(name)),
                );
                continue;
            }
            let mut notes = Vec::new();
            for loser in losers {
                let (code, message) = if loser.key == winner.key {
                    (
                        "secret_var_clash",
                        format!(
                            "secrets {} and {} both set {}: the last secret in flight_secret_names wins, so {} is used",
                            quoted(loser.secret),
                            quoted(winner.secret),
                            quoted(name),
                            quoted(winner.secret)
                        ),
                    )
                } else {
                    ("ambiguous_secret_name", format!(
                        "{} (secret {}, param {}) and {} (secret {}, param {}) spell the same variable {}: rename one; the last one attached wins",
                        quoted(&format!("{}.{}", loser.secret, loser.key)), quoted(loser.secret), quoted(loser.key),
                        quoted(&format!("{}.{}", winner.secret, winner.key)), quoted(winner.secret), quoted(winner.key), quoted(name)))
                };
                self.finding(Severity::Warning, code, name, message);
                notes.push(format!(
                    "also set by {}.{}, which loses: the last secret in flight_secret_names wins",
                    loser.secret, loser.key
                ));
            }
            if let Some(config) =
                self.vars.get(name).filter(|v| matches!(v.source, EnvSource::Config | EnvSource::Override))
            {
                let source = config.source.as_str();
                self.finding(Severity::Warning, "secret_shadows_config", name, format!(
                    "secret {} sets {}, which is also a config key: which value the run sees is undocumented; rename the config key or the param",
                    quoted(winner.secret), quoted(name)));
                notes.push(format!(
                    "a {source} key of the same name also exists: which one the run sees is undocumented"
                ));
            }
            self.vars.insert(
                name.to_owned(),
                EnvVar {
                    name: name.to_owned(),
                    value: Some(REDACTED.into()),
                    source: EnvSource::Secret,
                    origin: format!("{}.{}", winner.secret, winner.key),
                    sensitive: true,
                    note: (!notes.is_empty()).then(|| notes.join("; ")),
                },
            );
        }
    }

    /// Places the bare param names where safe: not over config, reserved or prefixed names.
    fn place_aliases(&mut self, candidates: &[SecretVar]) {
        let mut winners: Vec<(&str, &SecretVar, Vec<&SecretVar>)> = Vec::new();
        for c in candidates {
            match winners.iter_mut().find(|(key, _, _)| *key == c.key) {
                Some((_, winner, losers)) => {
                    losers.push(*winner);
                    *winner = c;
                }
                None => winners.push((c.key, c, Vec::new())),
            }
        }
        for (key, winner, losers) in winners {
            let skip_reason = if RESERVED_NAMES.contains(&key) {
                Some("it is a name MotherDuck sets itself".to_owned())
            } else {
                self.vars.get(key).map(|existing| match existing.source {
                    EnvSource::Config | EnvSource::Override => "a config key has that name".to_owned(),
                    _ => format!("the variable {} already exists", quoted(key)),
                })
            };
            if let Some(reason) = skip_reason {
                self.finding(
                    Severity::Info,
                    "bare_alias_skipped",
                    key,
                    format!(
                        "bare alias {} of {} is not emitted: {reason}; read {} instead",
                        quoted(key),
                        quoted(&format!("{}.{}", winner.secret, winner.key)),
                        quoted(&winner.name)
                    ),
                );
                continue;
            }
            let note = (!losers.is_empty()).then(|| {
                let names: Vec<String> = losers.iter().map(|l| format!("{}.{}", l.secret, l.key)).collect();
                format!(
                    "bare alias; also a param of {}, which lose{}: among secrets the last wins",
                    names.join(", "),
                    if names.len() == 1 { "s" } else { "" }
                )
            });
            self.vars.insert(
                key.to_owned(),
                EnvVar {
                    name: key.to_owned(),
                    value: Some(REDACTED.into()),
                    source: EnvSource::SecretAlias,
                    origin: format!("{}.{}", winner.secret, winner.key),
                    sensitive: true,
                    note,
                },
            );
        }
    }

    fn finish(self) -> Resolution {
        let mut vars: Vec<EnvVar> = self.vars.into_values().collect();
        vars.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        let mut findings = self.findings;
        findings.sort_by_key(|f| f.severity);
        Resolution { vars, findings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::SecretParam;

    fn config(entries: &[(&str, Option<&str>)]) -> Option<crate::flight::ConfigMap> {
        Some(entries.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect())
    }

    fn secret(name: &str, params: &[(&str, ParamValue)]) -> SecretDef {
        SecretDef {
            name: name.into(),
            params: params.iter().map(|(k, v)| SecretParam { key: k.to_string(), value: v.clone() }).collect(),
        }
    }

    fn keys(name: &str, keys: &[&str]) -> SecretDef {
        secret(name, &keys.iter().map(|k| (*k, ParamValue::KeyOnly)).collect::<Vec<_>>())
    }

    fn names(r: &Resolution) -> Vec<&str> {
        r.vars.iter().map(|v| v.name.as_str()).collect()
    }

    fn codes(r: &Resolution) -> Vec<&str> {
        r.findings.iter().map(|f| f.code).collect()
    }

    fn var<'r>(r: &'r Resolution, name: &str) -> &'r EnvVar {
        r.vars.iter().find(|v| v.name == name).unwrap_or_else(|| panic!("no var {name} in {:?}", names(r)))
    }

    #[test]
    fn docs_page_example() {
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("my_api_secret".into())]),
            secrets: Some(vec![keys("my_api_secret", &["API_KEY", "ENDPOINT"])]),
            ..Default::default()
        };
        let r = resolve(&spec);
        assert_eq!(names(&r), ["MOTHERDUCK_TOKEN", "MY_API_SECRET_API_KEY", "MY_API_SECRET_ENDPOINT"]);
        let key = var(&r, "MY_API_SECRET_API_KEY");
        assert_eq!(
            (key.value.as_deref(), key.source, key.origin.as_str(), key.sensitive),
            (Some(REDACTED), EnvSource::Secret, "my_api_secret.API_KEY", true)
        );
        let token = var(&r, "MOTHERDUCK_TOKEN");
        assert_eq!((token.origin.as_str(), token.value.as_deref()), (DEFAULT_TOKEN_NAME, Some(REDACTED)));
        assert_eq!(codes(&r), ["default_token"]);
        assert_eq!(error_report(&r.findings), None);
    }

    #[test]
    fn lower_naming_keeps_the_key_case() {
        assert_eq!(secret_env_name("My_Api_Secret", "API_key", SecretNaming::Lower), "my_api_secret_API_key");
        assert_eq!(secret_env_name("my_api_secret", "API_KEY", SecretNaming::Upper), "MY_API_SECRET_API_KEY");
        assert_eq!(parse_naming(Some(" LOWER ")), Ok(SecretNaming::Lower));
        assert!(parse_naming(Some("camel")).unwrap_err().contains("'camel'"));
        let spec = FlightSpec {
            secrets: Some(vec![keys("s", &["K"])]),
            secret_naming: Some("lower".into()),
            ..Default::default()
        };
        assert!(names(&resolve(&spec)).contains(&"s_K"));
    }

    #[test]
    fn config_and_override_rows() {
        let spec = FlightSpec {
            config: config(&[("REGION", Some("us")), ("BATCH_SIZE", Some("1000"))]),
            override_config: config(&[("REGION", Some("eu"))]),
            access_token_name: Some("flights-prod".into()),
            ..Default::default()
        };
        let r = resolve(&spec);
        assert_eq!(names(&r), ["BATCH_SIZE", "MOTHERDUCK_TOKEN", "REGION"]);
        let region = var(&r, "REGION");
        assert_eq!((region.value.as_deref(), region.source), (Some("eu"), EnvSource::Override));
        assert!(region.note.as_deref().unwrap().contains("'us'"));
        assert_eq!(var(&r, "BATCH_SIZE").source, EnvSource::Config);
        assert_eq!(var(&r, "MOTHERDUCK_TOKEN").origin, "flights-prod");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let spec = FlightSpec {
            config: config(&[
                ("", Some("x")),
                ("A=B", Some("1")),
                ("N\0UL", Some("1")),
                ("MOTHERDUCK_TOKEN", Some("1")),
                ("NULLV", None),
                ("V", Some("a\0b")),
            ]),
            override_config: config(&[("REGON", Some("eu")), ("NULLV", None)]),
            flight_secret_names: Some(vec![Some("missing".into()), None, Some("empty".into()), Some("bad".into())]),
            secrets: Some(vec![
                keys("empty", &[]),
                secret("bad", &[("", ParamValue::KeyOnly), ("K", ParamValue::Null)]),
            ]),
            secret_naming: Some("camel".into()),
            ..Default::default()
        };
        let r = resolve(&spec);
        let errors: Vec<&str> = r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect();
        for code in [
            "unknown_secret_naming",
            "empty_config_key",
            "config_key_has_equals",
            "config_key_has_nul",
            "reserved_config_key",
            "null_config_value",
            "config_value_has_nul",
            "override_unknown_key",
            "override_null_value",
            "secret_not_defined",
            "null_secret_name",
            "secret_without_params",
            "empty_param_key",
            "null_param_value",
        ] {
            assert!(errors.contains(&code), "{code} missing from {errors:?}");
        }
        let report = error_report(&r.findings).unwrap();
        assert_eq!(report.lines().count(), errors.len() + 1);
        assert!(!report.contains('\0'));
        // Errors come first.
        let first_non_error = r.findings.iter().position(|f| f.severity != Severity::Error).unwrap_or(r.findings.len());
        assert_eq!(first_non_error, errors.len());
    }

    #[test]
    fn last_secret_wins_a_clash() {
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("a".into()), Some("b".into())]),
            secrets: Some(vec![keys("a", &["X_KEY"]), keys("b", &["X_KEY"]), keys("a_x", &["KEY"])]),
            ..Default::default()
        };
        let r = resolve(&spec);
        assert_eq!(var(&r, "A_X_KEY").origin, "a.X_KEY");
        assert!(codes(&r).is_empty() || !codes(&r).contains(&"secret_var_clash"));
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("one".into()), Some("two".into())]),
            secrets: Some(vec![keys("one", &["K"]), keys("two", &["K"])]),
            secret_naming: Some("lower".into()),
            ..Default::default()
        };
        // Different secrets never share a prefix unless their names match: use a case clash.
        let r = resolve(&FlightSpec {
            flight_secret_names: Some(vec![Some("s".into()), Some("S".into())]),
            secrets: Some(vec![keys("s", &["K"]), keys("S", &["K"])]),
            ..spec
        });
        let k = var(&r, "s_K");
        assert_eq!(k.origin, "S.K");
        assert!(k.note.as_deref().unwrap().contains("s.K, which loses"));
        assert!(codes(&r).contains(&"secret_var_clash"));
    }

    #[test]
    fn ambiguous_prefixes_are_reported() {
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("a".into()), Some("a_b".into())]),
            secrets: Some(vec![keys("a", &["B_C"]), keys("a_b", &["C"])]),
            ..Default::default()
        };
        let r = resolve(&spec);
        assert_eq!(var(&r, "A_B_C").origin, "a_b.C");
        assert!(codes(&r).contains(&"ambiguous_secret_name"));
    }

    #[test]
    fn secret_over_config_is_reported_and_names_stay_unique() {
        let spec = FlightSpec {
            config: config(&[("S_K", Some("plain"))]),
            secrets: Some(vec![keys("s", &["K"])]),
            ..Default::default()
        };
        let r = resolve(&spec);
        assert_eq!(names(&r), ["MOTHERDUCK_TOKEN", "S_K"]);
        assert_eq!(var(&r, "S_K").source, EnvSource::Secret);
        assert!(codes(&r).contains(&"secret_shadows_config"));
        assert!(codes(&r).contains(&"secret_names_from_secrets"));
    }

    #[test]
    fn bare_aliases_where_safe() {
        let spec = FlightSpec {
            config: config(&[("ENDPOINT", Some("x"))]),
            flight_secret_names: Some(vec![Some("a".into()), Some("b".into()), Some("motherduck".into())]),
            secrets: Some(vec![
                keys("a", &["API_KEY", "ENDPOINT"]),
                keys("b", &["API_KEY"]),
                keys("motherduck", &["MOTHERDUCK_TOKEN"]),
            ]),
            bare_aliases: true,
            ..Default::default()
        };
        let r = resolve(&spec);
        let alias = var(&r, "API_KEY");
        assert_eq!((alias.source, alias.origin.as_str()), (EnvSource::SecretAlias, "b.API_KEY"));
        assert!(alias.note.as_deref().unwrap().contains("a.API_KEY"));
        assert_eq!(var(&r, "ENDPOINT").source, EnvSource::Config);
        assert_eq!(r.findings.iter().filter(|f| f.code == "bare_alias_skipped").count(), 2);
        assert_eq!(var(&r, "MOTHERDUCK_TOKEN").source, EnvSource::Token);
    }

    #[test]
    fn unknown_params_give_a_placeholder() {
        let spec = FlightSpec { flight_secret_names: Some(vec![Some("my_api_secret".into())]), ..Default::default() };
        let r = resolve(&spec);
        let placeholder = var(&r, "MY_API_SECRET_*");
        assert_eq!((placeholder.value.as_deref(), placeholder.origin.as_str()), (None, "my_api_secret.*"));
        assert!(placeholder.note.as_deref().unwrap().contains("secrets :="));
        assert!(codes(&r).contains(&"secret_params_unknown"));
    }

    #[test]
    fn warnings_and_info() {
        let spec = FlightSpec {
            config: config(&[
                ("OPENAI_API_KEY", Some("x")),
                ("URL", Some("sk-abcdefghijklmnopqrstuvwxyz")),
                ("my-key", Some("v")),
                ("EMPTY", Some("")),
            ]),
            flight_secret_names: Some(vec![Some("s".into()), Some("s".into())]),
            secrets: Some(vec![secret("s", &[("lower", ParamValue::Given(String::new()))])]),
            ..Default::default()
        };
        let r = resolve(&spec);
        let c = codes(&r);
        for code in [
            "credential_in_config",
            "shell_unfriendly_key",
            "empty_config_value",
            "secret_attached_twice",
            "empty_param_value",
            "lower_case_param_key",
            "default_token",
        ] {
            assert!(c.contains(&code), "{code} missing from {c:?}");
        }
        assert_eq!(c.iter().filter(|c| **c == "credential_in_config").count(), 2);
        let credential = r.findings.iter().find(|f| f.subject == "URL").unwrap();
        assert!(!credential.message.contains("sk-abc"), "{}", credential.message);
    }

    #[test]
    fn secret_values_never_appear() {
        let spec = FlightSpec {
            config: config(&[("REGION", Some("us"))]),
            flight_secret_names: Some(vec![Some("s".into()), Some("t".into())]),
            secrets: Some(vec![
                secret(
                    "s",
                    &[
                        ("API_KEY", ParamValue::Given("SUPERSECRET-123".into())),
                        ("EMPTY", ParamValue::Given(String::new())),
                    ],
                ),
                secret("t", &[("API_KEY", ParamValue::Given("OTHERSECRET-456".into())), ("N", ParamValue::Null)]),
            ]),
            bare_aliases: true,
            access_token_name: Some("svc".into()),
            ..Default::default()
        };
        let r = resolve(&spec);
        let all = format!("{r:?}");
        assert!(!all.contains("SUPERSECRET") && !all.contains("OTHERSECRET"), "{all}");
    }

    #[test]
    fn large_configs_resolve_linearly() {
        let config: crate::flight::ConfigMap =
            (0..100_000).map(|i| (format!("KEY_{i}"), Some(format!("v{i}")))).collect();
        let secrets: Vec<SecretDef> = (0..100)
            .map(|s| keys(&format!("secret_{s}"), &["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]))
            .collect();
        let r = resolve(&FlightSpec { config: Some(config), secrets: Some(secrets), ..Default::default() });
        assert_eq!(r.vars.len(), 100_000 + 1000 + 1);
        assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name));
    }
}
