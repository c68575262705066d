//! `studio`: the headless Creative Studio. A thin adapter over `studio-core`, like the desktop
//! shell: parse arguments, call one core function, print the result (human text or `--json`).
//!
//! Exit codes: 0 success, 1 the operation failed (message on stderr names file and reason),
//! 2 bad arguments.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[macro_use]
mod output;
use output::{print, Failure};
mod bridge_cmd;
mod campaign_cmd;
mod dashboard_cmd;
mod demo_run;
mod export_cmd;
mod ope_cmd;
mod report_cmd;
mod review_cmd;
mod segment_cmd;
mod serve_cmd;
mod simulate_cmd;

use clap::{Parser, Subcommand};

/// mimalloc: the import allocates and frees many small strings on two threads (see the
/// `mimalloc` note in Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use studio_core::copy::Lang;
use studio_core::store::Access;
use studio_core::{demo, ingest, overview, segments, ErrorCode, Project};

#[derive(Parser)]
#[command(name = "studio", version, about = "Creative Studio, headless: behaviour data in, approved ad creatives out.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole loop on the demo store and export approved creatives to DIR.
    Demo {
        /// Folder for the export (created; replaced if it holds a previous export).
        #[arg(long)]
        out: PathBuf,
        /// Keep the project file here instead of a temporary one.
        #[arg(long)]
        project: Option<PathBuf>,
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// Copy language: zh-CN or en.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// Import a behaviour export or catalog into a project (created if missing). Formats are
    /// detected: REES46, Taobao UserBehavior, RetailRocket, UCI Online Retail, catalog; others
    /// need --map. UTF-8/GBK, CRLF and .gz are handled.
    Import {
        #[arg(long)]
        project: PathBuf,
        #[arg(required_unless_present = "features")]
        file: Option<PathBuf>,
        /// Instead of events: a features file of per-user aggregates and segments (Parquet or
        /// CSV, or Spark's folder of part files) from `studio features --emit spark-sql`'s job.
        #[arg(long, conflicts_with = "file")]
        features: Option<PathBuf>,
        /// With --features: the project whose segment model the file was scored with (default
        /// the project itself).
        #[arg(long, requires = "features")]
        from: Option<PathBuf>,
        /// With --features: that segment model's id (default its newest).
        #[arg(long, requires = "features")]
        model: Option<i64>,
        /// Force a format: rees46, taobao, retailrocket, online_retail, catalog.
        #[arg(long)]
        format: Option<String>,
        /// Column mapping for other CSV/TSV/JSON Lines files, e.g. user=uid,item=sku,time=ts,event=action.
        #[arg(long)]
        map: Option<String>,
        /// The column delimiter instead of sniffing it: comma, semicolon, tab, pipe or spaces.
        #[arg(long)]
        delimiter: Option<String>,
        /// Store keyed pseudonyms instead of user ids.
        #[arg(long)]
        pseudonymise: bool,
        /// The longest line (record) accepted, in bytes; a longer line is rejected on its own
        /// (the import goes on) and never read into memory whole.
        #[arg(long, default_value_t = ingest::DEFAULT_MAX_RECORD_BYTES as u64, value_parser = clap::value_parser!(u64).range(1..=(1 << 30)))]
        max_record_bytes: u64,
        /// The file's currency (CNY, USD, EUR, GBP, JPY): sets a new project's; other currencies' rows are rejected.
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Train interest segments on a project's events (or split one of the newest model's).
    Segment(segment_cmd::SegmentArgs),
    /// Rename a segment (both languages; names unique within its model). Logged in the audit
    /// log as the profile named by --as (a marketer or admin) once the project has profiles.
    RenameSegment {
        #[arg(long)]
        project: PathBuf,
        /// Segment id (from `studio segment --json`).
        #[arg(long)]
        segment: i64,
        #[arg(long)]
        en: String,
        #[arg(long)]
        zh: String,
        /// The acting profile (a marketer or admin); required once the project has profiles.
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the per-user feature matrix (one row per user, header) as CSV; or, with --emit
    /// spark-sql, the Spark job of a segment model (SQL + PySpark driver) into --out.
    Features {
        #[arg(long)]
        project: PathBuf,
        /// CSV file to write (replaced).
        #[arg(long, required_unless_present = "emit")]
        export: Option<PathBuf>,
        /// `spark-sql`: write the feature and scoring pipeline as a Spark job instead.
        #[arg(long, value_parser = ["spark-sql"], conflicts_with = "export", requires = "out")]
        emit: Option<String>,
        /// With --emit: the segment model (default the newest).
        #[arg(long, requires = "emit")]
        model: Option<i64>,
        /// With --emit: the folder to write into (created).
        #[arg(long, requires = "emit")]
        out: Option<PathBuf>,
        /// Values before standardising (default: the standardised values the models use).
        #[arg(long)]
        raw: bool,
        /// Half-life of the category-affinity decay, days.
        #[arg(long, default_value_t = 14.0)]
        half_life: f64,
    },
    /// Create a campaign over the newest segments: copy sets per segment × language, banners
    /// at every placement (within each placement's byte budget); price claims only with a
    /// promotion (--promo-percent or --promo-amount, --promo-from, --promo-to).
    Campaign(Box<campaign_cmd::CampaignArgs>),
    /// Off-policy evaluation: estimate what another policy would earn on logged bandit
    /// feedback (Open Bandit Dataset CSV) with IPW, self-normalised IPW and doubly robust,
    /// each with a bootstrap confidence interval (numbers equal to obp 0.5.7's); with
    /// --project and --campaign the estimates are stored for the campaign's dashboard.
    Ope(ope_cmd::OpeArgs),
    /// The manager dashboard of a campaign: every chart as PNG + SVG + CSV into --out, and
    /// the numbers behind them.
    Dashboard(dashboard_cmd::DashboardArgs),
    /// Import a real performance report into a campaign: the studio's CSV (ad_id,impressions,
    /// clicks,conversions[,date][,cost]), a Google Ads ad report or a Meta Ads Manager export.
    Performance(dashboard_cmd::PerformanceArgs),
    /// The campaign report as a PDF (A4, zh-CN or en): summary, approval progress, real vs
    /// simulated CTR per segment, the lift, off-policy estimates; every figure labelled.
    Report(report_cmd::ReportArgs),
    /// Local profiles (marketer, reviewer, manager, admin).
    #[command(subcommand)]
    User(review_cmd::UserCommand),
    /// The review workflow of a variant: submit, approve, request changes, comment, show.
    #[command(subcommand)]
    Review(review_cmd::ReviewCommand),
    /// Print the append-only audit log (text, CSV or JSON).
    Audit(review_cmd::AuditArgs),
    /// Export a campaign's approved creatives for upload: images per placement, Google Ads
    /// Editor CSVs, Meta asset feed, manifest.json (optionally a zip); validated first.
    Export(export_cmd::ExportArgs),
    /// Serve a campaign's approved creatives live over HTTP (rank → event id → reward), learn
    /// from real clicks, log decisions for off-policy evaluation.
    Serve(serve_cmd::ServeArgs),
    /// Join a `studio serve` log folder's rewards into its decisions (one dsjson file for Vowpal
    /// Wabbit and off-policy evaluation).
    Logs(serve_cmd::LogsArgs),
    /// Each segment's user ids as Google Customer Match / Meta (EXTERN_ID) lists; small ones refused.
    Audiences(export_cmd::AudiencesArgs),
    /// Simulated serving of a campaign: run, list, show, compare (everything simulated).
    #[command(subcommand)]
    Simulate(simulate_cmd::SimulateCommand),
    /// The window's commands over HTTP on 127.0.0.1, for the UI in a browser and the UI tests
    /// (development only).
    Bridge(bridge_cmd::BridgeArgs),
    /// Show a project's totals and import history.
    Info {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command).and_then(|()| output::flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) if f.pipe_closed => ExitCode::SUCCESS,
        Err(f) => {
            let hint = match f.code {
                ErrorCode::Busy => " (another studio process is using this project; try again when it has finished)",
                _ => "",
            };
            output::error_line(format_args!("studio: error[{}]: {}{hint}", f.code.as_str(), f.message));
            ExitCode::from(1)
        }
    }
}

/// Open (creating if missing) a project to change it.
fn open(path: &Path) -> Result<Project, Failure> {
    Ok(Project::open(path)?)
}

/// Open a project that must already exist, to change it.
fn open_existing(path: &Path) -> Result<Project, Failure> {
    if !path.exists() {
        return Err(Failure::new(ErrorCode::NotFound, format!("{}: no such project", path.display())));
    }
    open(path)
}

/// Open a project that must already exist, only to read it: a read-only file is fine.
fn open_read(path: &Path) -> Result<Project, Failure> {
    Ok(Project::open_for(path, Access::Read)?)
}

fn run(cmd: Command) -> Result<(), Failure> {
    match cmd {
        Command::Import { project, features: Some(features), from, model, json, .. } => {
            let mut p = open(&project)?;
            let source = from.as_deref().map(open_read).transpose()?;
            let r = studio_core::spark::import::import_features(&mut p, source.as_ref(), model, &features)?;
            print(json, &r, |r| {
                outln!(
                    "{}: {} users in {} segments → segment model {} (over model {}); {} with top interests; project kind: {}",
                    r.file,
                    r.users,
                    r.segments,
                    r.model_id,
                    r.source_model_id,
                    r.users_with_interests,
                    r.project_kind
                )
            })?;
        }
        Command::Import { project, file, format, map, delimiter, pseudonymise, max_record_bytes, currency, json, .. } => {
            let file = file.ok_or_else(|| Failure::new(ErrorCode::InvalidInput, "name a file to import (or --features FILE)"))?;
            let mut p = open(&project)?;
            let opts = ingest::ImportOptions { format, mapping: map, pseudonymise, max_record_bytes: max_record_bytes as usize, currency, delimiter };
            let s = ingest::import_file_with(&mut p, &file, &opts, &mut studio_core::progress::ignore)?;
            print(json, &s, |s| {
                outln!(
                    "{} [{} {}]: {} rows read = {} imported + {} duplicate + {} rejected{}",
                    s.file,
                    s.format,
                    s.encoding,
                    s.rows_read,
                    s.rows_imported,
                    s.rows_duplicate,
                    s.rows_rejected,
                    if s.already_imported { " (already imported: nothing changed)" } else { "" }
                )?;
                for n in &s.notes {
                    outln!("  note: {} × {}", n.count, n.note)?;
                }
                for e in &s.errors {
                    match e.column.as_str() {
                        "*" => outln!("  line {}: {}", e.line, e.reason),
                        col => outln!("  line {}, column {col}: {}", e.line, e.reason),
                    }?;
                }
                Ok(())
            })?;
        }
        Command::RenameSegment { project, segment, en, zh, actor, json } => {
            let mut p = open_existing(&project)?;
            let row = match review_cmd::acting(&p, actor.as_deref())? {
                Some(actor) => studio_core::review::rename::rename_segment(&mut p, &actor, segment, &en, &zh)?,
                None => segments::rename(&mut p, segment, &en, &zh)?,
            };
            print(json, &row, |r| outln!("segment {} is now {} / {}", r.id, r.name_en, r.name_zh))?;
        }
        Command::Features { project, emit: Some(_), model, out, .. } => {
            let p = open_read(&project)?;
            let out = out.ok_or_else(|| Failure::new(ErrorCode::InvalidInput, "--emit needs --out DIR"))?;
            let e = studio_core::spark::emit(&p, model, &out)?;
            outln!(
                "segment model {} (feature spec v{}, {} columns, {} segments, {} interest categories) → {}",
                e.model_id,
                e.spec_version,
                e.columns,
                e.segments,
                e.interest_categories,
                out.display()
            )?;
            outln!("run: spark-submit {}/{} --events EVENTS.parquet --out RESULT_DIR", out.display(), studio_core::spark::DRIVER_FILE)?;
        }
        Command::Features { project, export, raw, half_life, .. } => {
            let export = export.ok_or_else(|| Failure::new(ErrorCode::InvalidInput, "name the CSV to write with --export (or --emit spark-sql)"))?;
            if half_life.is_nan() || half_life <= 0.0 {
                return Err(Failure::new(ErrorCode::InvalidInput, format!("--half-life must be a positive number of days, got {half_life}")));
            }
            let p = open_read(&project)?;
            let m = studio_core::features::build(&p, half_life).map_err(|e| Failure::new(ErrorCode::Internal, e.to_string()))?;
            let io = |e: std::io::Error| Failure::new(ErrorCode::Io, format!("cannot write {}: {e}", export.display()));
            let mut f = std::io::BufWriter::new(std::fs::File::create(&export).map_err(io)?);
            studio_core::features::write_csv(&m, raw, &mut f).map_err(io)?;
            outln!("{} users × {} features (spec v{}) → {}", m.users.len(), m.spec.columns.len(), m.spec.version, export.display())?;
        }
        Command::Segment(args) => segment_cmd::segment(args)?,
        Command::Campaign(args) => campaign_cmd::run(*args)?,
        Command::Ope(args) => ope_cmd::ope(args)?,
        Command::Dashboard(args) => dashboard_cmd::dashboard(args)?,
        Command::Performance(args) => dashboard_cmd::performance(args)?,
        Command::Report(args) => report_cmd::report(args)?,
        Command::User(command) => review_cmd::user(command)?,
        Command::Review(command) => review_cmd::review(command)?,
        Command::Audit(args) => review_cmd::audit_log(args)?,
        Command::Export(args) => export_cmd::run(args)?,
        Command::Serve(args) => serve_cmd::run(args)?,
        Command::Logs(args) => serve_cmd::logs(args)?,
        Command::Audiences(args) => export_cmd::audiences(args)?,
        Command::Simulate(command) => simulate_cmd::run(command)?,
        Command::Bridge(args) => bridge_cmd::run(args)?,
        Command::Info { project, json } => {
            let p = open_read(&project)?;
            let o = overview::overview(&p).map_err(|e| Failure::new(ErrorCode::Internal, e.to_string()))?;
            print(json, &o, |o| outln!("{} ({} project): {} products, {} events, {} users, {} segments, {} campaigns", o.path, o.kind, o.products, o.events, o.users, o.segments, o.campaigns))?;
        }
        Command::Demo { out, project, seed, lang, json } => {
            let lang = Lang::parse(&lang).ok_or_else(|| Failure::new(ErrorCode::InvalidInput, format!("--lang must be zh-CN or en, got {lang:?}")))?;
            let summary = demo_run::run_demo(&out, project.as_deref(), seed, lang)?;
            print(json, &summary, |s| {
                outln!("demo: exported {} approved variant(s) to {}", s.variants, s.dir)?;
                for f in &s.files {
                    outln!("  {}  {} bytes  sha256 {}", f.name, f.bytes, &f.sha256[..16])?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}
