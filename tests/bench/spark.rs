//! `make bench` (cargo bench --bench spark): the feature job on Apache Spark `local[2]` against
//! the studio's own import + features, on the same synthetic events.
//!
//! For each size in `BENCH_SPARK_SIZES` (default `1000000,10000000` events) this generates one
//! seeded CSV in the Spark job's documented input schema (user_id,item_id,category,brand,price,
//! kind,ts,session). The studio imports it (`studio import --map …`, timed), computes the raw
//! features (`studio features --raw`, timed) and trains a 5-segment model (untimed: the model
//! the Spark job is emitted from). Spark reads the same events as Parquet (pyarrow converts
//! the CSV, untimed) and runs the emitted job: session start and job (features, segment,
//! interests, features file written) timed apart. Peak memory: the studio's largest child
//! (getrusage), the Spark JVM's VmHWM. Needs `SPARK_PYTHON` (`make spark`); without it only the
//! studio side runs.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const STUDIO: &str = env!("CARGO_BIN_EXE_studio");

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SPARK_SIZES").unwrap_or_else(|_| "1000000,10000000".into()).split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let python = std::env::var("SPARK_PYTHON").ok();
    if python.is_none() {
        println!("note: SPARK_PYTHON unset (make spark): the Spark side is skipped");
    }
    println!("{:>11} | {:>9} {:>9} {:>9} {:>10} | {:>9} {:>9} {:>9} {:>10}", "events", "import s", "feat. s", "studio s", "studio MB", "session s", "job s", "spark s", "JVM MB");
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("events.csv");
        generate(&csv, n);
        let project = dir.path().join("bench.studio");
        let t = Instant::now();
        run(Command::new(STUDIO)
            .args(["import", "--project"])
            .arg(&project)
            .arg(&csv)
            .args(["--map", "user=user_id,item=item_id,time=ts,event=kind,price=price,category=category,brand=brand,session=session"]));
        let import = t.elapsed().as_secs_f64();
        let t = Instant::now();
        run(Command::new(STUDIO).args(["features", "--raw", "--project"]).arg(&project).arg("--export").arg(dir.path().join("features.csv")));
        let features = t.elapsed().as_secs_f64();
        let studio_mb = peak_rss_kb() as f64 / 1024.0;
        let (mut session, mut job, mut jvm) = (f64::NAN, f64::NAN, f64::NAN);
        if let Some(py) = &python {
            run(Command::new(STUDIO).args(["segment", "--k", "5", "--min-size", "20", "--project"]).arg(&project));
            let emit = dir.path().join("emit");
            run(Command::new(STUDIO).args(["features", "--emit", "spark-sql", "--project"]).arg(&project).arg("--out").arg(&emit));
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bench/spark_bench.py");
            let out = run(Command::new(py).arg(script).arg(&csv).arg(&emit).arg(dir.path().join("spark")));
            let line = out.lines().rfind(|l| l.starts_with('{')).expect("a JSON summary");
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            (session, job, jvm) = (v["session_s"].as_f64().unwrap(), v["job_s"].as_f64().unwrap(), v["jvm_peak_mb"].as_f64().unwrap_or(f64::NAN));
        }
        println!("{n:>11} | {import:>9.1} {features:>9.1} {:>9.1} {studio_mb:>10.0} | {session:>9.1} {job:>9.1} {:>9.1} {jvm:>10.0}", import + features, session + job);
    }
    println!("studio MB: peak RSS of the largest studio child so far; JVM MB: the Spark JVM's peak (VmHWM).");
}

/// Run `cmd`, panic with its stderr on failure, return its stdout.
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(out.status.success(), "{cmd:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn peak_rss_kb() -> i64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    u.ru_maxrss
}

/// `n` seeded events over 30 days: users ≈ n / 25, 50,000 items (each with one category of 12,
/// one brand of 8 and one price), 4 kinds.
fn generate(path: &Path, n: usize) {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    writeln!(w, "user_id,item_id,category,brand,price,kind,ts,session").unwrap();
    let cats = ["electronics", "appliances", "computers", "apparel", "furniture", "kids", "sport", "beauty", "books", "auto", "garden", "food"];
    let brands = ["samsung", "apple", "xiaomi", "huawei", "", "lenovo", "bosch", "nike"];
    let kinds = ["view", "view", "view", "view", "view", "view", "view", "cart", "fav", "purchase"];
    let users = (n / 25).max(100) as u64;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..n as u64 {
        let r = next();
        let user = r % users;
        let item = (r >> 20) % 50_000;
        let ts = 1_700_000_000 + i * (30 * 86_400) / n as u64;
        writeln!(
            w,
            "u{user},i{item},{},{},{}.{:02},{},{ts},s{user}-{}",
            cats[(item % 12) as usize],
            brands[((item / 12) % 8) as usize],
            1 + item % 900,
            (item * 7) % 100,
            kinds[((r >> 16) % 10) as usize],
            ts / 3_600
        )
        .unwrap();
    }
    w.flush().unwrap();
}
