//! `studio report`: the campaign report as a PDF (A4, zh-CN or en), over the same core call
//! as the shell's "Report (PDF)" button (`studio_core::report`).

use std::path::PathBuf;

use clap::Args;
use studio_core::copy::Lang;
use studio_core::report::{self, ReportParams};
use studio_core::ErrorCode;

use crate::{print, Failure};

/// `studio report …`
#[derive(Args)]
pub struct ReportArgs {
    #[arg(long)]
    project: PathBuf,
    #[arg(long)]
    campaign: i64,
    /// Report language: zh-CN or en.
    #[arg(long, default_value = "zh-CN")]
    lang: String,
    /// The PDF to write (replaced).
    #[arg(long)]
    out: PathBuf,
    #[arg(long)]
    json: bool,
}

/// Run `studio report`.
pub fn report(a: ReportArgs) -> Result<(), Failure> {
    let lang = Lang::parse(&a.lang).ok_or_else(|| Failure::new(ErrorCode::InvalidInput, format!("--lang must be zh-CN or en, got {:?}", a.lang)))?;
    let p = crate::open_read(&a.project)?;
    let params = ReportParams { campaign_id: a.campaign, lang }.check(&p)?;
    let s = report::write(&p, params, &a.out)?;
    print(a.json, &s, |s| {
        outln!("wrote {} ({} pages, {} bytes, {}) for campaign {}", s.path, s.pages, s.bytes, s.lang.tag(), s.campaign_id)?;
        for seg in &s.segments {
            let rate = |r: &Option<report::Rate>| r.as_ref().map_or("—".to_string(), |r| format!("{:.2}% [{:.2}%, {:.2}%] of {}", r.ctr * 100.0, r.low * 100.0, r.high * 100.0, r.impressions));
            outln!("  {}: simulated CTR {}; real CTR {}", seg.name_en, rate(&seg.simulated), rate(&seg.real))?;
        }
        Ok(())
    })
}
