//! Config updates and per-run overrides, and config in the JSON form MCP tools take.
//!
//! One file per job: `view` (reading maps without copying them), `diff`
//! (what an update or an override changes), `overrides` (THE per-run
//! override rule, typed; every function and the environment resolution word
//! its result), `json` (the MCP tools' JSON form).
//!
//! The domain (`shared/reference/flights-semantics.md`):
//! - Updating `config` (`MD_UPDATE_FLIGHT(config := ...)`) REPLACES the whole
//!   map: `{REGION: us, BATCH_SIZE: 1000}` updated with `{REGION: eu}` becomes
//!   `{REGION: eu}`, and `BATCH_SIZE` is gone.
//! - A per-run override (`MD_RUN_FLIGHT(config := ...)`) may only set keys the
//!   stored config already has; a new key is rejected and keys it leaves out
//!   keep their stored values. The run records the effective config: the
//!   stored one, in stored order, with the override's values for its keys.
//! - A NULL map is an empty config: callers pass an empty map for it.
//!
//! Every rule reads its maps through [`ConfigView`], so it takes an owned
//! [`ConfigMap`](crate::flight::ConfigMap) as well as borrowed [`Pair`]s (what the per-row scalars hold
//! over millions of rows) and never copies a string it does not return.
//! Maps are small, so lookups scan; a hash index is built only when both the
//! map and the number of lookups into it are large. No rule panics on any input.

mod diff;
mod json;
mod overrides;
mod view;

pub use super::suggest::{suggest_key, MAX_SUGGESTION_CANDIDATES};
pub use diff::*;
pub use json::*;
pub use overrides::*;
pub use view::*;

#[cfg(test)]
mod tests;
