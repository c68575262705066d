//! One simple vector pictogram per product kind, drawn in a 100×100 design grid with the
//! product's three tones (main, dark, light).

use image::RgbaImage;
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_ellipse_mut, draw_filled_rect_mut, draw_polygon_mut};
use imageproc::point::Point;
use imageproc::rect::Rect;

use super::super::color::rgba;

/// Drawing in the 100×100 grid, scaled to the picture.
pub(super) struct Pen<'a> {
    pub img: &'a mut RgbaImage,
    pub s: f32,
    pub main: [u8; 3],
    pub dark: [u8; 3],
    pub light: [u8; 3],
}

impl Pen<'_> {
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: [u8; 3]) {
        let s = self.s;
        draw_filled_rect_mut(self.img, Rect::at((x * s) as i32, (y * s) as i32).of_size(((w * s) as u32).max(1), ((h * s) as u32).max(1)), rgba(c));
    }

    pub fn circle(&mut self, x: f32, y: f32, r: f32, c: [u8; 3]) {
        let s = self.s;
        draw_filled_circle_mut(self.img, ((x * s) as i32, (y * s) as i32), ((r * s) as i32).max(1), rgba(c));
    }

    pub fn ellipse(&mut self, x: f32, y: f32, rx: f32, ry: f32, c: [u8; 3]) {
        let s = self.s;
        draw_filled_ellipse_mut(self.img, ((x * s) as i32, (y * s) as i32), ((rx * s) as i32).max(1), ((ry * s) as i32).max(1), rgba(c));
    }

    pub fn poly(&mut self, pts: &[(f32, f32)], c: [u8; 3]) {
        let s = self.s;
        let mut p: Vec<Point<i32>> = pts.iter().map(|&(x, y)| Point::new((x * s) as i32, (y * s) as i32)).collect();
        p.dedup();
        if p.len() > 2 && p.first() != p.last() {
            draw_polygon_mut(self.img, &p, rgba(c));
        }
    }

    /// A thick straight bar from (x0, y0) to (x1, y1), `t` wide.
    pub fn bar(&mut self, (x0, y0): (f32, f32), (x1, y1): (f32, f32), t: f32, c: [u8; 3]) {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let (nx, ny) = (-dy / len * t / 2.0, dx / len * t / 2.0);
        self.poly(&[(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], c);
    }
}

/// Draw the pictogram of `kind`; `false` when the kind is unknown (nothing drawn).
pub(super) fn draw(p: &mut Pen, kind: &str) -> bool {
    let (m, d, l) = (p.main, p.dark, p.light);
    match kind {
        "phone" => {
            p.rect(30.0, 10.0, 40.0, 80.0, d);
            p.rect(33.0, 16.0, 34.0, 64.0, l);
            p.circle(50.0, 85.0, 2.5, l);
        }
        "watch" => {
            p.rect(38.0, 6.0, 24.0, 88.0, d);
            p.rect(28.0, 28.0, 44.0, 44.0, m);
            p.rect(32.0, 32.0, 36.0, 36.0, [30, 30, 36]);
            p.rect(72.0, 44.0, 4.0, 10.0, d);
            p.rect(38.0, 46.0, 16.0, 4.0, l);
        }
        "earbuds" => {
            p.ellipse(50.0, 62.0, 30.0, 20.0, d);
            p.ellipse(50.0, 58.0, 26.0, 14.0, m);
            for x in [36.0, 64.0] {
                p.circle(x, 32.0, 11.0, l);
                p.rect(x - 3.0, 32.0, 6.0, 22.0, l);
            }
        }
        "speaker" => {
            p.rect(26.0, 20.0, 48.0, 64.0, d);
            p.ellipse(50.0, 20.0, 24.0, 8.0, m);
            p.ellipse(50.0, 84.0, 24.0, 8.0, d);
            p.circle(50.0, 56.0, 15.0, m);
            p.circle(50.0, 56.0, 6.0, l);
        }
        "laptop" => {
            p.rect(18.0, 20.0, 64.0, 44.0, d);
            p.rect(22.0, 24.0, 56.0, 36.0, l);
            p.poly(&[(10.0, 70.0), (90.0, 70.0), (82.0, 64.0), (18.0, 64.0)], m);
        }
        "keyboard" => {
            p.rect(8.0, 34.0, 84.0, 34.0, d);
            for row in 0..3 {
                for k in 0..8 {
                    p.rect(12.0 + k as f32 * 10.0, 38.0 + row as f32 * 9.0, 7.0, 6.0, l);
                }
            }
            p.rect(30.0, 58.0, 40.0, 6.0, m);
        }
        "monitor" => {
            p.rect(10.0, 16.0, 80.0, 52.0, d);
            p.rect(14.0, 20.0, 72.0, 44.0, l);
            p.rect(46.0, 68.0, 8.0, 12.0, m);
            p.rect(32.0, 80.0, 36.0, 5.0, d);
        }
        "mouse" => {
            p.ellipse(50.0, 54.0, 22.0, 32.0, m);
            p.rect(49.0, 22.0, 2.0, 22.0, d);
            p.ellipse(50.0, 34.0, 3.0, 6.0, l);
        }
        "air_fryer" => {
            p.ellipse(50.0, 30.0, 30.0, 14.0, d);
            p.rect(20.0, 30.0, 60.0, 54.0, m);
            p.rect(26.0, 50.0, 48.0, 28.0, d);
            p.rect(40.0, 60.0, 20.0, 6.0, l);
            p.circle(50.0, 38.0, 5.0, l);
        }
        "washer" => {
            p.rect(22.0, 12.0, 56.0, 76.0, m);
            p.circle(50.0, 55.0, 19.0, d);
            p.circle(50.0, 55.0, 13.0, l);
            p.rect(28.0, 18.0, 20.0, 6.0, l);
        }
        "vacuum" => {
            p.circle(50.0, 54.0, 36.0, d);
            p.circle(50.0, 54.0, 30.0, m);
            p.circle(50.0, 40.0, 8.0, l);
            p.rect(26.0, 62.0, 48.0, 4.0, d);
        }
        "coffee_machine" => {
            p.rect(24.0, 12.0, 52.0, 20.0, d);
            p.rect(24.0, 32.0, 14.0, 50.0, d);
            p.rect(24.0, 82.0, 52.0, 6.0, d);
            p.rect(38.0, 32.0, 38.0, 6.0, m);
            p.rect(52.0, 38.0, 8.0, 8.0, m);
            p.rect(46.0, 58.0, 20.0, 22.0, l);
            p.rect(66.0, 62.0, 5.0, 10.0, l);
        }
        "purifier" => {
            p.rect(28.0, 10.0, 44.0, 80.0, m);
            p.rect(32.0, 14.0, 36.0, 8.0, d);
            for i in 0..6 {
                p.rect(34.0, 32.0 + i as f32 * 9.0, 32.0, 4.0, l);
            }
        }
        "jacket" => {
            p.poly(&[(34.0, 12.0), (66.0, 12.0), (88.0, 26.0), (92.0, 80.0), (78.0, 80.0), (76.0, 40.0), (74.0, 90.0), (26.0, 90.0), (24.0, 40.0), (22.0, 80.0), (8.0, 80.0), (12.0, 26.0)], m);
            p.rect(49.0, 16.0, 2.0, 74.0, d);
            for y in [34.0, 50.0, 66.0] {
                p.rect(26.0, y, 48.0, 2.0, d);
            }
            p.ellipse(50.0, 13.0, 10.0, 4.0, d);
        }
        "shirt" => {
            p.poly(&[(30.0, 15.0), (42.0, 20.0), (58.0, 20.0), (70.0, 15.0), (90.0, 35.0), (78.0, 45.0), (72.0, 40.0), (72.0, 88.0), (28.0, 88.0), (28.0, 40.0), (22.0, 45.0), (10.0, 35.0)], m);
            p.poly(&[(40.0, 16.0), (50.0, 30.0), (60.0, 16.0), (50.0, 22.0)], l);
            for y in [36.0, 48.0, 60.0, 72.0] {
                p.circle(50.0, y, 2.0, l);
            }
        }
        "jeans" => {
            p.rect(26.0, 10.0, 48.0, 10.0, d);
            p.poly(&[(26.0, 20.0), (74.0, 20.0), (78.0, 92.0), (56.0, 92.0), (50.0, 38.0), (44.0, 92.0), (22.0, 92.0)], m);
            p.rect(48.0, 20.0, 2.0, 16.0, d);
            p.rect(30.0, 22.0, 12.0, 2.0, l);
            p.rect(58.0, 22.0, 12.0, 2.0, l);
        }
        "shoe" => {
            p.poly(&[(10.0, 52.0), (40.0, 44.0), (56.0, 30.0), (66.0, 34.0), (72.0, 52.0), (92.0, 60.0), (92.0, 72.0), (10.0, 72.0)], m);
            p.rect(10.0, 72.0, 82.0, 8.0, d);
            p.bar((44.0, 44.0), (52.0, 52.0), 3.0, l);
            p.bar((50.0, 38.0), (58.0, 46.0), 3.0, l);
        }
        "dropper" => {
            p.rect(34.0, 40.0, 32.0, 48.0, m);
            p.rect(40.0, 28.0, 20.0, 12.0, d);
            p.ellipse(50.0, 18.0, 8.0, 11.0, d);
            p.rect(38.0, 56.0, 24.0, 16.0, l);
        }
        "tube" => {
            p.poly(&[(32.0, 12.0), (68.0, 12.0), (60.0, 78.0), (40.0, 78.0)], m);
            p.rect(40.0, 78.0, 20.0, 12.0, d);
            p.rect(38.0, 30.0, 24.0, 12.0, l);
        }
        "lipstick" => {
            p.rect(36.0, 54.0, 28.0, 36.0, d);
            p.rect(39.0, 38.0, 22.0, 16.0, l);
            p.poly(&[(42.0, 38.0), (58.0, 38.0), (58.0, 16.0), (42.0, 26.0)], m);
        }
        "jar" => {
            p.rect(22.0, 30.0, 56.0, 14.0, d);
            p.rect(24.0, 44.0, 52.0, 38.0, m);
            p.rect(30.0, 54.0, 40.0, 16.0, l);
        }
        "stroller" => {
            p.poly(&[(22.0, 22.0), (62.0, 22.0), (62.0, 62.0), (22.0, 62.0), (16.0, 40.0)], m);
            p.poly(&[(22.0, 22.0), (48.0, 22.0), (22.0, 50.0)], d);
            p.bar((62.0, 60.0), (80.0, 18.0), 4.0, d);
            p.circle(30.0, 78.0, 9.0, d);
            p.circle(60.0, 78.0, 9.0, d);
        }
        "blocks" => {
            p.rect(14.0, 58.0, 30.0, 30.0, m);
            p.rect(48.0, 58.0, 30.0, 30.0, d);
            p.rect(30.0, 26.0, 30.0, 30.0, l);
            for (x, y) in [(24.0, 56.0), (34.0, 56.0), (58.0, 56.0), (68.0, 56.0), (40.0, 24.0), (50.0, 24.0)] {
                p.rect(x - 3.0, y - 3.0, 6.0, 4.0, d);
            }
        }
        "can" => {
            p.rect(28.0, 22.0, 44.0, 66.0, m);
            p.rect(26.0, 14.0, 48.0, 10.0, d);
            p.rect(32.0, 44.0, 36.0, 22.0, l);
        }
        "yoga_mat" => {
            p.rect(12.0, 36.0, 60.0, 30.0, m);
            p.circle(72.0, 51.0, 15.0, m);
            p.circle(72.0, 51.0, 9.0, d);
            p.circle(72.0, 51.0, 4.0, l);
        }
        "bike" => {
            for x in [26.0, 74.0] {
                p.circle(x, 64.0, 18.0, d);
                p.circle(x, 64.0, 14.0, [255, 255, 255]);
            }
            p.bar((26.0, 64.0), (44.0, 40.0), 4.0, m);
            p.bar((44.0, 40.0), (70.0, 40.0), 4.0, m);
            p.bar((26.0, 64.0), (52.0, 64.0), 4.0, m);
            p.bar((52.0, 64.0), (70.0, 40.0), 4.0, m);
            p.bar((70.0, 40.0), (74.0, 64.0), 4.0, m);
            p.bar((52.0, 64.0), (44.0, 40.0), 4.0, m);
            p.rect(38.0, 34.0, 12.0, 4.0, d);
            p.rect(66.0, 30.0, 10.0, 4.0, d);
        }
        "dumbbell" => {
            p.rect(26.0, 46.0, 48.0, 8.0, l);
            for x in [12.0, 74.0] {
                p.rect(x, 28.0, 14.0, 44.0, m);
            }
            for x in [6.0, 88.0] {
                p.rect(x, 36.0, 6.0, 28.0, d);
            }
        }
        "tent" => {
            p.poly(&[(50.0, 14.0), (92.0, 84.0), (8.0, 84.0)], m);
            p.poly(&[(50.0, 40.0), (64.0, 84.0), (36.0, 84.0)], d);
            p.rect(6.0, 84.0, 88.0, 3.0, d);
        }
        "sofa" => {
            p.rect(14.0, 40.0, 72.0, 28.0, m);
            p.rect(20.0, 26.0, 60.0, 18.0, d);
            p.rect(18.0, 68.0, 6.0, 16.0, d);
            p.rect(76.0, 68.0, 6.0, 16.0, d);
        }
        "lamp" => {
            p.poly(&[(30.0, 14.0), (62.0, 14.0), (72.0, 40.0), (20.0, 40.0)], m);
            p.rect(44.0, 40.0, 4.0, 42.0, d);
            p.rect(28.0, 82.0, 36.0, 6.0, d);
            p.ellipse(46.0, 44.0, 8.0, 3.0, l);
        }
        "shelf" => {
            p.rect(20.0, 8.0, 60.0, 84.0, d);
            for (i, y) in [12.0, 40.0, 66.0].into_iter().enumerate() {
                p.rect(24.0, y, 52.0, 22.0, l);
                for k in 0..(3 + i) {
                    p.rect(26.0 + k as f32 * 8.0, y + 4.0, 6.0, 18.0, if k % 2 == 0 { m } else { d });
                }
            }
        }
        "pillow" => {
            p.ellipse(50.0, 52.0, 40.0, 26.0, m);
            p.ellipse(50.0, 52.0, 32.0, 18.0, l);
            p.ellipse(50.0, 52.0, 24.0, 12.0, m);
        }
        "bag" => {
            p.poly(&[(28.0, 24.0), (72.0, 24.0), (78.0, 88.0), (22.0, 88.0)], m);
            p.rect(28.0, 14.0, 44.0, 10.0, d);
            p.rect(34.0, 44.0, 32.0, 24.0, l);
            p.ellipse(50.0, 56.0, 6.0, 8.0, d);
        }
        "cup" => {
            p.rect(26.0, 36.0, 40.0, 46.0, m);
            p.circle(70.0, 54.0, 10.0, m);
            p.circle(70.0, 54.0, 5.0, [255, 255, 255]);
            p.ellipse(46.0, 36.0, 20.0, 6.0, [60, 170, 80]);
            p.bar((40.0, 28.0), (44.0, 14.0), 3.0, l);
            p.bar((52.0, 28.0), (56.0, 14.0), 3.0, l);
        }
        "oil_bottle" => {
            p.rect(32.0, 38.0, 36.0, 52.0, m);
            p.poly(&[(32.0, 38.0), (68.0, 38.0), (56.0, 24.0), (44.0, 24.0)], m);
            p.rect(44.0, 10.0, 12.0, 14.0, d);
            p.rect(36.0, 54.0, 28.0, 20.0, l);
        }
        "wallet" => {
            p.rect(14.0, 30.0, 72.0, 46.0, d);
            p.rect(14.0, 30.0, 72.0, 10.0, m);
            p.rect(60.0, 46.0, 26.0, 14.0, m);
            p.circle(68.0, 53.0, 3.0, l);
        }
        "sunglasses" => {
            p.rect(12.0, 38.0, 76.0, 4.0, d);
            p.ellipse(30.0, 50.0, 17.0, 13.0, d);
            p.ellipse(70.0, 50.0, 17.0, 13.0, d);
            p.ellipse(27.0, 47.0, 6.0, 4.0, l);
            p.ellipse(67.0, 47.0, 6.0, 4.0, l);
        }
        "backpack" => {
            p.rect(24.0, 24.0, 52.0, 66.0, m);
            p.ellipse(50.0, 26.0, 26.0, 14.0, m);
            p.rect(32.0, 56.0, 36.0, 24.0, d);
            p.rect(42.0, 8.0, 16.0, 6.0, d);
            p.rect(34.0, 60.0, 32.0, 3.0, l);
        }
        "scarf" => {
            p.poly(&[(20.0, 20.0), (80.0, 20.0), (80.0, 34.0), (20.0, 34.0)], m);
            p.poly(&[(56.0, 30.0), (70.0, 30.0), (64.0, 86.0), (50.0, 86.0)], m);
            p.poly(&[(56.0, 30.0), (64.0, 30.0), (60.0, 40.0)], d);
            for x in [52.0, 56.0, 60.0, 64.0] {
                p.rect(x, 86.0, 2.0, 6.0, d);
            }
            p.rect(20.0, 26.0, 60.0, 2.0, l);
        }
        _ => return false,
    }
    true
}
