//! Live simulation runs: start / resume a task that streams frames over a Channel, steer it
//! (pause, resume, stop, speed, watched segment), list, re-open, compare and export charts.

use std::path::PathBuf;

use studio_core::simulate::compare::{self, ChartFormat, Comparison};
use studio_core::simulate::live::{self, Live};
use studio_core::simulate::{saved, ChartKind, LiveCommand, LiveFrame, RunParams, RunRecord, Scenario, Scope};

use crate::dto::SimulationSetup;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Events};

/// Drive `live` on tokio's blocking pool until it is done, stopped, or the window stops
/// listening (then it is saved paused and the task ends: nothing runs on unseen).
fn spawn(state: &AppState, live: Live, events: Events) {
    let run_id = live.run_id();
    state.add_live_run(run_id, live.control());
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let ended = live::drive(&state.project(), live, &mut |f| events.send(&f));
        if let Err(e) = ended {
            // The run stays as last saved; the window sees its status in the run list.
            eprintln!("simulation run {run_id} failed: {e}");
        }
        state.end_live_run(run_id);
    });
}

/// The audience and variants a run of the campaign would serve, and default parameters.
pub async fn simulation_setup(state: &AppState, campaign_id: i64) -> ApiResult<SimulationSetup> {
    state.with_project(move |p| Ok(SimulationSetup { scenario: Scenario::from_campaign(p, campaign_id, None)?, params: RunParams::default(), max_speed: live::MAX_SPEED })).await
}

/// Store a new run and start serving it at `speed` impressions/s (0: full speed); frames
/// stream to `events`. Returns the stored run at once.
pub async fn start_simulation(state: &AppState, campaign_id: i64, name: String, params: RunParams, speed: u64, events: Events) -> ApiResult<RunRecord> {
    let (live, record) = state
        .with_project(move |p| {
            let live = Live::start(p, campaign_id, &name, params, speed)?;
            let record = saved::get(p, live.run_id())?;
            Ok((live, record))
        })
        .await?;
    spawn(state, live, events);
    Ok(record)
}

/// Continue stored run `run_id` (paused, or cut off when the app quit). A run still live in
/// this window is just resumed (its frames keep going to the first channel).
pub async fn resume_simulation(state: &AppState, run_id: i64, speed: u64, events: Events) -> ApiResult<RunRecord> {
    if let Some(control) = state.live_run(run_id) {
        control.set_speed(speed)?;
        control.send(LiveCommand::Resume);
        return state.with_project(move |p| Ok(saved::get(p, run_id)?)).await;
    }
    let (live, record) = state.with_project(move |p| Ok((Live::reopen(p, run_id, speed)?, saved::get(p, run_id)?))).await?;
    spawn(state, live, events);
    Ok(record)
}

/// Steer live run `run_id`: a command, a new speed and/or the watched scope. Stopping a run
/// that is not live marks it stopped; anything else needs a live run (`not_found`).
pub async fn control_simulation(state: &AppState, run_id: i64, command: Option<LiveCommand>, speed: Option<u64>, scope: Option<Scope>) -> ApiResult<()> {
    match state.live_run(run_id) {
        Some(control) => {
            if let Some(speed) = speed {
                control.set_speed(speed)?;
            }
            if let Some(scope) = scope {
                control.set_scope(scope);
            }
            if let Some(command) = command {
                control.send(command);
            }
            Ok(())
        }
        None if command == Some(LiveCommand::Stop) => state.with_project(move |p| Ok(saved::set_status(p, run_id, studio_core::simulate::RunStatus::Stopped)?)).await,
        None => Err(ApiError::new(studio_core::ErrorCode::NotFound, format!("simulation run {run_id} is not running in this window; resume it first"))),
    }
}

/// The stored runs of a campaign, oldest first.
pub async fn list_simulation_runs(state: &AppState, campaign_id: i64) -> ApiResult<Vec<RunRecord>> {
    state.with_project(move |p| Ok(saved::list(p, campaign_id)?)).await
}

/// A stored run as last saved, drawn for `scope`.
pub async fn simulation_frame(state: &AppState, run_id: i64, scope: Scope) -> ApiResult<LiveFrame> {
    state.with_project(move |p| Ok(live::stored_frame(p, run_id, scope)?)).await
}

/// Several runs side by side.
pub async fn compare_simulation_runs(state: &AppState, run_ids: Vec<i64>) -> ApiResult<Comparison> {
    state.with_project(move |p| Ok(compare::compare(p, &run_ids)?)).await
}

/// Write one chart of a run to `path` (PNG or SVG).
pub async fn export_simulation_chart(state: &AppState, run_id: i64, kind: ChartKind, scope: Scope, format: ChartFormat, path: PathBuf) -> ApiResult<()> {
    state.with_project(move |p| Ok(compare::export_chart(p, run_id, kind, scope, format, &path)?)).await
}

/// Write the comparison chart of runs to `path` (PNG or SVG).
pub async fn export_simulation_comparison(state: &AppState, run_ids: Vec<i64>, format: ChartFormat, path: PathBuf) -> ApiResult<()> {
    state.with_project(move |p| Ok(compare::export_comparison(p, &run_ids, format, &path)?)).await
}

/// Delete a stored run (not a live one: stop it first).
pub async fn delete_simulation_run(state: &AppState, run_id: i64) -> ApiResult<()> {
    if state.live_run(run_id).is_some() {
        return Err(ApiError::new(studio_core::ErrorCode::Conflict, format!("simulation run {run_id} is running; stop it before deleting it")));
    }
    state.with_project(move |p| Ok(saved::delete(p, run_id)?)).await
}
