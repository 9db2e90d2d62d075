//! MotherDuck's Flight sizes, as data (one place: the run-config rules and
//! the failed-run rules read them here).
//!
//! Source: MotherDuck's "Flight sizes" page,
//! <https://motherduck.com/docs/about-motherduck/billing/flight-sizes/>, read
//! 2026-12 (`shared/reference/flights-runtime.md`, section 7): the size's name
//! is F + its memory in GB; SQL sent over `md:` runs on a Duckling, not on
//! this instance. Whether an F8 exists, and the default size on Business and
//! Enterprise plans, are not documented there.

/// One Flight size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlightSize {
    /// As `instance_type` names it: `F16`.
    pub name: &'static str,
    /// Tenths of a vCPU (`5`: 0.5 vCPU).
    pub tenths_of_vcpu: u32,
    pub memory_gb: u32,
    /// The plans that offer it.
    pub plans: &'static str,
}

/// The sizes MotherDuck documents, smallest first.
pub const FLIGHT_SIZES: [FlightSize; 3] = [
    FlightSize { name: "F4", tenths_of_vcpu: 5, memory_gb: 4, plans: "Lite, Business" },
    FlightSize { name: "F16", tenths_of_vcpu: 20, memory_gb: 16, plans: "Lite (unlimited), Business" },
    FlightSize { name: "F32", tenths_of_vcpu: 40, memory_gb: 32, plans: "Business" },
];

/// Where [`FLIGHT_SIZES`] comes from, for messages.
pub const FLIGHT_SIZES_SOURCE: &str = "https://motherduck.com/docs/about-motherduck/billing/flight-sizes/";

/// The size named `name` (exactly as MotherDuck spells it).
pub fn flight_size(name: &str) -> Option<&'static FlightSize> {
    FLIGHT_SIZES.iter().find(|size| size.name == name)
}

/// The sizes' names, for messages: `F4, F16, F32`.
pub fn flight_size_names() -> String {
    FLIGHT_SIZES.iter().map(|size| size.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_named_by_their_memory() {
        for size in FLIGHT_SIZES {
            assert_eq!(size.name, format!("F{}", size.memory_gb));
            assert_eq!(flight_size(size.name), Some(&size));
        }
        assert_eq!(flight_size("f16"), None, "spelt as MotherDuck spells it");
        assert_eq!(flight_size_names(), "F4, F16, F32");
    }
}
