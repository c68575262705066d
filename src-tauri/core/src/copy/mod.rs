//! Ad copy for a segment: headlines, descriptions, primary texts and calls to action, in
//! Chinese (zh-CN) or English, with the reasons behind each choice. Built-in, offline,
//! deterministic under a seed.
//!
//! [`generate_sets`] (v2) writes up to `n` distinct copy sets per segment × product × language
//! from several creative angles. The segment profile decides which angles lead: price-sensitive
//! → discount, premium → quality, lapsed (21–180 days) → welcome back; the segment's top
//! brands and predicted interests add brand and interest angles; product-title keywords
//! (jieba TF-IDF for Chinese, the head noun phrase for English) fill the templates. Angles
//! that claim something run only when [`Evidence`] backs the claim (`claims`): discount only
//! with the campaign's [`Promotion`] for the product (the price shown is computed from it),
//! new arrival only for a product first seen within the novelty window, social proof only
//! with enough recent buyers, cart reminders only for a cart audience (none exists yet). The
//! tone picks the wording from phrase banks written as data (`bank.rs`), the goal tips the
//! order and the CTA. Every set passes the compliance checker (claims judged by the evidence),
//! fits every placement's text limits (width-aware: a CJK character counts 2) and is shortened
//! only at word or character boundaries; the copy linter (`compliance::lint`) finds nothing in
//! the sets of the demo store or of the fixtures' real-data stores (`copy_lint_tests`).
//!
//! Modules: `text` (width, shortening, templates), `keywords`, `bank` (phrase banks), `claims`
//! (promotions and evidence), `plan` (angle ranking), `reason` (keyed reasons), `sets` (the generator), `fit`
//! (near-duplicates, placements).

mod bank;
mod claims;
mod fit;
mod keywords;
mod plan;
pub mod reason;
mod sets;
mod text;
mod voice;

pub use crate::text::{width, Lang};
pub use claims::{parse_date, Evidence, Novelty, Offer, Popularity, PromoKind, Promotion, NEW_WITHIN_DAYS, PERCENT_RANGE, POPULAR_DAYS, POPULAR_MIN_BUYERS};
pub use fit::{for_placement, near_duplicate, NEAR_DUPLICATE_JACCARD};
pub use keywords::keywords;
pub use plan::{BUYING_ABOVE, CARTER_ABOVE, LAPSED_DAYS, PREMIUM_ABOVE, PRICE_SENSITIVE_BELOW, STRONG_INTEREST};
pub use reason::Reason;
pub use sets::{generate_sets, Brief, CopySet, SET_DESCRIPTION_MAX, SET_HEADLINE_MAX, SET_LONG_HEADLINE_MAX, SET_PRIMARY_TEXT_MAX, VARIANTS_DEFAULT};
pub use text::{money, shorten};
pub use voice::{Goal, Tone};

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

/// Headline limit in width units (Google responsive display short headline). v2 sets keep
/// to the tighter [`SET_HEADLINE_MAX`].
pub const HEADLINE_MAX: usize = 30;
/// Description limit in width units.
pub const DESCRIPTION_MAX: usize = 90;

#[cfg(test)]
pub(crate) mod tests;
