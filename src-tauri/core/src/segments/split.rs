//! Splitting one segment of the newest model in two (offered when it holds most users).

use std::collections::HashMap;

use super::{dominant, features, kmeans, save, Project, SegmentError, TrainReport, ValidSegmentParams};
use crate::error::{keyed_text, KeyedText};
use crate::features::FeatureSpec;

/// Store a new model equal to the newest one except that segment `segment_id` is divided by
/// 2-means (seeded by `params`) over its members' features; every other user keeps their
/// segment. Both halves must have at least `params`' minimum size. Returns the new model's
/// report (no k choice or stability: the other segments are unchanged).
///
/// Errors: `NotFound` when the segment is not in the newest model; `CannotSplit` when the
/// halves would be too small or the events changed since the model was trained; store errors.
pub fn split(project: &mut Project, params: &ValidSegmentParams, segment_id: i64) -> Result<TrainReport, SegmentError> {
    let p = &params.0;
    let found: Option<(i64, String)> = {
        use rusqlite::OptionalExtension;
        project
            .conn()
            .query_row(
                "SELECT s.model_id, m.feature_spec FROM segments s JOIN segment_models m ON m.id = s.model_id WHERE s.id = ?1 AND s.model_id = (SELECT max(id) FROM segment_models)",
                [segment_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
    };
    let (model_id, spec) = found.ok_or(SegmentError::NotFound(segment_id))?;
    let spec: FeatureSpec = serde_json::from_str(&spec).map_err(|e| SegmentError::KMeans(format!("stored feature spec: {e}")))?;
    let m = features::build(project, spec.half_life_days)?;
    let cannot = |reason: KeyedText| SegmentError::CannotSplit { segment: segment_id, reason };
    let mut of_user: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = project.conn().prepare("SELECT user_id, segment_id FROM user_segments WHERE model_id = ?1")?;
        let mut rows = stmt.query([model_id])?;
        while let Some(r) = rows.next()? {
            of_user.insert(r.get(0)?, r.get(1)?);
        }
    }
    if of_user.len() != m.users.len() || m.users.iter().any(|u| !of_user.contains_key(u)) {
        return Err(cannot(keyed_text!("split.events_changed"; "the events changed since these segments were trained; train again first")));
    }
    let mut ids: Vec<i64> = of_user.values().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut labels: Vec<usize> = m.users.iter().map(|u| ids.binary_search(&of_user[u]).expect("listed")).collect();
    let target = ids.binary_search(&segment_id).expect("segment of the model");
    let members: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == target).collect();
    let min_size = p.min_size.max(1);
    if members.len() < 2 * min_size {
        return Err(cannot(
            keyed_text!("split.too_small"; "it has {users} users; two segments of at least {min_size} need {needed}", users = members.len(), min_size = min_size, needed = 2 * min_size),
        ));
    }
    let rows = m.data.select(ndarray::Axis(0), &members);
    let (halves, _, inertia) = kmeans(&rows, 2, p.seed)?;
    let second = halves.iter().filter(|&&h| h == 1).count();
    let smaller = second.min(members.len() - second);
    if smaller < min_size {
        return Err(cannot(keyed_text!("split.uneven"; "the best split leaves {smaller} users on one side, under the minimum of {min_size}", smaller = smaller, min_size = min_size)));
    }
    members.iter().zip(&halves).filter(|(_, &h)| h == 1).for_each(|(&i, _)| labels[i] = ids.len());
    let saved = save::store_model(project, &m, &labels, save::ModelMeta { k_total: ids.len() + 1, seed: p.seed, inertia, silhouettes: &[] })?;
    let (prediction, prediction_note) = match crate::interest::train(project, saved.model_id, &m) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(TrainReport {
        model_id: saved.model_id,
        k: saved.rows.len() as u32,
        users: m.users.len() as u32,
        seed: p.seed,
        inertia,
        silhouette: Vec::new(),
        k_stability: Vec::new(),
        k_reason: format!("segment {segment_id} ({} users) split in two ({} + {})", members.len(), members.len() - second, second),
        min_size: min_size as u32,
        merged: 0,
        dominant_segment: dominant(&saved.rows),
        segments: saved.rows,
        stability: None,
        prediction,
        prediction_note,
    })
}
