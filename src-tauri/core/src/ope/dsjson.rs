//! Off-policy evaluation of the live decision service's own logs (`studio serve`): Decision
//! Service `dsjson` decisions, each with the actions it offered, their propensities and the
//! joined reward (reward = −`_label_cost`).
//!
//! Estimators (per decision i with logged action aᵢ, logged propensity pᵢ, reward rᵢ and target
//! probability πᵢ = π(aᵢ | offered set of i)): IPW = (1/n) Σ wᵢ rᵢ and SNIPW = Σ wᵢ rᵢ / Σ wᵢ
//! with wᵢ = πᵢ / pᵢ. Target policies: `uniform` over each decision's offered variants, and
//! `logged` (πᵢ = pᵢ, the on-policy mean).

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::estimators::effective_sample_size;
use super::OpeError;

/// What a dsjson log says about one target policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DsReport {
    pub logs: String,
    pub policy: String,
    /// Decisions read (lines still waiting for activation are left out: they were not shown).
    pub rows: usize,
    pub skipped_not_activated: usize,
    /// Replayed simulated decisions (`"Simulated": true`, `studio serve --replay`), left out:
    /// an estimate from these logs is about real traffic only.
    pub skipped_simulated: usize,
    /// Decisions with a reward > 0.
    pub rewarded: usize,
    /// Mean reward of the logging policy itself.
    pub on_policy_value: f64,
    pub ipw: f64,
    pub snipw: f64,
    pub mean_weight: f64,
    pub effective_sample_size: f64,
}

/// Read a joined dsjson file (`studio logs --joined`) and estimate `policy` (see [`evaluate_lines`]).
///
/// Errors: unreadable file (`Read`), a line that is not JSON (`Malformed`, naming the line), and
/// those of [`evaluate_lines`].
pub fn evaluate(path: &Path, policy: &str) -> Result<DsReport, OpeError> {
    let name = path.display().to_string();
    let (mut file, _) = crate::input::open_regular(path).map_err(|source| OpeError::Read { path: name.clone(), source })?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(|source| OpeError::Read { path: name.clone(), source })?;
    let mut lines = Vec::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(l).map_err(|e| OpeError::Malformed { path: name.clone(), line: i as u64 + 1, reason: format!("not JSON: {e}") })?;
        lines.push((i as u64 + 1, v));
    }
    evaluate_lines(&name, &lines, policy)
}

/// Estimate `policy` (`uniform` or `logged`) from joined decision lines `(line number, line)`;
/// `name` stands for the log in messages.
///
/// Errors: a line without a valid propensity, cost or action list (`BadValue` naming line and
/// field), an unknown policy (`PolicyNotFound`), no shown decision at all (`BadFile`).
pub fn evaluate_lines(name: &str, lines: &[(u64, Value)], policy: &str) -> Result<DsReport, OpeError> {
    let name = name.to_string();
    if policy != "uniform" && policy != "logged" {
        return Err(OpeError::PolicyNotFound { path: format!("{policy} (for decision-service logs a policy is `uniform` or `logged`)") });
    }
    let (mut w, mut r, mut p_logged) = (Vec::new(), Vec::new(), Vec::new());
    let (mut skipped, mut simulated) = (0, 0);
    for (line, v) in lines {
        if v.get("_skipLearn").and_then(Value::as_bool) == Some(true) {
            skipped += 1;
            continue;
        }
        if v.get("Simulated").and_then(Value::as_bool) == Some(true) {
            simulated += 1;
            continue;
        }
        let bad = |column: &'static str, reason: &str| OpeError::BadValue { path: name.clone(), line: *line, column, reason: reason.into() };
        let p = v["_label_probability"].as_f64().filter(|p| *p > 0.0 && *p <= 1.0).ok_or_else(|| bad("_label_probability", "must be a probability in (0, 1]"))?;
        let cost = v["_label_cost"].as_f64().ok_or_else(|| bad("_label_cost", "must be a number"))?;
        let k = v["a"].as_array().map_or(0, Vec::len);
        if k == 0 {
            return Err(bad("a", "no offered actions"));
        }
        let pi = if policy == "uniform" { 1.0 / k as f64 } else { p };
        w.push(pi / p);
        r.push(-cost);
        p_logged.push(p);
    }
    let n = w.len();
    if n == 0 {
        return Err(OpeError::BadFile { path: name, reason: "no shown decision to evaluate".into() });
    }
    let sum_w: f64 = w.iter().sum();
    let sum_wr: f64 = w.iter().zip(&r).map(|(w, r)| w * r).sum();
    Ok(DsReport {
        logs: name,
        policy: policy.to_string(),
        rows: n,
        skipped_not_activated: skipped,
        skipped_simulated: simulated,
        rewarded: r.iter().filter(|&&x| x > 0.0).count(),
        on_policy_value: r.iter().sum::<f64>() / n as f64,
        ipw: sum_wr / n as f64,
        snipw: if sum_w > 0.0 { sum_wr / sum_w } else { 0.0 },
        mean_weight: sum_w / n as f64,
        effective_sample_size: effective_sample_size(&w),
    })
}
