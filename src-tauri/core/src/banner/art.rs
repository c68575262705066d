//! Product pictures drawn by code: one recognisable pictogram per demo category, coloured per
//! product, so the demo ships no photographs and still shows distinct product images.

use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_ellipse_mut, draw_filled_rect_mut, draw_polygon_mut};
use imageproc::point::Point;
use imageproc::rect::Rect;

use super::color::{mix, rgba};

/// A square product picture of `size` px for `category` (any key; unknown keys get a box).
/// `hue_seed` varies the colour between products.
pub fn product_image(category: &str, hue_seed: u64, size: u32) -> RgbaImage {
    let mut img = RgbaImage::from_pixel(size, size, Rgba([0, 0, 0, 0]));
    let s = size as f32 / 100.0; // draw in a 100×100 design grid
    let hues: [[u8; 3]; 6] = [[231, 76, 60], [52, 152, 219], [46, 204, 113], [155, 89, 182], [243, 156, 18], [52, 73, 94]];
    let main = hues[(hue_seed % hues.len() as u64) as usize];
    let dark = mix(main, [0, 0, 0], 0.45);
    let light = mix(main, [255, 255, 255], 0.6);
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
}
