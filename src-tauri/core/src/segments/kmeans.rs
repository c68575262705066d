//! Lloyd k-means behind linfa's interfaces (`ParamGuard` → `Fit` → `Predict`), fast enough
//! for a million users.
//!
//! linfa-clustering 0.8.1's `KMeans` computes each point–centroid distance on its own; here the
//! distance step is one matrix product per block of rows, ‖x‖² − 2·x·cᵀ + ‖c‖² (GEMM via
//! ndarray/matrixmultiply), and the blocks run on every core. The algorithm is the one
//! scikit-learn's `KMeans(algorithm="lloyd")` runs, so the two can be compared at equal inertia:
//! greedy k-means++ seeding (2 + ⌊ln k⌋ candidates per centre), Lloyd steps until the labels
//! stop changing or the squared centre shift falls under `tol` × the mean feature variance, an
//! empty cluster re-seeded at the point farthest from its centre, and a last assignment step so
//! labels and centres agree. Seeded: the same data and params give the same model.

use linfa::prelude::*;
use linfa::{DatasetBase, ParamGuard};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use thiserror::Error;

/// Errors of [`KMeansParams`] checking and fitting.
#[derive(Debug, Error)]
pub enum KMeansError {
    #[error("invalid k-means parameters: {0}")]
    InvalidParams(&'static str),
    #[error("k-means needs at least k = {k} rows, got {rows}")]
    TooFewRows { rows: usize, k: usize },
    #[error("k-means input contains a NaN or infinite value")]
    NotFinite,
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}

/// Checked parameters: k ≥ 1, n_init ≥ 1, max_iter ≥ 1, finite tol ≥ 0.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidKMeansParams {
    k: usize,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
    threads: usize,
}

impl ValidKMeansParams {
    pub fn k(&self) -> usize {
        self.k
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// Unchecked parameters, linfa style: build with the setters, then [`ParamGuard::check`] (or
/// call `fit`, which checks).
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams(ValidKMeansParams);

impl KMeansParams {
    /// Defaults for `k` clusters: one seeding, 300 iterations, tol 1e-4, seed 0, all cores.
    pub fn new(k: usize) -> Self {
        KMeansParams(ValidKMeansParams { k, n_init: 1, max_iter: 300, tol: 1e-4, seed: 0, threads: 0 })
    }
    /// Independent seedings; the lowest inertia wins (scikit-learn's `n_init`).
    pub fn n_init(mut self, n: usize) -> Self {
        self.0.n_init = n;
        self
    }
    pub fn max_iter(mut self, n: usize) -> Self {
        self.0.max_iter = n;
        self
    }
    /// Relative tolerance on the squared centre shift (scikit-learn's `tol`).
    pub fn tol(mut self, t: f64) -> Self {
        self.0.tol = t;
        self
    }
    pub fn seed(mut self, s: u64) -> Self {
        self.0.seed = s;
        self
    }
    /// Worker threads for the distance step (0 = every available core).
    pub fn threads(mut self, t: usize) -> Self {
        self.0.threads = t;
        self
    }
}

impl ParamGuard for KMeansParams {
    type Checked = ValidKMeansParams;
    type Error = KMeansError;

    fn check_ref(&self) -> Result<&ValidKMeansParams, KMeansError> {
        let p = &self.0;
        if p.k == 0 {
            return Err(KMeansError::InvalidParams("k must be at least 1"));
        }
        if p.n_init == 0 || p.max_iter == 0 {
            return Err(KMeansError::InvalidParams("n_init and max_iter must be at least 1"));
        }
        if !(p.tol >= 0.0 && p.tol.is_finite()) {
            return Err(KMeansError::InvalidParams("tol must be a finite number ≥ 0"));
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidKMeansParams, KMeansError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted model: centroids (k × features), the inertia of the training data and the number
/// of Lloyd iterations of the winning seeding.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    centroids: Array2<f64>,
    inertia: f64,
    n_iter: usize,
}

impl KMeans {
    /// Checked-parameter builder, as `linfa_clustering::KMeans::params`.
    pub fn params(k: usize) -> KMeansParams {
        KMeansParams::new(k)
    }
    /// A model from known centroids (e.g. stored ones), for prediction.
    pub fn from_centroids(centroids: Array2<f64>) -> Self {
        KMeans { centroids, inertia: f64::NAN, n_iter: 0 }
    }
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }
    /// Sum of squared distances of the training rows to their centroids.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }
}

impl<T> Fit<Array2<f64>, T, KMeansError> for ValidKMeansParams {
    type Object = KMeans;

    fn fit(&self, dataset: &DatasetBase<Array2<f64>, T>) -> Result<KMeans, KMeansError> {
        fit_view(self, dataset.records().view())
    }
}

impl PredictInplace<Array2<f64>, Array1<usize>> for KMeans {
    fn predict_inplace(&self, x: &Array2<f64>, y: &mut Array1<usize>) {
        assert_eq!(x.nrows(), y.len(), "one label per row");
        let (labels, _) = assign(x.view(), &self.centroids, 0);
        y.iter_mut().zip(labels).for_each(|(y, l)| *y = l);
    }

    fn default_target(&self, x: &Array2<f64>) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}

/// Fit on a borrowed matrix (no dataset wrapper, no copy).
pub fn fit_view(p: &ValidKMeansParams, x: ArrayView2<f64>) -> Result<KMeans, KMeansError> {
    let (n, d) = x.dim();
    if n < p.k {
        return Err(KMeansError::TooFewRows { rows: n, k: p.k });
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(KMeansError::NotFinite);
    }
    let threads = if p.threads == 0 { std::thread::available_parallelism().map_or(1, |t| t.get()) } else { p.threads };
    let norms: Array1<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let tol = p.tol * mean_variance(x);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(p.seed);
    let mut best: Option<KMeans> = None;
    for _ in 0..p.n_init {
        let seeds = plus_plus(x, &norms, p.k, &mut rng, threads);
        let model = lloyd(x, &norms, seeds, p.max_iter, tol, threads);
        debug_assert_eq!(model.centroids.dim(), (p.k, d));
        if best.as_ref().is_none_or(|b| model.inertia < b.inertia) {
            best = Some(model);
        }
    }
    Ok(best.expect("n_init ≥ 1"))
}

/// Lloyd steps over `x` from the centres `init` (k × features), with `p`'s iteration limit
/// and tolerance (its seed and `n_init` are not used: nothing is drawn). For centres seeded
/// elsewhere, e.g. on a sample of `x`.
///
/// Errors: `init` has another number of columns than `x` or another k than `p`, fewer rows
/// than k, a value that is not finite.
pub fn refine(p: &ValidKMeansParams, x: ArrayView2<f64>, init: Array2<f64>) -> Result<KMeans, KMeansError> {
    if init.dim() != (p.k, x.ncols()) {
        return Err(KMeansError::InvalidParams("the initial centres must be k rows of the data's width"));
    }
    if x.nrows() < p.k {
        return Err(KMeansError::TooFewRows { rows: x.nrows(), k: p.k });
    }
    if x.iter().chain(init.iter()).any(|v| !v.is_finite()) {
        return Err(KMeansError::NotFinite);
    }
    let threads = if p.threads == 0 { std::thread::available_parallelism().map_or(1, |t| t.get()) } else { p.threads };
    let norms: Array1<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    Ok(lloyd(x, &norms, init, p.max_iter, p.tol * mean_variance(x), threads))
}

/// Mean over features of each feature's variance, in two row-major passes.
fn mean_variance(x: ArrayView2<f64>) -> f64 {
    let (n, d) = (x.nrows() as f64, x.ncols());
    let mut mean = vec![0.0; d];
    for r in x.rows() {
        mean.iter_mut().zip(r).for_each(|(m, v)| *m += v);
    }
    mean.iter_mut().for_each(|m| *m /= n);
    let mut var = vec![0.0; d];
    for r in x.rows() {
        var.iter_mut().zip(r).zip(&mean).for_each(|((s, v), m)| *s += (v - m) * (v - m));
    }
    var.iter().sum::<f64>() / n / d.max(1) as f64
}

/// Greedy k-means++: each new centre is the best (lowest total potential) of 2 + ⌊ln k⌋
/// candidates drawn with probability ∝ squared distance to the nearest chosen centre.
fn plus_plus(x: ArrayView2<f64>, norms: &Array1<f64>, k: usize, rng: &mut Xoshiro256PlusPlus, threads: usize) -> Array2<f64> {
    let n = x.nrows();
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centres = Array2::zeros((k, x.ncols()));
    let first = rng.gen_range(0..n);
    centres.row_mut(0).assign(&x.row(first));
    let mut closest = sq_dist_to(x, norms, x.slice(s![first..first + 1, ..]), threads).column(0).to_owned();
    let mut potential: f64 = closest.sum();
    for c in 1..k {
        let picks: Vec<usize> = (0..trials).map(|_| pick_weighted(&closest, potential, rng)).collect();
        let cand = x.select(Axis(0), &picks);
        let dist = sq_dist_to(x, norms, cand.view(), threads);
        let (best, best_closest, best_pot) = (0..trials)
            .map(|t| {
                let nc: Array1<f64> = closest.iter().zip(dist.column(t)).map(|(&a, &b)| a.min(b)).collect();
                let pot = nc.sum();
                (t, nc, pot)
            })
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .expect("trials ≥ 2");
        centres.row_mut(c).assign(&cand.row(best));
        closest = best_closest;
        potential = best_pot;
    }
    centres
}

fn pick_weighted(weights: &Array1<f64>, total: f64, rng: &mut Xoshiro256PlusPlus) -> usize {
    if total <= 0.0 {
        return rng.gen_range(0..weights.len());
    }
    let mut r = rng.gen::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        r -= w;
        if r < 0.0 {
            return i;
        }
    }
    weights.len() - 1
}

/// Squared distances (n × m) of every row of `x` to every row of `c`, clamped at 0.
fn sq_dist_to(x: ArrayView2<f64>, norms: &Array1<f64>, c: ArrayView2<f64>, threads: usize) -> Array2<f64> {
    let (n, d) = x.dim();
    let m = c.nrows();
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let cn: Vec<f64> = c.rows().into_iter().map(|r| r.dot(&r)).collect();
    let ct = blocked_transpose(&c.to_owned());
    let mut out = Array2::zeros((n, m));
    let per = n.div_ceil(threads.max(1)).max(1);
    let slice = out.as_slice_mut().expect("fresh array");
    std::thread::scope(|scope| {
        for (t, block) in slice.chunks_mut(per * m).enumerate() {
            let (cn, ct) = (&cn, &ct);
            scope.spawn(move || {
                for (i, o) in block.chunks_exact_mut(m).enumerate() {
                    let r = t * per + i;
                    dot_all(&xs[r * d..(r + 1) * d], ct, o);
                    o.iter_mut().zip(cn).for_each(|(g, &c2)| *g = (norms[r] - 2.0 * *g + c2).max(0.0));
                }
            });
        }
    });
    out
}

fn lloyd(x: ArrayView2<f64>, norms: &Array1<f64>, mut centroids: Array2<f64>, max_iter: usize, tol: f64, threads: usize) -> KMeans {
    let (k, d) = centroids.dim();
    let mut labels: Vec<usize> = Vec::new();
    let mut n_iter = 0;
    for it in 0..max_iter {
        n_iter = it + 1;
        let parts = pass(x, norms, &centroids, threads);
        let new_labels: Vec<usize> = parts.iter().flat_map(|p| p.labels.iter().copied()).collect();
        let mut sums = Array2::<f64>::zeros((k, d));
        let mut counts = vec![0usize; k];
        for p in &parts {
            sums.iter_mut().zip(&p.sums).for_each(|(s, v)| *s += v);
            counts.iter_mut().zip(&p.counts).for_each(|(c, pc)| *c += pc);
        }
        // An empty cluster restarts at the row farthest from its centre.
        if counts.contains(&0) {
            let dists: Vec<f64> = parts.iter().flat_map(|p| p.dists.iter().copied()).collect();
            let mut order: Vec<usize> = (0..dists.len()).collect();
            order.sort_by(|&a, &b| dists[b].total_cmp(&dists[a]));
            let mut far = order.into_iter();
            let empty: Vec<usize> = (0..k).filter(|&c| counts[c] == 0).collect();
            for c in empty {
                let i = far.next().expect("n ≥ k");
                sums.row_mut(c).assign(&x.row(i));
                counts[c] = 1;
            }
        }
        let mut next = sums;
        next.rows_mut().into_iter().zip(&counts).for_each(|(mut r, &c)| r /= c as f64);
        let shift: f64 = (&next - &centroids).iter().map(|v| v * v).sum();
        centroids = next;
        let same = new_labels == labels;
        labels = new_labels;
        if same || shift <= tol {
            break;
        }
    }
    // Labels and inertia against the final centres.
    let parts = pass(x, norms, &centroids, threads);
    let inertia = parts.iter().flat_map(|p| p.dists.iter()).sum();
    KMeans { centroids, inertia, n_iter }
}

mod kernel;
use kernel::{assign, blocked_transpose, dot_all, pass};

#[cfg(test)]
mod tests;
