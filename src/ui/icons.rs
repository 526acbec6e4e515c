//! Inline SVG artwork: the logo and the two static schematics shown before a run starts.
//!
//! Drawn as SVG rather than emoji or web fonts, so it renders the same on machines
//! without emoji fonts and needs no request beyond the app's own files.

use leptos::prelude::*;

/// Three concentric arcs: a ripple.
#[component]
pub fn RippleLogo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
            <circle cx="16" cy="16" r="3.5" fill="currentColor" />
            <circle cx="16" cy="16" r="8" fill="none" stroke="currentColor" stroke-width="2" opacity="0.7" />
            <circle cx="16" cy="16" r="13" fill="none" stroke="currentColor" stroke-width="2" opacity="0.4" />
        </svg>
    }
}

/// A box with a service name, used by both schematics.
#[component]
fn Node(x: i32, y: i32, label: &'static str) -> impl IntoView {
    view! {
        <g class="node">
            <rect x=x - 40 y=y - 14 width="80" height="28" rx="6" />
            <text x=x y=y + 5 text-anchor="middle">{label}</text>
        </g>
    }
}

/// The default topology as a call tree: `signup` calls `email`, `analytics` and `cache`.
#[component]
pub fn SyncSchematic() -> impl IntoView {
    view! {
        <svg viewBox="0 0 340 176" class="schematic-svg" aria-hidden="true">
            <g class="edges">
                <path d="M170 44 L70 96" />
                <path d="M170 44 L170 96" />
                <path d="M170 44 L270 96" />
                <path d="M70 124 L70 142" />
            </g>
            <Node x=170 y=30 label="signup" />
            <Node x=70 y=110 label="email" />
            <Node x=170 y=110 label="analytics" />
            <Node x=270 y=110 label="cache" />
            <Node x=70 y=156 label="template" />
        </svg>
    }
}

/// The same topology as a log: `signup` appends, three consumer groups read.
#[component]
pub fn EventSchematic() -> impl IntoView {
    let cells = (0..8)
        .map(
            |i| view! { <rect class="cell" x=110 + i * 16 y="62" width="14" height="22" rx="2" /> },
        )
        .collect_view();
    view! {
        <svg viewBox="0 0 340 176" class="schematic-svg" aria-hidden="true">
            <g class="edges">
                <path d="M80 73 L106 73" />
                <path d="M240 73 L262 30" />
                <path d="M240 73 L262 73" />
                <path d="M240 73 L262 116" />
            </g>
            <Node x=40 y=73 label="signup" />
            {cells}
            <Node x=296 y=30 label="email" />
            <Node x=296 y=73 label="analytics" />
            <Node x=296 y=116 label="cache" />
        </svg>
    }
}
