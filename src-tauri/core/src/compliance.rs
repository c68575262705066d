//! The compliance checker, an approval gate for ad copy: rules as data (id, severity,
//! explanation in en and zh), each finding with the field, the exact character span and a
//! suggested fix.
//!
//! Rule sets:
//! - **China Advertising Law art. 9(3)**: no absolute terms (国家级, 最高级, 最佳, 第一, 唯一, 顶级,
//!   首选, 极品, …). Context-aware: 最 and 第一 are flagged only where they make a claim — 最近,
//!   最新款, 最后, 第一次 and similar ordinary words pass.
//! - **Google Ads editorial**: no "!" in a headline, at most one "!" per ad, no repeated
//!   punctuation, no gimmicky capitalisation (FREE; acronyms such as USB pass), no emoji or
//!   decorative symbols.
//! - **Meta personal attributes**: copy must not assert or imply the viewer's health, weight,
//!   finances, age, relationship status or similar ("Are you overweight?", "你是不是负债了").
//!
//! - **Unsupported claims** (`unsupported-claim`, [`check_with`]): price, novelty, popularity,
//!   cart and stock claims in either language are blocked unless the [`ClaimContext`] says the
//!   campaign's promotion or the data backs them (phrase lists in `compliance/claims.rs`).
//!
//! [`check`] applies the rules that need no context (it also cleans catalog names and
//! keywords); the approval gate, the editor and the generator use [`check_with`].
//! The copy linter ([`lint`]) keeps its rules as data beside these.
//!
//! Spans are in characters (Unicode scalar values) of the field's text, `start..end`.

use serde::Serialize;

use fix::{push, Fix};

mod claims;
mod fix;
pub mod lint;

pub use claims::ClaimContext;

/// How bad a finding is: errors block approval (unless a reviewer overrides with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Which text of an ad a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Headline,
    LongHeadline,
    Description,
    PrimaryText,
    Cta,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 5] = [Field::Headline, Field::LongHeadline, Field::Description, Field::PrimaryText, Field::Cta];

    /// The serialised (snake_case) name, also the window's `copyfield.{name}` label.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Headline => "headline",
            Field::LongHeadline => "long_headline",
            Field::Description => "description",
            Field::PrimaryText => "primary_text",
            Field::Cta => "cta",
        }
    }
}

/// One rule, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub source: &'static str,
    pub explanation_en: &'static str,
    pub explanation_zh: &'static str,
}

/// Every rule the checker applies.
pub const RULES: [Rule; 8] = [
    Rule {
        id: "cn-ad-law-9-absolute",
        severity: Severity::Error,
        source: "中华人民共和国广告法 第九条第（三）项",
        explanation_en: "Chinese advertising law forbids absolute terms such as 'national-level', 'best', 'No. 1' or 'only'.",
        explanation_zh: "广告不得使用“国家级”“最高级”“最佳”等用语。",
    },
    Rule {
        id: "google-headline-exclamation",
        severity: Severity::Error,
        source: "Google Ads editorial: punctuation",
        explanation_en: "Headlines may not contain an exclamation mark.",
        explanation_zh: "标题中不得使用感叹号。",
    },
    Rule {
        id: "google-one-exclamation",
        severity: Severity::Error,
        source: "Google Ads editorial: punctuation",
        explanation_en: "An ad may contain at most one exclamation mark.",
        explanation_zh: "整条广告最多使用一个感叹号。",
    },
    Rule {
        id: "google-repeated-punctuation",
        severity: Severity::Error,
        source: "Google Ads editorial: punctuation and symbols",
        explanation_en: "Punctuation may not be repeated for emphasis (!!, ??, ,,).",
        explanation_zh: "不得重复使用标点符号来强调（如！！、？？）。",
    },
    Rule {
        id: "google-gimmicky-caps",
        severity: Severity::Error,
        source: "Google Ads editorial: capitalisation",
        explanation_en: "Words may not be written in capitals for emphasis (FREE); acronyms are fine.",
        explanation_zh: "不得为强调而全部大写英文单词（如 FREE），缩写除外。",
    },
    Rule {
        id: "google-symbols",
        severity: Severity::Error,
        source: "Google Ads editorial: symbols",
        explanation_en: "Emoji and decorative symbols may not be used in ad text.",
        explanation_zh: "广告文字中不得使用表情符号或装饰性符号。",
    },
    Rule {
        id: "meta-personal-attributes",
        severity: Severity::Error,
        source: "Meta advertising standards: personal attributes",
        explanation_en: "Ads may not assert or imply the viewer's health, weight, finances, age, relationship status or similar attributes.",
        explanation_zh: "广告不得断言或暗示受众的健康、体重、财务、年龄、婚恋状况等个人特征。",
    },
    Rule {
        id: "unsupported-claim",
        severity: Severity::Error,
        source: "China Advertising Law art. 4 and 28 (false advertising); Google and Meta misrepresentation policies",
        explanation_en:
            "Price, discount, novelty, popularity, cart and stock claims need backing: a promotion entered for the campaign, or the data (first-seen date, recent buyers, a cart audience).",
        explanation_zh: "价格、折扣、新品、热销、购物车和库存等说法必须有依据：活动中录入的促销，或数据（首次出现日期、近期购买人数、加购人群）。",
    },
];

/// One problem in one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub field: Field,
    /// Character span `start..end` in the field's text.
    pub start: u32,
    pub end: u32,
    /// The offending text (the span's characters).
    pub text: String,
    /// What to write instead, or what to do, for people to read (the editor shows it).
    pub suggestion: Option<String>,
    /// What the one-click fix puts in the span's place: the suggestion when it is replacement
    /// text, `""` (remove the span) when it is advice.
    pub replacement: Option<String>,
}

/// The rule with `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Check every field of one ad against the rules that need no context (every rule but
/// `unsupported-claim`); findings in field order, then by position.
pub fn check(fields: &[(Field, &str)]) -> Vec<Finding> {
    check_inner(fields, None)
}

/// Check every field of one ad against every rule, claims judged by `ctx`: the approval
/// gate, the editor's live check and the generator's filter. Findings in field order, then
/// by position.
pub fn check_with(fields: &[(Field, &str)], ctx: &ClaimContext) -> Vec<Finding> {
    check_inner(fields, Some(ctx))
}

fn check_inner(fields: &[(Field, &str)], ctx: Option<&ClaimContext>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut exclamations = 0;
    for &(field, text) in fields {
        let chars: Vec<char> = text.chars().collect();
        absolute_terms(field, &chars, &mut out);
        punctuation(field, &chars, &mut out, &mut exclamations);
        capitals(field, &chars, &mut out);
        symbols(field, &chars, &mut out);
        personal_attributes(field, &chars, &mut out);
        if let Some(ctx) = ctx {
            claims::unsupported(field, &chars, ctx, &mut out);
        }
    }
    out.sort_by_key(|f| (fields.iter().position(|x| x.0 == f.field), f.start, f.end));
    out
}

/// Whether any finding blocks approval.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Whether `word` occurs in `chars` at `at` (no allocation: it runs for every term at every
/// position of every text checked).
fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    let mut rest = chars.get(at..).unwrap_or(&[]).iter();
    word.chars().all(|w| rest.next() == Some(&w))
}

/// Absolute terms that are claims wherever they appear, with a neutral replacement.
const ABSOLUTE: [(&str, &str); 16] = [
    ("国家级", "（删除，或注明可核实的认证名称）"),
    ("世界级", "高水准"),
    ("最高级", "高级"),
    ("全网最低", "超值"),
    ("史上最", "（删除）"),
    ("独一无二", "独特"),
    ("绝无仅有", "少见"),
    ("唯一", "专属"),
    ("顶级", "高品质"),
    ("首选", "推荐"),
    ("极品", "精品"),
    ("万能", "多用途"),
    ("绝对", "（删除）"),
    ("第一品牌", "（删除，或注明可核实的来源）"),
    ("王牌", "主打"),
    ("NO.1", "（删除，或注明可核实的来源）"),
];

/// 最 followed by these is an ordinary word, not a claim.
const ZUI_ORDINARY: [&str; 9] = ["最近", "最新款", "最新上市", "最后", "最终", "最初", "最少", "最多", "最早"];
/// 第一 followed by these is an ordinal ("the first time"), not a ranking.
const DIYI_ORDINARY: [char; 14] = ['次', '步', '天', '件', '个', '单', '批', '季', '期', '时', '眼', '口', '站', '波'];

fn absolute_terms(field: Field, chars: &[char], out: &mut Vec<Finding>) {
    let upper: Vec<char> = chars.iter().map(|c| c.to_ascii_uppercase()).collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(term, fix)) = ABSOLUTE.iter().find(|(t, _)| starts_with(if t.is_ascii() { &upper } else { chars }, i, t)) {
            let n = term.chars().count();
            push(out, "cn-ad-law-9-absolute", field, chars, i, i + n, Fix::of(fix));
            i += n;
            continue;
        }
        if chars[i] == '最' {
            if ZUI_ORDINARY.iter().any(|w| starts_with(chars, i, w)) {
                i += 2;
                continue;
            }
            // 最 + the word it intensifies (up to 3 Han characters): 最佳, 最便宜, 最低价.
            let end = (i + 1..chars.len().min(i + 4)).take_while(|&j| is_han(chars[j])).last().map_or(i + 1, |j| j + 1);
            let claim: String = chars[i..end].iter().collect();
            let fix = match claim.as_str() {
                c if c.starts_with("最佳") || c.starts_with("最好") || c.starts_with("最优") => "优质",
                c if c.starts_with("最低") || c.starts_with("最便宜") => "实惠",
                c if c.starts_with("最新") => "新",
                _ => "（删除最高级用语）",
            };
            push(out, "cn-ad-law-9-absolute", field, chars, i, end.max(i + 2).min(chars.len()), Fix::of(fix));
            i = end.max(i + 1);
            continue;
        }
        if starts_with(chars, i, "第一") && !chars.get(i + 2).is_some_and(|c| DIYI_ORDINARY.contains(c)) {
            push(out, "cn-ad-law-9-absolute", field, chars, i, i + 2, Fix::Advise("（删除，或注明可核实的来源）".into()));
            i += 2;
            continue;
        }
        i += 1;
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

fn punctuation(field: Field, chars: &[char], out: &mut Vec<Finding>, exclamations: &mut usize) {
    for (i, &c) in chars.iter().enumerate() {
        if c == '!' || c == '！' {
            *exclamations += 1;
            if matches!(field, Field::Headline | Field::LongHeadline) {
                push(out, "google-headline-exclamation", field, chars, i, i + 1, Fix::Replace(if c == '!' { "." } else { "。" }.into()));
            } else if *exclamations > 1 {
                push(out, "google-one-exclamation", field, chars, i, i + 1, Fix::Replace(if c == '!' { "." } else { "。" }.into()));
            }
        }
    }
    let punct = |c: char| "!?.,;:！？。，；：、".contains(c);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        // "..." is an ellipsis, not emphasis.
        if punct(c) && run >= 2 && !(c == '.' && run == 3) {
            push(out, "google-repeated-punctuation", field, chars, i, i + run, Fix::Replace(c.to_string()));
        }
        i += run.max(1);
    }
}

/// Capitalised words that are acronyms or units, not emphasis.
const ACRONYMS: [&str; 24] = ["USB", "LED", "OLED", "HDMI", "WIFI", "NFC", "GPS", "CPU", "GPU", "RAM", "SSD", "HD", "UHD", "4K", "8K", "AI", "VIP", "SPF", "UV", "CBD", "DIY", "NBA", "OK", "XL"];

fn capitals(field: Field, chars: &[char], out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let end = (i..chars.len()).find(|&j| !chars[j].is_ascii_alphanumeric()).unwrap_or(chars.len());
        let word: String = chars[i..end].iter().collect();
        let letters = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
        let all_caps = letters >= 2 && word.chars().all(|c| !c.is_ascii_lowercase());
        if all_caps && letters >= 4 && !ACRONYMS.contains(&word.as_str()) {
            let mut fixed = word.to_ascii_lowercase();
            if let Some(f) = fixed.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            push(out, "google-gimmicky-caps", field, chars, i, end, Fix::Replace(fixed));
        }
        i = end;
    }
}

fn symbols(field: Field, chars: &[char], out: &mut Vec<Finding>) {
    for (i, &c) in chars.iter().enumerate() {
        let u = c as u32;
        let decorative = (0x1F000..=0x1FAFF).contains(&u) // emoji, pictographs
            || (0x2600..=0x27BF).contains(&u) // misc symbols, dingbats (★ ✔ ❤)
            || (0x2190..=0x21FF).contains(&u) // arrows
            || (0x25A0..=0x25FF).contains(&u) // geometric shapes (■ ●)
            || (0x2B00..=0x2BFF).contains(&u)
            || u == 0xFE0F;
        if decorative {
            push(out, "google-symbols", field, chars, i, i + 1, Fix::Replace(String::new()));
        }
    }
}

/// Phrases that assert a personal attribute of the viewer (lower-case English, or Chinese).
const PERSONAL: [&str; 32] = [
    "are you overweight",
    "are you fat",
    "are you obese",
    "are you depressed",
    "are you diabetic",
    "are you pregnant",
    "are you in debt",
    "are you broke",
    "are you single",
    "are you divorced",
    "are you over 50",
    "are you over 40",
    "are you lonely",
    "are you losing your hair",
    "you're overweight",
    "you are overweight",
    "your debt",
    "your diabetes",
    "your weight problem",
    "your bad credit",
    "your illness",
    "your depression",
    "你是不是胖",
    "你胖",
    "你是否肥胖",
    "你负债",
    "你是不是负债",
    "你缺钱",
    "你单身",
    "你是不是单身",
    "你的体重问题",
    "你的债务",
];

fn personal_attributes(field: Field, chars: &[char], out: &mut Vec<Finding>) {
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut i = 0;
    while i < lower.len() {
        match PERSONAL.iter().find(|p| starts_with(&lower, i, p) && (!p.is_ascii() || i == 0 || !lower[i - 1].is_ascii_alphanumeric())) {
            Some(p) => {
                let n = p.chars().count();
                push(out, "meta-personal-attributes", field, chars, i, i + n, Fix::Advise("talk about the product, not the viewer (e.g. 'Light, breathable running shoes')".into()));
                i += n;
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests;
