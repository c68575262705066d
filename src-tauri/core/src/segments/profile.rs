//! Segment profiles and the readable bilingual names derived from them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::features::UserStats;
use crate::store::Project;

/// What a segment looks like, relative to the whole population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub size: usize,
    pub share: f64,
    /// Top category keys by share × lift, most characteristic first (≤ 3).
    pub top_categories: Vec<String>,
    /// Mean price of viewed items, in currency units.
    pub avg_price: f64,
    /// Mean of users' price index (ln ratio to category mean): <0 value-seeking, >0 premium.
    pub price_index: f64,
    pub cart_rate: f64,
    pub purchase_rate: f64,
    pub recency_days: f64,
    /// Population purchase rate, for comparison.
    pub population_purchase_rate: f64,
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

/// Profile of the users `members` (indices into `stats`).
pub fn profile(stats: &[UserStats], members: &[usize], categories: &[String], avg_price: f64) -> Profile {
    let n = members.len().max(1) as f64;
    let k = categories.len();
    let mut seg_aff = vec![0.0; k];
    let mut pop_aff = vec![0.0; k];
    for s in stats {
        for (p, a) in pop_aff.iter_mut().zip(&s.affinity[..k]) {
            *p += a;
        }
    }
    let (mut views, mut carts, mut buys, mut price_index, mut recency) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &i in members {
        let s = &stats[i];
        for (g, a) in seg_aff.iter_mut().zip(&s.affinity[..k]) {
            *g += a;
        }
        views += s.views;
        carts += s.carts;
        buys += s.purchases;
        price_index += s.price_index;
        recency += s.recency_days;
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
    let pop_views: f64 = stats.iter().map(|s| s.views).sum::<f64>().max(1.0);
    let pop_buys: f64 = stats.iter().map(|s| s.purchases).sum();
    let pop_n = stats.len().max(1) as f64;
    let pop_recency = stats.iter().map(|s| s.recency_days).sum::<f64>() / pop_n;
    Profile {
        size: members.len(),
        share: members.len() as f64 / stats.len().max(1) as f64,
        top_categories: scored.iter().take(3).map(|(c, _)| categories[*c].clone()).collect(),
        avg_price,
        price_index: price_index / n,
        cart_rate: carts / views.max(1.0),
        purchase_rate: buys / views.max(1.0),
        recency_days: recency / n,
        population_purchase_rate: pop_buys / pop_views,
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

/// Mean price of the items each member list viewed, in currency units (0 without views).
pub fn viewed_prices(project: &Project, users: &[String], members: &[Vec<usize>]) -> rusqlite::Result<Vec<f64>> {
    let mut per_user: HashMap<String, (f64, f64)> = HashMap::new();
    let mut stmt = project
        .conn()
        .prepare("SELECT e.user_id, sum(COALESCE(e.price_cents, p.price_cents)), count(*) FROM events e JOIN products p ON p.id = e.product_id WHERE e.kind = 'view' GROUP BY e.user_id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        per_user.insert(r.get(0)?, (r.get::<_, i64>(1)? as f64, r.get::<_, i64>(2)? as f64));
    }
    Ok(members
        .iter()
        .map(|ix| {
            let (s, c) = ix.iter().filter_map(|&i| per_user.get(&users[i])).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            if c > 0.0 {
                s / c / 100.0
            } else {
                0.0
            }
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

/// A readable (en, zh) name such as ("Premium electronics enthusiasts", "高端数码电子爱好者").
///
/// Price band from the price index, the most characteristic category, and a role from the
/// funnel (buyers / browsers / enthusiasts).
pub fn name(p: &Profile) -> (String, String) {
    let (price_en, price_zh) = if p.price_index > 0.2 {
        ("Premium ", "高端")
    } else if p.price_index < -0.2 {
        ("Value-seeking ", "实惠型")
    } else {
        ("", "")
    };
    let cat = p.top_categories.first().map(String::as_str).unwrap_or("unknown");
    let (cat_en, cat_zh) = catalog::names(cat);
    let ratio = p.purchase_rate / p.population_purchase_rate.max(1e-9);
    let (role_en, role_zh) = if ratio > 1.3 {
        ("buyers", "买家")
    } else if ratio < 0.7 {
        ("browsers", "浏览客")
    } else {
        ("enthusiasts", "爱好者")
    };
    let en = format!("{price_en}{cat_en} {role_en}");
    let mut chars = en.chars();
    let en = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
    (en, format!("{price_zh}{cat_zh}{role_zh}"))
}

/// Make names unique by adding the second category, then a number.
pub fn dedupe(names: &mut [(String, String)], profiles: &[Profile]) {
    for i in 0..names.len() {
        let clash = |names: &[(String, String)], i: usize| (0..names.len()).any(|j| j != i && names[j].0 == names[i].0);
        if clash(names, i) {
            if let Some(second) = profiles[i].top_categories.get(1) {
                let (en, zh) = catalog::names(second);
                names[i].0 = format!("{} (+{en})", names[i].0);
                names[i].1 = format!("{}（兼{zh}）", names[i].1);
            }
        }
        let mut n = 2;
        while clash(names, i) {
            names[i].0 = format!("{} {n}", names[i].0);
            names[i].1 = format!("{} {n}", names[i].1);
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(price_index: f64, cat: &str, purchase_rate: f64) -> Profile {
        Profile {
            size: 100,
            share: 0.1,
            top_categories: vec![cat.into(), "food".into()],
            avg_price: 10.0,
            price_index,
            cart_rate: 0.1,
            purchase_rate,
            recency_days: 3.0,
            population_purchase_rate: 0.05,
            top_brands: Vec::new(),
            price_band: price_band(price_index).into(),
            rfm_tier: "mid".into(),
        }
    }

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

    #[test]
    fn names_follow_the_profile() {
        assert_eq!(name(&p(0.5, "electronics", 0.05)), ("Premium electronics enthusiasts".into(), "高端数码电子爱好者".into()));
        assert_eq!(name(&p(-0.5, "apparel", 0.1)).0, "Value-seeking fashion buyers");
        assert_eq!(name(&p(0.0, "kids", 0.01)).1, "母婴童装浏览客");
    }

    #[test]
    fn dedupe_makes_names_unique() {
        let profiles = vec![p(0.0, "kids", 0.05), p(0.0, "kids", 0.05), p(0.0, "kids", 0.05)];
        let mut names: Vec<_> = profiles.iter().map(name).collect();
        dedupe(&mut names, &profiles);
        let mut en: Vec<_> = names.iter().map(|n| n.0.clone()).collect();
        en.sort();
        en.dedup();
        assert_eq!(en.len(), 3, "{names:?}");
    }
}
