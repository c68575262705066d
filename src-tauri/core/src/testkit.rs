//! Shared fixtures for the core's unit tests.

use crate::campaign::{self, CampaignParams};
use crate::progress::ignore;
use crate::segments::{self, KChoice, SegmentParams};
use crate::store::Project;
use crate::text::Lang;

/// An in-memory copy of the demo store generated with `seed` (products and events, nothing
/// trained). Generated once per seed and test run, then copied page by page.
pub fn demo_store(seed: u64) -> Project {
    static STORES: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<u64, Project>>> = std::sync::OnceLock::new();
    let mut stores = STORES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    let store = stores.entry(seed).or_insert_with(|| {
        let mut p = Project::open_in_memory().unwrap();
        crate::demo::generate(&mut p, seed, &mut ignore).unwrap();
        p
    });
    store.copy_in_memory().unwrap()
}

/// An in-memory demo project with 6 trained segments and one zh-CN campaign of one landscape
/// variant per segment; returns its id. Built once per test run (it is seeded) and copied for
/// each caller, who may change the copy at will.
pub fn campaign_project() -> (Project, i64) {
    static TEMPLATE: std::sync::OnceLock<std::sync::Mutex<(Project, i64)>> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| std::sync::Mutex::new(build_campaign_project())).lock().unwrap_or_else(|p| p.into_inner());
    (template.0.copy_in_memory().unwrap(), template.1)
}

fn build_campaign_project() -> (Project, i64) {
    let mut p = demo_store(11);
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 5, ..Default::default() }.check().unwrap();
    segments::train(&mut p, &params, &mut ignore).unwrap();
    let c = campaign::create(&mut p, CampaignParams::single("Double 11", Lang::Zh, 1), &mut ignore).unwrap();
    (p, c.id)
}

/// The demo team's marketer and reviewer (the team is created when the project has no
/// profiles yet).
pub fn review_team(p: &mut Project) -> (crate::review::Actor, crate::review::Actor) {
    crate::review::profiles::demo_team(p).unwrap();
    let by_name = |name| crate::review::profiles::actor_by_name(p, name).unwrap();
    (by_name("demo-marketer"), by_name("demo-reviewer"))
}

/// Submit variant `id` as the demo marketer, then approve it as the demo reviewer (four eyes:
/// the submitter never approves). The first error of either step.
pub fn submit_and_approve(p: &mut Project, id: i64, note: &str) -> Result<crate::campaign::Variant, crate::review::ReviewError> {
    use crate::review::workflow::{self, ApprovalParams};
    let (marketer, reviewer) = review_team(p);
    workflow::submit(p, &marketer, id)?;
    workflow::approve(p, &reviewer, id, ApprovalParams { note: note.into(), override_reason: None })
}
