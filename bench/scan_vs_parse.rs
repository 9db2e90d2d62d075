//! The scan of one distinct 40-line Flight source (`scan_source`: the depth
//! guard, parse, walk, reads, credential literals, syntax errors) against
//! ruff's own parse of the same text (a bare `parse_unchecked`, its tree
//! dropped), and a hit of the scan cache.
//! Prints one line for bench/results.md. Run by `make bench` (bench/bench.py)
//! as `cargo run --release --example scan_vs_parse`.

use flights_helper::flight::source::{scan_source, ScanCache};
use ruff_python_parser::{parse_unchecked, Mode, ParseOptions};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The fleet section's source (bench/bench.py, FLEET_SOURCE) with its 40th line.
fn fleet_source() -> String {
    let mut lines: Vec<String> = vec!["import os".into(), "import duckdb".into(), String::new(), "def main():".into()];
    lines.extend((0..20).map(|k| format!("    v{k} = os.environ.get('KEY_{k}', 'd')")));
    lines.push("    api_key = os.environ['S1_API_KEY']".into());
    lines.push("    bare = os.environ['API_KEY']".into());
    lines.push("    con = duckdb.connect('md:')".into());
    lines.extend((0..9).map(|k| format!("    con.execute('SELECT {k}')")));
    lines.extend([String::new(), "if __name__ == '__main__':".into(), "    main()".into(), "# flight 0".into()]);
    assert_eq!(lines.len(), 40);
    lines.join("\n")
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("BENCH_SCAN_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3000);
    let source = fleet_source();
    let parse = |source: &str| parse_unchecked(source, ParseOptions::from(Mode::Module));
    let cache = ScanCache::new();
    cache.scan(&source);
    for _ in 0..200 {
        black_box(scan_source(&source));
        black_box(parse(&source));
    }
    // Interleaved, so that a busy neighbour slows both alike.
    let (mut scans, mut parses, mut hits) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        black_box(scan_source(black_box(&source)));
        scans.push(start.elapsed());
        let start = Instant::now();
        black_box(parse(black_box(&source)));
        parses.push(start.elapsed());
        let start = Instant::now();
        black_box(cache.scan(black_box(&source)));
        hits.push(start.elapsed());
    }
    let (scan, parse, hit) = (median(scans), median(parses), median(hits));
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "scan_source of a distinct 40-line source ({} bytes): {:.1} us; ruff's parse alone: {:.1} us; \
         ratio {:.2}x (goal: within 1.3x); a repeated source (ScanCache hit): {:.2} us; median of {runs} runs",
        source.len(),
        us(scan),
        us(parse),
        scan.as_secs_f64() / parse.as_secs_f64(),
        us(hit)
    );
}
