//! The one error of the Flight layer: what kind of input was wrong, and the
//! words a user reads (they name the value and how to fix it). The SQL glue
//! turns it into DuckDB's error text, its message as is
//! (`crate::sql::error_text`); a rule that makes a finding of it keeps the
//! same words.

/// What was wrong, from the caller's point of view: callers decide by this, never by the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A requirements line pip cannot read: the requirement (PEP 508), its
    /// environment marker, or its pip options.
    InvalidRequirement,
    /// A PEP 440 version specifier that does not parse (a `duckdb_window`).
    InvalidSpecifier,
    /// A `schedule_cron` that is not a cron by MotherDuck's documented grammar.
    InvalidCron,
    /// A `schedule_cron` in another cron dialect's syntax (names, macros, `L`, `W`, `#`, `?`).
    NonstandardCron,
    /// Config JSON that is malformed or not an object of string values.
    InvalidJson,
    /// A `secret_naming` other than `upper` or `lower`.
    InvalidNaming,
    /// A config diff mode other than `update` or `run`.
    InvalidMode,
}

/// A failure of the Flight layer.
pub type Error = crate::layer_error::LayerError<ErrorKind>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::config::{config_from_json, DiffMode};
    use crate::flight::naming::parse_naming;
    use crate::flight::requirements::options::read_options;
    use crate::flight::requirements::pep508::{check_marker, parse_requirement};
    use crate::flight::requirements::rules::duckdb_window;
    use crate::flight::requirements::version::Specifiers;
    use crate::flight::requirements::{entry_problems, read_requirements, requirement_findings};
    use crate::flight::schedule::Cron;
    use crate::flight::update::update_findings;
    use crate::flight::{row, FlightSpec, FlightUpdate};
    use std::fmt;

    fn kind<T: fmt::Debug>(result: Result<T, Error>) -> ErrorKind {
        result.unwrap_err().kind
    }

    fn cron_kind(text: &str) -> ErrorKind {
        Cron::parse(text).unwrap_err().for_schedule(text).kind
    }

    #[test]
    fn a_caller_tells_the_kinds_apart() {
        let seen = [
            (kind(parse_requirement("requests[security")), ErrorKind::InvalidRequirement),
            (kind(check_marker("python_version <")), ErrorKind::InvalidRequirement),
            (kind(read_options("--frobnicate")), ErrorKind::InvalidRequirement),
            (kind(read_options("--hash 'sha256:abc")), ErrorKind::InvalidRequirement),
            (kind(Specifiers::parse("1.4")), ErrorKind::InvalidSpecifier),
            (kind(duckdb_window(Some(">=1.4,banana"))), ErrorKind::InvalidSpecifier),
            (cron_kind("61 * * * *"), ErrorKind::InvalidCron),
            (cron_kind("* * * *"), ErrorKind::InvalidCron),
            (cron_kind("0 6 * * MON"), ErrorKind::NonstandardCron),
            (cron_kind("@daily"), ErrorKind::NonstandardCron),
            (kind(config_from_json("{\"A\": 1}")), ErrorKind::InvalidJson),
            (kind(config_from_json("[")), ErrorKind::InvalidJson),
            (kind(parse_naming(Some("camel"))), ErrorKind::InvalidNaming),
            (kind(DiffMode::parse("merge")), ErrorKind::InvalidMode),
        ];
        for (i, (got, expected)) in seen.iter().enumerate() {
            assert_eq!(got, expected, "case {i}");
        }
        let mut kinds: Vec<ErrorKind> = seen.iter().map(|(k, _)| *k).collect();
        kinds.dedup();
        assert_eq!(kinds.len(), 7, "every kind is raised and they differ: {kinds:?}");
    }

    #[test]
    fn a_bad_duckdb_window_is_an_invalid_specifier_wherever_it_is_read() {
        let spec = FlightSpec {
            requirements_txt: Some("duckdb==1.5.0".into()),
            duckdb_window: Some("1.4".into()),
            ..FlightSpec::default()
        };
        assert_eq!(kind(row::findings(&spec)), ErrorKind::InvalidSpecifier);
        let update = FlightUpdate { schedule_cron: Some("0 6 * * *".into()), ..FlightUpdate::default() };
        assert_eq!(kind(update_findings(&spec, None, &update)), ErrorKind::InvalidSpecifier);
        assert_eq!(kind(requirement_findings(Some("duckdb==1.5.0"), &[], Some("1.4"))), ErrorKind::InvalidSpecifier);
        let reqs = read_requirements("duckdb==1.5.0");
        let error = entry_problems(&reqs, &[], Some("1.4")).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidSpecifier);
        assert_eq!(
            error.to_string(),
            "duckdb_window '1.4' is not a PEP 440 version specifier ('1.4' does not start with a version operator \
             (one of === ~= == != <= >= < >)); write one like '>=1.4.1,<=1.5.6'"
        );
    }

    #[test]
    fn a_schedule_error_keeps_the_words_flight_schedule_shows() {
        let text = "0 6 * * MON";
        let error = Cron::parse(text).unwrap_err().for_schedule(text);
        assert_eq!(
            error.to_string(),
            "schedule_cron '0 6 * * MON' is not MotherDuck's cron grammar: day-of-week: the name 'MON' is not in \
             MotherDuck's cron grammar, which takes numbers only (0-6, Sunday is 0); write '0 6 * * 1' instead"
        );
        assert_eq!(
            Cron::parse("* * * *").unwrap_err().for_schedule("* * * *").to_string(),
            "invalid schedule_cron '* * * *': expected 5 fields (minute hour day-of-month month day-of-week), got 4"
        );
    }

    #[test]
    fn display_is_the_message_and_map_message_keeps_the_kind() {
        let e = Error::new(ErrorKind::InvalidJson, "invalid JSON at line 1, column 2: x");
        assert_eq!(e.to_string(), "invalid JSON at line 1, column 2: x");
        let e = e.map_message(|m| format!("field 'config': {m}"));
        assert_eq!(e.kind, ErrorKind::InvalidJson);
        assert_eq!(e.to_string(), "field 'config': invalid JSON at line 1, column 2: x");
    }
}
