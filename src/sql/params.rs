//! Reading the named parameters every Flight-describing table function takes
//! (the fields of [`FIELDS`] that appear as parameters: `config`, `override`,
//! `flight_secret_names`, `secrets`, `access_token_name`, ...) into a
//! [`FlightSpec`]. Pure: works on [`SqlValue`] trees, unit-tested below.
//! The parameters, their types and their readers all derive from the table.

use super::table::Args;
use super::value::SqlValue;
use crate::flight::{
    fields_where, set_spelled, Appears, ConfigMap, FieldDef, FieldKind, FieldValue, FlightSpec, ParamValue, SecretDef,
    SecretParam, FIELDS,
};
use crate::sql::types::SqlType;

/// The SQL type a parameter of `kind` is declared with.
pub fn parameter_type(kind: FieldKind) -> SqlType {
    match kind {
        FieldKind::Text => SqlType::Varchar,
        FieldKind::Bool => SqlType::Boolean,
        FieldKind::Integer => SqlType::BIGINT,
        FieldKind::TextList => SqlType::TEXT_LIST,
        FieldKind::ConfigMap => SqlType::CONFIG_MAP,
        // Either MAP(VARCHAR, VARCHAR[]) or MAP(VARCHAR, MAP(VARCHAR, VARCHAR)).
        FieldKind::Secrets => SqlType::Any,
    }
}

/// The named parameters of the fields `appears` selects, with their SQL types.
pub fn field_parameters(appears: impl Fn(&Appears) -> bool) -> Vec<(&'static str, SqlType)> {
    fields_where(appears).map(|def| (def.sql, parameter_type(def.kind))).collect()
}

/// The named parameters describing a Flight, with their SQL types
/// (`source_code` among them: a function that takes the source positionally filters it out).
pub fn flight_named_parameters() -> Vec<(&'static str, SqlType)> {
    let mut params = field_parameters(|a| a.params);
    // Fetch the stored definition from MotherDuck; given parameters win.
    params.extend([("flight", SqlType::Varchar), ("version", SqlType::INTEGER)]);
    params
}

/// Reads `value`, given for the field `def` under the name `param`; NULL means absent.
pub fn field_value(def: &FieldDef, param: &str, value: &SqlValue) -> Result<Option<FieldValue>, String> {
    Ok(match def.kind {
        FieldKind::Text => opt_text(param, value)?.map(FieldValue::Text),
        FieldKind::Bool => opt_bool(param, value)?.map(FieldValue::Bool),
        FieldKind::Integer => opt_int(param, value)?.map(FieldValue::Integer),
        FieldKind::TextList => text_list(param, value)?.map(FieldValue::TextList),
        FieldKind::ConfigMap => config_map(param, value)?.map(FieldValue::ConfigMap),
        FieldKind::Secrets => secrets(value)?.map(FieldValue::Secrets),
    })
}

/// The Flight that `named` values describe, each read as the field of [`FIELDS`]
/// `appears` selects under that name (either spelling); other names are skipped.
pub fn spec_of_named<'v>(
    named: impl IntoIterator<Item = (&'v str, &'v SqlValue)>,
    appears: impl Fn(&Appears) -> bool,
) -> Result<FlightSpec, String> {
    let mut spec = FlightSpec::default();
    for (name, value) in named {
        let Some(def) = FIELDS.iter().find(|def| appears(&def.appears) && def.is_named(name)) else { continue };
        if let Some(value) = field_value(def, def.sql, value)? {
            set_spelled(&mut spec, def, name, value).map_err(|e| e.to_string())?;
        }
    }
    Ok(spec)
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
        SqlValue::BigInt(i) => Ok(Some(*i)),
        other => Err(format!("{param} must be an INTEGER; got {}", other.kind())),
    }
}

/// Reads the Flight description from a call's named arguments.
pub fn flight_spec(args: &Args) -> Result<FlightSpec, String> {
    spec_of_named(fields_where(|a| a.params).map(|def| (def.sql, args.named(def.sql))), |a| a.params)
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
        assert_eq!(spec.bare_aliases, Some(true));
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
        let value = SqlValue::Map(vec![(text("s"), SqlValue::Map(vec![(text("K"), SqlValue::BigInt(7))]))]);
        let err = secrets(&value).unwrap_err();
        assert!(!err.contains('7'), "{err}");
    }

    #[test]
    fn wrong_scalar_types_are_explained() {
        assert!(opt_bool("bare_aliases", &text("yes")).unwrap_err().contains("BOOLEAN"));
        assert!(config_map("config", &text("x")).unwrap_err().contains("MAP(VARCHAR, VARCHAR)"));
    }
}
