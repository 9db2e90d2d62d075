//! The variables of a run and where each comes from.
//!
//! [`Origin`] is typed; it becomes the text of the `origin` column only at
//! the edge ([`Origin`]'s `Display`), and no rule parses that text back.

use std::borrow::Cow;
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
pub enum Origin<'s> {
    /// `MOTHERDUCK_TOKEN`, from the token with this label.
    Token { label: Cow<'s, str> },
    /// A stored config key.
    Config { key: Cow<'s, str> },
    /// A stored config key whose value a per-run override replaces.
    Override { key: Cow<'s, str> },
    /// A param of an attached secret, under its prefixed name.
    Secret { secret: Cow<'s, str>, param: Cow<'s, str> },
    /// A param of an attached secret, under its bare name (`bare_aliases`).
    Alias { secret: Cow<'s, str>, param: Cow<'s, str> },
    /// The placeholder of an attached secret whose params are unknown; its
    /// variables all start with `prefix` (`MY_API_`).
    UnknownParams { secret: Cow<'s, str>, prefix: Cow<'s, str> },
}

impl Origin<'_> {
    /// The origin, owning its text.
    pub fn into_owned(self) -> Origin<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        match self {
            Origin::Token { label } => Origin::Token { label: own(label) },
            Origin::Config { key } => Origin::Config { key: own(key) },
            Origin::Override { key } => Origin::Override { key: own(key) },
            Origin::Secret { secret, param } => Origin::Secret { secret: own(secret), param: own(param) },
            Origin::Alias { secret, param } => Origin::Alias { secret: own(secret), param: own(param) },
            Origin::UnknownParams { secret, prefix } => {
                Origin::UnknownParams { secret: own(secret), prefix: own(prefix) }
            }
        }
    }

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
impl fmt::Display for Origin<'_> {
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
pub struct EnvVar<'s> {
    pub name: Cow<'s, str>,
    /// Config and override values in clear; `redacted` for the token and secrets;
    /// `None` for the placeholder row of a secret whose params are unknown.
    pub value: Option<Cow<'s, str>>,
    pub source: EnvSource,
    pub origin: Origin<'s>,
    pub sensitive: bool,
    pub note: Option<String>,
}

impl EnvVar<'_> {
    /// The variable, owning its text (to outlive the Flight it was resolved from).
    pub fn into_owned(self) -> EnvVar<'static> {
        EnvVar {
            name: Cow::Owned(self.name.into_owned()),
            value: self.value.map(|v| Cow::Owned(v.into_owned())),
            source: self.source,
            origin: self.origin.into_owned(),
            sensitive: self.sensitive,
            note: self.note,
        }
    }
}
