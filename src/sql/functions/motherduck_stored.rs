//! `flight :=` on the Flight-describing table functions: the explicit step
//! that fetches the stored definition (network: [`crate::motherduck`]) and
//! merges it into the described Flight (pure rule: [`crate::flight::stored`]).

use crate::flight::stored::{fill_spec, StoredFlight};
use crate::flight::FlightSpec;
use crate::motherduck::api::fetch_flight;
use crate::sql::params::{flight_spec, stored_request};
use crate::sql::table::Args;

/// The Flight a call describes: its named parameters, with what `flight :=`
/// fetched filling the ones not given; and the fetched definition.
pub fn described_flight(args: &Args) -> Result<(FlightSpec, Option<StoredFlight>), String> {
    let mut spec = flight_spec(args)?;
    let stored = match stored_request(args)? {
        Some((flight, version)) => Some(fetch_flight(args.caller("flight :="), &flight, version)?.stored),
        None => None,
    };
    if let Some(stored) = &stored {
        fill_spec(&mut spec, stored);
    }
    Ok((spec, stored))
}
