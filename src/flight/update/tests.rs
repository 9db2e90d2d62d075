use super::*;
use crate::flight::properties::Rng;
use crate::flight::source::{check_source, Access, Status};
use crate::flight::{ConfigMap, FindingCode, ParamValue, SecretDef, SecretParam, Severity, REDACTED};

fn map(pairs: &[(&str, &str)]) -> ConfigMap {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned()))).collect()
}

fn secret(name: &str, params: &[(&str, &str)]) -> SecretDef {
    SecretDef {
        name: name.into(),
        params: params
            .iter()
            .map(|(k, v)| SecretParam { key: (*k).into(), value: ParamValue::Given((*v).into()) })
            .collect(),
    }
}

fn names(list: &[&str]) -> Option<Vec<Option<String>>> {
    Some(list.iter().map(|n| Some((*n).to_owned())).collect())
}

/// The documented example: config REGION + BATCH_SIZE, secret my_api_secret.
fn documented() -> FlightSpec {
    FlightSpec {
        config: Some(map(&[("REGION", "us"), ("BATCH_SIZE", "1000")])),
        flight_secret_names: names(&["my_api_secret"]),
        secrets: Some(vec![secret("my_api_secret", &[("API_KEY", "CANARY-KEY"), ("ENDPOINT", "https://x")])]),
        access_token_name: Some("svc".into()),
        ..Default::default()
    }
}

const SOURCE: &str =
    "import os\n\ndef main():\n    region = os.environ['REGION']\n    size = int(os.environ['BATCH_SIZE'])\n    \
                      key = os.environ['MY_API_SECRET_API_KEY']\n    again = os.environ['BATCH_SIZE']\n";

fn codes(found: &[Finding]) -> Vec<(&'static str, &str)> {
    found.iter().map(|f| (f.code.as_str(), f.subject.as_str())).collect()
}

#[test]
fn a_config_replace_breaks_the_read_of_a_dropped_key() {
    let update = FlightUpdate { config: Some(map(&[("REGION", "eu")])), ..Default::default() };
    let found = update_findings(&documented(), Some(SOURCE), &update).unwrap();
    assert_eq!(codes(&found), [("update_breaks_read", "BATCH_SIZE"), ("update_drops_config_key", "BATCH_SIZE")]);
    let breaks = &found[0];
    assert_eq!(breaks.severity, Severity::Error);
    assert!(
        breaks.message.contains("lines 5, 7") && breaks.message.contains("replace, not merge"),
        "{}",
        breaks.message
    );
    assert!(!breaks.message.contains("1000"), "no value: {}", breaks.message);
    assert!(found[1].message.contains("send the full map"), "{}", found[1].message);
}

#[test]
fn detaching_a_secret_breaks_its_reads_and_names_its_variables() {
    let update = FlightUpdate { flight_secret_names: Some(vec![]), ..Default::default() };
    let found = update_findings(&documented(), Some(SOURCE), &update).unwrap();
    assert_eq!(
        codes(&found),
        [("update_breaks_read", "MY_API_SECRET_API_KEY"), ("update_detaches_secret", "my_api_secret")]
    );
    assert!(found[0].message.contains("keep 'my_api_secret' in flight_secret_names"), "{}", found[0].message);
    assert!(found[1].message.contains("'MY_API_SECRET_API_KEY', 'MY_API_SECRET_ENDPOINT'"), "{}", found[1].message);
    assert!(!format!("{found:?}").contains("CANARY"));
}

#[test]
fn without_source_only_the_drops_are_reported() {
    let update = FlightUpdate {
        config: Some(map(&[("REGION", "eu")])),
        flight_secret_names: names(&["other"]),
        secrets: Some(vec![secret("other", &[("TOKEN_X", "v")])]),
        ..Default::default()
    };
    let found = update_findings(&documented(), None, &update).unwrap();
    assert_eq!(codes(&found), [("update_drops_config_key", "BATCH_SIZE"), ("update_detaches_secret", "my_api_secret")]);
}

#[test]
fn empty_and_same_updates_find_nothing() {
    assert!(update_findings(&documented(), Some(SOURCE), &FlightUpdate::default()).unwrap().is_empty());
    let same = FlightUpdate {
        config: documented().config,
        flight_secret_names: documented().flight_secret_names,
        access_token_name: Some("svc".into()),
        source_code: Some(SOURCE.into()),
        ..Default::default()
    };
    assert!(update_findings(&documented(), Some(SOURCE), &same).unwrap().is_empty());
}

#[test]
fn new_source_and_new_schedule_bring_their_usual_findings() {
    let mut flight = documented();
    flight.access_token_name = None;
    let update = FlightUpdate {
        source_code: Some(format!("{SOURCE}    x = os.environ['NEW_KEY']\n")),
        schedule_cron: Some("0 6 * * *".into()),
        ..Default::default()
    };
    let found = update_findings(&flight, Some(SOURCE), &update).unwrap();
    assert_eq!(codes(&found), [("missing", "NEW_KEY"), ("scheduled_default_token", "MOTHERDUCK_TOKEN")]);
    // A problem the Flight already has is not repeated: default_token stays out.
    let cleared = FlightUpdate { schedule_cron: Some(String::new()), ..Default::default() };
    let scheduled = FlightSpec { schedule_cron: Some("0 6 * * *".into()), ..flight };
    assert!(update_findings(&scheduled, Some(SOURCE), &cleared).unwrap().is_empty(), "clearing fixes, adds nothing");
}

#[test]
fn an_unknown_secret_that_stays_unknown_is_not_new() {
    let flight =
        FlightSpec { flight_secret_names: names(&["a"]), access_token_name: Some("svc".into()), ..Default::default() };
    let update = FlightUpdate {
        flight_secret_names: names(&["a", "b"]),
        secrets: Some(vec![secret("b", &[("K", "v")])]),
        ..Default::default()
    };
    assert!(update_findings(&flight, None, &update).unwrap().is_empty());
}

#[test]
fn the_preview_lists_what_changes_with_lines_and_findings() {
    let update = FlightUpdate {
        config: Some(map(&[("REGION", "eu"), ("NEW", "1")])),
        flight_secret_names: Some(vec![]),
        ..Default::default()
    };
    let scan = crate::flight::source::scan_source(SOURCE);
    let check = check_update(&documented(), Some(&scan), &update, Some(&scan)).unwrap();
    let rows: Vec<_> = check
        .changes()
        .into_iter()
        .map(|c| (c.name, c.kind.as_str(), c.read_at.clone(), c.finding.map(|f| f.code.as_str())))
        .collect();
    assert_eq!(
        rows,
        [
            ("BATCH_SIZE", "removed", vec![5, 7], Some("update_breaks_read")),
            ("MY_API_SECRET_API_KEY", "removed", vec![6], Some("update_breaks_read")),
            ("MY_API_SECRET_ENDPOINT", "removed", vec![], Some("update_detaches_secret")),
            ("NEW", "added", vec![], None),
            ("REGION", "changed", vec![4], None),
        ]
    );
    let changes = check.changes();
    let key = changes.iter().find(|c| c.name == "MY_API_SECRET_API_KEY").unwrap();
    assert_eq!(key.before.and_then(|v| v.value.as_deref()), Some(REDACTED));
}

const KEYS: &[&str] = &["REGION", "BATCH_SIZE", "API_KEY", "K"];
const SECRETS: &[&str] = &["s", "t", "S"];

fn random_flight(rng: &mut Rng) -> FlightSpec {
    let config = (rng.below(4) > 0)
        .then(|| KEYS.iter().filter(|_| rng.below(2) == 0).map(|k| ((*k).to_owned(), Some("v".to_owned()))).collect());
    FlightSpec {
        config,
        flight_secret_names: (rng.below(3) > 0)
            .then(|| (0..rng.below(3)).map(|_| Some(rng.pick(SECRETS).to_owned())).collect()),
        // Every secret's params are known, so no read is merely `unverified`.
        secrets: Some(
            SECRETS[..2]
                .iter()
                .map(|s| SecretDef {
                    name: (*s).to_owned(),
                    params: KEYS
                        .iter()
                        .filter(|_| rng.below(3) == 0)
                        .map(|k| SecretParam { key: (*k).to_owned(), value: ParamValue::Given("CANARY".into()) })
                        .collect(),
                })
                .collect(),
        ),
        access_token_name: (rng.below(2) == 0).then(|| "svc".to_owned()),
        bare_aliases: Some(rng.below(3) == 0),
        schedule_cron: (rng.below(3) == 0).then(|| "0 6 * * *".to_owned()),
        ..Default::default()
    }
}

fn random_source(rng: &mut Rng) -> String {
    let mut source = String::from("import os\n");
    for _ in 0..rng.below(6) {
        let name = match rng.below(3) {
            0 => rng.pick(KEYS).to_owned(),
            1 => format!("{}_{}", rng.pick(&["S", "T"]), rng.pick(KEYS)),
            _ => rng.pick(&["MOTHERDUCK_TOKEN", "OTHER"]).to_owned(),
        };
        let read = if rng.below(3) == 0 { format!("os.getenv('{name}')") } else { format!("os.environ['{name}']") };
        source.push_str(&format!("x = {read}\n"));
    }
    source
}

/// Property: `update_breaks_read` is reported for exactly the variables the
/// updated source requires (by a fixed name) which the current run has and
/// the updated run lacks; once each; and never with a secret value.
#[test]
fn breaks_read_is_exactly_the_required_reads_that_the_update_takes_away() {
    let mut rng = Rng(0x00c0_ffee_1234_5678);
    for round in 0..4000 {
        let flight = random_flight(&mut rng);
        let source = random_source(&mut rng);
        let other = random_flight(&mut rng);
        let update = FlightUpdate {
            config: (rng.below(2) == 0).then(|| other.config.clone().unwrap_or_default()),
            flight_secret_names: (rng.below(2) == 0).then(|| other.flight_secret_names.clone().unwrap_or_default()),
            access_token_name: (rng.below(4) == 0).then(|| "other".to_owned()),
            source_code: (rng.below(3) == 0).then(|| random_source(&mut rng)),
            schedule_cron: (rng.below(4) == 0).then(|| ["", "*/5 * * * *"][rng.below(2)].to_owned()),
            secrets: (rng.below(4) == 0).then(|| other.secrets.clone().unwrap_or_default()),
            ..Default::default()
        };
        let found = update_findings(&flight, Some(&source), &update).unwrap();
        // The oracle: resolve both sides and look each required read up by name.
        let updated = update.apply(&flight);
        let (before, after) = (env::resolve(&flight), env::resolve(&updated));
        let has = |vars: &[crate::flight::EnvVar], name: &str| {
            vars.iter().any(|v| v.name == name) || crate::flight::RESERVED_NAMES.contains(&name)
        };
        let scan = scan_source(update.source_after(Some(&source)).unwrap_or_default());
        let mut expected: Vec<&str> = Vec::new();
        for read in scan.reads.iter().filter(|r| r.access == Access::Required) {
            let Some(name) = read.name.as_deref() else { continue };
            if has(&before.vars, name) && !has(&after.vars, name) && !expected.contains(&name) {
                expected.push(name);
            }
        }
        let mut got: Vec<&str> =
            found.iter().filter(|f| f.code == FindingCode::UpdateBreaksRead).map(|f| f.subject.as_str()).collect();
        got.sort_unstable();
        expected.sort_unstable();
        assert_eq!(got, expected, "round {round}: {flight:?} {update:?}\n{source}");
        assert!(found.windows(2).all(|w| w[0].severity <= w[1].severity), "round {round}");
        assert!(!format!("{found:?}").contains("CANARY"), "round {round}");
        // Not repeated as `missing`.
        for name in &got {
            assert!(!found.iter().any(|f| f.code == FindingCode::SourceMissing && f.subject == *name), "round {round}");
        }
        if update.is_empty() {
            assert!(found.is_empty());
        }
        // And it agrees with flight_source_check on the updated Flight.
        let rows = check_source(&scan, &after.vars);
        for name in &got {
            assert!(rows.iter().any(|r| r.name == *name && r.status != Status::Ok), "round {round}");
        }
    }
}
