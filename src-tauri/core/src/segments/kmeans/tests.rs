use linfa::prelude::*;
use linfa::ParamGuard;
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::*;
use crate::segments::stability::adjusted_rand_index;

/// `per` rows around each of `k` centres 10 apart in `d` dimensions, plus the true labels.
fn blobs(k: usize, per: usize, d: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let centres: Vec<Vec<f64>> = (0..k).map(|_| (0..d).map(|_| rng.gen_range(-10.0..10.0)).collect()).collect();
    let mut x = Array2::zeros((k * per, d));
    let mut truth = Vec::with_capacity(k * per);
    for i in 0..k * per {
        let c = i % k;
        truth.push(c);
        for j in 0..d {
            x[[i, j]] = centres[c][j] + rng.sample::<f64, _>(StandardNormal) * 0.5;
        }
    }
    (x, truth)
}

fn brute_labels(x: &Array2<f64>, c: &Array2<f64>) -> Vec<usize> {
    x.rows()
        .into_iter()
        .map(|r| {
            (0..c.nrows())
                .min_by(|&a, &b| {
                    let da: f64 = r.iter().zip(c.row(a)).map(|(p, q)| (p - q).powi(2)).sum();
                    let db: f64 = r.iter().zip(c.row(b)).map(|(p, q)| (p - q).powi(2)).sum();
                    da.total_cmp(&db)
                })
                .unwrap()
        })
        .collect()
}

#[test]
fn check_refuses_impossible_parameters() {
    assert!(KMeans::params(0).check().is_err());
    assert!(KMeans::params(3).n_init(0).check().is_err());
    assert!(KMeans::params(3).max_iter(0).check().is_err());
    assert!(KMeans::params(3).tol(-1.0).check().is_err());
    assert!(KMeans::params(3).tol(f64::NAN).check().is_err());
    assert!(KMeans::params(3).check().is_ok());
}

#[test]
fn recovers_planted_blobs_exactly() {
    let (x, truth) = blobs(8, 300, 32, 1);
    let model = KMeans::params(8).seed(7).fit(&DatasetBase::from(x.clone())).unwrap();
    let labels: Array1<usize> = model.predict(&x);
    assert_eq!(adjusted_rand_index(&labels.to_vec(), &truth), 1.0);
}

#[test]
fn labels_are_the_nearest_centroids_and_inertia_their_squared_distances() {
    let (x, _) = blobs(5, 200, 6, 2);
    let model = KMeans::params(4).seed(3).fit(&DatasetBase::from(x.clone())).unwrap();
    let labels = model.predict(&x).to_vec();
    assert_eq!(labels, brute_labels(&x, model.centroids()));
    let inertia: f64 = x.rows().into_iter().zip(&labels).map(|(r, &l)| r.iter().zip(model.centroids().row(l)).map(|(p, q)| (p - q).powi(2)).sum::<f64>()).sum();
    assert!((inertia - model.inertia()).abs() <= 1e-9 * inertia.max(1.0), "{inertia} vs {}", model.inertia());
}

#[test]
fn same_seed_same_model_and_thread_count_does_not_matter() {
    let (x, _) = blobs(6, 500, 10, 3);
    let fit = |threads| fit_view(&KMeans::params(6).seed(11).n_init(2).threads(threads).check().unwrap(), x.view()).unwrap();
    let (a, b, c) = (fit(1), fit(1), fit(3));
    assert_eq!(a, b);
    assert_eq!(a.n_iter(), c.n_iter());
    assert!((&a.centroids - &c.centroids).iter().all(|v| v.abs() < 1e-9));
}

#[test]
fn as_good_as_linfa_on_overlapping_data() {
    // Heavily overlapping clusters: local optima differ, so compare the best of 5 seedings.
    let (x, _) = blobs(12, 100, 4, 4);
    let ours = KMeans::params(6).seed(5).n_init(5).fit(&DatasetBase::from(x.clone())).unwrap();
    let theirs = linfa_clustering::KMeans::params_with_rng(6, rand_xoshiro::Xoshiro256Plus::seed_from_u64(5)).n_runs(5).fit(&DatasetBase::from(x.clone())).unwrap();
    // linfa reports the mean squared distance per row; ours is the sum (as scikit-learn's).
    let ours_mean = ours.inertia() / x.nrows() as f64;
    assert!(ours_mean <= theirs.inertia() * 1.01, "ours {ours_mean} linfa {}", theirs.inertia());
}

#[test]
fn k_equal_to_rows_puts_every_row_alone() {
    let x = ndarray::array![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]];
    let model = fit_view(&KMeans::params(4).seed(1).check().unwrap(), x.view()).unwrap();
    assert!(model.inertia() < 1e-12);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let x = ndarray::array![[0.0, 0.0], [1.0, 0.0]];
    assert!(matches!(fit_view(&KMeans::params(3).check().unwrap(), x.view()), Err(KMeansError::TooFewRows { rows: 2, k: 3 })));
    let y = ndarray::array![[0.0, f64::NAN], [1.0, 0.0]];
    assert!(matches!(fit_view(&KMeans::params(1).check().unwrap(), y.view()), Err(KMeansError::NotFinite)));
}

/// Lloyd steps from given centres: from a fit's own centres nothing moves; from rough ones
/// (one row of each blob) the planted blobs come out; centres of the wrong shape or not finite
/// are refused.
#[test]
fn refine_continues_from_given_centres_and_refuses_wrong_ones() {
    let (x, truth) = blobs(4, 200, 3, 7);
    let p = KMeans::params(4).seed(1).check().unwrap();
    let fit = fit_view(&p, x.view()).unwrap();
    let again = refine(&p, x.view(), fit.centroids().clone()).unwrap();
    assert!((again.inertia() - fit.inertia()).abs() <= 1e-9 * fit.inertia(), "{} vs {}", again.inertia(), fit.inertia());
    assert_eq!(again.n_iter(), 1, "already converged");
    // Rows 0..4 hold one row of each blob (row i belongs to blob i % 4).
    let rough = refine(&p, x.view(), x.slice(s![0..4, ..]).to_owned()).unwrap();
    assert_eq!(adjusted_rand_index(&rough.predict(&x).to_vec(), &truth), 1.0);
    assert!(matches!(refine(&p, x.view(), Array2::zeros((3, 3))), Err(KMeansError::InvalidParams(_))), "k rows");
    assert!(matches!(refine(&p, x.view(), Array2::zeros((4, 2))), Err(KMeansError::InvalidParams(_))), "the data's width");
    let mut nan = fit.centroids().clone();
    nan[[0, 0]] = f64::NAN;
    assert!(matches!(refine(&p, x.view(), nan), Err(KMeansError::NotFinite)));
}
