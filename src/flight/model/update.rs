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

use super::{ConfigMap, FlightSpec, SecretDef};

/// The fields of `MD_UPDATE_FLIGHT` that shape a run's environment, as an
/// update gives them; `None`: left out or NULL (keep the stored value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlightUpdate {
    pub config: Option<ConfigMap>,
    /// `flight_secret_names` (MCP: `md_secret_names`); an element may be NULL.
    pub flight_secret_names: Option<Vec<Option<String>>>,
    /// `access_token_name` (MCP: `md_token_name`).
    pub access_token_name: Option<String>,
    pub source_code: Option<String>,
    /// `''` clears the schedule.
    pub schedule_cron: Option<String>,
    /// Not a field of `MD_UPDATE_FLIGHT`: what the secrets the updated Flight
    /// attaches hold (a secret is made by `CREATE SECRET`, not by the update).
    /// Entries replace the described Flight's entry of the same name.
    pub secrets: Option<Vec<SecretDef>>,
}

/// The fields an update row may carry, lower case (both spellings). The last
/// five do not change a run's environment: accepted, and not read.
pub const UPDATE_FIELDS: [&str; 14] = [
    "config",
    "flight_secret_names",
    "md_secret_names",
    "access_token_name",
    "md_token_name",
    "source_code",
    "schedule_cron",
    "secrets",
    "flight_id",
    "id",
    "requirements_txt",
    "max_runtime_sec",
    "instance_type",
    "metadata",
];

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

impl FlightUpdate {
    /// Whether the update gives no field that shapes a run (it changes nothing here).
    pub fn is_empty(&self) -> bool {
        *self == FlightUpdate::default()
    }

    /// The Flight after the update: `flight` with each given field replaced.
    pub fn apply(&self, flight: &FlightSpec) -> FlightSpec {
        let schedule = replaced(flight.schedule_cron.as_deref(), self.schedule_cron.as_deref());
        FlightSpec {
            config: replaced(flight.config.as_ref(), self.config.as_ref()).cloned(),
            flight_secret_names: replaced(flight.flight_secret_names.as_ref(), self.flight_secret_names.as_ref())
                .cloned(),
            access_token_name: replaced(flight.access_token_name.as_deref(), self.access_token_name.as_deref())
                .map(str::to_owned),
            schedule_cron: schedule.filter(|cron| !cron.is_empty()).map(str::to_owned),
            secrets: self.secrets_after(flight.secrets.as_deref()),
            ..flight.clone()
        }
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
