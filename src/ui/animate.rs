//! The animation loop: one `requestAnimationFrame` callback advances the run, draws the dots, and
//! refreshes the snapshot (10 Hz) and the charts (2 Hz).

use super::charts::draw_charts;
use super::now_ms;
use super::state::Explainer;
use super::still::{self, Views};
use crate::i18n::Locale;
use crate::live::charts::ChartData;
use crate::live::layout::{PANEL_WIDTH, Point, Rect};
use crate::live::particles::{Particles, Style};
use crate::live::tables::REFRESH_MS;
use crate::sim::trace::World;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The canvases the loop draws on; the panels and the chart area fill these in.
#[derive(Clone, Copy)]
pub struct Canvases {
    pub sync: NodeRef<leptos::html::Canvas>,
    pub event: NodeRef<leptos::html::Canvas>,
    pub charts: NodeRef<leptos::html::Canvas>,
}

impl Canvases {
    pub fn new() -> Canvases {
        Canvases {
            sync: NodeRef::new(),
            event: NodeRef::new(),
            charts: NodeRef::new(),
        }
    }
}

impl Default for Canvases {
    fn default() -> Self {
        Canvases::new()
    }
}

/// Snapshot refresh period: scoreboards and the SVG change at most 10 times a second.
const FRAME_REFRESH_MS: f64 = 100.0;
/// Chart redraw period.
const CHART_REDRAW_MS: f64 = 500.0;

struct LoopState {
    last_refresh_ms: f64,
    last_chart_ms: f64,
    charted_at_sim_ms: f64,
    charted_locale: Option<Locale>,
    /// The branch the charts were last compared with, so choosing another redraws them.
    charted_compare: Option<u32>,
    last_tables_ms: f64,
    /// The dot canvases were cleared for the still view, so they need no more drawing.
    dots_cleared: bool,
}

/// The loop's own callback, which re-schedules itself every frame.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Starts the loop; it runs for the page's life.
pub fn start(explainer: Explainer, canvases: Canvases, locale: ReadSignal<Locale>, views: Views) {
    let state = Rc::new(RefCell::new(LoopState {
        last_refresh_ms: f64::NEG_INFINITY,
        last_chart_ms: f64::NEG_INFINITY,
        charted_at_sim_ms: -1.0,
        charted_locale: None,
        charted_compare: None,
        last_tables_ms: f64::NEG_INFINITY,
        dots_cleared: false,
    }));
    let callback: FrameCallback = Rc::new(RefCell::new(None));
    let next = callback.clone();
    *callback.borrow_mut() = Some(Closure::new(move |wall_ms: f64| {
        let started_ms = now_ms();
        frame(
            explainer,
            canvases,
            (locale, views),
            &mut state.borrow_mut(),
            wall_ms,
        );
        let work_ms = now_ms() - started_ms;
        // The next frame runs as many events as fit the frame's time, on this device.
        explainer.live.update_value(|live| live.frame_took(work_ms));
        // Published for `make bench`, which reads the loop's own work per frame.
        if let Some(canvas) = canvases.sync.get_untracked() {
            let work = format!("{work_ms:.3}");
            let _ = canvas.set_attribute("data-work-ms", &work);
        }
        if let Some(cb) = next.borrow().as_ref() {
            request(cb);
        }
    }));
    if let Some(cb) = callback.borrow().as_ref() {
        request(cb);
    }
}

fn request(callback: &Closure<dyn FnMut(f64)>) {
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
    }
}

fn frame(
    explainer: Explainer,
    canvases: Canvases,
    (locale, views): (ReadSignal<Locale>, Views),
    state: &mut LoopState,
    wall_ms: f64,
) {
    let started_ms = now_ms();
    let advance = explainer
        .live
        .try_update_value(|live| live.tick(wall_ms))
        .unwrap_or_default();
    // A seek on its way re-simulates what fits the device in its share of the frame.
    let tick_ms = now_ms() - started_ms;
    explainer
        .live
        .update_value(|live| live.rebuild_took(tick_ms));
    if views.still.get_untracked() {
        // Nothing travels in the still view: the canvases are cleared once and left alone.
        if !state.dots_cleared {
            state.dots_cleared = true;
            for canvas in [canvases.sync, canvases.event] {
                draw_dots(canvas, &Default::default(), &[]);
            }
        }
    } else {
        state.dots_cleared = false;
        draw_all_dots(explainer, canvases, wall_ms);
    }
    if wall_ms - state.last_tables_ms >= REFRESH_MS {
        state.last_tables_ms = wall_ms;
        publish_views(explainer, views, wall_ms);
    }
    if advance.finished || advance.behind != explainer.play.with_untracked(|p| p.behind) {
        explainer.play.update(|p| {
            p.behind = advance.behind;
            p.finished |= advance.finished;
        });
    }
    if wall_ms - state.last_refresh_ms >= FRAME_REFRESH_MS || advance.finished {
        state.last_refresh_ms = wall_ms;
        // Paused, the snapshot cannot have changed (actions refresh it themselves); only the
        // dots still in flight can.
        let sim_ms = explainer
            .live
            .with_value(|live| live.player.sim().now().as_ms_f64());
        // A seek on its way is followed until the refresh after it arrives.
        let rebuilding = explainer.play.with_untracked(|p| p.rebuilding.is_some());
        if sim_ms != explainer.frame.with_untracked(|f| f.now_ms) || advance.finished || rebuilding
        {
            explainer.refresh();
        } else {
            explainer.refresh_dots();
        }
    }
    explainer.speak_due(wall_ms);
    let sim_ms = explainer.frame.with_untracked(|f| f.now_ms);
    let current_locale = locale.get_untracked();
    let compare = explainer.compare_with.get_untracked();
    let stale = sim_ms != state.charted_at_sim_ms
        || state.charted_locale != Some(current_locale)
        || state.charted_compare != compare;
    // The charts mount a task after the stages, so until their canvas exists nothing counts
    // as drawn.
    let canvas = canvases.charts.get_untracked();
    if let Some(canvas) =
        canvas.filter(|_| stale && wall_ms - state.last_chart_ms >= CHART_REDRAW_MS)
    {
        state.last_chart_ms = wall_ms;
        state.charted_at_sim_ms = sim_ms;
        state.charted_locale = Some(current_locale);
        state.charted_compare = compare;
        let data = explainer
            .live
            .with_value(|live| ChartData::of(live.player.sim()));
        explainer
            .compared_charts
            .with_value(|compared| draw_charts(&canvas, &data, compared.as_ref(), current_locale));
        if views.chart_data.with_untracked(Option::is_some) {
            views.chart_data.set(Some(data));
        }
    }
}

fn draw_all_dots(explainer: Explainer, canvases: Canvases, wall_ms: f64) {
    let dots = explainer
        .live
        .with_value(|live| dots_by_style(&live.particles, wall_ms));
    explainer.shape.with_untracked(|shape| {
        for (world, canvas) in [(World::Sync, canvases.sync), (World::Event, canvases.event)] {
            let index = world.index();
            draw_dots(canvas, &dots[index], &shape.text_boxes[index]);
        }
    });
}

/// The tables' rows, and in the still view the edges' numbers: twice a second at most.
fn publish_views(explainer: Explainer, views: Views, wall_ms: f64) {
    still::publish_rows(views, explainer);
    let rates = explainer
        .live
        .try_update_value(|live| {
            let now_us = live.player.sim().now().as_us();
            live.traffic
                .publish(wall_ms, now_us)
                .then(|| World::BOTH.map(|w| live.traffic.rates(w)))
        })
        .flatten();
    if let Some(rates) = rates.filter(|_| views.still.get_untracked()) {
        views.traffic.set(rates);
    }
}

/// Sizes the canvas's pixels to its CSS box times the device pixel ratio, which it returns;
/// None while the canvas has no size (hidden or not laid out yet).
pub fn fit_to_css_box(canvas: &HtmlCanvasElement) -> Option<f64> {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let width = (f64::from(canvas.client_width()) * ratio).round() as u32;
    let height = (f64::from(canvas.client_height()) * ratio).round() as u32;
    if width == 0 || height == 0 {
        return None;
    }
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    Some(ratio)
}

/// Fits the canvas to its box and returns a cleared context in panel units.
fn prepare(canvas: &HtmlCanvasElement, logical_width: f64) -> Option<CanvasRenderingContext2d> {
    let ratio = fit_to_css_box(canvas)?;
    let css_width = f64::from(canvas.client_width());
    let css_height = f64::from(canvas.client_height());
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let scale = ratio * css_width / logical_width;
    context
        .set_transform(scale, 0.0, 0.0, scale, 0.0, 0.0)
        .ok()?;
    context.clear_rect(
        0.0,
        0.0,
        logical_width,
        css_height * logical_width / css_width,
    );
    Some(context)
}

const STYLES: [(Style, &str); 4] = [
    (Style::Request, "#2563eb"),
    (Style::Event, "#7c3aed"),
    (Style::Reply, "#15803d"),
    (Style::Failure, "#dc2626"),
];

/// Visible dot positions per world and per style (in `STYLES` order), from one pass over the dots.
type DotsByStyle = [[Vec<Point>; STYLES.len()]; 2];

fn dots_by_style(particles: &Particles, wall_ms: f64) -> DotsByStyle {
    let mut dots = DotsByStyle::default();
    for (particle, at) in particles.visible(wall_ms) {
        if let Some(style) = STYLES.iter().position(|(s, _)| *s == particle.style) {
            dots[particle.world.index()][style].push(at);
        }
    }
    dots
}

fn draw_dots(
    canvas: NodeRef<leptos::html::Canvas>,
    dots: &[Vec<Point>; STYLES.len()],
    text_boxes: &[Rect],
) {
    let Some(canvas) = canvas.get_untracked() else {
        return;
    };
    let Some(context) = prepare(&canvas, f64::from(PANEL_WIDTH)) else {
        return;
    };
    context.save();
    clip_out(&context, &canvas, text_boxes);
    // One path per colour: thousands of dots cost a handful of fill calls.
    for ((style, colour), points) in STYLES.iter().zip(dots) {
        let radius = if *style == Style::Failure { 4.0 } else { 3.0 };
        context.begin_path();
        for at in points {
            context.move_to(f64::from(at.x) + radius, f64::from(at.y));
            let _ = context.arc(
                f64::from(at.x),
                f64::from(at.y),
                radius,
                0.0,
                std::f64::consts::TAU,
            );
        }
        context.set_fill_style_str(colour);
        context.fill();
    }
    context.restore();
}

/// Limits drawing to the panel minus `boxes` (even-odd rule), so dots pass behind text.
fn clip_out(context: &CanvasRenderingContext2d, canvas: &HtmlCanvasElement, boxes: &[Rect]) {
    let css_width = f64::from(canvas.client_width()).max(1.0);
    let height = f64::from(canvas.client_height()) * f64::from(PANEL_WIDTH) / css_width;
    context.begin_path();
    context.rect(0.0, 0.0, f64::from(PANEL_WIDTH), height);
    for b in boxes {
        context.rect(
            f64::from(b.x),
            f64::from(b.y),
            f64::from(b.width),
            f64::from(b.height),
        );
    }
    context.clip_with_canvas_winding_rule(web_sys::CanvasWindingRule::Evenodd);
}
