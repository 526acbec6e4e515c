//! The "why" marker on a stage: on the service where the world's current chain starts; pressed,
//! it rings the chain's services, highlights its edges and says the cause in words.

use super::UiLocale;
use super::state::Explainer;
use crate::live::layout::{NODE_HEIGHT, NODE_WIDTH, Point};
use crate::live::why::{self, WhyMark};
use crate::sim::trace::World;
use leptos::prelude::*;

/// What the layer needs of a stage's layout: node centres, the drawn edges, the node scale.
pub struct WhyGeometry {
    pub nodes: Vec<Option<Point>>,
    pub edges: Vec<((usize, usize), Vec<Point>)>,
    /// Where a chain that starts at the entry is marked when the entry has no node (the producer).
    pub entry: Point,
    pub scale: f32,
}

impl WhyGeometry {
    /// Each service's centre, by index.
    fn centres(&self) -> Vec<Point> {
        (0..self.nodes.len().max(1))
            .map(|s| self.centre(s))
            .collect()
    }

    /// Half a node's width and height at the stage's scale.
    fn half_size(&self) -> (f32, f32) {
        (
            NODE_WIDTH / 2.0 * self.scale,
            NODE_HEIGHT / 2.0 * self.scale,
        )
    }

    fn centre(&self, service: usize) -> Point {
        match self.nodes.get(service).copied().flatten() {
            Some(at) => at,
            None if service == 0 => self.entry,
            None => Point::default(),
        }
    }
}

fn polyline(points: &[Point]) -> String {
    points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ")
}

fn mark_of(explainer: Explainer, world: World) -> Option<WhyMark> {
    explainer.frame.with(|f| f.why[world.index()].clone())
}

/// Rings and edges of the chain, drawn under the nodes while the marker is pressed.
pub fn why_highlight(explainer: Explainer, world: World, geometry: &WhyGeometry) -> impl IntoView {
    let edges = geometry.edges.clone();
    let centres = geometry.centres();
    let (half_w, half_h) = geometry.half_size();
    move || {
        let open = explainer.why_open.get() == Some(world);
        let mark = mark_of(explainer, world).filter(|_| open)?;
        let paths = mark
            .edges()
            .filter_map(|edge| edges.iter().find(|(e, _)| *e == edge))
            .map(|(_, path)| view! { <polyline class="why-edge" points=polyline(path) /> })
            .collect_view();
        let rings = mark
            .chain
            .iter()
            .filter_map(|&s| centres.get(s).copied())
            .map(|at| {
                view! {
                    <rect class="why-ring" x=at.x - half_w - 4.0 y=at.y - half_h - 4.0
                        width=half_w * 2.0 + 8.0 height=half_h * 2.0 + 8.0 rx=10 />
                }
            })
            .collect_view();
        Some(
            view! { <g class="why-chain" data-testid=format!("{}-why-chain", world.name())>{paths}{rings}</g> },
        )
    }
}

/// The marker itself, at the top right of the chain's first service.
pub fn why_marker(explainer: Explainer, world: World, geometry: &WhyGeometry) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    let centres = geometry.centres();
    let (half_w, half_h) = geometry.half_size();
    let toggle = move || {
        explainer.why_open.update(|open| {
            *open = if *open == Some(world) {
                None
            } else {
                Some(world)
            }
        });
    };
    move || {
        let mark = mark_of(explainer, world)?;
        let at = centres.get(mark.head()?).copied()?;
        let label = why::paragraph(locale.get(), &mark.cause);
        let open = move || (explainer.why_open.get() == Some(world)).to_string();
        Some(view! {
            <g class="why-marker" role="button" tabindex="0" aria-pressed=open aria-label=label
                data-testid=format!("{}-why", world.name())
                transform=format!("translate({} {})", at.x + half_w - 2.0, at.y - half_h + 2.0)
                on:click=move |ev| { ev.stop_propagation(); toggle(); }
                on:keydown=move |ev| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        toggle();
                    }
                }>
                <circle r=9 />
                <text y=4 text-anchor="middle" aria-hidden="true">"?"</text>
            </g>
        })
    }
}

/// The cause in words under the stage, while the marker is pressed.
pub fn why_caption(explainer: Explainer, world: World) -> impl IntoView {
    let UiLocale(locale) = expect_context::<UiLocale>();
    move || {
        let open = explainer.why_open.get() == Some(world);
        let mark = mark_of(explainer, world).filter(|_| open)?;
        Some(view! {
            <p class="why-text" data-testid=format!("{}-why-text", world.name())>
                {why::paragraph(locale.get(), &mark.cause)}
            </p>
        })
    }
}
