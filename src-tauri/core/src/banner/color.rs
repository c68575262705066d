//! Palettes and WCAG contrast.

use image::Rgba;

/// Segment palettes: (background top, background bottom, accent). Indexed by segment label.
pub const PALETTES: &[([u8; 3], [u8; 3], [u8; 3])] = &[
    ([24, 48, 92], [46, 94, 170], [255, 196, 61]),
    ([120, 28, 60], [196, 62, 96], [255, 230, 120]),
    ([20, 86, 74], [28, 118, 98], [255, 214, 102]),
    ([70, 40, 120], [118, 78, 190], [120, 240, 210]),
    ([130, 60, 18], [176, 82, 28], [30, 40, 60]),
    ([30, 30, 36], [70, 74, 90], [255, 120, 90]),
    ([16, 92, 130], [30, 116, 160], [255, 240, 150]),
    ([96, 70, 40], [130, 96, 56], [250, 250, 240]),
];

/// Relative luminance (WCAG 2.x) of an sRGB colour.
pub fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = v as f64 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG contrast ratio between two colours, in [1, 21].
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Near-white or near-black, whichever contrasts more with `bg`.
pub fn text_on(bg: [u8; 3]) -> [u8; 3] {
    let light = [255, 255, 255];
    let dark = [20, 22, 28];
    if contrast(light, bg) >= contrast(dark, bg) {
        light
    } else {
        dark
    }
}

/// The WCAG AA minimum contrast for normal-size text.
pub const AA: f64 = 4.5;

/// The lowest contrast of `fg` against any of `bgs` (21 for an empty list).
pub fn min_contrast(fg: [u8; 3], bgs: &[[u8; 3]]) -> f64 {
    bgs.iter().map(|&b| contrast(fg, b)).fold(21.0, f64::min)
}

/// The text colour that reads best on all of `bgs`: white or near-black (whichever has the higher
/// worst-case contrast), or pure black when neither reaches AA; with its worst-case contrast.
/// On a single background the result always passes AA (pure black or white reach ≥ 4.58).
pub fn ink_on(bgs: &[[u8; 3]]) -> ([u8; 3], f64) {
    let mut best = ([255, 255, 255], min_contrast([255, 255, 255], bgs));
    for c in [[20, 22, 28], [0, 0, 0]] {
        if best.1 >= AA {
            break;
        }
        let r = min_contrast(c, bgs);
        if r > best.1 {
            best = (c, r);
        }
    }
    best
}

/// Five colours of the gradient `top`→`bottom` evenly spaced over the span `t0..=t1` (fractions
/// of the gradient): what a contrast check compares text against.
pub fn gradient_samples(top: [u8; 3], bottom: [u8; 3], t0: f64, t1: f64) -> [[u8; 3]; 5] {
    std::array::from_fn(|i| mix(top, bottom, (t0 + (t1 - t0) * i as f64 / 4.0).clamp(0.0, 1.0)))
}

/// A vertical gradient darkened (both ends, in 10% steps) until one text colour passes AA over
/// all of it: a brand colour mixed into a palette can give mid-tones where neither white nor
/// black text would.
pub fn readable_gradient(top: [u8; 3], bottom: [u8; 3]) -> ([u8; 3], [u8; 3]) {
    let (mut t, mut b) = (top, bottom);
    for _ in 0..30 {
        if ink_on(&gradient_samples(t, b, 0.0, 1.0)).1 >= AA {
            break;
        }
        (t, b) = (mix(t, [0, 0, 0], 0.1), mix(b, [0, 0, 0], 0.1));
    }
    (t, b)
}

/// Opaque RGBA from RGB.
pub fn rgba(c: [u8; 3]) -> Rgba<u8> {
    Rgba([c[0], c[1], c[2], 255])
}

/// Linear mix of two colours, t in [0, 1].
pub fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let m = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([119, 119, 119], [255, 255, 255]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn every_palette_gets_aa_text_over_the_whole_gradient_and_on_the_accent() {
        for (top, bottom, accent) in PALETTES {
            // the banner picks one text colour from the gradient's middle; it must pass AA
            // everywhere on the gradient
            let fg = text_on(mix(*top, *bottom, 0.5));
            for t in 0..=10 {
                let bg = mix(*top, *bottom, t as f64 / 10.0);
                assert!(contrast(fg, bg) >= 4.5, "{fg:?} on {bg:?}: {}", contrast(fg, bg));
            }
            assert!(contrast(text_on(*accent), *accent) >= 4.5, "{accent:?}");
        }
    }

    #[test]
    fn ink_passes_aa_on_any_single_colour() {
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(15) {
                for b in (0..=255).step_by(51) {
                    let bg = [r as u8, g as u8, b as u8];
                    let (fg, ratio) = ink_on(&[bg]);
                    assert!(ratio >= AA && (contrast(fg, bg) - ratio).abs() < 1e-9, "{bg:?}");
                }
            }
        }
    }

    #[test]
    fn readable_gradient_fixes_mid_tones() {
        let (t, b) = readable_gradient([200, 120, 40], [90, 150, 210]);
        assert!(ink_on(&gradient_samples(t, b, 0.0, 1.0)).1 >= AA);
        assert_eq!(readable_gradient([10, 10, 10], [30, 30, 40]), ([10, 10, 10], [30, 30, 40]), "already readable: unchanged");
    }
}
