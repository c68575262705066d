//! Interest segments: k-means ([`kmeans`]: linfa's Params/Fit/Predict interfaces, k-means++ init,
//! seeded, a GEMM distance step on every core) over [`crate::features`].
//!
//! k is fixed or chosen over a range by sampled silhouette. Clusters smaller than
//! `min_size` are dissolved into their nearest surviving cluster, so no segment singles out a
//! handful of people. Same data + same params → same segments.

pub mod charts;
pub mod kmeans;
pub mod profile;
pub mod realtime;
mod rename;
pub mod silhouette;
pub mod stability;

pub use rename::rename;
pub use stability::{stability, Stability};

use linfa::prelude::*;
use linfa::ParamGuard;
use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rand::SeedableRng;
use serde::Serialize;
use thiserror::Error;

use crate::error::{ErrorCode, HasCode};
use crate::features;
use crate::progress::{Flow, Progress, ProgressFn};
use crate::store::{now_text, Project};

/// Segmentation errors.
#[derive(Debug, Error)]
pub enum SegmentError {
    #[error("invalid segment parameters: {0}")]
    InvalidParams(String),
    #[error("not enough users to segment: {users} users with events, need at least {needed}")]
    TooFewUsers { users: usize, needed: usize },
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
            SegmentError::InvalidParams(_) | SegmentError::TooFewUsers { .. } | SegmentError::InvalidName(_) => ErrorCode::InvalidInput,
            SegmentError::Cancelled => ErrorCode::Cancelled,
            SegmentError::NotFound(_) => ErrorCode::NotFound,
            SegmentError::Store(e) => crate::error::sqlite_code(e),
            SegmentError::KMeans(_) => ErrorCode::Internal,
        }
    }
}

/// How to choose k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KChoice {
    Fixed(usize),
    /// Best sampled silhouette over `min..=max`.
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
        let bad = |m: &str| Err(SegmentError::InvalidParams(m.into()));
        match self.k {
            KChoice::Fixed(k) if !(2..=20).contains(&k) => return bad("k must be between 2 and 20"),
            KChoice::Auto { min, max } if min < 2 || max > 20 || min > max => return bad("auto k range must be within 2..=20 and min ≤ max"),
            _ => {}
        }
        if self.half_life_days.is_nan() || self.half_life_days <= 0.0 {
            return bad("half_life_days must be positive");
        }
        if self.silhouette_sample < 50 {
            return bad("silhouette_sample must be at least 50");
        }
        Ok(ValidSegmentParams(self))
    }
}

/// A stored segment as the UI and CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentRow {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub label: u32,
    pub name_en: String,
    pub name_zh: String,
    pub size: u32,
    pub share: f64,
    pub top_categories: Vec<String>,
    pub avg_price: f64,
    pub purchase_rate: f64,
    pub cart_rate: f64,
    pub top_brands: Vec<String>,
    /// `budget`, `mid` or `premium`.
    pub price_band: String,
    /// `champions`, `loyal`, `at_risk`, `new_or_occasional` or `hibernating`.
    pub rfm_tier: String,
}

/// The outcome of one training run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrainReport {
    pub k: u32,
    pub users: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    pub inertia: f64,
    /// (k, sampled silhouette) for every k tried.
    pub silhouette: Vec<(u32, f64)>,
    /// Clusters dissolved for being smaller than the minimum size.
    pub merged: u32,
    pub segments: Vec<SegmentRow>,
    /// Interest prediction quality on the held-out window (see [`crate::interest`]).
    pub prediction: Option<crate::interest::PredictionReport>,
    /// Why there is no prediction, when there is none.
    pub prediction_note: Option<String>,
}

/// Build features, cluster, profile, name and store a new segment model (one transaction).
///
/// Errors: too few users (< 2 × min_size or < k), cancel, k-means failure, store failure.
pub fn train(project: &mut Project, params: &ValidSegmentParams, progress: ProgressFn) -> Result<TrainReport, SegmentError> {
    let p = &params.0;
    let step = |progress: &mut dyn FnMut(&Progress) -> Flow, done, msg: &str| -> Result<(), SegmentError> {
        match progress(&Progress::new("segment", done, 5, msg)) {
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
    let min_size = p.min_size.min(n / (2 * hi).max(1)).max(1);
    if n < 2 * lo.max(2) || n < hi {
        return Err(SegmentError::TooFewUsers { users: n, needed: 2 * lo.max(2) });
    }
    step(progress, 1, "cluster")?;
    let silhouettes =
        if lo == hi { Vec::new() } else { choose_k(m.data.view(), lo, hi, p.seed, p.silhouette_sample, &mut |k, s| progress(&Progress::new("segment", 1, 5, format!("k={k}: silhouette {s:.3}"))))? };
    let k = silhouettes.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map_or(lo, |b| b.0 as usize);
    let (mut labels, centroids, inertia) = kmeans(&m.data, k, p.seed)?;
    let merged = merge_small(&m.data, &mut labels, &centroids, k, min_size);
    step(progress, 2, "profile")?;

    // Relabel surviving clusters 0..k' by size, largest first, for stable presentation.
    let mut sizes: Vec<(usize, usize)> = (0..k).map(|c| (c, labels.iter().filter(|&&l| l == c).count())).filter(|x| x.1 > 0).collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let members: Vec<Vec<usize>> = sizes.iter().map(|&(c, _)| (0..n).filter(|&i| labels[i] == c).collect()).collect();
    let avg_prices = profile::viewed_prices(project, &m.users, &members)?;
    let brands = profile::top_brands(project, &m.users, &members)?;
    let profiles: Vec<profile::Profile> =
        members.iter().zip(&avg_prices).zip(brands).map(|((ix, &ap), top_brands)| profile::Profile { top_brands, ..profile::profile(&m.stats, ix, &m.spec.categories, ap) }).collect();
    let mut names: Vec<(String, String)> = profiles.iter().map(profile::name).collect();
    profile::dedupe(&mut names, &profiles);

    // Centroids of the final (merged, relabelled) segments, for real-time assignment.
    let final_centroids: Vec<Vec<f64>> = members
        .iter()
        .map(|ix| {
            let mut c = vec![0.0; m.data.ncols()];
            ix.iter().for_each(|&i| c.iter_mut().zip(m.data.row(i)).for_each(|(a, v)| *a += v / ix.len() as f64));
            c
        })
        .collect();
    step(progress, 3, "store")?;
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO segment_models(created_at,k,seed,users,inertia,feature_spec,silhouette,featurizer,centroids) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        rusqlite::params![
            now_text(),
            members.len() as i64,
            p.seed as i64,
            n as i64,
            inertia,
            serde_json::to_string(&m.spec).expect("spec json"),
            serde_json::to_string(&silhouettes).expect("silhouette json"),
            serde_json::to_string(&m.featurizer()).expect("featurizer json"),
            serde_json::to_string(&final_centroids).expect("centroids json")
        ],
    )?;
    let model_id = tx.last_insert_rowid();
    let mut rows = Vec::new();
    {
        let mut seg = tx.prepare("INSERT INTO segments(model_id,label,name_en,name_zh,size,profile) VALUES (?1,?2,?3,?4,?5,?6)")?;
        let mut us = tx.prepare("INSERT INTO user_segments(model_id,user_id,segment_id) VALUES (?1,?2,?3)")?;
        let mut uf = tx.prepare("INSERT INTO user_features(model_id,user_id,features) VALUES (?1,?2,?3)")?;
        for (label, (ix, prof)) in members.iter().zip(&profiles).enumerate() {
            let (en, zh) = &names[label];
            seg.execute(rusqlite::params![model_id, label as i64, en, zh, ix.len() as i64, serde_json::to_string(prof).expect("profile json")])?;
            let sid = tx.last_insert_rowid();
            for &i in ix {
                us.execute(rusqlite::params![model_id, m.users[i], sid])?;
                let row: Vec<f64> = m.data.row(i).iter().map(|x| (x * 1e4).round() / 1e4).collect();
                uf.execute(rusqlite::params![model_id, m.users[i], serde_json::to_string(&row).expect("row json")])?;
            }
            rows.push(row_of(sid, label as u32, en, zh, prof));
        }
    }
    tx.commit()?;
    step(progress, 4, "predict interests")?;
    // The segments stand on their own: a prediction that cannot be trained is reported, not fatal.
    let (prediction, prediction_note) = match crate::interest::train(project, model_id, &m) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    progress(&Progress::new("segment", 5, 5, "done"));
    Ok(TrainReport { k: rows.len() as u32, users: n as u32, seed: p.seed, inertia, silhouette: silhouettes, merged: merged as u32, segments: rows, prediction, prediction_note })
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
        top_brands: p.top_brands.clone(),
        price_band: p.price_band.clone(),
        rfm_tier: p.rfm_tier.clone(),
    }
}

/// At most this many rows are clustered for each candidate k when choosing k.
pub const K_CHOICE_SAMPLE: usize = 20_000;

/// The sampled silhouette of every k in `lo..=hi`: k-means (3 seedings) on a seeded sample of
/// at most [`K_CHOICE_SAMPLE`] rows, scored on `silhouette_sample` of them. Sampling keeps the
/// choice fast for a million users; the chosen k is then fitted on every row. `on_k` sees each
/// result and may cancel.
pub fn choose_k(data: ArrayView2<f64>, lo: usize, hi: usize, seed: u64, silhouette_sample: usize, on_k: &mut dyn FnMut(usize, f64) -> Flow) -> Result<Vec<(u32, f64)>, SegmentError> {
    let n = data.nrows();
    let sample: Array2<f64> = if n <= K_CHOICE_SAMPLE {
        data.to_owned()
    } else {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5EED);
        let mut idx = rand::seq::index::sample(&mut rng, n, K_CHOICE_SAMPLE).into_vec();
        idx.sort_unstable();
        data.select(Axis(0), &idx)
    };
    let mut out = Vec::new();
    for k in lo..=hi.min(sample.nrows()) {
        let model = kmeans::fit_view(&kmeans::KMeans::params(k).seed(seed).n_init(3).check().map_err(km_err)?, sample.view()).map_err(km_err)?;
        let labels = model.predict(&sample).to_vec();
        let s = silhouette::sampled(sample.view(), &labels, k, silhouette_sample, seed);
        out.push((k as u32, s));
        if on_k(k, s) == Flow::Cancel {
            return Err(SegmentError::Cancelled);
        }
    }
    Ok(out)
}

fn km_err(e: kmeans::KMeansError) -> SegmentError {
    SegmentError::KMeans(e.to_string())
}

/// k-means on every row (3 seedings, best inertia): labels, centroids, inertia.
pub(crate) fn kmeans(data: &Array2<f64>, k: usize, seed: u64) -> Result<(Vec<usize>, Array2<f64>, f64), SegmentError> {
    let model = kmeans::fit_view(&kmeans::KMeans::params(k).seed(seed).n_init(3).check().map_err(km_err)?, data.view()).map_err(km_err)?;
    let labels = model.predict(data).to_vec();
    Ok((labels, model.centroids().clone(), model.inertia()))
}

/// Reassign members of clusters smaller than `min_size` to the nearest surviving centroid.
/// Returns how many clusters were dissolved.
pub fn merge_small(data: &Array2<f64>, labels: &mut [usize], centroids: &Array2<f64>, k: usize, min_size: usize) -> usize {
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let keep: Vec<usize> = (0..k).filter(|&c| sizes[c] >= min_size).collect();
    if keep.is_empty() || keep.len() == k {
        return 0;
    }
    let dist = |x: ArrayView1<f64>, c: usize| -> f64 { x.iter().zip(centroids.index_axis(Axis(0), c).iter()).map(|(a, b)| (a - b).powi(2)).sum() };
    for (i, l) in labels.iter_mut().enumerate() {
        if sizes[*l] < min_size {
            let x = data.row(i);
            *l = *keep.iter().min_by(|&&a, &&b| dist(x, a).total_cmp(&dist(x, b))).expect("non-empty");
        }
    }
    k - keep.len()
}

/// Segments of the newest model, largest first. Empty when none trained yet.
pub fn latest(project: &Project) -> rusqlite::Result<Vec<SegmentRow>> {
    let mut stmt = project.conn().prepare("SELECT id, label, name_en, name_zh, profile FROM segments WHERE model_id = (SELECT max(id) FROM segment_models) ORDER BY label")?;
    let rows = stmt.query_map([], |r| {
        let prof: String = r.get(4)?;
        let prof: profile::Profile = serde_json::from_str(&prof).map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
        Ok(row_of(r.get(0)?, r.get::<_, i64>(1)? as u32, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?, &prof))
    })?;
    rows.collect()
}

/// The stored profile of one segment.
pub fn profile_of(project: &Project, segment_id: i64) -> rusqlite::Result<profile::Profile> {
    let s: String = project.conn().query_row("SELECT profile FROM segments WHERE id = ?1", [segment_id], |r| r.get(0))?;
    serde_json::from_str(&s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

#[cfg(test)]
mod tests;
