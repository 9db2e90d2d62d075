//! Reading the named parameters every Flight-describing table function takes
//! (`config`, `override`, `flight_secret_names`, `secrets`,
//! `access_token_name`, `secret_naming`, `bare_aliases`) into a
//! [`FlightSpec`]. Pure: works on [`SqlValue`] trees, unit-tested below.

use super::table::Args;
use super::value::SqlValue;
use crate::flight::{ConfigMap, FlightSpec, ParamValue, SecretDef, SecretParam};
use crate::sql::types::{self, any, boolean, integer, varchar};
use duckdb::core::LogicalTypeHandle;

/// The named parameters describing a Flight, with their SQL types.
pub fn flight_named_parameters() -> Vec<(&'static str, LogicalTypeHandle)> {
    vec![
        ("config", types::config_map()),
        ("override", types::config_map()),
        ("flight_secret_names", types::text_list()),
        // Either MAP(VARCHAR, VARCHAR[]) or MAP(VARCHAR, MAP(VARCHAR, VARCHAR)).
        ("secrets", any()),
        ("access_token_name", varchar()),
        ("secret_naming", varchar()),
        ("bare_aliases", boolean()),
        ("schedule_cron", varchar()),
        // Fetch the stored definition from MotherDuck; given parameters win.
        ("flight", varchar()),
        ("version", integer()),
    ]
}

/// Which stored Flight `flight :=` (at `version :=`) asks for, if any.
/// Pure: the fetch itself is a step the table function takes
/// (`crate::sql::functions::motherduck_stored`).
pub fn stored_request(args: &Args) -> Result<Option<(String, Option<i64>)>, String> {
    let Some(flight) = opt_text("flight", args.named("flight"))? else {
        if !matches!(args.named("version"), SqlValue::Null) {
            return Err("version := needs flight := (the Flight whose version to fetch)".into());
        }
        return Ok(None);
    };
    Ok(Some((flight, opt_int("version", args.named("version"))?)))
}

/// An INTEGER argument; NULL means absent.
pub fn opt_int(param: &str, value: &SqlValue) -> Result<Option<i64>, String> {
    match value {
        SqlValue::Null => Ok(None),
        SqlValue::Int(i) => Ok(Some(*i)),
        other => Err(format!("{param} must be an INTEGER; got {}", other.kind())),
    }
}

/// Reads the Flight description from a call's named arguments.
pub fn flight_spec(args: &Args) -> Result<FlightSpec, String> {
    Ok(FlightSpec {
        config: config_map("config", args.named("config"))?,
        override_config: config_map("override", args.named("override"))?,
        flight_secret_names: text_list("flight_secret_names", args.named("flight_secret_names"))?,
        secrets: secrets(args.named("secrets"))?,
        access_token_name: opt_text("access_token_name", args.named("access_token_name"))?,
        secret_naming: opt_text("secret_naming", args.named("secret_naming"))?,
        bare_aliases: opt_bool("bare_aliases", args.named("bare_aliases"))?.unwrap_or(false),
        schedule_cron: opt_text("schedule_cron", args.named("schedule_cron"))?,
    })
}

/// A `MAP(VARCHAR, VARCHAR)` argument; NULL means absent.
pub fn config_map(param: &str, value: &SqlValue) -> Result<Option<ConfigMap>, String> {
    match value {
        SqlValue::Null => Ok(None),
        SqlValue::Map(entries) => entries
            .iter()
            .map(|(k, v)| Ok((text_of(param, k)?, opt_text(param, v)?)))
            .collect::<Result<_, String>>()
            .map(Some),
        other => {
            Err(format!("{param} must be a MAP(VARCHAR, VARCHAR), e.g. MAP {{'REGION': 'us'}}; got {}", other.kind()))
        }
    }
}

/// A `VARCHAR[]` argument; NULL means absent; elements may be NULL.
pub fn text_list(param: &str, value: &SqlValue) -> Result<Option<Vec<Option<String>>>, String> {
    match value {
        SqlValue::Null => Ok(None),
        SqlValue::List(items) => items.iter().map(|v| opt_text(param, v)).collect::<Result<_, _>>().map(Some),
        other => Err(format!("{param} must be a VARCHAR[], e.g. ['my_api_secret']; got {}", other.kind())),
    }
}

/// A VARCHAR argument; NULL means absent.
pub fn opt_text(param: &str, value: &SqlValue) -> Result<Option<String>, String> {
    match value {
        SqlValue::Null => Ok(None),
        SqlValue::Text(t) => Ok(Some(t.clone())),
        other => Err(format!("{param} must be VARCHAR; got {}", other.kind())),
    }
}

/// A BOOLEAN argument; NULL means absent.
pub fn opt_bool(param: &str, value: &SqlValue) -> Result<Option<bool>, String> {
    match value {
        SqlValue::Null => Ok(None),
        SqlValue::Bool(b) => Ok(Some(*b)),
        other => Err(format!("{param} must be BOOLEAN (true or false); got {}", other.kind())),
    }
}

fn text_of(param: &str, value: &SqlValue) -> Result<String, String> {
    opt_text(param, value)?.ok_or_else(|| format!("{param} has a NULL key"))
}

const SECRETS_SHAPE: &str = "secrets must be MAP(VARCHAR, VARCHAR[]) (secret name to its param keys, \
     e.g. MAP {'my_api_secret': ['API_KEY']}) or MAP(VARCHAR, MAP(VARCHAR, VARCHAR)) \
     (secret name to its PARAMS map, e.g. MAP {'my_api_secret': MAP {'API_KEY': '...'}})";

/// The `secrets` argument: secret name to param keys, or to its PARAMS map.
pub fn secrets(value: &SqlValue) -> Result<Option<Vec<SecretDef>>, String> {
    let entries = match value {
        SqlValue::Null => return Ok(None),
        SqlValue::Map(entries) => entries,
        other => return Err(format!("{SECRETS_SHAPE}; got {}", other.kind())),
    };
    entries
        .iter()
        .map(|(name, params)| {
            let name = text_of("secrets", name)?;
            let params = match params {
                SqlValue::Null => Vec::new(),
                // A NULL key reads as an empty key, which the rules report.
                SqlValue::List(keys) => keys
                    .iter()
                    .map(|k| {
                        let key = opt_text("secrets", k).map_err(|_| secret_shape_error(&name, k))?;
                        Ok(SecretParam { key: key.unwrap_or_default(), value: ParamValue::KeyOnly })
                    })
                    .collect::<Result<_, String>>()?,
                SqlValue::Map(pairs) => pairs
                    .iter()
                    .map(|(k, v)| {
                        let key = text_of("secrets", k).map_err(|_| secret_shape_error(&name, k))?;
                        let value = match v {
                            SqlValue::Null => ParamValue::Null,
                            SqlValue::Text(t) => ParamValue::Given(t.clone()),
                            // Never render the value: it may be a secret.
                            other => return Err(secret_shape_error(&name, other)),
                        };
                        Ok(SecretParam { key, value })
                    })
                    .collect::<Result<_, String>>()?,
                other => return Err(secret_shape_error(&name, other)),
            };
            Ok(SecretDef { name, params })
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

fn secret_shape_error(name: &str, got: &SqlValue) -> String {
    format!("{SECRETS_SHAPE}; the entry for secret '{name}' holds {}", got.kind())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> SqlValue {
        SqlValue::Text(s.into())
    }

    #[test]
    fn absent_parameters_are_none() {
        let spec = flight_spec(&Args::default()).unwrap();
        assert_eq!(spec, FlightSpec::default());
    }

    #[test]
    fn reads_every_parameter() {
        let args = Args::new(
            vec![],
            vec![
                ("config", SqlValue::Map(vec![(text("REGION"), text("us")), (text("EMPTY"), SqlValue::Null)])),
                ("flight_secret_names", SqlValue::List(vec![text("a"), SqlValue::Null])),
                ("secrets", SqlValue::Map(vec![(text("a"), SqlValue::List(vec![text("K")]))])),
                ("access_token_name", text("svc")),
                ("secret_naming", text("lower")),
                ("bare_aliases", SqlValue::Bool(true)),
            ],
        );
        let spec = flight_spec(&args).unwrap();
        assert_eq!(spec.config, Some(vec![("REGION".into(), Some("us".into())), ("EMPTY".into(), None)]));
        assert_eq!(spec.override_config, None);
        assert_eq!(spec.flight_secret_names, Some(vec![Some("a".into()), None]));
        assert_eq!(
            spec.secrets,
            Some(vec![SecretDef {
                name: "a".into(),
                params: vec![SecretParam { key: "K".into(), value: ParamValue::KeyOnly }]
            }])
        );
        assert_eq!(spec.access_token_name.as_deref(), Some("svc"));
        assert_eq!(spec.secret_naming.as_deref(), Some("lower"));
        assert!(spec.bare_aliases);
    }

    #[test]
    fn secrets_as_params_maps() {
        let value =
            SqlValue::Map(vec![(text("s"), SqlValue::Map(vec![(text("K"), text("v")), (text("N"), SqlValue::Null)]))]);
        let defs = secrets(&value).unwrap().unwrap();
        assert_eq!(defs[0].params[0].value, ParamValue::Given("v".into()));
        assert_eq!(defs[0].params[1].value, ParamValue::Null);
    }

    #[test]
    fn wrong_secret_shapes_are_explained_without_values() {
        let err = secrets(&text("s")).unwrap_err();
        assert!(err.contains("MAP(VARCHAR, VARCHAR[])"), "{err}");
        let value = SqlValue::Map(vec![(text("s"), text("hunter2"))]);
        let err = secrets(&value).unwrap_err();
        assert!(err.contains("'s'") && !err.contains("hunter2"), "{err}");
        let value = SqlValue::Map(vec![(text("s"), SqlValue::Map(vec![(text("K"), SqlValue::Int(7))]))]);
        let err = secrets(&value).unwrap_err();
        assert!(!err.contains('7'), "{err}");
    }

    #[test]
    fn wrong_scalar_types_are_explained() {
        assert!(opt_bool("bare_aliases", &text("yes")).unwrap_err().contains("BOOLEAN"));
        assert!(config_map("config", &text("x")).unwrap_err().contains("MAP(VARCHAR, VARCHAR)"));
    }
}
