//! One stored run as the Simulation screen and `studio simulate show` present it: the headline
//! CTRs, each segment's CTR with its credible interval, the lift of personalisation over the
//! generic control, the decision budget, the model used and the full statistics. Simulated.

use std::path::Path;

use serde::Serialize;

use super::budget::Budget;
use super::compare::{summary, RunSummary};
use super::history::Cell;
use super::model::ResponseModel;
use super::saved;
use super::stats::{self, Lift, Report, StatsParams};
use super::{math, SimulateError};
use crate::store::Project;

/// A segment's CTR under the learning policy (all arms it was served pooled).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentCtr {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub name_en: String,
    pub name_zh: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// clicks / impressions (0 before any impression).
    pub ctr: f64,
    /// Central credible interval of the Beta(1 + clicks, 1 + misses) posterior at the
    /// statistics' confidence.
    pub low: f64,
    pub high: f64,
}

/// A stored run, described (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunView {
    /// The record with the overall CTR of the policy and of the paired uniform split.
    pub summary: RunSummary,
    /// `calibrated-obd-v1` or `custom`.
    pub model: String,
    pub segments: Vec<SegmentCtr>,
    /// Lift of personalisation over the generic control.
    pub lift: Lift,
    pub budget: Budget,
    pub report: Report,
    pub simulated: bool,
}

/// Describe stored run `run_id` with the default statistics. Errors: `RunNotFound`, an
/// unreadable checkpoint, store errors.
pub fn view(project: &Project, run_id: i64) -> Result<RunView, SimulateError> {
    let (record, run) = saved::load(project, run_id)?;
    let params = StatsParams::default();
    let report = stats::report(&run, &params)?;
    let z = math::normal_quantile(1.0 - (1.0 - params.confidence) / 2.0);
    let k = run.scenario().arms.len();
    let segments = run
        .scenario()
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| {
            let c = run.counts()[s * k..(s + 1) * k].iter().fold(Cell::default(), |t, c| Cell { impressions: t.impressions + c.impressions, clicks: t.clicks + c.clicks });
            let (low, high) = math::beta_interval(c.clicks as f64 + 1.0, (c.impressions - c.clicks) as f64 + 1.0, z);
            let ctr = if c.impressions == 0 { 0.0 } else { c.clicks as f64 / c.impressions as f64 };
            SegmentCtr { segment_id: seg.segment_id, name_en: seg.name_en.clone(), name_zh: seg.name_zh.clone(), impressions: c.impressions, clicks: c.clicks, ctr, low, high }
        })
        .collect();
    Ok(RunView { model: record.model.clone(), summary: summary(record), segments, lift: report.lift.clone(), budget: report.budget.clone(), report, simulated: true })
}

/// A response model from a JSON file: the fields it gives replace the calibrated model's
/// (so `{"affinity_weight": 1}` keeps the calibration), then the ranges are checked.
/// Errors: `BadModelFile` naming the file and the JSON error's line/column, `BadParam` for a
/// value out of range.
pub fn model_from_file(path: &Path) -> Result<ResponseModel, SimulateError> {
    let bad = |reason: String| SimulateError::BadModelFile { path: path.display().to_string(), reason };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let given: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let serde_json::Value::Object(given) = given else { return Err(bad("must be a JSON object of model fields".into())) };
    let mut merged = serde_json::to_value(ResponseModel::calibrated())?;
    let fields = merged.as_object_mut().expect("a model serialises to an object");
    for (k, v) in given {
        if !fields.contains_key(&k) {
            return Err(bad(format!("unknown model field `{k}`")));
        }
        fields.insert(k, v);
    }
    let model: ResponseModel = serde_json::from_value(merged).map_err(|e| bad(e.to_string()))?;
    model.check()
}
