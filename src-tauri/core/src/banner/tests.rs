//! Golden images (templates × sizes × zh/en), the pre-template API, and export encoding.

use super::tests_design::design;
use super::*;

fn spec(headline: &str, lang_zh: bool) -> BannerSpec {
    BannerSpec {
        width: 1200,
        height: 628,
        palette: 0,
        headline: headline.into(),
        subline: if lang_zh { "人气数码好物，本周到手价¥449，划算不等人。".into() } else { "Top-rated electronics at a price that makes sense.".into() },
        cta: if lang_zh { "立即购买".into() } else { "Shop now".into() },
        price: "¥449".into(),
        badge: "-15%".into(),
        brand: "Voltix".into(),
        product_category: "electronics".into(),
        product_seed: 3,
    }
}

/// Golden-image check (imageproc style): compare with `fixtures/golden/NAME.png`, or write it
/// (best PNG compression, to keep the repository small) when `REGENERATE=1`. A pixel differs
/// when any channel is off by more than 2.
fn golden(name: &str, img: &RgbaImage) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/golden").join(format!("{name}.png"));
    if std::env::var("REGENERATE").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, encode_png(img).unwrap()).unwrap();
        return;
    }
    let want = image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run with REGENERATE=1)", path.display())).to_rgba8();
    assert_eq!(want.dimensions(), img.dimensions());
    let diff = want.pixels().zip(img.pixels()).filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 2)).count();
    assert!(diff == 0, "{name}: {diff} pixels differ from the golden image");
}

/// A golden of the template for `w`×`h` in zh or en, with the palette and product varied per
/// family so the goldens also cover the (chosen) segment palettes and pictograms.
fn golden_template(w: u32, h: u32, zh: bool) {
    let mut d = design(w, h, zh);
    let i = template::FAMILIES.iter().position(|f| *f == d.family).unwrap();
    d.palette = i + 1;
    d.kit.use_segment_palette = true;
    d.content.product_category = ["sport", "beauty", "computers", "food", "apparel", "kids"][i].into();
    d.content.product_seed = i as u64;
    let name = format!("template_{}_{w}x{h}_{}", serde_json::to_value(d.family).unwrap().as_str().unwrap(), if zh { "zh" } else { "en" });
    golden(&name, &render_design(&d).unwrap().image);
}

#[test]
fn golden_landscape_zh() {
    golden("banner_1200x628_zh", &render(&spec("沃提克无线耳机专业版限时85折", true)).unwrap());
}

#[test]
fn golden_landscape_en() {
    golden("banner_1200x628_en", &render(&spec("Voltix wireless earbuds – 15% off", false)).unwrap());
}

/// The landscape template with a brand kit: serif display face, own colours and wordmark.
fn branded(zh: bool) -> Design {
    let mut d = design(1200, 628, zh);
    d.kit = BrandKit { primary: [120, 20, 40], accent: [250, 232, 200], font: FontChoice::Serif, logo_text: if zh { "沃提克 Voltix".into() } else { "VOLTIX".into() }, use_segment_palette: false };
    d.palette = 3;
    d.content.product_category = "accessories".into();
    d
}

#[test]
fn golden_landscape_brand_kit_serif_zh() {
    golden("template_landscape_1200x628_serif_zh", &render_design(&branded(true)).unwrap().image);
}

#[test]
fn golden_landscape_brand_kit_serif_en() {
    golden("template_landscape_1200x628_serif_en", &render_design(&branded(false)).unwrap().image);
}

#[test]
fn golden_square_zh() {
    golden_template(300, 250, true);
}

#[test]
fn golden_square_en() {
    golden_template(300, 250, false);
}

#[test]
fn golden_portrait_zh() {
    golden_template(300, 600, true);
}

#[test]
fn golden_portrait_en() {
    golden_template(300, 600, false);
}

#[test]
fn golden_leaderboard_zh() {
    golden_template(728, 90, true);
}

#[test]
fn golden_leaderboard_en() {
    golden_template(728, 90, false);
}

#[test]
fn golden_skyscraper_zh() {
    golden_template(160, 600, true);
}

#[test]
fn golden_skyscraper_en() {
    golden_template(160, 600, false);
}

#[test]
fn golden_mobile_banner_zh() {
    golden_template(320, 50, true);
}

#[test]
fn golden_mobile_banner_en() {
    golden_template(320, 50, false);
}

#[test]
fn other_sizes_render_at_exact_size() {
    for (w, h) in [(300, 250), (1200, 1200), (728, 90), (160, 600)] {
        let img = render(&BannerSpec { width: w, height: h, ..spec("Shop the new season", false) }).unwrap();
        assert_eq!(img.dimensions(), (w, h));
    }
}

#[test]
fn bad_size_is_rejected() {
    let e = render(&BannerSpec { width: 10, ..spec("x", false) }).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
}

#[test]
fn text_is_actually_drawn() {
    let with = render(&spec("Big headline here", false)).unwrap();
    let without = render(&spec("", false)).unwrap();
    assert_ne!(with, without);
}

#[test]
fn png_round_trips() {
    let img = render(&spec("Hello", false)).unwrap();
    let png = encode_png(&img).unwrap();
    let back = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!(back.dimensions(), (1200, 628));
}

#[test]
fn every_placement_renders_at_its_exact_size_within_its_byte_budget() {
    for p in crate::placements::all() {
        for zh in [true, false] {
            let r = render_design(&Design { family: p.family, ..design(p.width, p.height, zh) }).unwrap();
            assert_eq!(r.image.dimensions(), (p.width, p.height), "{}", p.id);
            let e = encode_within(&r.image, p.max_bytes).unwrap();
            assert!(e.within_budget && e.bytes.len() as u64 <= p.max_bytes, "{}: {} bytes > {}", p.id, e.bytes.len(), p.max_bytes);
            let back = image::load_from_memory(&e.bytes).unwrap();
            assert_eq!((back.width(), back.height()), (p.width, p.height), "{}", p.id);
        }
    }
}

/// Deterministic noise: PNG cannot compress it.
fn noise(w: u32, h: u32) -> RgbaImage {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    RgbaImage::from_fn(w, h, |_, _| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        image::Rgba([s as u8, (s >> 8) as u8, (s >> 16) as u8, 255])
    })
}

#[test]
fn png_is_used_when_it_fits() {
    let img = render_design(&design(300, 250, true)).unwrap().image;
    let e = encode_within(&img, 150 * 1024).unwrap();
    assert_eq!((e.format, e.quality, e.within_budget), (ImageFormat::Png, None, true));
    assert!(e.bytes.starts_with(b"\x89PNG"));
    assert_eq!((e.format.extension(), e.format.mime()), ("png", "image/png"));
}

#[test]
fn too_big_for_png_falls_back_to_the_highest_jpeg_quality_that_fits() {
    let img = noise(300, 250);
    let budget = 60 * 1024;
    assert!(encode_png_fast(&img).unwrap().len() > budget, "noise does not fit as PNG");
    let e = encode_within(&img, budget as u64).unwrap();
    assert_eq!(e.format, ImageFormat::Jpeg);
    let q = e.quality.expect("quality reported");
    assert!((30..=95).contains(&q) && e.within_budget && e.bytes.len() <= budget, "q {q}, {} bytes", e.bytes.len());
    assert!(e.bytes.starts_with(&[0xFF, 0xD8]));
    // the next quality up would not fit: this is the highest
    let mut next = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut next, q + 1).encode_image(&image::DynamicImage::ImageRgba8(img).to_rgb8()).unwrap();
    assert!(q == 95 || next.len() > budget, "q {} would fit too ({} bytes)", q + 1, next.len());
    assert_eq!((e.format.extension(), e.format.mime()), ("jpg", "image/jpeg"));
}

#[test]
fn a_budget_nothing_meets_is_reported() {
    let e = encode_within(&noise(300, 250), 2_000).unwrap();
    assert_eq!((e.format, e.quality, e.within_budget), (ImageFormat::Jpeg, Some(30), false));
    assert!(image::load_from_memory(&e.bytes).is_ok());
}
