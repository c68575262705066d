//! `studio import --features FILE`: per-user aggregates (the Spark job's features file, Parquet
//! or CSV) and segment labels into a project, as a new segment model — without raw events.
//!
//! The file's columns: `user_id`, `spec_version`, every column of the model's feature spec
//! (raw values, as `studio features --raw` writes them), `segment` (the model's label), and
//! optionally `segment_id` and `interest_1..3` with `interest_k_probability`. The model is the
//! source project's (the target itself unless another is given), newest unless named.
//!
//! Checked before anything is written, with names: the spec version of every row, the feature
//! columns (missing and unexpected ones listed), each value (finite numbers, known segment
//! labels and interest categories, probabilities in [0, 1], no repeated user). Then one
//! transaction writes the model (the source's featurizer, centroids and names), its segments
//! with profiles computed from the aggregates, every user's segment and standardised row, the
//! interest model's coefficients and each user's top interests, and `project_kind` in
//! `project_meta` (`aggregates` when the project holds no events). A refused file changes nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::file::{self, Cell};
use super::{SparkError, SparkModel};
use crate::features::{UserStats, AFFINITY_PREFIX};
use crate::segments::profile;
use crate::store::{now_text, Project};

/// `project_meta` key of the project's kind: `events` (imported behaviour) or `aggregates`
/// (per-user aggregates from a features file, no events).
pub const KIND_KEY: &str = "project_kind";
/// Columns besides the features.
const FIXED: [&str; 4] = ["user_id", "spec_version", "segment", "segment_id"];

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeaturesImport {
    pub file: String,
    pub users: u64,
    /// The new segment model.
    pub model_id: i64,
    /// The model whose spec and centroids it uses.
    pub source_model_id: i64,
    pub segments: usize,
    /// Users with top interests stored.
    pub users_with_interests: u64,
    /// `events` or `aggregates`.
    pub project_kind: String,
}

struct UserRow {
    id: String,
    raw: Vec<f64>,
    label: u32,
    interests: Vec<(String, f64)>,
}

/// The stored kind of `project`: `aggregates` once a features file was imported into it
/// without events, else `events`.
pub fn project_kind(project: &Project) -> rusqlite::Result<String> {
    use rusqlite::OptionalExtension;
    let kind: Option<String> = project.conn().query_row("SELECT value FROM project_meta WHERE key = ?1", [KIND_KEY], |r| r.get(0)).optional()?;
    Ok(kind.unwrap_or_else(|| "events".into()))
}

/// Import `path` into `project`, over model `model_id` (newest when `None`) of `source` (the
/// project itself when `None`).
///
/// Errors: no model; file unreadable; spec version, feature names or a value that does not
/// match (named, nothing written); store failure.
pub fn import_features(project: &mut Project, source: Option<&Project>, model_id: Option<i64>, path: &Path) -> Result<FeaturesImport, SparkError> {
    let src: &Project = match source {
        Some(s) => s,
        None => project,
    };
    let model = SparkModel::load(src, model_id)?;
    let (report, coefficients) = interest_json(src, model.model_id)?;
    let (names_zh, seed) = zh_names(src, model.model_id)?;
    let fname = path.display().to_string();
    let spec = &model.featurizer.spec;
    let labels: HashMap<u32, usize> = model.segments.iter().enumerate().map(|(i, s)| (s.label, i)).collect();
    let categories: HashSet<&str> = model.interests.iter().map(|c| c.category.as_str()).collect();

    let pos: std::cell::OnceCell<HashMap<String, usize>> = std::cell::OnceCell::new();
    let mut rows: Vec<UserRow> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let bad = |row: u64, column: &str, reason: String| SparkError::BadValue { file: fname.clone(), row, column: column.to_string(), reason };
    file::read(
        path,
        &mut |cols| {
            let pos = pos.get_or_init(|| cols.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect());
            let missing: Vec<&str> = FIXED[..3].iter().copied().chain(spec.columns.iter().map(String::as_str)).filter(|c| !pos.contains_key(*c)).collect();
            let known = |c: &str| FIXED.contains(&c) || spec.columns.iter().any(|s| s == c) || (1..=3).any(|k| c == format!("interest_{k}") || c == format!("interest_{k}_probability"));
            let unexpected: Vec<&str> = cols.iter().map(String::as_str).filter(|c| !known(c)).collect();
            if missing.is_empty() && unexpected.is_empty() {
                return Ok(());
            }
            let mut detail = Vec::new();
            if !missing.is_empty() {
                detail.push(format!("missing {}", missing.join(", ")));
            }
            if !unexpected.is_empty() {
                detail.push(format!("not in the model's spec: {}", unexpected.join(", ")));
            }
            Err(SparkError::FeatureNames { file: fname.clone(), model: model.model_id, detail: detail.join("; ") })
        },
        &mut |n, cells| {
            let get = |c: &str| pos.get().and_then(|p| p.get(c)).and_then(|&i| cells.get(i)).unwrap_or(&Cell::Null);
            let version = get("spec_version").number();
            if version != Some(f64::from(spec.version)) {
                let found = version.map_or_else(|| "none".to_string(), |v| v.to_string());
                return Err(bad(n, "spec_version", format!("feature spec version {found} does not match segment model {}'s version {}", model.model_id, spec.version)));
            }
            let id = get("user_id").text().ok_or_else(|| bad(n, "user_id", "no user id".into()))?;
            if !seen.insert(id.clone()) {
                return Err(bad(n, "user_id", format!("user {id:?} appears twice")));
            }
            let raw: Vec<f64> =
                spec.columns.iter().map(|c| get(c).number().filter(|v| v.is_finite()).ok_or_else(|| bad(n, c, format!("{:?} is not a finite number", get(c))))).collect::<Result<_, _>>()?;
            let label = get("segment")
                .number()
                .filter(|v| v.fract() == 0.0 && *v >= 0.0 && labels.contains_key(&(*v as u32)))
                .ok_or_else(|| bad(n, "segment", format!("{:?} is not a segment label of model {}", get("segment"), model.model_id)))? as u32;
            let mut interests = Vec::new();
            for k in 1..=3 {
                let (cat_col, p_col) = (format!("interest_{k}"), format!("interest_{k}_probability"));
                let Some(cat) = get(&cat_col).text() else { continue };
                if !categories.contains(cat.as_str()) {
                    return Err(bad(n, &cat_col, format!("{cat:?} is not a category of the model's interest prediction")));
                }
                let p = get(&p_col).number().filter(|p| (0.0..=1.0).contains(p)).ok_or_else(|| bad(n, &p_col, format!("{:?} is not a probability", get(&p_col))))?;
                interests.push((cat, p));
            }
            rows.push(UserRow { id, raw, label, interests });
            Ok(())
        },
    )?;
    if rows.is_empty() {
        return Err(SparkError::BadFile { file: fname, reason: "it holds no user".into() });
    }
    store(project, &model, &rows, &names_zh, seed, report.zip(coefficients), &fname)
}

/// The newest interest model's (report, coefficients) JSON of segment model `model_id`.
fn interest_json(p: &Project, model_id: i64) -> rusqlite::Result<(Option<String>, Option<String>)> {
    use rusqlite::OptionalExtension;
    let r: Option<(String, String)> =
        p.conn().query_row("SELECT report, coefficients FROM interest_models WHERE segment_model_id = ?1 ORDER BY id DESC LIMIT 1", [model_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(r.map_or((None, None), |(a, b)| (Some(a), Some(b))))
}

/// Chinese segment names by label, and the model's seed.
fn zh_names(p: &Project, model_id: i64) -> rusqlite::Result<(HashMap<u32, String>, i64)> {
    let names = p.conn().prepare("SELECT label, name_zh FROM segments WHERE model_id = ?1")?.query_map([model_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let seed = p.conn().query_row("SELECT seed FROM segment_models WHERE id = ?1", [model_id], |r| r.get(0))?;
    Ok((names, seed))
}

/// A user's stats as far as the raw features tell them (favs and brands are not in them).
fn stats_of(columns: &[String], categories: &[String], raw: &[f64]) -> UserStats {
    let v = |name: &str| columns.iter().position(|c| c == name).map_or(0.0, |i| raw[i]);
    let count = |name: &str| v(name).exp_m1().round().max(0.0);
    UserStats {
        views: count("log_views"),
        carts: count("log_carts"),
        favs: 0.0,
        purchases: count("log_purchases"),
        spend_cents: (v("log_spend").exp_m1() * 100.0).max(0.0),
        price_index: v("price_index"),
        recency_days: v("recency_days"),
        sessions: count("log_sessions"),
        affinity: categories.iter().map(|c| v(&format!("{AFFINITY_PREFIX}{c}")) / 2.0).collect(),
        brand_loyalty: v("brand_loyalty"),
        day_parts: [v("share_night"), v("share_morning"), v("share_afternoon"), v("share_evening")],
        weekend: v("share_weekend"),
    }
}

fn store(project: &mut Project, m: &SparkModel, rows: &[UserRow], names_zh: &HashMap<u32, String>, seed: i64, interest: Option<(String, String)>, fname: &str) -> Result<FeaturesImport, SparkError> {
    let f = &m.featurizer;
    let stats: Vec<UserStats> = rows.iter().map(|r| stats_of(&f.spec.columns, &f.spec.categories, &r.raw)).collect();
    let z = |r: &UserRow| -> Vec<f64> { r.raw.iter().zip(&f.scale).map(|(&v, &(mean, sd))| if sd > 0.0 { (v - mean) / sd } else { 0.0 }).collect() };
    let seg_index: HashMap<u32, usize> = m.segments.iter().enumerate().map(|(i, s)| (s.label, i)).collect();
    let members: Vec<Vec<usize>> = m.segments.iter().map(|s| (0..rows.len()).filter(|&i| rows[i].label == s.label).collect()).collect();
    let inertia: f64 = rows.iter().map(|r| z(r).iter().zip(&m.centroids[seg_index[&r.label]]).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()).sum();
    let profiles: Vec<profile::Profile> = members
        .iter()
        .map(|ix| {
            let mut p = profile::profile(&stats, ix, &f.spec.categories, None);
            p.price_note = Some("prices are not in per-user aggregates (a features file)".into());
            p
        })
        .collect();
    let had_events: i64 = project.conn().query_row("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)", [], |r| r.get(0))?;
    let kind = if had_events > 0 { "events" } else { "aggregates" };
    let tx = project.conn_mut().transaction()?;
    tx.execute(
        "INSERT INTO segment_models(created_at,k,seed,users,inertia,feature_spec,silhouette,featurizer,centroids) VALUES (?1,?2,?3,?4,?5,?6,'[]',?7,?8)",
        rusqlite::params![
            now_text(),
            m.segments.len() as i64,
            seed,
            rows.len() as i64,
            inertia,
            serde_json::to_string(&f.spec).expect("spec json"),
            serde_json::to_string(f).expect("featurizer json"),
            serde_json::to_string(&m.centroids).expect("centroids json")
        ],
    )?;
    let model_id = tx.last_insert_rowid();
    let mut with_interests = 0u64;
    {
        let mut seg = tx.prepare("INSERT INTO segments(model_id,label,name_en,name_zh,size,profile) VALUES (?1,?2,?3,?4,?5,?6)")?;
        let mut us = tx.prepare("INSERT INTO user_segments(model_id,user_id,segment_id) VALUES (?1,?2,?3)")?;
        let mut uf = tx.prepare("INSERT INTO user_features(model_id,user_id,features) VALUES (?1,?2,?3)")?;
        let mut ids = Vec::new();
        for ((s, ix), prof) in m.segments.iter().zip(&members).zip(&profiles) {
            let zh = names_zh.get(&s.label).cloned().unwrap_or_else(|| s.name_en.clone());
            seg.execute(rusqlite::params![model_id, s.label, s.name_en, zh, ix.len() as i64, serde_json::to_string(prof).expect("profile json")])?;
            ids.push(tx.last_insert_rowid());
        }
        for r in rows {
            us.execute(rusqlite::params![model_id, r.id, ids[seg_index[&r.label]]])?;
            let row: Vec<f64> = z(r).iter().map(|x| (x * 1e4).round() / 1e4).collect();
            uf.execute(rusqlite::params![model_id, r.id, serde_json::to_string(&row).expect("row json")])?;
        }
        if let Some((report, coefficients)) = interest {
            tx.execute("INSERT INTO interest_models(segment_model_id, created_at, report, coefficients) VALUES (?1, ?2, ?3, ?4)", rusqlite::params![model_id, now_text(), report, coefficients])?;
            let im = tx.last_insert_rowid();
            let mut ins = tx.prepare("INSERT INTO user_interests(model_id, user_id, rank, category, probability) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for r in rows.iter().filter(|r| !r.interests.is_empty()) {
                with_interests += 1;
                for (rank, (c, p)) in r.interests.iter().enumerate() {
                    ins.execute(rusqlite::params![im, r.id, rank as i64 + 1, c, p])?;
                }
            }
        }
    }
    tx.execute("INSERT OR REPLACE INTO project_meta(key, value) VALUES (?1, ?2)", [KIND_KEY, kind])?;
    tx.commit()?;
    Ok(FeaturesImport {
        file: fname.to_string(),
        users: rows.len() as u64,
        model_id,
        source_model_id: m.model_id,
        segments: m.segments.len(),
        users_with_interests: with_interests,
        project_kind: kind.to_string(),
    })
}
