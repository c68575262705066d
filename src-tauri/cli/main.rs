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
mod dashboard_cmd;
mod demo_run;
mod export_cmd;
mod ope_cmd;
mod review_cmd;

use clap::{Parser, Subcommand};

/// mimalloc: the import allocates and frees many small strings on two threads (see the
/// `mimalloc` note in Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use serde::Serialize;
use studio_core::campaign::{self, CampaignParams};
use studio_core::copy::{Goal, Lang, Tone};
use studio_core::segments::{KChoice, SegmentParams};
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
        file: PathBuf,
        /// Force a format: rees46, taobao, retailrocket, online_retail, catalog.
        #[arg(long)]
        format: Option<String>,
        /// Column mapping for other CSV/TSV/JSON Lines files, e.g. user=uid,item=sku,time=ts,event=action.
        #[arg(long)]
        map: Option<String>,
        /// Store keyed pseudonyms instead of user ids.
        #[arg(long)]
        pseudonymise: bool,
        /// The longest line (record) accepted, in bytes; a longer line is rejected on its own
        /// (the import goes on) and never read into memory whole.
        #[arg(long, default_value_t = ingest::DEFAULT_MAX_RECORD_BYTES as u64, value_parser = clap::value_parser!(u64).range(1..=(1 << 30)))]
        max_record_bytes: u64,
        #[arg(long)]
        json: bool,
    },
    /// Train interest segments on a project's events.
    Segment {
        #[arg(long)]
        project: PathBuf,
        /// `auto` (best sampled silhouette over 3..=8) or a number 2..=20.
        #[arg(long, default_value = "auto")]
        k: String,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Also cluster under 5 consecutive seeds and report the adjusted Rand index between them.
        #[arg(long)]
        ari: bool,
        #[arg(long)]
        json: bool,
    },
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
    /// Write the per-user feature matrix (one row per user, header) as CSV.
    Features {
        #[arg(long)]
        project: PathBuf,
        /// CSV file to write (replaced).
        #[arg(long)]
        export: PathBuf,
        /// Values before standardising (default: the standardised values the models use).
        #[arg(long)]
        raw: bool,
        /// Half-life of the category-affinity decay, days.
        #[arg(long, default_value_t = 14.0)]
        half_life: f64,
    },
    /// Create a campaign over the newest segments: copy sets per segment × language, banners
    /// at every placement (within each placement's byte budget).
    Campaign {
        #[arg(long)]
        project: PathBuf,
        #[arg(long)]
        name: String,
        /// Languages, comma-separated: zh-CN, en.
        #[arg(long, default_value = "zh-CN")]
        langs: String,
        /// Placement ids, comma-separated (see assets/placements.json); default: eight core sizes.
        #[arg(long)]
        placements: Option<String>,
        /// Copy sets per segment and language.
        #[arg(long, default_value_t = 8)]
        variants: usize,
        /// playful, premium, urgent or informative.
        #[arg(long, default_value = "informative")]
        tone: String,
        /// clicks or purchases.
        #[arg(long, default_value = "clicks")]
        goal: String,
        #[arg(long, default_value = "https://shop.example.com/")]
        url: String,
        #[arg(long, default_value = "Demo Store")]
        business: String,
        /// Only products of this category / brand.
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        brand: Option<String>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The acting profile (a marketer or admin); required once the project has profiles.
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        #[arg(long)]
        json: bool,
    },
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
    /// Each segment's user ids as Google Customer Match / Meta (EXTERN_ID) lists; small ones refused.
    Audiences(export_cmd::AudiencesArgs),
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
        Command::Import { project, file, format, map, pseudonymise, max_record_bytes, json } => {
            let mut p = open(&project)?;
            let opts = ingest::ImportOptions { format, mapping: map, pseudonymise, max_record_bytes: max_record_bytes as usize };
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
        Command::Features { project, export, raw, half_life } => {
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
        Command::Segment { project, k, seed, ari, json } => {
            let k = match k.as_str() {
                "auto" => KChoice::Auto { min: 3, max: 8 },
                n => KChoice::Fixed(n.parse().map_err(|_| Failure::new(ErrorCode::InvalidInput, format!("--k must be 'auto' or a number, got {n:?}")))?),
            };
            let params = SegmentParams { k, seed, ..Default::default() }.check()?;
            let mut p = open_existing(&project)?;
            let report = segments::train(&mut p, &params, &mut studio_core::progress::ignore)?;
            let stability = if ari { Some(segments::stability(&p, &params, report.k as usize, 5)?) } else { None };
            let out = SegmentOutput { report, stability };
            print(json, &out, |o| {
                let r = &o.report;
                outln!("{} users → {} segments (seed {}, inertia {:.1})", r.users, r.k, r.seed, r.inertia)?;
                for (k, s) in &r.silhouette {
                    outln!("  k={k}: sampled silhouette {s:.3}")?;
                }
                for s in &r.segments {
                    outln!(
                        "  [{}] {} / {} — {} users ({:.1}%), top: {}; brands: {}; {} price, {}",
                        s.label,
                        s.name_en,
                        s.name_zh,
                        s.size,
                        s.share * 100.0,
                        s.top_categories.join(", "),
                        s.top_brands.join(", "),
                        s.price_band,
                        s.rfm_tier
                    )?;
                }
                match (&r.prediction, &r.prediction_note) {
                    (Some(p), _) => outln!(
                        "interest prediction (held-out window, {} users): AUC {:.3} vs popularity {:.3}; precision@3 {:.3} vs {:.3}",
                        p.test_users,
                        p.auc,
                        p.baseline_auc,
                        p.precision_at_3,
                        p.baseline_precision_at_3
                    ),
                    (None, Some(why)) => outln!("interest prediction: none ({why})"),
                    (None, None) => Ok(()),
                }?;
                if let Some(s) = &o.stability {
                    outln!("stability over seeds {:?}: ARI mean {:.3}, min {:.3}", s.seeds, s.mean_ari, s.min_ari)?;
                }
                Ok(())
            })?;
        }
        Command::Campaign { project, name, langs, placements, variants, tone, goal, url, business, category, brand, seed, actor, json } => {
            let bad = |message: String| Failure::new(ErrorCode::InvalidInput, message);
            let languages = langs.split(',').map(|l| Lang::parse(l.trim()).ok_or_else(|| bad(format!("--langs: {l:?} is not zh-CN or en")))).collect::<Result<Vec<_>, _>>()?;
            let mut params = CampaignParams::new(&name, languages[0], seed);
            params.languages = languages;
            if let Some(list) = placements {
                params.placements = list.split(',').map(|s| s.trim().to_string()).collect();
            }
            params.variants_per_segment = variants;
            params.tone = Tone::parse(&tone).ok_or_else(|| bad(format!("--tone: {tone:?} is not playful, premium, urgent or informative")))?;
            params.goal = Goal::parse(&goal).ok_or_else(|| bad(format!("--goal: {goal:?} is not clicks or purchases")))?;
            (params.landing_url, params.business_name) = (url, business);
            (params.products.category, params.products.brand) = (category, brand);
            let mut p = open_existing(&project)?;
            let started = std::time::Instant::now();
            let row = match review_cmd::acting(&p, actor.as_deref())? {
                Some(actor) => studio_core::review::workflow::create_campaign(&mut p, &actor, params, &mut studio_core::progress::ignore)?,
                None => campaign::create(&mut p, params, &mut studio_core::progress::ignore)?,
            };
            let seconds = started.elapsed().as_secs_f64();
            let banners: usize = campaign::variants(&p, row.id)?.iter().map(|v| v.renders.len()).sum();
            let out = CampaignOutput { campaign: row, banners, seconds };
            print(json, &out, |o| {
                let c = &o.campaign;
                outln!("campaign {} “{}”: {} variants, {} banners in {:.2} s ({} × {})", c.id, c.name, c.variants, o.banners, o.seconds, c.languages.join("+"), c.placements.join(", "))
            })?;
        }
        Command::Ope(args) => ope_cmd::ope(args)?,
        Command::Dashboard(args) => dashboard_cmd::dashboard(args)?,
        Command::Performance(args) => dashboard_cmd::performance(args)?,
        Command::User(command) => review_cmd::user(command)?,
        Command::Review(command) => review_cmd::review(command)?,
        Command::Audit(args) => review_cmd::audit_log(args)?,
        Command::Export(args) => export_cmd::run(args)?,
        Command::Audiences(args) => export_cmd::audiences(args)?,
        Command::Info { project, json } => {
            let p = open_read(&project)?;
            let o = overview::overview(&p).map_err(|e| Failure::new(ErrorCode::Internal, e.to_string()))?;
            print(json, &o, |o| outln!("{}: {} products, {} events, {} users, {} segments, {} campaigns", o.path, o.products, o.events, o.users, o.segments, o.campaigns))?;
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

/// `studio campaign` output: the campaign, how many banners were rendered, and how long it took.
#[derive(Serialize)]
struct CampaignOutput {
    #[serde(flatten)]
    campaign: campaign::CampaignRow,
    banners: usize,
    seconds: f64,
}

/// `studio segment` output: the training report, plus stability across seeds when asked.
#[derive(Serialize)]
struct SegmentOutput {
    #[serde(flatten)]
    report: segments::TrainReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    stability: Option<segments::Stability>,
}
