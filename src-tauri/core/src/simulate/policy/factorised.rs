//! Element-level (factorised) Thompson sampling, in the spirit of AutoCO (Chen et al., 2021):
//! many combinations of creative elements are tested with little traffic because arms that
//! share an element share what is learnt about it.
//!
//! Model, per segment: the click log-odds of arm a is
//!
//! ```text
//! η(a) = w₀ + h[angle(a)] + i[image(a)] + c[cta(a)] + r[a]
//! w₀ ~ N(logit 0.02, 2²)   h, i, c ~ N(0, prior_sd²)   r ~ N(0, residual_sd²)
//! clicks(a) ~ Binomial(impressions(a), expit(η(a)))
//! ```
//!
//! Levels are the distinct angles, images and CTAs of the arms (in arm order). The residual
//! `r[a]` (small prior) absorbs interactions and separates arms with identical elements.
//! The posterior is approximated by Laplace (Chapelle & Li, 2011): its mode by damped Newton
//! on the aggregated counts, its precision the Hessian there, kept as a Cholesky factor L.
//! Thompson: draw w = mode + L⁻ᵀz (z standard normal), show argmax η(a). Refits are batched:
//! a segment is refit after max(1, min(refit_every, n/16)) new impressions (n = its total).

use serde::{Deserialize, Serialize};

use super::{McAllocation, Policy};
use crate::simulate::math;
use crate::simulate::rng::SimRng;
use crate::simulate::scenario::Scenario;

/// A scratch buffer that never counts in comparisons (it holds no state).
#[derive(Debug, Clone, Default)]
struct Scratch(Vec<f64>);

impl PartialEq for Scratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Features and fitted posteriors of every segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fit {
    k: usize,
    d: usize,
    /// Per arm, the indices of its 5 active features (intercept, angle, image, CTA, residual).
    feats: Vec<[u32; 5]>,
    /// Posterior mode per segment (`segments × d`).
    mode: Vec<f64>,
    /// Lower Cholesky factor of the posterior precision per segment (`segments × d × d`).
    chol: Vec<f64>,
}

impl Fit {
    /// The arm with the largest η under one posterior draw for segment `s`.
    fn draw(&self, s: usize, rng: &mut SimRng, x: &mut Vec<f64>) -> usize {
        let d = self.d;
        let l = &self.chol[s * d * d..(s + 1) * d * d];
        x.clear();
        x.extend((0..d).map(|_| rng.normal()));
        for i in (0..d).rev() {
            let mut v = x[i];
            for j in i + 1..d {
                v -= l[j * d + i] * x[j];
            }
            x[i] = v / l[i * d + i];
        }
        let mode = &self.mode[s * d..(s + 1) * d];
        let mut best = (0, f64::NEG_INFINITY);
        for (a, f) in self.feats.iter().enumerate() {
            let eta: f64 = f.iter().map(|&j| mode[j as usize] + x[j as usize]).sum();
            if eta > best.1 {
                best = (a, eta);
            }
        }
        best.0
    }
}

/// Factorised Thompson sampling (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factorised {
    fit: Fit,
    prior_mean: Vec<f64>,
    prior_prec: Vec<f64>,
    refit_every: u32,
    n: Vec<u64>,
    c: Vec<u64>,
    since: Vec<u64>,
    total: Vec<u64>,
    props: McAllocation,
    #[serde(skip)]
    scratch: Scratch,
}

fn levels(keys: impl Iterator<Item = String>) -> (Vec<u32>, usize) {
    let mut seen: Vec<String> = Vec::new();
    let idx = keys
        .map(|k| match seen.iter().position(|s| *s == k) {
            Some(i) => i as u32,
            None => {
                seen.push(k);
                seen.len() as u32 - 1
            }
        })
        .collect();
    (idx, seen.len())
}

/// In-place lower Cholesky factor of the symmetric positive-definite `d × d` matrix `m`.
fn cholesky(m: &mut [f64], d: usize) {
    for j in 0..d {
        let mut diag = m[j * d + j];
        for k in 0..j {
            diag -= m[j * d + k] * m[j * d + k];
        }
        let diag = diag.max(1e-12).sqrt();
        m[j * d + j] = diag;
        for i in j + 1..d {
            let mut v = m[i * d + j];
            for k in 0..j {
                v -= m[i * d + k] * m[j * d + k];
            }
            m[i * d + j] = v / diag;
        }
        for i in 0..j {
            m[i * d + j] = 0.0;
        }
    }
}

/// Solve (L Lᵀ) x = b for the lower factor `l`.
fn chol_solve(l: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..d {
        for k in 0..i {
            y[i] -= l[i * d + k] * y[k];
        }
        y[i] /= l[i * d + i];
    }
    for i in (0..d).rev() {
        for k in i + 1..d {
            y[i] -= l[k * d + i] * y[k];
        }
        y[i] /= l[i * d + i];
    }
    y
}

impl Factorised {
    /// Priors for the arms of `scenario` (see the module docs); `seed` seeds the propensity estimator.
    pub fn new(scenario: &Scenario, prior_sd: f64, residual_sd: f64, refit_every: u32, seed: u64) -> Factorised {
        let (s, k) = (scenario.segments.len(), scenario.arms.len());
        let (h, nh) = levels(scenario.arms.iter().map(|a| a.angle.clone()));
        let (i, ni) = levels(scenario.arms.iter().map(|a| a.image.clone()));
        let (c, nc) = levels(scenario.arms.iter().map(|a| a.cta.clone()));
        let d = 1 + nh + ni + nc + k;
        let feats = (0..k).map(|a| [0, 1 + h[a], (1 + nh) as u32 + i[a], (1 + nh + ni) as u32 + c[a], (1 + nh + ni + nc + a) as u32]).collect();
        let mut prior_mean = vec![0.0; d];
        prior_mean[0] = (0.02f64 / 0.98).ln();
        let mut prior_prec = vec![1.0 / (prior_sd * prior_sd); d];
        prior_prec[0] = 0.25;
        prior_prec[1 + nh + ni + nc..].fill(1.0 / (residual_sd * residual_sd));
        let mut chol = vec![0.0; s * d * d];
        for seg in 0..s {
            for j in 0..d {
                chol[seg * d * d + j * d + j] = prior_prec[j].sqrt();
            }
        }
        Factorised {
            fit: Fit { k, d, feats, mode: prior_mean.repeat(s), chol },
            prior_mean,
            prior_prec,
            refit_every,
            n: vec![0; s * k],
            c: vec![0; s * k],
            since: vec![0; s],
            total: vec![0; s],
            props: McAllocation::new(s, k, seed),
            scratch: Scratch::default(),
        }
    }

    pub(super) fn fits(&self, s: usize, k: usize) -> bool {
        let d = self.fit.d;
        self.fit.k == k
            && self.fit.feats.len() == k
            && self.fit.feats.iter().all(|f| f.iter().all(|&j| (j as usize) < d))
            && self.fit.mode.len() == s * d
            && self.fit.chol.len() == s * d * d
            && self.prior_mean.len() == d
            && self.prior_prec.len() == d
            && [self.n.len(), self.c.len()] == [s * k, s * k]
            && [self.since.len(), self.total.len()] == [s, s]
            && self.props.fits(s, k)
    }

    /// Gradient and Hessian of the negative log posterior of segment `s` at `w`.
    fn grad_hess(&self, s: usize, w: &[f64], g: &mut [f64], h: &mut [f64]) {
        let (d, k) = (self.fit.d, self.fit.k);
        h.fill(0.0);
        for j in 0..d {
            g[j] = self.prior_prec[j] * (w[j] - self.prior_mean[j]);
            h[j * d + j] = self.prior_prec[j];
        }
        for (a, f) in self.fit.feats.iter().enumerate() {
            let n = self.n[s * k + a] as f64;
            if n == 0.0 {
                continue;
            }
            let p = math::expit(f.iter().map(|&j| w[j as usize]).sum());
            let (gi, hi) = (n * p - self.c[s * k + a] as f64, n * p * (1.0 - p));
            for &x in f {
                g[x as usize] += gi;
                for &y in f {
                    h[x as usize * d + y as usize] += hi;
                }
            }
        }
    }

    /// Laplace refit of segment `s` (warm-started damped Newton).
    fn refit(&mut self, s: usize) {
        let d = self.fit.d;
        let mut w = self.fit.mode[s * d..(s + 1) * d].to_vec();
        let (mut g, mut h) = (vec![0.0; d], vec![0.0; d * d]);
        for _ in 0..30 {
            self.grad_hess(s, &w, &mut g, &mut h);
            cholesky(&mut h, d);
            let step = chol_solve(&h, &g, d);
            let max = step.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let scale = if max > 2.0 { 2.0 / max } else { 1.0 };
            w.iter_mut().zip(&step).for_each(|(w, st)| *w -= scale * st);
            if max * scale < 1e-8 {
                break;
            }
        }
        self.grad_hess(s, &w, &mut g, &mut h);
        cholesky(&mut h, d);
        self.fit.mode[s * d..(s + 1) * d].copy_from_slice(&w);
        self.fit.chol[s * d * d..(s + 1) * d * d].copy_from_slice(&h);
    }

    /// Posterior mode of the log-odds of every arm in segment `s`.
    pub fn log_odds(&self, s: usize) -> Vec<f64> {
        let d = self.fit.d;
        self.fit.feats.iter().map(|f| f.iter().map(|&j| self.fit.mode[s * d + j as usize]).sum()).collect()
    }
}

impl Policy for Factorised {
    fn choose(&mut self, segment: usize, rng: &mut SimRng) -> (usize, f64) {
        let (fit, x) = (&self.fit, &mut self.scratch.0);
        self.props.refresh_if_due(segment, |r| fit.draw(segment, r, x));
        let arm = self.fit.draw(segment, rng, &mut self.scratch.0);
        (arm, self.props.tick(segment, arm))
    }

    fn update(&mut self, segment: usize, arm: usize, reward: bool) {
        let i = segment * self.fit.k + arm;
        self.n[i] += 1;
        self.c[i] += reward as u64;
        self.since[segment] += 1;
        self.total[segment] += 1;
        if self.since[segment] >= (self.total[segment] / 16).clamp(1, self.refit_every as u64) {
            self.since[segment] = 0;
            self.refit(segment);
        }
    }

    fn allocation(&self, segment: usize, out: &mut [f64]) {
        self.props.get(segment, out);
    }
}
