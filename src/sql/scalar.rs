//! Registering scalar functions through the raw C API, for what duckdb-rs's
//! `register_scalar_function` cannot set: `duckdb_scalar_function_set_special_handling`
//! (stable since C API v1.1.0), which hands NULL arguments to the function
//! instead of answering NULL for it. Used where NULL is a meaningful value
//! (`flight_validate_override(stored, NULL)`: no override); and a scalar's
//! bind (`duckdb_scalar_function_set_bind`, stable since C API v1.5.6, so
//! set only on such a host), where [`SharedScalar`]s read DuckDB's `threads`
//! setting.
//!
//! duckdb-rs's `Connection` does not expose its `duckdb_connection`, so the
//! extension's entry point opens a [`RawConnection`] on the database it is
//! loaded into. Callbacks contain panics and errors exactly like duckdb-rs's
//! own: a DuckDB error, never an unwind across the C boundary.

use super::external_access::host_reads_settings;
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
    contain(info, || {
        // SAFETY: DuckDB hands a live chunk for the duration of the call.
        let rows = unsafe { ffi::duckdb_data_chunk_get_size(input) } as usize;
        let mut out = output;
        S::invoke(&Chunk { ptr: input, rows }, &mut out)
    })
}

/// Runs one call of a scalar: an error or a panic of `body` becomes the
/// call's DuckDB error.
fn contain(info: ffi::duckdb_function_info, body: impl FnOnce() -> Result<(), Box<dyn Error>>) {
    if let Some(message) = error_of(body) {
        // SAFETY: `info` is the live function info of this call; DuckDB copies the message.
        unsafe { ffi::duckdb_scalar_function_set_error(info, message.as_ptr()) };
    }
}

/// Runs `body`; its error or panic as the message DuckDB reports (`None`: it
/// succeeded), never an unwind across the C boundary.
fn error_of(body: impl FnOnce() -> Result<(), Box<dyn Error>>) -> Option<CString> {
    let message = match catch_unwind(AssertUnwindSafe(|| body().map_err(|e| e.to_string()))) {
        Ok(Ok(())) => return None,
        Ok(Err(message)) => message,
        Err(payload) => format!("Rust callback panicked: {}", panic_text(payload.as_ref())),
    };
    Some(CString::new(message.replace('\0', "\\0")).unwrap_or_default())
}

/// What a panic said.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Registers `S` as `name` with special NULL handling.
pub fn register_special_nulls<S: RawScalar>(con: &RawConnection, name: &str) -> Result<(), Box<dyn Error>> {
    let (params, returns) = S::signature();
    register(con, name, &params, &returns, |function| {
        // SAFETY: `function` is the live function being built.
        unsafe {
            ffi::duckdb_scalar_function_set_special_handling(function);
            ffi::duckdb_scalar_function_set_function(function, Some(call::<S>));
        }
    })
}

/// A scalar function with a state kept for its catalog entry (shared by every
/// call, thread and connection of the database), whose chunks may use the
/// threads DuckDB leaves idle ([`crate::sql::parallel`]). NULL handling is
/// DuckDB's default.
pub trait SharedScalar {
    /// What every call shares.
    type State: Default + Send + Sync + 'static;

    /// Parameter types and return type.
    fn signature() -> (Vec<SqlType>, SqlType);

    /// Computes the chunk's results into `output`; `threads` is DuckDB's
    /// `threads` setting as the query was bound (1 where the host cannot say).
    fn invoke(
        state: &Self::State,
        threads: usize,
        input: &Chunk,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>>;
}

/// Registers `S` as `name`, with a new `S::State`; on a host that lets a
/// scalar read a setting while binding (DuckDB 1.5.6 and later), each query
/// reads its `threads` setting then.
pub fn register_shared<S: SharedScalar>(con: &RawConnection, name: &str) -> Result<(), Box<dyn Error>> {
    let (params, returns) = S::signature();
    register(con, name, &params, &returns, |function| {
        let state = Box::into_raw(Box::<S::State>::default());
        // SAFETY: `function` is the live function being built; DuckDB owns the
        // state from here and frees it with `drop_box` when the function goes.
        unsafe {
            ffi::duckdb_scalar_function_set_extra_info(function, state.cast(), Some(drop_box::<S::State>));
            if host_reads_settings() {
                ffi::duckdb_scalar_function_set_bind(function, Some(bind_threads));
            }
            ffi::duckdb_scalar_function_set_function(function, Some(call_shared::<S>));
        }
    })
}

/// DuckDB's `threads` as a query binds, kept as the query's bind data.
#[derive(Clone, Copy)]
struct BoundThreads(usize);

unsafe extern "C" fn bind_threads(info: ffi::duckdb_bind_info) {
    let failed = error_of(|| {
        // SAFETY: `info` is the live bind info of this bind.
        let threads = unsafe { setting_threads(info) }.unwrap_or(1);
        let data = Box::into_raw(Box::new(BoundThreads(threads)));
        // SAFETY: DuckDB owns the bind data from here: it frees it (and each
        // copy it makes of it) with `drop_box`.
        unsafe {
            ffi::duckdb_scalar_function_set_bind_data(info, data.cast(), Some(drop_box::<BoundThreads>));
            ffi::duckdb_scalar_function_set_bind_data_copy(info, Some(copy_box::<BoundThreads>));
        }
        Ok(())
    });
    if let Some(message) = failed {
        // SAFETY: as above; DuckDB copies the message.
        unsafe { ffi::duckdb_scalar_function_bind_set_error(info, message.as_ptr()) };
    }
}

/// The `threads` setting where `info` binds.
///
/// # Safety
/// `info` must be the live bind info of a scalar's bind, on a host that has
/// the functions ([`host_reads_settings`]).
unsafe fn setting_threads(info: ffi::duckdb_bind_info) -> Option<usize> {
    // SAFETY (caller): the context and the value are ours to destroy, once each.
    unsafe {
        let mut context: ffi::duckdb_client_context = std::ptr::null_mut();
        ffi::duckdb_scalar_function_get_client_context(info, &mut context);
        if context.is_null() {
            return None;
        }
        let mut value =
            ffi::duckdb_client_context_get_config_option(context, c"threads".as_ptr(), std::ptr::null_mut());
        ffi::duckdb_destroy_client_context(&mut context);
        if value.is_null() {
            return None;
        }
        let threads = ffi::duckdb_get_int64(value);
        ffi::duckdb_destroy_value(&mut value);
        usize::try_from(threads).ok().filter(|&n| n > 0)
    }
}

unsafe extern "C" fn call_shared<S: SharedScalar>(
    info: ffi::duckdb_function_info,
    input: ffi::duckdb_data_chunk,
    output: ffi::duckdb_vector,
) {
    contain(info, || {
        // SAFETY: the extra info is the `S::State` set at registration, alive
        // while the function is; the bind data, when there is one, is a
        // `BoundThreads` of this query (a copy without it reads as null).
        let (state, bound) = unsafe {
            let state = ffi::duckdb_scalar_function_get_extra_info(info).cast::<S::State>().as_ref();
            let bound = if host_reads_settings() {
                ffi::duckdb_scalar_function_get_bind_data(info).cast::<BoundThreads>().as_ref().copied()
            } else {
                None
            };
            (state, bound)
        };
        let state = state.ok_or("flights_helper: the function's state is missing (please report this)")?;
        let threads = bound.map_or(1, |b| b.0);
        // SAFETY: DuckDB hands a live chunk for the duration of the call.
        let rows = unsafe { ffi::duckdb_data_chunk_get_size(input) } as usize;
        let mut out = output;
        S::invoke(state, threads, &Chunk { ptr: input, rows }, &mut out)
    })
}

/// Frees a `Box<T>` handed to DuckDB.
unsafe extern "C" fn drop_box<T>(data: *mut std::os::raw::c_void) {
    if !data.is_null() {
        // SAFETY: `data` came from `Box::<T>::into_raw` and DuckDB frees it once.
        drop(unsafe { Box::from_raw(data.cast::<T>()) });
    }
}

/// Copies a `Box<T>` handed to DuckDB (DuckDB copies a bound expression's data).
unsafe extern "C" fn copy_box<T: Clone>(data: *mut std::os::raw::c_void) -> *mut std::os::raw::c_void {
    // SAFETY: `data` is a live `Box<T>` of ours.
    match unsafe { data.cast::<T>().as_ref() } {
        Some(value) => Box::into_raw(Box::new(value.clone())).cast(),
        None => std::ptr::null_mut(),
    }
}

/// Registers one scalar function `name`, built by `configure` beyond its signature.
fn register(
    con: &RawConnection,
    name: &str,
    params: &[SqlType],
    returns: &SqlType,
    configure: impl FnOnce(ffi::duckdb_scalar_function),
) -> Result<(), Box<dyn Error>> {
    let c_name = CString::new(name)?;
    // SAFETY: every handle created here is destroyed here; DuckDB copies the
    // function into its catalog on registration.
    unsafe {
        let mut function = ffi::duckdb_create_scalar_function();
        ffi::duckdb_scalar_function_set_name(function, c_name.as_ptr());
        for param in params {
            ffi::duckdb_scalar_function_add_parameter(function, param.raw().as_ptr());
        }
        ffi::duckdb_scalar_function_set_return_type(function, returns.raw().as_ptr());
        configure(function);
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
