//! The bundled fonts (Noto Sans CJK SC and Noto Serif CJK SC subsets, OFL — see `assets/fonts/`),
//! embedded in the binary.
//!
//! One family covers Latin and Chinese, so banners and charts never depend on system fonts.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};
use serde::{Deserialize, Serialize};

/// Noto Sans CJK SC Regular (subset), OpenType/CFF bytes.
pub static REGULAR_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Regular-subset.otf");
/// Noto Sans CJK SC Bold (subset).
pub static BOLD_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-Bold-subset.otf");
/// Noto Serif CJK SC Bold (subset: Latin, punctuation and the 3,755 level-1 GB2312 hanzi).
pub static SERIF_BOLD_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSerifSC-Bold-subset.otf");

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

/// The serif bold face, parsed once.
pub fn serif_bold() -> &'static FontRef<'static> {
    static F: OnceLock<FontRef<'static>> = OnceLock::new();
    F.get_or_init(|| FontRef::try_from_slice(SERIF_BOLD_BYTES).expect("bundled serif font parses"))
}

/// One bundled face, as named in banner draw lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Face {
    SansRegular,
    SansBold,
    SerifBold,
}

impl Face {
    /// The parsed font.
    pub fn font(self) -> &'static FontRef<'static> {
        match self {
            Face::SansRegular => regular(),
            Face::SansBold => bold(),
            Face::SerifBold => serif_bold(),
        }
    }

    /// The embedded OpenType bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::SansRegular => REGULAR_BYTES,
            Face::SansBold => BOLD_BYTES,
            Face::SerifBold => SERIF_BOLD_BYTES,
        }
    }

    /// The file name under `assets/fonts/` (what other renderers load, e.g. the Pillow benchmark).
    pub fn file_name(self) -> &'static str {
        match self {
            Face::SansRegular => "NotoSansSC-Regular-subset.otf",
            Face::SansBold => "NotoSansSC-Bold-subset.otf",
            Face::SerifBold => "NotoSerifSC-Bold-subset.otf",
        }
    }

    /// The face that draws `c`: this one, or its fallback (serif → sans bold) when this one
    /// lacks the glyph. The sans faces have no fallback (they cover all of GB2312).
    pub fn for_char(self, c: char) -> Face {
        match self {
            Face::SerifBold if self.font().glyph_id(c).0 == 0 => Face::SansBold,
            f => f,
        }
    }
}

/// The regular face's height (ascent − descent) per em: what plotters' bitmap text size
/// (ab_glyph's pixel height) must be multiplied by to draw text of a given em size.
pub fn height_per_em() -> f64 {
    let f = regular();
    ((f.ascent_unscaled() - f.descent_unscaled()) / f.units_per_em().unwrap_or(1000.0)) as f64
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
    use super::Face;
    use ab_glyph::Font;

    #[test]
    fn fonts_cover_latin_and_chinese() {
        for f in [super::regular(), super::bold(), super::serif_bold()] {
            for c in ['A', 'z', '¥', '高', '端', '数', '码', '，'] {
                assert_ne!(f.glyph_id(c).0, 0, "missing glyph {c}");
            }
        }
    }

    #[test]
    fn serif_falls_back_to_sans_for_rare_hanzi() {
        // 耷 is GB2312 level 2: not in the serif subset, drawn with the sans face
        assert_eq!(super::serif_bold().glyph_id('耷').0, 0);
        assert_ne!(super::bold().glyph_id('耷').0, 0);
        assert_eq!(Face::SerifBold.for_char('耷'), Face::SansBold);
        assert_eq!(Face::SerifBold.for_char('高'), Face::SerifBold);
        assert_eq!(Face::SansRegular.for_char('耷'), Face::SansRegular);
    }

    #[test]
    fn faces_name_their_files() {
        for f in [Face::SansRegular, Face::SansBold, Face::SerifBold] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts").join(f.file_name());
            assert_eq!(std::fs::read(&path).expect("font file").as_slice(), f.bytes(), "{}", path.display());
        }
    }
}
