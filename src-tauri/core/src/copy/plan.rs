//! Which angles a brief gets and in what order, and why: the profile decides, the goal tips
//! the balance, the seed only shuffles angles of equal rank.

use rand::RngCore;

use super::bank::{self, Angle, Intent};
use super::reason::Reason;
use super::sets::Brief;
use super::voice::Goal;
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
    /// The angle's reason, then [`Reason`]s of what moved it (the goal).
    pub reasons: Vec<Reason>,
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
fn assess(angle: Angle, b: &Brief, keywords: &[String]) -> Option<(u8, Reason)> {
    let p = b.profile;
    let ev = b.evidence;
    let pi = p.price_index;
    let ratio = purchase_ratio(p);
    let index = || ("index", format!("{pi:.2}"));
    Some(match angle {
        Angle::Discount => {
            let offer = ev.offer.as_ref()?.reason_params();
            let (rank, key) = match pi {
                _ if pi < PRICE_SENSITIVE_BELOW => (1, "reason.discount.price_sensitive"),
                _ if pi <= PREMIUM_ABOVE => (2, "reason.discount.mid"),
                _ => (3, "reason.discount.premium"),
            };
            let [off, from, to, was, now] = offer;
            (rank, Reason::new(key, [index(), off, from, to, was, now]))
        }
        Angle::Quality if pi > PREMIUM_ABOVE => (1, Reason::new("reason.quality.premium", [index()])),
        Angle::Quality if pi >= PRICE_SENSITIVE_BELOW => (2, Reason::new("reason.quality.mid", [index()])),
        Angle::Quality => (3, Reason::new("reason.quality.price_sensitive", [index()])),
        Angle::WelcomeBack if LAPSED_DAYS.contains(&p.recency_days) => (1, Reason::new("reason.welcome_back", [("days", format!("{:.0}", p.recency_days))])),
        Angle::WelcomeBack => return None,
        Angle::NewArrival => {
            let n = ev.novelty.as_ref()?;
            let rank = if p.recency_days > *LAPSED_DAYS.end() { 1 } else { 2 };
            let params = [("first_seen", n.first_seen.to_string()), ("window", n.window_days.to_string()), ("last_event", n.last_event.to_string()), ("days", format!("{:.0}", p.recency_days))];
            (rank, Reason::new("reason.new_arrival", params))
        }
        Angle::CartReminder if ev.cart_audience => (1, Reason::new("reason.cart_reminder", [])),
        Angle::CartReminder => return None,
        Angle::Keyword if !keywords.is_empty() => {
            let key = if b.lang == super::Lang::Zh { "reason.keyword_angle.zh" } else { "reason.keyword_angle.en" };
            (2, Reason::new(key, [("keywords", keywords.join(", "))]))
        }
        Angle::Keyword => return None,
        Angle::Brand => {
            let top = &p.top_brands;
            let brand = || ("brand", b.product.brand.clone());
            if top.iter().any(|t| t.eq_ignore_ascii_case(&b.product.brand)) {
                (1, Reason::new("reason.brand.top", [brand(), ("brands", top.join(", "))]))
            } else if top.is_empty() {
                (3, Reason::new("reason.brand.none", [brand()]))
            } else {
                (3, Reason::new("reason.brand.other", [brand(), ("brands", top.join(", "))]))
            }
        }
        Angle::Bundle => (2, Reason::new("reason.bundle", [("category", b.product.category.clone())])),
        Angle::SocialProof => {
            let pop = ev.popularity.as_ref()?;
            let rank = if ratio.is_some_and(|r| r > BUYING_ABOVE) { 1 } else { 3 };
            let seen = [("buyers", pop.buyers.to_string()), ("days", pop.days.to_string()), ("to", pop.to.to_string()), ("min", super::POPULAR_MIN_BUYERS.to_string())];
            match ratio {
                Some(r) => {
                    let [a, b2, c, d] = seen;
                    (rank, Reason::new("reason.social_proof", [a, b2, c, d, ("ratio", format!("{r:.1}"))]))
                }
                None => (rank, Reason::new("reason.social_proof.no_rate", seen)),
            }
        }
        Angle::Interest => {
            let (key, prob) = b.interests.first()?;
            let rank = if *prob >= STRONG_INTEREST { 1 } else { 2 };
            (rank, Reason::new("reason.interest", [("category", key.clone()), ("prob", format!("{prob:.2}"))]))
        }
    })
}

/// Every angle that applies, best first: the lead, then by rank; equal ranks in seeded random
/// order.
pub(super) fn plan(b: &Brief, keywords: &[String], rng: &mut impl RngCore) -> Vec<Planned> {
    let mut planned: Vec<(Planned, u64)> = Angle::ALL
        .iter()
        .filter_map(|&angle| {
            let (mut rank, reason) = assess(angle, b, keywords)?;
            let mut reasons = vec![reason];
            if rank >= 2 && favoured(b.goal).contains(&angle) {
                rank -= 1;
                reasons.push(Reason::new("reason.goal_up", [("goal", b.goal.as_str().to_string())]));
            }
            Some(Planned { angle, rank, reasons })
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
pub(super) fn cta(b: &Brief, angle: Angle) -> (&'static str, Reason) {
    let (intent, key) = if b.evidence.cart_audience && angle == Angle::CartReminder {
        (Intent::Checkout, "reason.cta.checkout")
    } else if b.goal == Goal::Purchases {
        (Intent::Direct, "reason.cta.direct")
    } else {
        (Intent::Soft, "reason.cta.soft")
    };
    let text = bank::cta(intent, b.tone, b.lang);
    (text, Reason::new(key, [("cta", text.to_string()), ("tone", b.tone.as_str().to_string())]))
}
