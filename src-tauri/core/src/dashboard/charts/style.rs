//! What every dashboard chart shares: sizes, scales, badges, text styles and measures, and the
//! labels of review states, so the PDF report (`crate::report`) sets its text in the same face
//! and sizes as the charts it embeds.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::chart::{ChartError, PALETTE};
use crate::fonts;
use crate::review::ReviewState;
use crate::text::Lang;

/// Width of every dashboard chart at 1×, pixels (heights: [`size`]).
pub const WIDTH: u32 = 900;

/// The smallest text of any chart at 1×, pixels.
pub const MIN_TEXT_PX: f64 = 13.0;

/// The scale of exported PNGs (2×: print quality).
pub const EXPORT_SCALE: f64 = 2.0;

/// The badge of every chart that shows simulated figures.
pub const SIMULATED_TAG: &str = "SIMULATED · 模拟";

/// The badge of every chart that shows real (reported or logged) figures.
pub const REAL_TAG: &str = "REAL · 实际";

/// Colour of the simulated badge.
pub const SIMULATED_COLOR: RGBColor = RGBColor(176, 36, 92);
/// Colour of the real badge.
pub const REAL_COLOR: RGBColor = RGBColor(24, 110, 72);

/// plotters writes an SVG text's `font-size` as its size / 1.24.
const SVG_SIZE_PER_EM: f64 = 1.24;

/// A scale: lengths at 1× times `scale`; font sizes (em, pixels at 1×) times `text`, the
/// backend's size per em.
///
/// plotters' SVG `font-size` is its size / 1.24 ([`Px::svg`]); its bitmap text (ab_glyph) takes
/// the size as the font's whole height, ascent − descent, 1.448 em for Noto Sans SC
/// ([`Px::bitmap`]). Both make a text of em size `n` come out `n` pixels (× scale) per em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Px {
    pub scale: f64,
    pub text: f64,
}

impl Px {
    /// For the SVG backend.
    pub fn svg(scale: f64) -> Px {
        Px { scale, text: scale * SVG_SIZE_PER_EM }
    }
    /// For the bitmap backend.
    pub fn bitmap(scale: f64) -> Px {
        Px { scale, text: scale * fonts::height_per_em() }
    }
    pub(crate) fn u(self, v: f64) -> u32 {
        (v * self.scale).round().max(0.0) as u32
    }
    pub(crate) fn i(self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }
}

pub(crate) fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The label of a review state in `lang`.
pub fn state_label(state: ReviewState, lang: Lang) -> &'static str {
    match state {
        ReviewState::Draft => t(lang, "Draft", "草稿"),
        ReviewState::InReview => t(lang, "In review", "审核中"),
        ReviewState::ChangesRequested => t(lang, "Changes requested", "需修改"),
        ReviewState::Approved => t(lang, "Approved", "已批准"),
    }
}

pub(crate) fn state_color(state: ReviewState) -> RGBColor {
    match state {
        ReviewState::Draft => RGBColor(160, 164, 176),
        ReviewState::InReview => PALETTE[0],
        ReviewState::ChangesRequested => PALETTE[4],
        ReviewState::Approved => PALETTE[2],
    }
}

pub(crate) type Area<'a, DB> = DrawingArea<DB, Shift>;

pub(crate) fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Text of `size` pixels at 1× (never below [`MIN_TEXT_PX`]), scaled by `s`.
pub fn text_style(s: Px, size: f64, pos: Pos) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size.max(MIN_TEXT_PX) * s.text).into_font()).pos(pos)
}

pub fn bold_style(s: Px, size: f64, pos: Pos) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", size.max(MIN_TEXT_PX) * s.text).into_font().style(FontStyle::Bold)).pos(pos)
}

/// The caption font.
pub(crate) fn caption(s: Px) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", 18.0 * s.text).into_font().style(FontStyle::Bold))
}

/// A backend coordinate (as `ChartContext::backend_coord` gives) relative to `area`.
pub(crate) fn rel<DB: DrawingBackend>(area: &Area<DB>, (x, y): (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// Draw the badges (`(text, colour)`, right to left from the top-right corner).
pub(crate) fn badges<DB: DrawingBackend>(root: &Area<DB>, s: Px, tags: &[(&str, RGBColor)]) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    let mut right = w as i32 - s.i(8.0);
    for (text, color) in tags {
        let style = bold_style(s, 14.0, Pos::new(HPos::Center, VPos::Center)).color(&WHITE);
        let tw = text_width(text, 14.0 * s.scale, true).ceil() as i32;
        let (pad, top, h) = (s.i(8.0), s.i(6.0), s.i(24.0));
        let left = right - tw - 2 * pad;
        root.draw(&Rectangle::new([(left, top), (right, top + h)], color.filled())).map_err(err)?;
        root.draw(&Text::new(text.to_string(), ((left + right) / 2, top + h / 2), style)).map_err(err)?;
        right = left - s.i(8.0);
    }
    Ok(())
}

/// Width in pixels of `text` at `em` pixels per em in the bundled face (regular or bold).
pub fn text_width(text: &str, em: f64, bold: bool) -> f64 {
    use ab_glyph::{Font, ScaleFont};
    let font = if bold { fonts::bold() } else { fonts::regular() };
    let f = font.as_scaled((em * fonts::height_per_em()) as f32);
    text.chars().map(|c| f.h_advance(f.glyph_id(c)) as f64).sum()
}

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Truncate to `n` display columns (CJK counts 2).
pub(crate) fn truncate_width(s: &str, n: usize) -> String {
    if crate::text::width(s) <= n {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if crate::text::width(&out) + crate::text::width(&c.to_string()) > n - 1 {
            break;
        }
        out.push(c);
    }
    out + "…"
}
