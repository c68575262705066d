//! The Spark job's output computed by the studio itself, on the events in a project: the
//! reference the Spark run is compared with, and a features file made without Spark.
//!
//! Raw features come from [`crate::features::build_window`] over the model's categories (the
//! same code as `studio features --raw`); they are standardised with the model's stored scale
//! and assigned with [`Assigner::assign_row`], as real-time assignment does.

use super::{SparkError, SparkModel};
use crate::features::{self, Window};
use crate::segments::realtime::{Assigner, Assignment};
use crate::store::Project;

/// One user of the job's output.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputRow {
    pub user_id: String,
    /// Raw features in spec column order.
    pub raw: Vec<f64>,
    /// The segment's label in the model.
    pub label: u32,
    pub assignment: Assignment,
}

/// Every user with events in `project`, scored by model `model_id` (newest when `None`), in
/// the order [`features::build_window`] lists users.
///
/// Errors: no model; store failure.
pub fn output(project: &Project, model_id: Option<i64>) -> Result<(SparkModel, Vec<OutputRow>), SparkError> {
    let model = SparkModel::load(project, model_id)?;
    let a = Assigner::load_model(project, Some(model.model_id))?.ok_or_else(|| SparkError::NoModel(model.model_id.to_string()))?;
    let spec = &model.featurizer.spec;
    let m = features::build_window(project, &Window { half_life_days: spec.half_life_days, until: None, categories: Some(spec.categories.clone()) })?;
    let mut rows = Vec::with_capacity(m.users.len());
    for (i, user) in m.users.iter().enumerate() {
        let raw = features::user::raw_row(&m.stats[i]);
        let z: Vec<f64> = raw.iter().zip(&model.featurizer.scale).map(|(&v, &(mean, sd))| if sd > 0.0 { (v - mean) / sd } else { 0.0 }).collect();
        let assignment = a.assign_row(&z);
        let label = model.segments.iter().find(|s| s.id == assignment.segment_id).map_or(0, |s| s.label);
        rows.push(OutputRow { user_id: user.clone(), raw, label, assignment });
    }
    Ok((model, rows))
}

/// Write `rows` as a features file (CSV) that `studio import --features` reads: the columns of
/// the Spark job's `features/` output.
pub fn write_csv(model: &SparkModel, rows: &[OutputRow], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["user_id".to_string(), "spec_version".to_string()];
    header.extend(model.featurizer.spec.columns.iter().cloned());
    header.extend(["segment", "segment_id"].map(String::from));
    for k in 1..=3 {
        header.push(format!("interest_{k}"));
        header.push(format!("interest_{k}_probability"));
    }
    crate::csv_cell::write_row(&mut w, &header)?;
    for r in rows {
        let mut rec = vec![r.user_id.clone(), model.featurizer.spec.version.to_string()];
        rec.extend(r.raw.iter().map(|v| format!("{v:?}")));
        rec.push(r.label.to_string());
        rec.push(r.assignment.segment_id.to_string());
        for k in 0..3 {
            match r.assignment.interests.get(k) {
                Some((c, p)) => rec.extend([c.clone(), format!("{p:?}")]),
                None => rec.extend([String::new(), String::new()]),
            }
        }
        crate::csv_cell::write_row(&mut w, &rec)?;
    }
    w.flush()
}
