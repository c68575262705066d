//! The Live screen: start and stop the decision service (`studio-serve`) inside the app, on the
//! app's tokio runtime; its URL and API key; its traffic ([`LiveStats`], the same core function
//! as `GET /v1/stats`); and a replay of simulated shoppers through its HTTP API.

use std::net::{IpAddr, Ipv4Addr};

use serde::Serialize;
use studio_core::decision::replay::ReplaySummary;
use studio_core::decision::{self, DecisionParams, LiveStats};
use studio_core::ErrorCode;
use studio_serve::ServeOptions;

use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, LiveService};

/// The running service as the Live screen shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LiveServiceInfo {
    #[ts(type = "number")]
    pub campaign_id: i64,
    /// Base URL, e.g. `http://127.0.0.1:8080`.
    pub url: String,
    /// The project's API key (`null` in a read-only project that has none yet). Required on
    /// rank, reward and activate only when the service listens on another address than loopback.
    pub api_key: Option<String>,
    pub key_required: bool,
    /// Decision log and checkpoint folder.
    pub log_dir: String,
}

fn not_running() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "the decision service is not running; start it on the Live screen")
}

/// Start serving campaign `campaign_id` on 127.0.0.1:`port` (0: any free port), logging to the
/// folder beside the project that `studio serve` uses by default.
///
/// Errors: `conflict` when a service already runs; the campaign, segment model and log
/// folder's errors; `io` when the port is taken.
pub async fn start_live_service(state: &AppState, campaign_id: i64, port: u16) -> ApiResult<LiveServiceInfo> {
    let mut slot = state.live_service().lock().await;
    if let Some(s) = slot.as_ref() {
        return Err(ApiError::new(ErrorCode::Conflict, format!("the decision service already runs at {}; stop it first", s.info.url)));
    }
    let (path, api_key) = state
        .with_project(|p| {
            let path = p.path().map(|x| x.to_path_buf()).ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, "an in-memory project cannot be served"))?;
            Ok((path, decision::api_key(p, false).ok()))
        })
        .await?;
    let decision = DecisionParams { campaign_id, ..Default::default() }.check()?;
    let log_dir = studio_serve::default_log_dir(&path, campaign_id);
    let bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let opts = ServeOptions { project: path, decision, bind, port, log_dir: log_dir.clone(), cors_origins: Vec::new() };
    let running = tokio::spawn(studio_serve::start(opts)).await.map_err(|e| ApiError::internal(format!("service task failed: {e}")))??;
    let info = LiveServiceInfo { campaign_id, url: format!("http://{}", running.addr), api_key, key_required: !bind.is_loopback(), log_dir: log_dir.display().to_string() };
    *slot = Some(LiveService { info: info.clone(), running });
    Ok(info)
}

/// Stop the service gracefully (requests in flight answered, log fsynced, policy
/// checkpointed). Stopping a stopped service does nothing.
pub async fn stop_live_service(state: &AppState) -> ApiResult<()> {
    let taken = state.live_service().lock().await.take();
    match taken {
        Some(s) => Ok(s.running.stop().await?),
        None => Ok(()),
    }
}

/// The running service, if any.
pub async fn live_service(state: &AppState) -> ApiResult<Option<LiveServiceInfo>> {
    Ok(state.live_service().lock().await.as_ref().map(|s| s.info.clone()))
}

/// The running service's traffic (`null` when none runs): the numbers of `GET /v1/stats`.
pub async fn live_service_stats(state: &AppState) -> ApiResult<Option<LiveStats>> {
    let slot = state.live_service().lock().await;
    Ok(slot.as_ref().map(|s| s.running.state.decider.lock().unwrap_or_else(|p| p.into_inner()).live_stats()))
}

/// Replace the project's API key and return the new one (a running service that requires a
/// key refuses the old one within a second).
pub async fn rotate_api_key(state: &AppState) -> ApiResult<String> {
    let key = state.with_project(|p| Ok(decision::api_key(p, true)?)).await?;
    if let Some(s) = state.live_service().lock().await.as_mut() {
        s.info.api_key = Some(key.clone());
    }
    Ok(key)
}

/// Drive `shoppers` simulated shoppers through the running service's HTTP API (counted as
/// simulated, apart from real traffic).
///
/// Errors: `not_found` when no service runs; `invalid_input` for a count out of range.
pub async fn replay_live_service(state: &AppState, shoppers: u64) -> ApiResult<ReplaySummary> {
    let (st, addr) = {
        let slot = state.live_service().lock().await;
        let s = slot.as_ref().ok_or_else(not_running)?;
        (std::sync::Arc::clone(&s.running.state), s.running.addr)
    };
    // Each replay draws other shoppers: seeded by the simulated traffic so far.
    let seed = 42 + st.decider.lock().unwrap_or_else(|p| p.into_inner()).live_stats().simulated.impressions;
    tokio::task::spawn_blocking(move || studio_serve::replay::replay(&st, addr, shoppers, seed)).await.map_err(|e| ApiError::internal(format!("replay failed: {e}")))?.map_err(ApiError::from)
}
