use super::fixtures;
use crate::simulate::math;
use crate::simulate::policy::{Policy, PolicySpec};
use crate::simulate::SimRng;

/// Drive `spec` on the planted 3-segment scenario with Bernoulli rewards; check each decision.
fn check_decisions(spec: &PolicySpec) {
    let sc = fixtures::planted(3);
    let mut p = spec.build_joint(&sc, 9);
    let mut rng = SimRng::new(1, 1);
    let mut alloc = vec![0.0; 3];
    for t in 0..3_000 {
        let s = t % 3;
        let (arm, prop) = p.choose(s, &mut rng);
        p.allocation(s, &mut alloc);
        let sum: f64 = alloc.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "{}: allocation sums to {sum}", spec.name());
        assert!(prop > 0.0 && prop <= 1.0, "{}: propensity {prop}", spec.name());
        assert!((prop - alloc[arm]).abs() < 1e-12, "{}: propensity {prop} is the allocation's {}", spec.name(), alloc[arm]);
        let ctr = if arm == s { 0.1 } else { 0.03 };
        p.update(s, arm, rng.unit() < ctr);
    }
}

#[test]
fn propensities_are_in_unit_interval_and_match_an_allocation_summing_to_one() {
    for spec in fixtures::all_policies() {
        check_decisions(&spec);
    }
    check_decisions(&PolicySpec::Thompson { exact_below: u32::MAX });
}

#[test]
fn epsilon_greedy_and_ucb1_propensities_are_exact() {
    let sc = fixtures::planted(4);
    let mut eps = PolicySpec::EpsilonGreedy { epsilon: 0.2 }.build_joint(&sc, 0);
    let mut rng = SimRng::new(2, 0);
    eps.update(0, 0, true); // arm 0 is now greedy
    for _ in 0..200 {
        let (arm, p) = eps.choose(0, &mut rng);
        let want = if arm == 0 { 1.0 - 0.2 + 0.05 } else { 0.05 };
        assert!((p - want).abs() < 1e-12, "arm {arm}: {p}");
    }
    let mut ucb = PolicySpec::Ucb1.build_joint(&fixtures::planted(3), 0);
    for want in 0..3 {
        assert_eq!(ucb.choose(0, &mut rng), (want, 1.0), "every arm once, in order");
        ucb.update(0, want, false);
    }
}

/// Φ(x) by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
fn phi(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.3275911 * x.abs() / std::f64::consts::SQRT_2);
    let erf = 1.0 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * (-(x * x) / 2.0).exp();
    0.5 * (1.0 + x.signum() * erf)
}

/// P(Beta(a, b) ≤ x) for integer shapes: P(Binomial(a + b − 1, x) ≥ a).
fn beta_cdf(a: u32, b: u32, x: f64) -> f64 {
    let n = a + b - 1;
    let mut ln_choose = 0.0;
    let mut below = 0.0;
    for k in 0..a {
        if k > 0 {
            ln_choose += ((n - k + 1) as f64).ln() - (k as f64).ln();
        }
        below += (ln_choose + k as f64 * x.ln() + (n - k) as f64 * (1.0 - x).ln()).exp();
    }
    1.0 - below
}

/// P(m + s z + k (z² − 1) ≤ y) for a standard normal z (bisection on the increasing branch).
fn cornish_fisher_cdf((m, s, k): (f64, f64, f64), y: f64) -> f64 {
    let (mut lo, mut hi) = (-9.0, 9.0);
    for _ in 0..80 {
        let z = 0.5 * (lo + hi);
        if m + s * z + k * (z * z - 1.0) <= y {
            lo = z;
        } else {
            hi = z;
        }
    }
    phi(lo)
}

#[test]
fn thompson_fast_sampler_is_close_to_the_beta_from_exact_below_on() {
    // The fast path starts when both shapes reach EXACT_BELOW = 8. Its CDF must stay within
    // 0.004 of the exact Beta's there, and get closer as data grow. (A plain logit-normal,
    // without the skewness term, is 0.024 off at Beta(8, 1000).)
    assert_eq!(crate::simulate::policy::EXACT_BELOW, 8);
    let mut prev = 1.0;
    for (a, b) in [(8u32, 8u32), (8, 1_000), (16, 800), (64, 3_000), (400, 20_000)] {
        let cf = math::cornish_fisher(a as f64, b as f64);
        let mean = a as f64 / (a + b) as f64;
        let sd = (mean * (1.0 - mean) / (a + b) as f64).sqrt();
        let ks = (-60..=60).map(|i| (mean + sd * i as f64 / 10.0).clamp(1e-9, 1.0 - 1e-9)).map(|x| (beta_cdf(a, b, x) - cornish_fisher_cdf(cf, (x / (1.0 - x)).ln())).abs()).fold(0.0, f64::max);
        assert!(ks < 0.004, "Beta({a}, {b}): KS distance {ks}");
        if b > 8 {
            assert!(ks <= prev, "closer with more data: {ks} after {prev}");
            prev = ks;
        }
    }
}

#[test]
fn exact_beta_draws_have_the_right_mean_and_variance() {
    let mut rng = SimRng::new(4, 4);
    for (a, b) in [(1.0, 1.0), (3.0, 200.0), (0.5, 2.0)] {
        let n = 40_000;
        let xs: Vec<f64> = (0..n).map(|_| math::beta(&mut rng, a, b)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        let (m, v) = (a / (a + b), a * b / ((a + b).powi(2) * (a + b + 1.0)));
        assert!((mean - m).abs() < 4.0 * (v / n as f64).sqrt(), "Beta({a},{b}) mean {mean} vs {m}");
        assert!((var / v - 1.0).abs() < 0.05, "Beta({a},{b}) variance {var} vs {v}");
    }
}
