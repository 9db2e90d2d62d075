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
//! | error | `config_value_has_nul` | a config value (stored or per-run override) holds a NUL byte |
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
//! | warning | `credential_in_config` | a config entry is named like a credential, or its value (stored or per-run override) is shaped like one; the value is never shown |
//! | warning | `shell_unfriendly_key` | a config key is not a valid shell variable name |
//! | warning | `secret_attached_twice` | `flight_secret_names` lists a secret twice |
//! | warning | `empty_param_value` | a secret param value is the empty string |
//! | warning | `duplicate_param_key` | `secrets` lists a param of one secret twice |
//! | info | `default_token` | no `access_token_name`: the run uses the default token |
//! | info | `empty_config_value` | a config value is the empty string |
//! | info | `lower_case_param_key` | a secret param key has lower-case letters |
//! | info | `secret_names_from_secrets` | no `flight_secret_names`: every secret in `secrets` is attached |
//! | info | `secret_params_unknown` | an attached secret's params are unknown (no `secrets`) |
//! | info | `bare_alias_skipped` | `bare_aliases`: a param's bare name is not emitted, and why |
//!
//! Findings never hold a secret param value: `ParamValue::Given` is read only
//! for checks. Names inside messages and notes are escaped to stay on one line.

use super::config::{null_override_value, unknown_override_key, MAX_SUGGESTED_KEYS};
use super::credentials::{credential_kind, key_names_credential};
use super::{
    quoted, EnvSource, EnvVar, Finding, FlightSpec, ParamValue, SecretDef, SecretNaming, Severity, DEFAULT_TOKEN_NAME,
    REDACTED, RESERVED_NAMES,
};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// The variables of a run, ordered by name (names unique), and the findings,
/// errors first, then warnings, then info.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub vars: Vec<EnvVar>,
    pub findings: Vec<Finding>,
}

/// Reads `secret_naming`: absent means `upper`; `upper` and `lower` are
/// accepted in any case, trimmed. Anything else is an error message naming
/// the value and both choices.
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

/// The error of `flight_env_preview`: `None` without an error finding, else a
/// header line counting the errors, then `- <message>` per error, in order.
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

/// Computes the run's environment and every finding. Never fails: problems
/// are findings, and the variables are still computed around them (an
/// unknown `secret_naming` resolves with `upper`). Hash lookups throughout and
/// one sort of the variables by name; the did-you-mean suggestion for an
/// unknown override key costs what `config::suggest_key` costs.
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
    r.findings.extend(super::advice::findings(spec));
    r.finish()
}

/// One param of an attached secret, on its way to becoming a variable.
struct SecretVar<'s> {
    name: String,
    secret: &'s str,
    key: &'s str,
}

/// The described secrets by name: an exact match first, else the first secret
/// whose name matches ignoring case (DuckDB lower-cases unquoted names).
struct SecretIndex<'s> {
    exact: HashMap<&'s str, &'s SecretDef>,
    folded: HashMap<String, &'s SecretDef>,
}

impl<'s> SecretIndex<'s> {
    fn new(defs: &'s [SecretDef]) -> Self {
        let mut exact = HashMap::with_capacity(defs.len());
        let mut folded = HashMap::with_capacity(defs.len());
        for def in defs {
            exact.entry(def.name.as_str()).or_insert(def);
            folded.entry(def.name.to_lowercase()).or_insert(def);
        }
        SecretIndex { exact, folded }
    }

    fn get(&self, name: &str) -> Option<&'s SecretDef> {
        self.exact.get(name).or_else(|| self.folded.get(&name.to_lowercase())).copied()
    }
}

/// At most this many characters of a name are shown inside a message or note.
const SHOWN_CHARS: usize = 200;

/// `text` for a message or note: control characters escaped, `quote` doubled,
/// cut after [`SHOWN_CHARS`] characters, so the text stays one short line.
fn escaped(text: &str, quote: Option<char>) -> String {
    let mut out = String::with_capacity(text.len().min(SHOWN_CHARS) + 3);
    for (i, c) in text.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push_str("...");
            break;
        }
        match c {
            c if Some(c) == quote => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// A name inside a note, unquoted, kept on one line.
fn one_line(text: &str) -> String {
    escaped(text, None)
}

/// A secret name as it would be written in SQL: bare when DuckDB would keep
/// it as is (lower case, digits, `_`), else a quoted identifier.
fn sql_identifier(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars.next().is_some_and(|c| c == '_' || c.is_ascii_lowercase())
        && chars.all(|c| c == '_' || c.is_ascii_lowercase() || c.is_ascii_digit());
    if bare {
        name.to_owned()
    } else {
        format!("\"{}\"", escaped(name, Some('"')))
    }
}

/// A SQL string literal of `text` (quotes doubled), kept on one line.
fn sql_string(text: &str) -> String {
    format!("'{}'", escaped(text, Some('\'')))
}

/// The variables by name. Rows live in a plain vector and the index borrows
/// config keys from the spec, so a config of a million keys costs one small
/// index entry per key and no extra copy of the key.
#[derive(Default)]
struct Vars<'s> {
    rows: Vec<EnvVar>,
    index: HashMap<Cow<'s, str>, usize>,
}

impl<'s> Vars<'s> {
    fn reserve(&mut self, additional: usize) {
        self.rows.reserve(additional);
        self.index.reserve(additional);
    }

    fn get(&self, name: &str) -> Option<&EnvVar> {
        self.index.get(name).and_then(|&i| self.rows.get(i))
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut EnvVar> {
        self.index.get(name).and_then(|&i| self.rows.get_mut(i))
    }

    /// Adds `var` under `name` (its own name), replacing a row of that name.
    fn put(&mut self, name: Cow<'s, str>, var: EnvVar) {
        debug_assert_eq!(name, var.name);
        match self.index.entry(name) {
            Entry::Occupied(slot) => {
                if let Some(row) = self.rows.get_mut(*slot.get()) {
                    *row = var;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(self.rows.len());
                self.rows.push(var);
            }
        }
    }

    /// The rows ordered by name; names are unique by construction.
    fn into_sorted(self) -> Vec<EnvVar> {
        let mut rows = self.rows;
        rows.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        rows
    }
}

#[derive(Default)]
struct Resolver<'s> {
    vars: Vars<'s>,
    findings: Vec<Finding>,
}

impl<'s> Resolver<'s> {
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
        self.vars.put(
            Cow::Borrowed("MOTHERDUCK_TOKEN"),
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

    fn config(&mut self, spec: &'s FlightSpec) {
        let stored: &'s [(String, Option<String>)] = spec.config.as_deref().unwrap_or(&[]);
        // Stored keys that make no row (empty or reserved): still keys an override may set.
        let mut rowless: HashSet<&str> = HashSet::new();
        self.vars.reserve(stored.len());
        for (key, value) in stored {
            self.check_config_entry(key, value.as_deref());
            if key.is_empty() || RESERVED_NAMES.contains(&key.as_str()) {
                rowless.insert(key);
                continue;
            }
            self.vars.put(
                Cow::Borrowed(key),
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
        // The stored value of each override key with a config row, taken before any
        // override applies. Only config rows take an override: the token row never does.
        let mut stored_values: HashMap<&str, Option<String>> = HashMap::with_capacity(overrides.len());
        for (key, _) in overrides {
            if let Some(var) = self.vars.get(key.as_str()).filter(|v| v.source == EnvSource::Config) {
                stored_values.entry(key.as_str()).or_insert_with(|| var.value.clone());
            }
        }
        // One finding per problem, worded by the same functions as
        // `config::override_problems` (and so `flight_validate_override`), but
        // each with its own code and the key as subject.
        let mut stored_pairs = None;
        let mut unknown = 0;
        for (key, value) in overrides {
            let stored_value = stored_values.get(key.as_str());
            if stored_value.is_none() && !rowless.contains(key.as_str()) {
                let stored_pairs = stored_pairs
                    .get_or_insert_with(|| stored.iter().map(|(k, v)| (k.as_str(), v.as_deref())).collect::<Vec<_>>());
                unknown += 1;
                let message = unknown_override_key(key, stored_pairs, unknown <= MAX_SUGGESTED_KEYS);
                self.finding(Severity::Error, "override_unknown_key", key.as_str(), message);
                continue;
            }
            let Some(value) = value else {
                self.finding(Severity::Error, "override_null_value", key.as_str(), null_override_value(key));
                continue;
            };
            let stored_value = stored_value.map(Option::as_deref);
            self.check_override_value(key, value, stored_value.flatten());
            let (Some(stored_value), Some(var)) = (stored_value, self.vars.get_mut(key.as_str())) else { continue };
            var.note = Some(match stored_value {
                Some(old) if old == value => "per-run override, same as the stored value".to_owned(),
                Some(old) => format!("per-run override of the stored value {}", quoted(old)),
                None => "per-run override of a NULL stored value".to_owned(),
            });
            var.value = Some(value.clone());
            var.source = EnvSource::Override;
        }
    }

    /// An override value is config too: every run records it (`MD_LIST_FLIGHT_RUNS`).
    fn check_override_value(&mut self, key: &str, value: &str, stored: Option<&str>) {
        if value.contains('\0') {
            self.finding(
                Severity::Error,
                "config_value_has_nul",
                key,
                format!(
                    "the per-run override value of config key {} holds a NUL byte, which an environment variable \
                     cannot; remove it",
                    quoted(key)
                ),
            );
        }
        // A value equal to the stored one was judged with the stored config.
        if stored == Some(value) {
            return;
        }
        if let Some(kind) = credential_kind(value) {
            self.finding(
                Severity::Warning,
                "credential_in_config",
                key,
                format!(
                    "the per-run override value of config key {} is shaped like a credential ({kind}): every run \
                     records its effective config (MD_LIST_FLIGHT_RUNS), readable by anyone who can read the Flight; \
                     move it into a Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) \
                     and attach it with flight_secret_names",
                    quoted(key)
                ),
            );
        }
    }

    fn check_config_entry(&mut self, key: &str, value: Option<&str>) {
        let k = || quoted(key); // only when there is something to say
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
                format!(
                    "config key {} holds '=': an environment variable name cannot contain '='; rename the key",
                    k()
                ),
            );
        }
        if key.contains('\0') {
            self.finding(
                Severity::Error,
                "config_key_has_nul",
                key,
                format!("config key {} holds a NUL byte: an environment variable name cannot; rename the key", k()),
            );
        }
        if RESERVED_NAMES.contains(&key) {
            self.finding(
                Severity::Error,
                "reserved_config_key",
                key,
                format!(
                    "config key {} is a name MotherDuck sets itself for every run ({}); rename the key",
                    k(),
                    RESERVED_NAMES.join(", ")
                ),
            );
        }
        match value {
            None => self.finding(Severity::Error, "null_config_value", key, format!("config key {} has a NULL value: config values are strings; give one ('' for an empty value) or remove the key", k())),
            Some(v) if v.contains('\0') => self.finding(Severity::Error, "config_value_has_nul", key, format!("the value of config key {} holds a NUL byte, which an environment variable cannot; remove it", k())),
            Some("") => self.finding(Severity::Info, "empty_config_value", key, format!("config key {} is empty: if that is not intended, note that a Flight created before per-run overrides shipped may report empty config values until it is updated once (MD_UPDATE_FLIGHT redeploys it)", k())),
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
                "config key {} looks like a credential ({why}): config is readable by anyone who can read the Flight; \
                 move it into a Flight secret (CREATE SECRET ... IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) \
                 and attach it with flight_secret_names", k()),
            );
        }
        let mut chars = key.chars();
        let shell_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !shell_ok {
            self.finding(Severity::Warning, "shell_unfriendly_key", key, format!(
                "config key {} is not a valid shell variable name ([A-Za-z_][A-Za-z0-9_]*): Python's os.environ reads it, \
                 but a shell or subprocess cannot; prefer upper-case letters, digits and underscores", k()));
        }
    }

    fn attached(&mut self, spec: &'s FlightSpec) -> Vec<&'s str> {
        let mut attached: Vec<&'s str> = Vec::new();
        match (&spec.flight_secret_names, &spec.secrets) {
            (Some(names), _) => {
                let mut seen: HashSet<&str> = HashSet::with_capacity(names.len());
                for (i, name) in names.iter().enumerate() {
                    match name {
                        None => self.finding(Severity::Error, "null_secret_name", format!("flight_secret_names[{}]", i + 1),
                            format!("flight_secret_names[{}] is NULL: list the names of Flight secrets (CREATE SECRET ... TYPE FLIGHTS), or drop the entry", i + 1)),
                        Some(name) if !seen.insert(name.as_str()) => self.finding(Severity::Warning, "secret_attached_twice", name.as_str(),
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

    fn secrets(&mut self, spec: &'s FlightSpec, naming: SecretNaming) {
        let attached = self.attached(spec);
        let index = spec.secrets.as_deref().map(SecretIndex::new);
        let mut candidates: Vec<SecretVar> = Vec::new();
        for name in attached {
            let Some(index) = &index else {
                self.placeholder(name, naming);
                continue;
            };
            let Some(def) = index.get(name) else {
                self.finding(Severity::Error, "secret_not_defined", name, format!(
                    "attached secret {} is not defined in secrets: the Flight fails until the secret is created \
                     (CREATE SECRET {} IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) or detached \
                     (MD_UPDATE_FLIGHT with flight_secret_names without it); if it exists, describe it in secrets := MAP {{...}}",
                    quoted(name), sql_identifier(name)));
                continue;
            };
            if def.params.is_empty() {
                self.finding(
                    Severity::Error,
                    "secret_without_params",
                    name,
                    format!(
                        "secret {} has no params: a Flight secret needs a non-empty PARAMS map; recreate it with \
                         CREATE OR REPLACE SECRET {} IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{'KEY': '...'}}) or detach it",
                        quoted(name),
                        sql_identifier(name)
                    ),
                );
            }
            let mut seen_keys: HashSet<&str> = HashSet::with_capacity(def.params.len());
            for param in &def.params {
                let subject = format!("{name}.{}", param.key);
                if param.key.is_empty() {
                    self.finding(
                        Severity::Error,
                        "empty_param_key",
                        subject,
                        format!(
                            "secret {} has an empty (or NULL) param key: every param needs a name; recreate the \
                             secret with CREATE OR REPLACE SECRET and a non-empty key for every param",
                            quoted(name)
                        ),
                    );
                    continue;
                }
                if !seen_keys.insert(&param.key) {
                    self.finding(
                        Severity::Warning,
                        "duplicate_param_key",
                        subject,
                        format!(
                            "secrets lists param {} of secret {} more than once: a PARAMS map has each key once; \
                             list it once",
                            quoted(&param.key),
                            quoted(name)
                        ),
                    );
                    continue;
                }
                match &param.value {
                    ParamValue::Null => self.finding(Severity::Error, "null_param_value", subject.clone(), format!(
                        "param {} of secret {} is NULL: a Flight secret's params must have values; recreate the secret with CREATE OR REPLACE SECRET",
                        quoted(&param.key), quoted(name))),
                    ParamValue::Given(v) if v.is_empty() => self.finding(Severity::Warning, "empty_param_value", subject.clone(), format!(
                        "param {} of secret {} is the empty string: if that is not intended, set it with CREATE OR REPLACE SECRET, \
                         then update the Flight (MD_UPDATE_FLIGHT) so its runs see the new value",
                        quoted(&param.key), quoted(name))),
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
                "the params of attached secret {} are unknown, so its variables ({}) cannot be listed or checked; \
                 pass secrets := MAP {{{}: ['PARAM', ...]}}",
                quoted(name),
                quoted(&var_name),
                sql_string(name)
            ),
        );
        self.vars.put(
            Cow::Owned(var_name.clone()),
            EnvVar {
                name: var_name,
                value: None,
                source: EnvSource::Secret,
                origin: format!("{name}.*"),
                sensitive: true,
                note: Some(format!(
                    "params unknown: pass secrets := MAP {{{}: ['PARAM', ...]}} to list them",
                    sql_string(name)
                )),
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
            let Some((winner, losers)) = by_name.get(name).and_then(|all| all.split_last()) else { continue };
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
                    one_line(loser.secret),
                    one_line(loser.key)
                ));
            }
            if let Some(config) =
                self.vars.get(name).filter(|v| matches!(v.source, EnvSource::Config | EnvSource::Override))
            {
                let overridden = config.source == EnvSource::Override;
                self.finding(Severity::Warning, "secret_shadows_config", name, format!(
                    "secret {} sets {}, which is also a config key: which value the run sees is undocumented; rename the config key or the param",
                    quoted(winner.secret), quoted(name)));
                notes.push(format!(
                    "a config key of the same name{} also exists: which one the run sees is undocumented",
                    if overridden { " (with a per-run override)" } else { "" }
                ));
            }
            let note = (!notes.is_empty()).then(|| notes.join("; "));
            self.put_secret_var(name, EnvSource::Secret, winner, note);
        }
    }

    /// Places the bare param names where safe: not over config, reserved or prefixed names.
    fn place_aliases(&mut self, candidates: &[SecretVar]) {
        // Bare key -> (winner, losers), in the order keys first appear.
        let mut winners: Vec<(&str, &SecretVar, Vec<&SecretVar>)> = Vec::new();
        let mut slot: HashMap<&str, usize> = HashMap::new();
        for c in candidates {
            match slot.get(c.key).and_then(|&i| winners.get_mut(i)) {
                Some((_, winner, losers)) => {
                    losers.push(*winner);
                    *winner = c;
                }
                None => {
                    slot.insert(c.key, winners.len());
                    winners.push((c.key, c, Vec::new()));
                }
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
                let names: Vec<String> =
                    losers.iter().map(|l| format!("{}.{}", one_line(l.secret), one_line(l.key))).collect();
                format!(
                    "bare alias; also a param of {}, which lose{}: among secrets the last wins",
                    names.join(", "),
                    if names.len() == 1 { "s" } else { "" }
                )
            });
            self.put_secret_var(key, EnvSource::SecretAlias, winner, note);
        }
    }

    /// Places a secret-derived variable: always redacted and sensitive, its origin `<secret>.<PARAM>`.
    fn put_secret_var(&mut self, name: &str, source: EnvSource, winner: &SecretVar, note: Option<String>) {
        self.vars.put(
            Cow::Owned(name.to_owned()),
            EnvVar {
                name: name.to_owned(),
                value: Some(REDACTED.into()),
                source,
                origin: format!("{}.{}", winner.secret, winner.key),
                sensitive: true,
                note,
            },
        );
    }

    fn finish(self) -> Resolution {
        let vars = self.vars.into_sorted();
        let mut findings = self.findings;
        findings.sort_by_key(|f| f.severity);
        Resolution { vars, findings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::{ConfigMap, SecretParam};

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
        // `a_x` is described but not attached: it sets nothing.
        let r = resolve(&spec);
        assert_eq!(names(&r), ["A_X_KEY", "B_X_KEY", "MOTHERDUCK_TOKEN"]);
        assert_eq!(var(&r, "A_X_KEY").origin, "a.X_KEY");
        assert!(!codes(&r).contains(&"secret_var_clash"));
        // Different secrets only share a prefix when their names differ in case alone.
        let spec = FlightSpec {
            flight_secret_names: Some(vec![Some("s".into()), Some("S".into())]),
            secrets: Some(vec![keys("s", &["K"]), keys("S", &["K"])]),
            secret_naming: Some("lower".into()),
            ..Default::default()
        };
        let r = resolve(&spec);
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

    fn attach(list: &[&str]) -> Option<Vec<Option<String>>> {
        Some(list.iter().map(|n| Some(n.to_string())).collect())
    }

    #[test]
    fn clash_order_decides_the_winner() {
        for (order, winner, loser) in [(["s", "S"], "S.K", "s.K"), (["S", "s"], "s.K", "S.K")] {
            let r = resolve(&FlightSpec {
                flight_secret_names: attach(&order),
                secrets: Some(vec![keys("s", &["K"]), keys("S", &["K"])]),
                access_token_name: Some("svc".into()),
                ..Default::default()
            });
            let k = var(&r, "S_K");
            assert_eq!(k.origin, winner);
            assert_eq!(
                k.note.as_deref(),
                Some(format!("also set by {loser}, which loses: the last secret in flight_secret_names wins").as_str())
            );
            assert_eq!(codes(&r), ["secret_var_clash"]);
        }
    }

    #[test]
    fn attached_names_match_ignoring_case_and_keep_their_spelling() {
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&["MY_SECRET"]),
            secrets: Some(vec![keys("my_secret", &["K"])]),
            secret_naming: Some("lower".into()),
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        assert_eq!(var(&r, "my_secret_K").origin, "MY_SECRET.K");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        // An exact match wins over a case-insensitive one, whatever the order.
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&["S"]),
            secrets: Some(vec![keys("s", &["LOWER"]), keys("S", &["UPPER"])]),
            ..Default::default()
        });
        assert_eq!(var(&r, "S_UPPER").origin, "S.UPPER");
        assert!(!names(&r).contains(&"S_LOWER"));
    }

    #[test]
    fn an_override_never_touches_the_token_row() {
        let r = resolve(&FlightSpec {
            config: config(&[("MOTHERDUCK_TOKEN", Some("x")), ("", Some("e"))]),
            override_config: config(&[("MOTHERDUCK_TOKEN", Some("y")), ("", Some("f"))]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        assert_eq!(names(&r), ["MOTHERDUCK_TOKEN"]);
        let token = var(&r, "MOTHERDUCK_TOKEN");
        assert_eq!(
            (token.value.as_deref(), token.source, token.note.as_deref()),
            (Some(REDACTED), EnvSource::Token, None)
        );
        // Config order; the reserved key is also named like a credential.
        assert_eq!(codes(&r), ["reserved_config_key", "empty_config_key", "credential_in_config"]);
    }

    #[test]
    fn override_notes_and_values() {
        let r = resolve(&FlightSpec {
            config: config(&[("A", Some("1")), ("B", Some("2")), ("C", None), ("D", Some("4"))]),
            override_config: config(&[("A", Some("10")), ("B", Some("2")), ("C", Some("3"))]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        let row = |n| {
            let v = var(&r, n);
            (v.value.as_deref(), v.source, v.note.as_deref())
        };
        assert_eq!(row("A"), (Some("10"), EnvSource::Override, Some("per-run override of the stored value '1'")));
        assert_eq!(row("B"), (Some("2"), EnvSource::Override, Some("per-run override, same as the stored value")));
        assert_eq!(row("C"), (Some("3"), EnvSource::Override, Some("per-run override of a NULL stored value")));
        assert_eq!(row("D"), (Some("4"), EnvSource::Config, None));
        // The stored NULL is still an error: the Flight as stored is invalid.
        assert_eq!(codes(&r), ["null_config_value"]);
        // A repeated override key (not possible in a DuckDB MAP): the last value wins,
        // and the note still names the stored value.
        let r = resolve(&FlightSpec {
            config: config(&[("A", Some("1"))]),
            override_config: config(&[("A", Some("10")), ("A", Some("11"))]),
            ..Default::default()
        });
        let a = var(&r, "A");
        assert_eq!(
            (a.value.as_deref(), a.note.as_deref()),
            (Some("11"), Some("per-run override of the stored value '1'"))
        );
        // Without a stored config every override key is unknown, and makes no row.
        let r = resolve(&FlightSpec { override_config: config(&[("REGION", Some("eu"))]), ..Default::default() });
        assert_eq!(names(&r), ["MOTHERDUCK_TOKEN"]);
        assert_eq!(codes(&r), ["override_unknown_key", "default_token"]);
        assert_eq!(r.findings[0].subject, "REGION");
    }

    #[test]
    fn override_values_are_checked_like_config_values() {
        let r = resolve(&FlightSpec {
            config: config(&[
                ("A", Some("x")),
                ("B", Some("ghp_0123456789abcdefghijklmnopqrstuvwxyz")),
                ("C", Some("y")),
            ]),
            override_config: config(&[
                ("A", Some("a\0b")),
                ("B", Some("ghp_0123456789abcdefghijklmnopqrstuvwxyz")),
                ("C", Some("sk-abcdefghijklmnopqrstuvwxyz0123")),
            ]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        let found: Vec<(&str, &str)> = r.findings.iter().map(|f| (f.code, f.subject.as_str())).collect();
        // B's stored value was already reported; the same override value is not reported again.
        assert_eq!(
            found,
            [("config_value_has_nul", "A"), ("credential_in_config", "B"), ("credential_in_config", "C")]
        );
        assert!(r.findings.iter().all(|f| !f.message.contains("sk-abc") && !f.message.contains("ghp_0")));
        assert!(r.findings[2].message.contains("per-run override"));
    }

    #[test]
    fn secret_over_overridden_config() {
        let r = resolve(&FlightSpec {
            config: config(&[("S_K", Some("a"))]),
            override_config: config(&[("S_K", Some("b"))]),
            secrets: Some(vec![keys("s", &["K"])]),
            ..Default::default()
        });
        let row = var(&r, "S_K");
        assert_eq!(row.source, EnvSource::Secret);
        assert_eq!(
            row.note.as_deref(),
            Some("a config key of the same name (with a per-run override) also exists: which one the run sees is undocumented")
        );
    }

    #[test]
    fn duplicate_param_keys_make_one_row() {
        let r = resolve(&FlightSpec {
            secrets: Some(vec![keys("a", &["K", "K"]), keys("b", &["K"])]),
            bare_aliases: true,
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        assert_eq!(names(&r), ["A_K", "B_K", "K", "MOTHERDUCK_TOKEN"]);
        assert_eq!(var(&r, "A_K").note, None);
        assert_eq!(
            var(&r, "K").note.as_deref(),
            Some("bare alias; also a param of a.K, which loses: among secrets the last wins")
        );
        assert_eq!(codes(&r), ["duplicate_param_key", "secret_names_from_secrets"]);
        assert_eq!(r.findings[0].subject, "a.K");
    }

    #[test]
    fn aliases_skip_prefixed_names_and_placeholders_have_none() {
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&["a", "x"]),
            secrets: Some(vec![keys("a", &["K"]), keys("x", &["A_K"])]),
            bare_aliases: true,
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        // x.A_K's bare name A_K is the prefixed name of a.K: the prefixed row stays.
        assert_eq!(names(&r), ["A_K", "K", "MOTHERDUCK_TOKEN", "X_A_K"]);
        assert_eq!((var(&r, "A_K").source, var(&r, "A_K").origin.as_str()), (EnvSource::Secret, "a.K"));
        assert_eq!(var(&r, "K").source, EnvSource::SecretAlias);
        let skipped: Vec<&Finding> = r.findings.iter().filter(|f| f.code == "bare_alias_skipped").collect();
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].severity, Severity::Info);
        assert!(skipped[0].message.contains("already exists"), "{}", skipped[0].message);
        assert!(skipped[0].message.contains("read 'X_A_K' instead"), "{}", skipped[0].message);
        // Params unknown: no aliases can be listed.
        let r = resolve(&FlightSpec { flight_secret_names: attach(&["a"]), bare_aliases: true, ..Default::default() });
        assert_eq!(names(&r), ["A_*", "MOTHERDUCK_TOKEN"]);
    }

    #[test]
    fn odd_names_stay_on_one_line_and_read_as_sql() {
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&["My Secret\n", "it's"]),
            secrets: Some(vec![keys("other", &["K\nX"])]),
            bare_aliases: true,
            ..Default::default()
        });
        let not_defined: Vec<&str> =
            r.findings.iter().filter(|f| f.code == "secret_not_defined").map(|f| f.message.as_str()).collect();
        assert!(not_defined[0].contains(r#"CREATE SECRET "My Secret\n" IN MOTHERDUCK"#), "{}", not_defined[0]);
        assert!(not_defined[1].contains(r#"CREATE SECRET "it's" IN MOTHERDUCK"#), "{}", not_defined[1]);
        let r = resolve(&FlightSpec { flight_secret_names: attach(&["it's\n"]), ..Default::default() });
        let placeholder = var(&r, "IT'S\n_*");
        assert_eq!(
            placeholder.note.as_deref(),
            Some(r"params unknown: pass secrets := MAP {'it''s\n': ['PARAM', ...]} to list them")
        );
        let unknown = r.findings.iter().find(|f| f.code == "secret_params_unknown").unwrap();
        assert!(unknown.message.contains(r"('IT\'S\n_*')"), "{}", unknown.message);
        // Notes escape too.
        let r = resolve(&FlightSpec {
            flight_secret_names: attach(&["s\t", "S\t"]),
            secrets: Some(vec![keys("s\t", &["K\n"]), keys("S\t", &["K\n"])]),
            bare_aliases: true,
            ..Default::default()
        });
        for v in &r.vars {
            assert!(!v.note.as_deref().unwrap_or("").chars().any(char::is_control), "{v:?}");
        }
        for f in &r.findings {
            assert!(!f.message.chars().any(char::is_control), "{f:?}");
        }
        assert_eq!(sql_identifier("my_api_secret"), "my_api_secret");
        assert_eq!(sql_identifier("API"), "\"API\"");
        assert_eq!(sql_identifier(""), "\"\"");
        assert_eq!(sql_identifier("1st"), "\"1st\"");
        assert_eq!(sql_string("a'b"), "'a''b'");
        assert_eq!(one_line(&"x".repeat(1000)).len(), SHOWN_CHARS + 3);
    }

    /// Every code in the table at the top of this file, produced by some spec.
    #[test]
    fn every_documented_code_is_produced() {
        let documented: Vec<&str> = include_str!("env.rs")
            .lines()
            .filter(|l| l.starts_with("//! | error") || l.starts_with("//! | warning") || l.starts_with("//! | info"))
            .filter_map(|l| l.split('`').nth(1))
            .collect();
        assert_eq!(documented.len(), 29, "{documented:?}");
        let specs = [
            FlightSpec {
                config: config(&[
                    ("", Some("x")),
                    ("A=B", Some("1")),
                    ("N\0UL", Some("1")),
                    ("MOTHERDUCK_TOKEN", Some("1")),
                    ("NULLV", None),
                    ("V", Some("a\0b")),
                    ("GITHUB_TOKEN", Some("x")),
                    ("EMPTY", Some("")),
                    ("S_K", Some("x")),
                ]),
                override_config: config(&[("REGON", Some("eu")), ("NULLV", None)]),
                flight_secret_names: attach(&["missing", "empty", "bad", "motherduck", "s", "s", "S", "x", "x_y"]).map(
                    |mut names| {
                        names.push(None);
                        names
                    },
                ),
                secrets: Some(vec![
                    keys("empty", &[]),
                    secret(
                        "bad",
                        &[("", ParamValue::KeyOnly), ("K", ParamValue::Null), ("E", ParamValue::Given(String::new()))],
                    ),
                    keys("motherduck", &["TOKEN"]),
                    keys("s", &["K", "K", "EMPTY"]),
                    keys("S", &["K", "lower"]),
                    keys("x", &["Y_Z"]),
                    keys("x_y", &["Z"]),
                ]),
                secret_naming: Some("camel".into()),
                bare_aliases: true,
                ..Default::default()
            },
            FlightSpec { secrets: Some(vec![keys("a", &["K"])]), ..Default::default() },
            FlightSpec { flight_secret_names: attach(&["a"]), ..Default::default() },
        ];
        let produced: HashSet<&str> = specs.iter().flat_map(|s| resolve(s).findings).map(|f| f.code).collect();
        for code in &documented {
            assert!(produced.contains(code), "{code} never produced; got {produced:?}");
        }
        for code in &produced {
            assert!(documented.contains(code), "{code} is not documented");
        }
        // Severities match the table.
        for spec in &specs {
            for f in resolve(spec).findings {
                let row = format!("//! | {} | `{}` |", f.severity.as_str(), f.code);
                assert!(include_str!("env.rs").contains(&row), "{row}");
            }
        }
    }

    #[test]
    fn error_report_lists_each_error_once() {
        assert_eq!(error_report(&[]), None);
        let info = Finding::new(Severity::Info, "default_token", "MOTHERDUCK_TOKEN", "i");
        let warning = Finding::new(Severity::Warning, "secret_var_clash", "X", "w");
        assert_eq!(error_report(&[info.clone(), warning.clone()]), None);
        let e1 = Finding::new(Severity::Error, "null_config_value", "A", "first");
        let e2 = Finding::new(Severity::Error, "null_config_value", "B", "second");
        let one = error_report(&[e1.clone(), info.clone()]).unwrap();
        assert!(one.contains("has 1 problem that") && one.ends_with("\n- first"), "{one}");
        let two = error_report(&[e1, warning, e2, info]).unwrap();
        assert!(two.contains("has 2 problems that"), "{two}");
        assert_eq!(two.lines().skip(1).collect::<Vec<_>>(), ["- first", "- second"]);
    }

    #[test]
    fn naming_choices() {
        for (text, naming) in [
            (None, SecretNaming::Upper),
            (Some("upper"), SecretNaming::Upper),
            (Some("\tLower\n"), SecretNaming::Lower),
        ] {
            assert_eq!(parse_naming(text), Ok(naming));
        }
        for bad in ["", "snake", "upper lower", "ＵＰＰＥＲ"] {
            let message = parse_naming(Some(bad)).unwrap_err();
            assert!(message.contains("'upper'") && message.contains("'lower'"), "{message}");
        }
        assert!(parse_naming(Some("bad\n")).unwrap_err().contains(r"'bad\n'"));
        assert_eq!(secret_env_name("straße", "K", SecretNaming::Upper), "STRASSE_K");
        assert_eq!(secret_env_name("", "", SecretNaming::Upper), "_");
        assert_eq!(secret_env_name("s", "*", SecretNaming::Lower), "s_*");
        // An unknown naming is an error, and the rest still resolves with the default.
        let r = resolve(&FlightSpec {
            secrets: Some(vec![keys("s", &["K"])]),
            secret_naming: Some("camel".into()),
            ..Default::default()
        });
        assert!(names(&r).contains(&"S_K"));
        assert_eq!(r.findings[0].code, "unknown_secret_naming");
    }

    #[test]
    fn many_secrets_resolve_linearly() {
        let n = 50_000;
        let attached: Vec<String> = (0..n).map(|i| format!("S{i}")).collect();
        let defs: Vec<SecretDef> = (0..n).map(|i| keys(&format!("s{i}"), &["K"])).collect();
        let r = resolve(&FlightSpec {
            flight_secret_names: Some(attached.into_iter().map(Some).collect()),
            secrets: Some(defs),
            bare_aliases: true,
            access_token_name: Some("svc".into()),
            ..Default::default()
        });
        assert_eq!(r.vars.len(), n + 2);
        assert_eq!(var(&r, "K").origin, format!("S{}.K", n - 1));
    }

    /// Small random specs over a tiny alphabet, so that names collide often:
    /// no panic, names unique and sorted, findings ordered by severity, every
    /// message one line, and no secret value anywhere.
    #[test]
    fn random_specs_keep_the_invariants() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        const PARTS: [&str; 10] = ["a", "A", "b", "_", "a_b", "K", "k", "MOTHERDUCK", "TOKEN", "\n"];
        let word = |next: &mut dyn FnMut(usize) -> usize| {
            (0..next(3)).map(|_| PARTS[next(PARTS.len())]).collect::<Vec<_>>().join(if next(2) == 0 { "_" } else { "" })
        };
        for round in 0..3000 {
            let mut n = |k| next(k);
            let config: ConfigMap = (0..n(5)).map(|_| (word(&mut n), (n(5) > 0).then(|| word(&mut n)))).collect();
            let ov: ConfigMap = (0..n(3)).map(|_| (word(&mut n), (n(5) > 0).then(|| word(&mut n)))).collect();
            let defs: Vec<SecretDef> = (0..n(4))
                .map(|_| SecretDef {
                    name: word(&mut n),
                    params: (0..n(4))
                        .map(|_| SecretParam {
                            key: word(&mut n),
                            value: match n(3) {
                                0 => ParamValue::KeyOnly,
                                1 => ParamValue::Null,
                                _ => ParamValue::Given(format!("VALUE-{round}-SECRET")),
                            },
                        })
                        .collect(),
                })
                .collect();
            let attached: Vec<Option<String>> = (0..n(4)).map(|_| (n(6) > 0).then(|| word(&mut n))).collect();
            let spec = FlightSpec {
                config: (n(4) > 0).then_some(config),
                override_config: (n(2) > 0).then_some(ov),
                flight_secret_names: (n(2) > 0).then_some(attached),
                secrets: (n(4) > 0).then_some(defs),
                access_token_name: (n(2) > 0).then(|| word(&mut n)),
                secret_naming: [None, Some("lower"), Some("upper"), Some("x")][n(4)].map(str::to_owned),
                bare_aliases: n(2) > 0,
                schedule_cron: None,
            };
            let r = resolve(&spec);
            assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name), "{spec:?}");
            assert!(r.findings.windows(2).all(|w| w[0].severity <= w[1].severity), "{spec:?}");
            assert_eq!(r.vars.iter().filter(|v| v.name == "MOTHERDUCK_TOKEN").count(), 1);
            assert_eq!(var(&r, "MOTHERDUCK_TOKEN").source, EnvSource::Token);
            assert!(!format!("{r:?}").contains("SECRET-"), "{spec:?}");
            for f in &r.findings {
                assert!(!f.message.contains('\n'), "{f:?}");
            }
            for v in &r.vars {
                assert!(!v.note.as_deref().unwrap_or("").contains('\n'), "{v:?}");
                assert_eq!(v.sensitive, !matches!(v.source, EnvSource::Config | EnvSource::Override), "{v:?}");
            }
            if let Some(report) = error_report(&r.findings) {
                let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
                assert_eq!(report.lines().count(), errors + 1);
            }
        }
    }
}
