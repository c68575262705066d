use std::time::{Duration, Instant};

use studio_core::simulate::{SimFrame, SimParams, Simulation};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, PROGRESS_INTERVAL};

/// Steps per run; each step is followed by a short pause so the chart visibly evolves.
const STEPS: u32 = 40;
/// Wall-clock length of a run in the window (the maths is done in microseconds).
const RUN_TIME: Duration = Duration::from_millis(3000);

/// Run a simulated serving of a campaign's variants. Frames (with the chart) go to
/// `on_frame` about every 100 ms; the final frame is also returned. If the window goes away,
/// the run stops at the next frame instead of running on unseen.
#[tauri::command]
pub async fn run_simulation(state: State<'_, AppState>, campaign_id: i64, impressions: u64, seed: u64, on_frame: Channel<SimFrame>) -> ApiResult<SimFrame> {
    let params = SimParams { impressions, seed, steps: STEPS }.check()?;
    let mut sim = state.with_project(move |p| Ok(Simulation::new(p, campaign_id, params)?)).await?;
    let run = tauri::async_runtime::spawn(async move {
        let pause = RUN_TIME / STEPS;
        let mut last_sent = Instant::now() - PROGRESS_INTERVAL;
        while sim.step() {
            if last_sent.elapsed() >= PROGRESS_INTERVAL {
                last_sent = Instant::now();
                if on_frame.send(sim.frame(0)?).is_err() {
                    break; // window closed: stop, do not leak the task
                }
            }
            tokio::time::sleep(pause).await;
        }
        let last = sim.frame(0)?;
        let _ = on_frame.send(last.clone());
        Ok::<_, ApiError>((sim, last))
    });
    let (sim, mut last) = run.await.map_err(|e| ApiError::internal(format!("simulation task failed: {e}")))??;
    last.run_id = state.with_project(move |p| Ok(sim.save(p, campaign_id)?)).await?;
    Ok(last)
}
