//! `studio dashboard` and `studio performance`: the manager dashboard of a campaign (every
//! chart as PNG, SVG and CSV, and the numbers) and importing real performance reports, over
//! the same core calls as the shell (`studio_core::dashboard`).

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use studio_core::copy::Lang;
use studio_core::dashboard::{self, performance, ChartKind, Dashboard, ExportFormat};
use studio_core::ErrorCode;

use crate::{open_existing, print, Failure};

/// `studio dashboard …`
#[derive(Args)]
pub struct DashboardArgs {
    #[arg(long)]
    project: PathBuf,
    #[arg(long)]
    campaign: i64,
    /// Chart labels: zh-CN or en.
    #[arg(long, default_value = "zh-CN")]
    lang: String,
    /// Folder for dashboard_<chart>.png/.svg/.csv (created; files replaced).
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// `studio performance …`: import a report (FILE), list the campaign's reports (`--list`)
/// or remove one (`--remove ID`, as `--as NAME` once the project has profiles).
#[derive(Args)]
pub struct PerformanceArgs {
    #[arg(long)]
    project: PathBuf,
    /// The campaign (needed to import or list).
    #[arg(long, required_unless_present = "remove")]
    campaign: Option<i64>,
    /// CSV with a header ad_id,impressions,clicks,conversions[,date][,cost]; ad_id is a
    /// variant id or an exported file stem (…_seg<L>_v<ID>_…).
    #[arg(required_unless_present_any = ["list", "remove"], conflicts_with_all = ["list", "remove"])]
    file: Option<PathBuf>,
    /// List the campaign's imported reports.
    #[arg(long, conflicts_with = "remove")]
    list: bool,
    /// Remove the report with this id and its rows (logged in the audit log).
    #[arg(long, value_name = "ID")]
    remove: Option<i64>,
    /// The acting profile for --remove (a marketer or admin); required once the project has profiles.
    #[arg(long = "as", value_name = "NAME", requires = "remove")]
    actor: Option<String>,
    #[arg(long)]
    json: bool,
}

/// `studio dashboard` output: the numbers and the files written.
#[derive(Serialize)]
struct DashboardOutput {
    #[serde(flatten)]
    dashboard: Dashboard,
    files: Vec<String>,
}

/// Run `studio dashboard`.
pub fn dashboard(a: DashboardArgs) -> Result<(), Failure> {
    let lang = Lang::parse(&a.lang).ok_or_else(|| Failure::new(ErrorCode::InvalidInput, format!("--lang must be zh-CN or en, got {:?}", a.lang)))?;
    let p = crate::open_read(&a.project)?;
    let d = dashboard::build(&p, a.campaign)?;
    let mut files = Vec::new();
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| Failure::new(ErrorCode::Io, format!("cannot create {}: {e}", dir.display())))?;
        for kind in ChartKind::ALL {
            for format in ExportFormat::ALL {
                let path = dir.join(format!("dashboard_{}.{}", kind.as_str(), format.extension()));
                dashboard::write_file(&d, kind, format, lang, &path)?;
                files.push(path.display().to_string());
            }
        }
    }
    let out = DashboardOutput { dashboard: d, files };
    print(a.json, &out, |o| {
        let d = &o.dashboard;
        outln!("campaign {} “{}”", d.campaign_id, d.campaign_name)?;
        match &d.run {
            Some(r) => outln!("simulated figures from run {} “{}” ({:?}, {} impressions, {})", r.id, r.name, r.status, r.served, r.policy),
            None => outln!("no finished simulation run"),
        }?;
        outln!("{:>8} {:>8} {:<24} {:>12} {:>22} {:>10} {:>9} {:>8}", "segment", "variant", "review", "sim. impr.", "sim. CTR [95%]", "real impr.", "real CTR", "CVR")?;
        for r in &d.rows {
            let sim = r.simulated.as_ref().map_or(("".into(), "".into()), |s| (s.impressions.to_string(), format!("{:.2}% [{:.2}, {:.2}]", s.ctr * 100.0, s.ctr_low * 100.0, s.ctr_high * 100.0)));
            let pct = |x: Option<f64>| x.map_or(String::new(), |v| format!("{:.2}%", v * 100.0));
            let real = r.real.as_ref().map_or((String::new(), String::new(), String::new()), |x| (x.impressions.to_string(), pct(x.ctr), pct(x.cvr)));
            outln!("{:>8} {:>8} {:<24} {:>12} {:>22} {:>10} {:>9} {:>8}", r.segment_id, r.variant_id, r.review_state.map_or("-", |s| s.as_str()), sim.0, sim.1, real.0, real.1, real.2)?;
        }
        if let Some(l) = &d.lift {
            let x = &l.lift;
            outln!(
                "simulated lift of personalisation over generic #{}: {:+.1}% [{:+.1}%, {:+.1}%], P(>0) {:.0}%",
                x.generic,
                x.mean * 100.0,
                x.low * 100.0,
                x.high * 100.0,
                x.probability_positive * 100.0
            )?;
        }
        let a = &d.approval;
        outln!("approval: {} approved, {} in review, {} changes requested, {} draft (of {})", a.approved, a.in_review, a.changes_requested, a.draft, a.total)?;
        let num = |x: Option<f64>| x.map_or("undefined".to_string(), |v| format!("{v:.6}"));
        for e in &d.ope {
            outln!("off-policy {} on {} ({}): {} [{}, {}], n = {}", e.estimator, e.logs_path, e.policy, num(e.value), num(e.low), num(e.high), e.n)?;
        }
        for f in &o.files {
            outln!("  wrote {f}")?;
        }
        Ok(())
    })
}

/// Run `studio performance`.
pub fn performance(a: PerformanceArgs) -> Result<(), Failure> {
    let mut p = open_existing(&a.project)?;
    if let Some(id) = a.remove {
        let actor = crate::review_cmd::acting(&p, a.actor.as_deref())?;
        let r = performance::remove_report(&mut p, actor.as_ref(), id)?;
        return print(a.json, &r, |r| outln!("removed report {} “{}” of campaign {} ({} rows)", r.report.id, r.report.file_name, r.campaign_id, r.rows_removed));
    }
    let missing = |what: &str| Failure::new(ErrorCode::InvalidInput, format!("studio performance needs {what}"));
    let campaign = a.campaign.ok_or_else(|| missing("--campaign ID"))?;
    if a.list {
        let reports = performance::list_reports(&p, campaign)?;
        return print(a.json, &reports, |reports| {
            if reports.is_empty() {
                outln!("campaign {campaign} has no performance reports")?;
            }
            for r in reports {
                outln!("{:>6}  {}  {}  {} rows imported, {} rejected  sha256 {}", r.id, r.imported_at, r.file_name, r.rows_imported, r.rows_rejected, &r.sha256[..r.sha256.len().min(16)])?;
            }
            Ok(())
        });
    }
    let file = a.file.ok_or_else(|| missing("a report FILE, --list or --remove ID"))?;
    let s = performance::import(&mut p, campaign, &file)?;
    print(a.json, &s, |s| {
        let skipped = if s.rows_skipped > 0 { format!(" + {} total rows skipped", s.rows_skipped) } else { String::new() };
        let format = if s.format.is_empty() { String::new() } else { format!(" ({})", s.format) };
        let again = if s.already_imported { " (already imported: nothing changed)" } else { "" };
        outln!("{}{format}: {} rows read = {} imported + {} rejected{skipped}{again}", s.file, s.rows_read, s.rows_imported, s.rows_rejected)?;
        for e in &s.skipped {
            outln!("  {}: line {}: skipped, {}", s.file, e.line, e.reason)?;
        }
        for e in &s.errors {
            match e.column.as_str() {
                "*" => outln!("  {}: line {}: {}", s.file, e.line, e.reason),
                col => outln!("  {}: line {}, column {col}: {}", s.file, e.line, e.reason),
            }?;
        }
        Ok(())
    })
}
