//! What is simulated: the audience (segments with their real sizes and funnel profile) and the
//! arms (variants with the elements the response model and the factorised policy look at).
//!
//! A [`Scenario`] is plain data (serde) and is stored inside every checkpoint, so a re-opened
//! run never depends on later edits of the campaign.

use crate::error::{keyed_text, KeyedText};
use serde::{Deserialize, Serialize};

use super::SimulateError;
use crate::campaign;
use crate::copy;
use crate::segments;
use crate::store::Project;

/// One audience segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentSpec {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub name_en: String,
    pub name_zh: String,
    /// Users in the segment in the project's data (≥ 1). The simulated population is this ×
    /// the model's `audience_scale`; segments are drawn in proportion to it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// Carts per view in the segment's history (funnel data).
    pub cart_rate: f64,
    /// Purchases per view.
    pub purchase_rate: f64,
    /// Mean price index: < 0 price-sensitive, > 0 premium.
    pub price_index: f64,
    /// Most characteristic categories first (≤ 3 used).
    pub top_categories: Vec<String>,
}

impl SegmentSpec {
    /// Segment `segment_id` as the response model sees it: its stored profile (size, funnel
    /// rates, price index, top categories) under the given names.
    ///
    /// Errors: store (no such segment).
    pub fn of(project: &Project, segment_id: i64, name_en: &str, name_zh: &str) -> Result<SegmentSpec, SimulateError> {
        let p = segments::profile_of(project, segment_id)?;
        Ok(SegmentSpec {
            segment_id,
            name_en: name_en.to_string(),
            name_zh: name_zh.to_string(),
            size: p.size.max(1) as u64,
            // An undefined rate (no product views) adds nothing to the base response.
            cart_rate: p.cart_rate.unwrap_or(0.0),
            purchase_rate: p.purchase_rate.unwrap_or(0.0),
            price_index: p.price_index,
            top_categories: p.top_categories,
        })
    }
}

/// One arm: a variant as served at one placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArmSpec {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    /// Short legend label, e.g. `#12 Digital lovers · discount`.
    pub label: String,
    /// The segment the variant was written for (informational: the model does not favour it
    /// except through its product's affinity).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    /// Headline element: the copy angle (`discount`, `quality`, …; the headline text when the
    /// angle is empty).
    pub angle: String,
    /// Image element: the product category pictured.
    pub image: String,
    /// Call-to-action text.
    pub cta: String,
    /// True when the creative promises a discount (a badge such as "-15%", or the discount angle).
    pub discount: bool,
    /// Width units of headline + description (CJK counted 2).
    pub copy_width: u32,
    /// Placement id the arm is served at.
    pub placement: String,
    /// True for the shared generic control creative (written for no segment; see
    /// [`Scenario::serving`]).
    #[serde(default)]
    pub generic: bool,
}

/// Variant id of the generic control arm (campaign variants have positive ids).
pub const GENERIC_CONTROL_ID: i64 = 0;

/// Segments × arms of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Scenario {
    pub segments: Vec<SegmentSpec>,
    pub arms: Vec<ArmSpec>,
}

/// The most arms a run may have.
pub const MAX_ARMS: usize = 256;
/// The most segments a run may have.
pub const MAX_SEGMENTS: usize = 64;

impl Scenario {
    /// The segments targeted by campaign `campaign_id` (ordered by segment id, with their stored
    /// profiles and sizes) and its variants as arms (in the campaign's variant order), served at
    /// `placement` (one of the campaign's placements; `None`: each variant's primary placement).
    ///
    /// Errors: the campaign's errors, [`SimulateError::NoVariants`], `BadParam("placement")` for
    /// a placement the campaign has no render for, store errors.
    pub fn from_campaign(project: &Project, campaign_id: i64, placement: Option<&str>) -> Result<Scenario, SimulateError> {
        let variants = campaign::variants(project, campaign_id)?;
        if variants.is_empty() {
            return Err(SimulateError::NoVariants(campaign_id));
        }
        let mut ids: Vec<i64> = variants.iter().map(|v| v.segment_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut segments = Vec::with_capacity(ids.len());
        for id in ids {
            let v = variants.iter().find(|v| v.segment_id == id).expect("segment of a variant");
            segments.push(SegmentSpec::of(project, id, &v.segment_name_en, &v.segment_name_zh)?);
        }
        let mut arms = Vec::with_capacity(variants.len());
        for v in &variants {
            let placement = match placement {
                None => v.placement.clone(),
                Some(p) if v.renders.iter().any(|r| r.placement == p) || v.placement == p => p.to_string(),
                Some(p) => {
                    return Err(SimulateError::bad("placement", keyed_text!("simparam.not_a_placement"; "{value} is not a placement of campaign {campaign}", value = p, campaign = campaign_id)))
                }
            };
            let c = &v.design.content;
            let angle = if v.angle.is_empty() { v.headline.clone() } else { v.angle.clone() };
            arms.push(ArmSpec {
                variant_id: v.id,
                label: if v.angle.is_empty() { format!("#{} {}", v.id, v.segment_name_en) } else { format!("#{} {} · {}", v.id, v.segment_name_en, v.angle) },
                segment_id: v.segment_id,
                discount: !c.badge.trim().is_empty() || v.angle == "discount",
                angle,
                image: if c.product_category.is_empty() { v.product_id.clone() } else { c.product_category.clone() },
                cta: v.cta.clone(),
                copy_width: (copy::width(&v.headline) + copy::width(&v.description)) as u32,
                placement,
                generic: false,
            });
        }
        let s = Scenario { segments, arms }.with_generic_control();
        s.check()?;
        Ok(s)
    }

    /// This scenario with the shared generic control appended as the last arm: variant id
    /// [`GENERIC_CONTROL_ID`], written for no segment, the `generic` angle, no product category
    /// (so no affinity) and no discount, the most common CTA of the arms, their median copy width
    /// and the first arm's placement. Unchanged when it already has one.
    pub fn with_generic_control(mut self) -> Scenario {
        if self.arms.iter().any(|a| a.generic) || self.arms.is_empty() {
            return self;
        }
        let mut ctas: Vec<&str> = self.arms.iter().map(|a| a.cta.as_str()).collect();
        ctas.sort_unstable();
        let cta = ctas.chunk_by(|a, b| a == b).max_by_key(|g| g.len()).map_or("Shop now", |g| g[0]).to_string();
        let mut widths: Vec<u32> = self.arms.iter().map(|a| a.copy_width).collect();
        widths.sort_unstable();
        let placement = self.arms[0].placement.clone();
        self.arms.push(ArmSpec {
            variant_id: GENERIC_CONTROL_ID,
            label: "Generic control · 通用对照".into(),
            segment_id: 0,
            angle: "generic".into(),
            image: String::new(),
            cta,
            discount: false,
            copy_width: widths[widths.len() / 2],
            placement,
            generic: true,
        });
        self
    }

    /// The arm indices served to each segment. With a generic control: the segment's own arms
    /// (written for it) and the control, so the lift of personalisation is measured against the
    /// control. Without one (runs stored before it existed, synthetic benchmark scenarios):
    /// every arm to every segment.
    pub fn serving(&self) -> Vec<Vec<usize>> {
        let personalised = self.arms.iter().any(|a| a.generic);
        self.segments.iter().map(|s| (0..self.arms.len()).filter(|&a| !personalised || self.arms[a].generic || self.arms[a].segment_id == s.segment_id).collect()).collect()
    }

    /// Index of the generic control arm, if the scenario has one.
    pub fn generic_control(&self) -> Option<usize> {
        self.arms.iter().position(|a| a.generic)
    }

    /// A deterministic synthetic scenario for tests and benchmarks: `segments` segments of
    /// 1,000–8,000 users whose top categories rotate over ten categories, and `arms` arms whose
    /// angle, image (category) and CTA rotate, so that each segment has a few well-matched arms.
    pub fn synthetic(segments: usize, arms: usize) -> Scenario {
        const CATS: [&str; 10] = ["digital", "beauty", "home", "sports", "food", "fashion", "baby", "books", "pets", "travel"];
        const ANGLES: [&str; 5] = ["discount", "quality", "new_arrival", "social_proof", "bundle"];
        const CTAS: [&str; 3] = ["Shop now", "Learn more", "Get offer"];
        let n_segments = segments;
        let segments: Vec<SegmentSpec> = (0..segments)
            .map(|s| SegmentSpec {
                segment_id: s as i64 + 1,
                name_en: format!("Segment {}", s + 1),
                name_zh: format!("人群{}", s + 1),
                size: 1_000 * (1 + (s as u64 * 7) % 8),
                cart_rate: 0.04 + 0.01 * (s % 5) as f64,
                purchase_rate: 0.01 + 0.004 * (s % 3) as f64,
                price_index: -0.3 + 0.15 * (s % 5) as f64,
                top_categories: (0..3).map(|j| CATS[(s + 3 * j) % CATS.len()].to_string()).collect(),
            })
            .collect();
        let arms = (0..arms)
            .map(|a| ArmSpec {
                variant_id: a as i64 + 1,
                label: format!("#{} {}", a + 1, CATS[a % CATS.len()]),
                segment_id: (a % n_segments.max(1)) as i64 + 1,
                angle: ANGLES[a % ANGLES.len()].to_string(),
                image: CATS[a % CATS.len()].to_string(),
                cta: CTAS[a % CTAS.len()].to_string(),
                discount: a % ANGLES.len() == 0,
                copy_width: 30 + (a as u32 * 13) % 60,
                placement: "google-rda-landscape".to_string(),
                generic: false,
            })
            .collect();
        Scenario { segments, arms }
    }

    /// Structural checks: 1–[`MAX_SEGMENTS`] segments with unique ids and sizes ≥ 1, finite
    /// rates; 1–[`MAX_ARMS`] arms with unique variant ids. Errors: `BadParam` naming the field.
    pub fn check(&self) -> Result<(), SimulateError> {
        let bad = |f: String, r: KeyedText| SimulateError::bad(f, r);
        if self.segments.is_empty() || self.segments.len() > MAX_SEGMENTS {
            return Err(bad("scenario.segments".into(), keyed_text!("simparam.segments_range"; "must have 1–{max} segments, has {value}", max = MAX_SEGMENTS, value = self.segments.len())));
        }
        if self.arms.is_empty() || self.arms.len() > MAX_ARMS {
            return Err(bad("scenario.arms".into(), keyed_text!("simparam.arms_range"; "must have 1–{max} arms, has {value}", max = MAX_ARMS, value = self.arms.len())));
        }
        for (i, s) in self.segments.iter().enumerate() {
            if s.size == 0 {
                return Err(bad(format!("scenario.segments[{i}].size"), keyed_text!("simparam.at_least_one"; "must be at least 1")));
            }
            if ![s.cart_rate, s.purchase_rate, s.price_index].iter().all(|x| x.is_finite()) || s.cart_rate < 0.0 || s.purchase_rate < 0.0 {
                return Err(bad(format!("scenario.segments[{i}]"), keyed_text!("simparam.bad_rate"; "has a negative or non-finite rate")));
            }
            if self.segments[..i].iter().any(|o| o.segment_id == s.segment_id) {
                return Err(bad(format!("scenario.segments[{i}].segment_id"), keyed_text!("simparam.listed_twice"; "{value} is listed twice", value = s.segment_id)));
            }
        }
        for (i, a) in self.arms.iter().enumerate() {
            if self.arms[..i].iter().any(|o| o.variant_id == a.variant_id) {
                return Err(bad(format!("scenario.arms[{i}].variant_id"), keyed_text!("simparam.listed_twice"; "{value} is listed twice", value = a.variant_id)));
            }
            if a.generic && self.arms[..i].iter().any(|o| o.generic) {
                return Err(bad(format!("scenario.arms[{i}].generic"), keyed_text!("simparam.one_control"; "a run has at most one generic control")));
            }
        }
        for (s, arms) in self.serving().iter().enumerate() {
            if arms.is_empty() {
                return Err(bad(format!("scenario.segments[{s}]"), keyed_text!("simparam.no_variant"; "has no variant to serve")));
            }
        }
        Ok(())
    }

    /// Index of the segment with `segment_id`.
    pub fn segment_index(&self, segment_id: i64) -> Option<usize> {
        self.segments.iter().position(|s| s.segment_id == segment_id)
    }

    /// Index of the arm serving `variant_id`.
    pub fn arm_index(&self, variant_id: i64) -> Option<usize> {
        self.arms.iter().position(|a| a.variant_id == variant_id)
    }
}
