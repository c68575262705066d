//! Calibration of the default response model to real traffic: the Open Bandit Dataset's
//! random-policy logs (ZOZOTOWN fashion e-commerce, "ALL" campaign; uniform logging over 80
//! items shown in 3 slots; the 10,000-row sample in `fixtures/data/open-bandit/random/all.csv.gz`,
//! from the Apache-2.0 `obp` package, see `fixtures/README.md`).
//!
//! **Method** (deterministic, no randomness):
//! * base CTR `c = clicks / rows` with its binomial standard error √(c(1 − c)/rows);
//! * a multiplicative effect per position p: `m_p = CTR_p / c` (the maximum-likelihood
//!   estimate of `c × m_p` is `CTR_p`); with the logged shares of the positions the weighted
//!   mean of `m_p` is exactly 1, so positions shift the CTR between slots, not its level;
//! * the spread of item effects by the method of moments: the between-item variance of the
//!   per-item CTRs minus the binomial sampling variance it would have with no item effect
//!   (mean of c(1 − c)/n_i), divided by c², is the squared coefficient of variation of the
//!   item effects; a log-normal effect `exp(σ z − σ²/2)` (mean 1) with that variation has
//!   `σ = √ln(1 + cv²)` (0 when the excess variance is not positive: the data then show no
//!   item spread beyond chance).
//!
//! The fitted numbers are checked in (`assets/simulator/calibration-obd-v1.json`, embedded at
//! build time) so the app does not ship the log; a test refits them from the fixture and
//! compares (`REGENERATE=1` rewrites the file). With 38 clicks in the sample every number is
//! uncertain: the standard errors are stored next to the estimates and shown in the README.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::model::ResponseModel;
use crate::ope::Logs;

/// Name of the calibrated model, recorded with every run that uses it.
pub const CALIBRATED_MODEL: &str = "calibrated-obd-v1";
/// Name recorded for any other (edited or hand-written) model.
pub const CUSTOM_MODEL: &str = "custom";

/// The checked-in fit (see the module docs).
pub const CALIBRATION_JSON: &str = include_str!("../../../../assets/simulator/calibration-obd-v1.json");

/// The fit of one position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PositionFit {
    /// Position as numbered in the log (1-based in OBD).
    pub position: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Logged CTR at this position and its binomial standard error.
    pub ctr: f64,
    pub ctr_se: f64,
    /// `ctr / base_ctr`.
    pub multiplier: f64,
}

/// Parameters fitted to a uniform-policy log (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Calibration {
    /// [`CALIBRATED_MODEL`].
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Logged CTR over all rows, with its standard error.
    pub base_ctr: f64,
    pub base_ctr_se: f64,
    pub positions: Vec<PositionFit>,
    /// Distinct items shown.
    pub items: u32,
    /// Between-item variance of the per-item CTRs.
    pub item_ctr_variance: f64,
    /// The part of it binomial sampling alone would give.
    pub item_sampling_variance: f64,
    /// σ of the log-normal item effect (0: no spread beyond chance).
    pub item_sd: f64,
}

/// Fit [`Calibration`] to `logs`, which must come from a uniform logging policy (the OBD
/// `random` logs). `source` describes the data. Deterministic.
pub fn fit(logs: &Logs, source: &str) -> Calibration {
    let n = logs.len() as u64;
    let clicks = logs.clicks();
    let c = clicks as f64 / n.max(1) as f64;
    let se = |p: f64, n: u64| (p * (1.0 - p) / n.max(1) as f64).sqrt();
    let mut pos = vec![(0u64, 0u64); logs.n_positions()];
    let mut items = vec![(0u64, 0u64); logs.n_items()];
    for ((&a, &p), &r) in logs.action().iter().zip(logs.position()).zip(logs.reward()) {
        let click = (r == 1.0) as u64;
        pos[p as usize].0 += 1;
        pos[p as usize].1 += click;
        items[a as usize].0 += 1;
        items[a as usize].1 += click;
    }
    let positions = pos
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(p, &(n_p, c_p))| {
            let ctr = c_p as f64 / n_p as f64;
            PositionFit { position: p as u32 + logs.position_base(), impressions: n_p, clicks: c_p, ctr, ctr_se: se(ctr, n_p), multiplier: if c > 0.0 { ctr / c } else { 1.0 } }
        })
        .collect();
    let shown: Vec<(u64, u64)> = items.into_iter().filter(|(n, _)| *n > 0).collect();
    let k = shown.len().max(1) as f64;
    let ctrs: Vec<f64> = shown.iter().map(|&(n, c)| c as f64 / n as f64).collect();
    let mean = ctrs.iter().sum::<f64>() / k;
    let variance = ctrs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / k;
    let sampling = shown.iter().map(|&(n, _)| c * (1.0 - c) / n as f64).sum::<f64>() / k;
    let cv2 = if c > 0.0 { ((variance - sampling) / (c * c)).max(0.0) } else { 0.0 };
    Calibration {
        name: CALIBRATED_MODEL.into(),
        source: source.into(),
        rows: n,
        clicks,
        base_ctr: c,
        base_ctr_se: se(c, n),
        positions,
        items: shown.len() as u32,
        item_ctr_variance: variance,
        item_sampling_variance: sampling,
        item_sd: cv2.ln_1p().sqrt(),
    }
}

/// The checked-in calibration (parsed once).
pub fn calibration() -> &'static Calibration {
    static CAL: OnceLock<Calibration> = OnceLock::new();
    CAL.get_or_init(|| serde_json::from_str(CALIBRATION_JSON).expect("assets/simulator/calibration-obd-v1.json is valid (tested)"))
}

/// Impressions one arm needs so that a two-sided test at `confidence` detects a relative lift
/// of `min_lift` over a CTR of `base` with probability `power` (normal approximation for two
/// proportions: n = (z_{1−α/2} √(2 p̄(1 − p̄)) + z_{power} √(p₁(1 − p₁) + p₂(1 − p₂)))² / (p₂ − p₁)²).
/// `None` when the inputs leave no difference to detect.
pub fn impressions_per_arm(base: f64, min_lift: f64, confidence: f64, power: f64) -> Option<u64> {
    let (p1, p2) = (base, base * (1.0 + min_lift));
    if !(p1 > 0.0 && p2 < 1.0 && p2 > p1 && (0.5..1.0).contains(&confidence) && (0.5..1.0).contains(&power)) {
        return None;
    }
    let za = super::math::normal_quantile(1.0 - (1.0 - confidence) / 2.0);
    let zb = super::math::normal_quantile(power);
    let pbar = 0.5 * (p1 + p2);
    let num = za * (2.0 * pbar * (1.0 - pbar)).sqrt() + zb * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    Some((num * num / (p2 - p1).powi(2)).ceil() as u64)
}

impl ResponseModel {
    /// The model calibrated to the Open Bandit random logs (see the module docs and
    /// this module): the real base CTR as anchor, the fitted position effects and item
    /// spread; affinity and discount effects milder than in [`ResponseModel::uncalibrated`]
    /// (a top-category match +50 %, not +100 %), since display CTRs move by tens of per cent,
    /// not by multiples.
    pub fn calibrated() -> ResponseModel {
        let cal = calibration();
        ResponseModel {
            base_ctr: Some(cal.base_ctr),
            positions: cal.positions.iter().map(|p| p.multiplier).collect(),
            item_sd: cal.item_sd,
            item_seed: 0,
            affinity_weight: 0.5,
            discount_weight: 0.5,
            ..ResponseModel::uncalibrated()
        }
    }

    /// The name recorded with a run: [`CALIBRATED_MODEL`] when this is the
    /// calibrated model (up to 1e-9 relative in every number, so a JSON round trip through the
    /// window keeps it), else [`CUSTOM_MODEL`].
    pub fn name(&self) -> &'static str {
        let (a, b) = (serde_json::to_value(self), serde_json::to_value(ResponseModel::calibrated()));
        match (a, b) {
            (Ok(a), Ok(b)) if close(&a, &b) => CALIBRATED_MODEL,
            _ => CUSTOM_MODEL,
        }
    }
}

/// JSON values equal up to 1e-9 relative in every number.
fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
            _ => x == y,
        },
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y)),
        (V::Object(x), V::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w))),
        _ => a == b,
    }
}
