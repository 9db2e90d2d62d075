//! THE table of a Flight's fields: each field is declared once, below, with
//! its SQL name, its MCP name (where MotherDuck's older tools spell it
//! otherwise), its type, where it appears and how an update treats it.
//!
//! Everything that reads or writes a Flight derives from [`FIELDS`]:
//! [`FlightSpec`] itself (generated here), the named parameters of the
//! Flight-describing table functions and the row reader of `flight_findings`
//! (`crate::sql::params`, `crate::sql::row`), the update reader and THE
//! replace rule (`update.rs`), the stored-definition mapping
//! (`crate::flight::stored`, `crate::motherduck::tools::flights`) and the docs
//! (`crate::sql::docs`). Adding a field: one entry below, and the rule that
//! checks it.
//!
//! One rule for two spellings ([`FieldDef::alias`]): they are the same field;
//! when both are given non-NULL and differ, that is an error naming both
//! ([`SpellingConflict`]); otherwise the non-NULL one counts.

use super::{ConfigMap, SecretDef};

/// The Rust type each [`FieldKind`] holds.
pub mod kinds {
    pub type Text = String;
    pub type Bool = bool;
    pub type Integer = i64;
    /// A list whose elements may be NULL.
    pub type TextList = Vec<Option<String>>;
    pub type ConfigMap = super::ConfigMap;
    pub type Secrets = Vec<super::SecretDef>;
}

/// What a field holds, as SQL sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `VARCHAR`.
    Text,
    /// `BOOLEAN`.
    Bool,
    /// Any integer type (`INTEGER`, `BIGINT`, `UINTEGER`, ...).
    Integer,
    /// `VARCHAR[]`.
    TextList,
    /// `MAP(VARCHAR, VARCHAR)`.
    ConfigMap,
    /// `MAP(VARCHAR, VARCHAR[])` (param keys) or `MAP(VARCHAR, MAP(VARCHAR, VARCHAR))` (PARAMS maps).
    Secrets,
}

impl FieldKind {
    /// The SQL type, as the docs and errors name it.
    pub fn sql_type(self) -> &'static str {
        match self {
            FieldKind::Text => "VARCHAR",
            FieldKind::Bool => "BOOLEAN",
            FieldKind::Integer => "BIGINT",
            FieldKind::TextList => "VARCHAR[]",
            FieldKind::ConfigMap => "MAP(VARCHAR, VARCHAR)",
            FieldKind::Secrets => "MAP(VARCHAR, VARCHAR[]) or MAP(VARCHAR, MAP(VARCHAR, VARCHAR))",
        }
    }
}

/// One field's value, as the readers produce it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(kinds::Text),
    Bool(kinds::Bool),
    Integer(kinds::Integer),
    TextList(kinds::TextList),
    ConfigMap(kinds::ConfigMap),
    Secrets(kinds::Secrets),
}

impl FieldValue {
    /// The kind of this value.
    pub fn kind(&self) -> FieldKind {
        match self {
            FieldValue::Text(_) => FieldKind::Text,
            FieldValue::Bool(_) => FieldKind::Bool,
            FieldValue::Integer(_) => FieldKind::Integer,
            FieldValue::TextList(_) => FieldKind::TextList,
            FieldValue::ConfigMap(_) => FieldKind::ConfigMap,
            FieldValue::Secrets(_) => FieldKind::Secrets,
        }
    }
}

/// Where a field appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appears {
    /// A Flight row (`flight_findings(row)`, `flight_env(row)`, the Flight of `flight_update_findings`).
    pub row: bool,
    /// A named parameter of `flight_env_preview`, `flight_check` and `flight_source_check`.
    pub params: bool,
    /// A field of an update (`MD_UPDATE_FLIGHT`'s named parameters).
    pub update: bool,
    /// A field of a stored Flight fetched from MotherDuck (`get_flight`).
    pub stored: bool,
}

impl Appears {
    pub const NONE: Appears = Appears { row: false, params: false, update: false, stored: false };
    /// A stored field's: a row, a parameter, an update and a stored Flight.
    pub const ALL: Appears = Appears { row: true, params: true, update: true, stored: true };
}

/// How an update (`MD_UPDATE_FLIGHT`) treats a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateRule {
    /// Not a field of an update.
    Not,
    /// Given: replaces the whole stored value (replace, not merge); left out or NULL: kept.
    Replace,
    /// As `Replace`, and the empty string clears the field (`schedule_cron := ''`).
    ReplaceEmptyClears,
    /// What the described secrets hold: the update's entries replace the entries of the same name.
    MergeByName,
}

/// One field of a Flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub field: Field,
    /// The SQL name (named parameter, row field, `MD_*` column).
    pub sql: &'static str,
    /// The other spelling MotherDuck's tools use (`md_token_name`), if any.
    pub alias: Option<&'static str>,
    pub kind: FieldKind,
    pub appears: Appears,
    pub update: UpdateRule,
    /// Whether a rule of flights_helper checks it (`false`: carried and shown only).
    pub checked: bool,
    /// What it is, for the docs.
    pub about: &'static str,
}

impl FieldDef {
    /// Whether `name` (compared ignoring ASCII case, as DuckDB does) names this field.
    pub fn is_named(&self, name: &str) -> bool {
        self.sql.eq_ignore_ascii_case(name) || self.alias.is_some_and(|a| a.eq_ignore_ascii_case(name))
    }

    /// The field's names, for messages: `access_token_name (or md_token_name)`.
    pub fn names(&self) -> String {
        match self.alias {
            Some(alias) => format!("{} (or {alias})", self.sql),
            None => self.sql.to_owned(),
        }
    }
}

/// The field named `name` (either spelling, ignoring ASCII case) among the fields `appears` selects.
pub fn field_named(name: &str, appears: impl Fn(&Appears) -> bool) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|def| appears(&def.appears) && def.is_named(name))
}

/// The fields `appears` selects, in table order.
pub fn fields_where(appears: impl Fn(&Appears) -> bool) -> impl Iterator<Item = &'static FieldDef> {
    FIELDS.iter().filter(move |def| appears(&def.appears))
}

/// Both spellings of one field were given, non-NULL and different.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpellingConflict {
    pub first: String,
    pub second: String,
}

impl std::fmt::Display for SpellingConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The values are never shown: a field may hold a secret.
        write!(
            f,
            "{} and {} are two spellings of one field and were given different values; give one of them \
             (or the same value in both)",
            self.first, self.second
        )
    }
}

/// The value given, else the default (an entry's optional part of [`flight_fields`]).
macro_rules! given_or {
    ($default:expr) => {
        $default
    };
    ($default:expr, $given:expr) => {
        $given
    };
}

/// Declares [`Field`], [`FIELDS`] and [`FlightSpec`] from one table. An
/// entry says what differs from a stored field's defaults: no `alias`,
/// `appears` everywhere ([`Appears::ALL`]), `update: Replace`, `checked: true`.
macro_rules! flight_fields {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $kind:ident = $variant:ident {
            sql: $sql:literal,
            $(alias: $alias:expr,)?
            $(appears: [$($surface:ident),*],)?
            $(update: $update:ident,)?
            $(checked: $checked:literal,)?
            about: $about:literal $(,)?
        },
    )*) => {
        /// A field of a Flight (see [`FIELDS`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($variant,)*
        }

        /// Every field of a Flight, in the docs' order.
        #[allow(clippy::needless_update)]
        pub const FIELDS: &[FieldDef] = &[$(
            FieldDef {
                field: Field::$variant,
                sql: $sql,
                alias: given_or!(None $(, $alias)?),
                kind: FieldKind::$kind,
                appears: given_or!(Appears::ALL $(, Appears { $($surface: true,)* ..Appears::NONE })?),
                update: given_or!(UpdateRule::Replace $(, UpdateRule::$update)?),
                checked: given_or!(true $(, $checked)?),
                about: $about,
            },
        )*];

        /// Everything a user can say about a Flight to preview or check its run,
        /// one member per entry of [`FIELDS`]; `None`: absent or NULL.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct FlightSpec {
            $($(#[doc = $doc])* pub $name: Option<kinds::$kind>,)*
        }

        impl FlightSpec {
            /// Sets `field` to `value`; a value of another kind is handed back.
            pub fn set(&mut self, field: Field, value: FieldValue) -> Result<(), FieldValue> {
                match (field, value) {
                    $((Field::$variant, FieldValue::$kind(v)) => self.$name = Some(v),)*
                    (_, other) => return Err(other),
                }
                Ok(())
            }

            /// The value of `field` (a copy); `None` when absent.
            pub fn value(&self, field: Field) -> Option<FieldValue> {
                match field {
                    $(Field::$variant => self.$name.clone().map(FieldValue::$kind),)*
                }
            }

            /// Whether `field` is given.
            pub fn has(&self, field: Field) -> bool {
                match field {
                    $(Field::$variant => self.$name.is_some(),)*
                }
            }

            /// Makes `field` absent.
            pub fn clear(&mut self, field: Field) {
                match field {
                    $(Field::$variant => self.$name = None,)*
                }
            }

            /// Copies `field` from `other` when `other` gives it.
            pub fn take_given(&mut self, other: &FlightSpec, field: Field) {
                match field {
                    $(Field::$variant => if let Some(v) = &other.$name {
                        self.$name = Some(v.clone());
                    },)*
                }
            }
        }
    };
}

flight_fields! {
    /// The stored config.
    config: ConfigMap = Config { sql: "config", about: "the stored config; a NULL map is an empty config" },
    /// A per-run override (`override :=`).
    override_config: ConfigMap = Override { sql: "override", appears: [row, params], update: Not, about: "a per-run override (MD_RUN_FLIGHT's config :=)" },
    /// The attached secret names in order; an element may be NULL.
    flight_secret_names: TextList = FlightSecretNames { sql: "flight_secret_names", alias: Some("md_secret_names"), about: "the attached Flight secrets, in order" },
    /// What the secrets hold, in map order.
    secrets: Secrets = Secrets { sql: "secrets", appears: [row, params, update], update: MergeByName, about: "what each secret holds: its param keys, or its PARAMS map (values never shown)" },
    /// The token label.
    access_token_name: Text = AccessTokenName { sql: "access_token_name", alias: Some("md_token_name"), about: "the label of the access token the run uses (default 'MotherDuck Flights')" },
    /// `upper` (default) or `lower`; parsed (and rejected when unknown) by the rules.
    secret_naming: Text = SecretNaming { sql: "secret_naming", appears: [row, params], update: Not, about: "'upper' (default: MY_API_SECRET_API_KEY) or 'lower'" },
    /// Whether runs also get each secret param under its bare name.
    bare_aliases: Bool = BareAliases { sql: "bare_aliases", appears: [row, params], update: Not, about: "whether runs also get each secret param under its bare name" },
    /// The Flight's schedule (the column of `MD_FLIGHTS()`); `None`: not scheduled.
    schedule_cron: Text = ScheduleCron { sql: "schedule_cron", update: ReplaceEmptyClears, about: "the Flight's schedule ('' in an update clears it)" },
    /// The Flight's Python source.
    source_code: Text = SourceCode { sql: "source_code", about: "the Flight's Python source (flight_check reads it; flight_env_preview ignores it; flight_source_check takes it positionally)" },
    /// The Flight's requirements, as a requirements.txt.
    requirements_txt: Text = RequirementsTxt { sql: "requirements_txt", about: "the Flight's requirements, one pip requirement a line" },
    /// Seconds a run may take; 0: no limit.
    max_runtime_sec: Integer = MaxRuntimeSec { sql: "max_runtime_sec", about: "seconds a run may take (0: no limit)" },
    /// The Flight size (`F4`, `F16`, `F32`).
    instance_type: Text = InstanceType { sql: "instance_type", about: "the Flight size (F4, F16, F32)" },
    /// The DuckDB client versions MotherDuck accepts, as a PEP 440 specifier.
    duckdb_window: Text = DuckdbWindow { sql: "duckdb_window", appears: [row, params], update: Not, about: "the DuckDB client versions MotherDuck accepts, a PEP 440 specifier (default: the version lifecycle page's, '>=1.4.0,<=1.5.6'; give your region's)" },
    /// The labels of the access tokens that exist (`SELECT list(token_name) FROM md_access_tokens()`).
    access_tokens: TextList = AccessTokens { sql: "access_tokens", appears: [row, params], update: Not, about: "the labels of the access tokens that exist (SELECT list(token_name) FROM md_access_tokens()); access_token_name is held against them" },
}

/// Update fields `MD_UPDATE_FLIGHT` takes that no rule reads: accepted in an update row, not read.
pub const UPDATE_FIELDS_UNREAD: [&str; 3] = ["flight_id", "id", "metadata"];

/// Sets `field` of `spec`, given under the name `given_as`, by THE spelling
/// rule: a field already given (under its other spelling) with a different
/// value is a conflict naming both spellings.
pub fn set_spelled(
    spec: &mut FlightSpec,
    def: &FieldDef,
    given_as: &str,
    value: FieldValue,
) -> Result<(), SpellingConflict> {
    if let Some(existing) = spec.value(def.field) {
        if existing == value {
            return Ok(());
        }
        let other = if def.sql.eq_ignore_ascii_case(given_as) { def.alias.unwrap_or(def.sql) } else { def.sql };
        return Err(SpellingConflict { first: other.to_owned(), second: given_as.to_owned() });
    }
    // The kinds match: every reader produces the kind its FieldDef declares.
    let _ = spec.set(def.field, value);
    Ok(())
}

/// The definition of `field`.
pub fn def(field: Field) -> &'static FieldDef {
    FIELDS.iter().find(|d| d.field == field).expect("every Field has its FieldDef (generated together)")
}

/// docs/functions.md's table of a Flight's fields, as [`FIELDS`] writes it.
pub fn field_table() -> String {
    let mut table =
        String::from("| field | type | where | an update | checked | meaning |\n|---|---|---|---|---|---|\n");
    for def in FIELDS {
        let name = match def.alias {
            Some(alias) => format!("`{}` (or MCP's `{alias}`)", def.sql),
            None => format!("`{}`", def.sql),
        };
        let a = def.appears;
        let places: Vec<&str> = [(a.row, "row"), (a.params, "parameter"), (a.update, "update"), (a.stored, "stored")]
            .into_iter()
            .filter_map(|(is, place)| is.then_some(place))
            .collect();
        let update = match def.update {
            UpdateRule::Not => "-",
            UpdateRule::Replace => "replaces",
            UpdateRule::ReplaceEmptyClears => "replaces; `''` clears",
            UpdateRule::MergeByName => "replaces entries by secret name",
        };
        table.push_str(&format!(
            "| {name} | `{}` | {} | {update} | {} | {} |\n",
            def.kind.sql_type(),
            places.join(", "),
            if def.checked { "yes" } else { "no" },
            def.about
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/functions.md's table is the table's, row for row (regenerate it with `field_table`).
    #[test]
    fn readme_table_is_the_fields() {
        let readme = include_str!("../../../docs/functions.md");
        let table = field_table();
        assert!(readme.contains(&table), "docs/functions.md's field table differs from FIELDS; write:\n{table}");
    }

    #[test]
    fn every_field_is_in_the_table_once_in_order() {
        for (i, def) in FIELDS.iter().enumerate() {
            assert_eq!(super::def(def.field).sql, def.sql);
            assert!(FIELDS[..i].iter().all(|d| !d.is_named(def.sql)), "{} twice", def.sql);
        }
    }

    #[test]
    fn set_and_value_round_trip_for_every_kind() {
        let mut spec = FlightSpec::default();
        for def in FIELDS {
            let value = match def.kind {
                FieldKind::Text => FieldValue::Text("x".into()),
                FieldKind::Bool => FieldValue::Bool(true),
                FieldKind::Integer => FieldValue::Integer(7),
                FieldKind::TextList => FieldValue::TextList(vec![Some("a".into()), None]),
                FieldKind::ConfigMap => FieldValue::ConfigMap(vec![("K".into(), None)]),
                FieldKind::Secrets => FieldValue::Secrets(vec![SecretDef { name: "s".into(), params: vec![] }]),
            };
            assert!(!spec.has(def.field));
            spec.set(def.field, value.clone()).unwrap();
            assert_eq!(spec.value(def.field), Some(value.clone()), "{}", def.sql);
            assert_eq!(value.kind(), def.kind);
            let wrong = if def.kind == FieldKind::Bool { FieldValue::Integer(1) } else { FieldValue::Bool(true) };
            assert_eq!(spec.set(def.field, wrong.clone()), Err(wrong));
        }
        let mut copy = FlightSpec::default();
        for def in FIELDS {
            copy.take_given(&spec, def.field);
        }
        assert_eq!(copy, spec);
        for def in FIELDS {
            copy.clear(def.field);
        }
        assert_eq!(copy, FlightSpec::default());
    }

    #[test]
    fn two_spellings_are_one_field() {
        let token = field_named("MD_TOKEN_NAME", |a| a.row).unwrap();
        assert_eq!(token.field, Field::AccessTokenName);
        assert_eq!(token.names(), "access_token_name (or md_token_name)");
        let mut spec = FlightSpec::default();
        set_spelled(&mut spec, token, "access_token_name", FieldValue::Text("svc".into())).unwrap();
        // The same value under the other spelling: fine.
        set_spelled(&mut spec, token, "md_token_name", FieldValue::Text("svc".into())).unwrap();
        let err = set_spelled(&mut spec, token, "md_token_name", FieldValue::Text("other".into())).unwrap_err();
        assert_eq!(err, SpellingConflict { first: "access_token_name".into(), second: "md_token_name".into() });
        let text = err.to_string();
        assert!(text.contains("access_token_name and md_token_name") && !text.contains("other"), "{text}");
        assert_eq!(spec.access_token_name.as_deref(), Some("svc"));
    }

    #[test]
    fn surfaces_select_fields() {
        let update: Vec<_> = fields_where(|a| a.update).map(|d| d.sql).collect();
        assert!(update.contains(&"requirements_txt") && !update.contains(&"override"), "{update:?}");
        for def in FIELDS {
            assert_eq!(def.update != UpdateRule::Not, def.appears.update, "{}", def.sql);
        }
        // flight_check reads the source as a named parameter (flight_source_check takes it positionally).
        assert!(field_named("source_code", |a| a.params).is_some());
    }
}
