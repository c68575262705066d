//! Text layout for banners: tokenising for line breaks (CJK per character, Latin per word),
//! wrapping, and shrink-to-fit.

use ab_glyph::{Font, PxScale};
use imageproc::drawing::text_size;

/// A laid-out block: font size and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub size: f32,
    pub lines: Vec<String>,
}

fn is_cjk(c: char) -> bool {
    crate::copy::width(c.encode_utf8(&mut [0; 4])) == 2
}

/// Characters that may not start a line (kinsoku): attached to the previous token.
fn no_line_start(c: char) -> bool {
    "，。！？、；：）》」』】…%,.!?;:)".contains(c)
}

/// Break opportunities: a Latin word (with its trailing space) or one CJK character, with
/// closing punctuation glued to the token before it.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
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

/// Pixel width of `s` at `size`.
pub fn measure(font: &impl Font, size: f32, s: &str) -> u32 {
    text_size(PxScale::from(size), font, s).0
}

/// Greedy wrap of `s` into lines no wider than `max_w` at `size`. A single token wider than
/// the box gets a line of its own (the caller shrinks).
pub fn wrap(font: &impl Font, size: f32, s: &str, max_w: u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for t in tokens(s) {
        let candidate = format!("{line}{t}");
        if !line.is_empty() && measure(font, size, candidate.trim_end()) > max_w {
            lines.push(line.trim_end().to_string());
            line = t.trim_start().to_string();
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The largest size in `[min, max]` (1 px steps) at which `s` wraps into at most `max_lines`
/// lines that all fit `max_w` and whose height fits `max_h`. At `min` the text is laid out
/// anyway and the last line ellipsised at a token boundary.
pub fn fit(font: &impl Font, s: &str, max_w: u32, max_h: u32, max_lines: usize, min: f32, max: f32) -> Block {
    let mut size = max;
    while size >= min {
        let lines = wrap(font, size, s, max_w);
        let h = (lines.len() as f32 * size * 1.25) as u32;
        if lines.len() <= max_lines && h <= max_h && lines.iter().all(|l| measure(font, size, l) <= max_w) {
            return Block { size, lines };
        }
        size -= 1.0;
    }
    let mut lines = wrap(font, min, s, max_w);
    let keep = max_lines.min(((max_h as f32) / (min * 1.25)).floor().max(1.0) as usize);
    if lines.len() > keep {
        lines.truncate(keep);
        let last = lines.last_mut().expect("keep >= 1");
        let mut toks = tokens(last);
        while !toks.is_empty() && measure(font, min, &format!("{}…", toks.concat().trim_end())) > max_w {
            toks.pop();
        }
        *last = format!("{}…", toks.concat().trim_end());
    }
    Block { size: min, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_cjk_per_char_and_latin_per_word() {
        assert_eq!(tokens("新品上架：Voltix earbuds"), vec!["新", "品", "上", "架：", "Voltix ", "earbuds"]);
        assert_eq!(tokens("好物，本周"), vec!["好", "物，", "本", "周"]);
    }

    #[test]
    fn wrap_never_splits_latin_words_and_fits_width() {
        let f = crate::fonts::regular();
        let lines = wrap(f, 40.0, "Considered design and materials from Voltix 高端数码耳机值得拥有", 300);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(measure(f, 40.0, l) <= 300, "{l}");
            for w in ["Considered", "materials", "Voltix"] {
                if l.contains(&w[..3]) && !l.contains(w) {
                    panic!("word {w} split in {lines:?}");
                }
            }
        }
    }

    #[test]
    fn fit_shrinks_long_text_into_the_box() {
        let f = crate::fonts::bold();
        let short = fit(f, "Shop", 400, 100, 2, 20.0, 64.0);
        assert_eq!(short.size, 64.0);
        let long = fit(f, "沃提克无线耳机专业版限时八五折，本周到手价更划算", 400, 100, 2, 20.0, 64.0);
        assert!(long.size < 64.0 && long.lines.len() <= 2, "{long:?}");
    }
}
