//! Live runs: a stored [`Run`] served at a chosen speed while a window watches.
//!
//! [`drive`] is the loop a task runs (the desktop shell runs it on tokio's blocking pool, the
//! CLI on its own thread). It serves impressions at [`Control`]'s speed, hands a [`LiveFrame`]
//! (totals, the statistics, four SVG charts of the watched [`Scope`]) to a sink every
//! [`FRAME_INTERVAL`], checkpoints to the project every [`SAVE_INTERVAL`], and obeys
//! pause / resume / stop / speed / scope changes from any thread through the shared [`Control`].
//!
//! Invariants:
//! * the result of a run does not depend on speed, pauses or frames: `drive` only decides *when*
//!   [`Run::advance`] is called, never what it computes;
//! * whenever `drive` returns, the run's latest state is saved: `done`, `stopped`, or `paused`
//!   (pause, or the sink refused a frame because nobody watches any more — the task ends instead
//!   of running on unseen, and the run can be re-opened with [`Live::reopen`]).

use crate::error::keyed_text;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::charts::{self, ChartKind, Scope, FRAME_SIZE};
use super::run::{Run, RunParams, Totals};
use super::saved::{self, RunStatus};
use super::stats::{self, Report, StatsParams};
use super::SimulateError;
use crate::store::Project;

/// Frames are produced at most this often (about 15 per second while running: the issue asks
/// for ≥ 10 in the window, and a busy webview may fall a little behind).
pub const FRAME_INTERVAL: Duration = Duration::from_millis(66);
/// A running run is checkpointed at least this often.
pub const SAVE_INTERVAL: Duration = Duration::from_secs(2);
/// A paused run sends a heartbeat frame this often, so a closed window ends the task.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// Serving time allowed per tick at full speed: the rest of the tick draws frames.
const WORK_BUDGET: Duration = Duration::from_millis(40);
/// Loop period.
const TICK: Duration = Duration::from_millis(10);
/// Impressions per call of [`Run::advance`] at full speed.
const CHUNK: u64 = 20_000;
/// Posterior draws of the statistics in live frames (a finished run's frame uses the default).
pub const LIVE_DRAWS: u32 = 1000;
/// Highest speed, impressions per second; `0` means as fast as the machine serves.
pub const MAX_SPEED: u64 = 100_000_000;
/// The speeds the window offers (impressions per second, `0` = full speed), and its default.
pub const SPEED_CHOICES: [u64; 6] = [1_000, 10_000, 50_000, 250_000, 1_000_000, 0];
pub const DEFAULT_SPEED: u64 = 50_000;

/// What the window asks a live run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LiveCommand {
    Resume,
    Pause,
    Stop,
}

/// Shared, lock-free control of one live run: the command, the speed and the watched scope.
#[derive(Debug)]
pub struct Control {
    command: AtomicU8,
    speed: AtomicU64,
    /// −1 for [`Scope::Overall`], else a segment index.
    scope: AtomicI64,
}

impl Control {
    /// A control that runs at `speed` impressions/s (`0`: full speed), watching all segments.
    /// Errors: `BadParam("speed")` above [`MAX_SPEED`].
    pub fn new(speed: u64) -> Result<Arc<Control>, SimulateError> {
        let c = Control { command: AtomicU8::new(0), speed: AtomicU64::new(0), scope: AtomicI64::new(-1) };
        c.set_speed(speed)?;
        Ok(Arc::new(c))
    }

    /// Ask the run to resume, pause or stop (takes effect within one tick).
    pub fn send(&self, command: LiveCommand) {
        let v = match command {
            LiveCommand::Resume => 0,
            LiveCommand::Pause => 1,
            LiveCommand::Stop => 2,
        };
        // Stop is final: a late resume/pause must not revive a stopping run.
        let _ = self.command.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| (old != 2).then_some(v));
    }

    /// The latest command.
    pub fn command(&self) -> LiveCommand {
        match self.command.load(Ordering::SeqCst) {
            0 => LiveCommand::Resume,
            1 => LiveCommand::Pause,
            _ => LiveCommand::Stop,
        }
    }

    /// Change the speed. Errors: `BadParam("speed")` above [`MAX_SPEED`].
    pub fn set_speed(&self, speed: u64) -> Result<(), SimulateError> {
        if speed > MAX_SPEED {
            return Err(SimulateError::bad("speed", keyed_text!("simparam.speed"; "must be at most {max} impressions/s (0 = full speed), is {value}", max = MAX_SPEED, value = speed)));
        }
        self.speed.store(speed, Ordering::SeqCst);
        Ok(())
    }

    /// Impressions per second (`0`: full speed).
    pub fn speed(&self) -> u64 {
        self.speed.load(Ordering::SeqCst)
    }

    /// Watch `scope` in the next frames (checked against the run when the frame is drawn).
    pub fn set_scope(&self, scope: Scope) {
        self.scope.store(
            match scope {
                Scope::Overall => -1,
                Scope::Segment(s) => s as i64,
            },
            Ordering::SeqCst,
        );
    }

    /// The watched scope.
    pub fn scope(&self) -> Scope {
        match self.scope.load(Ordering::SeqCst) {
            s if s < 0 => Scope::Overall,
            s => Scope::Segment(s as usize),
        }
    }
}

/// One chart of a frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChartFrame {
    pub kind: ChartKind,
    /// A standalone SVG document (titles say "Simulated").
    pub svg: String,
}

/// What the window shows of a run at one moment. Everything in it is simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveFrame {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub run_id: i64,
    /// Frames sent by this task so far (1-based; 0 for a frame of a run nobody drives).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    pub status: RunStatus,
    pub totals: Totals,
    /// Impressions per second (`0`: full speed).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub speed: u64,
    pub scope: Scope,
    /// The four charts of `scope`, in [`ChartKind::ALL`] order.
    pub charts: Vec<ChartFrame>,
    pub report: Report,
    /// Time spent drawing the charts of this frame, milliseconds.
    pub chart_ms: f64,
    /// When the frame was drawn, milliseconds since the Unix epoch (the window can tell how
    /// far behind it is).
    pub drawn_at_ms: f64,
    pub simulated: bool,
}

/// A run being driven: the run, its stored id and its control.
pub struct Live {
    run: Run,
    run_id: i64,
    control: Arc<Control>,
    seq: u64,
}

impl Live {
    /// Store a new run of campaign `campaign_id` named `name` and get it ready to drive.
    /// Errors: `BadParam` for bad parameters or speed, campaign errors, store errors.
    pub fn start(project: &mut Project, campaign_id: i64, name: &str, params: RunParams, speed: u64) -> Result<Live, SimulateError> {
        let control = Control::new(speed)?;
        let run = Run::from_campaign(project, campaign_id, params)?;
        let run_id = saved::create(project, campaign_id, name, &run, RunStatus::Paused)?;
        Ok(Live { run, run_id, control, seq: 0 })
    }

    /// Re-open stored run `run_id` to continue it. Errors: `RunNotFound`, `NotResumable` for a
    /// done or stopped run, `BadCheckpoint` for an unreadable one.
    pub fn reopen(project: &Project, run_id: i64, speed: u64) -> Result<Live, SimulateError> {
        let (record, run) = saved::load(project, run_id)?;
        if !record.status.can_resume() || run.is_done() {
            return Err(SimulateError::NotResumable { run_id, status: record.status.as_str() });
        }
        Ok(Live { run, run_id, control: Control::new(speed)?, seq: 0 })
    }

    /// The stored id.
    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// The control to share with whoever steers the run.
    pub fn control(&self) -> Arc<Control> {
        Arc::clone(&self.control)
    }

    /// The run.
    pub fn run(&self) -> &Run {
        &self.run
    }

    fn frame(&mut self, status: RunStatus) -> Result<LiveFrame, SimulateError> {
        self.seq += 1;
        // While running, fewer draws keep frames fast; every other frame (done, stopped,
        // paused) carries the statistics of record, as the dashboard and the report do.
        let stats = match status {
            RunStatus::Running => StatsParams { draws: LIVE_DRAWS, ..stats::record_params(&self.run) },
            _ => stats::record_params(&self.run),
        };
        let mut f = frame(&self.run, self.run_id, status, self.control.scope(), &stats)?;
        f.seq = self.seq;
        f.speed = self.control.speed();
        Ok(f)
    }
}

/// The frame of `run` (stored as `run_id`, in `status`) for `scope`, with statistics under
/// `stats`. Errors: `BadParam("scope")` for a segment the run does not have, chart errors.
pub fn frame(run: &Run, run_id: i64, status: RunStatus, scope: Scope, stats: &StatsParams) -> Result<LiveFrame, SimulateError> {
    let started = Instant::now();
    let charts = ChartKind::ALL.iter().map(|&kind| Ok(ChartFrame { kind, svg: charts::svg(run, kind, scope, FRAME_SIZE)? })).collect::<Result<Vec<_>, SimulateError>>()?;
    let chart_ms = started.elapsed().as_secs_f64() * 1e3;
    let report = stats::report(run, stats)?;
    let drawn_at_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1e3);
    Ok(LiveFrame { run_id, seq: 0, status, totals: run.totals(), speed: 0, scope, charts, report, chart_ms, drawn_at_ms, simulated: true })
}

/// The frame of stored run `run_id` as last saved (full-precision statistics).
/// Errors: `RunNotFound`, `BadParam("scope")`, checkpoint and chart errors.
pub fn stored_frame(project: &Project, run_id: i64, scope: Scope) -> Result<LiveFrame, SimulateError> {
    let (record, run) = saved::load(project, run_id)?;
    frame(&run, run_id, record.status, scope, &stats::record_params(&run))
}

/// How [`drive`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every planned impression was served (status `done`).
    Done,
    /// Stopped on request (status `stopped`; it cannot be resumed).
    Stopped,
    /// The sink refused a frame: nobody watches. Saved as `paused`; re-open to continue.
    Detached,
}

/// Drive `live` until it is done, stopped, or `sink` returns `false` (see the module docs).
/// `sink` gets the first frame at once, then one per [`FRAME_INTERVAL`] while running, one per
/// state change and a heartbeat per [`HEARTBEAT`] while paused, and always the final frame.
/// Errors: store errors while checkpointing (the run stays as last saved), chart errors.
pub fn drive(project: &Mutex<Project>, mut live: Live, sink: &mut dyn FnMut(LiveFrame) -> bool) -> Result<Ended, SimulateError> {
    let save = |live: &Live, status: RunStatus| -> Result<(), SimulateError> {
        let mut p = project.lock().map_err(|_| SimulateError::BadCheckpoint("project lock poisoned".into()))?;
        saved::save(&mut p, live.run_id, &live.run, status)
    };
    save(&live, RunStatus::Running)?;
    let first = live.frame(RunStatus::Running)?;
    if !sink(first) {
        save(&live, RunStatus::Paused)?;
        return Ok(Ended::Detached);
    }
    let (mut last_frame, mut last_save, mut last_tick) = (Instant::now(), Instant::now(), Instant::now());
    let mut owed = 0.0f64; // impressions due but not yet served at a finite speed
    let mut paused = false;
    loop {
        match live.control.command() {
            LiveCommand::Stop => {
                save(&live, RunStatus::Stopped)?;
                let f = live.frame(if live.run.is_done() { RunStatus::Done } else { RunStatus::Stopped })?;
                sink(f);
                return Ok(if live.run.is_done() { Ended::Done } else { Ended::Stopped });
            }
            LiveCommand::Pause => {
                if !paused || last_frame.elapsed() >= HEARTBEAT {
                    if !paused {
                        save(&live, RunStatus::Paused)?;
                        last_save = Instant::now();
                    }
                    paused = true;
                    let f = live.frame(RunStatus::Paused)?;
                    last_frame = Instant::now();
                    if !sink(f) {
                        return Ok(Ended::Detached);
                    }
                }
                std::thread::sleep(TICK * 3);
                last_tick = Instant::now();
                continue;
            }
            LiveCommand::Resume => {
                if paused {
                    paused = false;
                    save(&live, RunStatus::Running)?;
                    last_save = Instant::now();
                }
            }
        }
        let tick = Instant::now();
        let speed = live.control.speed();
        if speed == 0 {
            while tick.elapsed() < WORK_BUDGET && !live.run.is_done() {
                live.run.advance(CHUNK);
            }
        } else {
            owed += speed as f64 * last_tick.elapsed().as_secs_f64();
            let mut due = owed.floor() as u64;
            owed -= due as f64;
            while due > 0 && tick.elapsed() < WORK_BUDGET && !live.run.is_done() {
                due -= live.run.advance(due.min(CHUNK));
            }
            // What the machine could not serve in time is dropped, not owed forever.
        }
        last_tick = tick;
        if live.run.is_done() {
            save(&live, RunStatus::Done)?;
            let f = live.frame(RunStatus::Done)?;
            sink(f);
            return Ok(Ended::Done);
        }
        if last_frame.elapsed() >= FRAME_INTERVAL {
            let f = live.frame(RunStatus::Running)?;
            last_frame = Instant::now();
            if !sink(f) {
                save(&live, RunStatus::Paused)?;
                return Ok(Ended::Detached);
            }
        }
        if last_save.elapsed() >= SAVE_INTERVAL {
            save(&live, RunStatus::Running)?;
            last_save = Instant::now();
        }
        std::thread::sleep(TICK.saturating_sub(tick.elapsed()));
    }
}
