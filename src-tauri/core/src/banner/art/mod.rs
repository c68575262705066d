//! Product pictures drawn by code: one recognisable pictogram per product kind (jeans,
//! smartwatch, air fryer, …: [`kind_for`] reads it from the product's name), else per
//! category, coloured per product, so the demo ships no photographs and still shows the right
//! kind of product.

mod shapes;

use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_ellipse_mut, draw_filled_rect_mut, draw_polygon_mut};
use imageproc::point::Point;
use imageproc::rect::Rect;

use super::color::{mix, rgba};

/// Name keywords (lower case, matched as substrings of the English product name) → picture
/// kind; the first match wins, so longer phrases come first.
const KINDS: &[(&str, &str)] = &[
    ("smartwatch", "watch"),
    ("watch", "watch"),
    ("smartphone", "phone"),
    ("phone", "phone"),
    ("earbud", "earbuds"),
    ("headphone", "earbuds"),
    ("speaker", "speaker"),
    ("laptop", "laptop"),
    ("notebook", "laptop"),
    ("keyboard", "keyboard"),
    ("monitor", "monitor"),
    ("mouse", "mouse"),
    ("air fryer", "air_fryer"),
    ("fryer", "air_fryer"),
    ("washer", "washer"),
    ("washing machine", "washer"),
    ("vacuum", "vacuum"),
    ("coffee machine", "coffee_machine"),
    ("espresso", "coffee_machine"),
    ("purifier", "purifier"),
    ("raincoat", "jacket"),
    ("jacket", "jacket"),
    ("coat", "jacket"),
    ("jeans", "jeans"),
    ("trousers", "jeans"),
    ("shoe", "shoe"),
    ("sneaker", "shoe"),
    ("t-shirt", "shirt"),
    ("shirt", "shirt"),
    ("serum", "dropper"),
    ("sunscreen", "tube"),
    ("lipstick", "lipstick"),
    ("cream", "jar"),
    ("stroller", "stroller"),
    ("blocks", "blocks"),
    ("formula", "can"),
    ("yoga", "yoga_mat"),
    ("bike", "bike"),
    ("bicycle", "bike"),
    ("dumbbell", "dumbbell"),
    ("tent", "tent"),
    ("sofa", "sofa"),
    ("lamp", "lamp"),
    ("bookshelf", "shelf"),
    ("shelf", "shelf"),
    ("pillow", "pillow"),
    ("coffee beans", "bag"),
    ("nuts", "bag"),
    ("tea", "cup"),
    ("olive oil", "oil_bottle"),
    ("oil", "oil_bottle"),
    ("wallet", "wallet"),
    ("sunglasses", "sunglasses"),
    ("backpack", "backpack"),
    ("scarf", "scarf"),
];

/// The largest picture file read (bytes) and decoded (pixels per side): a catalog photo, not
/// a poster.
const PICTURE_MAX_BYTES: u64 = 20 * 1024 * 1024;
const PICTURE_MAX_SIDE: u32 = 8000;

/// The image file at `path` fitted into a `size` px square: scaled to cover it and cropped to
/// the centre. `None` when the file is missing, too large or not a readable image (the caller
/// draws the pictogram instead).
pub fn picture(path: &str, size: u32) -> Option<RgbaImage> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > PICTURE_MAX_BYTES || size == 0 {
        return None;
    }
    let mut reader = image::ImageReader::open(path).ok()?.with_guessed_format().ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(PICTURE_MAX_SIDE);
    limits.max_image_height = Some(PICTURE_MAX_SIDE);
    reader.limits(limits);
    let img = reader.decode().ok()?.to_rgba8();
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let scale = size as f32 / w.min(h) as f32;
    let (sw, sh) = (((w as f32 * scale).round() as u32).max(size), ((h as f32 * scale).round() as u32).max(size));
    let scaled = image::imageops::resize(&img, sw, sh, image::imageops::FilterType::Triangle);
    Some(image::imageops::crop_imm(&scaled, (sw - size) / 2, (sh - size) / 2, size, size).to_image())
}

/// The picture kind of a product named `name` (English), if a keyword of it is known.
pub fn kind_for(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    KINDS.iter().find(|(k, _)| lower.contains(k)).map(|(_, kind)| *kind)
}

/// A square product picture of `size` px for `key`: a product kind ([`kind_for`]) or a
/// category (unknown keys get a box). `hue_seed` varies the colour between products.
pub fn product_image(key: &str, hue_seed: u64, size: u32) -> RgbaImage {
    let mut img = RgbaImage::from_pixel(size, size, Rgba([0, 0, 0, 0]));
    let s = size as f32 / 100.0; // draw in a 100×100 design grid
    let hues: [[u8; 3]; 6] = [[231, 76, 60], [52, 152, 219], [46, 204, 113], [155, 89, 182], [243, 156, 18], [52, 73, 94]];
    let main = hues[(hue_seed % hues.len() as u64) as usize];
    let dark = mix(main, [0, 0, 0], 0.45);
    let light = mix(main, [255, 255, 255], 0.6);
    if shapes::draw(&mut shapes::Pen { img: &mut img, s, main, dark, light }, key) {
        return img;
    }
    let category = key;
    let r = |x: f32, y: f32, w: f32, h: f32| Rect::at((x * s) as i32, (y * s) as i32).of_size(((w * s) as u32).max(1), ((h * s) as u32).max(1));
    let c = |x: f32, y: f32| ((x * s) as i32, (y * s) as i32);
    let rad = |v: f32| ((v * s) as i32).max(1);
    let poly = |pts: &[(f32, f32)]| pts.iter().map(|&(x, y)| Point::new((x * s) as i32, (y * s) as i32)).collect::<Vec<_>>();
    match category {
        "electronics" => {
            draw_filled_rect_mut(&mut img, r(30.0, 10.0, 40.0, 80.0), rgba(dark));
            draw_filled_rect_mut(&mut img, r(33.0, 16.0, 34.0, 64.0), rgba(light));
            draw_filled_circle_mut(&mut img, c(50.0, 85.0), rad(2.5), rgba(light));
        }
        "computers" => {
            draw_filled_rect_mut(&mut img, r(18.0, 20.0, 64.0, 44.0), rgba(dark));
            draw_filled_rect_mut(&mut img, r(22.0, 24.0, 56.0, 36.0), rgba(light));
            draw_polygon_mut(&mut img, &poly(&[(10.0, 70.0), (90.0, 70.0), (82.0, 64.0), (18.0, 64.0)]), rgba(main));
        }
        "appliances" => {
            draw_filled_rect_mut(&mut img, r(22.0, 12.0, 56.0, 76.0), rgba(main));
            draw_filled_circle_mut(&mut img, c(50.0, 55.0), rad(19.0), rgba(dark));
            draw_filled_circle_mut(&mut img, c(50.0, 55.0), rad(13.0), rgba(light));
            draw_filled_rect_mut(&mut img, r(28.0, 18.0, 20.0, 6.0), rgba(light));
        }
        "apparel" => {
            draw_polygon_mut(
                &mut img,
                &poly(&[(30.0, 15.0), (42.0, 20.0), (58.0, 20.0), (70.0, 15.0), (90.0, 35.0), (78.0, 45.0), (72.0, 40.0), (72.0, 88.0), (28.0, 88.0), (28.0, 40.0), (22.0, 45.0), (10.0, 35.0)]),
                rgba(main),
            );
            draw_filled_ellipse_mut(&mut img, c(50.0, 20.0), rad(8.0), rad(4.0), rgba(light));
        }
        "beauty" => {
            draw_filled_rect_mut(&mut img, r(38.0, 30.0, 24.0, 58.0), rgba(main));
            draw_filled_rect_mut(&mut img, r(42.0, 14.0, 16.0, 16.0), rgba(dark));
            draw_filled_rect_mut(&mut img, r(41.0, 50.0, 18.0, 14.0), rgba(light));
        }
        "kids" => {
            draw_filled_circle_mut(&mut img, c(30.0, 28.0), rad(11.0), rgba(dark));
            draw_filled_circle_mut(&mut img, c(70.0, 28.0), rad(11.0), rgba(dark));
            draw_filled_circle_mut(&mut img, c(50.0, 52.0), rad(30.0), rgba(main));
            draw_filled_circle_mut(&mut img, c(40.0, 46.0), rad(4.0), rgba(dark));
            draw_filled_circle_mut(&mut img, c(60.0, 46.0), rad(4.0), rgba(dark));
            draw_filled_ellipse_mut(&mut img, c(50.0, 64.0), rad(10.0), rad(7.0), rgba(light));
        }
        "sport" => {
            draw_filled_circle_mut(&mut img, c(50.0, 50.0), rad(38.0), rgba(main));
            draw_filled_rect_mut(&mut img, r(12.0, 48.0, 76.0, 4.0), rgba(light));
            draw_filled_rect_mut(&mut img, r(48.0, 12.0, 4.0, 76.0), rgba(light));
        }
        "furniture" => {
            draw_filled_rect_mut(&mut img, r(14.0, 40.0, 72.0, 28.0), rgba(main));
            draw_filled_rect_mut(&mut img, r(20.0, 26.0, 60.0, 18.0), rgba(dark));
            draw_filled_rect_mut(&mut img, r(18.0, 68.0, 6.0, 16.0), rgba(dark));
            draw_filled_rect_mut(&mut img, r(76.0, 68.0, 6.0, 16.0), rgba(dark));
        }
        "food" => {
            draw_filled_circle_mut(&mut img, c(50.0, 56.0), rad(30.0), rgba(main));
            draw_filled_rect_mut(&mut img, r(48.0, 14.0, 4.0, 16.0), rgba(dark));
            draw_filled_ellipse_mut(&mut img, c(62.0, 20.0), rad(10.0), rad(5.0), rgba([60, 170, 80]));
        }
        "accessories" => {
            draw_filled_rect_mut(&mut img, r(40.0, 8.0, 20.0, 84.0), rgba(dark));
            draw_filled_circle_mut(&mut img, c(50.0, 50.0), rad(24.0), rgba(main));
            draw_filled_circle_mut(&mut img, c(50.0, 50.0), rad(18.0), rgba(light));
            draw_filled_rect_mut(&mut img, r(49.0, 36.0, 2.0, 15.0), rgba(dark));
        }
        _ => {
            draw_filled_rect_mut(&mut img, r(18.0, 30.0, 64.0, 56.0), rgba(main));
            draw_polygon_mut(&mut img, &poly(&[(18.0, 30.0), (82.0, 30.0), (70.0, 16.0), (30.0, 16.0)]), rgba(light));
            draw_filled_rect_mut(&mut img, r(46.0, 30.0, 8.0, 56.0), rgba(dark));
        }
    }
    img
}

#[cfg(test)]
mod tests {
    #[test]
    fn categories_draw_different_pictures() {
        let a = super::product_image("electronics", 1, 64);
        let b = super::product_image("sport", 1, 64);
        assert_ne!(a, b);
        assert!(a.pixels().any(|p| p[3] == 255), "something is drawn");
        assert!(a.pixels().any(|p| p[3] == 0), "background stays transparent for compositing");
    }

    #[test]
    fn demo_products_get_a_picture_of_their_kind() {
        for (name, kind) in
            [("Urbanite denim jeans Pro", "jeans"), ("Voltix smartwatch Max", "watch"), ("Homely air fryer Lite", "air_fryer"), ("Lumina smartphone", "phone"), ("Maple & Co linen shirt", "shirt")]
        {
            assert_eq!(super::kind_for(name), Some(kind), "{name}");
        }
        assert_eq!(super::kind_for("Mystery gadget"), None);
        let pics: Vec<_> = ["jeans", "shirt", "watch", "phone", "air_fryer", "washer"].iter().map(|k| super::product_image(k, 1, 64)).collect();
        for (i, a) in pics.iter().enumerate() {
            assert!(a.pixels().any(|p| p[3] == 255), "kind {i} draws something");
            assert!(pics[i + 1..].iter().all(|b| a != b), "kind {i} differs from the others");
        }
    }

    #[test]
    fn a_picture_file_is_fitted_into_the_square_and_bad_files_give_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.png");
        let mut img = image::RgbaImage::from_pixel(40, 20, image::Rgba([200, 10, 10, 255]));
        for y in 0..20 {
            for x in 30..40 {
                img.put_pixel(x, y, image::Rgba([0, 0, 200, 255]));
            }
        }
        img.save(&path).unwrap();
        let pic = super::picture(path.to_str().unwrap(), 10).expect("read");
        assert_eq!(pic.dimensions(), (10, 10));
        assert_eq!(pic.get_pixel(5, 5).0, [200, 10, 10, 255], "the centre of the wide picture");
        std::fs::write(dir.path().join("bad.png"), b"not a png").unwrap();
        assert!(super::picture(dir.path().join("bad.png").to_str().unwrap(), 10).is_none());
        assert!(super::picture(dir.path().join("missing.png").to_str().unwrap(), 10).is_none());
    }

    #[test]
    fn every_demo_noun_has_a_kind() {
        for name in crate::demo::product_nouns() {
            assert!(super::kind_for(name).is_some(), "{name}");
        }
    }
}
