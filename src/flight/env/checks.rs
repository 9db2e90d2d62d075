//! Config entries and the per-run override: each stored entry becomes a
//! variable and is checked; the override's problems come from THE override
//! rule (`config::check_override`), and its values are checked like config.

use super::Resolver;
use crate::flight::config::{check_override, OverrideProblemKind};
use crate::flight::credentials::{credential_kind, key_names_credential};
use crate::flight::wording::{quoted, MOVE_TO_SECRET};
use crate::flight::{EnvSource, EnvVar, FindingCode, FlightSpec, Origin, RESERVED_NAMES};
use std::borrow::Cow;
use std::collections::HashMap;

impl<'s> Resolver<'s> {
    pub(super) fn config(&mut self, spec: &'s FlightSpec) {
        let stored: &'s [(String, Option<String>)] = spec.config.as_deref().unwrap_or(&[]);
        for (key, value) in stored {
            self.check_config_entry(key, value.as_deref());
            // Empty and reserved keys make no row (an override may still set them).
            if key.is_empty() || RESERVED_NAMES.contains(&key.as_str()) {
                continue;
            }
            self.vars.put(EnvVar {
                name: Cow::Borrowed(key),
                value: value.as_deref().map(Cow::Borrowed),
                source: EnvSource::Config,
                origin: Origin::Config { key: Cow::Borrowed(key) },
                sensitive: false,
                note: None,
            });
        }
        let Some(overrides) = &spec.override_config else { return };
        // The stored value of each override key with a config row, taken before any
        // override applies. Only config rows take an override: the token row never does.
        let mut stored_values: HashMap<&str, Option<Cow<'s, str>>> = HashMap::with_capacity(overrides.len());
        for (key, _) in overrides {
            if let Some(var) = self.vars.get(key.as_str()).filter(|v| v.source == EnvSource::Config) {
                stored_values.entry(key.as_str()).or_insert_with(|| var.value.clone());
            }
        }
        // THE override rule decides; each problem becomes a finding with the key as subject.
        let mut problems = check_override(stored, overrides).into_iter().peekable();
        for (index, (key, value)) in overrides.iter().enumerate() {
            if let Some(problem) = problems.next_if(|p| p.index == index) {
                let code = match problem.kind {
                    OverrideProblemKind::UnknownKey => FindingCode::OverrideUnknownKey,
                    OverrideProblemKind::NullValue => FindingCode::OverrideNullValue,
                };
                self.finding(code, key.as_str(), problem.message());
                continue;
            }
            // A NULL value is always a problem above.
            let Some(value) = value else { continue };
            let stored_value = stored_values.get(key.as_str());
            let stored_value = stored_value.map(Option::as_deref);
            self.check_override_value(key, value, stored_value.flatten());
            let (Some(stored_value), Some(var)) = (stored_value, self.vars.get_mut(key.as_str())) else { continue };
            var.note = Some(match stored_value {
                Some(old) if old == value => "per-run override, same as the stored value".to_owned(),
                Some(old) => format!("per-run override of the stored value {}", quoted(old)),
                None => "per-run override of a NULL stored value".to_owned(),
            });
            var.value = Some(Cow::Borrowed(value));
            var.source = EnvSource::Override;
            var.origin = Origin::Override { key: Cow::Borrowed(key) };
        }
    }

    /// An override value is config too: every run records it (`MD_LIST_FLIGHT_RUNS`).
    fn check_override_value(&mut self, key: &str, value: &str, stored: Option<&str>) {
        if value.contains('\0') {
            self.finding(
                FindingCode::ConfigValueHasNul,
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
                FindingCode::CredentialInConfig,
                key,
                format!(
                    "the per-run override value of config key {} is shaped like a credential ({kind}): every run \
                     records its effective config (MD_LIST_FLIGHT_RUNS), readable by anyone who can read the Flight; \
                     {MOVE_TO_SECRET} \
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
                FindingCode::EmptyConfigKey,
                key,
                "config has an empty key: an environment variable needs a name; remove the entry or name it",
            );
            return;
        }
        if key.contains('=') {
            self.finding(
                FindingCode::ConfigKeyHasEquals,
                key,
                format!(
                    "config key {} holds '=': an environment variable name cannot contain '='; rename the key",
                    k()
                ),
            );
        }
        if key.contains('\0') {
            self.finding(
                FindingCode::ConfigKeyHasNul,
                key,
                format!("config key {} holds a NUL byte: an environment variable name cannot; rename the key", k()),
            );
        }
        if RESERVED_NAMES.contains(&key) {
            self.finding(
                FindingCode::ReservedConfigKey,
                key,
                format!(
                    "config key {} is a name MotherDuck sets itself for every run ({}); rename the key",
                    k(),
                    RESERVED_NAMES.join(", ")
                ),
            );
        }
        match value {
            None => self.finding(FindingCode::NullConfigValue, key, format!("config key {} has a NULL value: config values are strings; give one ('' for an empty value) or remove the key", k())),
            Some(v) if v.contains('\0') => self.finding(FindingCode::ConfigValueHasNul, key, format!("the value of config key {} holds a NUL byte, which an environment variable cannot; remove it", k())),
            Some("") => self.finding(FindingCode::EmptyConfigValue, key, format!("config key {} is empty: if that is not intended, note that a Flight created before per-run overrides shipped may report empty config values until it is updated once (MD_UPDATE_FLIGHT redeploys it)", k())),
            Some(_) => {}
        }
        let shaped = value.and_then(credential_kind);
        if key_names_credential(key) || shaped.is_some() {
            let why = match shaped {
                Some(kind) => format!("its value is shaped like a credential: {kind}"),
                None => "its name says it holds a credential".to_owned(),
            };
            self.finding(
                FindingCode::CredentialInConfig,
                key,
                format!(
                "config key {} looks like a credential ({why}): config is readable by anyone who can read the Flight; \
                 {MOVE_TO_SECRET} and attach it with flight_secret_names", k()),
            );
        }
        let mut chars = key.chars();
        let shell_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
        if !shell_ok {
            self.finding(FindingCode::ShellUnfriendlyKey, key, format!(
                "config key {} is not a valid shell variable name ([A-Za-z_][A-Za-z0-9_]*): Python's os.environ reads it, \
                 but a shell or subprocess cannot; prefer upper-case letters, digits and underscores", k()));
        }
    }
}
