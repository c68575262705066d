//! Ad copy for a segment: headline, description and call to action, with the reasons behind
//! each choice. Built-in, offline, deterministic under a seed.
//!
//! Framing follows the segment profile: value-seeking → discount; premium → quality; lapsed →
//! welcome back; carters → checkout reminder. Lengths are width-aware (a CJK character counts 2)
//! and shortened only at word or character boundaries.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::segments::profile::Profile;

/// Copy language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub brand: String,
    pub category: String,
    pub price_cents: i64,
    /// ISO 4217 code, e.g. CNY or USD.
    pub currency: String,
}

/// One generated copy set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    pub headline: String,
    pub description: String,
    pub cta: String,
    /// Discount in percent when the copy promises one (the banner's price badge shows it).
    pub discount_pct: u32,
    /// Why this copy looks the way it does, one line per decision.
    pub reasons: Vec<String>,
}

/// Headline limit in width units (Google responsive display short headline).
pub const HEADLINE_MAX: usize = 30;
/// Description limit in width units.
pub const DESCRIPTION_MAX: usize = 90;

/// Generate copy for `product` aimed at the segment with profile `p`.
pub fn generate(p: &Profile, product: &ProductInfo, lang: Lang, seed: u64) -> Copy {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ hash(&product.id));
    let mut reasons = Vec::new();
    let (cat_en, cat_zh) = catalog::names(&product.category);
    let discount = [10u32, 15, 20][rng.gen_range(0..3)];
    let zh_fold = format!("{}", (100 - discount) as f64 / 10.0).replace(".0", "").replace('.', "");
    let price = money(product.price_cents, &product.currency);
    let (headline, mut description, discount_pct) = if p.price_index < -0.2 {
        reasons.push(format!("value-seeking segment (price index {:.2}) → discount framing", p.price_index));
        match lang {
            Lang::En => (fit_name(&product.name_en, "", &format!(" – {discount}% off")), format!("Top-rated {cat_en} at a price that makes sense. Now {price}, this week only."), discount),
            Lang::Zh => (fit_name(&product.name_zh, "", &format!("限时{zh_fold}折")), format!("人气{cat_zh}好物，本周到手价{price}，划算不等人。"), discount),
        }
    } else if p.price_index > 0.2 {
        reasons.push(format!("premium segment (price index {:.2}) → quality framing, no discount", p.price_index));
        match lang {
            Lang::En => (fit_name(&product.name_en, "", ": made to last"), format!("Considered design and materials from {}. Quality {cat_en} you will keep for years.", product.brand), 0),
            Lang::Zh => (fit_name(&product.name_zh, "", "，品质之选"), format!("{}匠心设计，用料考究，值得长久陪伴的{cat_zh}。", product.brand), 0),
        }
    } else {
        reasons.push("mid-price segment → new-arrival framing".to_string());
        match lang {
            Lang::En => (fit_name(&product.name_en, "New in: ", ""), format!("Fresh {cat_en} picks chosen for you. {} from {price}.", product.name_en), 0),
            Lang::Zh => (fit_name(&product.name_zh, "新品上架：", ""), format!("为你精选的{cat_zh}新品，{}到手{price}起。", product.name_zh), 0),
        }
    };
    // Lapsed for weeks, but not so long that "welcome back" would ring false.
    if (21.0..=180.0).contains(&p.recency_days) {
        reasons.push(format!("segment inactive for {:.0} days on average → welcome-back opener", p.recency_days));
        description = match lang {
            Lang::En => format!("Welcome back! {description}"),
            Lang::Zh => format!("欢迎回来！{description}"),
        };
    }
    let ratio = p.purchase_rate / p.population_purchase_rate.max(1e-9);
    let cta = if p.cart_rate > 0.12 {
        reasons.push(format!("cart rate {:.0}% → checkout reminder CTA", p.cart_rate * 100.0));
        match lang {
            Lang::En => "Complete your order",
            Lang::Zh => "去结算",
        }
    } else if ratio < 0.7 {
        reasons.push("browsing segment (low purchase rate) → soft 'discover' CTA".to_string());
        match lang {
            Lang::En => "Discover more",
            Lang::Zh => "查看详情",
        }
    } else {
        reasons.push("buying segment → direct 'shop now' CTA".to_string());
        match lang {
            Lang::En => "Shop now",
            Lang::Zh => "立即购买",
        }
    };
    reasons.push(format!("product: top {} item among this segment's views ({})", cat_en, product.id));
    Copy {
        headline: shorten(&headline, HEADLINE_MAX),
        description: shorten(&description, DESCRIPTION_MAX),
        cta: cta.to_string(),
        discount_pct,
        reasons,
    }
}

/// `prefix + name + suffix` within [`HEADLINE_MAX`], shortening only the product name so the
/// offer itself ("15% off", "限时85折") always survives.
fn fit_name(name: &str, prefix: &str, suffix: &str) -> String {
    let room = HEADLINE_MAX.saturating_sub(width(prefix) + width(suffix));
    format!("{prefix}{}{suffix}", shorten(name, room))
}

/// Display width: CJK and full-width characters count 2, others 1.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let u = c as u32;
    if (0x1100..=0x115F).contains(&u) || (0x2E80..=0xA4CF).contains(&u) || (0xAC00..=0xD7A3).contains(&u) || (0xF900..=0xFAFF).contains(&u) || (0xFE30..=0xFE4F).contains(&u) || (0xFF00..=0xFF60).contains(&u) || (0xFFE0..=0xFFE6).contains(&u) {
        2
    } else {
        1
    }
}

/// Shorten to at most `max` width units, cutting only between words (Latin) or between
/// characters (CJK), and ending with "…" when anything was cut.
pub fn shorten(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    let mut last_break = 0; // byte length of `out` at the last safe break
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > max {
            break;
        }
        if c == ' ' || cw == 2 {
            last_break = out.len();
        }
        out.push(c);
        w += cw;
        if cw == 2 {
            last_break = out.len();
        }
    }
    out.truncate(last_break);
    let t = out.trim_end_matches([' ', ',', '，', ':', '：', '–', '-']);
    format!("{t}…")
}

/// A whole-unit price with its currency symbol: ¥449, $12, €30; other codes as a suffix.
pub fn money(cents: i64, currency: &str) -> String {
    let units = (cents as f64 / 100.0).round() as i64;
    match currency {
        "CNY" | "JPY" => format!("¥{units}"),
        "USD" => format!("${units}"),
        "EUR" => format!("€{units}"),
        "GBP" => format!("£{units}"),
        other => format!("{units} {other}"),
    }
}

fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(price_index: f64, cart_rate: f64, recency: f64) -> Profile {
        Profile { size: 100, share: 0.2, top_categories: vec!["electronics".into()], avg_price: 100.0, price_index, cart_rate, purchase_rate: 0.05, recency_days: recency, population_purchase_rate: 0.05, top_brands: Vec::new(), price_band: "mid".into(), rfm_tier: "loyal".into() }
    }

    fn product() -> ProductInfo {
        ProductInfo { id: "P1".into(), name_en: "Voltix wireless earbuds Pro".into(), name_zh: "沃提克无线耳机专业版".into(), brand: "Voltix".into(), category: "electronics".into(), price_cents: 44900, currency: "CNY".into() }
    }

    #[test]
    fn framing_follows_price_sensitivity() {
        let value = generate(&profile(-0.5, 0.05, 3.0), &product(), Lang::En, 1);
        assert!(value.discount_pct > 0 && value.headline.contains("off"), "{value:?}");
        assert!(value.reasons[0].contains("discount framing"));
        let premium = generate(&profile(0.5, 0.05, 3.0), &product(), Lang::Zh, 1);
        assert_eq!(premium.discount_pct, 0);
        assert!(premium.headline.contains("品质"), "{premium:?}");
    }

    #[test]
    fn lapsed_carters_get_welcome_back_and_checkout() {
        let c = generate(&profile(0.0, 0.2, 30.0), &product(), Lang::En, 1);
        assert!(c.description.starts_with("Welcome back"));
        assert_eq!(c.cta, "Complete your order");
    }

    #[test]
    fn copy_fits_limits_and_is_deterministic() {
        for lang in [Lang::En, Lang::Zh] {
            for pi in [-0.5, 0.0, 0.5] {
                let a = generate(&profile(pi, 0.1, 30.0), &product(), lang, 9);
                assert!(width(&a.headline) <= HEADLINE_MAX, "{a:?}");
                assert!(width(&a.description) <= DESCRIPTION_MAX, "{a:?}");
                assert_eq!(a, generate(&profile(pi, 0.1, 30.0), &product(), lang, 9));
            }
        }
    }

    #[test]
    fn shorten_never_cuts_words_or_characters() {
        assert_eq!(width("高端"), 4);
        let s = shorten("Considered design and materials", 20);
        assert_eq!(s, "Considered design…");
        let z = shorten("沃提克无线耳机专业版限时8折", 12);
        assert_eq!(z, "沃提克无线…");
        assert!(width(&z) <= 12);
    }
}
