//! `make bench` (cargo bench --bench segments): k-means against scikit-learn in the same run.
//!
//! For 100,000 × 32 and 1,000,000 × 32 (`BENCH_KMEANS_ROWS=100000,1000000` to change) a seeded
//! matrix of 8 overlapping Gaussian clusters is written to a temporary file; scikit-learn's
//! `KMeans(n_clusters=8, n_init=1, algorithm="lloyd")` (tests/bench/kmeans_sklearn.py, all
//! cores through OpenMP) and the studio's k-means (`segments::kmeans`, same algorithm, all
//! cores) each fit it with seeds 0..5; median and best times, time per iteration, the ratios and
//! the median inertias are printed. The goal: studio time ≤ scikit-learn time at equal inertia
//! (±1%).
//!
//! Then the automatic choice of k over 2..=10 by sampled silhouette, plus the final fit, on the
//! 1,000,000-row matrix (goal: under 10 s).

use std::io::{BufWriter, Write};
use std::process::Command;
use std::time::Instant;

use linfa::ParamGuard;
use ndarray::Array2;
use studio_core::progress::Flow;
use studio_core::segments::{choose_k, kmeans};

const COLS: usize = 32;
const K: usize = 8;
/// Seeds per side (`BENCH_KMEANS_RUNS` to change).
const RUNS: usize = 5;

struct Fit {
    seconds: f64,
    inertia: f64,
    n_iter: usize,
}

/// (median time, best time, median inertia, total time / total iterations).
fn summary(fits: &[Fit]) -> (f64, f64, f64, f64) {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let best = fits.iter().map(|f| f.seconds).fold(f64::INFINITY, f64::min);
    let per_iter = fits.iter().map(|f| f.seconds).sum::<f64>() / fits.iter().map(|f| f.n_iter).sum::<usize>().max(1) as f64;
    (median(fits.iter().map(|f| f.seconds).collect()), best, median(fits.iter().map(|f| f.inertia).collect()), per_iter)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_KMEANS_ROWS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100_000, 1_000_000]);
    let dir = tempfile::tempdir().expect("temp dir");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bench/kmeans_sklearn.py");
    let runs: usize = std::env::var("BENCH_KMEANS_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(RUNS).max(1);
    let mut largest: Option<Array2<f64>> = None;
    for &rows in &sizes {
        let x = matrix(rows, COLS, 20261128);
        let file = dir.path().join(format!("x{rows}.f64"));
        write_f64(&file, &x);
        let out = Command::new("python3").arg(script).arg(&file).args([rows.to_string(), COLS.to_string(), K.to_string(), runs.to_string()]).output().expect("python3 on PATH");
        assert!(out.status.success(), "scikit-learn side failed (pip install scikit-learn): {}", String::from_utf8_lossy(&out.stderr));
        let peer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json from the python side");
        let theirs: Vec<Fit> = peer["fits"]
            .as_array()
            .expect("fits")
            .iter()
            .map(|f| Fit { seconds: f["seconds"].as_f64().unwrap(), inertia: f["inertia"].as_f64().unwrap(), n_iter: f["n_iter"].as_u64().unwrap() as usize })
            .collect();
        let ours: Vec<Fit> = (0..runs as u64)
            .map(|seed| {
                let params = kmeans::KMeans::params(K).seed(seed).check().expect("valid params");
                let t = Instant::now();
                let model = kmeans::fit_view(&params, x.view()).expect("fit");
                Fit { seconds: t.elapsed().as_secs_f64(), inertia: model.inertia(), n_iter: model.n_iter() }
            })
            .collect();
        let (t, o) = (summary(&theirs), summary(&ours));
        println!("k-means k={K} on {rows} x {COLS}, {runs} seeds each (median / best time, median inertia, iterations per fit):");
        println!("  scikit-learn {} ({} threads): {:>7.3} s / {:>7.3} s  inertia {:.6e}  iterations {:?}", peer["sklearn"], peer["threads"], t.0, t.1, t.2, theirs.iter().map(|f| f.n_iter).collect::<Vec<_>>());
        println!("  studio ({} threads):             {:>7.3} s / {:>7.3} s  inertia {:.6e}  iterations {:?}", std::thread::available_parallelism().map_or(1, |n| n.get()), o.0, o.1, o.2, ours.iter().map(|f| f.n_iter).collect::<Vec<_>>());
        println!(
            "  ratio scikit-learn/studio: median {:.2}x, best {:.2}x, per iteration {:.2}x (goal >= 1.0x); median inertia difference {:+.3}% (goal within ±1%)",
            t.0 / o.0,
            t.1 / o.1,
            t.3 / o.3,
            (o.2 - t.2) / t.2 * 100.0
        );
        largest = Some(x);
    }
    if let Some(x) = largest {
        let t = Instant::now();
        let tried = choose_k(x.view(), 2, 10, 42, 1500, &mut |_, _| Flow::Continue).expect("choose k");
        let k = tried.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|b| b.0 as usize).unwrap();
        let model = kmeans::fit_view(&kmeans::KMeans::params(k).seed(42).n_init(3).check().unwrap(), x.view()).unwrap();
        println!(
            "automatic k over 2..=10 (sampled silhouette) + final fit (3 seedings) on {} rows: {:.3} s (goal < 10 s); chose k={k}, inertia {:.6e}",
            x.nrows(),
            t.elapsed().as_secs_f64(),
            model.inertia()
        );
    }
}

/// `rows` × `cols` values around 8 seeded centres (uniform in [-1, 1]), unit Gaussian noise:
/// clusters overlap, so Lloyd needs tens of iterations, as on real behaviour features.
fn matrix(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut s = seed | 1;
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let centres: Vec<f64> = (0..K * cols).map(|_| uniform() * 2.0 - 1.0).collect();
    let mut x = Array2::zeros((rows, cols));
    for i in 0..rows {
        let c = (uniform() * K as f64) as usize % K;
        for j in 0..cols {
            // Box–Muller
            let (u1, u2) = (uniform().max(1e-300), uniform());
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            x[[i, j]] = centres[c * cols + j] + z;
        }
    }
    x
}

fn write_f64(path: &std::path::Path, x: &Array2<f64>) {
    let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
    for v in x.iter() {
        w.write_all(&v.to_le_bytes()).unwrap();
    }
    w.flush().unwrap();
}
