//! Shared helpers for the structured fuzz targets: strings that are either
//! drawn from a small vocabulary of names the rules care about (so that keys,
//! secret names and params collide often enough to reach the interesting
//! branches) or arbitrary, and config maps with unique keys.

#![allow(dead_code)]

use arbitrary::{Arbitrary, Result, Unstructured};

/// Names and values the rules treat specially.
pub const VOCABULARY: &[&str] = &[
    "",
    "A",
    "K",
    "s",
    "S",
    "a_b",
    "B_C",
    "C",
    "REGION",
    "region",
    "REGON",
    "BATCH_SIZE",
    "API_KEY",
    "api_key",
    "ENDPOINT",
    "my_api_secret",
    "MY_API_SECRET_API_KEY",
    "my_api_secret_API_KEY",
    "MOTHERDUCK_TOKEN",
    "MOTHERDUCK_FLIGHTS_RUN",
    "MOTHERDUCK_FLIGHT_ID",
    "MOTHERDUCK_FLIGHT_RUN_ID",
    "motherduck",
    "TOKEN_NAME",
    "dbPassword",
    "A=B",
    "N\0UL",
    "a.b",
    "S_K",
    "*",
    "upper",
    "lower",
    " LOWER ",
    "camel",
    "MotherDuck Flights",
    "sk-abcdefghijklmnopqrstuvwxyz",
    "AKIAABCDEFGHIJKLMNOP",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "-----BEGIN RSA PRIVATE KEY-----",
    "\u{130}",
    "\u{df}",
    "line\nbreak",
    "quote'",
];

/// A string that is a vocabulary word, a vocabulary word with a suffix, or arbitrary.
#[derive(Debug, Clone)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Text(match u.int_in_range(0u8..=3)? {
            0 | 1 => (*u.choose(VOCABULARY)?).to_owned(),
            2 => format!("{}{}", u.choose(VOCABULARY)?, String::arbitrary(u)?),
            _ => String::arbitrary(u)?,
        }))
    }
}

/// `Option<Text>` as a plain `Option<String>`.
pub fn opt(text: Option<Text>) -> Option<String> {
    text.map(|t| t.0)
}

/// A config map with unique keys (DuckDB map keys never repeat): the first of each key is kept.
pub fn config_map(entries: Vec<(Text, Option<Text>)>) -> Vec<(String, Option<String>)> {
    let mut seen = std::collections::HashSet::new();
    entries.into_iter().map(|(k, v)| (k.0, opt(v))).filter(|(k, _)| seen.insert(k.clone())).collect()
}
