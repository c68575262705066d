//! Rasterising a [`DrawList`]: straight into the RGBA buffer, one pass per operation (row fills
//! for gradients and boxes, alpha compositing for the product picture, ab_glyph coverage for
//! text).

use ab_glyph::{point, Font, PxScale};
use image::{Rgba, RgbaImage};

use super::art;
use super::layout::{DrawList, Op, CANVAS};
use crate::fonts::Face;

/// Draw `dl` on a fresh opaque canvas.
pub fn raster(dl: &DrawList) -> RgbaImage {
    let mut img = RgbaImage::from_pixel(dl.width, dl.height, Rgba([CANVAS[0], CANVAS[1], CANVAS[2], 255]));
    for op in &dl.ops {
        match op {
            Op::Gradient { rect, top, bottom } => gradient(&mut img, *rect, *top, *bottom),
            Op::RoundedRect { rect, radius, color } => rounded_rect(&mut img, *rect, *radius, *color),
            Op::Image { x, y, size, category, seed, file } => {
                let pic = file.as_deref().and_then(|f| art::picture(f, *size)).unwrap_or_else(|| art::product_image(category, *seed, *size));
                composite(&mut img, &pic, *x, *y)
            }
            Op::Text { face, size, x, y, color, text, .. } => draw_text(&mut img, *face, *size, *x, *y, *color, text),
        }
    }
    img
}

/// Blend `c` over the pixel at byte offset `i` with coverage `a` (0..=255).
#[inline]
fn blend(buf: &mut [u8], i: usize, c: [u8; 3], a: u32) {
    if a >= 255 {
        buf[i..i + 3].copy_from_slice(&c);
        return;
    }
    for k in 0..3 {
        let d = buf[i + k] as u32;
        buf[i + k] = ((c[k] as u32 * a + d * (255 - a) + 127) / 255) as u8;
    }
}

fn fill_span(img: &mut RgbaImage, y: u32, x0: u32, x1: u32, c: [u8; 3]) {
    let w = img.width() as usize;
    let row = &mut img.as_mut()[(y as usize * w + x0 as usize) * 4..(y as usize * w + x1 as usize) * 4];
    let px = [c[0], c[1], c[2], 255];
    for p in row.chunks_exact_mut(4) {
        p.copy_from_slice(&px);
    }
}

fn gradient(img: &mut RgbaImage, [x, y, w, h]: [u32; 4], top: [u8; 3], bottom: [u8; 3]) {
    let den = h.saturating_sub(1).max(1) as f64;
    for row in y..y + h {
        fill_span(img, row, x, x + w, super::color::mix(top, bottom, (row - y) as f64 / den));
    }
}

/// A filled rounded rectangle; the curved ends of each row are anti-aliased horizontally.
fn rounded_rect(img: &mut RgbaImage, [x, y, w, h]: [u32; 4], radius: u32, c: [u8; 3]) {
    let r = radius.min(w / 2).min(h / 2) as f32;
    let (x0, x1) = (x as f32, (x + w) as f32);
    let width = img.width() as usize;
    for row in y..y + h {
        let yc = row as f32 + 0.5;
        let dy = (y as f32 + r - yc).max(yc - ((y + h) as f32 - r)).max(0.0);
        let inset = if dy > 0.0 { r - (r * r - dy * dy).max(0.0).sqrt() } else { 0.0 };
        let (l, rr) = (x0 + inset, x1 - inset);
        if rr <= l {
            continue;
        }
        let (full0, full1) = (l.ceil() as u32, rr.floor() as u32);
        if full1 > full0 {
            fill_span(img, row, full0, full1, c);
        }
        let buf = img.as_mut();
        // partial pixels at both ends
        for (px, cov) in [(l.floor() as u32, l.ceil() - l), (rr.floor() as u32, rr - rr.floor())] {
            if cov > 0.0 && px < x + w && (px as f32) < rr && (px + 1) as f32 > l {
                blend(buf, (row as usize * width + px as usize) * 4, c, (cov.min(1.0) * 255.0) as u32);
            }
        }
    }
}

/// Alpha-composite `src` over `img` at (`x`, `y`), clipped to the canvas.
pub fn composite(img: &mut RgbaImage, src: &RgbaImage, x: i32, y: i32) {
    let (w, h) = (img.width() as i32, img.height() as i32);
    let width = img.width() as usize;
    let buf = img.as_mut();
    for (sy, row) in src.rows().enumerate() {
        let dy = y + sy as i32;
        if !(0..h).contains(&dy) {
            continue;
        }
        for (sx, p) in row.enumerate() {
            let dx = x + sx as i32;
            if p[3] == 0 || !(0..w).contains(&dx) {
                continue;
            }
            blend(buf, (dy as usize * width + dx as usize) * 4, [p[0], p[1], p[2]], p[3] as u32);
        }
    }
}

/// The ab_glyph scale that draws `face` at `size` px per em.
pub fn scale(face: Face, size: f32) -> PxScale {
    let f = face.font();
    PxScale::from(size * f.height_unscaled() / f.units_per_em().unwrap_or(1000.0))
}

/// Draw `s` in `face` at `size` px per em, left edge `x`, baseline `y`.
fn draw_text(img: &mut RgbaImage, face: Face, size: f32, x: f32, y: f32, c: [u8; 3], s: &str) {
    let font = face.font();
    let sc = scale(face, size);
    let scaled = font.as_scaled(sc);
    let (w, h) = (img.width() as i32, img.height() as i32);
    let width = img.width() as usize;
    let buf = img.as_mut();
    let mut pen = x;
    for ch in s.chars() {
        let id = font.glyph_id(ch);
        if let Some(g) = font.outline_glyph(id.with_scale_and_position(sc, point(pen, y))) {
            let b = g.px_bounds();
            let (bx, by) = (b.min.x as i32, b.min.y as i32);
            g.draw(|gx, gy, cov| {
                let (px, py) = (bx + gx as i32, by + gy as i32);
                if px >= 0 && py >= 0 && px < w && py < h && cov > 0.0 {
                    blend(buf, (py as usize * width + px as usize) * 4, c, (cov.min(1.0) * 255.0 + 0.5) as u32);
                }
            });
        }
        pen += ab_glyph::ScaleFont::h_advance(&scaled, id);
    }
}

/// The ink bounds (x0, y0, x1, y1 in px) of a text run as `raster` draws it; `None` for blank.
pub fn ink_bounds(face: Face, size: f32, x: f32, y: f32, s: &str) -> Option<[f32; 4]> {
    let font = face.font();
    let sc = scale(face, size);
    let scaled = font.as_scaled(sc);
    let mut pen = x;
    let mut out: Option<[f32; 4]> = None;
    for ch in s.chars() {
        let id = font.glyph_id(ch);
        if let Some(g) = font.outline_glyph(id.with_scale_and_position(sc, point(pen, y))) {
            let b = g.px_bounds();
            let o = out.get_or_insert([b.min.x, b.min.y, b.max.x, b.max.y]);
            *o = [o[0].min(b.min.x), o[1].min(b.min.y), o[2].max(b.max.x), o[3].max(b.max.y)];
        }
        pen += ab_glyph::ScaleFont::h_advance(&scaled, id);
    }
    out
}
