//! Banner rendering in the core: image + imageproc + the bundled CJK font.
//!
//! A banner is a [`BannerSpec`] (stored as the variant's layout JSON) drawn as layers:
//! gradient background, product picture card, headline, subline, price badge, CTA button and
//! brand line. Text is auto-fitted (wrap + shrink, CJK-aware); text colours are picked for
//! WCAG AA contrast against what they sit on.

pub mod art;
pub mod color;
pub mod text;

use ab_glyph::PxScale;
use image::{imageops, ImageEncoder, Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_rect_mut, draw_text_mut};
use imageproc::rect::Rect;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::{ErrorCode, HasCode};
use crate::fonts;
use color::{mix, rgba, text_on, PALETTES};

/// Rendering errors.
#[derive(Debug, Error)]
pub enum BannerError {
    #[error("banner size {w}×{h} is outside 50..=4000 px")]
    BadSize { w: u32, h: u32 },
    #[error("cannot encode banner: {0}")]
    Encode(#[from] image::ImageError),
}

impl HasCode for BannerError {
    fn code(&self) -> ErrorCode {
        match self {
            BannerError::BadSize { .. } => ErrorCode::InvalidInput,
            BannerError::Encode(_) => ErrorCode::Internal,
        }
    }
}

/// Everything needed to draw one banner. Stored with the variant so renders reproduce.
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

/// The default placement of the skeleton: Google responsive display landscape.
pub const LANDSCAPE: (u32, u32) = (1200, 628);

/// Draw the banner.
pub fn render(spec: &BannerSpec) -> Result<RgbaImage, BannerError> {
    let (w, h) = (spec.width, spec.height);
    if !(50..=4000).contains(&w) || !(50..=4000).contains(&h) {
        return Err(BannerError::BadSize { w, h });
    }
    let (top, bottom, accent) = PALETTES[spec.palette % PALETTES.len()];
    let mut img = RgbaImage::new(w, h);
    for y in 0..h {
        let c = rgba(mix(top, bottom, y as f64 / h as f64));
        for x in 0..w {
            img.put_pixel(x, y, c);
        }
    }
    let bg_mid = mix(top, bottom, 0.5);
    let fg = text_on(bg_mid);
    let u = h.min(w) as f32 / 100.0; // layout unit

    // product card
    let card = (h as f32 * 0.76) as u32;
    let (cx, cy) = ((h as f32 * 0.12) as i64, ((h - card) / 2) as i64);
    rounded_rect(&mut img, cx as i32, cy as i32, card, card, (4.0 * u) as i32, Rgba([255, 255, 255, 255]));
    let pic = art::product_image(&spec.product_category, spec.product_seed, (card as f32 * 0.8) as u32);
    imageops::overlay(&mut img, &pic, cx + (card as f32 * 0.1) as i64, cy + (card as f32 * 0.1) as i64);

    // text column
    let tx = (cx as u32 + card) as f32 + 6.0 * u;
    let tw = (w as f32 - tx - 6.0 * u).max(10.0) as u32;
    let mut y = 10.0 * u;
    let head = text::fit(fonts::bold(), &spec.headline, tw, (30.0 * u) as u32, 2, 3.5 * u, 11.0 * u);
    for line in &head.lines {
        draw_text_mut(&mut img, rgba(fg), tx as i32, y as i32, PxScale::from(head.size), fonts::bold(), line);
        y += head.size * 1.25;
    }
    y += 3.0 * u;
    let sub = text::fit(fonts::regular(), &spec.subline, tw, (22.0 * u) as u32, 3, 3.0 * u, 5.5 * u);
    for line in &sub.lines {
        draw_text_mut(&mut img, rgba(fg), tx as i32, y as i32, PxScale::from(sub.size), fonts::regular(), line);
        y += sub.size * 1.3;
    }

    // price + badge
    let price_size = 8.0 * u;
    let py = (h as f32 - 30.0 * u) as i32;
    draw_text_mut(&mut img, rgba(fg), tx as i32, py, PxScale::from(price_size), fonts::bold(), &spec.price);
    if !spec.badge.is_empty() {
        let bx = tx as i32 + text::measure(fonts::bold(), price_size, &spec.price) as i32 + (4.0 * u) as i32;
        let bw = text::measure(fonts::bold(), 5.0 * u, &spec.badge) + (4.0 * u) as u32;
        rounded_rect(&mut img, bx, py + (1.0 * u) as i32, bw, (8.0 * u) as u32, (2.0 * u) as i32, rgba(accent));
        draw_text_mut(&mut img, rgba(text_on(accent)), bx + (2.0 * u) as i32, py + (2.2 * u) as i32, PxScale::from(5.0 * u), fonts::bold(), &spec.badge);
    }

    // CTA button
    let cta_size = 5.0 * u;
    let cw = text::measure(fonts::bold(), cta_size, &spec.cta) + (10.0 * u) as u32;
    let ch = (11.0 * u) as u32;
    let cy2 = (h as f32 - 16.0 * u) as i32;
    rounded_rect(&mut img, tx as i32, cy2, cw, ch, (ch / 2) as i32, rgba(accent));
    draw_text_mut(&mut img, rgba(text_on(accent)), tx as i32 + (5.0 * u) as i32, cy2 + (2.6 * u) as i32, PxScale::from(cta_size), fonts::bold(), &spec.cta);

    // brand line, top right
    if !spec.brand.is_empty() {
        let bs = 3.6 * u;
        let bw = text::measure(fonts::regular(), bs, &spec.brand);
        draw_text_mut(&mut img, rgba(mix(fg, bg_mid, 0.15)), w as i32 - bw as i32 - (4.0 * u) as i32, (3.0 * u) as i32, PxScale::from(bs), fonts::regular(), &spec.brand);
    }
    Ok(img)
}

/// PNG bytes of `img` (best compression, adaptive filter).
pub fn encode_png(img: &RgbaImage) -> Result<Vec<u8>, BannerError> {
    let mut out = Vec::new();
    let rgb = image::DynamicImage::ImageRgba8(img.clone()).to_rgb8();
    image::codecs::png::PngEncoder::new_with_quality(&mut out, image::codecs::png::CompressionType::Best, image::codecs::png::FilterType::Adaptive)
        .write_image(rgb.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)?;
    Ok(out)
}

fn rounded_rect(img: &mut RgbaImage, x: i32, y: i32, w: u32, h: u32, r: i32, c: Rgba<u8>) {
    let r = r.min(w as i32 / 2).min(h as i32 / 2).max(0);
    draw_filled_rect_mut(img, Rect::at(x + r, y).of_size((w as i32 - 2 * r).max(1) as u32, h), c);
    draw_filled_rect_mut(img, Rect::at(x, y + r).of_size(w, (h as i32 - 2 * r).max(1) as u32), c);
    for (px, py) in [(x + r, y + r), (x + w as i32 - r - 1, y + r), (x + r, y + h as i32 - r - 1), (x + w as i32 - r - 1, y + h as i32 - r - 1)] {
        draw_filled_circle_mut(img, (px, py), r, c);
    }
}

#[cfg(test)]
mod tests;
