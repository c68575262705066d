//! `studio ope`: off-policy evaluation of a logs file, optionally stored for a campaign's
//! dashboard (`--project P --campaign C`, table `ope_results`).

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use studio_core::dashboard::{offpolicy, OpeRow};
use studio_core::ope;
use studio_core::ErrorCode;

use crate::{open_existing, print, Failure};

/// `studio ope …`
#[derive(Args)]
pub struct OpeArgs {
    /// Logged feedback: CSV with item_id, position, click, propensity_score columns.
    #[arg(long)]
    logs: PathBuf,
    /// `uniform`, `best-item` (the reward model's top item per position) or a CSV file
    /// item_id,position,probability with positions numbered as in the logs.
    #[arg(long)]
    policy: String,
    /// Bootstrap samples for the confidence intervals.
    #[arg(long, default_value_t = 100)]
    bootstrap: usize,
    /// Significance level: the interval covers 1 − alpha.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Seed of the bootstrap resampling (obp's random_state).
    #[arg(long, default_value_t = 12345)]
    seed: u32,
    /// Store the estimates in this project (with --campaign).
    #[arg(long, requires = "campaign")]
    project: Option<PathBuf>,
    /// The campaign the estimates belong to (with --project).
    #[arg(long, requires = "project")]
    campaign: Option<i64>,
    #[arg(long)]
    json: bool,
}

/// `studio ope` output: the evaluation report, how long reading + estimating took, and the
/// rows stored for a campaign when asked.
#[derive(Serialize)]
struct OpeOutput {
    #[serde(flatten)]
    report: ope::OpeReport,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stored: Option<Vec<OpeRow>>,
}

/// Run `studio ope`.
pub fn ope(a: OpeArgs) -> Result<(), Failure> {
    if a.logs.is_dir() || a.logs.extension().is_some_and(|e| e == "dsjson") {
        return decision_logs(&a);
    }
    let params = ope::OpeParams { n_bootstrap: a.bootstrap, alpha: a.alpha, seed: a.seed }.check()?;
    let started = std::time::Instant::now();
    let report = ope::evaluate_file(&a.logs, &ope::PolicySpec::parse(&a.policy), &params)?;
    let seconds = started.elapsed().as_secs_f64();
    let stored = match (&a.project, a.campaign) {
        (Some(project), Some(campaign)) => {
            let mut p = open_existing(project)?;
            Some(offpolicy::store(&mut p, campaign, &report)?)
        }
        (None, None) => None,
        _ => return Err(Failure::new(ErrorCode::InvalidInput, "--project and --campaign go together")),
    };
    let out = OpeOutput { report, seconds, stored };
    print(a.json, &out, |o| {
        let r = &o.report;
        outln!("{}: {} rows, {} clicks, {} items × {} positions (numbered from {})", r.logs, r.rows, r.clicks, r.n_items, r.n_positions, r.position_base)?;
        outln!("logging policy (on-policy mean click): {:.6}", r.on_policy_value)?;
        outln!("evaluation policy: {}; reward model {} (prior {:.6})", r.policy, r.reward_model.formula, r.reward_model.prior)?;
        let level = format!("{}%", (100.0 * (1.0 - r.alpha) * 1e6).round() / 1e6);
        outln!("{:<9} {:>10} {:>12} {:>12} {:>12} {:>10}", "estimator", "value", format!("{level} low"), format!("{level} high"), "mean weight", "ESS")?;
        for e in &r.estimates {
            outln!("{:<9} {:>10.6} {:>12.6} {:>12.6} {:>12.4} {:>10.1}", e.estimator.as_str(), e.value, e.ci_lower, e.ci_upper, e.mean_weight, e.effective_sample_size)?;
        }
        outln!("({} bootstrap samples, seed {}, {:.3} s)", r.n_bootstrap, r.seed, o.seconds)?;
        if let (Some(rows), Some(c)) = (&o.stored, a.campaign) {
            outln!("stored {} estimates for campaign {c}", rows.len())?;
        }
        Ok(())
    })
}

/// `studio ope --logs DIR|FILE.dsjson`: the decision service's own logs (a `studio serve` log
/// folder, joined here, or a file from `studio logs --joined`), IPW and SNIPW of `uniform` or
/// `logged`.
fn decision_logs(a: &OpeArgs) -> Result<(), Failure> {
    let report = if a.logs.is_dir() {
        let j = studio_core::decision::log::read_joined(&a.logs)?;
        let lines: Vec<(u64, serde_json::Value)> = j.lines.into_iter().enumerate().map(|(i, v)| (i as u64 + 1, v)).collect();
        ope::dsjson::evaluate_lines(&a.logs.display().to_string(), &lines, &a.policy)?
    } else {
        ope::dsjson::evaluate(&a.logs, &a.policy)?
    };
    print(a.json, &report, |r| {
        outln!("{}: {} shown decisions ({} rewarded; {} never activated and {} simulated, left out)", r.logs, r.rows, r.rewarded, r.skipped_not_activated, r.skipped_simulated)?;
        outln!("logging policy (on-policy mean reward): {:.6}", r.on_policy_value)?;
        outln!("{}: IPW {:.6}, SNIPW {:.6} (mean weight {:.4}, ESS {:.1})", r.policy, r.ipw, r.snipw, r.mean_weight, r.effective_sample_size)
    })
}
