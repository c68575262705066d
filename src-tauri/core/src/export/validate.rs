//! Pre-export validation: every problem with what is about to be written, found before anything
//! is written.
//!
//! Severity policy: a platform's **hard** rule (Google's text limits, exact pixel size, aspect
//! ratio, byte budget, a missing or undecodable image) is an [`Severity::Error`] and blocks the
//! export; a **recommendation** (Meta's text lengths, past which Meta truncates instead of
//! refusing) or something the export works around (an ad left out for too few assets, assets
//! over a platform's count, a stale approval skipped) is a [`Severity::Warning`] returned in the
//! summary.
//!
//! Lengths are in each platform's units ([`crate::placements::length`]): Google counts a CJK
//! (double-width) character as 2, Meta counts characters.

use serde::{Deserialize, Serialize};

use super::collect::{Bundle, Image};
use crate::placements::{self, Family, Placement, Platform};

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProblemSeverity"))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks the export: nothing is written.
    Error,
    /// Reported in the summary; the export goes ahead.
    Warning,
}

/// Which rule a [`Problem`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ExportRule"))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A text is longer than the platform accepts.
    TextTooLong,
    /// A text is longer than the platform recommends (it will be truncated when shown).
    TextOverRecommended,
    /// A text the platform requires is empty.
    TextEmpty,
    /// An image is not exactly its placement's pixel size.
    PixelSize,
    /// An image's aspect ratio is outside the platform's tolerance.
    AspectRatio,
    /// An image is larger than its placement's byte budget.
    ByteBudget,
    /// An image's bytes are not the PNG/JPEG its render record says.
    ImageFormat,
    /// A render names a placement that is not in `assets/placements.json`.
    UnknownPlacement,
    /// An approved variant has no render for one of its campaign's placements.
    MissingRender,
    /// A variant is approved but changed since: it is skipped.
    StaleApproval,
    /// An ad group lacks what a platform requires for an ad: that ad is left out.
    TooFewAssets,
    /// An ad group has more assets than the platform takes: the rest are left out.
    AssetCap,
    /// A platform was asked for but the campaign has no placement of it.
    NoPlatformImages,
    /// A column or field the export would write is not in the platform's reference format.
    FormatDrift,
    /// No daily budget was given: the Google campaigns get a placeholder (they are paused).
    DefaultBudget,
    /// A segment has fewer users than the minimum audience: its list is not written.
    AudienceTooSmall,
}

impl Rule {
    /// Every rule with its snake_case name (as serialised; the window's `export.rule.{name}`).
    pub const ALL: [(Rule, &'static str); 16] = [
        (Rule::TextTooLong, "text_too_long"),
        (Rule::TextOverRecommended, "text_over_recommended"),
        (Rule::TextEmpty, "text_empty"),
        (Rule::PixelSize, "pixel_size"),
        (Rule::AspectRatio, "aspect_ratio"),
        (Rule::ByteBudget, "byte_budget"),
        (Rule::ImageFormat, "image_format"),
        (Rule::UnknownPlacement, "unknown_placement"),
        (Rule::MissingRender, "missing_render"),
        (Rule::StaleApproval, "stale_approval"),
        (Rule::TooFewAssets, "too_few_assets"),
        (Rule::AssetCap, "asset_cap"),
        (Rule::NoPlatformImages, "no_platform_images"),
        (Rule::FormatDrift, "format_drift"),
        (Rule::DefaultBudget, "default_budget"),
        (Rule::AudienceTooSmall, "audience_too_small"),
    ];
}

/// One thing wrong with what an export would write: where (file, variant, placement, field),
/// which rule, the offending value and the limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    pub severity: Severity,
    pub rule: Rule,
    pub platform: Option<Platform>,
    /// The file the value would be written to.
    pub file: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub variant_id: Option<i64>,
    pub placement: Option<String>,
    /// The field or column, e.g. `headline`, `Long headline`, `bytes`.
    pub field: Option<String>,
    /// What was found (a text, or a measurement such as `1201×628`).
    pub value: String,
    /// What is allowed (e.g. `30 width units`), empty when the rule has no number.
    pub limit: String,
    /// One readable sentence.
    pub message: String,
}

impl Problem {
    /// A problem with only its severity, rule and message; fill the rest with the setters.
    pub fn new(severity: Severity, rule: Rule, message: impl Into<String>) -> Problem {
        Problem { severity, rule, platform: None, file: None, variant_id: None, placement: None, field: None, value: String::new(), limit: String::new(), message: message.into() }
    }
    pub(super) fn platform(mut self, p: Platform) -> Self {
        self.platform = Some(p);
        self
    }
    pub(super) fn file(mut self, f: &str) -> Self {
        self.file = Some(f.to_string());
        self
    }
    pub(super) fn variant(mut self, id: i64) -> Self {
        self.variant_id = Some(id);
        self
    }
    pub(super) fn placement(mut self, p: &str) -> Self {
        self.placement = Some(p.to_string());
        self
    }
    pub(super) fn field(mut self, f: &str) -> Self {
        self.field = Some(f.to_string());
        self
    }
    pub(super) fn value(mut self, v: impl Into<String>, limit: impl Into<String>) -> Self {
        (self.value, self.limit) = (v.into(), limit.into());
        self
    }
    /// Whether this problem blocks the export.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Meta's recommended link description length (characters); past it Meta truncates.
pub const META_DESCRIPTION_RECOMMENDED: u32 = 30;

/// The aspect ratio (width / height) a platform requires for a placement, with its relative
/// tolerance. Google (Ads API `ResponsiveDisplayAdInfo`): marketing 1.91:1, square 1:1, logo
/// 4:1, each ±1 %. Meta feed images: 1.91:1, 1:1, 4:5 with the studio's ±3 %. IAB sizes
/// have no ratio rule beyond their exact size.
pub fn required_ratio(p: &Placement) -> Option<(f64, f64)> {
    match (p.platform, p.family) {
        (Platform::Google, Family::Landscape) => Some((1.91, 0.01)),
        (Platform::Google, Family::Square) => Some((1.0, 0.01)),
        (Platform::Google, Family::Leaderboard) => Some((4.0, 0.01)),
        (Platform::Meta, Family::Landscape) => Some((1.91, 0.03)),
        (Platform::Meta, Family::Square) => Some((1.0, 0.03)),
        (Platform::Meta, Family::Portrait) => Some((0.8, 0.03)),
        _ => None,
    }
}

/// Every problem of one image: format, exact pixel size (read from the bytes themselves),
/// aspect ratio and byte budget (the actual byte count against the placement table's budget,
/// not the flag stored at render time).
pub(super) fn image(img: &Image, variant_id: i64) -> Vec<Problem> {
    let p = img.placement;
    let at = |sev, rule, msg: String| Problem::new(sev, rule, msg).platform(p.platform).file(&img.name).variant(variant_id).placement(&p.id);
    let mut out = Vec::new();
    let detected = image::guess_format(&img.bytes).ok();
    let expected = match img.info.format {
        crate::banner::ImageFormat::Png => image::ImageFormat::Png,
        crate::banner::ImageFormat::Jpeg => image::ImageFormat::Jpeg,
    };
    if detected != Some(expected) {
        out.push(at(Severity::Error, Rule::ImageFormat, format!("{} is not a {:?} image", img.name, img.info.format)).field("format").value(format!("{detected:?}"), format!("{expected:?}")));
        return out;
    }
    let dims = image::ImageReader::with_format(std::io::Cursor::new(&img.bytes), expected).into_dimensions();
    match dims {
        Err(e) => out.push(at(Severity::Error, Rule::ImageFormat, format!("{} cannot be read: {e}", img.name)).field("format")),
        Ok((w, h)) => {
            if (w, h) != (p.width, p.height) {
                out.push(
                    at(Severity::Error, Rule::PixelSize, format!("{} is {w}×{h}, {} needs exactly {}×{}", img.name, p.id, p.width, p.height))
                        .field("size")
                        .value(format!("{w}×{h}"), format!("{}×{}", p.width, p.height)),
                );
            }
            if let Some((ratio, tol)) = required_ratio(p) {
                let r = w as f64 / h.max(1) as f64;
                if ((r - ratio) / ratio).abs() > tol {
                    out.push(
                        at(Severity::Error, Rule::AspectRatio, format!("{} has aspect ratio {r:.3}, {} needs {ratio}:1 ±{}%", img.name, p.id, tol * 100.0))
                            .field("aspect_ratio")
                            .value(format!("{r:.4}"), format!("{ratio} ±{}%", tol * 100.0)),
                    );
                }
            }
        }
    }
    let bytes = img.bytes.len() as u64;
    if bytes > p.max_bytes {
        out.push(
            at(Severity::Error, Rule::ByteBudget, format!("{} is {bytes} bytes, over the {} budget of {} bytes", img.name, p.id, p.max_bytes))
                .field("bytes")
                .value(bytes.to_string(), p.max_bytes.to_string()),
        );
    }
    out
}

/// A text limit in a platform's units.
pub(super) struct TextRule<'a> {
    pub platform: Platform,
    pub file: &'a str,
    pub field: &'a str,
    pub limit: u32,
    /// Count a CJK character as 2 (Google) or as 1 (Meta).
    pub double_width: bool,
    pub severity: Severity,
    /// An empty text is an error.
    pub required: bool,
}

/// Length of `text` in the rule's units.
pub(super) fn units(double_width: bool, text: &str) -> u32 {
    (if double_width { crate::text::width(text) } else { text.chars().count() }) as u32
}

/// The problem of `text` under `rule`, if any.
pub(super) fn text(rule: &TextRule, variant_id: Option<i64>, text: &str) -> Option<Problem> {
    let unit = if rule.double_width { "width units (CJK = 2)" } else { "characters" };
    let base = |sev, r, msg: String| {
        let p = Problem::new(sev, r, msg).platform(rule.platform).file(rule.file).field(rule.field);
        match variant_id {
            Some(id) => p.variant(id),
            None => p,
        }
    };
    if text.trim().is_empty() {
        return rule.required.then(|| base(Severity::Error, Rule::TextEmpty, format!("{} is empty", rule.field)).value("", format!("1–{} {unit}", rule.limit)));
    }
    let n = units(rule.double_width, text);
    (n > rule.limit).then(|| {
        let (r, verb) = if rule.severity == Severity::Error { (Rule::TextTooLong, "allows") } else { (Rule::TextOverRecommended, "recommends at most") };
        base(rule.severity, r, format!("{} is {n} {unit}; {:?} {verb} {}", rule.field, rule.platform, rule.limit)).value(text, format!("{} {unit}", rule.limit))
    })
}

/// The placement whose text limits stand for a platform's ad text: its first image placement.
pub(super) fn text_placement(platform: Platform) -> Option<&'static Placement> {
    placements::all().iter().find(|p| p.platform == platform && p.role == placements::Role::Image)
}

/// Image problems of every exported image, in export order.
pub(super) fn images(bundle: &Bundle) -> Vec<Problem> {
    bundle.variants.iter().flat_map(|a| a.images.iter().flat_map(move |img| image(img, a.variant.id))).collect()
}
