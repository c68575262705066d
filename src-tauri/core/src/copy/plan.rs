//! Which angles a brief gets and in what order, and why: the profile decides, the goal tips
//! the balance, the seed only shuffles angles of equal rank.

use rand::RngCore;

use super::bank::{self, Angle, Intent};
use super::sets::Brief;
use super::voice::Goal;
use crate::catalog;
use crate::segments::profile::Profile;

/// Below this mean price index a segment is price-sensitive (about 18 % under the category's typical price).
pub const PRICE_SENSITIVE_BELOW: f64 = -0.2;
/// Above this mean price index a segment is premium.
pub const PREMIUM_ABOVE: f64 = 0.2;
/// Mean days since the last event for which "welcome back" rings true.
pub const LAPSED_DAYS: std::ops::RangeInclusive<f64> = 21.0..=180.0;
/// Cart rate (carts per view) above which a segment counts as carters (a profile trait; cart
/// reminders need a cart *audience*, see [`super::Evidence::cart_audience`]).
pub const CARTER_ABOVE: f64 = 0.12;
/// Purchase rate relative to the population above which a segment is a buying one.
pub const BUYING_ABOVE: f64 = 1.3;
/// Predicted-interest probability from which the interest angle ranks with the profile's own.
pub const STRONG_INTEREST: f64 = 0.25;

/// One angle with its rank (0 leads; lower first) and the reason it is there.
#[derive(Debug, Clone)]
pub(super) struct Planned {
    pub angle: Angle,
    pub rank: u8,
    pub reason: String,
}

/// Purchase rate ÷ the population's; `None` when undefined (e.g. no product views).
fn purchase_ratio(p: &Profile) -> Option<f64> {
    p.purchase_lift()
}

/// Angles the goal moves up one rank (never into the lead).
fn favoured(goal: Goal) -> [Angle; 4] {
    match goal {
        Goal::Purchases => [Angle::Discount, Angle::Bundle, Angle::CartReminder, Angle::SocialProof],
        Goal::Clicks => [Angle::Keyword, Angle::Interest, Angle::NewArrival, Angle::Brand],
    }
}

/// The angle that leads: price sensitivity first, then recency, funnel stage, premium taste,
/// and finally the goal.
fn lead(b: &Brief, applies: impl Fn(Angle) -> bool) -> Angle {
    let p = b.profile;
    let by_goal = match b.goal {
        Goal::Purchases if purchase_ratio(p).is_some_and(|r| r > BUYING_ABOVE) => Angle::SocialProof,
        Goal::Clicks if !b.interests.is_empty() => Angle::Interest,
        _ => Angle::NewArrival,
    };
    [
        (p.price_index < PRICE_SENSITIVE_BELOW, Angle::Discount),
        (LAPSED_DAYS.contains(&p.recency_days), Angle::WelcomeBack),
        (b.evidence.cart_audience, Angle::CartReminder),
        (p.price_index > PREMIUM_ABOVE, Angle::Quality),
    ]
    .into_iter()
    .find(|&(yes, a)| yes && applies(a))
    .map_or(by_goal, |(_, a)| a)
}

/// Whether `angle` applies to the brief, with its base rank (1 = profile-driven, 2 =
/// supporting, 3 = alternative) and the reason naming the data behind it. An angle that makes
/// a claim applies only when the brief's evidence backs it: discount only with the campaign's
/// promotion for the product, new arrival only for a product first seen within the novelty
/// window, social proof only with enough recent buyers, cart reminder only for a cart audience.
fn assess(angle: Angle, b: &Brief, keywords: &[String]) -> Option<(u8, String)> {
    let p = b.profile;
    let ev = b.evidence;
    let pi = p.price_index;
    let ratio = purchase_ratio(p);
    let (cat, _) = catalog::names(&b.product.category);
    Some(match angle {
        Angle::Discount => {
            let offer = ev.offer.as_ref()?.reason();
            match pi {
                _ if pi < PRICE_SENSITIVE_BELOW => (1, format!("price-sensitive segment (price index {pi:.2}) → discount framing; {offer}")),
                _ if pi <= PREMIUM_ABOVE => (2, format!("mid-price segment (price index {pi:.2}) → the promotion as a supporting offer; {offer}")),
                _ => (3, format!("premium segment (price index {pi:.2}) → the promotion only as an alternative; {offer}")),
            }
        }
        Angle::Quality if pi > PREMIUM_ABOVE => (1, format!("premium segment (price index {pi:.2}) → quality framing, no discount")),
        Angle::Quality if pi >= PRICE_SENSITIVE_BELOW => (2, format!("mid-price segment (price index {pi:.2}) → quality framing, no discount")),
        Angle::Quality => (3, format!("price-sensitive segment (price index {pi:.2}) → quality framing only as an alternative to discounts")),
        Angle::WelcomeBack if LAPSED_DAYS.contains(&p.recency_days) => (1, format!("segment inactive for {:.0} days on average (lapsed: 21–180) → welcome-back framing", p.recency_days)),
        Angle::WelcomeBack => return None,
        Angle::NewArrival => {
            let why = ev.novelty_reason()?;
            let rank = if p.recency_days > *LAPSED_DAYS.end() { 1 } else { 2 };
            (rank, format!("{why}; segment last active {:.0} days ago on average", p.recency_days))
        }
        Angle::CartReminder if ev.cart_audience => (1, "audience: users with this item in their cart, not purchased → cart reminder".to_string()),
        Angle::CartReminder => return None,
        Angle::Keyword if !keywords.is_empty() => {
            (2, format!("title keywords ({}): {} → keyword-led copy", if b.lang == super::Lang::Zh { "jieba TF-IDF" } else { "title words minus stop words" }, keywords.join(", ")))
        }
        Angle::Keyword => return None,
        Angle::Brand => {
            let top = &p.top_brands;
            if top.iter().any(|t| t.eq_ignore_ascii_case(&b.product.brand)) {
                (1, format!("product brand {} is among the segment's top brands ({}) → brand angle", b.product.brand, top.join(", ")))
            } else if top.is_empty() {
                (3, format!("product brand {} (no brand preference recorded for the segment) → brand angle as an alternative", b.product.brand))
            } else {
                (3, format!("segment's top brands are {}, not {} → brand angle ranked low", top.join(", "), b.product.brand))
            }
        }
        Angle::Bundle => (2, format!("{cat} product with add-ons to suggest → bundle angle")),
        Angle::SocialProof => {
            let why = ev.popularity_reason()?;
            let rank = if ratio.is_some_and(|r| r > BUYING_ABOVE) { 1 } else { 3 };
            match ratio {
                Some(r) => (rank, format!("{why}; segment purchase rate {r:.1}× the population")),
                None => (rank, format!("{why}; no segment purchase rate (its data has no product views)")),
            }
        }
        Angle::Interest => {
            let (key, prob) = b.interests.first()?;
            let (name, _) = catalog::names(key);
            let rank = if *prob >= STRONG_INTEREST { 1 } else { 2 };
            (rank, format!("predicted interest in {name} ({key}) next window (mean probability {prob:.2}) → interest angle"))
        }
    })
}

/// Every angle that applies, best first: the lead, then by rank; equal ranks in seeded random
/// order.
pub(super) fn plan(b: &Brief, keywords: &[String], rng: &mut impl RngCore) -> Vec<Planned> {
    let mut planned: Vec<(Planned, u64)> = Angle::ALL
        .iter()
        .filter_map(|&angle| {
            let (mut rank, mut reason) = assess(angle, b, keywords)?;
            if rank >= 2 && favoured(b.goal).contains(&angle) {
                rank -= 1;
                reason.push_str(&format!(" (goal: {} moves it up)", b.goal.as_str()));
            }
            Some(Planned { angle, rank, reason })
        })
        .map(|p| (p, rng.next_u64()))
        .collect();
    let present: Vec<Angle> = planned.iter().map(|(p, _)| p.angle).collect();
    let first = lead(b, |a| present.contains(&a));
    if let Some((p, _)) = planned.iter_mut().find(|(p, _)| p.angle == first) {
        p.rank = 0;
    }
    planned.sort_by_key(|(p, key)| (p.rank, *key));
    planned.into_iter().map(|(p, _)| p).collect()
}

/// The call to action of a set and the reason for it: a cart audience gets a checkout CTA on
/// the cart reminder; otherwise the goal decides (purchases → direct, clicks → curiosity). The
/// tone picks the wording.
pub(super) fn cta(b: &Brief, angle: Angle) -> (&'static str, String) {
    let (intent, why) = if b.evidence.cart_audience && angle == Angle::CartReminder {
        (Intent::Checkout, "cart audience → checkout CTA".to_string())
    } else if b.goal == Goal::Purchases {
        (Intent::Direct, "goal: purchases → direct CTA".to_string())
    } else {
        (Intent::Soft, "goal: clicks → curiosity CTA".to_string())
    };
    let text = bank::cta(intent, b.tone, b.lang);
    (text, format!("{why} “{text}” ({} tone)", b.tone.as_str()))
}
