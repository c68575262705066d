//! The segments' clustering of every user: k-means seeded on the choice sample and refined on
//! every row ([`kmeans`]), and the dissolving of clusters under the minimum size
//! ([`merge_small`]).

use linfa::prelude::*;
use linfa::ParamGuard;
use ndarray::{Array2, ArrayView1};

use super::kmeans::{self as km};
use super::{choose, SegmentError, K_CHOICE_SAMPLE};

pub(super) fn km_err(e: km::KMeansError) -> SegmentError {
    SegmentError::KMeans(e.to_string())
}

/// k-means++ restarts per fit; the lowest inertia wins. Ten (scikit-learn's classic default)
/// rather than three: on the demo and the real samples three left the winner seed-dependent.
pub const N_INIT: usize = 10;

/// The segments' k-means on every row: labels, centroids and inertia.
///
/// [`N_INIT`] k-means++ seedings, the lowest inertia wins. Over [`K_CHOICE_SAMPLE`] rows the
/// seedings run on that seeded sample (the one k was chosen on) and the winner's centres are
/// then refined by Lloyd steps over every row: on a million rows (2 cores) ten seedings of every
/// row took 12–13 s, ten of the sample plus one refinement 0.7–0.8 s. The `segments` bench
/// prints the time and inertia of both ways on the same million rows.
///
/// Errors: fewer rows than k; a value that is not finite.
pub fn kmeans(data: &Array2<f64>, k: usize, seed: u64) -> Result<(Vec<usize>, Array2<f64>, f64), SegmentError> {
    let p = km::KMeans::params(k).seed(seed).n_init(N_INIT).check().map_err(km_err)?;
    let model = if data.nrows() <= K_CHOICE_SAMPLE {
        km::fit_view(&p, data.view())
    } else {
        let seeded = km::fit_view(&p, choose::sample_rows(data.view(), seed).view()).map_err(km_err)?;
        km::refine(&p, data.view(), seeded.centroids().clone())
    }
    .map_err(km_err)?;
    let labels = model.predict(data).to_vec();
    Ok((labels, model.centroids().clone(), model.inertia()))
}

/// Dissolve clusters smaller than `min_size`, smallest first, moving each member to the
/// nearest centre (mean) of the clusters still standing, until every non-empty cluster has at
/// least `min_size` members or one cluster is left. Returns how many clusters were dissolved.
pub fn merge_small(data: &Array2<f64>, labels: &mut [usize], k: usize, min_size: usize) -> usize {
    let mut dissolved = 0;
    loop {
        let mut sizes = vec![0usize; k];
        labels.iter().for_each(|&l| sizes[l] += 1);
        let alive: Vec<usize> = (0..k).filter(|&c| sizes[c] > 0).collect();
        let Some(&small) = alive.iter().filter(|&&c| sizes[c] < min_size).min_by_key(|&&c| (sizes[c], c)) else { return dissolved };
        if alive.len() < 2 {
            return dissolved;
        }
        let keep: Vec<usize> = alive.into_iter().filter(|&c| c != small).collect();
        let centres: Vec<Vec<f64>> = keep
            .iter()
            .map(|&c| {
                let mut m = vec![0.0; data.ncols()];
                labels.iter().enumerate().filter(|(_, &l)| l == c).for_each(|(i, _)| m.iter_mut().zip(data.row(i)).for_each(|(a, v)| *a += v / sizes[c] as f64));
                m
            })
            .collect();
        let dist = |x: ArrayView1<f64>, c: &[f64]| -> f64 { x.iter().zip(c).map(|(a, b)| (a - b).powi(2)).sum() };
        for (i, l) in labels.iter_mut().enumerate() {
            if *l == small {
                let x = data.row(i);
                let best = (0..keep.len()).min_by(|&a, &b| dist(x, &centres[a]).total_cmp(&dist(x, &centres[b]))).expect("two clusters alive");
                *l = keep[best];
            }
        }
        dissolved += 1;
    }
}
