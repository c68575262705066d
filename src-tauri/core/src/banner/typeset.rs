//! Typesetting one text layer by its role, as a designer would.
//!
//! * Never cut — CTA, price, wordmark (logo) and badge: (1) the whole text, shrinking from the
//!   template's largest size to its smallest; (2) for a CTA, shorter wordings of the same
//!   meaning ([`super::cta_alternatives`]) in the same range; (3) the whole text, then the
//!   shorter wordings, below the template's smallest size down to the placement's minimum text
//!   size; and only then (4) the layer is left out ([`FitChoice::Dropped`]) — never "…".
//! * Running text — headline and subline: shrink within the template's range, shorten at a
//!   sentence or clause boundary, then the same again down to [`RUNNING_MIN`] of the template's
//!   smallest size (not below the floor), and cut with "…" only as a last resort.
//!
//! No text is ever set below the placement's minimum text size
//! ([`crate::placements::min_text_px`]): the template's range is raised to it where lower.

use super::cta_alternatives::alternatives;
use super::template::LayerKind;
use super::text::{clause_prefixes, fit_frame, fit_strict, Block, FitChoice, Frame};
use crate::fonts::Face;

/// How far below the template's smallest size running text may shrink before it is cut, as
/// a share of that size.
pub const RUNNING_MIN: f32 = 0.7;

/// Running text (headline, subline): see the module doc.
fn running(face: Face, text: &str, preferred: &Frame, floor: f32) -> Block {
    if let Some(b) = fit_strict(face, text, preferred) {
        return b;
    }
    for p in clause_prefixes(text) {
        if let Some(b) = fit_strict(face, &p, preferred) {
            return Block { choice: FitChoice::Clause { text: p }, ..b };
        }
    }
    let min = (preferred.min * RUNNING_MIN).max(floor).min(preferred.min);
    fit_frame(face, text, &Frame { min, max: preferred.min, ..*preferred })
}

/// Whether `kind` is a layer whose text is reworded or left out rather than cut.
pub fn never_cut(kind: LayerKind) -> bool {
    matches!(kind, LayerKind::Cta | LayerKind::Price | LayerKind::Logo | LayerKind::Badge)
}

/// Fit `text` of a `kind` layer into `f` (its `min`/`max` are the template's range) with
/// `floor` the placement's minimum text size. `None`: a never-cut layer that fits no way
/// (the caller leaves it out and reports [`FitChoice::Dropped`]).
pub fn typeset(kind: LayerKind, face: Face, text: &str, f: &Frame, floor: f32) -> Option<Block> {
    let min = f.min.max(floor);
    let preferred = Frame { min, max: f.max.max(min), ..*f };
    if !never_cut(kind) {
        return Some(running(face, text, &preferred, floor));
    }
    let mut wordings: Vec<(String, FitChoice)> = vec![(text.to_string(), FitChoice::Full)];
    if kind == LayerKind::Cta {
        wordings.extend(alternatives(text).into_iter().map(|a| (a.clone(), FitChoice::Alternative { text: a })));
    }
    let mut ranges = vec![preferred];
    if floor < min {
        ranges.push(Frame { min: floor, max: min, ..*f });
    }
    for range in &ranges {
        for (wording, choice) in &wordings {
            if let Some(b) = fit_strict(face, wording, range) {
                return Some(Block { choice: choice.clone(), ..b });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: f32, h: f32, min: f32, max: f32) -> Frame {
        Frame { w, h, max_lines: 1, min, max, pad: [0.9, 0.45] }
    }

    #[test]
    fn a_cta_shrinks_then_is_reworded_then_dropped_never_cut() {
        let f = frame(300.0, 40.0, 14.0, 20.0);
        assert_eq!(typeset(LayerKind::Cta, Face::SansBold, "Discover more", &f, 10.0).unwrap().choice, FitChoice::Full);
        // too narrow for "Discover more" even at the floor: a shorter wording
        let narrow = frame(83.0, 32.0, 12.0, 15.0);
        let b = typeset(LayerKind::Cta, Face::SansBold, "Discover more", &narrow, 10.0).expect("reworded");
        assert_eq!(b.choice, FitChoice::Alternative { text: "Discover".into() }, "{b:?}");
        assert!(b.size >= 10.0 && b.lines == vec!["Discover"], "{b:?}");
        // no room at all: left out rather than "Disc…"
        assert!(typeset(LayerKind::Cta, Face::SansBold, "Complete your order", &frame(30.0, 20.0, 12.0, 15.0), 10.0).is_none());
    }

    #[test]
    fn a_price_goes_below_the_template_range_but_never_below_the_floor() {
        let f = Frame { w: 70.0, h: 40.0, max_lines: 1, min: 30.0, max: 40.0, pad: [0.0, 0.0] };
        let b = typeset(LayerKind::Price, Face::SansBold, "¥1,465", &f, 10.0).expect("fits smaller");
        assert!(b.size < 30.0 && b.size >= 10.0 && b.lines == vec!["¥1,465"], "{b:?}");
        assert!(typeset(LayerKind::Price, Face::SansBold, "¥1,465,000.00", &Frame { w: 40.0, ..f }, 10.0).is_none());
    }

    #[test]
    fn running_text_is_shortened_at_a_clause_then_set_smaller_before_any_cut() {
        let f = Frame { w: 300.0, h: 60.0, max_lines: 2, min: 20.0, max: 24.0, pad: [0.0, 0.0] };
        let clause = typeset(LayerKind::Subline, Face::SansRegular, "Light and quick. Thirty hours of battery, a case that charges in minutes and noise cancelling.", &f, 10.0).unwrap();
        assert_eq!(clause.choice, FitChoice::Clause { text: "Light and quick. Thirty hours of battery".into() }, "{clause:?}");
        let text = "Pair Lumina smartwatch Pro with more electronics favourites and save";
        let smaller = typeset(LayerKind::Subline, Face::SansRegular, text, &f, 10.0).unwrap();
        assert!(smaller.choice == FitChoice::Full && smaller.size < 20.0 && smaller.size >= 14.0, "{smaller:?}");
    }

    #[test]
    fn the_floor_raises_a_template_minimum_below_it() {
        let f = Frame { w: 400.0, h: 300.0, max_lines: 8, min: 6.0, max: 8.0, pad: [0.0, 0.0] };
        let b = typeset(LayerKind::Subline, Face::SansRegular, "Small print", &f, 10.0).unwrap();
        assert_eq!(b.size, 10.0);
    }
}
