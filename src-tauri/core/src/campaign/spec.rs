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
use crate::store::Project;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub promotion: Option<Promotion>,
    /// Days before the data's last event within which a product's first event makes it
    /// "new" (1..=365; default [`copy::NEW_WITHIN_DAYS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// novelty window is 1–365 days. Texts are trimmed, and an empty logo wordmark becomes the
    /// business name.
    ///
    /// Errors: the first of [`CampaignParams::problems_on`]: [`CampaignError::BadName`],
    /// [`CampaignError::BadSpec`] naming the field and the reason, [`CampaignError::BadText`]
    /// naming the field and the character.
    pub fn check(self) -> Result<ValidCampaignSpec, CampaignError> {
        self.check_on(super::claims::today())
    }

    /// [`CampaignParams::check`] as of `today` (a promotion that ended before it is refused).
    pub fn check_on(self, today: chrono::NaiveDate) -> Result<ValidCampaignSpec, CampaignError> {
        let mut spec = self.normalised();
        if let Some(first) = spec.problems_of_normalised(today).into_iter().next() {
            return Err(first.error);
        }
        if spec.kit.logo_text.trim().is_empty() {
            spec.kit.logo_text = spec.business_name.clone();
        }
        spec.new_within_days = Some(spec.new_within());
        Ok(ValidCampaignSpec(spec))
    }

    /// Every field's problem at once, in form order (at most one per field), as of `today`:
    /// what a form shows while the marketer types. Empty exactly when
    /// [`CampaignParams::check_on`] passes; its error is the first of these.
    pub fn problems_on(&self, today: chrono::NaiveDate) -> Vec<SpecProblem> {
        self.clone().normalised().problems_of_normalised(today)
    }

    /// The spec with its texts trimmed and blank product filters dropped.
    pub(super) fn normalised(mut self) -> CampaignParams {
        self.name = self.name.trim().to_string();
        self.landing_url = self.landing_url.trim().to_string();
        self.business_name = self.business_name.trim().to_string();
        let trim = |o: &mut Option<String>| {
            *o = o.take().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        };
        trim(&mut self.products.category);
        trim(&mut self.products.brand);
        self.products.ids.retain(|s| !s.trim().is_empty());
        if let Some(p) = self.promotion.as_mut() {
            super::claims::normalise_promotion(p);
        }
        self
    }

    fn problems_of_normalised(&self, today: chrono::NaiveDate) -> Vec<SpecProblem> {
        let checks: [(&'static str, Check); 9] = [
            ("name", check_name),
            ("languages", check_languages),
            ("placements", check_placements),
            ("landing_url", |s, _| check_url(&s.landing_url).map_err(|r| bad("landing_url", r))),
            ("business_name", check_business_name),
            ("kit.logo_text", |s, _| Ok(names::check_line("campaign kit.logo_text", &s.kit.logo_text)?)),
            ("variants_per_segment", check_variants),
            ("promotion", |s, today| s.promotion.as_ref().map_or(Ok(()), |p| super::claims::check_promotion(p, today))),
            ("new_within_days", check_new_within),
        ];
        checks.into_iter().filter_map(|(field, check)| check(self, today).err().map(|error| SpecProblem { field: error.spec_field().unwrap_or(field), error })).collect()
    }

    /// The spec's novelty window in days (after `check`, always set).
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

/// One field's problem, as [`CampaignParams::problems_on`] lists them.
#[derive(Debug)]
pub struct SpecProblem {
    /// The field, as [`CampaignError::BadSpec`] names it (`landing_url`, `promotion.ends`, …;
    /// `name` for the campaign's name).
    pub field: &'static str,
    pub error: CampaignError,
}

type Check = fn(&CampaignParams, chrono::NaiveDate) -> Result<(), CampaignError>;

fn bad(field: &'static str, reason: KeyedText) -> CampaignError {
    CampaignError::BadSpec { field, reason }
}

fn check_name(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    if s.name.is_empty() || s.name.chars().count() > 80 {
        return Err(CampaignError::BadName);
    }
    Ok(names::check_line("campaign name", &s.name)?)
}

fn check_languages(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    if s.languages.is_empty() {
        return Err(bad("languages", keyed_text!("spec.no_language"; "choose at least one language")));
    }
    for (i, l) in s.languages.iter().enumerate() {
        if s.languages[..i].contains(l) {
            return Err(bad("languages", keyed_text!("spec.listed_twice"; "{value} is listed twice", value = l.tag())));
        }
    }
    Ok(())
}

fn check_placements(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    if s.placements.is_empty() {
        return Err(bad("placements", keyed_text!("spec.no_placement"; "choose at least one placement")));
    }
    for (i, id) in s.placements.iter().enumerate() {
        let p = placements::by_id(id).ok_or_else(|| bad("placements", keyed_text!("spec.unknown_placement"; "unknown placement {id:?}", id = id)))?;
        if p.role != Role::Image {
            return Err(bad("placements", keyed_text!("spec.logo_slot"; "{id} is a logo slot, not an ad image", id = id)));
        }
        if s.placements[..i].contains(id) {
            return Err(bad("placements", keyed_text!("spec.listed_twice"; "{value} is listed twice", value = id)));
        }
    }
    Ok(())
}

fn check_business_name(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    let width = copy::width(&s.business_name);
    if width == 0 || width > MAX_BUSINESS_WIDTH {
        return Err(bad(
            "business_name",
            keyed_text!("spec.business_name_width"; "must be 1–{max} width units (a Chinese character counts 2); it is {width}", max = MAX_BUSINESS_WIDTH, width = width),
        ));
    }
    Ok(names::check_line("campaign business_name", &s.business_name)?)
}

fn check_variants(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    if !(1..=MAX_VARIANTS).contains(&s.variants_per_segment) {
        return Err(bad("variants_per_segment", keyed_text!("spec.variants_range"; "must be 1–{max}", max = MAX_VARIANTS)));
    }
    Ok(())
}

fn check_new_within(s: &CampaignParams, _: chrono::NaiveDate) -> Result<(), CampaignError> {
    let days = s.new_within();
    if !(1..=super::claims::MAX_NEW_WITHIN_DAYS).contains(&days) {
        return Err(bad("new_within_days", keyed_text!("spec.new_within_range"; "must be 1–{max} days; it is {value}", max = super::claims::MAX_NEW_WITHIN_DAYS, value = days)));
    }
    Ok(())
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

/// What a campaign form shows while the marketer types: every problem [`super::create`] would refuse
/// the spec for, all at once: each field's ([`CampaignParams::problems_on`] as of today), the
/// product filter matching nothing (`products`), and a promotion naming a product the catalog
/// lacks or taking off more than its price. Empty when the spec would be accepted (segments
/// aside). Errors: store only; a user's mistake is a problem, not an error.
pub fn problems(project: &Project, params: &CampaignParams) -> Result<Vec<SpecProblem>, CampaignError> {
    let mut out = params.problems_on(super::claims::today());
    let spec = params.clone().normalised();
    if super::build::filter_count(project, &spec.products)? == 0 {
        out.push(SpecProblem { field: "products", error: CampaignError::NoProducts });
    }
    let promotion_ok = !out.iter().any(|p| p.field.starts_with("promotion"));
    if let (true, Some(p)) = (promotion_ok, &spec.promotion) {
        match super::claims::check_products(project, p) {
            Err(error @ CampaignError::BadSpec { field, .. }) => out.push(SpecProblem { field, error }),
            other => other?,
        }
    }
    Ok(out)
}
