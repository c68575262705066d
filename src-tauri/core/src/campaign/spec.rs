//! What a campaign is made of, validated once (linfa's Params → `check()` style): the
//! products it promotes, its goal, languages, placements, brand kit, landing page, business
//! name and tone. Everything downstream takes a [`ValidCampaignSpec`] and never re-checks.

use serde::{Deserialize, Serialize};

use super::CampaignError;
use crate::banner::BrandKit;
use crate::copy::{self, Goal, Lang, Promotion, Tone};
use crate::error::{keyed_text, KeyedText};
use crate::names;
use crate::placements::{self, Role};

/// Which products a campaign may promote. Empty fields do not restrict; all set fields must
/// match (ids ∧ category ∧ brand).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductFilter {
    /// Explicit product ids picked from the catalog.
    #[serde(default)]
    pub ids: Vec<String>,
    /// The products' stored category, matched exactly (for REES46-style imports the top-level
    /// key such as `electronics`; for catalogs the category text as imported).
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
}

impl ProductFilter {
    /// Whether the filter lets every product through.
    pub fn is_open(&self) -> bool {
        self.ids.is_empty() && self.category.is_none() && self.brand.is_none()
    }
}

/// A campaign as asked for; [`CampaignParams::check`] turns it into a [`ValidCampaignSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CampaignParams {
    pub name: String,
    pub goal: Goal,
    /// Languages to write copy in, each once (zh-CN, en).
    pub languages: Vec<Lang>,
    /// Placement ids from `assets/placements.json`.
    pub placements: Vec<String>,
    pub tone: Tone,
    /// Where the ad leads: an http(s) URL.
    pub landing_url: String,
    /// The advertiser as shown in ads (Google allows 25 width units).
    pub business_name: String,
    pub kit: BrandKit,
    pub products: ProductFilter,
    /// Copy sets per segment and language (1..=20; the studio's default is 8).
    pub variants_per_segment: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// The promotion the marketer entered: the only thing that lets copy and banners make a
    /// price claim (discount, was/now price, badge). `None`: no price claims at all.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub promotion: Option<Promotion>,
    /// Days before the data's last event within which a product's first event makes it
    /// "new" (1..=365; default [`copy::NEW_WITHIN_DAYS`]).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub new_within_days: Option<u32>,
}

/// The placements a campaign gets when none are chosen: one of each image family a marketer
/// usually buys (Google responsive display, Meta feed, the IAB core sizes).
pub const DEFAULT_PLACEMENTS: [&str; 8] = ["google-rda-landscape", "google-rda-square", "meta-feed-square", "iab-300x250", "iab-728x90", "iab-160x600", "iab-320x50", "iab-300x600"];

/// Most copy sets per segment and language.
pub const MAX_VARIANTS: usize = 20;
/// The business name's limit in width units (Google's; a Chinese character counts 2).
pub const MAX_BUSINESS_WIDTH: usize = 25;

/// The message keys of [`CampaignError::BadSpec`]'s reasons (nested in `err.campaign.bad_spec`).
pub const SPEC_KEYS: &[&str] = &[
    "spec.no_language",
    "spec.listed_twice",
    "spec.no_placement",
    "spec.unknown_placement",
    "spec.logo_slot",
    "spec.url_too_long",
    "spec.url_scheme",
    "spec.url_no_host",
    "spec.url_spaces",
    "spec.business_name_width",
    "spec.variants_range",
    "spec.new_within_range",
    "spec.percent_range",
    "spec.amount_zero",
    "spec.amount_whole",
    "spec.not_a_date",
    "spec.ends_before_start",
    "spec.promotion_ended",
    "spec.no_product",
    "spec.amount_not_below_price",
];

impl CampaignParams {
    /// A campaign in `lang` with the studio's defaults: the default placements, 8 copy sets
    /// per segment, informative tone, clicks goal, every product allowed.
    pub fn new(name: &str, lang: Lang, seed: u64) -> CampaignParams {
        CampaignParams {
            name: name.to_string(),
            goal: Goal::Clicks,
            languages: vec![lang],
            placements: DEFAULT_PLACEMENTS.iter().map(|s| s.to_string()).collect(),
            tone: Tone::Informative,
            landing_url: "https://shop.example.com/".into(),
            business_name: "Demo Store".into(),
            kit: BrandKit::default(),
            products: ProductFilter::default(),
            variants_per_segment: copy::VARIANTS_DEFAULT,
            seed,
            promotion: None,
            new_within_days: None,
        }
    }

    /// The walking skeleton's shape: one variant per segment, landscape banner only.
    pub fn single(name: &str, lang: Lang, seed: u64) -> CampaignParams {
        CampaignParams { placements: vec!["google-rda-landscape".into()], variants_per_segment: 1, ..CampaignParams::new(name, lang, seed) }
    }

    /// Validate every field. The name, business name and logo wordmark are one line each
    /// ([`names::check_line`]: no control characters); a promotion has a percent in 1–90 or a
    /// whole amount above 0, dates with `starts ≤ ends`, and has not ended before today; the
    /// novelty window is 1–365 days.
    ///
    /// Errors: [`CampaignError::BadName`], [`CampaignError::BadSpec`] naming the field and the
    /// reason, [`CampaignError::BadText`] naming the field and the character.
    pub fn check(self) -> Result<ValidCampaignSpec, CampaignError> {
        self.check_on(super::claims::today())
    }

    /// [`CampaignParams::check`] as of `today` (a promotion that ended before it is refused).
    pub fn check_on(mut self, today: chrono::NaiveDate) -> Result<ValidCampaignSpec, CampaignError> {
        let bad = |field: &'static str, reason: KeyedText| CampaignError::BadSpec { field, reason };
        self.name = self.name.trim().to_string();
        if self.name.is_empty() || self.name.chars().count() > 80 {
            return Err(CampaignError::BadName);
        }
        names::check_line("campaign name", &self.name)?;
        if self.languages.is_empty() {
            return Err(bad("languages", keyed_text!("spec.no_language"; "choose at least one language")));
        }
        let mut langs = Vec::new();
        for l in &self.languages {
            if langs.contains(l) {
                return Err(bad("languages", keyed_text!("spec.listed_twice"; "{value} is listed twice", value = l.tag())));
            }
            langs.push(*l);
        }
        if self.placements.is_empty() {
            return Err(bad("placements", keyed_text!("spec.no_placement"; "choose at least one placement")));
        }
        for (i, id) in self.placements.iter().enumerate() {
            let p = placements::by_id(id).ok_or_else(|| bad("placements", keyed_text!("spec.unknown_placement"; "unknown placement {id:?}", id = id)))?;
            if p.role != Role::Image {
                return Err(bad("placements", keyed_text!("spec.logo_slot"; "{id} is a logo slot, not an ad image", id = id)));
            }
            if self.placements[..i].contains(id) {
                return Err(bad("placements", keyed_text!("spec.listed_twice"; "{value} is listed twice", value = id)));
            }
        }
        self.landing_url = self.landing_url.trim().to_string();
        check_url(&self.landing_url).map_err(|r| bad("landing_url", r))?;
        self.business_name = self.business_name.trim().to_string();
        let bw = copy::width(&self.business_name);
        if bw == 0 || bw > MAX_BUSINESS_WIDTH {
            return Err(bad(
                "business_name",
                keyed_text!("spec.business_name_width"; "must be 1–{max} width units (a Chinese character counts 2); it is {width}", max = MAX_BUSINESS_WIDTH, width = bw),
            ));
        }
        names::check_line("campaign business_name", &self.business_name)?;
        names::check_line("campaign kit.logo_text", &self.kit.logo_text)?;
        if !(1..=MAX_VARIANTS).contains(&self.variants_per_segment) {
            return Err(bad("variants_per_segment", keyed_text!("spec.variants_range"; "must be 1–{max}", max = MAX_VARIANTS)));
        }
        if self.kit.logo_text.trim().is_empty() {
            self.kit.logo_text = self.business_name.clone();
        }
        let trim = |o: &mut Option<String>| {
            *o = o.take().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        };
        trim(&mut self.products.category);
        trim(&mut self.products.brand);
        self.products.ids.retain(|s| !s.trim().is_empty());
        if let Some(p) = self.promotion.as_mut() {
            super::claims::check_promotion(p, today)?;
        }
        let days = self.new_within_days.unwrap_or(copy::NEW_WITHIN_DAYS);
        if !(1..=super::claims::MAX_NEW_WITHIN_DAYS).contains(&days) {
            return Err(bad("new_within_days", keyed_text!("spec.new_within_range"; "must be 1–{max} days; it is {value}", max = super::claims::MAX_NEW_WITHIN_DAYS, value = days)));
        }
        self.new_within_days = Some(days);
        Ok(ValidCampaignSpec(self))
    }

    /// The spec's novelty window in days (after `check`, always set).
    pub fn new_within(&self) -> u32 {
        self.new_within_days.unwrap_or(copy::NEW_WITHIN_DAYS)
    }
}

/// Parameters that passed [`CampaignParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCampaignSpec(CampaignParams);

impl std::ops::Deref for ValidCampaignSpec {
    type Target = CampaignParams;
    fn deref(&self) -> &CampaignParams {
        &self.0
    }
}

/// An absolute http(s) URL with a host and no whitespace, at most 2,048 characters.
fn check_url(url: &str) -> Result<(), KeyedText> {
    if url.len() > 2048 {
        return Err(keyed_text!("spec.url_too_long"; "is longer than 2,048 characters"));
    }
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or_else(|| keyed_text!("spec.url_scheme"; "must start with https:// or http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with('.') || host.starts_with(':') {
        return Err(keyed_text!("spec.url_no_host"; "has no host name"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(keyed_text!("spec.url_spaces"; "contains spaces or control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HasCode;

    fn field_of(e: CampaignError) -> &'static str {
        match e {
            CampaignError::BadSpec { field, .. } => field,
            other => panic!("expected BadSpec, got {other:?}"),
        }
    }

    #[test]
    fn defaults_pass_and_fill_the_logo_from_the_business_name() {
        let v = CampaignParams::new("Double 11", Lang::Zh, 1).check().unwrap();
        assert_eq!(v.placements.len(), 8);
        assert_eq!(v.kit.logo_text, "Demo Store");
    }

    #[test]
    fn every_bad_field_is_named() {
        let base = || CampaignParams::new("x", Lang::En, 1);
        assert!(matches!(CampaignParams { name: "  ".into(), ..base() }.check(), Err(CampaignError::BadName)));
        assert_eq!(field_of(CampaignParams { languages: vec![], ..base() }.check().unwrap_err()), "languages");
        assert_eq!(field_of(CampaignParams { languages: vec![Lang::En, Lang::En], ..base() }.check().unwrap_err()), "languages");
        assert_eq!(field_of(CampaignParams { placements: vec!["nope".into()], ..base() }.check().unwrap_err()), "placements");
        assert_eq!(field_of(CampaignParams { placements: vec!["google-rda-logo-square".into()], ..base() }.check().unwrap_err()), "placements");
        assert_eq!(field_of(CampaignParams { placements: vec!["iab-300x250".into(), "iab-300x250".into()], ..base() }.check().unwrap_err()), "placements");
        for url in ["shop.example.com", "ftp://x.com", "https://", "https://exa mple.com", "javascript:alert(1)"] {
            assert_eq!(field_of(CampaignParams { landing_url: url.into(), ..base() }.check().unwrap_err()), "landing_url", "{url}");
        }
        assert_eq!(field_of(CampaignParams { business_name: "".into(), ..base() }.check().unwrap_err()), "business_name");
        // 13 Chinese characters are 26 width units: one too many for Google.
        assert_eq!(field_of(CampaignParams { business_name: "一二三四五六七八九十一二三".into(), ..base() }.check().unwrap_err()), "business_name");
        assert!(CampaignParams { business_name: "一二三四五六七八九十一二".into(), ..base() }.check().is_ok());
        assert_eq!(field_of(CampaignParams { variants_per_segment: 0, ..base() }.check().unwrap_err()), "variants_per_segment");
        assert_eq!(field_of(CampaignParams { variants_per_segment: 21, ..base() }.check().unwrap_err()), "variants_per_segment");
        let e = CampaignParams { landing_url: "x".into(), ..base() }.check().unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("landing_url"), "{e}");
    }
}
