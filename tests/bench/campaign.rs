//! `make bench` (cargo bench --bench campaign): a whole campaign's creative generation.
//!
//! On the demo store with 6 segments, `studio campaign` (release build) writes 8 copy sets per
//! segment and renders each at the 8 default placements — 6 × 8 × 8 = 384 banners, encoded
//! within each placement's byte budget — using every core. Prints the wall time of the whole
//! `campaign::create` (plan + render + store) as the CLI measures it, best of 3 (goal: < 5 s
//! on a 2-core machine), and banners/s. The demo project has profiles, so the campaigns are
//! created as its marketer (`--as demo-marketer`), as a user of the CLI would.

use std::process::Command;

fn studio(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_studio")).args(args).output().expect("studio binary");
    assert!(out.status.success(), "studio {:?} failed: {}", args, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("bench.studio");
    let p = project.as_os_str();
    studio(&["demo".as_ref(), "--project".as_ref(), p, "--out".as_ref(), dir.path().join("out").as_os_str(), "--json".as_ref()]);
    let seg = studio(&["segment".as_ref(), "--project".as_ref(), p, "--k".as_ref(), "6".as_ref(), "--seed".as_ref(), "3".as_ref(), "--json".as_ref()]);
    let segments = seg["segments"].as_array().map_or(0, Vec::len);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut best: Option<(f64, u64)> = None;
    for run in 0..3 {
        let v = studio(&[
            "campaign".as_ref(),
            "--project".as_ref(),
            p,
            "--name".as_ref(),
            format!("bench {run}").as_ref(),
            "--variants".as_ref(),
            "8".as_ref(),
            "--seed".as_ref(),
            format!("{run}").as_ref(),
            "--as".as_ref(),
            "demo-marketer".as_ref(),
            "--json".as_ref(),
        ]);
        let (secs, banners) = (v["seconds"].as_f64().expect("seconds"), v["banners"].as_u64().expect("banners"));
        if best.is_none_or(|b| secs < b.0) {
            best = Some((secs, banners));
        }
    }
    let (secs, banners) = best.expect("3 runs");
    println!("campaign: {segments} segments × 8 copy sets × 8 placements = {banners} banners on {cores} cores");
    println!("create (plan + render + encode + store), best of 3: {secs:.2} s  (goal < 5 s)  → {:.0} banners/s", banners as f64 / secs);
}
