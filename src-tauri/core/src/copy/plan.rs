//! Which angles a brief gets and in what order, and why: the profile decides, the goal tips
//! the balance, the seed only shuffles angles of equal rank.

use rand::{Rng, RngCore};

use super::bank::{self, Angle, Intent};
use super::sets::{Brief, Goal};
use crate::catalog;
use crate::segments::profile::Profile;

/// Below this mean price index a segment is price-sensitive (about 18 % under the category's typical price).
pub const PRICE_SENSITIVE_BELOW: f64 = -0.2;
/// Above this mean price index a segment is premium.
pub const PREMIUM_ABOVE: f64 = 0.2;
/// Mean days since the last event for which "welcome back" rings true.
pub const LAPSED_DAYS: std::ops::RangeInclusive<f64> = 21.0..=180.0;
/// Cart rate (carts per view) above which a segment gets cart reminders.
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

/// The discount a brief may promise: price-sensitive 10/15/20 % (seeded), mid-price 10 %,
/// premium none.
pub(super) fn discount_pct(p: &Profile, rng: &mut impl RngCore) -> u32 {
    let pick = [10u32, 15, 20][rng.gen_range(0..3)];
    if p.price_index < PRICE_SENSITIVE_BELOW {
        pick
    } else if p.price_index <= PREMIUM_ABOVE {
        10
    } else {
        0
    }
}

/// Purchase rate ÷ the population's; `None` when undefined (e.g. no product views).
fn purchase_ratio(p: &Profile) -> Option<f64> {
    p.purchase_lift()
}

fn carter(p: &Profile) -> Option<f64> {
    p.cart_rate.filter(|&c| c > CARTER_ABOVE)
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
        (carter(p).is_some(), Angle::CartReminder),
        (p.price_index > PREMIUM_ABOVE, Angle::Quality),
    ]
    .into_iter()
    .find(|&(yes, a)| yes && applies(a))
    .map_or(by_goal, |(_, a)| a)
}

/// Whether `angle` applies to the brief, with its base rank (1 = profile-driven, 2 =
/// supporting, 3 = alternative) and the reason naming the data behind it.
fn assess(angle: Angle, b: &Brief, keywords: &[String], pct: u32) -> Option<(u8, String)> {
    let p = b.profile;
    let pi = p.price_index;
    let ratio = purchase_ratio(p);
    let (cat, _) = catalog::names(&b.product.category);
    Some(match angle {
        Angle::Discount if pi < PRICE_SENSITIVE_BELOW => (1, format!("price-sensitive segment (price index {pi:.2}) → discount framing, {pct}% off")),
        Angle::Discount if pi <= PREMIUM_ABOVE => (3, format!("mid-price segment (price index {pi:.2}) → a modest {pct}% discount offer as an alternative")),
        Angle::Discount => return None,
        Angle::Quality if pi > PREMIUM_ABOVE => (1, format!("premium segment (price index {pi:.2}) → quality framing, no discount")),
        Angle::Quality if pi >= PRICE_SENSITIVE_BELOW => (2, format!("mid-price segment (price index {pi:.2}) → quality framing, no discount")),
        Angle::Quality => (3, format!("price-sensitive segment (price index {pi:.2}) → quality framing only as an alternative to discounts")),
        Angle::WelcomeBack if LAPSED_DAYS.contains(&p.recency_days) => (1, format!("segment inactive for {:.0} days on average (lapsed: 21–180) → welcome-back framing", p.recency_days)),
        Angle::WelcomeBack => return None,
        Angle::NewArrival if p.recency_days < *LAPSED_DAYS.start() => (2, format!("recently active segment (last event {:.0} days ago on average) → new-arrivals framing", p.recency_days)),
        Angle::NewArrival if p.recency_days > *LAPSED_DAYS.end() => (1, format!("long-inactive segment ({:.0} days on average, past the welcome-back window) → new-arrivals framing", p.recency_days)),
        Angle::NewArrival => (3, format!("lapsed segment ({:.0} days) → new arrivals as an alternative to welcome back", p.recency_days)),
        Angle::CartReminder => (1, format!("cart rate {:.0}% (above {:.0}%) → cart reminder", carter(p)? * 100.0, CARTER_ABOVE * 100.0)),
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
        Angle::SocialProof => match ratio {
            Some(r) if r > BUYING_ABOVE => (1, format!("buying segment (purchase rate {r:.1}× the population) → social-proof angle")),
            Some(r) => (3, format!("purchase rate {r:.1}× the population → social proof as an alternative")),
            None => (3, "social proof as an alternative (no purchase rate: the segment's data has no product views)".to_string()),
        },
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
pub(super) fn plan(b: &Brief, keywords: &[String], pct: u32, rng: &mut impl RngCore) -> Vec<Planned> {
    let mut planned: Vec<(Planned, u64)> = Angle::ALL
        .iter()
        .filter_map(|&angle| {
            let (mut rank, mut reason) = assess(angle, b, keywords, pct)?;
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

/// The call to action of a set and the reason for it: carters get a checkout CTA on the cart
/// reminder and welcome-back sets; otherwise the goal decides (purchases → direct, clicks →
/// curiosity). The tone picks the wording.
pub(super) fn cta(b: &Brief, angle: Angle) -> (&'static str, String) {
    let p = b.profile;
    let (intent, why) = if let Some(rate) = carter(p).filter(|_| matches!(angle, Angle::CartReminder | Angle::WelcomeBack)) {
        (Intent::Checkout, format!("cart rate {:.0}% → checkout CTA", rate * 100.0))
    } else if b.goal == Goal::Purchases {
        (Intent::Direct, "goal: purchases → direct CTA".to_string())
    } else {
        (Intent::Soft, "goal: clicks → curiosity CTA".to_string())
    };
    let text = bank::cta(intent, b.tone, b.lang);
    (text, format!("{why} “{text}” ({} tone)", b.tone.as_str()))
}
