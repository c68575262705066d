//! The ground-truth response model: the probability that a simulated user of segment `s`
//! clicks arm `a`. Seeded runs over the same model and scenario are reproducible; every
//! parameter is plain data (serde) so the UI can show and edit it.
//!
//! ```text
//! p(s, a, j) = min(max_ctr, k × base(s) × A(s, a) × D(s, a) × L(a) × P(a) × E(a) × I(a)) × F(s, a, m) × Q(j)
//!
//! base(s) = clamp(base_intercept + cart_weight × cart_rate(s) + purchase_weight × purchase_rate(s),
//!                 base_min, base_max)                  (or the segment's `base_overrides` entry)
//! A(s, a) = 1 + affinity_weight × aff(s, a)            aff = 1, 2/3, 1/3 when the arm's product
//!                                                      category is the segment's 1st/2nd/3rd top
//!                                                      category, else 0
//! D(s, a) = exp(−discount_weight × price_index(s))     if the arm promises a discount, else 1
//!                                                      (price-sensitive segments, index < 0, respond more)
//! L(a)    = (1 − copy_penalty)^(max(0, copy_width(a) − copy_threshold) / 10)
//! P(a)    = the multiplier of the arm's placement in `placements` (1 when not listed)
//! E(a)    = Π multipliers of `elements` matching the arm's headline angle / image / CTA (1 if none)
//! I(a)    = exp(item_sd × z(a) − item_sd²/2)           the creative's own appeal (mean 1), z(a) a
//!                                                      standard normal seeded by (item_seed, variant
//!                                                      id); 1 for the generic control
//! k       = base_ctr / Σ_s w(s) mean_{a served in s} (p(s, a) / k)   when `base_ctr` is set (the
//!           calibration anchor: the uniform split over each segment's served arms has the
//!           anchored CTR), else 1; w(s) = the segment's share of the audience
//! Q(j)    = positions[j] for the slot j the impression is shown in (drawn uniformly; 1 when
//!           `positions` is empty)
//! F(s, a, m) = (1 − (1 − 2^(−1/h)) / N(s))^m           creative fatigue, h = fatigue_half_life
//! ```
//!
//! The default model is the **calibrated** one ([`ResponseModel::calibrated`], recorded as
//! `calibrated-obd-v1`): `base_ctr`, `positions` and `item_sd` are fitted to the Open Bandit
//! random logs ([`super::calibrate`]); the funnel, affinity, discount, copy, placement and
//! element effects then only redistribute clicks around the real base rate. Any other model is
//! recorded as `custom`. [`ResponseModel::uncalibrated`] is the earlier default (absolute base
//! CTRs from the funnel; CTRs of several per cent), kept for tests that need strong signals.
//!
//! Fatigue: users are anonymous members of their segment's simulated population
//! `N(s) = size(s) × audience_scale`. After an arm was shown `m` times in segment `s`, a drawn
//! user has seen it `k ~ Binomial(m, 1/N(s))` times, and each earlier exposure halves the CTR
//! every `h` exposures (factor `2^(−k/h)`); `F` is the exact expectation of that factor over
//! `k`. Each world of a paired run (learning policy, uniform split) has its own exposures.
//!
//! Drift: from impression `drift.at_impression` on, the drifting segment's taste changes — a
//! `new_top_category` moves to the front of its top categories, and its base CTR is multiplied
//! by `drift.multiplier`.

use serde::{Deserialize, Serialize};

use super::scenario::{ArmSpec, Scenario, SegmentSpec};
use crate::placements::{self, Family};

mod check;

/// All parameters of the ground truth. See the module docs for the formula.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct ResponseModel {
    /// CTR every segment has before funnel effects (0–0.5).
    pub base_intercept: f64,
    /// CTR added per unit of the segment's cart rate (carts per view; 0–10).
    pub cart_weight: f64,
    /// CTR added per unit of the segment's purchase rate (purchases per view; 0–10).
    pub purchase_weight: f64,
    /// Lower clamp of the base CTR (0 < base_min ≤ base_max ≤ 0.5).
    pub base_min: f64,
    /// Upper clamp of the base CTR.
    pub base_max: f64,
    /// Base CTR set by hand for some segments (replaces the funnel calibration).
    pub base_overrides: Vec<BaseOverride>,
    /// Strength of segment–product category affinity (0–10): the top category multiplies the CTR by 1 + this.
    pub affinity_weight: f64,
    /// Strength of discount framing × price sensitivity (0–5).
    pub discount_weight: f64,
    /// Copy width (headline + description, width units) without penalty (0–1000).
    pub copy_threshold: u32,
    /// CTR lost per 10 width units over the threshold, as a fraction (0 ≤ x < 1).
    pub copy_penalty: f64,
    /// CTR multiplier per placement id (each 0 < x ≤ 10).
    pub placements: Vec<PlacementEffect>,
    /// CTR multipliers of single creative elements (each 0 < x ≤ 10).
    pub elements: Vec<ElementEffect>,
    /// Exposures after which an arm's CTR is halved for a user; `None`: no fatigue (0.1–10⁶).
    pub fatigue_half_life: Option<f64>,
    /// Simulated people per user of the project's data (1–10⁶).
    pub audience_scale: f64,
    /// Cap of any click probability (0 < x ≤ 0.95).
    pub max_ctr: f64,
    /// Optional change of one segment's taste mid-run.
    pub drift: Option<Drift>,
    /// Calibration anchor (0 < x ≤ 0.5): the CTR of the uniform split (see the module docs);
    /// `None`: base CTRs are absolute.
    #[serde(default)]
    pub base_ctr: Option<f64>,
    /// CTR multiplier per display slot (each 0 < x ≤ 10, at most [`MAX_POSITIONS`]); each
    /// impression is shown in a uniformly drawn slot. Empty: no slot effect.
    #[serde(default)]
    pub positions: Vec<f64>,
    /// Spread (σ of the log) of the creatives' own appeal (0–3; 0: none).
    #[serde(default)]
    pub item_sd: f64,
    /// Seed of the creatives' own appeal.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub item_seed: u64,
}

/// The most display slots of [`ResponseModel::positions`].
pub const MAX_POSITIONS: usize = 16;

/// A hand-set base CTR for one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BaseOverride {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    /// 0 < ctr ≤ 0.5.
    pub ctr: f64,
}

/// The CTR multiplier of one placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlacementEffect {
    pub placement: String,
    pub multiplier: f64,
}

/// A creative element kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// Matches the arm's angle.
    Headline,
    /// Matches the arm's image (product category).
    Image,
    /// Matches the arm's CTA text.
    Cta,
}

impl Element {
    /// Every element, in the model's order.
    pub const ALL: [Element; 3] = [Element::Headline, Element::Image, Element::Cta];
}

/// The CTR multiplier of arms whose `element` equals `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ElementEffect {
    pub element: Element,
    pub key: String,
    pub multiplier: f64,
}

/// A change of one segment's taste from impression `at_impression` (≥ 1) on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Drift {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at_impression: u64,
    /// The category the segment now prefers most.
    #[serde(default)]
    pub new_top_category: Option<String>,
    /// Multiplier of the segment's base CTR (0 < x ≤ 10; 1 = unchanged).
    #[serde(default = "one")]
    pub multiplier: f64,
}

fn one() -> f64 {
    1.0
}

/// Default multiplier of a placement family: feed-like formats (square, portrait) do a little
/// better than landscape, thin strips worse.
pub fn family_multiplier(f: Family) -> f64 {
    match f {
        Family::Landscape => 1.0,
        Family::Square | Family::Portrait => 1.1,
        Family::Skyscraper => 0.8,
        Family::Leaderboard => 0.7,
        Family::MobileBanner => 0.6,
    }
}

impl Default for ResponseModel {
    /// The calibrated model ([`ResponseModel::calibrated`]).
    fn default() -> Self {
        ResponseModel::calibrated()
    }
}

impl ResponseModel {
    /// The earlier default: absolute base CTRs from the funnel (several per cent), strong
    /// affinity and discount effects, no anchor, no positions, no item spread.
    pub fn uncalibrated() -> ResponseModel {
        ResponseModel {
            base_intercept: 0.004,
            cart_weight: 0.1,
            purchase_weight: 0.3,
            base_min: 0.002,
            base_max: 0.08,
            base_overrides: Vec::new(),
            affinity_weight: 1.0,
            discount_weight: 1.5,
            copy_threshold: 40,
            copy_penalty: 0.04,
            placements: placements::all().iter().map(|p| PlacementEffect { placement: p.id.clone(), multiplier: family_multiplier(p.family) }).collect(),
            elements: Vec::new(),
            fatigue_half_life: Some(20.0),
            audience_scale: 100.0,
            max_ctr: 0.3,
            drift: None,
            base_ctr: None,
            positions: Vec::new(),
            item_sd: 0.0,
            item_seed: 0,
        }
    }
}

/// The factors of one click probability, for explaining the model in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Effects {
    pub base: f64,
    pub affinity: f64,
    pub discount: f64,
    pub copy_length: f64,
    pub placement: f64,
    pub elements: f64,
    /// The creative's own appeal I(a).
    pub item: f64,
    /// The product, capped at `max_ctr` (fatigue not included).
    pub ctr: f64,
}

impl ResponseModel {
    /// Base CTR of a segment (override, else the funnel calibration).
    pub fn base_ctr(&self, seg: &SegmentSpec) -> f64 {
        match self.base_overrides.iter().find(|o| o.segment_id == seg.segment_id) {
            Some(o) => o.ctr,
            None => (self.base_intercept + self.cart_weight * seg.cart_rate + self.purchase_weight * seg.purchase_rate).clamp(self.base_min, self.base_max),
        }
    }

    /// Every factor of p(s, a) before fatigue.
    pub fn effects(&self, seg: &SegmentSpec, arm: &ArmSpec) -> Effects {
        let base = self.base_ctr(seg);
        let rank = seg.top_categories.iter().take(3).position(|c| *c == arm.image);
        let affinity = 1.0 + self.affinity_weight * rank.map_or(0.0, |r| (3 - r) as f64 / 3.0);
        let discount = if arm.discount { (-self.discount_weight * seg.price_index).exp() } else { 1.0 };
        let over = arm.copy_width.saturating_sub(self.copy_threshold) as f64;
        let copy_length = (1.0 - self.copy_penalty).powf(over / 10.0);
        let placement = self.placements.iter().find(|p| p.placement == arm.placement).map_or(1.0, |p| p.multiplier);
        let elements = self
            .elements
            .iter()
            .filter(|e| match e.element {
                Element::Headline => e.key == arm.angle,
                Element::Image => e.key == arm.image,
                Element::Cta => e.key == arm.cta,
            })
            .map(|e| e.multiplier)
            .product::<f64>();
        let item = self.item_effect(arm);
        let ctr = (base * affinity * discount * copy_length * placement * elements * item).min(self.max_ctr);
        Effects { base, affinity, discount, copy_length, placement, elements, item, ctr }
    }

    /// I(a): the creative's own appeal, exp(σ z − σ²/2) with z seeded by (`item_seed`, variant
    /// id); 1 for the generic control or without spread.
    pub fn item_effect(&self, arm: &ArmSpec) -> f64 {
        if arm.generic || self.item_sd == 0.0 {
            return 1.0;
        }
        let z = super::rng::SimRng::new(self.item_seed ^ (arm.variant_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15), 0x17E4).normal();
        (self.item_sd * z - 0.5 * self.item_sd * self.item_sd).exp()
    }

    /// The anchor factor k of the module docs (1 without `base_ctr`).
    pub fn anchor_scale(&self, scenario: &Scenario) -> f64 {
        let Some(target) = self.base_ctr else { return 1.0 };
        let total: f64 = scenario.segments.iter().map(|s| s.size as f64).sum();
        let serving = scenario.serving();
        let mut mean = 0.0;
        for (s, seg) in scenario.segments.iter().enumerate() {
            let arms = &serving[s];
            let raw: f64 = arms.iter().map(|&a| self.raw(seg, &scenario.arms[a])).sum();
            mean += seg.size as f64 / total * raw / arms.len().max(1) as f64;
        }
        if mean > 0.0 {
            target / mean
        } else {
            1.0
        }
    }

    /// The uncapped product of [`ResponseModel::effects`].
    fn raw(&self, seg: &SegmentSpec, arm: &ArmSpec) -> f64 {
        let e = self.effects(seg, arm);
        e.base * e.affinity * e.discount * e.copy_length * e.placement * e.elements * e.item
    }

    /// The segment as it is after the drift (unchanged when the drift is about another one).
    pub fn drifted(&self, seg: &SegmentSpec) -> SegmentSpec {
        let mut seg = seg.clone();
        if let Some(d) = self.drift.as_ref().filter(|d| d.segment_id == seg.segment_id) {
            if let Some(c) = &d.new_top_category {
                seg.top_categories.retain(|x| x != c);
                seg.top_categories.insert(0, c.clone());
                seg.top_categories.truncate(3);
            }
        }
        seg
    }

    /// Click probabilities before fatigue and slot, row-major `[segment × arm]` (0 for an arm
    /// the segment is not served, see [`Scenario::serving`]); `drifted` applies the drift (if any).
    pub fn truth(&self, scenario: &Scenario, drifted: bool) -> Vec<f64> {
        let k = self.anchor_scale(scenario);
        let serving = scenario.serving();
        let mut out = Vec::with_capacity(scenario.segments.len() * scenario.arms.len());
        for (s, seg) in scenario.segments.iter().enumerate() {
            let (seg, mult) = match self.drift.as_ref().filter(|d| drifted && d.segment_id == seg.segment_id) {
                Some(d) => (self.drifted(seg), d.multiplier),
                None => (seg.clone(), 1.0),
            };
            for (a, arm) in scenario.arms.iter().enumerate() {
                let served = serving[s].contains(&a);
                out.push(if served { (k * self.raw(&seg, arm) * mult).min(self.max_ctr) } else { 0.0 });
            }
        }
        out
    }

    /// Per segment, the fatigue base `q(s) = 1 − (1 − 2^(−1/h)) / N(s)` (the CTR factor after
    /// `m` exposures is `q^m`), or `None` without fatigue.
    pub fn fatigue_bases(&self, scenario: &Scenario) -> Option<Vec<f64>> {
        let h = self.fatigue_half_life?;
        let per = 1.0 - (-std::f64::consts::LN_2 / h).exp();
        Some(scenario.segments.iter().map(|s| 1.0 - per / (s.size as f64 * self.audience_scale)).collect())
    }
}
