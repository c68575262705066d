//! The bundled fonts (Noto Sans CJK SC subset, OFL — see `assets/fonts/`), embedded in the binary.
//!
//! One family covers Latin and Chinese, so banners and charts never depend on system fonts.

use std::sync::OnceLock;

use ab_glyph::FontRef;

/// Noto Sans CJK SC Regular (subset), OpenType/CFF bytes.
pub static REGULAR_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Regular-subset.otf");
/// Noto Sans CJK SC Bold (subset).
pub static BOLD_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Bold-subset.otf");

/// The regular face, parsed once.
pub fn regular() -> &'static FontRef<'static> {
    static F: OnceLock<FontRef<'static>> = OnceLock::new();
    F.get_or_init(|| FontRef::try_from_slice(REGULAR_BYTES).expect("bundled regular font parses"))
}

/// The bold face, parsed once.
pub fn bold() -> &'static FontRef<'static> {
    static F: OnceLock<FontRef<'static>> = OnceLock::new();
    F.get_or_init(|| FontRef::try_from_slice(BOLD_BYTES).expect("bundled bold font parses"))
}

/// Register the bundled font with plotters as "sans-serif" (normal and bold), once.
/// plotters has no fallback, so without this Chinese chart labels would not render.
pub fn register_chart_fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        use plotters::style::{register_font, FontStyle};
        // register_font only fails on unparseable bytes; the bundled font is tested below.
        let _ = register_font("sans-serif", FontStyle::Normal, REGULAR_BYTES);
        let _ = register_font("sans-serif", FontStyle::Bold, BOLD_BYTES);
    });
}

#[cfg(test)]
mod tests {
    use ab_glyph::Font;

    #[test]
    fn fonts_cover_latin_and_chinese() {
        for f in [super::regular(), super::bold()] {
            for c in ['A', 'z', '¥', '高', '端', '数', '码', '，'] {
                assert_ne!(f.glyph_id(c).0, 0, "missing glyph {c}");
            }
        }
    }
}
