//! `studio export`: a campaign's approved creatives, ready for upload, into a folder.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use studio_core::export::{self, audiences, ExportError, ExportParams, Problem};
use studio_core::placements::Platform;
use studio_core::{ErrorCode, HasCode};

use crate::{open_existing, print, Failure};

/// Arguments of `studio export`.
#[derive(Args)]
pub struct ExportArgs {
    #[arg(long)]
    project: PathBuf,
    /// Campaign id (from `studio campaign --json`).
    #[arg(long)]
    campaign: i64,
    /// Export folder: created, or replaced when it holds a previous export.
    #[arg(long)]
    out: PathBuf,
    /// Also write `<campaign>.zip` of every file into the folder.
    #[arg(long)]
    zip: bool,
    /// Platforms, comma-separated: google, meta, iab (default: every platform of the campaign).
    #[arg(long)]
    platforms: Option<String>,
    /// Where the exported images will be served (http(s) URL): Meta request bodies then give
    /// images by `url`; without it, by `hash` placeholders listed in `meta_images.csv`.
    #[arg(long, value_name = "URL")]
    asset_base_url: Option<String>,
    /// Daily budget of each Google campaign (account currency; default 1.00 with a warning).
    #[arg(long, value_name = "AMOUNT")]
    daily_budget: Option<f64>,
    /// Only validate: list every problem, the files that would be written and, per platform,
    /// every column or field not in its reference format (exit 1 on any); write nothing.
    #[arg(long)]
    check: bool,
    /// The acting profile (a marketer or admin); required once the project has profiles.
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,
    #[arg(long)]
    json: bool,
}

/// What `--json` prints when validation blocks the export.
#[derive(Serialize)]
struct Blocked<'a> {
    code: &'static str,
    message: String,
    problems: &'a [Problem],
}

fn platform(s: &str) -> Result<Platform, Failure> {
    match s.trim() {
        "google" => Ok(Platform::Google),
        "meta" => Ok(Platform::Meta),
        "iab" => Ok(Platform::Iab),
        other => Err(Failure::new(ErrorCode::InvalidInput, format!("--platforms: {other:?} is not google, meta or iab"))),
    }
}

fn line(p: &Problem) -> String {
    let sev = if p.is_error() { "error" } else { "warning" };
    let rule = serde_json::to_value(p.rule).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    let at = [p.file.clone(), p.variant_id.map(|v| format!("variant {v}")), p.placement.clone(), p.field.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    if at.is_empty() {
        format!("  {sev}[{rule}]: {}", p.message)
    } else {
        format!("  {sev}[{rule}] {at}: {}", p.message)
    }
}

/// Run `studio export`. Exit 1 with `error[invalid_input]` and one line per problem when
/// validation blocks the export (with `--json`, the problems are also printed as JSON).
pub fn run(a: ExportArgs) -> Result<(), Failure> {
    let platforms = match &a.platforms {
        Some(list) => list.split(',').filter(|s| !s.trim().is_empty()).map(platform).collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let params = ExportParams { campaign_id: a.campaign, out_dir: a.out.display().to_string(), zip: a.zip, platforms, asset_base_url: a.asset_base_url, daily_budget: a.daily_budget }.check()?;
    let p = if a.check { crate::open_read(&a.project)? } else { open_existing(&a.project)? };
    if a.check {
        let pv = export::preview(&p, &params)?;
        print(a.json, &pv, |pv| {
            outln!(
                "{} approved variant(s) would be exported as {} files ({} not approved, {} stale approvals skipped)",
                pv.variants,
                pv.files.len(),
                pv.skipped.not_approved,
                pv.skipped.stale_approval
            )?;
            for f in &pv.formats {
                let name = serde_json::to_value(f.platform).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
                if f.unknown.is_empty() {
                    outln!("{name}: all {} columns/fields are in the reference ({})", f.checked, f.reference)?;
                } else {
                    outln!("{name}: {} of {} columns/fields are not in the reference ({}): {}", f.unknown.len(), f.checked, f.reference, f.unknown.join("; "))?;
                }
            }
            for p in &pv.problems {
                outln!("{}", line(p))?;
            }
            Ok(())
        })?;
        return match pv.problems.iter().filter(|p| p.is_error()).count() {
            0 => Ok(()),
            n => Err(Failure::new(ErrorCode::InvalidInput, format!("{n} problem(s) would block the export"))),
        };
    }
    let actor = crate::review_cmd::acting(&p, a.actor.as_deref())?;
    let exported = match &actor {
        Some(actor) => export::export_as(&p, actor, &params),
        None => export::export(&p, &params),
    };
    match exported {
        Ok(s) => print(a.json, &s, |s| {
            let zip = s.zip.as_ref().map(|z| format!(", zip {z}")).unwrap_or_default();
            outln!(
                "exported {} approved variant(s) to {}: {} files{zip} ({} not approved, {} stale approvals skipped){}",
                s.variants,
                s.dir,
                s.files.len(),
                s.skipped.not_approved,
                s.skipped.stale_approval,
                if s.contains_simulated { "; the manifest's CTRs are simulated" } else { "" }
            )?;
            for w in &s.warnings {
                outln!("{}", line(w))?;
            }
            Ok(())
        }),
        Err(e @ ExportError::Invalid(_)) => {
            for p in e.problems() {
                crate::output::error_line(format_args!("{}", line(p)));
            }
            if a.json {
                let b = Blocked { code: e.code().as_str(), message: e.to_string(), problems: e.problems() };
                let text = serde_json::to_string_pretty(&b).map_err(|e| Failure::new(ErrorCode::Internal, format!("cannot serialise the problems: {e}")))?;
                outln!("{text}")?;
            }
            Err(e.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Arguments of `studio audiences`.
#[derive(Args)]
pub struct AudiencesArgs {
    #[arg(long)]
    project: PathBuf,
    /// Campaign id (from `studio campaign --json`).
    #[arg(long)]
    campaign: i64,
    /// Folder: created, or replaced when it holds a previous audiences export.
    #[arg(long)]
    out: PathBuf,
    /// Smallest audience written, in users (default 100, at least 20); smaller segments are
    /// refused by name.
    #[arg(long)]
    min_audience: Option<u32>,
    /// The acting profile (a marketer or admin); required once the project has profiles.
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Run `studio audiences`: the lists of every segment at or over the minimum; refused segments
/// named on stderr (and in the JSON). Exit 1 only when every segment is refused.
pub fn audiences(a: AudiencesArgs) -> Result<(), Failure> {
    let params = audiences::AudienceParams { campaign_id: a.campaign, out_dir: a.out.display().to_string(), min_audience: a.min_audience }.check()?;
    let p = open_existing(&a.project)?;
    let actor = crate::review_cmd::acting(&p, a.actor.as_deref())?;
    let s = audiences::export_audiences_as(&p, actor.as_ref(), &params)?;
    for r in &s.refused {
        crate::output::error_line(format_args!("  refused: {}", r.reason));
    }
    print(a.json, &s, |s| {
        outln!("wrote {} audience(s) of campaign {} to {} (minimum {} users; {} refused)", s.audiences.len(), s.campaign_id, s.dir, s.min_audience, s.refused.len())?;
        for x in &s.audiences {
            outln!("  segment {} {}: {} users -> {}, {}", x.label, x.segment, x.users, x.google_file, x.meta_file)?;
        }
        if s.pseudonymised_ids > 0 {
            outln!("  {} ids are pseudonyms: README.md says how the shop recomputes them", s.pseudonymised_ids)?;
        }
        Ok(())
    })
}
