//! Export encoding within a placement's byte budget: PNG with fast compression when it fits,
//! else the highest JPEG quality that does.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder, RgbaImage};
use serde::{Deserialize, Serialize};

use super::BannerError;

/// Highest and lowest JPEG quality tried.
pub const JPEG_QUALITY: (u8, u8) = (95, 30);

/// An encoded image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// An encoded banner and how it was encoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    /// JPEG quality used; `None` for PNG.
    pub quality: Option<u8>,
    /// False only when even the lowest JPEG quality exceeds the budget (the bytes are then that
    /// lowest-quality JPEG).
    pub within_budget: bool,
}

/// The RGB bytes of `img` (banners are opaque: alpha is dropped).
fn rgb(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(img.as_raw().len() / 4 * 3);
    for p in img.as_raw().chunks_exact(4) {
        out.extend_from_slice(&p[..3]);
    }
    out
}

fn png(rgb: &[u8], w: u32, h: u32, compression: CompressionType) -> Result<Vec<u8>, BannerError> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, compression, FilterType::Adaptive).write_image(rgb, w, h, ExtendedColorType::Rgb8)?;
    Ok(out)
}

fn jpeg(rgb: &[u8], w: u32, h: u32, quality: u8) -> Result<Vec<u8>, BannerError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality).write_image(rgb, w, h, ExtendedColorType::Rgb8)?;
    Ok(out)
}

/// RGB PNG with fast (fdeflate) compression and adaptive filtering: the export default.
pub fn encode_png_fast(img: &RgbaImage) -> Result<Vec<u8>, BannerError> {
    png(&rgb(img), img.width(), img.height(), CompressionType::Fast)
}

/// RGB PNG with the best compression (slow; kept for callers that store few images).
pub fn encode_png(img: &RgbaImage) -> Result<Vec<u8>, BannerError> {
    png(&rgb(img), img.width(), img.height(), CompressionType::Best)
}

/// Encoded bytes within `max_bytes`: PNG (fast compression) if it fits, else the highest JPEG
/// quality (binary search, 95 down to 30) that fits; `within_budget` is false only if even the
/// lowest quality is too big.
pub fn encode_within(img: &RgbaImage, max_bytes: u64) -> Result<Encoded, BannerError> {
    let (w, h) = img.dimensions();
    let data = rgb(img);
    let png = png(&data, w, h, CompressionType::Fast)?;
    if png.len() as u64 <= max_bytes {
        return Ok(Encoded { bytes: png, format: ImageFormat::Png, quality: None, within_budget: true });
    }
    let (hi, lo) = JPEG_QUALITY;
    let top = jpeg(&data, w, h, hi)?;
    if top.len() as u64 <= max_bytes {
        return Ok(Encoded { bytes: top, format: ImageFormat::Jpeg, quality: Some(hi), within_budget: true });
    }
    // invariant: quality `hi` is too big; `best` (if any) fits
    let (mut lo, mut hi) = (lo, hi - 1);
    let mut best: Option<(u8, Vec<u8>)> = None;
    while lo <= hi {
        let q = lo + (hi - lo) / 2;
        let bytes = jpeg(&data, w, h, q)?;
        if bytes.len() as u64 <= max_bytes {
            best = Some((q, bytes));
            lo = q + 1;
        } else if q == JPEG_QUALITY.1 {
            return Ok(Encoded { bytes, format: ImageFormat::Jpeg, quality: Some(q), within_budget: false });
        } else {
            hi = q - 1;
        }
    }
    match best {
        Some((q, bytes)) => Ok(Encoded { bytes, format: ImageFormat::Jpeg, quality: Some(q), within_budget: true }),
        None => {
            let q = JPEG_QUALITY.1;
            Ok(Encoded { bytes: jpeg(&data, w, h, q)?, format: ImageFormat::Jpeg, quality: Some(q), within_budget: false })
        }
    }
}
