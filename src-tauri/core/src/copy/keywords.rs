//! Keywords of a product title: Chinese via jieba-rs TF-IDF, English via stop-word-filtered
//! words ranked head-noun first.

use std::sync::OnceLock;

use jieba_rs::{KeywordExtract, KeywordExtractConfig, TfIdf};

use super::Lang;
use crate::compliance::{self, Field};

/// English words that say nothing about the product (function words, edition and marketing
/// filler). Lower case.
const EN_STOP: [&str; 48] = [
    "a", "an", "the", "and", "or", "with", "without", "for", "of", "in", "on", "at", "by", "to", "from", "into", "your", "you", "our", "my", "its", "new", "pro", "plus", "max", "mini", "lite", "set",
    "pack", "pcs", "piece", "edition", "series", "version", "model", "style", "size", "best", "top", "hot", "sale", "free", "official", "original", "genuine", "latest", "ultra", "inch",
];

/// Words that split an English title into phrases; the first phrase names the product.
const EN_CONNECTORS: [&str; 8] = ["with", "for", "and", "in", "of", "by", "plus", "featuring"];

/// Chinese title filler that TF-IDF would otherwise rank high.
const ZH_STOP: [&str; 16] = ["新款", "正品", "官方", "旗舰", "旗舰店", "包邮", "同款", "升级版", "专业版", "系列", "款式", "热卖", "促销", "特价", "现货", "官网"];

/// Keywords of a product title, most important first, at most `k`, lower-cased (English).
///
/// Chinese (`Lang::Zh`): jieba-rs TF-IDF over the title (HMM on, so unknown brand names stay
/// whole), minus title filler (新款, 正品, …). English: the words minus stop words, ranked
/// head noun first — the phrase before "with/for/…" right to left (in "wireless earbuds" the
/// noun comes last), then the following phrases the same way; capitalised names (brands,
/// models) go last when the title is otherwise lower case; words with digits are dropped.
/// Words that would break an ad rule (absolute terms, …) are never returned. Deterministic.
pub fn keywords(title: &str, lang: Lang, k: usize) -> Vec<String> {
    if k == 0 {
        return Vec::new();
    }
    let words = match lang {
        Lang::Zh => chinese(title),
        Lang::En => english(title),
    };
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let clean = compliance::check(&[(Field::Description, &w)]).is_empty();
        if clean && !out.contains(&w) {
            out.push(w);
        }
        if out.len() == k {
            break;
        }
    }
    out
}

/// The TF-IDF extractor (over the shared [`crate::text::jieba`] segmenter), loaded once.
fn tfidf() -> &'static TfIdf {
    static TFIDF: OnceLock<TfIdf> = OnceLock::new();
    TFIDF.get_or_init(|| {
        let mut tfidf = TfIdf::default();
        *tfidf.config_mut() = KeywordExtractConfig::builder().use_hmm(true).build();
        tfidf
    })
}

/// The words of a Chinese text in order (jieba, HMM on), for cutting at word boundaries.
pub(super) fn words_zh(text: &str) -> Vec<&str> {
    crate::text::words_zh(text)
}

fn chinese(title: &str) -> Vec<String> {
    tfidf()
        .extract_keywords(crate::text::jieba(), title, 32, Vec::new())
        .into_iter()
        .map(|kw| kw.keyword)
        .filter(|w| !ZH_STOP.contains(&w.as_str()) && w.chars().any(char::is_alphabetic) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.to_lowercase())
        .collect()
}

fn english(title: &str) -> Vec<String> {
    // Phrases: split at punctuation and connector words.
    let mut phrases: Vec<Vec<&str>> = vec![Vec::new()];
    for piece in title.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let word = piece.trim_matches(|c: char| !c.is_alphanumeric());
        let ends_phrase = piece.ends_with([',', ';', ':', '(', ')', '/', '|', '–', '—', '+', '&']);
        if EN_CONNECTORS.contains(&word.to_lowercase().as_str()) {
            phrases.push(Vec::new());
        } else if !word.is_empty() {
            phrases.last_mut().expect("never empty").push(word);
        }
        if ends_phrase {
            phrases.push(Vec::new());
        }
    }
    let proper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let has_lower_word = phrases.iter().flatten().any(|w| w.chars().next().is_some_and(char::is_lowercase));
    let mut ranked: Vec<(bool, String)> = Vec::new();
    for phrase in &phrases {
        for w in phrase.iter().rev() {
            let lower = w.to_lowercase();
            if lower.chars().count() < 3 || lower.chars().any(|c| c.is_ascii_digit()) || EN_STOP.contains(&lower.as_str()) {
                continue;
            }
            ranked.push((has_lower_word && proper(w), lower));
        }
    }
    // Stable: names last, everything else in head-noun order.
    ranked.sort_by_key(|(demoted, _)| *demoted);
    ranked.into_iter().map(|(_, w)| w).collect()
}

/// The head noun phrase of an English title, lower case, for templates that name what the
/// product is: the first phrase (before "with/for/…" or punctuation) without the brand, stop
/// words and words with digits, its last three words at most ("Voltix Wireless Earbuds Pro 2"
/// → "wireless earbuds", "Air Fryer 5L" → "air fryer"). Empty when nothing is left or a word
/// would break an ad rule.
pub(super) fn head_phrase(title: &str, brand: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for piece in title.split_inclusive(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let word = piece.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = word.to_lowercase();
        if EN_CONNECTORS.contains(&lower.as_str()) {
            break;
        }
        let keep = !word.is_empty() && !lower.eq_ignore_ascii_case(brand) && !EN_STOP.contains(&lower.as_str()) && !lower.chars().any(|c| c.is_ascii_digit()) && lower.chars().any(char::is_alphabetic);
        if keep {
            words.push(lower);
        }
        if piece.ends_with([',', ';', ':', '(', ')', '/', '|', '–', '—', '+', '&']) && !words.is_empty() {
            break;
        }
    }
    let start = words.len().saturating_sub(3);
    let phrase = words[start..].join(" ");
    if compliance::check(&[(Field::Description, &phrase)]).is_empty() {
        phrase
    } else {
        String::new()
    }
}
