//! Line breaking for banner text, as a designer sets it.
//!
//! * Break opportunities ([`tokens`]): a Latin word with its trailing space (never split), a
//!   Chinese word from jieba (runs of CJK ideographs are cut into words, so "双十一狂欢节" breaks
//!   between 双十一 and 狂欢节, never inside 狂欢), and a forced break at `\n`.
//! * Kinsoku: closing punctuation (，。！？、；：）》」』】…% …) is glued to the token before it,
//!   so no line starts with it; opening punctuation (（《「『【“ …) is glued to the token after
//!   it, so no line ends with it.
//! * [`wrap_tokens`]: greedy, and a word wider than the line is split per character (its
//!   punctuation still attached); then a last line of a single character is avoided when the
//!   line before it can give it a word.

use ab_glyph::Font;

use super::text::is_cjk;
use crate::fonts::Face;

/// Characters that may not start a line: glued to the token before them.
pub fn no_line_start(c: char) -> bool {
    "，。！？、；：）》」』】〉〕］｝”’…%,.!?;:)]}".contains(c)
}

/// Characters that may not end a line: glued to the token after them.
pub fn no_line_end(c: char) -> bool {
    "（《「『【〈〔［｛“‘([{￥".contains(c)
}

/// A CJK character that is part of a word (not punctuation, not a space).
fn is_han(c: char) -> bool {
    is_cjk(c) && !no_line_start(c) && !no_line_end(c) && !c.is_whitespace() && c != '\u{3000}'
}

#[derive(Default)]
struct Builder {
    out: Vec<String>,
    /// The token being built (not yet closed: closing punctuation may still attach).
    cur: String,
    /// Opening punctuation waiting for the next token.
    open: String,
}

impl Builder {
    fn end(&mut self) {
        if !self.cur.is_empty() {
            self.out.push(std::mem::take(&mut self.cur));
        }
    }

    /// Start a new token with `t` (after any waiting opening punctuation).
    fn start(&mut self, t: &str) {
        self.end();
        self.cur = std::mem::take(&mut self.open);
        self.cur.push_str(t);
    }

    /// Glue closing punctuation to the token before it (or start a token at the very start).
    fn attach(&mut self, c: char) {
        if !self.open.is_empty() {
            self.open.push(c);
        } else if !self.cur.is_empty() {
            self.cur.push(c);
        } else {
            match self.out.last_mut() {
                Some(last) if last != "\n" => last.push(c),
                _ => self.cur.push(c),
            }
        }
    }

    fn flush_han(&mut self, han: &mut String) {
        if han.is_empty() {
            return;
        }
        for w in crate::text::words_zh(han) {
            self.start(w);
        }
        han.clear();
    }
}

/// Break opportunities of `s`: Latin words (with their trailing space), jieba words of CJK
/// runs, and `\n` as a token of its own (a forced break); punctuation glued per kinsoku.
/// The tokens concatenate back to `s`.
pub fn tokens(s: &str) -> Vec<String> {
    let mut b = Builder::default();
    let mut han = String::new();
    for c in s.chars() {
        if is_han(c) {
            han.push(c);
            continue;
        }
        b.flush_han(&mut han);
        if c == '\n' {
            b.end();
            if !b.open.is_empty() {
                b.out.push(std::mem::take(&mut b.open));
            }
            b.out.push("\n".into());
        } else if no_line_start(c) {
            b.attach(c);
        } else if no_line_end(c) {
            b.end();
            b.open.push(c);
        } else if is_cjk(c) {
            // a full-width space or other wide non-word character: a token of its own
            b.start(&c.to_string());
        } else {
            let boundary = b.cur.chars().last().is_some_and(|l| is_cjk(l) || no_line_start(l) || l == ' ') && c != ' ';
            if boundary || b.cur.is_empty() {
                b.start(&c.to_string());
            } else {
                b.cur.push(c);
            }
        }
    }
    b.flush_han(&mut han);
    b.end();
    if !b.open.is_empty() {
        b.out.push(b.open);
    }
    b.out
}

/// Advance of `c` in em, drawn with `face` or its fallback.
pub(super) fn advance_em(face: Face, c: char) -> f32 {
    let font = face.for_char(c).font();
    font.h_advance_unscaled(font.glyph_id(c)) / font.units_per_em().unwrap_or(1000.0)
}

/// Width of `s` in em.
pub fn width_em(face: Face, s: &str) -> f32 {
    s.chars().map(|c| advance_em(face, c)).sum()
}

/// A token with its width with and without trailing spaces, in em.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub text: String,
    pub w: f32,
    pub trim_w: f32,
}

impl Tok {
    fn new(face: Face, text: String) -> Tok {
        let w = width_em(face, &text);
        let trim_w = width_em(face, text.trim_end());
        Tok { text, w, trim_w }
    }

    /// Characters that count as visible content (letters, digits, ideographs).
    fn visible(&self) -> usize {
        self.text.chars().filter(|c| c.is_alphanumeric()).count()
    }

    /// A word of several CJK characters, which may be split per character when it is wider
    /// than a whole line.
    fn splittable(&self) -> bool {
        self.text.chars().filter(|&c| is_han(c)).count() > 1
    }
}

pub(super) fn measured_tokens(face: Face, s: &str) -> Vec<Tok> {
    tokens(s.trim()).into_iter().map(|t| Tok::new(face, t)).collect()
}

/// `t` split per character: each ideograph a token, punctuation kept glued to its neighbour.
fn split_chars(face: Face, t: &Tok) -> Vec<Tok> {
    let mut out: Vec<String> = Vec::new();
    let mut open = String::new();
    for c in t.text.chars() {
        if no_line_end(c) {
            open.push(c);
        } else if is_han(c) || out.is_empty() {
            out.push(std::mem::take(&mut open) + &c.to_string());
        } else {
            out.last_mut().expect("not empty").push(c);
        }
    }
    if !open.is_empty() {
        out.push(open);
    }
    out.into_iter().map(|s| Tok::new(face, s)).collect()
}

fn line_width(line: &[Tok]) -> f32 {
    match line.split_last() {
        Some((last, rest)) => rest.iter().map(|t| t.w).sum::<f32>() + last.trim_w,
        None => 0.0,
    }
}

/// Wrap measured tokens at `size` into lines no wider than `max_w` px: greedy, a word wider
/// than a line split per character (Latin words never: the caller shrinks instead), then the
/// last line rebalanced so it is not a single character when the line before can spare a
/// token. Returns the lines (trailing spaces trimmed) and their widths in px.
pub(super) fn wrap_tokens(face: Face, toks: &[Tok], size: f32, max_w: f32) -> (Vec<String>, Vec<f32>) {
    let mut lines: Vec<Vec<Tok>> = Vec::new();
    let mut line: Vec<Tok> = Vec::new();
    let mut paragraph_start = 0;
    let mut queue: std::collections::VecDeque<Tok> = toks.iter().cloned().collect();
    while let Some(t) = queue.pop_front() {
        if t.text == "\n" {
            lines.push(std::mem::take(&mut line));
            rebalance(&mut lines[paragraph_start..], size, max_w);
            paragraph_start = lines.len();
            continue;
        }
        if line.is_empty() && t.text.trim().is_empty() {
            continue; // no line starts with a space
        }
        let fits = (line.iter().map(|t| t.w).sum::<f32>() + t.trim_w) * size <= max_w;
        if fits {
            line.push(t);
            continue;
        }
        if t.splittable() && t.trim_w * size > max_w {
            // a word wider than a whole line: per character, starting on this line
            for (i, c) in split_chars(face, &t).into_iter().enumerate() {
                queue.insert(i, c);
            }
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if t.text.trim().is_empty() {
            continue;
        }
        line.push(t);
    }
    if line.iter().any(|t| !t.text.trim().is_empty()) {
        lines.push(line);
    }
    let start = paragraph_start.min(lines.len());
    rebalance(&mut lines[start..], size, max_w);
    let widths = lines.iter().map(|l| line_width(l) * size).collect();
    let text = lines.iter().map(|l| l.iter().map(|t| t.text.as_str()).collect::<String>().trim_end().to_string()).collect();
    (text, widths)
}

/// Avoid a last line of one visible character: move the previous line's last token down
/// while that keeps the previous line non-empty and the last line within `max_w`.
fn rebalance(lines: &mut [Vec<Tok>], size: f32, max_w: f32) {
    let n = lines.len();
    if n < 2 {
        return;
    }
    while lines[n - 1].iter().map(Tok::visible).sum::<usize>() == 1 && lines[n - 2].len() > 1 {
        let moved = lines[n - 2].last().expect("len > 1").clone();
        let mut candidate = vec![moved];
        candidate.extend(lines[n - 1].iter().cloned());
        if line_width(&candidate) * size > max_w {
            return;
        }
        lines[n - 2].pop();
        lines[n - 1] = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(size: f32, s: &str, max_w: f32) -> Vec<String> {
        wrap_tokens(Face::SansBold, &measured_tokens(Face::SansBold, s), size, max_w).0
    }

    #[test]
    fn chinese_breaks_between_jieba_words() {
        let t = tokens("双十一狂欢节限时特惠");
        assert_eq!(t.concat(), "双十一狂欢节限时特惠");
        assert!(t.iter().any(|w| w.contains("狂欢")), "狂欢 is one word: {t:?}");
        // widths from 3 to 9 characters: 狂 and 欢 always share a line
        for chars in 3..=9 {
            let lines = wrap(20.0, "双十一狂欢节限时特惠", chars as f32 * 20.0 + 1.0);
            assert_eq!(lines.concat(), "双十一狂欢节限时特惠");
            assert!(lines.iter().all(|l| !l.ends_with('狂') && !l.starts_with('欢')), "{chars}: {lines:?}");
        }
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
        let s = "新品上架，限时八五折！《沃提克》耳机（专业版）立即抢购。";
        for chars in 2..=12 {
            let lines = wrap(20.0, s, chars as f32 * 20.0 + 1.0);
            assert_eq!(lines.concat(), s, "no character lost");
            for l in &lines {
                let (first, last) = (l.chars().next().unwrap(), l.chars().last().unwrap());
                assert!(!no_line_start(first), "{chars}: line starts with {first}: {lines:?}");
                assert!(!no_line_end(last), "{chars}: line ends with {last}: {lines:?}");
            }
        }
    }

    #[test]
    fn a_single_character_last_line_is_avoided() {
        // 9 characters at a width of 8: greedy leaves one alone on the last line
        let s = "限时特惠立即抢购吧";
        let lines = wrap(20.0, s, 8.0 * 20.0 + 1.0);
        assert_eq!(lines.concat(), s);
        assert!(lines.len() == 2 && lines[1].chars().count() > 1, "{lines:?}");
        let lines = wrap(20.0, "好物推荐。", 4.0 * 20.0 + 1.0);
        assert!(lines.last().unwrap().chars().filter(|c| c.is_alphanumeric()).count() > 1 || lines.len() == 1, "{lines:?}");
    }

    #[test]
    fn words_wider_than_a_line_are_split_per_character_and_latin_words_never() {
        let lines = wrap(20.0, "扫地机器人", 2.0 * 20.0 + 1.0);
        assert_eq!(lines.concat(), "扫地机器人");
        assert!(lines.iter().all(|l| l.chars().count() <= 2), "{lines:?}");
        let lines = wrap(20.0, "Voltix earbuds 沃提克耳机", 80.0);
        assert!(lines.iter().any(|l| l.contains("Voltix")) && lines.iter().any(|l| l.contains("earbuds")), "{lines:?}");
    }

    #[test]
    fn tokens_keep_latin_words_and_forced_breaks() {
        assert_eq!(tokens("Shop now"), vec!["Shop ", "now"]);
        assert_eq!(tokens("a\nb"), vec!["a", "\n", "b"]);
        assert_eq!(tokens("好物，本周").concat(), "好物，本周");
        assert!(tokens("好物，本周").iter().all(|t| !t.starts_with('，')));
    }
}
