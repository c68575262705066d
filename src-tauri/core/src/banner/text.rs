//! Text layout for banners: tokenising for line breaks (CJK per character, Latin per word),
//! wrapping, shrink-to-fit, and per-character font fallback.
//!
//! Sizes are in pixels per em (what CSS, FreeType and Pillow call the font size). Widths are
//! advance sums without kerning: the bundled Noto CJK fonts kern only through GPOS, which neither
//! this renderer nor Pillow's basic layout applies, so both sides measure the same.

use ab_glyph::Font;

use crate::fonts::Face;

/// Line box height, in em.
pub const LINE_HEIGHT: f32 = 1.25;
/// Baseline offset from the top of the line box, in em (0.88 em ideographic ascent plus half
/// the leading): every glyph of the bundled fonts stays inside its line box.
pub const BASELINE: f32 = 1.0;

/// A laid-out block: font size (px per em), lines and their widths in px.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub size: f32,
    pub lines: Vec<String>,
    pub widths: Vec<f32>,
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

/// Characters that may not start a line (kinsoku): attached to the previous token.
fn no_line_start(c: char) -> bool {
    "，。！？、；：）》」』】…%,.!?;:)".contains(c)
}

/// Break opportunities: a Latin word (with its trailing space) or one CJK character, with
/// closing punctuation glued to the token before it. A newline is a token of its own (a forced
/// break).
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c == '\n' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push("\n".into());
            continue;
        }
        if no_line_start(c) {
            cur.push(c);
            continue;
        }
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            continue;
        }
        if cur.chars().last().is_some_and(|l| is_cjk(l) || no_line_start(l) || l == ' ') && c != ' ' {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Advance of `c` in em, drawn with `face` or its fallback.
fn advance_em(face: Face, c: char) -> f32 {
    let font = face.for_char(c).font();
    font.h_advance_unscaled(font.glyph_id(c)) / font.units_per_em().unwrap_or(1000.0)
}

/// Width of `s` in em.
pub fn width_em(face: Face, s: &str) -> f32 {
    s.chars().map(|c| advance_em(face, c)).sum()
}

/// Pixel width of `s` at `size` px per em.
pub fn measure(face: Face, size: f32, s: &str) -> f32 {
    width_em(face, s) * size
}

/// A token with its width with and without trailing spaces, in em.
struct Tok {
    text: String,
    w: f32,
    trim_w: f32,
}

fn measured_tokens(face: Face, s: &str) -> Vec<Tok> {
    tokens(s.trim())
        .into_iter()
        .map(|text| {
            let w = width_em(face, &text);
            let trim_w = width_em(face, text.trim_end());
            Tok { text, w, trim_w }
        })
        .collect()
}

/// Greedy wrap of measured tokens at `size` into lines no wider than `max_w`. A single token
/// wider than the box gets a line of its own (the caller shrinks or ellipsises).
fn wrap_tokens(toks: &[Tok], size: f32, max_w: f32) -> (Vec<String>, Vec<f32>) {
    let (mut lines, mut widths) = (Vec::new(), Vec::new());
    let (mut line, mut w, mut trim_w) = (String::new(), 0.0f32, 0.0f32);
    for t in toks {
        let forced = t.text == "\n";
        if forced || (!line.is_empty() && (w + t.trim_w) * size > max_w) {
            if !line.trim().is_empty() || forced {
                lines.push(line.trim_end().to_string());
                widths.push(trim_w * size);
            }
            line.clear();
            (w, trim_w) = (0.0, 0.0);
            if forced {
                continue;
            }
        }
        if line.is_empty() && t.text.trim().is_empty() {
            continue; // no line starts with a space
        }
        trim_w = w + t.trim_w;
        w += t.w;
        line.push_str(&t.text);
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
        widths.push(trim_w * size);
    }
    (lines, widths)
}

/// Greedy wrap of `s` into lines no wider than `max_w` px at `size`.
pub fn wrap(face: Face, size: f32, s: &str, max_w: f32) -> Vec<String> {
    wrap_tokens(&measured_tokens(face, s), size, max_w).0
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
/// lines that all fit `max_w` and whose height fits `max_h`. At `min` the text is laid out
/// anyway: lines beyond what fits are dropped and the last kept line ellipsised, and a single
/// word wider than the box is cut with an ellipsis, so the block never exceeds `max_w`.
pub fn fit(face: Face, s: &str, max_w: f32, max_h: f32, max_lines: usize, min: f32, max: f32) -> Block {
    fit_frame(face, s, &Frame { w: max_w, h: max_h, max_lines, min, max, pad: [0.0, 0.0] })
}

/// [`fit`] inside a padded [`Frame`]: the text area shrinks by the padding of each size tried.
pub fn fit_frame(face: Face, s: &str, f: &Frame) -> Block {
    let toks = measured_tokens(face, s);
    let max_lines = f.max_lines.max(1);
    let mut size = f.max.max(f.min);
    while size > f.min {
        let (max_w, max_h) = f.inner(size);
        let (lines, widths) = wrap_tokens(&toks, size, max_w);
        let h = lines.len() as f32 * size * LINE_HEIGHT;
        if lines.len() <= max_lines && h <= max_h && widths.iter().all(|&w| w <= max_w) {
            return Block { size, lines, widths };
        }
        size -= 1.0;
    }
    let size = f.min;
    let (max_w, max_h) = f.inner(size);
    let (mut lines, _) = wrap_tokens(&toks, size, max_w);
    let keep = max_lines.min((max_h / (size * LINE_HEIGHT)).floor().max(1.0) as usize);
    let cut = lines.len() > keep;
    lines.truncate(keep);
    let last = lines.len().saturating_sub(1);
    let lines: Vec<String> = lines.iter().enumerate().map(|(i, l)| ellipsize(face, size, l, max_w, cut && i == last)).collect();
    let widths = lines.iter().map(|l| measure(face, size, l)).collect();
    Block { size, lines, widths }
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
    fn tokens_split_cjk_per_char_and_latin_per_word() {
        assert_eq!(tokens("新品上架：Voltix earbuds"), vec!["新", "品", "上", "架：", "Voltix ", "earbuds"]);
        assert_eq!(tokens("好物，本周"), vec!["好", "物，", "本", "周"]);
        assert_eq!(tokens("a\nb"), vec!["a", "\n", "b"]);
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
