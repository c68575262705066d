//! The report's A4 pages: content flowed top to bottom ([`Flow`]) into drawing operations,
//! then each page drawn with plotters at [`DPI`] dpi. Text sizes are em sizes in page pixels
//! (21 px ≈ 10 pt). Charts are the dashboard's ([`crate::dashboard::charts::draw`]) drawn at
//! the page's scale. Every page carries a footer: campaign, page i / n, generation time, version.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::content::{Content, Source};
use super::pdf::{Page, TextRun};
use super::strings::{self as s, S};
use crate::chart::ChartError;
use crate::dashboard::charts::{self, Px, REAL_COLOR, SIMULATED_COLOR};
use crate::dashboard::ChartKind;
use crate::fonts;
use crate::text::Lang;

/// Resolution of the pages.
pub const DPI: f64 = 150.0;
/// A4 at [`DPI`], pixels.
pub const PAGE: (u32, u32) = (1240, 1754);
const LEFT: f64 = 100.0;
const RIGHT: f64 = 1140.0;
const TOP: f64 = 96.0;
const BOTTOM: f64 = 1640.0;
const BODY: f64 = 21.0;
const SMALL: f64 = 18.0;
const H1: f64 = 38.0;
const H2: f64 = 27.0;
const INK: RGBColor = RGBColor(28, 34, 48);
const MUTED: RGBColor = RGBColor(96, 104, 122);
const RULE: RGBColor = RGBColor(210, 214, 222);

/// One drawing operation on a page (page pixels; `y` of text is its top).
#[derive(Debug, Clone)]
enum Op {
    Text { x: f64, y: f64, em: f64, bold: bool, color: RGBColor, text: String },
    Rect { x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor },
    Chart { x: f64, y: f64, kind: ChartKind, scale: f64 },
}

pub use charts::text_width;

/// Greedy line breaking to `width`: between words, and between any two CJK characters.
pub fn wrap(text: &str, em: f64, bold: bool, width: f64) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let wide = crate::text::width(&c.to_string()) == 2;
        match tokens.last_mut() {
            Some(t) if !wide && !c.is_whitespace() && !t.ends_with(char::is_whitespace) && crate::text::width(t) == t.chars().count() => t.push(c),
            Some(t) if c.is_whitespace() => t.push(c),
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines = vec![String::new()];
    for t in tokens {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && text_width(&format!("{line}{}", t.trim_end()), em, bold) > width {
            lines.push(t.trim_start().to_string());
        } else {
            line.push_str(&t);
        }
    }
    lines.into_iter().map(|l| l.trim_end().to_string()).collect()
}

/// A table cell: text, bold or not.
pub(super) struct Cell(pub String, pub bool);

/// Content flowed onto pages.
pub(super) struct Flow<'a> {
    pub c: &'a Content,
    pages: Vec<Vec<Op>>,
    pub y: f64,
}

impl<'a> Flow<'a> {
    pub fn new(c: &'a Content) -> Flow<'a> {
        Flow { c, pages: vec![Vec::new()], y: TOP }
    }

    pub fn l(&self, label: S) -> &'static str {
        label.get(self.c.lang)
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("one page at least").push(op);
    }

    /// Start a new page unless `h` more pixels fit on this one.
    pub fn need(&mut self, h: f64) {
        if self.y + h > BOTTOM && self.y > TOP {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    fn text_at(&mut self, x: f64, y: f64, em: f64, bold: bool, color: RGBColor, text: &str) {
        self.push(Op::Text { x, y, em, bold, color, text: text.to_string() });
    }

    /// A source chip ("Simulated"/"Real") at `x` on the line at `y`; its width.
    pub fn chip(&mut self, x: f64, y: f64, source: Source) -> f64 {
        let (label, color) = match source {
            Source::Simulated => (self.l(s::SIMULATED), SIMULATED_COLOR),
            Source::Real => (self.l(s::REAL), REAL_COLOR),
        };
        let w = text_width(label, SMALL, true) + 16.0;
        self.push(Op::Rect { x0: x, y0: y - 4.0, x1: x + w, y1: y + SMALL + 6.0, color });
        self.text_at(x + 8.0, y, SMALL, true, WHITE, label);
        w
    }

    /// A paragraph from the left margin (after an optional chip).
    pub fn para(&mut self, text: &str, em: f64, color: RGBColor, chip: Option<Source>) {
        let indent = chip.map_or(0.0, |src| {
            self.need(em * 1.5);
            self.chip(LEFT, self.y, src) + 10.0
        });
        for (i, line) in wrap(text, em, false, RIGHT - LEFT - indent).iter().enumerate() {
            self.need(em * 1.5);
            let x = if i == 0 { LEFT + indent } else { LEFT };
            self.text_at(x, self.y, em, false, color, line);
            self.y += em * 1.5;
        }
    }

    pub fn title(&mut self, text: &str) {
        for line in wrap(text, H1, true, RIGHT - LEFT) {
            self.text_at(LEFT, self.y, H1, true, INK, &line);
            self.y += H1 * 1.4;
        }
    }

    /// A section heading, kept with at least `keep` pixels of what follows.
    pub fn heading(&mut self, label: S, keep: f64) {
        self.need(H2 * 2.2 + keep);
        self.y += H2 * 0.8;
        let text = self.l(label);
        self.text_at(LEFT, self.y, H2, true, INK, text);
        self.y += H2 * 1.3;
        self.push(Op::Rect { x0: LEFT, y0: self.y, x1: RIGHT, y1: self.y + 2.0, color: RULE });
        self.y += 14.0;
    }

    /// A key: value line (value wrapped), with an optional chip before the value.
    pub fn kv(&mut self, key: S, value: &str, chip: Option<Source>) {
        let vx = LEFT + 250.0;
        self.need(BODY * 1.5);
        let key = self.l(key);
        self.text_at(LEFT, self.y, BODY, true, INK, key);
        let indent = chip.map_or(0.0, |src| self.chip(vx, self.y, src) + 10.0);
        for (i, line) in wrap(value, BODY, false, RIGHT - vx - indent).iter().enumerate() {
            self.need(BODY * 1.5);
            self.text_at(vx + if i == 0 { indent } else { 0.0 }, self.y, BODY, false, INK, line);
            self.y += BODY * 1.5;
        }
    }

    /// A table: header labels with their column widths (fractions of the text width) and an
    /// optional chip each; columns with a chip get a tinted background.
    pub fn table(&mut self, header: &[(&str, f64, Option<Source>)], rows: &[Vec<Cell>]) {
        let width = RIGHT - LEFT;
        let xs: Vec<f64> = header
            .iter()
            .scan(LEFT, |x, h| {
                let at = *x;
                *x += h.1 * width;
                Some(at)
            })
            .collect();
        let row_h = BODY * 1.7;
        let head_h = SMALL * 1.6 * 2.0 + 8.0;
        self.need(head_h + row_h * rows.len().min(3) as f64);
        let y0 = self.y;
        self.push(Op::Rect { x0: LEFT, y0, x1: RIGHT, y1: y0 + head_h, color: RGBColor(240, 242, 246) });
        for (i, (label, _, chip)) in header.iter().enumerate() {
            let x = xs[i] + 8.0;
            let mut y = y0 + 6.0;
            if let Some(src) = chip {
                self.chip(x, y, *src);
                y += SMALL * 1.6;
            }
            self.text_at(x, y, SMALL, true, INK, label);
        }
        self.y += head_h;
        for row in rows {
            self.need(row_h);
            for (i, (_, _, chip)) in header.iter().enumerate() {
                let tint = match chip {
                    Some(Source::Simulated) => RGBColor(251, 238, 243),
                    Some(Source::Real) => RGBColor(235, 246, 240),
                    None => continue,
                };
                let x1 = xs.get(i + 1).copied().unwrap_or(RIGHT);
                self.push(Op::Rect { x0: xs[i], y0: self.y, x1, y1: self.y + row_h, color: tint });
            }
            for (i, Cell(text, bold)) in row.iter().enumerate() {
                let max = header[i].1 * width - 14.0;
                let line = wrap(text, BODY, *bold, max).into_iter().next().unwrap_or_default();
                let line = if line != *text { format!("{}…", line.chars().take(line.chars().count().saturating_sub(1)).collect::<String>()) } else { line };
                self.text_at(xs[i] + 8.0, self.y + (row_h - BODY) / 2.0, BODY, *bold, INK, &line);
            }
            self.y += row_h;
            self.push(Op::Rect { x0: LEFT, y0: self.y - 1.0, x1: RIGHT, y1: self.y, color: RULE });
        }
        self.y += 16.0;
    }

    /// A dashboard chart across the text width (smaller if taller than a page).
    pub fn chart(&mut self, kind: ChartKind) {
        let (w, h) = charts::size(&self.c.dashboard, kind);
        let scale = ((RIGHT - LEFT) / w as f64).min((BOTTOM - TOP) / h as f64);
        self.need(h as f64 * scale);
        let x = LEFT + ((RIGHT - LEFT) - w as f64 * scale) / 2.0;
        self.push(Op::Chart { x, y: self.y, kind, scale });
        self.y += h as f64 * scale + 20.0;
    }

    pub fn gap(&mut self, h: f64) {
        self.y += h;
    }

    /// Add the footer to every page and draw them.
    pub fn finish(mut self, footer: &str) -> Result<Vec<Page>, ChartError> {
        let n = self.pages.len();
        let page_label = self.l(s::PAGE);
        for (i, ops) in self.pages.iter_mut().enumerate() {
            ops.push(Op::Rect { x0: LEFT, y0: BOTTOM + 30.0, x1: RIGHT, y1: BOTTOM + 31.0, color: RULE });
            let mine = match self.c.lang {
                Lang::En => format!("{footer} · {page_label} {} / {n}", i + 1),
                Lang::Zh => format!("{footer} · 第 {} / {n} {page_label}", i + 1),
            };
            ops.push(Op::Text { x: LEFT, y: BOTTOM + 44.0, em: SMALL, bold: false, color: MUTED, text: mine });
        }
        self.pages.iter().map(|ops| draw_page(self.c, ops)).collect()
    }
}

fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn draw_page(c: &Content, ops: &[Op]) -> Result<Page, ChartError> {
    fonts::register_chart_fonts();
    let (w, h) = PAGE;
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    let mut text = Vec::new();
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        for op in ops {
            match op {
                Op::Text { x, y, em, bold, color, text: t } => {
                    let style =
                        if *bold { charts::bold_style(Px::bitmap(1.0), *em, Pos::new(HPos::Left, VPos::Top)) } else { charts::text_style(Px::bitmap(1.0), *em, Pos::new(HPos::Left, VPos::Top)) };
                    root.draw(&Text::new(t.clone(), (*x as i32, *y as i32), style.color(color))).map_err(err)?;
                    text.push(TextRun { text: t.clone(), x: *x, y: y + em * 0.8, size: *em, width: text_width(t, *em, *bold) });
                }
                Op::Rect { x0, y0, x1, y1, color } => root.draw(&Rectangle::new([(*x0 as i32, *y0 as i32), (*x1 as i32, *y1 as i32)], color.filled())).map_err(err)?,
                Op::Chart { x, y, kind, scale } => {
                    let (cw, ch) = charts::size(&c.dashboard, *kind);
                    let area = root.clone().shrink((*x as i32, *y as i32), ((cw as f64 * scale) as u32, (ch as f64 * scale) as u32));
                    charts::draw(&area, &c.dashboard, *kind, c.lang, Px::bitmap(*scale))?;
                    area.draw(&Rectangle::new([(0, 0), ((cw as f64 * scale) as i32 - 1, (ch as f64 * scale) as i32 - 1)], RULE.stroke_width(1))).map_err(err)?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(Page { width: w, height: h, rgb, text })
}

/// Every page of the report of `c` (see [`super::sections`]). Errors: `Draw`.
pub fn pages(c: &Content) -> Result<Vec<Page>, ChartError> {
    let mut f = Flow::new(c);
    super::sections::write(&mut f);
    let footer = format!("{} · {} · {} {}", c.dashboard.campaign_name, c.generated_at, s::VERSION.get(c.lang), c.version);
    f.finish(&footer)
}

/// The colours of body text, for the sections.
pub(super) const BODY_EM: f64 = BODY;
pub(super) const SMALL_EM: f64 = SMALL;
pub(super) const INK_COLOR: RGBColor = INK;
pub(super) const MUTED_COLOR: RGBColor = MUTED;
