//! Banner rendering in the core: image + imageproc + ab_glyph and the bundled CJK fonts.
//!
//! A banner is a [`Design`] — canvas size, aspect-ratio family, segment palette, the brand kit,
//! the variant's content and the user's layer edits — drawn with the layered, editable template
//! of its family ([`template::template`]: background, product picture, headline, subline, price,
//! badge, CTA button, logo wordmark; data in `assets/templates/`).
//!
//! Rendering is two steps: [`layout::layout`] resolves the design into a [`DrawList`] (every op
//! concrete: colours, pixel boxes, fonts, sizes and positions of text runs, plus the WCAG
//! contrast check of each text layer), then [`raster::raster`] draws it. Text is typeset by
//! role ([`typeset`]: a CTA, price or wordmark is shrunk, reworded or left out but never cut;
//! running text is shortened at a clause before any "…"), with a designer's line breaking
//! ([`linebreak`]: jieba words, kinsoku, no orphan, Latin words never split); text colours are
//! picked for AA contrast against what they sit on ([`color`]). [`encode_within`] exports within
//! a placement's byte budget.
//!
//! The older single-layout API ([`BannerSpec`], [`render`], [`encode_png`], [`LANDSCAPE`]) is kept
//! and now draws through the templates.

pub mod art;
pub mod color;
pub mod cta_alternatives;
pub mod design;
pub mod encode;
pub mod layout;
pub mod linebreak;
pub mod raster;
pub mod template;
pub mod text;
pub mod typeset;

use image::RgbaImage;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::{keyed, ErrorCode, HasCode, Keyed};
use crate::placements::Family;

pub use design::{family_for, BrandKit, Content, Design, FontChoice, LayerEdit};
pub use encode::{encode_png, encode_png_fast, encode_within, Encoded, ImageFormat};
pub use layout::{layout, ContrastCheck, DrawList, Op};
pub use raster::raster;
pub use template::{template, Layer, LayerKind, Template};
pub use text::FitChoice;

/// Rendering errors.
#[derive(Debug, Error)]
pub enum BannerError {
    #[error("banner size {w}×{h} is outside 50..=4000 px")]
    BadSize { w: u32, h: u32 },
    #[error("invalid edit of the {kind:?} layer: {reason}")]
    BadEdit { kind: LayerKind, reason: &'static str },
    #[error("invalid {family:?} template: {reason}")]
    BadTemplate { family: Family, reason: String },
    #[error("cannot encode banner: {0}")]
    Encode(#[from] image::ImageError),
}

impl HasCode for BannerError {
    fn code(&self) -> ErrorCode {
        match self {
            BannerError::BadSize { .. } | BannerError::BadEdit { .. } | BannerError::BadTemplate { .. } => ErrorCode::InvalidInput,
            BannerError::Encode(_) => ErrorCode::Internal,
        }
    }

    fn keyed(&self) -> Option<Keyed> {
        Some(match self {
            BannerError::BadSize { w, h } => keyed!("err.banner.bad_size", w = w, h = h, min = SIZE_RANGE.start(), max = SIZE_RANGE.end()),
            BannerError::BadEdit { kind, reason } => keyed!("err.banner.bad_edit", layer = format!("{kind:?}").to_lowercase(), reason = reason),
            BannerError::BadTemplate { .. } | BannerError::Encode(_) => return None,
        })
    }
}

/// The message keys [`BannerError`] uses (see [`crate::messages`]).
pub const ERROR_KEYS: &[&str] = &["err.banner.bad_size", "err.banner.bad_edit"];

/// Canvas sizes the renderer accepts, per side.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 50..=4000;

pub(crate) fn check_size(w: u32, h: u32) -> Result<(), BannerError> {
    if SIZE_RANGE.contains(&w) && SIZE_RANGE.contains(&h) {
        Ok(())
    } else {
        Err(BannerError::BadSize { w, h })
    }
}

/// A drawn banner plus the contrast check of each text layer (WCAG ratio against what it sits
/// on; AA needs 4.5).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub image: RgbaImage,
    pub contrast: Vec<ContrastCheck>,
}

/// The colour one drawn layer shows (see [`DrawList::colors`]): what the layer panel's swatch
/// displays when the user has not picked a colour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LayerColor {
    pub kind: LayerKind,
    pub color: [u8; 3],
}

/// The colour of every drawn layer of `d`, in drawing order; empty when `d` cannot be laid
/// out (a bad size or edit).
pub fn layer_colors(d: &Design) -> Vec<LayerColor> {
    layout(d).map(|dl| dl.colors.into_iter().map(|(kind, color)| LayerColor { kind, color }).collect()).unwrap_or_default()
}

/// Draw `d` with its family's template.
pub fn render_design(d: &Design) -> Result<Rendered, BannerError> {
    let dl = layout(d)?;
    Ok(Rendered { image: raster(&dl), contrast: dl.contrast })
}

/// Everything needed to draw one banner with the default brand kit (the pre-template API).
/// Stored with older variants so their renders reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BannerSpec {
    pub width: u32,
    pub height: u32,
    /// Index into [`color::PALETTES`] (wraps).
    pub palette: usize,
    pub headline: String,
    pub subline: String,
    pub cta: String,
    /// Price text, e.g. "¥449".
    pub price: String,
    /// Badge text such as "-15%"; empty for none.
    pub badge: String,
    pub brand: String,
    pub product_category: String,
    pub product_seed: u64,
}

impl BannerSpec {
    /// The equivalent design: the template of the size's family, the default kit with `brand`
    /// as the wordmark and the segment palette (as these designs were drawn), no edits.
    pub fn design(&self) -> Design {
        Design {
            width: self.width,
            height: self.height,
            family: family_for(self.width, self.height),
            palette: self.palette,
            kit: BrandKit { logo_text: self.brand.clone(), use_segment_palette: true, ..BrandKit::default() },
            content: Content {
                headline: self.headline.clone(),
                subline: self.subline.clone(),
                cta: self.cta.clone(),
                price: self.price.clone(),
                badge: self.badge.clone(),
                product_category: self.product_category.clone(),
                product_seed: self.product_seed,
                ..Content::default()
            },
            edits: Vec::new(),
        }
    }
}

/// The default placement of the skeleton: Google responsive display landscape.
pub const LANDSCAPE: (u32, u32) = (1200, 628);

/// Draw the banner (through [`BannerSpec::design`] and [`render_design`]).
pub fn render(spec: &BannerSpec) -> Result<RgbaImage, BannerError> {
    Ok(render_design(&spec.design())?.image)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_design;
