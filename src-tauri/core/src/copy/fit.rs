//! Fitting copy sets to the world: near-duplicate detection, per-placement shortening, and
//! cleaning input text (product names, brands) so the copy built from it passes the rules.

use std::collections::BTreeSet;

use super::sets::CopySet;
use super::text::shorten_units;
use crate::compliance::{self, Field};
use crate::placements::{self, Placement};

/// Bigram Jaccard similarity from which two sets count as near-duplicates.
pub const NEAR_DUPLICATE_JACCARD: f64 = 0.8;

/// Whether two sets are near-duplicates: the same headline once case, spaces and punctuation
/// are ignored, or a Jaccard similarity of at least [`NEAR_DUPLICATE_JACCARD`] between the
/// character-bigram sets of headline + description (same normalisation; bigrams are taken
/// within each field, so CJK and Latin text are measured alike).
pub fn near_duplicate(a: &CopySet, b: &CopySet) -> bool {
    Signature::of(a).near(&Signature::of(b))
}

/// What [`near_duplicate`] compares, computed once per set.
pub(super) struct Signature {
    headline: Vec<char>,
    bigrams: BTreeSet<(char, char)>,
}

impl Signature {
    pub(super) fn of(s: &CopySet) -> Signature {
        let bigrams = [&s.headline, &s.description].iter().flat_map(|f| normalise(f).windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()).collect();
        Signature { headline: normalise(&s.headline), bigrams }
    }

    pub(super) fn near(&self, other: &Signature) -> bool {
        if self.headline == other.headline {
            return true;
        }
        let union = self.bigrams.union(&other.bigrams).count();
        union > 0 && self.bigrams.intersection(&other.bigrams).count() as f64 / union as f64 >= NEAR_DUPLICATE_JACCARD
    }
}

fn normalise(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The set's text for one placement: a field whose limit there is tighter than its length (in
/// the placement's units) is shortened by rule (`shorten`: never mid-word or mid-character,
/// "…" when cut) and a reason line says so. Fields the placement has no limit for, and sets
/// that already fit, come back unchanged.
pub fn for_placement(set: &CopySet, p: &Placement) -> CopySet {
    let mut out = set.clone();
    let fields: [(Field, &str, &mut String); 4] = [
        (Field::Headline, "headline", &mut out.headline),
        (Field::LongHeadline, "long_headline", &mut out.long_headline),
        (Field::Description, "description", &mut out.description),
        (Field::PrimaryText, "primary_text", &mut out.primary_text),
    ];
    let mut notes = Vec::new();
    for (field, what, text) in fields {
        let Some(limit) = placements::limit(p, field) else { continue };
        let length = placements::length(p, text);
        if length > limit as usize {
            *text = shorten_units(text, limit as usize, p.cjk_double_width);
            let params = [("field", what.to_string()), ("from", length.to_string()), ("to", placements::length(p, text).to_string()), ("placement", p.id.to_string()), ("limit", limit.to_string())];
            notes.push(super::reason::Reason::new("reason.fitted", params));
        }
    }
    out.reasons.extend(notes);
    out
}

/// Input text (a product name, brand or business name) made safe to put in an ad: "!" removed,
/// and every mechanical fix the compliance checker suggests applied — capitals for emphasis
/// title-cased, decorative symbols dropped, absolute terms replaced by their neutral word (or
/// dropped where the fix is only advice). Spaces are collapsed.
pub(super) fn sanitize(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().filter(|c| !matches!(c, '!' | '！')).collect();
    let text: String = chars.iter().collect();
    let mut findings = compliance::check(&[(Field::Description, &text)]);
    findings.retain(|f| f.rule != "meta-personal-attributes");
    // Back to front, so earlier spans stay valid; overlapping spans are skipped.
    let mut next_start = u32::MAX;
    for f in findings.iter().rev() {
        if f.end > next_start {
            continue;
        }
        let fix = f.replacement.as_deref().unwrap_or("");
        chars.splice(f.start as usize..f.end as usize, fix.chars());
        next_start = f.start;
    }
    chars.iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}
