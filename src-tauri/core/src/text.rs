//! Text facts every stage shares: the copy language ([`Lang`]) and display width ([`width`],
//! CJK and full-width characters count 2). A leaf: it depends on no other module of the core,
//! so segments, placements, copy and campaigns can all use it without depending on each other.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Copy language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parse `zh-CN`/`zh` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    /// The BCP-47 tag stored with variants.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// Display width: CJK and full-width characters count 2, others 1.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Width of one character (see [`width`]).
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    if WIDE_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&u)) {
        2
    } else {
        1
    }
}

/// The code point ranges (inclusive) whose characters count 2 width units: Hangul Jamo, CJK
/// and Yi, Hangul syllables, CJK compatibility ideographs and forms, full-width forms. The
/// window counts nothing itself: its counters are the core's (`check_campaign`, `lint_copy`).
pub const WIDE_RANGES: [(u32, u32); 7] = [(0x1100, 0x115F), (0x2E80, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6)];

/// The jieba segmenter (default dictionary), loaded once and shared by every stage that cuts
/// Chinese into words (keywords, banner line breaking): the dictionary takes a moment to load.
pub fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The words of a Chinese text in order (jieba, HMM on, so unknown names stay whole); the
/// words concatenate back to `text`.
pub fn words_zh(text: &str) -> Vec<&str> {
    jieba().cut(text, true).into_iter().map(|t| t.word).collect()
}
