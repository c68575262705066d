//! Google's text slots, filled only from approved copy: limits (the placement table's, else
//! Google's published ones), the responsive search ad's headlines and descriptions, Path 1/2
//! and phrase-match keywords. Widths count a CJK character as 2, as Google does.

use super::super::collect::AdGroup;
use super::super::validate;
use crate::placements::Platform;

pub(super) const SEARCH_HEADLINES: usize = 15;
pub(super) const SEARCH_HEADLINES_MIN: usize = 3;
pub(super) const SEARCH_DESCRIPTIONS: usize = 4;
pub(super) const SEARCH_DESCRIPTIONS_MIN: usize = 2;
const SEARCH_HEADLINE_MAX: u32 = 30;
const SEARCH_DESCRIPTION_MAX: u32 = 90;
const PATH_MAX: u32 = 15;
/// Google keyword limits: 80 characters, 10 words; at most this many per ad group from copy.
const KEYWORD_MAX: usize = 80;
const KEYWORD_WORDS: usize = 10;
const KEYWORDS_PER_GROUP: usize = 20;
/// Characters Google refuses in keywords.
const KEYWORD_BAD: &[char] = &['!', '@', '%', '^', '*', '(', ')', '=', '{', '}', ';', '~', '`', '<', '>', '?', '\\', '|', ',', '"'];
const HEADLINE_MAX: u32 = 30;
const LONG_HEADLINE_MAX: u32 = 90;
const DESCRIPTION_MAX: u32 = 90;
const BUSINESS_NAME_MAX: u32 = 25;

/// Text limits in Google width units.
pub(super) struct Limits {
    pub headline: u32,
    pub long_headline: u32,
    pub description: u32,
    pub business_name: u32,
}

/// The table's Google image placement's limits, else Google's published ones.
pub(super) fn limits() -> Limits {
    let t = validate::text_placement(Platform::Google).map(|p| p.text.clone()).unwrap_or_default();
    Limits {
        headline: t.headline.unwrap_or(HEADLINE_MAX),
        long_headline: t.long_headline.unwrap_or(LONG_HEADLINE_MAX),
        description: t.description.unwrap_or(DESCRIPTION_MAX),
        business_name: t.business_name.unwrap_or(BUSINESS_NAME_MAX),
    }
}

#[derive(Clone, Copy)]
pub(super) enum Slot {
    Headline,
    Description,
}

/// Up to `n` distinct texts of the ad group for a responsive search ad slot, each within its
/// limit: headlines first, then long headlines, descriptions and primary texts that fit;
/// descriptions first, then long headlines and primary texts. Never a call-to-action text
/// (a button label is not a headline) and never a text of `exclude` (ignoring case).
pub(super) fn fill(g: &AdGroup, n: usize, slot: Slot, exclude: &[String]) -> Vec<String> {
    let vs = || g.variants.iter().map(|a| &a.variant);
    let (candidates, limit): (Vec<&String>, u32) = match slot {
        Slot::Headline => (vs().map(|v| &v.headline).chain(vs().flat_map(|v| [&v.long_headline, &v.description, &v.primary_text])).collect(), SEARCH_HEADLINE_MAX),
        Slot::Description => (vs().map(|v| &v.description).chain(vs().flat_map(|v| [&v.long_headline, &v.primary_text])).collect(), SEARCH_DESCRIPTION_MAX),
    };
    let key = |s: &str| s.trim().to_lowercase();
    let mut seen: Vec<String> = exclude.iter().map(|s| key(s)).collect();
    let mut out = Vec::new();
    for t in candidates {
        let t = t.trim();
        if out.len() == n {
            break;
        }
        if t.is_empty() || validate::units(true, t) > limit || seen.contains(&key(t)) {
            continue;
        }
        seen.push(key(t));
        out.push(t.to_string());
    }
    out
}

/// The ad group's phrase-match keywords: the approved variants' keywords, trimmed, lowercased
/// (Google matches keywords without case), deduplicated, at most 80 characters and 10 words,
/// none with a character Google refuses; at most 20.
pub(super) fn keywords(g: &AdGroup) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in g.variants.iter().flat_map(|a| &a.variant.keywords) {
        let k = k.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let ok = !k.is_empty() && k.chars().count() <= KEYWORD_MAX && k.split(' ').count() <= KEYWORD_WORDS && !k.contains(KEYWORD_BAD) && !k.chars().any(char::is_control);
        if ok && !out.contains(&k) && out.len() < KEYWORDS_PER_GROUP {
            out.push(k);
        }
    }
    out
}

/// Path 1 and Path 2: the landing URL's first two path segments when each fits 15 width units
/// and holds no `/`; empty otherwise (Google makes them optional).
pub fn paths(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    let ok = |s: &&str| validate::units(true, s) <= PATH_MAX && !s.chars().any(|c| c.is_control() || c.is_whitespace());
    match (segs.first().copied().filter(ok), segs.get(1).copied().filter(ok)) {
        (Some(a), Some(b)) => (a.to_string(), b.to_string()),
        (Some(a), None) => (a.to_string(), String::new()),
        _ => (String::new(), String::new()),
    }
}
