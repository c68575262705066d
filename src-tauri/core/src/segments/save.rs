//! Profiling, naming and storing a labelling of the users as a new segment model, and reading
//! stored segments back.

use super::{naming, profile, row_of, Project, SegmentError, SegmentRow};
use crate::features::FeatureMatrix;
use crate::store::now_text;

/// What a stored model records besides its segments.
pub(super) struct ModelMeta<'a> {
    /// Clusters before merging (label values are below it).
    pub k_total: usize,
    pub seed: u64,
    pub inertia: f64,
    pub silhouettes: &'a [(u32, f64)],
}

/// A stored model: its id and segments, largest first.
pub(super) struct Saved {
    pub model_id: i64,
    pub rows: Vec<SegmentRow>,
}

/// Profile, name and store `labels` (one per row of `m`, values below `meta.k_total`) as a new
/// model in one transaction; empty clusters are skipped and the rest relabelled 0.. by size,
/// largest first.
pub(super) fn store_model(project: &mut Project, m: &FeatureMatrix, labels: &[usize], meta: ModelMeta) -> Result<Saved, SegmentError> {
    let n = m.users.len();
    let mut sizes: Vec<(usize, usize)> = (0..meta.k_total).map(|c| (c, labels.iter().filter(|&&l| l == c).count())).filter(|x| x.1 > 0).collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let members: Vec<Vec<usize>> = sizes.iter().map(|&(c, _)| (0..n).filter(|&i| labels[i] == c).collect()).collect();
    let prices = profile::prices_seen(project, &m.users, &members)?;
    let brands = profile::top_brands(project, &m.users, &members)?;
    let profiles: Vec<profile::Profile> =
        members.iter().zip(&prices).zip(brands).map(|((ix, &ap), top_brands)| profile::Profile { top_brands, ..profile::profile(&m.stats, ix, &m.spec.categories, ap) }).collect();
    let names = naming::names(&profiles, &profile::Population::of(&m.stats));

    // Centroids of the final segments, for real-time assignment.
    let centroids: Vec<Vec<f64>> = members
        .iter()
        .map(|ix| {
            let mut c = vec![0.0; m.data.ncols()];
            ix.iter().for_each(|&i| c.iter_mut().zip(m.data.row(i)).for_each(|(a, v)| *a += v / ix.len() as f64));
            c
        })
        .collect();
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO segment_models(created_at,k,seed,users,inertia,feature_spec,silhouette,featurizer,centroids) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
        rusqlite::params![
            now_text(),
            members.len() as i64,
            meta.seed as i64,
            n as i64,
            meta.inertia,
            serde_json::to_string(&m.spec).expect("spec json"),
            serde_json::to_string(meta.silhouettes).expect("silhouette json"),
            serde_json::to_string(&m.featurizer()).expect("featurizer json"),
            serde_json::to_string(&centroids).expect("centroids json")
        ],
    )?;
    let model_id = tx.last_insert_rowid();
    let mut rows = Vec::new();
    {
        let mut seg = tx.prepare("INSERT INTO segments(model_id,label,name_en,name_zh,size,profile) VALUES (?1,?2,?3,?4,?5,?6)")?;
        let mut us = tx.prepare("INSERT INTO user_segments(model_id,user_id,segment_id) VALUES (?1,?2,?3)")?;
        let mut uf = tx.prepare("INSERT INTO user_features(model_id,user_id,features) VALUES (?1,?2,?3)")?;
        for (label, (ix, prof)) in members.iter().zip(&profiles).enumerate() {
            let (en, zh) = &names[label];
            seg.execute(rusqlite::params![model_id, label as i64, en, zh, ix.len() as i64, serde_json::to_string(prof).expect("profile json")])?;
            let sid = tx.last_insert_rowid();
            for &i in ix {
                us.execute(rusqlite::params![model_id, m.users[i], sid])?;
                let row: Vec<f64> = m.data.row(i).iter().map(|x| (x * 1e4).round() / 1e4).collect();
                uf.execute(rusqlite::params![model_id, m.users[i], serde_json::to_string(&row).expect("row json")])?;
            }
            rows.push(row_of(sid, label as u32, en, zh, prof));
        }
    }
    tx.commit()?;
    Ok(Saved { model_id, rows })
}

/// Segments of the newest model, largest first. Empty when none trained yet.
pub fn latest(project: &Project) -> rusqlite::Result<Vec<SegmentRow>> {
    let mut stmt = project.conn().prepare("SELECT id, label, name_en, name_zh, profile FROM segments WHERE model_id = (SELECT max(id) FROM segment_models) ORDER BY label")?;
    let rows = stmt.query_map([], |r| {
        let prof: String = r.get(4)?;
        let prof: profile::Profile = serde_json::from_str(&prof).map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
        Ok(row_of(r.get(0)?, r.get::<_, i64>(1)? as u32, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?, &prof))
    })?;
    rows.collect()
}

/// The stored profile of one segment.
pub fn profile_of(project: &Project, segment_id: i64) -> rusqlite::Result<profile::Profile> {
    let s: String = project.conn().query_row("SELECT profile FROM segments WHERE id = ?1", [segment_id], |r| r.get(0))?;
    serde_json::from_str(&s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}
