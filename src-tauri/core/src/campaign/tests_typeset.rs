//! Typesetting of every demo variant at every placement in both languages (issue 14): a call
//! to action, a price and the brand wordmark are never cut with "…", no text is set below the
//! placement's minimum text size, and Chinese lines follow the line-breaking rules.

use crate::banner::linebreak::{no_line_end, no_line_start};
use crate::banner::{layout, Design, DrawList, FitChoice, LayerKind, Op};
use crate::campaign::{self, CampaignParams};
use crate::placements::{self, min_text_size};
use crate::progress::ignore;
use crate::segments::{self, KChoice, SegmentParams};
use crate::text::Lang;

/// The lines of a text layer: runs joined per baseline.
fn lines(dl: &DrawList, kind: LayerKind) -> Vec<String> {
    let mut out: Vec<(f32, String)> = Vec::new();
    for op in &dl.ops {
        if let Op::Text { layer, y, text, .. } = op {
            if *layer != kind {
                continue;
            }
            match out.last_mut() {
                Some((ly, s)) if *ly == *y => s.push_str(text),
                _ => out.push((*y, text.clone())),
            }
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn demo_variants_never_cut_a_cta_price_or_brand_at_any_placement_in_either_language() {
    let mut p = crate::testkit::demo_store(11);
    let params = SegmentParams { k: KChoice::Fixed(6), seed: 5, ..Default::default() }.check().unwrap();
    segments::train(&mut p, &params, &mut ignore).unwrap();
    let spec = CampaignParams { languages: vec![Lang::Zh, Lang::En], variants_per_segment: 8, ..CampaignParams::single("Typeset", Lang::Zh, 7) };
    let c = campaign::create(&mut p, spec, &mut ignore).unwrap();
    let variants = campaign::variants(&p, c.id).unwrap();
    assert!(variants.iter().any(|v| v.lang == "en") && variants.iter().any(|v| v.lang == "zh-CN") && variants.len() >= 48, "{}", variants.len());
    let (mut reworded, mut layouts) = (0, 0);
    for v in &variants {
        for pl in placements::all() {
            let d = Design { width: pl.width, height: pl.height, family: pl.family, ..v.design.clone() };
            let dl = layout(&d).unwrap();
            layouts += 1;
            let at = format!("variant {} ({}) at {}", v.id, v.lang, pl.id);
            for op in &dl.ops {
                if let Op::Text { layer, size, text, .. } = op {
                    assert!(*size >= min_text_size(pl) - 1e-3, "{at}: {layer:?} \"{text}\" at {size} px < {}", min_text_size(pl));
                    if matches!(layer, LayerKind::Cta | LayerKind::Price | LayerKind::Logo) {
                        assert!(!text.contains('…'), "{at}: {layer:?} cut: \"{text}\"");
                    }
                }
            }
            for (kind, choice) in &dl.fits {
                assert!(!(matches!(kind, LayerKind::Cta | LayerKind::Price) && *choice == FitChoice::Dropped), "{at}: {kind:?} left out");
                reworded += usize::from(matches!(choice, FitChoice::Alternative { .. }));
            }
            if v.lang == "zh-CN" {
                for kind in [LayerKind::Headline, LayerKind::Subline, LayerKind::Cta] {
                    for l in lines(&dl, kind) {
                        let (first, last) = (l.chars().next().unwrap(), l.chars().last().unwrap());
                        assert!(!no_line_start(first) && !no_line_end(last), "{at}: {kind:?} line \"{l}\"");
                    }
                }
            }
        }
    }
    assert_eq!(layouts, variants.len() * placements::all().len());
    assert!(reworded > 0, "the small placements need a shorter CTA somewhere");
}
