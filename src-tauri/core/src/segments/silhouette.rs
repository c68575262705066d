//! Sampled silhouette score, used to choose k.

use ndarray::{ArrayView2, Axis};
use rand::seq::index::sample;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Mean silhouette over at most `max_sample` rows drawn with `seed` (all rows if fewer).
///
/// Silhouette of a point: (b − a) / max(a, b), a = mean distance to its own cluster, b = the
/// smallest mean distance to another cluster, within the sample. In [-1, 1]; higher is better.
/// Returns 0 when fewer than two clusters are present in the sample.
pub fn sampled(data: ArrayView2<f64>, labels: &[usize], k: usize, max_sample: usize, seed: u64) -> f64 {
    let n = data.nrows();
    let idx: Vec<usize> = if n <= max_sample {
        (0..n).collect()
    } else {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut v = sample(&mut rng, n, max_sample).into_vec();
        v.sort_unstable();
        v
    };
    let rows: Vec<_> = idx.iter().map(|&i| data.index_axis(Axis(0), i)).collect();
    let mut total = 0.0;
    let mut counted = 0usize;
    let mut sums = vec![0.0; k];
    let mut counts = vec![0usize; k];
    for (a_pos, &i) in idx.iter().enumerate() {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for (b_pos, &j) in idx.iter().enumerate() {
            if a_pos == b_pos {
                continue;
            }
            let d: f64 = rows[a_pos].iter().zip(rows[b_pos].iter()).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt();
            sums[labels[j]] += d;
            counts[labels[j]] += 1;
        }
        let own = labels[i];
        if counts[own] == 0 {
            continue; // singleton in the sample: silhouette 0 by convention
        }
        let a = sums[own] / counts[own] as f64;
        let b = (0..k).filter(|&c| c != own && counts[c] > 0).map(|c| sums[c] / counts[c] as f64).fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            total += (b - a) / a.max(b).max(1e-12);
            counted += 1;
        }
    }
    if counted == 0 {
        0.0
    } else {
        total / counted as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn separated_clusters_score_near_one_and_mixed_near_zero() {
        let d = array![[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]];
        let good = sampled(d.view(), &[0, 0, 1, 1], 2, 100, 1);
        let bad = sampled(d.view(), &[0, 1, 0, 1], 2, 100, 1);
        assert!(good > 0.95, "{good}");
        assert!(bad < 0.0, "{bad}");
    }
}
