//! Readable, unique bilingual segment names.
//!
//! A segment whose leading category is a real one is named by price, category and funnel role
//! ("Premium electronics buyers" / "高端数码电子买家"). When the category key is anonymous (a
//! numeric id such as `4756105` or `Cat_4756105`, `unknown`, or missing) the segment is named
//! by behaviour instead: its funnel stage (browsers / carters / buyers / repeat buyers) led by
//! its most distinctive traits among recency (active / lapsing / lapsed), activity (light /
//! heavy) and price band (budget / mid-price / premium), compared with the whole population.
//! Names that clash get the next most distinctive trait (or the second category) until they
//! differ; never a number chain.

use super::profile::{Population, Profile};
use crate::catalog;

/// Whether a category key carries no meaning a reader could use: empty, `unknown`, or ending
/// in three or more digits (`4756105`, `Cat_4756105`, `c_1234`).
pub fn is_anonymous(key: &str) -> bool {
    let k = key.trim();
    let digits = k.chars().rev().take_while(char::is_ascii_digit).count();
    k.is_empty() || k.eq_ignore_ascii_case("unknown") || digits >= 3
}

/// One word of a name in both languages, with how distinctive it is (a |log ratio| against the
/// population; higher first).
#[derive(Debug, Clone, PartialEq)]
struct Trait {
    en: &'static str,
    zh: &'static str,
    score: f64,
}

/// Recency, activity and price traits of `p`, most distinctive first.
fn traits(p: &Profile, pop: &Population) -> Vec<Trait> {
    let ratio = |a: f64, b: f64| if a > 0.0 && b > 0.0 { (a / b).ln() } else { 0.0 };
    let r = ratio(p.recency_days, pop.recency_days);
    let recency = if r < -0.2 {
        Trait { en: "active", zh: "活跃", score: r.abs() }
    } else if r > 0.4 {
        Trait { en: "lapsed", zh: "流失", score: r.abs() }
    } else {
        Trait { en: "lapsing", zh: "渐冷", score: r.abs() }
    };
    let a = ratio(p.events_per_user, pop.events_per_user);
    let activity = if a >= 0.0 { Trait { en: "heavy", zh: "高频", score: a } } else { Trait { en: "light", zh: "低频", score: -a } };
    let price = match super::profile::price_band(p.price_index) {
        "premium" => Trait { en: "premium", zh: "高端", score: p.price_index.abs() },
        "budget" => Trait { en: "budget", zh: "实惠型", score: p.price_index.abs() },
        _ => Trait { en: "mid-price", zh: "中端", score: p.price_index.abs() },
    };
    let mut t = vec![recency, activity, price];
    t.sort_by(|a, b| b.score.total_cmp(&a.score));
    t
}

/// The part of the day the members are most over-represented in, against the population.
fn day_part(p: &Profile, pop: &Population) -> Option<Trait> {
    const WORDS: [(&str, &str); 4] = [("night-owl", "夜猫子"), ("morning", "早间"), ("afternoon", "午后"), ("evening", "晚间")];
    (0..4)
        .filter(|&i| p.day_parts[i] > 0.0 && pop.day_parts[i] > 0.0)
        .map(|i| (i, (p.day_parts[i] / pop.day_parts[i]).ln()))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|x| x.1 > 0.0)
        .map(|(i, score)| Trait { en: WORDS[i].0, zh: WORDS[i].1, score })
}

/// The furthest funnel stage at least half the members reached.
fn stage(p: &Profile) -> (&'static str, &'static str) {
    if p.repeat_share >= 0.5 {
        ("repeat buyers", "回头客")
    } else if p.buyer_share >= 0.5 {
        ("buyers", "买家")
    } else if p.carter_share >= 0.5 {
        ("carters", "加购客")
    } else {
        ("browsers", "浏览客")
    }
}

/// How a name is built: leading words, the head (category + role, or the stage) and the
/// refinements it may still add when it clashes.
struct Parts {
    lead: Vec<(String, String)>,
    head: (String, String),
    tail: Vec<(String, String)>,
    spare: Vec<Refinement>,
}

enum Refinement {
    Lead(&'static str, &'static str),
    Tail(String, String),
}

fn parts(p: &Profile, pop: &Population) -> Parts {
    let traits = traits(p, pop);
    let lead_cat = p.top_categories.first().filter(|c| !is_anonymous(c));
    match lead_cat {
        Some(cat) => {
            let (cat_en, cat_zh) = catalog::names(cat);
            let role = match p.purchase_lift() {
                Some(l) if l > 1.3 => ("buyers", "买家"),
                Some(l) if l < 0.7 => ("browsers", "浏览客"),
                Some(_) => ("enthusiasts", "爱好者"),
                None => stage(p),
            };
            let lead = match super::profile::price_band(p.price_index) {
                "premium" => vec![("premium".to_string(), "高端".to_string())],
                "budget" => vec![("value-seeking".to_string(), "实惠型".to_string())],
                _ => Vec::new(),
            };
            let mut spare: Vec<Refinement> =
                p.top_categories.get(1).filter(|c| !is_anonymous(c)).map(|c| catalog::names(c)).map(|(en, zh)| Refinement::Tail(format!(" (+{en})"), format!("（兼{zh}）"))).into_iter().collect();
            let mut rest: Vec<Trait> = traits.into_iter().filter(|t| !matches!(t.en, "premium" | "budget" | "mid-price")).chain(day_part(p, pop)).collect();
            rest.sort_by(|a, b| b.score.total_cmp(&a.score));
            spare.extend(rest.into_iter().map(|t| Refinement::Lead(t.en, t.zh)));
            Parts { lead, head: (format!("{cat_en} {}", role.0), format!("{cat_zh}{}", role.1)), tail: Vec::new(), spare }
        }
        None => {
            let (en, zh) = stage(p);
            let mut it = traits.into_iter();
            let first = it.next().expect("three traits");
            // Further traits by how distinctive they are, the time of day among them.
            let mut rest: Vec<Trait> = it.chain(day_part(p, pop)).collect();
            rest.sort_by(|a, b| b.score.total_cmp(&a.score));
            let spare = rest.into_iter().map(|t| Refinement::Lead(t.en, t.zh)).collect();
            Parts { lead: vec![(first.en.into(), first.zh.into())], head: (en.into(), zh.into()), tail: Vec::new(), spare }
        }
    }
}

impl Parts {
    /// Add the next refinement; false when none is left.
    fn refine(&mut self) -> bool {
        if self.spare.is_empty() {
            return false;
        }
        match self.spare.remove(0) {
            Refinement::Lead(en, zh) => self.lead.push((en.into(), zh.into())),
            Refinement::Tail(en, zh) => self.tail.push((en, zh)),
        }
        true
    }

    fn render(&self) -> (String, String) {
        // Traits read in a fixed order (recency, activity, price) whatever their rank.
        let order = |w: &str| ["active", "lapsing", "lapsed", "heavy", "light", "night-owl", "morning", "afternoon", "evening"].iter().position(|x| *x == w).unwrap_or(9);
        let mut lead = self.lead.clone();
        lead.sort_by_key(|w| order(&w.0));
        let mut en: Vec<&str> = lead.iter().map(|w| w.0.as_str()).collect();
        en.push(&self.head.0);
        let mut en = en.join(" ");
        self.tail.iter().for_each(|t| en.push_str(&t.0));
        let mut chars = en.chars();
        let en = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
        let mut zh: String = lead.iter().map(|w| w.1.as_str()).collect();
        zh.push_str(&self.head.1);
        self.tail.iter().for_each(|t| zh.push_str(&t.1));
        (en, zh)
    }
}

/// Unique (en, zh) names for `profiles`, in order (see the module doc). Names that still clash
/// once every trait is used get the segment's mean recency in days, which tells them apart.
pub fn names(profiles: &[Profile], pop: &Population) -> Vec<(String, String)> {
    let mut parts: Vec<Parts> = profiles.iter().map(|p| parts(p, pop)).collect();
    loop {
        let names: Vec<(String, String)> = parts.iter().map(Parts::render).collect();
        let clashing: Vec<usize> = (0..names.len()).filter(|&i| (0..names.len()).any(|j| j != i && (names[j].0.eq_ignore_ascii_case(&names[i].0) || names[j].1 == names[i].1))).collect();
        if clashing.is_empty() {
            return names;
        }
        let mut progressed = false;
        for i in clashing {
            progressed |= parts[i].refine();
        }
        if !progressed {
            break;
        }
    }
    let mut names: Vec<(String, String)> = parts.iter().map(Parts::render).collect();
    let clash = |names: &[(String, String)], i: usize| (0..names.len()).any(|j| j != i && (names[j].0.eq_ignore_ascii_case(&names[i].0) || names[j].1 == names[i].1));
    let with_days: Vec<bool> = (0..names.len()).map(|i| clash(&names, i)).collect();
    for (i, yes) in with_days.into_iter().enumerate() {
        if yes {
            let d = profiles[i].recency_days;
            names[i] = (format!("{} (~{d:.1} days)", names[i].0), format!("{}（约{d:.1}天）", names[i].1));
        }
    }
    // Profiles identical to a tenth of a day: their rank tells them apart (one number, once).
    let ranked: Vec<bool> = (0..names.len()).map(|i| clash(&names, i)).collect();
    for (i, yes) in ranked.into_iter().enumerate() {
        if yes {
            names[i] = (format!("{}, group {}", names[i].0, i + 1), format!("{}，第{}组", names[i].1, i + 1));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(price_index: f64, cat: &str, purchase_rate: Option<f64>) -> Profile {
        Profile {
            size: 100,
            share: 0.1,
            top_categories: vec![cat.into(), "food".into()],
            price_index,
            cart_rate: Some(0.1),
            purchase_rate,
            recency_days: 3.0,
            population_purchase_rate: Some(0.05),
            events_per_user: 10.0,
            price_band: super::super::profile::price_band(price_index).into(),
            ..Default::default()
        }
    }

    const POP: Population = Population { recency_days: 3.0, events_per_user: 10.0, buyer_share: 0.3, day_parts: [0.25; 4] };

    #[test]
    fn known_categories_name_price_category_and_role() {
        let n = names(&[p(0.5, "electronics", Some(0.05)), p(-0.5, "apparel", Some(0.1)), p(0.0, "kids", Some(0.01))], &POP);
        assert_eq!(n[0], ("Premium electronics enthusiasts".into(), "高端数码电子爱好者".into()));
        assert_eq!(n[1].0, "Value-seeking fashion buyers");
        assert_eq!(n[2].1, "母婴童装浏览客");
    }

    #[test]
    fn anonymous_keys_are_recognised() {
        for k in ["", "unknown", "4756105", "Cat_4756105", "c_1234"] {
            assert!(is_anonymous(k), "{k}");
        }
        for k in ["electronics", "Home & Garden", "mp3"] {
            assert!(!is_anonymous(k), "{k}");
        }
    }

    #[test]
    fn anonymous_segments_are_named_by_behaviour_and_unique_without_numbers() {
        let mut segs = Vec::new();
        for (recency, events, repeat, price) in [(1.0, 30.0, 0.8, 0.0), (9.0, 3.0, 0.1, 0.0), (3.0, 10.0, 0.1, 0.5), (3.0, 10.0, 0.1, -0.5), (9.0, 3.0, 0.1, 0.3), (1.0, 3.0, 0.1, 0.0)] {
            let mut q = p(price, "Cat_4756105", None);
            (q.recency_days, q.events_per_user, q.repeat_share, q.buyer_share) = (recency, events, repeat, repeat);
            segs.push(q);
        }
        let n = names(&segs, &POP);
        assert_eq!(n[0].0, "Active repeat buyers", "{n:?}");
        assert_eq!(n[5].0, "Active light browsers", "a clash adds the next trait: {n:?}");
        assert_eq!(n[1], ("Lapsed light mid-price browsers".into(), "流失低频中端浏览客".into()), "{n:?}");
        assert_eq!(n[4].0, "Lapsed light premium browsers", "{n:?}");
        assert_eq!(n[2].0, "Premium browsers");
        for (i, (en, zh)) in n.iter().enumerate() {
            assert!(!en.contains("Cat_") && !en.chars().any(|c| c.is_ascii_digit()), "{en}");
            assert!(n.iter().enumerate().all(|(j, o)| j == i || (o.0 != *en && o.1 != *zh)), "{n:?}");
        }
    }

    #[test]
    fn identical_profiles_still_get_distinct_names() {
        let segs = vec![p(0.0, "kids", Some(0.05)), p(0.0, "kids", Some(0.05)), p(0.0, "kids", Some(0.05))];
        let n = names(&segs, &POP);
        let mut en: Vec<_> = n.iter().map(|n| n.0.clone()).collect();
        en.sort();
        en.dedup();
        assert_eq!(en.len(), 3, "{n:?}");
    }
}
