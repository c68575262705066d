//! Interest prediction: for every user, the probability of carting or buying in each top-level
//! category in the next window, from features of the window before — measured, not assumed.
//!
//! The events are cut at two times, `c1` and `c2` (the median and third quartile of event
//! times), so that the last two windows (`[c1, c2)` and `[c2, end]`) each hold a quarter of
//! the events. A model is trained on features
//! of events before `c1` with labels from `[c1, c2)`, and evaluated on features before `c2`
//! with labels from `[c2, end]`: the held-out window lies strictly after everything the model
//! or its features saw (no leakage). Per category the model is a linfa logistic regression
//! over the standardised [`crate::features`]; the baseline scores every user by the
//! category's popularity in the training labels. Reported: pooled AUC over (user, category)
//! pairs and precision@3 over users with at least one positive, for both.
//!
//! For serving, the same recipe is refitted on the latest pair (features before `c2`, labels
//! `[c2, end]`) and applied to features of all events; each user's top three categories are
//! stored (`user_interests`) and each segment's mean probabilities feed copy and banner choice.

use std::collections::HashMap;

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::features::{self, FeatureMatrix, Window};
use crate::store::{now_text, Project};

/// Why no prediction could be trained.
#[derive(Debug, Error)]
pub enum InterestError {
    #[error("not enough history to predict interests: {0}")]
    NotEnoughData(String),
    #[error("interest model failed: {0}")]
    Model(String),
    #[error("interest store error: {0}")]
    Store(#[from] rusqlite::Error),
}

/// Quality of the prediction on the held-out window, against the popularity baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PredictionReport {
    /// Pooled ROC AUC over (user, category) pairs of the held-out window.
    pub auc: f64,
    pub baseline_auc: f64,
    /// Mean share of hits among each user's top three categories (users with a positive).
    pub precision_at_3: f64,
    pub baseline_precision_at_3: f64,
    /// Users scored in the held-out window, and how many of them had a positive.
    pub test_users: u32,
    pub test_users_with_positive: u32,
    /// Categories predicted, in feature-column order.
    pub categories: Vec<String>,
    /// The cut times (Unix seconds): training labels from `cut_train`, test labels from `cut_test`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cut_train: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub cut_test: i64,
}

/// One category's serving model: P(cart or buy next window) = σ(intercept + weights · x) over
/// the standardised feature row `x`; with no weights, the base rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryModel {
    pub category: String,
    pub intercept: f64,
    pub weights: Vec<f64>,
    pub base_rate: f64,
}

impl CategoryModel {
    /// The probability for one standardised row.
    pub fn probability(&self, x: &[f64]) -> f64 {
        if self.weights.is_empty() {
            return self.base_rate;
        }
        let z = self.intercept + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Most users an interest model is fitted on (a seeded sample above it); see [`Models::fit`].
pub const FIT_SAMPLE: usize = 50_000;
const FIT_SEED: u64 = 20_261_203;

/// Per-category logistic models over one feature spec (`None`: no positives to learn from,
/// score by the base rate).
struct Models {
    per_category: Vec<Result<linfa_logistic::FittedLogisticRegression<f64, bool>, f64>>,
}

impl Models {
    /// Fits one model per category on at most [`FIT_SAMPLE`] users: a seeded uniform sample
    /// of the rows when there are more (the same rows for every category), so training time
    /// stops growing with the shop while the coefficients' error stays that of 50,000 users.
    fn fit(x: &FeatureMatrix, labels: &Array2<bool>) -> Result<Self, InterestError> {
        let sampled = (x.data.nrows() > FIT_SAMPLE).then(|| {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(FIT_SEED);
            let mut rows = rand::seq::index::sample(&mut rng, x.data.nrows(), FIT_SAMPLE).into_vec();
            rows.sort_unstable();
            (x.data.select(Axis(0), &rows), labels.select(Axis(0), &rows))
        });
        let (data, labels) = match &sampled {
            Some((data, labels)) => (data.view(), labels.view()),
            None => (x.data.view(), labels.view()),
        };
        let mut per_category = Vec::new();
        for c in 0..labels.ncols() {
            let y: Array1<bool> = labels.column(c).to_owned();
            let positives = y.iter().filter(|&&v| v).count();
            if positives < 5 || positives + 5 > y.len() {
                per_category.push(Err(positives as f64 / y.len().max(1) as f64));
                continue;
            }
            let ds = Dataset::new(data.to_owned(), y);
            let model = LogisticRegression::default().alpha(1.0).max_iterations(200).fit(&ds).map_err(|e| InterestError::Model(e.to_string()))?;
            per_category.push(Ok(model));
        }
        Ok(Models { per_category })
    }

    /// Serving form: coefficients oriented so that σ gives P(positive).
    fn coefficients(&self, categories: &[String]) -> Vec<CategoryModel> {
        self.per_category
            .iter()
            .zip(categories)
            .map(|(m, c)| match m {
                Ok(model) => {
                    // linfa's probability is of its more frequent label; σ(−z) = 1 − σ(z).
                    let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
                    CategoryModel { category: c.clone(), intercept: sign * model.intercept(), weights: model.params().iter().map(|w| sign * w).collect(), base_rate: 0.0 }
                }
                Err(rate) => CategoryModel { category: c.clone(), intercept: 0.0, weights: Vec::new(), base_rate: *rate },
            })
            .collect()
    }

    /// Probabilities (users × categories).
    fn predict(&self, x: &FeatureMatrix) -> Array2<f64> {
        let mut out = Array2::zeros((x.data.nrows(), self.per_category.len()));
        for (c, m) in self.per_category.iter().enumerate() {
            match m {
                Ok(model) => {
                    let p = model.predict_probabilities(&x.data);
                    // linfa's probability is of its "positive" class: the more frequent label.
                    let flip = !model.labels().pos.class;
                    out.column_mut(c).iter_mut().zip(p).for_each(|(o, p)| *o = if flip { 1.0 - p } else { p });
                }
                Err(rate) => out.column_mut(c).fill(*rate),
            }
        }
        out
    }
}

/// Which users carted or bought in which category in `[from, to)`: rows follow `users`.
fn labels(project: &Project, users: &[String], categories: &[String], from: i64, to: i64) -> rusqlite::Result<Array2<bool>> {
    let row_of: HashMap<&str, usize> = users.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let col_of: HashMap<&str, usize> = categories.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut y = Array2::from_elem((users.len(), categories.len()), false);
    let mut stmt = project.conn().prepare(
        "SELECT DISTINCT e.user_id, p.category FROM events e JOIN products p ON p.id = e.product_id
         WHERE e.kind IN ('cart', 'purchase') AND e.ts >= ?1 AND e.ts < ?2",
    )?;
    let mut rows = stmt.query([from, to])?;
    while let Some(r) = rows.next()? {
        let (u, c): (String, String) = (r.get(0)?, r.get(1)?);
        if let (Some(&i), Some(&j)) = (row_of.get(u.as_str()), col_of.get(c.as_str())) {
            y[[i, j]] = true;
        }
    }
    Ok(y)
}

/// Train, evaluate and store the interest prediction for segment model `segment_model_id`.
/// `all` is the feature matrix over every event (the one the segments were trained on): its
/// categories fix the prediction's columns and its rows are the users scored for serving.
///
/// Errors: fewer than 100 users or under two days of history, or no positives in a window
/// (`NotEnoughData`), model failure, store failure.
pub fn train(project: &mut Project, segment_model_id: i64, all: &FeatureMatrix) -> Result<PredictionReport, InterestError> {
    let (lo, hi): (Option<i64>, Option<i64>) = project.conn().query_row("SELECT min(ts), max(ts) FROM events", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (lo, hi) = lo.zip(hi).ok_or_else(|| InterestError::NotEnoughData("no events".into()))?;
    if hi - lo < 2 * 86_400 {
        return Err(InterestError::NotEnoughData(format!("{:.1} days of events, need at least 2", (hi - lo) as f64 / 86_400.0)));
    }
    // Cut at the median and third quartile of event times rather than of the time span, so a
    // few stray old (or future) events cannot empty the windows.
    let n: i64 = project.conn().query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
    let quantile = |q: f64| -> rusqlite::Result<i64> { project.conn().query_row("SELECT ts FROM events ORDER BY ts LIMIT 1 OFFSET ?1", [((n - 1) as f64 * q) as i64], |r| r.get(0)) };
    let (c1, c2, end) = (quantile(0.5)?, quantile(0.75)?, hi + 1);
    if c2 - c1 < 6 * 3_600 || end - c2 < 6 * 3_600 {
        return Err(InterestError::NotEnoughData("the newest half of the events spans less than half a day".into()));
    }
    let categories = all.spec.categories.clone();
    let window = |until| Window { half_life_days: all.spec.half_life_days, until, categories: Some(categories.clone()) };

    let train_x = features::build_window(project, &window(Some(c1)))?;
    let train_y = labels(project, &train_x.users, &categories, c1, c2)?;
    let test_x = features::build_window(project, &window(Some(c2)))?;
    let test_y = labels(project, &test_x.users, &categories, c2, end)?;
    if train_x.users.len() < 100 || test_x.users.len() < 100 {
        return Err(InterestError::NotEnoughData(format!("{} users before the first cut, need at least 100", train_x.users.len())));
    }
    if !test_y.iter().any(|&v| v) || !train_y.iter().any(|&v| v) {
        return Err(InterestError::NotEnoughData("no carts or purchases in a label window".into()));
    }
    let model = Models::fit(&train_x, &train_y)?;
    let scores = model.predict(&test_x);
    let popularity: Vec<f64> = (0..categories.len()).map(|c| train_y.column(c).iter().filter(|&&v| v).count() as f64 / train_y.nrows() as f64).collect();
    let baseline = Array2::from_shape_fn(scores.dim(), |(_, c)| popularity[c]);
    let with_positive = test_y.rows().into_iter().filter(|r| r.iter().any(|&v| v)).count();
    let report = PredictionReport {
        auc: auc(&scores, &test_y),
        baseline_auc: auc(&baseline, &test_y),
        precision_at_3: precision_at(&scores, &test_y, 3),
        baseline_precision_at_3: precision_at(&baseline, &test_y, 3),
        test_users: test_x.users.len() as u32,
        test_users_with_positive: with_positive as u32,
        categories: categories.clone(),
        cut_train: c1,
        cut_test: c2,
    };

    // Serving: refit on the latest pair, score everyone on all their events.
    let serving = Models::fit(&test_x, &test_y)?;
    let now = serving.predict(all);
    store(project, segment_model_id, &report, &serving.coefficients(&categories), &all.users, &categories, &now)?;
    Ok(report)
}

fn store(project: &mut Project, segment_model_id: i64, report: &PredictionReport, coefficients: &[CategoryModel], users: &[String], categories: &[String], p: &Array2<f64>) -> rusqlite::Result<()> {
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO interest_models(segment_model_id, created_at, report, coefficients) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![segment_model_id, now_text(), serde_json::to_string(report).expect("report json"), serde_json::to_string(coefficients).expect("coefficients json")],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut ins = tx.prepare("INSERT INTO user_interests(model_id, user_id, rank, category, probability) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (i, user) in users.iter().enumerate() {
            for (rank, c) in top(p.row(i).as_slice().expect("row-major"), 3).into_iter().enumerate() {
                ins.execute(rusqlite::params![id, user, rank as i64 + 1, categories[c], p[[i, c]]])?;
            }
        }
    }
    tx.commit()
}

/// The report stored with the newest prediction of segment model `segment_model_id`.
pub fn report_for(project: &Project, segment_model_id: i64) -> rusqlite::Result<Option<PredictionReport>> {
    use rusqlite::OptionalExtension;
    let json: Option<String> = project.conn().query_row("SELECT report FROM interest_models WHERE segment_model_id = ?1 ORDER BY id DESC LIMIT 1", [segment_model_id], |r| r.get(0)).optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Mean predicted probability per category over the members of `segment_id` (newest
/// prediction of its model), highest first. Empty when no prediction exists.
pub fn segment_interests(project: &Project, segment_id: i64) -> rusqlite::Result<Vec<(String, f64)>> {
    let mut stmt = project.conn().prepare(
        "SELECT ui.category, sum(ui.probability) / (SELECT count(*) FROM user_segments WHERE segment_id = ?1)
         FROM user_interests ui
         JOIN user_segments us ON us.user_id = ui.user_id AND us.segment_id = ?1
         WHERE ui.model_id = (SELECT max(im.id) FROM interest_models im JOIN segments s ON s.model_id = im.segment_model_id WHERE s.id = ?1)
         GROUP BY ui.category ORDER BY 2 DESC, 1",
    )?;
    let rows = stmt.query_map([segment_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Indices of the `n` largest values, largest first (ties: lower index first).
fn top(v: &[f64], n: usize) -> Vec<usize> {
    let mut ix: Vec<usize> = (0..v.len()).collect();
    ix.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
    ix.truncate(n);
    ix
}

/// Pooled ROC AUC: the probability that a random positive pair outscores a random negative
/// one (ties count half). 0.5 when a class is missing.
pub fn auc(scores: &Array2<f64>, truth: &Array2<bool>) -> f64 {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(truth.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut pos, mut i) = (0.0, 0usize, 0usize);
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        let mid_rank = (i + j + 1) as f64 / 2.0; // 1-based average rank of the tie group
        for p in &pairs[i..j] {
            if p.1 {
                rank_sum += mid_rank;
                pos += 1;
            }
        }
        i = j;
    }
    let neg = pairs.len() - pos;
    if pos == 0 || neg == 0 {
        return 0.5;
    }
    (rank_sum - (pos * (pos + 1)) as f64 / 2.0) / (pos as f64 * neg as f64)
}

/// Mean of (hits among the top `n` scored categories) / `n` over users with a positive.
pub fn precision_at(scores: &Array2<f64>, truth: &Array2<bool>, n: usize) -> f64 {
    let mut total = 0.0;
    let mut users = 0usize;
    for (s, t) in scores.rows().into_iter().zip(truth.rows()) {
        if !t.iter().any(|&v| v) {
            continue;
        }
        let s = s.to_vec();
        total += top(&s, n).iter().filter(|&&c| t[c]).count() as f64 / n as f64;
        users += 1;
    }
    if users == 0 {
        0.0
    } else {
        total / users as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn auc_matches_the_rank_definition() {
        let s = array![[0.9, 0.1], [0.4, 0.6]];
        let t = array![[true, false], [false, true]];
        assert_eq!(auc(&s, &t), 1.0);
        let tied = array![[0.5, 0.5], [0.5, 0.5]];
        assert_eq!(auc(&tied, &t), 0.5);
        // sklearn.metrics.roc_auc_score([1, 0, 1, 0], [0.8, 0.7, 0.3, 0.2]) == 0.75
        assert_eq!(auc(&array![[0.8, 0.7, 0.3, 0.2]], &array![[true, false, true, false]]), 0.75);
    }

    #[test]
    fn precision_counts_hits_in_the_top_three_of_users_with_a_positive() {
        let s = array![[0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.5, 0.5]];
        let t = array![[true, false, false, true], [true, false, false, false], [false, false, false, false]];
        // user 0: 1 hit of 3; user 1: 0 of 3; user 2 has no positive and is skipped
        assert!((precision_at(&s, &t, 3) - (1.0 / 3.0) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn prediction_beats_popularity_on_the_demo_and_is_stored() {
        let mut p = crate::testkit::demo_store(3);
        // A few stray events years before the store's history must not empty the windows.
        p.conn()
            .execute_batch("INSERT INTO events(ts,user_id,product_id,kind,session,import_id) SELECT 1569924000 + rowid, 'stray' || rowid, product_id, 'view', '', import_id FROM events LIMIT 3")
            .unwrap();
        let params = crate::segments::SegmentParams { k: crate::segments::KChoice::Fixed(6), ..Default::default() }.check().unwrap();
        let trained = crate::segments::train(&mut p, &params, &mut crate::progress::ignore).unwrap();
        let r = trained.prediction.expect("the demo has enough history");
        assert!(r.auc > r.baseline_auc + 0.02, "AUC {} vs popularity {}", r.auc, r.baseline_auc);
        assert!(r.precision_at_3 > r.baseline_precision_at_3, "P@3 {} vs {}", r.precision_at_3, r.baseline_precision_at_3);
        assert!(r.cut_train < r.cut_test);
        let stored: i64 = p.conn().query_row("SELECT count(DISTINCT user_id) FROM user_interests", [], |r| r.get(0)).unwrap();
        assert_eq!(stored as u32, trained.users, "every user gets top interests (stray ones too)");
        let seg = &trained.segments[0];
        let interests = segment_interests(&p, seg.id).unwrap();
        assert!(!interests.is_empty() && interests.windows(2).all(|w| w[0].1 >= w[1].1));
    }
}
