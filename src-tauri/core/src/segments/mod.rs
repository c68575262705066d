//! Interest segments: k-means ([`kmeans`]: linfa's Params/Fit/Predict interfaces, k-means++ init,
//! seeded, a GEMM distance step on every core) over [`crate::features`].
//!
//! k is fixed or chosen over a range ([`choose`]: the smallest k whose sampled silhouette is
//! within a tolerance of the best, with the reason reported). `min_size` is never lowered: too
//! few users for the smallest k is an error with the numbers, and clusters smaller than it are
//! dissolved into their nearest neighbour until every segment has at least `min_size` users,
//! so no segment singles out a handful of people. Each report carries the stability of the
//! chosen k over five seeds ([`stability`]) and a warning when one segment holds most users
//! ([`split`] divides it). Same data + same params → same segments.

pub mod charts;
pub mod choose;
mod fit;
pub mod kmeans;
pub mod naming;
pub mod profile;
pub mod realtime;
mod rename;
mod save;
pub mod silhouette;
mod split;
pub mod stability;

pub use choose::{choose_k, KChoiceReport, K_CHOICE_SAMPLE};
use fit::km_err;
pub use fit::{kmeans, merge_small, N_INIT};
pub use rename::rename;
pub use save::{latest, profile_of};
pub use split::split;
pub use stability::{stability, Stability};

use serde::Serialize;
use thiserror::Error;

use crate::error::{keyed, keyed_text, ErrorCode, HasCode, Keyed, KeyedText};
use crate::features;
use crate::progress::{Flow, Progress, ProgressFn};
use crate::store::Project;

/// The message keys of the reasons nested in `err.segments.invalid_params` and
/// `err.segments.cannot_split`.
pub const REASON_KEYS: &[&str] = &["segparam.k_range", "segparam.auto_range", "segparam.half_life", "segparam.sample", "split.events_changed", "split.too_small", "split.uneven"];

/// Segmentation errors.
#[derive(Debug, Error)]
pub enum SegmentError {
    #[error("invalid segment parameters: {0}")]
    InvalidParams(KeyedText),
    #[error("not enough users to segment: {users} users with events; {segments} segments of at least {min_size} users need {needed}")]
    TooFewUsers { users: usize, segments: usize, min_size: usize, needed: usize },
    #[error("cannot split segment {segment}: {reason}")]
    CannotSplit { segment: i64, reason: KeyedText },
    #[error("segment training cancelled; nothing was changed")]
    Cancelled,
    #[error("no segment with id {0}")]
    NotFound(i64),
    #[error("invalid segment name: {0}")]
    InvalidName(#[from] profile::NameError),
    #[error("k-means failed: {0}")]
    KMeans(String),
    #[error("segment store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for SegmentError {
    fn code(&self) -> ErrorCode {
        match self {
            SegmentError::InvalidParams(_) | SegmentError::TooFewUsers { .. } | SegmentError::InvalidName(_) | SegmentError::CannotSplit { .. } => ErrorCode::InvalidInput,
            SegmentError::Cancelled => ErrorCode::Cancelled,
            SegmentError::NotFound(_) => ErrorCode::NotFound,
            SegmentError::Store(e) => crate::error::sqlite_code(e),
            SegmentError::KMeans(_) => ErrorCode::Internal,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            SegmentError::InvalidParams(reason) => keyed!("err.segments.invalid_params", reason = reason).nesting(&reason.keyed),
            SegmentError::TooFewUsers { users, segments, min_size, needed } => keyed!("err.segments.too_few_users", users = users, segments = segments, min_size = min_size, needed = needed),
            SegmentError::CannotSplit { segment, reason } => keyed!("err.segments.cannot_split", segment = segment, reason = reason).nesting(&reason.keyed),
            SegmentError::Cancelled => keyed!("err.segments.cancelled"),
            SegmentError::NotFound(id) => keyed!("err.segments.not_found", id = id),
            SegmentError::InvalidName(profile::NameError::Empty(lang)) => keyed!("err.segments.name_empty", lang = lang_id(lang)),
            SegmentError::InvalidName(profile::NameError::TooLong(lang)) => keyed!("err.segments.name_too_long", lang = lang_id(lang), max = profile::MAX_NAME_CHARS),
            SegmentError::InvalidName(profile::NameError::Taken(names)) => keyed!("err.segments.name_taken", names = names),
            SegmentError::InvalidName(profile::NameError::Text(e)) => return e.keyed(),
            SegmentError::KMeans(_) | SegmentError::Store(_) => return None,
        })
    }
}

/// `English` / `Chinese` (the language a segment-name error is about) as a language code.
fn lang_id(lang: &str) -> &'static str {
    if lang == "Chinese" {
        "zh-CN"
    } else {
        "en"
    }
}

/// The message keys [`SegmentError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &[
    "err.segments.invalid_params",
    "err.segments.too_few_users",
    "err.segments.cannot_split",
    "err.segments.cancelled",
    "err.segments.not_found",
    "err.segments.name_empty",
    "err.segments.name_too_long",
    "err.segments.name_taken",
];

/// How to choose k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KChoice {
    Fixed(usize),
    /// Chosen over `min..=max` by sampled silhouette (see [`choose`]).
    Auto {
        min: usize,
        max: usize,
    },
}

/// Unchecked segmentation parameters (linfa style: build, then [`SegmentParams::check`]).
#[derive(Debug, Clone)]
pub struct SegmentParams {
    pub k: KChoice,
    pub seed: u64,
    pub min_size: usize,
    pub half_life_days: f64,
    pub silhouette_sample: usize,
}

impl Default for SegmentParams {
    fn default() -> Self {
        SegmentParams { k: KChoice::Auto { min: 3, max: 8 }, seed: 42, min_size: 50, half_life_days: 14.0, silhouette_sample: 1500 }
    }
}

/// Parameters that passed [`SegmentParams::check`].
#[derive(Debug, Clone)]
pub struct ValidSegmentParams(SegmentParams);

impl SegmentParams {
    /// Validate once: 2 ≤ k ≤ 20, min ≤ max, positive half-life, sample ≥ 50.
    pub fn check(self) -> Result<ValidSegmentParams, SegmentError> {
        let bad = |m: KeyedText| Err(SegmentError::InvalidParams(m));
        match self.k {
            KChoice::Fixed(k) if !(2..=20).contains(&k) => return bad(keyed_text!("segparam.k_range"; "k must be between 2 and 20, is {k}", k = k)),
            KChoice::Auto { min, max } if min < 2 || max > 20 || min > max => {
                return bad(keyed_text!("segparam.auto_range"; "auto k range must be within 2..=20 and min ≤ max, is {min}..={max}", min = min, max = max))
            }
            _ => {}
        }
        if self.half_life_days.is_nan() || self.half_life_days <= 0.0 {
            return bad(keyed_text!("segparam.half_life"; "half_life_days must be positive, is {value}", value = self.half_life_days));
        }
        if self.silhouette_sample < 50 {
            return bad(keyed_text!("segparam.sample"; "silhouette_sample must be at least 50, is {value}", value = self.silhouette_sample));
        }
        Ok(ValidSegmentParams(self))
    }
}

/// A stored segment as the UI and CLI show it (figures defined on [`profile::Profile`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub label: u32,
    pub name_en: String,
    pub name_zh: String,
    pub size: u32,
    /// Members ÷ all users.
    pub share: f64,
    pub top_categories: Vec<String>,
    /// Mean unit price of priced events; `None` (shown "—") with `price_note` as the reason.
    pub avg_price: Option<f64>,
    /// Purchases per product view (≤ 1); `None` (shown "—") with `rate_note` as the reason.
    pub purchase_rate: Option<f64>,
    /// Carts per product view (≤ 1); `None` like `purchase_rate`.
    pub cart_rate: Option<f64>,
    /// Members with a purchase ÷ members.
    pub buyer_share: f64,
    pub rate_note: Option<String>,
    pub price_note: Option<String>,
    pub top_brands: Vec<String>,
    /// `budget`, `mid` or `premium`.
    pub price_band: String,
    /// `champions`, `loyal`, `at_risk`, `new_or_occasional` or `hibernating`.
    pub rfm_tier: String,
}

/// One segment holds most users: say so and offer [`split`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DominantSegment {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub share: f64,
    pub message: String,
}

/// A segment holding more than this share of users is reported as dominant.
pub const DOMINANT_SHARE: f64 = 0.5;

/// The outcome of one training run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrainReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub model_id: i64,
    pub k: u32,
    pub users: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    pub inertia: f64,
    /// (k, sampled silhouette) for every k tried.
    pub silhouette: Vec<(u32, f64)>,
    /// (k, mean adjusted Rand index across seeds) for every k tried (see [`choose`]).
    pub k_stability: Vec<(u32, f64)>,
    /// Why this k (the criterion and the scores behind it).
    pub k_reason: String,
    /// The minimum segment size applied.
    pub min_size: u32,
    /// Clusters dissolved for being smaller than the minimum size.
    pub merged: u32,
    pub segments: Vec<SegmentRow>,
    /// Agreement of the chosen k's clustering across five seeds.
    pub stability: Option<Stability>,
    /// Set when one segment holds more than [`DOMINANT_SHARE`] of users.
    pub dominant_segment: Option<DominantSegment>,
    /// Interest prediction quality on the held-out window (see [`crate::interest`]).
    pub prediction: Option<crate::interest::PredictionReport>,
    /// Why there is no prediction, when there is none.
    pub prediction_note: Option<String>,
}

/// Seeds the stability of every report is measured over.
pub const STABILITY_SEEDS: usize = 5;

/// Build features, cluster, profile, name and store a new segment model (one transaction).
///
/// Errors: too few users (fewer than the smallest k × `min_size`), cancel, k-means failure,
/// store failure.
pub fn train(project: &mut Project, params: &ValidSegmentParams, progress: ProgressFn) -> Result<TrainReport, SegmentError> {
    let p = &params.0;
    let step = |progress: &mut dyn FnMut(&Progress) -> Flow, done, msg: &str| -> Result<(), SegmentError> {
        match progress(&Progress::new("segment", done, 6, msg)) {
            Flow::Cancel => Err(SegmentError::Cancelled),
            Flow::Continue => Ok(()),
        }
    };
    step(progress, 0, "features")?;
    let m = features::build(project, p.half_life_days)?;
    let n = m.users.len();
    let (lo, hi) = match p.k {
        KChoice::Fixed(k) => (k, k),
        KChoice::Auto { min, max } => (min, max),
    };
    // The minimum size is never lowered: the range shrinks to what the users can fill.
    let min_size = p.min_size.max(1);
    if n < lo * min_size || n < 2 {
        return Err(SegmentError::TooFewUsers { users: n, segments: lo, min_size, needed: (lo * min_size).max(2) });
    }
    let hi = hi.min(n / min_size).max(lo);
    step(progress, 1, "cluster")?;
    let (k, silhouettes, k_stability, mut k_reason) = if lo == hi {
        (lo, Vec::new(), Vec::new(), if matches!(p.k, KChoice::Fixed(_)) { format!("k={lo} as asked") } else { format!("k={lo}: {n} users fill at most {lo} segments of at least {min_size}") })
    } else {
        let r = choose_k(m.data.view(), lo, hi, p.seed, p.silhouette_sample, &mut |k, s| progress(&Progress::new("segment", 1, 6, format!("k={k}: silhouette {s:.3}"))))?;
        (r.k, r.scores, r.stability, r.reason)
    };
    let (mut labels, _, inertia) = kmeans(&m.data, k, p.seed)?;
    let merged = merge_small(&m.data, &mut labels, k, min_size);
    if merged > 0 {
        k_reason.push_str(&format!("; {merged} of the {k} clusters had fewer than {min_size} users and were merged into their nearest neighbours"));
    }
    step(progress, 2, "stability")?;
    let stability = stability::of_matrix(&m.data, k, p.seed, STABILITY_SEEDS)?;
    step(progress, 3, "profile")?;
    let saved = save::store_model(project, &m, &labels, save::ModelMeta { k_total: k, seed: p.seed, inertia, silhouettes: &silhouettes })?;
    step(progress, 4, "predict interests")?;
    // The segments stand on their own: a prediction that cannot be trained is reported, not fatal.
    let (prediction, prediction_note) = match crate::interest::train(project, saved.model_id, &m) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    progress(&Progress::new("segment", 6, 6, "done"));
    let dominant_segment = dominant(&saved.rows);
    Ok(TrainReport {
        model_id: saved.model_id,
        k: saved.rows.len() as u32,
        users: n as u32,
        seed: p.seed,
        inertia,
        silhouette: silhouettes,
        k_stability,
        k_reason,
        min_size: min_size as u32,
        merged: merged as u32,
        segments: saved.rows,
        stability: Some(stability),
        dominant_segment,
        prediction,
        prediction_note,
    })
}

/// The dominant segment of `rows`, if one holds more than [`DOMINANT_SHARE`] of users.
pub fn dominant(rows: &[SegmentRow]) -> Option<DominantSegment> {
    rows.iter().find(|s| s.share > DOMINANT_SHARE).map(|s| DominantSegment {
        segment_id: s.id,
        share: s.share,
        message: format!("segment {} “{}” holds {:.0}% of users; split it (studio segment --split {}) to see the groups inside", s.id, s.name_en, s.share * 100.0, s.id),
    })
}

pub(crate) fn row_of(id: i64, label: u32, en: &str, zh: &str, p: &profile::Profile) -> SegmentRow {
    SegmentRow {
        id,
        label,
        name_en: en.into(),
        name_zh: zh.into(),
        size: p.size as u32,
        share: p.share,
        top_categories: p.top_categories.clone(),
        avg_price: p.avg_price,
        purchase_rate: p.purchase_rate,
        cart_rate: p.cart_rate,
        buyer_share: p.buyer_share,
        rate_note: p.rate_note.clone(),
        price_note: p.price_note.clone(),
        top_brands: p.top_brands.clone(),
        price_band: p.price_band.clone(),
        rfm_tier: p.rfm_tier.clone(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod measure_tests;
