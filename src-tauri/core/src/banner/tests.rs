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
/// when `REGENERATE=1`.
fn golden(name: &str, img: &RgbaImage) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/golden").join(format!("{name}.png"));
    if std::env::var("REGENERATE").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        img.save(&path).unwrap();
        return;
    }
    let want = image::open(&path).unwrap_or_else(|e| panic!("{}: {e} (run with REGENERATE=1)", path.display())).to_rgba8();
    assert_eq!(want.dimensions(), img.dimensions());
    let diff = want.pixels().zip(img.pixels()).filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 2)).count();
    assert!(diff == 0, "{name}: {diff} pixels differ from the golden image");
}

#[test]
fn golden_landscape_zh() {
    golden("banner_1200x628_zh", &render(&spec("沃提克无线耳机专业版限时85折", true)).unwrap());
}

#[test]
fn golden_landscape_en() {
    golden("banner_1200x628_en", &render(&spec("Voltix wireless earbuds – 15% off", false)).unwrap());
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
