//! The numbers of a campaign's dashboard.
//!
//! * **Rows** are segment × variant. With a simulation run, every segment of the run × every
//!   arm (the simulator serves each variant to every segment); variants of the campaign that
//!   the run does not know get one row at the segment they were written for. A row is
//!   `targeted` when the variant was written for the row's segment.
//! * **Simulated** numbers come from the newest run of the campaign that is done, stopped or
//!   paused (a running run is still changing): impressions and clicks of that segment × arm,
//!   CTR as the posterior mean of Beta(1 + clicks, 1 + misses) with its 95 % central credible
//!   interval and P(best) in the segment ([`crate::simulate::stats::of_record`]: the same
//!   statistics of record the Simulation screen shows for a finished run — deterministic).
//! * **Real** numbers are the sums over every imported performance report of the variant's
//!   rows; a report names an ad, not a segment, so they sit on the variant's targeted row.
//!   CTR = clicks / impressions with a 95 % Wilson score interval, CVR = conversions / clicks.
//! * **Lift** (simulated) is the run's lift of the personalised plan over the best generic
//!   creative, with its credible interval and P(lift > 0).
//! * **Approval progress** counts the campaign's variants per review state.
//! * **Off-policy estimates** are the rows stored by [`super::offpolicy::store`].

use std::collections::HashMap;

use serde::Serialize;

use super::{offpolicy, performance, DashboardError};
use crate::campaign;
use crate::review::ReviewState;
use crate::simulate::saved::{self, RunStatus};
use crate::simulate::stats::{self, Lift};
use crate::store::Project;

/// z for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The simulation run the simulated figures come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunRef {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
    pub status: RunStatus,
    pub policy: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub served: u64,
}

/// Simulated figures of one segment × variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SimulatedCell {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Posterior mean CTR, (clicks + 1) / (impressions + 2).
    pub ctr: f64,
    /// 95 % central credible interval of the CTR.
    pub ctr_low: f64,
    pub ctr_high: f64,
    /// P(this variant has the highest CTR in the segment).
    pub p_best: f64,
}

/// Real (reported) figures of a variant, summed over every imported report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RealCell {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub conversions: u64,
    /// clicks / impressions (`None` without impressions), with a 95 % Wilson interval.
    pub ctr: Option<f64>,
    pub ctr_low: Option<f64>,
    pub ctr_high: Option<f64>,
    /// conversions / clicks (`None` without clicks).
    pub cvr: Option<f64>,
    /// Summed cost where the reports gave one.
    pub cost: Option<f64>,
}

/// One segment × variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CellRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub segment_en: String,
    pub segment_zh: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub headline: String,
    /// The variant was written for this segment.
    pub targeted: bool,
    /// `None` for a variant the run served that no longer exists.
    pub review_state: Option<ReviewState>,
    pub simulated: Option<SimulatedCell>,
    pub real: Option<RealCell>,
}

/// The run's lift of personalisation (always simulated).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SimulatedLift {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub run_id: i64,
    pub lift: Lift,
    pub simulated: bool,
}

/// Variants per review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalProgress {
    pub draft: u32,
    pub in_review: u32,
    pub approved: u32,
    pub changes_requested: u32,
    pub total: u32,
}

impl ApprovalProgress {
    /// The states with their counts, in workflow order.
    pub fn by_state(&self) -> [(ReviewState, u32); 4] {
        [(ReviewState::Draft, self.draft), (ReviewState::InReview, self.in_review), (ReviewState::ChangesRequested, self.changes_requested), (ReviewState::Approved, self.approved)]
    }
}

/// One stored off-policy estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpeRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub logs_path: String,
    pub policy: String,
    /// `ipw`, `snipw` or `dr`.
    pub estimator: String,
    /// `None` where the estimator is undefined (SNIPW when the policy never picks a logged action).
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Logged rows the estimate rests on.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub n: u64,
    pub created_at: String,
}

/// A real performance report as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportRef {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_imported: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_rejected: u64,
    pub imported_at: String,
}

/// Variants shown per segment before the rest are folded (table and CTR chart).
pub const TOP_N: usize = 5;

/// One segment's rows, best first: the table and the CTR chart show the first `shown` and
/// fold the rest ("+ K more").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentGroup {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub segment_en: String,
    pub segment_zh: String,
    /// Indices into [`Dashboard::rows`], best first: by simulated posterior mean CTR, else by
    /// real CTR, rows with neither last; ties by variant id.
    pub rows: Vec<u32>,
    /// How many of `rows` are shown before folding (at most [`TOP_N`]).
    pub shown: u32,
}

impl SegmentGroup {
    /// How many rows are folded away.
    pub fn folded(&self) -> usize {
        self.rows.len() - self.shown as usize
    }
}

/// Group `rows` (sorted by segment) per segment, best first, `top_n` shown (see [`SegmentGroup`]).
pub fn group(rows: &[CellRow], top_n: usize) -> Vec<SegmentGroup> {
    let mut out: Vec<SegmentGroup> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match out.last_mut() {
            Some(g) if g.segment_id == r.segment_id => g.rows.push(i as u32),
            _ => out.push(SegmentGroup { segment_id: r.segment_id, segment_en: r.segment_en.clone(), segment_zh: r.segment_zh.clone(), rows: vec![i as u32], shown: 0 }),
        }
    }
    // Higher is better: (has simulated, simulated CTR, has real, real CTR).
    let key = |r: &CellRow| (r.simulated.as_ref().map(|s| s.ctr), r.real.as_ref().and_then(|x| x.ctr));
    for g in &mut out {
        g.rows.sort_by(|&a, &b| {
            let (ra, rb) = (&rows[a as usize], &rows[b as usize]);
            let ((sa, xa), (sb, xb)) = (key(ra), key(rb));
            let desc = |a: Option<f64>, b: Option<f64>| match (a, b) {
                (Some(a), Some(b)) => b.total_cmp(&a),
                (a, b) => b.is_some().cmp(&a.is_some()),
            };
            desc(sa, sb).then(desc(xa, xb)).then(ra.variant_id.cmp(&rb.variant_id))
        });
        g.shown = g.rows.len().min(top_n) as u32;
    }
    out
}

/// Everything the manager dashboard shows for one campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub campaign_name: String,
    /// The run behind every simulated figure, if any.
    pub run: Option<RunRef>,
    /// Segment × variant, by segment id then variant id.
    pub rows: Vec<CellRow>,
    /// The rows per segment, best first, top [`TOP_N`] shown ([`group`]).
    pub segments: Vec<SegmentGroup>,
    pub lift: Option<SimulatedLift>,
    pub approval: ApprovalProgress,
    /// Imported performance reports, oldest first.
    pub reports: Vec<ReportRef>,
    /// Stored off-policy estimates, oldest first.
    pub ope: Vec<OpeRow>,
}

impl Dashboard {
    /// True when any row has simulated figures.
    pub fn has_simulated(&self) -> bool {
        self.rows.iter().any(|r| r.simulated.is_some())
    }

    /// True when any row has real figures.
    pub fn has_real(&self) -> bool {
        self.rows.iter().any(|r| r.real.is_some())
    }
}

/// The 95 % Wilson score interval of `k` successes in `n` trials (`None` for n = 0).
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z2) = (n as f64, k as f64 / n as f64, Z95 * Z95);
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Real figures from summed counts.
pub fn real_cell(impressions: u64, clicks: u64, conversions: u64, cost: Option<f64>) -> RealCell {
    let interval = wilson(clicks, impressions);
    RealCell {
        impressions,
        clicks,
        conversions,
        ctr: (impressions > 0).then(|| clicks as f64 / impressions as f64),
        ctr_low: interval.map(|i| i.0),
        ctr_high: interval.map(|i| i.1),
        cvr: (clicks > 0).then(|| conversions as f64 / clicks as f64),
        cost,
    }
}

/// The dashboard of campaign `campaign_id` (see the module docs). Needs no actor.
/// Errors: [`DashboardError::CampaignNotFound`]; `Simulate` for an unreadable stored run;
/// store errors.
pub fn build(project: &Project, campaign_id: i64) -> Result<Dashboard, DashboardError> {
    let camp = campaign::get(project, campaign_id)?;
    let variants = campaign::variants(project, campaign_id)?;
    let mut approval = ApprovalProgress { total: variants.len() as u32, ..Default::default() };
    for v in &variants {
        *match v.review_state {
            ReviewState::Draft => &mut approval.draft,
            ReviewState::InReview => &mut approval.in_review,
            ReviewState::Approved => &mut approval.approved,
            ReviewState::ChangesRequested => &mut approval.changes_requested,
        } += 1;
    }
    let real = performance::totals(project, campaign_id)?;
    let real_of = |variant_id: i64, targeted: bool| if targeted { real.get(&variant_id).cloned() } else { None };
    let by_id: HashMap<i64, &campaign::Variant> = variants.iter().map(|v| (v.id, v)).collect();

    let record = saved::list(project, campaign_id)?.into_iter().rev().find(|r| matches!(r.status, RunStatus::Done | RunStatus::Stopped | RunStatus::Paused));
    let mut rows = Vec::new();
    let (mut run_ref, mut lift) = (None, None);
    if let Some(rec) = record {
        let (_, run) = saved::load(project, rec.id)?;
        let report = stats::of_record(&run)?;
        for seg in &report.segments {
            // the arms the segment was served (its own variants and the generic control)
            for d in &seg.decision.arms {
                let (a, arm) = (d.arm, &report.arms[d.arm]);
                let v = by_id.get(&arm.variant_id);
                let targeted = run.scenario().arms[a].segment_id == seg.segment_id;
                rows.push(CellRow {
                    segment_id: seg.segment_id,
                    segment_en: seg.name_en.clone(),
                    segment_zh: seg.name_zh.clone(),
                    variant_id: arm.variant_id,
                    headline: v.map_or_else(|| arm.label.clone(), |v| v.headline.clone()),
                    targeted,
                    review_state: v.map(|v| v.review_state),
                    simulated: Some(SimulatedCell { impressions: d.impressions, clicks: d.clicks, ctr: d.mean, ctr_low: d.low, ctr_high: d.high, p_best: d.p_best }),
                    real: real_of(arm.variant_id, targeted),
                });
            }
        }
        run_ref = Some(RunRef { id: rec.id, name: rec.name.clone(), status: rec.status, policy: rec.policy.clone(), served: rec.served });
        lift = Some(SimulatedLift { run_id: rec.id, lift: report.lift, simulated: true });
    }
    for v in &variants {
        if !rows.iter().any(|r| r.variant_id == v.id) {
            rows.push(CellRow {
                segment_id: v.segment_id,
                segment_en: v.segment_name_en.clone(),
                segment_zh: v.segment_name_zh.clone(),
                variant_id: v.id,
                headline: v.headline.clone(),
                targeted: true,
                review_state: Some(v.review_state),
                simulated: None,
                real: real_of(v.id, true),
            });
        }
    }
    rows.sort_by_key(|r| (r.segment_id, r.variant_id));
    let segments = group(&rows, TOP_N);
    Ok(Dashboard {
        campaign_id,
        campaign_name: camp.name,
        run: run_ref,
        rows,
        segments,
        lift,
        approval,
        reports: performance::reports(project, campaign_id)?,
        ope: offpolicy::list(project, campaign_id)?,
    })
}
