//! `studio campaign`: create a campaign over the newest segments, with the promotion (if any)
//! that backs its price claims. The flags only fill `CampaignParams`; the core checks them.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use studio_core::campaign::{self, CampaignParams};
use studio_core::copy::{Goal, Lang, PromoKind, Promotion, Tone};
use studio_core::ErrorCode;

use crate::{open_existing, print, review_cmd, Failure};

/// Arguments of `studio campaign`.
#[derive(Args)]
pub struct CampaignArgs {
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
    /// Promotion: percent off (1–90). Without a promotion the copy makes no price claim.
    #[arg(long, conflicts_with = "promo_amount")]
    promo_percent: Option<u32>,
    /// Promotion: amount off in whole currency units (below each product's price).
    #[arg(long)]
    promo_amount: Option<u32>,
    /// First day of the promotion, YYYY-MM-DD.
    #[arg(long)]
    promo_from: Option<String>,
    /// Last day of the promotion (inclusive), YYYY-MM-DD.
    #[arg(long)]
    promo_to: Option<String>,
    /// Product ids the promotion applies to, comma-separated (default: every product).
    #[arg(long)]
    promo_products: Option<String>,
    /// Days before the data's last event within which a product counts as new (default 30).
    #[arg(long)]
    new_within_days: Option<u32>,
    /// The acting profile (a marketer or admin); required once the project has profiles.
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,
    #[arg(long)]
    json: bool,
}

/// `studio campaign` output.
#[derive(Serialize)]
struct CampaignOutput {
    #[serde(flatten)]
    campaign: campaign::CampaignRow,
    banners: usize,
    seconds: f64,
}

/// The promotion the flags describe: none without an amount or percent; an amount or
/// percent needs both dates, and dates or products need an amount or percent.
fn promotion(a: &CampaignArgs) -> Result<Option<Promotion>, Failure> {
    let bad = |message: &str| Failure::new(ErrorCode::InvalidInput, message.to_string());
    let kind = match (a.promo_percent, a.promo_amount) {
        (Some(p), _) => PromoKind::Percent(p),
        (None, Some(units)) => PromoKind::Amount(units.checked_mul(100).ok_or_else(|| bad("--promo-amount is too large"))?),
        (None, None) if a.promo_from.is_some() || a.promo_to.is_some() || a.promo_products.is_some() => {
            return Err(bad("--promo-from/--promo-to/--promo-products need --promo-percent or --promo-amount"))
        }
        (None, None) => return Ok(None),
    };
    let (Some(starts), Some(ends)) = (&a.promo_from, &a.promo_to) else { return Err(bad("a promotion needs --promo-from and --promo-to (YYYY-MM-DD)")) };
    let products = a.promo_products.as_deref().map_or_else(Vec::new, |l| l.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    Ok(Some(Promotion { kind, starts: starts.clone(), ends: ends.clone(), products }))
}

/// Run `studio campaign`.
pub fn run(a: CampaignArgs) -> Result<(), Failure> {
    let bad = |message: String| Failure::new(ErrorCode::InvalidInput, message);
    let languages = a.langs.split(',').map(|l| Lang::parse(l.trim()).ok_or_else(|| bad(format!("--langs: {l:?} is not zh-CN or en")))).collect::<Result<Vec<_>, _>>()?;
    let mut params = CampaignParams::new(&a.name, languages[0], a.seed);
    params.languages = languages;
    if let Some(list) = &a.placements {
        params.placements = list.split(',').map(|s| s.trim().to_string()).collect();
    }
    params.variants_per_segment = a.variants;
    params.tone = Tone::parse(&a.tone).ok_or_else(|| bad(format!("--tone: {:?} is not playful, premium, urgent or informative", a.tone)))?;
    params.goal = Goal::parse(&a.goal).ok_or_else(|| bad(format!("--goal: {:?} is not clicks or purchases", a.goal)))?;
    params.promotion = promotion(&a)?;
    params.new_within_days = a.new_within_days;
    (params.landing_url, params.business_name) = (a.url.clone(), a.business.clone());
    (params.products.category, params.products.brand) = (a.category.clone(), a.brand.clone());
    let mut p = open_existing(&a.project)?;
    let started = std::time::Instant::now();
    let row = match review_cmd::acting(&p, a.actor.as_deref())? {
        Some(actor) => studio_core::review::workflow::create_campaign(&mut p, &actor, params, &mut studio_core::progress::ignore)?,
        None => campaign::create(&mut p, params, &mut studio_core::progress::ignore)?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let banners: usize = campaign::variants(&p, row.id)?.iter().map(|v| v.renders.len()).sum();
    let out = CampaignOutput { campaign: row, banners, seconds };
    print(a.json, &out, |o| {
        let c = &o.campaign;
        outln!("campaign {} “{}”: {} variants, {} banners in {:.2} s ({} × {})", c.id, c.name, c.variants, o.banners, o.seconds, c.languages.join("+"), c.placements.join(", "))
    })
}
