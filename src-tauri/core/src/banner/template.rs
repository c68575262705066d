//! Banner templates as data: one per aspect-ratio family, in `assets/templates/<family>.json`
//! (embedded at build time, parsed and validated once).
//!
//! A template is an ordered list of layers (drawn first to last). Every geometric value is a
//! fraction — rects of the canvas, font sizes of the canvas' shorter side, radius and padding of
//! the layer's own box — so one template serves every size of its family (300×250 and
//! 1200×1200 are both "square").

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::BannerError;
use crate::placements::Family;

/// What a layer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    Background,
    Product,
    Headline,
    Subline,
    Price,
    Badge,
    Cta,
    Logo,
}

impl LayerKind {
    /// Every kind, in the usual drawing order.
    pub const ALL: [LayerKind; 8] = [LayerKind::Background, LayerKind::Product, LayerKind::Badge, LayerKind::Logo, LayerKind::Headline, LayerKind::Subline, LayerKind::Price, LayerKind::Cta];

    /// Whether the layer draws text (and so gets a contrast check).
    pub fn is_text(self) -> bool {
        !matches!(self, LayerKind::Background | LayerKind::Product)
    }
}

/// Horizontal alignment of a layer's content inside its rect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Vertical alignment of a layer's content inside its rect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    #[default]
    Top,
    Middle,
    Bottom,
}

/// Which font a text layer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaceRole {
    /// The brand kit's font, bold (sans or serif).
    Display,
    /// Sans regular: running text.
    #[default]
    Body,
    /// Sans bold: buttons and tags.
    Ui,
}

/// The colour role of a layer's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ink {
    /// White or near-black, whichever contrasts more with what the text sits on.
    #[default]
    Auto,
    /// The brand accent where it passes AA on the backdrop, else `Auto`.
    Accent,
}

/// What a layer paints behind its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    #[default]
    None,
    /// The palette × brand gradient over the whole rect (background layers).
    Gradient,
    /// A white rounded square behind the product picture.
    Card,
    /// A brand-accent rounded box hugging the text (buttons, tags).
    Accent,
}

/// One layer of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub kind: LayerKind,
    /// x, y, w, h as fractions of the canvas.
    pub rect: [f32; 4],
    /// Font size range [min, max] in px per em, as fractions of min(width, height) (text layers).
    #[serde(default)]
    pub size: [f32; 2],
    /// At most this many lines (text layers; 1 if absent).
    #[serde(default = "one")]
    pub max_lines: usize,
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub valign: VAlign,
    #[serde(default)]
    pub face: FaceRole,
    #[serde(default)]
    pub ink: Ink,
    #[serde(default)]
    pub fill: Fill,
    /// Corner radius of the fill as a fraction of its shorter side (0.5 = pill).
    #[serde(default)]
    pub radius: f32,
    /// Padding inside the fill: for accent boxes in em of the text size (above and below; twice
    /// that left and right), for the product card as a fraction of the card's side.
    #[serde(default)]
    pub pad: f32,
}

fn one() -> usize {
    1
}

/// The layered template of one aspect-ratio family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub family: Family,
    /// Drawn in order, first to last.
    pub layers: Vec<Layer>,
}

impl Template {
    /// The layer of `kind`, if the template has one.
    pub fn layer(&self, kind: LayerKind) -> Option<&Layer> {
        self.layers.iter().find(|l| l.kind == kind)
    }
}

/// Every family, in placement-table order.
pub const FAMILIES: [Family; 6] = [Family::Landscape, Family::Square, Family::Portrait, Family::Leaderboard, Family::Skyscraper, Family::MobileBanner];

fn source(family: Family) -> &'static str {
    match family {
        Family::Landscape => include_str!("../../../../assets/templates/landscape.json"),
        Family::Square => include_str!("../../../../assets/templates/square.json"),
        Family::Portrait => include_str!("../../../../assets/templates/portrait.json"),
        Family::Leaderboard => include_str!("../../../../assets/templates/leaderboard.json"),
        Family::Skyscraper => include_str!("../../../../assets/templates/skyscraper.json"),
        Family::MobileBanner => include_str!("../../../../assets/templates/mobile_banner.json"),
    }
}

/// The template of `family`.
///
/// Panics only if an embedded template is malformed, which `every_family_has_a_valid_template`
/// rules out at test time.
pub fn template(family: Family) -> &'static Template {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    let all = ALL.get_or_init(|| FAMILIES.iter().map(|&f| parse(f, source(f)).unwrap_or_else(|e| panic!("assets/templates is valid (tested): {e}"))).collect());
    all.iter().find(|t| t.family == family).expect("one template per family")
}

/// Parse and validate the template of `family` from JSON.
pub fn parse(family: Family, json: &str) -> Result<Template, BannerError> {
    let bad = |reason: String| BannerError::BadTemplate { family, reason };
    let t: Template = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    if t.family != family {
        return Err(bad(format!("declares family {:?}", t.family)));
    }
    validate(&t)?;
    Ok(t)
}

/// Why a rect (x, y, width, height in fractions of the canvas) is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectProblem {
    /// A value is not a number from 0 to 1.
    Range,
    /// The width or height is 0.
    Size,
    /// x + width passes the right edge.
    OverRight,
    /// y + height passes the bottom edge.
    OverBottom,
}

impl RectProblem {
    /// The reason in English (the CLI's and the logs' wording).
    pub fn reason(self) -> &'static str {
        match self {
            RectProblem::Range => "each value must be from 0 to 100 % of the canvas",
            RectProblem::Size => "its width and height must be above 0",
            RectProblem::OverRight => "x + width passes the right edge",
            RectProblem::OverBottom => "y + height passes the bottom edge",
        }
    }
}

/// What is wrong with `r`, if anything: it must be finite, in the unit square, of positive
/// size, and inside the canvas (to a rounding of 1e-4). Templates and layer edits obey it.
pub fn rect_problem(r: [f32; 4]) -> Option<RectProblem> {
    const EPS: f32 = 1e-4;
    if !r.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)) {
        Some(RectProblem::Range)
    } else if r[2] <= 0.0 || r[3] <= 0.0 {
        Some(RectProblem::Size)
    } else if r[0] + r[2] > 1.0 + EPS {
        Some(RectProblem::OverRight)
    } else if r[1] + r[3] > 1.0 + EPS {
        Some(RectProblem::OverBottom)
    } else {
        None
    }
}

/// Whether `r` is a usable rect (see [`rect_problem`]).
pub fn rect_ok(r: [f32; 4]) -> bool {
    rect_problem(r).is_none()
}

/// Check a parsed template's invariants (see the assets/templates README). Errors:
/// `BadTemplate` naming the layer and the rule.
fn validate(t: &Template) -> Result<(), BannerError> {
    let bad = |reason: String| BannerError::BadTemplate { family: t.family, reason };
    for (i, l) in t.layers.iter().enumerate() {
        if t.layers[..i].iter().any(|o| o.kind == l.kind) {
            return Err(bad(format!("{:?} appears twice", l.kind)));
        }
        if !rect_ok(l.rect) {
            return Err(bad(format!("{:?} rect {:?} is not inside the canvas", l.kind, l.rect)));
        }
        let pad_max = if l.fill == Fill::Accent { 2.0 } else { 0.5 };
        if !(0.0..=0.5).contains(&l.radius) || !(0.0..pad_max).contains(&l.pad) {
            return Err(bad(format!("{:?}: radius must be in 0..=0.5 and pad in 0..{pad_max}", l.kind)));
        }
        let fill_ok = match l.kind {
            LayerKind::Background => l.fill == Fill::Gradient,
            LayerKind::Product => matches!(l.fill, Fill::None | Fill::Card),
            _ => matches!(l.fill, Fill::None | Fill::Accent),
        };
        if !fill_ok {
            return Err(bad(format!("{:?} cannot have fill {:?}", l.kind, l.fill)));
        }
        if l.kind.is_text() && !(l.size[0] > 0.0 && l.size[0] <= l.size[1] && l.size[1] <= 1.0 && l.max_lines >= 1) {
            return Err(bad(format!("{:?}: size must satisfy 0 < min <= max <= 1 and max_lines >= 1", l.kind)));
        }
    }
    if t.layers.first().map(|l| l.kind) != Some(LayerKind::Background) {
        return Err(bad("the first layer must be the background".into()));
    }
    for must in [LayerKind::Headline, LayerKind::Cta] {
        if t.layer(must).is_none() {
            return Err(bad(format!("no {must:?} layer")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_has_a_valid_template() {
        for f in FAMILIES {
            let t = parse(f, source(f)).unwrap_or_else(|e| panic!("{f:?}: {e}"));
            assert_eq!(template(f), &t);
            assert!(t.layers.iter().all(|l| rect_ok(l.rect)), "{f:?}: rects inside [0, 1]");
            assert!(t.layer(LayerKind::Headline).is_some() && t.layer(LayerKind::Cta).is_some(), "{f:?}");
        }
        for p in crate::placements::all() {
            assert!(FAMILIES.contains(&p.family), "{}", p.id);
        }
    }

    #[test]
    fn small_formats_have_no_subline() {
        for f in [Family::MobileBanner, Family::Leaderboard] {
            assert!(template(f).layer(LayerKind::Subline).is_none(), "{f:?}");
        }
    }

    #[test]
    fn bad_templates_are_rejected_with_a_reason() {
        let cases = [
            (r#"{"family":"square","layers":[]}"#, "first layer"),
            (r#"{"family":"landscape","layers":[]}"#, "declares family"),
            (r#"{"family":"square","layers":[{"kind":"background","rect":[0,0,1.5,1],"fill":"gradient"}]}"#, "not inside"),
            (r#"{"family":"square","layers":[{"kind":"background","rect":[0,0,1,1],"fill":"gradient"},{"kind":"headline","rect":[0,0,1,1]}]}"#, "size"),
            (r#"{"family":"square","layers":[{"kind":"background","rect":[0,0,1,1],"fill":"gradient"}]}"#, "no Headline"),
            (r#"{"family":"square","layers":[{"kind":"background","rect":[0,0,1,1],"fill":"card"}]}"#, "cannot have fill"),
            (r#"{"family":"square","layers":[],"extra":1}"#, "unknown field"),
        ];
        for (json, want) in cases {
            let e = parse(Family::Square, json).unwrap_err().to_string();
            assert!(e.contains(want), "{json}: {e}");
        }
    }
}
