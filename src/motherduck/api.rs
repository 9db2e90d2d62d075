//! What the SQL functions ask of MotherDuck, each on one MCP client:
//! a Flight by id or name, its versions, its runs, a run's log, every
//! Flight. Each first asks its [`Gate`] (the glue checks DuckDB's
//! `enable_external_access` there), before the token is read or anything is
//! sent.

use super::mcp::Client;
use super::settings::Settings;
use super::tools::flights::{
    check_success, looks_like_uuid, parse_flight_list, parse_get_flight, parse_runs, parse_versions, resolve_name,
    FetchedFlight, FlightSummary, RunRow, VersionRow,
};
use super::tools::logs::{check_max_bytes, names_to_try, parse_run_log, remember, RunLog};
use super::{Error, ErrorKind};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// `list_flights` returns at most this many Flights per call (MotherDuck's maximum).
pub const LIST_LIMIT: i64 = 500;
/// How many `get_flight` calls `motherduck_flights` keeps in flight at once
/// (`MOTHERDUCK_MCP_FETCH_THREADS`, 1 to 32, changes it; 1 fetches one after another).
pub const FETCH_THREADS: usize = 8;

fn fetch_threads() -> Result<usize, Error> {
    match std::env::var("MOTHERDUCK_MCP_FETCH_THREADS") {
        Err(_) => Ok(FETCH_THREADS),
        Ok(text) => text.trim().parse::<usize>().ok().filter(|n| (1..=32).contains(n)).ok_or_else(|| {
            Error::new(
                ErrorKind::Setting,
                format!("MOTHERDUCK_MCP_FETCH_THREADS must be a whole number from 1 to 32; got '{text}'"),
            )
        }),
    }
}

/// What is asked before anything is read or sent: the SQL glue's sandbox
/// check (`crate::sql::sandbox`), whose refusal is the call's error.
pub trait Gate {
    /// `Err` (of kind [`ErrorKind::Sandbox`]) when the network is forbidden.
    fn check(&self) -> Result<(), Error>;
}

/// A client, once the gate allows it (nothing is read or sent before).
fn connect(caller: impl Gate) -> Result<Client, Error> {
    caller.check()?;
    Client::connect(Settings::from_env()?)
}

/// Calls a Flights tool and checks the `success` its answer carries.
fn call(client: &Client, tool: &str, arguments: Value) -> Result<Value, Error> {
    checked(client, tool, client.call_tool(tool, arguments)?)
}

fn checked(client: &Client, tool: &str, answer: Value) -> Result<Value, Error> {
    check_success(tool, &answer).map_err(|e| client.tool_error(tool, e))?;
    Ok(answer)
}

/// `list_flights` with `keywords` and the maximum `limit`.
fn list_flights(client: &Client, keywords: Option<&str>) -> Result<Vec<FlightSummary>, Error> {
    let mut arguments = json!({"limit": LIST_LIMIT});
    if let Some(keywords) = keywords {
        arguments["keywords"] = json!(keywords);
    }
    parse_flight_list(&call(client, "list_flights", arguments)?).map_err(|e| client.malformed(&e.message))
}

/// The id of the Flight `flight` names: a UUID as is, else the one Flight of that exact name.
fn resolve(client: &Client, flight: &str) -> Result<String, Error> {
    if looks_like_uuid(flight) {
        return Ok(flight.to_owned());
    }
    resolve_name(flight, &list_flights(client, Some(flight))?)
}

fn get_flight(client: &Client, id: &str, version: Option<i64>) -> Result<FetchedFlight, Error> {
    let mut arguments = json!({"id": id});
    if let Some(version) = version {
        arguments["version"] = json!(version);
    }
    parse_get_flight(&call(client, "get_flight", arguments)?).map_err(|e| client.malformed(&e.message))
}

/// A Flight's stored definition by id or name (`version`: a past version).
pub fn fetch_flight(caller: impl Gate, flight: &str, version: Option<i64>) -> Result<FetchedFlight, Error> {
    let client = connect(caller)?;
    let id = resolve(&client, flight)?;
    get_flight(&client, &id, version)
}

/// Checks a `limit :=` argument against MotherDuck's range.
pub fn check_limit(limit: i64) -> Result<i64, Error> {
    if (1..=LIST_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::new(
            ErrorKind::BadArgument,
            format!("limit must be between 1 and {LIST_LIMIT} (MotherDuck's maximum); got {limit}"),
        ))
    }
}

fn listed(caller: impl Gate, flight: &str, limit: i64, tool: &str) -> Result<(Client, Value), Error> {
    let limit = check_limit(limit)?;
    let client = connect(caller)?;
    let id = resolve(&client, flight)?;
    let result = call(&client, tool, json!({"id": id, "limit": limit}))?;
    Ok((client, result))
}

/// A Flight's versions, newest first (`list_flight_versions`).
pub fn fetch_versions(caller: impl Gate, flight: &str, limit: i64) -> Result<Vec<VersionRow>, Error> {
    let (client, result) = listed(caller, flight, limit, "list_flight_versions")?;
    parse_versions(&result).map_err(|e| client.malformed(&e.message))
}

/// A Flight's runs, newest first (`list_flight_runs`).
pub fn fetch_runs(caller: impl Gate, flight: &str, limit: i64) -> Result<Vec<RunRow>, Error> {
    let (client, result) = listed(caller, flight, limit, "list_flight_runs")?;
    parse_runs(&result).map_err(|e| client.malformed(&e.message))
}

/// The number of a Flight's newest run (`list_flight_runs` lists newest first).
fn newest_run(client: &Client, id: &str, flight: &str) -> Result<i64, Error> {
    let runs = parse_runs(&call(client, "list_flight_runs", json!({"id": id, "limit": 1}))?)
        .map_err(|e| client.malformed(&e.message))?;
    match runs.first() {
        Some(run) => {
            run.run_number.ok_or_else(|| client.malformed("the newest run in list_flight_runs has no run_number"))
        }
        None => {
            Err(Error::new(ErrorKind::NotFound, format!("Flight '{flight}' has no runs yet: there is no log to read")))
        }
    }
}

/// The logs tool under the name that worked before (else `get_flight_run_logs`), then,
/// when the server has no tool of that name, under the other once.
fn call_logs_tool(client: &Client, arguments: Value) -> Result<Value, Error> {
    let [first, second] = names_to_try(client.origin());
    for name in [first, second] {
        if let Some(answer) = client.call_tool_if_known(name, arguments.clone())? {
            remember(client.origin(), name);
            return checked(client, name, answer);
        }
    }
    Err(Error::new(
        ErrorKind::UnknownTool,
        format!(
            "MotherDuck's MCP server at {} has no tool {first} nor {second} (it answered \"unknown tool\" to both): \
             it does not serve run logs",
            client.url()
        ),
    ))
}

/// Checks a `run_number :=` argument (runs are numbered from 1).
fn check_run_number(run_number: Option<i64>) -> Result<(), Error> {
    match run_number.filter(|n| *n < 1) {
        Some(n) => Err(Error::new(
            ErrorKind::BadArgument,
            format!("run_number must be 1 or more (a Flight's runs are numbered from 1); got {n}"),
        )),
        None => Ok(()),
    }
}

/// The log of run `run_number` (the newest when None) of the Flight with id `id`.
fn run_log(
    client: &Client,
    id: &str,
    flight: &str,
    run_number: Option<i64>,
    max_bytes: Option<i64>,
) -> Result<RunLog, Error> {
    let run_number = match run_number {
        Some(n) => n,
        None => newest_run(client, id, flight)?,
    };
    let mut arguments = json!({"id": id, "run_number": run_number});
    if let Some(max_bytes) = max_bytes {
        arguments["max_bytes"] = json!(max_bytes);
    }
    let answer = call_logs_tool(client, arguments)
        .map_err(|e| e.after(&format!("reading the log of run {run_number} of Flight '{flight}' failed: ")))?;
    parse_run_log(&answer).map_err(|e| client.malformed(&e.message))
}

/// One run's log (`run_number`: the newest run when None), at most `max_bytes` of its tail.
/// Arguments are checked before anything is sent.
pub fn fetch_run_log(
    caller: impl Gate,
    flight: &str,
    run_number: Option<i64>,
    max_bytes: Option<i64>,
) -> Result<RunLog, Error> {
    let max_bytes = max_bytes.map(check_max_bytes).transpose()?;
    check_run_number(run_number)?;
    let client = connect(caller)?;
    let id = resolve(&client, flight)?;
    run_log(&client, &id, flight, run_number, max_bytes)
}

/// What a diagnosis of a run needs: its log (with its status and exit code), the version it
/// ran (None when the log does not say which) and the current version.
pub struct RunAndVersions {
    pub log: RunLog,
    pub ran: Option<FetchedFlight>,
    pub current: FetchedFlight,
}

/// A run's log, the Flight version it ran (`get_flight` with `version`) and the current one.
pub fn fetch_run_and_versions(
    caller: impl Gate,
    flight: &str,
    run_number: Option<i64>,
) -> Result<RunAndVersions, Error> {
    check_run_number(run_number)?;
    let client = connect(caller)?;
    let id = resolve(&client, flight)?;
    let log = run_log(&client, &id, flight, run_number, None)?;
    let current = get_flight(&client, &id, None)?;
    let ran = match log.flight_version {
        Some(v) if Some(v) != current.stored.version => Some(get_flight(&client, &id, Some(v))?),
        Some(_) => Some(current.clone()),
        None => None,
    };
    Ok(RunAndVersions { log, ran, current })
}

/// Every Flight the token's user owns (whose name has all of `keywords`:
/// `list_flights` lists only the caller's own Flights, even for an admin),
/// each with its current definition. The `get_flight` calls run on a pool of
/// at most [`FETCH_THREADS`] threads (by default) sharing one client (and, with a legacy
/// server, one session); the rows keep the
/// order of `list_flights`, and the first Flight (in that order) that fails
/// to fetch makes the error.
pub fn fetch_all(caller: impl Gate, keywords: Option<&str>) -> Result<Vec<FetchedFlight>, Error> {
    caller.check()?;
    let pool = fetch_threads()?;
    let client = connect(caller)?;
    let flights = list_flights(&client, keywords)?;
    if flights.len() as i64 >= LIST_LIMIT {
        return Err(Error::new(
            ErrorKind::Incomplete,
            format!(
                "list_flights returned {} Flights, its maximum: some may be missing; narrow the list with keywords := '...'",
                flights.len()
            ),
        ));
    }
    let next = AtomicUsize::new(0);
    let threads = pool.min(flights.len());
    let mut results: Vec<Option<Result<FetchedFlight, Error>>> = vec![None; flights.len()];
    let parts: Vec<Vec<(usize, Result<FetchedFlight, Error>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(summary) = flights.get(i) else { break };
                        done.push((i, get_flight(&client, &summary.id, None)));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_default()).collect()
    });
    for (i, result) in parts.into_iter().flatten() {
        results[i] = Some(result);
    }
    flights
        .iter()
        .zip(results)
        .map(|(summary, result)| match result {
            Some(Ok(stored)) => Ok(stored),
            Some(Err(e)) => Err(e.after(&format!("fetching Flight '{}' ({}) failed: ", summary.name, summary.id))),
            None => Err(Error::new(
                ErrorKind::Network,
                format!("fetching Flight '{}' ({}) failed: the fetching thread stopped", summary.name, summary.id),
            )),
        })
        .collect()
}
