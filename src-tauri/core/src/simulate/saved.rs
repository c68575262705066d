//! Simulation runs in the project (tables `simulation_runs`, `simulation_points`; migration v9):
//! parameters, status, the exact checkpoint, headline totals, and chart aggregates per point,
//! so runs can be listed, compared, re-opened and resumed. The impression log is never stored.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::run::{Checkpoint, Run, RunParams};
use super::SimulateError;
use crate::store::{now_text, Project};

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Paused,
    Stopped,
    Done,
}

impl RunStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Paused => "paused",
            RunStatus::Stopped => "stopped",
            RunStatus::Done => "done",
        }
    }

    fn parse(s: &str) -> RunStatus {
        match s {
            "running" => RunStatus::Running,
            "paused" => RunStatus::Paused,
            "stopped" => RunStatus::Stopped,
            _ => RunStatus::Done,
        }
    }

    /// Whether a run in this status may be continued (paused, or running when the app quit).
    pub fn can_resume(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Paused)
    }
}

/// A stored run without its checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunRecord {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub status: RunStatus,
    pub policy: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub planned: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub served: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub uniform_clicks: u64,
    pub regret: f64,
    /// The response model the run used: `calibrated-obd-v1` or `custom` (its numbers are in
    /// `params.model`).
    pub model: String,
    pub params: RunParams,
    pub simulated: bool,
}

/// A stored chart aggregate (all segments).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredPoint {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub uniform_clicks: u64,
    pub regret: f64,
    pub uniform_regret: f64,
}

/// Store a new run of campaign `campaign_id` (status `status`, or `done` when it is); its id.
/// The run's name is one line ([`crate::names::check_line`]).
/// Errors: `name` with a control character ([`SimulateError::BadName`], `invalid_input`); store
/// errors (e.g. an unknown campaign).
pub fn create(project: &mut Project, campaign_id: i64, name: &str, run: &Run, status: RunStatus) -> Result<i64, SimulateError> {
    crate::names::check_line("simulation run name", name)?;
    let p = run.params();
    let now = now_text();
    project.conn().execute(
        "INSERT INTO simulation_runs(campaign_id, name, created_at, updated_at, status, policy, seed, planned, params, checkpoint) VALUES (?1, ?2, ?3, ?3, 'paused', ?4, ?5, ?6, ?7, '{}')",
        rusqlite::params![campaign_id, name.trim(), now, p.policy.name(), p.seed as i64, p.impressions as i64, serde_json::to_string(p)?],
    )?;
    let id = project.conn().last_insert_rowid();
    save(project, id, run, status)?;
    Ok(id)
}

/// Replace run `run_id`'s checkpoint, totals and points with `run`'s, and set its status
/// (`done` whenever the run is). Errors: [`SimulateError::RunNotFound`], store errors.
pub fn save(project: &mut Project, run_id: i64, run: &Run, status: RunStatus) -> Result<(), SimulateError> {
    let status = if run.is_done() { RunStatus::Done } else { status };
    let t = run.totals();
    let checkpoint = serde_json::to_string(&run.checkpoint())?;
    let tx = project.conn_mut().transaction()?;
    let n = tx.execute(
        "UPDATE simulation_runs SET updated_at = ?2, status = ?3, served = ?4, clicks = ?5, uniform_clicks = ?6, regret = ?7, checkpoint = ?8 WHERE id = ?1",
        rusqlite::params![run_id, now_text(), status.as_str(), t.impressions as i64, t.clicks as i64, t.uniform_clicks as i64, t.regret, checkpoint],
    )?;
    if n == 0 {
        return Err(SimulateError::RunNotFound(run_id));
    }
    tx.execute("DELETE FROM simulation_points WHERE run_id = ?1", [run_id])?;
    {
        let mut ins = tx.prepare("INSERT INTO simulation_points(run_id, impressions, clicks, uniform_clicks, regret, uniform_regret) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let k = run.scenario().arms.len();
        let now = run.current_point();
        let last_recorded = run.history().points.last().map(|p| p.impressions);
        let extra = (last_recorded != Some(now.impressions)).then_some(&now);
        for p in run.history().points.iter().chain(extra) {
            let (c, u, r, ur) = p.totals(k, None);
            ins.execute(rusqlite::params![run_id, p.impressions as i64, c as i64, u as i64, r, ur])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Set the status of run `run_id`. Errors: [`SimulateError::RunNotFound`], store errors.
pub fn set_status(project: &Project, run_id: i64, status: RunStatus) -> Result<(), SimulateError> {
    let n = project.conn().execute("UPDATE simulation_runs SET status = ?2, updated_at = ?3 WHERE id = ?1", rusqlite::params![run_id, status.as_str(), now_text()])?;
    if n == 0 {
        return Err(SimulateError::RunNotFound(run_id));
    }
    Ok(())
}

const COLUMNS: &str = "id, campaign_id, name, created_at, updated_at, status, policy, seed, planned, served, clicks, uniform_clicks, regret, params";

fn record(r: &rusqlite::Row) -> rusqlite::Result<RunRecord> {
    let params: String = r.get(13)?;
    let parsed: RunParams = serde_json::from_str(&params).map_err(|e| rusqlite::Error::FromSqlConversionFailure(13, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(RunRecord {
        id: r.get(0)?,
        campaign_id: r.get(1)?,
        name: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        status: RunStatus::parse(&r.get::<_, String>(5)?),
        policy: r.get(6)?,
        seed: r.get::<_, i64>(7)? as u64,
        planned: r.get::<_, i64>(8)? as u64,
        served: r.get::<_, i64>(9)? as u64,
        clicks: r.get::<_, i64>(10)? as u64,
        uniform_clicks: r.get::<_, i64>(11)? as u64,
        regret: r.get(12)?,
        model: if parsed.model_name.is_empty() { parsed.model.name().to_string() } else { parsed.model_name.clone() },
        params: parsed,
        simulated: true,
    })
}

/// Run `run_id` without its checkpoint. Errors: [`SimulateError::RunNotFound`], store errors.
pub fn get(project: &Project, run_id: i64) -> Result<RunRecord, SimulateError> {
    project.conn().query_row(&format!("SELECT {COLUMNS} FROM simulation_runs WHERE id = ?1"), [run_id], record).optional()?.ok_or(SimulateError::RunNotFound(run_id))
}

/// Re-open run `run_id` exactly as last saved. Errors: [`SimulateError::RunNotFound`],
/// `BadCheckpoint`/`Json` for an unreadable checkpoint, store errors.
pub fn load(project: &Project, run_id: i64) -> Result<(RunRecord, Run), SimulateError> {
    let rec = get(project, run_id)?;
    let text: String = project.conn().query_row("SELECT checkpoint FROM simulation_runs WHERE id = ?1", [run_id], |r| r.get(0))?;
    let cp: Checkpoint = serde_json::from_str(&text)?;
    Ok((rec, Run::restore(cp)?))
}

/// The runs of campaign `campaign_id`, oldest first.
pub fn list(project: &Project, campaign_id: i64) -> Result<Vec<RunRecord>, SimulateError> {
    let mut stmt = project.conn().prepare(&format!("SELECT {COLUMNS} FROM simulation_runs WHERE campaign_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([campaign_id], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every run of the project, oldest first.
pub fn list_all(project: &Project) -> Result<Vec<RunRecord>, SimulateError> {
    let mut stmt = project.conn().prepare(&format!("SELECT {COLUMNS} FROM simulation_runs ORDER BY id"))?;
    let rows = stmt.query_map([], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored chart aggregates of run `run_id`, by impressions (empty for an unknown run).
pub fn points(project: &Project, run_id: i64) -> Result<Vec<StoredPoint>, SimulateError> {
    let mut stmt = project.conn().prepare("SELECT impressions, clicks, uniform_clicks, regret, uniform_regret FROM simulation_points WHERE run_id = ?1 ORDER BY impressions")?;
    let rows = stmt.query_map([run_id], |r| {
        Ok(StoredPoint { impressions: r.get::<_, i64>(0)? as u64, clicks: r.get::<_, i64>(1)? as u64, uniform_clicks: r.get::<_, i64>(2)? as u64, regret: r.get(3)?, uniform_regret: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Run a fresh simulation of campaign `campaign_id` with `params` to its end, headless, and
/// store it as run `name` with status `done`; its id. The same [`Run`] the app's live loop
/// serves, so the run shows on the dashboard, in comparisons and in the export's simulated CTR.
/// Errors: `params` out of range (`BadParam`, `invalid_input`), a campaign without variants
/// (`NoVariants`), a bad `name` (`BadName`), store errors.
pub fn run_to_end(project: &mut Project, campaign_id: i64, name: &str, params: RunParams) -> Result<i64, SimulateError> {
    crate::names::check_line("simulation run name", name)?;
    let mut run = Run::from_campaign(project, campaign_id, params.check()?)?;
    while !run.is_done() {
        run.advance(u64::MAX);
    }
    create(project, campaign_id, name, &run, RunStatus::Done)
}

/// Latest simulated CTR per variant of a campaign, from its newest stored run (table
/// `simulation_runs`) that has served anything: the learning policy's clicks per impression
/// over all segments (the generic control is not a variant and is left out). Empty when no such
/// run exists.
/// Errors: store errors, or an unreadable checkpoint (as a conversion failure).
pub fn latest_ctr(project: &Project, campaign_id: i64) -> rusqlite::Result<std::collections::HashMap<i64, f64>> {
    let newest: Option<i64> = project.conn().query_row("SELECT id FROM simulation_runs WHERE campaign_id = ?1 AND served > 0 ORDER BY id DESC LIMIT 1", [campaign_id], |r| r.get(0)).optional()?;
    let Some(run_id) = newest else { return Ok(Default::default()) };
    let (_, run) = load(project, run_id).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))?;
    let k = run.scenario().arms.len();
    let mut cells = vec![(0u64, 0u64); k];
    for (i, c) in run.counts().iter().enumerate() {
        cells[i % k].0 += c.clicks;
        cells[i % k].1 += c.impressions;
    }
    Ok(run.scenario().arms.iter().zip(cells).filter(|(a, (_, n))| *n > 0 && !a.generic).map(|(a, (c, n))| (a.variant_id, c as f64 / n as f64)).collect())
}

/// Delete run `run_id` and its points. Errors: [`SimulateError::RunNotFound`], store errors.
pub fn delete(project: &Project, run_id: i64) -> Result<(), SimulateError> {
    if project.conn().execute("DELETE FROM simulation_runs WHERE id = ?1", [run_id])? == 0 {
        return Err(SimulateError::RunNotFound(run_id));
    }
    Ok(())
}
