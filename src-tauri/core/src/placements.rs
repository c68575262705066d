//! Ad placements as data (`assets/placements.json`, embedded at build time): size, aspect
//! family, file-size budget and text limits per platform, with width-aware length checks (a CJK
//! character counts as 2 where the platform counts double-width characters that way).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::compliance::Field;

/// Where an ad runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Google,
    Iab,
    Meta,
}

/// The aspect-ratio family a banner template is designed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Landscape,
    Square,
    Portrait,
    Leaderboard,
    Skyscraper,
    MobileBanner,
}

/// Whether the asset is the ad image or the advertiser's logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Image,
    Logo,
}

/// Text limits in the platform's units; `None` where the placement carries no such text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TextLimits {
    #[serde(default)]
    pub headline: Option<u32>,
    #[serde(default)]
    pub long_headline: Option<u32>,
    #[serde(default)]
    pub description: Option<u32>,
    #[serde(default)]
    pub business_name: Option<u32>,
    #[serde(default)]
    pub primary_text: Option<u32>,
}

/// One placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub id: String,
    pub platform: Platform,
    /// English display name.
    pub name: String,
    /// Chinese display name (the window shows it in the Chinese UI).
    pub name_zh: String,
    pub width: u32,
    pub height: u32,
    pub family: Family,
    pub role: Role,
    /// File-size budget of one image, bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub max_bytes: u64,
    /// Whether a CJK (double-width) character counts as 2 towards the text limits.
    pub cjk_double_width: bool,
    pub text: TextLimits,
}

#[derive(Deserialize)]
struct Table {
    #[allow(dead_code)]
    note: String,
    placements: Vec<Placement>,
}

const TABLE: &str = include_str!("../../../assets/placements.json");

/// Every placement, in table order.
///
/// Panics only if the embedded table is malformed, which `table_is_valid` rules out at test time.
pub fn all() -> &'static [Placement] {
    static PLACEMENTS: OnceLock<Vec<Placement>> = OnceLock::new();
    PLACEMENTS.get_or_init(|| serde_json::from_str::<Table>(TABLE).expect("assets/placements.json is valid (tested)").placements)
}

/// The placement with `id`.
pub fn by_id(id: &str) -> Option<&'static Placement> {
    all().iter().find(|p| p.id == id)
}

/// Length of `text` in the units of placement `p`: characters, or display width (CJK = 2).
pub fn length(p: &Placement, text: &str) -> usize {
    if p.cjk_double_width {
        crate::text::width(text)
    } else {
        text.chars().count()
    }
}

/// The limit of `field` on `p` (`None`: no limit, or the field is not used there).
pub fn limit(p: &Placement, field: Field) -> Option<u32> {
    match field {
        Field::Headline => p.text.headline,
        Field::LongHeadline => p.text.long_headline,
        Field::Description => p.text.description,
        Field::PrimaryText => p.text.primary_text,
        Field::Cta => None,
    }
}

/// The smallest text a banner of `width`×`height` px may use, in px per em: a legibility floor
/// of 10 px, rising with the canvas (2 % of its shorter side) to 16 px on large ones. Banner
/// typesetting shrinks text no further; a never-cut layer that does not fit at this size is
/// reworded or left out, never cut.
pub fn min_text_px(width: u32, height: u32) -> f32 {
    (0.02 * width.min(height) as f32).clamp(10.0, 16.0)
}

/// The minimum text size of placement `p` ([`min_text_px`] of its size).
pub fn min_text_size(p: &Placement) -> f32 {
    min_text_px(p.width, p.height)
}

/// A text's length on a placement that limits its field, in the placement's units (width
/// units where a Chinese character counts 2, else characters).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TextLength {
    pub placement: String,
    pub field: Field,
    pub length: u32,
    pub limit: u32,
    /// Whether the text is longer than the placement allows (`length > limit`).
    pub over: bool,
}

/// The length of every text of `fields` that `p` limits, over its limit or not (the editor's
/// counters).
pub fn measure(p: &Placement, fields: &[(Field, &str)]) -> Vec<TextLength> {
    fields
        .iter()
        .filter_map(|&(field, text)| {
            let limit = limit(p, field)?;
            let length = length(p, text) as u32;
            Some(TextLength { placement: p.id.clone(), field, length, limit, over: length > limit })
        })
        .collect()
}

/// Every text of `fields` that exceeds a limit of `p`.
pub fn check_lengths(p: &Placement, fields: &[(Field, &str)]) -> Vec<TextLength> {
    measure(p, fields).into_iter().filter(|l| l.over).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_valid() {
        let ps = all();
        assert_eq!(ps.len(), 12);
        let mut ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ps.len(), "ids are unique");
        for p in ps {
            assert!(!p.name.trim().is_empty() && p.name_zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{} needs an English and a Chinese name", p.id);
            assert!(p.width >= 50 && p.height >= 50 && p.max_bytes >= 10_000, "{p:?}");
            let ratio = p.width as f64 / p.height as f64;
            let expected = match p.family {
                Family::Square => (0.8..=1.25).contains(&ratio),
                Family::Landscape => (1.5..=2.2).contains(&ratio),
                Family::Portrait => (0.4..0.8).contains(&ratio),
                Family::Skyscraper => ratio < 0.4,
                Family::Leaderboard => (2.5..=9.0).contains(&ratio),
                Family::MobileBanner => ratio > 5.0 && p.height <= 100,
            };
            assert!(expected, "{} is {}×{} but in {:?}", p.id, p.width, p.height, p.family);
        }
    }

    #[test]
    fn the_issue_budgets_and_limits_are_in_the_table() {
        let get = |id| by_id(id).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(get("iab-320x50").max_bytes, 50 * 1024);
        assert!(all().iter().filter(|p| p.platform == Platform::Iab && p.id != "iab-320x50").all(|p| p.max_bytes == 150 * 1024));
        let g = get("google-rda-landscape");
        assert_eq!((g.text.headline, g.text.long_headline, g.text.description, g.text.business_name), (Some(30), Some(90), Some(90), Some(25)));
        let m = get("meta-feed-square");
        assert_eq!((m.text.primary_text, m.text.headline), (Some(125), Some(27)));
    }

    #[test]
    fn minimum_text_size_grows_with_the_canvas_between_10_and_16_px() {
        let get = |id| min_text_size(by_id(id).unwrap());
        assert_eq!(get("iab-320x50"), 10.0);
        assert_eq!(get("google-rda-square"), 16.0);
        assert!((get("google-rda-landscape") - 12.56).abs() < 1e-3);
    }

    #[test]
    fn lengths_are_width_aware_where_the_platform_counts_double_width() {
        let (g, m) = (by_id("google-rda-landscape").unwrap(), by_id("meta-feed-square").unwrap());
        let zh = "沃提克无线耳机专业版限时八五折优惠"; // 17 CJK characters
        assert_eq!(length(g, zh), 34);
        assert_eq!(length(m, zh), 17);
        assert_eq!(check_lengths(g, &[(Field::Headline, zh)]), vec![TextLength { placement: g.id.clone(), field: Field::Headline, length: 34, limit: 30, over: true }]);
        assert!(check_lengths(m, &[(Field::Headline, zh)]).is_empty(), "17 ≤ 27 on Meta");
        assert!(check_lengths(g, &[(Field::Cta, &"x".repeat(200))]).is_empty(), "no CTA limit");
    }
}
