//! Attached secrets: which are attached, what their params are, the prefixed
//! variables they become (the last secret wins a clash) and the bare aliases.

use super::{secret_env_name, Resolver};
use crate::flight::wording::{quoted, sql_identifier, sql_string};
use crate::flight::{EnvSource, EnvVar, FindingCode, FlightSpec, Origin, ParamValue, SecretDef, SecretNaming};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// One param of an attached secret, on its way to becoming a variable.
pub(super) struct SecretVar<'s> {
    pub(super) name: String,
    pub(super) secret: &'s str,
    pub(super) key: &'s str,
}

/// The described secrets by name: an exact match first, else the first secret
/// whose name matches ignoring case (DuckDB lower-cases unquoted names). A
/// Flight has a few secrets: up to [`SecretIndex::SMALL`] are searched in
/// order, without building a map; more are hashed.
enum SecretIndex<'s> {
    Small(&'s [SecretDef]),
    Hashed { exact: FxHashMap<&'s str, &'s SecretDef>, folded: FxHashMap<String, &'s SecretDef> },
}

impl<'s> SecretIndex<'s> {
    const SMALL: usize = 16;

    fn new(defs: &'s [SecretDef]) -> Self {
        if defs.len() <= Self::SMALL {
            return SecretIndex::Small(defs);
        }
        let mut exact = FxHashMap::default();
        let mut folded = FxHashMap::default();
        for def in defs {
            exact.entry(def.name.as_str()).or_insert(def);
            folded.entry(def.name.to_lowercase()).or_insert(def);
        }
        SecretIndex::Hashed { exact, folded }
    }

    fn get(&self, name: &str) -> Option<&'s SecretDef> {
        match self {
            SecretIndex::Small(defs) => defs.iter().find(|d| d.name == name).or_else(|| {
                let folded = name.to_lowercase();
                defs.iter().find(|d| d.name.to_lowercase() == folded)
            }),
            SecretIndex::Hashed { exact, folded } => {
                exact.get(name).or_else(|| folded.get(&name.to_lowercase())).copied()
            }
        }
    }
}

impl<'s> Resolver<'s> {
    fn attached(&mut self, spec: &'s FlightSpec) -> Vec<&'s str> {
        let mut attached: Vec<&'s str> = Vec::new();
        match (&spec.flight_secret_names, &spec.secrets) {
            (Some(names), _) => {
                let mut seen: FxHashSet<&str> = FxHashSet::default();
                for (i, name) in names.iter().enumerate() {
                    match name {
                        None => self.finding(FindingCode::NullSecretName, format!("flight_secret_names[{}]", i + 1),
                            format!("flight_secret_names[{}] is NULL: list the names of Flight secrets (CREATE SECRET ... TYPE FLIGHTS), or drop the entry", i + 1)),
                        Some(name) if !seen.insert(name.as_str()) => self.finding(FindingCode::SecretAttachedTwice, name.as_str(),
                            format!("flight_secret_names lists secret {} more than once; list each secret once", quoted(name))),
                        Some(name) => attached.push(name),
                    }
                }
            }
            (None, Some(defs)) => {
                attached.extend(defs.iter().map(|d| d.name.as_str()));
                if !attached.is_empty() {
                    self.finding(
                        FindingCode::SecretNamesFromSecrets,
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

    pub(super) fn secrets(&mut self, spec: &'s FlightSpec, naming: SecretNaming) {
        let attached = self.attached(spec);
        let index = spec.secrets.as_deref().map(SecretIndex::new);
        let mut candidates: Vec<SecretVar> = Vec::new();
        for name in attached {
            let Some(index) = &index else {
                self.placeholder(name, naming);
                continue;
            };
            let Some(def) = index.get(name) else {
                self.finding(FindingCode::SecretNotDefined, name, format!(
                    "attached secret {} is not defined in secrets: the Flight fails until the secret is created \
                     (CREATE SECRET {} IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{...}})) or detached \
                     (MD_UPDATE_FLIGHT with flight_secret_names without it); if it exists, describe it in secrets := MAP {{...}}",
                    quoted(name), sql_identifier(name)));
                continue;
            };
            if def.params.is_empty() {
                self.finding(
                    FindingCode::SecretWithoutParams,
                    name,
                    format!(
                        "secret {} has no params: a Flight secret needs a non-empty PARAMS map; recreate it with \
                         CREATE OR REPLACE SECRET {} IN MOTHERDUCK (TYPE FLIGHTS, PARAMS MAP {{'KEY': '...'}}) or detach it",
                        quoted(name),
                        sql_identifier(name)
                    ),
                );
            }
            self.params(name, def, naming, &mut candidates);
        }
        self.place_secret_vars(&candidates);
        if spec.bare_aliases == Some(true) {
            self.place_aliases(&candidates);
        }
    }

    /// Checks the params of attached secret `name` and adds each usable one to `candidates`.
    fn params(&mut self, name: &'s str, def: &'s SecretDef, naming: SecretNaming, candidates: &mut Vec<SecretVar<'s>>) {
        let mut seen_keys: FxHashSet<&str> = FxHashSet::default();
        for param in &def.params {
            // Made only for a finding.
            let subject = || format!("{name}.{}", param.key);
            if param.key.is_empty() {
                self.finding(
                    FindingCode::EmptyParamKey,
                    subject(),
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
                    FindingCode::DuplicateParamKey,
                    subject(),
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
                ParamValue::Null => self.finding(FindingCode::NullParamValue, subject(), format!(
                    "param {} of secret {} is NULL: a Flight secret's params must have values; recreate the secret with CREATE OR REPLACE SECRET",
                    quoted(&param.key), quoted(name))),
                ParamValue::Given(v) if v.is_empty() => self.finding(FindingCode::EmptyParamValue, subject(), format!(
                    "param {} of secret {} is the empty string: if that is not intended, set it with CREATE OR REPLACE SECRET, \
                     then update the Flight (MD_UPDATE_FLIGHT) so its runs see the new value",
                    quoted(&param.key), quoted(name))),
                _ => {}
            }
            if param.key.chars().any(char::is_lowercase) {
                self.finding(FindingCode::LowerCaseParamKey, subject(), format!(
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

    fn placeholder(&mut self, name: &'s str, naming: SecretNaming) {
        let var_name = secret_env_name(name, "*", naming);
        self.finding(
            FindingCode::SecretParamsUnknown,
            name,
            format!(
                "the params of attached secret {} are unknown, so its variables ({}) cannot be listed or checked; \
                 pass secrets := MAP {{{}: ['PARAM', ...]}}",
                quoted(name),
                quoted(&var_name),
                sql_string(name)
            ),
        );
        self.vars.put(EnvVar {
            name: Cow::Owned(var_name),
            value: None,
            source: EnvSource::Secret,
            origin: Origin::UnknownParams {
                secret: Cow::Borrowed(name),
                prefix: Cow::Owned(secret_env_name(name, "", naming)),
            },
            sensitive: true,
            note: Some(format!(
                "params unknown: pass secrets := MAP {{{}: ['PARAM', ...]}} to list them",
                sql_string(name)
            )),
        });
    }
}
