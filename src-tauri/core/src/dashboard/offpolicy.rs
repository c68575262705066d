//! Off-policy estimates kept for a campaign's dashboard (table `ope_results`, migration v11).
//! Evaluation itself happens over a logs file ([`crate::ope`]); this stores its outcome, one
//! row per estimator, so the dashboard can list it "where logs exist".

use super::data::OpeRow;
use super::DashboardError;
use crate::campaign;
use crate::ope::OpeReport;
use crate::store::{now_text, Project};

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Store `report`'s estimates (IPW, SNIPW, DR: value and bootstrap interval, n = logged rows)
/// for campaign `campaign_id` in one transaction; the stored rows. The logs path is stored
/// absolute when the file exists (as given otherwise); a NaN estimate is stored as NULL. Errors: [`DashboardError::CampaignNotFound`], store errors.
pub fn store(project: &mut Project, campaign_id: i64, report: &OpeReport) -> Result<Vec<OpeRow>, DashboardError> {
    campaign::get(project, campaign_id)?;
    let now = now_text();
    let logs = std::fs::canonicalize(&report.logs).map_or_else(|_| report.logs.clone(), |p| p.display().to_string());
    let tx = project.conn_mut().transaction()?;
    let mut ids = Vec::new();
    for e in &report.estimates {
        tx.execute(
            "INSERT INTO ope_results(campaign_id, logs_path, policy, estimator, value, low, high, n, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![campaign_id, logs, report.policy, e.estimator.as_str(), finite(e.value), finite(e.ci_lower), finite(e.ci_upper), report.rows as i64, now],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    tx.commit()?;
    Ok(list(project, campaign_id)?.into_iter().filter(|r| ids.contains(&r.id)).collect())
}

/// The off-policy estimates stored for campaign `campaign_id`, oldest first.
pub fn list(project: &Project, campaign_id: i64) -> Result<Vec<OpeRow>, DashboardError> {
    let mut stmt = project.conn().prepare("SELECT id, logs_path, policy, estimator, value, low, high, n, created_at FROM ope_results WHERE campaign_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([campaign_id], |r| {
        Ok(OpeRow {
            id: r.get(0)?,
            logs_path: r.get(1)?,
            policy: r.get(2)?,
            estimator: r.get(3)?,
            value: r.get(4)?,
            low: r.get(5)?,
            high: r.get(6)?,
            n: r.get::<_, i64>(7)? as u64,
            created_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
