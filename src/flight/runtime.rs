//! The run-config rules: how long a run may take (`max_runtime_sec`), on
//! which Flight size (`instance_type`), with which token (`access_token_name`
//! against the labels that exist, `access_tokens`).
//!
//! Sources (MotherDuck's pages, `shared/reference/flights-runtime.md`):
//! - `max_runtime_sec` is a UINTEGER, seconds a run may take, `0` = no timeout
//!   (`MD_GET_FLIGHT_VERSION`,
//!   <https://motherduck.com/docs/sql-reference/motherduck-sql-reference/flights/md-get-flight-version/>;
//!   range 0..4294967295 from MotherDuck's Terraform provider).
//! - `instance_type`: one of the Flight sizes ([`super::sizes`]).
//! - The token: a run gets `MOTHERDUCK_TOKEN` from the access token whose label
//!   `access_token_name` names; a wrong label leaves it missing (the agent
//!   guide's troubleshooting table: "MOTHERDUCK_TOKEN missing: wrong
//!   access_token_name label"). The labels that exist are the `token_name`
//!   column of `md_access_tokens()` (no reference page documents it).

use super::sizes::{flight_size, flight_size_names, FLIGHT_SIZES, FLIGHT_SIZES_SOURCE};
use super::suggest::did_you_mean;
use super::{quoted, Finding, FindingCode, FlightSpec};

/// The largest `max_runtime_sec` MotherDuck stores (a UINTEGER).
pub const MAX_RUNTIME_SEC_LIMIT: i64 = 4_294_967_295;

/// The codes these rules raise.
pub const RUNTIME_CODES: [FindingCode; 4] = [
    FindingCode::MaxRuntimeInvalid,
    FindingCode::InstanceTypeUnknown,
    FindingCode::AccessTokenUnknown,
    FindingCode::NoRuntimeLimit,
];

/// Every run-config finding about `spec`.
pub fn runtime_findings(spec: &FlightSpec) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some(seconds) = spec.max_runtime_sec {
        found.extend(max_runtime_finding(seconds));
    }
    if let Some(size) = &spec.instance_type {
        found.extend(instance_type_finding(size));
    }
    if let (Some(label), Some(labels)) = (&spec.access_token_name, &spec.access_tokens) {
        found.extend(access_token_finding(label, labels));
    }
    found
}

fn max_runtime_finding(seconds: i64) -> Option<Finding> {
    if !(0..=MAX_RUNTIME_SEC_LIMIT).contains(&seconds) {
        return Some(Finding::new(
            FindingCode::MaxRuntimeInvalid,
            seconds.to_string(),
            format!(
                "max_runtime_sec {seconds} is outside 0..{MAX_RUNTIME_SEC_LIMIT} (seconds, a UINTEGER): \
                 MotherDuck refuses it; give the seconds a run may take, e.g. 3600, or 0 for no limit"
            ),
        ));
    }
    (seconds == 0).then(|| {
        Finding::new(
            FindingCode::NoRuntimeLimit,
            "0",
            "max_runtime_sec is 0: runs have no time limit, so a hung run holds its Flight size until it is \
             cancelled (MD_CANCEL_FLIGHT_RUN); give the longest a run should take, e.g. 3600",
        )
    })
}

fn instance_type_finding(size: &str) -> Option<Finding> {
    if flight_size(size).is_some() {
        return None;
    }
    let meant = FLIGHT_SIZES.iter().map(|s| s.name).find(|name| name.eq_ignore_ascii_case(size.trim()));
    Some(Finding::new(
        FindingCode::InstanceTypeUnknown,
        size,
        format!(
            "instance_type {} is not a Flight size{}: MotherDuck's sizes are {} ({FLIGHT_SIZES_SOURCE}); \
             set one of them, or leave instance_type out for your plan's default",
            quoted(size),
            did_you_mean(meant),
            flight_size_names()
        ),
    ))
}

fn access_token_finding(label: &str, labels: &[Option<String>]) -> Option<Finding> {
    let labels: Vec<&str> = labels.iter().flatten().map(String::as_str).collect();
    if labels.contains(&label) {
        return None;
    }
    let meant = super::suggest::suggest_key(label, labels.iter().copied());
    Some(Finding::new(
        FindingCode::AccessTokenUnknown,
        label,
        format!(
            "access_token_name {} is not among your access tokens' labels{}: the run would get no \
             MOTHERDUCK_TOKEN and fail at duckdb.connect(\"md:\"); create a token with that label, or set \
             access_token_name to one of {} (SELECT token_name FROM md_access_tokens())",
            quoted(label),
            did_you_mean(meant),
            if labels.is_empty() {
                "your tokens".to_owned()
            } else {
                labels.iter().map(|l| quoted(l)).collect::<Vec<_>>().join(", ")
            }
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::Severity;

    fn codes(spec: &FlightSpec) -> Vec<(Severity, &'static str, String)> {
        runtime_findings(spec).into_iter().map(|f| (f.severity, f.code.as_str(), f.subject)).collect()
    }

    #[test]
    fn max_runtime_in_range_limit_and_none() {
        let at = |s: i64| codes(&FlightSpec { max_runtime_sec: Some(s), ..Default::default() });
        assert_eq!(at(3600), []);
        assert_eq!(at(MAX_RUNTIME_SEC_LIMIT), []);
        assert_eq!(at(0), [(Severity::Info, "no_runtime_limit", "0".to_owned())]);
        assert_eq!(at(-1), [(Severity::Error, "max_runtime_invalid", "-1".to_owned())]);
        assert_eq!(at(MAX_RUNTIME_SEC_LIMIT + 1)[0].1, "max_runtime_invalid");
        assert_eq!(codes(&FlightSpec::default()), []);
    }

    #[test]
    fn instance_types_are_the_sizes() {
        let of = |s: &str| runtime_findings(&FlightSpec { instance_type: Some(s.into()), ..Default::default() });
        assert!(of("F16").is_empty() && of("F4").is_empty() && of("F32").is_empty());
        let f = of("f16");
        assert_eq!((f[0].code, f[0].severity), (FindingCode::InstanceTypeUnknown, Severity::Error));
        assert!(
            f[0].message.contains("(did you mean 'F16'?)") && f[0].message.contains("F4, F16, F32"),
            "{}",
            f[0].message
        );
        assert!(!of("F8")[0].message.contains("did you mean"));
    }

    #[test]
    fn the_token_label_is_held_against_the_labels_given() {
        let spec = |label: Option<&str>, labels: Option<&[&str]>| FlightSpec {
            access_token_name: label.map(str::to_owned),
            access_tokens: labels.map(|l| l.iter().map(|s| Some((*s).to_owned())).collect()),
            ..Default::default()
        };
        assert_eq!(codes(&spec(Some("svc"), Some(&["svc", "other"]))), []);
        assert_eq!(codes(&spec(Some("svc"), None)), [], "without the labels nothing is said");
        assert_eq!(codes(&spec(None, Some(&["svc"]))), [], "no label given: the default token");
        let f = runtime_findings(&spec(Some("flights-prod"), Some(&["flights-prd", "reporting"])));
        assert_eq!((f[0].code, f[0].subject.as_str()), (FindingCode::AccessTokenUnknown, "flights-prod"));
        assert!(f[0].message.contains("did you mean 'flights-prd'?"), "{}", f[0].message);
        assert!(runtime_findings(&spec(Some("x"), Some(&[])))[0].message.contains("one of your tokens"));
    }
}
