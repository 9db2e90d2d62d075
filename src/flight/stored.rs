//! A Flight's stored definition as plain values, and the merge rule that lets
//! it fill a described Flight. No DuckDB or HTTP types: the MCP client in
//! `crate::motherduck` produces a [`StoredFlight`], the SQL glue asks for the
//! merge explicitly.

use super::{fields_where, FlightSpec};

/// One version of a Flight as MotherDuck stores it (the `get_flight` tool's
/// `flight` object with its `version` content): the Flight's own facts, and
/// its fields (those of [`FIELDS`](super::FIELDS) that appear as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredFlight {
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    /// The latest version number (`flight.current_version`).
    pub current_version: Option<i64>,
    /// The number of the version whose content this is (`flight.version.version`).
    pub version: Option<i64>,
    /// Microseconds since the Unix epoch, UTC.
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    /// The stored fields: config, secret names, token, schedule, source, requirements, runtime.
    pub flight: FlightSpec,
}

/// The merge rule: the stored definition fills the fields of `spec` the call
/// did not give. Given parameters win, so a call can preview "what if"
/// changes against the real stored Flight.
pub fn fill_spec(spec: &mut FlightSpec, stored: &StoredFlight) {
    for def in fields_where(|a| a.stored) {
        if !spec.has(def.field) {
            spec.take_given(&stored.flight, def.field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_parameters_win() {
        let stored = StoredFlight {
            id: "f".into(),
            flight: FlightSpec {
                config: Some(vec![("A".into(), Some("stored".into()))]),
                flight_secret_names: Some(vec![Some("s".into())]),
                access_token_name: Some("svc".into()),
                schedule_cron: Some("0 6 * * *".into()),
                requirements_txt: Some("duckdb==1.5.2".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut spec = FlightSpec { config: Some(vec![("A".into(), Some("mine".into()))]), ..Default::default() };
        fill_spec(&mut spec, &stored);
        assert_eq!(spec.schedule_cron.as_deref(), Some("0 6 * * *"), "the schedule comes along");
        assert_eq!(spec.config, Some(vec![("A".into(), Some("mine".into()))]));
        assert_eq!(spec.flight_secret_names, Some(vec![Some("s".into())]));
        assert_eq!(spec.access_token_name.as_deref(), Some("svc"));
        assert_eq!(spec.requirements_txt.as_deref(), Some("duckdb==1.5.2"));
    }

    #[test]
    fn nothing_stored_leaves_the_spec_alone() {
        let mut spec = FlightSpec { access_token_name: Some("mine".into()), ..Default::default() };
        let before = spec.clone();
        fill_spec(&mut spec, &StoredFlight::default());
        assert_eq!(spec, before);
    }
}
