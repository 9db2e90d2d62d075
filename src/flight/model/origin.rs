//! The variables of a run and where each comes from.
//!
//! [`Origin`] is typed; it becomes the text of the `origin` column only at
//! the edge ([`Origin`]'s `Display`), and no rule parses that text back.

use std::fmt;

/// Where an environment variable of a run comes from (the `source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnvSource {
    Token,
    Config,
    Override,
    Secret,
    SecretAlias,
}

impl EnvSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvSource::Token => "token",
            EnvSource::Config => "config",
            EnvSource::Override => "override",
            EnvSource::Secret => "secret",
            EnvSource::SecretAlias => "secret_alias",
        }
    }
}

/// What exactly a variable comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `MOTHERDUCK_TOKEN`, from the token with this label.
    Token { label: String },
    /// A stored config key.
    Config { key: String },
    /// A stored config key whose value a per-run override replaces.
    Override { key: String },
    /// A param of an attached secret, under its prefixed name.
    Secret { secret: String, param: String },
    /// A param of an attached secret, under its bare name (`bare_aliases`).
    Alias { secret: String, param: String },
    /// The placeholder of an attached secret whose params are unknown; its
    /// variables all start with `prefix` (`MY_API_`).
    UnknownParams { secret: String, prefix: String },
}

impl Origin {
    /// The secret a secret-derived variable comes from (params known or not).
    pub fn secret(&self) -> Option<&str> {
        match self {
            Origin::Secret { secret, .. } | Origin::Alias { secret, .. } | Origin::UnknownParams { secret, .. } => {
                Some(secret)
            }
            _ => None,
        }
    }

    /// The secret and param of a secret-derived variable.
    pub fn secret_param(&self) -> Option<(&str, &str)> {
        match self {
            Origin::Secret { secret, param } | Origin::Alias { secret, param } => Some((secret, param)),
            _ => None,
        }
    }
}

/// The `origin` column: the token label, the config key,
/// `<secret name>.<PARAM>`, or `<secret name>.*` for unknown params.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Token { label } => f.write_str(label),
            Origin::Config { key } | Origin::Override { key } => f.write_str(key),
            Origin::Secret { secret, param } | Origin::Alias { secret, param } => write!(f, "{secret}.{param}"),
            Origin::UnknownParams { secret, .. } => write!(f, "{secret}.*"),
        }
    }
}

/// One row of `flight_env_preview`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// Config and override values in clear; `redacted` for the token and secrets;
    /// `None` for the placeholder row of a secret whose params are unknown.
    pub value: Option<String>,
    pub source: EnvSource,
    pub origin: Origin,
    pub sensitive: bool,
    pub note: Option<String>,
}
