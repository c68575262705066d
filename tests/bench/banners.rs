//! `make bench` (cargo bench --bench banners): banner render + encode against Pillow in the same
//! run, and a campaign-sized parallel render.
//!
//! 1. One 1200×628 layered banner (landscape template, zh headline with Latin words, CJK + Latin
//!    subline, product picture, badge, price, CTA, wordmark). The studio renders it
//!    (`render_design`: layout + raster, single thread) and encodes it (`encode_within` with the
//!    Google 5 MB budget: PNG, fast compression) `BENCH_BANNER_RUNS` times (default 200). Pillow
//!    (tests/bench/pillow_banners.py) draws the identical draw list — same operations, same .otf
//!    files, the same product picture as PNG — and encodes PNG, the same number of times, once
//!    with `compress_level=1` (its fastest real compression, like for like) and once with its
//!    default level 6. Banners/s of each side, PNG sizes and the ratio are printed; the goal is
//!    studio ≥ 2× Pillow (the level-1 run). Both last images are written next to each other for
//!    a visual check.
//! 2. 384 banners (every placement size in turn, 8 palettes, zh/en alternating, 10 product
//!    categories), each rendered and encoded within its placement's byte budget, on 2 threads:
//!    total seconds (goal < 5 s).

use std::process::Command;
use std::time::Instant;

use studio_core::banner::{self, art, encode_within, layout, render_design, BrandKit, Content, Design, Op};
use studio_core::placements;

const PILLOW_LEVELS: [u8; 2] = [1, 6];

fn content(zh: bool, i: u64) -> Content {
    let cats = ["electronics", "computers", "appliances", "apparel", "beauty", "kids", "sport", "furniture", "food", "accessories"];
    let (headline, subline, cta) = if zh {
        ("Voltix 沃提克无线降噪耳机 Pro 限时85折", "人气数码好物 Top pick：主动降噪，30 小时续航，本周到手价¥449。", "立即购买")
    } else {
        ("Voltix wireless earbuds Pro – 15% off this week", "Top-rated noise cancelling, 30-hour battery, now ¥449 (人气好物).", "Shop now")
    };
    Content {
        headline: headline.into(),
        subline: subline.into(),
        cta: cta.into(),
        price: "¥449".into(),
        badge: "-15%".into(),
        product_category: cats[i as usize % cats.len()].into(),
        product_seed: i,
        ..Content::default()
    }
}

fn kit() -> BrandKit {
    BrandKit { logo_text: "沃提克 Voltix".into(), ..BrandKit::default() }
}

fn main() {
    let runs: usize = std::env::var("BENCH_BANNER_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(200).max(1);
    let out_dir = std::env::temp_dir().join("studio-bench-banners");
    std::fs::create_dir_all(&out_dir).expect("output dir");
    let design = Design { width: 1200, height: 628, family: placements::Family::Landscape, palette: 0, kit: kit(), content: content(true, 0), edits: Vec::new() };
    let budget = placements::by_id("google-rda-landscape").expect("placement").max_bytes;

    // the studio side
    let once = || {
        let r = render_design(&design).expect("render");
        encode_within(&r.image, budget).expect("encode")
    };
    for _ in 0..3 {
        once();
    }
    let t = Instant::now();
    let mut last = once();
    for _ in 1..runs {
        last = once();
    }
    let studio_s = t.elapsed().as_secs_f64();
    let studio_rate = runs as f64 / studio_s;
    std::fs::write(out_dir.join("studio.png"), &last.bytes).expect("write");

    // the Pillow side: the same draw list and picture
    let dl = layout(&design).expect("layout");
    let dl_path = out_dir.join("drawlist.json");
    std::fs::write(&dl_path, serde_json::to_vec(&dl).expect("json")).expect("write");
    for op in &dl.ops {
        if let Op::Image { category, seed, size, .. } = op {
            art::product_image(category, *seed, *size).save(out_dir.join(format!("{category}-{seed}-{size}.png"))).expect("product png");
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bench/pillow_banners.py");
    let fonts = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts");
    let mut pillow = Vec::new();
    for level in PILLOW_LEVELS {
        let png = out_dir.join(format!("pillow-level{level}.png"));
        let out = Command::new("python3").arg(script).arg(&dl_path).arg(fonts).arg(&out_dir).arg(runs.to_string()).arg(level.to_string()).arg(&png).output().expect("python3 on PATH");
        assert!(out.status.success(), "Pillow side failed (pip install pillow): {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json from the python side");
        let rate = v["runs"].as_f64().unwrap() / v["seconds"].as_f64().unwrap();
        pillow.push((level, rate, v["bytes"].as_u64().unwrap(), v["pillow"].as_str().unwrap_or("?").to_string()));
    }
    println!("1200x628 layered banner (zh + Latin text, picture, badge, price, CTA, wordmark; {} draw ops), render + encode, single thread, {runs} rounds:", dl.ops.len());
    println!("  studio:                          {studio_rate:>7.1} banners/s  ({:.2} ms each, PNG fast, {} bytes)", 1e3 / studio_rate, last.bytes.len());
    for (level, rate, bytes, version) in &pillow {
        println!("  Pillow {version} (compress_level={level}): {rate:>7.1} banners/s  ({:.2} ms each, {bytes} bytes)", 1e3 / rate);
    }
    let (_, like, _, _) = pillow[0];
    let (_, default, _, _) = pillow[1];
    println!("  ratio studio/Pillow: {:.2}x vs compress_level=1 (goal >= 2x); {:.2}x vs Pillow's default level 6", studio_rate / like, studio_rate / default);
    println!("  images: {}/{{studio,pillow-level1,pillow-level6}}.png", out_dir.display());

    campaign();
}

/// 384 banners of mixed placement sizes, rendered and encoded within budget on 2 threads.
fn campaign() {
    const N: usize = 384;
    const THREADS: usize = 2;
    let ps = placements::all();
    let jobs: Vec<(Design, u64)> = (0..N)
        .map(|i| {
            let p = &ps[i % ps.len()];
            let d = Design { width: p.width, height: p.height, family: p.family, palette: i % banner::color::PALETTES.len(), kit: kit(), content: content(i % 2 == 0, i as u64), edits: Vec::new() };
            (d, p.max_bytes)
        })
        .collect();
    let t = Instant::now();
    let results: Vec<(usize, usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|k| {
                let jobs = &jobs;
                s.spawn(move || {
                    let (mut ok, mut jpeg, mut bytes) = (0, 0, 0);
                    for (d, budget) in jobs.iter().skip(k).step_by(THREADS) {
                        let r = render_design(d).expect("render");
                        let e = encode_within(&r.image, *budget).expect("encode");
                        ok += usize::from(e.within_budget && e.bytes.len() as u64 <= *budget);
                        jpeg += usize::from(e.format == banner::ImageFormat::Jpeg);
                        bytes += e.bytes.len();
                    }
                    (ok, jpeg, bytes)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("worker")).collect()
    });
    let secs = t.elapsed().as_secs_f64();
    let ok: usize = results.iter().map(|r| r.0).sum();
    let jpeg: usize = results.iter().map(|r| r.1).sum();
    let bytes: usize = results.iter().map(|r| r.2).sum();
    println!(
        "campaign: {N} banners over the {} placement sizes, render + encode within budget, {THREADS} threads: {secs:.2} s (goal < 5 s); {ok}/{N} within budget, {jpeg} JPEG, {:.1} MB total",
        ps.len(),
        bytes as f64 / 1e6
    );
}
