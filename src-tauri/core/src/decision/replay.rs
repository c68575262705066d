//! Simulated shoppers for `studio serve --replay`: who visits and whether they click, drawn
//! from the simulator's ground-truth response model ([`crate::simulate::ResponseModel`], its
//! own code), so a marketer can watch the Live screen without a shop. The HTTP driving lives in
//! `studio-serve`; every event it causes is flagged simulated in the log and in the stats.
//!
//! A shopper is a user of the project's segment model (drawn uniformly, with replacement); the
//! service assigns their segment as for anyone. The click probability is the model's
//! p(segment, variant) at the campaign's first placement, without fatigue (shoppers are
//! anonymous draws, not a tracked population).

use std::collections::HashMap;

use serde::Serialize;

use super::DecisionError;
use crate::simulate::{ResponseModel, Scenario, SegmentSpec, SimRng};
use crate::store::Project;

/// What a replay did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplaySummary {
    /// Shoppers driven through `POST /v1/rank`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub shoppers: u64,
    /// Ranks answered (impressions of simulated traffic).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    /// Simulated clicks sent as rewards and accepted.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Calls the service refused (none expected; counted, never hidden).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub refused: u64,
}

/// The most shoppers one replay drives.
pub const MAX_SHOPPERS: u64 = 1_000_000;

/// The simulated audience of one campaign.
pub struct Shoppers {
    users: Vec<String>,
    /// The campaign's languages and the placement ranked at.
    pub languages: Vec<String>,
    pub placement: String,
    model: ResponseModel,
    scenario: Scenario,
    segments: HashMap<i64, SegmentSpec>,
    rng: SimRng,
}

impl Shoppers {
    /// The audience of campaign `campaign_id`: the users of the current segment model, the
    /// default response model, and every segment's profile. Seeded.
    ///
    /// Errors: `NoModel` without segmented users; the campaign's and simulator's errors.
    pub fn new(project: &Project, campaign_id: i64, seed: u64) -> Result<Shoppers, DecisionError> {
        let conn = project.conn();
        let users: Vec<String> = conn.prepare("SELECT DISTINCT user_id FROM user_segments ORDER BY user_id")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if users.is_empty() {
            return Err(DecisionError::NoModel);
        }
        let c = crate::campaign::get(project, campaign_id)?;
        let placement = c.placements.first().cloned().unwrap_or_default();
        let scenario = Scenario::from_campaign(project, campaign_id, Some(&placement))?;
        let ids: Vec<(i64, String, String)> = conn.prepare("SELECT id, name_en, name_zh FROM segments")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        let mut segments = HashMap::new();
        for (id, en, zh) in ids {
            segments.insert(id, SegmentSpec::of(project, id, &en, &zh)?);
        }
        Ok(Shoppers { users, languages: c.languages, placement, model: ResponseModel::default(), scenario, segments, rng: SimRng::new(seed, 21) })
    }

    /// The next shopper's user id and language.
    pub fn visit(&mut self) -> (&str, &str) {
        let u = self.rng.below(self.users.len());
        let l = self.rng.below(self.languages.len().max(1));
        (&self.users[u], self.languages.get(l).map_or("en", String::as_str))
    }

    /// The model's click probability of a shopper of `segment_id` shown `variant_id` (0 for a
    /// segment or variant it does not know).
    pub fn click_probability(&self, segment_id: i64, variant_id: i64) -> f64 {
        match (self.segments.get(&segment_id), self.scenario.arm_index(variant_id)) {
            (Some(seg), Some(a)) => self.model.effects(seg, &self.scenario.arms[a]).ctr,
            _ => 0.0,
        }
    }

    /// Draw whether the shopper clicks.
    pub fn clicks(&mut self, segment_id: i64, variant_id: i64) -> bool {
        let p = self.click_probability(segment_id, variant_id);
        self.rng.unit() < p
    }
}
