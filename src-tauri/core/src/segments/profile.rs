//! Segment profiles and the readable bilingual names derived from them.

use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::features::UserStats;

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
}

/// Profile of the users `members` (indices into `stats`).
pub fn profile(stats: &[UserStats], members: &[usize], categories: &[String], avg_price: f64) -> Profile {
    let n = members.len().max(1) as f64;
    let k = categories.len();
    let mut seg_aff = vec![0.0; k];
    let mut pop_aff = vec![0.0; k];
    for s in stats {
        for c in 0..k {
            pop_aff[c] += s.affinity[c];
        }
    }
    let (mut views, mut carts, mut buys, mut price_index, mut recency) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &i in members {
        let s = &stats[i];
        for c in 0..k {
            seg_aff[c] += s.affinity[c];
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
    }
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
        }
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
