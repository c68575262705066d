//! The copy linter: would a copywriter sign this set? Rules as data ([`LINT_RULES`] and the
//! phrase lists below), beside the compliance rules. Unlike compliance findings these are
//! craft problems, not legal ones; the test suite runs the linter over every set the
//! generator writes for the demo store and two stores built from the fixtures' real data.
//!
//! Rules: `internal-label` (a segment name or another internal label in the copy),
//! `meta-opener` and `filler` (words about the text rather than the product),
//! `foreign-keyword` (a Latin word in a Chinese headline that is not a brand or product name),
//! `keyword-stuffing` (title keywords strung into a list), `repeated-sentence` (one sentence
//! in two fields of a set), `grammar` (English: "is" after a plural, "a"/"an", double spaces,
//! doubled words) and `capitalisation` (English headlines in sentence case, as Google and
//! Meta recommend).

use super::{starts_with, Field};

/// One lint rule, as data.
#[derive(Debug, Clone, PartialEq)]
pub struct LintRule {
    pub id: &'static str,
    pub explanation: &'static str,
}

/// Every rule of the linter.
pub const LINT_RULES: [LintRule; 8] = [
    LintRule { id: "internal-label", explanation: "Internal labels (segment names, profile labels, placeholder categories) never reach an ad." },
    LintRule { id: "meta-opener", explanation: "No opener that talks about the text itself (\"In short:\", \"一句话介绍：\")." },
    LintRule { id: "filler", explanation: "No filler phrases that say nothing about the product." },
    LintRule { id: "foreign-keyword", explanation: "A Chinese headline holds no Latin word unless it is a brand or product name." },
    LintRule { id: "keyword-stuffing", explanation: "Title keywords are not strung into lists (\"Fryer, air and more\")." },
    LintRule { id: "repeated-sentence", explanation: "No sentence appears in two fields of one set." },
    LintRule { id: "grammar", explanation: "English grammar: number agreement, a/an, no double spaces or doubled words." },
    LintRule { id: "capitalisation", explanation: "English headlines in sentence case: only the first word, names and acronyms capitalised." },
];

/// Openers that talk about the text (matched at the start of a field, lower case).
const META_OPENERS: [&str; 10] = ["in short", "good to know", "to sum up", "in a nutshell", "here's the thing", "fyi", "简单说", "一句话介绍", "总之", "简而言之"];
/// Filler anywhere in a field (lower case).
const FILLER: [&str; 10] = ["say no more", "explained", "needless to say", "basically", "let's be honest", "and more", "一句话介绍", "简单说", "说白了", "一步到位"];
/// Category labels that stand for "no category" in the catalog: internal, never copy.
const PLACEHOLDER_LABELS: [&str; 3] = ["unknown", "未分类", "n/a"];
/// English words after which a capital is fine (sentence starts follow these).
const SENTENCE_ENDS: [char; 3] = ['.', '?', '!'];
/// Proper nouns that keep their capital mid-sentence (months and days, as `Offer::until` writes them).
const PROPER: [&str; 19] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// Plural-looking words that are singular (and plural nouns are rarely these).
const NOT_PLURAL: [&str; 12] = ["this", "its", "his", "us", "plus", "yes", "always", "perhaps", "less", "news", "series", "business"];

/// What the linter needs besides the text.
#[derive(Debug, Clone, Default)]
pub struct LintContext {
    /// Labels that must not appear (segment names in both languages, profile labels).
    pub labels: Vec<String>,
    /// Names whose words may appear anywhere as written (product name, brand, business name).
    pub names: Vec<String>,
    /// The set's title keywords.
    pub keywords: Vec<String>,
    /// Whether the set is Chinese.
    pub zh: bool,
}

/// One lint finding: rule, field and the offending text.
#[derive(Debug, Clone, PartialEq)]
pub struct LintFinding {
    pub rule: &'static str,
    pub field: Field,
    pub text: String,
}

/// Lint every field of one copy set.
pub fn lint(fields: &[(Field, &str)], ctx: &LintContext) -> Vec<LintFinding> {
    let mut out = Vec::new();
    let mut hit = |rule: &'static str, field: Field, text: &str| out.push(LintFinding { rule, field, text: text.to_string() });
    for &(field, text) in fields {
        let lower = text.to_lowercase();
        let in_name = |w: &str| ctx.names.iter().any(|n| n.to_lowercase().contains(&w.to_lowercase()));
        for label in ctx.labels.iter().map(|l| l.as_str()).chain(PLACEHOLDER_LABELS) {
            if !label.trim().is_empty() && contains_word(&lower, &label.to_lowercase()) && !in_name(label) {
                hit("internal-label", field, label);
            }
        }
        if let Some(m) = META_OPENERS.iter().find(|m| lower.trim_start().starts_with(*m)) {
            hit("meta-opener", field, m);
        }
        for f in FILLER.iter().filter(|f| contains_word(&lower, f)) {
            hit("filler", field, f);
        }
        if ctx.zh && matches!(field, Field::Headline | Field::LongHeadline) {
            for w in latin_words(text).into_iter().filter(|w| !in_name(w) && !w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())) {
                hit("foreign-keyword", field, w);
            }
        }
        for a in &ctx.keywords {
            for b in ctx.keywords.iter().filter(|b| *b != a) {
                for sep in [", ", "、", " and ", "和"] {
                    let list = format!("{a}{sep}{b}").to_lowercase();
                    if lower.contains(&list) && !in_name(&list) {
                        hit("keyword-stuffing", field, &list);
                    }
                }
            }
        }
        if !ctx.zh {
            grammar(field, text, &mut hit);
            if matches!(field, Field::Headline | Field::LongHeadline) {
                capitals(field, text, &in_name, &mut hit);
            }
        }
    }
    repeated(fields, &mut hit);
    out
}

/// Whether `needle` occurs in `hay` at word boundaries (Latin) or anywhere (CJK).
fn contains_word(hay: &str, needle: &str) -> bool {
    let h: Vec<char> = hay.chars().collect();
    let latin = needle.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let n = needle.chars().count();
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() && c.is_ascii());
    (0..h.len()).any(|i| starts_with(&h, i, needle) && (!latin || (!word(i.checked_sub(1).and_then(|j| h.get(j))) && !word(h.get(i + n)))))
}

/// The Latin words of a text (runs of letters; digits and other scripts end a word).
fn latin_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '-')).filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())).collect()
}

fn grammar(field: Field, text: &str, hit: &mut impl FnMut(&'static str, Field, &str)) {
    if text.contains("  ") {
        hit("grammar", field, "double space");
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        let (a, b) = (pair[0].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase(), pair[1].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
        let a_ends = pair[0].ends_with(|c: char| c.is_alphanumeric());
        if !a.is_empty() && a == b && a_ends {
            hit("grammar", field, &format!("{} {}", pair[0], pair[1]));
        }
        if a_ends && (b == "is" || b == "was" || b == "has") && a.len() > 3 && a.ends_with('s') && !a.ends_with("ss") && !a.ends_with("us") && !a.ends_with("is") && !NOT_PLURAL.contains(&a.as_str()) {
            hit("grammar", field, &format!("{} {}", pair[0], pair[1]));
        }
        // Acronyms are read letter by letter ("a USB cable", "an LED"): left alone.
        let acronym = pair[1].chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
        let vowel = b.starts_with(['a', 'e', 'i', 'o']) || (b.starts_with('u') && !b.starts_with("uni") && !b.starts_with("use") && !b.starts_with("usu"));
        let silent_h = ["hour", "honest", "honour", "heir"].iter().any(|h| b.starts_with(h));
        if a == "a" && a_ends && !acronym && (vowel || silent_h) && b.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            hit("grammar", field, &format!("{} {}", pair[0], pair[1]));
        }
        if a == "an" && a_ends && !acronym && !(vowel || silent_h) && b.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            hit("grammar", field, &format!("{} {}", pair[0], pair[1]));
        }
    }
}

fn capitals(field: Field, text: &str, in_name: &impl Fn(&str) -> bool, hit: &mut impl FnMut(&'static str, Field, &str)) {
    let mut first = true;
    for raw in text.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let initial = w.chars().next();
        if first {
            if initial.is_some_and(|c| c.is_lowercase()) && !in_name(w) {
                hit("capitalisation", field, w);
            }
        } else if initial.is_some_and(|c| c.is_uppercase()) && w.chars().skip(1).any(|c| c.is_lowercase()) && !in_name(w) && w != "I" && !PROPER.contains(&w) {
            hit("capitalisation", field, w);
        }
        first = raw.ends_with(SENTENCE_ENDS);
    }
}

/// Sentences of a field: split after . ! ? 。！？ (a headline is one sentence), trimmed of
/// trailing punctuation, lower-cased; very short ones ("Hi.") are ignored.
fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive(['.', '!', '?', '。', '！', '？'])
        .map(|s| s.trim().trim_end_matches(['.', '!', '?', '。', '！', '？', '，', ',', ':', '：']).trim().to_lowercase())
        .filter(|s| s.chars().filter(|c| c.is_alphanumeric()).count() >= 4)
        .collect()
}

fn repeated(fields: &[(Field, &str)], hit: &mut impl FnMut(&'static str, Field, &str)) {
    for (i, &(fa, ta)) in fields.iter().enumerate() {
        for &(fb, tb) in &fields[i + 1..] {
            let sb = sentences(tb);
            for s in sentences(ta).into_iter().filter(|s| sb.contains(s)) {
                hit("repeated-sentence", fb, &format!("{s} (also in the {fa:?})"));
            }
        }
    }
}

#[cfg(test)]
mod tests;
