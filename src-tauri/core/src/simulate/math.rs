//! Small numerical helpers: digamma/trigamma, Marsaglia–Tsang gamma draws, Beta draws and the
//! logit-normal moment match of a Beta distribution, the normal quantile.

use super::rng::SimRng;

/// [ψ(x), ψ′(x), ψ″(x)] for x > 0: recurrence up to 6, then the asymptotic series (absolute
/// error < 1e-9; one logarithm and one division).
pub fn polygammas(mut x: f64) -> [f64; 3] {
    let (mut r0, mut r1, mut r2) = (0.0, 0.0, 0.0);
    while x < 6.0 {
        let inv = 1.0 / x;
        let inv2 = inv * inv;
        r0 -= inv;
        r1 += inv2;
        r2 -= 2.0 * inv2 * inv;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let f = inv * inv;
    [
        r0 + x.ln() - 0.5 * inv - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f / 240.0))),
        r1 + inv + 0.5 * f + f * inv * (1.0 / 6.0 - f * (1.0 / 30.0 - f * (1.0 / 42.0 - f / 30.0))),
        r2 - f * (1.0 + inv + f * (0.5 - f * (1.0 / 6.0 - f * (1.0 / 6.0 - 0.3 * f)))),
    ]
}

/// ψ(x), the digamma function (see [`polygammas`]).
pub fn digamma(x: f64) -> f64 {
    polygammas(x)[0]
}

/// ψ′(x), the trigamma function (see [`polygammas`]).
pub fn trigamma(x: f64) -> f64 {
    polygammas(x)[1]
}

/// Mean and standard deviation of logit(X) for X ~ Beta(a, b): ψ(a) − ψ(b) and
/// √(ψ′(a) + ψ′(b)) (exact moments; the *logit-normal* approximation samples N(mean, sd²)).
pub fn logit_normal(a: f64, b: f64) -> (f64, f64) {
    (digamma(a) - digamma(b), (trigamma(a) + trigamma(b)).sqrt())
}

/// (m, s, s·γ/6) of logit(X), X ~ Beta(a, b), from the polygammas of a and b: mean
/// m = ψ(a) − ψ(b), variance s² = ψ′(a) + ψ′(b), skewness γ = (ψ″(a) − ψ″(b))/s³. The
/// first-order Cornish–Fisher draw of logit(X) is m + s z + s·γ/6 (z² − 1), z standard normal.
#[inline]
pub fn cornish_fisher_of(pa: &[f64; 3], pb: &[f64; 3]) -> (f64, f64, f64) {
    let v = pa[1] + pb[1];
    (pa[0] - pb[0], v.sqrt(), (pa[2] - pb[2]) / (6.0 * v))
}

/// [`cornish_fisher_of`] for Beta(a, b).
#[cfg(test)]
pub fn cornish_fisher(a: f64, b: f64) -> (f64, f64, f64) {
    cornish_fisher_of(&polygammas(a), &polygammas(b))
}

/// The logistic function.
#[inline]
pub fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Central credible interval of Beta(a, b) at standard-normal quantile `z` (1.96 for 95 %), by
/// the logit-normal approximation: always inside (0, 1), asymmetric like the Beta.
pub fn beta_interval(a: f64, b: f64, z: f64) -> (f64, f64) {
    let (m, s) = logit_normal(a, b);
    (expit(m - z * s), expit(m + z * s))
}

/// Constants of Marsaglia & Tsang's gamma sampler for `shape` ≥ 1: d = shape − 1/3, c = 1/√(9d).
#[inline]
pub fn gamma_consts(shape: f64) -> (f64, f64) {
    let d = shape - 1.0 / 3.0;
    (d, 1.0 / (9.0 * d).sqrt())
}

/// One Gamma(shape, 1) draw with Marsaglia–Tsang constants `(d, c)` (shape ≥ 1); exact.
#[inline(always)]
pub fn gamma_mt(rng: &mut SimRng, d: f64, c: f64) -> f64 {
    loop {
        let x = rng.normal();
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = rng.unit();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// One Gamma(shape, 1) draw for any shape > 0 (shape < 1 by the u^(1/shape) boost).
pub fn gamma(rng: &mut SimRng, shape: f64) -> f64 {
    if shape < 1.0 {
        let (d, c) = gamma_consts(shape + 1.0);
        let u = rng.unit().max(f64::MIN_POSITIVE);
        return gamma_mt(rng, d, c) * u.powf(1.0 / shape);
    }
    let (d, c) = gamma_consts(shape);
    gamma_mt(rng, d, c)
}

/// One exact Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
pub fn beta(rng: &mut SimRng, a: f64, b: f64) -> f64 {
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    x / (x + y)
}

/// Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [-3.969_683_028_665_376e1, 2.209_460_984_245_205e2, -2.759_285_104_469_687e2, 1.383_577_518_672_69e2, -3.066_479_806_614_716e1, 2.506_628_277_459_239];
    const B: [f64; 5] = [-5.447_609_879_822_406e1, 1.615_858_368_580_409e2, -1.556_989_798_598_866e2, 6.680_131_188_771_972e1, -1.328_068_155_288_572e1];
    const C: [f64; 6] = [-7.784_894_002_430_293e-3, -3.223_964_580_411_365e-1, -2.400_758_277_161_838, -2.549_732_539_343_734, 4.374_664_141_464_968, 2.938_163_982_698_783];
    const D: [f64; 4] = [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}
