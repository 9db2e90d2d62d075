//! The answers of MotherDuck's Flights tools, read in the shapes MotherDuck
//! documents (pure): a stored Flight, its versions and runs, every Flight
//! ([`flights`], into [`crate::flight::stored::StoredFlight`]), and a run's
//! log ([`logs`]).

pub mod flights;
pub mod logs;
