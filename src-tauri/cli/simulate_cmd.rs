//! `studio simulate run|list|show|compare`: what the Simulation screen does, headless, over
//! the same core calls (`studio_core::simulate`). Every figure is simulated and says so.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;
use studio_core::simulate::compare::{self, RunSummary};
use studio_core::simulate::view::{self, RunView};
use studio_core::simulate::{saved, PolicySpec, ResponseModel, RunParams, RunRecord, SimulateError};
use studio_core::ErrorCode;

use crate::{open_existing, open_read, print, Failure};

/// `studio simulate …`
#[derive(Subcommand)]
pub enum SimulateCommand {
    /// Simulate a campaign to the end (headless) and store the run like the screen does.
    Run(RunArgs),
    /// List stored runs (of one campaign with --campaign).
    List {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        campaign: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// One stored run: overall and per-segment CTR, lift over the generic control, budget.
    Show {
        #[arg(long)]
        project: PathBuf,
        #[arg(long, value_name = "ID")]
        run: i64,
        #[arg(long)]
        json: bool,
    },
    /// Stored runs side by side (comma-separated ids).
    Compare {
        #[arg(long)]
        project: PathBuf,
        #[arg(long, value_name = "ID,ID,…", value_delimiter = ',', required = true)]
        runs: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
}

/// `studio simulate run …`
#[derive(Args)]
pub struct RunArgs {
    #[arg(long)]
    project: PathBuf,
    #[arg(long)]
    campaign: i64,
    /// thompson, uniform, egreedy, ucb or factorised.
    #[arg(long, default_value = "thompson")]
    policy: String,
    /// Exploration rate of egreedy.
    #[arg(long, default_value_t = studio_core::simulate::policy::DEFAULT_EPSILON)]
    epsilon: f64,
    #[arg(long, default_value_t = 1_000_000)]
    impressions: u64,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// `calibrated` (default) or a JSON file of model fields replacing the calibrated ones.
    #[arg(long, default_value = "calibrated")]
    model: String,
    /// Run name (default: "<policy> seed <seed>").
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Names a bad flag in an `invalid_input` failure.
fn flag(name: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(ErrorCode::InvalidInput, format!("{name}: {e}"))
}

/// Run `studio simulate …`.
pub fn run(cmd: SimulateCommand) -> Result<(), Failure> {
    match cmd {
        SimulateCommand::Run(a) => {
            let policy = PolicySpec::parse(&a.policy, a.epsilon).map_err(|e| flag("--policy", e))?;
            let model = match a.model.as_str() {
                "calibrated" => ResponseModel::calibrated(),
                file => view::model_from_file(std::path::Path::new(file)).map_err(|e| flag("--model", e))?,
            };
            let params = RunParams { impressions: a.impressions, seed: a.seed, policy, model, ..RunParams::default() }.check().map_err(|e| match &e {
                SimulateError::BadParam { field, .. } if field.starts_with("model") => flag("--model", &e),
                SimulateError::BadParam { field, .. } if field.starts_with("policy") => flag("--epsilon", &e),
                _ => flag("--impressions", &e),
            })?;
            let name = a.name.unwrap_or_else(|| format!("{} seed {}", params.policy.name(), a.seed));
            let mut p = open_existing(&a.project)?;
            let id = saved::run_to_end(&mut p, a.campaign, &name, params)?;
            let v = view::view(&p, id)?;
            print(a.json, &v, human_view)
        }
        SimulateCommand::List { project, campaign, json } => {
            let p = open_read(&project)?;
            let runs = match campaign {
                Some(c) => saved::list(&p, c)?,
                None => saved::list_all(&p)?,
            };
            let out: Vec<RunSummary> = runs.into_iter().map(compare::summary).collect();
            print(json, &out, |rows| {
                if rows.is_empty() {
                    outln!("no simulation runs")?;
                }
                for r in rows {
                    outln!("{}", line(r))?;
                }
                Ok(())
            })
        }
        SimulateCommand::Show { project, run, json } => {
            let p = open_read(&project)?;
            print(json, &view::view(&p, run)?, human_view)
        }
        SimulateCommand::Compare { project, runs, json } => {
            let p = open_read(&project)?;
            let c = compare::compare(&p, &runs)?;
            print(json, &CompareOutput { runs: c.runs, simulated: true }, |o| {
                for r in &o.runs {
                    outln!("{}", line(r))?;
                }
                Ok(())
            })
        }
    }
}

/// `studio simulate compare` output (the comparison without its chart).
#[derive(Serialize)]
struct CompareOutput {
    runs: Vec<RunSummary>,
    simulated: bool,
}

fn pct(x: f64) -> String {
    format!("{:.3}%", 100.0 * x)
}

fn line(r: &RunSummary) -> String {
    let RunRecord { id, campaign_id, name, status, policy, served, planned, model, .. } = &r.record;
    let lift = r.lift_over_uniform.map_or("—".into(), |l| format!("{:+.1}%", 100.0 * l));
    format!(
        "#{id} campaign {campaign_id} {name:?} [{}] {policy}, model {model}: {served}/{planned} impressions, CTR {} (uniform split {}, {lift}) (simulated)",
        status.as_str(),
        pct(r.ctr),
        pct(r.uniform_ctr)
    )
}

fn human_view(v: &RunView) -> Result<(), Failure> {
    outln!("{}", line(&v.summary))?;
    for s in &v.segments {
        outln!("  {} / {}: {} impressions, CTR {} (95% {}–{})", s.name_en, s.name_zh, s.impressions, pct(s.ctr), pct(s.low), pct(s.high))?;
    }
    let l = &v.lift;
    outln!(
        "  lift of personalisation over the generic control: {:+.1}% (95% {:+.1}%…{:+.1}%, P(>0) {:.0}%; true {:+.1}%)",
        100.0 * l.mean,
        100.0 * l.low,
        100.0 * l.high,
        100.0 * l.probability_positive,
        100.0 * l.true_lift
    )?;
    let b = &v.budget;
    for row in &b.rows {
        let n = |x: Option<u64>| x.map_or("—".into(), |n| n.to_string());
        outln!("  at {} CTR, detecting +{:.0}% needs {} impressions per variant, {} in total", pct(b.base_ctr), 100.0 * row.min_lift, n(row.per_arm), n(row.total))?;
    }
    Ok(())
}
