//! Why a copy set is as it is, one decision per [`Reason`]: a message key with its parameters,
//! which the window shows in the user's language, and the English sentence the CLI, the
//! exports and the logs show.
//!
//! The English wording lives here once, as templates ([`TEMPLATES`]); the window's English
//! dictionary must carry the same texts and its Chinese one a translation of each (the test
//! `messages::every_core_message_key_has_a_chinese_and_an_english_text` and
//! `english_dictionary_matches_the_templates` hold them to it). Parameter values are data
//! (numbers, dates, names as written) except those named in [`LABELLED`], which are
//! identifiers the window names in its language (a category key, a tone, a copy field).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One reason: `key` (one of [`TEMPLATES`]), `params`, and `text`, the English sentence.
///
/// Stored as JSON in `variants.reasons`; rows written before reasons were keyed hold plain
/// strings, which read back as [`LEGACY`] reasons (the text is shown as it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reason {
    pub key: String,
    pub params: BTreeMap<String, String>,
    pub text: String,
}

/// The key of a reason stored as a plain English sentence (before reasons were keyed).
pub const LEGACY: &str = "reason.text";

/// Parameters whose values are identifiers, with the label prefix the window translates them
/// by (`category.electronics`, `tone.playful`, `copyfield.headline`, `layer.cta`, …). A
/// parameter whose name ends in `s` and whose prefix is listed holds a comma-separated list.
pub const LABELLED: &[(&str, &str)] = &[("category", "category"), ("tone", "tone"), ("goal", "goal"), ("field", "copyfield"), ("fields", "copyfield"), ("layers", "layer")];

/// The copy fields a `field`/`fields` parameter can name (labels `copyfield.*`).
pub const FIELDS: &[&str] = &["headline", "long_headline", "description", "primary_text", "product_name", "brand", "business_name"];

/// Every reason key with its English template (`{name}` is replaced by the parameter).
pub const TEMPLATES: &[(&str, &str)] = &[
    (LEGACY, "{text}"),
    ("reason.discount.price_sensitive", "price-sensitive segment (price index {index}) → discount framing; campaign promotion {off} off, {from} to {to}: price {was} → {now}"),
    ("reason.discount.mid", "mid-price segment (price index {index}) → the promotion as a supporting offer; campaign promotion {off} off, {from} to {to}: price {was} → {now}"),
    ("reason.discount.premium", "premium segment (price index {index}) → the promotion only as an alternative; campaign promotion {off} off, {from} to {to}: price {was} → {now}"),
    ("reason.quality.premium", "premium segment (price index {index}) → quality framing, no discount"),
    ("reason.quality.mid", "mid-price segment (price index {index}) → quality framing, no discount"),
    ("reason.quality.price_sensitive", "price-sensitive segment (price index {index}) → quality framing only as an alternative to discounts"),
    ("reason.welcome_back", "segment inactive for {days} days on average (lapsed: 21–180) → welcome-back framing"),
    ("reason.new_arrival", "first seen {first_seen} in the data, within {window} days of its last event ({last_event}) → new-arrival framing; segment last active {days} days ago on average"),
    ("reason.cart_reminder", "audience: users with this item in their cart, not purchased → cart reminder"),
    ("reason.keyword_angle.zh", "title keywords (jieba TF-IDF): {keywords} → keyword-led copy"),
    ("reason.keyword_angle.en", "title keywords (title words minus stop words): {keywords} → keyword-led copy"),
    ("reason.brand.top", "product brand {brand} is among the segment's top brands ({brands}) → brand angle"),
    ("reason.brand.none", "product brand {brand} (no brand preference recorded for the segment) → brand angle as an alternative"),
    ("reason.brand.other", "segment's top brands are {brands}, not {brand} → brand angle ranked low"),
    ("reason.bundle", "{category} product with add-ons to suggest → bundle angle"),
    ("reason.social_proof", "bought by {buyers} users in the {days} days to {to} (popular from {min}) → social-proof framing; segment purchase rate {ratio}× the population"),
    ("reason.social_proof.no_rate", "bought by {buyers} users in the {days} days to {to} (popular from {min}) → social-proof framing; no segment purchase rate (its data has no product views)"),
    ("reason.interest", "predicted interest in {category} next window (mean probability {prob}) → interest angle"),
    ("reason.goal_up", "goal: {goal} moves this angle up"),
    ("reason.cta.checkout", "cart audience → checkout CTA “{cta}” ({tone} tone)"),
    ("reason.cta.direct", "goal: purchases → direct CTA “{cta}” ({tone} tone)"),
    ("reason.cta.soft", "goal: clicks → curiosity CTA “{cta}” ({tone} tone)"),
    ("reason.keywords.zh", "title keywords (jieba TF-IDF): {keywords}"),
    ("reason.keywords.en", "title keywords (title words minus stop words): {keywords}"),
    ("reason.tone", "tone: {tone} → {tone} phrase bank"),
    ("reason.business_name", "business name “{name}” in the {fields}"),
    ("reason.shortened", "{field} shortened at a word boundary to fit its limit"),
    ("reason.adjusted", "{field} “{from}” adjusted to “{to}” for the ad rules"),
    ("reason.fitted", "{field} shortened from {from} to {to} for {placement} (limit {limit})"),
    ("reason.product.interest", "predicted interest in {category} next window (mean probability {prob}) → product from {category}"),
    ("reason.product.engaged", "product: the {category} item this segment engages with most ({product})"),
    ("reason.product.best_seller", "no engagement with the campaign's products in this segment → the products' best seller ({product})"),
    ("reason.regenerated", "regenerated (round {round})"),
    ("reason.regenerated.kept", "regenerated (round {round}); locked layers kept: {layers}"),
];

impl Reason {
    /// The reason `key` with `params` given as (name, value) pairs; its English text is the
    /// key's template filled in. Panics in debug builds on a key missing from [`TEMPLATES`].
    pub fn new<const N: usize>(key: &'static str, params: [(&str, String); N]) -> Reason {
        let params: BTreeMap<String, String> = params.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let template = TEMPLATES.iter().find(|(k, _)| *k == key).map(|(_, t)| *t);
        debug_assert!(template.is_some(), "reason key {key} has no template");
        let text = fill(template.unwrap_or(key), &params);
        Reason { key: key.to_string(), params, text }
    }

    /// The text shown as it is (a reason from before keys, or one stored by an older build).
    pub fn legacy(text: impl Into<String>) -> Reason {
        let text = text.into();
        Reason { key: LEGACY.to_string(), params: BTreeMap::from([("text".to_string(), text.clone())]), text }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// `template` with every `{name}` replaced by the English form of `params[name]` (unknown
/// names are left as they are).
fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if params.contains_key(name) => {
                out.push_str(&english(name, &params[name]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A parameter as the English sentence shows it: a category by its English catalog name, a
/// list of copy fields or layers joined by "and" or commas, copy fields with spaces.
fn english(name: &str, value: &str) -> String {
    match name {
        "category" => crate::catalog::names(value).0.to_string(),
        "field" => value.replace('_', " "),
        "fields" => value.split(',').map(|f| f.replace('_', " ")).collect::<Vec<_>>().join(" and "),
        "layers" => value.split(',').collect::<Vec<_>>().join(", "),
        _ => value.to_string(),
    }
}

/// How a reason is stored: keyed, or a plain sentence from before.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Keyed { key: String, params: BTreeMap<String, String>, text: String },
    Plain(String),
}

impl From<Stored> for Reason {
    fn from(s: Stored) -> Reason {
        match s {
            Stored::Keyed { key, params, text } => Reason { key, params, text },
            Stored::Plain(text) => Reason::legacy(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_fills_its_template_with_english_names() {
        let r = Reason::new("reason.bundle", [("category", "appliances".to_string())]);
        assert_eq!(r.text, "home appliances product with add-ons to suggest → bundle angle");
        assert_eq!(r.params["category"], "appliances", "the window gets the key, to name it in its language");
        let f = Reason::new("reason.business_name", [("name", "Acme".into()), ("fields", "long_headline,primary_text".into())]);
        assert_eq!(f.text, "business name “Acme” in the long headline and primary text");
        assert_eq!(fill("{a} {b} {", &BTreeMap::from([("a".to_string(), "x".to_string())])), "x {b} {");
    }

    #[test]
    fn keys_are_unique_and_their_parameters_are_named() {
        let mut keys: Vec<&str> = TEMPLATES.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), TEMPLATES.len(), "a key twice in TEMPLATES");
        assert!(TEMPLATES.iter().all(|(k, _)| k.starts_with("reason.")));
    }

    #[test]
    fn stored_reasons_read_back_and_plain_strings_still_read() {
        let r = Reason::new("reason.regenerated", [("round", "2".into())]);
        let json = serde_json::to_string(&vec![r.clone()]).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Reason>>(&json).unwrap(), vec![r]);
        let old: Vec<Reason> = serde_json::from_str(r#"["tone: playful → playful phrase bank"]"#).unwrap();
        assert_eq!(old[0].key, LEGACY);
        assert_eq!(old[0].text, "tone: playful → playful phrase bank");
        assert_eq!(old[0].params["text"], old[0].text);
    }
}
