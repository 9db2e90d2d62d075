//! Placing secret-derived variables: the prefixed names (the last attached
//! secret wins a clash) and, with `bare_aliases`, the bare param names where
//! that is safe.

use super::secrets::SecretVar;
use super::Resolver;
use crate::flight::wording::{one_line, quoted};
use crate::flight::{EnvSource, EnvVar, FindingCode, Origin, REDACTED, RESERVED_NAMES};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

impl<'s> Resolver<'s> {
    /// Places the prefixed variables: the last secret wins a clash.
    pub(super) fn place_secret_vars(&mut self, candidates: &[SecretVar<'s>]) {
        // Each name's first and last candidate and how many there are: the last wins,
        // and only a name given more than once has losers to look for.
        let mut spans: FxHashMap<&str, (usize, usize, usize)> = FxHashMap::default();
        for (i, c) in candidates.iter().enumerate() {
            let span = spans.entry(&c.name).or_insert((i, i, 0));
            span.1 = i;
            span.2 += 1;
        }
        for (i, first) in candidates.iter().enumerate() {
            let name = first.name.as_str();
            let Some(&(start, end, count)) = spans.get(name).filter(|span| span.0 == i) else { continue };
            let winner = &candidates[end];
            let losers: Vec<&SecretVar> = match count {
                1 => Vec::new(),
                _ => candidates[start..end].iter().filter(|c| c.name == name).collect(),
            };
            if RESERVED_NAMES.contains(&name) {
                self.finding(
                    FindingCode::SecretVarReserved,
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
                        FindingCode::SecretVarClash,
                        format!(
                            "secrets {} and {} both set {}: the last secret in flight_secret_names wins, so {} is used",
                            quoted(loser.secret),
                            quoted(winner.secret),
                            quoted(name),
                            quoted(winner.secret)
                        ),
                    )
                } else {
                    (FindingCode::AmbiguousSecretName, format!(
                        "{} (secret {}, param {}) and {} (secret {}, param {}) spell the same variable {}: rename one; the last one attached wins",
                        quoted(&format!("{}.{}", loser.secret, loser.key)), quoted(loser.secret), quoted(loser.key),
                        quoted(&format!("{}.{}", winner.secret, winner.key)), quoted(winner.secret), quoted(winner.key), quoted(name)))
                };
                self.finding(code, name, message);
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
                self.finding(FindingCode::SecretShadowsConfig, name, format!(
                    "secret {} sets {}, which is also a config key: which value the run sees is undocumented; rename the config key or the param",
                    quoted(winner.secret), quoted(name)));
                notes.push(format!(
                    "a config key of the same name{} also exists: which one the run sees is undocumented",
                    if overridden { " (with a per-run override)" } else { "" }
                ));
            }
            let note = (!notes.is_empty()).then(|| notes.join("; "));
            self.put_secret_var(Cow::Owned(name.to_owned()), EnvSource::Secret, winner, note);
        }
    }

    /// Places the bare param names where safe: not over config, reserved or prefixed names.
    pub(super) fn place_aliases(&mut self, candidates: &[SecretVar<'s>]) {
        // Bare key -> (winner, losers), in the order keys first appear.
        let mut winners: Vec<(&str, &SecretVar, Vec<&SecretVar>)> = Vec::new();
        let mut slot: FxHashMap<&str, usize> = FxHashMap::default();
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
                    FindingCode::BareAliasSkipped,
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
            self.put_secret_var(Cow::Borrowed(key), EnvSource::SecretAlias, winner, note);
        }
    }

    /// Places a secret-derived variable: always redacted and sensitive.
    fn put_secret_var(&mut self, name: Cow<'s, str>, source: EnvSource, winner: &SecretVar<'s>, note: Option<String>) {
        let (secret, param) = (Cow::Borrowed(winner.secret), Cow::Borrowed(winner.key));
        let origin = match source {
            EnvSource::SecretAlias => Origin::Alias { secret, param },
            _ => Origin::Secret { secret, param },
        };
        self.vars.put(EnvVar { name, value: Some(Cow::Borrowed(REDACTED)), source, origin, sensitive: true, note });
    }
}
