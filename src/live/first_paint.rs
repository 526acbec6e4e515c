//! The still picture `index.html` shows before the wasm starts: both worlds' stages at t = 0.
//!
//! It is drawn from the default preset with the same layout the app uses, so the page's
//! first paint is the app's first frame without its numbers. It carries no words of any
//! language (service names are the scenario's own), so one file serves every reader.
//! `public/first-paint.svg` and `first-paint-narrow.svg` are this function's output; `tests/first_paint.rs` keeps the two
//! in step (`RIPPLE_BLESS=1 cargo test --test first_paint` rewrites it when they differ).
//! This module knows nothing of the browser: it returns text.

use super::layout::{
    EventLayout, NODE_HEIGHT, NODE_WIDTH, PANEL_WIDTH, PARTITION_HEIGHT, PARTITION_WIDTH,
    PRODUCER_HEIGHT, PRODUCER_WIDTH, Point, Rect, SyncLayout, elbow_path, service_box, short_name,
    svg_path,
};
use crate::sim::{Scenario, Topology};
use std::fmt::Write;

/// Space between the two stages, as the page's two columns have.
const GAP: f32 = 24.0;
/// Colours of `style/main.css` (an `<img>` cannot read the page's CSS variables).
const SYNC: &str = "#b45309";
const SYNC_SOFT: &str = "#fef3e2";
const EVENT: &str = "#0f766e";
const EVENT_SOFT: &str = "#e3f5f2";
const INK: &str = "#1c2430";
const INK_SOFT: &str = "#4a5565";
const CARD: &str = "#ffffff";
/// Characters of a name a box shows, as the stage does.
const NAME_CHARS: usize = 12;

/// How the two stages sit, as the page's columns do: side by side, or stacked on narrow screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrangement {
    SideBySide,
    Stacked,
}

impl Arrangement {
    pub const ALL: [Arrangement; 2] = [Arrangement::SideBySide, Arrangement::Stacked];

    /// The file `index.html` shows it from.
    pub fn file(self) -> &'static str {
        match self {
            Arrangement::SideBySide => "first-paint.svg",
            Arrangement::Stacked => "first-paint-narrow.svg",
        }
    }
}

/// The picture of `scenario`'s two stages, as SVG text.
pub fn still_svg(scenario: &Scenario, arrangement: Arrangement) -> String {
    let topology = Topology::new(scenario);
    let sync = SyncLayout::new(&topology);
    let event = EventLayout::new(
        &topology,
        scenario.event.partitions as usize,
        scenario.event.brokers as usize,
    );
    let sync_height = sync.height + 24.0;
    let (width, height, sync_h, event_h, event_at) = match arrangement {
        Arrangement::SideBySide => {
            let height = sync_height.max(event.height);
            (
                2.0 * PANEL_WIDTH + GAP,
                height,
                height,
                height,
                (PANEL_WIDTH + GAP, 0.0),
            )
        }
        Arrangement::Stacked => (
            PANEL_WIDTH,
            sync_height + GAP + event.height,
            sync_height,
            event.height,
            (0.0, sync_height + GAP),
        ),
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n"
    );
    let _ = writeln!(
        svg,
        "<rect width=\"{PANEL_WIDTH}\" height=\"{sync_h}\" rx=\"8\" fill=\"{SYNC_SOFT}\"/>"
    );
    draw_sync(&mut svg, &topology, &sync);
    let _ = writeln!(
        svg,
        "<g transform=\"translate({} {})\">",
        event_at.0, event_at.1
    );
    let _ = writeln!(
        svg,
        "<rect width=\"{PANEL_WIDTH}\" height=\"{event_h}\" rx=\"8\" fill=\"{EVENT_SOFT}\"/>"
    );
    draw_event(&mut svg, &topology, &event);
    svg.push_str("</g>\n</svg>\n");
    svg
}

fn draw_sync(svg: &mut String, topology: &Topology, layout: &SyncLayout) {
    user_icon(svg, layout.user);
    if let Some(entry) = layout.nodes.first().copied().flatten() {
        let from = Point {
            x: layout.user.x + 14.0,
            ..layout.user
        };
        let to = Point {
            x: entry.x - NODE_WIDTH * layout.node_scale / 2.0,
            ..entry
        };
        edge(svg, &elbow_path(from, to), SYNC);
    }
    for &(from, to) in &layout.edges {
        if let Some(path) = layout.edge_path(from, to) {
            edge(svg, &svg_path(&path), SYNC);
        }
    }
    for (service, at) in layout.nodes.iter().enumerate() {
        if let Some(at) = at {
            let name = topology.name(service);
            service_rect(svg, service_box(*at, layout.node_scale), name, SYNC);
        }
    }
}

fn draw_event(svg: &mut String, topology: &Topology, layout: &EventLayout) {
    user_icon(svg, layout.user);
    let producer = Rect {
        x: layout.producer.x - PRODUCER_WIDTH / 2.0,
        y: layout.producer.y - PRODUCER_HEIGHT / 2.0,
        width: PRODUCER_WIDTH,
        height: PRODUCER_HEIGHT,
    };
    let from = Point {
        x: layout.user.x + 14.0,
        ..layout.user
    };
    edge(
        svg,
        &elbow_path(
            from,
            Point {
                x: producer.x,
                ..layout.producer
            },
        ),
        EVENT,
    );
    for (p, origin) in layout.partitions.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{INK_SOFT}\">P{p}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{PARTITION_WIDTH}\" height=\"{PARTITION_HEIGHT}\" rx=\"3\" \
             fill=\"{CARD}\" stroke=\"#d5dae1\"/>",
            origin.x - 6.0,
            origin.y + PARTITION_HEIGHT / 2.0 + 4.0,
            origin.x,
            origin.y
        );
    }
    for &(from, to) in &layout.edges {
        if let Some(path) = layout.edge_path(from, to) {
            edge(svg, &svg_path(&path), EVENT);
        }
    }
    service_rect(svg, producer, topology.name(0), EVENT);
    for (service, at) in layout.nodes.iter().enumerate() {
        if let Some(at) = at {
            service_rect(svg, service_box(*at, 1.0), topology.name(service), EVENT);
        }
    }
    for (b, at) in layout.brokers.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<circle cx=\"{}\" cy=\"{}\" r=\"13\" fill=\"{CARD}\" stroke=\"{INK_SOFT}\" stroke-width=\"1.5\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"600\" fill=\"{INK}\">B{b}</text>",
            at.x,
            at.y,
            at.x,
            at.y + 4.0
        );
    }
}

fn user_icon(svg: &mut String, at: Point) {
    let _ = writeln!(
        svg,
        "<g transform=\"translate({} {})\" fill=\"{INK_SOFT}\"><circle cy=\"-8\" r=\"7\"/>\
         <path d=\"M-12 12 C-12 0 12 0 12 12 Z\"/></g>",
        at.x, at.y
    );
}

fn edge(svg: &mut String, d: &str, colour: &str) {
    let _ = writeln!(
        svg,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.6\" opacity=\"0.6\"/>"
    );
}

/// A service's box with its name; the caption row under it stays empty, as numbers are live.
fn service_rect(svg: &mut String, area: Rect, name: &str, colour: &str) {
    let box_height = area.height.min(area.width / NODE_WIDTH * NODE_HEIGHT);
    let _ = writeln!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{box_height}\" rx=\"8\" fill=\"{CARD}\" \
         stroke=\"{colour}\" stroke-width=\"1.5\"/>\
         <text x=\"{}\" y=\"{}\" font-weight=\"600\" font-size=\"12\" fill=\"{INK}\">{}</text>",
        area.x,
        area.y,
        area.width,
        area.x + 8.0,
        area.y + 16.0,
        escape(&short_name(name, NAME_CHARS))
    );
}

/// Names are checked by the core, but the picture is markup, so it never trusts them.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::DEFAULT_PRESET;
    use crate::sim::presets::preset;

    #[test]
    fn the_picture_names_every_service_and_no_words() {
        let scenario = preset(DEFAULT_PRESET).expect("the default preset exists");
        let topology = Topology::new(&scenario);
        for arrangement in Arrangement::ALL {
            let svg = still_svg(&scenario, arrangement);
            for service in 0..topology.len() {
                assert!(svg.contains(&format!(">{}<", topology.name(service))));
            }
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
            assert!(!svg.contains("users") && !svg.contains("producer"));
        }
        assert_eq!(escape("a<b&\"c\">"), "a&lt;b&amp;&quot;c&quot;&gt;");
    }
}
