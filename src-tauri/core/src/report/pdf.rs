//! A minimal PDF 1.4 writer for the report: one A4 page per rendered raster (RGB, Flate), with
//! an invisible text layer (render mode 3) over it so the text can be searched, selected and
//! extracted (`pdftotext`). The text layer uses the standard non-embedded CJK font
//! `STSong-Light` with the `UniGB-UTF16-H` CMap (UTF-16BE codes: Latin and Chinese alike),
//! which every conforming reader knows; it is never drawn, so it needs no glyphs.

use std::io::Write;

/// A4 in PDF points.
pub const A4_PT: (f64, f64) = (595.276, 841.89);

/// One line of text on a page, in page pixels (origin top left; `y` the baseline).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub text: String,
    pub x: f64,
    pub y: f64,
    /// Font size in pixels.
    pub size: f64,
    /// Drawn width in pixels: the invisible text is stretched to it, so extraction and
    /// selection see the words where they are drawn.
    pub width: f64,
}

/// One rendered page: `width` × `height` RGB pixels and its text.
#[derive(Debug, Clone)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
    pub text: Vec<TextRun>,
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).expect("writing to a Vec never fails");
    z.finish().expect("writing to a Vec never fails")
}

fn utf16_hex(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// PDF string escaping for the document info (ASCII only; other characters become `?`).
fn info_string(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '?' }).flat_map(|c| if matches!(c, '(' | ')' | '\\') { vec!['\\', c] } else { vec![c] }).collect()
}

/// The text layer of `page`: invisible text at each run's place, scaled from pixels to points.
fn text_layer(page: &Page) -> String {
    let k = A4_PT.0 / page.width as f64;
    let mut out = String::from("BT 3 Tr\n");
    for r in page.text.iter().filter(|r| !r.text.trim().is_empty()) {
        let (x, y) = (r.x * k, A4_PT.1 - r.y * k);
        // STSong-Light's default advance is 1 em per character: stretch to the drawn width.
        let natural = r.text.chars().count() as f64 * r.size;
        let tz = if natural > 0.0 { (100.0 * r.width / natural).clamp(1.0, 1000.0) } else { 100.0 };
        out.push_str(&format!("/F1 {:.2} Tf {tz:.2} Tz 1 0 0 1 {x:.2} {y:.2} Tm <{}> Tj\n", r.size * k, utf16_hex(&r.text)));
    }
    out.push_str("ET\n");
    out
}

/// The PDF bytes of `pages` (at least one), titled `title`.
pub fn write(pages: &[Page], title: &str) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 info; then per page: page, content, image.
    let first = 7;
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", first + 3 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()).into_bytes());
    objects.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UTF16-H /Encoding /UniGB-UTF16-H /DescendantFonts [4 0 R] >>".to_vec());
    objects.push(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 >>".to_vec());
    objects.push(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>".to_vec());
    objects.push(format!("<< /Title ({}) /Producer (Creative Studio {}) >>", info_string(title), env!("CARGO_PKG_VERSION")).into_bytes());
    for (i, p) in pages.iter().enumerate() {
        let (content_id, image_id) = (first + 3 * i + 1, first + 3 * i + 2);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.3} {:.3}] /Resources << /Font << /F1 3 0 R >> /XObject << /Im{i} {image_id} 0 R >> >> /Contents {content_id} 0 R >>",
                A4_PT.0, A4_PT.1
            )
            .into_bytes(),
        );
        let content = format!("q {:.3} 0 0 {:.3} 0 0 cm /Im{i} Do Q\n{}", A4_PT.0, A4_PT.1, text_layer(p));
        let content = deflate(content.as_bytes());
        let mut obj = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", content.len()).into_bytes();
        obj.extend_from_slice(&content);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
        let data = deflate(&p.rgb);
        let mut obj =
            format!("<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n", p.width, p.height, data.len())
                .into_bytes();
        obj.extend_from_slice(&data);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}
