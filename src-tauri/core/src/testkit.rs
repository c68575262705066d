//! Shared fixtures for the core's unit tests.

use crate::campaign::{self, CampaignParams};
use crate::copy::Lang;
use crate::progress::ignore;
use crate::segments::{self, KChoice, SegmentParams};
use crate::store::Project;

/// An in-memory demo project with 6 trained segments and one zh-CN campaign of one landscape
/// variant per segment; returns its id.
pub fn campaign_project() -> (Project, i64) {
    let mut p = Project::open_in_memory().unwrap();
    crate::demo::generate(&mut p, 11, &mut ignore).unwrap();
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 5, ..Default::default() }.check().unwrap();
    segments::train(&mut p, &params, &mut ignore).unwrap();
    let c = campaign::create(&mut p, CampaignParams::single("Double 11", Lang::Zh, 1), &mut ignore).unwrap();
    (p, c.id)
}
