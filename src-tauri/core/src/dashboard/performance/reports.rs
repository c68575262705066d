//! The stored performance reports of a campaign: their summed figures, listing, and audited
//! removal.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::super::data::{real_cell, RealCell, ReportRef};
use super::super::DashboardError;
use crate::review::audit::{self, AuditAction, AuditEntity, AuditRecord};
use crate::review::{self, Action, Actor};
use crate::store::Project;

/// Real figures per variant of campaign `campaign_id`, summed over every imported report
/// (the import lets no figure be counted twice). Sums are exact (128-bit), whatever rows the
/// store holds (rows written before the import's range checks, or by other tools).
///
/// Errors: [`DashboardError::ImplausibleTotal`] (`invalid_input`) when a variant's figures
/// add up past what a count can hold (2^64 − 1) or its cost to no finite number, naming the
/// variant and the column; store errors.
pub fn totals(project: &Project, campaign_id: i64) -> Result<HashMap<i64, RealCell>, DashboardError> {
    let mut stmt = project.conn().prepare(
        "SELECT r.variant_id, r.impressions, r.clicks, r.conversions, r.cost
         FROM performance_rows r JOIN performance_reports p ON p.id = r.report_id
         WHERE p.campaign_id = ?1",
    )?;
    let mut sums: HashMap<i64, ([u128; 3], Option<f64>)> = HashMap::new();
    let mut rows = stmt.query([campaign_id])?;
    while let Some(r) = rows.next()? {
        let entry = sums.entry(r.get(0)?).or_default();
        for (i, sum) in entry.0.iter_mut().enumerate() {
            *sum += r.get::<_, i64>(i + 1)?.max(0) as u128;
        }
        if let Some(c) = r.get::<_, Option<f64>>(4)? {
            entry.1 = Some(entry.1.unwrap_or(0.0) + c);
        }
    }
    let mut out = HashMap::with_capacity(sums.len());
    for (variant_id, ([imp, clk, conv], cost)) in sums {
        let fit = |sum: u128, column: &'static str| u64::try_from(sum).map_err(|_| DashboardError::ImplausibleTotal { variant_id, column });
        if cost.is_some_and(|c| !c.is_finite()) {
            return Err(DashboardError::ImplausibleTotal { variant_id, column: "cost" });
        }
        out.insert(variant_id, real_cell(fit(imp, "impressions")?, fit(clk, "clicks")?, fit(conv, "conversions")?, cost));
    }
    Ok(out)
}

/// The performance reports imported into campaign `campaign_id`, oldest first (no check
/// that the campaign exists; see [`list_reports`]).
pub fn reports(project: &Project, campaign_id: i64) -> Result<Vec<ReportRef>, DashboardError> {
    let mut stmt = project.conn().prepare("SELECT id, file_name, sha256, rows_imported, rows_rejected, imported_at FROM performance_reports WHERE campaign_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([campaign_id], report_ref)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn report_ref(r: &rusqlite::Row) -> rusqlite::Result<ReportRef> {
    Ok(ReportRef { id: r.get(0)?, file_name: r.get(1)?, sha256: r.get(2)?, rows_imported: r.get::<_, i64>(3)? as u64, rows_rejected: r.get::<_, i64>(4)? as u64, imported_at: r.get(5)? })
}

/// The performance reports of campaign `campaign_id`, oldest first. Reading needs no actor.
/// Errors: [`DashboardError::CampaignNotFound`]; store errors.
pub fn list_reports(project: &Project, campaign_id: i64) -> Result<Vec<ReportRef>, DashboardError> {
    crate::campaign::get(project, campaign_id)?;
    reports(project, campaign_id)
}

/// A report that [`remove_report`] removed, as it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RemovedReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub report: ReportRef,
    /// Its stored rows, now deleted.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub rows_removed: u64,
}

/// Remove report `report_id` and its rows, and append an audit-log row (action
/// `remove_report`, entity the campaign, before-hash the report's SHA-256, detail naming the
/// report), all in one transaction. The same file may then be imported again.
///
/// Who: `actor`, authorised as [`Action::RemoveReport`] (marketers and admins, as for
/// importing). A project without profiles has no roles yet: `None` is accepted there and
/// logged as [`audit::NO_PROFILE`]; once it has profiles an actor is required.
///
/// Errors: `forbidden` (no actor in a project with profiles, a refused role, an inactive
/// profile), `not_found` (actor profile or report), store errors; on any error nothing changed.
pub fn remove_report(project: &mut Project, actor: Option<&Actor>, report_id: i64) -> Result<RemovedReport, DashboardError> {
    let actor = match actor {
        Some(a) => Some(review::authorize(project, a, Action::RemoveReport)?),
        None if review::profiles::any(project)? => return Err(DashboardError::ActorRequired),
        None => None,
    };
    let tx = project.conn_mut().transaction()?;
    let found = tx
        .query_row("SELECT id, file_name, sha256, rows_imported, rows_rejected, imported_at, campaign_id FROM performance_reports WHERE id = ?1", [report_id], |r| {
            Ok((report_ref(r)?, r.get::<_, i64>(6)?))
        })
        .optional()?;
    let (report, campaign_id) = found.ok_or(DashboardError::ReportNotFound(report_id))?;
    let rows_removed = tx.execute("DELETE FROM performance_rows WHERE report_id = ?1", [report_id])? as u64;
    tx.execute("DELETE FROM performance_reports WHERE id = ?1", [report_id])?;
    let detail = format!("removed performance report #{report_id} {:?} ({rows_removed} rows, imported {})", report.file_name, report.imported_at);
    match &actor {
        Some(actor) => audit::record(
            &tx,
            &AuditRecord { actor, action: AuditAction::RemoveReport, entity: AuditEntity::Campaign, entity_id: campaign_id, before_hash: Some(&report.sha256), after_hash: None, detail: &detail },
        )?,
        None => audit::record_without_profile(&tx, AuditAction::RemoveReport, AuditEntity::Campaign, campaign_id, Some(&report.sha256), &detail)?,
    };
    tx.commit()?;
    Ok(RemovedReport { campaign_id, report, rows_removed })
}
