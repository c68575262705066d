//! `studio serve`: the live decision service — [`studio_core::decision::Decider`] behind a
//! small versioned JSON API (axum on tokio). The CLI and the desktop app both start it with
//! [`run`]; every rule lives in the core, this crate only speaks HTTP.
//!
//! | route | what |
//! |---|---|
//! | `POST /v1/rank` | choose a creative for a shopper ([`studio_core::decision::RankRequest`]) |
//! | `POST /v1/events/{id}/reward` | `{"value": 1}`: a click (or a purchase value) |
//! | `POST /v1/events/{id}/activate` | a deferred rank was shown |
//! | `GET /v1/creatives/{file}` | a rendered creative (only files of servable variants) |
//! | `GET /v1/stats` | traffic per segment × variant, real and simulated apart ([`studio_core::decision::LiveStats`], the app's Live screen) |
//! | `GET /healthz`, `GET /metrics` | liveness; Prometheus text format |
//!
//! Security: binds to 127.0.0.1 unless told otherwise; on any other address rank, reward and
//! activate need the project's API key (`X-Api-Key` or `Authorization: Bearer`). Bodies over
//! [`BODY_LIMIT`] are refused; CORS only for the origins given. Every error is a JSON
//! `{code, message}` with a 4xx/5xx status.
//!
//! A rank sent with the header `X-Studio-Replay: 1` is simulated traffic ([`replay`]): flagged
//! `"Simulated": true` in the log and counted apart from real traffic.

mod metrics;
pub mod replay;
mod routes;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use studio_core::decision::{self, policy, Decider, DecisionError, ValidDecisionParams};
use studio_core::{HasCode, Keyed, Project};
use thiserror::Error;

pub use routes::router;

/// Largest request body accepted, bytes.
pub const BODY_LIMIT: usize = 64 * 1024;
/// How often the service looks for new or withdrawn approvals.
pub const RELOAD_EVERY: Duration = Duration::from_millis(500);
/// How often the learnt counts are checkpointed (and on a clean stop).
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

/// Service errors (start-up; request errors are [`DecisionError`]s turned into JSON).
#[derive(Debug, Error)]
pub enum ServeError {
    #[error(transparent)]
    Decision(#[from] DecisionError),
    #[error(transparent)]
    Store(#[from] studio_core::store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the service stopped: {0}")]
    Server(std::io::Error),
}

impl HasCode for ServeError {
    fn code(&self) -> studio_core::ErrorCode {
        match self {
            ServeError::Decision(e) => e.code(),
            ServeError::Store(e) => e.code(),
            ServeError::Bind { .. } | ServeError::Server(_) => studio_core::ErrorCode::Io,
        }
    }

    /// The core's keys, and `err.serve.bind` for an address in use (a port the user chose on the
    /// Live screen), so the window says it in its language.
    fn keyed(&self) -> Option<Keyed> {
        match self {
            ServeError::Decision(e) => e.keyed(),
            ServeError::Store(e) => e.keyed(),
            ServeError::Bind { addr, source } => Some(Keyed::new("err.serve.bind", [("addr", addr.to_string()), ("detail", source.to_string())])),
            ServeError::Server(_) => None,
        }
    }
}

/// The message keys this crate adds to the core's (`studio_core::messages::keys`).
pub const ERROR_KEYS: &[&str] = &["err.serve.bind"];

/// How to run the service.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub project: PathBuf,
    pub decision: ValidDecisionParams,
    pub bind: IpAddr,
    /// 0: any free port (the bound address is reported).
    pub port: u16,
    /// Decision log and checkpoint folder.
    pub log_dir: PathBuf,
    /// Origins allowed to call the API from a browser (exact `scheme://host[:port]`).
    pub cors_origins: Vec<String>,
}

/// Shared state of the handlers.
pub struct AppState {
    pub decider: Mutex<Decider>,
    pub metrics: metrics::Metrics,
    /// Required on rank/reward/activate when set (any bind other than loopback). The key in
    /// force: replaced within [`RELOAD_EVERY`] when the project's key is rotated, so the old
    /// one stops working without a restart.
    pub api_key: Option<RwLock<String>>,
    pub log_dir: PathBuf,
    /// Rendered creatives by file name (filled on first request).
    pub creatives: Mutex<std::collections::HashMap<String, routes::Creative>>,
}

/// Open the project, start the decider (resuming the checkpoint in the log folder) and build
/// the shared state. Errors: project, campaign, model, log folder.
pub fn state(opts: &ServeOptions) -> Result<Arc<AppState>, ServeError> {
    let project = Project::open(&opts.project)?;
    let api_key = if opts.bind.is_loopback() { None } else { Some(RwLock::new(decision::api_key(&project, false)?)) };
    let learnt = policy::load_checkpoint(&opts.log_dir)?;
    let decider = Decider::new(project, opts.decision.clone(), learnt, Some(&opts.log_dir))?;
    Ok(Arc::new(AppState { decider: Mutex::new(decider), metrics: Default::default(), api_key, log_dir: opts.log_dir.clone(), creatives: Mutex::new(Default::default()) }))
}

/// Serve until `shutdown` resolves; then flush, fsync and checkpoint. `on_bound` gets the
/// service as soon as it accepts connections (port 0 picks a free one).
pub async fn run(opts: ServeOptions, shutdown: impl std::future::Future<Output = ()> + Send + 'static, on_bound: impl FnOnce(&Running)) -> Result<(), ServeError> {
    let running = start(opts).await?;
    on_bound(&running);
    let Running { shutdown: tx, mut task, .. } = running;
    let joined = |r: Result<Result<(), ServeError>, tokio::task::JoinError>| r.unwrap_or_else(|e| Err(ServeError::Server(std::io::Error::other(e))));
    tokio::select! {
        () = shutdown => {
            let _ = tx.send(());
            joined(task.await)
        }
        ended = &mut task => joined(ended),
    }
}

/// A service running on the current tokio runtime (the CLI's, or the desktop app's).
pub struct Running {
    /// The address actually bound.
    pub addr: SocketAddr,
    /// The handlers' state: the decider, its stats, the log folder.
    pub state: Arc<AppState>,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    /// Stop gracefully: no new connections, requests in flight answered, then the log is
    /// flushed and fsynced and the policy checkpointed.
    ///
    /// Errors: the log or checkpoint could not be written; the server failed.
    pub async fn stop(self) -> Result<(), ServeError> {
        let _ = self.shutdown.send(());
        self.task.await.unwrap_or_else(|e| Err(ServeError::Server(std::io::Error::other(e))))
    }
}

/// Open the project, bind, and serve on the current tokio runtime until [`Running::stop`].
///
/// Errors: project, campaign, model, log folder ([`state`]); the address is taken (`Bind`).
pub async fn start(opts: ServeOptions) -> Result<Running, ServeError> {
    // Opening replays every stored event: off the async threads.
    let o = opts.clone();
    let state = tokio::task::spawn_blocking(move || state(&o)).await.map_err(|e| ServeError::Server(std::io::Error::other(e)))??;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr().map_err(ServeError::Server)?;
    // Answers are small and go out at once: no Nagle delay behind an unacknowledged one.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = router(Arc::clone(&state), &opts.cors_origins);
    let st = Arc::clone(&state);
    let task = tokio::spawn(async move {
        let chores = tokio::spawn(chores(Arc::clone(&st)));
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
        chores.abort();
        stop(&st)?;
        served.map_err(ServeError::Server)
    });
    Ok(Running { addr, state, shutdown: tx, task })
}

/// The default log and checkpoint folder of campaign `campaign` of `project`:
/// `<project>.serve/campaign-<id>` beside the project file.
pub fn default_log_dir(project: &Path, campaign: i64) -> PathBuf {
    let mut d = project.as_os_str().to_owned();
    d.push(".serve");
    PathBuf::from(d).join(format!("campaign-{campaign}"))
}

/// Flush and fsync the log and write the checkpoint (a clean stop).
pub fn stop(state: &AppState) -> Result<(), ServeError> {
    let mut d = state.decider.lock().unwrap_or_else(|p| p.into_inner());
    d.sync()?;
    policy::save_checkpoint(&state.log_dir, d.learnt())?;
    Ok(())
}

/// The background work: flush the log every [`decision::log::FLUSH_EVERY`]; pick up approval
/// changes and a rotated API key and expire old events every [`RELOAD_EVERY`]; checkpoint every
/// [`CHECKPOINT_EVERY`].
async fn chores(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(decision::log::FLUSH_EVERY);
    let per = |d: Duration| (d.as_millis() / decision::log::FLUSH_EVERY.as_millis()).max(1) as u64;
    let (reload, checkpoint) = (per(RELOAD_EVERY), per(CHECKPOINT_EVERY));
    let mut n: u64 = 0;
    loop {
        tick.tick().await;
        n += 1;
        let st = Arc::clone(&state);
        let job = tokio::task::spawn_blocking(move || -> Result<(), DecisionError> {
            let mut d = st.decider.lock().unwrap_or_else(|p| p.into_inner());
            d.flush()?;
            let mut expired = None;
            if n.is_multiple_of(reload) {
                if d.reload_if_changed()? {
                    st.creatives.lock().unwrap_or_else(|p| p.into_inner()).clear();
                }
                if let Some(key) = &st.api_key {
                    // A deleted key keeps the one in force: never "no key needed".
                    if let Some(stored) = decision::stored_api_key(d.project())? {
                        let mut k = key.write().unwrap_or_else(|p| p.into_inner());
                        if *k != stored {
                            *k = stored;
                        }
                    }
                }
                expired = Some(d.expire());
            }
            // The counts are copied under the lock; the file and its fsync (tens of ms on a
            // busy disk) are written after it is let go, so ranks never wait on the disk. The
            // expired events are freed then too.
            let snapshot = n.is_multiple_of(checkpoint).then(|| policy::checkpoint_bytes(d.learnt()));
            drop(d);
            drop(expired);
            snapshot.map_or(Ok(()), |bytes| policy::write_checkpoint(&st.log_dir, &bytes))
        });
        if let Ok(Err(e)) = job.await {
            eprintln!("studio serve: {e}");
        }
    }
}
