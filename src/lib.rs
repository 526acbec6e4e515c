//! Ripple: synchronous calls and event-driven pub/sub, simulated side by side.
//!
//! `sim` is the deterministic, sans-IO simulation core; `live` turns it into
//! frames, dots and chart data for the explainer; `i18n` holds every
//! user-facing string. All three are plain Rust and tested natively. `ui` is the
//! Leptos front end and exists only when compiling for the browser.

pub mod i18n;
pub mod live;
pub mod sim;
pub mod template;

#[cfg(target_arch = "wasm32")]
pub mod ui;
