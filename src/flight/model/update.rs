//! An update of a Flight (`MD_UPDATE_FLIGHT`, MCP `update_flight`) and THE
//! replace rule: every rule that asks "what does the Flight hold after this
//! update" (`flight_update_findings`, `flight_update_preview`) asks
//! [`replaced`] or [`FlightUpdate::apply`]; `flight_config_diff` in update
//! mode is given both whole maps and reports every stored key the new map
//! lacks as removed, the same rule seen key by key.
//!
//! The rule (flights-semantics.md, "Config rules"; MotherDuck's Flights page,
//! "Replace, not merge"): a field the update gives (present and not NULL)
//! replaces the whole stored value, `config` and `flight_secret_names`
//! included: nothing is merged. A field the update leaves out, or gives as
//! NULL, keeps the stored value. `schedule_cron := ''` clears the schedule
//! (the brief's rule; MotherDuck's pages do not say how a schedule is removed).

#[cfg(test)]
use super::ConfigMap;
use super::{fields_where, FlightSpec, SecretDef, UpdateRule, FIELDS, UPDATE_FIELDS_UNREAD};

/// An update of a Flight: the fields of `MD_UPDATE_FLIGHT` it gives (those
/// whose [`UpdateRule`] is not `Not`, see [`FIELDS`]); `None`: left out or
/// NULL (keep the stored value). `secrets` is not a field of
/// `MD_UPDATE_FLIGHT`: what the secrets the updated Flight attaches hold (a
/// secret is made by `CREATE SECRET`, not by the update); its entries replace
/// the described Flight's entry of the same name.
pub type FlightUpdate = FlightSpec;

/// Whether an update row may carry a field named `name` (lower case, either
/// spelling): a field of [`FIELDS`] an update takes, or one of
/// [`UPDATE_FIELDS_UNREAD`] (accepted, and not read).
pub fn is_update_field(name: &str) -> bool {
    fields_where(|a| a.update).any(|def| def.is_named(name)) || UPDATE_FIELDS_UNREAD.contains(&name)
}

/// The fields an update takes, for messages: `config, flight_secret_names (or md_secret_names), ...`.
pub fn update_fields_text() -> String {
    let mut names: Vec<String> = fields_where(|a| a.update)
        .map(|def| match def.update {
            UpdateRule::ReplaceEmptyClears => format!("{} ('' clears it)", def.names()),
            UpdateRule::MergeByName => format!("{} (what the attached secrets hold)", def.names()),
            _ => def.names(),
        })
        .collect();
    names.push(format!("and, accepted and not read, {}", UPDATE_FIELDS_UNREAD.join(", ")));
    names.join(", ")
}

/// THE replace rule for one field: a given value replaces the stored one whole.
pub fn replaced<'a, T: ?Sized>(stored: Option<&'a T>, update: Option<&'a T>) -> Option<&'a T> {
    update.or(stored)
}

/// Whether two secret names name one secret (DuckDB lower-cases unquoted names).
pub fn same_secret(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// The secrets a Flight attaches: `flight_secret_names` (NULLs skipped), or,
/// without it, every secret `secrets` describes (as the environment rule reads it).
pub fn attached_secrets(flight: &FlightSpec) -> Vec<&str> {
    match (&flight.flight_secret_names, &flight.secrets) {
        (Some(names), _) => names.iter().flatten().map(String::as_str).collect(),
        (None, Some(defs)) => defs.iter().map(|d| d.name.as_str()).collect(),
        (None, None) => Vec::new(),
    }
}

/// Whether `flight` attaches the secret `name`.
pub fn is_attached(flight: &FlightSpec, name: &str) -> bool {
    attached_secrets(flight).into_iter().any(|n| same_secret(n, name))
}

/// An update's rules, on the update (a [`FlightSpec`] of the fields it gives).
impl FlightSpec {
    /// Whether the update gives no field of an update (it changes nothing).
    pub fn is_empty(&self) -> bool {
        fields_where(|a| a.update).all(|def| !self.has(def.field))
    }

    /// The Flight after the update: `flight` with each given field replaced
    /// (THE replace rule, field by field as [`FIELDS`] says).
    pub fn apply(&self, flight: &FlightSpec) -> FlightSpec {
        let mut after = flight.clone();
        for def in FIELDS {
            match def.update {
                UpdateRule::Not => {}
                UpdateRule::Replace => after.take_given(self, def.field),
                UpdateRule::ReplaceEmptyClears => {
                    after.take_given(self, def.field);
                    if after.value(def.field) == Some(super::FieldValue::Text(String::new())) {
                        after.clear(def.field);
                    }
                }
                UpdateRule::MergeByName => after.secrets = self.secrets_after(flight.secrets.as_deref()),
            }
        }
        after
    }

    /// The source after the update.
    pub fn source_after<'a>(&'a self, stored: Option<&'a str>) -> Option<&'a str> {
        replaced(stored, self.source_code.as_deref())
    }

    /// What the secrets hold after the update: the described Flight's entries,
    /// each replaced by the update's entry of the same secret, then the update's new ones.
    fn secrets_after(&self, stored: Option<&[SecretDef]>) -> Option<Vec<SecretDef>> {
        let Some(given) = &self.secrets else { return stored.map(<[SecretDef]>::to_vec) };
        let mut out: Vec<SecretDef> = stored
            .unwrap_or_default()
            .iter()
            .filter(|def| !given.iter().any(|g| same_secret(&g.name, &def.name)))
            .cloned()
            .collect();
        out.extend(given.iter().cloned());
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::{ParamValue, SecretParam};

    fn map(pairs: &[(&str, &str)]) -> ConfigMap {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned()))).collect()
    }

    fn secret(name: &str, keys: &[&str]) -> SecretDef {
        SecretDef {
            name: name.into(),
            params: keys.iter().map(|k| SecretParam { key: (*k).into(), value: ParamValue::KeyOnly }).collect(),
        }
    }

    #[test]
    fn config_and_secret_names_are_replaced_not_merged() {
        let stored = FlightSpec {
            config: Some(map(&[("REGION", "us"), ("BATCH_SIZE", "1000")])),
            flight_secret_names: Some(vec![Some("a".into()), Some("b".into())]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        };
        let update = FlightUpdate {
            config: Some(map(&[("REGION", "eu")])),
            flight_secret_names: Some(vec![Some("a".into())]),
            ..Default::default()
        };
        let after = update.apply(&stored);
        assert_eq!(after.config, Some(map(&[("REGION", "eu")])), "BATCH_SIZE is gone");
        assert_eq!(after.flight_secret_names, Some(vec![Some("a".into())]));
        assert_eq!(after.access_token_name.as_deref(), Some("svc"), "left out: kept");
    }

    #[test]
    fn an_empty_update_changes_nothing() {
        let stored = FlightSpec {
            config: Some(map(&[("A", "1")])),
            schedule_cron: Some("0 6 * * *".into()),
            secrets: Some(vec![secret("s", &["K"])]),
            ..Default::default()
        };
        assert!(FlightUpdate::default().is_empty());
        assert_eq!(FlightUpdate::default().apply(&stored), stored);
        assert_eq!(FlightUpdate::default().source_after(Some("x")), Some("x"));
    }

    #[test]
    fn an_empty_map_or_list_is_given_and_replaces() {
        let stored = FlightSpec {
            config: Some(map(&[("A", "1")])),
            flight_secret_names: Some(vec![Some("s".into())]),
            ..Default::default()
        };
        let update = FlightUpdate { config: Some(vec![]), flight_secret_names: Some(vec![]), ..Default::default() };
        let after = update.apply(&stored);
        assert_eq!(after.config, Some(vec![]));
        assert_eq!(after.flight_secret_names, Some(vec![]));
    }

    #[test]
    fn schedule_is_set_replaced_and_cleared() {
        let stored = FlightSpec { schedule_cron: Some("0 6 * * *".into()), ..Default::default() };
        let set = FlightUpdate { schedule_cron: Some("*/5 * * * *".into()), ..Default::default() };
        assert_eq!(set.apply(&stored).schedule_cron.as_deref(), Some("*/5 * * * *"));
        let clear = FlightUpdate { schedule_cron: Some(String::new()), ..Default::default() };
        assert_eq!(clear.apply(&stored).schedule_cron, None);
    }

    #[test]
    fn update_secrets_replace_entries_of_the_same_secret() {
        let stored = FlightSpec { secrets: Some(vec![secret("a", &["K"]), secret("b", &["X"])]), ..Default::default() };
        let update =
            FlightUpdate { secrets: Some(vec![secret("A", &["K2"]), secret("c", &["Y"])]), ..Default::default() };
        let names: Vec<_> = update.apply(&stored).secrets.unwrap().into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["b", "A", "c"]);
        let none = FlightSpec::default();
        assert_eq!(update.apply(&none).secrets.map(|s| s.len()), Some(2));
    }

    #[test]
    fn attached_secrets_follow_the_environment_rule() {
        let listed = FlightSpec {
            flight_secret_names: Some(vec![Some("a".into()), None]),
            secrets: Some(vec![secret("b", &["K"])]),
            ..Default::default()
        };
        assert_eq!(attached_secrets(&listed), ["a"]);
        assert!(is_attached(&listed, "A") && !is_attached(&listed, "b"));
        let described = FlightSpec { secrets: Some(vec![secret("b", &["K"])]), ..Default::default() };
        assert_eq!(attached_secrets(&described), ["b"]);
        assert!(attached_secrets(&FlightSpec::default()).is_empty());
    }

    #[test]
    fn replaced_is_the_one_rule() {
        assert_eq!(replaced(Some("old"), Some("new")), Some("new"));
        assert_eq!(replaced(Some("old"), None), Some("old"));
        assert_eq!(replaced::<str>(None, None), None);
        let source = FlightUpdate { source_code: Some("new".into()), ..Default::default() };
        assert_eq!(source.source_after(Some("old")), Some("new"));
    }
}
