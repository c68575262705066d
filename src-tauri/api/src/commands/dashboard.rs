//! The manager dashboard: a campaign's numbers and charts, chart/CSV export, and imports of
//! real performance reports.

use std::path::PathBuf;

use serde::Serialize;
use studio_core::copy::Lang;
use studio_core::dashboard::performance::{self, PerformanceImport, RemovedReport};
use studio_core::dashboard::ReportRef;
use studio_core::dashboard::{self, charts, ChartKind, Dashboard, ExportFormat};
use studio_core::report::{self, ReportParams, ReportSummary};

use crate::commands::profiles::actor;
use crate::error::ApiResult;
use crate::state::AppState;

/// The dashboard of a campaign with its charts drawn in `lang`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DashboardView {
    pub dashboard: Dashboard,
    /// SVG documents in [`ChartKind::ALL`] order.
    pub charts: Vec<DashboardChartSvg>,
}

/// One chart of the dashboard, to be shown at its size (1×: text ≥ 13 px).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DashboardChartSvg {
    pub kind: ChartKind,
    pub svg: String,
    pub width: u32,
    pub height: u32,
}

/// Numbers and charts of campaign `campaign_id`.
pub async fn campaign_dashboard(state: &AppState, campaign_id: i64, lang: Lang) -> ApiResult<DashboardView> {
    state
        .with_project(move |p| {
            let dashboard = dashboard::build(p, campaign_id)?;
            let charts = ChartKind::ALL
                .iter()
                .map(|&kind| {
                    let (width, height) = charts::size(&dashboard, kind);
                    Ok(DashboardChartSvg { kind, svg: charts::svg(&dashboard, kind, lang)?, width, height })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(DashboardView { dashboard, charts })
        })
        .await
}

/// Write one chart (PNG/SVG) or the numbers behind it (CSV) to `path`.
pub async fn export_dashboard(state: &AppState, campaign_id: i64, kind: ChartKind, format: ExportFormat, lang: Lang, path: PathBuf) -> ApiResult<()> {
    state.with_project(move |p| Ok(dashboard::export(p, campaign_id, kind, format, lang, &path)?)).await
}

/// Write campaign `campaign_id`'s report (PDF, A4, labels in `lang`) to `path`.
pub async fn export_report(state: &AppState, campaign_id: i64, lang: Lang, path: PathBuf) -> ApiResult<ReportSummary> {
    state.with_project(move |p| Ok(report::write(p, ReportParams { campaign_id, lang }.check(p)?, &path)?)).await
}

/// Import a real performance report (`ad_id,impressions,clicks,conversions[,date][,cost]`).
pub async fn import_performance(state: &AppState, campaign_id: i64, path: PathBuf) -> ApiResult<PerformanceImport> {
    state.with_project(move |p| Ok(performance::import(p, campaign_id, &path)?)).await
}

/// The performance reports imported into campaign `campaign_id`, oldest first.
pub async fn list_performance_reports(state: &AppState, campaign_id: i64) -> ApiResult<Vec<ReportRef>> {
    state.with_project(move |p| Ok(performance::list_reports(p, campaign_id)?)).await
}

/// Remove performance report `report_id` and its rows as the signed-in profile (marketers and
/// admins; logged in the audit log). A project without profiles removes it ungated.
pub async fn remove_performance_report(state: &AppState, report_id: i64) -> ApiResult<RemovedReport> {
    let who = state.profile_id();
    state
        .with_project(move |p| {
            // Nobody signed in: the core refuses (`forbidden`) once the project has profiles.
            let acting = who.map(|_| actor(p, who)).transpose()?;
            Ok(performance::remove_report(p, acting.as_ref(), report_id)?)
        })
        .await
}
