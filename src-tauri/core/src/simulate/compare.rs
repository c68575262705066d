//! Several stored runs side by side, and charts written to files (PNG or SVG). Every figure
//! here is simulated and says so.

use crate::error::keyed_text;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::charts::{self, ChartKind, Scope};
use super::saved::{self, RunRecord};
use super::SimulateError;
use crate::chart::{self, Series};
use crate::store::Project;

/// Most runs in one comparison.
pub const MAX_COMPARED: usize = 10;
/// Size of exported and comparison charts, pixels.
pub const EXPORT_SIZE: (u32, u32) = (1200, 600);

/// One run's headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunSummary {
    pub record: RunRecord,
    /// Clicks per impression of the learning policy.
    pub ctr: f64,
    /// Clicks per impression of the paired uniform split on the same simulated users.
    pub uniform_ctr: f64,
    /// `ctr / uniform_ctr − 1`; `None` before the uniform split has a click.
    pub lift_over_uniform: Option<f64>,
}

/// Runs side by side: their figures and a chart of each policy's cumulative CTR.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comparison {
    pub runs: Vec<RunSummary>,
    pub chart_svg: String,
    pub simulated: bool,
}

/// A chart file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChartFormat {
    Svg,
    Png,
}

/// A record's headline figures.
pub fn summary(record: RunRecord) -> RunSummary {
    let per = |c: u64| if record.served == 0 { 0.0 } else { c as f64 / record.served as f64 };
    let (ctr, uniform_ctr) = (per(record.clicks), per(record.uniform_clicks));
    let lift_over_uniform = (record.uniform_clicks > 0).then(|| record.clicks as f64 / record.uniform_clicks as f64 - 1.0);
    RunSummary { record, ctr, uniform_ctr, lift_over_uniform }
}

type Lines = Vec<(String, Vec<(f64, f64)>)>;

/// The runs' summaries and their cumulative-CTR lines. Errors: as [`compare`].
fn gather(project: &Project, run_ids: &[i64]) -> Result<(Vec<RunSummary>, Lines), SimulateError> {
    if run_ids.is_empty() || run_ids.len() > MAX_COMPARED {
        return Err(SimulateError::bad("runs", keyed_text!("simparam.compare_count"; "choose 1–{max} runs to compare, got {value}", max = MAX_COMPARED, value = run_ids.len())));
    }
    let runs = run_ids.iter().map(|&id| saved::get(project, id).map(summary)).collect::<Result<Vec<_>, _>>()?;
    let lines = runs
        .iter()
        .map(|r| {
            let pts = saved::points(project, r.record.id)?.iter().filter(|p| p.impressions > 0).map(|p| (p.impressions as f64, p.clicks as f64 / p.impressions as f64)).collect();
            Ok((format!("#{} {} ({})", r.record.id, r.record.name, r.record.policy), pts))
        })
        .collect::<Result<Lines, SimulateError>>()?;
    Ok((runs, lines))
}

const TITLE: &str = "Simulated cumulative CTR per run · 模拟累计点击率（按运行）";
const X_LABEL: &str = "impressions (simulated) · 模拟曝光";
const Y_LABEL: &str = "CTR · 点击率";

/// Compare stored runs `run_ids` (1–[`MAX_COMPARED`], any campaigns). Errors: `BadParam("runs")`
/// for too few or many ids, `RunNotFound`, store and chart errors.
pub fn compare(project: &Project, run_ids: &[i64]) -> Result<Comparison, SimulateError> {
    let (runs, lines) = gather(project, run_ids)?;
    let series: Vec<Series> = lines.iter().map(|(l, p)| Series { label: l, points: p }).collect();
    let chart_svg = chart::line_svg(TITLE, X_LABEL, Y_LABEL, &series, charts::FRAME_SIZE)?;
    Ok(Comparison { runs, chart_svg, simulated: true })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), SimulateError> {
    std::fs::write(path, bytes).map_err(|source| SimulateError::Io { path: path.to_path_buf(), source })
}

/// Write chart `kind` of stored run `run_id` for `scope` to `path` as `format`
/// ([`EXPORT_SIZE`]). Errors: `RunNotFound`, `BadParam("scope")`, chart errors, `Io`.
pub fn export_chart(project: &Project, run_id: i64, kind: ChartKind, scope: Scope, format: ChartFormat, path: &Path) -> Result<(), SimulateError> {
    let (_, run) = saved::load(project, run_id)?;
    let bytes = match format {
        ChartFormat::Svg => charts::svg(&run, kind, scope, EXPORT_SIZE)?.into_bytes(),
        ChartFormat::Png => charts::png(&run, kind, scope, EXPORT_SIZE)?,
    };
    write(path, &bytes)
}

/// Write the comparison chart of `run_ids` to `path` as `format`. Errors: as [`compare`], `Io`.
pub fn export_comparison(project: &Project, run_ids: &[i64], format: ChartFormat, path: &Path) -> Result<(), SimulateError> {
    let (_, lines) = gather(project, run_ids)?;
    let series: Vec<Series> = lines.iter().map(|(l, p)| Series { label: l, points: p }).collect();
    let bytes = match format {
        ChartFormat::Svg => chart::line_svg(TITLE, X_LABEL, Y_LABEL, &series, EXPORT_SIZE)?.into_bytes(),
        ChartFormat::Png => chart::line_png(TITLE, X_LABEL, Y_LABEL, &series, EXPORT_SIZE)?,
    };
    write(path, &bytes)
}
