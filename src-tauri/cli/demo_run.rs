//! `studio demo`: the whole loop on the demo store, in a kept or temporary project.

use std::path::{Path, PathBuf};

use studio_core::campaign::{self, CampaignParams};
use studio_core::copy::Lang;
use studio_core::review::profiles;
use studio_core::review::workflow::{self, ApprovalParams};
use studio_core::review::Actor;
use studio_core::segments::{self, KChoice, SegmentParams};
use studio_core::simulate::{self, RunParams};
use studio_core::{demo, export, ErrorCode};

use crate::{open, Failure};

/// Impressions of the demo's simulated run: enough for the dashboard to tell the variants
/// apart, few enough to keep `studio demo` quick.
pub const DEMO_IMPRESSIONS: u64 = 50_000;

/// The whole loop: demo store → segments → campaign → simulated serving → submit and approve
/// all → export. The campaign is created and submitted by the profile `demo-marketer` and
/// approved by `demo-reviewer` (created with the admin `demo-admin` when the project has no
/// profiles yet), so the audit log shows the whole review; the marketer exports.
///
/// Everything that can be refused is checked before anything is written: a `--project` that
/// exists already, and an `--out` that holds anything but a previous export or that would
/// contain the project file.
pub fn run_demo(out: &Path, project: Option<&Path>, seed: u64, lang: Lang) -> Result<export::ExportSummary, Failure> {
    if let Some(p) = project.filter(|p| p.exists()) {
        let message = format!("{} exists: `studio demo` builds a new project; give a path that does not exist yet (or no --project for a temporary one)", p.display());
        return Err(Failure::new(ErrorCode::InvalidInput, message));
    }
    export::check_out_dir(out, project)?;
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
    if demo::is_empty(&p).map_err(|e| Failure::new(ErrorCode::Internal, e.to_string()))? {
        demo::generate(&mut p, seed, quiet)?;
    }
    let params = SegmentParams { k: KChoice::Auto { min: 4, max: 7 }, seed, ..Default::default() }.check()?;
    segments::train(&mut p, &params, quiet)?;
    let (marketer, reviewer) = demo_team(&mut p)?;
    let c = workflow::create_campaign(&mut p, &marketer, CampaignParams::single("Demo campaign", lang, seed), quiet)?;
    // The app's simulator (default policy: Thompson sampling), stored as a done run so the
    // dashboard and the export's simulated CTR read it like any run made in the app.
    simulate::run_to_end(&mut p, c.id, "Demo run", RunParams { impressions: DEMO_IMPRESSIONS, seed, ..RunParams::default() })?;
    for v in campaign::variants(&p, c.id)? {
        workflow::submit(&mut p, &marketer, v.id)?;
        workflow::approve(&mut p, &reviewer, v.id, ApprovalParams { note: "approved by `studio demo`".into(), override_reason: None })?;
    }
    let params = export::ExportParams { campaign_id: c.id, out_dir: out.display().to_string(), zip: false, platforms: Vec::new(), ..Default::default() }.check()?;
    Ok(export::export_as(&p, &marketer, &params)?)
}

/// The demo's marketer and reviewer (the demo team is created when the project has none).
fn demo_team(p: &mut studio_core::Project) -> Result<(Actor, Actor), Failure> {
    profiles::demo_team(p)?;
    Ok((profiles::actor_by_name(p, "demo-marketer")?, profiles::actor_by_name(p, "demo-reviewer")?))
}

/// A project file in the system temp folder, removed (with its WAL files) on drop.
struct TempProject(PathBuf);

impl TempProject {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        TempProject(std::env::temp_dir().join(format!("studio-demo-{}-{nanos}.studio", std::process::id())))
    }
}

impl Drop for TempProject {
    fn drop(&mut self) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
        }
    }
}
