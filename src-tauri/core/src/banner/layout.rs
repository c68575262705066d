//! Layout: a [`Design`] resolved against its family's template into a [`DrawList`] — concrete
//! drawing operations (gradient, rounded boxes, the product picture, text runs with font, size,
//! position and colour), the pixel box of every layer, and the contrast check of every text
//! layer. [`super::raster::raster`] draws the list; the Pillow benchmark draws the same list.

use serde::Serialize;

use super::color::{gradient_samples, ink_on, min_contrast, mix, readable_gradient, AA, PALETTES};
use super::design::{Design, FontChoice, LayerEdit};
use super::template::{template, Align, FaceRole, Fill, Ink, Layer, LayerKind, VAlign};
use super::text::{runs, Block, FitChoice, Frame, BASELINE, LINE_HEIGHT};
use super::typeset::typeset;
use super::{check_size, BannerError};
use crate::fonts::Face;

/// The colour of the canvas where no layer paints (only visible when the background is moved).
pub const CANVAS: [u8; 3] = [255, 255, 255];
/// Share of the brand primary mixed into the segment palette's background (when the kit
/// chooses the segment palette).
const BRAND_MIX: f64 = 0.35;
/// How much darker the bottom of a brand-coloured background is than its top.
const BRAND_SHADE: f64 = 0.22;

/// A rect in pixels: x, y, w, h.
pub type PxRect = [f32; 4];

/// One drawing operation. Integer rects are x, y, w, h in pixels, inside the canvas.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Vertical linear gradient: row `y` of the rect gets `mix(top, bottom, (y - y0) / (h - 1))`.
    Gradient { rect: [u32; 4], top: [u8; 3], bottom: [u8; 3] },
    /// A filled rectangle with corners of `radius` px.
    RoundedRect { rect: [u32; 4], radius: u32, color: [u8; 3] },
    /// The product picture composited with alpha, top-left at `x`, `y`, `size` px square: the
    /// image `file` fitted into the square (`art::picture`) when given and readable, else the
    /// pictogram `art::product_image(category, seed, size)` (`category` is the product kind
    /// when known).
    Image {
        x: i32,
        y: i32,
        size: u32,
        category: String,
        seed: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
    },
    /// A run of text in one face: `size` px per em, left edge `x`, baseline `y`.
    Text { layer: LayerKind, face: Face, size: f32, x: f32, y: f32, color: [u8; 3], text: String },
}

/// The WCAG contrast of one text layer against what it sits on (its worst case over the
/// backdrop: gradient span, cards and boxes under it; AA needs 4.5).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContrastCheck {
    pub layer: LayerKind,
    pub ratio: f64,
    pub passes_aa: bool,
}

/// A design resolved to drawing operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawList {
    pub width: u32,
    pub height: u32,
    pub ops: Vec<Op>,
    /// The pixel box of every drawn layer (its rect, after edits), in drawing order.
    pub boxes: Vec<(LayerKind, PxRect)>,
    /// One check per drawn text layer, in drawing order.
    pub contrast: Vec<ContrastCheck>,
    /// How each text layer's text was fitted (whole, reworded, shortened at a clause, cut with
    /// "…", or left out), in drawing order.
    pub fits: Vec<(LayerKind, FitChoice)>,
    /// The colour each drawn layer shows, in the sense of [`LayerEdit::color`]: the top of the
    /// background gradient, the product card, the box of a boxed text layer (CTA, badge), the
    /// text of a plain one. What the layer panel's swatches show.
    pub colors: Vec<(LayerKind, [u8; 3])>,
}

/// Resolve `d` against the template of `d.family`.
pub fn layout(d: &Design) -> Result<DrawList, BannerError> {
    check_size(d.width, d.height)?;
    for e in &d.edits {
        if let Some(r) = e.rect {
            if !r.iter().all(|v| v.is_finite()) || r[2] <= 0.0 || r[3] <= 0.0 {
                return Err(BannerError::BadEdit { kind: e.kind, reason: "rect must be finite with a positive width and height" });
            }
        }
    }
    let (top, bottom) = background(d);
    let mut cx =
        Ctx { d, list: DrawList { width: d.width, height: d.height, ops: Vec::new(), boxes: Vec::new(), contrast: Vec::new(), fits: Vec::new(), colors: Vec::new() }, bg: None, fills: Vec::new() };
    for layer in &template(d.family).layers {
        let edit = d.edit(layer.kind);
        if edit.is_some_and(|e| e.hidden) {
            continue;
        }
        let rect = cx.px(edit.and_then(|e| e.rect).unwrap_or(layer.rect));
        let color = edit.and_then(|e| e.color);
        match layer.kind {
            LayerKind::Background => {
                let (t, b) = color.map_or((top, bottom), |c| (c, mix(c, [0, 0, 0], 0.2)));
                let r = cx.int(rect);
                cx.list.ops.push(Op::Gradient { rect: r, top: t, bottom: b });
                cx.list.colors.push((layer.kind, t));
                cx.bg = Some((rect, t, b));
            }
            LayerKind::Product => cx.product(layer, rect, color),
            kind => {
                let text = text_of(d, kind, edit);
                if text.trim().is_empty() || !cx.text(layer, rect, color, &text) {
                    continue;
                }
            }
        }
        cx.list.boxes.push((layer.kind, rect));
    }
    Ok(cx.list)
}

/// The background gradient: the brand's primary colour shading darker downwards, or — when
/// the kit chooses the segment palette — the palette with the primary mixed in; darkened
/// where needed so text on it can pass AA.
fn background(d: &Design) -> ([u8; 3], [u8; 3]) {
    let primary = d.kit.primary;
    if d.kit.use_segment_palette {
        let pal = PALETTES[d.palette % PALETTES.len()];
        readable_gradient(mix(pal.0, primary, BRAND_MIX), mix(pal.1, primary, BRAND_MIX))
    } else {
        readable_gradient(primary, mix(primary, [0, 0, 0], BRAND_SHADE))
    }
}

fn text_of(d: &Design, kind: LayerKind, edit: Option<&LayerEdit>) -> String {
    if let Some(t) = edit.and_then(|e| e.text.as_ref()) {
        return t.clone();
    }
    let c = &d.content;
    match kind {
        LayerKind::Headline => &c.headline,
        LayerKind::Subline => &c.subline,
        LayerKind::Price => &c.price,
        LayerKind::Badge => &c.badge,
        LayerKind::Cta => &c.cta,
        LayerKind::Logo => &d.kit.logo_text,
        LayerKind::Background | LayerKind::Product => "",
    }
    .to_string()
}

struct Ctx<'a> {
    d: &'a Design,
    list: DrawList,
    /// The background's rect and gradient ends.
    bg: Option<(PxRect, [u8; 3], [u8; 3])>,
    /// Boxes painted so far (cards, buttons) and their colours.
    fills: Vec<(PxRect, [u8; 3])>,
}

fn intersects(a: PxRect, b: PxRect) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

fn contains(outer: PxRect, inner: PxRect) -> bool {
    inner[0] >= outer[0] && inner[1] >= outer[1] && inner[0] + inner[2] <= outer[0] + outer[2] && inner[1] + inner[3] <= outer[1] + outer[3]
}

/// Offset of content of `size` inside a span of `avail` starting at 0.
fn place(avail: f32, size: f32, align: Align) -> f32 {
    match align {
        Align::Left => 0.0,
        Align::Center => (avail - size) / 2.0,
        Align::Right => avail - size,
    }
}

fn vplace(avail: f32, size: f32, valign: VAlign) -> f32 {
    place(
        avail,
        size,
        match valign {
            VAlign::Top => Align::Left,
            VAlign::Middle => Align::Center,
            VAlign::Bottom => Align::Right,
        },
    )
}

impl Ctx<'_> {
    /// A fractional rect (clamped to the canvas) in pixels.
    fn px(&self, r: [f32; 4]) -> PxRect {
        let (w, h) = (self.d.width as f32, self.d.height as f32);
        let x = r[0].clamp(0.0, 1.0);
        let y = r[1].clamp(0.0, 1.0);
        [x * w, y * h, r[2].min(1.0 - x) * w, r[3].min(1.0 - y) * h]
    }

    /// A pixel rect rounded to whole pixels inside the canvas.
    fn int(&self, r: PxRect) -> [u32; 4] {
        let (w, h) = (self.d.width as f32, self.d.height as f32);
        let x0 = r[0].round().clamp(0.0, w);
        let y0 = r[1].round().clamp(0.0, h);
        let x1 = (r[0] + r[2]).round().clamp(x0, w);
        let y1 = (r[1] + r[3]).round().clamp(y0, h);
        [x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32]
    }

    /// Every colour text in `area` may sit on: the gradient span under it (or the bare canvas),
    /// and every box painted so far that overlaps it.
    fn backdrop(&self, area: PxRect) -> Vec<[u8; 3]> {
        let mut out = Vec::new();
        match self.bg {
            Some((r, t, b)) => {
                if intersects(area, r) {
                    let span = r[3].max(1.0);
                    out.extend(gradient_samples(t, b, ((area[1] - r[1]) / span) as f64, ((area[1] + area[3] - r[1]) / span) as f64));
                }
                if !contains(r, area) {
                    out.push(CANVAS);
                }
            }
            None => out.push(CANVAS),
        }
        out.extend(self.fills.iter().filter(|(r, _)| intersects(area, *r)).map(|(_, c)| *c));
        out
    }

    fn product(&mut self, layer: &Layer, rect: PxRect, color: Option<[u8; 3]>) {
        let side = rect[2].min(rect[3]);
        let sq = [rect[0] + place(rect[2], side, layer.align), rect[1] + vplace(rect[3], side, layer.valign), side, side];
        let mut inset = 0.0;
        if layer.fill == Fill::Card {
            let c = color.unwrap_or([255, 255, 255]);
            let r = self.int(sq);
            self.list.ops.push(Op::RoundedRect { rect: r, radius: (layer.radius * r[2].min(r[3]) as f32).round() as u32, color: c });
            self.list.colors.push((layer.kind, c));
            self.fills.push((sq, c));
            inset = layer.pad * side;
        }
        let size = (side - 2.0 * inset).round().max(1.0) as u32;
        let c = &self.d.content;
        let key = if c.product_kind.is_empty() { &c.product_category } else { &c.product_kind };
        let file = (!c.product_image.is_empty()).then(|| c.product_image.clone());
        self.list.ops.push(Op::Image { x: (sq[0] + inset).round() as i32, y: (sq[1] + inset).round() as i32, size, category: key.clone(), seed: c.product_seed, file });
    }

    fn face(&self, role: FaceRole) -> Face {
        match (role, self.d.kit.font) {
            (FaceRole::Display, FontChoice::Serif) => Face::SerifBold,
            (FaceRole::Display, FontChoice::Sans) | (FaceRole::Ui, _) => Face::SansBold,
            (FaceRole::Body, _) => Face::SansRegular,
        }
    }

    /// Typeset and draw one text layer; `false` when it was left out (a never-cut text that
    /// fits no way: see [`super::typeset`]).
    fn text(&mut self, layer: &Layer, rect: PxRect, color: Option<[u8; 3]>, text: &str) -> bool {
        let unit = self.d.width.min(self.d.height) as f32;
        let (min, max) = (layer.size[0] * unit, layer.size[1] * unit);
        let floor = crate::placements::min_text_px(self.d.width, self.d.height);
        let face = self.face(layer.face);
        // a boxed layer hugs its text (padding in em: `pad` above and below, twice that left
        // and right); a plain one has none
        let pad = if layer.fill == Fill::Accent { [2.0 * layer.pad, layer.pad] } else { [0.0, 0.0] };
        let frame = Frame { w: rect[2], h: rect[3], max_lines: layer.max_lines, min, max, pad };
        let Some(block) = typeset(layer.kind, face, text, &frame, floor) else {
            self.list.fits.push((layer.kind, FitChoice::Dropped));
            return false;
        };
        self.list.fits.push((layer.kind, block.choice.clone()));
        let (inner, ink, ratio) = if layer.fill == Fill::Accent {
            // the box placed in the rect; its text colour is always picked for contrast
            let bw = (block.width() + 2.0 * pad[0] * block.size).min(rect[2]);
            let bh = (block.height() + 2.0 * pad[1] * block.size).min(rect[3]);
            let b = [rect[0] + place(rect[2], bw, layer.align), rect[1] + vplace(rect[3], bh, layer.valign), bw, bh];
            let fill = color.unwrap_or(self.d.kit.accent);
            let r = self.int(b);
            self.list.ops.push(Op::RoundedRect { rect: r, radius: (layer.radius * r[2].min(r[3]) as f32).round() as u32, color: fill });
            self.list.colors.push((layer.kind, fill));
            self.fills.push((b, fill));
            let (ink, ratio) = ink_on(&[fill]);
            let inner = [b[0] + pad[0] * block.size, b[1] + pad[1] * block.size, b[2] - 2.0 * pad[0] * block.size, b[3] - 2.0 * pad[1] * block.size];
            (inner, ink, ratio)
        } else {
            let by = rect[1] + vplace(rect[3], block.height(), layer.valign);
            let area = [rect[0] + place(rect[2], block.width(), layer.align), by, block.width(), block.height()];
            let bd = self.backdrop(area);
            let accent = self.d.kit.accent;
            let (ink, ratio) = match color {
                Some(c) => (c, min_contrast(c, &bd)),
                None if layer.ink == Ink::Accent && min_contrast(accent, &bd) >= AA => (accent, min_contrast(accent, &bd)),
                None => ink_on(&bd),
            };
            self.list.colors.push((layer.kind, ink));
            (rect, ink, ratio)
        };
        let align = if layer.fill == Fill::Accent { Align::Center } else { layer.align };
        let valign = if layer.fill == Fill::Accent { VAlign::Middle } else { layer.valign };
        self.push_lines(layer.kind, face, &block, inner, align, valign, ink);
        self.list.contrast.push(ContrastCheck { layer: layer.kind, ratio, passes_aa: ratio >= AA });
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn push_lines(&mut self, kind: LayerKind, face: Face, block: &Block, area: PxRect, align: Align, valign: VAlign, color: [u8; 3]) {
        let top = area[1] + vplace(area[3], block.height(), valign);
        for (i, (line, w)) in block.lines.iter().zip(&block.widths).enumerate() {
            let x = area[0] + place(area[2], *w, align);
            let y = top + (i as f32 * LINE_HEIGHT + BASELINE) * block.size;
            for (f, dx, run) in runs(face, block.size, line) {
                self.list.ops.push(Op::Text { layer: kind, face: f, size: block.size, x: x + dx, y, color, text: run });
            }
        }
    }
}
