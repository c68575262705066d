//! The response model's one validation ([`ResponseModel::check`], linfa style) and its check
//! against a scenario.

use super::{ResponseModel, MAX_POSITIONS};
use crate::error::keyed_text;
use crate::simulate::scenario::Scenario;
use crate::simulate::SimulateError;

fn range(field: &str, x: f64, lo: f64, hi: f64, lo_open: bool) -> Result<(), SimulateError> {
    let ok = x.is_finite() && x <= hi && if lo_open { x > lo } else { x >= lo };
    if ok {
        Ok(())
    } else {
        Err(SimulateError::bad(format!("model.{field}"), keyed_text!("simparam.range"; "must be in {range}, is {value}", range = format!("{}{lo}, {hi}]", if lo_open { "(" } else { "[" }), value = x)))
    }
}

impl ResponseModel {
    /// Check every range once (linfa style): returns the model or `BadParam` naming the first
    /// bad field (e.g. `model.placements[2].multiplier`).
    pub fn check(self) -> Result<ResponseModel, SimulateError> {
        range("base_intercept", self.base_intercept, 0.0, 0.5, false)?;
        range("cart_weight", self.cart_weight, 0.0, 10.0, false)?;
        range("purchase_weight", self.purchase_weight, 0.0, 10.0, false)?;
        range("base_min", self.base_min, 0.0, 0.5, true)?;
        range("base_max", self.base_max, self.base_min, 0.5, false)?;
        for (i, o) in self.base_overrides.iter().enumerate() {
            range(&format!("base_overrides[{i}].ctr"), o.ctr, 0.0, 0.5, true)?;
        }
        range("affinity_weight", self.affinity_weight, 0.0, 10.0, false)?;
        range("discount_weight", self.discount_weight, 0.0, 5.0, false)?;
        range("copy_threshold", self.copy_threshold as f64, 0.0, 1000.0, false)?;
        range("copy_penalty", self.copy_penalty, 0.0, 0.999, false)?;
        for (i, p) in self.placements.iter().enumerate() {
            range(&format!("placements[{i}].multiplier"), p.multiplier, 0.0, 10.0, true)?;
            if self.placements[..i].iter().any(|q| q.placement == p.placement) {
                return Err(SimulateError::bad(format!("model.placements[{i}].placement"), keyed_text!("simparam.listed_twice"; "{value} is listed twice", value = &p.placement)));
            }
        }
        for (i, e) in self.elements.iter().enumerate() {
            range(&format!("elements[{i}].multiplier"), e.multiplier, 0.0, 10.0, true)?;
            if e.key.trim().is_empty() {
                return Err(SimulateError::bad(format!("model.elements[{i}].key"), keyed_text!("simparam.empty"; "must not be empty")));
            }
        }
        if let Some(h) = self.fatigue_half_life {
            range("fatigue_half_life", h, 0.1, 1e6, false)?;
        }
        range("audience_scale", self.audience_scale, 1.0, 1e6, false)?;
        range("max_ctr", self.max_ctr, 0.0, 0.95, true)?;
        if let Some(c) = self.base_ctr {
            range("base_ctr", c, 0.0, 0.5, true)?;
        }
        if self.positions.len() > MAX_POSITIONS {
            return Err(SimulateError::bad("model.positions", keyed_text!("simparam.max_positions"; "at most {max} slots, has {value}", max = MAX_POSITIONS, value = self.positions.len())));
        }
        for (i, m) in self.positions.iter().enumerate() {
            range(&format!("positions[{i}]"), *m, 0.0, 10.0, true)?;
        }
        range("item_sd", self.item_sd, 0.0, 3.0, false)?;
        if let Some(d) = &self.drift {
            if d.at_impression == 0 {
                return Err(SimulateError::bad("model.drift.at_impression", keyed_text!("simparam.at_least_one"; "must be at least 1")));
            }
            range("drift.multiplier", d.multiplier, 0.0, 10.0, true)?;
            if d.new_top_category.as_deref().is_some_and(|c| c.trim().is_empty()) {
                return Err(SimulateError::bad("model.drift.new_top_category", keyed_text!("simparam.empty"; "must not be empty")));
            }
        }
        Ok(self)
    }

    /// Check that the drift names a segment of `scenario`. Errors: `BadParam("model.drift.segment_id")`.
    pub fn check_against(&self, scenario: &Scenario) -> Result<(), SimulateError> {
        match &self.drift {
            Some(d) if scenario.segment_index(d.segment_id).is_none() => {
                Err(SimulateError::bad("model.drift.segment_id", keyed_text!("simparam.not_a_segment"; "{value} is not a segment of this run", value = d.segment_id)))
            }
            _ => Ok(()),
        }
    }
}
