//! The four charts, drawn with plotters on one canvas (both worlds on a shared simulated-time axis), and each exported as SVG or PNG.

use super::animate::fit_to_css_box;
use super::measured::Measured;
use crate::i18n::{Key, Locale};
use crate::live::charts::{ChartData, Series};
use crate::sim::Simulation;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub(super) const SYNC: RGBColor = RGBColor(0xb4, 0x53, 0x09);
pub(super) const EVENT: RGBColor = RGBColor(0x0f, 0x76, 0x6e);
const MARK: RGBColor = RGBColor(0x64, 0x74, 0x8b);
pub(super) const FONT: &str =
    "system-ui, 'Noto Sans', 'Noto Sans CJK TC', 'Noto Sans CJK JP', sans-serif";

/// How a chart is drawn: its scale, and whether it carries its own legend (an exported
/// chart stands alone; on screen the page's legend serves all four).
#[derive(Clone, Copy)]
struct PanelStyle {
    ratio: f64,
    legend: bool,
}

struct Panel<'a> {
    title: Key,
    lines: Vec<(&'a Series, RGBColor, bool)>,
    y_max: f64,
}

fn peak(series: &[&Series]) -> f64 {
    series
        .iter()
        .flat_map(|s| s.iter().map(|&(_, v)| v))
        .fold(0.0, f64::max)
}

/// The charts, in the order they are drawn and offered for export: title, and file name part.
pub const CHARTS: [(Key, &str); 4] = [
    (Key::ChartSuccess, "success-rate"),
    (Key::ChartLatency, "p99-latency"),
    (Key::ChartLostDuplicated, "lost-duplicated"),
    (Key::ChartLag, "lag"),
];

/// Size of an exported chart, in CSS pixels (PNGs are drawn at twice this).
const EXPORT_SIZE: (u32, u32) = (720, 360);

fn panels(data: &ChartData) -> [Panel<'_>; 4] {
    let [lost_sync, lost_event] = &data.lost_cumulative;
    let [dup_sync, dup_event] = &data.duplicated_cumulative;
    [
        Panel {
            title: Key::ChartSuccess,
            lines: vec![
                (&data.success[0], SYNC, false),
                (&data.success[1], EVENT, false),
            ],
            y_max: 1.0,
        },
        Panel {
            title: Key::ChartLatency,
            lines: vec![
                (&data.latency_ms_p99[0], SYNC, false),
                (&data.latency_ms_p99[1], EVENT, false),
                (&data.consistency_ms_p99[0], SYNC, true),
                (&data.consistency_ms_p99[1], EVENT, true),
            ],
            y_max: peak(&[
                &data.latency_ms_p99[0],
                &data.latency_ms_p99[1],
                &data.consistency_ms_p99[0],
                &data.consistency_ms_p99[1],
            ]),
        },
        Panel {
            title: Key::ChartLostDuplicated,
            lines: vec![
                (lost_sync, SYNC, false),
                (lost_event, EVENT, false),
                (dup_sync, SYNC, true),
                (dup_event, EVENT, true),
            ],
            y_max: peak(&[lost_sync, lost_event, dup_sync, dup_event]),
        },
        Panel {
            title: Key::ChartLag,
            lines: vec![(&data.lag, EVENT, false)],
            y_max: peak(&[&data.lag]),
        },
    ]
}

/// A detached canvas's 2D context: measures text for charts drawn elsewhere.
pub(super) fn context_of(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

pub(super) fn new_canvas(width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

/// Redraws every chart from the run's time series; a compared branch's lines are drawn faded.
pub fn draw_charts(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
    compared: Option<&ChartData>,
    locale: Locale,
) {
    let Some(ratio) = fit_to_css_box(canvas) else {
        return;
    };
    let _ = draw_all(canvas, data, compared, locale, ratio);
}

fn draw_all(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
    compared: Option<&ChartData>,
    locale: Locale,
    ratio: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let inner = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let ruler = context_of(canvas).ok_or("no 2d context")?;
    let root = Measured { inner, ruler }.into_drawing_area();
    root.fill(&WHITE)?;
    let others = compared.map_or([None, None, None, None], |c| panels(c).map(Some));
    // On a phone CSS makes the canvas taller than wide: the four charts then stand one per row.
    let grid = if canvas.client_height() > canvas.client_width() {
        (4, 1)
    } else {
        (2, 2)
    };
    let areas = root.split_evenly(grid);
    for ((area, panel), other) in areas.iter().zip(panels(data)).zip(others) {
        let style = PanelStyle {
            ratio,
            legend: false,
        };
        draw_panel(area, panel, other, data, locale, style)?;
    }
    root.present()?;
    Ok(())
}

/// Draws chart `index` of [`CHARTS`] alone, with its legend, on `backend` at `ratio`.
fn draw_standalone<DB: DrawingBackend>(
    backend: Measured<DB>,
    sim: &Simulation,
    index: usize,
    locale: Locale,
    ratio: f64,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let data = ChartData::of(sim);
    let panel = panels(&data)
        .into_iter()
        .nth(index)
        .ok_or("no such chart")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let style = PanelStyle {
        ratio,
        legend: true,
    };
    draw_panel(&root, panel, None, &data, locale, style).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Chart `index` of [`CHARTS`] as a standalone SVG document.
pub fn chart_svg(sim: &Simulation, index: usize, locale: Locale) -> Result<String, String> {
    let ruler = new_canvas(1, 1)
        .as_ref()
        .and_then(context_of)
        .ok_or("no canvas to measure text")?;
    let mut svg = String::new();
    let inner = SVGBackend::with_string(&mut svg, EXPORT_SIZE);
    draw_standalone(Measured { inner, ruler }, sim, index, locale, 1.0)?;
    Ok(svg)
}

/// Chart `index` of [`CHARTS`] drawn on a new canvas at twice the export size, for a PNG.
pub fn chart_canvas(
    sim: &Simulation,
    index: usize,
    locale: Locale,
) -> Result<HtmlCanvasElement, String> {
    let (width, height) = EXPORT_SIZE;
    let canvas = new_canvas(width * 2, height * 2).ok_or("no canvas")?;
    let inner = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let ruler = context_of(&canvas).ok_or("no 2d context")?;
    draw_standalone(Measured { inner, ruler }, sim, index, locale, 2.0)?;
    Ok(canvas)
}

/// One chart in `area`; the style's ratio scales fonts and strokes (device pixels per CSS pixel).
/// A caption's type size: 13 px, smaller when a long title (a phone's narrow chart) would not
/// fit `width_css`; CJK glyphs are counted about twice as wide as Latin ones.
fn caption_size(title: &str, width_css: f64) -> f64 {
    let wide: f64 = title
        .chars()
        .map(|c| if c as u32 >= 0x2e80 { 1.0 } else { 0.55 })
        .sum();
    let fits = (width_css - 12.0) / wide.max(1.0);
    fits.clamp(9.0, 13.0)
}

/// An axis number in few characters: "15k", "1.5k", "250", "0.5".
fn axis_number(value: f64) -> String {
    let size = value.abs();
    if size >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if size >= 1_000.0 {
        format!("{:.1}k", value / 1_000.0)
    } else if size >= 10.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: Panel<'_>,
    other: Option<Panel<'_>>,
    data: &ChartData,
    locale: Locale,
    style: PanelStyle,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let px = |size: f64| (size * style.ratio) as u32;
    // Both branches share the axes, so the taller of the two sets the scale.
    let peak = other
        .as_ref()
        .map_or(panel.y_max, |o| o.y_max.max(panel.y_max));
    let y_max = if peak > 0.0 { peak * 1.1 } else { 1.0 };
    let title = locale.text(panel.title);
    let width_css = f64::from(area.dim_in_pixel().0) / style.ratio;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, px(caption_size(title, width_css))))
        .margin(px(6.0))
        .margin_right(px(14.0))
        .x_label_area_size(px(20.0))
        .y_label_area_size(px(44.0))
        .build_cartesian_2d(0.0..data.span_s.max(1.0), 0.0..y_max)?;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(4)
        .light_line_style(RGBColor(0xee, 0xf0, 0xf3))
        .label_style((FONT, px(11.0)))
        .x_label_formatter(&|s| format!("{s:.0}s"))
        .y_label_formatter(&|v| axis_number(*v))
        .draw()?;
    for (t, action) in &data.marks {
        let label = crate::live::annotate::action_text(locale, action);
        let line = MARK.stroke_width(px(1.0));
        chart.draw_series(DashedLineSeries::new(
            [(*t, 0.0), (*t, y_max)],
            px(4.0),
            px(3.0),
            line,
        ))?;
        chart.draw_series(std::iter::once(Text::new(
            label,
            (*t, y_max * 0.97),
            (FONT, px(10.0)).into_font().color(&MARK),
        )))?;
    }
    // The compared branch first and faded, so this branch's lines stay on top.
    for (series, colour, dashed) in other.map(|o| o.lines).unwrap_or_default() {
        let faded = colour
            .mix(0.35)
            .stroke_width(px(if dashed { 1.0 } else { 3.0 }));
        chart.draw_series(LineSeries::new(series.iter().copied(), faded))?;
    }
    let mut worlds = Vec::new();
    for (series, colour, dashed) in panel.lines {
        let line = colour.stroke_width(px(2.0));
        if dashed {
            chart.draw_series(DashedLineSeries::new(
                series.iter().copied(),
                px(5.0),
                px(4.0),
                line,
            ))?;
        } else {
            chart.draw_series(LineSeries::new(series.iter().copied(), line))?;
            worlds.push(colour);
        }
    }
    if style.legend {
        // A swatch and a name per world, top left inside the plot, clear of the fault labels.
        let (x, y) = (px(62.0) as i32, px(40.0) as i32);
        for (row, colour) in worlds.into_iter().enumerate() {
            let y = y + row as i32 * px(16.0) as i32;
            let name = locale.text(if colour == SYNC {
                Key::LegendSync
            } else {
                Key::LegendEvent
            });
            area.draw(&PathElement::new(
                [(x, y), (x + px(18.0) as i32, y)],
                colour.stroke_width(px(3.0)),
            ))?;
            area.draw(&Text::new(
                name,
                (x + px(24.0) as i32, y - px(6.0) as i32),
                (FONT, px(11.0)).into_font().color(&colour),
            ))?;
        }
    }
    Ok(())
}
