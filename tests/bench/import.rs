//! `make bench` (cargo bench --bench import): import speed against the real peer tool.
//!
//! Generates a seeded REES46-format CSV (1,000,000 rows by default, `BENCH_ROWS` to change),
//! then in the same run imports it (a) with `sqlite3 FILE.db ".mode csv" ".import CSV t"` into a
//! plain table — no validation, no normalisation, no dedup — and (b) with the release `studio
//! import` (full validation, normalisation, dedup, one transaction). Prints both wall times,
//! the ratio, and the studio's peak RSS (getrusage of the child). Each tool runs 3 times on a
//! fresh database (`BENCH_RUNS` to change), each run after a `sync()`; the best time counts.
//!
//! The 1 GB memory check: `BENCH_ROWS=7500000 BENCH_RUNS=1 make bench` (about 1.03 GB).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let rows: usize = std::env::var("BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    // BENCH_CSV=path keeps the generated file there (and reuses it) for profiling.
    let csv = std::env::var_os("BENCH_CSV").map(std::path::PathBuf::from).unwrap_or_else(|| dir.path().join("events.csv"));
    if !csv.exists() {
        generate(&csv, rows);
    }
    let size = std::fs::metadata(&csv).unwrap().len();
    println!("input: {rows} rows, {:.1} MB REES46 CSV", size as f64 / 1e6);

    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let sqlite = best_of(runs, || {
        let db = dir.path().join("plain.db");
        let _ = std::fs::remove_file(&db);
        let t = Instant::now();
        let out = Command::new("sqlite3").arg(&db).arg(".mode csv").arg(format!(".import {} t", csv.display())).output().expect("sqlite3 CLI on PATH");
        assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
        (t.elapsed(), 0)
    });
    let studio = best_of(runs, || {
        let db = dir.path().join("bench.studio");
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_studio")).args(["import", "--project"]).arg(&db).arg(&csv).arg("--json").output().expect("studio binary");
        let elapsed = t.elapsed();
        assert!(out.status.success(), "studio failed: {}", String::from_utf8_lossy(&out.stderr));
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["rows_read"].as_u64(), Some(rows as u64));
        (elapsed, peak_rss_kb())
    });
    println!("sqlite3 .import (plain table, no checks): {:>8.3} s", sqlite.0.as_secs_f64());
    println!("studio import (validate+normalise+dedup):  {:>8.3} s", studio.0.as_secs_f64());
    println!("ratio sqlite3/studio: {:.2}x  (goal >= 1.5x)", sqlite.0.as_secs_f64() / studio.0.as_secs_f64());
    println!("studio rows/s: {:.0}", rows as f64 / studio.0.as_secs_f64());
    println!("peak RSS of any studio child so far: {:.1} MB", studio.1 as f64 / 1024.0);
}

/// The best of `n` runs. Each starts after `sync()`, so that no run pays for writing back the
/// previous run's database (about as large as the input) while it is timed.
fn best_of(n: usize, mut f: impl FnMut() -> (Duration, i64)) -> (Duration, i64) {
    (0..n)
        .map(|_| {
            // SAFETY: sync() has no preconditions.
            unsafe { libc::sync() };
            f()
        })
        .min_by_key(|r| r.0)
        .expect("n > 0")
}

/// Max resident set size of all waited-for children, in KiB.
fn peak_rss_kb() -> i64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss
}

/// A REES46-shaped file with realistic value shapes, 1 in 2,000 lines an exact duplicate.
fn generate(path: &Path, rows: usize) {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    writeln!(w, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap();
    let cats = ["electronics.smartphone", "appliances.kitchen.refrigerators", "computers.notebook", "apparel.shoes", "", "furniture.living_room.sofa"];
    let brands = ["samsung", "apple", "xiaomi", "huawei", "", "lenovo", "bosch"];
    let kinds = ["view", "view", "view", "view", "view", "view", "view", "view", "cart", "purchase"];
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut last = String::new();
    for i in 0..rows {
        if i % 2000 == 1999 {
            w.write_all(last.as_bytes()).unwrap();
            continue;
        }
        let r = next();
        let secs = 1_569_888_000 + (i as u64) * 2 + r % 2;
        let t = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap().format("%Y-%m-%d %H:%M:%S UTC");
        let user = 500_000_000 + (r >> 8) % 400_000;
        last = format!(
            "{t},{},{},{},{},{},{}.{:02},{user},{:08x}-{:04x}-4e00-8c23-{:012x}\n",
            kinds[(r % 10) as usize],
            1_000_000 + (r >> 16) % 60_000,
            2_053_013_555_631_882_655u64 + (r >> 20) % 500,
            cats[((r >> 24) % 6) as usize],
            brands[((r >> 28) % 7) as usize],
            1 + (r >> 32) % 2000,
            (r >> 40) % 100,
            user,
            (r >> 12) & 0xffff,
            r & 0xffff_ffff_ffff
        );
        w.write_all(last.as_bytes()).unwrap();
    }
    w.flush().unwrap();
}
