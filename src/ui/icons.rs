//! Inline SVG artwork: the logo.
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
