//! Shared state of a running window (or bridge): the open project, the registry of cancellable
//! jobs, the controls of live simulation runs, the acting profile and the decision service
//! started from the Live screen. Cheap to clone: every clone is the same state.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use studio_core::simulate::Control;
use studio_core::{Flow, Progress, Project};

use crate::error::{ApiError, ApiResult};

/// How often progress is forwarded to the window at most.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// Where a command's events go (a job's progress, a live run's frames): a Tauri channel in the
/// app, the response stream on the bridge. `send` answers false once nobody listens any more.
#[derive(Clone)]
pub struct Events(Arc<dyn Fn(serde_json::Value) -> bool + Send + Sync>);

impl Events {
    /// Events delivered to `sink`, which answers whether someone still listens.
    pub fn new(sink: impl Fn(serde_json::Value) -> bool + Send + Sync + 'static) -> Self {
        Events(Arc::new(sink))
    }

    /// Events nobody listens to (a command that has none).
    pub fn none() -> Self {
        Events::new(|_| false)
    }

    /// Deliver one event; false when nobody listens any more.
    pub fn send<T: Serialize>(&self, event: &T) -> bool {
        serde_json::to_value(event).is_ok_and(|v| (self.0)(v))
    }
}

/// App-wide state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    project: Arc<Mutex<Project>>,
    jobs: Mutex<HashMap<String, Arc<AtomicBool>>>,
    /// Live simulation runs by stored run id; a run leaves when its task ends.
    live_runs: Mutex<HashMap<i64, Arc<Control>>>,
    /// The profile acting in this window (the core checks its role on every change).
    profile: Mutex<Option<i64>>,
    /// The decision service started from the Live screen (at most one).
    live_service: tokio::sync::Mutex<Option<LiveService>>,
}

/// A decision service running inside the app.
pub struct LiveService {
    pub info: crate::commands::live::LiveServiceInfo,
    pub running: studio_serve::Running,
}

impl AppState {
    /// Wrap an opened project.
    pub fn new(project: Project) -> Self {
        let inner = Inner {
            project: Arc::new(Mutex::new(project)),
            jobs: Mutex::new(HashMap::new()),
            live_runs: Mutex::new(HashMap::new()),
            profile: Mutex::new(None),
            live_service: tokio::sync::Mutex::new(None),
        };
        AppState { inner: Arc::new(inner) }
    }

    /// Run `f` on the project on a blocking worker thread, so no event loop waits on SQLite or
    /// rendering.
    pub async fn with_project<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Project) -> ApiResult<T> + Send + 'static,
    {
        let project = self.project();
        tokio::task::spawn_blocking(move || {
            let mut guard = project.lock().map_err(|_| ApiError::internal("project lock poisoned by an earlier failure"))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
    }

    /// The project itself, for a task that locks it only now and then (a live simulation).
    pub fn project(&self) -> Arc<Mutex<Project>> {
        Arc::clone(&self.inner.project)
    }

    /// The decision service slot of the Live screen.
    pub fn live_service(&self) -> &tokio::sync::Mutex<Option<LiveService>> {
        &self.inner.live_service
    }

    /// Register live run `run_id`'s control.
    pub fn add_live_run(&self, run_id: i64, control: Arc<Control>) {
        self.inner.live_runs.lock().expect("live runs lock").insert(run_id, control);
    }

    /// The control of live run `run_id`, if its task is still going.
    pub fn live_run(&self, run_id: i64) -> Option<Arc<Control>> {
        self.inner.live_runs.lock().expect("live runs lock").get(&run_id).cloned()
    }

    /// Forget live run `run_id` (its task ended).
    pub fn end_live_run(&self, run_id: i64) {
        self.inner.live_runs.lock().expect("live runs lock").remove(&run_id);
    }

    /// Act as profile `id` from now on (`None`: nobody).
    pub fn set_profile(&self, id: Option<i64>) {
        *self.inner.profile.lock().expect("profile lock") = id;
    }

    /// The acting profile's id, if someone signed in.
    pub fn profile_id(&self) -> Option<i64> {
        *self.inner.profile.lock().expect("profile lock")
    }

    /// Run a cancellable long job on the project: register `job_id`, forward the core's
    /// progress to `events` (throttled), run `f` on a worker thread, and forget the job.
    pub async fn run_job<T, F>(&self, job_id: String, events: Events, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Project, &mut dyn FnMut(&Progress) -> Flow) -> ApiResult<T> + Send + 'static,
    {
        let mut progress = forwarder(job_id.clone(), self.start_job(&job_id), events);
        let result = self.with_project(move |p| f(p, &mut progress)).await;
        self.end_job(&job_id);
        result
    }

    /// Register job `id` and get its cancel flag.
    pub fn start_job(&self, id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.inner.jobs.lock().expect("jobs lock").insert(id.to_string(), Arc::clone(&flag));
        flag
    }

    /// Forget job `id` (on completion).
    pub fn end_job(&self, id: &str) {
        self.inner.jobs.lock().expect("jobs lock").remove(id);
    }

    /// Ask job `id` to stop; unknown ids are ignored (the job may just have finished).
    pub fn cancel_job(&self, id: &str) {
        if let Some(flag) = self.inner.jobs.lock().expect("jobs lock").get(id) {
            flag.store(true, Ordering::SeqCst);
        }
    }
}

/// A core progress callback that forwards to `events` at most every [`PROGRESS_INTERVAL`]
/// (always the first and final reports) and answers `Cancel` once `flag` is set.
pub fn forwarder(job: String, flag: Arc<AtomicBool>, events: Events) -> impl FnMut(&Progress) -> Flow + Send {
    let mut last: Option<Instant> = None;
    move |p: &Progress| {
        let final_report = p.total > 0 && p.done >= p.total;
        if last.is_none_or(|t| t.elapsed() >= PROGRESS_INTERVAL) || final_report {
            last = Some(Instant::now());
            let mut p = p.clone();
            p.job = job.clone();
            // A closed window only means nobody watches; the job itself goes on.
            events.send(&p);
        }
        if flag.load(Ordering::SeqCst) {
            Flow::Cancel
        } else {
            Flow::Continue
        }
    }
}
