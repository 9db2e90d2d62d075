//! One module per SQL function (or per pair of twin functions).

pub mod version;
