//! `studio demo`: the whole loop on the demo store, in a kept or temporary project.

use std::path::{Path, PathBuf};

use studio_core::campaign::{self, CampaignParams};
use studio_core::copy::Lang;
use studio_core::segments::{self, KChoice, SegmentParams};
use studio_core::simulate::{SimParams, Simulation};
use studio_core::{demo, export, review, ErrorCode};

use crate::{open, Failure};

/// The whole loop: demo store → segments → campaign → simulated serving → approve all → export.
pub fn run_demo(out: &Path, project: Option<&Path>, seed: u64, lang: Lang) -> Result<export::ExportSummary, Failure> {
    let tmp;
    let path = match project {
        Some(p) => p.to_path_buf(),
        None => {
            tmp = TempProject::new();
            tmp.0.clone()
        }
    };
    let mut p = open(&path)?;
    let quiet = &mut studio_core::progress::ignore;
    if demo::is_empty(&p).map_err(|e| Failure { code: ErrorCode::Internal, message: e.to_string() })? {
        demo::generate(&mut p, seed, quiet)?;
    }
    let params = SegmentParams { k: KChoice::Auto { min: 4, max: 7 }, seed, ..Default::default() }.check()?;
    segments::train(&mut p, &params, quiet)?;
    let c = campaign::create(&mut p, CampaignParams::single("Demo campaign", lang, seed), quiet)?;
    let mut sim = Simulation::new(&p, c.id, SimParams { impressions: 50_000, seed, steps: 25 }.check()?)?;
    while sim.step() {}
    sim.save(&p, c.id)?;
    for v in campaign::variants(&p, c.id)? {
        review::approve(&mut p, v.id, "demo-reviewer", "approved by `studio demo`")?;
    }
    Ok(export::export_campaign(&p, c.id, out)?)
}

/// A project file in the system temp folder, removed (with its WAL files) on drop.
struct TempProject(PathBuf);

impl TempProject {
    fn new() -> Self {
        TempProject(std::env::temp_dir().join(format!("studio-demo-{}.studio", std::process::id())))
    }
}

impl Drop for TempProject {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}
