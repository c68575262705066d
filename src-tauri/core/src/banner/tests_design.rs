//! Layered designs: edits, contrast, text fitting and determinism.

use super::color::PALETTES;
use super::layout::PxRect;
use super::template::FAMILIES;
use super::*;
use crate::fonts::Face;
use crate::placements::{self, Family};

pub(super) fn content(zh: bool) -> Content {
    let (headline, subline, cta) = if zh {
        ("沃提克无线耳机专业版限时85折", "人气数码好物，本周到手价¥449，划算不等人。", "立即购买")
    } else {
        ("Voltix wireless earbuds – 15% off", "Top-rated electronics at a price that makes sense.", "Shop now")
    };
    Content {
        headline: headline.into(),
        subline: subline.into(),
        cta: cta.into(),
        price: "¥449".into(),
        badge: "-15%".into(),
        product_category: "electronics".into(),
        product_seed: 3,
        ..Content::default()
    }
}

pub(super) fn design(w: u32, h: u32, zh: bool) -> Design {
    Design { width: w, height: h, family: family_for(w, h), palette: 0, kit: BrandKit { logo_text: "Voltix".into(), ..BrandKit::default() }, content: content(zh), edits: Vec::new() }
}

/// Long texts that must shrink, wrap and (at the minimum size) be cut.
fn long(zh: bool) -> Content {
    let mut c = content(zh);
    if zh {
        c.headline = "沃提克无线降噪耳机专业版全新上市，限时八五折，本周下单再送收纳盒和一年延保服务".into();
        c.subline = "人气数码好物，主动降噪、三十小时续航、蓝牙五点三，本周到手价¥449，划算不等人，库存有限先到先得。".into();
        c.cta = "立即抢购限量优惠".into();
    } else {
        c.headline = "Voltix wireless noise-cancelling earbuds Pro, now 15% off with a free case and extended warranty".into();
        c.subline = "Top-rated electronics at a price that makes sense: active noise cancelling, thirty hours of battery and Bluetooth 5.3.".into();
        c.cta = "Shop the limited offer now".into();
    }
    c
}

/// Each placement's size, plus a second size for the families with only one.
fn sizes() -> Vec<(u32, u32)> {
    let mut s: Vec<(u32, u32)> = placements::all().iter().map(|p| (p.width, p.height)).collect();
    s.extend([(1080, 1350), (120, 600), (300, 50)]);
    s.sort();
    s.dedup();
    s
}

fn edited(mut d: Design, e: LayerEdit) -> Design {
    d.edits.push(e);
    d
}

fn text_ops(dl: &DrawList, kind: LayerKind) -> Vec<(Face, f32, f32, f32, String)> {
    dl.ops
        .iter()
        .filter_map(|op| match op {
            Op::Text { layer, face, size, x, y, text, .. } if *layer == kind => Some((*face, *size, *x, *y, text.clone())),
            _ => None,
        })
        .collect()
}

fn layer_box(dl: &DrawList, kind: LayerKind) -> PxRect {
    dl.boxes.iter().find(|(k, _)| *k == kind).unwrap_or_else(|| panic!("no {kind:?} box")).1
}

/// The lines of a text layer: runs joined per baseline.
fn lines(dl: &DrawList, kind: LayerKind) -> Vec<String> {
    let mut out: Vec<(f32, String)> = Vec::new();
    for (_, _, _, y, t) in text_ops(dl, kind) {
        match out.last_mut() {
            Some((ly, s)) if *ly == y => s.push_str(&t),
            _ => out.push((y, t)),
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn text_never_overflows_its_layer_rect() {
    for (w, h) in sizes() {
        for zh in [true, false] {
            for c in [content(zh), long(zh)] {
                let dl = layout(&Design { content: c, ..design(w, h, zh) }).unwrap();
                for (kind, b) in &dl.boxes {
                    for (face, size, x, y, t) in text_ops(&dl, *kind) {
                        let adv = text::measure(face, size, &t);
                        assert!(x >= b[0] - 0.01 && x + adv <= b[0] + b[2] + 0.01, "{w}×{h} {kind:?} {t:?}: x {x}+{adv} outside {b:?}");
                        let ink = raster::ink_bounds(face, size, x, y, &t).expect("visible text");
                        // pixel bounds are rounded outwards: allow that one pixel
                        let t = 1.01;
                        let inside = ink[0] >= b[0] - t && ink[1] >= b[1] - t && ink[2] <= b[0] + b[2] + t && ink[3] <= b[1] + b[3] + t;
                        assert!(inside, "{w}×{h} {kind:?} {t:?}: ink {ink:?} outside {b:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn latin_words_are_never_split_across_lines() {
    for (w, h) in sizes() {
        for c in [content(false), long(false)] {
            // a clause-shortened text loses its trailing comma; a CTA may be a shorter wording
            let bare = |w: &str| w.trim_end_matches([',', ';', ':', '.']).to_string();
            let alts = cta_alternatives::alternatives(&c.cta).join(" ");
            let words: Vec<String> = [&c.headline, &c.subline, &c.cta, &alts].iter().flat_map(|s| s.split_whitespace().map(bare)).collect();
            let dl = layout(&Design { content: c.clone(), ..design(w, h, false) }).unwrap();
            for kind in [LayerKind::Headline, LayerKind::Subline, LayerKind::Cta] {
                for line in lines(&dl, kind) {
                    for word in line.split_whitespace() {
                        let cut = word.strip_suffix('…');
                        assert!(words.iter().any(|full| *full == bare(word)) || cut.is_some(), "{w}×{h} {kind:?}: {word:?} is part of a word ({line:?})");
                    }
                }
            }
        }
    }
}

#[test]
fn cjk_lines_break_between_characters() {
    let d = design(160, 600, true);
    let dl = layout(&d).unwrap();
    let ls = lines(&dl, LayerKind::Headline);
    assert!(ls.len() > 1, "{ls:?}");
    assert_eq!(ls.concat(), d.content.headline, "no character lost or added");
    // the first line ends mid-word of the Chinese text: between two CJK characters
    let first = ls[0].chars().last().unwrap();
    let next = ls[1].chars().next().unwrap();
    assert!(text::is_cjk(first) && text::is_cjk(next), "{ls:?}");
}

#[test]
fn text_edit_changes_pixels() {
    let d = design(300, 250, false);
    let e = edited(d.clone(), LayerEdit { kind: LayerKind::Headline, text: Some("Completely different".into()), ..LayerEdit::default() });
    assert_ne!(render_design(&d).unwrap().image, render_design(&e).unwrap().image);
    assert_eq!(lines(&layout(&e).unwrap(), LayerKind::Headline).concat(), "Completely different");
}

#[test]
fn hidden_layers_are_not_drawn() {
    let d = design(728, 90, true);
    let e = edited(d.clone(), LayerEdit { kind: LayerKind::Cta, hidden: true, ..LayerEdit::default() });
    let dl = layout(&e).unwrap();
    assert!(dl.boxes.iter().all(|(k, _)| *k != LayerKind::Cta) && dl.contrast.iter().all(|c| c.layer != LayerKind::Cta));
    assert_ne!(render_design(&d).unwrap().image, render_design(&e).unwrap().image);
    // hide everything but the background: a plain vertical gradient remains
    let mut all = d.clone();
    all.edits = LayerKind::ALL.iter().filter(|k| **k != LayerKind::Background).map(|&kind| LayerEdit { kind, hidden: true, ..LayerEdit::default() }).collect();
    let img = render_design(&all).unwrap().image;
    assert!(img.rows().all(|mut row| {
        let first = *row.next().unwrap();
        row.all(|p| *p == first)
    }));
}

#[test]
fn rect_edit_moves_the_layer() {
    let d = design(1200, 628, false);
    let rect = [0.05, 0.02, 0.3, 0.1];
    let e = edited(d.clone(), LayerEdit { kind: LayerKind::Cta, rect: Some(rect), locked: true, ..LayerEdit::default() });
    let dl = layout(&e).unwrap();
    let b = layer_box(&dl, LayerKind::Cta);
    assert_eq!(b, [60.0, 628.0 * 0.02, 360.0, 62.8]);
    for (_, _, x, y, _) in text_ops(&dl, LayerKind::Cta) {
        assert!(x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3], "CTA text at {x},{y} is not in {b:?}");
    }
    assert_ne!(render_design(&d).unwrap().image, render_design(&e).unwrap().image);
    // out of the canvas: clamped; not finite: rejected
    let far = layout(&edited(d.clone(), LayerEdit { kind: LayerKind::Cta, rect: Some([0.9, 0.9, 0.5, 0.5]), ..LayerEdit::default() })).unwrap();
    let b = layer_box(&far, LayerKind::Cta);
    assert!(b[0] + b[2] <= 1200.0 + 1e-3 && b[1] + b[3] <= 628.0 + 1e-3, "{b:?}");
    let bad = edited(d, LayerEdit { kind: LayerKind::Cta, rect: Some([f32::NAN, 0.0, 0.1, 0.1]), ..LayerEdit::default() });
    assert!(matches!(render_design(&bad), Err(BannerError::BadEdit { kind: LayerKind::Cta, .. })));
}

#[test]
fn a_colour_edit_that_fails_contrast_is_drawn_and_reported() {
    let d = design(1200, 628, true);
    let dl = layout(&d).unwrap();
    let bg = match dl.ops[0] {
        Op::Gradient { top, .. } => top,
        _ => panic!("background first"),
    };
    let e = edited(d.clone(), LayerEdit { kind: LayerKind::Headline, color: Some(super::color::mix(bg, [255, 255, 255], 0.15)), ..LayerEdit::default() });
    let r = render_design(&e).unwrap();
    let c = r.contrast.iter().find(|c| c.layer == LayerKind::Headline).unwrap();
    assert!(!c.passes_aa && c.ratio < 4.5, "{c:?}");
    let hidden = edited(d, LayerEdit { kind: LayerKind::Headline, hidden: true, ..LayerEdit::default() });
    assert_ne!(r.image, render_design(&hidden).unwrap().image, "still drawn");
    assert!(r.contrast.iter().filter(|c| c.layer != LayerKind::Headline).all(|c| c.passes_aa));
}

#[test]
fn default_colours_pass_aa_for_every_palette_family_and_kit() {
    let kits = [
        BrandKit { logo_text: "Voltix".into(), ..BrandKit::default() },
        BrandKit { primary: [250, 220, 60], accent: [40, 60, 200], font: FontChoice::Serif, logo_text: "Sunny".into(), ..BrandKit::default() },
        BrandKit { primary: [128, 128, 128], accent: [128, 128, 128], font: FontChoice::Sans, logo_text: "Mid".into(), ..BrandKit::default() },
        BrandKit { primary: [255, 255, 255], accent: [20, 20, 20], font: FontChoice::Sans, logo_text: "Paper".into(), ..BrandKit::default() },
    ];
    for family in FAMILIES {
        let p = placements::all().iter().find(|p| p.family == family).unwrap();
        for (palette, use_segment_palette) in (0..PALETTES.len()).flat_map(|p| [(p, true), (p, false)]) {
            for kit in &kits {
                let d = Design { palette, kit: BrandKit { use_segment_palette, ..kit.clone() }, ..design(p.width, p.height, palette % 2 == 0) };
                let dl = layout(&d).unwrap();
                let drawn: Vec<LayerKind> = dl.boxes.iter().map(|(k, _)| *k).filter(|k| k.is_text()).collect();
                assert_eq!(dl.contrast.iter().map(|c| c.layer).collect::<Vec<_>>(), drawn, "one check per text layer");
                for c in &dl.contrast {
                    assert!(c.passes_aa && c.ratio >= 4.5, "{family:?} palette {palette} kit {kit:?}: {c:?}");
                }
            }
        }
    }
}

#[test]
fn brand_kit_drives_accent_font_and_wordmark() {
    let mut d = design(1200, 628, true);
    d.kit = BrandKit { primary: [10, 80, 40], accent: [200, 30, 60], font: FontChoice::Serif, logo_text: "沃提克".into(), ..BrandKit::default() };
    let dl = layout(&d).unwrap();
    assert!(dl.ops.iter().any(|op| matches!(op, Op::RoundedRect { color, .. } if *color == [200, 30, 60])), "CTA/badge use the accent");
    assert!(text_ops(&dl, LayerKind::Headline).iter().all(|(f, ..)| *f == Face::SerifBold));
    assert!(text_ops(&dl, LayerKind::Subline).iter().all(|(f, ..)| *f == Face::SansRegular));
    assert_eq!(lines(&dl, LayerKind::Logo), vec!["沃提克"]);
    let sans = Design { kit: BrandKit { font: FontChoice::Sans, ..d.kit.clone() }, ..d.clone() };
    assert_ne!(render_design(&d).unwrap().image, render_design(&sans).unwrap().image);
}

#[test]
fn product_picture_is_composited_with_alpha() {
    // the badge sits on the picture's corner: hide it so only the picture is over the card
    let d = edited(design(300, 600, false), LayerEdit { kind: LayerKind::Badge, hidden: true, ..LayerEdit::default() });
    let dl = layout(&d).unwrap();
    let (x, y, size) = dl.ops.iter().find_map(|op| if let Op::Image { x, y, size, .. } = op { Some((*x, *y, *size)) } else { None }).unwrap();
    let pic = art::product_image(&d.content.product_category, d.content.product_seed, size);
    let img = render_design(&d).unwrap().image;
    let (mut see_through, mut covered) = (0, 0);
    for (px, py, p) in pic.enumerate_pixels() {
        let got = img.get_pixel(x as u32 + px, y as u32 + py);
        if p[3] == 0 {
            see_through += 1;
            assert_eq!(got.0, [255, 255, 255, 255], "transparent pixels show the card");
        } else if p[3] == 255 {
            covered += 1;
            assert_eq!(&got.0[..3], &p.0[..3]);
        }
    }
    assert!(see_through > 0 && covered > 0);
}

#[test]
fn render_design_is_deterministic() {
    for (w, h) in [(1200, 628), (320, 50)] {
        let d = Design { kit: BrandKit { font: FontChoice::Serif, ..BrandKit::default() }, ..design(w, h, true) };
        let (a, b) = (render_design(&d).unwrap(), render_design(&d).unwrap());
        assert!(a == b, "{w}×{h}");
        assert_eq!(layout(&d).unwrap(), layout(&d).unwrap());
    }
}

#[test]
fn draw_list_serialises_for_other_renderers() {
    let v = serde_json::to_value(layout(&design(320, 50, true)).unwrap()).unwrap();
    let ops = v["ops"].as_array().unwrap();
    assert_eq!(ops[0]["op"], "gradient");
    assert!(ops.iter().any(|o| o["op"] == "text" && o["face"] == "sans_bold" && o["layer"] == "cta"));
    assert_eq!(template(Family::MobileBanner).family, Family::MobileBanner);
}

#[test]
fn the_brand_primary_wins_over_the_segment_palette_unless_the_kit_chooses_it() {
    let mut d = design(1200, 628, false);
    d.kit.primary = [150, 20, 40];
    let colors = |d: &Design, palette: usize| layout(&Design { palette, ..d.clone() }).unwrap().colors;
    let bg = |d: &Design, palette: usize| colors(d, palette).iter().find(|(k, _)| *k == LayerKind::Background).unwrap().1;
    assert_eq!(bg(&d, 0), [150, 20, 40], "the brand's primary colour");
    assert_eq!(bg(&d, 0), bg(&d, 1), "the segment does not change it");
    d.kit.use_segment_palette = true;
    assert_ne!(bg(&d, 0), bg(&d, 1), "the marketer's choice: per-segment palettes");
    let all = colors(&d, 0);
    assert_eq!(all.iter().find(|(k, _)| *k == LayerKind::Cta).unwrap().1, d.kit.accent, "the CTA swatch is its box");
    let kinds: Vec<LayerKind> = all.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, layout(&d).unwrap().boxes.iter().map(|(k, _)| *k).collect::<Vec<_>>(), "one colour per drawn layer");
}
