//! Text layout for banners: wrapping (line breaking rules in [`super::linebreak`]),
//! shrink-to-fit, shortening at sentence and clause boundaries before any cut, and
//! per-character font fallback.
//!
//! Sizes are in pixels per em (what CSS, FreeType and Pillow call the font size). Widths are
//! advance sums without kerning: the bundled Noto CJK fonts kern only through GPOS, which neither
//! this renderer nor Pillow's basic layout applies, so both sides measure the same.

use serde::Serialize;

use super::linebreak::advance_em;
use crate::fonts::Face;

/// Line box height, in em.
pub const LINE_HEIGHT: f32 = 1.25;
/// Baseline offset from the top of the line box, in em (0.88 em ideographic ascent plus half
/// the leading): every glyph of the bundled fonts stays inside its line box.
pub const BASELINE: f32 = 1.0;

/// How a layer's text was made to fit (reported per layer in the `DrawList`, so tests and the
/// UI can show it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FitChoice {
    /// The whole text, at the largest size that fits.
    Full,
    /// A shorter wording of the same meaning (a CTA alternative).
    Alternative { text: String },
    /// Shortened at a sentence or clause boundary.
    Clause { text: String },
    /// Cut with "…": headline and body text only, when nothing else fits.
    Ellipsis,
    /// Left out: a never-cut layer (CTA, price, wordmark, badge) that fits no way at the
    /// placement's minimum text size.
    Dropped,
}

/// A laid-out block: font size (px per em), lines and their widths in px, and how the text
/// was fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub size: f32,
    pub lines: Vec<String>,
    pub widths: Vec<f32>,
    pub choice: FitChoice,
}

impl Block {
    /// Height of the block in px.
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.size * LINE_HEIGHT
    }

    /// Width of the widest line in px.
    pub fn width(&self) -> f32 {
        self.widths.iter().copied().fold(0.0, f32::max)
    }
}

/// Whether `c` is a double-width (CJK) character, which may break on either side.
pub fn is_cjk(c: char) -> bool {
    crate::text::width(c.encode_utf8(&mut [0; 4])) == 2
}

use super::linebreak::{measured_tokens, wrap_tokens};
pub use super::linebreak::{tokens, width_em};
/// Pixel width of `s` at `size` px per em.
pub fn measure(face: Face, size: f32, s: &str) -> f32 {
    width_em(face, s) * size
}

/// Greedy wrap of `s` into lines no wider than `max_w` px at `size`.
pub fn wrap(face: Face, size: f32, s: &str, max_w: f32) -> Vec<String> {
    wrap_tokens(face, &measured_tokens(face, s), size, max_w).0
}

/// `line` shortened at a token boundary (or, for one overlong word, a character boundary)
/// with "…" appended so that it fits `max_w`; `force` appends the ellipsis even if it fits.
fn ellipsize(face: Face, size: f32, line: &str, max_w: f32, force: bool) -> String {
    if !force && measure(face, size, line) <= max_w {
        return line.to_string();
    }
    let mut toks = tokens(line);
    while toks.len() > 1 && measure(face, size, &format!("{}…", toks.concat().trim_end())) > max_w {
        toks.pop();
    }
    let mut chars: Vec<char> = toks.concat().trim_end().chars().collect();
    while !chars.is_empty() && measure(face, size, &format!("{}…", chars.iter().collect::<String>())) > max_w {
        chars.pop();
    }
    format!("{}…", chars.iter().collect::<String>().trim_end())
}

/// Where a block must fit: a box of `w`×`h` px, at most `max_lines`, a size in `[min, max]` px
/// per em, and padding inside the box in em of the chosen size (`pad[0]` left and right,
/// `pad[1]` top and bottom) — so a button hugging its text shrinks its padding with the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub w: f32,
    pub h: f32,
    pub max_lines: usize,
    pub min: f32,
    pub max: f32,
    pub pad: [f32; 2],
}

impl Frame {
    /// The text area at `size`: (width, height) inside the padding.
    pub fn inner(&self, size: f32) -> (f32, f32) {
        (self.w - 2.0 * self.pad[0] * size, self.h - 2.0 * self.pad[1] * size)
    }
}

/// The largest size in `[min, max]` (1 px steps) at which `s` wraps into at most `max_lines`
/// lines that all fit `max_w` and whose height fits `max_h`. When no size fits, the text is
/// first shortened at a sentence or clause boundary ([`clause_prefixes`], longest first);
/// only when no such prefix fits is it laid out at `min` with the lines beyond what fits
/// dropped and the last kept line ellipsised (a single word wider than the box is cut with an
/// ellipsis), so the block never exceeds `max_w`.
pub fn fit(face: Face, s: &str, max_w: f32, max_h: f32, max_lines: usize, min: f32, max: f32) -> Block {
    fit_frame(face, s, &Frame { w: max_w, h: max_h, max_lines, min, max, pad: [0.0, 0.0] })
}

/// The largest size in `[f.min, f.max]` (1 px steps, then `f.min`) at which all of `s` fits
/// the frame without any cut; `None` when it fits at no size.
pub fn fit_strict(face: Face, s: &str, f: &Frame) -> Option<Block> {
    let toks = measured_tokens(face, s);
    let max_lines = f.max_lines.max(1);
    let mut size = f.max.max(f.min);
    loop {
        let (max_w, max_h) = f.inner(size);
        let (lines, widths) = wrap_tokens(face, &toks, size, max_w);
        let h = lines.len() as f32 * size * LINE_HEIGHT;
        if !lines.is_empty() && lines.len() <= max_lines && h <= max_h && widths.iter().all(|&w| w <= max_w) {
            return Some(Block { size, lines, widths, choice: FitChoice::Full });
        }
        if size <= f.min {
            return None;
        }
        size = (size - 1.0).max(f.min);
    }
}

/// Shorter versions of `s` that end at a sentence or clause boundary (。！？；，、：and
/// ". ; , : — –" followed by a space), longest first, without trailing commas or colons. An
/// ASCII mark inside a number ("5.3", "1,465") is no boundary.
pub fn clause_prefixes(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let boundary = match c {
            '。' | '！' | '？' | '；' | '，' | '、' | '：' | '—' => true,
            '.' | ';' | ',' | ':' | '!' | '?' | '–' => next.is_none_or(|n| n == ' '),
            _ => false,
        };
        if !boundary || next.is_none() {
            continue;
        }
        let mut p: String = chars[..=i].iter().collect::<String>().trim_end().to_string();
        while p.ends_with(['，', '、', '：', '；', ',', ':', ';', '—', '–']) || p.ends_with(' ') {
            p.pop();
        }
        let p = p.trim_end().to_string();
        if p.chars().any(char::is_alphanumeric) && !out.contains(&p) {
            out.push(p);
        }
    }
    out.reverse();
    out
}

/// [`fit`] inside a padded [`Frame`]: the text area shrinks by the padding of each size tried.
pub fn fit_frame(face: Face, s: &str, f: &Frame) -> Block {
    if let Some(b) = fit_strict(face, s, f) {
        return b;
    }
    for p in clause_prefixes(s) {
        if let Some(b) = fit_strict(face, &p, f) {
            return Block { choice: FitChoice::Clause { text: p }, ..b };
        }
    }
    let toks = measured_tokens(face, s);
    let size = f.min;
    let (max_w, max_h) = f.inner(size);
    let (mut lines, _) = wrap_tokens(face, &toks, size, max_w);
    let keep = f.max_lines.max(1).min((max_h / (size * LINE_HEIGHT)).floor().max(1.0) as usize);
    let cut = lines.len() > keep;
    lines.truncate(keep);
    let last = lines.len().saturating_sub(1);
    let lines: Vec<String> = lines.iter().enumerate().map(|(i, l)| ellipsize(face, size, l, max_w, cut && i == last)).collect();
    let widths = lines.iter().map(|l| measure(face, size, l)).collect();
    Block { size, lines, widths, choice: FitChoice::Ellipsis }
}

/// `line` split into runs of one face each (characters the face lacks go to its fallback),
/// with each run's x offset in px at `size`.
pub fn runs(face: Face, size: f32, line: &str) -> Vec<(Face, f32, String)> {
    let mut out: Vec<(Face, f32, String)> = Vec::new();
    let mut x = 0.0;
    for c in line.chars() {
        let f = face.for_char(c);
        match out.last_mut() {
            Some((lf, _, s)) if *lf == f => s.push(c),
            _ => out.push((f, x, c.to_string())),
        }
        x += advance_em(face, c) * size;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_cjk_into_words_and_latin_per_word() {
        let t = tokens("新品上架：Voltix earbuds");
        assert_eq!(t.concat(), "新品上架：Voltix earbuds");
        assert!(t.contains(&"Voltix ".to_string()) && t.contains(&"earbuds".to_string()), "{t:?}");
        assert!(t.iter().all(|w| !w.starts_with('：')), "{t:?}");
        assert_eq!(tokens("a\nb"), vec!["a", "\n", "b"]);
    }

    #[test]
    fn body_text_is_shortened_at_a_clause_boundary_before_any_cut() {
        assert_eq!(clause_prefixes("好物推荐，本周特价。库存有限"), vec!["好物推荐，本周特价。", "好物推荐"]);
        assert_eq!(clause_prefixes("Fast, light. Bluetooth 5.3 and 1,465 reviews"), vec!["Fast, light.", "Fast"]);
        let s = "Top-rated electronics at a price that makes sense. Active noise cancelling and thirty hours of battery.";
        let b = fit(Face::SansRegular, s, 300.0, 60.0, 2, 14.0, 16.0);
        assert_eq!(b.choice, FitChoice::Clause { text: "Top-rated electronics at a price that makes sense.".into() }, "{b:?}");
        assert!(b.lines.iter().all(|l| !l.contains('…')) && b.width() <= 300.0, "{b:?}");
    }

    #[test]
    fn wrap_never_splits_latin_words_and_fits_width() {
        let lines = wrap(Face::SansRegular, 30.0, "Considered design and materials from Voltix 高端数码耳机值得拥有", 300.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(measure(Face::SansRegular, 30.0, l) <= 300.0, "{l}");
            for w in ["Considered", "materials", "Voltix"] {
                if l.contains(&w[..3]) && !l.contains(w) {
                    panic!("word {w} split in {lines:?}");
                }
            }
        }
    }

    #[test]
    fn newline_forces_a_break() {
        assert_eq!(wrap(Face::SansBold, 20.0, "Big\nsale", 1000.0), vec!["Big", "sale"]);
    }

    #[test]
    fn fit_shrinks_long_text_into_the_box() {
        let short = fit(Face::SansBold, "Shop", 400.0, 100.0, 2, 14.0, 44.0);
        assert_eq!(short.size, 44.0);
        let long = fit(Face::SansBold, "沃提克无线耳机专业版限时八五折，本周到手价更划算", 400.0, 100.0, 2, 14.0, 44.0);
        assert!(long.size < 44.0 && long.lines.len() <= 2 && long.height() <= 100.0, "{long:?}");
    }

    #[test]
    fn fit_ellipsises_what_cannot_fit_at_the_minimum() {
        let b = fit(Face::SansRegular, &"很长的文字".repeat(40), 200.0, 30.0, 3, 16.0, 20.0);
        assert_eq!(b.lines.len(), 1, "{b:?}");
        assert!(b.lines[0].ends_with('…') && b.width() <= 200.0, "{b:?}");
        let word = fit(Face::SansBold, "Supercalifragilisticexpialidocious", 100.0, 40.0, 1, 16.0, 20.0);
        assert!(word.width() <= 100.0 && word.lines[0].ends_with('…'), "{word:?}");
    }

    #[test]
    fn padding_scales_with_the_size() {
        let f = Frame { w: 200.0, h: 60.0, max_lines: 1, min: 10.0, max: 40.0, pad: [1.0, 0.5] };
        let b = fit_frame(Face::SansBold, "Shop now", &f);
        let (iw, ih) = f.inner(b.size);
        assert!(b.width() <= iw && b.height() <= ih && b.size < 40.0, "{b:?}");
        assert!(b.width() + 2.0 * b.size <= 200.0);
    }

    #[test]
    fn runs_split_where_the_serif_face_falls_back() {
        let r = runs(Face::SerifBold, 10.0, "高耷A");
        assert_eq!(r.iter().map(|(f, _, s)| (*f, s.as_str())).collect::<Vec<_>>(), vec![(Face::SerifBold, "高"), (Face::SansBold, "耷"), (Face::SerifBold, "A")]);
        assert!(r[1].1 > 0.0 && r[2].1 > r[1].1);
    }
}
