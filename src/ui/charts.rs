//! The four charts, drawn with plotters on one canvas: both worlds on a shared simulated-time axis.

use super::animate::fit_to_css_box;
use crate::i18n::{Key, Locale};
use crate::live::charts::{ChartData, Series};
use crate::sim::Simulation;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

const SYNC: RGBColor = RGBColor(0xb4, 0x53, 0x09);
const EVENT: RGBColor = RGBColor(0x0f, 0x76, 0x6e);
const MARK: RGBColor = RGBColor(0x64, 0x74, 0x8b);
const FONT: &str = "system-ui, 'Noto Sans', 'Noto Sans CJK TC', 'Noto Sans CJK JP', sans-serif";

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

/// Redraws every chart from the run's time series.
pub fn draw_charts(canvas: &HtmlCanvasElement, sim: &Simulation, locale: Locale) {
    let Some(ratio) = fit_to_css_box(canvas) else {
        return;
    };
    let data = ChartData::of(sim);
    let _ = draw(canvas, &data, locale, ratio);
}

fn draw(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
    locale: Locale,
    ratio: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE)?;
    let [lost_sync, lost_event] = &data.lost_cumulative;
    let [dup_sync, dup_event] = &data.duplicated_cumulative;
    let panels = [
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
            ],
            y_max: peak(&[&data.latency_ms_p99[0], &data.latency_ms_p99[1]]),
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
    ];
    let px = |size: f64| (size * ratio) as u32;
    for (area, panel) in root.split_evenly((2, 2)).iter().zip(panels) {
        let y_max = if panel.y_max > 0.0 {
            panel.y_max * 1.1
        } else {
            1.0
        };
        let mut chart = ChartBuilder::on(area)
            .caption(locale.text(panel.title), (FONT, px(13.0)))
            .margin(px(6.0))
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
        for (series, colour, dashed) in panel.lines {
            let style = colour.stroke_width(px(2.0));
            if dashed {
                chart.draw_series(DashedLineSeries::new(
                    series.iter().copied(),
                    px(5.0),
                    px(4.0),
                    style,
                ))?;
            } else {
                chart.draw_series(LineSeries::new(series.iter().copied(), style))?;
            }
        }
    }
    root.present()?;
    Ok(())
}
