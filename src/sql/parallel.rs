//! The threads DuckDB leaves idle, put to work on the rows of one chunk.
//!
//! DuckDB runs a scalar on as many threads as the operator below it has work
//! for, and a table scan hands out whole row groups of 122,880 rows: a table
//! of Flights smaller than that is checked on one thread while the others
//! wait. A chunk of `flight_findings` (up to 2,048 rows, each a whole run's
//! checks and perhaps a parse) is work enough to share: [`split_rows`] cuts it
//! into contiguous parts, computes them at once on scoped threads and gives
//! the results back in row order, so the output is the same on any number of
//! threads.
//!
//! How many threads: DuckDB's `threads` setting as the query was bound (read
//! in the scalar's bind, [`crate::sql::scalar::SharedScalar`]), less the
//! threads already computing such chunks now (DuckDB's own and helpers), so a
//! query that DuckDB already runs on every thread gets no helper; and one part
//! per [`MIN_ROWS`] rows at most. Where the host cannot tell the setting
//! (DuckDB before 1.5.6) a chunk runs on the calling thread alone, as it does
//! when a helper thread cannot be started.

use std::ops::Range;
use std::panic::resume_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The fewest rows given a thread of their own: starting one costs about what
/// a few rows do.
pub const MIN_ROWS: usize = 64;

/// The threads computing chunk parts now, in every database of the process.
static BUSY: AtomicUsize = AtomicUsize::new(0);

/// `n` threads counted in [`BUSY`] until dropped.
struct Busy(usize);

impl Busy {
    fn take(n: usize) -> Self {
        BUSY.fetch_add(n, Ordering::SeqCst);
        Busy(n)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.fetch_sub(self.0, Ordering::SeqCst);
    }
}

/// How many parts `rows` rows are cut into when `threads` threads may run and
/// `busy` (this one included) are busy.
fn parts(rows: usize, threads: usize, busy: usize) -> usize {
    (1 + threads.saturating_sub(busy)).min(rows / MIN_ROWS).max(1)
}

/// `rows` cut into `parts` contiguous ranges, the first ones a row longer.
fn ranges(rows: usize, parts: usize) -> impl Iterator<Item = Range<usize>> {
    let (size, longer) = (rows / parts, rows % parts);
    (0..parts).map(move |p| {
        let start = p * size + p.min(longer);
        start..start + size + usize::from(p < longer)
    })
}

/// `compute` over rows `0..rows`, one result per row in row order:
/// `compute(range)` gives the results of `range`'s rows. The parts run at once
/// when `threads` (DuckDB's setting) leaves threads idle; the first error by
/// row order is the answer; a panic in a part reaches the caller.
pub fn split_rows<T: Send, E: Send>(
    rows: usize,
    threads: usize,
    compute: impl Fn(Range<usize>) -> Result<Vec<T>, E> + Sync,
) -> Result<Vec<T>, E> {
    let _me = Busy::take(1);
    let parts = parts(rows, threads, BUSY.load(Ordering::SeqCst));
    let _helpers = Busy::take(parts - 1);
    in_parts(rows, parts, compute)
}

/// [`split_rows`] in `parts` parts.
fn in_parts<T: Send, E: Send>(
    rows: usize,
    parts: usize,
    compute: impl Fn(Range<usize>) -> Result<Vec<T>, E> + Sync,
) -> Result<Vec<T>, E> {
    if parts <= 1 {
        return compute(0..rows);
    }
    let mut ranges = ranges(rows, parts);
    let first = ranges.next().unwrap_or_default();
    let compute = &compute;
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .map(|range| {
                let spawned = std::thread::Builder::new().name("flights_helper".into()).spawn_scoped(scope, {
                    let range = range.clone();
                    move || compute(range)
                });
                (range, spawned)
            })
            .collect();
        let mut results = vec![compute(first)];
        for (range, spawned) in handles {
            // A part whose thread could not start runs here.
            results.push(match spawned {
                Ok(handle) => handle.join().unwrap_or_else(|payload| resume_unwind(payload)),
                Err(_) => compute(range),
            });
        }
        results
    });
    let mut all = Vec::with_capacity(rows);
    for part in results {
        all.extend(part?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_the_rows_in_order() {
        for (rows, parts) in [(2048, 2), (2048, 3), (130, 2), (64, 1), (7, 3)] {
            let all: Vec<usize> = ranges(rows, parts).flatten().collect();
            assert_eq!(all, (0..rows).collect::<Vec<_>>(), "{rows} rows in {parts} parts");
            let sizes: Vec<usize> = ranges(rows, parts).map(|r| r.len()).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
        }
    }

    #[test]
    fn parts_leave_busy_threads_alone() {
        assert_eq!(parts(2048, 2, 1), 2);
        assert_eq!(parts(2048, 2, 2), 1, "both threads busy: no helper");
        assert_eq!(parts(2048, 8, 3), 6);
        assert_eq!(parts(100, 8, 1), 1, "too few rows to share");
        assert_eq!(parts(128, 8, 1), 2);
        assert_eq!(parts(2048, 1, 1), 1, "threads = 1");
        assert_eq!(parts(0, 4, 1), 1);
    }

    #[test]
    fn results_come_back_in_row_order() {
        for parts in [1, 2, 4] {
            let squares = in_parts(1000, parts, |range| Ok::<_, ()>(range.map(|i| i * i).collect()));
            assert_eq!(squares.unwrap(), (0..1000).map(|i| i * i).collect::<Vec<_>>());
        }
        let squares = split_rows(1000, 4, |range| Ok::<_, ()>(range.map(|i| i * i).collect()));
        assert_eq!(squares.unwrap(), (0..1000).map(|i| i * i).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_by_row_wins() {
        let failing = in_parts(1000, 4, |range| {
            if range.contains(&900) || range.contains(&600) {
                Err(range.start)
            } else {
                Ok(range.collect::<Vec<_>>())
            }
        });
        assert_eq!(failing, Err(500));
    }

    #[test]
    fn a_panic_in_a_part_reaches_the_caller() {
        let outcome = std::panic::catch_unwind(|| {
            in_parts(1000, 4, |range| {
                if range.start > 0 {
                    panic!("part {}", range.start)
                } else {
                    Ok::<_, ()>(vec![0; range.len()])
                }
            })
        });
        let payload = outcome.unwrap_err();
        assert!(payload.downcast_ref::<String>().is_some_and(|m| m.starts_with("part ")));
    }
}
