//! Ad copy for a segment: headlines, descriptions, primary texts and calls to action, in
//! Chinese (zh-CN) or English, with the reasons behind each choice. Built-in, offline,
//! deterministic under a seed.
//!
//! [`generate_sets`] (v2) writes up to `n` distinct copy sets per segment × product × language
//! from several creative angles. The segment profile decides which angles lead: price-sensitive
//! → discount, premium → quality, lapsed (21–180 days) → welcome back, recent → new arrivals,
//! carters → cart reminder with a checkout CTA; the segment's top brands and predicted
//! interests add brand and interest angles; product-title keywords (jieba TF-IDF for Chinese)
//! fill the templates. The tone picks the wording from phrase banks written as data
//! (`bank.rs`), the goal tips the order and the CTA. Every set passes the compliance checker,
//! fits every placement's text limits (width-aware: a CJK character counts 2) and is shortened
//! only at word or character boundaries.
//!
//! [`generate`] (v1) is the one-set form the older call sites use: the first set of a brief
//! whose tone and goal follow from the profile.
//!
//! Modules: `text` (width, shortening, templates), `keywords`, `bank` (phrase banks), `plan`
//! (angle ranking and reasons), `sets` (the generator), `fit` (near-duplicates, placements).

mod bank;
mod fit;
mod keywords;
mod plan;
mod sets;
mod text;

use serde::{Deserialize, Serialize};

use crate::segments::profile::Profile;

pub use fit::{for_placement, near_duplicate, NEAR_DUPLICATE_JACCARD};
pub use keywords::keywords;
pub use plan::{BUYING_ABOVE, CARTER_ABOVE, LAPSED_DAYS, PREMIUM_ABOVE, PRICE_SENSITIVE_BELOW, STRONG_INTEREST};
pub use sets::{generate_sets, Brief, CopySet, Goal, Tone, SET_DESCRIPTION_MAX, SET_HEADLINE_MAX, SET_LONG_HEADLINE_MAX, SET_PRIMARY_TEXT_MAX, VARIANTS_DEFAULT};
pub use text::{money, shorten, width};

/// Copy language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parse `zh-CN`/`zh` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// The BCP-47 tag stored with variants.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// The product a variant promotes.
#[derive(Debug, Clone)]
pub struct ProductInfo {
    /// Catalog id (also mixed into the generator's seed).
    pub id: String,
    /// English name, used for English copy and its keywords.
    pub name_en: String,
    /// Chinese name, used for Chinese copy and its keywords.
    pub name_zh: String,
    /// Brand as written in the catalog (Latin script in both languages' copy).
    pub brand: String,
    /// Top-level category key (see [`crate::catalog`]).
    pub category: String,
    /// Regular price in cents of `currency`.
    pub price_cents: i64,
    /// ISO 4217 code, e.g. CNY or USD.
    pub currency: String,
}

/// One generated copy set (v1: headline, description and CTA only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    /// ≤ [`HEADLINE_MAX`] width units.
    pub headline: String,
    /// ≤ [`DESCRIPTION_MAX`] width units.
    pub description: String,
    /// Call to action.
    pub cta: String,
    /// Discount in percent when the copy promises one (the banner's price badge shows it).
    pub discount_pct: u32,
    /// Why this copy looks the way it does, one line per decision.
    pub reasons: Vec<String>,
}

/// Headline limit in width units (Google responsive display short headline). v2 sets keep
/// to the tighter [`SET_HEADLINE_MAX`].
pub const HEADLINE_MAX: usize = 30;
/// Description limit in width units.
pub const DESCRIPTION_MAX: usize = 90;

/// Generate one copy set for `product` aimed at the segment with profile `p`: the first set of
/// [`generate_sets`] for a brief whose tone follows the price band (premium → premium tone,
/// price-sensitive → urgent, else informative), whose goal follows the funnel (purchase rate
/// under 0.7× the population → clicks, else purchases), with no predicted interests and the
/// product's brand as the advertiser. Fits [`HEADLINE_MAX`] and [`DESCRIPTION_MAX`].
pub fn generate(p: &Profile, product: &ProductInfo, lang: Lang, seed: u64) -> Copy {
    let tone = if p.price_index > PREMIUM_ABOVE {
        Tone::Premium
    } else if p.price_index < PRICE_SENSITIVE_BELOW {
        Tone::Urgent
    } else {
        Tone::Informative
    };
    let goal = if p.purchase_rate / p.population_purchase_rate.max(1e-9) < 0.7 { Goal::Clicks } else { Goal::Purchases };
    let brief = Brief { profile: p, product, interests: &[], tone, goal, business_name: &product.brand, lang, seed, n: 1 };
    match generate_sets(&brief).into_iter().next() {
        Some(s) => Copy { headline: s.headline, description: s.description, cta: s.cta, discount_pct: s.discount_pct, reasons: s.reasons },
        // Only when every set broke a rule (a product name the cleaner cannot fix): plain copy
        // without the product's words.
        None => {
            let (cat_en, cat_zh) = crate::catalog::names(&product.category);
            let price = money(product.price_cents, &product.currency);
            let (headline, description, cta) = match lang {
                Lang::En => (shorten(&format!("New {cat_en} picks"), HEADLINE_MAX), format!("Fresh {cat_en} picks, from {price}."), "Discover more"),
                Lang::Zh => (shorten(&format!("{cat_zh}新品上架"), HEADLINE_MAX), format!("{cat_zh}新品，{price}起。"), "查看详情"),
            };
            let reasons = vec!["every generated set broke an ad rule → plain category copy without the product name".to_string()];
            Copy { headline, description: shorten(&description, DESCRIPTION_MAX), cta: cta.to_string(), discount_pct: 0, reasons }
        }
    }
}

#[cfg(test)]
mod tests;
