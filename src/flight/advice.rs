//! Advice from MotherDuck's Flights docs page, as findings:
//!
//! | severity | code | meaning |
//! |---|---|---|
//! | warning | `scheduled_default_token` | the Flight has a `schedule_cron` and runs on the default `MotherDuck Flights` token |
//! | info | `cloud_storage_credentials` | a config key or a Flight secret param carries cloud storage credentials (S3, GCS, Azure) |
//!
//! Pure: reads a [`FlightSpec`], never a value (only key and secret names
//! appear in the messages, quoted to stay on one line).

use super::naming::secret_env_name;
use super::{quoted, Finding, FindingCode, FlightSpec, SecretNaming, DEFAULT_TOKEN_NAME};

/// Variable names that carry cloud storage credentials, with the
/// `CREATE SECRET ... IN MOTHERDUCK (TYPE ...)` type that replaces them.
const CLOUD_STORAGE_NAMES: [(&str, &str); 9] = [
    ("AWS_ACCESS_KEY_ID", "S3"),
    ("AWS_SECRET_ACCESS_KEY", "S3"),
    ("AWS_SESSION_TOKEN", "S3"),
    ("GOOGLE_APPLICATION_CREDENTIALS", "GCS"),
    ("AZURE_STORAGE_CONNECTION_STRING", "AZURE"),
    ("AZURE_STORAGE_ACCOUNT_KEY", "AZURE"),
    ("AZURE_STORAGE_KEY", "AZURE"),
    ("AZURE_STORAGE_SAS_TOKEN", "AZURE"),
    ("AZURE_CLIENT_SECRET", "AZURE"),
];

/// The secret type that replaces a variable of this name, if it carries cloud storage credentials.
pub fn cloud_storage_kind(name: &str) -> Option<&'static str> {
    if !CLOUD_NAME_LENGTHS.contains(&name.len()) {
        return None;
    }
    CLOUD_STORAGE_NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, kind)| *kind)
}

/// Whether the run uses the default `MotherDuck Flights` token.
/// The lengths of [`CLOUD_STORAGE_NAMES`]: a name of another length is none of them.
const CLOUD_NAME_LENGTHS: std::ops::RangeInclusive<usize> = 17..=31;

fn uses_default_token(spec: &FlightSpec) -> bool {
    spec.access_token_name.as_deref().is_none_or(|label| label.trim() == DEFAULT_TOKEN_NAME)
}

/// The findings of the docs page's advice, warnings before info.
pub fn findings(spec: &FlightSpec) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(cron) = spec.schedule_cron.as_deref().filter(|c| !c.trim().is_empty()) {
        if uses_default_token(spec) {
            out.push(Finding::new(
                FindingCode::ScheduledDefaultToken,
                "MOTHERDUCK_TOKEN",
                format!(
                    "the Flight runs on a schedule ({}) with the default 'MotherDuck Flights' token, so every \
                     scheduled run acts as the Flight's owner and breaks when that user leaves or rotates \
                     credentials; scheduled Flights should run as a service account: create one, label a token \
                     of it, and set it with MD_UPDATE_FLIGHT(access_token_name := '<label>')",
                    quoted(cron)
                ),
            ));
        }
    }
    for (key, _) in spec.config.iter().flatten() {
        if let Some(kind) = cloud_storage_kind(key) {
            out.push(cloud_finding(key.clone(), &format!("config key {}", quoted(key)), kind, "config entry"));
        }
    }
    // Attached names, ASCII case folded, in a set: one lookup per secret (a linear scan each made
    // 100,000 secrets take seconds).
    // DuckDB lower-cases unquoted names: a secret is attached when a name matches ignoring ASCII case.
    let attached = |name: &str| {
        spec.flight_secret_names
            .as_ref()
            .is_none_or(|names| names.iter().flatten().any(|n| n.eq_ignore_ascii_case(name)))
    };
    for def in spec.secrets.iter().flatten().filter(|d| attached(&d.name)) {
        for param in &def.params {
            // The variable's name is made only when its length can be a cloud name's.
            let var_len = def.name.len() + 1 + param.key.len();
            let var_may_match = !def.name.is_ascii() || CLOUD_NAME_LENGTHS.contains(&var_len);
            let kind = cloud_storage_kind(&param.key).or_else(|| {
                var_may_match
                    .then(|| secret_env_name(&def.name, &param.key, SecretNaming::Upper))
                    .and_then(|var| cloud_storage_kind(&var))
            });
            if let Some(kind) = kind {
                let subject = format!("{}.{}", def.name, param.key);
                let what = format!("param {} of Flight secret {}", quoted(&param.key), quoted(&def.name));
                out.push(cloud_finding(subject, &what, kind, "Flight secret param"));
            }
        }
    }
    out
}

fn cloud_finding(subject: String, what: &str, kind: &str, entry: &str) -> Finding {
    Finding::new(
        FindingCode::CloudStorageCredentials,
        subject,
        format!(
            "{what} carries cloud storage credentials: a Flight's DuckDB connection already resolves a regular \
             MotherDuck storage secret (CREATE SECRET ... IN MOTHERDUCK (TYPE {kind}, ...)), so no {entry} is \
             needed for S3, GCS or Azure access; keep the credentials in that secret and drop this one"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flight::{ParamValue, SecretDef, SecretParam, Severity};

    fn codes(spec: &FlightSpec) -> Vec<(&'static str, String)> {
        findings(spec).into_iter().map(|f| (f.code.as_str(), f.subject)).collect()
    }

    #[test]
    fn scheduled_flight_on_the_default_token_is_a_warning() {
        let mut spec = FlightSpec { schedule_cron: Some("0 6 * * *".into()), ..Default::default() };
        assert_eq!(codes(&spec), vec![("scheduled_default_token", "MOTHERDUCK_TOKEN".into())]);
        let f = &findings(&spec)[0];
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("'0 6 * * *'") && f.message.contains("service account"), "{}", f.message);
        spec.access_token_name = Some("MotherDuck Flights".into());
        assert_eq!(codes(&spec).len(), 1);
        spec.access_token_name = Some("flights-prod-ingest".into());
        assert!(codes(&spec).is_empty());
    }

    #[test]
    fn unscheduled_or_blank_schedule_is_fine() {
        assert!(codes(&FlightSpec::default()).is_empty());
        let spec = FlightSpec { schedule_cron: Some("  ".into()), ..Default::default() };
        assert!(codes(&spec).is_empty());
    }

    #[test]
    fn cloud_storage_credentials_in_config_and_secrets() {
        let secret = SecretDef {
            name: "aws".into(),
            params: vec![
                SecretParam { key: "ACCESS_KEY_ID".into(), value: ParamValue::Given("AKIAXXXXXXXXXXXXXXXX".into()) },
                SecretParam { key: "REGION".into(), value: ParamValue::KeyOnly },
            ],
        };
        let azure = SecretDef {
            name: "az".into(),
            params: vec![SecretParam { key: "azure_storage_connection_string".into(), value: ParamValue::KeyOnly }],
        };
        let spec = FlightSpec {
            config: Some(vec![
                ("AWS_SECRET_ACCESS_KEY".into(), Some("canary-value".into())),
                ("REGION".into(), Some("us".into())),
            ]),
            secrets: Some(vec![secret, azure]),
            flight_secret_names: Some(vec![Some("aws".into()), Some("AZ".into())]),
            access_token_name: Some("svc".into()),
            ..Default::default()
        };
        let found = findings(&spec);
        let subjects: Vec<_> = found.iter().map(|f| (f.code.as_str(), f.subject.as_str())).collect();
        assert_eq!(
            subjects,
            vec![
                ("cloud_storage_credentials", "AWS_SECRET_ACCESS_KEY"),
                ("cloud_storage_credentials", "aws.ACCESS_KEY_ID"),
                ("cloud_storage_credentials", "az.azure_storage_connection_string"),
            ]
        );
        assert!(found.iter().all(|f| f.severity == Severity::Info));
        assert!(found[0].message.contains("TYPE S3") && found[2].message.contains("TYPE AZURE"));
        for f in &found {
            assert!(!f.message.contains("canary") && !f.message.contains("AKIA"), "{}", f.message);
        }
    }

    #[test]
    fn detached_secrets_are_not_read() {
        let spec = FlightSpec {
            secrets: Some(vec![SecretDef {
                name: "aws".into(),
                params: vec![SecretParam { key: "AWS_SESSION_TOKEN".into(), value: ParamValue::KeyOnly }],
            }]),
            flight_secret_names: Some(vec![Some("other".into())]),
            ..Default::default()
        };
        assert!(findings(&spec).is_empty());
    }
}
