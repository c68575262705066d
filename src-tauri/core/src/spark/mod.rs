//! Beyond one machine: the feature and scoring pipeline as a Spark job, and projects built from
//! the per-user aggregates it returns.
//!
//! - [`emit`] writes, from a stored segment model, the Spark SQL script ([`sql`]), a small
//!   PySpark driver (`studio_driver.py`, spark-submit-able: checks the input's schema, runs the
//!   script, writes the features file and one audience list per segment in the formats of the
//!   export's `audiences/`) and `studio_model.json` (what the driver needs besides the SQL).
//! - [`import`] loads such a features file (Parquet or CSV) into a project as a new segment
//!   model of per-user aggregates, without raw events, in one transaction.
//!
//! The features are the studio's own ([`crate::features`]): the integration test
//! `spark_equals_studio` runs the emitted job in Spark local mode and compares every user's
//! raw features (1e-9), segment and top interests with the studio's.

pub mod file;
pub mod import;
pub mod local;
pub mod sql;

use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::error::{ErrorCode, HasCode};
use crate::features::user::Featurizer;
use crate::interest::CategoryModel;
use crate::segments::realtime::Assigner;
use crate::segments::SegmentError;
use crate::store::Project;

/// The documented input table `events`: (column, Spark type, what it holds). `session` is
/// optional (no sessions: every user counts one).
pub const INPUT_COLUMNS: [(&str, &str, &str); 8] = [
    ("user_id", "STRING", "the shop's user id (an integer id is read as its decimal text)"),
    ("item_id", "STRING", "the product id (not a feature input; kept for the shop's joins)"),
    ("category", "STRING", "the product's top-level category key, as the studio imports it"),
    ("brand", "STRING", "the product's brand ('' or NULL: none)"),
    ("price", "DOUBLE", "unit price in currency units (rounded to cents)"),
    ("kind", "STRING", "view, cart, fav or purchase (anything else: other)"),
    ("ts", "BIGINT", "event time, Unix seconds (UTC)"),
    ("session", "STRING", "optional: the session id"),
];

/// Files [`emit`] writes.
pub const SQL_FILE: &str = "studio_features.sql";
pub const DRIVER_FILE: &str = "studio_driver.py";
pub const MODEL_FILE: &str = "studio_model.json";

/// The driver, verbatim (model-specific values come from [`MODEL_FILE`] and the SQL).
pub const DRIVER: &str = include_str!("studio_driver.py");

/// Spark generation and features-file import errors.
#[derive(Debug, Error)]
pub enum SparkError {
    #[error("no segment model {0}: train segments first (studio segment), or name a stored model with --model")]
    NoModel(String),
    #[error("the segment model cannot be written as Spark SQL: {0}")]
    BadModel(String),
    #[error("feature spec column {0:?} has no Spark SQL expression (this studio does not know that feature)")]
    UnknownFeature(String),
    #[error("feature spec version {found} does not match version {expected} of the model")]
    SpecVersion { found: u32, expected: u32 },
    #[error("{file}: the feature columns do not match segment model {model}'s: {detail}")]
    FeatureNames { file: String, model: i64, detail: String },
    #[error("{file}, row {row}, column {column}: {reason}")]
    BadValue { file: String, row: u64, column: String, reason: String },
    #[error("{file}: {reason}")]
    BadFile { file: String, reason: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("segment model: {0}")]
    Segment(#[from] SegmentError),
    #[error("store error: {0}")]
    Store(#[from] rusqlite::Error),
}

impl HasCode for SparkError {
    fn code(&self) -> ErrorCode {
        match self {
            SparkError::NoModel(_) => ErrorCode::NotFound,
            SparkError::UnknownFeature(_) | SparkError::SpecVersion { .. } | SparkError::FeatureNames { .. } | SparkError::BadValue { .. } | SparkError::BadFile { .. } => ErrorCode::InvalidInput,
            SparkError::BadModel(_) => ErrorCode::Conflict,
            SparkError::Write { source, .. } | SparkError::Read { source, .. } => crate::error::io_code(source),
            SparkError::Segment(e) => e.code(),
            SparkError::Store(e) => crate::error::sqlite_code(e),
        }
    }
}

/// One segment of the model, as the job names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentRef {
    pub id: i64,
    pub label: u32,
    pub name_en: String,
    /// `seg<label>-<name slug>`: the audience files' name stem, as the export names them.
    pub key: String,
}

/// What the Spark job needs of a stored segment model.
#[derive(Debug, Clone)]
pub struct SparkModel {
    pub model_id: i64,
    pub featurizer: Featurizer,
    /// One row per segment, in label order.
    pub centroids: Vec<Vec<f64>>,
    pub segments: Vec<SegmentRef>,
    pub interests: Vec<CategoryModel>,
}

impl SparkModel {
    /// Load segment model `model_id` (the newest when `None`).
    ///
    /// Errors: no such model, or one stored before centroids were ([`SparkError::NoModel`]).
    pub fn load(project: &Project, model_id: Option<i64>) -> Result<SparkModel, SparkError> {
        let what = model_id.map_or_else(|| "in this project".to_string(), |m| m.to_string());
        let a = Assigner::load_model(project, model_id)?.ok_or(SparkError::NoModel(what))?;
        let labels: Vec<u32> = project.conn().prepare("SELECT label FROM segments WHERE model_id = ?1 ORDER BY label")?.query_map([a.model_id()], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let segments = a.segments().iter().zip(labels).map(|((id, en, _), label)| SegmentRef { id: *id, label, name_en: en.clone(), key: crate::export::names::segment_part(label, en) }).collect();
        Ok(SparkModel {
            model_id: a.model_id(),
            featurizer: a.featurizer().clone(),
            centroids: a.centroids().rows().into_iter().map(|r| r.to_vec()).collect(),
            segments,
            interests: a.interests().to_vec(),
        })
    }
}

/// `studio_model.json`: what the driver reads besides the SQL.
#[derive(Debug, Clone, Serialize)]
pub struct DriverConfig {
    pub model_id: i64,
    pub spec_version: u32,
    pub columns: Vec<String>,
    pub segments: Vec<SegmentRef>,
    pub min_audience: u32,
    /// (column, Spark type) of the input; `session` optional.
    pub input: Vec<(String, String)>,
}

/// What [`emit`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Emitted {
    pub model_id: i64,
    pub spec_version: u32,
    pub columns: usize,
    pub segments: usize,
    pub interest_categories: usize,
    pub files: Vec<PathBuf>,
}

/// Write the Spark SQL script, the driver and its config for model `model_id` (newest when
/// `None`) into `out` (created; the three files replaced).
///
/// Errors: no model, a model the generator cannot express, write failure.
pub fn emit(project: &Project, model_id: Option<i64>, out: &Path) -> Result<Emitted, SparkError> {
    let m = SparkModel::load(project, model_id)?;
    let script = sql::script(&m)?;
    let config = DriverConfig {
        model_id: m.model_id,
        spec_version: m.featurizer.spec.version,
        columns: m.featurizer.spec.columns.clone(),
        segments: m.segments.clone(),
        min_audience: crate::export::audiences::DEFAULT_MIN_AUDIENCE,
        input: INPUT_COLUMNS.iter().map(|(c, t, _)| (c.to_string(), t.to_string())).collect(),
    };
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, SparkError> {
        let path = out.join(name);
        std::fs::write(&path, bytes).map_err(|source| SparkError::Write { path: path.display().to_string(), source })?;
        Ok(path)
    };
    std::fs::create_dir_all(out).map_err(|source| SparkError::Write { path: out.display().to_string(), source })?;
    let files = vec![write(SQL_FILE, script.as_bytes())?, write(DRIVER_FILE, DRIVER.as_bytes())?, write(MODEL_FILE, serde_json::to_string_pretty(&config).expect("config json").as_bytes())?];
    Ok(Emitted { model_id: m.model_id, spec_version: config.spec_version, columns: config.columns.len(), segments: m.segments.len(), interest_categories: m.interests.len(), files })
}

#[cfg(test)]
mod tests;
