//! What copy may claim, and what backs each claim: the campaign's promotion (price claims), the
//! product's first appearance in the data (novelty), its recent buyers (popularity) and the
//! audience (cart reminders). The generator only plans an angle whose claim is backed here,
//! and the compliance checker is handed the same evidence ([`Evidence::context`]), so a claim
//! typed in later by a person is held to the same standard.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::text::money;
use super::ProductInfo;
use crate::compliance::ClaimContext;

/// What a promotion takes off the regular price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PromoKind {
    /// Percent off, 1..=90 ([`PERCENT_RANGE`]).
    Percent(u32),
    /// A fixed amount off, in cents of the product's currency; must be below the price.
    Amount(u32),
}

/// The percentages a promotion may take off.
pub const PERCENT_RANGE: std::ops::RangeInclusive<u32> = 1..=90;

/// A promotion the marketer entered for a campaign: the only thing that backs a price claim
/// (discount, was/now price, "% off", 折, badge). Dates are `YYYY-MM-DD`, both inclusive.
/// Validated by [`crate::campaign::CampaignParams::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Promotion {
    pub kind: PromoKind,
    /// First day of the promotion, `YYYY-MM-DD`.
    pub starts: String,
    /// Last day of the promotion, `YYYY-MM-DD` (inclusive).
    pub ends: String,
    /// Product ids it applies to; empty = every product of the campaign.
    #[serde(default)]
    pub products: Vec<String>,
}

/// Parse a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl Promotion {
    /// The promotion's first and last day; `None` when a date does not parse.
    pub fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((parse_date(&self.starts)?, parse_date(&self.ends)?))
    }

    /// Whether it covers `product_id`.
    pub fn covers(&self, product_id: &str) -> bool {
        self.products.is_empty() || self.products.iter().any(|p| p == product_id)
    }

    /// The offer this promotion makes on `product` for ads made on `on`: `None` when it does
    /// not cover the product, has ended before `on` (ads may be prepared before it starts:
    /// they name its dates), its dates do not parse, or the amount is not below the price.
    /// The price shown is computed here and nowhere else (rounded to whole cents).
    pub fn offer_for(&self, product: &ProductInfo, on: NaiveDate) -> Option<Offer> {
        let (starts, ends) = self.dates()?;
        if !self.covers(&product.id) || ends < on || starts > ends || product.price_cents <= 0 {
            return None;
        }
        let was = product.price_cents;
        let now = match self.kind {
            PromoKind::Percent(p) if PERCENT_RANGE.contains(&p) => (was * (100 - p as i64) + 50) / 100,
            PromoKind::Amount(a) if a > 0 && (a as i64) < was => was - a as i64,
            _ => return None,
        };
        Some(Offer { kind: self.kind, was_cents: was, now_cents: now, currency: product.currency.clone(), starts, ends })
    }
}

/// A promotion applied to one product: what the copy and the banner may say about its price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub kind: PromoKind,
    /// Regular price, cents.
    pub was_cents: i64,
    /// Price during the promotion, cents.
    pub now_cents: i64,
    pub currency: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

impl Offer {
    /// The banner badge: "-15%" or "-¥50".
    pub fn badge(&self) -> String {
        match self.kind {
            PromoKind::Percent(p) => format!("-{p}%"),
            PromoKind::Amount(a) => format!("-{}", money(a as i64, &self.currency)),
        }
    }

    /// What is taken off, as copy says it: en "15% off" / "¥50 off"; zh "85折" (15 % off; 10 %
    /// off → 9折, 12.5 % cannot occur) / "立减¥50".
    pub fn off(&self, zh: bool) -> String {
        match (self.kind, zh) {
            (PromoKind::Percent(p), false) => format!("{p}% off"),
            (PromoKind::Amount(a), false) => format!("{} off", money(a as i64, &self.currency)),
            (PromoKind::Percent(p), true) => {
                let rest = 100 - p;
                if rest % 10 == 0 {
                    format!("{}折", rest / 10)
                } else {
                    format!("{rest}折")
                }
            }
            (PromoKind::Amount(a), true) => format!("立减{}", money(a as i64, &self.currency)),
        }
    }

    /// The last day, as copy says it: en "11 Nov", zh "11月11日".
    pub fn until(&self, zh: bool) -> String {
        if zh {
            self.ends.format("%-m月%-d日").to_string()
        } else {
            self.ends.format("%-d %b").to_string()
        }
    }

    /// The parameters of the reason naming the promotion behind a price claim (`off`: "15%"
    /// or "¥50"; `from`, `to`; the price it `was` and is `now`).
    pub fn reason_params(&self) -> [(&'static str, String); 5] {
        let off = match self.kind {
            PromoKind::Percent(p) => format!("{p}%"),
            PromoKind::Amount(a) => money(a as i64, &self.currency),
        };
        [("off", off), ("from", self.starts.to_string()), ("to", self.ends.to_string()), ("was", money(self.was_cents, &self.currency)), ("now", money(self.now_cents, &self.currency))]
    }
}

/// Days before the data's last event within which a product's first event makes it "new",
/// unless the campaign says otherwise.
pub const NEW_WITHIN_DAYS: u32 = 30;
/// Days before the data's last event over which buyers are counted for popularity.
pub const POPULAR_DAYS: u32 = 30;
/// Buyers (distinct users with a purchase) within [`POPULAR_DAYS`] from which a product may be
/// called popular.
pub const POPULAR_MIN_BUYERS: u32 = 10;

/// The product's first event in the project, within the novelty window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Novelty {
    pub first_seen: NaiveDate,
    pub last_event: NaiveDate,
    pub window_days: u32,
}

/// Distinct buyers of the product in the last [`POPULAR_DAYS`] of the data (at least
/// [`POPULAR_MIN_BUYERS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popularity {
    pub buyers: u32,
    pub days: u32,
    pub to: NaiveDate,
}

/// Everything that backs a claim for one product in one campaign. `Default` backs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The campaign's promotion applied to the product (backs price claims).
    pub offer: Option<Offer>,
    /// Set only when the product is new by the data (backs novelty claims).
    pub novelty: Option<Novelty>,
    /// Set only when enough users bought it recently (backs popularity claims).
    pub popularity: Option<Popularity>,
    /// Whether the audience is defined by having this item in a cart (not purchased). No
    /// audience of the studio is defined that way yet (segments are behaviour clusters), so
    /// every caller passes `false` and cart reminders are never written.
    pub cart_audience: bool,
}

impl Evidence {
    /// The compliance context of this evidence; `names` (product name, brand, business name)
    /// are words that are never read as claims.
    pub fn context(&self, names: &[&str]) -> ClaimContext {
        ClaimContext {
            price: self.offer.is_some(),
            novelty: self.novelty.is_some(),
            popularity: self.popularity.is_some(),
            cart: self.cart_audience,
            names: names.iter().filter(|n| !n.trim().is_empty()).map(|n| n.to_string()).collect(),
        }
    }
}
