//! Charts drawn in the core with plotters: SVG for live UI frames, PNG for export.
//!
//! Labels may be Chinese: the bundled CJK font is registered as plotters' "sans-serif".

use plotters::prelude::*;
use thiserror::Error;

use crate::error::{ErrorCode, HasCode};
use crate::fonts;

/// Chart drawing errors.
#[derive(Debug, Error)]
pub enum ChartError {
    #[error("cannot draw chart: {0}")]
    Draw(String),
}

impl HasCode for ChartError {
    fn code(&self) -> ErrorCode {
        ErrorCode::Internal
    }
}

/// One line: a label and (x, y) points.
pub struct Series<'a> {
    pub label: &'a str,
    pub points: &'a [(f64, f64)],
}

/// Series colours of every chart, in order.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(46, 94, 170),
    RGBColor(196, 62, 96),
    RGBColor(38, 140, 118),
    RGBColor(118, 78, 190),
    RGBColor(222, 120, 44),
    RGBColor(70, 74, 90),
    RGBColor(40, 150, 190),
    RGBColor(160, 120, 70),
    RGBColor(120, 160, 40),
    RGBColor(200, 80, 180),
];

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, plotters::coord::Shift>, title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let x_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold(1.0, f64::max);
    let y_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.01, f64::max) * 1.15;
    let mut chart =
        ChartBuilder::on(&root).caption(title, ("sans-serif", 20)).margin(12).x_label_area_size(36).y_label_area_size(56).build_cartesian_2d(0.0..x_max, 0.0..y_max).map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .y_label_formatter(&|v| format!("{:.1}%", v * 100.0))
        .x_label_formatter(&|v| format!("{:.0}", v))
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))
            .map_err(|e| err(&e))?
            .label(s.label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(3)));
    }
    if !series.is_empty() {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// An SVG document of the line chart.
pub fn line_svg(title: &str, x_label: &str, y_label: &str, series: &[Series], size: (u32, u32)) -> Result<String, ChartError> {
    fonts::register_chart_fonts();
    let mut out = String::new();
    draw(SVGBackend::with_string(&mut out, size).into_drawing_area(), title, x_label, y_label, series)?;
    Ok(out)
}

/// PNG bytes of the line chart.
pub fn line_png(title: &str, x_label: &str, y_label: &str, series: &[Series], size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    fonts::register_chart_fonts();
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut buf, size).into_drawing_area(), title, x_label, y_label, series)?;
    let img = image::RgbImage::from_raw(size.0, size.1, buf).ok_or_else(|| ChartError::Draw("buffer size".into()))?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_contains_chinese_labels_and_one_path_per_series() {
        let a = [(0.0, 0.01), (100.0, 0.02)];
        let b = [(0.0, 0.03), (100.0, 0.025)];
        let svg = line_svg("模拟点击率 Simulated CTR", "曝光", "CTR", &[Series { label: "高端数码电子爱好者", points: &a }, Series { label: "B", points: &b }], (640, 360)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("高端数码电子爱好者"));
        assert!(svg.matches("<polyline").count() >= 2, "{svg}");
    }

    #[test]
    fn png_draws_chinese_text_pixels() {
        let a = [(0.0, 0.01), (100.0, 0.02)];
        let png = line_png("模拟", "x", "y", &[Series { label: "数码", points: &a }], (320, 200)).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (320, 200));
        // the caption area (top rows) must contain dark text pixels
        let dark = (0..320).flat_map(|x| (0..30).map(move |y| (x, y))).filter(|&(x, y)| img.get_pixel(x, y).0[0] < 100).count();
        assert!(dark > 20, "caption drawn: {dark} dark pixels");
    }
}
