//! Segment profiles and the readable bilingual names derived from them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::features::UserStats;
use crate::store::Project;

/// What a segment looks like, relative to the whole population.
///
/// Every rate names its denominator and is `None` when that denominator is empty (shown as
/// "—" with [`Profile::rate_note`] / [`Profile::price_note`] as the reason); shares are ≤ 1 by
/// construction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub size: usize,
    /// Members ÷ all users (≤ 1).
    pub share: f64,
    /// Top category keys by share × lift, most characteristic first (≤ 3).
    pub top_categories: Vec<String>,
    /// Mean unit price over the members' events that carry a price > 0 (views, carts and
    /// purchases), in currency units; `None` when no such event exists.
    #[serde(default)]
    pub avg_price: Option<f64>,
    /// Mean of users' price index (ln ratio to category mean): <0 value-seeking, >0 premium.
    pub price_index: f64,
    /// Carts per product view over the members who viewed a product, each member's carts
    /// counted up to their views (so ≤ 1); `None` when no member viewed a product.
    #[serde(default)]
    pub cart_rate: Option<f64>,
    /// Purchases per product view, defined like [`Profile::cart_rate`] (≤ 1; `None` without views).
    #[serde(default)]
    pub purchase_rate: Option<f64>,
    pub recency_days: f64,
    /// The same purchase rate over all users, for comparison (`None` when nobody viewed).
    #[serde(default)]
    pub population_purchase_rate: Option<f64>,
    /// Members with at least one purchase ÷ members (always defined, ≤ 1).
    #[serde(default)]
    pub buyer_share: f64,
    /// Members with two or more purchases ÷ members (≤ 1).
    #[serde(default)]
    pub repeat_share: f64,
    /// Members with at least one cart event ÷ members (≤ 1).
    #[serde(default)]
    pub carter_share: f64,
    /// Events per member.
    #[serde(default)]
    pub events_per_user: f64,
    /// Mean shares of members' events at night, morning, afternoon and evening (UTC).
    #[serde(default)]
    pub day_parts: [f64; 4],
    /// Why the cart and purchase rates are `None`, when they are.
    #[serde(default)]
    pub rate_note: Option<String>,
    /// Why `avg_price` is `None`, when it is.
    #[serde(default)]
    pub price_note: Option<String>,
    /// Brands by share × lift over the population, most characteristic first (≤ 3).
    #[serde(default)]
    pub top_brands: Vec<String>,
    /// `budget`, `mid` or `premium`, from the price index (see [`price_band`]).
    #[serde(default)]
    pub price_band: String,
    /// `champions`, `loyal`, `at_risk`, `new_or_occasional` or `hibernating` (see [`rfm_tier`]).
    #[serde(default)]
    pub rfm_tier: String,
}

/// Why rates are undefined for a segment without product views.
pub const NO_VIEWS: &str = "no product views in this segment's data";
/// Why the average price is undefined.
pub const NO_PRICES: &str = "no events with a price in this segment's data";

impl Profile {
    /// Purchase rate ÷ the population's; `None` when either is undefined or the population's is 0.
    pub fn purchase_lift(&self) -> Option<f64> {
        match (self.purchase_rate, self.population_purchase_rate) {
            (Some(r), Some(p)) if p > 0.0 => Some(r / p),
            _ => None,
        }
    }
}

/// Funnel rates over `stats[i]` for `i` in `members`: (cart rate, purchase rate), each
/// Σ min(count, views) ÷ Σ views over members with views; `None` without views.
pub fn funnel_rates<'a>(stats: impl Iterator<Item = &'a UserStats>) -> (Option<f64>, Option<f64>) {
    let (mut views, mut carts, mut buys) = (0.0, 0.0, 0.0);
    for s in stats.filter(|s| s.views > 0.0) {
        views += s.views;
        carts += s.carts.min(s.views);
        buys += s.purchases.min(s.views);
    }
    if views > 0.0 {
        (Some(carts / views), Some(buys / views))
    } else {
        (None, None)
    }
}

/// Population figures the names compare a segment with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Population {
    pub recency_days: f64,
    pub events_per_user: f64,
    pub buyer_share: f64,
    /// Mean shares of events at night, morning, afternoon and evening (UTC).
    pub day_parts: [f64; 4],
}

impl Population {
    /// Means over every user in `stats`.
    pub fn of(stats: &[UserStats]) -> Self {
        let n = stats.len().max(1) as f64;
        Population {
            recency_days: stats.iter().map(|s| s.recency_days).sum::<f64>() / n,
            events_per_user: stats.iter().map(events).sum::<f64>() / n,
            buyer_share: stats.iter().filter(|s| s.purchases > 0.0).count() as f64 / n,
            day_parts: mean_day_parts(stats.iter()),
        }
    }
}

fn mean_day_parts<'a>(stats: impl Iterator<Item = &'a UserStats>) -> [f64; 4] {
    let (mut sum, mut n) = ([0.0; 4], 0.0);
    for s in stats {
        sum.iter_mut().zip(s.day_parts).for_each(|(a, d)| *a += d);
        n += 1.0;
    }
    sum.map(|a| a / f64::max(n, 1.0))
}

fn events(s: &UserStats) -> f64 {
    s.views + s.carts + s.favs + s.purchases
}

/// Price band of a mean price index: above 0.2 (about 22 % dearer than the category's
/// typical price) `premium`, below −0.2 `budget`, else `mid`.
pub fn price_band(price_index: f64) -> &'static str {
    if price_index > 0.2 {
        "premium"
    } else if price_index < -0.2 {
        "budget"
    } else {
        "mid"
    }
}

/// RFM tier of a segment against the population, from mean recency (days since the last
/// event) and purchases per user (frequency, which tracks spend here):
/// `champions` buy ≥ 1.3× as often and are at least as recent; `loyal` buy ≥ 1.3× as often;
/// `at_risk` buy at least 0.7× as often but are 1.5× as long gone; `new_or_occasional` are
/// recent but buy less; the rest `hibernating`.
pub fn rfm_tier(recency: f64, buys_per_user: f64, population_recency: f64, population_buys_per_user: f64) -> &'static str {
    let freq = buys_per_user / population_buys_per_user.max(1e-9);
    let recent = recency <= population_recency;
    if freq >= 1.3 && recent {
        "champions"
    } else if freq >= 1.3 {
        "loyal"
    } else if freq >= 0.7 && recency > 1.5 * population_recency {
        "at_risk"
    } else if recent {
        "new_or_occasional"
    } else {
        "hibernating"
    }
}

/// Profile of the users `members` (indices into `stats`); `avg_price` from [`prices_seen`].
pub fn profile(stats: &[UserStats], members: &[usize], categories: &[String], avg_price: Option<f64>) -> Profile {
    let n = members.len().max(1) as f64;
    let k = categories.len();
    let mut seg_aff = vec![0.0; k];
    let mut pop_aff = vec![0.0; k];
    for s in stats {
        for (p, a) in pop_aff.iter_mut().zip(&s.affinity[..k]) {
            *p += a;
        }
    }
    let (mut buys, mut price_index, mut recency, mut evs) = (0.0, 0.0, 0.0, 0.0);
    let (mut buyers, mut repeat, mut carters) = (0.0, 0.0, 0.0);
    for &i in members {
        let s = &stats[i];
        for (g, a) in seg_aff.iter_mut().zip(&s.affinity[..k]) {
            *g += a;
        }
        buys += s.purchases;
        price_index += s.price_index;
        recency += s.recency_days;
        evs += events(s);
        buyers += f64::from(s.purchases > 0.0);
        repeat += f64::from(s.purchases >= 2.0);
        carters += f64::from(s.carts > 0.0);
    }
    let seg_total: f64 = seg_aff.iter().sum::<f64>().max(1e-12);
    let pop_total: f64 = pop_aff.iter().sum::<f64>().max(1e-12);
    let mut scored: Vec<(usize, f64)> = (0..k)
        .map(|c| {
            let share = seg_aff[c] / seg_total;
            let lift = share / (pop_aff[c] / pop_total).max(1e-12);
            (c, share * lift)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let pop_buys: f64 = stats.iter().map(|s| s.purchases).sum();
    let pop_n = stats.len().max(1) as f64;
    let pop_recency = stats.iter().map(|s| s.recency_days).sum::<f64>() / pop_n;
    let (cart_rate, purchase_rate) = funnel_rates(members.iter().map(|&i| &stats[i]));
    let (_, population_purchase_rate) = funnel_rates(stats.iter());
    Profile {
        size: members.len(),
        share: members.len() as f64 / stats.len().max(1) as f64,
        top_categories: scored.iter().filter(|c| c.1 > 0.0).take(3).map(|(c, _)| categories[*c].clone()).collect(),
        avg_price,
        price_index: price_index / n,
        cart_rate,
        purchase_rate,
        recency_days: recency / n,
        population_purchase_rate,
        buyer_share: buyers / n,
        repeat_share: repeat / n,
        carter_share: carters / n,
        events_per_user: evs / n,
        day_parts: mean_day_parts(members.iter().map(|&i| &stats[i])),
        rate_note: purchase_rate.is_none().then(|| NO_VIEWS.to_string()),
        price_note: avg_price.is_none().then(|| NO_PRICES.to_string()),
        top_brands: Vec::new(),
        price_band: price_band(price_index / n).into(),
        rfm_tier: rfm_tier(recency / n, buys / n, pop_recency, pop_buys / pop_n).into(),
    }
}

/// Each member list's top brands by share × lift over all users (≤ 3; brands are counted
/// over events of products with a brand).
pub fn top_brands(project: &Project, users: &[String], members: &[Vec<usize>]) -> rusqlite::Result<Vec<Vec<String>>> {
    let index: HashMap<&str, usize> = users.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
    let mut per_user: Vec<Vec<(String, f64)>> = vec![Vec::new(); users.len()];
    let mut pop: HashMap<String, f64> = HashMap::new();
    let mut stmt = project.conn().prepare("SELECT e.user_id, p.brand, count(*) FROM events e JOIN products p ON p.id = e.product_id WHERE p.brand != '' GROUP BY e.user_id, p.brand")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (user, brand, n): (String, String, f64) = (r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as f64);
        if let Some(&i) = index.get(user.as_str()) {
            *pop.entry(brand.clone()).or_default() += n;
            per_user[i].push((brand, n));
        }
    }
    let pop_total: f64 = pop.values().sum::<f64>().max(1.0);
    Ok(members
        .iter()
        .map(|ix| {
            let mut seg: HashMap<&str, f64> = HashMap::new();
            ix.iter().flat_map(|&i| per_user[i].iter()).for_each(|(b, n)| *seg.entry(b.as_str()).or_default() += n);
            let total: f64 = seg.values().sum::<f64>().max(1.0);
            let mut scored: Vec<(&str, f64)> = seg.iter().map(|(&b, &n)| (b, (n / total) * (n / total) / (pop[b] / pop_total))).collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
            scored.into_iter().take(3).map(|(b, _)| b.to_string()).collect()
        })
        .collect())
}

/// Mean unit price over each member list's events that carry a price > 0 (the event's own
/// price, else the product's), in currency units; `None` when none does.
pub fn prices_seen(project: &Project, users: &[String], members: &[Vec<usize>]) -> rusqlite::Result<Vec<Option<f64>>> {
    let mut per_user: HashMap<String, (f64, f64)> = HashMap::new();
    let mut stmt = project.conn().prepare(
        "SELECT user_id, sum(price), count(*) FROM (SELECT e.user_id AS user_id, COALESCE(e.price_cents, p.price_cents) AS price FROM events e JOIN products p ON p.id = e.product_id) WHERE price > 0 GROUP BY user_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        per_user.insert(r.get(0)?, (r.get::<_, i64>(1)? as f64, r.get::<_, i64>(2)? as f64));
    }
    Ok(members
        .iter()
        .map(|ix| {
            let (s, c) = ix.iter().filter_map(|&i| per_user.get(&users[i])).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            (c > 0.0).then(|| s / c / 100.0)
        })
        .collect())
}

/// Longest accepted segment name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// Why a user-given segment name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the {0} name is empty")]
    Empty(&'static str),
    #[error("the {0} name is longer than {MAX_NAME_CHARS} characters")]
    TooLong(&'static str),
    /// A control character or line separator (see [`crate::names::check_line`]).
    #[error(transparent)]
    Text(#[from] crate::names::NameError),
    #[error("another segment is already called {0}")]
    Taken(String),
}

/// Check a user-given name pair: trimmed, both non-empty, at most [`MAX_NAME_CHARS`] each, no
/// control characters. Returns the trimmed names.
pub fn check_names(en: &str, zh: &str) -> Result<(String, String), NameError> {
    let (en, zh) = (en.trim(), zh.trim());
    for (n, lang, field) in [(en, "English", "English segment name (name_en)"), (zh, "Chinese", "Chinese segment name (name_zh)")] {
        if n.is_empty() {
            return Err(NameError::Empty(lang));
        }
        if n.chars().count() > MAX_NAME_CHARS {
            return Err(NameError::TooLong(lang));
        }
        crate::names::check_line(field, n)?;
    }
    Ok((en.to_string(), zh.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfm_tiers_follow_frequency_and_recency() {
        assert_eq!(rfm_tier(2.0, 2.0, 5.0, 1.0), "champions");
        assert_eq!(rfm_tier(9.0, 2.0, 5.0, 1.0), "loyal");
        assert_eq!(rfm_tier(9.0, 1.0, 5.0, 1.0), "at_risk");
        assert_eq!(rfm_tier(2.0, 0.2, 5.0, 1.0), "new_or_occasional");
        assert_eq!(rfm_tier(6.0, 0.2, 5.0, 1.0), "hibernating");
        assert_eq!((price_band(0.5), price_band(-0.5), price_band(0.0)), ("premium", "budget", "mid"));
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_names("  Gadget fans ", " 数码控 "), Ok(("Gadget fans".into(), "数码控".into())));
        assert!(check_names("", "数码控").is_err());
        assert!(check_names("a", &"长".repeat(41)).is_err());
        assert!(check_names("a\u{7}", "b").is_err());
    }
}
