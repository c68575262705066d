//! Real-time assignment: fold a user's new events into their running feature state and give
//! the segment and top predicted interests at once, without touching the store.
//!
//! An [`Assigner`] holds what the newest segment model stored: the [`Featurizer`] (spec, the
//! training matrix's scale, category price levels), the final segments' centroids in
//! standardised space, and the serving interest model's per-category logistic coefficients.
//! Observing an event is O(1); assigning costs one standardised row (tens of features), k
//! distances and one dot product per category — microseconds (`make bench` prints p50/p99).

use ndarray::Array2;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::SegmentError;
use crate::features::user::{Featurizer, LiveEvent, UserState};
use crate::interest::CategoryModel;
use crate::store::Project;

/// A user's segment and likeliest next categories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub segment_id: i64,
    pub name_en: String,
    pub name_zh: String,
    /// Up to three (category, probability), likeliest first. Empty without a prediction.
    pub interests: Vec<(String, f64)>,
}

/// The newest model, ready to assign users one at a time.
pub struct Assigner {
    model_id: i64,
    featurizer: Featurizer,
    centroids: Array2<f64>,
    /// (segment id, English name, Chinese name) per centroid row.
    segments: Vec<(i64, String, String)>,
    interests: Vec<CategoryModel>,
}

impl Assigner {
    /// Load the newest segment model (and its newest interest model, if any). `None` when no
    /// model is stored, or it predates stored centroids (retrain).
    pub fn load(project: &Project) -> Result<Option<Assigner>, SegmentError> {
        Self::load_model(project, None)
    }

    /// Load segment model `model_id` (the newest when `None`), like [`Assigner::load`].
    pub fn load_model(project: &Project, model_id: Option<i64>) -> Result<Option<Assigner>, SegmentError> {
        let conn = project.conn();
        let row: Option<(i64, String, String)> = conn
            .query_row("SELECT id, featurizer, centroids FROM segment_models WHERE ?1 IS NULL OR id = ?1 ORDER BY id DESC LIMIT 1", [model_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((model_id, featurizer, centroids)) = row else { return Ok(None) };
        let Ok(featurizer) = serde_json::from_str::<Featurizer>(&featurizer) else { return Ok(None) };
        let rows: Vec<Vec<f64>> = serde_json::from_str(&centroids).unwrap_or_default();
        let d = featurizer.spec.columns.len();
        if rows.is_empty() || rows.iter().any(|r| r.len() != d) {
            return Ok(None);
        }
        let centroids = Array2::from_shape_vec((rows.len(), d), rows.concat()).map_err(|e| SegmentError::KMeans(e.to_string()))?;
        let segments: Vec<(i64, String, String)> = conn
            .prepare("SELECT id, name_en, name_zh FROM segments WHERE model_id = ?1 ORDER BY label")?
            .query_map([model_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        if segments.len() != centroids.nrows() {
            return Ok(None);
        }
        let interests: Vec<CategoryModel> = conn
            .query_row("SELECT coefficients FROM interest_models WHERE segment_model_id = ?1 ORDER BY id DESC LIMIT 1", [model_id], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|j| serde_json::from_str(&j).ok())
            .filter(|m: &Vec<CategoryModel>| m.iter().all(|c| c.weights.is_empty() || c.weights.len() == d))
            .unwrap_or_default();
        Ok(Some(Assigner { model_id, featurizer, centroids, segments, interests }))
    }

    /// The segment model's id.
    pub fn model_id(&self) -> i64 {
        self.model_id
    }

    /// The featurizer (spec, scale, price levels) of the model.
    pub fn featurizer(&self) -> &Featurizer {
        &self.featurizer
    }

    /// The final segments' centroids in standardised space, one row per segment (label order).
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }

    /// (segment id, English name, Chinese name) per centroid row.
    pub fn segments(&self) -> &[(i64, String, String)] {
        &self.segments
    }

    /// The serving interest model's per-category coefficients (empty without one).
    pub fn interests(&self) -> &[CategoryModel] {
        &self.interests
    }

    /// An empty state for a new user.
    pub fn new_state(&self) -> UserState {
        UserState::new(self.featurizer.spec.categories.len())
    }

    /// Fold one event into `state` (O(1)).
    pub fn observe(&self, state: &mut UserState, e: &LiveEvent) {
        self.featurizer.observe(state, e);
    }

    /// Segment and top interests of `state` as of `now`.
    pub fn assign(&self, state: &UserState, now: i64) -> Assignment {
        self.assign_row(&self.featurizer.row(state, now))
    }

    /// Segment (nearest centroid, the first on a tie) and top interests (probability, then
    /// category name) of one standardised row `x`.
    pub fn assign_row(&self, x: &[f64]) -> Assignment {
        let nearest = (0..self.centroids.nrows()).map(|j| (j, self.centroids.row(j).iter().zip(x).map(|(c, v)| (c - v) * (c - v)).sum::<f64>())).min_by(|a, b| a.1.total_cmp(&b.1)).map_or(0, |b| b.0);
        let mut interests: Vec<(String, f64)> = self.interests.iter().map(|m| (m.category.clone(), m.probability(x))).collect();
        interests.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        interests.truncate(3);
        let (segment_id, en, zh) = &self.segments[nearest];
        Assignment { segment_id: *segment_id, name_en: en.clone(), name_zh: zh.clone(), interests }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::ingest::writer::EventKind;
    use crate::segments::{train, KChoice, SegmentParams};

    /// Every user's state, replayed event by event from the store (time order).
    fn replay(p: &Project, a: &Assigner) -> (HashMap<String, UserState>, i64) {
        let mut states: HashMap<String, UserState> = HashMap::new();
        let mut stmt = p
            .conn()
            .prepare("SELECT e.user_id, e.kind, p.category, e.ts, COALESCE(e.price_cents, p.price_cents), e.session, p.brand FROM events e JOIN products p ON p.id = e.product_id ORDER BY e.ts, e.id")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut end = 0;
        while let Some(r) = rows.next().unwrap() {
            let (user, kind, cat, session, brand): (String, String, String, String, String) = (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap(), r.get(5).unwrap(), r.get(6).unwrap());
            let ts: i64 = r.get(3).unwrap();
            end = end.max(ts);
            let e = LiveEvent { ts, kind: EventKind::from_stored(&kind), category: &cat, price_cents: r.get(4).unwrap(), session: &session, brand: &brand };
            let s = states.entry(user).or_insert_with(|| a.new_state());
            a.observe(s, &e);
        }
        (states, end)
    }

    fn trained_demo() -> Project {
        let mut p = crate::testkit::demo_store(3);
        let params = SegmentParams { k: KChoice::Fixed(6), ..Default::default() }.check().unwrap();
        train(&mut p, &params, &mut crate::progress::ignore).unwrap();
        p
    }

    #[test]
    fn incremental_features_equal_the_batch_matrix_and_assignment_matches_training() {
        let p = trained_demo();
        let a = Assigner::load(&p).unwrap().expect("model with centroids");
        let (states, end) = replay(&p, &a);
        let m = crate::features::build(&p, 14.0).unwrap();
        for (i, user) in m.users.iter().enumerate() {
            let row = a.featurizer.row(&states[user], end);
            let worst = row.iter().zip(m.data.row(i)).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(worst < 1e-9, "{user}: off by {worst}");
        }
        let stored: HashMap<String, i64> =
            p.conn().prepare("SELECT user_id, segment_id FROM user_segments").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let same = states.iter().filter(|(u, s)| a.assign(s, end).segment_id == stored[*u]).count();
        assert!(same * 100 >= states.len() * 97, "{same} of {} users keep their trained segment", states.len());
        let top: HashMap<String, String> =
            p.conn().prepare("SELECT user_id, category FROM user_interests WHERE rank = 1").unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let agree = states.iter().filter(|(u, s)| a.assign(s, end).interests.first().map(|i| &i.0) == top.get(*u)).count();
        assert!(agree * 100 >= states.len() * 99, "{agree} of {} top interests agree with the stored prediction", states.len());
    }

    #[test]
    fn new_events_move_a_user_toward_what_they_now_buy() {
        let p = trained_demo();
        let a = Assigner::load(&p).unwrap().unwrap();
        let (states, end) = replay(&p, &a);
        let kids_prob = |x: &Assignment| x.interests.iter().find(|i| i.0 == "kids").map_or(0.0, |i| i.1);
        // Every 100th user (in id order) outside the kids segment starts buying for kids.
        let mut users: Vec<(&String, &UserState)> = states.iter().collect();
        users.sort_by(|x, y| x.0.cmp(y.0));
        let mut moved = 0;
        for (user, state) in users.into_iter().step_by(100) {
            let before = a.assign(state, end);
            if before.name_zh.contains("母婴") {
                continue;
            }
            let mut s = state.clone();
            for i in 0..60 {
                let e = LiveEvent { ts: end + i * 60, kind: if i % 3 == 0 { EventKind::Purchase } else { EventKind::Cart }, category: "kids", price_cents: 9900, session: "live", brand: "" };
                a.observe(&mut s, &e);
            }
            let after = a.assign(&s, end + 3_600);
            assert!(after.name_zh.contains("母婴"), "{user}: {before:?} → {after:?}");
            assert!(after.interests.iter().any(|i| i.0 == "kids") && kids_prob(&after) > kids_prob(&before), "{user}: {before:?} → {after:?}");
            moved += 1;
        }
        assert!(moved >= 10, "{moved} users checked");
    }

    #[test]
    fn no_model_means_no_assigner() {
        assert!(Assigner::load(&Project::open_in_memory().unwrap()).unwrap().is_none());
    }
}
