//! How stable segments are across seeds: the adjusted Rand index (Hubert & Arabie 1985)
//! between labelings of the same users, and a report over consecutive seeds.

use std::collections::HashMap;

use ndarray::{Array2, Axis};
use rand::SeedableRng;
use serde::Serialize;

use super::{features, kmeans, Project, SegmentError, ValidSegmentParams};

/// ARI of two labelings of the same rows: 1 for identical partitions (up to renaming), about 0
/// for independent ones, negative for worse than chance. Two trivial partitions (everything in
/// one cluster, or every row alone) that are equal score 1.
///
/// Panics if the labelings differ in length.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len(), "labelings of the same rows");
    let n = a.len() as f64;
    let pairs = |x: f64| x * (x - 1.0) / 2.0;
    let mut cells: HashMap<(usize, usize), f64> = HashMap::new();
    let mut rows: HashMap<usize, f64> = HashMap::new();
    let mut cols: HashMap<usize, f64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let index: f64 = cells.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let expected = sum_a * sum_b / pairs(n).max(1.0);
    let max = (sum_a + sum_b) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// How much segments move when only the seed changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Stability {
    pub k: u32,
    #[cfg_attr(feature = "ts", ts(type = "number[]"))]
    pub seeds: Vec<u64>,
    /// Rows clustered under every seed (all users, or a seeded sample of [`STABILITY_SAMPLE`]).
    pub rows: u32,
    /// Adjusted Rand index of each seed's labels against the first seed's (first is 1).
    pub ari: Vec<f64>,
    /// Mean and minimum over the other seeds.
    pub mean_ari: f64,
    pub min_ari: f64,
}

/// At most this many users are clustered per seed when measuring stability.
pub const STABILITY_SAMPLE: usize = 20_000;

/// Cluster the project's users with k = `k` under `n` consecutive seeds from `params`' seed
/// and compare each labeling with the first by ARI. Stores nothing.
pub fn stability(project: &Project, params: &ValidSegmentParams, k: usize, n: usize) -> Result<Stability, SegmentError> {
    let p = &params.0;
    let m = features::build(project, p.half_life_days)?;
    of_matrix(&m.data, k, p.seed, n)
}

/// [`stability`] of a feature matrix: k-means (as training runs it) under `n` ≥ 2 consecutive
/// seeds from `seed`, on at most [`STABILITY_SAMPLE`] rows.
pub fn of_matrix(data: &Array2<f64>, k: usize, seed: u64, n: usize) -> Result<Stability, SegmentError> {
    if data.nrows() < k.max(2) || n < 2 {
        return Err(SegmentError::TooFewUsers { users: data.nrows(), segments: k, min_size: 1, needed: k.max(2) });
    }
    let sample;
    let rows = if data.nrows() > STABILITY_SAMPLE {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed ^ 0xA41);
        let mut idx = rand::seq::index::sample(&mut rng, data.nrows(), STABILITY_SAMPLE).into_vec();
        idx.sort_unstable();
        sample = data.select(Axis(0), &idx);
        &sample
    } else {
        data
    };
    let seeds: Vec<u64> = (0..n as u64).map(|i| seed.wrapping_add(i)).collect();
    let labelings: Vec<Vec<usize>> = seeds.iter().map(|&s| kmeans(rows, k, s).map(|r| r.0)).collect::<Result<_, _>>()?;
    let ari: Vec<f64> = labelings.iter().map(|l| adjusted_rand_index(&labelings[0], l)).collect();
    let others = &ari[1..];
    Ok(Stability { k: k as u32, seeds, rows: rows.nrows() as u32, mean_ari: others.iter().sum::<f64>() / others.len() as f64, min_ari: others.iter().copied().fold(f64::INFINITY, f64::min), ari })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_score_one_whatever_the_names() {
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1, 2], &[5, 5, 3, 3, 9]), 1.0);
    }

    #[test]
    fn matches_the_scikit_learn_reference_value() {
        // sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 0.5714285714285715
        let ari = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
        assert!((ari - 0.571_428_571_428_571_5).abs() < 1e-12, "{ari}");
        // adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) == -0.5
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) + 0.5).abs() < 1e-12);
    }
}
