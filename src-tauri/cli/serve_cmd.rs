//! `studio serve`: run the live decision service for one campaign until Ctrl-C / SIGTERM.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Args;
use studio_core::decision::{self, DecisionParams};
use studio_core::ErrorCode;
use studio_serve::ServeOptions;

use crate::{open_existing, Failure};

/// `studio serve …`
#[derive(Args)]
pub struct ServeArgs {
    #[arg(long)]
    project: PathBuf,
    /// The campaign whose approved variants are served (not needed with --show-key or
    /// --rotate-key: the key is the project's).
    #[arg(long, required_unless_present_any = ["show_key", "rotate_key"])]
    campaign: Option<i64>,
    /// Address to listen on. Anything but loopback requires the project's API key on
    /// rank, reward and activate.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port (0: any free port; the chosen one is printed).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Decision log and checkpoint folder (default: `<project>.serve/campaign-<id>` beside the project).
    #[arg(long)]
    log: Option<PathBuf>,
    /// Smallest propensity of any approved variant (exploration floor).
    #[arg(long, default_value_t = 0.01)]
    min_propensity: f64,
    /// Seconds after a rank during which its reward is accepted.
    #[arg(long, default_value_t = 600)]
    reward_window: u64,
    /// Segment id for users with no history at all (default: the model's nearest segment).
    #[arg(long)]
    cold_start_segment: Option<i64>,
    /// A shop origin allowed to call the API from a browser (repeatable), e.g. https://shop.example.
    #[arg(long = "cors")]
    cors: Vec<String>,
    /// Seed of the choices.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print the project's API key and exit.
    #[arg(long, conflicts_with = "rotate_key")]
    show_key: bool,
    /// Replace the project's API key, print the new one and exit (a running service that
    /// requires the key refuses the old one within a second).
    #[arg(long)]
    rotate_key: bool,
    /// Once serving, drive N simulated shoppers (the simulator's response model) through the
    /// HTTP API; their events are logged and counted as simulated. The service keeps running.
    #[arg(long, value_name = "N")]
    replay: Option<u64>,
}

/// Run `studio serve`.
pub fn run(a: ServeArgs) -> Result<(), Failure> {
    if a.show_key || a.rotate_key {
        let project = open_existing(&a.project)?;
        return outln!("{}", decision::api_key(&project, a.rotate_key)?);
    }
    // clap requires it unless one of the key flags is given.
    let campaign = a.campaign.ok_or_else(|| Failure::new(ErrorCode::InvalidInput, "--campaign is required to serve"))?;
    let decision =
        DecisionParams { campaign_id: campaign, min_propensity: a.min_propensity, reward_window_secs: a.reward_window, cold_start_segment: a.cold_start_segment, seed: a.seed, ..Default::default() }
            .check()?;
    open_existing(&a.project)?;
    if let Some(n) = a.replay.filter(|n| !(1..=decision::replay::MAX_SHOPPERS).contains(n)) {
        return Err(Failure::new(ErrorCode::InvalidInput, format!("--replay must be 1–{}, got {n}", decision::replay::MAX_SHOPPERS)));
    }
    let log_dir = a.log.unwrap_or_else(|| studio_serve::default_log_dir(&a.project, campaign));
    let (replay, seed) = (a.replay, decision.seed);
    let opts = ServeOptions { project: a.project, decision, bind: a.bind, port: a.port, log_dir: log_dir.clone(), cors_origins: a.cors };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| Failure::new(ErrorCode::Io, format!("cannot start the service's runtime: {e}")))?;
    let shutdown = {
        let _runtime = rt.enter();
        shutdown_signal()
    };
    rt.block_on(studio_serve::run(opts, shutdown, |running| {
        // Scripts wait for this line; the service is accepting connections once it is printed.
        let _ = outln!("serving on http://{} (log: {})", running.addr, log_dir.display()).and_then(|()| crate::output::flush());
        if let Some(n) = replay {
            let (state, addr) = (std::sync::Arc::clone(&running.state), running.addr);
            std::thread::spawn(move || {
                let _ = match studio_serve::replay::replay(&state, addr, n, seed) {
                    Ok(s) => outln!("replayed {} simulated shoppers: {} impressions, {} clicks, {} refused (simulated traffic, logged as such)", s.shoppers, s.impressions, s.clicks, s.refused),
                    Err(e) => {
                        eprintln!("studio serve: replay failed: {e}");
                        Ok(())
                    }
                }
                .and_then(|()| crate::output::flush());
            });
        }
    }))?;
    outln!("stopped cleanly: log flushed and synced, policy checkpointed")
}

/// Completes on Ctrl-C or SIGTERM. The handlers are installed when this is called (inside the
/// runtime), not when the future is first polled: a script that reads the "listening" line and
/// stops the process at once must not find the signal's default action still in place, nor a
/// handler that has nobody listening yet.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let term = async {
            match term {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
}

/// `studio logs …`
#[derive(Args)]
pub struct LogsArgs {
    /// A `studio serve` log folder.
    #[arg(long)]
    dir: PathBuf,
    /// Write the joined decisions here (dsjson: `vw --cb_explore_adf --dsjson -d FILE`).
    #[arg(long)]
    joined: PathBuf,
    #[arg(long)]
    json: bool,
}

/// Run `studio logs`: join a service's rewards and activations into its decisions.
pub fn logs(a: LogsArgs) -> Result<(), Failure> {
    let s = decision::log::write_joined(&a.dir, &a.joined)?;
    crate::print(a.json, &s, |s| {
        outln!("{} decisions ({} rewarded, {} not activated) → {}", s.decisions, s.rewarded, s.skip_learn, a.joined.display())?;
        outln!("{} torn line(s) skipped, {} reward(s) without a decision", s.torn, s.orphan_rewards)
    })
}
