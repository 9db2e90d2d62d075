//! Property checks over random Flights (a small deterministic generator,
//! so they need no extra crate): names unique and sorted, no secret value
//! anywhere in the output, and the preview's error exactly when an error finding exists.
use crate::flight::env::{error_report, resolve};
use crate::flight::*;

/// A tiny deterministic generator (xorshift64), so property checks need no
/// extra crate; the config rules' tests use it too.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or_default()
    }
}

const NAMES: &[&str] = &["a", "A", "a_b", "my_api_secret", "MOTHERDUCK", "", "s=1", "x\0y", "é"];
const KEYS: &[&str] = &["API_KEY", "B_C", "C", "TOKEN", "", "k", "REGION", "A=B", "MOTHERDUCK_TOKEN", "Ünï"];

fn random_spec(rng: &mut Rng, secret_value: &str) -> FlightSpec {
    let map = |rng: &mut Rng| -> crate::flight::ConfigMap {
        let mut m: crate::flight::ConfigMap = Vec::new();
        for _ in 0..rng.below(5) {
            let key = rng.pick(KEYS).to_owned();
            if !m.iter().any(|(k, _)| *k == key) {
                m.push((key, [None, Some(String::new()), Some("v".to_owned())][rng.below(3)].clone()));
            }
        }
        m
    };
    let secrets = (rng.below(4) > 0).then(|| {
        let mut defs: Vec<SecretDef> = Vec::new();
        for _ in 0..rng.below(4) {
            let name = rng.pick(NAMES).to_owned();
            if defs.iter().any(|d| d.name == name) {
                continue;
            }
            let mut params: Vec<SecretParam> = Vec::new();
            for _ in 0..rng.below(4) {
                let key = rng.pick(KEYS).to_owned();
                if params.iter().any(|p| p.key == key) {
                    continue;
                }
                let value = match rng.below(3) {
                    0 => ParamValue::KeyOnly,
                    1 => ParamValue::Null,
                    _ => ParamValue::Given(secret_value.to_owned()),
                };
                params.push(SecretParam { key, value });
            }
            defs.push(SecretDef { name, params });
        }
        defs
    });
    FlightSpec {
        config: (rng.below(3) > 0).then(|| map(rng)),
        override_config: (rng.below(3) == 0).then(|| map(rng)),
        flight_secret_names: (rng.below(2) == 0)
            .then(|| (0..rng.below(4)).map(|_| (rng.below(6) > 0).then(|| rng.pick(NAMES).to_owned())).collect()),
        secrets,
        access_token_name: (rng.below(2) == 0).then(|| "svc".to_owned()),
        secret_naming: [None, Some("upper"), Some("lower"), Some("bad")][rng.below(4)].map(str::to_owned),
        bare_aliases: Some(rng.below(2) == 0),
        schedule_cron: (rng.below(2) == 0).then(|| "0 6 * * *".to_owned()),
        ..Default::default()
    }
}

#[test]
fn resolution_invariants_hold_for_random_flights() {
    let secret_value = "QQ-SECRET-VALUE-7";
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..5000 {
        let spec = random_spec(&mut rng, secret_value);
        let r = resolve(&spec);
        assert!(r.vars.windows(2).all(|w| w[0].name < w[1].name), "names not unique and sorted: {spec:?}");
        assert_eq!(r.vars.iter().filter(|v| v.source == EnvSource::Token).count(), 1);
        assert!(!format!("{:?}", r).contains(secret_value), "a secret value leaked for {spec:?}");
        let has_error = r.findings.iter().any(|f| f.severity == Severity::Error);
        assert_eq!(error_report(&r.findings).is_some(), has_error);
        assert!(r.findings.windows(2).all(|w| w[0].severity <= w[1].severity));
        for var in &r.vars {
            if matches!(var.source, EnvSource::Secret | EnvSource::SecretAlias | EnvSource::Token) {
                assert!(var.sensitive && var.value.as_deref().is_none_or(|v| v == REDACTED));
            }
        }
    }
}

/// Regression for the env_resolve fuzz target's crash: a secret name holding a
/// NUL byte and a newline, attached with unknown params, made multi-line messages.
#[test]
fn control_characters_in_secret_names_stay_on_one_line() {
    let name = "OOOOOOON\0UL_AKIAABOOOOOO\n&OOOOOOOOOOOO";
    for secrets in [None, Some(vec![]), Some(vec![SecretDef { name: name.into(), params: vec![] }])] {
        let spec = FlightSpec { flight_secret_names: Some(vec![Some(name.into())]), secrets, ..Default::default() };
        let r = resolve(&spec);
        for f in &r.findings {
            assert!(!f.message.contains(['\n', '\r']), "{}: {:?}", f.code, f.message);
        }
        for v in &r.vars {
            assert!(v.note.as_deref().is_none_or(|n| !n.contains('\n')), "{:?}", v.note);
        }
    }
}
