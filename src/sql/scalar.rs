//! Registering scalar functions through the raw C API, for what duckdb-rs's
//! `register_scalar_function` cannot set: `duckdb_scalar_function_set_special_handling`
//! (stable since C API v1.1.0), which hands NULL arguments to the function
//! instead of answering NULL for it. Used where NULL is a meaningful value
//! (`flight_validate_override(stored, NULL)`: no override).
//!
//! duckdb-rs's `Connection` does not expose its `duckdb_connection`, so the
//! extension's entry point opens a [`RawConnection`] on the database it is
//! loaded into. Callbacks contain panics and errors exactly like duckdb-rs's
//! own: a DuckDB error, never an unwind across the C boundary.

use super::types::SqlType;
use super::vector::{MapColumn, Validity};
use duckdb::ffi;
use duckdb::vtab::arrow::WritableVector;
use std::error::Error;
use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A connection of our own on the database the extension is loaded into,
/// used only to register functions; disconnected on drop.
pub struct RawConnection(ffi::duckdb_connection);

impl RawConnection {
    /// Connects to `db`.
    ///
    /// # Safety
    /// `db` must be the live database handle DuckDB gave the entry point.
    pub unsafe fn connect(db: ffi::duckdb_database) -> Result<Self, String> {
        let mut con: ffi::duckdb_connection = std::ptr::null_mut();
        // SAFETY (caller): `db` is live; `con` receives a new connection we own.
        let state = unsafe { ffi::duckdb_connect(db, &mut con) };
        if state != ffi::DuckDBSuccess || con.is_null() {
            return Err("flights_helper could not open a connection to register its functions".into());
        }
        Ok(RawConnection(con))
    }
}

impl Drop for RawConnection {
    fn drop(&mut self) {
        // SAFETY: we own this connection and disconnect it once.
        unsafe { ffi::duckdb_disconnect(&mut self.0) };
    }
}

/// The input of one call: DuckDB's data chunk, flattened by DuckDB before the call.
pub struct Chunk {
    ptr: ffi::duckdb_data_chunk,
    rows: usize,
}

impl Chunk {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the chunk has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Column `col`'s vector (the caller declared it, so it exists).
    pub fn vector(&self, col: usize) -> ffi::duckdb_vector {
        // SAFETY: the chunk is live for the call; `col` is a declared parameter.
        unsafe { ffi::duckdb_data_chunk_get_vector(self.ptr, col as u64) }
    }

    /// Column `col`, which the caller declared `MAP(VARCHAR, VARCHAR)`.
    pub fn map_column(&self, col: usize) -> MapColumn<'_> {
        // SAFETY: the column exists, has the declared MAP type and is flat (DuckDB
        // flattens a scalar's chunk) and live for the call, which outlives the borrow.
        unsafe { MapColumn::of_vector(self.vector(col), self.rows) }
    }

    /// Whether row `row` of column `col` is NULL.
    pub fn is_null(&self, col: usize, row: usize) -> bool {
        !Validity::of(self.vector(col)).is_valid(row)
    }
}

/// A scalar function whose NULL arguments reach [`RawScalar::invoke`]
/// (special NULL handling): the function decides what a NULL row gives.
pub trait RawScalar {
    /// Parameter types and return type.
    fn signature() -> (Vec<SqlType>, SqlType);

    /// Computes the chunk's results into `output`.
    fn invoke(input: &Chunk, output: &mut dyn WritableVector) -> Result<(), Box<dyn Error>>;
}

unsafe extern "C" fn call<S: RawScalar>(
    info: ffi::duckdb_function_info,
    input: ffi::duckdb_data_chunk,
    output: ffi::duckdb_vector,
) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: DuckDB hands a live chunk for the duration of the call.
        let rows = unsafe { ffi::duckdb_data_chunk_get_size(input) } as usize;
        let mut out = output;
        S::invoke(&Chunk { ptr: input, rows }, &mut out).map_err(|e| e.to_string())
    }));
    let message = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(message)) => message,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            format!("Rust callback panicked: {what}")
        }
    };
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: `info` is the live function info of this call; DuckDB copies the message.
    unsafe { ffi::duckdb_scalar_function_set_error(info, message.as_ptr()) };
}

/// Registers `S` as `name` with special NULL handling.
pub fn register_special_nulls<S: RawScalar>(con: &RawConnection, name: &str) -> Result<(), Box<dyn Error>> {
    let c_name = CString::new(name)?;
    let (params, returns) = S::signature();
    // SAFETY: every handle created here is destroyed here; DuckDB copies the
    // function into its catalog on registration.
    unsafe {
        let mut function = ffi::duckdb_create_scalar_function();
        ffi::duckdb_scalar_function_set_name(function, c_name.as_ptr());
        for param in &params {
            ffi::duckdb_scalar_function_add_parameter(function, param.raw().as_ptr());
        }
        ffi::duckdb_scalar_function_set_return_type(function, returns.raw().as_ptr());
        ffi::duckdb_scalar_function_set_special_handling(function);
        ffi::duckdb_scalar_function_set_function(function, Some(call::<S>));
        let mut set = ffi::duckdb_create_scalar_function_set(c_name.as_ptr());
        let added = ffi::duckdb_add_scalar_function_to_set(set, function);
        ffi::duckdb_destroy_scalar_function(&mut function);
        let registered =
            added == ffi::DuckDBSuccess && ffi::duckdb_register_scalar_function_set(con.0, set) == ffi::DuckDBSuccess;
        ffi::duckdb_destroy_scalar_function_set(&mut set);
        if !registered {
            return Err(format!("flights_helper could not register {name}").into());
        }
    }
    Ok(())
}
