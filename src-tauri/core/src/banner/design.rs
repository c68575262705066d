//! What one banner is made of: the brand kit, the variant's content, the user's layer edits and
//! the canvas. A [`Design`] is stored as JSON with the variant so renders reproduce.

use serde::{Deserialize, Serialize};

use super::template::LayerKind;
use crate::placements::Family;

/// The brand kit's typeface for display text (headline, price, wordmark).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FontChoice {
    /// Noto Sans SC Bold.
    #[default]
    Sans,
    /// Noto Serif SC Bold (characters outside its subset fall back to Sans Bold).
    Serif,
}

/// The advertiser's brand kit. Colours as sRGB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct BrandKit {
    /// The banner background's colour (it wins over the segment palette unless
    /// `use_segment_palette`).
    pub primary: [u8; 3],
    /// CTA button and badge fill; price text where it passes AA.
    pub accent: [u8; 3],
    pub font: FontChoice,
    /// Wordmark text drawn as the logo layer (business name or logo text); empty for none.
    pub logo_text: String,
    /// The marketer's choice to colour each segment's banners by the segment palette (with the
    /// primary mixed in) instead of the brand's primary colour. Off by default: the brand wins.
    pub use_segment_palette: bool,
}

impl Default for BrandKit {
    /// A neutral kit: charcoal primary, amber accent, sans, no wordmark.
    fn default() -> Self {
        BrandKit { primary: [33, 37, 41], accent: [255, 196, 61], font: FontChoice::Sans, logo_text: String::new(), use_segment_palette: false }
    }
}

/// What a banner says and shows (the variant's content). Empty texts draw nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Content {
    pub headline: String,
    pub subline: String,
    pub cta: String,
    /// Price text, e.g. "¥449".
    pub price: String,
    /// Badge text such as "-15%".
    pub badge: String,
    /// Picks the product pictogram when `product_kind` is empty (see `art::product_image`).
    pub product_category: String,
    /// Varies the pictogram's colour between products.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub product_seed: u64,
    /// The kind of product the drawn pictogram shows (`art::kind_for` of its name: "jeans",
    /// "watch", …); empty: drawn by category.
    pub product_kind: String,
    /// The product's own picture: an image file (absolute path, resolved and checked at
    /// import) drawn fitted into the picture box instead of the pictogram. Empty: none; a
    /// file that cannot be read falls back to the pictogram.
    pub product_image: String,
}

/// A user's change to one layer.
///
/// * `text` replaces the layer's text (the wordmark for `Logo`; ignored for `Background` and
///   `Product`).
/// * `color` is the text colour of plain text layers (headline, subline, price, logo), the fill
///   of boxed ones (CTA, badge: their text colour is then re-picked for contrast), the card of
///   `Product` and the background colour of `Background`. A text colour that fails WCAG AA is
///   still drawn, and reported `passes_aa: false`.
/// * `rect` moves/resizes the layer (fractions of the canvas; clamped to it).
/// * `hidden` leaves the layer out.
/// * `locked`: the edit survives regeneration. When a variant's content is regenerated the
///   caller keeps only locked edits — [`Design::regenerate`] applies exactly that rule.
///
/// When several edits name the same layer, the last one wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LayerEdit {
    pub kind: LayerKind,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub color: Option<[u8; 3]>,
    #[serde(default)]
    pub rect: Option<[f32; 4]>,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub locked: bool,
}

impl Default for LayerEdit {
    /// A no-op edit of the headline (set `kind` with struct-update syntax).
    fn default() -> Self {
        LayerEdit { kind: LayerKind::Headline, text: None, color: None, rect: None, hidden: false, locked: false }
    }
}

/// Everything needed to draw one banner; stored as JSON with the variant so renders reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Design {
    pub width: u32,
    pub height: u32,
    /// Which template draws it (normally the placement's family).
    pub family: Family,
    /// Palette index (segment; wraps) blended with the brand kit.
    pub palette: usize,
    #[serde(default)]
    pub kit: BrandKit,
    pub content: Content,
    #[serde(default)]
    pub edits: Vec<LayerEdit>,
}

impl Design {
    /// The same design with new content: unlocked edits are dropped, locked ones kept (the
    /// "regenerating keeps locked layers" rule).
    pub fn regenerate(&self, content: Content) -> Design {
        Design { content, edits: self.edits.iter().filter(|e| e.locked).cloned().collect(), ..self.clone() }
    }

    /// The effective edit of `kind` (the last one naming it).
    pub fn edit(&self, kind: LayerKind) -> Option<&LayerEdit> {
        self.edits.iter().rev().find(|e| e.kind == kind)
    }
}

/// The aspect-ratio family for a canvas of `w`×`h` (the ranges `placements` validates against;
/// a wide strip at most 480×100 is a mobile banner, a wider one a leaderboard).
pub fn family_for(w: u32, h: u32) -> Family {
    let ratio = w as f64 / h.max(1) as f64;
    match ratio {
        r if r > 5.0 && h <= 100 && w <= 480 => Family::MobileBanner,
        r if r >= 2.5 => Family::Leaderboard,
        r if r >= 1.4 => Family::Landscape,
        r if r >= 0.8 => Family::Square,
        r if r >= 0.4 => Family::Portrait,
        _ => Family::Skyscraper,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_for_matches_every_placement() {
        for p in crate::placements::all() {
            assert_eq!(family_for(p.width, p.height), p.family, "{}", p.id);
        }
    }

    #[test]
    fn regenerate_keeps_only_locked_edits() {
        let d = Design {
            width: 300,
            height: 250,
            family: Family::Square,
            palette: 0,
            kit: BrandKit::default(),
            content: Content { headline: "old".into(), ..Content::default() },
            edits: vec![
                LayerEdit { kind: LayerKind::Headline, text: Some("mine".into()), locked: true, ..LayerEdit::default() },
                LayerEdit { kind: LayerKind::Cta, text: Some("temp".into()), ..LayerEdit::default() },
            ],
        };
        let n = d.regenerate(Content { headline: "new".into(), ..Content::default() });
        assert_eq!(n.edits, vec![d.edits[0].clone()]);
        assert_eq!(n.content.headline, "new");
        assert_eq!((n.width, n.palette, &n.kit), (d.width, d.palette, &d.kit));
    }

    #[test]
    fn design_json_round_trips_and_fills_defaults() {
        let json = r#"{"width":320,"height":50,"family":"mobile_banner","palette":2,"content":{"headline":"Hi","cta":"Go"},"edits":[{"kind":"cta","locked":true}]}"#;
        let d: Design = serde_json::from_str(json).expect("parses");
        assert_eq!(d.kit, BrandKit::default());
        assert_eq!(d.edits[0], LayerEdit { kind: LayerKind::Cta, locked: true, ..LayerEdit::default() });
        assert_eq!(serde_json::from_str::<Design>(&serde_json::to_string(&d).expect("json")).expect("parses"), d);
        assert!(serde_json::from_str::<LayerEdit>(r#"{"hidden":true}"#).is_err(), "an edit names its layer");
    }
}
