//! The animation loop: one `requestAnimationFrame` callback advances the run, draws the dots, and
//! refreshes the snapshot (10 Hz) and the charts (2 Hz).

use super::charts::draw_charts;
use super::state::Explainer;
use crate::i18n::Locale;
use crate::live::layout::PANEL_WIDTH;
use crate::live::particles::{Particles, Style};
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
}

/// The loop's own callback, which re-schedules itself every frame.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Starts the loop; it runs for the page's life.
pub fn start(explainer: Explainer, canvases: Canvases, locale: ReadSignal<Locale>) {
    let state = Rc::new(RefCell::new(LoopState {
        last_refresh_ms: f64::NEG_INFINITY,
        last_chart_ms: f64::NEG_INFINITY,
        charted_at_sim_ms: -1.0,
        charted_locale: None,
    }));
    let callback: FrameCallback = Rc::new(RefCell::new(None));
    let next = callback.clone();
    *callback.borrow_mut() = Some(Closure::new(move |wall_ms: f64| {
        let started_ms = now_ms();
        frame(
            explainer,
            canvases,
            locale,
            &mut state.borrow_mut(),
            wall_ms,
        );
        // Published for `make bench`, which reads the loop's own work per frame.
        if let Some(canvas) = canvases.sync.get_untracked() {
            let work = format!("{:.3}", now_ms() - started_ms);
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

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn request(callback: &Closure<dyn FnMut(f64)>) {
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
    }
}

fn frame(
    explainer: Explainer,
    canvases: Canvases,
    locale: ReadSignal<Locale>,
    state: &mut LoopState,
    wall_ms: f64,
) {
    let advance = explainer
        .live
        .try_update_value(|live| live.tick(wall_ms))
        .unwrap_or_default();
    explainer.live.with_value(|live| {
        draw_dots(canvases.sync, &live.particles, World::Sync, wall_ms);
        draw_dots(canvases.event, &live.particles, World::Event, wall_ms);
    });
    if advance.finished || advance.behind != explainer.play.with_untracked(|p| p.behind) {
        explainer.play.update(|p| {
            p.behind = advance.behind;
            p.finished |= advance.finished;
        });
    }
    if wall_ms - state.last_refresh_ms >= FRAME_REFRESH_MS || advance.finished {
        state.last_refresh_ms = wall_ms;
        explainer.refresh();
    }
    let sim_ms = explainer.frame.with_untracked(|f| f.now_ms);
    let current_locale = locale.get_untracked();
    let stale = sim_ms != state.charted_at_sim_ms || state.charted_locale != Some(current_locale);
    if stale && wall_ms - state.last_chart_ms >= CHART_REDRAW_MS {
        state.last_chart_ms = wall_ms;
        state.charted_at_sim_ms = sim_ms;
        state.charted_locale = Some(current_locale);
        if let Some(canvas) = canvases.charts.get_untracked() {
            explainer
                .live
                .with_value(|live| draw_charts(&canvas, live.player.sim(), current_locale));
        }
    }
}

/// Sizes the canvas to its CSS box (times the pixel ratio) and returns a context in panel units.
pub fn prepare(canvas: &HtmlCanvasElement, logical_width: f64) -> Option<CanvasRenderingContext2d> {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let css_width = f64::from(canvas.client_width());
    let css_height = f64::from(canvas.client_height());
    if css_width <= 0.0 || css_height <= 0.0 {
        return None;
    }
    let width = (css_width * ratio).round() as u32;
    let height = (css_height * ratio).round() as u32;
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
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

fn draw_dots(
    canvas: NodeRef<leptos::html::Canvas>,
    particles: &Particles,
    world: World,
    wall_ms: f64,
) {
    let Some(canvas) = canvas.get_untracked() else {
        return;
    };
    let Some(context) = prepare(&canvas, f64::from(PANEL_WIDTH)) else {
        return;
    };
    // One path per colour: thousands of dots cost a handful of fill calls.
    for (style, colour) in STYLES {
        context.begin_path();
        for (particle, at) in particles.visible(wall_ms) {
            if particle.world != world || particle.style != style {
                continue;
            }
            let radius = if style == Style::Failure { 4.0 } else { 3.0 };
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
}
