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
//!
//! Last, real-time assignment on the demo store: 100,000 users (the 2,000 demo users' replayed
//! states, 50 copies each) each observe one new event and are assigned a segment and top
//! interests; p50 and p99 of that per-user latency are printed (goal: under 1 ms).

use std::io::{BufWriter, Write};
use std::process::Command;
use std::time::Instant;

use linfa::ParamGuard;
use ndarray::Array2;
use studio_core::features::user::{LiveEvent, UserState};
use studio_core::ingest::writer::EventKind;
use studio_core::progress::Flow;
use studio_core::segments::realtime::Assigner;
use studio_core::segments::{choose_k, kmeans, KChoice, SegmentParams};

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
    let sizes: Vec<usize> = std::env::var("BENCH_KMEANS_ROWS").ok().map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect()).unwrap_or_else(|| vec![100_000, 1_000_000]);
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
        println!(
            "  scikit-learn {} ({} threads): {:>7.3} s / {:>7.3} s  inertia {:.6e}  iterations {:?}",
            peer["sklearn"],
            peer["threads"],
            t.0,
            t.1,
            t.2,
            theirs.iter().map(|f| f.n_iter).collect::<Vec<_>>()
        );
        println!(
            "  studio ({} threads):             {:>7.3} s / {:>7.3} s  inertia {:.6e}  iterations {:?}",
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            o.0,
            o.1,
            o.2,
            ours.iter().map(|f| f.n_iter).collect::<Vec<_>>()
        );
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
        let k = tried.k;
        let chosen = t.elapsed().as_secs_f64();
        let (_, _, inertia) = studio_core::segments::kmeans(&x, k, 42).expect("final fit");
        let total = t.elapsed().as_secs_f64();
        println!(
            "automatic k over 2..=10 (sampled silhouette among seed-stable k, 3 seeds × 10 seedings per k) + final fit on {} rows: {total:.3} s (goal < 10 s): choosing {chosen:.3} s, final fit {:.3} s (10 seedings on a 20,000-row sample, refined on every row); chose k={k}, inertia {inertia:.6e}",
            x.nrows(),
            total - chosen,
        );
        // The reference: the 10 seedings on every row, as the final fit ran before.
        let t = Instant::now();
        let full = kmeans::fit_view(&kmeans::KMeans::params(k).seed(42).n_init(studio_core::segments::N_INIT).check().unwrap(), x.view()).unwrap();
        println!(
            "  final fit the long way (10 seedings on every row): {:.3} s, inertia {:.6e}; the sampled seeding's inertia differs by {:+.3}% (goal within ±1%)",
            t.elapsed().as_secs_f64(),
            full.inertia(),
            (inertia - full.inertia()) / full.inertia() * 100.0
        );
    }
    realtime(dir.path());
}

/// Per-user latency of observe-one-event + assign, over 100,000 users.
fn realtime(dir: &std::path::Path) {
    let mut p = studio_core::Project::open(&dir.join("demo.studio")).expect("project");
    studio_core::demo::generate(&mut p, studio_core::demo::DEFAULT_SEED, &mut studio_core::progress::ignore).expect("demo");
    let params = SegmentParams { k: KChoice::Auto { min: 4, max: 7 }, ..Default::default() }.check().expect("params");
    studio_core::segments::train(&mut p, &params, &mut studio_core::progress::ignore).expect("train");
    let a = Assigner::load(&p).expect("load").expect("model");
    let mut states: std::collections::BTreeMap<String, UserState> = Default::default();
    let mut end = 0;
    {
        let mut stmt = p
            .conn()
            .prepare("SELECT e.user_id, e.kind, p.category, e.ts, COALESCE(e.price_cents, p.price_cents), e.session, p.brand FROM events e JOIN products p ON p.id = e.product_id ORDER BY e.ts")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let (user, kind, cat, session, brand): (String, String, String, String, String) = (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap(), r.get(5).unwrap(), r.get(6).unwrap());
            let ts: i64 = r.get(3).unwrap();
            end = end.max(ts);
            let e = LiveEvent { ts, kind: EventKind::from_stored(&kind), category: &cat, price_cents: r.get(4).unwrap(), session: &session, brand: &brand };
            a.observe(states.entry(user).or_insert_with(|| a.new_state()), &e);
        }
    }
    let products: Vec<(String, String, i64)> =
        p.conn().prepare("SELECT category, brand, price_cents FROM products").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let base: Vec<UserState> = states.into_values().collect();
    let mut users: Vec<UserState> = (0..100_000).map(|i| base[i % base.len()].clone()).collect();
    let mut lat = Vec::with_capacity(users.len());
    let mut segments = std::collections::BTreeMap::<i64, usize>::new();
    for (i, s) in users.iter_mut().enumerate() {
        let (cat, brand, price) = &products[(i * 7919) % products.len()];
        let e = LiveEvent { ts: end + i as i64, kind: if i % 10 == 0 { EventKind::Cart } else { EventKind::View }, category: cat, price_cents: *price, session: "live", brand };
        let t = Instant::now();
        a.observe(s, &e);
        let got = a.assign(s, end + i as i64);
        lat.push(t.elapsed().as_secs_f64() * 1e6);
        *segments.entry(got.segment_id).or_default() += 1;
    }
    lat.sort_by(f64::total_cmp);
    let q = |f: f64| lat[((lat.len() - 1) as f64 * f) as usize];
    println!(
        "real-time assignment (observe 1 event + segment + top-3 interests), {} users: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (goal < 1000 µs); {} segments hit",
        lat.len(),
        q(0.5),
        q(0.99),
        q(1.0),
        segments.len()
    );
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
