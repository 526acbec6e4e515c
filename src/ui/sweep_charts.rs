//! The capacity curves: one plotters chart per metric, both worlds on shared axes over the swept setting, on screen and exported as PNG or SVG.

use super::charts::{EVENT, FONT, SYNC, context_of, new_canvas};
use super::measured::Measured;
use crate::i18n::Locale;
use crate::live::sweep::{Curve, SWEEP_CHARTS, curves, short_number};
use crate::sim::sweep::SweepPoint;
use crate::sim::trace::World;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Size of an exported curve, in CSS pixels (PNGs are drawn at twice this).
const EXPORT_SIZE: (u32, u32) = (720, 360);
/// The plot's left and right edges inside the canvas, in CSS pixels: where a click is read.
const PLOT_LEFT_PX: f64 = 6.0 + 48.0;
const PLOT_RIGHT_PX: f64 = 14.0;
/// Colours for groups' lag curves, which are not worlds.
const GROUPS: [RGBColor; 4] = [
    RGBColor(0x0f, 0x76, 0x6e),
    RGBColor(0x6d, 0x28, 0xd9),
    RGBColor(0x1d, 0x4e, 0xd8),
    RGBColor(0x9d, 0x17, 0x4d),
];

fn colour(curve: &Curve, index: usize) -> RGBColor {
    match curve.world {
        Some(World::Sync) => SYNC,
        Some(World::Event) => EVENT,
        None => GROUPS[index % GROUPS.len()],
    }
}

/// Draws chart `index` of [`SWEEP_CHARTS`] on `backend`; the ratio scales fonts and strokes.
fn draw<DB: DrawingBackend>(
    backend: Measured<DB>,
    points: &[SweepPoint],
    index: usize,
    locale: Locale,
    ratio: f64,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let px = |size: f64| (size * ratio) as u32;
    let lines = curves(points, index, locale);
    let (x0, x1) = x_range(points);
    let peak = (lines.iter())
        .flat_map(|c| c.points.iter().map(|&(_, y)| y))
        .fold(0.0, f64::max);
    // Headroom above the curves for the legend, drawn inside the plot's top left.
    let headroom = 1.0 + 0.12 * (lines.len() as f64 + 1.0);
    // Success rates sit near 1, so that chart keeps 0..1 and its legend goes low instead.
    let y_max = if index == 0 {
        1.0
    } else {
        (peak * headroom).max(1.0)
    };
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = locale.text(SWEEP_CHARTS[index].0);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, px(13.0)))
        .margin(px(6.0))
        .margin_right(px(PLOT_RIGHT_PX))
        .x_label_area_size(px(20.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(x0..x1, 0.0..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(4)
        .light_line_style(RGBColor(0xee, 0xf0, 0xf3))
        .label_style((FONT, px(11.0)))
        .x_label_formatter(&|x| short_number(locale, *x))
        .y_label_formatter(&|y| short_number(locale, *y))
        .draw()
        .map_err(|e| e.to_string())?;
    for (n, curve) in lines.iter().enumerate() {
        let style = colour(curve, n).stroke_width(px(2.0));
        let series = LineSeries::new(curve.points.iter().copied(), style);
        chart.draw_series(series).map_err(|e| e.to_string())?;
        let dots = (curve.points.iter()).map(|&p| Circle::new(p, px(3.0), style.filled()));
        chart.draw_series(dots).map_err(|e| e.to_string())?;
    }
    // plotters' own legend measures text with an inline-styled <span>, which the page's
    // CSP refuses; a swatch and a name per curve, drawn as the main charts draw theirs.
    let (_, height) = root.dim_in_pixel();
    let low = height as i32 - px(36.0) as i32 - lines.len() as i32 * px(15.0) as i32;
    let (x, y) = (
        px(62.0) as i32,
        if index == 0 { low } else { px(34.0) as i32 },
    );
    for (row, curve) in lines.iter().enumerate() {
        let y = y + row as i32 * px(15.0) as i32;
        let colour = colour(curve, row);
        let swatch = [(x, y), (x + px(18.0) as i32, y)];
        (root.draw(&PathElement::new(swatch, colour.stroke_width(px(3.0)))))
            .map_err(|e| e.to_string())?;
        let font = (FONT, px(11.0)).into_font().color(&colour);
        let name = Text::new(
            curve.label.clone(),
            (x + px(24.0) as i32, y - px(6.0) as i32),
            font,
        );
        root.draw(&name).map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

/// The swept range, never empty (a single point still gets an axis).
fn x_range(points: &[SweepPoint]) -> (f64, f64) {
    let low = points.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
    let high = points
        .iter()
        .map(|p| p.value)
        .fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || high <= low {
        let centre = if low.is_finite() { low } else { 0.0 };
        return (centre - 1.0, centre + 1.0);
    }
    (low, high)
}

/// Redraws chart `index` on its on-screen canvas.
pub fn draw_on(canvas: &HtmlCanvasElement, points: &[SweepPoint], index: usize, locale: Locale) {
    let Some(ratio) = super::animate::fit_to_css_box(canvas) else {
        return;
    };
    let (Some(inner), Some(ruler)) = (
        CanvasBackend::with_canvas_object(canvas.clone()),
        context_of(canvas),
    ) else {
        return;
    };
    let _ = draw(Measured { inner, ruler }, points, index, locale, ratio);
}

/// The point nearest a click `x_px` CSS pixels from the left of a canvas `width_px` wide.
pub fn point_at(points: &[SweepPoint], x_px: f64, width_px: f64) -> Option<usize> {
    let (x0, x1) = x_range(points);
    let plot = (width_px - PLOT_LEFT_PX - PLOT_RIGHT_PX).max(1.0);
    let value = x0 + (x1 - x0) * ((x_px - PLOT_LEFT_PX) / plot).clamp(0.0, 1.0);
    (0..points.len()).min_by(|&a, &b| {
        let da = (points[a].value - value).abs();
        let db = (points[b].value - value).abs();
        da.total_cmp(&db)
    })
}

/// Chart `index` as a standalone SVG document.
pub fn svg(points: &[SweepPoint], index: usize, locale: Locale) -> Result<String, String> {
    let ruler = new_canvas(1, 1)
        .as_ref()
        .and_then(context_of)
        .ok_or("no canvas to measure text")?;
    let mut svg = String::new();
    let inner = SVGBackend::with_string(&mut svg, EXPORT_SIZE);
    draw(Measured { inner, ruler }, points, index, locale, 1.0)?;
    Ok(svg)
}

/// Chart `index` on a new canvas at twice the export size, for a PNG.
pub fn png_canvas(
    points: &[SweepPoint],
    index: usize,
    locale: Locale,
) -> Result<HtmlCanvasElement, String> {
    let (width, height) = EXPORT_SIZE;
    let canvas = new_canvas(width * 2, height * 2).ok_or("no canvas")?;
    let inner = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let ruler = context_of(&canvas).ok_or("no 2d context")?;
    draw(Measured { inner, ruler }, points, index, locale, 2.0)?;
    Ok(canvas)
}
